/*
 * TLS sessions over OpenSSL (module tls): the records travel through the
 * backend's edge, a custom BIO reading and writing with the edge's
 * never-waiting calls (cnet__sys_recv_now, cnet__sys_send_now), so TLS has
 * the same error codes and (on io_uring) the same ring as plain sockets, and
 * no write can raise SIGPIPE (the edge sends with MSG_NOSIGNAL). A session
 * knows its descriptor, never a cnet_socket.
 *
 * Full duplex. One thread may read while another writes (the contract of
 * tls_session.h). OpenSSL allows one call at a time on an SSL object, so
 * every SSL_* call of a descriptor session runs under the session's lock,
 * and nothing under the lock ever waits:
 * - the BIO's read takes what the socket holds, or says "retry";
 * - the BIO's write never refuses a record: what the socket cannot take now
 *   is queued (q), behind the records produced before it and ahead of any
 *   produced after, whichever thread produced them (a reader's SSL_read
 *   answers a KeyUpdate or sends an alert), so records leave in the order
 *   OpenSSL made them and OpenSSL never holds a half-written record;
 * - a call that must wait (no records to read, no room for the queue) lets
 *   go of the lock, waits with cnet__sys_wait by its own deadline, takes the
 *   lock again and carries on. A reader waiting for records never holds up
 *   a writer, nor a writer waiting for room a reader.
 * A write encrypts one record at a time and queues at most one record's
 * worth: it waits for the queue to drain before it encrypts the next, so
 * the memory stays bounded and a write that returns CNET_OK left nothing
 * queued. Between records a writer lets a waiting thread take the lock.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "tls_openssl.h"


/* How long close may wait to send close_notify when the socket has no
 * deadline of its own: close never hangs on a peer that stopped reading. */
#define CLOSE_NOTIFY_WAIT_MS 1000

/* ------------------------------------------------------------ the BIO */

static BIO_METHOD *edge_method;
static CRYPTO_ONCE edge_method_once = CRYPTO_ONCE_STATIC_INIT;

static bool retryable(cnet_err err)
{
    return err == CNET_ETIMEDOUT || err == CNET_EWOULDBLOCK || err == CNET_EINTR;
}

/* Append to the queue of records (lock held); false when out of memory. */
static bool queue_put(cnet__tls *t, const unsigned char *data, size_t size)
{
    if (t->q_pos == t->q_len)
        t->q_pos = t->q_len = 0;
    if (t->q_len + size > t->q_cap && t->q_pos > 0) {
        memmove(t->q, t->q + t->q_pos, t->q_len - t->q_pos);
        t->q_len -= t->q_pos;
        t->q_pos = 0;
    }
    if (t->q_len + size > t->q_cap) {
        size_t cap = t->q_cap ? t->q_cap : 4096;
        while (cap < t->q_len + size)
            cap *= 2;
        unsigned char *q = realloc(t->q, cap);
        if (q == NULL)
            return false;
        t->q = q;
        t->q_cap = cap;
    }
    memcpy(t->q + t->q_len, data, size);
    t->q_len += size;
    return true;
}

static bool queued(const cnet__tls *t)
{
    return t->q_pos < t->q_len;
}

/* Hand the socket what it takes of the queue now (lock held). A send error
 * ends the session: records are lost. */
static cnet_err queue_flush(cnet__tls *t)
{
    while (queued(t)) {
        size_t n = 0;
        cnet_err err = cnet__sys_send_now(t->fd, t->q + t->q_pos, t->q_len - t->q_pos, &n);
        if (err == CNET_EWOULDBLOCK)
            return CNET_OK;
        if (err != CNET_OK) {
            t->failed = err;
            return err;
        }
        t->q_pos += n;
    }
    return CNET_OK;
}

/* Never refuses: what the socket does not take now joins the queue (or the
 * whole record does, behind records already queued). */
