/*
 * The io_uring backend's datagram calls: sendto and recvfrom as ring
 * sendmsg / recvmsg on the calling thread's ring of edge_io.c (through
 * edge_uring.h), falling back to the POSIX edge like the rest.
 */
#define _GNU_SOURCE 1

#include <liburing.h>
#include <string.h>
#include <sys/socket.h>

#include "edge_uring.h"
#include "internal.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

/* A message of one buffer and an address (the peer's, or room for it). */
static struct msghdr one_buffer(struct iovec *iov, void *name, socklen_t namelen)
{
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_name = name;
    msg.msg_namelen = namelen;
    msg.msg_iov = iov;
    msg.msg_iovlen = 1;
    return msg;
}

cnet_err cnet__sys_sendto(cnet_socket_handle handle, const void *data, size_t size, const struct sockaddr *addr,
                          cnet_socklen len, int64_t deadline)
{
    struct io_uring *ring = cnet__uring_ring_for(IORING_OP_SENDMSG);
    if (ring == NULL || cnet__uring_nonblocking(handle))
        return cnet__posix_sendto(handle, data, size, addr, len, deadline);
    struct iovec iov = {(void *)data, size};
    struct msghdr msg = one_buffer(&iov, (void *)addr, addr ? len : 0);
    struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
    io_uring_prep_sendmsg(sqe, handle, &msg, MSG_NOSIGNAL);
    bool to;
    int res = cnet__uring_run(ring, sqe, deadline, true, &to);
    return res < 0 ? cnet__uring_fail(res, to, "sendto", "sendmsg") : CNET_OK;
}

cnet_err cnet__sys_recvfrom(cnet_socket_handle handle, void *data, size_t size, struct sockaddr_storage *addr,
                            cnet_socklen *len, int64_t deadline, size_t *received, bool *truncated)
{
    struct io_uring *ring = cnet__uring_ring_for(IORING_OP_RECVMSG);
    if (ring == NULL || cnet__uring_nonblocking(handle))
        return cnet__posix_recvfrom(handle, data, size, addr, len, deadline, received, truncated);
    struct iovec iov = {data, size};
    struct msghdr msg = one_buffer(&iov, addr, sizeof *addr);
    struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
    /* MSG_TRUNC makes a datagram socket report its real length. */
    io_uring_prep_recvmsg(sqe, handle, &msg, MSG_TRUNC);
    bool to;
    int res = cnet__uring_run(ring, sqe, deadline, false, &to);
    if (res < 0)
        return cnet__uring_fail(res, to, "recvfrom", "recvmsg");
    *truncated = (size_t)res > size || (msg.msg_flags & MSG_TRUNC);
    *received = (size_t)res > size ? size : (size_t)res;
    *len = (cnet_socklen)msg.msg_namelen;
    return CNET_OK;
}
