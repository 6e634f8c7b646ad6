/* generated from spec/errors.yaml, spec/tls.yaml by codegen/templates/api.c.j2 - do not edit; regenerate with `make regen` */
/*
 * The API layer of module "tls": each public function checks its
 * arguments once, as the spec declares them, then calls the backend edge
 * (cnet__sys_*) or the shared implementation (cnet__*). A proc whose spec
 * says `hold: <socket parameter>` holds that socket for the call, so that a
 * close from another thread wakes it and cannot release the descriptor
 * under it (src/net_internal.h, "holding a socket"); one that returns
 * another type than cnet_err returns its `closed_returns` value for a NULL
 * or closed socket. One that says `side: read` or `side: write` takes that
 * side of the socket for the call: a second thread on the same side gets
 * CNET_EBUSY (src/net_internal.h, "the sides of a socket"), with its
 * one-value out parameters zeroed (or set to their `on_error` value) as the
 * implementations set them on their own errors.
 */
#include "backend.h"

cnet_err cnet_ssl_context_new(const cnet_ssl_options *options, cnet_ssl_context **out)
{
    if (out != NULL)
        *out = NULL;
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_ssl_context_new: argument 'out' must not be NULL");
    return cnet__ssl_context_new(options, out);
}

cnet_err cnet_ssl_context_set_session_id_context(cnet_ssl_context *context, const void *id, size_t size)
{
    if (context == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_ssl_context_set_session_id_context: argument 'context' must not be NULL");
    if (id == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_ssl_context_set_session_id_context: argument 'id' must not be NULL");
    if (size > 32)
        return cnet__fail(CNET_EINVAL, "cnet_ssl_context_set_session_id_context: argument 'size' must be <= 32");
    return cnet__ssl_context_set_session_id_context(context, id, size);
}

cnet_err cnet_ssl_context_set_psk_client_callback(cnet_ssl_context *context, cnet_ssl_client_psk_func callback)
{
    if (context == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_ssl_context_set_psk_client_callback: argument 'context' must not be NULL");
    return cnet__ssl_context_set_psk_client_callback(context, callback);
}

cnet_err cnet_ssl_context_set_psk_server_callback(cnet_ssl_context *context, cnet_ssl_server_psk_func callback)
{
    if (context == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_ssl_context_set_psk_server_callback: argument 'context' must not be NULL");
    return cnet__ssl_context_set_psk_server_callback(context, callback);
}

cnet_err cnet_ssl_context_get_psk_client_callback(cnet_ssl_context *context, cnet_ssl_client_psk_func *out)
{
    if (context == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_ssl_context_get_psk_client_callback: argument 'context' must not be NULL");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_ssl_context_get_psk_client_callback: argument 'out' must not be NULL");
    return cnet__ssl_context_get_psk_client_callback(context, out);
}

cnet_err cnet_ssl_context_get_psk_server_callback(cnet_ssl_context *context, cnet_ssl_server_psk_func *out)
{
    if (context == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_ssl_context_get_psk_server_callback: argument 'context' must not be NULL");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_ssl_context_get_psk_server_callback: argument 'out' must not be NULL");
    return cnet__ssl_context_get_psk_server_callback(context, out);
}

cnet_err cnet_ssl_context_set_psk_identity_hint(cnet_ssl_context *context, const char *hint)
{
    if (context == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_ssl_context_set_psk_identity_hint: argument 'context' must not be NULL");
    return cnet__ssl_context_set_psk_identity_hint(context, hint);
}

cnet_err cnet_ssl_context_get_extra_data(cnet_ssl_context *context, int index, void **out)
{
    if (out != NULL)
        *out = NULL;
    if (context == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_ssl_context_get_extra_data: argument 'context' must not be NULL");
    if (index < 0)
        return cnet__fail(CNET_EINVAL, "cnet_ssl_context_get_extra_data: argument 'index' must be >= 0");
    if (index > 15)
        return cnet__fail(CNET_EINVAL, "cnet_ssl_context_get_extra_data: argument 'index' must be <= 15");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_ssl_context_get_extra_data: argument 'out' must not be NULL");
    return cnet__ssl_context_get_extra_data(context, index, out);
}

cnet_err cnet_ssl_context_set_extra_data(cnet_ssl_context *context, int index, void *data)
{
    if (context == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_ssl_context_set_extra_data: argument 'context' must not be NULL");
    if (index < 0)
        return cnet__fail(CNET_EINVAL, "cnet_ssl_context_set_extra_data: argument 'index' must be >= 0");
    if (index > 15)
        return cnet__fail(CNET_EINVAL, "cnet_ssl_context_set_extra_data: argument 'index' must be <= 15");
    return cnet__ssl_context_set_extra_data(context, index, data);
}

cnet_err cnet_ssl_context_set_alpn_protocols(cnet_ssl_context *context, const char *protocols)
{
    if (context == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_ssl_context_set_alpn_protocols: argument 'context' must not be NULL");
    return cnet__ssl_context_set_alpn_protocols(context, protocols);
}

cnet_err cnet_ssl_context_add_pinned_key(cnet_ssl_context *context, const char *pin)
{
    if (context == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_ssl_context_add_pinned_key: argument 'context' must not be NULL");
    if (pin == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_ssl_context_add_pinned_key: argument 'pin' must not be NULL");
    return cnet__ssl_context_add_pinned_key(context, pin);
}

cnet_err cnet_ssl_context_set_sni_callback(cnet_ssl_context *context, cnet_ssl_sni_func callback)
{
    if (context == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_ssl_context_set_sni_callback: argument 'context' must not be NULL");
    return cnet__ssl_context_set_sni_callback(context, callback);
}

cnet_err cnet_ssl_context_set_session_cache(cnet_ssl_context *context, size_t max_sessions)
{
    if (context == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_ssl_context_set_session_cache: argument 'context' must not be NULL");
    return cnet__ssl_context_set_session_cache(context, max_sessions);
}

cnet_err cnet_socket_wrap(cnet_ssl_context *context, cnet_socket *socket)
{
    if (context == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_wrap: argument 'context' must not be NULL");
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_wrap: argument 'socket' must not be NULL");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_wrap");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(socket, "cnet_socket_wrap", cnet__socket_wrap(context, socket));
}

cnet_err cnet_socket_wrap_connected(cnet_ssl_context *context, cnet_socket *socket, cnet_ssl_handshake_type handshake, const char *hostname)
{
    if (context == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_wrap_connected: argument 'context' must not be NULL");
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_wrap_connected: argument 'socket' must not be NULL");
    if (!cnet__ssl_handshake_type_is_valid(handshake))
        return cnet__fail(CNET_EINVAL, "cnet_socket_wrap_connected: argument 'handshake' is not a valid cnet_ssl_handshake_type value");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_wrap_connected");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(socket, "cnet_socket_wrap_connected", cnet__socket_wrap_connected(context, socket, handshake, hostname));
}

cnet_err cnet_socket_set_server_name(cnet_socket *socket, const char *name)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_set_server_name: argument 'socket' must not be NULL");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_set_server_name");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(socket, "cnet_socket_set_server_name", cnet__socket_set_server_name(socket, name));
}

void *cnet_socket_ssl_handle(const cnet_socket *socket)
{
    if (socket == NULL || !cnet__socket_try_hold(socket))
        return NULL;
    void *result = cnet__socket_ssl_handle(socket);
    cnet__socket_let_go(socket);
    return result;
}

cnet_err cnet_socket_got_handshake(cnet_socket *socket, bool *out)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_got_handshake: argument 'socket' must not be NULL");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_got_handshake: argument 'out' must not be NULL");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_got_handshake");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(socket, "cnet_socket_got_handshake", cnet__socket_got_handshake(socket, out));
}

cnet_err cnet_socket_get_peer_certificates(cnet_socket *socket, cnet_cert_format format, cnet_certificate_list *out)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_get_peer_certificates: argument 'socket' must not be NULL");
    if (!cnet__cert_format_is_valid(format))
        return cnet__fail(CNET_EINVAL, "cnet_socket_get_peer_certificates: argument 'format' is not a valid cnet_cert_format value");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_get_peer_certificates: argument 'out' must not be NULL");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_get_peer_certificates");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(socket, "cnet_socket_get_peer_certificates", cnet__socket_get_peer_certificates(socket, format, out));
}

cnet_err cnet_socket_get_psk_identity(cnet_socket *socket, char *identity, size_t size)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_get_psk_identity: argument 'socket' must not be NULL");
    if (identity == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_get_psk_identity: argument 'identity' must not be NULL");
    if (size < 1)
        return cnet__fail(CNET_EINVAL, "cnet_socket_get_psk_identity: argument 'size' must be >= 1");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_get_psk_identity");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(socket, "cnet_socket_get_psk_identity", cnet__socket_get_psk_identity(socket, identity, size));
}

cnet_err cnet_socket_tls_session_reused(cnet_socket *socket, bool *out)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_tls_session_reused: argument 'socket' must not be NULL");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_tls_session_reused: argument 'out' must not be NULL");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_tls_session_reused");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(socket, "cnet_socket_tls_session_reused", cnet__socket_tls_session_reused(socket, out));
}

cnet_err cnet_socket_get_alpn_protocol(cnet_socket *socket, char *protocol, size_t size)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_get_alpn_protocol: argument 'socket' must not be NULL");
    if (protocol == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_get_alpn_protocol: argument 'protocol' must not be NULL");
    if (size < 1)
        return cnet__fail(CNET_EINVAL, "cnet_socket_get_alpn_protocol: argument 'size' must be >= 1");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_get_alpn_protocol");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(socket, "cnet_socket_get_alpn_protocol", cnet__socket_get_alpn_protocol(socket, protocol, size));
}