static int bio_write(BIO *b, const char *data, size_t size, size_t *written)
{
    cnet__tls *t = BIO_get_data(b);
    BIO_clear_retry_flags(b);
    *written = 0;
    size_t n = 0;
    if (!queued(t)) {
        cnet_err err = cnet__sys_send_now(t->fd, data, size, &n);
        if (err != CNET_OK && err != CNET_EWOULDBLOCK) {
            t->io_err = err; /* a reset, a broken pipe: SSL_ERROR_SYSCALL */
            return 0;
        }
    }
    if (n < size && !queue_put(t, (const unsigned char *)data + n, size - n)) {
        t->io_err = cnet__fail(CNET_ENOMEM, "send: out of memory for a TLS record");
        return 0;
    }
    *written = size;
    return 1;
}

/* Takes what the socket holds; "would block" is OpenSSL's WANT_READ (the
 * caller waits outside the lock), any other edge error a dead connection. */
static int bio_read(BIO *b, char *data, size_t size, size_t *received)
{
    cnet__tls *t = BIO_get_data(b);
    BIO_clear_retry_flags(b);
    *received = 0;
    size_t n = 0;
    cnet_err err = cnet__sys_recv_now(t->fd, data, size, &n);
    if (err != CNET_OK) {
        t->io_err = err;
        if (err == CNET_EWOULDBLOCK)
            BIO_set_retry_read(b);
        return 0;
    }
    if (n == 0) {
        /* BIO_eof makes OpenSSL report "unexpected eof" (truncation). */
        t->eof = true;
        return 0;
    }
    *received = n;
    return 1;
}

static long bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    (void)num;
    (void)ptr;
    cnet__tls *t = BIO_get_data(b);
    switch (cmd) {
    case BIO_CTRL_FLUSH:
        return 1;
    case BIO_CTRL_EOF:
        return t != NULL && t->eof;
    default:
        return 0;
    }
}

static void edge_method_init(void)
{
    edge_method = cnet__tls_bio_method("cnet edge", bio_write, bio_read, bio_ctrl);
}

/* Empty the thread's OpenSSL error queue; a look first, since clearing
 * walks all its slots and the queue is nearly always empty (a would-block
 * pushes nothing): 1.5 % of the async TLS echo server's CPU. */
static void clear_errors(void)
{
    if (ERR_peek_error() != 0)
        ERR_clear_error();
}

/* Start an SSL_* call: the error state is fresh. */
static void begin(cnet__tls *t)
{
    t->io_err = CNET_OK;
    clear_errors();
}

/* ------------------------------------------------------------ the lock */

static void lock(cnet__tls *t)
{
    atomic_fetch_add_explicit(&t->waiting, 1, memory_order_relaxed);
    pthread_mutex_lock(&t->lock);
    atomic_fetch_sub_explicit(&t->waiting, 1, memory_order_relaxed);
}

static void unlock(cnet__tls *t)
{
    pthread_mutex_unlock(&t->lock);
}

/* Between two records of a long write: a thread waiting for the lock gets
 * it first (a mutex hands over nothing by itself: the writer would take it
 * again before the waiter woke up). The spin is bounded; the waiter has
 * taken the lock when `waiting` drops. */
static void let_others_in(cnet__tls *t)
{
    unsigned w = atomic_load_explicit(&t->waiting, memory_order_relaxed);
    if (w == 0)
        return;
    unlock(t);
    for (int i = 0; i < 2000 && atomic_load_explicit(&t->waiting, memory_order_relaxed) >= w; i++)
        sched_yield();
    lock(t);
}

/* Wait without the lock (the edge's rules: deadline, non-blocking mode, a
 * wake from close); the lock is held again when it returns. */
static cnet_err wait_unlocked(cnet__tls *t, bool write, int64_t deadline)
{
    unlock(t);
    cnet_err err = cnet__sys_wait(t->fd, write, deadline);
    lock(t);
    return err;
}

/* OpenSSL asked to wait for the socket (its BIO said "would block"). */
static bool wants_wait(const cnet__tls *t, int code)
{
    return (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE) && t->io_err == CNET_EWOULDBLOCK;
}

/* ------------------------------------------------------------- sessions */

