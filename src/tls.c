/*
 * TLS over OpenSSL (module tls). The records travel through the backend's
 * edge: a custom BIO reads and writes with cnet__sys_recv/cnet__sys_send
 * under the deadline of the current call, so TLS has the same deadlines,
 * error codes and (on io_uring) the same ring as plain sockets, and no
 * write can raise SIGPIPE (the edge sends with MSG_NOSIGNAL).
 *
 * Built without OpenSSL (CNET_HAVE_TLS undefined) every function of the
 * module returns CNET_ENOTSUP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls_internal.h"

void cnet_certificate_list_free(cnet_certificate_list *list)
{
    if (list == NULL)
        return;
    for (size_t i = 0; i < list->count; i++)
        free(list->items[i].data);
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

#ifdef CNET_HAVE_TLS

#include <stdatomic.h>
#include <sys/stat.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

/* Mozilla's "intermediate" TLS 1.2 list and the TLS 1.3 suites: Nim's
 * CiphersIntermediate and CiphersModern. */
#define CIPHERS_INTERMEDIATE                                                                           \
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"         \
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"           \
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384"
#define CIPHERSUITES_MODERN "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"

/* How long close may wait to send close_notify when the socket has no
 * deadline of its own: close never hangs on a peer that stopped reading. */
#define CLOSE_NOTIFY_WAIT_MS 1000

struct cnet_ssl_context {
    SSL_CTX *ctx;
    atomic_int refs;                 /* the caller's reference + one per socket */
    cnet_ssl_verify_mode verify_mode;
    bool no_ca;                      /* verification is on and no trust anchor exists */
    bool client_auth;                /* a CA was given: servers require client certificates */
    unsigned char *alpn;             /* ALPN list in wire format (length-prefixed names) */
    size_t alpn_len;
    cnet_ssl_client_psk_func psk_client;
    cnet_ssl_server_psk_func psk_server;
    void *extra[CNET_SSL_EXTRA_DATA_SLOTS];
    bool extra_set[CNET_SSL_EXTRA_DATA_SLOTS];
};

struct cnet__tls {
    cnet_ssl_context *context;
    SSL *ssl;
    cnet_socket_handle fd;
    int64_t deadline;        /* the current call's deadline, for the BIO */
    cnet_err io_err;         /* what the edge reported during the current call */
    bool eof;                /* the edge saw the end of the TCP stream */
    bool started;            /* the handshake began */
    bool done;               /* the handshake completed */
    cnet_err failed;         /* a fatal error: the session must not be used again */
    char *server_name;       /* the name to verify instead of the connect address */
    unsigned char *pending;  /* plaintext of a record a timed-out write left half sent */
    size_t pending_len;
};

/* ------------------------------------------------------------ the BIO */

static BIO_METHOD *edge_method;
static CRYPTO_ONCE edge_method_once = CRYPTO_ONCE_STATIC_INIT;

static bool retryable(cnet_err err)
{
    return err == CNET_ETIMEDOUT || err == CNET_EWOULDBLOCK || err == CNET_EINTR;
}

/* A timeout leaves OpenSSL resumable (retry flag: SSL_ERROR_WANT_*); any
 * other edge error is a dead connection (SSL_ERROR_SYSCALL). */
static int bio_write(BIO *b, const char *data, size_t size, size_t *written)
{
    cnet__tls *t = BIO_get_data(b);
    BIO_clear_retry_flags(b);
    *written = 0;
    size_t n = 0;
    cnet_err err = cnet__sys_send(t->fd, data, size, t->deadline, &n);
    if (err == CNET_OK) {
        *written = n;
        return 1;
    }
    t->io_err = err;
    if (retryable(err))
        BIO_set_retry_write(b);
    return 0;
}

static int bio_read(BIO *b, char *data, size_t size, size_t *received)
{
    cnet__tls *t = BIO_get_data(b);
    BIO_clear_retry_flags(b);
    *received = 0;
    size_t n = 0;
    cnet_err err = cnet__sys_recv(t->fd, data, size, false, t->deadline, &n);
    if (err != CNET_OK) {
        t->io_err = err;
        if (retryable(err))
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
    BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "cnet edge");
    if (m != NULL && BIO_meth_set_write_ex(m, bio_write) && BIO_meth_set_read_ex(m, bio_read) &&
        BIO_meth_set_ctrl(m, bio_ctrl)) {
        edge_method = m;
        return;
    }
    BIO_meth_free(m);
}

/* -------------------------------------------------------------- errors */

static cnet_err fail_msg(cnet_err err, const char *function, const char *what, const char *detail)
{
    char msg[640];
    if (detail != NULL && *detail)
        snprintf(msg, sizeof msg, "%s: %s: %s", function, what, detail);
    else
        snprintf(msg, sizeof msg, "%s: %s", function, what);
    return cnet__fail(err, msg);
}

static cnet_err verify_error(long result, const char *function)
{
    cnet_err err;
    switch (result) {
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
    case X509_V_ERR_EMAIL_MISMATCH:
        err = CNET_ETLS_HOSTNAME;
        break;
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
        err = CNET_ETLS_EXPIRED;
        break;
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_CERT_UNTRUSTED:
        err = CNET_ETLS_UNTRUSTED;
        break;
    default:
        err = CNET_ETLS_VERIFY;
        break;
    }
    char detail[160];
    snprintf(detail, sizeof detail, "%s (X.509 error %ld)", X509_verify_cert_error_string(result), result);
    return fail_msg(err, function, "certificate verification failed", detail);
}

