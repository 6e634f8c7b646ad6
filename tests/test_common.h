/* Helpers shared by the test suites. Loopback only, port 0 everywhere. */
#ifndef CNET_TEST_COMMON_H
#define CNET_TEST_COMMON_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include <cnet/cnet.h>

#if !defined(_WIN32)
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/mman.h>
#include <sys/un.h>
#include <unistd.h>
/* The OS error codes the suites expect from cnet_last_os_error(). */
#define TC_OS_EBADF EBADF
#define TC_OS_EAFNOSUPPORT EAFNOSUPPORT
#else
/* Windows (winsock backend, minicriterion): the platform header brings
 * winsock2.h and ws2tcpip.h; afunix.h has sockaddr_un. */
#include <afunix.h>
#include <unistd.h>
#define TC_OS_EBADF WSAENOTSOCK
#define TC_OS_EAFNOSUPPORT WSAEAFNOSUPPORT
#define MSG_NOSIGNAL 0 /* Windows has no SIGPIPE */
typedef ADDRESS_FAMILY sa_family_t;
#undef far /* legacy empty macros of windows.h, used as variable names */
#undef near
/* getrusage(RUSAGE_SELF) for the peak memory (KiB, as on Linux). */
#include <psapi.h>
#define RUSAGE_SELF 0
struct rusage {
    long ru_maxrss;
};
static inline int getrusage(int who, struct rusage *usage)
{
    PROCESS_MEMORY_COUNTERS pmc;
    (void)who;
    usage->ru_maxrss = 0;
    if (!GetProcessMemoryInfo(GetCurrentProcess(), &pmc, sizeof pmc))
        return -1;
    usage->ru_maxrss = (long)(pmc.PeakWorkingSetSize / 1024);
    return 0;
}
#endif

/* AF_UNIX tests need the OS to have it: Windows 10 1803+ does, wine 8 does
 * not (WSAEAFNOSUPPORT); there such a test is skipped. No-op on POSIX. */
static inline void tc_require_unix(void)
{
#if defined(_WIN32)
    cnet_socket_handle h;
    if (cnet_create_native_socket(CNET_AF_UNIX, CNET_SOCK_STREAM, CNET_IPPROTO_IP, false, &h) != CNET_OK)
        cr_skip_test("this Windows has no AF_UNIX sockets: %s", cnet_last_error_message());
    cnet_close(h);
#endif
}

/*
 * Preconditions that come from the system, not from cnet: a test that needs
 * one skips with the reason when it is missing, instead of failing
 * assertions that would look like library defects. The services and
 * protocols databases are /etc/services and /etc/protocols (Debian package
 * netbase; `make deps` installs it); "localhost" comes from /etc/hosts.
 */
static inline void tc_require_services(void)
{
    cnet_servent s;
    if (cnet_get_serv_by_name("http", "tcp", &s) != CNET_OK)
        cr_skip_test("the system's services database has no http/tcp (/etc/services, Debian package netbase): %s",
                     cnet_last_error_message());
    cnet_servent_free(&s);
}

static inline void tc_require_protocols(void)
{
    int p;
    if (cnet_get_proto_by_name("tcp", &p) != CNET_OK)
        cr_skip_test("the system's protocols database has no tcp (/etc/protocols, Debian package netbase): %s",
                     cnet_last_error_message());
}

#if defined(__linux__)
#include <sched.h>
#include <sys/mount.h>
/* This test process sees `hosts` as /etc/hosts (a private mount namespace
 * with a file bound over it; glibc reads the file at each lookup), e.g. to
 * give "localhost" both ::1 and 127.0.0.1. Skips when the process may not
 * (not root, or no CAP_SYS_ADMIN in a container). */
static inline void tc_with_hosts_file(const char *hosts)
{
    if (unshare(CLONE_NEWNS) != 0)
        cr_skip_test("needs a private mount namespace to give \"localhost\" two addresses (unshare: %s)",
                     strerror(errno));
    cr_assert_eq(mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL), 0, "%s", strerror(errno));
    char path[] = "/tmp/cnet-hosts-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, hosts, strlen(hosts)), (ssize_t)strlen(hosts));
    close(fd);
    cr_assert_eq(mount(path, "/etc/hosts", "none", MS_BIND, NULL), 0, "%s", strerror(errno));
    unlink(path);
}
#endif

