/*
 * Throughput of cnet's buffered socket (readLine, bulk send/recv, ping-pong)
 * against plain C socket code doing the same job, measured in the same run.
 *
 * Every measurement is two processes (fork) joined by a loopback TCP
 * connection. By default both are pinned to ONE CPU: on this VM a wakeup
 * that crosses vCPUs costs 40-100 us and makes unpinned figures bimodal
 * (see reliability-checklist.md part B). A second, smaller pass pins the
 * two processes to different CPUs. Each figure is the median of several
 * runs; raw and cnet runs alternate so drift hits both alike.
 *
 *   readline  10M lines of 64 bytes ("...\r\n", 640 MB) from a plain sender.
 *             raw:  recv() into a 4000-byte buffer + memchr('\n') + copy of
 *                   the line into a line buffer (the "raw memchr reader").
 *             cnet: cnet_socket_read_line on a buffered cnet_socket.
 *   bulk      1 GiB in 64 KiB pieces.
 *             raw:  blocking send() / recv().
 *             cnet: cnet_socket_send / cnet_socket_recv_some (and, as an
 *                   extra row, cnet_socket_recv, which fills all 64 KiB).
 *   pingpong  200k round trips of 64 bytes, TCP_NODELAY on both ends.
 *             raw:  send() + recv() loop; cnet: cnet_socket_send +
 *                   cnet_socket_recv(64) on both ends.
 *
 * Extra (informational, no target) rows: the same cnet calls with a
 * per-socket deadline (cnet_socket_set_timeout), which switches the posix
 * backend to MSG_DONTWAIT + poll, cnet_socket_recv_line (one malloc per
 * line) and, in an io_uring build (CNET_BENCH_URING, set by bench/run.sh),
 * ping-pong, bulk and the memchr reader on a bare io_uring loop without
 * cnet: the io_uring ceilings. An io_uring build ends its same-CPU passes
 * with the ring's cost per operation when nothing waits (ring_op_cost).
 *
 * The same-CPU pass runs once per TCP congestion control listed in BENCH_CC
 * (default: the machine's, then cubic, Linux's default, when the machine's
 * is another). On this VM the sysctl says bbr, which paces loopback: bulk
 * moves a third of cubic's bytes per second and each byte costs the kernel
 * about four times the CPU, which dilutes the library's cost per call.
 * Under cubic the receiver is CPU-bound and that cost shows in full. Both
 * passes are judged against the targets.
 *
 * Only the public API is used for the cnet side (cnet_socket_from_handle on
 * a connected descriptor), so the program runs unchanged on any backend.
 *
 * Every load is bounded: counts are fixed, each run has a wall-clock limit
 * (BENCH_RUN_TIMEOUT seconds, SIGALRM in both processes plus SO_RCVTIMEO /
 * SO_SNDTIMEO on both sockets) and everything stays on 127.0.0.1.
 *
 * Usage: bench_net [quick] [same|cross] [readline] [bulk] [pingpong] [noextra]
 * Environment (all optional):
 *   BENCH_REPS=5            runs per variant (median reported)
 *   BENCH_SCALE=1.0         multiplies every count (quick = 0.1)
 *   BENCH_LINES=10000000    lines per readline run
 *   BENCH_BULK_MB=1024      MiB per bulk run
 *   BENCH_PINGS=200000      round trips per same-CPU ping-pong run
 *   BENCH_PINGS_CROSS=20000 round trips per cross-CPU ping-pong run
 *   BENCH_CROSS=1           0 skips the cross-CPU pass
 *   BENCH_EXTRA=1           0 skips the informational rows
 *   BENCH_CPU=<n>           CPU for the same-CPU pass (default: first allowed)
 *   BENCH_CPU2=<n>          second CPU for the cross pass (default: next allowed)
 *   BENCH_CC=system,cubic   the same-CPU passes' congestion controls (system = the machine's)
 *   BENCH_RUN_TIMEOUT=60    seconds allowed for one run
 *   BENCH_VERBOSE=0         1 prints every run
 *   BENCH_STRICT=0          1 exits with status 1 when a same-CPU ratio misses its target
 *
 * Each result also shows the spread, the median of the per-repetition
 * cnet/raw ratios (a drift check) and the receiver's CPU time per unit
 * (CLOCK_THREAD_CPUTIME_ID around the measured loop, kernel time included),
 * which separates the library's own cost from the scheduling of two
 * processes on one CPU.
 *
 * Build: see bench/run.sh (release library with LTO in build-bench/, then
 *   gcc -O2 -flto -std=c11 -D_GNU_SOURCE -Igenerated/include bench/bench_net.c \
 *       build-bench/libcnet.a -lpthread -o build-bench/bench_net
 * and -luring as well for an io_uring build).
 */
#define _GNU_SOURCE 1

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#ifdef CNET_BENCH_URING
#include <liburing.h>
#endif
#include <time.h>
#include <unistd.h>

#include <cnet/cnet.h>

#define LINE_BYTES 64             /* on the wire, "\r\n" included */
#define LINE_TEXT (LINE_BYTES - 2) /* what a reader returns */
#define RAW_LINE_BUF 4000         /* the raw reader's recv buffer, as cnet's */
#define LINE_CAP 1024             /* both readers' line buffers */
#define BULK_CHUNK 65536
#define PING_SIZE 64
#define DEADLINE_MS 30000         /* the per-socket deadline of the *-deadline rows */
/* Every I/O and line buffer starts on a cache line, raw and cnet alike, so
 * no line straddles a page by accident of the link: a 1024-byte line buffer
 * that happened to start 32 bytes before a page boundary made the raw memchr
 * reader 1.7 times slower (each 63-byte copy a page-split store). */
#define BUF_ALIGN _Alignas(64)

/* ------------------------------------------------------------ config */

typedef struct {
    int reps;
    double scale;
    long lines;
    long long bulk_bytes;
    long pings, pings_cross;
    bool cross, same, extra, verbose;
    bool do_readline, do_bulk, do_pingpong;
    int cpu, cpu2;
    int run_timeout;
    const char *cc;      /* TCP congestion control of this pass's connections; NULL: the machine's */
    char cc_list[128];   /* BENCH_CC: the passes */
    char system_cc[32];  /* the machine's default (net.ipv4.tcp_congestion_control) */
} config;

