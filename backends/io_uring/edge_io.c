/*
 * The io_uring I/O edge. Every socket operation of the I/O edge (create,
 * bind, listen, accept, connect, send, recv, sendmsg/recvmsg, shutdown) is
 * one submission on the calling thread's ring; a deadline is an
 * IORING_OP_LINK_TIMEOUT linked to the operation, never poll(). Close is
 * close(2) (it never waits: see cnet__sys_close). The negative errno of a
 * completion is translated here and nowhere else.
 *
 * Fallbacks are exact: the POSIX I/O edge (backends/posix/edge_io.c, whose
 * functions are named cnet__posix_*) serves a whole thread when its ring
 * cannot be set up (ENOSYS, EPERM, kernel.io_uring_disabled, or
 * CNET_IO_URING=off in the environment) and a single operation when the
 * kernel lacks its opcode.
 */
#define _GNU_SOURCE 1

#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "edge_uring.h"
#include "handle_bits.h"
#include "internal.h"

/* liburing 2.3 predates these opcodes; their numbers are the kernel ABI. */
#define CNET_IORING_OP_BIND 56
#define CNET_IORING_OP_LISTEN 57
#define CNET_RING_OPS 64
/* Linux 6.10: accept arms its poll before trying (liburing 2.3 lacks it). */
#ifndef IORING_ACCEPT_POLL_FIRST
#define IORING_ACCEPT_POLL_FIRST (1U << 2)
#endif

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

struct ring_state {
    struct io_uring ring;
    bool tried;  /* setup was attempted on this thread */
    bool usable; /* the ring works */
    bool op[CNET_RING_OPS];
    unsigned last_cflags;   /* flags of the last operation's completion */
    cnet_socket_handle last_recv; /* the handle of the last stream recv... */
    bool last_recv_nonempty;      /* ...and whether it left data behind */
    cnet_socket_handle last_accept; /* the listener of the last accept... */
    bool last_accept_nonempty;      /* ...and whether more connections were queued */
    bool no_accept_poll_first;      /* the kernel refused IORING_ACCEPT_POLL_FIRST */
};

static _Thread_local struct ring_state tls;
static pthread_key_t ring_key;
static pthread_once_t ring_once = PTHREAD_ONCE_INIT;

/*
 * ThreadSanitizer cannot see liburing map and unmap a ring (it makes the
 * system calls itself, not through libc), so a new thread's ring mapped where
 * a finished thread's ring was looks like memory both threads touched with
 * no order between them. The kernel does order them (the unmap comes before
 * the map that reuses the address); under TSan this counter tells it so: a
 * release after a thread's last use of its ring and before the unmap, an
 * acquire after the map of a new ring. Nothing otherwise.
 */
#if defined(__SANITIZE_THREAD__)
static atomic_uint ring_handoff;
#define RING_GONE() atomic_fetch_add_explicit(&ring_handoff, 1, memory_order_release)
#define RING_COMES() (void)atomic_load_explicit(&ring_handoff, memory_order_acquire)
#else
#define RING_GONE() ((void)0)
#define RING_COMES() ((void)0)
#endif

/* Release the ring when its thread ends. */
static void ring_release(void *arg)
{
    struct ring_state *st = arg;
    if (st != NULL && st->usable) {
        st->usable = false;
        memset(st->op, 0, sizeof st->op);
        RING_GONE();
        io_uring_queue_exit(&st->ring);
    }
}

/* A forked child must not share its parent's ring: it builds its own. */
static void ring_after_fork(void)
{
    if (tls.usable)
        io_uring_queue_exit(&tls.ring); /* unmaps only the child's view */
    memset(&tls, 0, sizeof tls);
}

static void ring_once_init(void)
{
    pthread_key_create(&ring_key, ring_release);
    pthread_atfork(NULL, NULL, ring_after_fork);
}

static bool forced_off(void)
{
    const char *v = getenv("CNET_IO_URING");
    return v != NULL && (strcmp(v, "off") == 0 || strcmp(v, "0") == 0);
}

