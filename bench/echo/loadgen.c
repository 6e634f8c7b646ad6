/*
 * loadgen - the load generator of the echo benchmark (bench/echo.sh).
 *
 *   loadgen PORT CONNS SIZE [WARMUP_S [SECONDS [SERVER_PID]]]
 *       Opens CONNS connections to 127.0.0.1:PORT and keeps exactly one
 *       message of SIZE bytes in flight on each: send SIZE bytes, wait until
 *       SIZE bytes came back, compare them with what was sent, send the next.
 *       Runs WARMUP_S seconds (default 0.3) unmeasured, then counts the
 *       messages completed during SECONDS (default 2), then lets every
 *       message in flight come back (verified too) and closes. Prints one
 *       line:  conns=N size=S msgs=M seconds=T msgs_per_s=R failures=F
 *       With SERVER_PID it adds server_ns_per_msg=C: the CPU time all of
 *       that process's threads ran during the measured seconds (from
 *       /proc/PID/task/TID/schedstat, nanoseconds) per message, and
 *       loadgen_ns_per_msg, its own.
 *   loadgen PORT --idle N [HOLD_S]
 *       Opens N connections, echoes one byte on each (so the server has set
 *       the connection up), prints "ready N" and keeps them open, idle, for
 *       HOLD_S seconds (default 60) or until killed.
 *   loadgen PORT --probe [TIMEOUT_S]
 *       Retries connecting until one byte is echoed (default 5 s): exit 0
 *       once the server serves.
 *   loadgen --free-port
 *       Prints a TCP port that was free on 127.0.0.1 a moment ago.
 *   loadgen --tls PORT ...
 *       Any of the above over TLS (built with -DWITH_TLS and OpenSSL): each
 *       connection completes a TLS handshake (no certificate check: the
 *       servers are ours) before its first message; the bytes compared are
 *       the decrypted ones. Non-blocking SSL on the same epoll set.
 *
 * One thread, one level-triggered epoll set. Connections are opened in
 * batches of BATCH: a batch's connections each complete one echo before the
 * next batch starts, so the server's accept queue never holds more than
 * BATCH connections whatever its listen backlog (a full queue makes Linux
 * drop SYNs, which costs a one-second retransmit). RLIMIT_NOFILE is raised
 * to its hard limit first.
 *
 * Every message's bytes depend on the connection and its sequence number,
 * so a byte that is lost, duplicated, reordered or delivered to the wrong
 * connection fails the comparison. Exit status: 0 when every echo matched;
 * 1 on any mismatch, refused or reset connection, a stall (no echo for
 * STALL_S seconds), a drain that does not finish, or a timeout; 2 on usage
 * errors.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <dirent.h>
#ifdef WITH_TLS
#include <openssl/err.h>
#include <openssl/ssl.h>
#endif

#define BATCH 64
#define STALL_S 5.0
#define CONNECT_S 10.0 /* for one batch */
#define MAX_EVENTS 1024

enum state { ST_CONNECTING, ST_HANDSHAKE, ST_IDLE, ST_BUSY, ST_CLOSED };

struct conn {
    int fd;
    enum state st;
    uint32_t seq;     /* sequence number of the message in flight */
    uint32_t sent;    /* bytes of it sent */
    uint32_t got;     /* bytes of it received back */
    int want_out;     /* EPOLLOUT registered */
    void *ssl;        /* --tls: the connection's SSL */
};

static struct conn *conns;
static int nconns, msg_size, ep;
static unsigned char *pattern; /* msg_size + 256 bytes */
static unsigned char *scratch;
static uint64_t completed;     /* messages echoed and verified */
static int failures;
static int running;            /* start a new message when one completes */
static double last_progress;
static int quiet;              /* --probe: refusals are expected */
static int use_tls;            /* --tls */
#ifdef WITH_TLS
static SSL_CTX *tls_ctx;
#endif

static void conn_close(int c);

