/*
 * The net layer: a buffered socket with deadlines, latched errors, readLine,
 * SafeDisconn, UDP and framing. Portable: every system call goes through the
 * backend edge (cnet__sys_*), which reports cnet_err codes.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define CNET_EOL_AVX2 1
#endif
/* Bytes allocated after a buffered socket's buffer for the vector line-end
 * scans (find_eol_buffered), which may read that far past their window. */
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#define EOL_PAD 32
#else
#define EOL_PAD 0
#endif

#include "internal.h"
#include "tls_internal.h"

struct cnet_socket {
    cnet_socket_handle fd;
    cnet_domain domain;
    cnet_sock_type type;
    cnet_protocol protocol;
    bool buffered;
    atomic_uint state;  /* ST_CLOSED, ST_RELEASED and ST_CALL x calls held: see "holding" */
    bool read_eof;      /* the peer closed its side (a read returned 0) */
    bool skip_lf;       /* the last line ended in "\r": drop a following "\n" */
    cnet_err latched;   /* a connection error: every later read reports it */
    atomic_int last_error; /* a cnet_err; any thread may record one */
    int timeout;        /* default deadline of every blocking call, ms or -1 */
    int send_timeout;   /* deadline of sends, ms or -1 for `timeout` */
    cnet__tls *tls;     /* TLS state (tls.c), NULL for a plain socket */
    size_t pos, len;    /* unread window of buf */
    unsigned char *buf; /* CNET_BUFFER_SIZE (+ EOL_PAD) bytes in mem when buffered, 64-byte aligned */
    unsigned char mem[];
};

/* ------------------------------------------------------------- helpers */

static cnet_err sock_fail(cnet_socket *s, cnet_err err)
{
    atomic_store_explicit(&s->last_error, (int)err, memory_order_relaxed);
    return err;
}

static cnet_err closed_error(cnet_socket *s, const char *function)
{
    char msg[128];
    snprintf(msg, sizeof msg, "%s: the socket has been closed", function);
    return sock_fail(s, cnet__fail(CNET_ECLOSED, msg));
}

static cnet_err closed_during(cnet_socket *s, const char *function)
{
    char msg[160];
    snprintf(msg, sizeof msg, "%s: another thread closed the socket during the call", function);
    return sock_fail(s, cnet__fail(CNET_ECLOSED, msg));
}

/*
 * Holding a socket. `state` counts the calls that hold the socket (ST_CALL
 * each) next to two flags: ST_CLOSED once close has begun, ST_RELEASED once
 * the descriptor and the TLS state are gone. fd and tls are used only while
 * held: for a whole call by the generated API layer (spec: `hold: socket`),
 * or around each system call (`hold: syscalls`: recv, send, readLine...,
 * so a line served from the buffer costs no atomic operation).
 *
 * close sets ST_CLOSED. When other calls hold the socket (a thread blocked
 * in recv, accept, connect...), close shuts the descriptor down, which wakes
 * them; they return CNET_ECLOSED, and the last one to let go releases the
 * descriptor. So a blocked call returns at once, and no call ever reaches a
 * descriptor number that has been closed (and perhaps reused by an open on
 * another thread). With no call in progress close releases at once and does
 * not shut down: a descriptor shared with a forked child keeps working
 * there. All changes of `state` are read-modify-writes of one atomic object,
 * so their single order decides every race between close and a call.
 */
#define ST_CLOSED 1u
#define ST_RELEASED 2u
#define ST_CALL 4u

static bool is_closed(const cnet_socket *s)
{
    return atomic_load_explicit(&((cnet_socket *)s)->state, memory_order_acquire) & ST_CLOSED;
}

static int64_t send_deadline(const cnet_socket *s);

/* Close the descriptor and drop the TLS state, once: by whoever finds the
 * socket closed with no call holding it. */
static cnet_err release(cnet_socket *s)
{
    if (atomic_fetch_or_explicit(&s->state, ST_RELEASED, memory_order_acq_rel) & ST_RELEASED)
        return CNET_OK;
    if (s->tls != NULL) {
        /* close_notify first (skipped after a fatal error), by the send deadline. */
        cnet__tls_close(s->tls, send_deadline(s));
        s->tls = NULL;
    }
    cnet_socket_handle fd = s->fd;
    s->fd = CNET_INVALID_SOCKET;
    return cnet__sys_close(fd);
}

/* Let go of a hold; true when the socket was closed meanwhile. The last
 * hold on a closed socket releases it. */
static bool drop(cnet_socket *s)
{
    unsigned now = atomic_fetch_sub_explicit(&s->state, ST_CALL, memory_order_acq_rel) - ST_CALL;
    if (!(now & ST_CLOSED))
        return false;
    if (now < ST_CALL)
        release(s);
    return true;
}

/* Take a hold; false (and no hold) when the socket is closed. */
static bool hold(cnet_socket *s)
{
    if (!(atomic_fetch_add_explicit(&s->state, ST_CALL, memory_order_acq_rel) & ST_CLOSED))
        return true;
    drop(s);
    return false;
}

cnet_err cnet__socket_enter(cnet_socket *socket, const char *function)
{
    return hold(socket) ? CNET_OK : closed_error(socket, function);
}

/* A call that failed after another thread closed the socket (woken by the
 * shutdown of close) reports that; one that had completed keeps its result. */
cnet_err cnet__socket_leave(cnet_socket *socket, const char *function, cnet_err result)
{
    if (drop(socket) && result != CNET_OK)
        return closed_during(socket, function);
    return result;
}

#define CHECK_OPEN(s, function)                 \
    do {                                        \
        if (is_closed(s))                       \
            return closed_error((s), function); \
    } while (0)

static int64_t deadline_after(int timeout)
{
    return timeout < 0 ? -1 : cnet__sys_now_ms() + timeout;
}

/*
 * A read deadline, computed only when a call first has to wait for the OS:
 * a line served from the buffer reads no clock. The difference from taking
 * the time at entry is the time spent copying from the buffer.
 */
typedef struct {
    int timeout;
    bool known;
    int64_t at;
} deadline_t;

static deadline_t read_deadline(const cnet_socket *s, int timeout)
{
    deadline_t d = {timeout >= 0 ? timeout : s->timeout, false, -1};
    return d;
}

static int64_t deadline_of(deadline_t *d)
{
    if (!d->known) {
        d->at = deadline_after(d->timeout);
        d->known = true;
    }
    return d->at;
}

static int64_t send_deadline(const cnet_socket *s)
{
    return deadline_after(s->send_timeout >= 0 ? s->send_timeout : s->timeout);
}

static bool is_disconnection(unsigned flags, cnet_err err)
{
    return (flags & CNET_FLAG_SAFE_DISCONN) && cnet__err_is_disconnection(err);
}

/* One receive from the stream: through TLS when the socket is wrapped. */
static cnet_err sock_recv(cnet_socket *s, void *data, size_t size, bool peek, int64_t deadline, size_t *n)
{
    *n = 0;
    if (!hold(s))
        return closed_error(s, "recv");
    cnet_err err = s->tls != NULL ? cnet__tls_read(s->tls, data, size, peek, deadline, n)
                                  : cnet__sys_recv(s->fd, data, size, peek, deadline, n);
    if (drop(s)) {
        /* Woken by close: the end of stream it caused is no end of stream. */
        *n = 0;
        return closed_during(s, "recv");
    }
    return err;
}

/* One send (TLS: all of it, record by record). */
static cnet_err sock_send(cnet_socket *s, const void *data, size_t size, int64_t deadline, size_t *n)
{
    *n = 0;
    if (!hold(s))
        return closed_error(s, "send");
    cnet_err err = s->tls != NULL ? cnet__tls_write(s->tls, data, size, deadline, n)
                                  : cnet__sys_send(s->fd, data, size, deadline, n);
    if (drop(s) && err != CNET_OK)
        return closed_during(s, "send");
    return err;
}

/*
 * Read from the OS (never from the buffer) and apply the pending "\r\n"
 * rule: after a line ended in "\r", a first byte "\n" belongs to that line.
 * A latched error or a seen end of stream are reported without a call.
 */
