/*
 * TLS on async sockets (spec/async.yaml, cnet_async_tls_*): one session of
 * tls_session.c in memory mode per socket, driven from the loop, never
 * waiting. It is a filter (cnet__async_filter, async_internal.h) between
 * the socket's stream and its backend:
 *
 *   backend on_data (records)  -> feed -> handshake / SSL_read -> plaintext
 *                                 into the stream (cnet__async_stream_data),
 *                                 the same receive buffer recv, recvLine and
 *                                 frames use on a plain socket
 *   stream send (plaintext)    -> SSL_write (at most CHUNK at a time) ->
 *                                 records -> be->send, one at a time
 *
 * Reads and writes are independent: a pending read only asks the backend
 * for records, a write only produces records, and whatever a read produces
 * for the peer (a KeyUpdate answer, an alert) joins the one queue of
 * outgoing records, so a read and a write outstanding together never wait
 * for each other (Nim's async SSL hangs there: nim-lang/Nim#24895). A send
 * reports to the stream when the records of its bytes reached the kernel,
 * so a peer that does not read holds it back as on a plain socket.
 */
#include "async_internal.h"
#include "tls_session.h"

#define CHUNK 65536          /* plaintext per SSL_write: records per send */
#define W_BEFORE_SHUT (1u << 30) /* a send's flag: started before cnet_async_tls_shutdown */

typedef struct {
    cnet__tls *tls;
    bool server, connected, closing, peer_done;
    bool reading;            /* be->want_read(true) in force */
    bool want_plain;         /* the stream wants bytes */
    bool write_blocked;      /* SSL_write waits for the peer's records (renegotiation) */
    bool busy, flushing;     /* be->send outstanding; inside flush */
    bool plain_busy;         /* the stream's send is ours */
    bool plain_written;      /* ...and encrypted (plain_n bytes) */
    bool shut_wanted, shut_sent;
    cnet_err failed;         /* latched: every operation fails with it */
    const uint8_t *plain;
    size_t plain_size, plain_n;
    uint64_t taken, sent;    /* records taken from OpenSSL, records the kernel took */
    uint64_t plain_mark, shut_mark;
    uint8_t *out;            /* the records of the outstanding (or last) be->send */
    size_t out_len, out_pos, out_cap;
    char *address;           /* the connect address (the name to verify) */
    cnet__op_list hs_ops;    /* handshakes (and a connect) waiting for the end */
    cnet__op_list sd_ops;    /* shutdowns waiting for close_notify to go out */
} tls_state;

static const cnet__async_filter filter;

static tls_state *st_of(const cnet_async_socket *s)
{
    return s->filter == &filter ? s->filter_state : NULL;
}

static cnet_err not_tls(const char *function)
{
    char msg[128];
    snprintf(msg, sizeof msg, "%s: the socket is not a TLS socket (cnet_async_tls_wrap)", function);
    return cnet__fail(CNET_ETLS_NOT_TLS, msg);
}

static cnet_err fail_msg(cnet_err err, const char *function, const char *what)
{
    char msg[192];
    snprintf(msg, sizeof msg, "%s: %s", function, what);
    return cnet__fail(err, msg);
}

static void complete_list(cnet__op_list *l, cnet_err err)
{
    cnet_async_op *op;
    while ((op = l->head) != NULL) {
        cnet__op_list_remove(l, op);
        cnet__async_complete(op, err, 0);
    }
}

/* --------------------------------------------------- outgoing records */

static void check_marks(cnet_async_socket *s, tls_state *t);
static void fail(cnet_async_socket *s, tls_state *t, cnet_err err, int os_error);

static void update_read(cnet_async_socket *s, tls_state *t)
{
    bool on = t->connected && !t->closing && t->failed == CNET_OK && !t->peer_done &&
              (!cnet__tls_done(t->tls) || t->want_plain || t->write_blocked);
    if (on != t->reading) {
        t->reading = on;
        s->loop->be->want_read(s, on);
    }
}

