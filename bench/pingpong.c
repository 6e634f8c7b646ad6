/*
 * pingpong: round trips of 64 bytes, TCP_NODELAY on both ends
 * (BENCH_PINGS on one CPU, BENCH_PINGS_CROSS across CPUs).
 *   raw:  send() + recv() loop.
 *   cnet: cnet_socket_send + cnet_socket_recv(64) on both ends.
 * Extra rows: cnet with a per-socket deadline and, in an io_uring build,
 * both ends on the bare io_uring loop (the ceiling).
 */
#include "families.h"
#include "harness.h"
#ifdef CNET_BENCH_URING
#include "harness_uring.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    for (long i = 0; i < cfg.pings_now; i++) {
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
    *units = (double)cfg.pings_now;
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
    for (long i = 0; i < cfg.pings_now; i++) {
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
    *units = (double)cfg.pings_now;
    return 1;
}

#ifdef CNET_BENCH_URING
/* The same ping-pong on the bare io_uring loop, both ends. */
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
    return 0;
}
#endif

test_def pingpong_test(void)
{
    /* The targets of the issues: io_uring ping-pong pays for a submission
     * and a completion per call, so its target is 0.85 (posix: 0.95). */
    bool uring = strcmp(cnet_backend_active(), "io_uring") == 0;
    test_def pingpong = {
        .name = "pingpong", .unit = "k RTT/s", .unit_div = 1e3, .cpu_unit = "us/RTT", .cpu_mul = 1e6,
        .target = uring ? 0.85 : 0.95,
        .base = {"raw send/recv", child_echo_raw, parent_ping_raw, V_PLAIN},
        .cnet = {"cnet send/recv", child_echo_cnet, parent_ping_cnet, V_PLAIN},
        .extras = {{"cnet send/recv + deadline", child_echo_cnet, parent_ping_cnet, V_DEADLINE}},
        .n_extras = 1,
    };
#ifdef CNET_BENCH_URING
    pingpong.extras[pingpong.n_extras++] =
        (variant_def){"bare io_uring loop", child_echo_uring, parent_ping_uring, V_PLAIN};
    pingpong.ceiling = pingpong.n_extras;
#endif
    return pingpong;
}
