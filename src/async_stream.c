/*
 * Reads and writes of async sockets (src/async_internal.h): the receive
 * buffer, recv / recvLine / frames / recvFrom served from it, the send queue
 * and its pump, and the backend's reports of data and sends.
 *
 * Received bytes wait in s->rx, allocated only while some wait. A read op
 * completes when the buffer can serve it; what it hands out is copied (or
 * the whole buffer handed over) into memory the op owns until its callback
 * returns, because the callback runs later, after the backend may have
 * delivered more. Nothing is consumed from the buffer by an op that does not
 * complete, so a timeout or a cancel loses no byte.
 */
#include "async_internal.h"
#include "frame_codec.h"
#include "line_scan.h"

struct cnet__dgram {
    struct cnet__dgram *next;
    size_t size;
    bool truncated;
    struct sockaddr_storage from;
    cnet_socklen from_len;
    uint8_t data[];
};

/* ----------------------------------------------------- the rx buffer */

static uint8_t *buf_get(cnet_loop *loop, size_t size, size_t *cap)
{
    if (size <= CNET__RX_BLOCK) {
        *cap = CNET__RX_BLOCK;
        if (loop->rx_cached)
            return loop->rx_cache[--loop->rx_cached];
        return malloc(CNET__RX_BLOCK);
    }
    *cap = size;
    return malloc(size);
}

/* Under AddressSanitizer every buffer goes back to free(), so that a use
 * after its callback is caught rather than hidden by reuse. */
#if defined(__SANITIZE_ADDRESS__)
#define RX_KEEP 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RX_KEEP 0
#endif
#endif
#ifndef RX_KEEP
#define RX_KEEP CNET__RX_CACHE
#endif

static void buf_put(cnet_loop *loop, uint8_t *buf, size_t cap)
{
    if (buf && cap == CNET__RX_BLOCK && RX_KEEP > 0 && loop->rx_cached + 1 <= (unsigned)RX_KEEP)
        loop->rx_cache[loop->rx_cached++] = buf;
    else
        free(buf);
}

/* Room for size more bytes at the end of the buffer. */
static bool rx_reserve(cnet_async_socket *s, size_t size)
{
    if (s->rx == NULL) {
        size_t cap;
        s->rx = buf_get(s->loop, size, &cap);
        if (s->rx == NULL)
            return false;
        s->rx_cap = cap;
        s->rx_pos = s->rx_len = 0;
    } else if (s->rx_pos + s->rx_len + size > s->rx_cap) {
        if (s->rx_pos > 0) {
            memmove(s->rx, s->rx + s->rx_pos, s->rx_len);
            s->rx_pos = 0;
        }
        if (s->rx_len + size > s->rx_cap) {
            size_t cap = s->rx_cap * 2;
            while (cap < s->rx_len + size)
                cap *= 2;
            uint8_t *rx = realloc(s->rx, cap);
            if (rx == NULL)
                return false;
            s->rx = rx;
            s->rx_cap = cap;
        }
    }
    return true;
}

static bool rx_append(cnet_async_socket *s, const uint8_t *data, size_t size)
{
    if (!rx_reserve(s, size))
        return false;
    memcpy(s->rx + s->rx_pos + s->rx_len, data, size);
    s->rx_len += size;
    return true;
}

static void rx_consume(cnet_async_socket *s, size_t n)
{
    s->rx_pos += n;
    s->rx_len -= n;
    if (s->rx_len == 0) {
        buf_put(s->loop, s->rx, s->rx_cap);
        s->rx = NULL;
        s->rx_pos = s->rx_cap = 0;
    }
}

static void free_owned(cnet_async_op *op)
{
    buf_put(op->loop, op->u.read.owned_data, op->u.read.owned_cap);
    op->u.read.owned_data = NULL;
}

/* Hand n bytes of the buffer (plus a NUL when nul) to op: into the caller's
 * buffer, or into memory the op owns until its callback returns. */
