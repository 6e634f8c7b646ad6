/*
 * The io_uring backend of the async loop (src/async_internal.h): one ring per
 * loop, every socket operation a request on it, and per loop iteration one
 * io_uring_enter that submits everything queued since the last one and waits
 * for completions with the loop's nearest deadline (the loop core keeps all
 * deadlines in its heap: no timer request, no timer syscall per operation).
 *
 *   reads      a stream socket keeps one multishot receive armed while the
 *              socket code wants bytes; each completion names a 4 KiB buffer
 *              of the loop's buffer ring (shared by all its sockets, grown
 *              when the kernel finds it empty), handed to
 *              cnet__async_on_data and given back at once: an idle connection
 *              holds no buffer. -ENOBUFS (the ring ran dry) and a multishot
 *              that ends while bytes are wanted are re-armed, never reported.
 *              Datagram sockets: one IORING_OP_RECVMSG at a time into a
 *              64 KiB buffer of their own, held while they read.
 *   accept     one multishot accept while wanted; cancelled when not (what
 *              still arrives is delivered: the socket code queues it); out of
 *              descriptors, tried again when a socket closes or 100 ms later.
 *   send       IORING_OP_SEND (MSG_NOSIGNAL | MSG_WAITALL on streams: the
 *              kernel finishes what fits in one completion, a cancel reports
 *              what was written); send_to: IORING_OP_SENDMSG.
 *   connect    IORING_OP_CONNECT; readiness of outside descriptors: one-shot
 *              IORING_OP_POLL_ADD, cancelled with IORING_OP_POLL_REMOVE.
 *   close      IORING_ASYNC_CANCEL_FD | CANCEL_ALL hard-linked to
 *              IORING_OP_CLOSE; released once every request that names the
 *              socket has completed (s->be_count counts them).
 *   wake       an eventfd the ring reads (IORING_OP_READ, re-armed); wake()
 *              only writes it, so any thread may call it (SINGLE_ISSUER
 *              forbids submissions from other threads).
 *   user_data  the socket, op or backend pointer with the request's kind in
 *              its low 3 bits (T_*); 0 for requests whose completion means
 *              nothing (cancels).
 *
 * Kernels (probed once per process, async_uring_ring.c; CNET_IO_URING=off
 * or CNET_ASYNC_POLL=1 skip the ring):
 *   < 5.11, io_uring refused (ENOSYS, EPERM: kernel.io_uring_disabled) or
 *          an opcode missing: epoll (backends/posix/async_epoll.c).
 *   5.11   single-shot accepts re-armed; single-shot receives into a 16 KiB
 *          buffer of the socket's, held while it reads (an idle reader too)
 *          and freed when it stops; close cancels request by request.
 *   5.19   buffer rings: single-shot receives take a ring buffer (no
 *          per-connection buffer); multishot accept; cancel by descriptor.
 *   6.0    multishot receive; IORING_SETUP_SINGLE_ISSUER.
 *   6.1    IORING_SETUP_DEFER_TASKRUN (completions run when the loop waits);
 *          6.18 (measured): all of it.
 * The ring is created disabled and enabled by the first wait, so the loop's
 * thread is its single issuer even when another thread created the loop.
 *
 * The embedding descriptor (fd(), cnet_loop_backend_fd): the ring fd, with
 * the ring rebuilt without DEFER_TASKRUN first when nothing was submitted
 * yet, else an eventfd registered with the ring; why: async_uring_ring.c.
 * An embedded loop submits each request when it is made.
 */
#define _GNU_SOURCE 1

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "async_uring.h"

#define RECV_PLAIN 16384u    /* the single-shot receive buffer without a buffer ring */
#define DGRAM_BUF 65536u     /* a datagram socket's receive buffer */
#define SEND_MAX 0x40000000u /* one send request writes at most this (sqe->len is 32 bits) */

enum { T_NONE, T_RECV, T_ACCEPT, T_SEND, T_CONNECT, T_CLOSE, T_POLL, T_WAKE = CNET__UR_T_WAKE };
#define T_MASK CNET__UR_T_MASK

/* s->be_flags: a request in flight (its cancel asked for: _CXL), what the
 * socket code wants, and whether it closed the socket. */