static void ring_setup(void)
{
    tls.tried = true;
    pthread_once(&ring_once, ring_once_init);
    if (forced_off())
        return;
    struct io_uring_params p;
    memset(&p, 0, sizeof p);
    /* One submitter per ring, completions run when we wait: the cheapest
     * mode for blocking calls. Older kernels refuse the flags: retry plain. */
    p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
    if (io_uring_queue_init_params(8, &tls.ring, &p) < 0) {
        memset(&p, 0, sizeof p);
        if (io_uring_queue_init_params(8, &tls.ring, &p) < 0)
            return;
    }
    RING_COMES();
    struct io_uring_probe *probe = io_uring_get_probe_ring(&tls.ring);
    if (probe == NULL) {
        io_uring_queue_exit(&tls.ring);
        return;
    }
    /* Linked timeouts are how deadlines work: without them, no ring. */
    if (!io_uring_opcode_supported(probe, IORING_OP_LINK_TIMEOUT)) {
        io_uring_free_probe(probe);
        io_uring_queue_exit(&tls.ring);
        return;
    }
    /* op[] is true only for a usable ring: ring_for reads nothing else. */
    for (int op = 0; op < CNET_RING_OPS; op++)
        tls.op[op] = io_uring_opcode_supported(probe, op);
    io_uring_free_probe(probe);
    io_uring_register_ring_fd(&tls.ring);
    tls.usable = true;
    pthread_setspecific(ring_key, &tls);
}

/* The calling thread's ring if it can run `op`, else NULL (use the fallback). */
static struct io_uring *ring_for(int op)
{
    if (__builtin_expect(tls.op[op], 1))
        return &tls.ring;
    if (!tls.tried)
        ring_setup();
    return tls.op[op] ? &tls.ring : NULL;
}

const char *cnet__sys_backend_active(void)
{
    if (!tls.tried)
        ring_setup();
    return tls.usable ? "io_uring" : "posix";
}

/*
 * Handles made non-blocking through cnet (cnet_set_blocking, CNET_FIONBIO,
 * SOCK_NONBLOCK at creation). io_uring waits even on an O_NONBLOCK socket,
 * so the calls that could wait go to the POSIX edge for these handles, which
 * answers CNET_EWOULDBLOCK (or EINPROGRESS) as a non-blocking socket must.
 * Reading a bit is two loads (src/handle_bits.h). A handle wrapped with
 * cnet_socket_from_handle has its mode read once (cnet__sys_handle_adopted);
 * one made non-blocking behind cnet's back after that (fcntl) is not seen.
 */
static cnet__handle_bits nonblocking_handles;

static bool nb_get(cnet_socket_handle h)
{
    return h >= 0 && cnet__handle_bits_get(&nonblocking_handles, (uintptr_t)h);
}

static void nb_set(cnet_socket_handle h, bool nonblocking)
{
    if (h >= 0)
        cnet__handle_bits_put(&nonblocking_handles, (uintptr_t)h, nonblocking);
}

void cnet__sys_blocking_changed(cnet_socket_handle handle, bool blocking)
{
    nb_set(handle, !blocking);
}

/*
 * Blocking handles cnet made listen (cnet__sys_listen; a non-blocking one
 * accepts through the POSIX edge, and the async layer's are closed by their
 * loop, not by cnet__sys_close): an accept on one of them
 * needs no getsockopt (SO_ACCEPTCONN, before IORING_ACCEPT_POLL_FIRST), one
 * system call per connection otherwise. Cleared where a number is closed,
 * made anew or adopted, so a listener cnet did not make is asked as before;
 * one closed behind cnet's back (close(2)) and its number reused is not
 * seen. (The fcntl of nonblocking() stays: the reference promises that an
 * accept answers CNET_EWOULDBLOCK on a listener made O_NONBLOCK with fcntl.)
 */
static cnet__handle_bits listening_handles;

static bool known_listener(cnet_socket_handle h)
{
    return h >= 0 && cnet__handle_bits_get(&listening_handles, (uintptr_t)h);
}

static void known_listener_set(cnet_socket_handle h, bool on)
{
    if (h >= 0 && (on || known_listener(h)))
        cnet__handle_bits_put(&listening_handles, (uintptr_t)h, on);
}

/* A handle made outside cnet: read its mode once (fcntl), then serve it as
 * one made non-blocking through cnet. */
