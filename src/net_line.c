/*
 * readLine over the buffered stream: the line ends at the first "\r", "\n"
 * or "\r\n" (line_scan.h finds it), and the call reports how it ended
 * (full line, partial at the end of the stream, truncated at the limit,
 * disconnected) without losing a byte, a timeout included.
 */
#include <string.h>

#include "net_internal.h"

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

static cnet_err read_line_buffered(cnet_socket *s, line_sink *k, cnet__deadline *dl, cnet_read_line_result *result)
{
    for (;;) {
        if (s->pos == s->len) {
            size_t n;
            cnet_err err = cnet__stream_fill(s, dl, &n);
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
        const unsigned char *eol = cnet__find_eol_padded(start, window);
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
static cnet_err read_line_unbuffered(cnet_socket *s, line_sink *k, cnet__deadline *dl,
                                     cnet_read_line_result *result)
{
    unsigned char chunk[512];
    for (;;) {
        size_t room = k->max - k->len;
        size_t want = room + 1 < sizeof chunk ? room + 1 : sizeof chunk;
        size_t n, used;
        cnet_err err = cnet__stream_raw_read(s, chunk, want, true, dl, &n);
        if (err != CNET_OK)
            return err;
        if (n == 0) {
            *result = k->len > 0 ? CNET_READ_PARTIAL_LINE : CNET_READ_DISCONNECTED;
            return CNET_OK;
        }
        const unsigned char *eol = cnet__find_eol(chunk, n);
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
            err = cnet__stream_recv(s, chunk, take - done, false, cnet__deadline_of(dl), &used);
            if (err != CNET_OK || used == 0)
                return err != CNET_OK ? cnet__sock_fail(s, err) : CNET_OK;
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
    CNET__CHECK_OPEN(s, "cnet_socket_read_line");
    cnet__deadline dl = cnet__read_deadline(s, timeout);
    cnet_err err = s->buffered ? read_line_buffered(s, k, &dl, result) : read_line_unbuffered(s, k, &dl, result);
    if (err == CNET_OK || err == CNET_ETIMEDOUT || err == CNET_ENOMEM)
        return err;
    /* The stream failed after some bytes of a line: the bytes and the cause
     * come together (as Go's io.Reader returns n and err), even under
     * SafeDisconn, so a caller never takes a cut-off line for one the peer
     * ended cleanly. The error stays latched: the next call reports it
     * again (as a close under SafeDisconn). */
    if (k->len > 0 && err == s->latched) {
        *result = CNET_READ_PARTIAL_LINE;
        return err;
    }
    if (cnet__is_disconnection(flags, err)) {
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
    if (socket->buffered && socket->pos < socket->len && !cnet__is_closed(socket)) {
        const unsigned char *start = socket->buf + socket->pos;
        size_t avail = socket->len - socket->pos;
        const unsigned char *eol = cnet__scan_copy_line(start, avail < size ? avail : size, line, size);
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