static cnet_err raw_read(cnet_socket *s, void *data, size_t size, bool peek, deadline_t *dl, size_t *n)
{
    int64_t deadline = deadline_of(dl);
    *n = 0;
    if (s->latched != CNET_OK)
        return cnet__fail(s->latched, "recv: the connection failed earlier");
    if (s->read_eof)
        return CNET_OK;
    for (;;) {
        cnet_err err = sock_recv(s, data, size, peek, deadline, n);
        if (err != CNET_OK) {
            if (err != CNET_ETIMEDOUT && err != CNET_EWOULDBLOCK && err != CNET_EINTR)
                s->latched = err;
            return sock_fail(s, err);
        }
        if (*n == 0) {
            /* 0 ends a stream; on a datagram socket it is an empty datagram. */
            if (s->type != CNET_SOCK_DGRAM)
                s->read_eof = true;
            return CNET_OK;
        }
        if (!s->skip_lf)
            return CNET_OK;
        s->skip_lf = false;
        if (((unsigned char *)data)[0] != '\n')
            return CNET_OK;
        if (peek) {
            /* Consume the "\n" for real, then look again. */
            char lf;
            size_t one;
            err = sock_recv(s, &lf, 1, false, deadline, &one);
            if (err != CNET_OK)
                return sock_fail(s, err);
            continue;
        }
        if (*n > 1) {
            if (data == s->buf) {
                s->pos = 1; /* fill() keeps the window: skip the "\n" in place */
                return CNET_OK;
            }
            memmove(data, (unsigned char *)data + 1, *n - 1);
            (*n)--;
            return CNET_OK;
        }
        /* The read held only that "\n": read again. */
    }
}

/* Refill the (empty) buffer; *n is 0 at end of stream. */
static cnet_err fill(cnet_socket *s, deadline_t *dl, size_t *n)
{
    s->pos = s->len = 0;
    cnet_err err = raw_read(s, s->buf, CNET_BUFFER_SIZE, false, dl, n);
    if (err == CNET_OK) {
        s->len = *n;
        if (s->pos > 0)
            *n -= s->pos; /* raw_read skipped a "\n" at the start */
        if (*n == 0)
            s->pos = s->len = 0;
    }
    return err;
}

/*
 * What a read call returns when the stream stopped with `got` bytes in hand:
 * bytes first (the error waits for the next call), a disconnection under
 * SafeDisconn like an end of stream, any other error as itself.
 */
static cnet_err finish_read(cnet_socket *s, cnet_err err, size_t got, unsigned flags)
{
    if (err == CNET_OK || err == CNET_ETIMEDOUT)
        return err;
    if (got > 0 && err == s->latched)
        return CNET_OK;
    if (is_disconnection(flags, err))
        return CNET_OK;
    return err;
}

/* --------------------------------------------------------------- flags */