static config cfg;

static long env_long(const char *name, long def)
{
    const char *v = getenv(name);
    if (v == NULL || *v == '\0')
        return def;
    char *end;
    long x = strtol(v, &end, 10);
    if (*end != '\0' || x < 0) {
        fprintf(stderr, "bench_net: %s=%s is not a non-negative integer\n", name, v);
        exit(2);
    }
    return x;
}

static double env_double(const char *name, double def)
{
    const char *v = getenv(name);
    if (v == NULL || *v == '\0')
        return def;
    char *end;
    double x = strtod(v, &end);
    if (*end != '\0' || !(x > 0)) {
        fprintf(stderr, "bench_net: %s=%s is not a positive number\n", name, v);
        exit(2);
    }
    return x;
}

static long scaled(long n, double scale, long min)
{
    double x = (double)n * scale;
    return x < (double)min ? min : (long)x;
}

/* ------------------------------------------------------------ helpers */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_net: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void die_cnet(const char *what, cnet_err err)
{
    fprintf(stderr, "bench_net: %s: %s (%s)\n", what, cnet_err_name(err), cnet_last_error_message());
    exit(1);
}

static void pin_to(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0)
        die("sched_setaffinity");
}

static void set_io_timeouts(int fd)
{
    struct timeval tv = {.tv_sec = cfg.run_timeout, .tv_usec = 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

/* The congestion control of a connection: the pass's (see BENCH_CC) on
 * both ends, set before connect/listen so the handshake already uses it. */
static void set_cc(int fd)
{
    if (cfg.cc == NULL)
        return;
    if (setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, cfg.cc, (socklen_t)strlen(cfg.cc)) != 0) {
        fprintf(stderr, "bench_net: TCP_CONGESTION %s: %s (BENCH_CC=system keeps the default)\n", cfg.cc,
                strerror(errno));
        exit(1);
    }
}

/* One send or recv: the bytes moved, or -errno. */
typedef ssize_t (*io_once_fn)(int fd, void *data, size_t size, bool receive);

static ssize_t raw_once(int fd, void *data, size_t size, bool receive)
{
    ssize_t n = receive ? recv(fd, data, size, 0) : send(fd, data, size, MSG_NOSIGNAL);
    return n < 0 ? -errno : n;
}

/* Move all `size` bytes, retrying after EINTR: 1 when done, 0 at end of
 * stream, -1 on error. Always inlined, so `once` is a direct call. */
static inline __attribute__((always_inline)) int transfer_all(int fd, void *data, size_t size, bool receive,
                                                              io_once_fn once)
{
    char *p = data;
    while (size > 0) {
        ssize_t n = once(fd, p, size, receive);
        if (n == -EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            return 0;
        p += n;
        size -= (size_t)n;
    }
    return 1;
}

static int raw_send_all(int fd, const void *data, size_t size)
{
    return transfer_all(fd, (void *)data, size, false, raw_once) == 1 ? 0 : -1;
}

/* 1 when size bytes arrived, 0 at end of stream, -1 on error. */
static int raw_recv_all(int fd, void *data, size_t size)
{
    return transfer_all(fd, data, size, true, raw_once);
}

static cnet_socket *wrap(int fd)
{
    cnet_socket *s;
    cnet_err err = cnet_socket_from_handle(fd, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, &s);
    if (err != CNET_OK)
        die_cnet("cnet_socket_from_handle", err);
    return s;
}

static void raw_nodelay(int fd)
{
    int one = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0)
        die("setsockopt(TCP_NODELAY)");
}

static void cnet_nodelay(cnet_socket *s)
{
    cnet_err err = cnet_socket_set_sock_opt(s, CNET_OPT_NO_DELAY, true, CNET_OPT_LEVEL_AUTO);
    if (err != CNET_OK)
        die_cnet("cnet_socket_set_sock_opt(NO_DELAY)", err);
}

static void cnet_deadline(cnet_socket *s)
{
    cnet_err err = cnet_socket_set_timeout(s, DEADLINE_MS);
    if (err != CNET_OK)
        die_cnet("cnet_socket_set_timeout", err);
}

/* The measuring side sends one byte when its clock runs; the streaming side
 * waits for it, so no data piles up before the clock starts. */
static void go_send(int fd)
{
    if (raw_send_all(fd, "G", 1) != 0)
        die("send(go)");
}

static void go_wait(int fd)
{
    char c;
    if (raw_recv_all(fd, &c, 1) != 1)
        die("recv(go)");
}

/* ------------------------------------------------------------ readline */

/* 1024 distinct 64-byte lines; line i of the stream is pattern line i%1024. */
#define PATTERN_LINES 1024
static char *line_pattern;

static char line_first(long i) { return (char)('A' + i % 26); }
static char line_last(long i) { return (char)('a' + (i / 26) % 26); }

static void build_line_pattern(void)
{
    line_pattern = malloc((size_t)PATTERN_LINES * LINE_BYTES);
    if (line_pattern == NULL)
        die("malloc");
    for (long i = 0; i < PATTERN_LINES; i++) {
        char *l = line_pattern + i * LINE_BYTES;
        for (int k = 0; k < LINE_TEXT; k++)
            l[k] = (char)('0' + (i * 7 + k) % 10);
        l[0] = line_first(i);
        l[LINE_TEXT - 1] = line_last(i);
        l[LINE_TEXT] = '\r';
        l[LINE_TEXT + 1] = '\n';
    }
}

static uint64_t expected_line_sum(long lines)
{
    uint64_t sum = 0;
    for (long i = 0; i < lines; i++) {
        long p = i % PATTERN_LINES;
        sum += (unsigned char)line_first(p) * 256u + (unsigned char)line_last(p);
    }
    return sum;
}

typedef struct {
    long lines;
    uint64_t bytes;
    uint64_t sum;
} line_stats;

/* What both readers do with a line: count it and look at both ends. */
static inline void consume_line(line_stats *st, const char *line, size_t len)
{
    st->lines++;
    st->bytes += len;
    if (len > 0)
        st->sum += (unsigned char)line[0] * 256u + (unsigned char)line[len - 1];
}

static int child_line_sender(int fd, int variant)
{
    (void)variant;
    go_wait(fd);
    long left = cfg.lines;
    while (left > 0) {
        long k = left < PATTERN_LINES ? left : PATTERN_LINES;
        if (raw_send_all(fd, line_pattern, (size_t)k * LINE_BYTES) != 0)
            return 1;
        left -= k;
    }
    return 0;
}

static int check_lines(const line_stats *st)
{
    static uint64_t want_sum;
    static long want_for = -1;
    if (want_for != cfg.lines) {
        want_sum = expected_line_sum(cfg.lines);
        want_for = cfg.lines;
    }
    if (st->lines != cfg.lines || st->bytes != (uint64_t)cfg.lines * LINE_TEXT || st->sum != want_sum) {
        fprintf(stderr, "bench_net: readline: got %ld lines / %llu bytes / sum %llu, want %ld / %llu / %llu\n",
                st->lines, (unsigned long long)st->bytes, (unsigned long long)st->sum, cfg.lines,
                (unsigned long long)cfg.lines * LINE_TEXT, (unsigned long long)want_sum);
        return -1;
    }
    return 0;
}

/* The raw memchr reader, receiving with `once` (always inlined: a direct
 * call, recv for the baseline). */
static inline __attribute__((always_inline)) void memchr_reader(int fd, io_once_fn once, double *units)
{
    static BUF_ALIGN char buf[RAW_LINE_BUF];
    static BUF_ALIGN char line[LINE_CAP];
    size_t ll = 0;
    line_stats st = {0};
    go_send(fd);
    for (;;) {
        ssize_t n = once(fd, buf, sizeof buf, true);
        if (n < 0) {
            if (n == -EINTR)
                continue;
            errno = (int)-n;
            die("recv(lines)");
        }
        if (n == 0)
            break;
        const char *p = buf, *end = buf + n;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t k = (size_t)((nl ? nl : end) - p);
            if (ll + k >= LINE_CAP) {
                fprintf(stderr, "bench_net: readline: line too long\n");
                exit(1);
            }
            memcpy(line + ll, p, k);
            ll += k;
            if (nl == NULL)
                break;
            if (ll > 0 && line[ll - 1] == '\r')
                ll--;
            line[ll] = '\0';
            consume_line(&st, line, ll);
            ll = 0;
            p = nl + 1;
        }
    }
    if (ll > 0)
        consume_line(&st, line, ll);
    if (check_lines(&st) != 0)
        exit(1);
    *units = (double)st.lines;
}

