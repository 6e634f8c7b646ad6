/*
 * The inside of the net layer, shared by its files (src/net_*.c): the socket
 * object and its hold, deadlines, resolved address lists and the buffered
 * stream's read primitives. Nothing outside src/net_*.c includes this.
 *
 * Which file does what (README, "Layout"):
 *   net_socket.c   the object: create, wrap, close, free, options, errors
 *   net_resolve.c  address text -> socket addresses, and back
 *   net_connect.c  bind, listen, accept, connect, dial, local/peer address
 *   net_stream.c   the buffered byte stream: recv, skip, send, shutdown
 *   net_line.c     readLine over the stream (scanners: line_scan.h)
 *   net_dgram.c    UDP: sendTo, recvFrom
 *   net_frame.c    length-prefixed frames (codec: frame_codec.h)
 *   net_select.c   select over sockets
 *   net_tls.c      the TLS procs of a socket (the session: tls_session.h)
 */
#ifndef CNET__NET_INTERNAL_H
#define CNET__NET_INTERNAL_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "internal.h"
#include "line_scan.h"
#include "transport.h"

struct cnet_socket {
    cnet__transport io;    /* the descriptor and its TLS session (transport.h) */
    cnet_domain domain;
    cnet_sock_type type;
    cnet_protocol protocol;
    bool buffered;
    atomic_uint state;     /* ST_CLOSED, ST_RELEASED and ST_CALL x calls held: see "holding" */
    bool read_eof;         /* the peer closed its side (a read returned 0) */
    bool skip_lf;          /* the last line ended in "\r": drop a following "\n" */
    cnet_err latched;      /* a connection error: every later read reports it */
    atomic_int last_error; /* a cnet_err; any thread may record one */
    atomic_bool aborting;  /* cnet_socket_abort: release without close_notify */
    atomic_int timeout;    /* default deadline of every blocking call, ms or -1 (any thread may change it) */
    atomic_int send_timeout; /* deadline of sends, ms or -1 for `timeout` */
    atomic_uchar side[2];  /* a thread is reading / writing: see "the sides of a socket" */
    size_t pos, len;       /* unread window of buf */
    unsigned char *buf;    /* CNET_BUFFER_SIZE (+ CNET__EOL_PAD) bytes in mem when buffered, 64-byte aligned */
    unsigned char mem[];
};

/* ------------------------------------------------------------ errors */

/* Records err as the socket's last error and returns it. */
static inline cnet_err cnet__sock_fail(cnet_socket *s, cnet_err err)
{
    atomic_store_explicit(&s->last_error, (int)err, memory_order_relaxed);
    return err;
}

/* CNET_ECLOSED with "FUNCTION: the socket has been closed", recorded. */
cnet_err cnet__socket_closed_error(cnet_socket *s, const char *function);

/* CNET_ECLOSED for a call that another thread's close woke, recorded. */
cnet_err cnet__socket_closed_during(cnet_socket *s, const char *function);

static inline bool cnet__is_disconnection(unsigned flags, cnet_err err)
{
    return (flags & CNET_FLAG_SAFE_DISCONN) && cnet__err_is_disconnection(err);
}

/* -------------------------------------------------- holding a socket */

/*
 * `state` counts the calls that hold the socket (ST_CALL each) next to two
 * flags: ST_CLOSED once close has begun, ST_RELEASED once the descriptor and
 * the TLS state are gone. io is used only while held: for a whole call by
 * the generated API layer (spec: `hold: socket`), or around each system call
 * (`hold: syscalls`: recv, send, readLine..., so a line served from the
 * buffer costs no atomic operation).
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
#define CNET__ST_CLOSED 1u
#define CNET__ST_RELEASED 2u
#define CNET__ST_CALL 4u

static inline bool cnet__is_closed(const cnet_socket *s)
{
    return atomic_load_explicit(&((cnet_socket *)s)->state, memory_order_acquire) & CNET__ST_CLOSED;
}

/* Close the descriptor and end the TLS session, once: by whoever finds the
 * socket closed with no call holding it (net_socket.c). */
cnet_err cnet__socket_release(cnet_socket *s);

/* Let go of a hold; true when the socket was closed meanwhile. The last
 * hold on a closed socket releases it. */
static inline bool cnet__drop(cnet_socket *s)
{
    unsigned now = atomic_fetch_sub_explicit(&s->state, CNET__ST_CALL, memory_order_acq_rel) - CNET__ST_CALL;
    if (!(now & CNET__ST_CLOSED))
        return false;
    if (now < CNET__ST_CALL)
        cnet__socket_release(s);
    return true;
}

