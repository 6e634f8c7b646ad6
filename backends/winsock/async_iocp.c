/*
 * The Windows backend of the async loop (src/async_internal.h): one I/O
 * completion port per loop. Every socket of the loop is associated with the
 * port when it joins (attach) and every operation is an overlapped request
 * (AcceptEx, ConnectEx, WSARecv, WSARecvFrom, WSASend, WSASendTo: the socket
 * half, async_iocp_io.c) whose completion the wait dequeues. This file is
 * the loop half:
 *
 *   wait       GetQueuedCompletionStatusEx, up to 64 packets per call, with
 *              the timeout the loop core computes from its deadline heap:
 *              timers cost no request, no timer object and no polling.
 *   wake       PostQueuedCompletionStatus of a wake packet (any thread); an
 *              atomic flag keeps at most one in the port.
 *   outside descriptors (cnet_loop_add_read / add_write)
 *              a helper thread per loop, started on the first one, waits in
 *              WSAPoll on every watched handle plus a loopback UDP socket
 *              that interrupts it when the set changes; a handle that is
 *              ready is posted to the port (PostQueuedCompletionStatus) and
 *              the loop's thread completes its op. An overlapped zero-byte
 *              receive would need the handle in the loop's port, which is
 *              for good and would take the owner's own overlapped
 *              completions away from it; WSAPoll leaves the handle alone
 *              (no association, no mode change) and tells writability too.
 *   embedding  none: a completion port is no descriptor another loop could
 *              wait on (cnet_loop_backend_fd returns -1).
 */
#include "async_iocp.h"

#include "winsock_edge.h"

#define ENTRIES 64

struct cnet__iocp_watch {
    cnet__iocp_watch *next, *prev;
    cnet_async_op *op;       /* NULL once cancelled */
    SOCKET fd;
    short events;
    bool dead;               /* cancelled while watched: the helper frees it */
    bool fired;              /* on st->posted: its packet is in the port */
    short revents;
    int error;               /* WSAPoll failed as a whole: its Winsock error */
};

/* ------------------------------------------------- outside descriptors */

static void watch_unlink(cnet__iocp_watch **list, cnet__iocp_watch *w)
{
    if (w->prev)
        w->prev->next = w->next;
    else
        *list = w->next;
    if (w->next)
        w->next->prev = w->prev;
    w->next = w->prev = NULL;
}

static void watch_push(cnet__iocp_watch **list, cnet__iocp_watch *w)
{
    w->prev = NULL;
    w->next = *list;
    if (*list)
        (*list)->prev = w;
    *list = w;
}

static void poller_wake(cnet__iocp *st)
{
    char b = 0;
    send(st->wake_tx, &b, 1, 0); /* WSAEWOULDBLOCK: wakes are queued already */
}

/* Under the lock: hand w to the loop's thread. */
static void fire(cnet__iocp *st, cnet__iocp_watch *w, short revents, int error)
{
    watch_unlink(&st->watching, w);
    if (w->dead) {
        free(w);
        return;
    }
    w->fired = true;
    w->revents = revents;
    w->error = error;
    watch_push(&st->posted, w);
    PostQueuedCompletionStatus(st->port, 0, CNET__IOCP_KEY_POLL, (OVERLAPPED *)w);
}

static DWORD WINAPI poller_main(LPVOID arg)
{
    cnet__iocp *st = arg;
    WSAPOLLFD *fds = NULL;
    cnet__iocp_watch **who = NULL;
    size_t cap = 0;
    for (;;) {
        EnterCriticalSection(&st->lock);
        if (st->quit) {
            LeaveCriticalSection(&st->lock);
            break;
        }
        size_t k = 1;
        for (cnet__iocp_watch *w = st->watching, *next; w; w = next) {
            next = w->next;
            if (w->dead) {
                watch_unlink(&st->watching, w);
                free(w);
                continue;
            }
            if (k == cap || fds == NULL) {
                size_t c = cap ? cap * 2 : 16;
                WSAPOLLFD *f = realloc(fds, c * sizeof *f);
                cnet__iocp_watch **o = f ? realloc(who, c * sizeof *o) : NULL;
                if (f)
                    fds = f;
                if (o == NULL) {
                    fire(st, w, 0, WSAENOBUFS); /* out of memory: that one ends now */
                    continue;
                }
                who = o;
                cap = c;
            }
            fds[k] = (WSAPOLLFD){.fd = w->fd, .events = w->events};
            who[k++] = w;
        }
        LeaveCriticalSection(&st->lock);
        if (fds == NULL) {
            Sleep(10); /* out of memory for the first array: try again */
            continue;
        }
        fds[0] = (WSAPOLLFD){.fd = st->wake_rx, .events = POLLRDNORM};
        int n = WSAPoll(fds, (ULONG)k, -1);
        int e = n == SOCKET_ERROR ? WSAGetLastError() : 0;
        if (n != SOCKET_ERROR && fds[0].revents) {
            char buf[64];
            while (recv(st->wake_rx, buf, sizeof buf, 0) > 0)
                ;
        }
        EnterCriticalSection(&st->lock);
        for (size_t i = 1; i < k; i++)
            if (e != 0 || fds[i].revents)
                fire(st, who[i], e ? 0 : fds[i].revents, e);
        LeaveCriticalSection(&st->lock);
        if (e != 0)
            Sleep(10); /* WSAPoll failed as a whole (every watch ended with it): not again at once */
    }
    free(fds);
    free(who);
    return 0;
}

