/*
 * The POSIX I/O edge: socket lifecycle (create, close, bind, listen, accept)
 * and the data path of the net layer (one receive, one send, connect and
 * accept with deadlines). Every wait is poll() on the remaining time, so
 * EINTR never restarts a deadline; every send uses MSG_NOSIGNAL (SO_NOSIGPIPE
 * is set at creation where MSG_NOSIGNAL does not exist). errno is read here
 * and translated on the spot.
 *
 * The functions are named cnet__posix_* and built once per library: the
 * posix backend gives them their cnet__sys_* names in sys_io.c, and the
 * io_uring backend calls them as its exact fallback when the kernel lacks
 * io_uring or an opcode (backends/io_uring/edge_io.c).
 */
#define _GNU_SOURCE 1

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

static cnet_err fail_errno(const char *function, const char *what)
{
    int e = errno;
    return cnet__fail_os(cnet__err_from_errno(e), e, function, what);
}

/* ------------------------------------------------------------- lifecycle */

cnet_err cnet__posix_create_native_socket_int(int domain, int type, int protocol, bool inheritable,
                                              cnet_socket_handle *out)
{
    *out = CNET_INVALID_SOCKET;
#ifdef SOCK_CLOEXEC
    int fd = socket(domain, type | (inheritable ? 0 : SOCK_CLOEXEC), protocol);
    if (fd < 0)
        return fail_errno("cnet_create_native_socket", "socket");
#else
    int fd = socket(domain, type, protocol);
    if (fd < 0)
        return fail_errno("cnet_create_native_socket", "socket");
    if (!inheritable && fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
        cnet_err err = fail_errno("cnet_create_native_socket", "fcntl(FD_CLOEXEC)");
        close(fd);
        return err;
    }
#endif
#ifdef SO_NOSIGPIPE
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#endif
    *out = fd;
    return CNET_OK;
}

cnet_err cnet__posix_close(cnet_socket_handle handle)
{
    /* On Linux the descriptor is released even when close() reports EINTR;
     * retrying could close a descriptor another thread just received. */
    if (close(handle) < 0 && errno != EINTR)
        return fail_errno("cnet_close", "close");
    return CNET_OK;
}

cnet_err cnet__posix_bind_addr(cnet_socket_handle handle, const struct sockaddr *name, cnet_socklen namelen)
{
    if (bind(handle, name, namelen) < 0)
        return fail_errno("cnet_bind_addr", "bind");
    return CNET_OK;
}

cnet_err cnet__posix_listen(cnet_socket_handle handle, int backlog)
{
    if (listen(handle, backlog) < 0)
        return fail_errno("cnet_listen", "listen");
    return CNET_OK;
}

cnet_err cnet__posix_accept(cnet_socket_handle handle, bool inheritable, cnet_socket_handle *client,
                            char *address, size_t address_size)
{
    *client = CNET_INVALID_SOCKET;
    /* Checked before accepting: a connection taken off the queue and then
     * dropped for a small buffer would be lost. */
    if (address != NULL && address_size < CNET_ADDRSTRLEN)
        return cnet__fail(CNET_ERANGE, "cnet_accept: address_size must be at least CNET_ADDRSTRLEN");
    struct sockaddr_storage ss;
    socklen_t len;
    int fd;
    do {
        len = sizeof ss;
#ifdef SOCK_CLOEXEC
        fd = accept4(handle, (struct sockaddr *)&ss, &len, inheritable ? 0 : SOCK_CLOEXEC);
#else
        fd = accept(handle, (struct sockaddr *)&ss, &len);
        if (fd >= 0 && !inheritable)
            fcntl(fd, F_SETFD, FD_CLOEXEC);
#endif
    } while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return fail_errno("cnet_accept", "accept");
#ifdef SO_NOSIGPIPE
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#endif
    if (address != NULL) {
        cnet_err err = cnet__format_sockaddr((struct sockaddr *)&ss, len, address, address_size, NULL);
        if (err != CNET_OK) {
            close(fd);
            return err;
        }
    }
    *client = fd;
    return CNET_OK;
}