void cnet__sys_handle_adopted(cnet_socket_handle handle)
{
    int fl = fcntl(handle, F_GETFL);
    nb_set(handle, fl >= 0 && (fl & O_NONBLOCK));
    known_listener_set(handle, false);
}

static struct __kernel_timespec remaining(int64_t deadline)
{
    int64_t left = deadline - cnet__posix_now_ms();
    if (left < 0)
        left = 0;
    struct __kernel_timespec ts = {left / 1000, (left % 1000) * 1000000};
    return ts;
}

/* Submit what is queued and reap the one completion it gives (*res): with
 * `wait`, in the same entry (io_uring_submit_and_wait); without, the ring is
 * entered to submit only and a completion that happened inline is picked up
 * without a second look into the kernel. Returns 0, or the ring's own error
 * (then *res is that error too). */
static int submit_reap_one(struct io_uring *ring, bool wait, int *res)
{
    int rc;
    do
        rc = wait ? io_uring_submit_and_wait(ring, 1) : io_uring_submit(ring);
    while (rc == -EINTR);
    struct io_uring_cqe *cqe;
    if (rc >= 0 && io_uring_peek_cqe(ring, &cqe) != 0) {
        do
            rc = io_uring_wait_cqe(ring, &cqe);
        while (rc == -EINTR);
    }
    if (rc < 0)
        return *res = rc;
    *res = cqe->res;
    tls.last_cflags = cqe->flags;
    io_uring_cqe_seen(ring, cqe);
    return 0;
}

static bool is_message_op(const struct io_uring_sqe *sqe)
{
    return sqe->opcode == IORING_OP_SEND || sqe->opcode == IORING_OP_RECV || sqe->opcode == IORING_OP_SENDMSG ||
           sqe->opcode == IORING_OP_RECVMSG;
}

/* run() with a deadline: the operation linked to an IORING_OP_LINK_TIMEOUT. */
static int run_deadline(struct io_uring *ring, struct io_uring_sqe *sqe, int64_t deadline, bool inline_likely,
                        bool *timed_out)
{
    int res;
    if (inline_likely && is_message_op(sqe)) {
        struct io_uring_sqe real = *sqe;
        sqe->msg_flags = (sqe->msg_flags & ~(unsigned)MSG_WAITALL) | MSG_DONTWAIT;
        /* Only the operation's own EAGAIN means "would block". */
        if (submit_reap_one(ring, false, &res) < 0 || res != -EAGAIN)
            return res;
        sqe = io_uring_get_sqe(ring);
        *sqe = real;
    }
    struct __kernel_timespec ts = remaining(deadline);
    io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);
    struct io_uring_sqe *t = io_uring_get_sqe(ring);
    io_uring_prep_link_timeout(t, &ts, 0);
    io_uring_sqe_set_data64(t, 2);
    int rc;
    do
        rc = io_uring_submit_and_wait(ring, 2);
    while (rc == -EINTR);
    res = -ECANCELED;
    int tres = 0;
    for (unsigned got = 0; got < 2;) {
        struct io_uring_cqe *cqe;
        rc = io_uring_wait_cqe(ring, &cqe);
        if (rc == -EINTR)
            continue; /* the deadline is in the kernel: waiting on keeps it */
        if (rc < 0)
            return rc;
        if (io_uring_cqe_get_data64(cqe) == 1) {
            res = cqe->res;
            tls.last_cflags = cqe->flags;
        } else {
            tres = cqe->res;
        }
        io_uring_cqe_seen(ring, cqe);
        got++;
    }
    if (res == -ECANCELED && tres == -ETIME)
        *timed_out = true;
    return res;
}