enum {
    B_RECV = 1u << 0, B_RECV_MS = 1u << 1, B_RECV_CXL = 1u << 2, B_ACCEPT = 1u << 3, B_ACCEPT_CXL = 1u << 4,
    B_SEND = 1u << 5, B_SEND_CXL = 1u << 6, B_CONN = 1u << 7, B_CONN_CXL = 1u << 8,
    B_WANT_READ = 1u << 9, B_WANT_ACCEPT = 1u << 10, B_CLOSED = 1u << 11, B_STALLED = 1u << 12
};

#define STALL_MS 100 /* a listener out of descriptors tries again this much later */

/* What a socket needs while a connect, a send_to or a receive into its own
 * buffer (datagrams; streams without a buffer ring) is in flight
 * (s->be_ptr, about 540 bytes and the buffer; freed when none is). */
typedef struct {
    struct sockaddr_storage conn_to;
    struct sockaddr_storage send_to;
    struct msghdr smsg;
    struct iovec siov;
    struct sockaddr_storage from;
    struct msghdr rmsg;
    struct iovec riov;
    uint8_t *rbuf;         /* datagram (or plain stream) receive buffer */
} sock_ext;

static const uint8_t eof_byte; /* what on_data(s, ..., 0) points to */

static uring *U(const cnet_loop *loop)
{
    return loop->be_state;
}

static uint64_t ud_of(const void *p, unsigned tag)
{
    return (uint64_t)(uintptr_t)p | tag;
}

static cnet_err os_err(int res)
{
    return cnet__err_from_errno(-res);
}

static sock_ext *ext_get(cnet_async_socket *s)
{
    if (s->be_ptr == NULL)
        s->be_ptr = calloc(1, sizeof(sock_ext));
    return s->be_ptr;
}

/* Free the socket's extra memory when nothing in flight uses it. */
static void ext_trim(cnet_async_socket *s)
{
    sock_ext *e = s->be_ptr;
    if (e == NULL || (s->be_flags & (B_CONN | B_SEND)))
        return;
    if (e->rbuf && (s->be_flags & B_RECV))
        return;
    free(e->rbuf);
    free(e);
    s->be_ptr = NULL;
}

static void cancel_req(uring *u, cnet_async_socket *s, unsigned tag, uint32_t busy, uint32_t cxl)
{
    if ((s->be_flags & (busy | cxl)) != busy)
        return; /* nothing in flight, or its cancel is on the way */
    struct io_uring_sqe *sqe = cnet__uring_sqe(u, 1);
    if (sqe == NULL)
        return;
    io_uring_prep_cancel64(sqe, ud_of(s, tag), 0);
    cnet__uring_sqe_done(u, sqe, 0);
    s->be_flags |= cxl;
}

static void released_if_done(cnet_async_socket *s)
{
    if ((s->be_flags & B_CLOSED) && s->be_count == 0) {
        ext_trim(s);
        cnet__async_released(s);
    }
}

/* ---------------------------------------------------------- receiving */

static bool bufs_ready(uring *u)
{
    if (!u->bufs_open) {
        if (cnet__uring_bufs_open(&u->ring, &u->bufs) != 0) {
            u->mode = RECV_PLAIN_BUF; /* no buffer ring here: a buffer per receive */
            return false;
        }
        u->bufs_open = true;
    }
    return true;
}

static void arm_recv(uring *u, cnet_async_socket *s)
{
    bool stream = s->type == CNET_SOCK_STREAM;
    bool ring = stream && u->mode != RECV_PLAIN_BUF && bufs_ready(u);
    sock_ext *e = ring ? NULL : ext_get(s);
    if (e && e->rbuf == NULL)
        e->rbuf = malloc(stream ? RECV_PLAIN : DGRAM_BUF);
    struct io_uring_sqe *sqe = ring || (e && e->rbuf) ? cnet__uring_sqe(u, 1) : NULL;
    if (sqe == NULL) {
        ext_trim(s);
        cnet__async_on_read_error(s, CNET_ENOMEM, 0);
        return;
    }
    if (!stream) {
        e->riov.iov_base = e->rbuf;
        e->riov.iov_len = DGRAM_BUF;
        memset(&e->rmsg, 0, sizeof e->rmsg);
        e->rmsg.msg_name = &e->from;
        e->rmsg.msg_namelen = sizeof e->from;
        e->rmsg.msg_iov = &e->riov;
        e->rmsg.msg_iovlen = 1;
        io_uring_prep_recvmsg(sqe, s->fd, &e->rmsg, 0);
    } else if (!ring) {
        io_uring_prep_recv(sqe, s->fd, e->rbuf, RECV_PLAIN, 0);
    } else {
        if (u->mode == RECV_MULTISHOT) {
            io_uring_prep_recv_multishot(sqe, s->fd, NULL, 0, 0);
            s->be_flags |= B_RECV_MS;
        } else {
            io_uring_prep_recv(sqe, s->fd, NULL, CNET__UR_BUF_SIZE, 0);
        }
        sqe->flags |= IOSQE_BUFFER_SELECT;
        sqe->buf_group = CNET__UR_BGID;
    }
    cnet__uring_sqe_done(u, sqe, ud_of(s, T_RECV));
    s->be_flags |= B_RECV;
    s->be_count++;
}

