/*
 * Starting the data operations of async sockets (Nim's asyncnet recv,
 * recvInto, recvLine, recvLineInto, send, sendTo, recvFrom and cnet's
 * frames): each makes an op, queues it on the socket and lets the stream
 * code (async_stream.c) serve it. Callbacks never run here.
 */
#include "async_internal.h"
#include "frame_codec.h"
#include "net_internal.h"

/* Make a socket op, or complete it at once with CNET_ECANCELED when the
 * loop is being freed (*canceled then true). */
static cnet_async_op *make(cnet_async_socket *s, cnet_async_kind kind, const char *function, cnet_async_cb cb,
                           void *user, int timeout, cnet_async_op **out, cnet_err *err, bool *canceled)
{
    *canceled = false;
    *err = cnet__async_check_open(s, function);
    if (*err != CNET_OK)
        return NULL;
    if (s->loop->freeing) {
        *canceled = true;
        *err = cnet__async_start_canceled(s->loop, kind, function, cb, user, out);
        return NULL;
    }
    cnet_async_op *op = cnet__async_op_new(s->loop, kind, function, cb, user, timeout);
    if (op == NULL) {
        *err = CNET_ENOMEM;
        return NULL;
    }
    op->socket = s;
    if (out)
        *out = op;
    return op;
}

static cnet_err start_read(cnet_async_socket *s, cnet_async_kind kind, const char *function, cnet__op_read r,
                           int timeout, cnet_async_cb cb, void *user, cnet_async_op **out)
{
    if (s->flags & CNET__S_LISTENING) {
        char msg[96];
        snprintf(msg, sizeof msg, "%s: the socket is listening (use cnet_async_accept)", function);
        return cnet__fail(CNET_EINVAL, msg);
    }
    if ((kind == CNET_ASYNC_RECV_FROM) != (s->type != CNET_SOCK_STREAM)) {
        char msg[112];
        snprintf(msg, sizeof msg, "%s: not for a %s socket", function,
                 s->type == CNET_SOCK_STREAM ? "stream" : "datagram");
        return cnet__fail(CNET_EINVAL, msg);
    }
    cnet_err err;
    bool canceled;
    cnet_async_op *op = make(s, kind, function, cb, user, timeout, out, &err, &canceled);
    if (op == NULL)
        return err;
    op->u.read = r;
    op->in_queue = true;
    cnet__op_list_push(&s->reads, op);
    if (s->reads.head == op)
        cnet__async_dispatch_reads(s);
    cnet__async_update_read(s);
    return CNET_OK;
}

cnet_err cnet__async_recv(cnet_async_socket *socket, size_t size, bool all, unsigned flags, int timeout,
                          cnet_async_cb cb, void *user, cnet_async_op **op)
{
    cnet__op_read r = {.size = size, .all = all, .flags = flags};
    return start_read(socket, CNET_ASYNC_RECV, "cnet_async_recv", r, timeout, cb, user, op);
}

cnet_err cnet__async_recv_into(cnet_async_socket *socket, void *buf, size_t size, bool all, unsigned flags,
                               int timeout, cnet_async_cb cb, void *user, cnet_async_op **op)
{
    cnet__op_read r = {.buf = buf, .size = size, .all = all, .flags = flags};
    return start_read(socket, CNET_ASYNC_RECV, "cnet_async_recv_into", r, timeout, cb, user, op);
}

cnet_err cnet__async_recv_line(cnet_async_socket *socket, size_t max_length, unsigned flags, int timeout,
                               cnet_async_cb cb, void *user, cnet_async_op **op)
{
    if (max_length > SIZE_MAX - 2)
        return cnet__fail(CNET_EINVAL, "cnet_async_recv_line: max_length is too large");
    cnet__op_read r = {.size = max_length, .flags = flags};
    return start_read(socket, CNET_ASYNC_RECV_LINE, "cnet_async_recv_line", r, timeout, cb, user, op);
}

cnet_err cnet__async_recv_line_into(cnet_async_socket *socket, char *buf, size_t size, unsigned flags, int timeout,
                                    cnet_async_cb cb, void *user, cnet_async_op **op)
{
    cnet__op_read r = {.buf = (uint8_t *)buf, .size = size - 1, .flags = flags};
    return start_read(socket, CNET_ASYNC_RECV_LINE, "cnet_async_recv_line_into", r, timeout, cb, user, op);
}

cnet_err cnet__async_recv_frame(cnet_async_socket *socket, cnet_frame_format format, size_t max_size, int timeout,
                                cnet_async_cb cb, void *user, cnet_async_op **op)
{
    cnet__op_read r = {.size = max_size, .format = (int)format};
    return start_read(socket, CNET_ASYNC_RECV_FRAME, "cnet_async_recv_frame", r, timeout, cb, user, op);
}

cnet_err cnet__async_recv_from(cnet_async_socket *socket, size_t size, int timeout, cnet_async_cb cb, void *user,
                               cnet_async_op **op)
{
    cnet__op_read r = {.size = size};
    return start_read(socket, CNET_ASYNC_RECV_FROM, "cnet_async_recv_from", r, timeout, cb, user, op);
}

/* ------------------------------------------------------------ sends */

/*
 * Queue a send of data[0..size): when nothing is queued and the backend can
 * write at once (try_send), the part that fits goes out now and only the
 * rest waits; `copy` copies what waits (else the caller keeps data valid).
 */