/* The cnet code of an OpenSSL library error (SSL_ERROR_SSL). */
static cnet_err ssl_error(cnet__tls *t, const char *function)
{
    unsigned long e = ERR_peek_last_error();
    int reason = ERR_GET_REASON(e);
    long vr = SSL_get_verify_result(t->ssl);
    const char *text = ERR_reason_error_string(e);
    char detail[128];
    snprintf(detail, sizeof detail, "%s", text ? text : "unknown OpenSSL error");
    if (reason == SSL_R_CERTIFICATE_VERIFY_FAILED && vr != X509_V_OK)
        return verify_error(vr, function);
    switch (reason) {
    case SSL_R_UNEXPECTED_EOF_WHILE_READING:
        if (!t->done)
            return fail_msg(CNET_ETLS_HANDSHAKE, function, "the peer closed the connection during the handshake", NULL);
        return fail_msg(CNET_ETLS_TRUNCATED, function, "the peer closed the connection without close_notify", NULL);
    case SSL_R_UNSUPPORTED_PROTOCOL:
    case SSL_R_NO_PROTOCOLS_AVAILABLE:
    case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION:
    case SSL_R_VERSION_TOO_LOW:
        return fail_msg(CNET_ETLS_VERSION, function, "no common TLS version", detail);
    case SSL_R_NO_APPLICATION_PROTOCOL:
    case SSL_R_TLSV1_ALERT_NO_APPLICATION_PROTOCOL:
        return fail_msg(CNET_ETLS_ALPN, function, "no common application protocol", detail);
    case SSL_R_WRONG_VERSION_NUMBER:
    case SSL_R_PACKET_LENGTH_TOO_LONG:
    case SSL_R_HTTP_REQUEST:
    case SSL_R_HTTPS_PROXY_REQUEST:
        return fail_msg(CNET_ETLS_PROTOCOL, function, "the peer does not speak TLS", detail);
    default:
        break;
    }
    if (reason >= SSL_AD_REASON_OFFSET)
        return fail_msg(CNET_ETLS_PEER_ALERT, function, "the peer sent an alert", detail);
    return fail_msg(t->done ? CNET_ETLS_PROTOCOL : CNET_ETLS_HANDSHAKE, function,
                    t->done ? "TLS error" : "the TLS handshake failed", detail);
}

/* Start an SSL_* call: the BIO uses this deadline, the error state is fresh. */
static void begin(cnet__tls *t, int64_t deadline)
{
    t->deadline = deadline;
    t->io_err = CNET_OK;
    ERR_clear_error();
}

/* The error of a failed SSL_* call; fatal errors are latched. */
static cnet_err tls_fail(cnet__tls *t, int ret, const char *function)
{
    int code = SSL_get_error(t->ssl, ret);
    cnet_err err;
    switch (code) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
        /* The edge timed out: resumable, the edge's message stands. */
        if (t->io_err != CNET_OK) {
            ERR_clear_error();
            return t->io_err;
        }
        err = fail_msg(CNET_ETLS, function, "OpenSSL wants to wait", NULL);
        break;
    case SSL_ERROR_SYSCALL:
        if (t->io_err != CNET_OK)
            err = t->io_err; /* a reset, a broken pipe: the edge's code and message */
        else if (t->eof && !t->done)
            err = fail_msg(CNET_ETLS_HANDSHAKE, function, "the peer closed the connection during the handshake", NULL);
        else if (t->eof)
            err = fail_msg(CNET_ETLS_TRUNCATED, function, "the peer closed the connection without close_notify", NULL);
        else
            err = fail_msg(CNET_ETLS, function, "OpenSSL reported a system error", NULL);
        break;
    case SSL_ERROR_SSL:
        err = ssl_error(t, function);
        break;
    default:
        err = fail_msg(CNET_ETLS, function, "unexpected OpenSSL state", NULL);
        break;
    }
    ERR_clear_error();
    t->failed = err;
    return err;
}

static cnet_err refail(const cnet__tls *t, const char *function)
{
    char msg[160];
    snprintf(msg, sizeof msg, "%s: the TLS connection failed earlier (%s)", function, cnet_err_name(t->failed));
    return cnet__fail(t->failed, msg);
}

/* ------------------------------------------------------------ contexts */

static void context_release(cnet_ssl_context *c)
{
    if (c == NULL || atomic_fetch_sub(&c->refs, 1) != 1)
        return;
    SSL_CTX_free(c->ctx);
    free(c->alpn);
    free(c);
}

bool cnet_tls_available(void)
{
    return true;
}

void cnet_ssl_context_free(cnet_ssl_context *context)
{
    context_release(context);
}

