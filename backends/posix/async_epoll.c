/*
 * The readiness backends of the async loop (src/async_internal.h): epoll on
 * Linux, and a portable poll() loop for other Unix systems (also forced with
 * CNET_ASYNC_POLL=1, so that it is tested here too). The io_uring backend
 * falls back to this file when the kernel refuses a ring.
 *
 * epoll is edge-triggered: each descriptor is registered once, for input and
 * output, when it joins the loop, and never modified again, so starting or
 * finishing an operation costs no epoll_ctl. An edge sets READABLE or
 * WRITABLE; they are cleared when a call returns EAGAIN, or when a read
 * returns less than it asked for (the queue was empty at that moment, and any
 * later byte raises a new edge) unless the peer's end or an error was
 * signalled with it (EPOLLRDHUP, EPOLLHUP, EPOLLERR: no edge would follow). A socket that is readable and wanted but was
 * not drained (fairness: a few reads per turn) waits on the pending list,
 * served before the next wait, which then does not sleep.
 *
 * Sends are written at once (try_send, send); only a send that meets a full
 * socket buffer waits for WRITABLE. Outside descriptors (cnet_loop_add_read)
 * are watched through a dup() registered EPOLLONESHOT, so the same descriptor
 * may be watched for reading and writing, or be one of the loop's own.
 */
#ifdef __linux__
#define _GNU_SOURCE 1 /* accept4 */
#endif
#include "async_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#ifdef __linux__
#include <sys/epoll.h>
#include <sys/eventfd.h>
#define HAVE_EPOLL 1
#endif

enum {
    B_READABLE = 1u << 0,
    B_WRITABLE = 1u << 1,
    B_WANT_READ = 1u << 2,
    B_WANT_ACCEPT = 1u << 3,
    B_SEND_WAIT = 1u << 4,    /* the head send waits for WRITABLE */
    B_CONNECT_WAIT = 1u << 5,
    B_PENDING = 1u << 6,      /* on st->pending */
    B_HUP = 1u << 7           /* the peer's end (or an error) was signalled: read until recv says so */
};

#define READS_PER_TURN 4
#define ACCEPTS_PER_TURN 64

typedef struct {
    bool poll_mode;
    int epfd;
    int wake_r, wake_w;       /* eventfd (both the same) or a pipe */
    atomic_bool woken;
    cnet_async_socket **pending;
    size_t pending_len, pending_cap;
    /* poll mode: every attached socket and every watched descriptor */
    cnet_async_socket **socks;
    size_t socks_len, socks_cap;
    cnet_async_op **polls;
    size_t polls_len, polls_cap;
    struct pollfd *pfds;
    size_t pfds_cap;
} state;

#define ST(loop) ((state *)(loop)->be_state)

static cnet_err os_fail(const char *what)
{
    int e = errno;
    return cnet__fail_os(cnet__err_from_errno(e), e, "async", what);
}

static bool grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap * 2 : 64;
    while (c < need)
        c *= 2;
    void *p = realloc(*arr, c * elem);
    if (p == NULL)
        return false;
    *arr = p;
    *cap = c;
    return true;
}

static void pend(cnet_async_socket *s)
{
    state *st = ST(s->loop);
    if (s->be_flags & B_PENDING)
        return;
    if (!grow((void **)&st->pending, &st->pending_cap, st->pending_len + 1, sizeof *st->pending))
        return; /* served at the next edge instead */
    st->pending[st->pending_len++] = s;
    s->be_flags |= B_PENDING;
}

static void unpend(cnet_async_socket *s)
{
    state *st = ST(s->loop);
    if (!(s->be_flags & B_PENDING))
        return;
    for (size_t i = 0; i < st->pending_len; i++)
        if (st->pending[i] == s) {
            st->pending[i] = st->pending[--st->pending_len];
            break;
        }
    s->be_flags &= ~B_PENDING;
}

/* ------------------------------------------------------ serving a socket */

