/*
 * The socket half of the Windows async backend (async_iocp.h): every socket
 * operation is one overlapped request whose completion comes through the
 * loop's port (async_iocp.c hands each packet to cnet__iocp_completed).
 *
 *   per socket   s->be_ptr: one request slot per direction (a receive, or a
 *                listener's accepts; a send or send_to; a connect), each an
 *                OVERLAPPED with what its call needs kept next to it until
 *                the completion (buffers, addresses, the pre-created accept
 *                socket). s->be_count counts the requests in flight.
 *   reads        streams: a zero-byte WSARecv, which completes once bytes,
 *                the end or an error are there without taking any; then
 *                non-blocking recv() into the loop's 64 KiB buffer
 *                (loop->scratch, lent to on_data for the call), a few times
 *                at most, and a new zero-byte receive: an idle connection
 *                holds no buffer. Datagrams: WSARecvFrom into a 64 KiB
 *                buffer of the socket's, held while the socket code wants
 *                datagrams. Re-armed after each completion while wanted;
 *                want_read(false) cancels the request (CancelIoEx).
 *   accept       up to ACCEPTS AcceptEx in flight while the socket code
 *                wants connections (one would take a loop iteration per
 *                connection), each into a socket created beforehand (same
 *                family), then SO_UPDATE_ACCEPT_CONTEXT, so getpeername
 *                works on it; want_accept(false) cancels them.
 *   send         WSASend of the caller's bytes (the socket code keeps them
 *                until on_sent); send_to: WSASendTo, the address copied.
 *   connect      ConnectEx (the socket bound to the wildcard first), then
 *                SO_UPDATE_CONNECT_CONTEXT; a datagram socket connects with
 *                connect(), which does not wait.
 *   close        CancelIoEx on every request; once every one has completed
 *                (their OVERLAPPED and buffers are in use until then),
 *                closesocket and cnet__async_released.
 *
 * Every result comes through the port, also of a request that completes at
 * once (FILE_SKIP_COMPLETION_PORT_ON_SUCCESS is not used), so a start never
 * reports, except a request the system refuses at once.
 */
#include "async_iocp.h"

#define DGRAM_BUF 65536u         /* a datagram socket's receive buffer (the largest datagram fits) */
#define READS_PER_TURN 4         /* stream reads of the loop's buffer per readiness (fairness) */
#define SEND_MAX 0x40000000u     /* one WSASend writes at most this (its length is a ULONG) */
#define ADDR_SLOT (sizeof(struct sockaddr_storage) + 16) /* AcceptEx: each address needs 16 more */
#define ACCEPTS 8                /* AcceptEx requests of a listener in flight at most */

/* s->be_flags: a request in flight (its cancel asked for: _CXL), what the
 * socket code wants, and whether it closed the socket. */
enum {
    B_RECV = 1u << 0, B_RECV_CXL = 1u << 1, B_SEND = 1u << 2, B_SEND_CXL = 1u << 3, B_CONN = 1u << 4,
    B_CONN_CXL = 1u << 5, B_WANT_READ = 1u << 6, B_WANT_ACCEPT = 1u << 7, B_CLOSED = 1u << 8, B_STALLED = 1u << 9
};

enum { R_RECV, R_ACCEPT, R_SEND, R_CONN };

typedef struct {
    OVERLAPPED ov;               /* first: the packet's OVERLAPPED pointer is the request's */
    uint8_t kind;                /* R_* */
    cnet_async_socket *s;
} req;

/* One AcceptEx of a listener. */
typedef struct {
    req r;                       /* first: the packet's OVERLAPPED is the slot's */
    SOCKET accepted;             /* AcceptEx's socket; INVALID_SOCKET: the slot is free */
    bool cancelled;
    uint8_t addrs[2 * ADDR_SLOT];
} accept_slot;