void cnet__tls_free(cnet__tls *t)
{
    if (t == NULL)
        return;
    SSL_free(t->ssl); /* frees the BIO too */
    cnet__tls_mem_release(t);
    cnet__tls_context_release(t->context);
    free(t->server_name);
    free(t->resume_name);
    free(t->q);
    if (t->locked_init)
        pthread_mutex_destroy(&t->lock);
    free(t);
}

/* A session of c over the edge BIO of fd, or in memory mode (tls_mem.c). */
static cnet_err tls_make(cnet_ssl_context *c, cnet_socket_handle fd, bool mem, cnet__tls **out)
{
    *out = NULL;
    if (!mem && (!CRYPTO_THREAD_run_once(&edge_method_once, edge_method_init) || edge_method == NULL))
        return cnet__fail(CNET_ENOMEM, "TLS: cannot create the BIO method");
    cnet__tls *t = calloc(1, sizeof *t);
    if (t == NULL)
        return cnet__fail(CNET_ENOMEM, "TLS: out of memory");
    t->fd = fd;
    if (!mem) {
        if (pthread_mutex_init(&t->lock, NULL) != 0) {
            free(t);
            return cnet__fail(CNET_ENOMEM, "TLS: cannot create a mutex");
        }
        t->locked_init = true;
    }
    ERR_clear_error();
    t->ssl = SSL_new(c->ctx);
    BIO *bio = t->ssl ? (mem ? cnet__tls_mem_bio(t) : BIO_new(edge_method)) : NULL;
    if (bio == NULL) {
        SSL_free(t->ssl);
        if (t->locked_init)
            pthread_mutex_destroy(&t->lock);
        free(t);
        ERR_clear_error();
        return cnet__fail(CNET_ENOMEM, "TLS: SSL_new failed");
    }
    t->mem = mem;
    if (!mem) {
        BIO_set_data(bio, t);
        BIO_set_init(bio, 1);
    }
    SSL_set_bio(t->ssl, bio, bio);
    SSL_set_app_data(t->ssl, t); /* for the PSK callbacks (psk_identity) */
    atomic_fetch_add(&c->refs, 1);
    t->context = c;
    *out = t;
    return CNET_OK;
}

cnet_err cnet__tls_new(cnet_ssl_context *c, cnet_socket_handle fd, cnet__tls **out)
{
    return tls_make(c, fd, false, out);
}

/* Hand the socket the whole queue by the deadline (lock held; waits
 * without it). CNET_ETIMEDOUT / CNET_EWOULDBLOCK leave the rest queued. */
static cnet_err drain(cnet__tls *t, int64_t deadline)
{
    for (;;) {
        cnet_err err = queue_flush(t);
        if (err != CNET_OK || !queued(t))
            return err;
        err = wait_unlocked(t, true, deadline);
        if (err != CNET_OK)
            return err;
        if (t->failed != CNET_OK)
            return cnet__tls_refail(t, "send"); /* another thread's call ended the session meanwhile */
    }
}

static cnet_err handshake(cnet__tls *t, int64_t deadline, const char *function)
{
    t->started = true;
    lock(t);
    cnet_err err;
    for (;;) {
        begin(t);
        int ret = SSL_do_handshake(t->ssl);
        if (ret == 1) {
            err = drain(t, deadline); /* the last flight goes out before the call returns */
            break;
        }
        int code = SSL_get_error(t->ssl, ret);
        if (!wants_wait(t, code)) {
            err = cnet__tls_fail(t, ret, function);
            break;
        }
        /* Our flight must be out before we wait for the peer's answer. */
        err = drain(t, deadline);
        if (err == CNET_OK)
            err = wait_unlocked(t, code == SSL_ERROR_WANT_WRITE, deadline);
        if (err != CNET_OK)
            break;
    }
    if (err == CNET_OK)
        t->done = true;
    else if (retryable(err) || t->failed == CNET_OK)
        t->failed = CNET_ETLS_HANDSHAKE; /* a handshake cut off is not resumed by later calls */
    unlock(t);
    return err;
}

