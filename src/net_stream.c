/*
 * The buffered byte stream: every read goes through the socket's buffer
 * (when it has one) and its transport (transport.h: plain or TLS), with one
 * deadline per call, latched connection errors, SafeDisconn and the "\r\n"
 * rule that readLine leaves behind; and sends that write everything.
 */
#include <string.h>

#include "net_internal.h"

/* ---------------------------------------------------- the transport */

cnet_err cnet__stream_recv(cnet_socket *s, void *data, size_t size, bool peek, int64_t deadline, size_t *n)
{
    *n = 0;
    if (!cnet__hold(s))
        return cnet__socket_closed_error(s, "recv");
    cnet_err err = cnet__transport_recv(&s->io, data, size, peek, deadline, n);
    if (cnet__drop(s)) {
        /* Woken by close: the end of stream it caused is no end of stream. */
        *n = 0;
        return cnet__socket_closed_during(s, "recv");
    }
    return err;
}

/* One send (TLS: all of it, record by record). */
static cnet_err sock_send(cnet_socket *s, const void *data, size_t size, int64_t deadline, size_t *n)
{
    *n = 0;
    if (!cnet__hold(s))
        return cnet__socket_closed_error(s, "send");
    cnet_err err = cnet__transport_send(&s->io, data, size, deadline, n);
    if (cnet__drop(s) && err != CNET_OK)
        return cnet__socket_closed_during(s, "send");
    return err;
}

/* ------------------------------------------------ reading (net_internal.h) */

cnet_err cnet__stream_raw_read(cnet_socket *s, void *data, size_t size, bool peek, cnet__deadline *dl, size_t *n)
{
    int64_t deadline = cnet__deadline_of(dl);
    *n = 0;
    if (s->latched != CNET_OK)
        return cnet__fail(s->latched, "recv: the connection failed earlier");
    if (s->read_eof)
        return CNET_OK;
    for (;;) {
        cnet_err err = cnet__stream_recv(s, data, size, peek, deadline, n);
        if (err != CNET_OK) {
            if (err != CNET_ETIMEDOUT && err != CNET_EWOULDBLOCK && err != CNET_EINTR)
                s->latched = err;
            return cnet__sock_fail(s, err);
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
            err = cnet__stream_recv(s, &lf, 1, false, deadline, &one);
            if (err != CNET_OK)
                return cnet__sock_fail(s, err);
            continue;
        }
        if (*n > 1) {
            if (data == s->buf) {
                s->pos = 1; /* fill keeps the window: skip the "\n" in place */
                return CNET_OK;
            }
            memmove(data, (unsigned char *)data + 1, *n - 1);
            (*n)--;
            return CNET_OK;
        }
        /* The read held only that "\n": read again. */
    }
}

cnet_err cnet__stream_fill(cnet_socket *s, cnet__deadline *dl, size_t *n)
{
    s->pos = s->len = 0;
    cnet_err err = cnet__stream_raw_read(s, s->buf, CNET_BUFFER_SIZE, false, dl, n);
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
    if (cnet__is_disconnection(flags, err))
        return CNET_OK;
    return err;
}

/* ------------------------------------------------------------ receiving */

/* Held by the API layer (spec: closed_returns), or by select_read. */
bool cnet__socket_has_data_buffered(const cnet_socket *s)
{
    return (s->buffered && s->pos < s->len) || cnet__transport_pending(&s->io);
}

cnet_err cnet__stream_recv_exact(cnet_socket *s, unsigned char *data, size_t size, cnet__deadline *dl,
                                 unsigned flags, size_t *received)
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
                err = cnet__stream_raw_read(s, data + got, size - got, false, dl, &n);
                got += n;
            } else {
                err = cnet__stream_fill(s, dl, &n);
            }
        } else {
            err = cnet__stream_raw_read(s, data + got, size - got, false, dl, &n);
            got += n;
        }
        if (err != CNET_OK || n == 0)
            break;
    }
    *received = got;
    return finish_read(s, err, got, flags);
}