static bool deliver(cnet_async_socket *s, cnet_async_op *op, size_t n, bool nul)
{
    const uint8_t *src = s->rx ? s->rx + s->rx_pos : NULL;
    if (op->u.read.buf) {
        if (n)
            memcpy(op->u.read.buf, src, n);
        if (nul)
            op->u.read.buf[n] = 0;
        op->result.data = op->u.read.buf;
    } else if (n == s->rx_len && n > 0 && n + (nul ? 1 : 0) <= s->rx_cap) {
        /* The whole buffer: hand it over instead of copying. */
        uint8_t *whole = s->rx;
        memmove(whole, whole + s->rx_pos, n);
        if (nul)
            whole[n] = 0;
        op->u.read.owned_data = whole;
        op->u.read.owned_cap = s->rx_cap;
        op->result.data = whole;
        s->rx = NULL;
        s->rx_pos = s->rx_len = s->rx_cap = 0;
        op->result.bytes = n;
        op->after = free_owned;
        return true;
    } else {
        size_t cap;
        uint8_t *copy = buf_get(s->loop, n + 1, &cap);
        if (copy == NULL)
            return false;
        op->u.read.owned_cap = cap;
        if (n)
            memcpy(copy, src, n);
        copy[n] = 0;
        op->u.read.owned_data = copy;
        op->result.data = copy;
        op->after = free_owned;
    }
    op->result.bytes = n;
    if (n)
        rx_consume(s, n);
    return true;
}

/* ------------------------------------------------- serving read ops */

/* The latched end of the stream for op: CNET_OK (end of stream, or a
 * disconnection under SafeDisconn) or the error. */
static cnet_err end_status(const cnet_async_socket *s, unsigned flags)
{
    if (s->rx_err == CNET_OK)
        return CNET_OK;
    if ((flags & CNET_FLAG_SAFE_DISCONN) && cnet__err_is_disconnection(s->rx_err))
        return CNET_OK;
    return s->rx_err;
}

static bool ended(const cnet_async_socket *s)
{
    return s->rx_eof || s->rx_err != CNET_OK;
}

typedef enum { SERVE_WAIT, SERVE_DONE } serve_result;

static void done(cnet_async_op *op, cnet_err err, int os_error)
{
    cnet__op_list_remove(&op->socket->reads, op);
    op->in_queue = false;
    cnet__async_complete(op, err, os_error);
}

static serve_result serve_recv(cnet_async_socket *s, cnet_async_op *op)
{
    size_t want = op->u.read.size, have = s->rx_len;
    if (have >= want || (have > 0 && (!op->u.read.all || ended(s)))) {
        if (!deliver(s, op, have < want ? have : want, false)) {
            done(op, CNET_ENOMEM, 0);
            return SERVE_DONE;
        }
        done(op, CNET_OK, 0);
        return SERVE_DONE;
    }
    if (!ended(s))
        return SERVE_WAIT;
    op->result.data = op->u.read.buf;
    done(op, end_status(s, op->u.read.flags), s->rx_os_error);
    return SERVE_DONE;
}

static serve_result serve_line(cnet_async_socket *s, cnet_async_op *op)
{
    size_t max = op->u.read.size, have = s->rx_len;
    const uint8_t *p = s->rx ? s->rx + s->rx_pos : NULL;
    const uint8_t *eol = have ? cnet__find_eol(p, have < max + 1 ? have : max + 1) : NULL;
    if (eol && (size_t)(eol - p) <= max) {
        size_t n = (size_t)(eol - p), term = 1;
        if (*eol == '\r') {
            if (n + 1 < have)
                term = p[n + 1] == '\n' ? 2 : 1;
            else
                s->skip_lf = true; /* a "\n" may follow in the next chunk */
        }
        if (!deliver(s, op, n, true)) {
            done(op, CNET_ENOMEM, 0);
            return SERVE_DONE;
        }
        rx_consume(s, term);
        op->result.line = CNET_READ_FULL_LINE;
        done(op, CNET_OK, 0);
        return SERVE_DONE;
    }
    if (have > max) {
        if (!deliver(s, op, max, true)) {
            done(op, CNET_ENOMEM, 0);
            return SERVE_DONE;
        }
        op->result.line = CNET_READ_TRUNCATED;
        done(op, CNET_OK, 0);
        return SERVE_DONE;
    }
    if (!ended(s))
        return SERVE_WAIT;
    if (have > 0) {
        if (!deliver(s, op, have, true)) {
            done(op, CNET_ENOMEM, 0);
            return SERVE_DONE;
        }
        op->result.line = CNET_READ_PARTIAL_LINE;
        /* A line cut by a reset or a TLS truncation: the bytes and the
         * cause together, even under SafeDisconn (as the blocking layer);
         * the cause stays latched for the next read. */
        done(op, s->rx_err, s->rx_err != CNET_OK ? s->rx_os_error : 0);
        return SERVE_DONE;
    }
    cnet_err err = end_status(s, op->u.read.flags);
    op->result.line = err == CNET_OK ? CNET_READ_DISCONNECTED : CNET_READ_NONE;
    op->result.data = (const uint8_t *)"";
    if (op->u.read.buf) {
        op->u.read.buf[0] = 0;
        op->result.data = op->u.read.buf;
    }
    done(op, err, s->rx_os_error);
    return SERVE_DONE;
}