static int parent_lines_raw(int fd, int variant, double *units)
{
    (void)variant;
    memchr_reader(fd, raw_once, units);
    return 0;
}

enum { V_PLAIN = 0, V_DEADLINE = 1, V_RECV_LINE = 2, V_RECV_EXACT = 3 };

static int parent_lines_cnet(int fd, int variant, double *units)
{
    static BUF_ALIGN char line[LINE_CAP];
    line_stats st = {0};
    cnet_socket *s = wrap(fd);
    if (variant == V_DEADLINE)
        cnet_deadline(s);
    go_send(fd);
    for (;;) {
        size_t len;
        cnet_read_line_result res;
        cnet_err err;
        if (variant == V_RECV_LINE) {
            char *p = NULL;
            err = cnet_socket_recv_line(s, -1, CNET_FLAGS_DEFAULT, LINE_CAP - 1, &p, &len, &res);
            if (err == CNET_OK && res == CNET_READ_FULL_LINE)
                consume_line(&st, p, len);
            free(p);
        } else {
            err = cnet_socket_read_line(s, line, sizeof line, &len, &res, -1, CNET_FLAGS_DEFAULT);
            if (err == CNET_OK && res == CNET_READ_FULL_LINE)
                consume_line(&st, line, len);
        }
        if (err != CNET_OK)
            die_cnet("cnet_socket_read_line", err);
        if (res == CNET_READ_DISCONNECTED)
            break;
        if (res != CNET_READ_FULL_LINE) {
            fprintf(stderr, "bench_net: readline: unexpected result %d\n", (int)res);
            exit(1);
        }
    }
    cnet_socket_free(s);
    if (check_lines(&st) != 0)
        exit(1);
    *units = (double)st.lines;
    return 1; /* the socket owns (and closed) fd */
}

/* ------------------------------------------------------------ bulk */

static int child_bulk_raw(int fd, int variant)
{
    (void)variant;
    static BUF_ALIGN char buf[BULK_CHUNK];
    memset(buf, 'x', sizeof buf);
    go_wait(fd);
    long long left = cfg.bulk_bytes;
    while (left > 0) {
        size_t k = left < BULK_CHUNK ? (size_t)left : BULK_CHUNK;
        if (raw_send_all(fd, buf, k) != 0)
            return 1;
        left -= (long long)k;
    }
    return 0;
}

static int child_bulk_cnet(int fd, int variant)
{
    static BUF_ALIGN char buf[BULK_CHUNK];
    memset(buf, 'x', sizeof buf);
    cnet_socket *s = wrap(fd);
    if (variant == V_DEADLINE)
        cnet_deadline(s);
    go_wait(fd);
    long long left = cfg.bulk_bytes;
    while (left > 0) {
        size_t k = left < BULK_CHUNK ? (size_t)left : BULK_CHUNK, sent;
        cnet_err err = cnet_socket_send(s, buf, k, CNET_FLAGS_DEFAULT, &sent);
        if (err != CNET_OK || sent != k)
            return 1;
        left -= (long long)k;
    }
    cnet_socket_free(s);
    return 0;
}

static void check_bulk(long long got)
{
    if (got != cfg.bulk_bytes) {
        fprintf(stderr, "bench_net: bulk: got %lld bytes, want %lld\n", got, cfg.bulk_bytes);
        exit(1);
    }
}

static int parent_bulk_raw(int fd, int variant, double *units)
{
    (void)variant;
    static BUF_ALIGN char buf[BULK_CHUNK];
    long long got = 0;
    go_send(fd);
    for (;;) {
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            die("recv(bulk)");
        }
        if (n == 0)
            break;
        got += n;
    }
    check_bulk(got);
    *units = (double)got;
    return 0;
}