typedef struct {
    req rd, wr, cn;
    /* the read slot: a receive; a listener's accepts */
    uint8_t *rbuf;               /* a datagram socket's DGRAM_BUF bytes while it reads */
    char zero;                   /* what a stream's zero-byte receive points to */
    WSABUF rwsa;
    DWORD rflags;
    struct sockaddr_storage from;
    INT from_len;
    accept_slot *acc;            /* ACCEPTS of them, made on the first accept */
    unsigned accepting;          /* of them in flight */
    /* the write slot */
    WSABUF swsa;
    struct sockaddr_storage to;
    /* the connect slot */
    struct sockaddr_storage conn_to;
} sock_ext;

static const uint8_t eof_byte;   /* what on_data(s, ..., 0) points to */

static sock_ext *X(const cnet_async_socket *s)
{
    return s->be_ptr;
}

#define STATUS_PENDING_ 0x103u

static void req_init(req *r, cnet_async_socket *s, uint8_t kind)
{
    memset(&r->ov, 0, sizeof r->ov);
    r->ov.Internal = STATUS_PENDING_;
    r->kind = kind;
    r->s = s;
}

/* Did the request start, so that its packet will come? A call that says
 * WSA_IO_PENDING, or that succeeded at once, did; so did one that failed
 * with a warning status in its OVERLAPPED (STATUS_BUFFER_OVERFLOW: an
 * oversized datagram, a truncated one), for which the system queues a
 * packet too (wine does, for WSASendTo of 70000 bytes). Any other failure
 * queues none: *e says why. */
static bool started(const req *r, int rc, int *e)
{
    *e = rc == 0 ? 0 : WSAGetLastError();
    return rc == 0 || *e == WSA_IO_PENDING || (r->ov.Internal & 0xC0000000u) == 0x80000000u;
}

static void released_if_done(cnet_async_socket *s)
{
    if (!(s->be_flags & B_CLOSED) || s->be_count != 0 || (s->flags & CNET__S_RELEASED))
        return;
    cnet__sys_close(s->fd);
    sock_ext *x = X(s);
    if (x) {
        free(x->rbuf);
        free(x->acc);
        free(x);
        s->be_ptr = NULL;
    }
    cnet__async_released(s);
}

/* Cancel one request in flight (its completion reports). */
static void cancel_req(cnet_async_socket *s, req *r, uint32_t busy, uint32_t cxl)
{
    if ((s->be_flags & (busy | cxl)) != busy)
        return;
    s->be_flags |= cxl;
    CancelIoEx((HANDLE)s->fd, &r->ov);
}

/* The Winsock error of a completed request: 0, or WSAGetLastError() of
 * WSAGetOverlappedResult; once the socket code closed the socket only
 * success is told apart, anything else reads as cancelled. */
static int req_error(cnet_async_socket *s, req *r, DWORD *bytes)
{
    if (s->be_flags & B_CLOSED)
        return r->ov.Internal == 0 ? 0 : WSA_OPERATION_ABORTED;
    DWORD n = 0, flags = 0;
    if (WSAGetOverlappedResult(s->fd, &r->ov, &n, FALSE, &flags)) {
        *bytes = n;
        return 0;
    }
    int e = WSAGetLastError();
    if (e == WSAEMSGSIZE)
        *bytes = n;
    return e;
}

/* An extension function of Winsock (AcceptEx, ConnectEx) into out. */
static bool extension(SOCKET fd, const GUID *guid, void *out, DWORD size)
{
    DWORD n = 0;
    GUID g = *guid;
    return WSAIoctl(fd, SIO_GET_EXTENSION_FUNCTION_POINTER, &g, sizeof g, out, size, &n, NULL, NULL) == 0;
}

/* ---------------------------------------------------------- receiving */

/* Streams: a zero-byte WSARecv, which completes when bytes (or the end,
 * or an error) are there without taking any, so an idle connection holds
 * no buffer; the bytes are then read into the loop's buffer (drain).
 * Datagrams: WSARecvFrom into the socket's own buffer (a zero-byte receive
 * would consume the datagram). */