bool cnet_is_disconnection_error(unsigned flags, cnet_err err)
{
    return is_disconnection(flags, err);
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

static cnet_err wrap(cnet_socket_handle fd, cnet_domain domain, cnet_sock_type type, cnet_protocol protocol,
                     bool buffered, cnet_socket **out)
{
    /* EOL_PAD: the line-end scans may read that far past the buffer. The
     * buffer starts on a cache line, as a static array would: readLine ran
     * 1-4 % faster so (TCP loopback, both ends on one CPU, median of 7). */
    cnet_socket *s = calloc(1, sizeof *s + (buffered ? 63 + CNET_BUFFER_SIZE + EOL_PAD : 0));
    if (s == NULL)
        return cnet__fail(CNET_ENOMEM, "cnet_socket_new: out of memory");
    if (buffered)
        s->buf = (unsigned char *)(((uintptr_t)s->mem + 63) & ~(uintptr_t)63);
    s->fd = fd;
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
        err = wrap(fd, domain, type, protocol, buffered, out);
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
    return wrap(handle, domain, type, protocol, buffered, out);
}

cnet_err cnet__socket_close(cnet_socket *socket, unsigned flags)
{
    /* Hold the socket while closing it: the descriptor stays ours for the
     * shutdown below even if the calls it wakes let go first. */
    if (!hold(socket))
        return CNET_OK; /* closed already */
    unsigned old = atomic_fetch_or_explicit(&socket->state, ST_CLOSED, memory_order_acq_rel);
    if (old & ST_CLOSED) {
        drop(socket); /* another thread closed it meanwhile */
        return CNET_OK;
    }
    if (old >= 2 * ST_CALL) {
        /* Other calls hold it (another thread blocked in it): wake them.
         * The last one to let go releases the descriptor. */
        cnet__sys_wake(socket->fd);
    }
    unsigned now = atomic_fetch_sub_explicit(&socket->state, ST_CALL, memory_order_acq_rel) - ST_CALL;
    if (now >= ST_CALL)
        return CNET_OK;
    cnet_err err = release(socket);
    if (err != CNET_OK && !is_disconnection(flags, err))
        return sock_fail(socket, err);
    return CNET_OK;
}

void cnet_socket_free(cnet_socket *socket)
{
    if (socket == NULL)
        return;
    cnet__socket_close(socket, CNET_FLAGS_DEFAULT);
    free(socket);
}

cnet_socket_handle cnet_socket_get_fd(const cnet_socket *socket)
{
    if (socket == NULL || !hold((cnet_socket *)socket))
        return CNET_INVALID_SOCKET;
    cnet_socket_handle fd = socket->fd;
    drop((cnet_socket *)socket);
    return fd;
}

bool cnet_socket_is_ssl(const cnet_socket *socket)
{
    if (socket == NULL || !hold((cnet_socket *)socket))
        return false;
    bool tls = socket->tls != NULL;
    drop((cnet_socket *)socket);
    return tls;
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
    if (is_disconnection(flags, err))
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

/* ------------------------------------------------- TLS (tls_internal.h) */

cnet__tls **cnet__socket_tls_slot(cnet_socket *socket)
{
    return &socket->tls;
}

cnet__tls *cnet__socket_tls(const cnet_socket *socket)
{
    return is_closed(socket) ? NULL : socket->tls;
}

cnet_err cnet__socket_tls_prepare(cnet_socket *socket, const char *function, cnet_socket_handle *fd,
                                  int64_t *deadline)
{
    CHECK_OPEN(socket, function);
    char msg[160];
    if (socket->type != CNET_SOCK_STREAM) {
        snprintf(msg, sizeof msg, "%s: TLS needs a stream socket", function);
        return sock_fail(socket, cnet__fail(CNET_EINVAL, msg));
    }
    if (socket->pos < socket->len) {
        /* Bytes read before the handshake must never pass as protected. */
        snprintf(msg, sizeof msg, "%s: the socket holds buffered plaintext bytes", function);
        return sock_fail(socket, cnet__fail(CNET_EINVAL, msg));
    }
    *fd = socket->fd;
    *deadline = deadline_after(socket->timeout);
    return CNET_OK;
}

cnet_err cnet__socket_record_error(cnet_socket *socket, cnet_err err)
{
    return sock_fail(socket, err);
}

/* ------------------------------------------------------------- options */

cnet_err cnet__socket_get_sock_opt(cnet_socket *socket, cnet_sobool opt, int level, bool *out)
{
    CHECK_OPEN(socket, "cnet_socket_get_sock_opt");
    int own_level, name, value = 0;
    if (!sobool_level_name(opt, &own_level, &name))
        return sock_fail(socket, cnet__fail(CNET_ENOTSUP, "cnet_socket_get_sock_opt: this platform lacks the option"));
    cnet_err err = cnet_get_sock_opt_int(socket->fd, level == CNET_OPT_LEVEL_AUTO ? own_level : level, name, &value);
    if (err != CNET_OK)
        return sock_fail(socket, err);
    *out = value != 0;
    return CNET_OK;
}

cnet_err cnet__socket_set_sock_opt(cnet_socket *socket, cnet_sobool opt, bool value, int level)
{
    CHECK_OPEN(socket, "cnet_socket_set_sock_opt");
    int own_level, name;
    if (!sobool_level_name(opt, &own_level, &name))
        return sock_fail(socket, cnet__fail(CNET_ENOTSUP, "cnet_socket_set_sock_opt: this platform lacks the option"));
    cnet_err err = cnet_set_sock_opt_int(socket->fd, level == CNET_OPT_LEVEL_AUTO ? own_level : level, name, value);
    return err == CNET_OK ? CNET_OK : sock_fail(socket, err);
}

/* ------------------------------------------------------ address lookup */

/* A resolved address list owned by cnet (no addrinfo to forget to free). */
typedef struct {
    size_t count;
    struct {
        struct sockaddr_storage ss;
        cnet_socklen len;
    } item[];
} addr_list;

static bool all_digits(const char *p, const char *end)
{
    if (p == end)
        return false;
    for (; p < end; p++)
        if (*p < '0' || *p > '9')
            return false;
    return true;
}

static bool is_hex_number(const char *p, const char *end)
{
    if (end - p < 3 || p[0] != '0' || (p[1] != 'x' && p[1] != 'X'))
        return false;
    for (p += 2; p < end; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F')))
            return false;
    return true;
}

/*
 * Text that the system resolver would read as a number ("127.1",
 * "0x7f.0.0.1", "0177.0.0.1", "2130706433") or anything with a colon: it
 * must be a strict address literal, never handed to name resolution. Host
 * names never end in an all-numeric label (RFC 3696 section 2).
 */
static bool numeric_looking(const char *text, size_t n)
{
    if (memchr(text, ':', n) != NULL)
        return true;
    const char *end = text + n;
    if (n > 0 && end[-1] == '.')
        end--; /* a trailing root dot */
    const char *label = end;
    while (label > text && label[-1] != '.')
        label--;
    return all_digits(label, end) || is_hex_number(label, end);
}

static addr_list *list_alloc(size_t count)
{
    addr_list *l = calloc(1, sizeof *l + count * sizeof l->item[0]);
    if (l == NULL)
        cnet__fail(CNET_ENOMEM, "address resolution: out of memory");
    return l;
}

/* Fill a socket address for an IpAddress in the socket's family. */
static cnet_err ip_to_sockaddr(const cnet_ip_address *ip, cnet_port port, uint32_t scope, cnet_domain domain,
                               struct sockaddr_storage *ss, cnet_socklen *len)
{
    cnet_ip_address mapped;
    if (ip->family == CNET_IPV4 && domain == CNET_AF_INET6) {
        /* A dual-stack socket reaches IPv4 through ::ffff:a.b.c.d. */
        memset(&mapped, 0, sizeof mapped);
        mapped.family = CNET_IPV6;
        mapped.address[10] = mapped.address[11] = 0xff;
        memcpy(mapped.address + 12, ip->address, 4);
        ip = &mapped;
    } else if (ip->family == CNET_IPV6 && domain == CNET_AF_INET) {
        return cnet__fail(CNET_EAFNOSUPPORT, "an IPv6 address cannot be used with an AF_INET socket");
    }
    return cnet__to_sock_addr(ip, port, scope, ss, len);
}

/*
 * Resolve address:port for a socket of `domain` (CNET_AF_UNSPEC: both
 * families). Literals are parsed strictly first; numeric-looking text that
 * is not a strict literal is an error; the rest goes to the resolver.
 * `passive` and an empty address give the any address.
 */
static cnet_err resolve(const char *address, cnet_port port, cnet_domain domain, cnet_sock_type type,
                        cnet_protocol protocol, bool passive, addr_list **out, const char *function)
{
    *out = NULL;
    cnet_ip_address ip;
    uint32_t scope = 0;
    size_t n = address ? strlen(address) : 0;
    if (n == 0) {
        if (!passive)
            return cnet__fail(CNET_EINVAL, "an empty address names no host");
        ip = domain == CNET_AF_INET6 ? cnet_ipv6_any() : cnet_ipv4_any();
    } else {
        cnet_err perr = cnet_parse_ip_address_scoped(address, n, &ip, &scope);
        if (perr != CNET_OK) {
            if (numeric_looking(address, n)) {
                char msg[200];
                snprintf(msg, sizeof msg, "%s: \"%.64s\" is not a valid address literal: %s", function, address,
                         cnet_strerror(perr));
                return cnet__fail(perr, msg);
            }
            struct addrinfo *ai = NULL;
            cnet_err err = cnet_get_addr_info(address, port, domain, type, protocol, &ai);
            if (err != CNET_OK)
                return err;
            size_t count = 0;
            for (struct addrinfo *p = ai; p; p = p->ai_next)
                count++;
            addr_list *l = list_alloc(count);
            if (l == NULL) {
                cnet_free_addr_info(ai);
                return CNET_ENOMEM;
            }
            for (struct addrinfo *p = ai; p; p = p->ai_next) {
                if ((size_t)p->ai_addrlen > sizeof l->item[0].ss)
                    continue;
                memcpy(&l->item[l->count].ss, p->ai_addr, p->ai_addrlen);
                l->item[l->count].len = (cnet_socklen)p->ai_addrlen;
                l->count++;
            }
            cnet_free_addr_info(ai);
            *out = l;
            return CNET_OK;
        }
    }
    addr_list *l = list_alloc(1);
    if (l == NULL)
        return CNET_ENOMEM;
    cnet_domain d = domain != CNET_AF_UNSPEC ? domain : ip.family == CNET_IPV4 ? CNET_AF_INET : CNET_AF_INET6;
    cnet_err err = ip_to_sockaddr(&ip, port, scope, d, &l->item[0].ss, &l->item[0].len);
    if (err != CNET_OK) {
        free(l);
        return err;
    }
    l->count = 1;
    *out = l;
    return CNET_OK;
}

/* ---------------------------------------------------------- the server */

cnet_err cnet__socket_bind_addr(cnet_socket *socket, cnet_port port, const char *address)
{
    CHECK_OPEN(socket, "cnet_socket_bind_addr");
    addr_list *l;
    cnet_err err = resolve(address, port, socket->domain, socket->type, socket->protocol, true, &l,
                           "cnet_socket_bind_addr");
    if (err != CNET_OK)
        return sock_fail(socket, err);
    err = l->count == 0 ? cnet__fail(CNET_ENOTFOUND, "cnet_socket_bind_addr: no address to bind")
                        : cnet_bind_addr(socket->fd, (struct sockaddr *)&l->item[0].ss, l->item[0].len);
    free(l);
    return err == CNET_OK ? CNET_OK : sock_fail(socket, err);
}

#ifdef CNET__HAVE_UNIX /* internal.h */
static cnet_err unix_addr(const char *path, struct sockaddr_un *sun, cnet_socklen *len, const char *function)
{
    size_t n = strlen(path);
    memset(sun, 0, sizeof *sun);
    if (n == 0 || n >= sizeof sun->sun_path) {
        char msg[128];
        snprintf(msg, sizeof msg, "%s: the path must have 1 to %zu bytes", function, sizeof sun->sun_path - 1);
        return cnet__fail(n == 0 ? CNET_EINVAL : CNET_ENAMETOOLONG, msg);
    }
    sun->sun_family = AF_UNIX;
    memcpy(sun->sun_path, path, n);
    *len = (cnet_socklen)(offsetof(struct sockaddr_un, sun_path) + n + 1);
    return CNET_OK;
}
#endif

cnet_err cnet__socket_bind_unix(cnet_socket *socket, const char *path)
{
    CHECK_OPEN(socket, "cnet_socket_bind_unix");
#ifdef CNET__HAVE_UNIX
    struct sockaddr_un sun;
    cnet_socklen len = 0;
    cnet_err err = unix_addr(path, &sun, &len, "cnet_socket_bind_unix");
    if (err == CNET_OK)
        err = cnet_bind_addr(socket->fd, (struct sockaddr *)&sun, len);
    return err == CNET_OK ? CNET_OK : sock_fail(socket, err);
#else
    (void)path;
    return sock_fail(socket, cnet__fail(CNET_ENOTSUP, "cnet_socket_bind_unix: no AF_UNIX on this platform"));
#endif
}

cnet_err cnet__socket_listen(cnet_socket *socket, int backlog)
{
    CHECK_OPEN(socket, "cnet_socket_listen");
    cnet_err err = cnet_listen(socket->fd, backlog);
    return err == CNET_OK ? CNET_OK : sock_fail(socket, err);
}

/*
 * A TLS listener: the accepted client shares its context and completes the
 * server handshake within the server's default deadline, counted from the
 * accepted connection. On failure a client allocated here is freed.
 */
static cnet_err accept_tls(cnet_socket *server, cnet_socket **client, bool fresh, bool *tls_failed)
{
    cnet_socket *c = *client;
    if (server->tls == NULL)
        return CNET_OK;
    cnet_err err = cnet__tls_accept(server->tls, c->fd, deadline_after(server->timeout), &c->tls);
    if (err == CNET_OK)
        return CNET_OK;
    *tls_failed = true;
    cnet__socket_close(c, 0);
    if (fresh) {
        free(c);
        *client = NULL;
    }
    return sock_fail(server, err);
}

static cnet_err accept_once(cnet_socket *server, cnet_socket **client, char *address, size_t address_size,
                            unsigned flags, bool *tls_failed)
{
    CHECK_OPEN(server, "cnet_socket_accept_addr");
    if (*client != NULL && !is_closed(*client))
        return cnet__fail(CNET_EINVAL, "cnet_socket_accept_addr: *client must be NULL or a closed socket");
    if (address != NULL && address_size < CNET_ADDRSTRLEN)
        return cnet__fail(CNET_ERANGE, "cnet_socket_accept_addr: address_size must be at least CNET_ADDRSTRLEN");
    int64_t deadline = deadline_after(server->timeout);
    cnet_socket_handle fd;
    struct sockaddr_storage ss;
    cnet_socklen len = 0;
    for (;;) {
        cnet_err err = cnet__sys_accept_deadline(server->fd, false, deadline, &fd, &ss, &len);
        if (err == CNET_OK)
            break;
        /* SafeDisconn: a client that vanished during accept is skipped. */
        if (is_disconnection(flags, err) || ((flags & CNET_FLAG_SAFE_DISCONN) && err == CNET_ECONNABORTED))
            continue;
        return sock_fail(server, err);
    }
    if (address != NULL) {
        cnet_err err = cnet__format_sockaddr((struct sockaddr *)&ss, len, address, address_size, NULL);
        if (err != CNET_OK) {
            cnet__sys_close(fd);
            return sock_fail(server, err);
        }
    }
    cnet_socket *c = *client;
    if (c != NULL && c->buffered != server->buffered) {
        /* The reused object has the wrong buffer size: replace it. */
        free(c);
        c = *client = NULL;
    }
    if (c == NULL) {
        cnet_err err = wrap(fd, server->domain, server->type, server->protocol, server->buffered, &c);
        if (err != CNET_OK) {
            cnet__sys_close(fd);
            return sock_fail(server, err);
        }
        *client = c;
        return accept_tls(server, client, true, tls_failed);
    }
    bool buffered = c->buffered;
    unsigned char *buf = c->buf;
    memset(c, 0, sizeof *c);
    c->buf = buf;
    c->fd = fd;
    c->domain = server->domain;
    c->type = server->type;
    c->protocol = server->protocol;
    c->buffered = buffered;
    c->timeout = c->send_timeout = -1;
    return accept_tls(server, client, false, tls_failed);
}

cnet_err cnet__socket_accept_addr(cnet_socket *server, cnet_socket **client, char *address, size_t address_size,
                                  unsigned flags)
{
    for (;;) {
        bool tls_failed = false;
        cnet_err err = accept_once(server, client, address, address_size, flags, &tls_failed);
        /* SafeDisconn: a client that vanished during the TLS handshake is
         * skipped like one that vanished before accept returned. */
        if (!tls_failed || !is_disconnection(flags, err))
            return err;
    }
}

cnet_err cnet__socket_accept(cnet_socket *server, cnet_socket **client, unsigned flags)
{
    return cnet__socket_accept_addr(server, client, NULL, 0, flags);
}

/* ---------------------------------------------------------- the client */

/* Try each address in turn on one socket, all within one deadline. */
static cnet_err connect_list(cnet_socket *s, const addr_list *l, int64_t deadline)
{
    cnet_err err = cnet__fail(CNET_ENOTFOUND, "connect: the name has no address of the socket's family");
    for (size_t i = 0; i < l->count; i++) {
        err = cnet__sys_connect(s->fd, (const struct sockaddr *)&l->item[i].ss, l->item[i].len, deadline);
        if (err == CNET_OK || err == CNET_ETIMEDOUT)
            break;
    }
    return err;
}

cnet_err cnet__socket_connect(cnet_socket *socket, const char *address, cnet_port port, int timeout)
{
    CHECK_OPEN(socket, "cnet_socket_connect");
    int64_t deadline = deadline_after(timeout >= 0 ? timeout : socket->timeout);
    addr_list *l;
    cnet_err err = resolve(address, port, socket->domain, socket->type, socket->protocol, false, &l,
                           "cnet_socket_connect");
    if (err != CNET_OK)
        return sock_fail(socket, err);
    err = connect_list(socket, l, deadline);
    free(l);
    /* TLS: the handshake shares the connect deadline. */
    if (err == CNET_OK && socket->tls != NULL)
        err = cnet__tls_connect(socket->tls, address, deadline);
    return err == CNET_OK ? CNET_OK : sock_fail(socket, err);
}

cnet_err cnet__socket_connect_unix(cnet_socket *socket, const char *path)
{
    CHECK_OPEN(socket, "cnet_socket_connect_unix");
#ifdef CNET__HAVE_UNIX
    struct sockaddr_un sun;
    cnet_socklen len = 0;
    cnet_err err = unix_addr(path, &sun, &len, "cnet_socket_connect_unix");
    int64_t deadline = deadline_after(socket->timeout);
    if (err == CNET_OK)
        err = cnet__sys_connect(socket->fd, (struct sockaddr *)&sun, len, deadline);
    /* TLS over AF_UNIX verifies the name set with cnet_socket_set_server_name. */
    if (err == CNET_OK && socket->tls != NULL)
        err = cnet__tls_connect(socket->tls, NULL, deadline);
    return err == CNET_OK ? CNET_OK : sock_fail(socket, err);
#else
    (void)path;
    return sock_fail(socket, cnet__fail(CNET_ENOTSUP, "cnet_socket_connect_unix: no AF_UNIX on this platform"));
#endif
}

cnet_err cnet__dial(const char *address, cnet_port port, cnet_protocol protocol, bool buffered, int timeout,
                    cnet_socket **out)
{
    *out = NULL;
    int64_t deadline = deadline_after(timeout);
    cnet_sock_type type = cnet_to_sock_type(protocol);
    addr_list *l;
    cnet_err err = resolve(address, port, CNET_AF_UNSPEC, type, protocol, false, &l, "cnet_dial");
    if (err != CNET_OK)
        return err;
    err = cnet__fail(CNET_ENOTFOUND, "cnet_dial: the name has no address");
    for (size_t i = 0; i < l->count; i++) {
        cnet_domain domain;
        if (!cnet__domain_from_os(l->item[i].ss.ss_family, &domain))
            continue;
        cnet_socket *s;
        err = cnet__socket_new(domain, type, protocol, buffered, false, &s);
        if (err != CNET_OK)
            break;
        err = cnet__sys_connect(s->fd, (const struct sockaddr *)&l->item[i].ss, l->item[i].len, deadline);
        if (err == CNET_OK) {
            *out = s;
            break;
        }
        cnet_socket_free(s);
        if (err == CNET_ETIMEDOUT)
            break;
    }
    free(l);
    return err;
}

/* ----------------------------------------------------------- addresses */

static cnet_err sock_addr(cnet_socket *socket, bool peer, char *address, size_t address_size, cnet_port *port)
{
    CHECK_OPEN(socket, peer ? "cnet_socket_get_peer_addr" : "cnet_socket_get_local_addr");
    cnet_err err = peer ? cnet_get_peer_addr(socket->fd, address, address_size, port)
                        : cnet_get_local_addr(socket->fd, address, address_size, port);
    return err == CNET_OK ? CNET_OK : sock_fail(socket, err);
}

cnet_err cnet__socket_get_local_addr(cnet_socket *socket, char *address, size_t address_size, cnet_port *port)
{
    return sock_addr(socket, false, address, address_size, port);
}

cnet_err cnet__socket_get_peer_addr(cnet_socket *socket, char *address, size_t address_size, cnet_port *port)
{
    return sock_addr(socket, true, address, address_size, port);
}

cnet_err cnet__to_sock_addr(const cnet_ip_address *address, cnet_port port, uint32_t scope_id,
                            struct sockaddr_storage *out, cnet_socklen *len)
{
    memset(out, 0, sizeof *out);
    if (address->family == CNET_IPV4) {
        struct sockaddr_in sin;
        memset(&sin, 0, sizeof sin);
        sin.sin_family = AF_INET;
        sin.sin_port = cnet_htons(port.value);
        memcpy(&sin.sin_addr, address->address, 4);
        memcpy(out, &sin, sizeof sin);
        *len = (cnet_socklen)sizeof sin;
        return CNET_OK;
    }
    if (address->family == CNET_IPV6) {
        struct sockaddr_in6 sin6;
        memset(&sin6, 0, sizeof sin6);
        sin6.sin6_family = AF_INET6;
        sin6.sin6_port = cnet_htons(port.value);
        sin6.sin6_scope_id = scope_id;
        memcpy(&sin6.sin6_addr, address->address, 16);
        memcpy(out, &sin6, sizeof sin6);
        *len = (cnet_socklen)sizeof sin6;
        return CNET_OK;
    }
    return cnet__fail(CNET_EINVAL, "cnet_to_sock_addr: the address family is neither IPv4 nor IPv6");
}

cnet_err cnet__from_sock_addr(const struct sockaddr *sa, cnet_socklen len, cnet_ip_address *address,
                              cnet_port *port, uint32_t *scope_id)
{
    memset(address, 0, sizeof *address);
    if (len >= (cnet_socklen)sizeof(struct sockaddr_in) && sa->sa_family == AF_INET) {
        struct sockaddr_in sin;
        memcpy(&sin, sa, sizeof sin);
        address->family = CNET_IPV4;
        memcpy(address->address, &sin.sin_addr, 4);
        if (port)
            port->value = cnet_ntohs(sin.sin_port);
        if (scope_id)
            *scope_id = 0;
        return CNET_OK;
    }
    if (len >= (cnet_socklen)sizeof(struct sockaddr_in6) && sa->sa_family == AF_INET6) {
        struct sockaddr_in6 sin6;
        memcpy(&sin6, sa, sizeof sin6);
        address->family = CNET_IPV6;
        memcpy(address->address, &sin6.sin6_addr, 16);
        if (port)
            port->value = cnet_ntohs(sin6.sin6_port);
        if (scope_id)
            *scope_id = (uint32_t)sin6.sin6_scope_id;
        return CNET_OK;
    }
    if (len < (cnet_socklen)sizeof(sa->sa_family))
        return cnet__fail(CNET_EINVAL, "cnet_from_sock_addr: the socket address is too short");
    return cnet__fail(sa->sa_family == AF_INET || sa->sa_family == AF_INET6 ? CNET_EINVAL : CNET_EAFNOSUPPORT,
                      "cnet_from_sock_addr: not a complete IPv4 or IPv6 socket address");
}

cnet_err cnet__get_primary_ip_addr(const cnet_ip_address *dest, cnet_ip_address *out)
{
    cnet_domain domain = dest->family == CNET_IPV4 ? CNET_AF_INET : CNET_AF_INET6;
    cnet_socket_handle fd;
    cnet_err err = cnet_create_native_socket(domain, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, false, &fd);
    if (err != CNET_OK)
        return err;
    struct sockaddr_storage ss;
    cnet_socklen len = 0;
    err = cnet__to_sock_addr(dest, CNET_PORT(80), 0, &ss, &len);
    if (err == CNET_OK)
        err = cnet__sys_connect(fd, (struct sockaddr *)&ss, len, -1); /* UDP: sends nothing */
    if (err == CNET_OK) {
        char text[CNET_ADDRSTRLEN];
        err = cnet_get_local_addr(fd, text, sizeof text, NULL);
        if (err == CNET_OK) {
            uint32_t scope;
            err = cnet_parse_ip_address_scoped(text, strlen(text), out, &scope);
        }
    }
    cnet__sys_close(fd);
    return err;
}

/* ------------------------------------------------------------ receiving */

bool cnet_socket_has_data_buffered(const cnet_socket *socket)
{
    cnet_socket *s = (cnet_socket *)socket;
    if (s == NULL || !hold(s))
        return false;
    bool pending = (s->buffered && s->pos < s->len) || (s->tls != NULL && cnet__tls_pending(s->tls));
    drop(s);
    return pending;
}

/* Receive exactly size bytes (or until the end of stream) by a deadline. */
static cnet_err recv_exact(cnet_socket *s, unsigned char *data, size_t size, deadline_t *dl, unsigned flags,
                           size_t *received)
{
    size_t got = 0;
    cnet_err err = CNET_OK;
    while (got < size) {
        size_t n;
        if (s->buffered) {
            if (s->pos < s->len) {
                n = s->len - s->pos;
                if (n > size - got)
                    n = size - got;
                memcpy(data + got, s->buf + s->pos, n);
                s->pos += n;
                got += n;
                continue;
            }
            if (size - got >= CNET_BUFFER_SIZE) {
                /* A large read goes straight into the caller's memory. */
                err = raw_read(s, data + got, size - got, false, dl, &n);
                got += n;
            } else {
                err = fill(s, dl, &n);
            }
        } else {
            err = raw_read(s, data + got, size - got, false, dl, &n);
            got += n;
        }
        if (err != CNET_OK || n == 0)
            break;
    }
    *received = got;
    return finish_read(s, err, got, flags);
}

/* Look at up to size bytes without consuming them. */
static cnet_err peek_some(cnet_socket *s, unsigned char *data, size_t size, deadline_t *dl, unsigned flags,
                          size_t *received)
{
    size_t n = 0;
    cnet_err err = CNET_OK;
    if (s->buffered) {
        if (s->pos == s->len)
            err = fill(s, dl, &n);
        n = s->len - s->pos;
        if (n > size)
            n = size;
        memcpy(data, s->buf + s->pos, n);
    } else {
        err = raw_read(s, data, size, true, dl, &n);
    }
    *received = n;
    return finish_read(s, err, n, flags);
}

cnet_err cnet__socket_recv(cnet_socket *socket, void *data, size_t size, int timeout, unsigned flags,
                           size_t *received)
{
    *received = 0;
    CHECK_OPEN(socket, "cnet_socket_recv");
    if (size == 0)
        return CNET_OK;
    if (data == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv: argument 'data' must not be NULL");
    deadline_t dl = read_deadline(socket, timeout);
    if (flags & CNET_FLAG_PEEK)
        return peek_some(socket, data, size, &dl, flags, received);
    return recv_exact(socket, data, size, &dl, flags, received);
}

cnet_err cnet__socket_recv_some(cnet_socket *socket, void *data, size_t size, int timeout, unsigned flags,
                                size_t *received)
{
    *received = 0;
    CHECK_OPEN(socket, "cnet_socket_recv_some");
    deadline_t dl = read_deadline(socket, timeout);
    if (flags & CNET_FLAG_PEEK)
        return peek_some(socket, data, size, &dl, flags, received);
    size_t n = 0;
    cnet_err err = CNET_OK;
    if (socket->buffered && (socket->pos < socket->len || size < CNET_BUFFER_SIZE)) {
        if (socket->pos == socket->len)
            err = fill(socket, &dl, &n);
        n = socket->len - socket->pos;
        if (n > size)
            n = size;
        memcpy(data, socket->buf + socket->pos, n);
        socket->pos += n;
    } else {
        err = raw_read(socket, data, size, false, &dl, &n);
    }
    *received = n;
    return finish_read(socket, err, n, flags);
}

cnet_err cnet__socket_recv_string(cnet_socket *socket, size_t size, int timeout, unsigned flags, char **out,
                                  size_t *len)
{
    *out = NULL;
    *len = 0;
    CHECK_OPEN(socket, "cnet_socket_recv_string");
    if (size == (size_t)-1)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_string: size is too large");
    char *text = malloc(size + 1);
    if (text == NULL)
        return sock_fail(socket, cnet__fail(CNET_ENOMEM, "cnet_socket_recv_string: out of memory"));
    cnet_err err = cnet__socket_recv(socket, text, size, timeout, flags, len);
    text[*len] = '\0';
    *out = text;
    return err;
}

/* Where read_line puts the line: a fixed buffer, or a growing one. */
typedef struct {
    char *p;
    size_t len, cap, max;
    bool grow;
} line_sink;

static bool sink_add(line_sink *k, const unsigned char *src, size_t n)
{
    if (k->len + n + 1 > k->cap) {
        size_t cap = k->cap ? k->cap : 128;
        while (cap < k->len + n + 1)
            cap *= 2;
        if (cap > k->max + 1)
            cap = k->max + 1;
        char *p = realloc(k->p, cap);
        if (p == NULL)
            return false;
        k->p = p;
        k->cap = cap;
    }
    memcpy(k->p + k->len, src, n);
    k->len += n;
    return true;
}

/*
 * Line ends. A line ends at the first "\r" or "\n" (a lone "\r" too, as in
 * Nim). With SSE2 (every x86-64) one step tests 16 bytes for both at once;
 * on a CPU with AVX2 (checked at run time, see use_avx2) 32 bytes. Elsewhere
 * two memchr passes beat a byte loop. (The raw reader of bench/bench_net.c
 * needs only one memchr for "\n".)
 *
 * Two kinds of scan:
 * - find_eol_buffered (and scan_copy, the same with read_line's copy of the
 *   line fused in), for a buffered socket's buffer: it steps from p in
 *   whole vectors and may read up to EOL_PAD - 1 bytes past p + n, which stay
 *   inside the buffer and the EOL_PAD bytes allocated after it (wrap); a hit
 *   there is stale data or past the window, and is ignored. No tail case: a
 *   64-byte line is two AVX2 steps and nothing else.
 * - find_eol, for any other memory (the unbuffered path's chunk): it never
 *   reads outside [p, p+n); its last vector overlaps the one before (bytes
 *   already known to hold neither).
 */
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
static const unsigned char *find_eol_sse2(const unsigned char *p, size_t n)
{
    if (n < 16) {
        for (size_t i = 0; i < n; i++)
            if (p[i] == '\n' || p[i] == '\r')
                return p + i;
        return NULL;
    }
    const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    size_t i = 0;
    for (;;) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        unsigned hits = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)));
        if (hits != 0)
            return p + i + (unsigned)__builtin_ctz(hits);
        if (i + 16 == n)
            return NULL;
        i = i + 32 <= n ? i + 16 : n - 16;
    }
}


