/*
 * The per-socket half of the readiness backends (async_epoll.h): reading,
 * accepting, sending and connecting one socket when its descriptor is ready,
 * and the socket calls of the vtable.
 */
#ifdef __linux__
#define _GNU_SOURCE 1 /* accept4 */
#endif
#include "async_epoll.h"

cnet_err cnet__epoll_os_fail(const char *what)
{
    int e = errno;
    return cnet__fail_os(cnet__err_from_errno(e), e, "async", what);
}

bool cnet__epoll_grow(void **arr, size_t *cap, size_t need, size_t elem)
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

void cnet__epoll_pend(cnet_async_socket *s)
{
    state *st = ST(s->loop);
    if (s->be_flags & B_PENDING)
        return;
    if (!cnet__epoll_grow((void **)&st->pending, &st->pending_cap, st->pending_len + 1, sizeof *st->pending))
        return; /* served at the next edge instead */
    st->pending[st->pending_len++] = s;
    s->be_flags |= B_PENDING;
}

void cnet__epoll_stall(cnet_async_socket *s)
{
    state *st = ST(s->loop);
    if ((s->be_flags & B_STALLED) ||
        !cnet__epoll_grow((void **)&st->stalled, &st->stalled_cap, st->stalled_len + 1, sizeof *st->stalled))
        return;
    st->stalled[st->stalled_len++] = s;
    s->be_flags |= B_STALLED;
}

void cnet__epoll_unstall(cnet_async_socket *s)
{
    state *st = ST(s->loop);
    if (!(s->be_flags & B_STALLED))
        return;
    for (size_t i = 0; i < st->stalled_len; i++)
        if (st->stalled[i] == s) {
            st->stalled[i] = st->stalled[--st->stalled_len];
            break;
        }
    s->be_flags &= ~B_STALLED;
}

void cnet__epoll_unpend(cnet_async_socket *s)
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
    if (s->be_send_data == NULL)
        return;
    ssize_t n;
    do {
        if (s->be_send_to)
            n = sendto(s->fd, s->be_send_data, s->be_send_size, MSG_NOSIGNAL | MSG_DONTWAIT, s->be_send_to,
                       s->be_send_to_len);
        else
            n = send(s->fd, s->be_send_data, s->be_send_size, MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        s->be_flags = (s->be_flags & ~B_WRITABLE) | B_SEND_WAIT;
        return;
    }
    s->be_flags &= ~B_SEND_WAIT;
    s->be_send_data = NULL;
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
         * connection stays queued in the kernel, retried later (stall). */
        cnet__epoll_stall(s);
        cnet__async_on_accept(s, CNET_INVALID_SOCKET, cnet__err_from_errno(e), e);
        return;
    }
    if ((s->be_flags & (B_READABLE | B_WANT_ACCEPT)) == (B_READABLE | B_WANT_ACCEPT))
        cnet__epoll_pend(s);
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
        cnet__epoll_pend(s);
}

void cnet__epoll_serve(cnet_async_socket *s)
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

cnet_err cnet__epoll_attach(cnet_async_socket *s)
{
    state *st = ST(s->loop);
    s->be_flags = 0;
#ifdef HAVE_EPOLL
    if (!st->poll_mode) {
        struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.ptr = s};
        if (epoll_ctl(st->epfd, EPOLL_CTL_ADD, s->fd, &ev) != 0)
            return cnet__epoll_os_fail("epoll_ctl(ADD)");
        return CNET_OK;
    }
#endif
    if (!cnet__epoll_grow((void **)&st->socks, &st->socks_cap, st->socks_len + 1, sizeof *st->socks))
        return cnet__fail(CNET_ENOMEM, "async: out of memory");
    s->be_count = (uint32_t)st->socks_len;
    st->socks[st->socks_len++] = s;
    return CNET_OK;
}

void cnet__epoll_detach(cnet_async_socket *s)
{
    state *st = ST(s->loop);
    cnet__epoll_unpend(s);
    cnet__epoll_unstall(s);
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

void cnet__epoll_close(cnet_async_socket *s)
{
    if (s->be_flags & B_SEND_WAIT) {
        s->be_flags &= ~B_SEND_WAIT;
        s->be_send_data = NULL;
        cnet__async_on_sent(s, 0, CNET_ECANCELED, 0);
    }
    if (s->be_flags & B_CONNECT_WAIT) {
        s->be_flags &= ~B_CONNECT_WAIT;
        cnet__async_on_connected(s, CNET_ECANCELED, 0);
    }
    state *st = ST(s->loop);
    if (st->poll_mode) {
        cnet__epoll_detach(s);
    } else {
        cnet__epoll_unpend(s); /* close() takes the descriptor out of the epoll set */
        cnet__epoll_unstall(s);
    }
    close(s->fd);
    st->closed_one = true;
    cnet__async_released(s);
}

void cnet__epoll_want_read(cnet_async_socket *s, bool on)
{
    if (on) {
        s->be_flags |= B_WANT_READ;
        if (s->be_flags & B_READABLE)
            cnet__epoll_pend(s);
    } else {
        s->be_flags &= ~B_WANT_READ;
    }
}

void cnet__epoll_want_accept(cnet_async_socket *s, bool on)
{
    if (on) {
        s->be_flags |= B_WANT_ACCEPT | (ST(s->loop)->poll_mode ? 0 : B_READABLE);
        cnet__epoll_pend(s); /* an accept finds out for itself: connections may be queued already */
    } else {
        s->be_flags &= ~B_WANT_ACCEPT;
    }
}

void cnet__epoll_send(cnet_async_socket *s, const uint8_t *data, size_t size)
{
    s->be_send_data = data; /* kept until it is written (a wait for writability) */
    s->be_send_size = size;
    s->be_send_to = NULL;
    do_send(s);
}

void cnet__epoll_send_to(cnet_async_socket *s, const uint8_t *data, size_t size, const struct sockaddr *to,
                       cnet_socklen len)
{
    s->be_send_data = data;
    s->be_send_size = size;
    s->be_send_to = to;
    s->be_send_to_len = len;
    do_send(s);
}

cnet_err cnet__epoll_try_send(cnet_async_socket *s, const uint8_t *data, size_t size, size_t *n, int *os_error)
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

void cnet__epoll_cancel_send(cnet_async_socket *s)
{
    if (s->be_flags & B_SEND_WAIT) {
        s->be_flags &= ~B_SEND_WAIT;
        s->be_send_data = NULL;
        cnet__async_on_sent(s, 0, CNET_ECANCELED, 0);
    }
}

void cnet__epoll_connect(cnet_async_socket *s, const struct sockaddr *to, cnet_socklen len)
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

void cnet__epoll_cancel_connect(cnet_async_socket *s)
{
    if (s->be_flags & B_CONNECT_WAIT) {
        s->be_flags &= ~B_CONNECT_WAIT;
        cnet__async_on_connected(s, CNET_ECANCELED, 0);
    }
}