/* Look at up to size bytes without consuming them. */
static cnet_err peek_some(cnet_socket *s, unsigned char *data, size_t size, cnet__deadline *dl, unsigned flags,
                          size_t *received)
{
    size_t n = 0;
    cnet_err err = CNET_OK;
    if (s->buffered) {
        if (s->pos == s->len)
            err = cnet__stream_fill(s, dl, &n);
        n = s->len - s->pos;
        if (n > size)
            n = size;
        memcpy(data, s->buf + s->pos, n);
    } else {
        err = cnet__stream_raw_read(s, data, size, true, dl, &n);
    }
    *received = n;
    return finish_read(s, err, n, flags);
}

cnet_err cnet__socket_recv(cnet_socket *socket, void *data, size_t size, int timeout, unsigned flags,
                           size_t *received)
{
    *received = 0;
    CNET__CHECK_OPEN(socket, "cnet_socket_recv");
    if (size == 0)
        return CNET_OK;
    if (data == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv: argument 'data' must not be NULL");
    cnet__deadline dl = cnet__read_deadline(socket, timeout);
    if (flags & CNET_FLAG_PEEK)
        return peek_some(socket, data, size, &dl, flags, received);
    return cnet__stream_recv_exact(socket, data, size, &dl, flags, received);
}

cnet_err cnet__socket_recv_some(cnet_socket *socket, void *data, size_t size, int timeout, unsigned flags,
                                size_t *received)
{
    *received = 0;
    CNET__CHECK_OPEN(socket, "cnet_socket_recv_some");
    cnet__deadline dl = cnet__read_deadline(socket, timeout);
    if (flags & CNET_FLAG_PEEK)
        return peek_some(socket, data, size, &dl, flags, received);
    size_t n = 0;
    cnet_err err = CNET_OK;
    if (socket->buffered && (socket->pos < socket->len || size < CNET_BUFFER_SIZE)) {
        if (socket->pos == socket->len)
            err = cnet__stream_fill(socket, &dl, &n);
        n = socket->len - socket->pos;
        if (n > size)
            n = size;
        memcpy(data, socket->buf + socket->pos, n);
        socket->pos += n;
    } else {
        err = cnet__stream_raw_read(socket, data, size, false, &dl, &n);
    }
    *received = n;
    return finish_read(socket, err, n, flags);
}

cnet_err cnet__socket_recv_string(cnet_socket *socket, size_t size, int timeout, unsigned flags, char **out,
                                  size_t *len)
{
    *out = NULL;
    *len = 0;
    CNET__CHECK_OPEN(socket, "cnet_socket_recv_string");
    if (size == (size_t)-1)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_string: size is too large");
    char *text = malloc(size + 1);
    if (text == NULL)
        return cnet__sock_fail(socket, cnet__fail(CNET_ENOMEM, "cnet_socket_recv_string: out of memory"));
    cnet_err err = cnet__socket_recv(socket, text, size, timeout, flags, len);
    text[*len] = '\0';
    *out = text;
    return err;
}

cnet_err cnet__socket_skip(cnet_socket *socket, size_t size, int timeout, size_t *skipped)
{
    size_t done = 0;
    if (skipped)
        *skipped = 0;
    CNET__CHECK_OPEN(socket, "cnet_socket_skip");
    cnet__deadline dl = cnet__read_deadline(socket, timeout);
    unsigned char scratch[CNET_BUFFER_SIZE];
    cnet_err err = CNET_OK;
    while (done < size) {
        size_t want = size - done < sizeof scratch ? size - done : sizeof scratch, n;
        err = cnet__stream_recv_exact(socket, scratch, want, &dl, 0, &n);
        done += n;
        if (err != CNET_OK || n < want)
            break;
    }
    if (skipped)
        *skipped = done;
    return err;
}

/* -------------------------------------------------------------- sending */

cnet_err cnet__stream_send_all(cnet_socket *s, const unsigned char *data, size_t size, int64_t deadline,
                               unsigned flags, size_t *sent)
{
    size_t done = 0;
    cnet_err err = CNET_OK;
    /* A datagram socket sends one datagram, even an empty one. */
    bool once = s->type == CNET_SOCK_DGRAM;
    while (done < size || once) {
        size_t n;
        once = false;
        err = sock_send(s, data + done, size - done, deadline, &n);
        done += n; /* a failed TLS send still counts what it consumed */
        if (err != CNET_OK)
            break;
    }
    if (sent)
        *sent = done;
    if (err == CNET_OK)
        return CNET_OK;
    cnet__sock_fail(s, err);
    return cnet__is_disconnection(flags, err) ? CNET_OK : err;
}

cnet_err cnet__socket_send(cnet_socket *socket, const void *data, size_t size, unsigned flags, size_t *sent)
{
    if (sent)
        *sent = 0;
    CNET__CHECK_OPEN(socket, "cnet_socket_send");
    return cnet__stream_send_all(socket, data, size, cnet__send_deadline(socket), flags, sent);
}

cnet_err cnet__socket_send_str(cnet_socket *socket, const char *text, unsigned flags)
{
    return cnet__socket_send(socket, text, strlen(text), flags, NULL);
}

bool cnet_socket_try_send(cnet_socket *socket, const void *data, size_t size)
{
    if (socket == NULL || cnet__is_closed(socket) || (data == NULL && size > 0))
        return false;
    /* A writer like cnet_socket_send: false (CNET_EBUSY as the last error)
     * while another thread writes, so no two sends interleave their bytes. */
    if (!cnet__socket_take_side(socket, CNET__SIDE_WRITE)) {
        cnet__socket_side_busy(socket, CNET__SIDE_WRITE, "cnet_socket_try_send");
        return false;
    }
    size_t n = 0;
    bool all = sock_send(socket, data, size, cnet__send_deadline(socket), &n) == CNET_OK && n == size;
    cnet__socket_give_side(socket, CNET__SIDE_WRITE);
    return all;
}

cnet_err cnet__socket_shutdown(cnet_socket *socket, bool read, bool write)
{
    CNET__CHECK_OPEN(socket, "cnet_socket_shutdown");
    if (!read && !write)
        return CNET_OK;
    /* TLS: the write side ends with close_notify, so the peer sees a clean end. */
    if (write) {
        cnet_err tls_err = cnet__transport_shutdown_write(&socket->io, cnet__send_deadline(socket));
        if (tls_err != CNET_OK)
            return cnet__sock_fail(socket, tls_err);
    }
    cnet_err err = cnet__sys_shutdown(socket->io.fd, read, write);
    return err == CNET_OK ? CNET_OK : cnet__sock_fail(socket, err);
}

/* A lingering close: end writing (close_notify, FIN), read and drop what the
 * peer still sends until its end of stream or the deadline, then close. */
cnet_err cnet__socket_close_lingering(cnet_socket *socket, int timeout)
{
    if (cnet__is_closed(socket))
        return CNET_OK; /* closed already, as cnet_socket_close */
    int64_t deadline = cnet__deadline_after(timeout >= 0 ? timeout : socket->timeout);
    cnet_err err = cnet__socket_shutdown(socket, false, true);
    if (err == CNET_OK && socket->latched != CNET_OK)
        err = socket->latched;
    socket->pos = socket->len; /* buffered input is dropped too */
    unsigned char sink[4096];
    while (err == CNET_OK && !socket->read_eof) {
        size_t n;
        err = cnet__stream_recv(socket, sink, sizeof sink, false, deadline, &n);
        if (err == CNET_OK && n == 0)
            break;
    }
    if (err != CNET_OK) {
        cnet__error_state why;
        cnet__error_save(&why);
        cnet__socket_close(socket, CNET_FLAGS_DEFAULT);
        cnet__error_restore(&why);
        return cnet__sock_fail(socket, err);
    }
    return cnet__socket_close(socket, CNET_FLAGS_DEFAULT);
}
