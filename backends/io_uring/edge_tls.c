/*
 * The io_uring backend's edge for TLS (src/tls_session.c): the calls its
 * BIO makes under the session's lock, which never wait, and the wait it
 * makes outside the lock, all on the calling thread's ring of edge_io.c
 * (through edge_uring.h), falling back to the POSIX edge like the rest.
 */
#define _GNU_SOURCE 1

#include <errno.h>
#include <liburing.h>
#include <poll.h>
#include <sys/socket.h>

#include "edge_uring.h"
#include "internal.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

/* The never-waiting calls of the TLS BIO: a ring send or receive with
 * MSG_DONTWAIT completes while it is submitted (one entry, no wait). */
static cnet_err transfer_now(struct io_uring *ring, bool out, cnet_socket_handle handle, void *data, size_t size,
                             size_t *done)
{
    int res;
    bool to;
    do {
        struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
        if (out)
            io_uring_prep_send(sqe, handle, data, size, MSG_DONTWAIT | MSG_NOSIGNAL);
        else
            io_uring_prep_recv(sqe, handle, data, size, MSG_DONTWAIT);
        res = cnet__uring_run(ring, sqe, -1, true, &to);
    } while (res == -EINTR);
    if (res >= 0) {
        *done = (size_t)res;
        return CNET_OK;
    }
    const char *what = out ? "send" : "recv";
    return res == -EAGAIN ? CNET_EWOULDBLOCK : cnet__uring_fail(res, false, what, what);
}

cnet_err cnet__sys_recv_now(cnet_socket_handle handle, void *data, size_t size, size_t *received)
{
    struct io_uring *ring = cnet__uring_ring_for(IORING_OP_RECV);
    return ring ? transfer_now(ring, false, handle, data, size, received)
                : cnet__posix_recv_now(handle, data, size, received);
}

cnet_err cnet__sys_send_now(cnet_socket_handle handle, const void *data, size_t size, size_t *sent)
{
    struct io_uring *ring = cnet__uring_ring_for(IORING_OP_SEND);
    return ring ? transfer_now(ring, true, handle, (void *)data, size, sent)
                : cnet__posix_send_now(handle, data, size, sent);
}

/* The wait of a TLS call: a poll on the ring (the deadline a linked
 * timeout); a non-blocking handle without a deadline does not wait. */
cnet_err cnet__sys_wait(cnet_socket_handle handle, bool write, int64_t deadline)
{
    struct io_uring *ring = cnet__uring_ring_for(IORING_OP_POLL_ADD);
    if (ring == NULL)
        return cnet__posix_wait(handle, write, deadline);
    const char *what = write ? "send" : "recv";
    if (deadline < 0 && cnet__uring_nonblocking(handle))
        return cnet__fail_os(CNET_EWOULDBLOCK, EWOULDBLOCK, what, "the socket is non-blocking and nothing is ready");
    for (;;) {
        struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
        io_uring_prep_poll_add(sqe, handle, write ? POLLOUT : POLLIN);
        bool to;
        int res = cnet__uring_run(ring, sqe, deadline, false, &to);
        if (res >= 0)
            return CNET_OK;
        if (res != -EINTR)
            return cnet__uring_fail(res, to, what, "poll");
    }
}