/* A receive's completion: bytes (a ring buffer's, or the socket's own), the
 * end of the stream, a datagram, or an error; then re-armed while wanted. */
static void done_recv(uring *u, cnet_async_socket *s, int res, unsigned flags)
{
    bool cancelled = (s->be_flags & B_RECV_CXL) != 0;
    bool closed = (s->be_flags & B_CLOSED) != 0;
    bool quiet = res == -EAGAIN || res == -EINTR || res == -ENOBUFS || (res == -ECANCELED && (cancelled || closed));
    bool again = true; /* re-arm when the socket still wants bytes */
    sock_ext *e = s->be_ptr;
    int bid = (flags & IORING_CQE_F_BUFFER) ? (int)(flags >> IORING_CQE_BUFFER_SHIFT) : -1;
    if (res >= 0 && !closed && s->type != CNET_SOCK_STREAM) {
        cnet__async_on_datagram(s, e->rbuf, (size_t)res, (e->rmsg.msg_flags & MSG_TRUNC) != 0,
                                (const struct sockaddr *)&e->from, (cnet_socklen)e->rmsg.msg_namelen);
    } else if (res > 0 && !closed) {
        cnet__async_on_data(s, bid >= 0 ? cnet__uring_buf(&u->bufs, (unsigned)bid) : e->rbuf, (size_t)res);
    } else if (res == 0 && s->type == CNET_SOCK_STREAM) {
        if (!closed)
            cnet__async_on_data(s, &eof_byte, 0);
        again = false;
    } else if (res == -ENOBUFS) {
        if (u->bufs_open)
            cnet__uring_bufs_grow(&u->bufs); /* the ring ran dry: more buffers, and again */
    } else if (res < 0 && !quiet) {
        if (!closed)
            cnet__async_on_read_error(s, os_err(res), -res);
        again = s->type != CNET_SOCK_STREAM; /* a datagram error (ICMP) is one of many */
    }
    if (bid >= 0)
        cnet__uring_buf_recycle(&u->bufs, (unsigned)bid);
    if (flags & IORING_CQE_F_MORE)
        return;
    s->be_flags &= ~(B_RECV | B_RECV_MS | B_RECV_CXL);
    s->be_count--;
    if (again && (s->be_flags & (B_WANT_READ | B_CLOSED)) == B_WANT_READ) {
        arm_recv(u, s);
    } else if ((e = s->be_ptr) != NULL && !(s->be_flags & B_RECV)) {
        free(e->rbuf);
        e->rbuf = NULL;
        ext_trim(s);
    }
    released_if_done(s);
}

static void be_want_read(cnet_async_socket *s, bool on)
{
    uring *u = U(s->loop);
    if (s->be_flags & B_CLOSED)
        return;
    if (on) {
        s->be_flags |= B_WANT_READ;
        if (!(s->be_flags & B_RECV))
            arm_recv(u, s);
    } else {
        s->be_flags &= ~B_WANT_READ;
        cancel_req(u, s, T_RECV, B_RECV, B_RECV_CXL);
    }
}

/* ---------------------------------------------------------- accepting */