/* The families of "localhost"'s first and last address; skips the test
 * unless it resolves to both an IPv4 and an IPv6 address. */
static inline void tc_localhost_two_families(int *first, int *last)
{
    struct addrinfo *ai = NULL;
    if (cnet_get_addr_info("localhost", CNET_PORT(0), CNET_AF_UNSPEC, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &ai) !=
        CNET_OK)
        cr_skip_test("\"localhost\" does not resolve here");
    *first = *last = ai->ai_family;
    for (struct addrinfo *p = ai; p != NULL; p = p->ai_next)
        *last = p->ai_family;
    cnet_free_addr_info(ai);
    if (*first == *last)
        cr_skip_test("\"localhost\" has addresses of one family only here (needs 127.0.0.1 and ::1)");
}

/* "localhost" resolves to 127.0.0.1 (an IPv4 entry in /etc/hosts). */
static inline void tc_require_localhost(void)
{
    struct addrinfo *ai = NULL;
    bool found = false;
    if (cnet_get_addr_info("localhost", CNET_PORT(0), CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &ai) ==
        CNET_OK) {
        for (struct addrinfo *p = ai; p != NULL && !found; p = p->ai_next) {
            struct sockaddr_in sin;
            memcpy(&sin, p->ai_addr, sizeof sin);
            found = p->ai_family == AF_INET && ntohl(sin.sin_addr.s_addr) == 0x7f000001u;
        }
        cnet_free_addr_info(ai);
    }
    if (!found)
        cr_skip_test("\"localhost\" does not resolve to 127.0.0.1 on this system (no localhost line in /etc/hosts)");
}

/* Whether children do not inherit the handle (POSIX FD_CLOEXEC; Windows: no
 * HANDLE_FLAG_INHERIT). */
static inline bool tc_cloexec(cnet_socket_handle h)
{
#if !defined(_WIN32)
    return (fcntl(h, F_GETFD) & FD_CLOEXEC) != 0;
#else
    DWORD flags = 0;
    cr_assert(GetHandleInformation((HANDLE)h, &flags), "GetHandleInformation failed");
    return (flags & HANDLE_FLAG_INHERIT) == 0;
#endif
}

/*
 * Whether the handle is in non-blocking mode. Windows cannot read the FIONBIO
 * state back: there it is probed on a connected stream socket with nothing
 * to read (a peek that either fails at once with WSAEWOULDBLOCK or waits for
 * a 1 ms SO_RCVTIMEO), and on any other socket the test is skipped, never
 * counted as passed.
 */
static inline bool tc_nonblocking(cnet_socket_handle h)
{
#if !defined(_WIN32)
    return (fcntl(h, F_GETFL) & O_NONBLOCK) != 0;
#else
    DWORD old = 0, probe = 1;
    int len = (int)sizeof old;
    cr_assert_eq(getsockopt((SOCKET)h, SOL_SOCKET, SO_RCVTIMEO, (char *)&old, &len), 0);
    cr_assert_eq(setsockopt((SOCKET)h, SOL_SOCKET, SO_RCVTIMEO, (const char *)&probe, sizeof probe), 0);
    char c;
    int n = recv((SOCKET)h, &c, 1, MSG_PEEK);
    int e = WSAGetLastError();
    cr_assert_eq(setsockopt((SOCKET)h, SOL_SOCKET, SO_RCVTIMEO, (const char *)&old, sizeof old), 0);
    if (n < 0 && e == WSAEWOULDBLOCK)
        return true;
    if (n < 0 && e == WSAETIMEDOUT)
        return false;
    cr_skip_test("Windows cannot read back the blocking mode of this socket (not connected, or data pending)");
    return false;
#endif
}

/* The io_uring build's suites must really run on the ring: where the kernel
 * has no usable io_uring they report "skipped" (exit 77), never "passed". */