int64_t cnet__posix_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait until the handle is ready for `events` or the deadline passes. */
static cnet_err wait_ready(int fd, short events, int64_t deadline, const char *function, bool *hung_up)
{
    struct pollfd p = {.fd = fd, .events = events};
    *hung_up = false;
    for (;;) {
        int wait = -1;
        if (deadline >= 0) {
            int64_t left = deadline - cnet__posix_now_ms();
            if (left <= 0)
                left = 0;
            wait = left > 0x7fffffff ? 0x7fffffff : (int)left;
        }
        int rc = poll(&p, 1, wait);
        if (rc > 0) {
            *hung_up = (p.revents & POLLHUP) != 0;
            return CNET_OK;
        }
        if (rc == 0) {
            if (deadline >= 0 && cnet__posix_now_ms() >= deadline)
                return cnet__fail_os(CNET_ETIMEDOUT, 0, function, "the deadline passed");
            continue; /* woke early: wait for the rest */
        }
        if (errno != EINTR)
            return fail_errno(function, "poll");
    }
}

/* The system calls of the data path. */
enum transfer_call { CALL_RECV, CALL_SEND, CALL_RECVMSG, CALL_SENDMSG };

/*
 * One data-path system call. EINTR is retried. With a deadline the call does
 * not block, so data already there costs one system call; "would block" then
 * waits for readiness on the time left and tries again. Without one, the
 * socket's own blocking mode decides, as in Nim.
 */
static cnet_err transfer(int fd, enum transfer_call call, void *buf, size_t size, struct msghdr *msg, int flags,
                         int64_t deadline, size_t *done, const char *what)
{
    bool out = call == CALL_SEND || call == CALL_SENDMSG;
    bool hung_up = false;
    flags |= (out ? MSG_NOSIGNAL : 0) | (deadline >= 0 ? MSG_DONTWAIT : 0);
    for (;;) {
        ssize_t n;
        switch (call) {
        case CALL_RECV: n = recv(fd, buf, size, flags); break;
        case CALL_SEND: n = send(fd, buf, size, flags); break;
        case CALL_RECVMSG: n = recvmsg(fd, msg, flags); break;
        default: n = sendmsg(fd, msg, flags); break;
        }
        if (n >= 0) {
            *done = (size_t)n;
            return CNET_OK;
        }
        if (errno == EINTR)
            continue;
        if ((errno == EAGAIN || errno == EWOULDBLOCK) && deadline >= 0) {
            if (hung_up) {
                /* Ready because both directions were shut down (say, an
                 * unconnected UDP socket), yet still "would block": the
                 * answer a blocking call gives, not a spin to the deadline. */
                if (out)
                    return cnet__fail_os(CNET_EPIPE, EPIPE, what, "the socket was shut down");
                *done = 0;
                return CNET_OK;
            }
            cnet_err err = wait_ready(fd, out ? POLLOUT : POLLIN, deadline, what, &hung_up);
            if (err != CNET_OK)
                return err;
            continue;
        }
        return fail_errno(what, what);
    }
}

static void msg_init(struct msghdr *msg, struct iovec *iov, size_t iovlen, void *name, socklen_t namelen)
{
    memset(msg, 0, sizeof *msg);
    msg->msg_name = name;
    msg->msg_namelen = name ? namelen : 0;
    msg->msg_iov = iov;
    msg->msg_iovlen = iovlen;
}

cnet_err cnet__posix_recv(cnet_socket_handle handle, void *data, size_t size, bool peek, int64_t deadline,
                          size_t *received)
{
    return transfer(handle, CALL_RECV, data, size, NULL, peek ? MSG_PEEK : 0, deadline, received, "recv");
}

cnet_err cnet__posix_send(cnet_socket_handle handle, const void *data, size_t size, int64_t deadline, size_t *sent)
{
    return transfer(handle, CALL_SEND, (void *)data, size, NULL, 0, deadline, sent, "send");
}