static void arm_recv(cnet_async_socket *s);

/* A receive refused at once: reported. A datagram socket's error (the ICMP
 * of an earlier datagram: WSAECONNRESET, WSAENETRESET) belongs to that
 * datagram, so it receives again, a few times at most in a row. */
static void recv_refused(cnet_async_socket *s, int e)
{
    static const int tries = 8;
    cnet__async_on_read_error(s, cnet__err_from_winsock(e), e);
    if (s->type == CNET_SOCK_STREAM || (e != WSAECONNRESET && e != WSAENETRESET) || X(s) == NULL ||
        (s->be_flags & (B_WANT_READ | B_CLOSED | B_RECV)) != B_WANT_READ || s->be_aux >= (uintptr_t)tries)
        return;
    s->be_aux++;
    arm_recv(s);
}

static void arm_recv(cnet_async_socket *s)
{
    sock_ext *x = X(s);
    bool stream = s->type == CNET_SOCK_STREAM;
    if (!stream && x->rbuf == NULL && (x->rbuf = malloc(DGRAM_BUF)) == NULL) {
        cnet__async_on_read_error(s, CNET_ENOMEM, 0);
        return;
    }
    req_init(&x->rd, s, R_RECV);
    x->rwsa.buf = stream ? &x->zero : (char *)x->rbuf;
    x->rwsa.len = stream ? 0 : DGRAM_BUF;
    x->rflags = 0;
    int rc;
    if (stream) {
        rc = WSARecv(s->fd, &x->rwsa, 1, NULL, &x->rflags, &x->rd.ov, NULL);
    } else {
        x->from_len = (INT)sizeof x->from;
        rc = WSARecvFrom(s->fd, &x->rwsa, 1, NULL, &x->rflags, (struct sockaddr *)&x->from, &x->from_len, &x->rd.ov,
                         NULL);
    }
    int e;
    if (started(&x->rd, rc, &e)) {
        s->be_flags |= B_RECV;
        s->be_count++;
        s->be_aux = 0; /* recv_refused's count (a listener's be_aux links the stalled ones) */
        return;
    }
    recv_refused(s, e); /* a reset connection... */
}

/* A stream socket is readable: read what is there (a few buffers at most)
 * while the socket code wants it. The socket is non-blocking. */
static void drain(cnet_async_socket *s)
{
    uint8_t *buf = s->loop->scratch;
    for (int i = 0; i < READS_PER_TURN && (s->be_flags & (B_WANT_READ | B_CLOSED)) == B_WANT_READ; i++) {
        int n = recv(s->fd, (char *)buf, CNET__SCRATCH, 0);
        if (n > 0) {
            cnet__async_on_data(s, buf, (size_t)n);
            if (n < (int)CNET__SCRATCH)
                return; /* drained: the next zero-byte receive waits for more */
            continue;
        }
        if (n == 0) {
            cnet__async_on_data(s, &eof_byte, 0);
            return;
        }
        int e = WSAGetLastError();
        if (e != WSAEWOULDBLOCK && e != WSAEINTR)
            cnet__async_on_read_error(s, cnet__err_from_winsock(e), e);
        return;
    }
}

static void done_recv(cnet_async_socket *s, DWORD bytes)
{
    sock_ext *x = X(s);
    bool cancelled = (s->be_flags & B_RECV_CXL) != 0;
    int e = req_error(s, &x->rd, &bytes);
    s->be_flags &= ~(B_RECV | B_RECV_CXL);
    s->be_count--;
    if (s->be_flags & B_CLOSED) {
        released_if_done(s);
        return;
    }
    if (s->type == CNET_SOCK_STREAM) {
        if (e == 0)
            drain(s);
        else if (!(cancelled && e == WSA_OPERATION_ABORTED))
            cnet__async_on_read_error(s, cnet__err_from_winsock(e), e);
    } else if (e == 0 || e == WSAEMSGSIZE) {
        cnet__async_on_datagram(s, x->rbuf, bytes, e == WSAEMSGSIZE, (const struct sockaddr *)&x->from,
                                (cnet_socklen)x->from_len);
    } else if (!(cancelled && e == WSA_OPERATION_ABORTED)) {
        cnet__async_on_read_error(s, cnet__err_from_winsock(e), e);
    }
    /* The reports may have closed the socket, or turned reading off and on. */
    if ((s->be_flags & (B_WANT_READ | B_CLOSED | B_RECV)) == B_WANT_READ) {
        arm_recv(s);
    } else if (!(s->be_flags & B_RECV) && (x = X(s)) != NULL) {
        free(x->rbuf);
        x->rbuf = NULL;
    }
    released_if_done(s);
}