static int parent_bulk_cnet(int fd, int variant, double *units)
{
    static BUF_ALIGN char buf[BULK_CHUNK];
    long long got = 0;
    cnet_socket *s = wrap(fd);
    if (variant == V_DEADLINE)
        cnet_deadline(s);
    go_send(fd);
    for (;;) {
        size_t n;
        cnet_err err = variant == V_RECV_EXACT
                           ? cnet_socket_recv(s, buf, sizeof buf, -1, CNET_FLAGS_DEFAULT, &n)
                           : cnet_socket_recv_some(s, buf, sizeof buf, -1, CNET_FLAGS_DEFAULT, &n);
        if (err != CNET_OK)
            die_cnet("cnet_socket_recv", err);
        if (n == 0)
            break;
        got += (long long)n;
        if (variant == V_RECV_EXACT && n < sizeof buf)
            break; /* a short count means the peer closed */
    }
    cnet_socket_free(s);
    check_bulk(got);
    *units = (double)got;
    return 1;
}

/* ------------------------------------------------------------ ping-pong */

static long cur_pings;

/* Moves all `size` bytes: 1 when done, 0 at end of stream, -1 on error. */
typedef int (*transfer_fn)(int fd, void *data, size_t size, bool receive);

static int raw_transfer(int fd, void *data, size_t size, bool receive)
{
    if (receive)
        return raw_recv_all(fd, data, size);
    return raw_send_all(fd, data, size) == 0 ? 1 : -1;
}

/* The two ends of a ping-pong over plain C calls (raw send/recv, or a bare
 * io_uring loop). Always inlined, so each caller's transfer is a direct call. */
static inline __attribute__((always_inline)) int echo_loop(int fd, transfer_fn transfer)
{
    BUF_ALIGN char msg[PING_SIZE];
    raw_nodelay(fd);
    for (;;) {
        int r = transfer(fd, msg, sizeof msg, true);
        if (r == 0)
            return 0;
        if (r < 0 || transfer(fd, msg, sizeof msg, false) != 1)
            return 1;
    }
}

static inline __attribute__((always_inline)) void ping_loop(int fd, transfer_fn transfer, double *units)
{
    BUF_ALIGN char msg[PING_SIZE];
    BUF_ALIGN char back[PING_SIZE];
    memset(msg, 'p', sizeof msg);
    raw_nodelay(fd);
    for (long i = 0; i < cur_pings; i++) {
        msg[0] = (char)i;
        if (transfer(fd, msg, sizeof msg, false) != 1)
            die("send(ping)");
        if (transfer(fd, back, sizeof back, true) != 1)
            die("recv(pong)");
        if (back[0] != msg[0]) {
            fprintf(stderr, "bench_net: pingpong: wrong echo\n");
            exit(1);
        }
    }
    *units = (double)cur_pings;
}

static int child_echo_raw(int fd, int variant)
{
    (void)variant;
    return echo_loop(fd, raw_transfer);
}

static int child_echo_cnet(int fd, int variant)
{
    BUF_ALIGN char msg[PING_SIZE];
    cnet_socket *s = wrap(fd);
    cnet_nodelay(s);
    if (variant == V_DEADLINE)
        cnet_deadline(s);
    for (;;) {
        size_t n;
        cnet_err err = cnet_socket_recv(s, msg, sizeof msg, -1, CNET_FLAGS_DEFAULT, &n);
        if (err != CNET_OK)
            return 1;
        if (n == 0)
            break;
        if (n != sizeof msg)
            return 1;
        err = cnet_socket_send(s, msg, sizeof msg, CNET_FLAGS_DEFAULT, &n);
        if (err != CNET_OK || n != sizeof msg)
            return 1;
    }
    cnet_socket_free(s);
    return 0;
}

static int parent_ping_raw(int fd, int variant, double *units)
{
    (void)variant;
    ping_loop(fd, raw_transfer, units);
    return 0;
}

static int parent_ping_cnet(int fd, int variant, double *units)
{
    BUF_ALIGN char msg[PING_SIZE];
    BUF_ALIGN char back[PING_SIZE];
    memset(msg, 'p', sizeof msg);
    cnet_socket *s = wrap(fd);
    cnet_nodelay(s);
    if (variant == V_DEADLINE)
        cnet_deadline(s);
    for (long i = 0; i < cur_pings; i++) {
        size_t n;
        msg[0] = (char)i;
        cnet_err err = cnet_socket_send(s, msg, sizeof msg, CNET_FLAGS_DEFAULT, &n);
        if (err != CNET_OK || n != sizeof msg)
            die_cnet("cnet_socket_send(ping)", err);
        err = cnet_socket_recv(s, back, sizeof back, -1, CNET_FLAGS_DEFAULT, &n);
        if (err != CNET_OK || n != sizeof back)
            die_cnet("cnet_socket_recv(pong)", err);
        if (back[0] != msg[0]) {
            fprintf(stderr, "bench_net: pingpong: wrong echo\n");
            exit(1);
        }
    }
    cnet_socket_free(s);
    *units = (double)cur_pings;
    return 1;
}

#ifdef CNET_BENCH_URING
/*
 * The same ping-pong on a bare io_uring loop, no library: one submission and
 * one wait per send or recv (io_uring_submit_and_wait), on a ring set up
 * like cnet's (SINGLE_ISSUER | DEFER_TASKRUN, registered ring fd). Its ratio
 * to raw send/recv is the ceiling of a blocking call served by io_uring on
 * this machine, measured in the same run as cnet's.
 */
static struct io_uring bench_ring;

static void bench_ring_init(void)
{
    struct io_uring_params p;
    memset(&p, 0, sizeof p);
    p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
    if (io_uring_queue_init_params(8, &bench_ring, &p) < 0) {
        memset(&p, 0, sizeof p);
        if (io_uring_queue_init_params(8, &bench_ring, &p) < 0)
            die("io_uring_queue_init_params");
    }
    io_uring_register_ring_fd(&bench_ring);
}

/* One send or recv through the ring (an io_once_fn): its result, or -errno. */
static ssize_t bench_ring_op(int fd, void *data, size_t size, bool receive)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(&bench_ring);
    if (receive)
        io_uring_prep_recv(sqe, fd, data, size, 0);
    else
        io_uring_prep_send(sqe, fd, data, size, MSG_NOSIGNAL);
    int rc;
    do
        rc = io_uring_submit_and_wait(&bench_ring, 1);
    while (rc == -EINTR);
    struct io_uring_cqe *cqe;
    do
        rc = io_uring_wait_cqe(&bench_ring, &cqe);
    while (rc == -EINTR);
    if (rc < 0)
        return rc;
    int res = cqe->res;
    io_uring_cqe_seen(&bench_ring, cqe);
    return res;
}