cnet_err cnet__posix_sendv2(cnet_socket_handle handle, const void *a, size_t a_size, const void *b, size_t b_size,
                            int64_t deadline, size_t *sent)
{
    struct iovec iov[2] = {{(void *)a, a_size}, {(void *)b, b_size}};
    struct msghdr msg;
    msg_init(&msg, iov, 2, NULL, 0);
    return transfer(handle, CALL_SENDMSG, NULL, 0, &msg, 0, deadline, sent, "sendmsg");
}

/* The never-waiting calls of the TLS BIO: "would block" carries no message. */
static cnet_err now_result(ssize_t n, size_t *done, const char *what)
{
    if (n >= 0) {
        *done = (size_t)n;
        return CNET_OK;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK)
        return CNET_EWOULDBLOCK;
    return fail_errno(what, what);
}

cnet_err cnet__posix_recv_now(cnet_socket_handle handle, void *data, size_t size, size_t *received)
{
    ssize_t n;
    do
        n = recv(handle, data, size, MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    return now_result(n, received, "recv");
}

cnet_err cnet__posix_send_now(cnet_socket_handle handle, const void *data, size_t size, size_t *sent)
{
    ssize_t n;
    do
        n = send(handle, data, size, MSG_DONTWAIT | MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    return now_result(n, sent, "send");
}

cnet_err cnet__posix_wait(cnet_socket_handle handle, bool write, int64_t deadline)
{
    if (deadline < 0) {
        int fl = fcntl(handle, F_GETFL);
        if (fl < 0)
            return fail_errno(write ? "send" : "recv", "fcntl(F_GETFL)");
        if (fl & O_NONBLOCK)
            return cnet__fail_os(CNET_EWOULDBLOCK, EWOULDBLOCK, write ? "send" : "recv",
                                 "the socket is non-blocking and nothing is ready");
    }
    bool hung_up;
    return wait_ready(handle, write ? POLLOUT : POLLIN, deadline, write ? "send" : "recv", &hung_up);
}

/* The outcome of a connection in progress, from SO_ERROR. */
static cnet_err connect_result(int fd)
{
    int so_error = 0;
    socklen_t len = sizeof so_error;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) < 0)
        return fail_errno("connect", "getsockopt(SO_ERROR)");
    if (so_error != 0)
        return cnet__fail_os(cnet__err_from_errno(so_error), so_error, "connect", "connect");
    return CNET_OK;
}

cnet_err cnet__posix_connect(cnet_socket_handle handle, const struct sockaddr *addr, cnet_socklen len,
                             int64_t deadline)
{
    int flags = fcntl(handle, F_GETFL);
    if (flags < 0)
        return fail_errno("connect", "fcntl(F_GETFL)");
    bool was_blocking = (flags & O_NONBLOCK) == 0;
    if (deadline >= 0 && was_blocking && fcntl(handle, F_SETFL, flags | O_NONBLOCK) < 0)
        return fail_errno("connect", "fcntl(F_SETFL)");
    cnet_err err = CNET_OK;
    if (connect(handle, addr, len) < 0) {
        if (!was_blocking && deadline < 0 && errno == EINPROGRESS) {
            /* The caller made the socket non-blocking: report, do not wait. */
            err = fail_errno("connect", "connect");
        } else if (errno == EINPROGRESS || errno == EINTR) {
            /* In progress (or interrupted, which on POSIX continues in the
             * background): wait for the outcome within the deadline. */
            bool hung_up;
            err = wait_ready(handle, POLLOUT, deadline, "connect", &hung_up);
            if (err == CNET_OK)
                err = connect_result(handle);
        } else {
            err = fail_errno("connect", "connect");
        }
    }
    /* The socket goes back to the mode the caller had, whatever happened. */
    if (deadline >= 0 && was_blocking && fcntl(handle, F_SETFL, flags) < 0 && err == CNET_OK)
        err = fail_errno("connect", "fcntl(F_SETFL)");
    return err;
}

