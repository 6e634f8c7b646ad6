/*
 * The inside of the async layer (spec/async.yaml): the loop, its operations,
 * async sockets and the interface of the backends that drive them.
 *
 * The objects, from the bottom up (no two of them use each other; the
 * layout suite checks it):
 *   async_core.c     operations: the free list, the ready queue, the timer
 *                    heap, completion (knows no backend and no socket code)
 *   async_socket.c   async sockets: buffers, lines, frames, the read/write
 *                    queues; calls its backend only through loop->be
 *   backends         one cnet__async_backend each (epoll + poll in
 *                    backends/posix/async_epoll.c, io_uring in
 *                    backends/io_uring/async_uring.c, an I/O completion port
 *                    in backends/winsock/async_iocp.c); they
 *                    report to async_socket.c (cnet__async_on_*) and to
 *                    async_core.c (cnet__async_complete)
 *   async_tls.c      TLS over memory BIOs: a filter (cnet__async_filter)
 *                    between a socket's stream and its backend
 *   async_loop.c     the public loop: new/free/run/poll/post/timers/add_read,
 *                    picks the backend (cnet__async_backend_open)
 *
 * Threads: everything runs on the loop's thread except cnet_loop_post,
 * cnet_loop_stop and cnet_loop_wake (post_lock, stop, be->wake).
 *
 * Re-entrancy: a backend may call any cnet__async_on_* handler from inside
 * the vtable call that caused it (an epoll send that writes at once reports
 * on_sent before be->send returns); the socket code is written for it. User
 * callbacks never run inside a start function: completed operations go to
 * the loop's ready queue, which only cnet_loop_poll/run drain.
 */
#ifndef CNET__ASYNC_INTERNAL_H
#define CNET__ASYNC_INTERNAL_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#ifdef _WIN32
#include <windows.h>
#else
#include <pthread.h>
#endif

/* ----------------------------------------------------------- operations */

enum {
    CNET__OP_FREE = 0,   /* on the loop's free list */
    CNET__OP_PENDING,    /* started, waiting for its event */
    CNET__OP_READY,      /* completed, in the ready queue */
    CNET__OP_RUNNING     /* its callback is running (periodic timer: re-armed after) */
};

/* What a socket operation needs to remember, by kind. */
typedef struct {
    uint8_t *buf;        /* recv_into / line_into: the caller's; else NULL */
    uint8_t *owned_data; /* what result.data points to when it is not buf; freed after the callback */
    size_t owned_cap;    /* its size when it is a receive buffer (CNET__RX_BLOCK: back to the cache) */
    size_t size;         /* recv: most bytes; line: max length; frame: max payload; recv_from: size */
    bool all;            /* recv: wait for size bytes */
    unsigned flags;      /* SafeDisconn */
    int format;          /* frames: cnet_frame_format */
} cnet__op_read;

typedef struct {
    const uint8_t *data; /* the bytes: the caller's, or owned */
    uint8_t *owned;      /* malloc'd copy (send_copy, frames, send_to); freed at completion */
    size_t size, sent;
    size_t skipped;      /* bytes written before data was copied (count, not in data) */
    unsigned flags;
    struct sockaddr_storage to;   /* send_to */
    cnet_socklen to_len;
} cnet__op_write;

typedef struct {
    void *addrs;         /* cnet__addr_list * (net_internal.h), owned */
    size_t next;         /* the next address to try */
    bool dial;           /* cnet_async_dial: the socket is the operation's own */
    cnet_protocol protocol;
} cnet__op_connect;

typedef struct {
    cnet_socket_handle fd;
    bool write;
    void *be_aux;        /* the backend's */
} cnet__op_poll;