/*
 * The buffer's scans. With `line` NULL, find_eol_padded: the first line end
 * in the window [p, p+n), stepping whole vectors (they may read up to a
 * vector past the window, inside the buffer and its EOL_PAD). With `line`,
 * scan_copy, for read_line's fast path: the same scan with the copy of the
 * line fused in, each vector loaded once, tested, and stored into `line`
 * whole while it fits in `size` bytes (the bytes stored after the line end
 * are scratch, as the docs of cnet_socket_read_line say: the caller puts the
 * NUL there; scan_copy_rest finishes where a whole vector no longer fits).
 * The window never exceeds `size`, so a line end found in it is inside
 * `line`. Both return the line end, or NULL (`line` then holds scratch).
 */
static const unsigned char *scan_copy_rest(const unsigned char *p, size_t n, char *line, size_t i);

static inline __attribute__((always_inline)) const unsigned char *scan_sse2(const unsigned char *p, size_t n,
                                                                           char *line, size_t size)
{
    const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    for (size_t i = 0; i < n; i += 16) {
        if (line != NULL && i + 16 > size)
            return scan_copy_rest(p, n, line, i);
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        if (line != NULL)
            _mm_storeu_si128((__m128i *)(void *)(line + i), v);
        unsigned hits = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)));
        if (hits != 0) {
            size_t k = i + (unsigned)__builtin_ctz(hits);
            return k < n ? p + k : NULL;
        }
    }
    return NULL;
}

