/*
 * The socket object: create, wrap, close and free it, its hold (close from
 * another thread), its default deadlines, boolean options and last error.
 */
#include <stdio.h>
#include <string.h>

#include "net_internal.h"

/* ------------------------------------------------------------ errors */

cnet_err cnet__socket_closed_error(cnet_socket *s, const char *function)
{
    char msg[128];
    snprintf(msg, sizeof msg, "%s: the socket has been closed", function);
    return cnet__sock_fail(s, cnet__fail(CNET_ECLOSED, msg));
}

cnet_err cnet__socket_closed_during(cnet_socket *s, const char *function)
{
    char msg[160];
    snprintf(msg, sizeof msg, "%s: another thread closed the socket during the call", function);
    return cnet__sock_fail(s, cnet__fail(CNET_ECLOSED, msg));
}

/* ----------------------------------------------------------- holding */

cnet_err cnet__socket_release(cnet_socket *s)
{
    if (atomic_fetch_or_explicit(&s->state, CNET__ST_RELEASED, memory_order_acq_rel) & CNET__ST_RELEASED)
        return CNET_OK;
    bool abort = atomic_load_explicit(&s->aborting, memory_order_acquire);
    return cnet__transport_close(&s->io, cnet__send_deadline(s), abort);
}

cnet_err cnet__socket_enter(cnet_socket *socket, const char *function)
{
    return cnet__hold(socket) ? CNET_OK : cnet__socket_closed_error(socket, function);
}

bool cnet__socket_try_hold(const cnet_socket *socket)
{
    return cnet__hold((cnet_socket *)socket);
}

void cnet__socket_let_go(const cnet_socket *socket)
{
    cnet__drop((cnet_socket *)socket);
}

/* A call that failed after another thread closed the socket (woken by the
 * shutdown of close) reports that; one that had completed keeps its result. */
cnet_err cnet__socket_leave(cnet_socket *socket, const char *function, cnet_err result)
{
    if (cnet__drop(socket) && result != CNET_OK)
        return cnet__socket_closed_during(socket, function);
    return result;
}

/* ------------------------------------------------- the sides (net_internal.h) */

bool cnet__socket_take_side(cnet_socket *socket, int side)
{
    return cnet__socket_take_side_inline(socket, side);
}

void cnet__socket_give_side(cnet_socket *socket, int side)
{
    atomic_store_explicit(&socket->side[side], 0, memory_order_release);
}

cnet_err cnet__socket_side_busy(cnet_socket *socket, int side, const char *function)
{
    (void)socket;
    char msg[160];
    snprintf(msg, sizeof msg, "%s: another thread is %s this socket (one reader and one writer at a time)",
             function, side == CNET__SIDE_READ ? "reading" : "writing");
    return cnet__fail(CNET_EBUSY, msg);
}

/* --------------------------------------------------------------- flags */

bool cnet_is_disconnection_error(unsigned flags, cnet_err err)
{
    return cnet__is_disconnection(flags, err);
}

int cnet_to_os_flags(unsigned flags)
{
    return (flags & CNET_FLAG_PEEK) ? MSG_PEEK : 0;
}

static bool sobool_level_name(cnet_sobool opt, int *level, int *name)
{
    *level = CNET_SOL_SOCKET;
    switch (opt) {
    case CNET_OPT_ACCEPT_CONN: *name = CNET_SO_ACCEPTCONN; return true;
    case CNET_OPT_BROADCAST: *name = CNET_SO_BROADCAST; return true;
    case CNET_OPT_DEBUG: *name = CNET_SO_DEBUG; return true;
    case CNET_OPT_DONT_ROUTE: *name = CNET_SO_DONTROUTE; return true;
    case CNET_OPT_KEEP_ALIVE: *name = CNET_SO_KEEPALIVE; return true;
    case CNET_OPT_OOB_INLINE: *name = CNET_SO_OOBINLINE; return true;
    case CNET_OPT_REUSE_ADDR: *name = CNET_SO_REUSEADDR; return true;
    case CNET_OPT_REUSE_PORT:
#ifdef CNET_SO_REUSEPORT
        *name = CNET_SO_REUSEPORT;
        return true;
#else
        return false;
#endif
    case CNET_OPT_NO_DELAY: *level = CNET_SOL_TCP; *name = CNET_TCP_NODELAY; return true;
    case CNET_OPT_V6_ONLY: *level = CNET_SOL_IPV6; *name = CNET_IPV6_V6ONLY; return true;
    }
    return false;
}

int cnet_sobool_to_c_int(cnet_sobool opt)
{
    int level, name;
    return cnet__sobool_is_valid(opt) && sobool_level_name(opt, &level, &name) ? name : -1;
}

