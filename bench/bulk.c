/*
 * bulk: BENCH_BULK_MB MiB one way in 64 KiB pieces, 6 x BENCH_REPS runs per row.
 *   raw:  blocking send() / recv().
 *   cnet: cnet_socket_send / cnet_socket_recv_some.
 * Extra rows: cnet_socket_recv (which fills all 64 KiB), recv_some with a
 * per-socket deadline and, in an io_uring build, both ends on the bare
 * io_uring loop (the ceiling; cnet is judged against it too, target 0.95)
 * and that loop again (the control: its ratio to the first is the noise);
 * in a posix build the control is the raw loop again.
 *
 * Both ends on one CPU, a run lands in one of two states that TCP's
 * receive-buffer autotuning picks in its first round trips: the receiver's
 * buffer stays under 1 MB and the two processes take turns every ~24 pieces,
 * or it grows to 2-7 MB and the sender fills it all before it blocks, ~10 %
 * fewer bytes per second (the receiver's CPU per KiB is lower, the switches
 * and wakeups more). Which one depends on microseconds around the start
 * byte: a ring set up between accept and the start byte (the bare loop did,
 * cnet's ring was set up in main) made the bare loop land in the faster
 * state in ~98 % of runs against cnet's ~60 %, a gap that was no cost of
 * cnet's. So both sides of every ring row have their ring before the start:
 * the measuring side's is kept across runs like cnet's per-thread ring
 * (harness_uring.c), the streaming side sets one up before go_wait (the bare
 * loop) or asks cnet for its ring there (cnet_backend_active).
 *
 * The state is drawn per run, for every ring row alike (a third to a half
 * of the runs in the slower one), so a median of 5 moved 5-10 % from one
 * bench run to the next. Each row runs twice BENCH_REPS times with half of
 * the former 1 GiB (the state holds for a whole run, so shorter runs lose
 * nothing but the ~1 ms start): the same time, twice the draws behind each
 * median. Other tenants' load still moves a ratio by a few per cent: read
 * it against the noise control.
 *
 * Ten runs were still too few on a quiet machine: run to run a row's rate
 * spreads over +-15 % under bbr (1.85-3.1 GB/s for one row of one bench run)
 * and +-10 % under cubic, so a median of 10 moved by up to 8 % between two
 * bench runs minutes apart, and cnet / bare came out 0.90 in one and 1.06 in
 * the next with no change in between. With 30 runs per row (6 x BENCH_REPS)
 * four passes gave cnet / bare 0.97-1.01 with the controls at 0.99-1.03.
 */
#include "families.h"
#include "harness.h"
#ifdef CNET_BENCH_URING
#include "harness_uring.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    /* The thread's ring set up before the start, as the bare loop's is. */
    (void)cnet_backend_active();
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

#ifdef CNET_BENCH_URING
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
    check_bulk(got);
    *units = (double)got;
    return 0;
}
#endif

test_def bulk_test(void)
{
    test_def bulk = {
        .name = "bulk", .unit = "GB/s", .unit_div = 1e9, .cpu_unit = "ns/KiB", .cpu_mul = 1e9 * 1024,
        .target = 0.95,
        .base = {"raw send/recv", child_bulk_raw, parent_bulk_raw, V_PLAIN},
        .cnet = {"cnet send/recv_some", child_bulk_cnet, parent_bulk_cnet, V_PLAIN},
        .extras = {{"cnet send/recv (exact)", child_bulk_cnet, parent_bulk_cnet, V_RECV_EXACT},
                   {"send/recv_some + deadline", child_bulk_cnet, parent_bulk_cnet, V_DEADLINE}},
        .n_extras = 2,
        .both_cpu = true,
        .both_unit = "ns/KiB (both ends)",
        .reps_factor = 6,
    };
#ifdef CNET_BENCH_URING
    bulk.extras[bulk.n_extras++] = (variant_def){"bare io_uring loop", child_bulk_uring, parent_bulk_uring, V_PLAIN};
    bulk.ceiling = bulk.n_extras;
    bulk.ceiling_target = 0.95; /* cnet adds at most 5 % to the ring's own cost */
    /* The control: the bare loop against itself is the run's noise. */
    bulk.extras[bulk.n_extras++] =
        (variant_def){"bare io_uring again (control)", child_bulk_uring, parent_bulk_uring, V_PLAIN};
    bulk.control = bulk.n_extras;
    bulk.control_of = bulk.ceiling;
#else
    bulk.extras[bulk.n_extras++] = (variant_def){"raw again (control)", child_bulk_raw, parent_bulk_raw, V_PLAIN};
    bulk.control = bulk.n_extras;
#endif
    return bulk;
}