static void do_send(cnet_async_socket *s)
{
    cnet_async_op *op = s->writes.head;
    if (op == NULL)
        return;
    const cnet__op_write *w = &op->u.write;
    ssize_t n;
    do {
        if (op->kind == CNET_ASYNC_SEND_TO)
            n = sendto(s->fd, w->data, w->size, MSG_NOSIGNAL | MSG_DONTWAIT, (const struct sockaddr *)&w->to,
                       w->to_len);
        else
            n = send(s->fd, w->data + w->sent, w->size - w->sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        s->be_flags = (s->be_flags & ~B_WRITABLE) | B_SEND_WAIT;
        return;
    }
    s->be_flags &= ~B_SEND_WAIT;
    if (n < 0) {
        int e = errno;
        cnet__async_on_sent(s, 0, cnet__err_from_errno(e), e);
    } else {
        cnet__async_on_sent(s, (size_t)n, CNET_OK, 0);
    }
}

static void do_connect_result(cnet_async_socket *s)
{
    int so_error = 0;
    socklen_t len = sizeof so_error;
    if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0)
        so_error = errno;
    if (so_error == EINPROGRESS || so_error == EALREADY)
        return; /* a spurious edge: still waiting */
    s->be_flags &= ~B_CONNECT_WAIT;
    cnet__async_on_connected(s, so_error ? cnet__err_from_errno(so_error) : CNET_OK, so_error);
}

static void do_accept(cnet_async_socket *s)
{
    for (int i = 0; i < ACCEPTS_PER_TURN && (s->be_flags & (B_READABLE | B_WANT_ACCEPT)) ==
                                                (B_READABLE | B_WANT_ACCEPT); i++) {
        int fd = accept4(s->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            cnet__async_on_accept(s, fd, CNET_OK, 0);
            continue;
        }
        int e = errno;
        if (e == EINTR)
            continue;
        if (e == EAGAIN || e == EWOULDBLOCK) {
            s->be_flags &= ~B_READABLE;
            return;
        }
        if (e == ECONNABORTED || e == EPROTO)
            continue;
        /* EMFILE and friends: reported to the pending accept; the
         * connection stays queued in the kernel. */
        s->be_flags &= ~B_READABLE;
        cnet__async_on_accept(s, CNET_INVALID_SOCKET, cnet__err_from_errno(e), e);
        return;
    }
    if ((s->be_flags & (B_READABLE | B_WANT_ACCEPT)) == (B_READABLE | B_WANT_ACCEPT))
        pend(s);
}

static void do_read(cnet_async_socket *s)
{
    uint8_t *buf = s->loop->scratch;
    for (int i = 0; i < READS_PER_TURN && (s->be_flags & (B_READABLE | B_WANT_READ)) ==
                                              (B_READABLE | B_WANT_READ) && !(s->flags & CNET__S_CLOSING); i++) {
        if (s->type == CNET_SOCK_STREAM) {
            ssize_t n = recv(s->fd, buf, CNET__SCRATCH, MSG_DONTWAIT);
            if (n > 0) {
                /* A short read drained the queue; unless the end is signalled
                 * too: then no new edge comes for it, so read on to see it. */
                if ((size_t)n < CNET__SCRATCH && !(s->be_flags & B_HUP))
                    s->be_flags &= ~B_READABLE;
                cnet__async_on_data(s, buf, (size_t)n);
                continue;
            }
            if (n == 0) {
                s->be_flags &= ~B_READABLE;
                cnet__async_on_data(s, buf, 0);
                return;
            }
        } else {
            struct sockaddr_storage from;
            struct iovec iov = {buf, CNET__SCRATCH};
            struct msghdr msg = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1};
            ssize_t n = recvmsg(s->fd, &msg, MSG_DONTWAIT);
            if (n >= 0) {
                cnet__async_on_datagram(s, buf, (size_t)n, (msg.msg_flags & MSG_TRUNC) != 0,
                                        (const struct sockaddr *)&from, msg.msg_namelen);
                continue;
            }
        }
        int e = errno;
        if (e == EINTR)
            continue;
        s->be_flags &= ~B_READABLE;
        if (e != EAGAIN && e != EWOULDBLOCK)
            cnet__async_on_read_error(s, cnet__err_from_errno(e), e);
        return;
    }
    if ((s->be_flags & (B_READABLE | B_WANT_READ)) == (B_READABLE | B_WANT_READ) && !(s->flags & CNET__S_CLOSING))
        pend(s);
}