struct cnet_async_op {
    uint8_t state;               /* CNET__OP_* */
    bool cancel;                 /* cnet_async_cancel was called */
    bool in_queue;               /* on a socket's read or write queue */
    bool oneshot;                /* timers */
    cnet_async_kind kind;
    cnet_err err;                /* the result, once complete */
    int os_error;                /* for the last-error message */
    const char *function;        /* "cnet_async_recv"..., for the message */
    cnet_async_cb cb;
    void *user;
    void (*after)(cnet_async_op *op); /* runs after cb (a close frees its socket, a periodic timer re-arms) */
    cnet_loop *loop;
    cnet_async_socket *socket;
    cnet_async_op *next, *prev;  /* socket queue, ready queue or free list */
    int64_t deadline;            /* cnet__sys_now_ms time, or -1 */
    int64_t period;              /* periodic timer, ms; 0 otherwise */
    uint32_t heap_index;         /* in loop->heap, or CNET__NO_HEAP */
    uint64_t seq;                /* start order: breaks ties between equal deadlines */
    /* What a CNET_ECANCELED completion really means: CNET_ETIMEDOUT after its
     * deadline, CNET_ECLOSED after a close, CNET_ECANCELED after a cancel. */
    cnet_err cancel_err;
    union {
        cnet__op_read read;
        cnet__op_write write;
        cnet__op_connect connect;
        cnet__op_poll poll;
    } u;
    cnet_async_result result;    /* filled on completion */
};

#define CNET__NO_HEAP UINT32_MAX

typedef struct {
    cnet_async_op *head, *tail;
} cnet__op_list;

/*
 * A filter between a socket's stream and its backend (async_tls.c: TLS).
 * The stream code sends and asks for reading through it instead of the
 * backend, with the backend's contract (send: report on_sent once), and
 * the backend's reports of data and sends go to it; it hands the stream
 * the decrypted bytes through cnet__async_stream_data / _read_error /
 * _sent. The socket code tells it about connects, accepts and closes.
 * Called only through these pointers, so the filter's file stays above the
 * stream's and the socket's in the layering.
 */
typedef struct cnet__async_filter {
    void (*send)(cnet_async_socket *s, const uint8_t *data, size_t size);
    /* As be->try_send: take what it can now without waiting, or
     * CNET_EWOULDBLOCK; NULL when it never can. */
    cnet_err (*try_send)(cnet_async_socket *s, const uint8_t *data, size_t size, size_t *n, int *os_error);
    void (*cancel_send)(cnet_async_socket *s);
    void (*want_read)(cnet_async_socket *s, bool on);
    void (*on_data)(cnet_async_socket *s, const uint8_t *data, size_t size);
    void (*on_read_error)(cnet_async_socket *s, cnet_err err, int os_error);
    void (*on_sent)(cnet_async_socket *s, size_t n, cnet_err err, int os_error);
    /* cnet_async_connect began towards address (the name to verify). */
    void (*connecting)(cnet_async_socket *s, const char *address);
    /* TCP is connected: true when the filter keeps the connect op and
     * completes it itself (after the handshake). */
    bool (*connected)(cnet_async_socket *s, cnet_async_op *op);
    /* A connection of this listener was accepted as client. */
    cnet_err (*accepted)(cnet_async_socket *listener, cnet_async_socket *client);
    /* op's deadline passed or it was cancelled: true when op was the
     * filter's own (it completes it). */
    bool (*end_op)(cnet_async_op *op);
    /* Close began (why: CNET_ECLOSED or CNET_ECANCELED); then destroy frees
     * the filter's state once the backend let go. */
    void (*closing)(cnet_async_socket *s, cnet_err why);
    void (*destroy)(cnet_async_socket *s);
} cnet__async_filter;

/* -------------------------------------------------------------- sockets */

enum {
    CNET__S_CLOSING = 1u << 0,    /* close was called */
    CNET__S_LISTENING = 1u << 1,
    CNET__S_CONNECTED = 1u << 2,
    CNET__S_SEND_BUSY = 1u << 3,  /* one be->send outstanding */
    CNET__S_PUMPING = 1u << 4,    /* inside the send pump */
    CNET__S_READING = 1u << 5,    /* be->want_read(true) in force */
    CNET__S_ACCEPTING = 1u << 6,  /* be->want_accept(true) in force */
    CNET__S_CONNECTING = 1u << 7, /* be->connect outstanding */
    CNET__S_RELEASED = 1u << 8,   /* the backend let go (cnet__async_released) */
    CNET__S_SEND_CANCEL = 1u << 10 /* be->cancel_send asked for */
};

