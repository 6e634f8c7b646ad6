/*
 * The Winsock I/O edge: socket lifecycle (create, close, bind, listen,
 * accept) and the data path of the net layer (one receive, one send, connect
 * and accept with deadlines). WSAGetLastError() is read here and translated
 * on the spot (cnet__winsock_fail, wsa.c).
 *
 * Deadlines: Winsock has no MSG_DONTWAIT and no way to read a socket's
 * FIONBIO state back. Receives and accepts wait with WSAPoll and then make
 * the call, which does not block once the socket is readable. Sends and
 * connects with a deadline switch the socket to non-blocking for the call
 * and back to blocking afterwards, as Nim's connect(timeout) does: the net
 * layer's sockets are blocking. A call without a deadline is the plain
 * blocking call. Windows has no SIGPIPE, so no send needs MSG_NOSIGNAL.
 */
#include <limits.h>
#include <string.h>

#include <mswsock.h>

#include "handle_bits.h"
#include "internal.h"
#include "winsock_edge.h"

#ifndef SIO_UDP_CONNRESET
#define SIO_UDP_CONNRESET _WSAIOW(IOC_VENDOR, 12)
#endif

/* Winsock lengths are int: larger transfers are made in several calls. */
static int clamp_len(size_t size)
{
    return size > (size_t)INT_MAX ? INT_MAX : (int)size;
}

static void set_inherit(SOCKET s, bool inheritable)
{
    SetHandleInformation((HANDLE)s, HANDLE_FLAG_INHERIT, inheritable ? HANDLE_FLAG_INHERIT : 0);
}

/* Handles made non-blocking through cnet (cnet_set_blocking, CNET_FIONBIO):
 * their accept must answer WSAEWOULDBLOCK at once, not wait for readiness. */
static cnet__handle_bits nonblocking_handles;

/* ------------------------------------------------------------- lifecycle */

cnet_err cnet__sys_create_native_socket_int(int domain, int type, int protocol, bool inheritable,
                                            cnet_socket_handle *out)
{
    *out = CNET_INVALID_SOCKET;
    READY("cnet_create_native_socket");
    SOCKET s = socket(domain, type, protocol);
    if (s == INVALID_SOCKET)
        return cnet__winsock_fail("cnet_create_native_socket", "socket");
    /* Winsock sockets are inheritable by default; POSIX ones are made
     * close-on-exec unless asked, and so are these. */
    if (!inheritable && !SetHandleInformation((HANDLE)s, HANDLE_FLAG_INHERIT, 0)) {
        DWORD e = GetLastError();
        closesocket(s);
        return cnet__fail_os(CNET_EOS, (int)e, "cnet_create_native_socket", "SetHandleInformation");
    }
    if (type == SOCK_DGRAM) {
        /* An ICMP port-unreachable must not fail the next recvfrom of an
         * unconnected UDP socket with WSAECONNRESET (POSIX semantics). */
        BOOL off = FALSE;
        DWORD unused = 0;
        WSAIoctl(s, SIO_UDP_CONNRESET, &off, sizeof off, NULL, 0, &unused, NULL, NULL);
    }
    *out = (cnet_socket_handle)s;
    return CNET_OK;
}

cnet_err cnet__sys_close(cnet_socket_handle handle)
{
    READY("cnet_close");
    cnet__winsock_mark_read_shut((SOCKET)handle, false);
    cnet__winsock_mark_woken((SOCKET)handle, false);
    cnet__handle_bits_put(&nonblocking_handles, cnet__winsock_handle_index((SOCKET)handle), false);
    if (closesocket((SOCKET)handle) == SOCKET_ERROR)
        return cnet__winsock_fail("cnet_close", "closesocket");
    return CNET_OK;
}

cnet_err cnet__sys_bind_addr(cnet_socket_handle handle, const struct sockaddr *name, cnet_socklen namelen)
{
    READY("cnet_bind_addr");
    if (bind((SOCKET)handle, name, namelen) == SOCKET_ERROR)
        return cnet__winsock_fail("cnet_bind_addr", "bind");
    return CNET_OK;
}

cnet_err cnet__sys_listen(cnet_socket_handle handle, int backlog)
{
    READY("cnet_listen");
    if (listen((SOCKET)handle, backlog) == SOCKET_ERROR) {
        /* A socket type without connections: some Winsock implementations
         * (wine) say WSAEINVAL, where Windows documents WSAEOPNOTSUPP. */
        int e = WSAGetLastError(), type = 0, len = (int)sizeof type;
        if (e == WSAEINVAL && getsockopt((SOCKET)handle, SOL_SOCKET, SO_TYPE, (char *)&type, &len) == 0 &&
            type != SOCK_STREAM && type != SOCK_SEQPACKET)
            e = WSAEOPNOTSUPP;
        return cnet__fail_os(cnet__err_from_winsock(e), e, "cnet_listen", "listen");
    }
    return CNET_OK;
}