/* ----------------------------------------------------------- lifecycle */

cnet_err cnet__socket_wrap_handle(cnet_socket_handle fd, cnet_domain domain, cnet_sock_type type,
                                  cnet_protocol protocol, bool buffered, cnet_socket **out)
{
    /* CNET__EOL_PAD: the line-end scans may read that far past the buffer. The
     * buffer starts on a cache line, as a static array would: readLine ran
     * 1-4 % faster so (TCP loopback, both ends on one CPU, median of 7). */
    cnet_socket *s = calloc(1, sizeof *s + (buffered ? 63 + CNET_BUFFER_SIZE + CNET__EOL_PAD : 0));
    if (s == NULL)
        return cnet__fail(CNET_ENOMEM, "cnet_socket_new: out of memory");
    if (buffered)
        s->buf = (unsigned char *)(((uintptr_t)s->mem + 63) & ~(uintptr_t)63);
    s->io.fd = fd;
    s->domain = domain;
    s->type = type;
    s->protocol = protocol;
    s->buffered = buffered;
    s->timeout = -1;
    s->send_timeout = -1;
    *out = s;
    return CNET_OK;
}

/* AF_INET6 sockets are dual stack everywhere: the OS defaults differ. */
static cnet_err set_dual_stack(cnet_socket_handle fd, int os_domain)
{
    if (os_domain != cnet_domain_to_int(CNET_AF_INET6))
        return CNET_OK;
    return cnet_set_sock_opt_int(fd, CNET_SOL_IPV6, CNET_IPV6_V6ONLY, 0);
}

static cnet_err new_socket(int os_domain, int os_type, int os_protocol, cnet_domain domain, cnet_sock_type type,
                           cnet_protocol protocol, bool buffered, bool inheritable, cnet_socket **out)
{
    cnet_socket_handle fd;
    *out = NULL;
    cnet_err err = cnet__sys_create_native_socket_int(os_domain, os_type, os_protocol, inheritable, &fd);
    if (err != CNET_OK)
        return err;
    err = set_dual_stack(fd, os_domain);
    if (err == CNET_OK)
        err = cnet__socket_wrap_handle(fd, domain, type, protocol, buffered, out);
    if (err != CNET_OK)
        cnet__sys_close(fd);
    return err;
}

cnet_err cnet__socket_new(cnet_domain domain, cnet_sock_type type, cnet_protocol protocol, bool buffered,
                          bool inheritable, cnet_socket **out)
{
    return new_socket(cnet__domain_to_os(domain), cnet__sock_type_to_os(type), cnet__protocol_to_os(protocol),
                      domain, type, protocol, buffered, inheritable, out);
}

cnet_err cnet__socket_new_int(int domain, int type, int protocol, bool buffered, bool inheritable,
                              cnet_socket **out)
{
    cnet_domain d = CNET_AF_UNSPEC;
    cnet_sock_type t = CNET_SOCK_STREAM;
    cnet_protocol p = CNET_IPPROTO_IP;
    cnet__domain_from_os(domain, &d);
    cnet__sock_type_from_os(type, &t);
    cnet__protocol_from_os(protocol, &p);
    return new_socket(domain, type, protocol, d, t, p, buffered, inheritable, out);
}

cnet_err cnet__socket_from_handle(cnet_socket_handle handle, cnet_domain domain, cnet_sock_type type,
                                  cnet_protocol protocol, bool buffered, cnet_socket **out)
{
    *out = NULL;
    cnet_err err = cnet__socket_wrap_handle(handle, domain, type, protocol, buffered, out);
    if (err == CNET_OK)
        cnet__sys_handle_adopted(handle); /* io_uring: honour a mode set outside cnet */
    return err;
}

cnet_err cnet__socket_close(cnet_socket *socket, unsigned flags)
{
    /* Hold the socket while closing it: the descriptor stays ours for the
     * shutdown below even if the calls it wakes let go first. */
    if (!cnet__hold(socket))
        return CNET_OK; /* closed already */
    unsigned old = atomic_fetch_or_explicit(&socket->state, CNET__ST_CLOSED, memory_order_acq_rel);
    if (old & CNET__ST_CLOSED) {
        cnet__drop(socket); /* another thread closed it meanwhile */
        return CNET_OK;
    }
    if (old >= 2 * CNET__ST_CALL) {
        /* Other calls hold it (another thread blocked in it): wake them.
         * The last one to let go releases the descriptor. */
        cnet__sys_wake(socket->io.fd);
    }
    unsigned now = atomic_fetch_sub_explicit(&socket->state, CNET__ST_CALL, memory_order_acq_rel) - CNET__ST_CALL;
    if (now >= CNET__ST_CALL)
        return CNET_OK;
    cnet_err err = cnet__socket_release(socket);
    if (err != CNET_OK && !cnet__is_disconnection(flags, err))
        return cnet__sock_fail(socket, err);
    return CNET_OK;
}