/* A transfer_fn over the ring. */
static int ring_transfer_all(int fd, void *data, size_t size, bool receive)
{
    return transfer_all(fd, data, size, receive, bench_ring_op);
}

static int child_echo_uring(int fd, int variant)
{
    (void)variant;
    bench_ring_init();
    return echo_loop(fd, ring_transfer_all);
}

static int parent_ping_uring(int fd, int variant, double *units)
{
    (void)variant;
    bench_ring_init();
    ping_loop(fd, ring_transfer_all, units);
    io_uring_queue_exit(&bench_ring);
    return 0;
}

/* Bulk on the bare ring, both ends: one send or recv of 64 KiB per
 * submission (the sender's sends until the whole piece is out). */
static int child_bulk_uring(int fd, int variant)
{
    (void)variant;
    static BUF_ALIGN char buf[BULK_CHUNK];
    memset(buf, 'x', sizeof buf);
    bench_ring_init();
    go_wait(fd);
    long long left = cfg.bulk_bytes;
    while (left > 0) {
        size_t k = left < BULK_CHUNK ? (size_t)left : BULK_CHUNK;
        if (ring_transfer_all(fd, buf, k, false) != 1)
            return 1;
        left -= (long long)k;
    }
    io_uring_queue_exit(&bench_ring);
    return 0;
}

static int parent_bulk_uring(int fd, int variant, double *units)
{
    (void)variant;
    static BUF_ALIGN char buf[BULK_CHUNK];
    bench_ring_init();
    long long got = 0;
    go_send(fd);
    for (;;) {
        ssize_t n = bench_ring_op(fd, buf, sizeof buf, true);
        if (n < 0) {
            errno = (int)-n;
            die("io_uring recv(bulk)");
        }
        if (n == 0)
            break;
        got += n;
    }
    io_uring_queue_exit(&bench_ring);
    check_bulk(got);
    *units = (double)got;
    return 0;
}

/* The raw memchr reader over the bare ring: one recv submission per refill. */
static int parent_lines_uring(int fd, int variant, double *units)
{
    (void)variant;
    bench_ring_init();
    memchr_reader(fd, bench_ring_op, units);
    io_uring_queue_exit(&bench_ring);
    return 0;
}
#endif

/* ------------------------------------------------------------ one run */

typedef struct {
    const char *name;
    int (*child)(int fd, int variant);
    /* Runs the measured loop between the two clock reads; returns 1 when it
     * has closed fd itself. */
    int (*parent)(int fd, int variant, double *units);
    int variant;
} variant_def;

typedef struct {
    double wall, cpu, units;
} run_result;

static volatile pid_t current_child = -1;

static void on_alarm(int sig)
{
    (void)sig;
    static const char msg[] = "bench_net: a run exceeded BENCH_RUN_TIMEOUT; giving up\n";
    if (current_child > 0)
        kill(current_child, SIGKILL);
    ssize_t w = write(2, msg, sizeof msg - 1);
    (void)w;
    _exit(3);
}

static int loopback_listener(uint16_t *port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        die("socket");
    set_cc(fd); /* an accepted connection inherits it */
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 4) != 0)
        die("bind/listen 127.0.0.1");
    socklen_t len = sizeof sa;
    if (getsockname(fd, (struct sockaddr *)&sa, &len) != 0)
        die("getsockname");
    *port = ntohs(sa.sin_port);
    return fd;
}

static run_result run_once(const variant_def *v, int parent_cpu, int child_cpu)
{
    uint16_t port;
    int lfd = loopback_listener(&port);
    pin_to(parent_cpu);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        /* The streaming / echoing side. */
        signal(SIGALRM, SIG_DFL);
        alarm((unsigned)cfg.run_timeout + 5);
        close(lfd);
        pin_to(child_cpu);
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            die("socket");
        set_cc(fd);
        struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
            die("connect 127.0.0.1");
        set_io_timeouts(fd);
        int rc = v->child(fd, v->variant);
        _exit(rc);
    }
    current_child = pid;
    alarm((unsigned)cfg.run_timeout);
    struct pollfd p = {.fd = lfd, .events = POLLIN};
    if (poll(&p, 1, cfg.run_timeout * 1000) != 1)
        die("accept: no connection");
    int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0)
        die("accept");
    close(lfd);
    set_io_timeouts(fd);

    run_result r = {0};
    double c0 = cpu_s(), t0 = now_s();
    int owned = v->parent(fd, v->variant, &r.units);
    double t1 = now_s(), c1 = cpu_s();
    r.wall = t1 - t0;
    r.cpu = c1 - c0;
    if (owned == 0)
        close(fd);

    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            die("waitpid");
    }
    alarm(0);
    current_child = -1;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench_net: %s: the peer process failed (status 0x%x)\n", v->name, status);
        exit(1);
    }
    return r;
}

/* ------------------------------------------------------------ statistics */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

typedef struct {
    double rate_med, rate_min, rate_max; /* units per second */
    double cpu_med;                       /* receiver CPU seconds per unit */
} summary;

/* ------------------------------------------------------------ a test */

#define MAX_EXTRAS 4
#define MAX_ROWS (2 + MAX_EXTRAS)

typedef struct {
    const char *name;
    const char *unit;     /* "M lines/s" ... */
    double unit_div;      /* rate / unit_div = shown number */
    const char *cpu_unit; /* "ns/line" ... */
    double cpu_mul;       /* cpu seconds per unit * cpu_mul = shown number */
    double target;
    variant_def base, cnet;
    variant_def extras[MAX_EXTRAS];
    int n_extras;
    int ceiling; /* 1 + index in extras of the bare io_uring row, 0 without one */
} test_def;

#define MAX_REPS 64

static bool any_below; /* a same-CPU ratio missed its target */

/* Judge a ratio as printed (2 decimals), so "0.95 (target 0.95)" passes. */
static bool misses(double ratio, double target)
{
    return (double)(long)(ratio * 100 + 0.5) < target * 100 - 1e-9;
}

