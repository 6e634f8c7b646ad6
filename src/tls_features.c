/*
 * What a TLS context adds on top of verification (tls_openssl.h):
 *  - pinned public keys: the SHA-256 of the server's SubjectPublicKeyInfo,
 *    checked by the context's certificate verification callback after the
 *    normal checks, and with verification off too;
 *  - the server's name callback (SNI), which swaps in the certificate of
 *    another context;
 *  - the client's session cache: one session per server name, offered by
 *    the next handshake to that name (resumption).
 * This file uses no other TLS file's functions: tls_context.c frees what is
 * kept here, tls_session.c asks for a session before a client handshake and
 * maps the pin failure (X509_V_ERR_APPLICATION_VERIFICATION).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "tls_openssl.h"

#define MAX_SESSIONS 4096
#define MAX_PINS 4096
#define PIN_PREFIX "sha256//"

/* ------------------------------------------------------------- pins */

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* "sha256//" + 44 base64 characters, or 64 hex digits: the 32 bytes. */
static bool parse_pin(const char *pin, unsigned char out[32])
{
    size_t n = strlen(pin);
    if (n == 64) {
        for (size_t i = 0; i < 32; i++) {
            int hi = hex_value(pin[2 * i]), lo = hex_value(pin[2 * i + 1]);
            if (hi < 0 || lo < 0)
                return false;
            out[i] = (unsigned char)(hi << 4 | lo);
        }
        return true;
    }
    size_t p = sizeof PIN_PREFIX - 1;
    if (n != p + 44 || strncmp(pin, PIN_PREFIX, p) != 0 || pin[n - 1] != '=' || pin[n - 2] == '=')
        return false;
    for (size_t i = p; i < n - 1; i++) {
        char c = pin[i];
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
        if (!ok)
            return false;
    }
    unsigned char raw[36];
    /* 44 characters decode to 33 bytes, the last one the padding's zero. */
    if (EVP_DecodeBlock(raw, (const unsigned char *)pin + p, 44) != 33)
        return false;
    memcpy(out, raw, 32);
    return true;
}

/* The SHA-256 of a certificate's SubjectPublicKeyInfo (DER). */
static bool spki_sha256(X509 *cert, unsigned char out[32])
{
    unsigned char *der = NULL;
    int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
    if (len <= 0)
        return false;
    unsigned int md_len = 0;
    bool ok = EVP_Digest(der, (size_t)len, out, &md_len, EVP_sha256(), NULL) == 1 && md_len == 32;
    OPENSSL_free(der);
    return ok;
}

static bool pin_matches(const cnet_ssl_context *c, X509 *leaf)
{
    unsigned char h[32];
    if (leaf == NULL || !spki_sha256(leaf, h))
        return false;
    for (size_t i = 0; i < c->pin_count; i++)
        if (memcmp(c->pins[i], h, 32) == 0)
            return true;
    return false;
}

/* The context's certificate check: OpenSSL's (unless verification is off),
 * then the pins on a client. A failure aborts the handshake since the
 * context verifies (SSL_VERIFY_PEER) once it has pins. */
static int verify_cert(X509_STORE_CTX *store, void *arg)
{
    const cnet_ssl_context *c = arg;
    int ok = c->verify_mode == CNET_VERIFY_NONE ? 1 : X509_verify_cert(store);
    SSL *ssl = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx());
    if (ok > 0 && c->pin_count > 0 && ssl != NULL && !SSL_is_server(ssl) &&
        !pin_matches(c, X509_STORE_CTX_get0_cert(store))) {
        X509_STORE_CTX_set_error(store, X509_V_ERR_APPLICATION_VERIFICATION);
        ok = 0;
    }
    return ok;
}

cnet_err cnet__ssl_context_add_pinned_key(cnet_ssl_context *context, const char *pin)
{
    unsigned char h[32];
    if (!parse_pin(pin, h))
        return cnet__fail(CNET_EINVAL, "cnet_ssl_context_add_pinned_key: a pin is \"sha256//\" and 44 base64 "
                                       "characters, or 64 hexadecimal digits");
    if (context->pin_count >= MAX_PINS)
        return cnet__fail(CNET_EINVAL, "cnet_ssl_context_add_pinned_key: too many pins (4096)");
    unsigned char(*pins)[32] = realloc(context->pins, (context->pin_count + 1) * sizeof *pins);
    if (pins == NULL)
        return cnet__fail(CNET_ENOMEM, "cnet_ssl_context_add_pinned_key: out of memory");
    memcpy(pins[context->pin_count], h, 32);
    context->pins = pins;
    context->pin_count++;
    SSL_CTX_set_cert_verify_callback(context->ctx, verify_cert, context);
    if (context->verify_mode == CNET_VERIFY_NONE)
        SSL_CTX_set_verify(context->ctx, SSL_VERIFY_PEER, NULL); /* a pin failure must be fatal */
    return CNET_OK;
}

/* -------------------------------------------------------------- SNI */

static int servername(SSL *ssl, int *alert, void *arg)
{
    cnet_ssl_context *c = arg;
    const char *name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    cnet_ssl_sni_func pick_fn = c->sni;
    if (name == NULL || pick_fn == NULL)
        return SSL_TLSEXT_ERR_NOACK;
    cnet_ssl_context *pick = pick_fn(c, name);
    if (pick == NULL || pick == c)
        return SSL_TLSEXT_ERR_OK;
    if (SSL_set_SSL_CTX(ssl, pick->ctx) == NULL) {
        *alert = SSL_AD_INTERNAL_ERROR;
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    }
    return SSL_TLSEXT_ERR_OK;
}