static void serve(cnet_async_socket *s)
{
    if (s->flags & CNET__S_RELEASED)
        return;
    if ((s->be_flags & (B_WRITABLE | B_CONNECT_WAIT)) == (B_WRITABLE | B_CONNECT_WAIT))
        do_connect_result(s);
    if ((s->be_flags & (B_WRITABLE | B_SEND_WAIT)) == (B_WRITABLE | B_SEND_WAIT))
        do_send(s);
    if (s->flags & CNET__S_RELEASED)
        return;
    if (s->be_flags & B_WANT_ACCEPT)
        do_accept(s);
    else if (s->be_flags & B_WANT_READ)
        do_read(s);
}

/* --------------------------------------------------------- the vtable */

static cnet_err attach(cnet_async_socket *s)
{
    state *st = ST(s->loop);
    s->be_flags = 0;
#ifdef HAVE_EPOLL
    if (!st->poll_mode) {
        struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.ptr = s};
        if (epoll_ctl(st->epfd, EPOLL_CTL_ADD, s->fd, &ev) != 0)
            return os_fail("epoll_ctl(ADD)");
        return CNET_OK;
    }
#endif
    if (!grow((void **)&st->socks, &st->socks_cap, st->socks_len + 1, sizeof *st->socks))
        return cnet__fail(CNET_ENOMEM, "async: out of memory");
    s->be_count = (uint32_t)st->socks_len;
    st->socks[st->socks_len++] = s;
    return CNET_OK;
}

static void detach(cnet_async_socket *s)
{
    state *st = ST(s->loop);
    unpend(s);
    s->be_flags = 0;
#ifdef HAVE_EPOLL
    if (!st->poll_mode) {
        epoll_ctl(st->epfd, EPOLL_CTL_DEL, s->fd, NULL);
        return;
    }
#endif
    uint32_t i = s->be_count;
    if (i < st->socks_len && st->socks[i] == s) {
        st->socks[i] = st->socks[--st->socks_len];
        st->socks[i]->be_count = i;
    }
}

static void be_close(cnet_async_socket *s)
{
    if (s->be_flags & B_SEND_WAIT) {
        s->be_flags &= ~B_SEND_WAIT;
        cnet__async_on_sent(s, 0, CNET_ECANCELED, 0);
    }
    if (s->be_flags & B_CONNECT_WAIT) {
        s->be_flags &= ~B_CONNECT_WAIT;
        cnet__async_on_connected(s, CNET_ECANCELED, 0);
    }
    state *st = ST(s->loop);
    if (st->poll_mode)
        detach(s);
    else
        unpend(s); /* close() takes the descriptor out of the epoll set */
    close(s->fd);
    cnet__async_released(s);
}

static void want_read(cnet_async_socket *s, bool on)
{
    if (on) {
        s->be_flags |= B_WANT_READ;
        if (s->be_flags & B_READABLE)
            pend(s);
    } else {
        s->be_flags &= ~B_WANT_READ;
    }
}

static void want_accept(cnet_async_socket *s, bool on)
{
    if (on) {
        s->be_flags |= B_WANT_ACCEPT | (ST(s->loop)->poll_mode ? 0 : B_READABLE);
        pend(s); /* an accept finds out for itself: connections may be queued already */
    } else {
        s->be_flags &= ~B_WANT_ACCEPT;
    }
}

static void be_send(cnet_async_socket *s, const uint8_t *data, size_t size)
{
    (void)data;
    (void)size; /* the head op says what: do_send reads it again after a wait */
    do_send(s);
}

static void be_send_to(cnet_async_socket *s, const uint8_t *data, size_t size, const struct sockaddr *to,
                       cnet_socklen len)
{
    (void)data, (void)size, (void)to, (void)len;
    do_send(s);
}

static cnet_err try_send(cnet_async_socket *s, const uint8_t *data, size_t size, size_t *n, int *os_error)
{
    ssize_t r;
    do
        r = send(s->fd, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
    while (r < 0 && errno == EINTR);
    *n = r > 0 ? (size_t)r : 0;
    if (r >= 0)
        return CNET_OK;
    *os_error = errno;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
        s->be_flags &= ~B_WRITABLE;
        return CNET_EWOULDBLOCK;
    }
    return cnet__err_from_errno(errno);
}

