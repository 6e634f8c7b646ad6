/*
 * TLS contexts over OpenSSL (module tls): the verification defaults, the
 * trust store, certificates and keys, PSK and ALPN settings that sessions
 * (tls_session.c) share. Built only with TLS; tls_disabled.c otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "tls_openssl.h"

/* Mozilla's "intermediate" TLS 1.2 list and the TLS 1.3 suites: Nim's
 * CiphersIntermediate and CiphersModern. */
#define CIPHERS_INTERMEDIATE                                                                           \
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"         \
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"           \
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384"
#define CIPHERSUITES_MODERN "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"

cnet_err cnet__tls_fail_msg(cnet_err err, const char *function, const char *what, const char *detail)
{
    char msg[640];
    if (detail != NULL && *detail)
        snprintf(msg, sizeof msg, "%s: %s: %s", function, what, detail);
    else
        snprintf(msg, sizeof msg, "%s: %s", function, what);
    return cnet__fail(err, msg);
}

cnet_err cnet__tls_require_built(const char *function)
{
    (void)function;
    return CNET_OK;
}

/* ------------------------------------------------------------ contexts */

void cnet__tls_context_release(cnet_ssl_context *c)
{
    if (c == NULL || atomic_fetch_sub(&c->refs, 1) != 1)
        return;
    SSL_CTX_free(c->ctx);
    cnet__tls_features_free(c);
    free(c->alpn);
    free(c);
}

bool cnet_tls_available(void)
{
    return true;
}

void cnet_ssl_context_free(cnet_ssl_context *context)
{
    cnet__tls_context_release(context);
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
        return cnet__tls_fail_msg(CNET_ETLS, fn, "cannot set the minimum TLS version", NULL);
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
    /* An end of stream without close_notify must stay an error (truncation),
     * whatever the system's openssl.cnf says. */
    SSL_CTX_clear_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_AUTO_RETRY);
    /* Fewer, larger reads from the edge; cnet__tls_pending sees the bytes. */
    SSL_CTX_set_read_ahead(ctx, 1);
    if (!SSL_CTX_set_cipher_list(ctx, o->cipher_list ? o->cipher_list : CIPHERS_INTERMEDIATE))
        return cnet__tls_fail_msg(CNET_EINVAL, fn, "no usable cipher in cipher_list", o->cipher_list);
    if (!SSL_CTX_set_ciphersuites(ctx, o->ciphersuites ? o->ciphersuites : CIPHERSUITES_MODERN))
        return cnet__tls_fail_msg(CNET_EINVAL, fn, "no usable suite in ciphersuites", o->ciphersuites);
    if (o->cipher_list == NULL && SSL_CTX_get_security_level(ctx) < 2)
        SSL_CTX_set_security_level(ctx, 2); /* RSA/DH >= 2048 bits, no SHA-1 signatures */
    if (o->cert_file != NULL) {
        const char *key = o->key_file ? o->key_file : o->cert_file;
        if (SSL_CTX_use_certificate_chain_file(ctx, o->cert_file) != 1)
            return cnet__tls_fail_msg(CNET_ETLS_FILE, fn, "cannot load the certificate chain", o->cert_file);
        if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
            /* OpenSSL compares the key with the loaded certificate already
             * here: a key that loads but does not match fails the same call. */
            unsigned long e = ERR_peek_last_error();
            bool mismatch = ERR_GET_LIB(e) == ERR_LIB_X509 && ERR_GET_REASON(e) == X509_R_KEY_VALUES_MISMATCH;
            ERR_clear_error();
            return cnet__tls_fail_msg(CNET_ETLS_FILE, fn,
                                      mismatch ? "the private key does not match the certificate"
                                               : "cannot load the private key (not a PEM private key?)",
                                      key);
        }
        if (SSL_CTX_check_private_key(ctx) != 1)
            return cnet__tls_fail_msg(CNET_ETLS_FILE, fn, "the private key does not match the certificate", key);
    } else if (o->key_file != NULL) {
        return cnet__tls_fail_msg(CNET_EINVAL, fn, "key_file needs cert_file", NULL);
    }
    c->verify_mode = o->verify_mode;
    if (o->verify_mode == CNET_VERIFY_NONE) {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
        return CNET_OK;
    }
    if (o->ca_file != NULL || o->ca_dir != NULL) {
        if (SSL_CTX_load_verify_locations(ctx, o->ca_file, o->ca_dir) != 1)
            return cnet__tls_fail_msg(CNET_ETLS_FILE, fn, "cannot load the CA file or directory",
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
        cnet__tls_context_release(c);
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

/* The identity of a PSK handshake, kept in the session (the SSL's app data)
 * for cnet_socket_get_psk_identity. */
static void record_psk_identity(SSL *ssl, const char *identity)
{
    cnet__tls *t = SSL_get_app_data(ssl);
    if (t != NULL)
        snprintf(t->psk_identity, sizeof t->psk_identity, "%s", identity);
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
    record_psk_identity(ssl, identity);
    return (unsigned)len;
}

static unsigned psk_server_trampoline(SSL *ssl, const char *identity, unsigned char *psk, unsigned max_psk_len)
{
    cnet_ssl_context *c = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
    size_t len = 0;
    if (c == NULL || c->psk_server == NULL || !c->psk_server(c, identity ? identity : "", psk, max_psk_len, &len) ||
        len > max_psk_len)
        return 0;
    record_psk_identity(ssl, identity ? identity : "");
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

cnet_err cnet__ssl_context_get_psk_client_callback(cnet_ssl_context *context, cnet_ssl_client_psk_func *out)
{
    *out = context->psk_client;
    return CNET_OK;
}

cnet_err cnet__ssl_context_get_psk_server_callback(cnet_ssl_context *context, cnet_ssl_server_psk_func *out)
{
    *out = context->psk_server;
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
                return cnet__tls_fail_msg(CNET_EINVAL, fn, "each protocol name needs 1 to 255 bytes", protocols);
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
            return cnet__tls_fail_msg(CNET_EINVAL, fn, "OpenSSL refused the list", protocols);
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

/* ------------------------------------------- memory mode (async_tls.c) */

cnet_err cnet__tls_x509_code(long result)
{
    switch (result) {
    case X509_V_ERR_APPLICATION_VERIFICATION: /* the pins' check (tls_features.c) */
        return CNET_ETLS_PIN;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
    case X509_V_ERR_EMAIL_MISMATCH:
        return CNET_ETLS_HOSTNAME;
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return CNET_ETLS_EXPIRED;
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_CERT_UNTRUSTED:
        return CNET_ETLS_UNTRUSTED;
    default:
        return CNET_ETLS_VERIFY;
    }
}

cnet_ssl_context *cnet__tls_context(const cnet__tls *tls)
{
    return tls->context;
}

bool cnet__tls_mem_shutdown(cnet__tls *tls)
{
    if (!tls->done || tls->failed != CNET_OK || (SSL_get_shutdown(tls->ssl) & SSL_SENT_SHUTDOWN))
        return false;
    ERR_clear_error();
    SSL_shutdown(tls->ssl); /* one way: the peer's close_notify is read as the end of the stream */
    ERR_clear_error();
    return true;
}

cnet_err cnet__tls_verify_code(const cnet__tls *tls)
{
    X509 *peer = SSL_get0_peer_certificate(tls->ssl);
    long vr = SSL_get_verify_result(tls->ssl);
    if (peer == NULL || tls->context->verify_mode == CNET_VERIFY_NONE)
        return CNET_ETLS_VERIFY;
    return vr == X509_V_OK ? CNET_OK : cnet__tls_x509_code(vr);
}