/* The verified name and SNI: an address literal checks the iPAddress SAN and
 * sends no SNI; a DNS name checks the DNS SAN and is sent without its
 * trailing dot. */
static cnet_err set_peer_name(cnet__tls *t, const char *name, const char *function)
{
    size_t n = strlen(name);
    cnet_ip_address ip;
    uint32_t scope;
    if (cnet_parse_ip_address_scoped(name, n, &ip, &scope) == CNET_OK) {
        char text[CNET_ADDRSTRLEN];
        cnet_err err = cnet_ip_address_to_string(&ip, text, sizeof text, NULL);
        if (err != CNET_OK)
            return err;
        if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(t->ssl), text) != 1)
            return cnet__tls_fail_msg(CNET_ETLS, function, "cannot set the address to verify", text);
        return CNET_OK;
    }
    char host[256];
    if (n > 0 && name[n - 1] == '.')
        n--;
    if (n == 0 || n >= sizeof host || memchr(name, ':', n) != NULL || name[0] == '[')
        return cnet__tls_fail_msg(CNET_EINVAL, function, "not a host name or address literal to verify", name);
    memcpy(host, name, n);
    host[n] = '\0';
    SSL_set_hostflags(t->ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (SSL_set_tlsext_host_name(t->ssl, host) != 1 || SSL_set1_host(t->ssl, host) != 1) {
        ERR_clear_error();
        return cnet__tls_fail_msg(CNET_EINVAL, function, "OpenSSL refused the host name", host);
    }
    return CNET_OK;
}

void cnet__tls_server_mode(cnet__tls *t)
{
    const cnet_ssl_context *c = t->context;
    int mode = c->verify_mode != CNET_VERIFY_NONE && c->client_auth
                   ? SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT
                   : SSL_VERIFY_NONE;
    SSL_set_verify(t->ssl, mode, NULL);
    SSL_set_accept_state(t->ssl);
}

cnet_err cnet__tls_prepare_client(cnet__tls *tls, const char *address, const char *function)
{
    const char *name = tls->server_name ? tls->server_name : address;
    bool verify = tls->context->verify_mode != CNET_VERIFY_NONE;
    cnet_err err = CNET_OK;
    if (verify && tls->context->no_ca)
        err = cnet__tls_fail_msg(CNET_ETLS_NO_CA, function, "no CA certificates found (give ca_file or ca_dir)", NULL);
    else if (verify && (name == NULL || *name == '\0'))
        err = cnet__tls_fail_msg(CNET_EINVAL, function,
                                 "no name to verify the certificate against (cnet_socket_set_server_name)", NULL);
    else if (name != NULL && *name != '\0')
        err = set_peer_name(tls, name, function);
    if (err == CNET_OK)
        err = cnet__tls_resume_prepare(tls, name);
    if (err == CNET_OK)
        SSL_set_connect_state(tls->ssl);
    return err;
}

cnet_err cnet__tls_connect(cnet__tls *tls, const char *address, int64_t deadline, const char *function)
{
    if (tls->failed != CNET_OK)
        return cnet__tls_refail(tls, function);
    if (tls->started)
        return cnet__tls_fail_msg(CNET_EINVAL, function, "the TLS handshake already happened", NULL);
    cnet_err err = cnet__tls_prepare_client(tls, address, function);
    if (err != CNET_OK) {
        tls->failed = err;
        return err;
    }
    return handshake(tls, deadline, function);
}

cnet_err cnet__tls_handshake_as_server(cnet__tls *tls, int64_t deadline, const char *function)
{
    cnet__tls_server_mode(tls);
    return handshake(tls, deadline, function);
}

bool cnet__tls_started(const cnet__tls *tls)
{
    return tls->started;
}

bool cnet__tls_done(const cnet__tls *tls)
{
    return tls->done;
}

cnet_err cnet__tls_accept(const cnet__tls *listener, cnet_socket_handle fd, int64_t deadline, cnet__tls **out)
{
    *out = NULL;
    cnet__tls *t;
    cnet_err err = cnet__tls_new(listener->context, fd, &t);
    if (err != CNET_OK)
        return err;
    cnet__tls_server_mode(t);
    err = handshake(t, deadline, "cnet_socket_accept");
    if (err != CNET_OK) {
        cnet__tls_free(t);
        return err;
    }
    *out = t;
    return CNET_OK;
}