/*
 * Submit the prepared `sqe` (plus a linked timeout when deadline >= 0) and
 * wait for it. Returns the operation's result (bytes, fd, or -errno);
 * *timed_out tells a deadline from any other cancellation.
 *
 * `inline_likely` says the operation usually completes while it is being
 * submitted (a send with room in the socket buffer, a recv with data
 * waiting, close, bind...). Without a deadline the ring is then entered to
 * submit only and the completion is picked up without a second look into
 * the kernel; entering with GETEVENTS runs the deferred task work and the
 * wait set-up for nothing (measured: +1.5 % on 64-byte ping-pong). With a
 * deadline, a send or recv is first tried with MSG_DONTWAIT (io_uring then
 * answers EAGAIN at once instead of waiting), so a call that does not wait
 * never arms and cancels a timer; only when it would block is it submitted
 * again with its linked timeout. MSG_WAITALL is left out of that try: a
 * partial send must report its count, not EAGAIN. Operations that usually
 * wait (accept, connect, a recv on an empty socket) submit and wait in one
 * entry. Inlined: the calls without a deadline (most of them) pay for no
 * more than the submission.
 */
static inline __attribute__((always_inline)) int run(struct io_uring *ring, struct io_uring_sqe *sqe,
                                                     int64_t deadline, bool inline_likely, bool *timed_out)
{
    *timed_out = false;
    io_uring_sqe_set_data64(sqe, 1);
    if (deadline >= 0)
        return run_deadline(ring, sqe, deadline, inline_likely, timed_out);
    int res;
    submit_reap_one(ring, !inline_likely, &res);
    return res;
}

/* An sqe of the ring; the ring is drained after every call, so there is one. */
static struct io_uring_sqe *sqe_of(struct io_uring *ring)
{
    return io_uring_get_sqe(ring);
}

static cnet_err fail_res(int res, bool timed_out, const char *function, const char *what)
{
    if (timed_out)
        return cnet__fail_os(CNET_ETIMEDOUT, 0, function, "the deadline passed");
    return cnet__fail_os(cnet__err_from_errno(-res), -res, function, what);
}

/* ------------------------------------------------------------- lifecycle */

cnet_err cnet__sys_create_native_socket_int(int domain, int type, int protocol, bool inheritable,
                                            cnet_socket_handle *out)
{
    struct io_uring *ring = ring_for(IORING_OP_SOCKET);
    cnet_err err = CNET_OK;
    if (ring == NULL) {
        err = cnet__posix_create_native_socket_int(domain, type, protocol, inheritable, out);
    } else {
        *out = CNET_INVALID_SOCKET;
        struct io_uring_sqe *sqe = sqe_of(ring);
        io_uring_prep_socket(sqe, domain, type | (inheritable ? 0 : SOCK_CLOEXEC), protocol, 0);
        bool to;
        int res = run(ring, sqe, -1, true, &to);
        if (res < 0)
            return fail_res(res, to, "cnet_create_native_socket", "socket");
        *out = res;
    }
    if (err == CNET_OK) {
        nb_set(*out, (type & SOCK_NONBLOCK) != 0); /* a reused number may carry a stale bit */
        known_listener_set(*out, false);
    }
    return err;
}

/*
 * close(2) itself, not the ring: a close never waits, so the ring would add
 * only its own cost (a submission, a request and a completion; measured
 * 0.7-1 us per connection of a connect/accept/close loop, both ends on one
 * CPU, both ends' CPU per connection 0.87x -> 0.90x of raw calls) and
 * release the descriptor no differently.
 */
cnet_err cnet__sys_close(cnet_socket_handle handle)
{
    nb_set(handle, false);
    known_listener_set(handle, false);
    return cnet__posix_close(handle);
}

cnet_err cnet__sys_bind_addr(cnet_socket_handle handle, const struct sockaddr *name, cnet_socklen namelen)
{
    struct io_uring *ring = ring_for(CNET_IORING_OP_BIND);
    if (ring == NULL)
        return cnet__posix_bind_addr(handle, name, namelen);
    struct io_uring_sqe *sqe = sqe_of(ring);
    io_uring_prep_rw(CNET_IORING_OP_BIND, sqe, handle, name, 0, namelen);
    bool to;
    int res = run(ring, sqe, -1, true, &to);
    return res < 0 ? fail_res(res, to, "cnet_bind_addr", "bind") : CNET_OK;
}