/* The helper thread and its wake-up pair: a UDP socket on 127.0.0.1 and
 * one connected to it. */
static cnet_err poller_start(cnet__iocp *st, const char *function)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int len = (int)sizeof a;
    u_long nb = 1;
    st->wake_rx = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    st->wake_tx = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    if (st->wake_rx == INVALID_SOCKET || st->wake_tx == INVALID_SOCKET ||
        bind(st->wake_rx, (struct sockaddr *)&a, len) != 0 ||
        getsockname(st->wake_rx, (struct sockaddr *)&a, &len) != 0 ||
        connect(st->wake_tx, (struct sockaddr *)&a, len) != 0 || ioctlsocket(st->wake_rx, FIONBIO, &nb) != 0 ||
        ioctlsocket(st->wake_tx, FIONBIO, &nb) != 0) {
        cnet_err err = cnet__winsock_fail(function, "the helper thread's wake-up sockets");
        if (st->wake_rx != INVALID_SOCKET)
            closesocket(st->wake_rx);
        if (st->wake_tx != INVALID_SOCKET)
            closesocket(st->wake_tx);
        st->wake_rx = st->wake_tx = INVALID_SOCKET;
        return err;
    }
    SetHandleInformation((HANDLE)st->wake_rx, HANDLE_FLAG_INHERIT, 0);
    SetHandleInformation((HANDLE)st->wake_tx, HANDLE_FLAG_INHERIT, 0);
    st->poller = CreateThread(NULL, 64 * 1024, poller_main, st, STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
    if (st->poller == NULL) {
        DWORD e = GetLastError();
        closesocket(st->wake_rx);
        closesocket(st->wake_tx);
        st->wake_rx = st->wake_tx = INVALID_SOCKET;
        return cnet__fail_os(CNET_EOS, (int)e, function, "CreateThread (the WSAPoll helper)");
    }
    return CNET_OK;
}

static cnet_err poll_start(cnet_loop *loop, cnet_async_op *op)
{
    cnet__iocp *st = CNET__IOCP(loop);
    op->u.poll.be_aux = NULL;
    /* A handle that is no socket (or one already closed) is refused now. */
    int type = 0, tlen = (int)sizeof type;
    if (getsockopt(op->u.poll.fd, SOL_SOCKET, SO_TYPE, (char *)&type, &tlen) != 0) {
        int e = WSAGetLastError();
        return cnet__fail_os(e == WSAENOTSOCK ? CNET_EBADF : cnet__err_from_winsock(e), e, op->function,
                             "descriptor");
    }
    if (st->poller == NULL) {
        cnet_err err = poller_start(st, op->function);
        if (err != CNET_OK)
            return err;
    }
    cnet__iocp_watch *w = calloc(1, sizeof *w);
    if (w == NULL)
        return cnet__fail(CNET_ENOMEM, "async: out of memory");
    w->op = op;
    w->fd = op->u.poll.fd;
    w->events = op->u.poll.write ? POLLWRNORM : POLLRDNORM;
    EnterCriticalSection(&st->lock);
    watch_push(&st->watching, w);
    LeaveCriticalSection(&st->lock);
    op->u.poll.be_aux = w;
    poller_wake(st);
    return CNET_OK;
}

static void poll_cancel(cnet_loop *loop, cnet_async_op *op)
{
    cnet__iocp *st = CNET__IOCP(loop);
    cnet__iocp_watch *w = op->u.poll.be_aux;
    if (w == NULL)
        return;
    op->u.poll.be_aux = NULL;
    EnterCriticalSection(&st->lock);
    bool watched = !w->fired;
    w->op = NULL;
    w->dead = watched; /* watched: the helper frees it; posted: the packet's turn does */
    LeaveCriticalSection(&st->lock);
    if (watched)
        poller_wake(st);
    cnet__async_complete(op, CNET_ECANCELED, 0);
}

static void poll_fired(cnet__iocp *st, cnet__iocp_watch *w)
{
    EnterCriticalSection(&st->lock);
    watch_unlink(&st->posted, w);
    LeaveCriticalSection(&st->lock);
    cnet_async_op *op = w->op;
    short re = w->revents;
    int e = w->error;
    free(w);
    if (op == NULL)
        return;
    op->u.poll.be_aux = NULL;
    if (e != 0)
        cnet__async_complete(op, cnet__err_from_winsock(e), e);
    else if (re & POLLNVAL)
        cnet__async_complete(op, CNET_EBADF, WSAENOTSOCK); /* closed while watched */
    else
        cnet__async_complete(op, CNET_OK, 0); /* ready, or its end or an error: the caller's call tells */
}