/* send / recv of the connection, plain or TLS: like send(2) and recv(2),
 * -1 with errno EAGAIN while TLS waits for the socket. */
static ssize_t io_send(int c, const void *p, size_t n)
{
#ifdef WITH_TLS
    if (use_tls) {
        size_t w = 0;
        if (SSL_write_ex(conns[c].ssl, p, n, &w) == 1)
            return (ssize_t)w;
        int e = SSL_get_error(conns[c].ssl, 0);
        errno = e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ ? EAGAIN : EIO;
        return -1;
    }
#endif
    return send(conns[c].fd, p, n, MSG_NOSIGNAL);
}

static ssize_t io_recv(int c, void *p, size_t n)
{
#ifdef WITH_TLS
    if (use_tls) {
        size_t r = 0;
        if (SSL_read_ex(conns[c].ssl, p, n, &r) == 1)
            return (ssize_t)r;
        int e = SSL_get_error(conns[c].ssl, 0);
        if (e == SSL_ERROR_ZERO_RETURN)
            return 0;
        errno = e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ ? EAGAIN : EIO;
        return -1;
    }
#endif
    return recv(conns[c].fd, p, n, 0);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of every thread of process pid in ns, or -1. */
static double task_cpu_ns(int pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", pid);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    double sum = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char p2[320];
        snprintf(p2, sizeof p2, "/proc/%d/task/%s/schedstat", pid, e->d_name);
        FILE *f = fopen(p2, "r");
        unsigned long long ns;
        if (f && fscanf(f, "%llu", &ns) == 1)
            sum += (double)ns;
        if (f)
            fclose(f);
    }
    closedir(d);
    return sum;
}

static double self_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void raise_nofile(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

/* The bytes message (c, seq) must carry: a window into the pattern. */
static const unsigned char *expected(int c, uint32_t seq)
{
    return pattern + (((uint32_t)c * 131u + seq * 29u) & 255u);
}

static void fail(int c, const char *what)
{
    if (failures < 10 && !quiet)
        fprintf(stderr, "loadgen: connection %d: %s%s%s\n", c, what,
                errno ? ": " : "", errno ? strerror(errno) : "");
    failures++;
    conn_close(c);
}

static void conn_close(int c)
{
    if (conns[c].st != ST_CLOSED) {
#ifdef WITH_TLS
        SSL_free(conns[c].ssl);
        conns[c].ssl = NULL;
        ERR_clear_error();
#endif
        close(conns[c].fd);
        conns[c].st = ST_CLOSED;
    }
}

static void set_out(int c, int on)
{
    struct epoll_event ev = { .events = EPOLLIN | (on ? EPOLLOUT : 0), .data.u32 = (uint32_t)c };
    if (conns[c].want_out == on)
        return;
    conns[c].want_out = on;
    epoll_ctl(ep, EPOLL_CTL_MOD, conns[c].fd, &ev);
}

/* Sends what is left of the message in flight; EPOLLOUT while some is. */
static void pump_send(int c)
{
    struct conn *k = &conns[c];
    const unsigned char *msg = expected(c, k->seq);
    while (k->sent < (uint32_t)msg_size) {
        ssize_t n = io_send(c, msg + k->sent, (size_t)msg_size - k->sent);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            if (errno == EINTR)
                continue;
            fail(c, "send");
            return;
        }
        k->sent += (uint32_t)n;
    }
    set_out(c, k->sent < (uint32_t)msg_size);
}

static void start_message(int c)
{
    conns[c].st = ST_BUSY;
    conns[c].sent = conns[c].got = 0;
    pump_send(c);
}

