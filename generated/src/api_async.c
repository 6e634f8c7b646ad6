/* generated from spec/async.yaml, spec/errors.yaml by codegen/templates/api.c.j2 - do not edit; regenerate with `make regen` */
/*
 * The API layer of module "async": each public function checks its
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

cnet_err cnet_loop_new(cnet_loop **out)
{
    if (out != NULL)
        *out = NULL;
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_loop_new: argument 'out' must not be NULL");
    return cnet__loop_new(out);
}

cnet_err cnet_loop_default(cnet_loop **out)
{
    if (out != NULL)
        *out = NULL;
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_loop_default: argument 'out' must not be NULL");
    return cnet__loop_default(out);
}

cnet_err cnet_loop_free(cnet_loop *loop)
{
    return cnet__loop_free(loop);
}

cnet_err cnet_loop_run(cnet_loop *loop)
{
    if (loop == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_loop_run: argument 'loop' must not be NULL");
    return cnet__loop_run(loop);
}

cnet_err cnet_loop_poll(cnet_loop *loop, int timeout)
{
    if (loop == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_loop_poll: argument 'loop' must not be NULL");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_loop_poll: argument 'timeout' must be >= -1");
    return cnet__loop_poll(loop, timeout);
}

cnet_err cnet_loop_stop(cnet_loop *loop)
{
    if (loop == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_loop_stop: argument 'loop' must not be NULL");
    return cnet__loop_stop(loop);
}

cnet_err cnet_loop_wake(cnet_loop *loop)
{
    if (loop == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_loop_wake: argument 'loop' must not be NULL");
    return cnet__loop_wake(loop);
}

cnet_err cnet_loop_post(cnet_loop *loop, cnet_async_cb cb, void *user)
{
    if (loop == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_loop_post: argument 'loop' must not be NULL");
    if (cb == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_loop_post: argument 'cb' must not be NULL");
    return cnet__loop_post(loop, cb, user);
}

cnet_err cnet_loop_call_soon(cnet_loop *loop, cnet_async_cb cb, void *user, cnet_async_op **op)
{
    if (op != NULL)
        *op = NULL;
    if (loop == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_loop_call_soon: argument 'loop' must not be NULL");
    if (cb == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_loop_call_soon: argument 'cb' must not be NULL");
    return cnet__loop_call_soon(loop, cb, user, op);
}

cnet_err cnet_loop_add_timer(cnet_loop *loop, int timeout, bool oneshot, cnet_async_cb cb, void *user, cnet_async_op **op)
{
    if (op != NULL)
        *op = NULL;
    if (loop == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_loop_add_timer: argument 'loop' must not be NULL");
    if (timeout < 0)
        return cnet__fail(CNET_EINVAL, "cnet_loop_add_timer: argument 'timeout' must be >= 0");
    if (cb == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_loop_add_timer: argument 'cb' must not be NULL");
    return cnet__loop_add_timer(loop, timeout, oneshot, cb, user, op);
}

cnet_err cnet_loop_sleep(cnet_loop *loop, int ms, cnet_async_cb cb, void *user, cnet_async_op **op)
{
    if (op != NULL)
        *op = NULL;
    if (loop == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_loop_sleep: argument 'loop' must not be NULL");
    if (ms < 0)
        return cnet__fail(CNET_EINVAL, "cnet_loop_sleep: argument 'ms' must be >= 0");
    if (cb == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_loop_sleep: argument 'cb' must not be NULL");
    return cnet__loop_sleep(loop, ms, cb, user, op);
}

cnet_err cnet_loop_add_read(cnet_loop *loop, cnet_socket_handle handle, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op)
{
    if (op != NULL)
        *op = NULL;
    if (loop == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_loop_add_read: argument 'loop' must not be NULL");
    if (handle == CNET_INVALID_SOCKET)
        return cnet__fail(CNET_EBADF, "cnet_loop_add_read: argument 'handle' is not a valid socket handle");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_loop_add_read: argument 'timeout' must be >= -1");
    if (cb == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_loop_add_read: argument 'cb' must not be NULL");
    return cnet__loop_add_read(loop, handle, timeout, cb, user, op);
}

cnet_err cnet_loop_add_write(cnet_loop *loop, cnet_socket_handle handle, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op)
{
    if (op != NULL)
        *op = NULL;
    if (loop == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_loop_add_write: argument 'loop' must not be NULL");
    if (handle == CNET_INVALID_SOCKET)
        return cnet__fail(CNET_EBADF, "cnet_loop_add_write: argument 'handle' is not a valid socket handle");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_loop_add_write: argument 'timeout' must be >= -1");
    if (cb == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_loop_add_write: argument 'cb' must not be NULL");
    return cnet__loop_add_write(loop, handle, timeout, cb, user, op);
}

cnet_err cnet_async_cancel(cnet_async_op *op)
{
    if (op == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_cancel: argument 'op' must not be NULL");
    return cnet__async_cancel(op);
}

cnet_err cnet_async_socket_new(cnet_loop *loop, cnet_domain domain, cnet_sock_type type, cnet_protocol protocol, cnet_async_socket **out)
{
    if (out != NULL)
        *out = NULL;
    if (loop == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_socket_new: argument 'loop' must not be NULL");
    if (!cnet__domain_is_valid(domain))
        return cnet__fail(CNET_EINVAL, "cnet_async_socket_new: argument 'domain' is not a valid cnet_domain value");
    if (!cnet__sock_type_is_valid(type))
        return cnet__fail(CNET_EINVAL, "cnet_async_socket_new: argument 'type' is not a valid cnet_sock_type value");
    if (!cnet__protocol_is_valid(protocol))
        return cnet__fail(CNET_EINVAL, "cnet_async_socket_new: argument 'protocol' is not a valid cnet_protocol value");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_socket_new: argument 'out' must not be NULL");
    return cnet__async_socket_new(loop, domain, type, protocol, out);
}

cnet_err cnet_async_socket_wrap(cnet_loop *loop, cnet_socket_handle handle, cnet_domain domain, cnet_sock_type type, cnet_async_socket **out)
{
    if (out != NULL)
        *out = NULL;
    if (loop == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_socket_wrap: argument 'loop' must not be NULL");
    if (handle == CNET_INVALID_SOCKET)
        return cnet__fail(CNET_EBADF, "cnet_async_socket_wrap: argument 'handle' is not a valid socket handle");
    if (!cnet__domain_is_valid(domain))
        return cnet__fail(CNET_EINVAL, "cnet_async_socket_wrap: argument 'domain' is not a valid cnet_domain value");
    if (!cnet__sock_type_is_valid(type))
        return cnet__fail(CNET_EINVAL, "cnet_async_socket_wrap: argument 'type' is not a valid cnet_sock_type value");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_socket_wrap: argument 'out' must not be NULL");
    return cnet__async_socket_wrap(loop, handle, domain, type, out);
}

cnet_err cnet_async_socket_close(cnet_async_socket *socket, cnet_async_cb cb, void *user)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_socket_close: argument 'socket' must not be NULL");
    return cnet__async_socket_close(socket, cb, user);
}

cnet_err cnet_async_socket_set_sock_opt(cnet_async_socket *socket, cnet_sobool opt, bool value)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_socket_set_sock_opt: argument 'socket' must not be NULL");
    if (!cnet__sobool_is_valid(opt))
        return cnet__fail(CNET_EINVAL, "cnet_async_socket_set_sock_opt: argument 'opt' is not a valid cnet_sobool value");
    return cnet__async_socket_set_sock_opt(socket, opt, value);
}

cnet_err cnet_async_socket_get_sock_opt(cnet_async_socket *socket, cnet_sobool opt, bool *value)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_socket_get_sock_opt: argument 'socket' must not be NULL");
    if (!cnet__sobool_is_valid(opt))
        return cnet__fail(CNET_EINVAL, "cnet_async_socket_get_sock_opt: argument 'opt' is not a valid cnet_sobool value");
    if (value == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_socket_get_sock_opt: argument 'value' must not be NULL");
    return cnet__async_socket_get_sock_opt(socket, opt, value);
}

cnet_err cnet_async_socket_bind_addr(cnet_async_socket *socket, cnet_port port, const char *address)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_socket_bind_addr: argument 'socket' must not be NULL");
    if (address == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_socket_bind_addr: argument 'address' must not be NULL");
    return cnet__async_socket_bind_addr(socket, port, address);
}

cnet_err cnet_async_socket_listen(cnet_async_socket *socket, int backlog)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_socket_listen: argument 'socket' must not be NULL");
    if (backlog < 1)
        return cnet__fail(CNET_EINVAL, "cnet_async_socket_listen: argument 'backlog' must be >= 1");
    return cnet__async_socket_listen(socket, backlog);
}

cnet_err cnet_async_socket_get_local_addr(cnet_async_socket *socket, cnet_ip_address *address, cnet_port *port)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_socket_get_local_addr: argument 'socket' must not be NULL");
    if (address == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_socket_get_local_addr: argument 'address' must not be NULL");
    if (port == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_socket_get_local_addr: argument 'port' must not be NULL");
    return cnet__async_socket_get_local_addr(socket, address, port);
}

cnet_err cnet_async_socket_get_peer_addr(cnet_async_socket *socket, cnet_ip_address *address, cnet_port *port)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_socket_get_peer_addr: argument 'socket' must not be NULL");
    if (address == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_socket_get_peer_addr: argument 'address' must not be NULL");
    if (port == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_socket_get_peer_addr: argument 'port' must not be NULL");
    return cnet__async_socket_get_peer_addr(socket, address, port);
}

cnet_err cnet_async_connect(cnet_async_socket *socket, const char *address, cnet_port port, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op)
{
    if (op != NULL)
        *op = NULL;
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_connect: argument 'socket' must not be NULL");
    if (address == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_connect: argument 'address' must not be NULL");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_async_connect: argument 'timeout' must be >= -1");
    if (cb == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_connect: argument 'cb' must not be NULL");
    return cnet__async_connect(socket, address, port, timeout, cb, user, op);
}

cnet_err cnet_async_dial(cnet_loop *loop, const char *address, cnet_port port, cnet_protocol protocol, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op)
{
    if (op != NULL)
        *op = NULL;
    if (loop == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_dial: argument 'loop' must not be NULL");
    if (address == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_dial: argument 'address' must not be NULL");
    if (!cnet__protocol_is_valid(protocol))
        return cnet__fail(CNET_EINVAL, "cnet_async_dial: argument 'protocol' is not a valid cnet_protocol value");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_async_dial: argument 'timeout' must be >= -1");
    if (cb == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_dial: argument 'cb' must not be NULL");
    return cnet__async_dial(loop, address, port, protocol, timeout, cb, user, op);
}

cnet_err cnet_async_accept(cnet_async_socket *socket, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op)
{
    if (op != NULL)
        *op = NULL;
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_accept: argument 'socket' must not be NULL");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_async_accept: argument 'timeout' must be >= -1");
    if (cb == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_accept: argument 'cb' must not be NULL");
    return cnet__async_accept(socket, timeout, cb, user, op);
}

cnet_err cnet_async_recv(cnet_async_socket *socket, size_t size, bool all, unsigned flags, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op)
{
    if (op != NULL)
        *op = NULL;
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_recv: argument 'socket' must not be NULL");
    if (size < 1)
        return cnet__fail(CNET_EINVAL, "cnet_async_recv: argument 'size' must be >= 1");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_async_recv: argument 'timeout' must be >= -1");
    if (cb == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_recv: argument 'cb' must not be NULL");
    return cnet__async_recv(socket, size, all, flags, timeout, cb, user, op);
}

cnet_err cnet_async_recv_into(cnet_async_socket *socket, void *buf, size_t size, bool all, unsigned flags, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op)
{
    if (op != NULL)
        *op = NULL;
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_recv_into: argument 'socket' must not be NULL");
    if (buf == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_recv_into: argument 'buf' must not be NULL");
    if (size < 1)
        return cnet__fail(CNET_EINVAL, "cnet_async_recv_into: argument 'size' must be >= 1");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_async_recv_into: argument 'timeout' must be >= -1");
    if (cb == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_recv_into: argument 'cb' must not be NULL");
    return cnet__async_recv_into(socket, buf, size, all, flags, timeout, cb, user, op);
}

cnet_err cnet_async_recv_line(cnet_async_socket *socket, size_t max_length, unsigned flags, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op)
{
    if (op != NULL)
        *op = NULL;
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_recv_line: argument 'socket' must not be NULL");
    if (max_length < 1)
        return cnet__fail(CNET_EINVAL, "cnet_async_recv_line: argument 'max_length' must be >= 1");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_async_recv_line: argument 'timeout' must be >= -1");
    if (cb == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_recv_line: argument 'cb' must not be NULL");
    return cnet__async_recv_line(socket, max_length, flags, timeout, cb, user, op);
}

cnet_err cnet_async_recv_line_into(cnet_async_socket *socket, char *buf, size_t size, unsigned flags, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op)
{
    if (op != NULL)
        *op = NULL;
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_recv_line_into: argument 'socket' must not be NULL");
    if (buf == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_recv_line_into: argument 'buf' must not be NULL");
    if (size < 2)
        return cnet__fail(CNET_EINVAL, "cnet_async_recv_line_into: argument 'size' must be >= 2");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_async_recv_line_into: argument 'timeout' must be >= -1");
    if (cb == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_recv_line_into: argument 'cb' must not be NULL");
    return cnet__async_recv_line_into(socket, buf, size, flags, timeout, cb, user, op);
}

cnet_err cnet_async_send(cnet_async_socket *socket, const void *data, size_t size, unsigned flags, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op)
{
    if (op != NULL)
        *op = NULL;
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_send: argument 'socket' must not be NULL");
    if (data == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_send: argument 'data' must not be NULL");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_async_send: argument 'timeout' must be >= -1");
    return cnet__async_send(socket, data, size, flags, timeout, cb, user, op);
}

cnet_err cnet_async_send_copy(cnet_async_socket *socket, const void *data, size_t size, unsigned flags, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op)
{
    if (op != NULL)
        *op = NULL;
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_send_copy: argument 'socket' must not be NULL");
    if (data == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_send_copy: argument 'data' must not be NULL");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_async_send_copy: argument 'timeout' must be >= -1");
    return cnet__async_send_copy(socket, data, size, flags, timeout, cb, user, op);
}

cnet_err cnet_async_send_frame(cnet_async_socket *socket, cnet_frame_format format, const void *data, size_t size, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op)
{
    if (op != NULL)
        *op = NULL;
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_send_frame: argument 'socket' must not be NULL");
    if (!cnet__frame_format_is_valid(format))
        return cnet__fail(CNET_EINVAL, "cnet_async_send_frame: argument 'format' is not a valid cnet_frame_format value");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_async_send_frame: argument 'timeout' must be >= -1");
    return cnet__async_send_frame(socket, format, data, size, timeout, cb, user, op);
}

cnet_err cnet_async_recv_frame(cnet_async_socket *socket, cnet_frame_format format, size_t max_size, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op)
{
    if (op != NULL)
        *op = NULL;
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_recv_frame: argument 'socket' must not be NULL");
    if (!cnet__frame_format_is_valid(format))
        return cnet__fail(CNET_EINVAL, "cnet_async_recv_frame: argument 'format' is not a valid cnet_frame_format value");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_async_recv_frame: argument 'timeout' must be >= -1");
    if (cb == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_recv_frame: argument 'cb' must not be NULL");
    return cnet__async_recv_frame(socket, format, max_size, timeout, cb, user, op);
}

cnet_err cnet_async_send_to(cnet_async_socket *socket, const char *address, cnet_port port, const void *data, size_t size, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op)
{
    if (op != NULL)
        *op = NULL;
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_send_to: argument 'socket' must not be NULL");
    if (address == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_send_to: argument 'address' must not be NULL");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_async_send_to: argument 'timeout' must be >= -1");
    return cnet__async_send_to(socket, address, port, data, size, timeout, cb, user, op);
}

cnet_err cnet_async_recv_from(cnet_async_socket *socket, size_t size, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op)
{
    if (op != NULL)
        *op = NULL;
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_recv_from: argument 'socket' must not be NULL");
    if (size < 1)
        return cnet__fail(CNET_EINVAL, "cnet_async_recv_from: argument 'size' must be >= 1");
    if (size > 65536)
        return cnet__fail(CNET_EINVAL, "cnet_async_recv_from: argument 'size' must be <= 65536");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_async_recv_from: argument 'timeout' must be >= -1");
    if (cb == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_recv_from: argument 'cb' must not be NULL");
    return cnet__async_recv_from(socket, size, timeout, cb, user, op);
}

cnet_err cnet_async_tls_wrap(cnet_ssl_context *context, cnet_async_socket *socket)
{
    if (context == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_tls_wrap: argument 'context' must not be NULL");
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_tls_wrap: argument 'socket' must not be NULL");
    return cnet__async_tls_wrap(context, socket);
}

cnet_err cnet_async_tls_wrap_connected(cnet_ssl_context *context, cnet_async_socket *socket, cnet_ssl_handshake_type handshake, const char *hostname)
{
    if (context == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_tls_wrap_connected: argument 'context' must not be NULL");
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_tls_wrap_connected: argument 'socket' must not be NULL");
    if (!cnet__ssl_handshake_type_is_valid(handshake))
        return cnet__fail(CNET_EINVAL, "cnet_async_tls_wrap_connected: argument 'handshake' is not a valid cnet_ssl_handshake_type value");
    return cnet__async_tls_wrap_connected(context, socket, handshake, hostname);
}

cnet_err cnet_async_tls_set_server_name(cnet_async_socket *socket, const char *name)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_tls_set_server_name: argument 'socket' must not be NULL");
    return cnet__async_tls_set_server_name(socket, name);
}

cnet_err cnet_async_tls_handshake(cnet_async_socket *socket, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op)
{
    if (op != NULL)
        *op = NULL;
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_tls_handshake: argument 'socket' must not be NULL");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_async_tls_handshake: argument 'timeout' must be >= -1");
    if (cb == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_tls_handshake: argument 'cb' must not be NULL");
    return cnet__async_tls_handshake(socket, timeout, cb, user, op);
}

cnet_err cnet_async_tls_shutdown(cnet_async_socket *socket, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op)
{
    if (op != NULL)
        *op = NULL;
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_tls_shutdown: argument 'socket' must not be NULL");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_async_tls_shutdown: argument 'timeout' must be >= -1");
    if (cb == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_tls_shutdown: argument 'cb' must not be NULL");
    return cnet__async_tls_shutdown(socket, timeout, cb, user, op);
}

cnet_err cnet_async_tls_got_handshake(cnet_async_socket *socket, bool *out)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_tls_got_handshake: argument 'socket' must not be NULL");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_tls_got_handshake: argument 'out' must not be NULL");
    return cnet__async_tls_got_handshake(socket, out);
}

cnet_err cnet_async_tls_get_verify_result(cnet_async_socket *socket, cnet_err *out)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_tls_get_verify_result: argument 'socket' must not be NULL");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_tls_get_verify_result: argument 'out' must not be NULL");
    return cnet__async_tls_get_verify_result(socket, out);
}

cnet_err cnet_async_tls_get_peer_certificates(cnet_async_socket *socket, cnet_cert_format format, cnet_certificate_list *out)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_tls_get_peer_certificates: argument 'socket' must not be NULL");
    if (!cnet__cert_format_is_valid(format))
        return cnet__fail(CNET_EINVAL, "cnet_async_tls_get_peer_certificates: argument 'format' is not a valid cnet_cert_format value");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_tls_get_peer_certificates: argument 'out' must not be NULL");
    return cnet__async_tls_get_peer_certificates(socket, format, out);
}

cnet_err cnet_async_tls_get_alpn_protocol(cnet_async_socket *socket, char *protocol, size_t size)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_tls_get_alpn_protocol: argument 'socket' must not be NULL");
    if (protocol == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_tls_get_alpn_protocol: argument 'protocol' must not be NULL");
    if (size < 1)
        return cnet__fail(CNET_EINVAL, "cnet_async_tls_get_alpn_protocol: argument 'size' must be >= 1");
    return cnet__async_tls_get_alpn_protocol(socket, protocol, size);
}

cnet_err cnet_async_tls_get_psk_identity(cnet_async_socket *socket, char *identity, size_t size)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_tls_get_psk_identity: argument 'socket' must not be NULL");
    if (identity == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_async_tls_get_psk_identity: argument 'identity' must not be NULL");
    if (size < 1)
        return cnet__fail(CNET_EINVAL, "cnet_async_tls_get_psk_identity: argument 'size' must be >= 1");
    return cnet__async_tls_get_psk_identity(socket, identity, size);
}