static bool path_exists(const char *path, bool dir)
{
    struct stat st;
    return path != NULL && *path && stat(path, &st) == 0 && (dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
}

/* The trust anchors when no CA file or directory was given. */
static void load_system_store(cnet_ssl_context *c, bool use_env)
{
    const char *file = X509_get_default_cert_file();
    const char *dir = X509_get_default_cert_dir();
    if (use_env) {
        const char *f = getenv(X509_get_default_cert_file_env());
        const char *d = getenv(X509_get_default_cert_dir_env());
        if (f != NULL || d != NULL) {
            file = f;
            dir = d;
        }
    }
    bool loaded = false;
    if (path_exists(file, false) && SSL_CTX_load_verify_file(c->ctx, file) == 1)
        loaded = true;
    if (path_exists(dir, true) && SSL_CTX_load_verify_dir(c->ctx, dir) == 1)
        loaded = true;
    ERR_clear_error();
    c->no_ca = !loaded;
}

static cnet_err ssl_context_setup(cnet_ssl_context *c, const cnet_ssl_options *o)
{
    const char *fn = "cnet_ssl_context_new";
    SSL_CTX *ctx = c->ctx;
    if (!SSL_CTX_set_min_proto_version(ctx, o->min_version == CNET_TLS_1_3 ? TLS1_3_VERSION : TLS1_2_VERSION))
        return fail_msg(CNET_ETLS, fn, "cannot set the minimum TLS version", NULL);
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
    /* An end of stream without close_notify must stay an error (truncation),
     * whatever the system's openssl.cnf says. */
    SSL_CTX_clear_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_AUTO_RETRY);
    /* Fewer, larger reads from the edge; cnet__tls_pending sees the bytes. */
    SSL_CTX_set_read_ahead(ctx, 1);
    if (!SSL_CTX_set_cipher_list(ctx, o->cipher_list ? o->cipher_list : CIPHERS_INTERMEDIATE))
        return fail_msg(CNET_EINVAL, fn, "no usable cipher in cipher_list", o->cipher_list);
    if (!SSL_CTX_set_ciphersuites(ctx, o->ciphersuites ? o->ciphersuites : CIPHERSUITES_MODERN))
        return fail_msg(CNET_EINVAL, fn, "no usable suite in ciphersuites", o->ciphersuites);
    if (o->cipher_list == NULL && SSL_CTX_get_security_level(ctx) < 2)
        SSL_CTX_set_security_level(ctx, 2); /* RSA/DH >= 2048 bits, no SHA-1 signatures */
    if (o->cert_file != NULL) {
        const char *key = o->key_file ? o->key_file : o->cert_file;
        if (SSL_CTX_use_certificate_chain_file(ctx, o->cert_file) != 1)
            return fail_msg(CNET_ETLS_FILE, fn, "cannot load the certificate chain", o->cert_file);
        if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1)
            return fail_msg(CNET_ETLS_FILE, fn, "cannot load the private key", key);
        if (SSL_CTX_check_private_key(ctx) != 1)
            return fail_msg(CNET_ETLS_FILE, fn, "the private key does not match the certificate", key);
    } else if (o->key_file != NULL) {
        return fail_msg(CNET_EINVAL, fn, "key_file needs cert_file", NULL);
    }
    c->verify_mode = o->verify_mode;
    if (o->verify_mode == CNET_VERIFY_NONE) {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
        return CNET_OK;
    }
    if (o->ca_file != NULL || o->ca_dir != NULL) {
        if (SSL_CTX_load_verify_locations(ctx, o->ca_file, o->ca_dir) != 1)
            return fail_msg(CNET_ETLS_FILE, fn, "cannot load the CA file or directory",
                            o->ca_file ? o->ca_file : o->ca_dir);
        c->client_auth = true;
    } else {
        load_system_store(c, o->verify_mode == CNET_VERIFY_PEER_USE_ENV_VARS);
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    return CNET_OK;
}

cnet_err cnet__ssl_context_new(const cnet_ssl_options *options, cnet_ssl_context **out)
{
    *out = NULL;
    cnet_ssl_options defaults;
    memset(&defaults, 0, sizeof defaults);
    const cnet_ssl_options *o = options ? options : &defaults;
    if (!cnet__tls_version_is_valid(o->min_version) || !cnet__ssl_verify_mode_is_valid(o->verify_mode))
        return cnet__fail(CNET_EINVAL, "cnet_ssl_context_new: options hold an invalid min_version or verify_mode");
    if (!CRYPTO_THREAD_run_once(&edge_method_once, edge_method_init) || edge_method == NULL)
        return cnet__fail(CNET_ENOMEM, "cnet_ssl_context_new: cannot create the BIO method");
    cnet_ssl_context *c = calloc(1, sizeof *c);
    if (c == NULL)
        return cnet__fail(CNET_ENOMEM, "cnet_ssl_context_new: out of memory");
    atomic_init(&c->refs, 1);
    ERR_clear_error();
    c->ctx = SSL_CTX_new(TLS_method());
    if (c->ctx == NULL) {
        free(c);
        return cnet__fail(CNET_ENOMEM, "cnet_ssl_context_new: SSL_CTX_new failed");
    }
    SSL_CTX_set_app_data(c->ctx, c);
    cnet_err err = ssl_context_setup(c, o);
    ERR_clear_error();
    if (err != CNET_OK) {
        context_release(c);
        return err;
    }
    *out = c;
    return CNET_OK;
}

cnet_err cnet__ssl_context_set_session_id_context(cnet_ssl_context *context, const void *id, size_t size)
{
    if (SSL_CTX_set_session_id_context(context->ctx, id, (unsigned)size) != 1) {
        ERR_clear_error();
        return cnet__fail(CNET_ETLS, "cnet_ssl_context_set_session_id_context: OpenSSL refused the id");
    }
    return CNET_OK;
}