static void cancel_send(cnet_async_socket *s)
{
    if (s->be_flags & B_SEND_WAIT) {
        s->be_flags &= ~B_SEND_WAIT;
        cnet__async_on_sent(s, 0, CNET_ECANCELED, 0);
    }
}

static void be_connect(cnet_async_socket *s, const struct sockaddr *to, cnet_socklen len)
{
    s->be_flags &= ~B_WRITABLE;
    int rc;
    do
        rc = connect(s->fd, to, len);
    while (rc != 0 && errno == EINTR);
    if (rc == 0) {
        cnet__async_on_connected(s, CNET_OK, 0);
    } else if (errno == EINPROGRESS) {
        s->be_flags |= B_CONNECT_WAIT;
    } else {
        int e = errno;
        cnet__async_on_connected(s, cnet__err_from_errno(e), e);
    }
}

static void cancel_connect(cnet_async_socket *s)
{
    if (s->be_flags & B_CONNECT_WAIT) {
        s->be_flags &= ~B_CONNECT_WAIT;
        cnet__async_on_connected(s, CNET_ECANCELED, 0);
    }
}

/* ------------------------------------------------- outside descriptors */

static void poll_done(cnet_loop *loop, cnet_async_op *op, cnet_err err, int os_error)
{
    state *st = ST(loop);
    int dupfd = (int)(intptr_t)op->u.poll.be_aux;
    if (st->poll_mode) {
        for (size_t i = 0; i < st->polls_len; i++)
            if (st->polls[i] == op) {
                st->polls[i] = st->polls[--st->polls_len];
                break;
            }
    } else if (dupfd >= 0) {
#ifdef HAVE_EPOLL
        epoll_ctl(st->epfd, EPOLL_CTL_DEL, dupfd, NULL);
#endif
        close(dupfd);
    }
    op->u.poll.be_aux = (void *)(intptr_t)-1;
    cnet__async_complete(op, err, os_error);
}