static serve_result serve_frame(cnet_async_socket *s, cnet_async_op *op)
{
    size_t have = s->rx_len;
    if (have >= CNET__FRAME_PREFIX_SIZE) {
        size_t len;
        cnet_err err = cnet__frame_decode_prefix((cnet_frame_format)op->u.read.format, s->rx + s->rx_pos, &len);
        if (err == CNET_OK && len > op->u.read.size)
            err = CNET_EFRAME_TOO_LARGE;
        if (err != CNET_OK) {
            /* The stream cannot be resynchronised: every later read fails. */
            s->rx_err = err;
            s->rx_os_error = 0;
            done(op, err, 0);
            return SERVE_DONE;
        }
        if (have >= CNET__FRAME_PREFIX_SIZE + len) {
            rx_consume(s, CNET__FRAME_PREFIX_SIZE);
            if (!deliver(s, op, len, false)) {
                done(op, CNET_ENOMEM, 0);
                return SERVE_DONE;
            }
            done(op, CNET_OK, 0);
            return SERVE_DONE;
        }
    }
    if (!ended(s))
        return SERVE_WAIT;
    /* As the blocking recv_frame: the end of the stream is CNET_EEOF, before a
     * frame or inside one, so an empty frame ("0000") is never mistaken for it. */
    cnet_err err = s->rx_err != CNET_OK ? s->rx_err : CNET_EEOF;
    done(op, err, s->rx_os_error);
    return SERVE_DONE;
}

static serve_result serve_datagram(cnet_async_socket *s, cnet_async_op *op)
{
    struct cnet__dgram *d = s->dgrams;
    if (d == NULL) {
        if (s->rx_err == CNET_OK)
            return SERVE_WAIT;
        cnet_err err = s->rx_err;
        s->rx_err = CNET_OK; /* a datagram error (ICMP) is reported once */
        done(op, err, s->rx_os_error);
        return SERVE_DONE;
    }
    s->dgrams = d->next;
    if (s->dgrams == NULL)
        s->dgrams_tail = NULL;
    s->dgrams_count--;
    size_t n = d->size < op->u.read.size ? d->size : op->u.read.size;
    bool truncated = d->truncated || d->size > op->u.read.size;
    cnet_from_sock_addr((const struct sockaddr *)&d->from, d->from_len, &op->result.address, &op->result.port, NULL);
    /* The datagram's own memory becomes the op's. */
    memmove(d, d->data, n);
    op->u.read.owned_data = (uint8_t *)d;
    op->after = free_owned;
    op->result.data = (const uint8_t *)d;
    op->result.bytes = n;
    done(op, truncated ? CNET_ETRUNCATED : CNET_OK, 0);
    return SERVE_DONE;
}

void cnet__async_dispatch_reads(cnet_async_socket *s)
{
    cnet_async_op *op;
    while ((op = s->reads.head) != NULL && op->kind != CNET_ASYNC_ACCEPT) {
        if (s->skip_lf && s->rx_len > 0) {
            /* The last line ended in a lone "\r" at the end of the bytes then
             * received: a "\n" that follows belongs to it, whatever reads
             * next (as in the blocking layer). */
            s->skip_lf = false;
            if (s->rx[s->rx_pos] == '\n')
                rx_consume(s, 1);
        }
        serve_result r;
        switch (op->kind) {
        case CNET_ASYNC_RECV: r = serve_recv(s, op); break;
        case CNET_ASYNC_RECV_LINE: r = serve_line(s, op); break;
        case CNET_ASYNC_RECV_FRAME: r = serve_frame(s, op); break;
        default: r = serve_datagram(s, op); break;
        }
        if (r == SERVE_WAIT)
            break;
    }
}

void cnet__async_update_read(cnet_async_socket *s)
{
    if (s->flags & (CNET__S_LISTENING | CNET__S_CLOSING))
        return;
    bool on;
    if (s->type != CNET_SOCK_STREAM)
        on = s->reads.head != NULL || ((s->flags & CNET__S_READING) && s->dgrams_count < 64);
    else if (ended(s))
        on = false;
    else if (s->reads.head)
        on = true;
    else
        on = (s->flags & CNET__S_READING) && s->rx_len < CNET_ASYNC_HIGH_WATER;
    if (on != ((s->flags & CNET__S_READING) != 0)) {
        s->flags ^= CNET__S_READING;
        if (s->filter)
            s->filter->want_read(s, on);
        else
            s->loop->be->want_read(s, on);
    }
}