static unsigned psk_client_trampoline(SSL *ssl, const char *hint, char *identity, unsigned max_identity_len,
                                      unsigned char *psk, unsigned max_psk_len)
{
    cnet_ssl_context *c = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
    size_t len = 0;
    /* OpenSSL's identity buffer has max_identity_len + 1 bytes. */
    identity[0] = '\0';
    if (c == NULL || c->psk_client == NULL ||
        !c->psk_client(c, hint ? hint : "", identity, (size_t)max_identity_len + 1, psk, max_psk_len, &len) ||
        len == 0 || len > max_psk_len)
        return 0;
    identity[max_identity_len] = '\0';
    return (unsigned)len;
}

static unsigned psk_server_trampoline(SSL *ssl, const char *identity, unsigned char *psk, unsigned max_psk_len)
{
    cnet_ssl_context *c = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
    size_t len = 0;
    if (c == NULL || c->psk_server == NULL || !c->psk_server(c, identity ? identity : "", psk, max_psk_len, &len) ||
        len > max_psk_len)
        return 0;
    return (unsigned)len;
}

cnet_err cnet__ssl_context_set_psk_client_callback(cnet_ssl_context *context, cnet_ssl_client_psk_func callback)
{
    context->psk_client = callback;
    SSL_CTX_set_psk_client_callback(context->ctx, callback ? psk_client_trampoline : NULL);
    return CNET_OK;
}

cnet_err cnet__ssl_context_set_psk_server_callback(cnet_ssl_context *context, cnet_ssl_server_psk_func callback)
{
    context->psk_server = callback;
    SSL_CTX_set_psk_server_callback(context->ctx, callback ? psk_server_trampoline : NULL);
    return CNET_OK;
}

cnet_err cnet__ssl_context_set_psk_identity_hint(cnet_ssl_context *context, const char *hint)
{
    if (hint != NULL && strlen(hint) > PSK_MAX_IDENTITY_LEN)
        return cnet__fail(CNET_EINVAL, "cnet_ssl_context_set_psk_identity_hint: the hint is longer than 256 bytes");
    if (SSL_CTX_use_psk_identity_hint(context->ctx, hint) != 1) {
        ERR_clear_error();
        return cnet__fail(CNET_ETLS, "cnet_ssl_context_set_psk_identity_hint: OpenSSL refused the hint");
    }
    return CNET_OK;
}

cnet_err cnet__ssl_context_get_extra_data(cnet_ssl_context *context, int index, void **out)
{
    if (!context->extra_set[index])
        return cnet__fail(CNET_ENOTFOUND, "cnet_ssl_context_get_extra_data: no data in that slot");
    *out = context->extra[index];
    return CNET_OK;
}

cnet_err cnet__ssl_context_set_extra_data(cnet_ssl_context *context, int index, void *data)
{
    context->extra[index] = data;
    context->extra_set[index] = data != NULL;
    return CNET_OK;
}

/* Server: the first protocol of our list that the client offered. */
static int alpn_select(SSL *ssl, const unsigned char **out, unsigned char *outlen, const unsigned char *in,
                       unsigned int inlen, void *arg)
{
    (void)ssl;
    const cnet_ssl_context *c = arg;
    for (size_t i = 0; i < c->alpn_len; i += 1u + c->alpn[i]) {
        const unsigned char *ours = c->alpn + i;
        for (unsigned j = 0; j < inlen; j += 1u + in[j]) {
            if (j + 1u + in[j] > inlen)
                break; /* a malformed client list */
            if (in[j] == ours[0] && memcmp(in + j + 1, ours + 1, ours[0]) == 0) {
                *out = in + j + 1;
                *outlen = in[j];
                return SSL_TLSEXT_ERR_OK;
            }
        }
    }
    return SSL_TLSEXT_ERR_ALERT_FATAL; /* no_application_protocol (RFC 7301) */
}

cnet_err cnet__ssl_context_set_alpn_protocols(cnet_ssl_context *context, const char *protocols)
{
    const char *fn = "cnet_ssl_context_set_alpn_protocols";
    size_t n = protocols ? strlen(protocols) : 0;
    unsigned char *wire = NULL;
    size_t len = 0;
    if (n > 0) {
        wire = malloc(n + 1);
        if (wire == NULL)
            return cnet__fail(CNET_ENOMEM, "cnet_ssl_context_set_alpn_protocols: out of memory");
        const char *p = protocols;
        for (;;) {
            const char *comma = strchr(p, ',');
            size_t name = comma ? (size_t)(comma - p) : strlen(p);
            if (name == 0 || name > 255) {
                free(wire);
                return fail_msg(CNET_EINVAL, fn, "each protocol name needs 1 to 255 bytes", protocols);
            }
            wire[len++] = (unsigned char)name;
            memcpy(wire + len, p, name);
            len += name;
            if (comma == NULL)
                break;
            p = comma + 1;
        }
        if (len > 0xffff || SSL_CTX_set_alpn_protos(context->ctx, wire, (unsigned)len) != 0) {
            free(wire);
            ERR_clear_error();
            return fail_msg(CNET_EINVAL, fn, "OpenSSL refused the list", protocols);
        }
    } else {
        SSL_CTX_set_alpn_protos(context->ctx, NULL, 0);
    }
    free(context->alpn);
    context->alpn = wire;
    context->alpn_len = len;
    SSL_CTX_set_alpn_select_cb(context->ctx, wire ? alpn_select : NULL, wire ? context : NULL);
    return CNET_OK;
}

/* ------------------------------------------------------------- sessions */

static void tls_free(cnet__tls *t)
{
    if (t == NULL)
        return;
    SSL_free(t->ssl); /* frees the BIO too */
    context_release(t->context);
    free(t->server_name);
    free(t->pending);
    free(t);
}

