/* The bare io_uring loop's ring (see harness_uring.h). */
#include "harness_uring.h"

#include <string.h>

struct io_uring bench_ring;

void bench_ring_init(void)
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