cnet_err cnet__sys_listen(cnet_socket_handle handle, int backlog)
{
    struct io_uring *ring = ring_for(CNET_IORING_OP_LISTEN);
    cnet_err err;
    if (ring == NULL) {
        err = cnet__posix_listen(handle, backlog);
    } else {
        struct io_uring_sqe *sqe = sqe_of(ring);
        io_uring_prep_rw(CNET_IORING_OP_LISTEN, sqe, handle, NULL, (unsigned)backlog, 0);
        bool to;
        int res = run(ring, sqe, -1, true, &to);
        err = res < 0 ? fail_res(res, to, "cnet_listen", "listen") : CNET_OK;
    }
    if (err == CNET_OK && !nb_get(handle))
        known_listener_set(handle, true); /* not the async layer's (non-blocking), closed by its loop */
    return err;
}

/* io_uring waits for a connection even on an O_NONBLOCK listener; such a
 * listener asked for "would block", which the POSIX edge gives. */
static bool nonblocking(cnet_socket_handle handle)
{
    int fl = fcntl(handle, F_GETFL);
    return fl >= 0 && (fl & O_NONBLOCK);
}

cnet_err cnet__sys_accept(cnet_socket_handle handle, bool inheritable, cnet_socket_handle *client, char *address,
                          size_t address_size)
{
    struct io_uring *ring = ring_for(IORING_OP_ACCEPT);
    if (ring == NULL || nb_get(handle) || nonblocking(handle))
        return cnet__posix_accept(handle, inheritable, client, address, address_size);
    *client = CNET_INVALID_SOCKET;
    if (address != NULL && address_size < CNET_ADDRSTRLEN)
        return cnet__fail(CNET_ERANGE, "cnet_accept: address_size must be at least CNET_ADDRSTRLEN");
    struct sockaddr_storage ss;
    cnet_socklen len;
    cnet_socket_handle fd;
    cnet_err err = cnet__sys_accept_deadline(handle, inheritable, -1, &fd, &ss, &len);
    if (err != CNET_OK)
        return err;
    if (address != NULL) {
        err = cnet__format_sockaddr((struct sockaddr *)&ss, len, address, address_size, NULL);
        if (err != CNET_OK) {
            cnet__sys_close(fd);
            return err;
        }
    }
    *client = fd;
    return CNET_OK;
}

/* ------------------------------------------------------------ data path */

int64_t cnet__sys_now_ms(void)
{
    return cnet__posix_now_ms();
}

cnet_err cnet__sys_recv(cnet_socket_handle handle, void *data, size_t size, bool peek, int64_t deadline,
                        size_t *received)
{
    struct io_uring *ring = ring_for(IORING_OP_RECV);
    if (ring == NULL || nb_get(handle))
        return cnet__posix_recv(handle, data, size, peek, deadline, received);
    struct io_uring_sqe *sqe = sqe_of(ring);
    io_uring_prep_recv(sqe, handle, data, size, peek ? MSG_PEEK : 0);
    /* The last receive on this handle said whether it left data behind
     * (IORING_CQE_F_SOCK_NONEMPTY): then this one most likely completes
     * inline. A wrong guess costs one more entry, never a wrong result. */
    bool likely = tls.last_recv == handle && tls.last_recv_nonempty;
    bool to;
    int res = run(ring, sqe, deadline, likely, &to);
    tls.last_recv = handle;
    tls.last_recv_nonempty = res > 0 && (tls.last_cflags & IORING_CQE_F_SOCK_NONEMPTY);
    if (res < 0)
        return fail_res(res, to, "recv", "recv");
    *received = (size_t)res;
    return CNET_OK;
}

cnet_err cnet__sys_send(cnet_socket_handle handle, const void *data, size_t size, int64_t deadline, size_t *sent)
{
    struct io_uring *ring = ring_for(IORING_OP_SEND);
    if (ring == NULL || nb_get(handle))
        return cnet__posix_send(handle, data, size, deadline, sent);
    struct io_uring_sqe *sqe = sqe_of(ring);
    /* MSG_WAITALL: the ring finishes a stream send like a blocking send does
     * (one submission, not one per partial write); a cancelled send still
     * reports the bytes it wrote. Datagram sockets ignore the flag. */
    io_uring_prep_send(sqe, handle, data, size, MSG_NOSIGNAL | MSG_WAITALL);
    bool to;
    int res = run(ring, sqe, deadline, true, &to);
    if (res < 0)
        return fail_res(res, to, "send", "send");
    *sent = (size_t)res;
    return CNET_OK;
}