struct cnet_async_socket {
    cnet_loop *loop;
    cnet_socket_handle fd;
    cnet_domain domain;
    cnet_sock_type type;
    cnet_protocol protocol;
    uint32_t flags;              /* CNET__S_* */
    void *user;
    /* Bytes received and not yet handed out: rx[rx_pos .. rx_pos+rx_len).
     * Allocated only while bytes wait (an idle connection holds none). */
    uint8_t *rx;
    size_t rx_pos, rx_len, rx_cap;
    bool rx_eof;                 /* the peer's end of stream was received */
    bool skip_lf;                /* the last line ended in "\r" */
    cnet_err rx_err;             /* a latched read error (reported after buffered bytes) */
    int rx_os_error;
    cnet__op_list reads;         /* recv, line, frame, recv_from, accept */
    cnet__op_list writes;        /* send, send_to */
    cnet_async_op *connect_op;   /* a pending connect or dial */
    /* Connections accepted while no accept was pending (io_uring's multishot
     * may deliver some), closed with the listener. */
    cnet_socket_handle *backlog;
    size_t backlog_len, backlog_cap;
    /* Datagrams received while no recv_from was pending. */
    struct cnet__dgram *dgrams, *dgrams_tail;
    size_t dgrams_count;
    cnet_async_op *close_op;     /* completes when the backend lets go; then s is freed */
    const cnet__async_filter *filter; /* NULL: plain (the backend directly) */
    void *filter_state;
    cnet_async_socket *next, *prev; /* loop->sockets */
    /* The backend's own per-socket state. */
    uint32_t be_flags;
    uint32_t be_count;
    uintptr_t be_aux;
    void *be_ptr;
    /* The bytes of the outstanding be->send / be->send_to, for a backend
     * that writes them later (epoll after EAGAIN): the caller's pointer,
     * which may be the stream's op or a filter's buffer of records. */
    const uint8_t *be_send_data;
    size_t be_send_size;
    const struct sockaddr *be_send_to;
    cnet_socklen be_send_to_len;
};

/* ----------------------------------------------------------------- loop */

typedef struct cnet__async_backend cnet__async_backend;

#define CNET__RX_BLOCK 4096
#define CNET__RX_CACHE 256

struct cnet_loop {
    const cnet__async_backend *be;
    void *be_state;
    cnet__op_list ready;         /* completed, callbacks due */
    cnet__op_list free_ops;
    size_t free_count;
    cnet_async_op **heap;        /* timers and deadlines, a binary min-heap */
    uint32_t heap_len, heap_cap;
    size_t pending;              /* operations started and not yet completed */
    cnet_async_socket *sockets;  /* every socket not yet freed */
    int64_t now;                 /* cnet__sys_now_ms at the start of the iteration */
    uint64_t timer_seq;          /* start order, for equal deadlines */
    bool freeing;                /* inside cnet_loop_free: everything cancels */
    bool running;
    atomic_bool stop;
    atomic_bool posted;          /* posts wait in post_head */
#ifdef _WIN32
    CRITICAL_SECTION post_lock;
#else
    pthread_mutex_t post_lock;
#endif
    struct cnet__post *post_head, *post_tail;
    uint8_t *scratch;            /* CNET__SCRATCH bytes for readiness backends */
    /* Receive buffers of CNET__RX_BLOCK bytes kept for reuse: a busy
     * connection takes and gives back one per message, and malloc would
     * give pages back to the kernel and fault them in again. */
    void *rx_cache[CNET__RX_CACHE];
    unsigned rx_cached;
    void **default_slot;         /* the thread-local pointer of cnet_loop_default */
};

#define CNET__SCRATCH 65536

/* --------------------------------------------------------- the backends */