static void poll_start(cnet_loop *loop, cnet_async_op *op)
{
    state *st = ST(loop);
    op->u.poll.be_aux = (void *)(intptr_t)-1;
    if (st->poll_mode) {
        if (!grow((void **)&st->polls, &st->polls_cap, st->polls_len + 1, sizeof *st->polls)) {
            cnet__async_complete(op, CNET_ENOMEM, 0);
            return;
        }
        st->polls[st->polls_len++] = op;
        return;
    }
#ifdef HAVE_EPOLL
    int fd = fcntl(op->u.poll.fd, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) {
        int e = errno;
        cnet__async_complete(op, cnet__err_from_errno(e), e);
        return;
    }
    struct epoll_event ev = {.events = (op->u.poll.write ? EPOLLOUT : EPOLLIN) | EPOLLONESHOT,
                             .data.u64 = (uint64_t)(uintptr_t)op | 1};
    if (epoll_ctl(st->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
        int e = errno;
        close(fd);
        /* EPERM: a regular file, always ready (as poll() says of it). */
        cnet__async_complete(op, e == EPERM ? CNET_OK : cnet__err_from_errno(e), e);
        return;
    }
    op->u.poll.be_aux = (void *)(intptr_t)fd;
#endif
}

static void poll_cancel(cnet_loop *loop, cnet_async_op *op)
{
    poll_done(loop, op, CNET_ECANCELED, 0);
}

/* ------------------------------------------------------------ waiting */

static void drain_wake(state *st)
{
    /* Clear the flag first: a wake after this point writes again. */
    atomic_store(&st->woken, false);
    uint8_t buf[64];
    while (read(st->wake_r, buf, sizeof buf) == (ssize_t)sizeof buf)
        ;
}

static void serve_pending(cnet_loop *loop)
{
    state *st = ST(loop);
    /* Only those pending now; serving may pend them (or others) again. */
    size_t n = st->pending_len;
    for (size_t i = 0; i < n && i < st->pending_len; i++) {
        cnet_async_socket *s = st->pending[0];
        st->pending[0] = st->pending[--st->pending_len];
        s->be_flags &= ~B_PENDING;
        serve(s);
    }
}

#ifdef HAVE_EPOLL
static cnet_err wait_epoll(cnet_loop *loop, int timeout)
{
    state *st = ST(loop);
    struct epoll_event ev[256];
    if (st->pending_len)
        timeout = 0;
    int n = epoll_wait(st->epfd, ev, 256, timeout);
    if (n < 0 && errno != EINTR)
        return os_fail("epoll_wait");
    for (int i = 0; i < n; i++) {
        uint64_t tag = ev[i].data.u64;
        if (tag == 0) {
            drain_wake(st);
        } else if (tag & 1) {
            poll_done(loop, (cnet_async_op *)(uintptr_t)(tag & ~(uint64_t)1), CNET_OK, 0);
        } else {
            cnet_async_socket *s = ev[i].data.ptr;
            uint32_t e = ev[i].events;
            if (e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
                s->be_flags |= B_READABLE;
            if (e & (EPOLLRDHUP | EPOLLHUP | EPOLLERR))
                s->be_flags |= B_HUP;
            if (e & (EPOLLOUT | EPOLLHUP | EPOLLERR))
                s->be_flags |= B_WRITABLE;
            serve(s);
        }
    }
    serve_pending(loop);
    return CNET_OK;
}
#endif

static cnet_err wait_poll(cnet_loop *loop, int timeout)
{
    state *st = ST(loop);
    size_t need = 1 + st->socks_len + st->polls_len;
    if (!grow((void **)&st->pfds, &st->pfds_cap, need, sizeof *st->pfds))
        return cnet__fail(CNET_ENOMEM, "async: out of memory");
    struct pollfd *p = st->pfds;
    size_t k = 0;
    p[k++] = (struct pollfd){.fd = st->wake_r, .events = POLLIN};
    for (size_t i = 0; i < st->socks_len; i++) {
        cnet_async_socket *s = st->socks[i];
        short ev = 0;
        if (s->be_flags & (B_WANT_READ | B_WANT_ACCEPT))
            ev |= POLLIN;
        if (s->be_flags & (B_SEND_WAIT | B_CONNECT_WAIT))
            ev |= POLLOUT;
        p[k++] = (struct pollfd){.fd = ev ? s->fd : -1, .events = ev};
    }
    for (size_t i = 0; i < st->polls_len; i++)
        p[k++] = (struct pollfd){.fd = st->polls[i]->u.poll.fd,
                                 .events = st->polls[i]->u.poll.write ? POLLOUT : POLLIN};
    if (st->pending_len)
        timeout = 0;
    size_t nsocks = st->socks_len, npolls = st->polls_len;
    int n = poll(p, (nfds_t)k, timeout);
    if (n < 0 && errno != EINTR)
        return os_fail("poll");
    if (n > 0) {
        if (p[0].revents)
            drain_wake(st);
        /* Snapshot the ready ones first: serving changes both arrays. */
        cnet_async_socket **ready = NULL;
        size_t nready = 0;
        cnet_async_op **fired = NULL;
        size_t nfired = 0;
        ready = malloc((nsocks + 1) * sizeof *ready);
        fired = malloc((npolls + 1) * sizeof *fired);
        if (ready == NULL || fired == NULL) {
            free(ready);
            free(fired);
            return cnet__fail(CNET_ENOMEM, "async: out of memory");
        }
        for (size_t i = 0; i < nsocks; i++) {
            short re = p[1 + i].revents;
            if (re == 0 || p[1 + i].fd < 0)
                continue;
            cnet_async_socket *s = st->socks[i];
            if (re & (POLLIN | POLLHUP | POLLERR))
                s->be_flags |= B_READABLE;
            if (re & (POLLOUT | POLLHUP | POLLERR))
                s->be_flags |= B_WRITABLE;
            ready[nready++] = s;
        }
        for (size_t i = 0; i < npolls; i++)
            if (p[1 + nsocks + i].revents)
                fired[nfired++] = st->polls[i];
        for (size_t i = 0; i < nfired; i++)
            poll_done(loop, fired[i], CNET_OK, 0);
        for (size_t i = 0; i < nready; i++) {
            /* Level-triggered: what this turn does not finish, the next poll reports again. */
            serve(ready[i]);
            if (!(ready[i]->flags & CNET__S_RELEASED))
                ready[i]->be_flags &= ~(B_READABLE | B_WRITABLE);
        }
        free(ready);
        free(fired);
    }
    serve_pending(loop);
    return CNET_OK;
}

static cnet_err be_wait(cnet_loop *loop, int timeout)
{
#ifdef HAVE_EPOLL
    if (!ST(loop)->poll_mode)
        return wait_epoll(loop, timeout);
#endif
    return wait_poll(loop, timeout);
}

static void wake(cnet_loop *loop)
{
    state *st = ST(loop);
    if (atomic_exchange(&st->woken, true))
        return; /* already on its way */
    uint64_t one = 1;
    ssize_t r;
    do
        r = write(st->wake_w, &one, st->wake_r == st->wake_w ? sizeof one : 1);
    while (r < 0 && errno == EINTR);
}

static int be_fd(const cnet_loop *loop)
{
    const state *st = loop->be_state;
    return st->poll_mode ? -1 : st->epfd;
}

static void destroy(cnet_loop *loop)
{
    state *st = ST(loop);
    if (st->epfd >= 0)
        close(st->epfd);
    close(st->wake_r);
    if (st->wake_w != st->wake_r)
        close(st->wake_w);
    free(st->pending);
    free(st->socks);
    free(st->polls);
    free(st->pfds);
    free(st);
    loop->be_state = NULL;
}

#define VTABLE(NAME)                                                                                       \
    {.name = NAME, .destroy = destroy, .fd = be_fd, .wait = be_wait, .wake = wake, .attach = attach,       \
     .detach = detach, .close = be_close, .want_read = want_read, .want_accept = want_accept,             \
     .send = be_send, .cancel_send = cancel_send, .send_to = be_send_to, .try_send = try_send,            \
     .connect = be_connect, .cancel_connect = cancel_connect, .poll_start = poll_start,                   \
     .poll_cancel = poll_cancel}

static const cnet__async_backend epoll_backend = VTABLE("epoll");
static const cnet__async_backend poll_backend = VTABLE("poll");

static bool set_nonblock_cloexec(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl >= 0 && fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0 && fcntl(fd, F_SETFD, FD_CLOEXEC) == 0;
}

const cnet__async_backend *cnet__async_epoll_open(cnet_loop *loop, cnet_err *err)
{
    state *st = calloc(1, sizeof *st);
    loop->scratch = malloc(CNET__SCRATCH);
    if (st == NULL || loop->scratch == NULL) {
        free(st);
        *err = cnet__fail(CNET_ENOMEM, "cnet_loop_new: out of memory");
        return NULL;
    }
    st->epfd = st->wake_r = st->wake_w = -1;
    atomic_init(&st->woken, false);
    const char *force = getenv("CNET_ASYNC_POLL");
    st->poll_mode = force && force[0] && strcmp(force, "0") != 0;
#ifdef HAVE_EPOLL
    if (!st->poll_mode) {
        st->epfd = epoll_create1(EPOLL_CLOEXEC);
        st->wake_r = st->wake_w = st->epfd >= 0 ? eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC) : -1;
        struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0};
        if (st->epfd < 0 || st->wake_r < 0 || epoll_ctl(st->epfd, EPOLL_CTL_ADD, st->wake_r, &ev) != 0) {
            *err = os_fail("epoll_create1/eventfd");
            if (st->epfd >= 0)
                close(st->epfd);
            if (st->wake_r >= 0)
                close(st->wake_r);
            free(st);
            return NULL;
        }
    }
#else
    st->poll_mode = true;
#endif
    if (st->poll_mode) {
        int fds[2];
        if (pipe(fds) != 0 || !set_nonblock_cloexec(fds[0]) || !set_nonblock_cloexec(fds[1])) {
            *err = os_fail("pipe");
            free(st);
            return NULL;
        }
        st->wake_r = fds[0];
        st->wake_w = fds[1];
    }
    loop->be_state = st;
    *err = CNET_OK;
    return st->poll_mode ? &poll_backend : &epoll_backend;
}
