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
 * signalled with it (EPOLLRDHUP, EPOLLHUP, EPOLLERR: no edge would follow).
 * A socket that is readable and wanted but was not drained (fairness: a few
 * reads per turn) waits on the pending list, served before the next wait,
 * which then does not sleep. This file is the loop half (waiting, outside
 * descriptors, wake-ups); async_epoll_io.c serves the sockets.
 *
 * Sends are written at once (try_send, send); only a send that meets a full
 * socket buffer waits for WRITABLE. Outside descriptors (cnet_loop_add_read)
 * are watched through a dup() registered EPOLLONESHOT, so the same descriptor
 * may be watched for reading and writing, or be one of the loop's own.
 */
#ifdef __linux__
#define _GNU_SOURCE 1 /* accept4 */
#endif
#include "async_epoll.h"

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

static cnet_err poll_start(cnet_loop *loop, cnet_async_op *op)
{
    state *st = ST(loop);
    op->u.poll.be_aux = (void *)(intptr_t)-1;
    if (st->poll_mode) {
        if (fcntl(op->u.poll.fd, F_GETFD) < 0) {
            int e = errno;
            return cnet__fail_os(cnet__err_from_errno(e), e, op->function, "descriptor");
        }
        if (!cnet__epoll_grow((void **)&st->polls, &st->polls_cap, st->polls_len + 1, sizeof *st->polls))
            return cnet__fail(CNET_ENOMEM, "async: out of memory");
        st->polls[st->polls_len++] = op;
        return CNET_OK;
    }
#ifdef HAVE_EPOLL
    int fd = fcntl(op->u.poll.fd, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) {
        int e = errno;
        return cnet__fail_os(cnet__err_from_errno(e), e, op->function, "descriptor");
    }
    struct epoll_event ev = {.events = (op->u.poll.write ? EPOLLOUT : EPOLLIN) | EPOLLONESHOT,
                             .data.u64 = (uint64_t)(uintptr_t)op | 1};
    if (epoll_ctl(st->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
        int e = errno;
        close(fd);
        if (e != EPERM)
            return cnet__fail_os(cnet__err_from_errno(e), e, op->function, "epoll_ctl(ADD)");
        /* EPERM: a regular file, always ready (as poll() says of it). */
        cnet__async_complete(op, CNET_OK, 0);
        return CNET_OK;
    }
    op->u.poll.be_aux = (void *)(intptr_t)fd;
#endif
    return CNET_OK;
}

static void poll_cancel(cnet_loop *loop, cnet_async_op *op)
{
    poll_done(loop, op, CNET_ECANCELED, 0);
}

/* ------------------------------------------------------------ waiting */

static void drain_wake(state *st)
{
    /* Read first, then clear the flag. Cleared first, a wake between the two
     * would have its write read here and leave the flag set with nothing
     * to read: every later wake (a stop, a post) would then skip its write
     * while the loop sleeps. A wake that finds the flag still set here
     * needs no write: its state change is seen by the loop after this wait. */
    uint8_t buf[64];
    while (read(st->wake_r, buf, sizeof buf) == (ssize_t)sizeof buf)
        ;
    atomic_store(&st->woken, false);
}

/* A wait's timeout, shortened for stalled listeners and pending sockets. */
static int wait_timeout(state *st, int timeout)
{
    if (st->pending_len || (st->stalled_len && st->closed_one))
        return 0;
    if (st->stalled_len && (timeout < 0 || timeout > STALL_RETRY_MS))
        return STALL_RETRY_MS;
    return timeout;
}

static void retry_stalled(state *st)
{
    st->closed_one = false;
    for (size_t n = st->stalled_len; n > 0 && st->stalled_len; n--) {
        cnet_async_socket *s = st->stalled[0];
        cnet__epoll_unstall(s);
        s->be_flags |= B_READABLE;
        if (s->be_flags & B_WANT_ACCEPT)
            cnet__epoll_pend(s);
    }
}

static void serve_pending(cnet_loop *loop)
{
    state *st = ST(loop);
    if (st->stalled_len)
        retry_stalled(st);
    /* Only those pending now; serving may pend them (or others) again. */
    size_t n = st->pending_len;
    for (size_t i = 0; i < n && i < st->pending_len; i++) {
        cnet_async_socket *s = st->pending[0];
        st->pending[0] = st->pending[--st->pending_len];
        s->be_flags &= ~B_PENDING;
        cnet__epoll_serve(s);
    }
}

#ifdef HAVE_EPOLL
static cnet_err wait_epoll(cnet_loop *loop, int timeout)
{
    state *st = ST(loop);
    struct epoll_event ev[256];
    int n = epoll_wait(st->epfd, ev, 256, wait_timeout(st, timeout));
    if (n < 0 && errno != EINTR)
        return cnet__epoll_os_fail("epoll_wait");
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
            cnet__epoll_serve(s);
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
    if (!cnet__epoll_grow((void **)&st->pfds, &st->pfds_cap, need, sizeof *st->pfds))
        return cnet__fail(CNET_ENOMEM, "async: out of memory");
    struct pollfd *p = st->pfds;
    size_t k = 0;
    p[k++] = (struct pollfd){.fd = st->wake_r, .events = POLLIN};
    for (size_t i = 0; i < st->socks_len; i++) {
        cnet_async_socket *s = st->socks[i];
        short ev = 0;
        if ((s->be_flags & (B_WANT_READ | B_WANT_ACCEPT)) && !(s->be_flags & B_STALLED))
            ev |= POLLIN; /* a stalled listener would report its queue again at once */
        if (s->be_flags & (B_SEND_WAIT | B_CONNECT_WAIT))
            ev |= POLLOUT;
        p[k++] = (struct pollfd){.fd = ev ? s->fd : -1, .events = ev};
    }
    for (size_t i = 0; i < st->polls_len; i++)
        p[k++] = (struct pollfd){.fd = st->polls[i]->u.poll.fd,
                                 .events = st->polls[i]->u.poll.write ? POLLOUT : POLLIN};
    size_t nsocks = st->socks_len, npolls = st->polls_len;
    int n = poll(p, (nfds_t)k, wait_timeout(st, timeout));
    if (n < 0 && errno != EINTR)
        return cnet__epoll_os_fail("poll");
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
            cnet__epoll_serve(ready[i]);
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
    free(st->stalled);
    free(st->socks);
    free(st->polls);
    free(st->pfds);
    free(st);
    loop->be_state = NULL;
}

#define VTABLE(NAME)                                                                                       \
    {.name = NAME, .destroy = destroy, .fd = be_fd, .wait = be_wait, .wake = wake, .attach = cnet__epoll_attach,       \
     .detach = cnet__epoll_detach, .close = cnet__epoll_close, .want_read = cnet__epoll_want_read, .want_accept = cnet__epoll_want_accept,             \
     .send = cnet__epoll_send, .cancel_send = cnet__epoll_cancel_send, .send_to = cnet__epoll_send_to, .try_send = cnet__epoll_try_send,            \
     .connect = cnet__epoll_connect, .cancel_connect = cnet__epoll_cancel_connect, .poll_start = poll_start,                   \
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
            *err = cnet__epoll_os_fail("epoll_create1/eventfd");
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
            *err = cnet__epoll_os_fail("pipe");
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