ReportHook(PRE_ALL)(struct criterion_test_set *set)
{
    (void)set;
    if (getenv("CNET_EXPECT_IO_URING") != NULL && strcmp(cnet_backend_active(), "io_uring") != 0) {
        fprintf(stderr, "io_uring is not usable on this kernel: suite skipped\n");
        exit(77);
    }
}

/* Assert a cnet call succeeded, showing the library's message otherwise. */
#define TC_OK(call) cr_assert_eq((call), CNET_OK, "%s failed: %s", #call, cnet_last_error_message())
/* Assert a cnet call failed with `code`. */
#define TC_ERR(code, call)                                                                       \
    do {                                                                                         \
        cnet_err tc_err_ = (call);                                                               \
        cr_assert_eq(tc_err_, (code), "%s returned %s, expected %s (%s)", #call,                 \
                     cnet_err_name(tc_err_), #code, cnet_last_error_message());                  \
        cr_assert_eq(cnet_last_error(), (code), "last error not recorded for %s", #call);        \
    } while (0)

/* A loopback socket address of the family (AF_INET or AF_INET6) and port. */
static inline cnet_socklen tc_loopback(int family, uint16_t port, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    if (family == AF_INET) {
        struct sockaddr_in *sin = (struct sockaddr_in *)ss;
        sin->sin_family = AF_INET;
        sin->sin_port = cnet_htons(port);
        sin->sin_addr.s_addr = cnet_htonl(0x7f000001u);
        return (cnet_socklen)sizeof *sin;
    }
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = cnet_htons(port);
    sin6->sin6_addr.s6_addr[15] = 1;
    return (cnet_socklen)sizeof *sin6;
}

/* A listening TCP socket on loopback; its port goes to *port. */
static inline cnet_socket_handle tc_listener(cnet_domain domain, cnet_port *port)
{
    cnet_socket_handle h;
    struct sockaddr_storage ss;
    TC_OK(cnet_create_native_socket(domain, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, false, &h));
    cnet_socklen len = tc_loopback(cnet_domain_to_int(domain), 0, &ss);
    TC_OK(cnet_bind_addr(h, (struct sockaddr *)&ss, len));
    TC_OK(cnet_listen(h, CNET_SOMAXCONN));
    TC_OK(cnet_get_sock_name(h, port));
    cr_assert_neq(port->value, 0);
    return h;
}

/* A TCP client connected (with the plain system call) to loopback:port. */
static inline cnet_socket_handle tc_connect(cnet_domain domain, cnet_port port)
{
    cnet_socket_handle h;
    struct sockaddr_storage ss;
    TC_OK(cnet_create_native_socket(domain, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, false, &h));
    cnet_socklen len = tc_loopback(cnet_domain_to_int(domain), port.value, &ss);
    cr_assert_eq(connect(h, (struct sockaddr *)&ss, len), 0, "connect failed");
    return h;
}

/*
 * Tests that need an abortive close (SO_LINGER 0) to reset the connection:
 * wine 8 closes gracefully instead (the peer reads end of stream), so there
 * they are skipped after this probe. No-op on POSIX.
 */
static inline void tc_require_reset_on_abortive_close(void)
{
#if defined(_WIN32)
    cnet_port port;
    cnet_socket_handle l = tc_listener(CNET_AF_INET, &port), c = tc_connect(CNET_AF_INET, port), a;
    TC_OK(cnet_accept(l, false, &a, NULL, 0));
    struct linger lg = {1, 0};
    cr_assert_eq(setsockopt((SOCKET)a, SOL_SOCKET, SO_LINGER, (const char *)&lg, sizeof lg), 0);
    cnet_close(a);
    Sleep(20);
    char buf[4];
    int n = recv((SOCKET)c, buf, sizeof buf, 0);
    int e = WSAGetLastError();
    cnet_close(c);
    cnet_close(l);
    if (n >= 0 || e != WSAECONNRESET)
        cr_skip_test("this Winsock (wine) does not reset the connection on an abortive close");
#endif
}

/* Milliseconds on the monotonic clock. */
static inline int64_t tc_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline void tc_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

/* Whether this process runs under valgrind (its preloaded core is in
 * LD_PRELOAD): the few tests that valgrind's emulation cannot serve skip
 * there, with their reason. */
static inline bool tc_under_valgrind(void)
{
    const char *p = getenv("LD_PRELOAD");
    return p != NULL && strstr(p, "vgpreload") != NULL;
}

/* How many descriptors this process has open. */
static inline int tc_open_fds(void)
{
    /* The io_uring backend opens its per-thread ring on first use: open it
     * now so it is not counted as a leak. */
    (void)cnet_backend_active();
#if defined(_WIN32)
    /* Sockets are kernel handles: count the open handles of the process by
     * their values (multiples of 4; wine's GetProcessHandleCount says 0). */
    /* Winsock (wine's in particular) opens handles of its own the first time
     * it creates, listens on and accepts a socket, and the first time it
     * refuses an address family: do that once first. cnet's Winsock edge
     * makes a wake socket at each thread's first wait (the tests run in a
     * thread each): a select over a socket kept for it makes the calling
     * thread's before each count. */
    static bool warm;
    static cnet_socket_handle waiter = CNET_INVALID_SOCKET;
    if (!warm) {
        warm = true;
        (void)cnet_create_native_socket(CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, false, &waiter);
        cnet_port port;
        cnet_socket_handle l = tc_listener(CNET_AF_INET, &port), c = tc_connect(CNET_AF_INET, port), a;
        if (cnet_accept(l, false, &a, NULL, 0) == CNET_OK)
            cnet_close(a);
        cnet_close(c);
        cnet_close(l);
        cnet_socket_handle refused;
        (void)cnet_create_native_socket_int(12345, SOCK_STREAM, 0, false, &refused);
    }
    if (waiter != CNET_INVALID_SOCKET) {
        size_t ready = 1;
        (void)cnet_select_read(&waiter, &ready, 0);
    }
    /* Wine releases some handles of closed sockets a moment later: count
     * until two readings 50 ms apart agree (at most about a second). */
    int last = -1;
    for (int round = 0; round < 20; round++) {
        int handles = 0;
        DWORD flags;
        for (uintptr_t h = 4; h < (1u << 16); h += 4)
            handles += GetHandleInformation((HANDLE)h, &flags) != 0;
        if (handles == last)
            break;
        last = handles;
        Sleep(50);
    }
    return last;
#endif
    int n = 0;
    DIR *d = opendir("/proc/self/fd");
    if (d == NULL)
        return -1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n - 1; /* the directory stream itself */
}

/* A host name that no resolver can know and that glibc rejects before
 * sending any query (a label longer than 63 characters): unknown-host tests
 * never send DNS traffic off this machine. */
#define TC_UNKNOWN_HOST "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.invalid"

/*
 * The first byte of a page that cannot be read or written, right after one
 * that can (made once per process): memory placed so that it ends there
 * crashes on the first byte read or written past it. *page_size gets the
 * page size.
 */
static inline unsigned char *tc_guard_page(size_t *page_size)
{
    static unsigned char *guard;
    static size_t size;
    if (guard == NULL) {
#if defined(_WIN32)
        SYSTEM_INFO si;
        GetSystemInfo(&si);
        size = si.dwPageSize;
        DWORD old;
        unsigned char *map = VirtualAlloc(NULL, 2 * size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
        cr_assert_neq(map, NULL, "VirtualAlloc failed");
        cr_assert(VirtualProtect(map + size, size, PAGE_NOACCESS, &old), "VirtualProtect failed");
#else
        size = (size_t)sysconf(_SC_PAGESIZE);
        unsigned char *map = mmap(NULL, 2 * size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        cr_assert_neq(map, MAP_FAILED, "mmap failed");
        cr_assert_eq(mprotect(map + size, size, PROT_NONE), 0, "mprotect failed");
#endif
        guard = map + size;
    }
    *page_size = size;
    return guard;
}

#endif