static cnet_err tls_new(cnet_ssl_context *c, cnet_socket_handle fd, cnet__tls **out)
{
    *out = NULL;
    cnet__tls *t = calloc(1, sizeof *t);
    if (t == NULL)
        return cnet__fail(CNET_ENOMEM, "TLS: out of memory");
    t->fd = fd;
    t->deadline = -1;
    ERR_clear_error();
    t->ssl = SSL_new(c->ctx);
    BIO *bio = t->ssl ? BIO_new(edge_method) : NULL;
    if (bio == NULL) {
        SSL_free(t->ssl);
        free(t);
        ERR_clear_error();
        return cnet__fail(CNET_ENOMEM, "TLS: SSL_new failed");
    }
    BIO_set_data(bio, t);
    BIO_set_init(bio, 1);
    SSL_set_bio(t->ssl, bio, bio);
    atomic_fetch_add(&c->refs, 1);
    t->context = c;
    *out = t;
    return CNET_OK;
}

static cnet_err handshake(cnet__tls *t, int64_t deadline, const char *function)
{
    t->started = true;
    begin(t, deadline);
    int ret = SSL_do_handshake(t->ssl);
    if (ret == 1) {
        t->done = true;
        return CNET_OK;
    }
    cnet_err err = tls_fail(t, ret, function);
    /* A handshake cut off by the deadline is not resumed by later calls. */
    if (retryable(err))
        t->failed = CNET_ETLS_HANDSHAKE;
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
            return fail_msg(CNET_ETLS, function, "cannot set the address to verify", text);
        return CNET_OK;
    }
    char host[256];
    if (n > 0 && name[n - 1] == '.')
        n--;
    if (n == 0 || n >= sizeof host || memchr(name, ':', n) != NULL || name[0] == '[')
        return fail_msg(CNET_EINVAL, function, "not a host name or address literal to verify", name);
    memcpy(host, name, n);
    host[n] = '\0';
    SSL_set_hostflags(t->ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (SSL_set_tlsext_host_name(t->ssl, host) != 1 || SSL_set1_host(t->ssl, host) != 1) {
        ERR_clear_error();
        return fail_msg(CNET_EINVAL, function, "OpenSSL refused the host name", host);
    }
    return CNET_OK;
}

static cnet_err client_handshake(cnet__tls *t, const char *address, int64_t deadline, const char *function)
{
    if (t->failed != CNET_OK)
        return refail(t, function);
    if (t->started)
        return fail_msg(CNET_EINVAL, function, "the TLS handshake already happened", NULL);
    const char *name = t->server_name ? t->server_name : address;
    bool verify = t->context->verify_mode != CNET_VERIFY_NONE;
    cnet_err err = CNET_OK;
    if (verify && t->context->no_ca)
        err = fail_msg(CNET_ETLS_NO_CA, function, "no CA certificates found (give ca_file or ca_dir)", NULL);
    else if (verify && (name == NULL || *name == '\0'))
        err = fail_msg(CNET_EINVAL, function, "no name to verify the certificate against (cnet_socket_set_server_name)",
                       NULL);
    else if (name != NULL && *name != '\0')
        err = set_peer_name(t, name, function);
    if (err != CNET_OK) {
        t->failed = err;
        return err;
    }
    SSL_set_connect_state(t->ssl);
    return handshake(t, deadline, function);
}

static void server_mode(cnet__tls *t)
{
    const cnet_ssl_context *c = t->context;
    int mode = c->verify_mode != CNET_VERIFY_NONE && c->client_auth
                   ? SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT
                   : SSL_VERIFY_NONE;
    SSL_set_verify(t->ssl, mode, NULL);
    SSL_set_accept_state(t->ssl);
}

cnet_err cnet__tls_connect(cnet__tls *tls, const char *address, int64_t deadline)
{
    return client_handshake(tls, address, deadline, "cnet_socket_connect");
}

cnet_err cnet__tls_accept(const cnet__tls *listener, cnet_socket_handle fd, int64_t deadline, cnet__tls **out)
{
    *out = NULL;
    cnet__tls *t;
    cnet_err err = tls_new(listener->context, fd, &t);
    if (err != CNET_OK)
        return err;
    server_mode(t);
    err = handshake(t, deadline, "cnet_socket_accept");
    if (err != CNET_OK) {
        tls_free(t);
        return err;
    }
    *out = t;
    return CNET_OK;
}

static cnet_err not_ready(const cnet__tls *t, const char *function)
{
    if (t->failed != CNET_OK)
        return refail(t, function);
    return fail_msg(CNET_ENOTCONN, function, "the TLS handshake has not happened (connect or accept first)", NULL);
}

cnet_err cnet__tls_read(cnet__tls *tls, void *data, size_t size, bool peek, int64_t deadline, size_t *received)
{
    *received = 0;
    if (tls->failed != CNET_OK || !tls->done)
        return not_ready(tls, "recv");
    begin(tls, deadline);
    size_t n = 0;
    int ret = peek ? SSL_peek_ex(tls->ssl, data, size, &n) : SSL_read_ex(tls->ssl, data, size, &n);
    if (ret == 1) {
        *received = n;
        return CNET_OK;
    }
    if (SSL_get_error(tls->ssl, ret) == SSL_ERROR_ZERO_RETURN) {
        ERR_clear_error();
        return CNET_OK; /* close_notify: the clean end of the stream */
    }
    return tls_fail(tls, ret, "recv");
}