static void arm_accept(uring *u, cnet_async_socket *s)
{
    struct io_uring_sqe *sqe = cnet__uring_sqe(u, 1);
    if (sqe == NULL) {
        cnet__async_on_accept(s, CNET_INVALID_SOCKET, CNET_ENOMEM, 0);
        return;
    }
    if (u->features & CNET__UR_MS_ACCEPT)
        io_uring_prep_multishot_accept(sqe, s->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    else
        io_uring_prep_accept(sqe, s->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    cnet__uring_sqe_done(u, sqe, ud_of(s, T_ACCEPT));
    s->be_flags |= B_ACCEPT;
    s->be_count++;
}

/* Listeners whose accept failed for want of a resource (EMFILE, ENFILE,
 * ENOBUFS, ENOMEM: the connection stays queued in the kernel) wait on
 * u->stalled (linked through be_aux) instead of failing again at once in a
 * busy loop: they try again when a socket of the loop closes, or
 * STALL_MS later. */
static void unstall(uring *u, cnet_async_socket *s)
{
    cnet_async_socket *prev = NULL, *c = u->stalled;
    while (c && c != s) {
        prev = c;
        c = (cnet_async_socket *)c->be_aux;
    }
    if (c == NULL)
        return;
    if (prev)
        prev->be_aux = c->be_aux;
    else
        u->stalled = (cnet_async_socket *)c->be_aux;
    s->be_flags &= ~B_STALLED;
}

static void retry_stalled(uring *u)
{
    cnet_async_socket *s = u->stalled;
    u->stalled = NULL;
    while (s) {
        cnet_async_socket *next = (cnet_async_socket *)s->be_aux;
        s->be_flags &= ~B_STALLED;
        if ((s->be_flags & (B_WANT_ACCEPT | B_ACCEPT | B_CLOSED)) == B_WANT_ACCEPT)
            arm_accept(u, s);
        s = next;
    }
}

static void done_accept(uring *u, cnet_async_socket *s, int res, unsigned flags)
{
    bool cancelled = (s->be_flags & B_ACCEPT_CXL) != 0;
    bool starved = res == -EMFILE || res == -ENFILE || res == -ENOBUFS || res == -ENOMEM;
    if (res >= 0) {
        if (s->be_flags & B_CLOSED)
            close(res); /* nobody takes it any more */
        else
            cnet__async_on_accept(s, res, CNET_OK, 0);
    } else if (!(s->be_flags & B_CLOSED) && !(res == -ECANCELED && cancelled) && res != -EINTR &&
               res != -EAGAIN) {
        cnet__async_on_accept(s, CNET_INVALID_SOCKET, os_err(res), -res);
    }
    if (flags & IORING_CQE_F_MORE)
        return;
    s->be_flags &= ~(B_ACCEPT | B_ACCEPT_CXL);
    s->be_count--;
    if ((s->be_flags & (B_WANT_ACCEPT | B_CLOSED | B_STALLED)) == B_WANT_ACCEPT) {
        if (!starved) {
            arm_accept(u, s);
        } else {
            s->be_flags |= B_STALLED;
            s->be_aux = (uintptr_t)u->stalled;
            u->stalled = s;
            u->stalled_at = cnet__sys_now_ms();
        }
    }
    released_if_done(s);
}

static void be_want_accept(cnet_async_socket *s, bool on)
{
    uring *u = U(s->loop);
    if (s->be_flags & B_CLOSED)
        return;
    if (on) {
        s->be_flags |= B_WANT_ACCEPT;
        if (!(s->be_flags & B_ACCEPT))
            arm_accept(u, s);
    } else {
        s->be_flags &= ~B_WANT_ACCEPT;
        unstall(u, s);
        cancel_req(u, s, T_ACCEPT, B_ACCEPT, B_ACCEPT_CXL);
    }
}

/* ------------------------------------------------------------ sending */

static void be_send(cnet_async_socket *s, const uint8_t *data, size_t size)
{
    uring *u = U(s->loop);
    struct io_uring_sqe *sqe = cnet__uring_sqe(u, 1);
    if (sqe == NULL) {
        cnet__async_on_sent(s, 0, CNET_ENOMEM, 0);
        return;
    }
    int flags = MSG_NOSIGNAL | (s->type == CNET_SOCK_STREAM ? MSG_WAITALL : 0);
    io_uring_prep_send(sqe, s->fd, data, size < SEND_MAX ? size : SEND_MAX, flags);
    cnet__uring_sqe_done(u, sqe, ud_of(s, T_SEND));
    s->be_flags |= B_SEND;
    s->be_count++;
}

static void be_send_to(cnet_async_socket *s, const uint8_t *data, size_t size, const struct sockaddr *to,
                       cnet_socklen len)
{
    uring *u = U(s->loop);
    sock_ext *e = ext_get(s);
    struct io_uring_sqe *sqe = e && (size_t)len <= sizeof e->send_to ? cnet__uring_sqe(u, 1) : NULL;
    if (sqe == NULL) {
        ext_trim(s);
        cnet__async_on_sent(s, 0, e ? CNET_EINVAL : CNET_ENOMEM, 0);
        return;
    }
    memcpy(&e->send_to, to, (size_t)len);
    e->siov.iov_base = (void *)data;
    e->siov.iov_len = size;
    memset(&e->smsg, 0, sizeof e->smsg);
    e->smsg.msg_name = &e->send_to;
    e->smsg.msg_namelen = (socklen_t)len;
    e->smsg.msg_iov = &e->siov;
    e->smsg.msg_iovlen = 1;
    io_uring_prep_sendmsg(sqe, s->fd, &e->smsg, MSG_NOSIGNAL);
    cnet__uring_sqe_done(u, sqe, ud_of(s, T_SEND));
    s->be_flags |= B_SEND;
    s->be_count++;
}

/* How a send or a connect ended: CNET_OK, CNET_ECANCELED (asked for) or an error. */
static cnet_err end_err(int res, bool cancelled, int *os_error)
{
    *os_error = 0;
    if (res >= 0)
        return CNET_OK;
    if (cancelled && (res == -ECANCELED || res == -EINTR))
        return CNET_ECANCELED;
    *os_error = -res;
    return os_err(res);
}

static void done_send(cnet_async_socket *s, int res)
{
    int os_error;
    cnet_err err = end_err(res, (s->be_flags & B_SEND_CXL) != 0, &os_error);
    s->be_flags &= ~(B_SEND | B_SEND_CXL);
    s->be_count--;
    ext_trim(s);
    /* Reported even after close: the socket code holds the bytes until then. */
    cnet__async_on_sent(s, res > 0 ? (size_t)res : 0, err, os_error);
    released_if_done(s);
}

static void be_cancel_send(cnet_async_socket *s)
{
    cancel_req(U(s->loop), s, T_SEND, B_SEND, B_SEND_CXL);
}

/* --------------------------------------------------------- connecting */

static void be_connect(cnet_async_socket *s, const struct sockaddr *to, cnet_socklen len)
{
    uring *u = U(s->loop);
    sock_ext *e = ext_get(s);
    struct io_uring_sqe *sqe = e && (size_t)len <= sizeof e->conn_to ? cnet__uring_sqe(u, 1) : NULL;
    if (sqe == NULL) {
        ext_trim(s);
        cnet__async_on_connected(s, e ? CNET_EINVAL : CNET_ENOMEM, 0);
        return;
    }
    memcpy(&e->conn_to, to, (size_t)len);
    io_uring_prep_connect(sqe, s->fd, (const struct sockaddr *)&e->conn_to, (socklen_t)len);
    cnet__uring_sqe_done(u, sqe, ud_of(s, T_CONNECT));
    s->be_flags |= B_CONN;
    s->be_count++;
}

static void done_connect(cnet_async_socket *s, int res)
{
    int os_error;
    cnet_err err = end_err(res, (s->be_flags & B_CONN_CXL) != 0, &os_error);
    s->be_flags &= ~(B_CONN | B_CONN_CXL);
    s->be_count--;
    ext_trim(s);
    cnet__async_on_connected(s, err, os_error);
    released_if_done(s);
}

static void be_cancel_connect(cnet_async_socket *s)
{
    cancel_req(U(s->loop), s, T_CONNECT, B_CONN, B_CONN_CXL);
}

/* ------------------------------------------------ sockets come and go */

static cnet_err be_attach(cnet_async_socket *s)
{
    s->be_flags = 0;
    s->be_count = 0;
    return CNET_OK;
}

static void be_detach(cnet_async_socket *s)
{
    /* Nothing is in flight (the failed connect has reported). */
    s->be_flags = 0;
    ext_trim(s);
}

static void be_close(cnet_async_socket *s)
{
    uring *u = U(s->loop);
    bool busy = (s->be_flags & (B_RECV | B_ACCEPT | B_SEND | B_CONN)) != 0;
    s->be_flags &= ~(B_WANT_READ | B_WANT_ACCEPT);
    s->be_flags |= B_CLOSED;
    struct io_uring_sqe *sqe;
    bool linked = false;
    if (busy && (u->features & CNET__UR_CANCEL_FD) && (sqe = cnet__uring_sqe(u, 2)) != NULL) {
        /* One cancel for all, then the close, in that order. */
        io_uring_prep_cancel_fd(sqe, s->fd, IORING_ASYNC_CANCEL_ALL);
        io_uring_sqe_set_data64(sqe, 0);
        sqe->flags |= IOSQE_IO_HARDLINK;
        s->be_flags |= B_RECV_CXL | B_ACCEPT_CXL | B_SEND_CXL | B_CONN_CXL;
        linked = true;
    } else if (busy) {
        cancel_req(u, s, T_RECV, B_RECV, B_RECV_CXL);
        cancel_req(u, s, T_ACCEPT, B_ACCEPT, B_ACCEPT_CXL);
        cancel_req(u, s, T_SEND, B_SEND, B_SEND_CXL);
        cancel_req(u, s, T_CONNECT, B_CONN, B_CONN_CXL);
    }
    sqe = linked ? io_uring_get_sqe(&u->ring) : cnet__uring_sqe(u, 1);
    if (sqe == NULL) {
        close(s->fd); /* the requests keep the socket until they end */
        released_if_done(s);
        return;
    }
    io_uring_prep_close(sqe, s->fd);
    cnet__uring_sqe_done(u, sqe, ud_of(s, T_CLOSE));
    s->be_count++;
    unstall(u, s);
    retry_stalled(u); /* after the close in the queue: its descriptor is free then */
}

/* ------------------------------------------------ outside descriptors */

static cnet_err be_poll_start(cnet_loop *loop, cnet_async_op *op)
{
    /* A bad descriptor is refused now, as on epoll (not in a completion). */
    if (fcntl(op->u.poll.fd, F_GETFD) < 0) {
        int e = errno;
        return cnet__fail_os(cnet__err_from_errno(e), e, op->function, "descriptor");
    }
    uring *u = U(loop);
    struct io_uring_sqe *sqe = cnet__uring_sqe(u, 1);
    if (sqe == NULL)
        return cnet__fail(CNET_ENOMEM, "async: the submission queue is full");
    io_uring_prep_poll_add(sqe, op->u.poll.fd, op->u.poll.write ? POLLOUT : POLLIN);
    cnet__uring_sqe_done(u, sqe, ud_of(op, T_POLL));
    return CNET_OK;
}

static void be_poll_cancel(cnet_loop *loop, cnet_async_op *op)
{
    /* The op completes with its poll's completion: CNET_ECANCELED, or the
     * readiness that came first. */
    uring *u = U(loop);
    struct io_uring_sqe *sqe = cnet__uring_sqe(u, 1);
    if (sqe == NULL)
        return;
    io_uring_prep_poll_remove(sqe, ud_of(op, T_POLL));
    cnet__uring_sqe_done(u, sqe, 0);
}

static void done_poll(cnet_async_op *op, int res)
{
    if (res >= 0)
        cnet__async_complete(op, CNET_OK, 0);
    else if (res == -ECANCELED)
        cnet__async_complete(op, CNET_ECANCELED, 0);
    else
        cnet__async_complete(op, os_err(res), -res);
}

/* ---------------------------------------------------- waking, waiting */

static void be_wake(cnet_loop *loop)
{
    uint64_t one = 1;
    ssize_t n = write(U(loop)->wake_fd, &one, sizeof one);
    (void)n; /* EAGAIN: the count is at its maximum, the loop wakes anyway */
}

static void dispatch(uring *u, uint64_t ud, int res, unsigned flags)
{
    void *p = (void *)(uintptr_t)(ud & ~(uint64_t)T_MASK);
    switch ((unsigned)(ud & T_MASK)) {
    case T_RECV: done_recv(u, p, res, flags); break;
    case T_ACCEPT: done_accept(u, p, res, flags); break;
    case T_SEND: done_send(p, res); break;
    case T_CONNECT: done_connect(p, res); break;
    case T_CLOSE: {
        cnet_async_socket *s = p;
        s->be_count--;
        released_if_done(s);
        break;
    }
    case T_POLL: done_poll(p, res); break;
    case T_WAKE: /* re-armed now: an embedded loop waits for no wait() to do it */
        if (p == u) {
            u->wake_armed = false;
            cnet__uring_arm_wake(u);
        }
        break;
    default: break;
    }
}

/* Every completion there is; a report may queue requests, even complete
 * some at once when the queue was full, which this loop then sees too. */
static void reap(uring *u)
{
    struct io_uring *r = &u->ring;
    for (;;) {
        unsigned head = *r->cq.khead;
        if (head == io_uring_smp_load_acquire(r->cq.ktail))
            break;
        const struct io_uring_cqe *cqe = &r->cq.cqes[head & r->cq.ring_mask];
        uint64_t ud = cqe->user_data;
        int res = cqe->res;
        unsigned flags = cqe->flags;
        io_uring_cq_advance(r, 1);
        dispatch(u, ud, res, flags);
    }
}

static cnet_err be_wait(cnet_loop *loop, int timeout)
{
    uring *u = U(loop);
    if (u->stalled && cnet__sys_now_ms() - u->stalled_at >= STALL_MS)
        retry_stalled(u);
    else if (u->stalled && (timeout < 0 || timeout > STALL_MS))
        timeout = STALL_MS;
    cnet__uring_enable(u);
    if (!u->wake_armed)
        cnet__uring_arm_wake(u);
    if (u->embed_fd >= 0) {
        uint64_t v;
        ssize_t n = read(u->embed_fd, &v, sizeof v); /* before entering: a later signal stays */
        (void)n;
    }
    if (io_uring_cq_ready(&u->ring))
        timeout = 0;
    u->submitted = true;
    int rc;
    if (timeout == 0) {
        rc = io_uring_submit_and_get_events(&u->ring);
    } else if (timeout < 0) {
        rc = io_uring_submit_and_wait(&u->ring, 1);
    } else {
        struct __kernel_timespec ts = {timeout / 1000, (long long)(timeout % 1000) * 1000000};
        struct io_uring_cqe *cqe;
        rc = io_uring_submit_and_wait_timeout(&u->ring, &cqe, 1, &ts, NULL);
    }
    u->reaping = true;
    reap(u);
    u->reaping = false;
    if (u->eager && io_uring_sq_ready(&u->ring))
        cnet__uring_submit(u); /* embedded: what the reports queued runs now */
    if (rc < 0 && rc != -ETIME && rc != -EINTR && rc != -EBUSY && rc != -EAGAIN)
        return cnet__fail_os(os_err(rc), -rc, "cnet_loop_poll", "io_uring_enter");
    return CNET_OK;
}

/* -------------------------------------------------------- open, destroy */

static int be_fd(const cnet_loop *loop)
{
    return cnet__uring_embed_fd(U(loop));
}

static void be_destroy(cnet_loop *loop)
{
    cnet__uring_free(U(loop));
    loop->be_state = NULL;
}

static const cnet__async_backend uring_backend = {
    .name = "io_uring",
    .destroy = be_destroy,
    .fd = be_fd,
    .wait = be_wait,
    .wake = be_wake,
    .attach = be_attach,
    .detach = be_detach,
    .close = be_close,
    .want_read = be_want_read,
    .want_accept = be_want_accept,
    .send = be_send,
    .cancel_send = be_cancel_send,
    .send_to = be_send_to,
    .connect = be_connect,
    .cancel_connect = be_cancel_connect,
    .poll_start = be_poll_start,
    .poll_cancel = be_poll_cancel,
};

static bool env_is(const char *name, const char *value)
{
    const char *v = getenv(name);
    return v != NULL && strcmp(v, value) == 0;
}

cnet_err cnet__async_backend_open(cnet_loop *loop)
{
    bool off = env_is("CNET_IO_URING", "off") || env_is("CNET_IO_URING", "0") || env_is("CNET_ASYNC_POLL", "1");
    if (!off && (loop->be_state = cnet__uring_new()) != NULL) {
        loop->be = &uring_backend;
        return CNET_OK;
    }
    cnet_err err = CNET_OK;
    const cnet__async_backend *be = cnet__async_epoll_open(loop, &err);
    if (be == NULL)
        return err;
    loop->be = be;
    return CNET_OK;
}