static void poller_stop(cnet__iocp *st)
{
    if (st->poller == NULL)
        return;
    EnterCriticalSection(&st->lock);
    st->quit = true;
    LeaveCriticalSection(&st->lock);
    poller_wake(st);
    WaitForSingleObject(st->poller, INFINITE);
    CloseHandle(st->poller);
    st->poller = NULL;
    while (st->watching) {
        cnet__iocp_watch *w = st->watching;
        watch_unlink(&st->watching, w);
        free(w);
    }
    while (st->posted) {
        cnet__iocp_watch *w = st->posted;
        watch_unlink(&st->posted, w);
        free(w);
    }
    closesocket(st->wake_rx);
    closesocket(st->wake_tx);
}

/* ---------------------------------------------------- waking, waiting */

static void be_wake(cnet_loop *loop)
{
    cnet__iocp *st = CNET__IOCP(loop);
    if (atomic_exchange(&st->woken, true))
        return; /* a wake packet is on its way */
    if (!PostQueuedCompletionStatus(st->port, 0, CNET__IOCP_KEY_WAKE, NULL))
        atomic_store(&st->woken, false);
}

static cnet_err be_wait(cnet_loop *loop, int timeout)
{
    cnet__iocp *st = CNET__IOCP(loop);
    if (st->stalled) {
        int64_t left = CNET__IOCP_STALL_MS - (cnet__sys_now_ms() - st->stalled_at);
        if (st->closed_one || left <= 0)
            cnet__iocp_retry_stalled(st);
        else if (timeout < 0 || timeout > left)
            timeout = (int)left;
    }
    st->closed_one = false;
    OVERLAPPED_ENTRY ev[ENTRIES];
    ULONG n = 0;
    if (!GetQueuedCompletionStatusEx(st->port, ev, ENTRIES, &n, timeout < 0 ? INFINITE : (DWORD)timeout, FALSE)) {
        DWORD e = GetLastError();
        if (e == WAIT_TIMEOUT)
            return CNET_OK;
        return cnet__fail_os(CNET_EOS, (int)e, "cnet_loop_poll", "GetQueuedCompletionStatusEx");
    }
    for (ULONG i = 0; i < n; i++) {
        switch (ev[i].lpCompletionKey) {
        case CNET__IOCP_KEY_IO:
            cnet__iocp_completed(loop, ev[i].lpOverlapped, ev[i].dwNumberOfBytesTransferred);
            break;
        case CNET__IOCP_KEY_WAKE:
            /* Cleared after the packet is taken: a wake from now on posts
             * again; one that found the flag set is seen after this wait. */
            atomic_store(&st->woken, false);
            break;
        case CNET__IOCP_KEY_POLL: poll_fired(st, (cnet__iocp_watch *)ev[i].lpOverlapped); break;
        default: break;
        }
    }
    return CNET_OK;
}

/* -------------------------------------------------------- open, destroy */

static int be_fd(const cnet_loop *loop)
{
    (void)loop;
    return -1;
}

static void be_destroy(cnet_loop *loop)
{
    cnet__iocp *st = CNET__IOCP(loop);
    poller_stop(st);
    DeleteCriticalSection(&st->lock);
    CloseHandle(st->port);
    free(st);
    loop->be_state = NULL;
}

static const cnet__async_backend iocp_backend = {
    .name = "iocp",
    .destroy = be_destroy,
    .fd = be_fd,
    .wait = be_wait,
    .wake = be_wake,
    .attach = cnet__iocp_attach,
    .detach = cnet__iocp_detach,
    .close = cnet__iocp_close,
    .want_read = cnet__iocp_want_read,
    .want_accept = cnet__iocp_want_accept,
    .send = cnet__iocp_send,
    .cancel_send = cnet__iocp_cancel_send,
    .send_to = cnet__iocp_send_to,
    .connect = cnet__iocp_connect,
    .cancel_connect = cnet__iocp_cancel_connect,
    .poll_start = poll_start,
    .poll_cancel = poll_cancel,
};

cnet_err cnet__async_backend_open(cnet_loop *loop)
{
    cnet_err err = cnet__winsock_ready("cnet_loop_new");
    if (err != CNET_OK)
        return err;
    cnet__iocp *st = calloc(1, sizeof *st);
    loop->scratch = malloc(CNET__SCRATCH); /* stream reads (async_iocp_io.c); freed with the loop */
    if (st == NULL || loop->scratch == NULL) {
        free(st);
        return cnet__fail(CNET_ENOMEM, "cnet_loop_new: out of memory");
    }
    st->port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    if (st->port == NULL) {
        DWORD e = GetLastError();
        free(st);
        return cnet__fail_os(CNET_EOS, (int)e, "cnet_loop_new", "CreateIoCompletionPort");
    }
    atomic_init(&st->woken, false);
    InitializeCriticalSection(&st->lock);
    st->wake_rx = st->wake_tx = INVALID_SOCKET;
    loop->be_state = st;
    loop->be = &iocp_backend;
    return CNET_OK;
}