cnet_err cnet__posix_accept_deadline(cnet_socket_handle handle, bool inheritable, int64_t deadline,
                                     cnet_socket_handle *client, struct sockaddr_storage *addr, cnet_socklen *len)
{
    *client = CNET_INVALID_SOCKET;
    int sock_flags = 0;
#ifdef SOCK_CLOEXEC
    sock_flags = inheritable ? 0 : SOCK_CLOEXEC;
#endif
    int fl = -1;
    if (deadline >= 0) {
        /* The listener must not block in accept() after poll() said ready: the
         * connection may be gone by then. */
        fl = fcntl(handle, F_GETFL);
        if (fl < 0)
            return fail_errno("accept", "fcntl(F_GETFL)");
        if (!(fl & O_NONBLOCK) && fcntl(handle, F_SETFL, fl | O_NONBLOCK) < 0)
            return fail_errno("accept", "fcntl(F_SETFL)");
    }
    cnet_err err = CNET_OK;
    int fd;
    for (;;) {
        socklen_t slen = sizeof *addr;
#ifdef SOCK_CLOEXEC
        fd = accept4(handle, (struct sockaddr *)addr, &slen, sock_flags);
#else
        fd = accept(handle, (struct sockaddr *)addr, &slen);
        if (fd >= 0 && !inheritable)
            fcntl(fd, F_SETFD, FD_CLOEXEC);
#endif
        if (fd >= 0) {
            *len = (cnet_socklen)slen;
            break;
        }
        if (errno == EINTR)
            continue;
        if ((errno == EAGAIN || errno == EWOULDBLOCK) && deadline >= 0 && !(fl & O_NONBLOCK)) {
            bool hung_up;
            err = wait_ready(handle, POLLIN, deadline, "accept", &hung_up);
            if (err != CNET_OK)
                break;
            continue;
        }
        err = fail_errno("accept", "accept");
        break;
    }
    if (deadline >= 0 && !(fl & O_NONBLOCK))
        fcntl(handle, F_SETFL, fl);
    if (err != CNET_OK)
        return err;
#ifdef SO_NOSIGPIPE
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#endif
    *client = fd;
    return CNET_OK;
}

cnet_err cnet__posix_sendto(cnet_socket_handle handle, const void *data, size_t size, const struct sockaddr *addr,
                            cnet_socklen len, int64_t deadline)
{
    struct iovec iov = {(void *)data, size};
    struct msghdr msg;
    size_t sent;
    msg_init(&msg, &iov, 1, (void *)addr, len);
    return transfer(handle, CALL_SENDMSG, NULL, 0, &msg, 0, deadline, &sent, "sendto");
}

cnet_err cnet__posix_recvfrom(cnet_socket_handle handle, void *data, size_t size, struct sockaddr_storage *addr,
                              cnet_socklen *len, int64_t deadline, size_t *received, bool *truncated)
{
    struct iovec iov = {data, size};
    struct msghdr msg;
    msg_init(&msg, &iov, 1, addr, sizeof *addr);
    cnet_err err = transfer(handle, CALL_RECVMSG, NULL, 0, &msg, 0, deadline, received, "recvfrom");
    if (err == CNET_OK) {
        *len = (cnet_socklen)msg.msg_namelen;
        *truncated = (msg.msg_flags & MSG_TRUNC) != 0;
    }
    return err;
}

void cnet__posix_wake(cnet_socket_handle handle)
{
    /* Wakes recv, send, accept, connect and poll on it in every thread. */
    shutdown(handle, SHUT_RDWR);
}

cnet_err cnet__posix_shutdown(cnet_socket_handle handle, bool read, bool write)
{
    int how = read && write ? SHUT_RDWR : read ? SHUT_RD : SHUT_WR;
    if (shutdown(handle, how) < 0)
        return fail_errno("cnet_socket_shutdown", "shutdown");
    return CNET_OK;
}
