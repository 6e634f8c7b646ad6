/*
 * The bare io_uring loop of an io_uring build (CNET_BENCH_URING, set by
 * bench/run.sh), no library: one submission and one wait per send or recv
 * (io_uring_submit_and_wait), on a ring set up like cnet's (SINGLE_ISSUER |
 * DEFER_TASKRUN, registered ring fd). The families' "bare io_uring" rows and
 * ring_cost.c run on it: the ceiling of a blocking call served by io_uring
 * on this machine, measured in the same run as cnet's.
 */
#ifndef CNET_BENCH_HARNESS_URING_H
#define CNET_BENCH_HARNESS_URING_H

#include "harness.h"

#include <liburing.h>

/* One ring per process, like cnet's one ring per thread: set up by the
 * first bench_ring_init of a process and kept for its later runs (a forked
 * child sets up its own). Kept, not torn down per run, so that the measuring
 * side starts every run as cnet's does: with its ring already there (the
 * first cnet call of bench_net, in main, sets up cnet's ring; setting one up
 * between accept and the start byte shifts the connection's first round
 * trips, which TCP's receive-buffer autotuning reads, see bulk.c). */
extern struct io_uring bench_ring;

void bench_ring_init(void);

/* One send or recv through the ring (an io_once_fn): its result, or -errno.
 * Static inline, so that a family's loop calls it directly. */
static inline ssize_t bench_ring_op(int fd, void *data, size_t size, bool receive)
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

/* Moves all `size` bytes through the ring: 1 when done, 0 at end of
 * stream, -1 on error. */
static inline int ring_transfer_all(int fd, void *data, size_t size, bool receive)
{
    return transfer_all(fd, data, size, receive, bench_ring_op);
}

#endif