void cnet__iocp_want_read(cnet_async_socket *s, bool on)
{
    if (s->be_flags & B_CLOSED)
        return;
    if (on) {
        s->be_flags |= B_WANT_READ;
        if (!(s->be_flags & B_RECV))
            arm_recv(s);
    } else {
        s->be_flags &= ~B_WANT_READ;
        cancel_req(s, &X(s)->rd, B_RECV, B_RECV_CXL);
    }
}

/* ---------------------------------------------------------- accepting */

static void stall(cnet_async_socket *s)
{
    cnet__iocp *st = CNET__IOCP(s->loop);
    if (s->be_flags & B_STALLED)
        return;
    s->be_flags |= B_STALLED;
    s->be_aux = (uintptr_t)st->stalled;
    st->stalled = s;
    st->stalled_at = cnet__sys_now_ms();
}

static void unstall(cnet_async_socket *s)
{
    cnet__iocp *st = CNET__IOCP(s->loop);
    if (!(s->be_flags & B_STALLED))
        return;
    cnet_async_socket **p = &st->stalled;
    while (*p && *p != s)
        p = (cnet_async_socket **)&(*p)->be_aux;
    if (*p)
        *p = (cnet_async_socket *)s->be_aux;
    s->be_flags &= ~B_STALLED;
}

/* A failure to accept: reported to the pending accept (if any), and the
 * listener tries again later rather than at once. */
static void accept_failed(cnet_async_socket *s, int e)
{
    stall(s);
    cnet__async_on_accept(s, CNET_INVALID_SOCKET, e ? cnet__err_from_winsock(e) : CNET_EOS, e);
}

/* Start one AcceptEx in slot k: false (and reported) when it could not. */
static bool arm_accept_one(cnet_async_socket *s, accept_slot *k)
{
    cnet__iocp *st = CNET__IOCP(s->loop);
    static const GUID guid = WSAID_ACCEPTEX;
    if (st->accept_ex == NULL && !extension(s->fd, &guid, &st->accept_ex, sizeof st->accept_ex)) {
        accept_failed(s, WSAGetLastError());
        return false;
    }
    SOCKET a = socket(cnet__domain_to_os(s->domain), SOCK_STREAM, IPPROTO_TCP);
    if (a == INVALID_SOCKET) {
        accept_failed(s, WSAGetLastError()); /* out of sockets or memory */
        return false;
    }
    SetHandleInformation((HANDLE)a, HANDLE_FLAG_INHERIT, 0);
    req_init(&k->r, s, R_ACCEPT);
    k->accepted = a;
    k->cancelled = false;
    DWORD n = 0;
    int e;
    if (!started(&k->r, st->accept_ex(s->fd, a, k->addrs, 0, ADDR_SLOT, ADDR_SLOT, &n, &k->r.ov) ? 0 : -1, &e)) {
        closesocket(a);
        k->accepted = INVALID_SOCKET;
        accept_failed(s, e);
        return false;
    }
    X(s)->accepting++;
    s->be_count++;
    return true;
}