/* Hand the waiting records to the backend, one send at a time. */
static void flush(cnet_async_socket *s, tls_state *t)
{
    if (t->flushing || t->closing)
        return;
    t->flushing = true;
    while (!t->busy && !t->closing) {
        check_marks(s, t); /* may start the stream's next send */
        size_t n = cnet__tls_mem_out_pending(t->tls);
        if (t->busy || n == 0)
            break;
        /* The records become ours as they are; the last sent buffer goes back for reuse. */
        uint8_t *sent = t->out;
        size_t sent_cap = t->out_cap;
        t->out = cnet__tls_mem_out_take(t->tls, &t->out_len, &t->out_cap);
        if (sent)
            cnet__tls_mem_out_give(t->tls, sent, sent_cap);
        t->out_pos = 0;
        t->taken += t->out_len;
        t->busy = true;
        s->loop->be->send(s, t->out, t->out_len); /* may report inside */
    }
    t->flushing = false;
}

static void try_shutdown(cnet_async_socket *s, tls_state *t)
{
    if (!t->shut_wanted || t->shut_sent || t->plain_busy || s->writes.head || !cnet__tls_done(t->tls))
        return;
    t->shut_sent = true;
    cnet__tls_mem_shutdown(t->tls);
    t->shut_mark = t->taken + cnet__tls_mem_out_pending(t->tls);
    flush(s, t);
}

/* What the kernel took: the stream's send and shutdowns may be done. */
static void check_marks(cnet_async_socket *s, tls_state *t)
{
    if (t->plain_busy && t->plain_written && t->sent >= t->plain_mark) {
        t->plain_busy = false;
        cnet__async_stream_sent(s, t->plain_n, CNET_OK, 0); /* may send the next at once */
    }
    if (t->shut_sent && t->sent >= t->shut_mark)
        complete_list(&t->sd_ops, CNET_OK);
    try_shutdown(s, t);
}

/* Encrypt the next part of the stream's send. */
static void write_plain(cnet_async_socket *s, tls_state *t)
{
    if (!t->plain_busy || t->plain_written || !cnet__tls_done(t->tls))
        return;
    size_t n = 0, want = t->plain_size < CHUNK ? t->plain_size : CHUNK;
    cnet_err err = cnet__tls_mem_write(t->tls, t->plain, want, &n, "cnet_async_send");
    if (err == CNET_EWOULDBLOCK) {
        t->write_blocked = true;
        flush(s, t);
        update_read(s, t);
        return;
    }
    if (err != CNET_OK) {
        fail(s, t, err, 0);
        return;
    }
    t->write_blocked = false;
    t->plain_written = true;
    t->plain_n = n;
    t->plain_mark = t->taken + cnet__tls_mem_out_pending(t->tls);
    flush(s, t);
}

/* ------------------------------------------------------- the session */

static void fail(cnet_async_socket *s, tls_state *t, cnet_err err, int os_error)
{
    if (t->failed != CNET_OK)
        return;
    t->failed = err;
    flush(s, t); /* the alert OpenSSL wrote, if any */
    complete_list(&t->hs_ops, err);
    complete_list(&t->sd_ops, err);
    if (t->plain_busy) {
        t->plain_busy = false;
        cnet__async_stream_sent(s, 0, err, os_error);
    }
    cnet__async_stream_read_error(s, err, os_error);
    update_read(s, t);
}

/* Run the session on what arrived: the handshake, then every record. */
static void progress(cnet_async_socket *s, tls_state *t)
{
    if (t->failed != CNET_OK || t->closing)
        return;
    if (!cnet__tls_done(t->tls)) {
        cnet_err err = cnet__tls_mem_handshake(t->tls, t->server ? "cnet_async_accept" : "cnet_async_connect");
        if (err == CNET_EWOULDBLOCK) {
            flush(s, t);
            update_read(s, t);
            return;
        }
        if (err != CNET_OK) {
            fail(s, t, err, 0);
            return;
        }
        complete_list(&t->hs_ops, CNET_OK);
        write_plain(s, t);
        try_shutdown(s, t);
    }
    uint8_t buf[512];
    while (!t->peer_done && t->failed == CNET_OK && !t->closing) {
        /* Decrypted straight into the stream's receive buffer. */
        size_t n = 0, room = 0;
        uint8_t *at = cnet__async_stream_room(s, CNET__RX_BLOCK, &room);
        cnet_err err = cnet__tls_mem_read(t->tls, at ? at : buf, at ? room : sizeof buf, &n, "cnet_async_recv");
        if (at && (err != CNET_OK || n == 0))
            cnet__async_stream_commit(s, 0);
        if (err == CNET_EWOULDBLOCK)
            break;
        if (err != CNET_OK) {
            fail(s, t, err, 0); /* CNET_ETLS_TRUNCATED: cut without close_notify */
            return;
        }
        if (n == 0)
            t->peer_done = true; /* close_notify: the clean end */
        if (at && n > 0)
            cnet__async_stream_commit(s, n);
        else
            cnet__async_stream_data(s, buf, n);
    }
    if (t->write_blocked)
        write_plain(s, t);
    flush(s, t);
    update_read(s, t);
}

