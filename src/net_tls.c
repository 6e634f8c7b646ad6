/*
 * The TLS procs of a socket (module tls): wrap a socket in a session, set
 * the name to verify, and ask the session about its handshake, the peer's
 * certificates and ALPN. The session itself (tls_session.h) never sees the
 * socket: this file hands it the descriptor and records its errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"

/* Checks that TLS is built and the socket can become TLS: open, a stream,
 * no buffered plaintext (bytes read before the handshake must never pass
 * as protected). */
static cnet_err can_wrap(cnet_socket *socket, const char *function)
{
    cnet_err err = cnet__tls_require_built(function);
    if (err != CNET_OK)
        return err;
    CNET__CHECK_OPEN(socket, function);
    char msg[160];
    if (socket->type != CNET_SOCK_STREAM) {
        snprintf(msg, sizeof msg, "%s: TLS needs a stream socket", function);
        return cnet__sock_fail(socket, cnet__fail(CNET_EINVAL, msg));
    }
    if (socket->pos < socket->len) {
        snprintf(msg, sizeof msg, "%s: the socket holds buffered plaintext bytes", function);
        return cnet__sock_fail(socket, cnet__fail(CNET_EINVAL, msg));
    }
    return CNET_OK;
}

static cnet_err recorded(cnet_socket *socket, cnet_err err)
{
    return err == CNET_OK ? CNET_OK : cnet__sock_fail(socket, err);
}

cnet_err cnet__socket_wrap(cnet_ssl_context *context, cnet_socket *socket)
{
    cnet_err err = can_wrap(socket, "cnet_socket_wrap");
    if (err != CNET_OK)
        return err;
    if (socket->io.tls != NULL)
        return recorded(socket, cnet__fail(CNET_EINVAL, "cnet_socket_wrap: the socket is already TLS"));
    return recorded(socket, cnet__tls_new(context, socket->io.fd, &socket->io.tls));
}

cnet_err cnet__socket_wrap_connected(cnet_ssl_context *context, cnet_socket *socket,
                                     cnet_ssl_handshake_type handshake_type, const char *hostname)
{
    const char *fn = "cnet_socket_wrap_connected";
    cnet_err err = can_wrap(socket, fn);
    if (err != CNET_OK)
        return err;
    if (socket->io.tls != NULL && cnet__tls_started(socket->io.tls))
        return recorded(socket, cnet__fail(CNET_EINVAL, "cnet_socket_wrap_connected: the socket is already TLS"));
    if (socket->io.tls == NULL) {
        err = cnet__tls_new(context, socket->io.fd, &socket->io.tls);
        if (err != CNET_OK)
            return recorded(socket, err);
    }
    int64_t deadline = cnet__deadline_after(socket->timeout);
    if (handshake_type == CNET_HANDSHAKE_AS_SERVER)
        err = cnet__tls_handshake_as_server(socket->io.tls, deadline, fn);
    else
        err = cnet__tls_connect(socket->io.tls, hostname, deadline, fn);
    return recorded(socket, err);
}

/* The TLS session of a socket for the query procs. */
static cnet_err tls_of(cnet_socket *socket, const char *function, cnet__tls **out)
{
    *out = NULL;
    cnet_err err = cnet__tls_require_built(function);
    if (err != CNET_OK)
        return err;
    CNET__CHECK_OPEN(socket, function);
    if (socket->io.tls == NULL) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s: not a TLS socket", function);
        return recorded(socket, cnet__fail(CNET_ETLS_NOT_TLS, msg));
    }
    *out = socket->io.tls;
    return CNET_OK;
}

cnet_err cnet__socket_set_server_name(cnet_socket *socket, const char *name)
{
    const char *fn = "cnet_socket_set_server_name";
    cnet__tls *t;
    cnet_err err = tls_of(socket, fn, &t);
    return err != CNET_OK ? err : recorded(socket, cnet__tls_set_server_name(t, name, fn));
}

/* Held by the API layer (spec: closed_returns), so the session stays. */
void *cnet__socket_ssl_handle(const cnet_socket *socket)
{
    return socket->io.tls == NULL ? NULL : cnet__tls_ssl(socket->io.tls);
}

cnet_err cnet__socket_got_handshake(cnet_socket *socket, bool *out)
{
    cnet__tls *t;
    cnet_err err = tls_of(socket, "cnet_socket_got_handshake", &t);
    if (err == CNET_OK)
        *out = cnet__tls_done(t);
    return err;
}

cnet_err cnet__socket_get_peer_certificates(cnet_socket *socket, cnet_cert_format format, cnet_certificate_list *out)
{
    const char *fn = "cnet_socket_get_peer_certificates";
    out->count = 0;
    out->items = NULL;
    cnet__tls *t;
    cnet_err err = tls_of(socket, fn, &t);
    return err != CNET_OK ? err : recorded(socket, cnet__tls_peer_certificates(t, format, out, fn));
}

cnet_err cnet__socket_get_psk_identity(cnet_socket *socket, char *identity, size_t size)
{
    const char *fn = "cnet_socket_get_psk_identity";
    cnet__tls *t;
    identity[0] = '\0';
    cnet_err err = tls_of(socket, fn, &t);
    return err != CNET_OK ? err : recorded(socket, cnet__tls_psk_identity(t, identity, size, fn));
}

cnet_err cnet__socket_tls_session_reused(cnet_socket *socket, bool *out)
{
    *out = false;
    cnet__tls *t;
    cnet_err err = tls_of(socket, "cnet_socket_tls_session_reused", &t);
    if (err == CNET_OK)
        *out = cnet__tls_session_reused(t);
    return err;
}

cnet_err cnet__socket_get_alpn_protocol(cnet_socket *socket, char *protocol, size_t size)
{
    const char *fn = "cnet_socket_get_alpn_protocol";
    cnet__tls *t;
    protocol[0] = '\0';
    cnet_err err = tls_of(socket, fn, &t);
    return err != CNET_OK ? err : recorded(socket, cnet__tls_alpn_protocol(t, protocol, size, fn));
}