static const unsigned char *find_eol_padded_sse2(const unsigned char *p, size_t n)
{
    return scan_sse2(p, n, NULL, 0);
}

static const unsigned char *scan_copy_sse2(const unsigned char *p, size_t n, char *line, size_t size)
{
    return scan_sse2(p, n, line, size);
}

/* The rest of a scan_copy from offset i on, where a whole vector no longer
 * fits in `line` (a line buffer of a few bytes): out of line, so the scans'
 * loops need no stack frame. */
static __attribute__((noinline, cold)) const unsigned char *scan_copy_rest(const unsigned char *p, size_t n,
                                                                          char *line, size_t i)
{
    const unsigned char *eol = find_eol_padded_sse2(p + i, n - i);
    if (eol != NULL)
        memcpy(line + i, p + i, (size_t)(eol - (p + i)));
    return eol;
}

#ifdef CNET_EOL_AVX2
__attribute__((target("avx2"))) static const unsigned char *find_eol_avx2(const unsigned char *p, size_t n)
{
    const __m256i lf = _mm256_set1_epi8('\n'), cr = _mm256_set1_epi8('\r');
    size_t i = 0; /* n >= 32 */
    for (;;) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(p + i));
        unsigned hits =
            (unsigned)_mm256_movemask_epi8(_mm256_or_si256(_mm256_cmpeq_epi8(v, lf), _mm256_cmpeq_epi8(v, cr)));
        if (hits != 0)
            return p + i + (unsigned)__builtin_ctz(hits);
        if (i + 32 == n)
            return NULL;
        i = i + 64 <= n ? i + 32 : n - 32;
    }
}