/* ---------------------------------------------------------- the filter */

static void f_send(cnet_async_socket *s, const uint8_t *data, size_t size)
{
    tls_state *t = s->filter_state;
    bool after_shut = t->shut_wanted && !(s->writes.head && (s->writes.head->u.write.flags & W_BEFORE_SHUT));
    if (t->failed != CNET_OK || after_shut) {
        cnet_err err = t->failed != CNET_OK ? t->failed : CNET_ESHUTDOWN;
        if (err == CNET_ESHUTDOWN)
            fail_msg(err, "cnet_async_send", "the TLS write side was shut down (cnet_async_tls_shutdown)");
        cnet__async_stream_sent(s, 0, err, 0);
        return;
    }
    t->plain = data;
    t->plain_size = size;
    t->plain_busy = true;
    t->plain_written = false;
    write_plain(s, t); /* before the handshake: waits for it */
}

/* A send with nothing queued: encrypted at once and handed to the backend
 * (at most one send's records wait beyond what the kernel took: the next
 * one queues while they do). */
static cnet_err f_try_send(cnet_async_socket *s, const uint8_t *data, size_t size, size_t *n, int *os_error)
{
    tls_state *t = s->filter_state;
    *n = 0;
    (void)os_error;
    if (t->failed != CNET_OK || t->shut_wanted || t->busy || t->plain_busy || size > CHUNK ||
        !cnet__tls_done(t->tls) || t->closing || cnet__tls_mem_out_pending(t->tls) > 0)
        return CNET_EWOULDBLOCK;
    cnet_err err = cnet__tls_mem_write(t->tls, data, size, n, "cnet_async_send");
    if (err == CNET_OK)
        flush(s, t);
    else if (err != CNET_EWOULDBLOCK)
        fail(s, t, err, 0);
    return err;
}

static void f_cancel_send(cnet_async_socket *s)
{
    tls_state *t = s->filter_state;
    if (!t->plain_busy)
        return;
    /* Encrypted bytes are committed to the stream of records (they still go
     * out): they count as sent. */
    t->plain_busy = false;
    cnet__async_stream_sent(s, t->plain_written ? t->plain_n : 0, t->plain_written ? CNET_OK : CNET_ECANCELED, 0);
}

static void f_want_read(cnet_async_socket *s, bool on)
{
    tls_state *t = s->filter_state;
    t->want_plain = on;
    update_read(s, t);
}

static void f_on_data(cnet_async_socket *s, const uint8_t *data, size_t size)
{
    tls_state *t = s->filter_state;
    if (t->closing || t->failed != CNET_OK || t->peer_done)
        return;
    cnet_err err = cnet__tls_mem_feed(t->tls, data, size); /* borrowed until _keep */
    if (err == CNET_OK) {
        progress(s, t);
        err = cnet__tls_mem_keep(t->tls);
    }
    if (err != CNET_OK)
        fail(s, t, err, 0);
}

static void f_on_read_error(cnet_async_socket *s, cnet_err err, int os_error)
{
    tls_state *t = s->filter_state;
    if (!t->closing)
        fail(s, t, err, os_error);
}

static void f_on_sent(cnet_async_socket *s, size_t n, cnet_err err, int os_error)
{
    tls_state *t = s->filter_state;
    t->busy = false;
    if (t->closing)
        return;
    if (err != CNET_OK) {
        fail(s, t, err, os_error);
        return;
    }
    t->sent += n;
    t->out_pos += n;
    if (t->out_pos < t->out_len) {
        t->busy = true;
        s->loop->be->send(s, t->out + t->out_pos, t->out_len - t->out_pos);
        return;
    }
    cnet__tls_mem_out_give(t->tls, t->out, t->out_cap); /* an idle session keeps at most this one */
    t->out = NULL;
    t->out_cap = 0;
    flush(s, t);
}