cnet_err cnet__sys_accept(cnet_socket_handle handle, bool inheritable, cnet_socket_handle *client, char *address,
                          size_t address_size)
{
    *client = CNET_INVALID_SOCKET;
    READY("cnet_accept");
    /* Checked before accepting: a connection taken off the queue and then
     * dropped for a small buffer would be lost. */
    if (address != NULL && address_size < CNET_ADDRSTRLEN)
        return cnet__fail(CNET_ERANGE, "cnet_accept: address_size must be at least CNET_ADDRSTRLEN");
    struct sockaddr_storage ss;
    int len = (int)sizeof ss;
    SOCKET s = accept((SOCKET)handle, (struct sockaddr *)&ss, &len);
    if (s == INVALID_SOCKET)
        return cnet__winsock_fail("cnet_accept", "accept");
    set_inherit(s, inheritable);
    if (address != NULL) {
        cnet_err err = cnet__format_sockaddr((struct sockaddr *)&ss, len, address, address_size, NULL);
        if (err != CNET_OK) {
            closesocket(s);
            return err;
        }
    }
    *client = (cnet_socket_handle)s;
    return CNET_OK;
}

const char *cnet__sys_backend_active(void)
{
    return "winsock";
}

int64_t cnet__sys_now_ms(void)
{
    /* The performance counter, not GetTickCount64: the tick count moves in
     * steps of a scheduler tick (15.6 ms on Windows, about as coarse under
     * wine), so a deadline computed from it could end up to a tick early. */
    static LARGE_INTEGER freq;
    LARGE_INTEGER c;
    if (freq.QuadPart == 0)
        QueryPerformanceFrequency(&freq); /* never fails since Windows XP; the same value in every thread */
    QueryPerformanceCounter(&c);
    return (int64_t)(c.QuadPart / freq.QuadPart * 1000 + c.QuadPart % freq.QuadPart * 1000 / freq.QuadPart);
}

/* The milliseconds left until deadline (-1: none) as a WSAPoll timeout:
 * -1 without a deadline, else 0 to INT_MAX (a longer wait goes round). */
static int wait_left(int64_t deadline)
{
    if (deadline < 0)
        return -1;
    int64_t left = deadline - cnet__sys_now_ms();
    return left <= 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left;
}

/* Wait until the handle is ready for `events` or the deadline passes (-1:
 * no deadline); a handle woken by close ends the wait. One WSAPoll over the
 * handle and the thread's wake socket (wsa.c) sleeps until one of them. */
static cnet_err wait_ready(SOCKET s, short events, int64_t deadline, const char *function)
{
    WSAPOLLFD p[2] = {{.fd = s, .events = events}, {.events = POLLRDNORM}};
    cnet__winsock_wait w;
    p[1].fd = cnet__winsock_wait_begin(&w, p, 1);
    ULONG n = p[1].fd == INVALID_SOCKET ? 1 : 2;
    cnet_err err;
    /* The wake socket may have taken the number of a handle closed before
     * the call: that handle is not the caller's socket any more. */
    if (p[1].fd == s) {
        cnet__winsock_wait_end(&w);
        return cnet__fail_os(CNET_EBADF, WSAENOTSOCK, function, "WSAPoll");
    }
    for (;;) {
        if (cnet__winsock_woken(s)) {
            err = cnet__fail(CNET_ECLOSED, "another thread closed the socket during the wait");
            break;
        }
        int wait = wait_left(deadline);
        if (n == 1 && (wait < 0 || wait > WAKE_SLICE_MS))
            wait = WAKE_SLICE_MS; /* no wake socket: look at the mark now and then */
        p[0].revents = p[1].revents = 0;
        int rc = WSAPoll(p, n, wait);
        cnet__winsock_count_round();
        if (rc > 0 && p[0].revents != 0) {
            err = p[0].revents & POLLNVAL ? cnet__fail_os(CNET_EBADF, WSAENOTSOCK, function, "WSAPoll") : CNET_OK;
            break;
        }
        if (rc > 0 && (p[1].revents & POLLNVAL)) {
            cnet__winsock_wake_lost(&w);
            n = 1;
            continue;
        }
        if (rc > 0) {
            cnet__winsock_wake_drain(p[1].fd); /* a wake: is it for s? */
            continue;
        }
        if (rc == 0) {
            if (deadline >= 0 && cnet__sys_now_ms() >= deadline) {
                err = cnet__fail_os(CNET_ETIMEDOUT, 0, function, "the deadline passed");
                break;
            }
            continue; /* a slice ended, or WSAPoll woke early: wait for the rest */
        }
        /* The close's CancelIoEx may end the WSAPoll itself. */
        err = cnet__winsock_woken(s) ? cnet__fail(CNET_ECLOSED, "another thread closed the socket during the wait")
                                     : cnet__winsock_fail(function, "WSAPoll");
        break;
    }
    cnet__winsock_wait_end(&w);
    return err;
}

