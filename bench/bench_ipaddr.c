/*
 * Nanoseconds per address for cnet's IP address parser and formatter,
 * against glibc's inet_pton and inet_ntop in the same run.
 *
 * Four workloads of 1,000,000 addresses each: parse IPv4, parse a mix of
 * IPv6 forms, format IPv4, format the same IPv6 mix. The IPv6 mix has equal
 * shares of global /64 addresses, "::n", "fe80::" link-local addresses,
 * IPv4-mapped "::ffff:a.b.c.d" and addresses with random runs of zero
 * groups; the parse time of each shape on its own follows, and IPv4 text
 * whose octets all have three digits (no branch mispredictions). Then
 * invalid text, which both parsers must reject: IPv4 with a leading zero,
 * with a part above 255, with three parts, with a port, host names, and
 * IPv6 with a bad group. Each workload runs several rounds and the fastest
 * round counts. Times are the thread's CPU time (CLOCK_THREAD_CPUTIME_ID),
 * so the time the scheduler gives to other programs on a shared machine
 * does not count.
 *
 * "fast" is the share of the texts that the IPv4 fast path (src/
 * ipv4_fast.c) accepts, whole or as the dotted tail of an IPv6 address:
 * those never reach the re2c lexer. A library without the fast path (an
 * older build, linked for comparison) shows "-".
 *
 * The program pins itself to CPU 0 (BENCH_CPU=N: another).
 *
 * Build and run (see `make bench`):
 *   cc -O2 -std=c11 -D_GNU_SOURCE -Igenerated/include bench/bench_ipaddr.c \
 *      bench/common.c build/libcnet.a -lpthread -o build/bench_ipaddr && build/bench_ipaddr
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cnet/cnet.h>

#include "common.h"

/* The fast path's internal entry point; weak, so that this program also
 * links with a library that has none. */
extern bool cnet__ipv4_fast_parse(const char *text, size_t len, uint8_t out[4]) __attribute__((weak));

/* -DCOUNT=... -DROUNDS=... make a short run, e.g. for valgrind --tool=callgrind
 * (instruction counts, free of the timing noise of a shared machine). */
#ifndef COUNT
#define COUNT 1000000
#endif
#ifndef ROUNDS
#define ROUNDS 7
#endif

/* -DCNET_BENCH_CALLGRIND: each measured loop zeroes callgrind's counters
 * before it and dumps them after it, one dump per loop, so that
 *   valgrind --tool=callgrind --collect-atstart=yes ./bench_ipaddr
 * gives the instructions per address of each row (summary / COUNT). */