static void run_test(const test_def *t, const char *placement, int pcpu, int ccpu, bool with_extras,
                     bool judge)
{
    int nv = 2 + (with_extras ? t->n_extras : 0);
    const variant_def *vs[MAX_ROWS] = {&t->base, &t->cnet};
    for (int i = 0; i < t->n_extras; i++)
        vs[2 + i] = &t->extras[i];
    static double rate[MAX_ROWS][MAX_REPS], cpu[MAX_ROWS][MAX_REPS];
    int reps = cfg.reps;
    for (int rep = 0; rep < reps; rep++) {
        for (int k = 0; k < nv; k++) {
            /* Alternate the order so drift does not favour one side. */
            int i = rep % 2 ? nv - 1 - k : k;
            run_result r = run_once(vs[i], pcpu, ccpu);
            rate[i][rep] = r.units / r.wall;
            cpu[i][rep] = r.cpu / r.units;
            if (cfg.verbose)
                fprintf(stderr, "  [%s %s run %d] %-22s %10.3f %s  rx cpu %.2f %s  (%.3f s)\n", t->name,
                        placement, rep + 1, vs[i]->name, rate[i][rep] / t->unit_div, t->unit,
                        cpu[i][rep] * t->cpu_mul, t->cpu_unit, r.wall);
        }
    }
    summary s[MAX_ROWS] = {{0}};
    for (int i = 0; i < nv; i++) {
        double tmp[MAX_REPS];
        memcpy(tmp, rate[i], sizeof(double) * (size_t)reps);
        s[i].rate_med = median(tmp, reps);
        s[i].rate_min = tmp[0];
        s[i].rate_max = tmp[reps - 1];
        memcpy(tmp, cpu[i], sizeof(double) * (size_t)reps);
        s[i].cpu_med = median(tmp, reps);
    }
    double ratio = s[1].rate_med / s[0].rate_med;
    bool below = misses(ratio, t->target);
    /* The ratio of each raw/cnet pair of the same repetition, as a drift check. */
    double paired[MAX_REPS];
    for (int rep = 0; rep < reps; rep++)
        paired[rep] = rate[1][rep] / rate[0][rep];
    double paired_med = median(paired, reps);
    if (judge && below)
        any_below = true;
    const char *verdict = !judge ? "  (informational: cross-vCPU placement is noisy)" : below ? "  BELOW TARGET" : "";
    printf("%s: raw %.3g %s, cnet %.3g %s, ratio %.2f (target %.2f)%s  [%s, median of %d]\n", t->name,
           s[0].rate_med / t->unit_div, t->unit, s[1].rate_med / t->unit_div, t->unit, ratio, t->target, verdict,
           placement, reps);
    printf("    spread: raw %.3g-%.3g, cnet %.3g-%.3g %s; paired ratio median %.2f (%.2f-%.2f)\n",
           s[0].rate_min / t->unit_div, s[0].rate_max / t->unit_div, s[1].rate_min / t->unit_div,
           s[1].rate_max / t->unit_div, t->unit, paired_med, paired[0], paired[reps - 1]);
    printf("    receiver CPU: raw %.3g, cnet %.3g %s (cnet/raw %.2f)\n", s[0].cpu_med * t->cpu_mul,
           s[1].cpu_med * t->cpu_mul, t->cpu_unit, s[1].cpu_med / s[0].cpu_med);
    for (int i = 2; i < nv; i++)
        printf("    extra %-26s %.3g %s, ratio %.2f vs raw (spread %.3g-%.3g); receiver CPU %.3g %s\n",
               vs[i]->name, s[i].rate_med / t->unit_div, t->unit, s[i].rate_med / s[0].rate_med,
               s[i].rate_min / t->unit_div, s[i].rate_max / t->unit_div, s[i].cpu_med * t->cpu_mul,
               t->cpu_unit);
    int c = t->ceiling > 0 ? 1 + t->ceiling : 0; /* the bare row's index in vs[] */
    if (c > 1 && c < nv) {
        /* What io_uring itself allows here: a target the bare loop misses
         * too is out of any io_uring library's reach in this run. */
        double bare = s[c].rate_med / s[0].rate_med;
        bool bare_below = misses(bare, t->target);
        printf("    cnet against the bare io_uring loop: %.2f%s\n", s[1].rate_med / s[c].rate_med,
               bare_below ? "; the bare loop misses the target too (io_uring's own kernel path)" : "");
    }
    fflush(stdout);
}

#ifdef CNET_BENCH_URING
/*
 * io_uring's own cost per operation, without waiting or scheduling: one
 * process sends 64 KiB to itself over loopback TCP and receives it, with
 * send(2)/recv(2) or with one of the two through the bare ring. Both
 * complete at once (the socket buffers hold the 64 KiB), so the difference
 * is the kernel's io_uring path for that operation (submission, preparation,
 * file lookup, completion) and nothing else. It explains the bulk ceiling:
 * a bulk transfer is these two operations, 64 KiB at a time.
 */
static double op_round(int tx, int rx, void *buf, int mode, long rounds)
{
    double t0 = now_s();
    for (long i = 0; i < rounds; i++) {
        ssize_t n = mode == 2 ? bench_ring_op(tx, buf, BULK_CHUNK, false) : send(tx, buf, BULK_CHUNK, MSG_NOSIGNAL);
        if (n != BULK_CHUNK) {
            fprintf(stderr, "bench_net: op cost: a send moved %zd bytes\n", n);
            exit(1);
        }
        for (size_t got = 0; got < BULK_CHUNK; got += (size_t)n) {
            n = mode == 1 ? bench_ring_op(rx, buf, BULK_CHUNK - got, true) : recv(rx, buf, BULK_CHUNK - got, 0);
            if (n <= 0) {
                fprintf(stderr, "bench_net: op cost: a receive returned %zd\n", n);
                exit(1);
            }
        }
    }
    return (now_s() - t0) / (double)rounds;
}

