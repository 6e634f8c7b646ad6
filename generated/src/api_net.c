/* generated from spec/errors.yaml, spec/net.yaml by codegen/templates/api.c.j2 - do not edit; regenerate with `make regen` */
/*
 * The API layer of module "net": each public function checks its
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

cnet_err cnet_socket_new(cnet_domain domain, cnet_sock_type type, cnet_protocol protocol, bool buffered, bool inheritable, cnet_socket **out)
{
    if (out != NULL)
        *out = NULL;
    if (!cnet__domain_is_valid(domain))
        return cnet__fail(CNET_EINVAL, "cnet_socket_new: argument 'domain' is not a valid cnet_domain value");
    if (!cnet__sock_type_is_valid(type))
        return cnet__fail(CNET_EINVAL, "cnet_socket_new: argument 'type' is not a valid cnet_sock_type value");
    if (!cnet__protocol_is_valid(protocol))
        return cnet__fail(CNET_EINVAL, "cnet_socket_new: argument 'protocol' is not a valid cnet_protocol value");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_new: argument 'out' must not be NULL");
    return cnet__socket_new(domain, type, protocol, buffered, inheritable, out);
}

cnet_err cnet_socket_new_int(int domain, int type, int protocol, bool buffered, bool inheritable, cnet_socket **out)
{
    if (out != NULL)
        *out = NULL;
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_new_int: argument 'out' must not be NULL");
    return cnet__socket_new_int(domain, type, protocol, buffered, inheritable, out);
}

cnet_err cnet_socket_from_handle(cnet_socket_handle handle, cnet_domain domain, cnet_sock_type type, cnet_protocol protocol, bool buffered, cnet_socket **out)
{
    if (out != NULL)
        *out = NULL;
    if (handle == CNET_INVALID_SOCKET)
        return cnet__fail(CNET_EBADF, "cnet_socket_from_handle: argument 'handle' is not a valid socket handle");
    if (!cnet__domain_is_valid(domain))
        return cnet__fail(CNET_EINVAL, "cnet_socket_from_handle: argument 'domain' is not a valid cnet_domain value");
    if (!cnet__sock_type_is_valid(type))
        return cnet__fail(CNET_EINVAL, "cnet_socket_from_handle: argument 'type' is not a valid cnet_sock_type value");
    if (!cnet__protocol_is_valid(protocol))
        return cnet__fail(CNET_EINVAL, "cnet_socket_from_handle: argument 'protocol' is not a valid cnet_protocol value");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_from_handle: argument 'out' must not be NULL");
    return cnet__socket_from_handle(handle, domain, type, protocol, buffered, out);
}

cnet_err cnet_socket_close(cnet_socket *socket, unsigned flags)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_close: argument 'socket' must not be NULL");
    return cnet__socket_close(socket, flags);
}

cnet_err cnet_socket_close_lingering(cnet_socket *socket, int timeout)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_close_lingering: argument 'socket' must not be NULL");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_socket_close_lingering: argument 'timeout' must be >= -1");
    return cnet__socket_close_lingering(socket, timeout);
}

cnet_err cnet_socket_abort(cnet_socket *socket)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_abort: argument 'socket' must not be NULL");
    return cnet__socket_abort(socket);
}

cnet_socket_handle cnet_socket_get_fd(const cnet_socket *socket)
{
    if (socket == NULL || !cnet__socket_try_hold(socket))
        return CNET_INVALID_SOCKET;
    cnet_socket_handle result = cnet__socket_get_fd(socket);
    cnet__socket_let_go(socket);
    return result;
}

cnet_err cnet_socket_get_domain(cnet_socket *socket, cnet_domain *out)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_get_domain: argument 'socket' must not be NULL");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_get_domain: argument 'out' must not be NULL");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_get_domain");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(socket, "cnet_socket_get_domain", cnet__socket_get_domain(socket, out));
}

cnet_err cnet_socket_get_type(cnet_socket *socket, cnet_sock_type *out)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_get_type: argument 'socket' must not be NULL");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_get_type: argument 'out' must not be NULL");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_get_type");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(socket, "cnet_socket_get_type", cnet__socket_get_type(socket, out));
}

cnet_err cnet_socket_get_protocol(cnet_socket *socket, cnet_protocol *out)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_get_protocol: argument 'socket' must not be NULL");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_get_protocol: argument 'out' must not be NULL");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_get_protocol");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(socket, "cnet_socket_get_protocol", cnet__socket_get_protocol(socket, out));
}

bool cnet_socket_is_ssl(const cnet_socket *socket)
{
    if (socket == NULL || !cnet__socket_try_hold(socket))
        return false;
    bool result = cnet__socket_is_ssl(socket);
    cnet__socket_let_go(socket);
    return result;
}

cnet_err cnet_socket_error(cnet_socket *socket, long result, bool async, unsigned flags)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_error: argument 'socket' must not be NULL");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_error");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(socket, "cnet_socket_error", cnet__socket_error(socket, result, async, flags));
}

cnet_err cnet_socket_set_timeout(cnet_socket *socket, int timeout)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_set_timeout: argument 'socket' must not be NULL");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_socket_set_timeout: argument 'timeout' must be >= -1");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_set_timeout");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(socket, "cnet_socket_set_timeout", cnet__socket_set_timeout(socket, timeout));
}

cnet_err cnet_socket_set_send_timeout(cnet_socket *socket, int timeout)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_set_send_timeout: argument 'socket' must not be NULL");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_socket_set_send_timeout: argument 'timeout' must be >= -1");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_set_send_timeout");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(socket, "cnet_socket_set_send_timeout", cnet__socket_set_send_timeout(socket, timeout));
}

cnet_err cnet_socket_get_sock_opt(cnet_socket *socket, cnet_sobool opt, int level, bool *out)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_get_sock_opt: argument 'socket' must not be NULL");
    if (!cnet__sobool_is_valid(opt))
        return cnet__fail(CNET_EINVAL, "cnet_socket_get_sock_opt: argument 'opt' is not a valid cnet_sobool value");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_get_sock_opt: argument 'out' must not be NULL");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_get_sock_opt");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(socket, "cnet_socket_get_sock_opt", cnet__socket_get_sock_opt(socket, opt, level, out));
}

cnet_err cnet_socket_set_sock_opt(cnet_socket *socket, cnet_sobool opt, bool value, int level)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_set_sock_opt: argument 'socket' must not be NULL");
    if (!cnet__sobool_is_valid(opt))
        return cnet__fail(CNET_EINVAL, "cnet_socket_set_sock_opt: argument 'opt' is not a valid cnet_sobool value");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_set_sock_opt");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(socket, "cnet_socket_set_sock_opt", cnet__socket_set_sock_opt(socket, opt, value, level));
}

cnet_err cnet_socket_bind_addr(cnet_socket *socket, cnet_port port, const char *address)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_bind_addr: argument 'socket' must not be NULL");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_bind_addr");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(socket, "cnet_socket_bind_addr", cnet__socket_bind_addr(socket, port, address));
}

cnet_err cnet_socket_bind_unix(cnet_socket *socket, const char *path)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_bind_unix: argument 'socket' must not be NULL");
    if (path == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_bind_unix: argument 'path' must not be NULL");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_bind_unix");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(socket, "cnet_socket_bind_unix", cnet__socket_bind_unix(socket, path));
}

cnet_err cnet_socket_listen(cnet_socket *socket, int backlog)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_listen: argument 'socket' must not be NULL");
    if (backlog < 0)
        return cnet__fail(CNET_EINVAL, "cnet_socket_listen: argument 'backlog' must be >= 0");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_listen");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(socket, "cnet_socket_listen", cnet__socket_listen(socket, backlog));
}

cnet_err cnet_socket_accept_addr(cnet_socket *server, cnet_socket **client, char *address, size_t address_size, unsigned flags)
{
    if (server == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_accept_addr: argument 'server' must not be NULL");
    if (client == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_accept_addr: argument 'client' must not be NULL");
    cnet_err err = cnet__socket_enter(server, "cnet_socket_accept_addr");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(server, "cnet_socket_accept_addr", cnet__socket_accept_addr(server, client, address, address_size, flags));
}

cnet_err cnet_socket_accept(cnet_socket *server, cnet_socket **client, unsigned flags)
{
    if (server == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_accept: argument 'server' must not be NULL");
    if (client == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_accept: argument 'client' must not be NULL");
    cnet_err err = cnet__socket_enter(server, "cnet_socket_accept");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(server, "cnet_socket_accept", cnet__socket_accept(server, client, flags));
}

cnet_err cnet_socket_connect(cnet_socket *socket, const char *address, cnet_port port, int timeout)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_connect: argument 'socket' must not be NULL");
    if (address == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_connect: argument 'address' must not be NULL");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_socket_connect: argument 'timeout' must be >= -1");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_connect");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(socket, "cnet_socket_connect", cnet__socket_connect(socket, address, port, timeout));
}

cnet_err cnet_socket_connect_unix(cnet_socket *socket, const char *path)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_connect_unix: argument 'socket' must not be NULL");
    if (path == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_connect_unix: argument 'path' must not be NULL");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_connect_unix");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(socket, "cnet_socket_connect_unix", cnet__socket_connect_unix(socket, path));
}

cnet_err cnet_dial(const char *address, cnet_port port, cnet_protocol protocol, bool buffered, int timeout, cnet_socket **out)
{
    if (out != NULL)
        *out = NULL;
    if (address == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_dial: argument 'address' must not be NULL");
    if (!cnet__protocol_is_valid(protocol))
        return cnet__fail(CNET_EINVAL, "cnet_dial: argument 'protocol' is not a valid cnet_protocol value");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_dial: argument 'timeout' must be >= -1");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_dial: argument 'out' must not be NULL");
    return cnet__dial(address, port, protocol, buffered, timeout, out);
}

cnet_err cnet_socket_get_local_addr(cnet_socket *socket, char *address, size_t address_size, cnet_port *port)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_get_local_addr: argument 'socket' must not be NULL");
    if (address == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_get_local_addr: argument 'address' must not be NULL");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_get_local_addr");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(socket, "cnet_socket_get_local_addr", cnet__socket_get_local_addr(socket, address, address_size, port));
}

cnet_err cnet_socket_get_peer_addr(cnet_socket *socket, char *address, size_t address_size, cnet_port *port)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_get_peer_addr: argument 'socket' must not be NULL");
    if (address == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_get_peer_addr: argument 'address' must not be NULL");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_get_peer_addr");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(socket, "cnet_socket_get_peer_addr", cnet__socket_get_peer_addr(socket, address, address_size, port));
}

cnet_err cnet_get_primary_ip_addr(const cnet_ip_address *dest, cnet_ip_address *out)
{
    if (dest == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_get_primary_ip_addr: argument 'dest' must not be NULL");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_get_primary_ip_addr: argument 'out' must not be NULL");
    return cnet__get_primary_ip_addr(dest, out);
}

cnet_err cnet_to_sock_addr(const cnet_ip_address *address, cnet_port port, uint32_t scope_id, struct sockaddr_storage *out, cnet_socklen *len)
{
    if (address == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_to_sock_addr: argument 'address' must not be NULL");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_to_sock_addr: argument 'out' must not be NULL");
    if (len == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_to_sock_addr: argument 'len' must not be NULL");
    return cnet__to_sock_addr(address, port, scope_id, out, len);
}

cnet_err cnet_from_sock_addr(const struct sockaddr *sa, cnet_socklen len, cnet_ip_address *address, cnet_port *port, uint32_t *scope_id)
{
    if (sa == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_from_sock_addr: argument 'sa' must not be NULL");
    if (address == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_from_sock_addr: argument 'address' must not be NULL");
    return cnet__from_sock_addr(sa, len, address, port, scope_id);
}

bool cnet_socket_has_data_buffered(const cnet_socket *socket)
{
    if (socket == NULL || !cnet__socket_try_hold(socket))
        return false;
    bool result = cnet__socket_has_data_buffered(socket);
    cnet__socket_let_go(socket);
    return result;
}

cnet_err cnet_socket_recv(cnet_socket *socket, void *data, size_t size, int timeout, unsigned flags, size_t *received)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv: argument 'socket' must not be NULL");
    if (data == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv: argument 'data' must not be NULL");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv: argument 'timeout' must be >= -1");
    if (received == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv: argument 'received' must not be NULL");
    if (!cnet__socket_take_side(socket, CNET__SIDE_READ)) {
        *received = 0;
        return cnet__socket_side_busy(socket, CNET__SIDE_READ, "cnet_socket_recv");
    }
    cnet_err err = cnet__socket_recv(socket, data, size, timeout, flags, received);
    cnet__socket_give_side(socket, CNET__SIDE_READ);
    return err;
}

cnet_err cnet_socket_recv_some(cnet_socket *socket, void *data, size_t size, int timeout, unsigned flags, size_t *received)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_some: argument 'socket' must not be NULL");
    if (data == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_some: argument 'data' must not be NULL");
    if (size < 1)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_some: argument 'size' must be >= 1");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_some: argument 'timeout' must be >= -1");
    if (received == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_some: argument 'received' must not be NULL");
    if (!cnet__socket_take_side(socket, CNET__SIDE_READ)) {
        *received = 0;
        return cnet__socket_side_busy(socket, CNET__SIDE_READ, "cnet_socket_recv_some");
    }
    cnet_err err = cnet__socket_recv_some(socket, data, size, timeout, flags, received);
    cnet__socket_give_side(socket, CNET__SIDE_READ);
    return err;
}

cnet_err cnet_socket_recv_string(cnet_socket *socket, size_t size, int timeout, unsigned flags, char **out, size_t *len)
{
    if (out != NULL)
        *out = NULL;
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_string: argument 'socket' must not be NULL");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_string: argument 'timeout' must be >= -1");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_string: argument 'out' must not be NULL");
    if (len == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_string: argument 'len' must not be NULL");
    if (!cnet__socket_take_side(socket, CNET__SIDE_READ)) {
        *len = 0;
        return cnet__socket_side_busy(socket, CNET__SIDE_READ, "cnet_socket_recv_string");
    }
    cnet_err err = cnet__socket_recv_string(socket, size, timeout, flags, out, len);
    cnet__socket_give_side(socket, CNET__SIDE_READ);
    return err;
}

cnet_err cnet_socket_read_line(cnet_socket *socket, char *line, size_t size, size_t *len, cnet_read_line_result *result, int timeout, unsigned flags)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_read_line: argument 'socket' must not be NULL");
    if (line == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_read_line: argument 'line' must not be NULL");
    if (size < 1)
        return cnet__fail(CNET_EINVAL, "cnet_socket_read_line: argument 'size' must be >= 1");
    if (len == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_read_line: argument 'len' must not be NULL");
    if (result == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_read_line: argument 'result' must not be NULL");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_socket_read_line: argument 'timeout' must be >= -1");
    if (!cnet__socket_take_side(socket, CNET__SIDE_READ)) {
        *len = 0;
        *result = CNET_READ_NONE;
        return cnet__socket_side_busy(socket, CNET__SIDE_READ, "cnet_socket_read_line");
    }
    cnet_err err = cnet__socket_read_line(socket, line, size, len, result, timeout, flags);
    cnet__socket_give_side(socket, CNET__SIDE_READ);
    return err;
}

cnet_err cnet_socket_recv_line(cnet_socket *socket, int timeout, unsigned flags, size_t max_length, char **out, size_t *len, cnet_read_line_result *result)
{
    if (out != NULL)
        *out = NULL;
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_line: argument 'socket' must not be NULL");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_line: argument 'timeout' must be >= -1");
    if (max_length < 1)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_line: argument 'max_length' must be >= 1");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_line: argument 'out' must not be NULL");
    if (len == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_line: argument 'len' must not be NULL");
    if (result == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_line: argument 'result' must not be NULL");
    if (!cnet__socket_take_side(socket, CNET__SIDE_READ)) {
        *len = 0;
        *result = CNET_READ_NONE;
        return cnet__socket_side_busy(socket, CNET__SIDE_READ, "cnet_socket_recv_line");
    }
    cnet_err err = cnet__socket_recv_line(socket, timeout, flags, max_length, out, len, result);
    cnet__socket_give_side(socket, CNET__SIDE_READ);
    return err;
}

cnet_err cnet_socket_skip(cnet_socket *socket, size_t size, int timeout, size_t *skipped)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_skip: argument 'socket' must not be NULL");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_socket_skip: argument 'timeout' must be >= -1");
    if (!cnet__socket_take_side(socket, CNET__SIDE_READ)) {
        if (skipped != NULL)
            *skipped = 0;
        return cnet__socket_side_busy(socket, CNET__SIDE_READ, "cnet_socket_skip");
    }
    cnet_err err = cnet__socket_skip(socket, size, timeout, skipped);
    cnet__socket_give_side(socket, CNET__SIDE_READ);
    return err;
}

cnet_err cnet_socket_recv_from(cnet_socket *socket, void *data, size_t size, char *address, size_t address_size, cnet_port *port, size_t *received)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_from: argument 'socket' must not be NULL");
    if (data == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_from: argument 'data' must not be NULL");
    if (received == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_from: argument 'received' must not be NULL");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_recv_from");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(socket, "cnet_socket_recv_from", cnet__socket_recv_from(socket, data, size, address, address_size, port, received));
}

cnet_err cnet_socket_recv_from_ip(cnet_socket *socket, void *data, size_t size, cnet_ip_address *address, cnet_port *port, size_t *received)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_from_ip: argument 'socket' must not be NULL");
    if (data == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_from_ip: argument 'data' must not be NULL");
    if (address == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_from_ip: argument 'address' must not be NULL");
    if (received == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_from_ip: argument 'received' must not be NULL");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_recv_from_ip");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(socket, "cnet_socket_recv_from_ip", cnet__socket_recv_from_ip(socket, data, size, address, port, received));
}

cnet_err cnet_socket_send(cnet_socket *socket, const void *data, size_t size, unsigned flags, size_t *sent)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_send: argument 'socket' must not be NULL");
    if (data == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_send: argument 'data' must not be NULL");
    if (!cnet__socket_take_side(socket, CNET__SIDE_WRITE)) {
        if (sent != NULL)
            *sent = 0;
        return cnet__socket_side_busy(socket, CNET__SIDE_WRITE, "cnet_socket_send");
    }
    cnet_err err = cnet__socket_send(socket, data, size, flags, sent);
    cnet__socket_give_side(socket, CNET__SIDE_WRITE);
    return err;
}

cnet_err cnet_socket_send_str(cnet_socket *socket, const char *text, unsigned flags)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_send_str: argument 'socket' must not be NULL");
    if (text == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_send_str: argument 'text' must not be NULL");
    if (!cnet__socket_take_side(socket, CNET__SIDE_WRITE)) {
        return cnet__socket_side_busy(socket, CNET__SIDE_WRITE, "cnet_socket_send_str");
    }
    cnet_err err = cnet__socket_send_str(socket, text, flags);
    cnet__socket_give_side(socket, CNET__SIDE_WRITE);
    return err;
}

cnet_err cnet_socket_send_to(cnet_socket *socket, const char *address, cnet_port port, const void *data, size_t size, unsigned flags)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_send_to: argument 'socket' must not be NULL");
    if (address == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_send_to: argument 'address' must not be NULL");
    if (data == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_send_to: argument 'data' must not be NULL");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_send_to");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(socket, "cnet_socket_send_to", cnet__socket_send_to(socket, address, port, data, size, flags));
}

cnet_err cnet_socket_send_to_ip(cnet_socket *socket, const cnet_ip_address *address, cnet_port port, const void *data, size_t size)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_send_to_ip: argument 'socket' must not be NULL");
    if (address == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_send_to_ip: argument 'address' must not be NULL");
    if (data == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_send_to_ip: argument 'data' must not be NULL");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_send_to_ip");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(socket, "cnet_socket_send_to_ip", cnet__socket_send_to_ip(socket, address, port, data, size));
}

cnet_err cnet_socket_shutdown(cnet_socket *socket, bool read, bool write)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_shutdown: argument 'socket' must not be NULL");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_shutdown");
    if (err != CNET_OK)
        return err;
    return cnet__socket_leave(socket, "cnet_socket_shutdown", cnet__socket_shutdown(socket, read, write));
}

cnet_err cnet_socket_send_frame(cnet_socket *socket, cnet_frame_format format, const void *data, size_t size)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_send_frame: argument 'socket' must not be NULL");
    if (!cnet__frame_format_is_valid(format))
        return cnet__fail(CNET_EINVAL, "cnet_socket_send_frame: argument 'format' is not a valid cnet_frame_format value");
    if (data == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_send_frame: argument 'data' must not be NULL");
    cnet_err err = cnet__socket_enter(socket, "cnet_socket_send_frame");
    if (err != CNET_OK)
        return err;
    if (!cnet__socket_take_side(socket, CNET__SIDE_WRITE)) {
        return cnet__socket_leave(socket, "cnet_socket_send_frame",
                                  cnet__socket_side_busy(socket, CNET__SIDE_WRITE, "cnet_socket_send_frame"));
    }
    err = cnet__socket_send_frame(socket, format, data, size);
    cnet__socket_give_side(socket, CNET__SIDE_WRITE);
    return cnet__socket_leave(socket, "cnet_socket_send_frame", err);
}

cnet_err cnet_socket_recv_frame(cnet_socket *socket, cnet_frame_format format, void *data, size_t size, size_t *len, int timeout)
{
    if (socket == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_frame: argument 'socket' must not be NULL");
    if (!cnet__frame_format_is_valid(format))
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_frame: argument 'format' is not a valid cnet_frame_format value");
    if (data == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_frame: argument 'data' must not be NULL");
    if (len == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_frame: argument 'len' must not be NULL");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_socket_recv_frame: argument 'timeout' must be >= -1");
    if (!cnet__socket_take_side(socket, CNET__SIDE_READ)) {
        *len = 0;
        return cnet__socket_side_busy(socket, CNET__SIDE_READ, "cnet_socket_recv_frame");
    }
    cnet_err err = cnet__socket_recv_frame(socket, format, data, size, len, timeout);
    cnet__socket_give_side(socket, CNET__SIDE_READ);
    return err;
}

cnet_err cnet_socket_select_read(cnet_socket **sockets, size_t *count, int timeout)
{
    if (sockets == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_select_read: argument 'sockets' must not be NULL");
    if (count == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_socket_select_read: argument 'count' must not be NULL");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_socket_select_read: argument 'timeout' must be >= -1");
    return cnet__socket_select_read(sockets, count, timeout);
}