cnet_err cnet__ssl_context_set_sni_callback(cnet_ssl_context *context, cnet_ssl_sni_func callback)
{
    context->sni = callback;
    if (callback != NULL)
        SSL_CTX_set_tlsext_servername_callback(context->ctx, servername);
    else
        SSL_CTX_callback_ctrl(context->ctx, SSL_CTRL_SET_TLSEXT_SERVERNAME_CB, NULL);
    SSL_CTX_set_tlsext_servername_arg(context->ctx, callback ? context : NULL);
    return CNET_OK;
}

/* --------------------------------------------------- session cache */

struct cnet__session_entry {
    char *name;
    SSL_SESSION *session;
    uint64_t stamp;              /* last stored: the oldest goes first */
};

struct cnet__session_cache {
    size_t max, count;
    uint64_t clock;
    struct cnet__session_entry *e;
};

static void cache_clear(struct cnet__session_cache *k)
{
    for (size_t i = 0; i < k->count; i++) {
        free(k->e[i].name);
        SSL_SESSION_free(k->e[i].session);
    }
    k->count = 0;
}

static struct cnet__session_entry *cache_find(struct cnet__session_cache *k, const char *name)
{
    for (size_t i = 0; i < k->count; i++)
        if (strcmp(k->e[i].name, name) == 0)
            return &k->e[i];
    return NULL;
}

/* OpenSSL's word for a new session (a TLS 1.3 ticket, read after the
 * handshake, or a TLS 1.2 session): kept under the name the client
 * verifies. Returns 1: the reference is ours now. */
static int new_session(SSL *ssl, SSL_SESSION *session)
{
    cnet__tls *t = SSL_get_app_data(ssl);
    cnet_ssl_context *c = t != NULL ? t->context : NULL;
    if (c == NULL || t->resume_name == NULL || c->cache_lock == NULL || !SSL_SESSION_is_resumable(session))
        return 0;
    int kept = 0;
    CRYPTO_THREAD_write_lock(c->cache_lock);
    struct cnet__session_cache *k = c->sessions;
    if (k != NULL) {
        struct cnet__session_entry *e = cache_find(k, t->resume_name);
        if (e == NULL && k->count < k->max) {
            char *name = strdup(t->resume_name);
            if (name != NULL) {
                e = &k->e[k->count++];
                e->name = name;
                e->session = NULL;
            }
        } else if (e == NULL) {
            e = &k->e[0]; /* full: the oldest name makes room */
            for (size_t i = 1; i < k->count; i++)
                if (k->e[i].stamp < e->stamp)
                    e = &k->e[i];
            char *name = strdup(t->resume_name);
            if (name != NULL) {
                free(e->name);
                e->name = name;
            } else {
                e = NULL;
            }
        }
        if (e != NULL) {
            SSL_SESSION_free(e->session);
            e->session = session;
            e->stamp = ++k->clock;
            kept = 1;
        }
    }
    CRYPTO_THREAD_unlock(c->cache_lock);
    return kept;
}

cnet_err cnet__ssl_context_set_session_cache(cnet_ssl_context *context, size_t max_sessions)
{
    if (max_sessions > MAX_SESSIONS)
        return cnet__fail(CNET_EINVAL, "cnet_ssl_context_set_session_cache: max_sessions is at most 4096");
    if (context->cache_lock == NULL) {
        if (max_sessions == 0)
            return CNET_OK;
        context->cache_lock = CRYPTO_THREAD_lock_new();
        if (context->cache_lock == NULL)
            return cnet__fail(CNET_ENOMEM, "cnet_ssl_context_set_session_cache: out of memory");
    }
    struct cnet__session_cache *fresh = NULL;
    if (max_sessions > 0) {
        fresh = calloc(1, sizeof *fresh);
        struct cnet__session_entry *e = fresh ? calloc(max_sessions, sizeof *e) : NULL;
        if (e == NULL) {
            free(fresh);
            return cnet__fail(CNET_ENOMEM, "cnet_ssl_context_set_session_cache: out of memory");
        }
        fresh->e = e;
        fresh->max = max_sessions;
    }
    CRYPTO_THREAD_write_lock(context->cache_lock);
    struct cnet__session_cache *old = context->sessions;
    context->sessions = fresh;
    CRYPTO_THREAD_unlock(context->cache_lock);
    if (old != NULL) {
        cache_clear(old);
        free(old->e);
        free(old);
    }
    SSL_CTX_set_session_cache_mode(context->ctx,
                                   fresh ? SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE : SSL_SESS_CACHE_SERVER);
    SSL_CTX_sess_set_new_cb(context->ctx, fresh ? new_session : NULL);
    return CNET_OK;
}

cnet_err cnet__tls_resume_prepare(cnet__tls *t, const char *name)
{
    cnet_ssl_context *c = t->context;
    if (c->cache_lock == NULL || name == NULL || *name == '\0')
        return CNET_OK;
    free(t->resume_name);
    t->resume_name = strdup(name);
    if (t->resume_name == NULL)
        return cnet__fail(CNET_ENOMEM, "TLS: out of memory");
    CRYPTO_THREAD_read_lock(c->cache_lock);
    struct cnet__session_entry *e = c->sessions ? cache_find(c->sessions, name) : NULL;
    if (e != NULL && SSL_SESSION_is_resumable(e->session))
        SSL_set_session(t->ssl, e->session); /* takes its own reference */
    CRYPTO_THREAD_unlock(c->cache_lock);
    ERR_clear_error();
    return CNET_OK;
}

bool cnet__tls_session_reused(const cnet__tls *t)
{
    return t->done && SSL_session_reused(t->ssl) == 1;
}

void cnet__tls_features_free(cnet_ssl_context *c)
{
    free(c->pins);
    if (c->sessions != NULL) {
        cache_clear(c->sessions);
        free(c->sessions->e);
        free(c->sessions);
    }
    CRYPTO_THREAD_lock_free(c->cache_lock);
}