/* ------------------------------------------------ backend reports */

void cnet__async_on_data(cnet_async_socket *s, const uint8_t *data, size_t size)
{
    if (s->filter)
        s->filter->on_data(s, data, size);
    else
        cnet__async_stream_data(s, data, size);
}

void cnet__async_stream_data(cnet_async_socket *s, const uint8_t *data, size_t size)
{
    if ((s->flags & CNET__S_CLOSING) || ended(s))
        return;
    if (size == 0) {
        s->rx_eof = true;
    } else if (!rx_append(s, data, size)) {
        s->rx_err = CNET_ENOMEM;
        s->rx_os_error = 0;
    }
    cnet__async_dispatch_reads(s);
    cnet__async_update_read(s);
}

uint8_t *cnet__async_stream_room(cnet_async_socket *s, size_t want, size_t *room)
{
    if ((s->flags & CNET__S_CLOSING) || ended(s) || !rx_reserve(s, want))
        return NULL;
    *room = s->rx_cap - s->rx_pos - s->rx_len;
    return s->rx + s->rx_pos + s->rx_len;
}

void cnet__async_stream_commit(cnet_async_socket *s, size_t n)
{
    if (n == 0) {
        if (s->rx && s->rx_len == 0) { /* an idle connection holds no buffer */
            buf_put(s->loop, s->rx, s->rx_cap);
            s->rx = NULL;
            s->rx_pos = s->rx_cap = 0;
        }
        return;
    }
    s->rx_len += n;
    cnet__async_dispatch_reads(s);
    cnet__async_update_read(s);
}

void cnet__async_on_read_error(cnet_async_socket *s, cnet_err err, int os_error)
{
    if (s->filter)
        s->filter->on_read_error(s, err, os_error);
    else
        cnet__async_stream_read_error(s, err, os_error);
}

void cnet__async_stream_read_error(cnet_async_socket *s, cnet_err err, int os_error)
{
    if ((s->flags & CNET__S_CLOSING) || (s->type == CNET_SOCK_STREAM && ended(s)))
        return;
    s->rx_err = err;
    s->rx_os_error = os_error;
    cnet__async_dispatch_reads(s);
    cnet__async_update_read(s);
}

void cnet__async_on_datagram(cnet_async_socket *s, const uint8_t *data, size_t size, bool truncated,
                             const struct sockaddr *from, cnet_socklen from_len)
{
    if (s->flags & CNET__S_CLOSING)
        return;
    struct cnet__dgram *d = malloc(sizeof *d + size);
    if (d == NULL)
        return; /* a datagram may be dropped; the network drops them too */
    d->next = NULL;
    d->size = size;
    d->truncated = truncated;
    d->from_len = from_len <= (cnet_socklen)sizeof d->from ? from_len : (cnet_socklen)sizeof d->from;
    memset(&d->from, 0, sizeof d->from);
    if (from)
        memcpy(&d->from, from, d->from_len);
    if (size)
        memcpy(d->data, data, size);
    if (s->dgrams_tail)
        s->dgrams_tail->next = d;
    else
        s->dgrams = d;
    s->dgrams_tail = d;
    s->dgrams_count++;
    cnet__async_dispatch_reads(s);
    cnet__async_update_read(s);
}

/* ------------------------------------------------------------ sends */

static void write_done(cnet_async_op *op, cnet_err err, int os_error)
{
    cnet_async_socket *s = op->socket;
    cnet__op_list_remove(&s->writes, op);
    op->in_queue = false;
    op->result.bytes = op->u.write.skipped + op->u.write.sent;
    if (err != CNET_OK && (op->u.write.flags & CNET_FLAG_SAFE_DISCONN) && cnet__err_is_disconnection(err))
        err = CNET_OK;
    cnet__async_complete(op, err, os_error);
}

void cnet__async_free_write(cnet_async_op *op)
{
    free(op->u.write.owned);
    op->u.write.owned = NULL;
}