cnet_err cnet__sys_recv(cnet_socket_handle handle, void *data, size_t size, bool peek, int64_t deadline,
                        size_t *received)
{
    SOCKET s = (SOCKET)handle;
    READY("recv");
    for (;;) {
        if (deadline >= 0 && !cnet__winsock_read_shut(s)) {
            cnet_err err = wait_ready(s, POLLRDNORM, deadline, "recv");
            if (err != CNET_OK)
                return err;
        }
        int n = recv(s, data, clamp_len(size), peek ? MSG_PEEK : 0);
        if (n >= 0) {
            *received = (size_t)n;
            return CNET_OK;
        }
        int e = WSAGetLastError();
        if (e == WSAEWOULDBLOCK && deadline >= 0)
            continue; /* a non-blocking socket that was not ready after all */
        /* After shutdown(SD_RECEIVE) Winsock fails where POSIX reads the end. */
        if (e == WSAESHUTDOWN) {
            *received = 0;
            return CNET_OK;
        }
        return cnet__fail_os(cnet__err_from_winsock(e), e, "recv", "recv");
    }
}

/* One gathering send; with a deadline, non-blocking and retried until then. */
static cnet_err send_buffers(SOCKET s, WSABUF *bufs, DWORD count, int64_t deadline, size_t *sent,
                             const char *what)
{
    if (deadline >= 0 && !cnet__winsock_set_nonblocking(s, true))
        return cnet__winsock_fail("send", "ioctlsocket(FIONBIO)");
    cnet_err err;
    for (;;) {
        DWORD n = 0;
        if (WSASend(s, bufs, count, &n, 0, NULL, NULL) == 0) {
            *sent = (size_t)n;
            err = CNET_OK;
            break;
        }
        if (WSAGetLastError() == WSAEWOULDBLOCK && deadline >= 0) {
            err = wait_ready(s, POLLWRNORM, deadline, "send");
            if (err != CNET_OK)
                break;
            continue;
        }
        err = cnet__winsock_fail("send", what);
        break;
    }
    if (deadline >= 0 && !cnet__winsock_set_nonblocking(s, false) && err == CNET_OK)
        err = cnet__winsock_fail("send", "ioctlsocket(FIONBIO)");
    return err;
}

cnet_err cnet__sys_send(cnet_socket_handle handle, const void *data, size_t size, int64_t deadline, size_t *sent)
{
    READY("send");
    WSABUF buf = {(ULONG)clamp_len(size), (char *)data};
    return send_buffers((SOCKET)handle, &buf, 1, deadline, sent, "WSASend");
}

cnet_err cnet__sys_sendv2(cnet_socket_handle handle, const void *a, size_t a_size, const void *b, size_t b_size,
                          int64_t deadline, size_t *sent)
{
    READY("send");
    int la = clamp_len(a_size);
    int lb = clamp_len(b_size);
    if (lb > INT_MAX - la)
        lb = INT_MAX - la;
    WSABUF bufs[2] = {{(ULONG)la, (char *)a}, {(ULONG)lb, (char *)b}};
    return send_buffers((SOCKET)handle, bufs, 2, deadline, sent, "WSASend");
}

/* The outcome of a connection in progress, from SO_ERROR. */
static cnet_err connect_result(SOCKET s)
{
    int so_error = 0;
    int len = (int)sizeof so_error;
    if (getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&so_error, &len) == SOCKET_ERROR)
        return cnet__winsock_fail("connect", "getsockopt(SO_ERROR)");
    if (so_error != 0)
        return cnet__fail_os(cnet__err_from_winsock(so_error), so_error, "connect", "connect");
    return CNET_OK;
}

/*
 * Wait for a connection in progress. select() rather than WSAPoll: older
 * WSAPoll never reports a refused connection, while select puts it in the
 * except set. Two sockets (s and the thread's wake socket, wsa.c) are far
 * below the 64-socket limit of fd_set.
 */