static void on_readable(int c)
{
    struct conn *k = &conns[c];
    if (k->st != ST_BUSY) {
        /* Nothing is in flight: any byte, or an end of stream, is wrong. */
        ssize_t n = io_recv(c, scratch, 1);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        errno = n < 0 ? errno : 0;
        fail(c, n > 0 ? "bytes arrived that were never sent" : n == 0 ? "closed by the server" : "recv");
        return;
    }
    ssize_t n = io_recv(c, scratch, (size_t)msg_size - k->got);
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR)
            return;
        fail(c, "recv");
        return;
    }
    if (n == 0) {
        errno = 0;
        fail(c, "closed by the server with a message in flight");
        return;
    }
    if (k->got + (uint32_t)n > k->sent || memcmp(scratch, expected(c, k->seq) + k->got, (size_t)n) != 0) {
        errno = 0;
        fail(c, "echoed bytes differ from the bytes sent");
        return;
    }
    k->got += (uint32_t)n;
    if (k->got < (uint32_t)msg_size) {
        if (use_tls)
            on_readable(c); /* OpenSSL may hold the rest: level triggering would not say so */
        return;
    }
    completed++;
    k->seq++;
    if (running)
        start_message(c);
    else
        k->st = ST_IDLE;
}

#ifdef WITH_TLS
static void handshake(int c)
{
    int r = SSL_do_handshake(conns[c].ssl);
    if (r == 1) {
        start_message(c);
        return;
    }
    int e = SSL_get_error(conns[c].ssl, r);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
        set_out(c, e == SSL_ERROR_WANT_WRITE);
        return;
    }
    errno = 0;
    fail(c, "TLS handshake");
}
#endif

static void on_connected(int c)
{
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(conns[c].fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
        errno = err;
        fail(c, "connect");
        return;
    }
#ifdef WITH_TLS
    if (use_tls) {
        SSL *ssl = SSL_new(tls_ctx);
        if (!ssl || SSL_set_fd(ssl, conns[c].fd) != 1) {
            SSL_free(ssl);
            errno = 0;
            fail(c, "SSL_new");
            return;
        }
        SSL_set_connect_state(ssl);
        conns[c].ssl = ssl;
        conns[c].st = ST_HANDSHAKE;
        handshake(c);
        return;
    }
#endif
    start_message(c); /* the first echo proves the server accepted it */
}

static int open_conn(int c, const struct sockaddr_in *sa)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        fprintf(stderr, "loadgen: socket %d: %s\n", c, strerror(errno));
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    conns[c] = (struct conn){ .fd = fd, .st = ST_CONNECTING, .want_out = 1 };
    struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT, .data.u32 = (uint32_t)c };
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    if (connect(fd, (const struct sockaddr *)sa, sizeof *sa) != 0 && errno != EINPROGRESS) {
        fail(c, "connect");
        return 0;
    }
    return 0;
}