void cnet__async_pump(cnet_async_socket *s)
{
    if (s->flags & (CNET__S_PUMPING | CNET__S_SEND_BUSY))
        return;
    s->flags |= CNET__S_PUMPING;
    cnet_async_op *op;
    while (!(s->flags & CNET__S_SEND_BUSY) && (op = s->writes.head) != NULL) {
        if (op->cancel_err != CNET_OK) {
            write_done(op, op->cancel_err, 0);
            continue;
        }
        cnet__op_write *w = &op->u.write;
        if (op->kind == CNET_ASYNC_SEND_TO) {
            s->flags |= CNET__S_SEND_BUSY;
            s->loop->be->send_to(s, w->data, w->size, (const struct sockaddr *)&w->to, w->to_len);
        } else if (w->sent == w->size) {
            write_done(op, CNET_OK, 0);
        } else {
            s->flags |= CNET__S_SEND_BUSY;
            if (s->filter)
                s->filter->send(s, w->data + w->sent, w->size - w->sent);
            else
                s->loop->be->send(s, w->data + w->sent, w->size - w->sent);
        }
    }
    s->flags &= ~CNET__S_PUMPING;
}

void cnet__async_on_sent(cnet_async_socket *s, size_t n, cnet_err err, int os_error)
{
    if (s->filter)
        s->filter->on_sent(s, n, err, os_error);
    else
        cnet__async_stream_sent(s, n, err, os_error);
}

void cnet__async_stream_sent(cnet_async_socket *s, size_t n, cnet_err err, int os_error)
{
    s->flags &= ~(CNET__S_SEND_BUSY | CNET__S_SEND_CANCEL);
    cnet_async_op *op = s->writes.head;
    if (op == NULL)
        return;
    op->u.write.sent += n;
    if (err == CNET_ECANCELED && op->cancel_err != CNET_OK)
        err = op->cancel_err;
    if (err != CNET_OK)
        write_done(op, err, os_error);
    else if (op->u.write.sent >= op->u.write.size)
        write_done(op, CNET_OK, 0);
    else if (op->cancel_err != CNET_OK)
        write_done(op, op->cancel_err, 0);
    if (!(s->flags & CNET__S_CLOSING))
        cnet__async_pump(s);
    else if (s->writes.head) /* closing: the rest was waiting for this one */
        cnet__async_stream_close(s, s->writes.head->cancel_err ? s->writes.head->cancel_err : CNET_ECLOSED);
}

/* ---------------------------------------------------- ending early */

static void cancel_send(cnet_async_socket *s)
{
    if (s->filter)
        s->filter->cancel_send(s);
    else
        s->loop->be->cancel_send(s);
}

void cnet__async_stream_end(cnet_async_op *op)
{
    cnet_async_socket *s = op->socket;
    if (!op->in_queue) {
        cnet__async_complete(op, op->cancel_err, 0);
        return;
    }
    if (op->kind == CNET_ASYNC_SEND || op->kind == CNET_ASYNC_SEND_TO) {
        if (op == s->writes.head && (s->flags & CNET__S_SEND_BUSY)) {
            /* In the backend's hands: it reports, and on_sent completes it. */
            if (!(s->flags & CNET__S_SEND_CANCEL)) {
                s->flags |= CNET__S_SEND_CANCEL;
                cancel_send(s);
            }
            return;
        }
        write_done(op, op->cancel_err, 0);
        return;
    }
    if (op->kind == CNET_ASYNC_RECV_LINE)
        op->result.line = CNET_READ_NONE;
    done(op, op->cancel_err, 0);
    cnet__async_dispatch_reads(s);
    cnet__async_update_read(s);
}

void cnet__async_stream_close(cnet_async_socket *s, cnet_err err)
{
    cnet_async_op *op;
    while ((op = s->reads.head) != NULL) {
        op->result.line = CNET_READ_NONE;
        done(op, err, 0);
    }
    while ((op = s->writes.head) != NULL) {
        if (op->cancel_err == CNET_OK)
            op->cancel_err = err;
        if (s->flags & CNET__S_SEND_BUSY) {
            /* The backend still uses its bytes: it reports it (on_sent). */
            if (!(s->flags & CNET__S_SEND_CANCEL)) {
                s->flags |= CNET__S_SEND_CANCEL;
                cancel_send(s);
            }
            break;
        }
        write_done(op, op->cancel_err, 0);
    }
}

void cnet__async_stream_free(cnet_async_socket *s)
{
    buf_put(s->loop, s->rx, s->rx_cap);
    s->rx = NULL;
    s->rx_len = s->rx_pos = s->rx_cap = 0;
    while (s->dgrams) {
        struct cnet__dgram *d = s->dgrams;
        s->dgrams = d->next;
        free(d);
    }
    s->dgrams_tail = NULL;
    s->dgrams_count = 0;
}