static void ring_op_cost(int cpu)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid > 0) {
        int status;
        waitpid(pid, &status, 0);
        return;
    }
    pin_to(cpu);
    alarm((unsigned)cfg.run_timeout);
    int l = socket(AF_INET, SOCK_STREAM, 0), tx = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    int big = 1 << 20;
    setsockopt(tx, SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
    setsockopt(l, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    if (l < 0 || tx < 0 || bind(l, (struct sockaddr *)&a, sizeof a) != 0 || listen(l, 1) != 0 ||
        getsockname(l, (struct sockaddr *)&a, &alen) != 0 || connect(tx, (struct sockaddr *)&a, sizeof a) != 0)
        die("op cost: loopback connection");
    int rx = accept(l, NULL, NULL);
    if (rx < 0)
        die("op cost: accept");
    set_io_timeouts(tx);
    set_io_timeouts(rx);
    bench_ring_init();
    static BUF_ALIGN char buf[BULK_CHUNK];
    long rounds = scaled(20000, cfg.scale, 500);
    double t[3][MAX_REPS];
    op_round(tx, rx, buf, 0, rounds / 10 + 1); /* warm up */
    for (int rep = 0; rep < cfg.reps; rep++)
        for (int k = 0; k < 3; k++) {
            int mode = rep % 2 ? 2 - k : k;
            t[mode][rep] = op_round(tx, rx, buf, mode, rounds);
        }
    double m[3];
    for (int k = 0; k < 3; k++)
        m[k] = median(t[k], cfg.reps);
    printf("\n== io_uring per operation, no waiting (one process, 64 KiB send + recv to itself on CPU %d, "
           "median of %d) ==\n", cpu, cfg.reps);
    printf("op cost: send(2) + recv(2) %.2f us; recv through the ring %+.2f us (ratio %.2f), send through the "
           "ring %+.2f us (ratio %.2f); both: ratio %.2f\n",
           m[0] * 1e6, (m[1] - m[0]) * 1e6, m[0] / m[1], (m[2] - m[0]) * 1e6, m[0] / m[2],
           m[0] / (m[1] + m[2] - m[0]));
    fflush(stdout);
    _exit(0);
}
#endif

/* ------------------------------------------------------------ main */

static int allowed_cpus(int *out, int max)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        die("sched_getaffinity");
    int n = 0;
    for (int c = 0; c < CPU_SETSIZE && n < max; c++)
        if (CPU_ISSET(c, &set))
            out[n++] = c;
    return n;
}

int main(int argc, char **argv)
{
    cfg.reps = (int)env_long("BENCH_REPS", 5);
    /* BENCH_CC: the congestion controls of the same-CPU passes (see the top). */
    const char *ccs = getenv("BENCH_CC");
    snprintf(cfg.cc_list, sizeof cfg.cc_list, "%s", ccs != NULL && *ccs != '\0' ? ccs : "system,cubic");
    snprintf(cfg.system_cc, sizeof cfg.system_cc, "%s", "unknown");
    FILE *ccf = fopen("/proc/sys/net/ipv4/tcp_congestion_control", "r");
    if (ccf != NULL) {
        if (fgets(cfg.system_cc, sizeof cfg.system_cc, ccf) != NULL)
            cfg.system_cc[strcspn(cfg.system_cc, "\n")] = '\0';
        fclose(ccf);
    }
    cfg.scale = env_double("BENCH_SCALE", 1.0);
    bool any_test = false, any_place = false;
    cfg.extra = env_long("BENCH_EXTRA", 1) != 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "quick") == 0)
            cfg.scale *= 0.1;
        else if (strcmp(a, "noextra") == 0)
            cfg.extra = false;
        else if (strcmp(a, "same") == 0)
            cfg.same = any_place = true;
        else if (strcmp(a, "cross") == 0)
            cfg.cross = any_place = true;
        else if (strcmp(a, "readline") == 0)
            cfg.do_readline = any_test = true;
        else if (strcmp(a, "bulk") == 0)
            cfg.do_bulk = any_test = true;
        else if (strcmp(a, "pingpong") == 0)
            cfg.do_pingpong = any_test = true;
        else {
            fprintf(stderr,
                    "usage: %s [quick] [same|cross] [readline] [bulk] [pingpong] [noextra]\n"
                    "(environment: see the comment at the top of bench/bench_net.c)\n",
                    argv[0]);
            return 2;
        }
    }
    if (!any_test)
        cfg.do_readline = cfg.do_bulk = cfg.do_pingpong = true;
    if (!any_place) {
        cfg.same = true;
        cfg.cross = env_long("BENCH_CROSS", 1) != 0;
    }
    if (cfg.reps < 1 || cfg.reps > MAX_REPS) {
        fprintf(stderr, "bench_net: BENCH_REPS must be 1..%d\n", MAX_REPS);
        return 2;
    }
    cfg.lines = scaled(env_long("BENCH_LINES", 10000000), cfg.scale, 1000);
    cfg.bulk_bytes = (long long)scaled(env_long("BENCH_BULK_MB", 1024), cfg.scale, 1) << 20;
    long pings = scaled(env_long("BENCH_PINGS", 200000), cfg.scale, 100);
    long pings_cross = scaled(env_long("BENCH_PINGS_CROSS", 20000), cfg.scale, 100);
    cfg.verbose = env_long("BENCH_VERBOSE", 0) != 0;
    cfg.run_timeout = (int)env_long("BENCH_RUN_TIMEOUT", 60);
    if (cfg.run_timeout < 1)
        cfg.run_timeout = 1;

    int cpus[2];
    int ncpu = allowed_cpus(cpus, 2);
    cfg.cpu = (int)env_long("BENCH_CPU", cpus[0]);
    cfg.cpu2 = (int)env_long("BENCH_CPU2", ncpu > 1 ? (cpus[1] == cfg.cpu ? cpus[0] : cpus[1]) : -1);
    if (cfg.cross && (cfg.cpu2 < 0 || cfg.cpu2 == cfg.cpu)) {
        fprintf(stderr, "bench_net: only one CPU available: skipping the cross-CPU pass\n");
        cfg.cross = false;
    }

    signal(SIGPIPE, SIG_IGN);
    signal(SIGALRM, on_alarm);
    build_line_pattern();

    printf("bench_net: cnet %s, backend %s (serving: %s); %d runs each, median; same-CPU pass on CPU %d",
           cnet_version(), cnet_backend_name(), cnet_backend_active(), cfg.reps, cfg.cpu);
    if (cfg.cross)
        printf(", cross pass: receiver CPU %d, sender CPU %d", cfg.cpu, cfg.cpu2);
    printf("\n  TCP congestion control of the same-CPU passes (BENCH_CC): %s; the machine's default: %s",
           cfg.cc_list, cfg.system_cc);
    printf("\n  readline %ld lines x %d B (%.0f MB), bulk %lld MiB in %d KiB pieces, pingpong %ld (cross %ld) x %d B\n",
           cfg.lines, LINE_BYTES, (double)cfg.lines * LINE_BYTES / 1e6, cfg.bulk_bytes >> 20, BULK_CHUNK / 1024,
           pings, pings_cross, PING_SIZE);
    fflush(stdout);

    test_def readline = {
        .name = "readline", .unit = "M lines/s", .unit_div = 1e6, .cpu_unit = "ns/line", .cpu_mul = 1e9,
        .target = 0.80,
        .base = {"raw memchr reader", child_line_sender, parent_lines_raw, V_PLAIN},
        .cnet = {"cnet_socket_read_line", child_line_sender, parent_lines_cnet, V_PLAIN},
        .extras = {{"read_line + deadline", child_line_sender, parent_lines_cnet, V_DEADLINE},
                   {"recv_line (malloc/line)", child_line_sender, parent_lines_cnet, V_RECV_LINE}},
        .n_extras = 2,
    };