#ifdef CNET_BENCH_CALLGRIND
#include <valgrind/callgrind.h>
#define MEASURE_START() CALLGRIND_ZERO_STATS
#define MEASURE_END() CALLGRIND_DUMP_STATS
#else
#define MEASURE_START() ((void)0)
#define MEASURE_END() ((void)0)
#endif
#define SLOT 48 /* bytes per text: INET6_ADDRSTRLEN rounded up */

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t next_random(void)
{
    /* xorshift64*: deterministic, so every run measures the same inputs. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1du;
}

/* One of the five IPv6 shapes of the mix (0-4). */
static void random_ipv6(size_t shape, uint8_t b[16])
{
    memset(b, 0, 16);
    switch (shape) {
    case 0: /* global unicast: 2001:db8:<random>/64 and a random interface id */
        b[0] = 0x20, b[1] = 0x01, b[2] = 0x0d, b[3] = 0xb8;
        for (int k = 4; k < 16; k++)
            b[k] = (uint8_t)next_random();
        break;
    case 1: /* ::n */
        b[14] = (uint8_t)(next_random() & 0x0f);
        b[15] = (uint8_t)next_random() | 1;
        break;
    case 2: /* fe80:: link-local with a random interface id */
        b[0] = 0xfe, b[1] = 0x80;
        for (int k = 8; k < 16; k++)
            b[k] = (uint8_t)next_random();
        break;
    case 3: /* ::ffff:a.b.c.d */
        b[10] = b[11] = 0xff;
        for (int k = 12; k < 16; k++)
            b[k] = (uint8_t)next_random();
        break;
    default: { /* random groups, each zero with probability 1/2 */
        uint64_t r = next_random();
        for (int g = 0; g < 8; g++) {
            if (r >> g & 1) {
                b[2 * g] = (uint8_t)(r >> (8 + g));
                b[2 * g + 1] = (uint8_t)(r >> (16 + 2 * g)) | 1;
            }
        }
        break;
    }
    }
}

struct workload {
    char *text;       /* COUNT slots of SLOT bytes, NUL-terminated */
    size_t *len;      /* strlen of each text */
    uint8_t (*bin)[16];
};

static void free_workload(struct workload *w)
{
    free(w->text);
    free(w->len);
    free(w->bin);
}

/* COUNT addresses of a family; for IPv6, of one shape or (shape -1) the mix;
 * for IPv4, random octets (shape -1) or octets of three digits only. */
static void make_workload(struct workload *w, int family, int shape)
{
    w->text = malloc((size_t)COUNT * SLOT);
    w->len = malloc(COUNT * sizeof *w->len);
    w->bin = malloc(COUNT * sizeof *w->bin);
    if (w->text == NULL || w->len == NULL || w->bin == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < COUNT; i++) {
        char *t = w->text + i * SLOT;
        if (family == AF_INET) {
            uint32_t v = (uint32_t)next_random();
            memset(w->bin[i], 0, 16);
            memcpy(w->bin[i], &v, 4);
            if (shape >= 0) /* every octet 100-255: three digits each */
                for (int k = 0; k < 4; k++)
                    w->bin[i][k] = (uint8_t)(100 + w->bin[i][k] % 156);
        } else {
            random_ipv6(shape < 0 ? i % 5 : (size_t)shape, w->bin[i]);
        }
        /* The texts come from glibc, so the parsers read the same input. */
        if (inet_ntop(family, w->bin[i], t, SLOT) == NULL) {
            fprintf(stderr, "inet_ntop failed\n");
            exit(1);
        }
        w->len[i] = strlen(t);
    }
}

/* Invalid IPv4 or IPv6 text of one kind (0-5), from a random address. */
static void invalid_text(int kind, char *t)
{
    uint64_t r = next_random();
    unsigned a = (unsigned)r & 255, b = (unsigned)(r >> 8) & 255, c = (unsigned)(r >> 16) & 255;
    unsigned d = (unsigned)(r >> 24) & 255;
    switch (kind) {
    case 0: /* a leading zero in a random part */
        switch ((r >> 32) & 3) {
        case 0: snprintf(t, SLOT, "0%u.%u.%u.%u", a, b, c, d); break;
        case 1: snprintf(t, SLOT, "%u.0%u.%u.%u", a, b, c, d); break;
        case 2: snprintf(t, SLOT, "%u.%u.0%u.%u", a, b, c, d); break;
        default: snprintf(t, SLOT, "%u.%u.%u.0%u", a, b, c, d); break;
        }
        break;
    case 1: /* a part of 256-999 */
        snprintf(t, SLOT, "%u.%u.%u.%u", a, b, c, 256 + (unsigned)(r >> 32) % 744);
        break;
    case 2: /* three parts */
        snprintf(t, SLOT, "%u.%u.%u", a, b, c);
        break;
    case 3: /* a port after the address */
        snprintf(t, SLOT, "%u.%u.%u.%u:%u", a, b, c, d, (unsigned)(r >> 32) & 0xffff);
        break;
    case 4: { /* a host name */
        static const char *const names[] = {"localhost", "www.example.com", "mail.example.org", "db-1.internal",
                                            "api.v2.service.local"};
        snprintf(t, SLOT, "%s", names[(r >> 32) % 5]);
        break;
    }
    default: /* IPv6 with a non-hex group */
        snprintf(t, SLOT, "2001:db8:%x::%xg:%x", a, b, c);
        break;
    }
}

static void make_invalid(struct workload *w, int kind)
{
    w->text = malloc((size_t)COUNT * SLOT);
    w->len = malloc(COUNT * sizeof *w->len);
    w->bin = NULL;
    if (w->text == NULL || w->len == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < COUNT; i++) {
        invalid_text(kind, w->text + i * SLOT);
        w->len[i] = strlen(w->text + i * SLOT);
    }
}

/* The share of the texts the fast path accepts (whole, or the dotted tail
 * after the last ':'), or -1 without a fast path. */
static double fast_share(const struct workload *w)
{
    if (cnet__ipv4_fast_parse == NULL)
        return -1;
    size_t hits = 0;
    for (size_t i = 0; i < COUNT; i++) {
        const char *t = w->text + i * SLOT;
        const char *colon = strrchr(t, ':');
        uint8_t q[4];
        if (colon != NULL)
            hits += strchr(colon, '.') != NULL &&
                    cnet__ipv4_fast_parse(colon + 1, w->len[i] - (size_t)(colon + 1 - t), q);
        else
            hits += cnet__ipv4_fast_parse(t, w->len[i], q);
    }
    return (double)hits / COUNT;
}

static volatile unsigned sink;

/* valid: every text must parse (else every text must be rejected). */
static double bench_parse_cnet(const struct workload *w, bool valid)
{
    double best = 1e30;
    for (int r = 0; r < ROUNDS; r++) {
        unsigned sum = 0;
        MEASURE_START();
        double t0 = cpu_s();
        for (size_t i = 0; i < COUNT; i++) {
            cnet_ip_address a;
            if ((cnet_parse_ip_address(w->text + i * SLOT, w->len[i], &a) == CNET_OK) != valid) {
                fprintf(stderr, "cnet %s %s: %s\n", valid ? "rejected" : "accepted", w->text + i * SLOT,
                        cnet_last_error_message());
                exit(1);
            }
            sum += valid ? a.address[3] + a.address[15] : (unsigned)cnet_last_error();
        }
        double t = (cpu_s() - t0) * 1e9 / COUNT;
        MEASURE_END();
        sink += sum;
        if (t < best)
            best = t;
    }
    return best;
}

static double bench_parse_glibc(const struct workload *w, int family, bool valid)
{
    double best = 1e30;
    for (int r = 0; r < ROUNDS; r++) {
        unsigned sum = 0;
        MEASURE_START();
        double t0 = cpu_s();
        for (size_t i = 0; i < COUNT; i++) {
            uint8_t b[16] = {0};
            if ((inet_pton(family, w->text + i * SLOT, b) == 1) != valid) {
                fprintf(stderr, "inet_pton %s %s\n", valid ? "rejected" : "accepted", w->text + i * SLOT);
                exit(1);
            }
            sum += b[3] + b[15];
        }
        double t = (cpu_s() - t0) * 1e9 / COUNT;
        MEASURE_END();
        sink += sum;
        if (t < best)
            best = t;
    }
    return best;
}

static double bench_format_cnet(const struct workload *w, cnet_ip_address_family family)
{
    cnet_ip_address *in = malloc(COUNT * sizeof *in);
    for (size_t i = 0; i < COUNT; i++) {
        in[i].family = family;
        memcpy(in[i].address, w->bin[i], 16);
    }
    double best = 1e30;
    for (int r = 0; r < ROUNDS; r++) {
        unsigned sum = 0;
        MEASURE_START();
        double t0 = cpu_s();
        for (size_t i = 0; i < COUNT; i++) {
            char buf[CNET_IP_ADDRESS_STRLEN];
            size_t n;
            if (cnet_ip_address_to_string(&in[i], buf, sizeof buf, &n) != CNET_OK)
                exit(1);
            sum += (unsigned)n + (unsigned char)buf[n - 1];
        }
        double t = (cpu_s() - t0) * 1e9 / COUNT;
        MEASURE_END();
        sink += sum;
        if (t < best)
            best = t;
    }
    free(in);
    return best;
}

static double bench_format_glibc(const struct workload *w, int family)
{
    double best = 1e30;
    for (int r = 0; r < ROUNDS; r++) {
        unsigned sum = 0;
        MEASURE_START();
        double t0 = cpu_s();
        for (size_t i = 0; i < COUNT; i++) {
            char buf[INET6_ADDRSTRLEN];
            if (inet_ntop(family, w->bin[i], buf, sizeof buf) == NULL)
                exit(1);
            sum += (unsigned char)buf[0];
        }
        double t = (cpu_s() - t0) * 1e9 / COUNT;
        MEASURE_END();
        sink += sum;
        if (t < best)
            best = t;
    }
    return best;
}

static void report(const char *what, double cnet, double glibc, double fast)
{
    char share[16] = "     -";
    if (fast >= 0)
        snprintf(share, sizeof share, "%5.1f%%", 100 * fast);
    printf("%-30s cnet %6.1f ns   glibc %6.1f ns   glibc/cnet %5.2fx   fast %s\n", what, cnet, glibc,
           glibc / cnet, share);
}

int main(void)
{
    /* On CPU 0, as `taskset -c 0` would (BENCH_CPU=N picks another). */
    const char *cpu = getenv("BENCH_CPU");
    if (!pin_cpu(cpu != NULL ? atoi(cpu) : 0))
        fprintf(stderr, "bench_ipaddr: cannot pin to a CPU; running unpinned\n");
    struct workload v4, v6;
    make_workload(&v4, AF_INET, -1);
    make_workload(&v6, AF_INET6, -1);
    printf("cnet %s: %d addresses per workload, best of %d rounds (thread CPU time)\n", cnet_version(), COUNT,
           ROUNDS);
    report("parse IPv4", bench_parse_cnet(&v4, true), bench_parse_glibc(&v4, AF_INET, true), fast_share(&v4));
    report("parse IPv6 (mixed)", bench_parse_cnet(&v6, true), bench_parse_glibc(&v6, AF_INET6, true),
           fast_share(&v6));
    report("format IPv4", bench_format_cnet(&v4, CNET_IPV4), bench_format_glibc(&v4, AF_INET), -1);
    report("format IPv6 (mixed)", bench_format_cnet(&v6, CNET_IPV6), bench_format_glibc(&v6, AF_INET6), -1);
    free_workload(&v4);
    free_workload(&v6);

    /* IPv4 with every octet three digits long: the same work without the
     * branch mispredictions that random octet lengths cost a byte-at-a-time
     * DFA (re2c's output). */
    {
        struct workload fixed;
        make_workload(&fixed, AF_INET, 0);
        report("  parse IPv4 ddd.ddd.ddd.ddd", bench_parse_cnet(&fixed, true),
               bench_parse_glibc(&fixed, AF_INET, true), fast_share(&fixed));
        free_workload(&fixed);
    }

    /* The IPv6 mix by shape, each shape a workload of its own. */
    static const char *shapes[] = {"global /64", "::n", "fe80::", "::ffff:a.b.c.d", "zero runs"};
    for (int k = 0; k < 5; k++) {
        struct workload one;
        char what[64];
        make_workload(&one, AF_INET6, k);
        snprintf(what, sizeof what, "  parse %s", shapes[k]);
        report(what, bench_parse_cnet(&one, true), bench_parse_glibc(&one, AF_INET6, true), fast_share(&one));
        free_workload(&one);
    }

    /* Invalid text: cnet names the problem (code and message), glibc says 0. */
    static const char *invalid[] = {"leading zero", "part > 255", "three parts", "a.b.c.d:port", "host name",
                                    "IPv6 bad group"};
    for (int k = 0; k < 6; k++) {
        struct workload bad;
        char what[64];
        make_invalid(&bad, k);
        snprintf(what, sizeof what, "  invalid: %s", invalid[k]);
        report(what, bench_parse_cnet(&bad, false), bench_parse_glibc(&bad, k == 5 ? AF_INET6 : AF_INET, false),
               fast_share(&bad));
        free_workload(&bad);
    }
    return 0;
}
