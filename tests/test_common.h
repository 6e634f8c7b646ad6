/* Helpers shared by the test suites. Loopback only, port 0 everywhere. */
#ifndef CNET_TEST_COMMON_H
#define CNET_TEST_COMMON_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cnet/cnet.h>

#if !defined(_WIN32)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#endif

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

/* How many descriptors this process has open. */
static inline int tc_open_fds(void)
{
    /* The io_uring backend opens its per-thread ring on first use: open it
     * now so it is not counted as a leak. */
    (void)cnet_backend_active();
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

#endif
