/*
 * How a socket's stream bytes travel: plain, through the backend's edge, or
 * through a TLS session (tls_session.h). The stream code (net_stream.c,
 * net_frame.c, net_socket.c) calls only these; a plain socket pays one
 * predictable branch, no indirect call, so the edge inlines into the data
 * path under LTO as before.
 */
#ifndef CNET__TRANSPORT_H
#define CNET__TRANSPORT_H

#include "internal.h"
#include "tls_session.h"

typedef struct {
    cnet_socket_handle fd;
    cnet__tls *tls; /* NULL: plain */
} cnet__transport;

/* One receive (TLS: one SSL_read); 0 bytes at the end of the stream. */
static inline cnet_err cnet__transport_recv(const cnet__transport *t, void *data, size_t size, bool peek,
                                            int64_t deadline, size_t *n)
{
    return t->tls != NULL ? cnet__tls_read(t->tls, data, size, peek, deadline, n)
                          : cnet__sys_recv(t->fd, data, size, peek, deadline, n);
}

/* One send (TLS: all of it, record by record). */
static inline cnet_err cnet__transport_send(const cnet__transport *t, const void *data, size_t size,
                                            int64_t deadline, size_t *n)
{
    return t->tls != NULL ? cnet__tls_write(t->tls, data, size, deadline, n)
                          : cnet__sys_send(t->fd, data, size, deadline, n);
}

/* a then b in one gathering send where the transport has one; *n counts the
 * bytes of both that went out, and the caller finishes the rest. */
static inline cnet_err cnet__transport_send2(const cnet__transport *t, const void *a, size_t na, const void *b,
                                             size_t nb, int64_t deadline, size_t *n)
{
    return t->tls != NULL ? cnet__tls_write2(t->tls, a, na, b, nb, deadline, n)
                          : cnet__sys_sendv2(t->fd, a, na, b, nb, deadline, n);
}

/* Received bytes waiting above the OS (TLS records OpenSSL decrypted). */
static inline bool cnet__transport_pending(const cnet__transport *t)
{
    return t->tls != NULL && cnet__tls_pending(t->tls);
}

/* The transport's own end of writing before the socket's shutdown(2): TLS
 * sends close_notify so the peer sees a clean end; plain has none. */
static inline cnet_err cnet__transport_shutdown_write(const cnet__transport *t, int64_t deadline)
{
    return t->tls != NULL ? cnet__tls_shutdown_write(t->tls, deadline) : CNET_OK;
}

/* End the session (close_notify first, skipped after a fatal error, by the
 * deadline) and close the descriptor. */
/* Close: TLS sends close_notify by the deadline first, unless abort (the
 * descriptor will send a reset: nothing more goes out). */
static inline cnet_err cnet__transport_close(cnet__transport *t, int64_t deadline, bool abort)
{
    if (t->tls != NULL) {
        if (abort)
            cnet__tls_free(t->tls); /* no close_notify */
        else
            cnet__tls_close(t->tls, deadline);
        t->tls = NULL;
    }
    cnet_socket_handle fd = t->fd;
    t->fd = CNET_INVALID_SOCKET;
    return cnet__sys_close(fd);
}

#endif /* CNET__TRANSPORT_H */