static cnet_err start_send(cnet_async_socket *s, cnet_async_kind kind, const char *function, const uint8_t *data,
                           size_t size, bool copy, uint8_t *owned, unsigned flags, int timeout, cnet_async_cb cb,
                           void *user, cnet_async_op **out, const cnet__addr_list *to)
{
    cnet_err err;
    bool canceled;
    cnet_async_op *op = make(s, kind, function, cb, user, timeout, out, &err, &canceled);
    if (op == NULL) {
        free(owned);
        return err;
    }
    cnet__op_write *w = &op->u.write;
    if (to) {
        memcpy(&w->to, &to->item[0].ss, sizeof w->to);
        w->to_len = to->item[0].len;
    }
    w->data = owned ? owned : data;
    w->owned = owned;
    w->size = size;
    w->flags = flags;
    if (owned)
        op->after = cnet__async_free_write;
    cnet_err (*try_send)(cnet_async_socket *, const uint8_t *, size_t, size_t *, int *) =
        s->filter ? s->filter->try_send : s->loop->be->try_send;
    if (kind == CNET_ASYNC_SEND && s->writes.head == NULL && !(s->flags & CNET__S_SEND_BUSY) && try_send &&
        size > 0) {
        size_t n = 0;
        int os_error = 0;
        err = try_send(s, w->data, size, &n, &os_error);
        w->sent = n;
        if (err != CNET_OK && err != CNET_EWOULDBLOCK) {
            op->result.bytes = n;
            if ((flags & CNET_FLAG_SAFE_DISCONN) && cnet__err_is_disconnection(err))
                err = CNET_OK;
            cnet__async_complete(op, err, os_error);
            return CNET_OK;
        }
        if (n == size) {
            op->result.bytes = n;
            cnet__async_complete(op, CNET_OK, 0);
            return CNET_OK;
        }
    }
    if (copy && !owned) {
        size_t rest = size - w->sent;
        uint8_t *c = malloc(rest ? rest : 1);
        if (c == NULL) {
            /* Part may be out already: say so rather than pretend nothing happened. */
            op->result.bytes = w->sent;
            cnet__async_complete(op, CNET_ENOMEM, 0);
            return CNET_OK;
        }
        memcpy(c, data + w->sent, rest);
        w->owned = c;
        w->data = c;
        w->size = rest;
        w->skipped = w->sent; /* written by try_send, counted in result.bytes */
        w->sent = 0;
        op->after = cnet__async_free_write;
    }
    op->in_queue = true;
    cnet__op_list_push(&s->writes, op);
    cnet__async_pump(s);
    return CNET_OK;
}

cnet_err cnet__async_send(cnet_async_socket *socket, const void *data, size_t size, unsigned flags, int timeout,
                          cnet_async_cb cb, void *user, cnet_async_op **op)
{
    return start_send(socket, CNET_ASYNC_SEND, "cnet_async_send", data, size, false, NULL, flags, timeout, cb, user,
                      op, NULL);
}

cnet_err cnet__async_send_copy(cnet_async_socket *socket, const void *data, size_t size, unsigned flags, int timeout,
                               cnet_async_cb cb, void *user, cnet_async_op **op)
{
    return start_send(socket, CNET_ASYNC_SEND, "cnet_async_send_copy", data, size, true, NULL, flags, timeout, cb,
                      user, op, NULL);
}

cnet_err cnet__async_send_frame(cnet_async_socket *socket, cnet_frame_format format, const void *data, size_t size,
                                int timeout, cnet_async_cb cb, void *user, cnet_async_op **op)
{
    if (data == NULL && size > 0)
        return cnet__fail(CNET_EINVAL, "cnet_async_send_frame: argument 'data' is NULL with a size > 0");
    unsigned char prefix[CNET__FRAME_PREFIX_SIZE];
    cnet_err err = cnet__frame_encode_prefix(format, size, prefix);
    if (err != CNET_OK) {
        char msg[128];
        snprintf(msg, sizeof msg, "cnet_async_send_frame: %zu bytes do not fit a frame (at most %zu)", size,
                 cnet__frame_max_payload(format));
        return cnet__fail(err, msg);
    }
    uint8_t *frame = malloc(CNET__FRAME_PREFIX_SIZE + size);
    if (frame == NULL)
        return cnet__fail(CNET_ENOMEM, "cnet_async_send_frame: out of memory");
    memcpy(frame, prefix, CNET__FRAME_PREFIX_SIZE);
    if (size)
        memcpy(frame + CNET__FRAME_PREFIX_SIZE, data, size);
    return start_send(socket, CNET_ASYNC_SEND, "cnet_async_send_frame", frame, CNET__FRAME_PREFIX_SIZE + size,
                      false, frame, 0, timeout, cb, user, op, NULL);
}

cnet_err cnet__async_send_to(cnet_async_socket *socket, const char *address, cnet_port port, const void *data,
                             size_t size, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op)
{
    if (data == NULL && size > 0)
        return cnet__fail(CNET_EINVAL, "cnet_async_send_to: argument 'data' is NULL with a size > 0");
    if (socket->type == CNET_SOCK_STREAM)
        return cnet__fail(CNET_EINVAL, "cnet_async_send_to: not for a stream socket (use cnet_async_send)");
    cnet_err err = cnet__async_check_open(socket, "cnet_async_send_to");
    if (err != CNET_OK)
        return err;
    cnet__addr_list *addrs;
    err = cnet__resolve(address, port, socket->domain, socket->type, socket->protocol, false, &addrs,
                        "cnet_async_send_to");
    if (err != CNET_OK)
        return err;
    uint8_t *copy = malloc(size ? size : 1);
    if (copy == NULL) {
        free(addrs);
        return cnet__fail(CNET_ENOMEM, "cnet_async_send_to: out of memory");
    }
    if (size)
        memcpy(copy, data, size);
    err = start_send(socket, CNET_ASYNC_SEND_TO, "cnet_async_send_to", copy, size, false, copy, 0, timeout, cb,
                     user, op, addrs);
    free(addrs);
    return err;
}