static void f_connecting(cnet_async_socket *s, const char *address)
{
    tls_state *t = s->filter_state;
    bool failed = false;
    char *copy = cnet__strdup(address, &failed);
    if (!failed) {
        free(t->address);
        t->address = copy;
    }
}

static bool f_connected(cnet_async_socket *s, cnet_async_op *op)
{
    tls_state *t = s->filter_state;
    if (t->server || cnet__tls_started(t->tls))
        return false;
    t->connected = true;
    cnet_err err = cnet__tls_prepare_client(t->tls, t->address, "cnet_async_connect");
    if (err != CNET_OK) {
        t->failed = err;
        cnet__async_stream_read_error(s, err, 0);
        cnet__async_complete(op, err, 0);
        return true;
    }
    cnet__op_list_push(&t->hs_ops, op);
    progress(s, t);
    return true;
}

static cnet_err attach(cnet_async_socket *s, cnet__tls *tls, bool server, tls_state **out);

static cnet_err f_accepted(cnet_async_socket *listener, cnet_async_socket *client)
{
    tls_state *l = listener->filter_state, *t = NULL;
    cnet__tls *tls;
    cnet_err err = cnet__tls_new_mem(cnet__tls_context(l->tls), true, &tls);
    if (err != CNET_OK)
        return err;
    if ((err = attach(client, tls, true, &t)) != CNET_OK)
        return err;
    t->connected = true;
    progress(client, t);
    return CNET_OK;
}

static bool f_end_op(cnet_async_op *op)
{
    cnet_async_socket *s = op->socket;
    tls_state *t = s->filter_state;
    cnet__op_list *lists[2] = {&t->hs_ops, &t->sd_ops};
    for (int i = 0; i < 2; i++)
        for (cnet_async_op *o = lists[i]->head; o; o = o->next)
            if (o == op) {
                cnet__op_list_remove(lists[i], op);
                cnet__async_complete(op, op->cancel_err, 0);
                /* A handshake cut off is not resumed (as in the blocking layer). */
                if (i == 0 && !cnet__tls_done(t->tls)) {
                    fail_msg(CNET_ETLS_HANDSHAKE, op->function, "the TLS handshake was abandoned (timeout or cancel)");
                    fail(s, t, CNET_ETLS_HANDSHAKE, 0);
                }
                return true;
            }
    return false;
}

static void f_closing(cnet_async_socket *s, cnet_err why)
{
    tls_state *t = s->filter_state;
    /* close_notify when it can go out at once; no wait. */
    if (!t->busy && t->failed == CNET_OK && t->connected && s->loop->be->try_send &&
        cnet__tls_mem_shutdown(t->tls)) {
        size_t n, cap, w = 0;
        int os_error = 0;
        uint8_t *rec = cnet__tls_mem_out_take(t->tls, &n, &cap);
        if (n > 0)
            s->loop->be->try_send(s, rec, n, &w, &os_error);
        cnet__tls_mem_out_give(t->tls, rec, cap);
    }
    t->closing = true;
    complete_list(&t->hs_ops, why);
    complete_list(&t->sd_ops, why);
}

static void f_destroy(cnet_async_socket *s)
{
    tls_state *t = s->filter_state;
    cnet__tls_free(t->tls);
    free(t->out);
    free(t->address);
    free(t);
    s->filter = NULL;
    s->filter_state = NULL;
}

static const cnet__async_filter filter = {
    .send = f_send, .try_send = f_try_send, .cancel_send = f_cancel_send, .want_read = f_want_read, .on_data = f_on_data,
    .on_read_error = f_on_read_error, .on_sent = f_on_sent, .connecting = f_connecting,
    .connected = f_connected, .accepted = f_accepted, .end_op = f_end_op, .closing = f_closing,
    .destroy = f_destroy,
};

/* Make s a TLS socket over tls (taken: freed on failure). */
static cnet_err attach(cnet_async_socket *s, cnet__tls *tls, bool server, tls_state **out)
{
    tls_state *t = calloc(1, sizeof *t);
    if (t == NULL) {
        cnet__tls_free(tls);
        return cnet__fail(CNET_ENOMEM, "async TLS: out of memory");
    }
    t->tls = tls;
    t->server = server;
    /* The stream's reading so far becomes the filter's wish. */
    t->want_plain = (s->flags & CNET__S_READING) != 0;
    t->reading = t->want_plain;
    s->filter = &filter;
    s->filter_state = t;
    *out = t;
    return CNET_OK;
}