static cnet_err not_ready(const cnet__tls *t, const char *function)
{
    if (t->failed != CNET_OK)
        return cnet__tls_refail(t, function);
    return cnet__tls_fail_msg(CNET_ENOTCONN, function, "the TLS handshake has not happened (connect or accept first)", NULL);
}

cnet_err cnet__tls_read(cnet__tls *tls, void *data, size_t size, bool peek, int64_t deadline, size_t *received)
{
    *received = 0;
    lock(tls);
    cnet_err err;
    for (;;) {
        if (tls->failed != CNET_OK || !tls->done) {
            err = not_ready(tls, "recv");
            break;
        }
        begin(tls);
        size_t n = 0;
        int ret = peek ? SSL_peek_ex(tls->ssl, data, size, &n) : SSL_read_ex(tls->ssl, data, size, &n);
        if (ret == 1) {
            *received = n;
            err = CNET_OK;
            break;
        }
        int code = SSL_get_error(tls->ssl, ret);
        if (code == SSL_ERROR_ZERO_RETURN) {
            clear_errors();
            err = CNET_OK; /* close_notify: the clean end of the stream */
            break;
        }
        if (!wants_wait(tls, code)) {
            err = cnet__tls_fail(tls, ret, "recv");
            break;
        }
        err = wait_unlocked(tls, code == SSL_ERROR_WANT_WRITE, deadline);
        if (err != CNET_OK)
            break; /* a timeout, "would block", a wait that failed: resumable */
    }
    /* Records this read produced (a KeyUpdate's answer, an alert) go out
     * now if the socket takes them; else the next write or close sends them. */
    if (queued(tls) && tls->failed == CNET_OK)
        queue_flush(tls);
    unlock(tls);
    return err;
}

/* Plaintext per SSL_write: one record, so at most one record is queued. */
#define WRITE_STEP SSL3_RT_MAX_PLAIN_LENGTH

cnet_err cnet__tls_write(cnet__tls *tls, const void *data, size_t size, int64_t deadline, size_t *sent)
{
    const unsigned char *p = data;
    size_t done = 0;
    *sent = 0;
    lock(tls);
    cnet_err err;
    for (;;) {
        if (tls->failed != CNET_OK || !tls->done) {
            err = not_ready(tls, "send");
            break;
        }
        /* The records before these bytes leave first (and bound the queue). */
        err = drain(tls, deadline);
        if (err != CNET_OK || done == size)
            break;
        if (done > 0)
            let_others_in(tls);
        size_t step = size - done < WRITE_STEP ? size - done : WRITE_STEP, n = 0;
        begin(tls);
        int ret = SSL_write_ex(tls->ssl, p + done, step, &n);
        if (ret == 1) {
            done += n;
            continue;
        }
        int code = SSL_get_error(tls->ssl, ret);
        if (!wants_wait(tls, code)) {
            err = cnet__tls_fail(tls, ret, "send");
            break;
        }
        /* OpenSSL would read first (it never does with renegotiation off). */
        err = wait_unlocked(tls, code == SSL_ERROR_WANT_WRITE, deadline);
        if (err != CNET_OK)
            break;
    }
    unlock(tls);
    *sent = done;
    return err;
}

cnet_err cnet__tls_write2(cnet__tls *tls, const void *a, size_t na, const void *b, size_t nb, int64_t deadline,
                          size_t *sent)
{
    unsigned char one[4 + 4096];
    *sent = 0;
    if (na + nb > sizeof one || na > sizeof one)
        return CNET_OK;
    memcpy(one, a, na);
    if (nb > 0)
        memcpy(one + na, b, nb);
    return cnet__tls_write(tls, one, na + nb, deadline, sent);
}