__attribute__((target("avx2"))) static inline __attribute__((always_inline)) const unsigned char *
scan_avx2(const unsigned char *p, size_t n, char *line, size_t size)
{
    const __m256i lf = _mm256_set1_epi8('\n'), cr = _mm256_set1_epi8('\r');
    for (size_t i = 0; i < n; i += 32) {
        if (line != NULL && i + 32 > size)
            return scan_copy_rest(p, n, line, i);
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(p + i));
        if (line != NULL)
            _mm256_storeu_si256((__m256i *)(void *)(line + i), v);
        unsigned hits =
            (unsigned)_mm256_movemask_epi8(_mm256_or_si256(_mm256_cmpeq_epi8(v, lf), _mm256_cmpeq_epi8(v, cr)));
        if (hits != 0) {
            size_t k = i + (unsigned)__builtin_ctz(hits);
            return k < n ? p + k : NULL;
        }
    }
    return NULL;
}

__attribute__((target("avx2"))) static const unsigned char *find_eol_padded_avx2(const unsigned char *p, size_t n)
{
    return scan_avx2(p, n, NULL, 0);
}

__attribute__((target("avx2"))) static const unsigned char *scan_copy_avx2(const unsigned char *p, size_t n,
                                                                          char *line, size_t size)
{
    return scan_avx2(p, n, line, size);
}

/* AVX2 when the CPU has it and CNET_NO_AVX2 is unset (the tests set it to
 * check the SSE2 scans too); decided once per process, out of line so the
 * check inlined into every scan is one load and one compare. */
static atomic_int avx2_state; /* 0 not known yet, 1 no, 2 yes */

static __attribute__((noinline, cold)) bool avx2_decide(void)
{
    const char *off = getenv("CNET_NO_AVX2");
    int v = __builtin_cpu_supports("avx2") && (off == NULL || *off == '\0' || strcmp(off, "0") == 0) ? 2 : 1;
    atomic_store_explicit(&avx2_state, v, memory_order_relaxed);
    return v == 2;
}

static inline bool use_avx2(void)
{
    int v = atomic_load_explicit(&avx2_state, memory_order_relaxed);
    return __builtin_expect(v != 0, 1) ? v == 2 : avx2_decide();
}
#endif

static const unsigned char *find_eol(const unsigned char *p, size_t n)
{
#ifdef CNET_EOL_AVX2
    if (n >= 32 && use_avx2())
        return find_eol_avx2(p, n);
#endif
    return find_eol_sse2(p, n);
}

static inline const unsigned char *find_eol_buffered(const unsigned char *p, size_t n)
{
#ifdef CNET_EOL_AVX2
    if (use_avx2())
        return find_eol_padded_avx2(p, n);
#endif
    return find_eol_padded_sse2(p, n);
}

static inline const unsigned char *scan_copy(const unsigned char *p, size_t n, char *line, size_t size)
{
#ifdef CNET_EOL_AVX2
    if (use_avx2())
        return scan_copy_avx2(p, n, line, size);
#endif
    return scan_copy_sse2(p, n, line, size);
}
#else
static const unsigned char *find_eol(const unsigned char *p, size_t n)
{
    const unsigned char *lf = memchr(p, '\n', n);
    const unsigned char *cr = memchr(p, '\r', lf ? (size_t)(lf - p) : n);
    return cr ? cr : lf;
}

#define find_eol_buffered find_eol

static const unsigned char *scan_copy(const unsigned char *p, size_t n, char *line, size_t size)
{
    (void)size;
    const unsigned char *eol = find_eol(p, n);
    if (eol != NULL)
        memcpy(line, p, (size_t)(eol - p));
    return eol;
}
#endif

/* Step past the line end at eol (in the buffer). After a "\r" a "\n" belongs
 * to the same line end: skipped here, or by the next read when the "\r" was
 * the last buffered byte. */
static void consume_eol(cnet_socket *s, const unsigned char *eol)
{
    s->pos = (size_t)(eol - s->buf) + 1;
    if (*eol == '\r') {
        if (s->pos < s->len) {
            if (s->buf[s->pos] == '\n')
                s->pos++;
        } else {
            s->skip_lf = true;
        }
    }
}

static cnet_err read_line_buffered(cnet_socket *s, line_sink *k, deadline_t *dl, cnet_read_line_result *result)
{
    for (;;) {
        if (s->pos == s->len) {
            size_t n;
            cnet_err err = fill(s, dl, &n);
            if (err != CNET_OK)
                return err;
            if (n == 0) {
                *result = k->len > 0 ? CNET_READ_PARTIAL_LINE : CNET_READ_DISCONNECTED;
                return CNET_OK;
            }
        }
        const unsigned char *start = s->buf + s->pos;
        size_t avail = s->len - s->pos;
        size_t room = k->max - k->len;
        /* A terminator right after a line of exactly `room` bytes still
         * makes a full line, so look one byte further. */
        size_t window = avail < room + 1 ? avail : room + 1;
        const unsigned char *eol = find_eol_buffered(start, window);
        if (eol != NULL) {
            size_t n = (size_t)(eol - start);
            if (!sink_add(k, start, n))
                return cnet__fail(CNET_ENOMEM, "read_line: out of memory");
            consume_eol(s, eol);
            *result = CNET_READ_FULL_LINE;
            return CNET_OK;
        }
        if (avail >= room) {
            if (!sink_add(k, start, room))
                return cnet__fail(CNET_ENOMEM, "read_line: out of memory");
            s->pos += room;
            *result = CNET_READ_TRUNCATED;
            return CNET_OK;
        }
        if (!sink_add(k, start, avail))
            return cnet__fail(CNET_ENOMEM, "read_line: out of memory");
        s->pos = s->len;
    }
}

/* Unbuffered: peek a chunk, then consume exactly the line and its end. */
static cnet_err read_line_unbuffered(cnet_socket *s, line_sink *k, deadline_t *dl,
                                     cnet_read_line_result *result)
{
    unsigned char chunk[512];
    for (;;) {
        size_t room = k->max - k->len;
        size_t want = room + 1 < sizeof chunk ? room + 1 : sizeof chunk;
        size_t n, used;
        cnet_err err = raw_read(s, chunk, want, true, dl, &n);
        if (err != CNET_OK)
            return err;
        if (n == 0) {
            *result = k->len > 0 ? CNET_READ_PARTIAL_LINE : CNET_READ_DISCONNECTED;
            return CNET_OK;
        }
        const unsigned char *eol = find_eol(chunk, n);
        size_t take, keep;
        if (eol != NULL) {
            keep = (size_t)(eol - chunk);
            take = keep + 1;
            if (*eol == '\r' && take < n && chunk[take] == '\n')
                take++;
        } else {
            keep = take = n < room ? n : room;
        }
        if (!sink_add(k, chunk, keep))
            return cnet__fail(CNET_ENOMEM, "read_line: out of memory");
        for (size_t done = 0; done < take; done += used) {
            err = sock_recv(s, chunk, take - done, false, deadline_of(dl), &used);
            if (err != CNET_OK || used == 0)
                return err != CNET_OK ? sock_fail(s, err) : CNET_OK;
        }
        if (eol != NULL) {
            if (*eol == '\r' && take == keep + 1)
                s->skip_lf = true;
            *result = CNET_READ_FULL_LINE;
            return CNET_OK;
        }
        if (keep == room) {
            *result = CNET_READ_TRUNCATED;
            return CNET_OK;
        }
    }
}