/* One epoll round: dispatches events; false on an epoll error. */
static int poll_once(int timeout_ms)
{
    struct epoll_event evs[MAX_EVENTS];
    int n = epoll_wait(ep, evs, MAX_EVENTS, timeout_ms);
    if (n < 0) {
        if (errno == EINTR)
            return 1;
        fprintf(stderr, "loadgen: epoll_wait: %s\n", strerror(errno));
        return 0;
    }
    uint64_t before = completed;
    for (int i = 0; i < n; i++) {
        int c = (int)evs[i].data.u32;
        struct conn *k = &conns[c];
        if (k->st == ST_CLOSED)
            continue;
        if (k->st == ST_CONNECTING) {
            if (evs[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
                on_connected(c);
            continue;
        }
#ifdef WITH_TLS
        if (k->st == ST_HANDSHAKE) {
            handshake(c);
            continue;
        }
#endif
        if ((evs[i].events & EPOLLOUT) && k->st == ST_BUSY)
            pump_send(c);
        if (k->st != ST_CLOSED && (evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)))
            on_readable(c);
    }
    if (completed != before)
        last_progress = now_s();
    return 1;
}

static int count_state(enum state st)
{
    int n = 0;
    for (int c = 0; c < nconns; c++)
        n += conns[c].st == st;
    return n;
}

/* Opens every connection, BATCH at a time, each finishing its first echo. */
static int establish(const struct sockaddr_in *sa)
{
    for (int first = 0; first < nconns; first += BATCH) {
        int last = first + BATCH < nconns ? first + BATCH : nconns;
        for (int c = first; c < last; c++)
            if (open_conn(c, sa) != 0)
                return -1;
        double deadline = now_s() + CONNECT_S;
        for (;;) {
            int pending = 0;
            for (int c = first; c < last; c++)
                pending += conns[c].st == ST_CONNECTING || conns[c].st == ST_HANDSHAKE || conns[c].st == ST_BUSY;
            if (pending == 0)
                break;
            if (failures)
                return -1;
            if (now_s() > deadline) {
                fprintf(stderr, "loadgen: timeout: %d of connections %d..%d not echoing after %.0f s\n",
                        pending, first, last - 1, CONNECT_S);
                failures++;
                return -1;
            }
            if (!poll_once(100))
                return -1;
        }
    }
    return failures ? -1 : 0;
}

static int parse_port(const char *s)
{
    char *end;
    long p = strtol(s, &end, 10);
    return *end == 0 && p > 0 && p < 65536 ? (int)p : -1;
}

static void setup(int n, int size)
{
    nconns = n;
    msg_size = size;
    conns = calloc((size_t)n, sizeof *conns);
    pattern = malloc((size_t)size + 256);
    scratch = malloc((size_t)size + 1);
    if (!conns || !pattern || !scratch) {
        fprintf(stderr, "loadgen: out of memory\n");
        exit(1);
    }
    /* A byte pattern with no short period (xorshift). */
    uint32_t x = 2463534242u;
    for (int i = 0; i < size + 256; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        pattern[i] = (unsigned char)(x >> 11);
    }
    ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) {
        perror("loadgen: epoll_create1");
        exit(1);
    }
}

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof sa;
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
        perror("loadgen: free port");
        return 1;
    }
    printf("%d\n", ntohs(sa.sin_port));
    close(fd);
    return 0;
}

static int probe(const struct sockaddr_in *sa, double timeout_s)
{
    double deadline = now_s() + timeout_s;
    setup(1, 1);
    quiet = 1;
    for (;;) {
        failures = 0;
        if (establish(sa) == 0)
            return 0;
        conn_close(0);
        if (now_s() > deadline) {
            fprintf(stderr, "loadgen: no echo server on port %d after %.1f s\n", ntohs(sa->sin_port), timeout_s);
            return 1;
        }
        usleep(20000);
    }
}

static int idle(const struct sockaddr_in *sa, int n, double hold_s)
{
    setup(n, 1);
    if (establish(sa) != 0) {
        fprintf(stderr, "loadgen: idle: %d of %d connections failed\n", failures, n);
        return 1;
    }
    printf("ready %d\n", n);
    fflush(stdout);
    double end = now_s() + hold_s;
    while (now_s() < end && failures == 0)
        if (!poll_once(200))
            return 1;
    return failures != 0;
}