/* ---------------------------------------------------------- the API */

static cnet_err check_plain_stream(cnet_async_socket *s, const char *function)
{
    cnet_err err = cnet__async_check_open(s, function);
    if (err != CNET_OK)
        return err;
    if (s->type != CNET_SOCK_STREAM)
        return fail_msg(CNET_EINVAL, function, "TLS needs a stream (TCP) socket");
    if (s->filter)
        return fail_msg(CNET_EINVAL, function, "the socket is already a TLS socket");
    if (s->connect_op)
        return fail_msg(CNET_EINVAL, function, "the socket is connecting");
    return CNET_OK;
}

cnet_err cnet__async_tls_wrap(cnet_ssl_context *context, cnet_async_socket *socket)
{
    cnet_err err = check_plain_stream(socket, "cnet_async_tls_wrap");
    if (err != CNET_OK)
        return err;
    if ((socket->flags & CNET__S_CONNECTED) && !(socket->flags & CNET__S_LISTENING))
        return fail_msg(CNET_EINVAL, "cnet_async_tls_wrap", "the socket is connected (use cnet_async_tls_wrap_connected)");
    cnet__tls *tls;
    tls_state *t = NULL;
    err = cnet__tls_new_mem(context, false, &tls);
    return err != CNET_OK ? err : attach(socket, tls, false, &t);
}

cnet_err cnet__async_tls_wrap_connected(cnet_ssl_context *context, cnet_async_socket *socket,
                                        cnet_ssl_handshake_type handshake, const char *hostname)
{
    const char *fn = "cnet_async_tls_wrap_connected";
    cnet_err err = check_plain_stream(socket, fn);
    if (err != CNET_OK)
        return err;
    if (!(socket->flags & CNET__S_CONNECTED) || (socket->flags & CNET__S_LISTENING))
        return fail_msg(CNET_EINVAL, fn, "the socket is not connected");
    if (handshake != CNET_HANDSHAKE_AS_CLIENT && handshake != CNET_HANDSHAKE_AS_SERVER)
        return fail_msg(CNET_EINVAL, fn, "handshake must be CNET_HANDSHAKE_AS_CLIENT or CNET_HANDSHAKE_AS_SERVER");
    if (socket->rx_len > 0 || socket->rx_eof || socket->rx_err != CNET_OK)
        return fail_msg(CNET_EINVAL, fn, "plaintext bytes were received before the handshake (read them first)");
    if (socket->writes.head || (socket->flags & CNET__S_SEND_BUSY))
        return fail_msg(CNET_EINVAL, fn, "a send is still queued (let it complete first)");
    bool server = handshake == CNET_HANDSHAKE_AS_SERVER;
    cnet__tls *tls;
    err = cnet__tls_new_mem(context, server, &tls);
    if (err == CNET_OK && !server && (err = cnet__tls_prepare_client(tls, hostname, fn)) != CNET_OK)
        cnet__tls_free(tls);
    tls_state *t = NULL;
    if (err != CNET_OK || (err = attach(socket, tls, server, &t)) != CNET_OK)
        return err;
    t->connected = true;
    progress(socket, t);
    return CNET_OK;
}

static cnet_err get_state(cnet_async_socket *s, const char *function, tls_state **out)
{
    cnet_err err = cnet__async_check_open(s, function);
    if (err != CNET_OK)
        return err;
    *out = st_of(s);
    return *out ? CNET_OK : not_tls(function);
}

cnet_err cnet__async_tls_set_server_name(cnet_async_socket *socket, const char *name)
{
    tls_state *t = NULL;
    cnet_err err = get_state(socket, "cnet_async_tls_set_server_name", &t);
    return err != CNET_OK ? err : cnet__tls_set_server_name(t->tls, name, "cnet_async_tls_set_server_name");
}