/* For edge_tls.c (edge_uring.h): the same as ring_for, run, fail_res and
 * nb_get, as functions. */
struct io_uring *cnet__uring_ring_for(int op)
{
    return ring_for(op);
}

int cnet__uring_run(struct io_uring *ring, struct io_uring_sqe *sqe, int64_t deadline, bool inline_likely,
                    bool *timed_out)
{
    return run(ring, sqe, deadline, inline_likely, timed_out);
}

cnet_err cnet__uring_fail(int res, bool timed_out, const char *function, const char *what)
{
    return fail_res(res, timed_out, function, what);
}

bool cnet__uring_nonblocking(cnet_socket_handle handle)
{
    return nb_get(handle);
}

cnet_err cnet__sys_sendv2(cnet_socket_handle handle, const void *a, size_t a_size, const void *b, size_t b_size,
                          int64_t deadline, size_t *sent)
{
    struct io_uring *ring = ring_for(IORING_OP_SEND);
    if (ring == NULL || nb_get(handle))
        return cnet__posix_sendv2(handle, a, a_size, b, b_size, deadline, sent);
    if (deadline >= 0 || b_size == 0) {
        /* A deadline covers one operation: send both buffers with sendmsg. */
        struct iovec iov[2] = {{(void *)a, a_size}, {(void *)b, b_size}};
        struct msghdr msg;
        memset(&msg, 0, sizeof msg);
        msg.msg_iov = iov;
        msg.msg_iovlen = 2;
        struct io_uring_sqe *sqe = sqe_of(ring);
        io_uring_prep_sendmsg(sqe, handle, &msg, MSG_NOSIGNAL);
        bool to;
        int res = run(ring, sqe, deadline, true, &to);
        if (res < 0)
            return fail_res(res, to, "send", "sendmsg");
        *sent = (size_t)res;
        return CNET_OK;
    }
    /* Header and payload as two linked sends in one submission; a short
     * first send cancels the second and the caller sends the rest. */
    struct io_uring_sqe *first = sqe_of(ring), *second = sqe_of(ring);
    io_uring_prep_send(first, handle, a, a_size, MSG_NOSIGNAL);
    io_uring_sqe_set_flags(first, IOSQE_IO_LINK);
    io_uring_sqe_set_data64(first, 1);
    io_uring_prep_send(second, handle, b, b_size, MSG_NOSIGNAL);
    io_uring_sqe_set_data64(second, 2);
    int rc;
    do
        rc = io_uring_submit_and_wait(ring, 2);
    while (rc == -EINTR);
    int r1 = -ECANCELED, r2 = -ECANCELED;
    for (int got = 0; got < 2;) {
        struct io_uring_cqe *cqe;
        rc = io_uring_wait_cqe(ring, &cqe);
        if (rc == -EINTR)
            continue;
        if (rc < 0)
            return fail_res(rc, false, "send", "io_uring_wait_cqe");
        if (io_uring_cqe_get_data64(cqe) == 1)
            r1 = cqe->res;
        else
            r2 = cqe->res;
        io_uring_cqe_seen(ring, cqe);
        got++;
    }
    if (r1 < 0)
        return fail_res(r1, false, "send", "send");
    *sent = (size_t)r1;
    if ((size_t)r1 == a_size && r2 >= 0)
        *sent += (size_t)r2;
    else if ((size_t)r1 == a_size && r2 != -ECANCELED)
        return fail_res(r2, false, "send", "send");
    return CNET_OK;
}

cnet_err cnet__sys_connect(cnet_socket_handle handle, const struct sockaddr *addr, cnet_socklen len,
                           int64_t deadline)
{
    struct io_uring *ring = ring_for(IORING_OP_CONNECT);
    if (ring == NULL || nb_get(handle))
        return cnet__posix_connect(handle, addr, len, deadline);
    struct io_uring_sqe *sqe = sqe_of(ring);
    io_uring_prep_connect(sqe, handle, addr, len);
    bool to;
    int res = run(ring, sqe, deadline, false, &to);
    return res < 0 ? fail_res(res, to, "connect", "connect") : CNET_OK;
}

