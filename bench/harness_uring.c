/* The bare io_uring loop's ring (see harness_uring.h). */
#include "harness_uring.h"

#include <string.h>
#include <unistd.h>

struct io_uring bench_ring;
static pid_t ring_owner; /* the process whose ring bench_ring is; 0: none */

void bench_ring_init(void)
{
    pid_t self = getpid();
    if (ring_owner == self)
        return; /* this process's ring, kept from an earlier run */
    if (ring_owner != 0)
        io_uring_queue_exit(&bench_ring); /* a forked child drops its view of the parent's ring, as cnet does */
    ring_owner = 0;
    struct io_uring_params p;
    memset(&p, 0, sizeof p);
    p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
    if (io_uring_queue_init_params(8, &bench_ring, &p) < 0) {
        memset(&p, 0, sizeof p);
        if (io_uring_queue_init_params(8, &bench_ring, &p) < 0)
            die("io_uring_queue_init_params");
    }
    io_uring_register_ring_fd(&bench_ring);
    ring_owner = self;
}