static cnet_err start_op(cnet_async_socket *s, cnet_async_kind kind, const char *function, int timeout,
                         cnet_async_cb cb, void *user, cnet_async_op **out)
{
    tls_state *t = NULL;
    cnet_err err = get_state(s, function, &t);
    if (err != CNET_OK)
        return err;
    if (!t->connected)
        return fail_msg(CNET_ENOTCONN, function, "the socket is not connected (cnet_async_connect does the handshake)");
    if (s->loop->freeing)
        return cnet__async_start_canceled(s->loop, kind, function, cb, user, out);
    cnet_async_op *op = cnet__async_op_new(s->loop, kind, function, cb, user, timeout);
    if (op == NULL)
        return CNET_ENOMEM;
    op->socket = s;
    if (out)
        *out = op;
    if (t->failed != CNET_OK) {
        cnet__async_complete(op, t->failed, 0);
    } else if (kind == CNET_ASYNC_TLS_HANDSHAKE) {
        if (cnet__tls_done(t->tls))
            cnet__async_complete(op, CNET_OK, 0);
        else
            cnet__op_list_push(&t->hs_ops, op);
    } else {
        bool done = t->shut_sent && t->sent >= t->shut_mark;
        if (done) {
            cnet__async_complete(op, CNET_OK, 0);
        } else {
            cnet__op_list_push(&t->sd_ops, op);
            /* The sends started so far go out first; later ones are refused. */
            for (cnet_async_op *w = t->shut_wanted ? NULL : s->writes.head; w; w = w->next)
                w->u.write.flags |= W_BEFORE_SHUT;
            t->shut_wanted = true;
            try_shutdown(s, t);
        }
    }
    return CNET_OK;
}

cnet_err cnet__async_tls_handshake(cnet_async_socket *socket, int timeout, cnet_async_cb cb, void *user,
                                   cnet_async_op **op)
{
    return start_op(socket, CNET_ASYNC_TLS_HANDSHAKE, "cnet_async_tls_handshake", timeout, cb, user, op);
}

cnet_err cnet__async_tls_shutdown(cnet_async_socket *socket, int timeout, cnet_async_cb cb, void *user,
                                  cnet_async_op **op)
{
    return start_op(socket, CNET_ASYNC_TLS_SHUTDOWN, "cnet_async_tls_shutdown", timeout, cb, user, op);
}

cnet_err cnet__async_tls_got_handshake(cnet_async_socket *socket, bool *out)
{
    tls_state *t = NULL;
    cnet_err err = get_state(socket, "cnet_async_tls_got_handshake", &t);
    if (err == CNET_OK)
        *out = cnet__tls_done(t->tls) && t->failed == CNET_OK;
    return err;
}

static cnet_err get_done(cnet_async_socket *s, const char *function, tls_state **t)
{
    cnet_err err = get_state(s, function, t);
    if (err == CNET_OK && !cnet__tls_done((*t)->tls))
        err = fail_msg(CNET_ENOTCONN, function, "the TLS handshake has not completed");
    return err;
}

cnet_err cnet__async_tls_get_verify_result(cnet_async_socket *socket, cnet_err *out)
{
    tls_state *t = NULL;
    cnet_err err = get_done(socket, "cnet_async_tls_get_verify_result", &t);
    if (err == CNET_OK)
        *out = cnet__tls_verify_code(t->tls);
    return err;
}

cnet_err cnet__async_tls_get_peer_certificates(cnet_async_socket *socket, cnet_cert_format format,
                                               cnet_certificate_list *out)
{
    tls_state *t = NULL;
    out->items = NULL;
    out->count = 0;
    cnet_err err = get_done(socket, "cnet_async_tls_get_peer_certificates", &t);
    return err != CNET_OK ? err
                          : cnet__tls_peer_certificates(t->tls, format, out, "cnet_async_tls_get_peer_certificates");
}

cnet_err cnet__async_tls_get_alpn_protocol(cnet_async_socket *socket, char *protocol, size_t size)
{
    tls_state *t = NULL;
    cnet_err err = get_state(socket, "cnet_async_tls_get_alpn_protocol", &t);
    return err != CNET_OK ? err : cnet__tls_alpn_protocol(t->tls, protocol, size, "cnet_async_tls_get_alpn_protocol");
}

cnet_err cnet__async_tls_get_psk_identity(cnet_async_socket *socket, char *identity, size_t size)
{
    tls_state *t = NULL;
    cnet_err err = get_state(socket, "cnet_async_tls_get_psk_identity", &t);
    return err != CNET_OK ? err : cnet__tls_psk_identity(t->tls, identity, size, "cnet_async_tls_get_psk_identity");
}