/* Fill the free slots while the socket code wants connections. */
static void arm_accepts(cnet_async_socket *s)
{
    sock_ext *x = X(s);
    if (x->acc == NULL) {
        if ((x->acc = calloc(ACCEPTS, sizeof *x->acc)) == NULL) {
            cnet__async_on_accept(s, CNET_INVALID_SOCKET, CNET_ENOMEM, 0);
            return;
        }
        for (int i = 0; i < ACCEPTS; i++)
            x->acc[i].accepted = INVALID_SOCKET;
    }
    for (int i = 0; i < ACCEPTS && x->accepting < ACCEPTS; i++) {
        if ((s->be_flags & (B_WANT_ACCEPT | B_CLOSED | B_STALLED)) != B_WANT_ACCEPT)
            return;
        if (x->acc[i].accepted == INVALID_SOCKET && !arm_accept_one(s, &x->acc[i]))
            return;
    }
}

void cnet__iocp_retry_stalled(cnet__iocp *st)
{
    cnet_async_socket *s = st->stalled;
    st->stalled = NULL;
    st->closed_one = false;
    while (s) {
        cnet_async_socket *next = (cnet_async_socket *)s->be_aux;
        s->be_flags &= ~B_STALLED;
        arm_accepts(s);
        s = next;
    }
}

static void done_accept(cnet_async_socket *s, accept_slot *k)
{
    sock_ext *x = X(s);
    DWORD bytes = 0;
    int e = req_error(s, &k->r, &bytes);
    SOCKET a = k->accepted;
    k->accepted = INVALID_SOCKET;
    x->accepting--;
    s->be_count--;
    if (e == 0 && !(s->be_flags & B_CLOSED)) {
        SOCKET l = s->fd;
        u_long nb = 1;
        if (setsockopt(a, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (const char *)&l, sizeof l) != 0 ||
            ioctlsocket(a, FIONBIO, &nb) != 0) {
            e = WSAGetLastError();
            closesocket(a);
            accept_failed(s, e);
        } else {
            cnet__async_on_accept(s, (cnet_socket_handle)a, CNET_OK, 0);
        }
    } else {
        closesocket(a);
        if (!(s->be_flags & B_CLOSED) && !(k->cancelled && e == WSA_OPERATION_ABORTED)) {
            if (e == WSAECONNRESET || e == WSAECONNABORTED)
                cnet__async_on_accept(s, CNET_INVALID_SOCKET, CNET_ECONNABORTED, e); /* the client gave up */
            else
                accept_failed(s, e);
        }
    }
    if (X(s) != NULL)
        arm_accepts(s);
    released_if_done(s);
}

void cnet__iocp_want_accept(cnet_async_socket *s, bool on)
{
    sock_ext *x = X(s);
    if (s->be_flags & B_CLOSED)
        return;
    if (on) {
        s->be_flags |= B_WANT_ACCEPT;
        arm_accepts(s);
    } else {
        s->be_flags &= ~B_WANT_ACCEPT;
        unstall(s);
        for (int i = 0; x->acc && i < ACCEPTS; i++)
            if (x->acc[i].accepted != INVALID_SOCKET && !x->acc[i].cancelled) {
                x->acc[i].cancelled = true;
                CancelIoEx((HANDLE)s->fd, &x->acc[i].r.ov);
            }
    }
}

/* ------------------------------------------------------------ sending */

static void send_started(cnet_async_socket *s, int rc)
{
    int e;
    if (started(&X(s)->wr, rc, &e)) {
        s->be_flags |= B_SEND;
        s->be_count++;
        return;
    }
    cnet__async_on_sent(s, 0, cnet__err_from_winsock(e), e);
}

void cnet__iocp_send(cnet_async_socket *s, const uint8_t *data, size_t size)
{
    sock_ext *x = X(s);
    req_init(&x->wr, s, R_SEND);
    x->swsa.buf = (char *)data;
    x->swsa.len = size < SEND_MAX ? (ULONG)size : SEND_MAX;
    send_started(s, WSASend(s->fd, &x->swsa, 1, NULL, 0, &x->wr.ov, NULL));
}