static int throughput(const struct sockaddr_in *sa, int n, int size, double warmup_s, double seconds,
                      int server_pid)
{
    setup(n, size);
    if (establish(sa) != 0) {
        fprintf(stderr, "loadgen: %d failures while connecting\n", failures);
        printf("conns=%d size=%d msgs=0 seconds=0 msgs_per_s=0 failures=%d\n", n, size, failures);
        return 1;
    }
    running = 1;
    for (int c = 0; c < nconns; c++)
        start_message(c);
    double t = now_s(), t_start = t + warmup_s, t_end = t_start + seconds;
    double t0 = 0, t1 = 0, s0 = 0, s1 = 0, l0 = 0, l1 = 0;
    uint64_t c0 = 0, c1 = 0;
    int measuring = 0;
    last_progress = t;
    while (failures == 0) {
        if (!poll_once(100))
            break;
        t = now_s();
        if (!measuring && t >= t_start) {
            measuring = 1;
            t0 = t;
            c0 = completed;
            s0 = server_pid > 0 ? task_cpu_ns(server_pid) : 0;
            l0 = self_cpu_ns();
        }
        if (measuring && t >= t_end) {
            t1 = t;
            c1 = completed;
            s1 = server_pid > 0 ? task_cpu_ns(server_pid) : 0;
            l1 = self_cpu_ns();
            break;
        }
        if (t - last_progress > STALL_S) {
            fprintf(stderr, "loadgen: stall: no echo for %.0f s (%d messages in flight)\n", STALL_S,
                    count_state(ST_BUSY));
            failures++;
        }
    }
    if (!measuring && failures == 0)
        fprintf(stderr, "loadgen: stopped before the measured seconds began\n");
    if (measuring && t1 == 0) { /* stopped early by a failure */
        t1 = now_s();
        c1 = completed;
        s1 = server_pid > 0 ? task_cpu_ns(server_pid) : 0;
        l1 = self_cpu_ns();
    }
    /* Drain: every message in flight must still come back intact. */
    running = 0;
    double deadline = now_s() + STALL_S;
    while (failures == 0 && count_state(ST_BUSY) > 0) {
        if (now_s() > deadline) {
            fprintf(stderr, "loadgen: timeout: %d messages never came back\n", count_state(ST_BUSY));
            failures++;
            break;
        }
        if (!poll_once(100))
            break;
    }
    for (int c = 0; c < nconns; c++)
        conn_close(c);
    double secs = t1 - t0, msgs = (double)(c1 - c0);
    printf("conns=%d size=%d msgs=%llu seconds=%.3f msgs_per_s=%.0f failures=%d", n, size,
           (unsigned long long)(c1 - c0), secs, secs > 0 ? msgs / secs : 0.0, failures);
    if (server_pid > 0 && msgs > 0 && s0 >= 0 && s1 >= 0)
        printf(" server_ns_per_msg=%.0f loadgen_ns_per_msg=%.0f", (s1 - s0) / msgs, (l1 - l0) / msgs);
    printf("\n");
    return failures != 0 || secs <= 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: loadgen PORT CONNS SIZE [WARMUP_S [SECONDS [SERVER_PID]]]\n"
                    "       loadgen PORT --idle N [HOLD_S]\n"
                    "       loadgen PORT --probe [TIMEOUT_S]\n"
                    "       loadgen --free-port\n"
                    "       loadgen --tls PORT ... (any of the above over TLS)\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--free-port") == 0)
        return free_port();
    if (argc > 1 && strcmp(argv[1], "--tls") == 0) {
#ifdef WITH_TLS
        use_tls = 1;
        tls_ctx = SSL_CTX_new(TLS_client_method());
        if (!tls_ctx)
            return 1;
        SSL_CTX_set_verify(tls_ctx, SSL_VERIFY_NONE, NULL);
        SSL_CTX_set_mode(tls_ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
        argv++;
        argc--;
#else
        fprintf(stderr, "loadgen: built without TLS (-DWITH_TLS)\n");
        return 2;
#endif
    }
    if (argc < 3)
        return usage();
    int port = parse_port(argv[1]);
    if (port < 0)
        return usage();
    raise_nofile();
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (strcmp(argv[2], "--probe") == 0)
        return probe(&sa, argc > 3 ? atof(argv[3]) : 5.0);
    if (strcmp(argv[2], "--idle") == 0) {
        int n = argc > 3 ? atoi(argv[3]) : 0;
        return n > 0 ? idle(&sa, n, argc > 4 ? atof(argv[4]) : 60.0) : usage();
    }
    if (argc < 4)
        return usage();
    int n = atoi(argv[2]), size = atoi(argv[3]);
    if (n <= 0 || size <= 0 || size > (1 << 24))
        return usage();
    return throughput(&sa, n, size, argc > 4 ? atof(argv[4]) : 0.3, argc > 5 ? atof(argv[5]) : 2.0,
                      argc > 6 ? atoi(argv[6]) : 0);
}
