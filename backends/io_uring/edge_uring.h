/*
 * What edge_io.c (the ring of each thread) lends the other edge files of
 * the io_uring backend (edge_tls.c, edge_dgram.c): the ring that can run an opcode (NULL:
 * use the POSIX edge), one operation submitted and waited for (a deadline a
 * linked timeout), the translation of a failed completion, and whether a
 * handle was made non-blocking through cnet.
 */
#ifndef CNET__EDGE_URING_H
#define CNET__EDGE_URING_H

#include <liburing.h>
#include <stdbool.h>
#include <stdint.h>

#include "internal.h"

struct io_uring *cnet__uring_ring_for(int op);
int cnet__uring_run(struct io_uring *ring, struct io_uring_sqe *sqe, int64_t deadline, bool inline_likely,
                    bool *timed_out);
cnet_err cnet__uring_fail(int res, bool timed_out, const char *function, const char *what);
bool cnet__uring_nonblocking(cnet_socket_handle handle);

#endif /* CNET__EDGE_URING_H */