bool cnet__tls_pending(const cnet__tls *tls)
{
    cnet__tls *t = (cnet__tls *)tls;
    lock(t);
    bool pending = t->done && t->failed == CNET_OK && (SSL_pending(t->ssl) > 0 || SSL_has_pending(t->ssl));
    unlock(t);
    return pending;
}

/* close_notify (lock held): after the queued records, by the deadline. */
static cnet_err send_close_notify(cnet__tls *tls, int64_t deadline, const char *function)
{
    cnet_err err = drain(tls, deadline);
    if (err != CNET_OK)
        return err;
    if (SSL_get_shutdown(tls->ssl) & SSL_SENT_SHUTDOWN)
        return CNET_OK;
    begin(tls);
    int ret = SSL_shutdown(tls->ssl); /* 0: sent, the peer's has not come yet; one way */
    if (ret < 0)
        return cnet__tls_fail(tls, ret, function);
    clear_errors();
    return drain(tls, deadline);
}

cnet_err cnet__tls_shutdown_write(cnet__tls *tls, int64_t deadline)
{
    lock(tls);
    cnet_err err = tls->failed != CNET_OK || !tls->done ? not_ready(tls, "cnet_socket_shutdown")
                                                        : send_close_notify(tls, deadline, "cnet_socket_shutdown");
    unlock(tls);
    return err;
}

void cnet__tls_close(cnet__tls *tls, int64_t deadline)
{
    if (tls == NULL)
        return;
    /* The queued records and close_notify, only on a healthy session and
     * once (a second SSL_shutdown would wait for the peer's). */
    lock(tls);
    if (tls->done && tls->failed == CNET_OK) {
        if (deadline < 0)
            deadline = cnet__sys_now_ms() + CLOSE_NOTIFY_WAIT_MS;
        cnet__error_state saved;
        cnet__error_save(&saved);
        send_close_notify(tls, deadline, "cnet_socket_close");
        cnet__error_restore(&saved);
        ERR_clear_error();
    }
    unlock(tls);
    cnet__tls_free(tls);
}

/* ------------------------------------------ memory mode (async_tls.c) */

cnet_err cnet__tls_new_mem(cnet_ssl_context *c, bool server, cnet__tls **out)
{
    cnet_err err = tls_make(c, CNET_INVALID_SOCKET, true, out);
    if (err == CNET_OK && server)
        cnet__tls_server_mode(*out);
    return err;
}

/* CNET_EWOULDBLOCK when OpenSSL waits for the peer's records (not latched). */
static cnet_err mem_fail(cnet__tls *t, int ret, const char *function)
{
    int code = SSL_get_error(t->ssl, ret);
    if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE) {
        clear_errors();
        return CNET_EWOULDBLOCK;
    }
    return cnet__tls_fail(t, ret, function);
}

cnet_err cnet__tls_mem_handshake(cnet__tls *tls, const char *function)
{
    if (tls->failed != CNET_OK)
        return tls->failed;
    tls->started = true;
    begin(tls);
    int ret = SSL_do_handshake(tls->ssl);
    if (ret == 1) {
        tls->done = true;
        return CNET_OK;
    }
    return mem_fail(tls, ret, function);
}

cnet_err cnet__tls_mem_read(cnet__tls *tls, void *buf, size_t size, size_t *n, const char *function)
{
    *n = 0;
    if (tls->failed != CNET_OK)
        return tls->failed;
    begin(tls);
    int ret = SSL_read_ex(tls->ssl, buf, size, n);
    if (ret == 1)
        return CNET_OK;
    if (SSL_get_error(tls->ssl, ret) == SSL_ERROR_ZERO_RETURN) {
        ERR_clear_error();
        return CNET_OK; /* close_notify */
    }
    return mem_fail(tls, ret, function);
}

cnet_err cnet__tls_mem_write(cnet__tls *tls, const void *buf, size_t size, size_t *n, const char *function)
{
    *n = 0;
    if (tls->failed != CNET_OK)
        return tls->failed;
    begin(tls);
    int ret = SSL_write_ex(tls->ssl, buf, size, n);
    return ret == 1 ? CNET_OK : mem_fail(tls, ret, function);
}
