/*
 * The inside of cnet's OpenSSL code, shared by tls_context.c (contexts) and
 * tls_session.c (sessions) only; the rest of cnet sees tls_session.h.
 */
#ifndef CNET__TLS_OPENSSL_H
#define CNET__TLS_OPENSSL_H

#include <pthread.h>
#include <stdatomic.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/ssl.h>

#include "tls_session.h"

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
    /* tls_features.c: pinned keys (SHA-256 of SubjectPublicKeyInfo), the
     * SNI callback, the client session cache (under cache_lock). */
    unsigned char (*pins)[32];
    size_t pin_count;
    cnet_ssl_sni_func sni;
    struct cnet__session_cache *sessions;
    CRYPTO_RWLOCK *cache_lock;
};

struct cnet__tls {
    cnet_ssl_context *context;
    SSL *ssl;
    cnet_socket_handle fd;
    /* Descriptor mode (tls_session.c): every SSL_* call holds `lock`, and
     * nothing under it waits; `waiting` counts the threads that want it. */
    pthread_mutex_t lock;
    bool locked_init;
    atomic_uint waiting;
    unsigned char *q;        /* records produced but not yet taken by the socket, in order */
    size_t q_pos, q_len, q_cap;
    cnet_err io_err;         /* what the edge reported during the current SSL_* call */
    bool eof;                /* the edge saw the end of the TCP stream */
    bool mem;                /* memory mode (tls_mem.c): no descriptor */
    const unsigned char *in; /* memory mode: the peer's bytes, borrowed during a feed */
    size_t in_len;
    unsigned char *keep;     /* ...and what OpenSSL left unread, kept */
    size_t keep_pos, keep_len, keep_cap;
    unsigned char *out;      /* the records to send */
    size_t out_len, out_cap;
    bool started;            /* the handshake began */
    bool done;               /* the handshake completed */
    cnet_err failed;         /* a fatal error: the session must not be used again */
    char *server_name;       /* the name to verify instead of the connect address */
    char *resume_name;       /* the client session cache's key (tls_features.c) */
    /* The PSK identity the callback of tls_context.c sent (client) or
     * accepted (server), "" for none: in TLS 1.3 SSL_get_psk_identity has
     * none. The SSL's app data is this session. */
    char psk_identity[CNET_PSK_IDENTITY_MAX];
};

/* Sets "FUNCTION: WHAT[: DETAIL]" as the thread's error and returns err. */
cnet_err cnet__tls_fail_msg(cnet_err err, const char *function, const char *what, const char *detail);

/* tls_features.c: offer the cached session of name before a client
 * handshake (and remember name for the sessions the server sends); free a
 * context's pins and sessions. */
cnet_err cnet__tls_resume_prepare(cnet__tls *t, const char *name);
void cnet__tls_features_free(cnet_ssl_context *c);

/* tls_mem.c: the BIO of a memory-mode session (NULL: no memory), and the
 * release of its buffers. */
BIO *cnet__tls_mem_bio(cnet__tls *t);
void cnet__tls_mem_release(cnet__tls *t);

/* A source/sink BIO method with the given write, read and ctrl (the edge
 * BIO of tls_session.c, the memory BIO of tls_mem.c), or NULL. */
static inline BIO_METHOD *cnet__tls_bio_method(const char *name, int (*write)(BIO *, const char *, size_t, size_t *),
                                               int (*read)(BIO *, char *, size_t, size_t *),
                                               long (*ctrl)(BIO *, int, long, void *))
{
    BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, name);
    if (m != NULL && BIO_meth_set_write_ex(m, write) && BIO_meth_set_read_ex(m, read) && BIO_meth_set_ctrl(m, ctrl))
        return m;
    BIO_meth_free(m);
    return NULL;
}

/* tls_errors.c: the error of a failed SSL_* call (SSL_get_error of ret),
 * latched on the session when fatal; a would-block or timeout of the edge
 * is returned as the edge reported it. And the error of a call on a session
 * that failed earlier. */
cnet_err cnet__tls_fail(cnet__tls *t, int ret, const char *function);
cnet_err cnet__tls_refail(const cnet__tls *t, const char *function);

/* The cnet code of an X.509 verification result (tls_context.c). */
cnet_err cnet__tls_x509_code(long result);

/* Drop one reference to a context (a session's, or the caller's). */
void cnet__tls_context_release(cnet_ssl_context *c);

#endif /* CNET__TLS_OPENSSL_H */