cnet_err cnet__socket_abort(cnet_socket *socket)
{
    if (!cnet__hold(socket))
        return CNET_OK; /* closed already */
    cnet_err err = cnet__sys_set_linger(socket->io.fd, true, 0);
    if (err == CNET_OK)
        atomic_store_explicit(&socket->aborting, true, memory_order_release);
    cnet__drop(socket);
    if (err != CNET_OK)
        return cnet__sock_fail(socket, err);
    return cnet__socket_close(socket, CNET_FLAGS_DEFAULT);
}

void cnet_socket_free(cnet_socket *socket)
{
    if (socket == NULL)
        return;
    cnet__socket_close(socket, CNET_FLAGS_DEFAULT);
    free(socket);
}

/* Held by the API layer (spec: closed_returns): the socket is open here. */
cnet_socket_handle cnet__socket_get_fd(const cnet_socket *socket)
{
    return socket->io.fd;
}

/* What the socket was created with (held by the API layer: open). */
cnet_err cnet__socket_get_domain(cnet_socket *socket, cnet_domain *out)
{
    *out = socket->domain;
    return CNET_OK;
}

cnet_err cnet__socket_get_type(cnet_socket *socket, cnet_sock_type *out)
{
    *out = socket->type;
    return CNET_OK;
}

cnet_err cnet__socket_get_protocol(cnet_socket *socket, cnet_protocol *out)
{
    *out = socket->protocol;
    return CNET_OK;
}

bool cnet__socket_is_ssl(const cnet_socket *socket)
{
    return socket->io.tls != NULL;
}

cnet_err cnet_socket_last_error(const cnet_socket *socket)
{
    return socket == NULL ? CNET_EINVAL
                          : (cnet_err)atomic_load_explicit(&((cnet_socket *)socket)->last_error, memory_order_relaxed);
}

cnet_err cnet__socket_error(cnet_socket *socket, long result, bool async, unsigned flags)
{
    if (result >= 0)
        return CNET_OK;
    cnet_err err = cnet_socket_last_error(socket);
    if (err == CNET_OK)
        err = cnet_last_error();
    if (async && err == CNET_EWOULDBLOCK)
        return CNET_OK;
    if (cnet__is_disconnection(flags, err))
        return CNET_OK;
    if (err == CNET_OK)
        return cnet__fail(CNET_EINVAL, "cnet_socket_error: no valid socket error code available");
    return err;
}

cnet_err cnet__socket_set_timeout(cnet_socket *socket, int timeout)
{
    socket->timeout = timeout;
    return CNET_OK;
}

cnet_err cnet__socket_set_send_timeout(cnet_socket *socket, int timeout)
{
    socket->send_timeout = timeout;
    return CNET_OK;
}


/* ------------------------------------------------------------- options */

cnet_err cnet__socket_get_sock_opt(cnet_socket *socket, cnet_sobool opt, int level, bool *out)
{
    CNET__CHECK_OPEN(socket, "cnet_socket_get_sock_opt");
    int own_level, name, value = 0;
    if (!sobool_level_name(opt, &own_level, &name))
        return cnet__sock_fail(socket, cnet__fail(CNET_ENOTSUP, "cnet_socket_get_sock_opt: this platform lacks the option"));
    cnet_err err = cnet_get_sock_opt_int(socket->io.fd, level == CNET_OPT_LEVEL_AUTO ? own_level : level, name, &value);
    if (err != CNET_OK)
        return cnet__sock_fail(socket, err);
    *out = value != 0;
    return CNET_OK;
}

cnet_err cnet__socket_set_sock_opt(cnet_socket *socket, cnet_sobool opt, bool value, int level)
{
    CNET__CHECK_OPEN(socket, "cnet_socket_set_sock_opt");
    int own_level, name;
    if (!sobool_level_name(opt, &own_level, &name))
        return cnet__sock_fail(socket, cnet__fail(CNET_ENOTSUP, "cnet_socket_set_sock_opt: this platform lacks the option"));
    cnet_err err = cnet_set_sock_opt_int(socket->io.fd, level == CNET_OPT_LEVEL_AUTO ? own_level : level, name, value);
    return err == CNET_OK ? CNET_OK : cnet__sock_fail(socket, err);
}