static cnet_err wait_connected(SOCKET s, int64_t deadline)
{
    WSAPOLLFD watched = {.fd = s};
    cnet__winsock_wait w;
    SOCKET wake = cnet__winsock_wait_begin(&w, &watched, 1);
    cnet_err err;
    if (wake == s) { /* see wait_ready */
        cnet__winsock_wait_end(&w);
        return cnet__fail_os(CNET_EBADF, WSAENOTSOCK, "connect", "select");
    }
    for (;;) {
        if (cnet__winsock_woken(s)) {
            err = cnet__fail(CNET_ECLOSED, "another thread closed the socket during the connect");
            break;
        }
        fd_set rd, wr, ex;
        FD_ZERO(&rd);
        FD_ZERO(&wr);
        FD_ZERO(&ex);
        FD_SET(s, &wr);
        FD_SET(s, &ex);
        if (wake != INVALID_SOCKET)
            FD_SET(wake, &rd);
        struct timeval tv, *ptv = NULL;
        int wait = wait_left(deadline);
        if (wake == INVALID_SOCKET && (wait < 0 || wait > WAKE_SLICE_MS))
            wait = WAKE_SLICE_MS;
        if (wait >= 0) {
            tv.tv_sec = (long)(wait / 1000);
            tv.tv_usec = (long)(wait % 1000) * 1000;
            ptv = &tv;
        }
        /* select refuses a set with no socket: wr always holds s. */
        int rc = select(0, wake != INVALID_SOCKET ? &rd : NULL, &wr, &ex, ptv);
        cnet__winsock_count_round();
        if (rc == SOCKET_ERROR) {
            err = cnet__winsock_woken(s)
                      ? cnet__fail(CNET_ECLOSED, "another thread closed the socket during the connect")
                      : cnet__winsock_fail("connect", "select");
            break;
        }
        if (rc > 0 && (FD_ISSET(s, &wr) || FD_ISSET(s, &ex))) {
            err = connect_result(s);
            break;
        }
        if (rc > 0) {
            cnet__winsock_wake_drain(wake);
            continue;
        }
        if (deadline >= 0 && cnet__sys_now_ms() >= deadline) {
            err = cnet__fail_os(CNET_ETIMEDOUT, 0, "connect", "the deadline passed");
            break;
        }
    }
    cnet__winsock_wait_end(&w);
    return err;
}

cnet_err cnet__sys_connect(cnet_socket_handle handle, const struct sockaddr *addr, cnet_socklen len,
                           int64_t deadline)
{
    SOCKET s = (SOCKET)handle;
    READY("connect");
    if (deadline < 0) {
        if (connect(s, addr, len) == 0)
            return CNET_OK;
        int e = WSAGetLastError();
        /* The caller made the socket non-blocking: report, do not wait. */
        if (e == WSAEWOULDBLOCK)
            return cnet__fail_os(CNET_EINPROGRESS, e, "connect", "connect");
        return cnet__fail_os(cnet__err_from_winsock(e), e, "connect", "connect");
    }
    if (!cnet__winsock_set_nonblocking(s, true))
        return cnet__winsock_fail("connect", "ioctlsocket(FIONBIO)");
    cnet_err err = CNET_OK;
    if (connect(s, addr, len) == SOCKET_ERROR) {
        if (WSAGetLastError() == WSAEWOULDBLOCK)
            err = wait_connected(s, deadline);
        else
            err = cnet__winsock_fail("connect", "connect");
    }
    /* The socket goes back to blocking, whatever happened. */
    if (!cnet__winsock_set_nonblocking(s, false) && err == CNET_OK)
        err = cnet__winsock_fail("connect", "ioctlsocket(FIONBIO)");
    return err;
}

cnet_err cnet__sys_accept_deadline(cnet_socket_handle handle, bool inheritable, int64_t deadline,
                                   cnet_socket_handle *client, struct sockaddr_storage *addr, cnet_socklen *len)
{
    SOCKET s = (SOCKET)handle;
    *client = CNET_INVALID_SOCKET;
    READY("accept");
    for (;;) {
        /* Without a deadline too, unless cnet made the handle non-blocking:
         * a blocking accept that starts after the wake of a close would
         * never end (see the woken marks in wsa.c). */
        if (deadline >= 0 || !cnet__handle_bits_get(&nonblocking_handles, cnet__winsock_handle_index(s))) {
            cnet_err err = wait_ready(s, POLLRDNORM, deadline, "accept");
            if (err != CNET_OK)
                return err;
        }
        int slen = (int)sizeof *addr;
        SOCKET c = accept(s, (struct sockaddr *)addr, &slen);
        if (c != INVALID_SOCKET) {
            set_inherit(c, inheritable);
            *len = slen;
            *client = (cnet_socket_handle)c;
            return CNET_OK;
        }
        if (WSAGetLastError() == WSAEWOULDBLOCK && deadline >= 0)
            continue;
        return cnet__winsock_fail("accept", "accept");
    }
}

