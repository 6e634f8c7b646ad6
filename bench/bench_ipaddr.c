/*
 * Nanoseconds per address for cnet's IP address parser and formatter,
 * against glibc's inet_pton and inet_ntop in the same run.
 *
 * Four workloads of 1,000,000 addresses each: parse IPv4, parse a mix of
 * IPv6 forms, format IPv4, format the same IPv6 mix. The IPv6 mix has equal
 * shares of global /64 addresses, "::n", "fe80::" link-local addresses,
 * IPv4-mapped "::ffff:a.b.c.d" and addresses with random runs of zero
 * groups; the parse time of each shape on its own follows, and IPv4 text
 * whose octets all have three digits (no branch mispredictions). Each workload
 * runs several rounds and the fastest round counts.
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

#define COUNT 1000000
#define ROUNDS 7
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

static volatile unsigned sink;

static double bench_parse_cnet(const struct workload *w)
{
    double best = 1e30;
    for (int r = 0; r < ROUNDS; r++) {
        unsigned sum = 0;
        double t0 = now_s();
        for (size_t i = 0; i < COUNT; i++) {
            cnet_ip_address a;
            if (cnet_parse_ip_address(w->text + i * SLOT, w->len[i], &a) != CNET_OK) {
                fprintf(stderr, "cnet rejected %s: %s\n", w->text + i * SLOT, cnet_last_error_message());
                exit(1);
            }
            sum += a.address[3] + a.address[15];
        }
        double t = (now_s() - t0) * 1e9 / COUNT;
        sink += sum;
        if (t < best)
            best = t;
    }
    return best;
}

static double bench_parse_glibc(const struct workload *w, int family)
{
    double best = 1e30;
    for (int r = 0; r < ROUNDS; r++) {
        unsigned sum = 0;
        double t0 = now_s();
        for (size_t i = 0; i < COUNT; i++) {
            uint8_t b[16] = {0};
            if (inet_pton(family, w->text + i * SLOT, b) != 1) {
                fprintf(stderr, "inet_pton rejected %s\n", w->text + i * SLOT);
                exit(1);
            }
            sum += b[3] + b[15];
        }
        double t = (now_s() - t0) * 1e9 / COUNT;
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
        double t0 = now_s();
        for (size_t i = 0; i < COUNT; i++) {
            char buf[CNET_IP_ADDRESS_STRLEN];
            size_t n;
            if (cnet_ip_address_to_string(&in[i], buf, sizeof buf, &n) != CNET_OK)
                exit(1);
            sum += (unsigned)n + (unsigned char)buf[n - 1];
        }
        double t = (now_s() - t0) * 1e9 / COUNT;
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
        double t0 = now_s();
        for (size_t i = 0; i < COUNT; i++) {
            char buf[INET6_ADDRSTRLEN];
            if (inet_ntop(family, w->bin[i], buf, sizeof buf) == NULL)
                exit(1);
            sum += (unsigned char)buf[0];
        }
        double t = (now_s() - t0) * 1e9 / COUNT;
        sink += sum;
        if (t < best)
            best = t;
    }
    return best;
}

static void report(const char *what, double cnet, double glibc)
{
    printf("%-24s cnet %6.1f ns   glibc %6.1f ns   glibc/cnet %5.2fx\n", what, cnet, glibc, glibc / cnet);
}

int main(void)
{
    struct workload v4, v6;
    make_workload(&v4, AF_INET, -1);
    make_workload(&v6, AF_INET6, -1);
    printf("cnet %s: %d addresses per workload, best of %d rounds\n", cnet_version(), COUNT, ROUNDS);
    report("parse IPv4", bench_parse_cnet(&v4), bench_parse_glibc(&v4, AF_INET));
    report("parse IPv6 (mixed)", bench_parse_cnet(&v6), bench_parse_glibc(&v6, AF_INET6));
    report("format IPv4", bench_format_cnet(&v4, CNET_IPV4), bench_format_glibc(&v4, AF_INET));
    report("format IPv6 (mixed)", bench_format_cnet(&v6, CNET_IPV6), bench_format_glibc(&v6, AF_INET6));
    free_workload(&v4);
    free_workload(&v6);

    /* IPv4 with every octet three digits long: the same work without the
     * branch mispredictions that random octet lengths cost a byte-at-a-time
     * DFA (re2c's output). The gap to "parse IPv4" is their price. */
    {
        struct workload fixed;
        make_workload(&fixed, AF_INET, 0);
        report("  parse IPv4 ddd.ddd.ddd.ddd", bench_parse_cnet(&fixed), bench_parse_glibc(&fixed, AF_INET));
        free_workload(&fixed);
    }

    /* The IPv6 mix by shape, each shape a workload of its own. */
    static const char *shapes[] = {"global /64", "::n", "fe80::", "::ffff:a.b.c.d", "zero runs"};
    for (int k = 0; k < 5; k++) {
        struct workload one;
        char what[64];
        make_workload(&one, AF_INET6, k);
        snprintf(what, sizeof what, "  parse %s", shapes[k]);
        report(what, bench_parse_cnet(&one), bench_parse_glibc(&one, AF_INET6));
        free_workload(&one);
    }
    return 0;
}