void cnet__iocp_send_to(cnet_async_socket *s, const uint8_t *data, size_t size, const struct sockaddr *to,
                        cnet_socklen len)
{
    sock_ext *x = X(s);
    if ((size_t)len > sizeof x->to || size > SEND_MAX) {
        cnet__async_on_sent(s, 0, size > SEND_MAX ? CNET_EMSGSIZE : CNET_EINVAL, 0);
        return;
    }
    req_init(&x->wr, s, R_SEND);
    memcpy(&x->to, to, (size_t)len);
    x->swsa.buf = (char *)data;
    x->swsa.len = (ULONG)size;
    send_started(s, WSASendTo(s->fd, &x->swsa, 1, NULL, 0, (const struct sockaddr *)&x->to, (int)len, &x->wr.ov,
                              NULL));
}

static void done_send(cnet_async_socket *s, DWORD bytes)
{
    sock_ext *x = X(s);
    bool cancelled = (s->be_flags & (B_SEND_CXL | B_CLOSED)) != 0;
    int e = req_error(s, &x->wr, &bytes);
    s->be_flags &= ~(B_SEND | B_SEND_CXL);
    s->be_count--;
    /* Reported even after close: the socket code holds the bytes until then.
     * A cancelled send that wrote some says how much (then the socket code
     * ends it with its reason). */
    if (e == 0)
        cnet__async_on_sent(s, bytes, CNET_OK, 0);
    else if (cancelled && e == WSA_OPERATION_ABORTED)
        cnet__async_on_sent(s, bytes, bytes ? CNET_OK : CNET_ECANCELED, 0);
    else
        cnet__async_on_sent(s, 0, cnet__err_from_winsock(e), e);
    released_if_done(s);
}

void cnet__iocp_cancel_send(cnet_async_socket *s)
{
    cancel_req(s, &X(s)->wr, B_SEND, B_SEND_CXL);
}

/* --------------------------------------------------------- connecting */

void cnet__iocp_connect(cnet_async_socket *s, const struct sockaddr *to, cnet_socklen len)
{
    cnet__iocp *st = CNET__IOCP(s->loop);
    sock_ext *x = X(s);
    if (s->type != CNET_SOCK_STREAM) {
        /* A datagram socket only records its peer: nothing to wait for. */
        int e = connect(s->fd, to, (int)len) == 0 ? 0 : WSAGetLastError();
        cnet__async_on_connected(s, e ? cnet__err_from_winsock(e) : CNET_OK, e);
        return;
    }
    static const GUID guid = WSAID_CONNECTEX;
    if ((size_t)len > sizeof x->conn_to) {
        cnet__async_on_connected(s, CNET_EINVAL, 0);
        return;
    }
    if (st->connect_ex == NULL && !extension(s->fd, &guid, &st->connect_ex, sizeof st->connect_ex)) {
        int e = WSAGetLastError();
        cnet__async_on_connected(s, e ? cnet__err_from_winsock(e) : CNET_ENOTSUP, e);
        return;
    }
    /* ConnectEx needs a bound socket: the wildcard address, any port, unless
     * the socket is bound already (WSAEINVAL). */
    struct sockaddr_storage here;
    memset(&here, 0, sizeof here);
    here.ss_family = to->sa_family;
    int here_len = to->sa_family == AF_INET6 ? (int)sizeof(struct sockaddr_in6) : (int)sizeof(struct sockaddr_in);
    if (bind(s->fd, (struct sockaddr *)&here, here_len) != 0) {
        int e = WSAGetLastError();
        if (e != WSAEINVAL) {
            cnet__async_on_connected(s, cnet__err_from_winsock(e), e);
            return;
        }
    }
    memcpy(&x->conn_to, to, (size_t)len);
    req_init(&x->cn, s, R_CONN);
    DWORD n = 0;
    int e;
    if (!started(&x->cn, st->connect_ex(s->fd, (const struct sockaddr *)&x->conn_to, (int)len, NULL, 0, &n,
                                        &x->cn.ov) ? 0 : -1, &e)) {
        cnet__async_on_connected(s, cnet__err_from_winsock(e), e);
        return;
    }
    s->be_flags |= B_CONN;
    s->be_count++;
}

