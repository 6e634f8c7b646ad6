/*
 * A TLS session over one descriptor (tls_session.c, OpenSSL): what the
 * socket side (transport.h, net_tls.c, net_connect.c) asks of TLS. Nothing
 * here knows a cnet_socket: TLS calls no function of the net layer, and the
 * net layer never sees OpenSSL. Built without TLS (tls_disabled.c) every
 * call fails with CNET_ENOTSUP, and no socket ever gets a session.
 */
#ifndef CNET__TLS_SESSION_H
#define CNET__TLS_SESSION_H

#include "internal.h"

typedef struct cnet__tls cnet__tls;

/* CNET_OK when cnet was built with TLS; otherwise CNET_ENOTSUP with
 * "FUNCTION: cnet was built without TLS (OpenSSL)". */
cnet_err cnet__tls_require_built(const char *function);

/* A new client-side session of context for fd (no handshake yet). */
cnet_err cnet__tls_new(cnet_ssl_context *context, cnet_socket_handle fd, cnet__tls **out);

/* Release a session at once (no close_notify). */
void cnet__tls_free(cnet__tls *tls);

/* ------------------------------------------------------- handshakes */

/* The client's checks and names before its handshake (cnet__tls_connect's
 * first half): the CA store, the name to verify, SNI; client state. */
cnet_err cnet__tls_prepare_client(cnet__tls *tls, const char *address, const char *function);

/* Take the server side (verification of clients as the context says). */
void cnet__tls_server_mode(cnet__tls *tls);

/* The client handshake: verifies `address` unless a server name was set
 * (NULL: none, for AF_UNIX). function names the caller in messages. */
cnet_err cnet__tls_connect(cnet__tls *tls, const char *address, int64_t deadline, const char *function);

/* The server handshake on this session. */
cnet_err cnet__tls_handshake_as_server(cnet__tls *tls, int64_t deadline, const char *function);

/* A new session sharing the listener's context for an accepted fd, with the
 * server handshake done; *out stays NULL on failure. */
cnet_err cnet__tls_accept(const cnet__tls *listener, cnet_socket_handle fd, int64_t deadline, cnet__tls **out);

bool cnet__tls_started(const cnet__tls *tls); /* the handshake began */
bool cnet__tls_done(const cnet__tls *tls);    /* the handshake completed */
bool cnet__tls_session_reused(const cnet__tls *tls); /* ...by resuming a session (tls_features.c) */

/* ------------------------------------------------------------ data */

/* One SSL_read (or SSL_peek) by the deadline; 0 bytes after close_notify. */
cnet_err cnet__tls_read(cnet__tls *tls, void *data, size_t size, bool peek, int64_t deadline, size_t *received);

/* SSL_write of everything by the deadline; *sent counts whole records sent. */
cnet_err cnet__tls_write(cnet__tls *tls, const void *data, size_t size, int64_t deadline, size_t *sent);

/* TLS has no gathering write: a small a+b goes out as one record (all of it,
 * or an error); a large one sends nothing (*sent 0) and the caller sends
 * the parts one after the other. */
cnet_err cnet__tls_write2(cnet__tls *tls, const void *a, size_t na, const void *b, size_t nb, int64_t deadline,
                          size_t *sent);

/* Whether OpenSSL holds received bytes (a read may not need the OS). */
bool cnet__tls_pending(const cnet__tls *tls);

/* The write half-close of TLS: send close_notify (reading goes on). */
cnet_err cnet__tls_shutdown_write(cnet__tls *tls, int64_t deadline);

/* Send close_notify when the session is healthy (one way, by the deadline),
 * then release everything. */
void cnet__tls_close(cnet__tls *tls, int64_t deadline);


/* ----------------------------------------------------------- queries */

/* The name to verify and send as SNI instead of the connect address (NULL:
 * none); CNET_EINVAL once the handshake began. */
cnet_err cnet__tls_set_server_name(cnet__tls *tls, const char *name, const char *function);

/* The peer's verified chain (empty when it was not verified). */
cnet_err cnet__tls_peer_certificates(cnet__tls *tls, cnet_cert_format format, cnet_certificate_list *out,
                                     const char *function);

/* The negotiated ALPN protocol ("" for none) into protocol[size]. */
cnet_err cnet__tls_alpn_protocol(cnet__tls *tls, char *protocol, size_t size, const char *function);

/* The PSK identity of the connection ("" for none) into identity[size]. */
cnet_err cnet__tls_psk_identity(cnet__tls *tls, char *identity, size_t size, const char *function);

/* --------------------------------------- memory mode (async_tls.c) */
/*
 * No descriptor (tls_mem.c): the peer's records go in with
 * cnet__tls_mem_feed (borrowed: call cnet__tls_mem_keep before the bytes go
 * away, which keeps what OpenSSL did not read), the records to send come
 * out with cnet__tls_mem_out_take, and no call ever waits. The step calls return CNET_EWOULDBLOCK (not latched, no message)
 * when OpenSSL needs more of the peer's records; other errors are latched
 * and mapped as in the blocking calls (truncation is CNET_ETLS_TRUNCATED).
 */
cnet_err cnet__tls_new_mem(cnet_ssl_context *context, bool server, cnet__tls **out);
cnet_ssl_context *cnet__tls_context(const cnet__tls *tls);
/* size 0: the TCP end of stream. */
cnet_err cnet__tls_mem_feed(cnet__tls *tls, const void *data, size_t size);
cnet_err cnet__tls_mem_keep(cnet__tls *tls);
size_t cnet__tls_mem_out_pending(const cnet__tls *tls);
/* The buffer of records to send, handed over whole (NULL when empty); give
 * it back when sent, for reuse. */
unsigned char *cnet__tls_mem_out_take(cnet__tls *tls, size_t *len, size_t *cap);
void cnet__tls_mem_out_give(cnet__tls *tls, unsigned char *buf, size_t cap);
cnet_err cnet__tls_mem_handshake(cnet__tls *tls, const char *function);
/* CNET_OK with *n 0: close_notify came (the clean end). */
cnet_err cnet__tls_mem_read(cnet__tls *tls, void *buf, size_t size, size_t *n, const char *function);
cnet_err cnet__tls_mem_write(cnet__tls *tls, const void *buf, size_t size, size_t *n, const char *function);
/* Queue close_notify once on a healthy session; false when it was not. */
bool cnet__tls_mem_shutdown(cnet__tls *tls);
/* CNET_OK when the peer's certificate verified; else the verification's
 * code (CNET_ETLS_VERIFY: none was sent, or verification was off). */
cnet_err cnet__tls_verify_code(const cnet__tls *tls);

/* OpenSSL's SSL object (NULL without TLS). */
void *cnet__tls_ssl(const cnet__tls *tls);

#endif /* CNET__TLS_SESSION_H */
