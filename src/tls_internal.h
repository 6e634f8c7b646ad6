/*
 * The seam between the buffered socket (net.c) and TLS (tls.c). net.c never
 * sees OpenSSL: a socket holds an opaque cnet__tls and calls these functions
 * instead of the edge's recv/send when it is set. Built without TLS, tls.c
 * still defines them (no socket ever gets a cnet__tls then).
 */
#ifndef CNET__TLS_INTERNAL_H
#define CNET__TLS_INTERNAL_H

#include "internal.h"

typedef struct cnet__tls cnet__tls;

/* ---------------------------------------------- implemented in tls.c */

/* One SSL_read (or SSL_peek) by the deadline; 0 bytes after close_notify. */
cnet_err cnet__tls_read(cnet__tls *tls, void *data, size_t size, bool peek, int64_t deadline, size_t *received);

/* SSL_write of everything by the deadline; *sent counts whole records sent. */
cnet_err cnet__tls_write(cnet__tls *tls, const void *data, size_t size, int64_t deadline, size_t *sent);

/* Whether OpenSSL holds received bytes (a read may not need the OS). */
bool cnet__tls_pending(const cnet__tls *tls);

/* The client handshake after connect; address names the peer unless a
 * server name was set (NULL: none, for AF_UNIX). */
cnet_err cnet__tls_connect(cnet__tls *tls, const char *address, int64_t deadline);

/* A new TLS state sharing the listener's context for an accepted fd, with
 * the server handshake done; *out stays NULL on failure. */
cnet_err cnet__tls_accept(const cnet__tls *listener, cnet_socket_handle fd, int64_t deadline, cnet__tls **out);

/* The write half-close of TLS: send close_notify (reading goes on). */
cnet_err cnet__tls_shutdown_write(cnet__tls *tls, int64_t deadline);

/* Send close_notify when the session is healthy (one way, by the deadline),
 * then release everything. */
void cnet__tls_close(cnet__tls *tls, int64_t deadline);

/* ------------------------------------- implemented in net.c for tls.c */

/* Where a socket keeps its TLS state (NULL: plain). */
cnet__tls **cnet__socket_tls_slot(cnet_socket *socket);

/* The TLS state of an open socket, or NULL. */
cnet__tls *cnet__socket_tls(const cnet_socket *socket);

/*
 * Checks that the socket can become TLS (open, a stream, no buffered
 * plaintext) and gives its handle and the deadline of its default timeout.
 */
cnet_err cnet__socket_tls_prepare(cnet_socket *socket, const char *function, cnet_socket_handle *fd,
                                  int64_t *deadline);

/* Records err as the socket's last error and returns it. */
cnet_err cnet__socket_record_error(cnet_socket *socket, cnet_err err);

#endif /* CNET__TLS_INTERNAL_H */