cnet_err cnet__tls_write(cnet__tls *tls, const void *data, size_t size, int64_t deadline, size_t *sent)
{
    const unsigned char *p = data;
    size_t done = 0;
    *sent = 0;
    if (tls->failed != CNET_OK || !tls->done)
        return not_ready(tls, "send");
    /* OpenSSL already encrypted the record a timed-out write left half sent:
     * only the same bytes may follow, or the peer would get the old ones. */
    if (tls->pending_len > 0 && (size < tls->pending_len || memcmp(p, tls->pending, tls->pending_len) != 0))
        return fail_msg(CNET_ETLS, "send",
                        "a TLS send that timed out must be continued with the bytes it did not send", NULL);
    while (done < size) {
        size_t n = 0;
        begin(tls, deadline);
        int ret = SSL_write_ex(tls->ssl, p + done, size - done, &n);
        if (ret == 1) {
            done += n;
            tls->pending_len = 0;
            continue;
        }
        cnet_err err = tls_fail(tls, ret, "send");
        if (retryable(err) && tls->pending_len == 0) {
            /* Partial-write mode: a call handles at most one record. */
            size_t rec = size - done < SSL3_RT_MAX_PLAIN_LENGTH ? size - done : SSL3_RT_MAX_PLAIN_LENGTH;
            if (tls->pending == NULL)
                tls->pending = malloc(SSL3_RT_MAX_PLAIN_LENGTH);
            if (tls->pending == NULL) {
                tls->failed = CNET_ENOMEM; /* cannot check the resumption: never resume */
            } else {
                memcpy(tls->pending, p + done, rec);
                tls->pending_len = rec;
            }
        }
        *sent = done;
        return err;
    }
    *sent = done;
    return CNET_OK;
}

bool cnet__tls_pending(const cnet__tls *tls)
{
    return tls->done && tls->failed == CNET_OK && (SSL_pending(tls->ssl) > 0 || SSL_has_pending(tls->ssl));
}

cnet_err cnet__tls_shutdown_write(cnet__tls *tls, int64_t deadline)
{
    if (tls->failed != CNET_OK || !tls->done)
        return not_ready(tls, "cnet_socket_shutdown");
    if (tls->pending_len > 0)
        return fail_msg(CNET_ETLS, "cnet_socket_shutdown", "a TLS record is half sent (finish the send first)", NULL);
    if (SSL_get_shutdown(tls->ssl) & SSL_SENT_SHUTDOWN)
        return CNET_OK;
    begin(tls, deadline);
    int ret = SSL_shutdown(tls->ssl); /* 0: sent, the peer's has not come yet */
    if (ret >= 0) {
        ERR_clear_error();
        return CNET_OK;
    }
    return tls_fail(tls, ret, "cnet_socket_shutdown");
}

void cnet__tls_close(cnet__tls *tls, int64_t deadline)
{
    if (tls == NULL)
        return;
    /* close_notify only on a healthy session with no record half sent, and
     * once (a second SSL_shutdown would wait for the peer's). */
    if (tls->done && tls->failed == CNET_OK && tls->pending_len == 0 &&
        !(SSL_get_shutdown(tls->ssl) & SSL_SENT_SHUTDOWN)) {
        if (deadline < 0)
            deadline = cnet__sys_now_ms() + CLOSE_NOTIFY_WAIT_MS;
        begin(tls, deadline);
        SSL_shutdown(tls->ssl); /* one way: do not wait for the peer's */
        ERR_clear_error();
    }
    tls_free(tls);
}

/* ------------------------------------------------------ socket procs */

cnet_err cnet__socket_wrap(cnet_ssl_context *context, cnet_socket *socket)
{
    cnet_socket_handle fd;
    int64_t deadline;
    cnet_err err = cnet__socket_tls_prepare(socket, "cnet_socket_wrap", &fd, &deadline);
    if (err != CNET_OK)
        return err;
    cnet__tls **slot = cnet__socket_tls_slot(socket);
    if (*slot != NULL)
        return cnet__socket_record_error(socket, cnet__fail(CNET_EINVAL, "cnet_socket_wrap: the socket is already TLS"));
    err = tls_new(context, fd, slot);
    return err == CNET_OK ? CNET_OK : cnet__socket_record_error(socket, err);
}

cnet_err cnet__socket_wrap_connected(cnet_ssl_context *context, cnet_socket *socket, cnet_ssl_handshake_type handshake_type,
                                     const char *hostname)
{
    const char *fn = "cnet_socket_wrap_connected";
    cnet_socket_handle fd;
    int64_t deadline;
    cnet_err err = cnet__socket_tls_prepare(socket, fn, &fd, &deadline);
    if (err != CNET_OK)
        return err;
    cnet__tls **slot = cnet__socket_tls_slot(socket);
    if (*slot != NULL && (*slot)->started)
        return cnet__socket_record_error(socket, cnet__fail(CNET_EINVAL, "cnet_socket_wrap_connected: the socket is already TLS"));
    if (*slot == NULL) {
        err = tls_new(context, fd, slot);
        if (err != CNET_OK)
            return cnet__socket_record_error(socket, err);
    }
    cnet__tls *t = *slot;
    if (handshake_type == CNET_HANDSHAKE_AS_SERVER) {
        server_mode(t);
        err = handshake(t, deadline, fn);
    } else {
        err = client_handshake(t, hostname, deadline, fn);
    }
    return err == CNET_OK ? CNET_OK : cnet__socket_record_error(socket, err);
}

