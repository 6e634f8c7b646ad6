/*
 * bench_net's harness: the configuration (arguments and BENCH_* knobs), the
 * I/O helpers both sides of a run use, one run (two processes joined by a
 * loopback TCP connection), one test (its repetitions, medians, report and
 * target judgement) and the passes (same CPU per congestion control, cross
 * CPU). The benchmark families (readline.c, bulk.c, pingpong.c, ring_cost.c)
 * use it and nothing else; bench_net.c ties them together.
 */
#ifndef CNET_BENCH_HARNESS_H
#define CNET_BENCH_HARNESS_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <cnet/cnet.h>

#include "common.h"

#define LINE_BYTES 64     /* a readline line on the wire, "\r\n" included */
#define BULK_CHUNK 65536  /* a bulk piece */
#define PING_SIZE 64      /* a ping-pong message */
#define DEADLINE_MS 30000 /* the per-socket deadline of the *-deadline rows */
#define MAX_REPS 64       /* BENCH_REPS at most */
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
    long pings_now;      /* round trips per ping-pong run in the pass being run */
    long conns;          /* connections per connect run */
    bool cross, same, extra, verbose;
    bool do_readline, do_bulk, do_pingpong, do_connect, do_nim;
    int cpu, cpu2;
    int run_timeout;
    const char *cc;      /* TCP congestion control of this pass's connections; NULL: the machine's */
    char cc_list[128];   /* BENCH_CC: the passes */
    char system_cc[32];  /* the machine's default (net.ipv4.tcp_congestion_control) */
} config;

extern config cfg;

long env_long(const char *name, long def);
long scaled(long n, double scale, long min);

/* Reads the arguments and the environment into cfg (exits with status 2
 * on a bad one), picks the CPUs and installs the signal handlers. */
void configure(int argc, char **argv);

/* ------------------------------------------------------------ helpers */

void die(const char *what);
void die_cnet(const char *what, cnet_err err);
void pin_to(int cpu);
/* SO_RCVTIMEO and SO_SNDTIMEO of BENCH_RUN_TIMEOUT seconds. */
void set_io_timeouts(int fd);

/* One send or recv: the bytes moved, or -errno. */
typedef ssize_t (*io_once_fn)(int fd, void *data, size_t size, bool receive);

/* The hot helpers below are static inline so that a family's loop calls
 * them directly, as plain C code would. */
static inline ssize_t raw_once(int fd, void *data, size_t size, bool receive)
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

static inline int raw_send_all(int fd, const void *data, size_t size)
{
    return transfer_all(fd, (void *)data, size, false, raw_once) == 1 ? 0 : -1;
}

/* 1 when size bytes arrived, 0 at end of stream, -1 on error. */
static inline int raw_recv_all(int fd, void *data, size_t size)
{
    return transfer_all(fd, data, size, true, raw_once);
}

/* A cnet socket on a connected descriptor (it owns fd from then on). */
cnet_socket *wrap(int fd);
void raw_nodelay(int fd);
void cnet_nodelay(cnet_socket *s);
/* The per-socket deadline (DEADLINE_MS) of the *-deadline rows. */
void cnet_deadline(cnet_socket *s);

/* The measuring side sends one byte when its clock runs; the streaming side
 * waits for it, so no data piles up before the clock starts. */
void go_send(int fd);
void go_wait(int fd);

/* ------------------------------------------------------------ tests */

/* What a variant's two ends do besides the plain calls. */
enum { V_PLAIN = 0, V_DEADLINE = 1, V_RECV_LINE = 2, V_RECV_EXACT = 3 };

typedef struct {
    const char *name;
    /* The streaming / echoing side, in the forked process: its exit status. */
    int (*child)(int fd, int variant);
    /* Runs the measured loop between the two clock reads; returns 1 when it
     * has closed fd itself. */
    int (*parent)(int fd, int variant, double *units);
    int variant;
} variant_def;

#define MAX_EXTRAS 4

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
    double ceiling_target; /* cnet / bare io_uring loop at least this (0: none) */
    bool both_cpu;         /* also report units per CPU-second of both processes (wait4 of the forked one)... */
    bool both_judged;      /* ...and judge it against `target` */
    const char *both_unit; /* "us/conn (both ends)" ... (cpu_mul applies) */
    int control;    /* 1 + index in extras of a control row (a repeat of another row), 0 without one */
    int control_of; /* the row it repeats: 0 the baseline, 1 + index in extras otherwise */
    int reps_factor; /* runs per row: BENCH_REPS times this (0: once; at most MAX_REPS) */
} test_def;

extern bool any_below; /* a same-CPU ratio missed its target */

/* The same-CPU passes, one per congestion control of BENCH_CC, each running
 * tests[0..n) with their extra rows, judged against the targets. */
void run_same_cpu_passes(const test_def *const *tests, int n);

/* The cross-CPU pass on the machine's congestion control: no extra rows,
 * informational. */
void run_cross_cpu_pass(const test_def *const *tests, int n);

#endif
