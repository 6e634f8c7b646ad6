/*
 * TLS when cnet is built without OpenSSL (CNET_HAVE_TLS undefined): the
 * module's API exists and every call reports CNET_ENOTSUP. No socket ever
 * gets a session, so the session calls below are never reached through one.
 */
#include <stdio.h>

#include "tls_session.h"

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

cnet_err cnet__ssl_context_add_pinned_key(cnet_ssl_context *context, const char *pin)
{
    (void)context, (void)pin;
    return not_built("cnet_ssl_context_add_pinned_key");
}

cnet_err cnet__ssl_context_set_sni_callback(cnet_ssl_context *context, cnet_ssl_sni_func callback)
{
    (void)context, (void)callback;
    return not_built("cnet_ssl_context_set_sni_callback");
}

cnet_err cnet__ssl_context_set_session_cache(cnet_ssl_context *context, size_t max_sessions)
{
    (void)context, (void)max_sessions;
    return not_built("cnet_ssl_context_set_session_cache");
}

bool cnet__tls_session_reused(const cnet__tls *tls)
{
    (void)tls;
    return false;
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

cnet_err cnet__ssl_context_get_psk_client_callback(cnet_ssl_context *context, cnet_ssl_client_psk_func *out)
{
    (void)context;
    *out = NULL;
    return not_built("cnet_ssl_context_get_psk_client_callback");
}

cnet_err cnet__ssl_context_get_psk_server_callback(cnet_ssl_context *context, cnet_ssl_server_psk_func *out)
{
    (void)context;
    *out = NULL;
    return not_built("cnet_ssl_context_get_psk_server_callback");
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

cnet_err cnet__tls_require_built(const char *function)
{
    return not_built(function);
}

cnet_err cnet__tls_new(cnet_ssl_context *context, cnet_socket_handle fd, cnet__tls **out)
{
    (void)context, (void)fd;
    *out = NULL;
    return not_built("TLS");
}

cnet_err cnet__tls_connect(cnet__tls *tls, const char *address, int64_t deadline, const char *function)
{
    (void)tls, (void)address, (void)deadline;
    return not_built(function);
}

cnet_err cnet__tls_handshake_as_server(cnet__tls *tls, int64_t deadline, const char *function)
{
    (void)tls, (void)deadline;
    return not_built(function);
}

cnet_err cnet__tls_accept(const cnet__tls *listener, cnet_socket_handle fd, int64_t deadline, cnet__tls **out)
{
    (void)listener, (void)fd, (void)deadline;
    *out = NULL;
    return not_built("cnet_socket_accept");
}

bool cnet__tls_started(const cnet__tls *tls)
{
    (void)tls;
    return false;
}

bool cnet__tls_done(const cnet__tls *tls)
{
    (void)tls;
    return false;
}

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

cnet_err cnet__tls_write2(cnet__tls *tls, const void *a, size_t na, const void *b, size_t nb, int64_t deadline,
                          size_t *sent)
{
    (void)tls, (void)a, (void)na, (void)b, (void)nb, (void)deadline;
    *sent = 0;
    return not_built("send");
}

bool cnet__tls_pending(const cnet__tls *tls)
{
    (void)tls;
    return false;
}

cnet_err cnet__tls_shutdown_write(cnet__tls *tls, int64_t deadline)
{
    (void)tls, (void)deadline;
    return not_built("cnet_socket_shutdown");
}

void cnet__tls_close(cnet__tls *tls, int64_t deadline)
{
    (void)tls, (void)deadline;
}

void cnet__tls_free(cnet__tls *tls)
{
    (void)tls;
}

cnet_err cnet__tls_set_server_name(cnet__tls *tls, const char *name, const char *function)
{
    (void)tls, (void)name;
    return not_built(function);
}

cnet_err cnet__tls_peer_certificates(cnet__tls *tls, cnet_cert_format format, cnet_certificate_list *out,
                                     const char *function)
{
    (void)tls, (void)format, (void)out;
    return not_built(function);
}

cnet_err cnet__tls_alpn_protocol(cnet__tls *tls, char *protocol, size_t size, const char *function)
{
    (void)tls, (void)protocol, (void)size;
    return not_built(function);
}

cnet_err cnet__tls_psk_identity(cnet__tls *tls, char *identity, size_t size, const char *function)
{
    (void)tls, (void)identity, (void)size;
    return not_built(function);
}

void *cnet__tls_ssl(const cnet__tls *tls)
{
    (void)tls;
    return NULL;
}

/* --------------------------------------------- async TLS (spec/async.yaml) */

cnet_err cnet__async_tls_wrap(cnet_ssl_context *context, cnet_async_socket *socket)
{
    (void)context, (void)socket;
    return not_built("cnet_async_tls_wrap");
}

cnet_err cnet__async_tls_wrap_connected(cnet_ssl_context *context, cnet_async_socket *socket,
                                        cnet_ssl_handshake_type handshake, const char *hostname)
{
    (void)context, (void)socket, (void)handshake, (void)hostname;
    return not_built("cnet_async_tls_wrap_connected");
}

cnet_err cnet__async_tls_set_server_name(cnet_async_socket *socket, const char *name)
{
    (void)socket, (void)name;
    return not_built("cnet_async_tls_set_server_name");
}

cnet_err cnet__async_tls_handshake(cnet_async_socket *socket, int timeout, cnet_async_cb cb, void *user,
                                   cnet_async_op **op)
{
    (void)socket, (void)timeout, (void)cb, (void)user, (void)op;
    return not_built("cnet_async_tls_handshake");
}

cnet_err cnet__async_tls_shutdown(cnet_async_socket *socket, int timeout, cnet_async_cb cb, void *user,
                                  cnet_async_op **op)
{
    (void)socket, (void)timeout, (void)cb, (void)user, (void)op;
    return not_built("cnet_async_tls_shutdown");
}

cnet_err cnet__async_tls_got_handshake(cnet_async_socket *socket, bool *out)
{
    (void)socket;
    *out = false;
    return not_built("cnet_async_tls_got_handshake");
}

cnet_err cnet__async_tls_get_verify_result(cnet_async_socket *socket, cnet_err *out)
{
    (void)socket;
    *out = CNET_ENOTSUP;
    return not_built("cnet_async_tls_get_verify_result");
}

cnet_err cnet__async_tls_get_peer_certificates(cnet_async_socket *socket, cnet_cert_format format,
                                               cnet_certificate_list *out)
{
    (void)socket, (void)format;
    out->items = NULL;
    out->count = 0;
    return not_built("cnet_async_tls_get_peer_certificates");
}

cnet_err cnet__async_tls_get_alpn_protocol(cnet_async_socket *socket, char *protocol, size_t size)
{
    (void)socket, (void)size;
    protocol[0] = '\0';
    return not_built("cnet_async_tls_get_alpn_protocol");
}

cnet_err cnet__async_tls_get_psk_identity(cnet_async_socket *socket, char *identity, size_t size)
{
    (void)socket, (void)size;
    identity[0] = '\0';
    return not_built("cnet_async_tls_get_psk_identity");
}