/* The TLS state of a socket for the query procs. */
static cnet_err tls_of(cnet_socket *socket, const char *function, cnet__tls **out)
{
    cnet_socket_handle fd;
    int64_t deadline;
    cnet__tls *t = cnet__socket_tls(socket);
    *out = NULL;
    if (t == NULL) {
        /* Closed sockets report CNET_ECLOSED through the usual check. */
        cnet_err err = cnet__socket_tls_prepare(socket, function, &fd, &deadline);
        if (err == CNET_ECLOSED)
            return err;
        return cnet__socket_record_error(socket, fail_msg(CNET_ETLS_NOT_TLS, function, "not a TLS socket", NULL));
    }
    *out = t;
    return CNET_OK;
}

cnet_err cnet__socket_set_server_name(cnet_socket *socket, const char *name)
{
    const char *fn = "cnet_socket_set_server_name";
    cnet__tls *t;
    cnet_err err = tls_of(socket, fn, &t);
    if (err != CNET_OK)
        return err;
    if (t->started)
        return cnet__socket_record_error(socket, fail_msg(CNET_EINVAL, fn, "the handshake already happened", NULL));
    char *copy = NULL;
    if (name != NULL) {
        bool failed = false;
        copy = cnet__strdup(name, &failed);
        if (failed)
            return cnet__socket_record_error(socket, cnet__fail(CNET_ENOMEM, "cnet_socket_set_server_name: out of memory"));
    }
    free(t->server_name);
    t->server_name = copy;
    return CNET_OK;
}

void *cnet_socket_ssl_handle(const cnet_socket *socket)
{
    cnet__tls *t = socket ? cnet__socket_tls(socket) : NULL;
    return t ? t->ssl : NULL;
}

cnet_err cnet__socket_got_handshake(cnet_socket *socket, bool *out)
{
    cnet__tls *t;
    cnet_err err = tls_of(socket, "cnet_socket_got_handshake", &t);
    if (err == CNET_OK)
        *out = t->done;
    return err;
}

static cnet_err encode_cert(X509 *x, cnet_cert_format format, cnet_certificate *out)
{
    if (format == CNET_CERT_DER) {
        int len = i2d_X509(x, NULL);
        if (len <= 0)
            return CNET_ETLS;
        out->data = malloc((size_t)len);
        if (out->data == NULL)
            return CNET_ENOMEM;
        unsigned char *p = out->data;
        i2d_X509(x, &p);
        out->size = (size_t)len;
        return CNET_OK;
    }
    BIO *mem = BIO_new(BIO_s_mem());
    if (mem == NULL)
        return CNET_ENOMEM;
    cnet_err err = CNET_ETLS;
    if (PEM_write_bio_X509(mem, x) == 1) {
        char *text;
        long len = BIO_get_mem_data(mem, &text);
        out->data = len > 0 ? malloc((size_t)len + 1) : NULL;
        if (out->data != NULL) {
            memcpy(out->data, text, (size_t)len);
            out->data[len] = '\0';
            out->size = (size_t)len;
            err = CNET_OK;
        } else {
            err = len > 0 ? CNET_ENOMEM : CNET_ETLS;
        }
    }
    BIO_free(mem);
    return err;
}

cnet_err cnet__socket_get_peer_certificates(cnet_socket *socket, cnet_cert_format format, cnet_certificate_list *out)
{
    const char *fn = "cnet_socket_get_peer_certificates";
    out->count = 0;
    out->items = NULL;
    cnet__tls *t;
    cnet_err err = tls_of(socket, fn, &t);
    if (err != CNET_OK)
        return err;
    if (!t->done)
        return cnet__socket_record_error(socket, not_ready(t, fn));
    if (SSL_get_verify_result(t->ssl) != X509_V_OK)
        return CNET_OK; /* like Nim: only a verified chain */
    STACK_OF(X509) *chain = SSL_get0_verified_chain(t->ssl);
    int n = chain ? sk_X509_num(chain) : 0;
    if (n <= 0)
        return CNET_OK;
    out->items = calloc((size_t)n, sizeof *out->items);
    if (out->items == NULL)
        return cnet__socket_record_error(socket, cnet__fail(CNET_ENOMEM, "cnet_socket_get_peer_certificates: out of memory"));
    for (int i = 0; i < n; i++) {
        err = encode_cert(sk_X509_value(chain, i), format, &out->items[i]);
        if (err != CNET_OK) {
            out->count = (size_t)i;
            cnet_certificate_list_free(out);
            ERR_clear_error();
            return cnet__socket_record_error(
                socket, cnet__fail(err, "cnet_socket_get_peer_certificates: cannot encode a certificate"));
        }
        out->count = (size_t)i + 1;
    }
    return CNET_OK;
}

cnet_err cnet__socket_get_alpn_protocol(cnet_socket *socket, char *protocol, size_t size)
{
    cnet__tls *t;
    protocol[0] = '\0';
    cnet_err err = tls_of(socket, "cnet_socket_get_alpn_protocol", &t);
    if (err != CNET_OK)
        return err;
    const unsigned char *p = NULL;
    unsigned len = 0;
    SSL_get0_alpn_selected(t->ssl, &p, &len);
    if ((size_t)len + 1 > size)
        return cnet__socket_record_error(
            socket, cnet__fail(CNET_ERANGE, "cnet_socket_get_alpn_protocol: the protocol name does not fit"));
    if (len > 0)
        memcpy(protocol, p, len);
    protocol[len] = '\0';
    return CNET_OK;
}