struct cnet__async_backend {
    const char *name;            /* "io_uring", "epoll", "poll", "iocp" */
    void (*destroy)(cnet_loop *loop);               /* every socket is released already */
    int (*fd)(const cnet_loop *loop);               /* embedding descriptor or -1 */
    /* Wait at most timeout ms (0: not at all, -1: forever) for events, then
     * report them through the handlers below. Returns at once when wake()
     * was called since the last wait. */
    cnet_err (*wait)(cnet_loop *loop, int timeout);
    void (*wake)(cnet_loop *loop);                  /* any thread */
    cnet_err (*attach)(cnet_async_socket *s);       /* s->fd is new (created, wrapped, accepted) */
    void (*detach)(cnet_async_socket *s);           /* s->fd is about to be closed by the socket code
                                                       (a failed connect attempt); nothing is outstanding */
    /* Close: cancel whatever is outstanding, close s->fd, then (now or later)
     * call cnet__async_released(s). Before released it still reports the
     * outstanding send (on_sent, CNET_ECANCELED or what was written) and
     * connect (on_connected), since their memory is in use until then; any
     * other report is ignored; nothing is reported after released. */
    void (*close)(cnet_async_socket *s);
    /* Deliver received bytes (cnet__async_on_data / on_datagram /
     * on_read_error) while on is true; a few may still come after off. */
    void (*want_read)(cnet_async_socket *s, bool on);
    void (*want_accept)(cnet_async_socket *s, bool on);  /* cnet__async_on_accept */
    /* Write some of data[0..size) (size > 0); report cnet__async_on_sent
     * once, with n > 0 bytes or an error. One outstanding per socket. */
    void (*send)(cnet_async_socket *s, const uint8_t *data, size_t size);
    /* Make the outstanding send report soon (CNET_ECANCELED when nothing of it
     * was written; the count when something was). */
    void (*cancel_send)(cnet_async_socket *s);
    /* One datagram to an address (a datagram socket): reports
     * cnet__async_on_sent once, with n == size or an error; one outstanding
     * per socket, shared with send. */
    void (*send_to)(cnet_async_socket *s, const uint8_t *data, size_t size, const struct sockaddr *to,
                    cnet_socklen len);
    /* Optional (NULL when every send is asynchronous, as on io_uring): one
     * write now, never waiting; CNET_EWOULDBLOCK when nothing fits. Lets a
     * send that fits complete without copying. */
    cnet_err (*try_send)(cnet_async_socket *s, const uint8_t *data, size_t size, size_t *n, int *os_error);
    /* Connect s->fd; report cnet__async_on_connected once. */
    void (*connect)(cnet_async_socket *s, const struct sockaddr *to, cnet_socklen len);
    void (*cancel_connect)(cnet_async_socket *s);
    /* Readiness of an outside descriptor: op->u.poll; report with
     * cnet__async_complete(op, err, os_error) once. An error return (a bad
     * descriptor, recorded) means nothing was started and nothing reports. */
    cnet_err (*poll_start)(cnet_loop *loop, cnet_async_op *op);
    void (*poll_cancel)(cnet_loop *loop, cnet_async_op *op);
};

/* Picks and opens the backend of a new loop (defined by each backend):
 * sets loop->be and loop->be_state. */
cnet_err cnet__async_backend_open(cnet_loop *loop);

#ifndef _WIN32
/* The epoll (or poll) backend, backends/posix/async_epoll.c: the posix
 * backend's loop and the io_uring backend's fallback. Sets loop->be_state
 * and loop->scratch; NULL and *err on failure. */
const cnet__async_backend *cnet__async_epoll_open(cnet_loop *loop, cnet_err *err);
#endif

/* ---------------------------------------------- handlers (async_socket.c) */

/* size bytes arrived (borrowed for the call); size 0 is the end of stream. */
void cnet__async_on_data(cnet_async_socket *s, const uint8_t *data, size_t size);
/* A read failed (a reset...): latched, reported after the buffered bytes. */
void cnet__async_on_read_error(cnet_async_socket *s, cnet_err err, int os_error);
/* One datagram (truncated: it was longer than the backend's buffer). */
void cnet__async_on_datagram(cnet_async_socket *s, const uint8_t *data, size_t size, bool truncated,
                             const struct sockaddr *from, cnet_socklen from_len);
/* A connection was accepted (fd now owned by the socket code; non-blocking
 * and close-on-exec) or accept failed. */
void cnet__async_on_accept(cnet_async_socket *listener, cnet_socket_handle fd, cnet_err err, int os_error);
void cnet__async_on_sent(cnet_async_socket *s, size_t n, cnet_err err, int os_error);
void cnet__async_on_connected(cnet_async_socket *s, cnet_err err, int os_error);
void cnet__async_released(cnet_async_socket *s);

/* ------------------------------------------------------ async_core.c */

cnet_async_op *cnet__async_op_new(cnet_loop *loop, cnet_async_kind kind, const char *function,
                                  cnet_async_cb cb, void *user, int timeout);