/* The socket listens (SO_ACCEPTCONN); false when that cannot be told. */
static bool listening(cnet_socket_handle handle)
{
    int on = 0;
    socklen_t len = sizeof on;
    return getsockopt(handle, SOL_SOCKET, SO_ACCEPTCONN, &on, &len) == 0 && on != 0;
}

cnet_err cnet__sys_accept_deadline(cnet_socket_handle handle, bool inheritable, int64_t deadline,
                                   cnet_socket_handle *client, struct sockaddr_storage *addr, cnet_socklen *len)
{
    struct io_uring *ring = ring_for(IORING_OP_ACCEPT);
    if (ring == NULL || nb_get(handle) || nonblocking(handle))
        return cnet__posix_accept_deadline(handle, inheritable, deadline, client, addr, len);
    *client = CNET_INVALID_SOCKET;
    /*
     * An accept that finds no connection queued costs the kernel a socket,
     * an inode and a file made and freed again before io_uring arms its poll
     * (do_accept allocates them before it looks at the queue): measured +2-3
     * us per connection of a connect/accept/close loop on one CPU, the most
     * of cnet's cost there against accept(2). So unless the last accept on
     * this listener said more were queued (IORING_CQE_F_SOCK_NONEMPTY, then
     * this one most likely completes while it is submitted), it arms the poll
     * first (IORING_ACCEPT_POLL_FIRST) and accepts once a connection is
     * there. Only on a socket that listens (cnet's own listeners, others
     * asked with SO_ACCEPTCONN, one getsockopt):
     * on any other the accept fails at once (EINVAL, EOPNOTSUPP) while its
     * poll might never fire. A kernel before 6.10 refuses the flag with
     * EINVAL: one more try without it tells that from a listener shut down
     * meanwhile, and a refusal is remembered for the thread.
     */
    bool queued = tls.last_accept == handle && tls.last_accept_nonempty;
    bool poll_first = !queued && !tls.no_accept_poll_first && (known_listener(handle) || listening(handle));
    socklen_t slen = sizeof *addr;
    bool to;
    struct io_uring_sqe *sqe = sqe_of(ring);
    io_uring_prep_accept(sqe, handle, (struct sockaddr *)addr, &slen, inheritable ? 0 : SOCK_CLOEXEC);
    if (poll_first)
        sqe->ioprio |= IORING_ACCEPT_POLL_FIRST;
    int res = run(ring, sqe, deadline, queued, &to);
    if (res == -EINVAL && poll_first) {
        slen = sizeof *addr;
        sqe = sqe_of(ring);
        io_uring_prep_accept(sqe, handle, (struct sockaddr *)addr, &slen, inheritable ? 0 : SOCK_CLOEXEC);
        res = run(ring, sqe, deadline, false, &to);
        if (res != -EINVAL)
            tls.no_accept_poll_first = true; /* it was the flag */
    }
    tls.last_accept = handle;
    tls.last_accept_nonempty = res >= 0 && (tls.last_cflags & IORING_CQE_F_SOCK_NONEMPTY);
    if (res < 0)
        return fail_res(res, to, "accept", "accept");
    nb_set(res, false);
    known_listener_set(res, false);
    *client = res;
    *len = (cnet_socklen)slen;
    return CNET_OK;
}

cnet_err cnet__sys_shutdown(cnet_socket_handle handle, bool read, bool write)
{
    struct io_uring *ring = ring_for(IORING_OP_SHUTDOWN);
    if (ring == NULL)
        return cnet__posix_shutdown(handle, read, write);
    struct io_uring_sqe *sqe = sqe_of(ring);
    io_uring_prep_shutdown(sqe, handle, read && write ? SHUT_RDWR : read ? SHUT_RD : SHUT_WR);
    bool to;
    int res = run(ring, sqe, -1, true, &to);
    return res < 0 ? fail_res(res, to, "cnet_socket_shutdown", "shutdown") : CNET_OK;
}

void cnet__sys_wake(cnet_socket_handle handle)
{
    /* A shutdown wakes the polls behind pending ring operations too. */
    cnet__sys_shutdown(handle, true, true);
}
