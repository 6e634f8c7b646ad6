/*
 * readline: lines of 64 bytes ("...\r\n") from a plain sender.
 *   raw:  recv() into a 4000-byte buffer + memchr('\n') + copy of the line
 *         into a line buffer (the "raw memchr reader").
 *   cnet: cnet_socket_read_line on a buffered cnet_socket.
 * Extra rows: read_line with a per-socket deadline, cnet_socket_recv_line
 * (one malloc per line) and, in an io_uring build, the memchr reader on the
 * bare io_uring loop (the ceiling).
 */
#include "families.h"
#include "harness.h"
#ifdef CNET_BENCH_URING
#include "harness_uring.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_TEXT (LINE_BYTES - 2) /* what a reader returns */
#define RAW_LINE_BUF 4000         /* the raw reader's recv buffer, as cnet's */
#define LINE_CAP 1024             /* both readers' line buffers */

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

#ifdef CNET_BENCH_URING
/* The raw memchr reader over the bare ring: one recv submission per refill. */
static int parent_lines_uring(int fd, int variant, double *units)
{
    (void)variant;
    bench_ring_init();
    memchr_reader(fd, bench_ring_op, units);
    return 0;
}
#endif

test_def readline_test(void)
{
    build_line_pattern();
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
    return readline;
}