/* Take a hold; false (and no hold) when the socket is closed. */
static inline bool cnet__hold(cnet_socket *s)
{
    if (!(atomic_fetch_add_explicit(&s->state, CNET__ST_CALL, memory_order_acq_rel) & CNET__ST_CLOSED))
        return true;
    cnet__drop(s);
    return false;
}

#define CNET__CHECK_OPEN(s, function)                         \
    do {                                                      \
        if (cnet__is_closed(s))                               \
            return cnet__socket_closed_error((s), function);  \
    } while (0)

/* A new socket object around fd (net_socket.c); the caller owns fd on failure. */
cnet_err cnet__socket_wrap_handle(cnet_socket_handle fd, cnet_domain domain, cnet_sock_type type,
                                  cnet_protocol protocol, bool buffered, cnet_socket **out);

/* ------------------------------------------- the sides of a socket */

/*
 * One thread may read a socket while another writes it (plain and TLS,
 * every backend), and one only on each side: the API layer takes the side
 * of every read or write call (spec: `side: read` / `side: write`) with one
 * atomic exchange and gives it back with a release store, so a second
 * reader or writer gets CNET_EBUSY at once instead of sharing the buffer,
 * the line state or the TLS session with the first. Its cost shows in
 * `sh bench/run.sh same nim`: 13.7 -> 13.9 ns per 16-byte line on io_uring. A
 * close from another thread is no reader or writer: it may come at any
 * time ("holding a socket").
 */
static inline bool cnet__socket_take_side_inline(cnet_socket *s, int side)
{
    return atomic_exchange_explicit(&s->side[side], 1, memory_order_acquire) == 0;
}

/* ---------------------------------------------------------- deadlines */

static inline int64_t cnet__deadline_after(int timeout)
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
} cnet__deadline;

static inline cnet__deadline cnet__read_deadline(const cnet_socket *s, int timeout)
{
    cnet__deadline d = {timeout >= 0 ? timeout : s->timeout, false, -1};
    return d;
}

static inline int64_t cnet__deadline_of(cnet__deadline *d)
{
    if (!d->known) {
        d->at = cnet__deadline_after(d->timeout);
        d->known = true;
    }
    return d->at;
}

static inline int64_t cnet__send_deadline(const cnet_socket *s)
{
    return cnet__deadline_after(s->send_timeout >= 0 ? s->send_timeout : s->timeout);
}

/* ------------------------------------- the stream (net_stream.c) */

/* One receive from the transport, holding the socket around it. */
cnet_err cnet__stream_recv(cnet_socket *s, void *data, size_t size, bool peek, int64_t deadline, size_t *n);

/*
 * Read from the transport (never from the buffer) and apply the pending
 * "\r\n" rule: after a line ended in "\r", a first byte "\n" belongs to that
 * line. A latched error or a seen end of stream are reported without a call.
 */
cnet_err cnet__stream_raw_read(cnet_socket *s, void *data, size_t size, bool peek, cnet__deadline *dl, size_t *n);

/* Refill the (empty) buffer; *n is 0 at end of stream. */
cnet_err cnet__stream_fill(cnet_socket *s, cnet__deadline *dl, size_t *n);

/* Receive exactly size bytes (or until the end of stream) by a deadline. */
cnet_err cnet__stream_recv_exact(cnet_socket *s, unsigned char *data, size_t size, cnet__deadline *dl,
                                 unsigned flags, size_t *received);

/* Send everything, by one deadline; SafeDisconn in flags. */
cnet_err cnet__stream_send_all(cnet_socket *s, const unsigned char *data, size_t size, int64_t deadline,
                               unsigned flags, size_t *sent);

/* ---------------------------------------- addresses (net_resolve.c) */

/* A resolved address list owned by cnet (no addrinfo to forget to free). */
typedef struct {
    size_t count;
    struct {
        struct sockaddr_storage ss;
        cnet_socklen len;
    } item[];
} cnet__addr_list;

/*
 * Resolve address:port for a socket of `domain` (CNET_AF_UNSPEC: both
 * families). Literals are parsed strictly first; numeric-looking text that
 * is not a strict literal is an error; the rest goes to the resolver.
 * `passive` and an empty address give the any address. Free *out with free().
 */
cnet_err cnet__resolve(const char *address, cnet_port port, cnet_domain domain, cnet_sock_type type,
                       cnet_protocol protocol, bool passive, cnet__addr_list **out, const char *function);

/* Fill a socket address for an IpAddress in a socket's family (IPv4 on an
 * AF_INET6 socket becomes ::ffff:a.b.c.d). */
cnet_err cnet__ip_to_sockaddr(const cnet_ip_address *ip, cnet_port port, uint32_t scope, cnet_domain domain,
                              struct sockaddr_storage *ss, cnet_socklen *len);

#endif /* CNET__NET_INTERNAL_H */