cnet_err cnet__sys_sendto(cnet_socket_handle handle, const void *data, size_t size, const struct sockaddr *addr,
                          cnet_socklen len, int64_t deadline)
{
    SOCKET s = (SOCKET)handle;
    READY("sendto");
    if (size > (size_t)INT_MAX)
        return cnet__fail(CNET_EMSGSIZE, "sendto: the datagram is too long");
    if (deadline >= 0 && !cnet__winsock_set_nonblocking(s, true))
        return cnet__winsock_fail("sendto", "ioctlsocket(FIONBIO)");
    cnet_err err;
    for (;;) {
        if (sendto(s, data, (int)size, 0, addr, addr ? len : 0) != SOCKET_ERROR) {
            err = CNET_OK;
            break;
        }
        if (WSAGetLastError() == WSAEWOULDBLOCK && deadline >= 0) {
            err = wait_ready(s, POLLWRNORM, deadline, "sendto");
            if (err != CNET_OK)
                break;
            continue;
        }
        err = cnet__winsock_fail("sendto", "sendto");
        break;
    }
    if (deadline >= 0 && !cnet__winsock_set_nonblocking(s, false) && err == CNET_OK)
        err = cnet__winsock_fail("sendto", "ioctlsocket(FIONBIO)");
    return err;
}

cnet_err cnet__sys_recvfrom(cnet_socket_handle handle, void *data, size_t size, struct sockaddr_storage *addr,
                            cnet_socklen *len, int64_t deadline, size_t *received, bool *truncated)
{
    SOCKET s = (SOCKET)handle;
    READY("recvfrom");
    for (;;) {
        if (deadline >= 0 && !cnet__winsock_read_shut(s)) {
            cnet_err err = wait_ready(s, POLLRDNORM, deadline, "recvfrom");
            if (err != CNET_OK)
                return err;
        }
        int slen = (int)sizeof *addr;
        int n = recvfrom(s, data, clamp_len(size), 0, (struct sockaddr *)addr, &slen);
        if (n >= 0) {
            *received = (size_t)n;
            *len = slen;
            *truncated = false;
            return CNET_OK;
        }
        int e = WSAGetLastError();
        if (e == WSAEMSGSIZE) {
            /* Winsock fills the buffer, drops the rest and says so this way. */
            *received = (size_t)clamp_len(size);
            *len = slen;
            *truncated = true;
            return CNET_OK;
        }
        if (e == WSAEWOULDBLOCK && deadline >= 0)
            continue;
        return cnet__fail_os(cnet__err_from_winsock(e), e, "recvfrom", "recvfrom");
    }
}

void cnet__sys_wake(cnet_socket_handle handle)
{
    if (cnet__winsock_ready("close") != CNET_OK)
        return;
    cnet__winsock_mark_woken((SOCKET)handle, true);
    shutdown((SOCKET)handle, SD_BOTH);
    /* A shutdown does not end a blocking recv or a WSAPoll of another
     * thread on Windows; cancelling the handle's pending I/O ends the
     * blocking calls, and a byte to the wake socket of every wait registered
     * on the handle ends the waits. Waits that register after the mark see
     * it (wsa.c). */
    CancelIoEx((HANDLE)handle, NULL);
    cnet__winsock_wake_waiters((SOCKET)handle);
}

void cnet__sys_handle_adopted(cnet_socket_handle handle)
{
    /* Windows cannot read a socket's FIONBIO mode back; its calls honour it. */
    (void)handle;
}

void cnet__sys_blocking_changed(cnet_socket_handle handle, bool blocking)
{
    /* Winsock calls honour FIONBIO; only the net layer's accept asks. */
    cnet__handle_bits_put(&nonblocking_handles, cnet__winsock_handle_index((SOCKET)handle), !blocking);
}

cnet_err cnet__sys_shutdown(cnet_socket_handle handle, bool read, bool write)
{
    READY("cnet_socket_shutdown");
    int how = read && write ? SD_BOTH : read ? SD_RECEIVE : SD_SEND;
    if (shutdown((SOCKET)handle, how) == SOCKET_ERROR)
        return cnet__winsock_fail("cnet_socket_shutdown", "shutdown");
    if (read)
        cnet__winsock_mark_read_shut((SOCKET)handle, true);
    return CNET_OK;
}