static cnet_err read_line_into(cnet_socket *s, line_sink *k, int timeout, unsigned flags,
                               cnet_read_line_result *result)
{
    *result = CNET_READ_NONE;
    CHECK_OPEN(s, "cnet_socket_read_line");
    deadline_t dl = read_deadline(s, timeout);
    cnet_err err = s->buffered ? read_line_buffered(s, k, &dl, result) : read_line_unbuffered(s, k, &dl, result);
    if (err == CNET_OK || err == CNET_ETIMEDOUT || err == CNET_ENOMEM)
        return err;
    /* The stream failed: bytes in hand come first, the error next time. */
    if (k->len > 0 && err == s->latched) {
        *result = CNET_READ_PARTIAL_LINE;
        return CNET_OK;
    }
    if (is_disconnection(flags, err)) {
        *result = CNET_READ_DISCONNECTED;
        return CNET_OK;
    }
    return err;
}

/* cnet__socket_read_line when the line is not waiting whole in the buffer.
 * Out of line, so the fast path keeps a small frame. */
static __attribute__((noinline)) cnet_err read_line_slow(cnet_socket *socket, char *line, size_t size, size_t *len,
                                                         cnet_read_line_result *result, int timeout, unsigned flags)
{
    line_sink k = {line, 0, size, size - 1, false};
    line[0] = '\0';
    cnet_err err = read_line_into(socket, &k, timeout, flags, result);
    line[k.len] = '\0';
    *len = k.len;
    return err;
}

cnet_err cnet__socket_read_line(cnet_socket *socket, char *line, size_t size, size_t *len,
                                cnet_read_line_result *result, int timeout, unsigned flags)
{
    /* The common case first: a whole line waiting in the buffer (the first
     * step of read_line_buffered without the sink). No system call, so no
     * hold; anything else is read_line_slow. */
    if (socket->buffered && socket->pos < socket->len && !is_closed(socket)) {
        const unsigned char *start = socket->buf + socket->pos;
        size_t avail = socket->len - socket->pos;
        const unsigned char *eol = scan_copy(start, avail < size ? avail : size, line, size);
        if (eol != NULL) {
            size_t n = (size_t)(eol - start);
            line[n] = '\0';
            consume_eol(socket, eol);
            *len = n;
            *result = CNET_READ_FULL_LINE;
            return CNET_OK;
        }
    }
    return read_line_slow(socket, line, size, len, result, timeout, flags);
}

cnet_err cnet__socket_recv_line(cnet_socket *socket, int timeout, unsigned flags, size_t max_length, char **out,
                                size_t *len, cnet_read_line_result *result)
{
    *out = NULL;
    *len = 0;
    if (max_length >= (size_t)-1 / 2)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_line: max_length is too large");
    line_sink k = {NULL, 0, 0, max_length, true};
    cnet_err err = read_line_into(socket, &k, timeout, flags, result);
    if (k.p == NULL) {
        k.p = malloc(1);
        if (k.p == NULL)
            return cnet__fail(CNET_ENOMEM, "cnet_socket_recv_line: out of memory");
    }
    k.p[k.len] = '\0';
    *out = k.p;
    *len = k.len;
    return err;
}

cnet_err cnet__socket_skip(cnet_socket *socket, size_t size, int timeout, size_t *skipped)
{
    size_t done = 0;
    if (skipped)
        *skipped = 0;
    CHECK_OPEN(socket, "cnet_socket_skip");
    deadline_t dl = read_deadline(socket, timeout);
    unsigned char scratch[CNET_BUFFER_SIZE];
    cnet_err err = CNET_OK;
    while (done < size) {
        size_t want = size - done < sizeof scratch ? size - done : sizeof scratch, n;
        err = recv_exact(socket, scratch, want, &dl, 0, &n);
        done += n;
        if (err != CNET_OK || n < want)
            break;
    }
    if (skipped)
        *skipped = done;
    return err;
}

cnet_err cnet__socket_recv_from(cnet_socket *socket, void *data, size_t size, char *address, size_t address_size,
                                cnet_port *port, size_t *received)
{
    *received = 0;
    CHECK_OPEN(socket, "cnet_socket_recv_from");
    if (address != NULL && address_size < CNET_ADDRSTRLEN)
        return cnet__fail(CNET_ERANGE, "cnet_socket_recv_from: address_size must be at least CNET_ADDRSTRLEN");
    struct sockaddr_storage ss;
    cnet_socklen len = 0;
    bool truncated;
    cnet_err err = cnet__sys_recvfrom(socket->fd, data, size, &ss, &len, deadline_after(socket->timeout), received,
                                      &truncated);
    if (is_closed(socket)) /* woken by a close on another thread: no datagram */
        return closed_during(socket, "cnet_socket_recv_from");
    if (err != CNET_OK)
        return sock_fail(socket, err);
    if (address != NULL || port != NULL) {
        char text[CNET_ADDRSTRLEN];
        err = cnet__format_sockaddr((struct sockaddr *)&ss, len, address ? address : text,
                                    address ? address_size : sizeof text, port);
        if (err != CNET_OK)
            return sock_fail(socket, err);
    }
    if (truncated)
        return sock_fail(socket, cnet__fail(CNET_ETRUNCATED, "cnet_socket_recv_from: the datagram was truncated"));
    return CNET_OK;
}

cnet_err cnet__socket_recv_from_ip(cnet_socket *socket, void *data, size_t size, cnet_ip_address *address,
                                   cnet_port *port, size_t *received)
{
    *received = 0;
    CHECK_OPEN(socket, "cnet_socket_recv_from_ip");
    struct sockaddr_storage ss;
    cnet_socklen len = 0;
    bool truncated;
    cnet_err err = cnet__sys_recvfrom(socket->fd, data, size, &ss, &len, deadline_after(socket->timeout), received,
                                      &truncated);
    if (is_closed(socket)) /* woken by a close on another thread: no datagram */
        return closed_during(socket, "cnet_socket_recv_from_ip");
    if (err == CNET_OK)
        err = cnet__from_sock_addr((struct sockaddr *)&ss, len, address, port, NULL);
    if (err == CNET_OK && truncated)
        err = cnet__fail(CNET_ETRUNCATED, "cnet_socket_recv_from_ip: the datagram was truncated");
    return err == CNET_OK ? CNET_OK : sock_fail(socket, err);
}

/* -------------------------------------------------------------- sending */

/* Send everything from where the last write stopped, by one deadline. */
static cnet_err send_all(cnet_socket *s, const unsigned char *data, size_t size, int64_t deadline, unsigned flags,
                         size_t *sent)
{
    size_t done = 0;
    cnet_err err = CNET_OK;
    /* A datagram socket sends one datagram, even an empty one. */
    bool once = s->type == CNET_SOCK_DGRAM;
    while (done < size || once) {
        size_t n;
        once = false;
        err = sock_send(s, data + done, size - done, deadline, &n);
        if (err != CNET_OK)
            break;
        done += n;
    }
    if (sent)
        *sent = done;
    if (err == CNET_OK)
        return CNET_OK;
    sock_fail(s, err);
    return is_disconnection(flags, err) ? CNET_OK : err;
}

cnet_err cnet__socket_send(cnet_socket *socket, const void *data, size_t size, unsigned flags, size_t *sent)
{
    if (sent)
        *sent = 0;
    CHECK_OPEN(socket, "cnet_socket_send");
    return send_all(socket, data, size, send_deadline(socket), flags, sent);
}

cnet_err cnet__socket_send_str(cnet_socket *socket, const char *text, unsigned flags)
{
    return cnet__socket_send(socket, text, strlen(text), flags, NULL);
}

bool cnet_socket_try_send(cnet_socket *socket, const void *data, size_t size)
{
    if (socket == NULL || is_closed(socket) || (data == NULL && size > 0))
        return false;
    size_t n = 0;
    return sock_send(socket, data, size, send_deadline(socket), &n) == CNET_OK && n == size;
}