static void done_connect(cnet_async_socket *s)
{
    sock_ext *x = X(s);
    bool cancelled = (s->be_flags & (B_CONN_CXL | B_CLOSED)) != 0;
    DWORD bytes = 0;
    int e = req_error(s, &x->cn, &bytes);
    s->be_flags &= ~(B_CONN | B_CONN_CXL);
    s->be_count--;
    if (e == 0 && !(s->be_flags & B_CLOSED) &&
        setsockopt(s->fd, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0) != 0)
        e = WSAGetLastError();
    if (e == 0)
        cnet__async_on_connected(s, CNET_OK, 0);
    else if (cancelled && e == WSA_OPERATION_ABORTED)
        cnet__async_on_connected(s, CNET_ECANCELED, 0);
    else
        cnet__async_on_connected(s, cnet__err_from_winsock(e), e);
    released_if_done(s);
}

void cnet__iocp_cancel_connect(cnet_async_socket *s)
{
    cancel_req(s, &X(s)->cn, B_CONN, B_CONN_CXL);
}

/* ------------------------------------------------------- completions */

void cnet__iocp_completed(cnet_loop *loop, OVERLAPPED *ov, DWORD bytes)
{
    (void)loop;
    req *r = (req *)ov;
    cnet_async_socket *s = r->s;
    switch (r->kind) {
    case R_RECV: done_recv(s, bytes); break;
    case R_ACCEPT: done_accept(s, (accept_slot *)ov); break;
    case R_SEND: done_send(s, bytes); break;
    default: done_connect(s); break;
    }
}

/* ------------------------------------------------ sockets come and go */

cnet_err cnet__iocp_attach(cnet_async_socket *s)
{
    cnet__iocp *st = CNET__IOCP(s->loop);
    s->be_flags = 0;
    s->be_count = 0;
    s->be_aux = 0;
    bool fresh = s->be_ptr == NULL; /* else a new handle of a socket trying its next address */
    if (fresh) {
        sock_ext *x = calloc(1, sizeof *x);
        if (x == NULL)
            return cnet__fail(CNET_ENOMEM, "async: out of memory for a socket");
        s->be_ptr = x;
    }
    /* A handle joins one port for good: a socket of another loop (or one
     * used with another port) is refused here. */
    if (CreateIoCompletionPort((HANDLE)s->fd, st->port, CNET__IOCP_KEY_IO, 0) == NULL) {
        DWORD e = GetLastError();
        if (fresh) { /* the socket code frees s */
            free(s->be_ptr);
            s->be_ptr = NULL;
        }
        if (e == ERROR_INVALID_PARAMETER)
            return cnet__fail_os(CNET_EINVAL, (int)e, "async",
                                 "the socket already belongs to another completion port (another loop)");
        return cnet__fail_os(CNET_EOS, (int)e, "async", "CreateIoCompletionPort");
    }
    return CNET_OK;
}

void cnet__iocp_detach(cnet_async_socket *s)
{
    /* Nothing is in flight (the failed connect has reported); the handle
     * leaves the port when the socket code closes it. */
    unstall(s);
    s->be_flags = 0;
}

void cnet__iocp_close(cnet_async_socket *s)
{
    cnet__iocp *st = CNET__IOCP(s->loop);
    unstall(s);
    s->be_flags &= ~(B_WANT_READ | B_WANT_ACCEPT);
    s->be_flags |= B_CLOSED;
    /* Every request of the socket ends, aborted or done; the handle is
     * closed once the last has (released_if_done): closed with requests in
     * flight, wine keeps the socket (and its port) a moment after their
     * packets, and a bind to the port just freed could fail. */
    if (s->be_count > 0)
        CancelIoEx((HANDLE)s->fd, NULL);
    st->closed_one = true;
    released_if_done(s);
}