#else /* !CNET_HAVE_TLS: the API exists and reports CNET_ENOTSUP */

static cnet_err not_built(const char *function)
{
    char msg[160];
    snprintf(msg, sizeof msg, "%s: cnet was built without TLS (OpenSSL)", function);
    return cnet__fail(CNET_ENOTSUP, msg);
}


bool cnet_tls_available(void)
{
    return false;
}

void cnet_ssl_context_free(cnet_ssl_context *context)
{
    (void)context; /* no context can exist */
}

cnet_err cnet__ssl_context_new(const cnet_ssl_options *options, cnet_ssl_context **out)
{
    (void)options;
    *out = NULL;
    return not_built("cnet_ssl_context_new");
}

cnet_err cnet__ssl_context_set_session_id_context(cnet_ssl_context *context, const void *id, size_t size)
{
    (void)context, (void)id, (void)size;
    return not_built("cnet_ssl_context_set_session_id_context");
}

cnet_err cnet__ssl_context_set_psk_client_callback(cnet_ssl_context *context, cnet_ssl_client_psk_func callback)
{
    (void)context, (void)callback;
    return not_built("cnet_ssl_context_set_psk_client_callback");
}

cnet_err cnet__ssl_context_set_psk_server_callback(cnet_ssl_context *context, cnet_ssl_server_psk_func callback)
{
    (void)context, (void)callback;
    return not_built("cnet_ssl_context_set_psk_server_callback");
}

cnet_err cnet__ssl_context_set_psk_identity_hint(cnet_ssl_context *context, const char *hint)
{
    (void)context, (void)hint;
    return not_built("cnet_ssl_context_set_psk_identity_hint");
}

cnet_err cnet__ssl_context_get_extra_data(cnet_ssl_context *context, int index, void **out)
{
    (void)context, (void)index, (void)out;
    return not_built("cnet_ssl_context_get_extra_data");
}

cnet_err cnet__ssl_context_set_extra_data(cnet_ssl_context *context, int index, void *data)
{
    (void)context, (void)index, (void)data;
    return not_built("cnet_ssl_context_set_extra_data");
}

cnet_err cnet__ssl_context_set_alpn_protocols(cnet_ssl_context *context, const char *protocols)
{
    (void)context, (void)protocols;
    return not_built("cnet_ssl_context_set_alpn_protocols");
}

cnet_err cnet__socket_wrap(cnet_ssl_context *context, cnet_socket *socket)
{
    (void)context, (void)socket;
    return not_built("cnet_socket_wrap");
}

cnet_err cnet__socket_wrap_connected(cnet_ssl_context *context, cnet_socket *socket, cnet_ssl_handshake_type handshake_type,
                                     const char *hostname)
{
    (void)context, (void)socket, (void)handshake_type, (void)hostname;
    return not_built("cnet_socket_wrap_connected");
}

cnet_err cnet__socket_set_server_name(cnet_socket *socket, const char *name)
{
    (void)socket, (void)name;
    return not_built("cnet_socket_set_server_name");
}

void *cnet_socket_ssl_handle(const cnet_socket *socket)
{
    (void)socket;
    return NULL;
}

cnet_err cnet__socket_got_handshake(cnet_socket *socket, bool *out)
{
    (void)socket, (void)out;
    return not_built("cnet_socket_got_handshake");
}

cnet_err cnet__socket_get_peer_certificates(cnet_socket *socket, cnet_cert_format format, cnet_certificate_list *out)
{
    (void)socket, (void)format;
    out->count = 0;
    out->items = NULL;
    return not_built("cnet_socket_get_peer_certificates");
}

cnet_err cnet__socket_get_alpn_protocol(cnet_socket *socket, char *protocol, size_t size)
{
    (void)socket, (void)size;
    protocol[0] = '\0';
    return not_built("cnet_socket_get_alpn_protocol");
}

/* The seam: no socket ever holds a cnet__tls without TLS. */
cnet_err cnet__tls_read(cnet__tls *tls, void *data, size_t size, bool peek, int64_t deadline, size_t *received)
{
    (void)tls, (void)data, (void)size, (void)peek, (void)deadline;
    *received = 0;
    return not_built("recv");
}

cnet_err cnet__tls_write(cnet__tls *tls, const void *data, size_t size, int64_t deadline, size_t *sent)
{
    (void)tls, (void)data, (void)size, (void)deadline;
    *sent = 0;
    return not_built("send");
}

bool cnet__tls_pending(const cnet__tls *tls)
{
    (void)tls;
    return false;
}

cnet_err cnet__tls_connect(cnet__tls *tls, const char *address, int64_t deadline)
{
    (void)tls, (void)address, (void)deadline;
    return not_built("cnet_socket_connect");
}

cnet_err cnet__tls_accept(const cnet__tls *listener, cnet_socket_handle fd, int64_t deadline, cnet__tls **out)
{
    (void)listener, (void)fd, (void)deadline;
    *out = NULL;
    return not_built("cnet_socket_accept");
}

void cnet__tls_close(cnet__tls *tls, int64_t deadline)
{
    (void)tls, (void)deadline;
}

cnet_err cnet__tls_shutdown_write(cnet__tls *tls, int64_t deadline)
{
    (void)tls, (void)deadline;
    return not_built("cnet_socket_shutdown");
}

#endif /* CNET_HAVE_TLS */