cnet_err cnet__socket_send_to(cnet_socket *socket, const char *address, cnet_port port, const void *data,
                              size_t size, unsigned flags)
{
    (void)flags;
    CHECK_OPEN(socket, "cnet_socket_send_to");
    addr_list *l;
    cnet_err err = resolve(address, port, socket->domain, socket->type, socket->protocol, false, &l,
                           "cnet_socket_send_to");
    if (err != CNET_OK)
        return sock_fail(socket, err);
    err = cnet__fail(CNET_ENOTFOUND, "cnet_socket_send_to: the name has no address of the socket's family");
    int64_t deadline = send_deadline(socket);
    for (size_t i = 0; i < l->count; i++) {
        err = cnet__sys_sendto(socket->fd, data, size, (struct sockaddr *)&l->item[i].ss, l->item[i].len, deadline);
        if (err == CNET_OK || err == CNET_EMSGSIZE || err == CNET_ETIMEDOUT)
            break;
    }
    free(l);
    return err == CNET_OK ? CNET_OK : sock_fail(socket, err);
}

cnet_err cnet__socket_send_to_ip(cnet_socket *socket, const cnet_ip_address *address, cnet_port port,
                                 const void *data, size_t size)
{
    CHECK_OPEN(socket, "cnet_socket_send_to_ip");
    struct sockaddr_storage ss;
    cnet_socklen len = 0;
    cnet_err err = ip_to_sockaddr(address, port, 0, socket->domain, &ss, &len);
    if (err == CNET_OK)
        err = cnet__sys_sendto(socket->fd, data, size, (struct sockaddr *)&ss, len, send_deadline(socket));
    return err == CNET_OK ? CNET_OK : sock_fail(socket, err);
}

cnet_err cnet__socket_shutdown(cnet_socket *socket, bool read, bool write)
{
    CHECK_OPEN(socket, "cnet_socket_shutdown");
    if (!read && !write)
        return CNET_OK;
    /* TLS: the write side ends with close_notify, so the peer sees a clean end. */
    if (write && socket->tls != NULL) {
        cnet_err tls_err = cnet__tls_shutdown_write(socket->tls, send_deadline(socket));
        if (tls_err != CNET_OK)
            return sock_fail(socket, tls_err);
    }
    cnet_err err = cnet__sys_shutdown(socket->fd, read, write);
    return err == CNET_OK ? CNET_OK : sock_fail(socket, err);
}

/* -------------------------------------------------------------- framing */

cnet_err cnet__socket_send_frame(cnet_socket *socket, cnet_frame_format format, const void *data, size_t size)
{
    CHECK_OPEN(socket, "cnet_socket_send_frame");
    unsigned char prefix[5];
    if (format == CNET_FRAME_DECIMAL4) {
        if (size > CNET_FRAME_DECIMAL4_MAX)
            return cnet__fail(CNET_EFRAME_TOO_LARGE, "cnet_socket_send_frame: a 4-digit frame holds at most 9999 bytes");
        snprintf((char *)prefix, sizeof prefix, "%04u", (unsigned)size);
    } else {
        if (size > 0xffffffffu)
            return cnet__fail(CNET_EFRAME_TOO_LARGE, "cnet_socket_send_frame: a frame holds at most 2^32-1 bytes");
        prefix[0] = (unsigned char)(size >> 24);
        prefix[1] = (unsigned char)(size >> 16);
        prefix[2] = (unsigned char)(size >> 8);
        prefix[3] = (unsigned char)size;
    }
    int64_t deadline = send_deadline(socket);
    size_t n = 0;
    /* Prefix and payload in one gathering send; finish whatever is left.
     * TLS has no gathering write: a small frame goes out as one record. */
    cnet_err err = CNET_OK;
    if (socket->tls != NULL) {
        unsigned char one[4 + 4096];
        if (size <= sizeof one - 4) {
            memcpy(one, prefix, 4);
            if (size > 0)
                memcpy(one + 4, data, size);
            err = send_all(socket, one, 4 + size, deadline, 0, &n);
        }
    } else {
        err = cnet__sys_sendv2(socket->fd, prefix, 4, data, size, deadline, &n);
    }
    if (err == CNET_OK && n < 4)
        err = send_all(socket, prefix + n, 4 - n, deadline, 0, NULL);
    if (err == CNET_OK && n < 4 + size) {
        size_t off = n > 4 ? n - 4 : 0;
        err = send_all(socket, (const unsigned char *)data + off, size - off, deadline, 0, NULL);
    }
    return err == CNET_OK ? CNET_OK : sock_fail(socket, err);
}

static cnet_err broken(cnet_socket *s, cnet_err err, const char *message)
{
    s->latched = err;
    return sock_fail(s, cnet__fail(err, message));
}

cnet_err cnet__socket_recv_frame(cnet_socket *socket, cnet_frame_format format, void *data, size_t size,
                                 size_t *len, int timeout)
{
    *len = 0;
    CHECK_OPEN(socket, "cnet_socket_recv_frame");
    deadline_t dl = read_deadline(socket, timeout);
    unsigned char prefix[4];
    size_t n;
    cnet_err err = recv_exact(socket, prefix, 4, &dl, 0, &n);
    if (err != CNET_OK)
        return err == CNET_ETIMEDOUT && n > 0
                   ? broken(socket, CNET_EFRAME_MALFORMED, "cnet_socket_recv_frame: timed out inside a frame prefix")
                   : err;
    if (n == 0)
        return sock_fail(socket, cnet__fail(CNET_EEOF, "cnet_socket_recv_frame: the peer closed the connection"));
    if (n < 4)
        return broken(socket, CNET_EFRAME_MALFORMED, "cnet_socket_recv_frame: the stream ended inside a frame prefix");
    size_t length = 0;
    if (format == CNET_FRAME_DECIMAL4) {
        for (int i = 0; i < 4; i++) {
            if (prefix[i] < '0' || prefix[i] > '9')
                return broken(socket, CNET_EFRAME_MALFORMED,
                              "cnet_socket_recv_frame: the prefix is not 4 decimal digits");
            length = length * 10 + (size_t)(prefix[i] - '0');
        }
    } else {
        length = (size_t)prefix[0] << 24 | (size_t)prefix[1] << 16 | (size_t)prefix[2] << 8 | prefix[3];
    }
    if (length > size)
        return broken(socket, CNET_EFRAME_TOO_LARGE, "cnet_socket_recv_frame: the frame is longer than the buffer");
    err = recv_exact(socket, data, length, &dl, 0, &n);
    *len = n;
    if (err == CNET_ETIMEDOUT)
        return broken(socket, CNET_EFRAME_MALFORMED, "cnet_socket_recv_frame: timed out inside a frame");
    if (err != CNET_OK)
        return err;
    if (n < length)
        return broken(socket, CNET_EFRAME_MALFORMED, "cnet_socket_recv_frame: the stream ended inside a frame");
    return CNET_OK;
}

/* ------------------------------------------------------------ readiness */

cnet_err cnet__socket_select_read(cnet_socket **sockets, size_t *count, int timeout)
{
    size_t n = *count, ready = 0, held = 0;
    cnet_err err = CNET_OK;
    /* Hold every socket while polling: a close from another thread then
     * wakes the poll, and cannot release a descriptor it is looking at. */
    for (; held < n; held++) {
        if (sockets[held] == NULL) {
            err = cnet__fail(CNET_EINVAL, "cnet_socket_select_read: a socket in the list is NULL");
            break;
        }
        if (!hold(sockets[held])) {
            err = closed_error(sockets[held], "cnet_socket_select_read");
            break;
        }
        if (cnet_socket_has_data_buffered(sockets[held]))
            ready++;
    }
    cnet_socket_handle small[16], *handles = NULL;
    if (err == CNET_OK) {
        handles = n <= 16 ? small : malloc(n * sizeof *handles);
        if (handles == NULL)
            err = cnet__fail(CNET_ENOMEM, "cnet_socket_select_read: out of memory");
    }
    if (err != CNET_OK) {
        for (size_t i = 0; i < held; i++)
            drop(sockets[i]);
        return err;
    }
    for (size_t i = 0; i < n; i++)
        handles[i] = sockets[i]->fd;
    size_t m = n;
    /* Buffered data means ready now: only poll for the others. */
    err = n == 0 ? CNET_OK : cnet_select_read(handles, &m, ready > 0 ? 0 : timeout);
    /* A socket closed by another thread meanwhile counts as ready (a read
     * then says CNET_ECLOSED); where that close cut the wait short with an
     * error (Winsock cancels it), the wait still succeeded. */
    bool woken = false;
    for (size_t i = 0; i < n; i++)
        woken |= is_closed(sockets[i]);
    if (err != CNET_OK && woken) {
        err = CNET_OK;
        m = 0;
    }
    size_t out = 0;
    for (size_t i = 0, j = 0; i < n; i++) {
        cnet_socket *s = sockets[i];
        bool is_ready = is_closed(s) || cnet_socket_has_data_buffered(s);
        if (j < m && handles[j] == s->fd) {
            is_ready = true;
            j++;
        }
        if (err == CNET_OK && is_ready)
            sockets[out++] = s; /* out <= i: entries not yet examined stay in place */
        drop(s);
    }
    if (err == CNET_OK)
        *count = out;
    if (handles != small)
        free(handles);
    return err;
}