/* Undo cnet__async_op_new for an op whose start failed (no callback). */
void cnet__async_op_abort(cnet_async_op *op);
/* Complete op: into the ready queue with err (unless already complete). */
void cnet__async_complete(cnet_async_op *op, cnet_err err, int os_error);
/* Run the callbacks due now (those queued before the call). */
void cnet__async_run_ready(cnet_loop *loop);
/* Deadlines: arm (op->deadline set), disarm. */
void cnet__async_heap_push(cnet_loop *loop, cnet_async_op *op);
void cnet__async_heap_remove(cnet_loop *loop, cnet_async_op *op);
/* The earliest deadline, or -1. */
static inline int64_t cnet__async_next_deadline(const cnet_loop *loop)
{
    return loop->heap_len ? loop->heap[0]->deadline : -1;
}
/* Pop every op whose deadline passed; expired(op) decides what it means. */
void cnet__async_expire(cnet_loop *loop, void (*expired)(cnet_async_op *op));
/* Start an operation that completes at once with CNET_ECANCELED (a loop
 * being freed); returns CNET_OK, or CNET_ENOMEM. */
cnet_err cnet__async_start_canceled(cnet_loop *loop, cnet_async_kind kind, const char *function,
                                    cnet_async_cb cb, void *user, cnet_async_op **out);
/* Release ops on the free list and the heap (loop teardown). */
void cnet__async_core_free(cnet_loop *loop);

static inline void cnet__op_list_push(cnet__op_list *l, cnet_async_op *op)
{
    op->next = NULL;
    op->prev = l->tail;
    if (l->tail)
        l->tail->next = op;
    else
        l->head = op;
    l->tail = op;
}

static inline void cnet__op_list_remove(cnet__op_list *l, cnet_async_op *op)
{
    if (op->prev)
        op->prev->next = op->next;
    else
        l->head = op->next;
    if (op->next)
        op->next->prev = op->prev;
    else
        l->tail = op->prev;
    op->next = op->prev = NULL;
}

/* --------------------------------------------------- async_stream.c */

/* Reads and writes of a socket (below async_socket.c). */
void cnet__async_dispatch_reads(cnet_async_socket *s);
void cnet__async_update_read(cnet_async_socket *s);
void cnet__async_pump(cnet_async_socket *s);
/* End a read or write op early (op->cancel_err says why). */
void cnet__async_stream_end(cnet_async_op *op);
/* Complete every read and write op of a closing socket with err. */
void cnet__async_stream_close(cnet_async_socket *s, cnet_err err);
/* An op's `after` for sends that own a copy of their bytes. */
void cnet__async_free_write(cnet_async_op *op);
/* Free what the stream side holds (rx, datagrams). */
void cnet__async_stream_free(cnet_async_socket *s);
/* What a filter hands the stream: the on_data / on_read_error / on_sent
 * reports of a plain socket (async_stream.c). */
void cnet__async_stream_data(cnet_async_socket *s, const uint8_t *data, size_t size);
void cnet__async_stream_read_error(cnet_async_socket *s, cnet_err err, int os_error);
void cnet__async_stream_sent(cnet_async_socket *s, size_t n, cnet_err err, int os_error);
/* Decrypting in place: room for at least want bytes at the end of the
 * receive buffer (NULL when closing, ended or out of memory), then commit
 * the n bytes written there (0: nothing came; an empty buffer is let go). */
uint8_t *cnet__async_stream_room(cnet_async_socket *s, size_t want, size_t *room);
void cnet__async_stream_commit(cnet_async_socket *s, size_t n);

/* The checks every start function makes: CNET_ECLOSED for a closing
 * socket (recorded with function's name). */
static inline cnet_err cnet__async_check_open(const cnet_async_socket *s, const char *function)
{
    if (s->flags & CNET__S_CLOSING) {
        char msg[96];
        snprintf(msg, sizeof msg, "%s: the socket has been closed", function);
        return cnet__fail(CNET_ECLOSED, msg);
    }
    return CNET_OK;
}

/* --------------------------------------------------- async_socket.c */

/* What a deadline means for a socket operation (the core's expired hook). */
void cnet__async_socket_expired(cnet_async_op *op);
/* Close every socket of a loop at once (cnet_loop_free). */
void cnet__async_close_all(cnet_loop *loop);
/* Free a released socket (after its close callback). */
void cnet__async_socket_destroy(cnet_async_socket *s);

#endif /* CNET__ASYNC_INTERNAL_H */
