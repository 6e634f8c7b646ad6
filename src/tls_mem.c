/*
 * The memory mode of TLS sessions (tls_session.h, used by async_tls.c): a
 * BIO of its own instead of OpenSSL's memory BIOs, so that nothing is
 * copied that need not be and an idle session holds no buffer:
 *   - the peer's records are read straight from the bytes the backend
 *     handed over (borrowed for one cnet__tls_mem_feed .. cnet__tls_mem_keep
 *     span); only what OpenSSL left unread (part of a record) is kept;
 *   - the records OpenSSL writes are appended to one buffer that the caller
 *     takes over whole (cnet__tls_mem_out_take) and sends as it is, then
 *     gives back for reuse (cnet__tls_mem_out_give).
 * Knows no socket; calls nothing of tls_session.c or tls_context.c.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>

#include "tls_openssl.h"

static BIO_METHOD *mem_method;
static CRYPTO_ONCE mem_method_once = CRYPTO_ONCE_STATIC_INIT;

static size_t in_avail(const cnet__tls *t)
{
    return (t->keep_len - t->keep_pos) + t->in_len;
}

static int mem_read(BIO *b, char *data, size_t size, size_t *received)
{
    cnet__tls *t = BIO_get_data(b);
    BIO_clear_retry_flags(b);
    size_t n = 0;
    if (t->keep_pos < t->keep_len) {
        n = t->keep_len - t->keep_pos < size ? t->keep_len - t->keep_pos : size;
        memcpy(data, t->keep + t->keep_pos, n);
        t->keep_pos += n;
        if (t->keep_pos == t->keep_len)
            t->keep_pos = t->keep_len = 0;
    } else if (t->in_len > 0) {
        n = t->in_len < size ? t->in_len : size;
        memcpy(data, t->in, n);
        t->in += n;
        t->in_len -= n;
    }
    *received = n;
    if (n > 0)
        return 1;
    if (!t->eof)
        BIO_set_retry_read(b); /* nothing yet: wait for the next feed */
    return 0;                  /* after the end: OpenSSL reports truncation unless close_notify came */
}

static int mem_write(BIO *b, const char *data, size_t size, size_t *written)
{
    cnet__tls *t = BIO_get_data(b);
    BIO_clear_retry_flags(b);
    *written = 0;
    if (t->out_len + size > t->out_cap) {
        size_t cap = t->out_cap ? t->out_cap * 2 : 1024;
        while (cap < t->out_len + size)
            cap *= 2;
        unsigned char *p = realloc(t->out, cap);
        if (p == NULL)
            return 0; /* no retry flag: a fatal error for OpenSSL */
        t->out = p;
        t->out_cap = cap;
    }
    memcpy(t->out + t->out_len, data, size);
    t->out_len += size;
    *written = size;
    return 1;
}

static long mem_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    (void)num;
    (void)ptr;
    cnet__tls *t = BIO_get_data(b);
    switch (cmd) {
    case BIO_CTRL_FLUSH:
        return 1;
    case BIO_CTRL_EOF:
        return t != NULL && t->eof && in_avail(t) == 0;
    case BIO_CTRL_PENDING:
        return t != NULL ? (long)in_avail(t) : 0;
    default:
        return 0;
    }
}

static void mem_method_init(void)
{
    mem_method = cnet__tls_bio_method("cnet memory", mem_write, mem_read, mem_ctrl);
}

BIO *cnet__tls_mem_bio(cnet__tls *t)
{
    if (!CRYPTO_THREAD_run_once(&mem_method_once, mem_method_init) || mem_method == NULL)
        return NULL;
    BIO *b = BIO_new(mem_method);
    if (b != NULL) {
        BIO_set_data(b, t);
        BIO_set_init(b, 1);
    }
    return b;
}

void cnet__tls_mem_release(cnet__tls *t)
{
    free(t->keep);
    free(t->out);
    t->keep = t->out = NULL;
}

cnet_err cnet__tls_mem_feed(cnet__tls *t, const void *data, size_t size)
{
    if (size == 0) {
        t->eof = true;
        return CNET_OK;
    }
    if (t->keep_len == 0) {
        t->in = data; /* borrowed until cnet__tls_mem_keep */
        t->in_len = size;
        return CNET_OK;
    }
    /* Part of a record is kept: the new bytes follow it. */
    if (t->keep_pos > 0) {
        memmove(t->keep, t->keep + t->keep_pos, t->keep_len - t->keep_pos);
        t->keep_len -= t->keep_pos;
        t->keep_pos = 0;
    }
    if (t->keep_len + size > t->keep_cap) {
        size_t cap = t->keep_cap * 2;
        while (cap < t->keep_len + size)
            cap *= 2;
        unsigned char *p = realloc(t->keep, cap);
        if (p == NULL)
            return cnet__tls_fail_msg(CNET_ENOMEM, "TLS", "out of memory for received records", NULL);
        t->keep = p;
        t->keep_cap = cap;
    }
    memcpy(t->keep + t->keep_len, data, size);
    t->keep_len += size;
    return CNET_OK;
}

cnet_err cnet__tls_mem_keep(cnet__tls *t)
{
    if (t->in_len == 0)
        return CNET_OK;
    if (t->keep_cap < t->in_len) {
        size_t cap = t->in_len < 4096 ? 4096 : t->in_len;
        unsigned char *p = realloc(t->keep, cap);
        if (p == NULL) {
            t->in_len = 0;
            return cnet__tls_fail_msg(CNET_ENOMEM, "TLS", "out of memory for received records", NULL);
        }
        t->keep = p;
        t->keep_cap = cap;
    }
    memcpy(t->keep, t->in, t->in_len); /* keep_len was 0: input was borrowed */
    t->keep_pos = 0;
    t->keep_len = t->in_len;
    t->in = NULL;
    t->in_len = 0;
    return CNET_OK;
}

size_t cnet__tls_mem_out_pending(const cnet__tls *t)
{
    return t->out_len;
}

unsigned char *cnet__tls_mem_out_take(cnet__tls *t, size_t *len, size_t *cap)
{
    unsigned char *p = t->out;
    *len = t->out_len;
    *cap = t->out_cap;
    t->out = NULL;
    t->out_len = t->out_cap = 0;
    return p;
}

void cnet__tls_mem_out_give(cnet__tls *t, unsigned char *buf, size_t cap)
{
    if (t->out == NULL && cap <= 65536) {
        t->out = buf; /* reused by the next records */
        t->out_cap = cap;
        t->out_len = 0;
    } else {
        free(buf);
    }
}
