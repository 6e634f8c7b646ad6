/*
 * ring_op_cost (io_uring builds only): io_uring's own cost per operation,
 * without waiting or scheduling. One process sends 64 KiB to itself over
 * loopback TCP and receives it, with send(2)/recv(2) or with one of the two
 * through the bare ring. Both complete at once (the socket buffers hold the
 * 64 KiB), so the difference is the kernel's io_uring path for that
 * operation (submission, preparation, file lookup, completion) and nothing
 * else. It explains the bulk ceiling: a bulk transfer is these two
 * operations, 64 KiB at a time.
 */
#include "families.h"
#include "harness.h"
#include "harness_uring.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* `rounds` sends and receives of 64 KiB; mode 0: both plain, 1: the receive
 * through the ring, 2: the send through the ring. Seconds per round. */
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

void ring_op_cost(int cpu)
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