#ifdef CNET_BENCH_URING
    readline.extras[readline.n_extras++] =
        (variant_def){"bare io_uring + memchr", child_line_sender, parent_lines_uring, V_PLAIN};
    readline.ceiling = readline.n_extras;
#endif
    test_def bulk = {
        .name = "bulk", .unit = "GB/s", .unit_div = 1e9, .cpu_unit = "ns/KiB", .cpu_mul = 1e9 * 1024,
        .target = 0.95,
        .base = {"raw send/recv", child_bulk_raw, parent_bulk_raw, V_PLAIN},
        .cnet = {"cnet send/recv_some", child_bulk_cnet, parent_bulk_cnet, V_PLAIN},
        .extras = {{"cnet send/recv (exact)", child_bulk_cnet, parent_bulk_cnet, V_RECV_EXACT},
                   {"send/recv_some + deadline", child_bulk_cnet, parent_bulk_cnet, V_DEADLINE}},
        .n_extras = 2,
    };
#ifdef CNET_BENCH_URING
    bulk.extras[bulk.n_extras++] = (variant_def){"bare io_uring loop", child_bulk_uring, parent_bulk_uring, V_PLAIN};
    bulk.ceiling = bulk.n_extras;
#endif
    /* The targets of the issues: io_uring ping-pong pays for a submission
     * and a completion per call, so its target is 0.85 (posix: 0.95). */
    bool uring = strcmp(cnet_backend_active(), "io_uring") == 0;
    test_def pingpong = {
        .name = "pingpong", .unit = "k RTT/s", .unit_div = 1e3, .cpu_unit = "us/RTT", .cpu_mul = 1e6,
        .target = uring ? 0.85 : 0.95,
        .base = {"raw send/recv", child_echo_raw, parent_ping_raw, V_PLAIN},
        .cnet = {"cnet send/recv", child_echo_cnet, parent_ping_cnet, V_PLAIN},
        .extras = {{"cnet send/recv + deadline", child_echo_cnet, parent_ping_cnet, V_DEADLINE},
#ifdef CNET_BENCH_URING
                   {"bare io_uring loop", child_echo_uring, parent_ping_uring, V_PLAIN},
#endif
        },
#ifdef CNET_BENCH_URING
        .n_extras = 2,
        .ceiling = 2,
#else
        .n_extras = 1,
#endif
    };

    double t0 = now_s();
    char passes[128], *save = NULL, seen[4][32] = {{0}};
    snprintf(passes, sizeof passes, "%s", cfg.cc_list);
    int n_seen = 0;
    for (char *cc = strtok_r(passes, ", ", &save); cfg.same && cc != NULL; cc = strtok_r(NULL, ", ", &save)) {
        /* "system" and the name of the machine's default are one pass. */
        const char *name = strcmp(cc, "system") == 0 ? cfg.system_cc : cc;
        bool dup = false;
        for (int i = 0; i < n_seen; i++)
            dup = dup || strcmp(seen[i], name) == 0;
        if (dup || n_seen == 4)
            continue;
        snprintf(seen[n_seen++], sizeof seen[0], "%s", name);
        cfg.cc = strcmp(name, cfg.system_cc) == 0 ? NULL : cc;
        printf("\n== same CPU (both processes on CPU %d), congestion control %s%s ==\n", cfg.cpu, name,
               cfg.cc == NULL ? " (the machine's default)" : "");
        char place[64];
        snprintf(place, sizeof place, "same CPU %d, %s", cfg.cpu, name);
        cur_pings = pings;
        if (cfg.do_readline)
            run_test(&readline, place, cfg.cpu, cfg.cpu, cfg.extra, true);
        if (cfg.do_bulk)
            run_test(&bulk, place, cfg.cpu, cfg.cpu, cfg.extra, true);
        if (cfg.do_pingpong)
            run_test(&pingpong, place, cfg.cpu, cfg.cpu, cfg.extra, true);
    }
#ifdef CNET_BENCH_URING
    if (cfg.same && cfg.do_bulk)
        ring_op_cost(cfg.cpu);
#endif
    cfg.cc = NULL; /* the cross pass: the machine's default */
    if (cfg.cross) {
        printf("\n== cross CPU (receiver/initiator on CPU %d, sender/echo on CPU %d) ==\n", cfg.cpu, cfg.cpu2);
        char place[32];
        snprintf(place, sizeof place, "cross CPU %d/%d", cfg.cpu, cfg.cpu2);
        cur_pings = pings_cross;
        if (cfg.do_readline)
            run_test(&readline, place, cfg.cpu, cfg.cpu2, false, false);
        if (cfg.do_bulk)
            run_test(&bulk, place, cfg.cpu, cfg.cpu2, false, false);
        if (cfg.do_pingpong)
            run_test(&pingpong, place, cfg.cpu, cfg.cpu2, false, false);
    }
    printf("\ntotal %.1f s\n", now_s() - t0);
    /* Noisy by nature: a missed target fails the run only when asked to. */
    return any_below && env_long("BENCH_STRICT", 0) != 0 ? 1 : 0;
}
