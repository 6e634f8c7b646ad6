/* generated from spec/errors.yaml, spec/nativesockets.yaml by codegen/templates/api.c.j2 - do not edit; regenerate with `make regen` */
/*
 * The API layer of module "nativesockets": each public function checks its
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

cnet_err cnet_port_to_string(cnet_port port, char *buf, size_t size)
{
    if (buf == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_port_to_string: argument 'buf' must not be NULL");
    return cnet__port_to_string(port, buf, size);
}

cnet_err cnet_port_from_int(long value, cnet_port *out)
{
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_port_from_int: argument 'out' must not be NULL");
    return cnet__port_from_int(value, out);
}

cnet_err cnet_port_parse(const char *text, cnet_port *out)
{
    if (text == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_port_parse: argument 'text' must not be NULL");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_port_parse: argument 'out' must not be NULL");
    return cnet__port_parse(text, out);
}

cnet_err cnet_to_known_domain(int family, cnet_domain *out)
{
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_to_known_domain: argument 'out' must not be NULL");
    return cnet__to_known_domain(family, out);
}

cnet_err cnet_create_native_socket(cnet_domain domain, cnet_sock_type type, cnet_protocol protocol, bool inheritable, cnet_socket_handle *out)
{
    if (!cnet__domain_is_valid(domain))
        return cnet__fail(CNET_EINVAL, "cnet_create_native_socket: argument 'domain' is not a valid cnet_domain value");
    if (!cnet__sock_type_is_valid(type))
        return cnet__fail(CNET_EINVAL, "cnet_create_native_socket: argument 'type' is not a valid cnet_sock_type value");
    if (!cnet__protocol_is_valid(protocol))
        return cnet__fail(CNET_EINVAL, "cnet_create_native_socket: argument 'protocol' is not a valid cnet_protocol value");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_create_native_socket: argument 'out' must not be NULL");
    return cnet__create_native_socket(domain, type, protocol, inheritable, out);
}

cnet_err cnet_create_native_socket_int(int domain, int type, int protocol, bool inheritable, cnet_socket_handle *out)
{
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_create_native_socket_int: argument 'out' must not be NULL");
    return cnet__sys_create_native_socket_int(domain, type, protocol, inheritable, out);
}

cnet_err cnet_new_raw_socket(cnet_domain domain, cnet_sock_type type, cnet_protocol protocol, cnet_socket_handle *out)
{
    if (!cnet__domain_is_valid(domain))
        return cnet__fail(CNET_EINVAL, "cnet_new_raw_socket: argument 'domain' is not a valid cnet_domain value");
    if (!cnet__sock_type_is_valid(type))
        return cnet__fail(CNET_EINVAL, "cnet_new_raw_socket: argument 'type' is not a valid cnet_sock_type value");
    if (!cnet__protocol_is_valid(protocol))
        return cnet__fail(CNET_EINVAL, "cnet_new_raw_socket: argument 'protocol' is not a valid cnet_protocol value");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_new_raw_socket: argument 'out' must not be NULL");
    return cnet__new_raw_socket(domain, type, protocol, out);
}

cnet_err cnet_new_raw_socket_int(int domain, int type, int protocol, cnet_socket_handle *out)
{
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_new_raw_socket_int: argument 'out' must not be NULL");
    return cnet__new_raw_socket_int(domain, type, protocol, out);
}

cnet_err cnet_close(cnet_socket_handle handle)
{
    if (handle == CNET_INVALID_SOCKET)
        return cnet__fail(CNET_EBADF, "cnet_close: argument 'handle' is not a valid socket handle");
    return cnet__sys_close(handle);
}

cnet_err cnet_set_inheritable(cnet_socket_handle handle, bool inheritable)
{
    if (handle == CNET_INVALID_SOCKET)
        return cnet__fail(CNET_EBADF, "cnet_set_inheritable: argument 'handle' is not a valid socket handle");
    return cnet__sys_set_inheritable(handle, inheritable);
}

cnet_err cnet_bind_addr(cnet_socket_handle handle, const struct sockaddr *name, cnet_socklen namelen)
{
    if (handle == CNET_INVALID_SOCKET)
        return cnet__fail(CNET_EBADF, "cnet_bind_addr: argument 'handle' is not a valid socket handle");
    if (name == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_bind_addr: argument 'name' must not be NULL");
    if (namelen < 1)
        return cnet__fail(CNET_EINVAL, "cnet_bind_addr: argument 'namelen' must be >= 1");
    return cnet__sys_bind_addr(handle, name, namelen);
}

cnet_err cnet_listen(cnet_socket_handle handle, int backlog)
{
    if (handle == CNET_INVALID_SOCKET)
        return cnet__fail(CNET_EBADF, "cnet_listen: argument 'handle' is not a valid socket handle");
    if (backlog < 0)
        return cnet__fail(CNET_EINVAL, "cnet_listen: argument 'backlog' must be >= 0");
    return cnet__sys_listen(handle, backlog);
}

cnet_err cnet_accept(cnet_socket_handle handle, bool inheritable, cnet_socket_handle *client, char *address, size_t address_size)
{
    if (handle == CNET_INVALID_SOCKET)
        return cnet__fail(CNET_EBADF, "cnet_accept: argument 'handle' is not a valid socket handle");
    if (client == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_accept: argument 'client' must not be NULL");
    return cnet__sys_accept(handle, inheritable, client, address, address_size);
}

cnet_err cnet_get_addr_info(const char *address, cnet_port port, cnet_domain domain, cnet_sock_type type, cnet_protocol protocol, struct addrinfo **out)
{
    if (out != NULL)
        *out = NULL;
    if (address == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_get_addr_info: argument 'address' must not be NULL");
    if (!cnet__domain_is_valid(domain))
        return cnet__fail(CNET_EINVAL, "cnet_get_addr_info: argument 'domain' is not a valid cnet_domain value");
    if (!cnet__sock_type_is_valid(type))
        return cnet__fail(CNET_EINVAL, "cnet_get_addr_info: argument 'type' is not a valid cnet_sock_type value");
    if (!cnet__protocol_is_valid(protocol))
        return cnet__fail(CNET_EINVAL, "cnet_get_addr_info: argument 'protocol' is not a valid cnet_protocol value");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_get_addr_info: argument 'out' must not be NULL");
    return cnet__sys_get_addr_info(address, port, domain, type, protocol, out);
}

cnet_err cnet_get_serv_by_name(const char *name, const char *proto, cnet_servent *out)
{
    if (name == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_get_serv_by_name: argument 'name' must not be NULL");
    if (proto == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_get_serv_by_name: argument 'proto' must not be NULL");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_get_serv_by_name: argument 'out' must not be NULL");
    return cnet__sys_get_serv_by_name(name, proto, out);
}

cnet_err cnet_get_serv_by_port(cnet_port port, const char *proto, cnet_servent *out)
{
    if (proto == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_get_serv_by_port: argument 'proto' must not be NULL");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_get_serv_by_port: argument 'out' must not be NULL");
    return cnet__sys_get_serv_by_port(port, proto, out);
}

cnet_err cnet_get_host_by_addr(const char *ip, cnet_hostent *out)
{
    if (ip == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_get_host_by_addr: argument 'ip' must not be NULL");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_get_host_by_addr: argument 'out' must not be NULL");
    return cnet__sys_get_host_by_addr(ip, out);
}

cnet_err cnet_get_host_by_name(const char *name, cnet_hostent *out)
{
    if (name == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_get_host_by_name: argument 'name' must not be NULL");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_get_host_by_name: argument 'out' must not be NULL");
    return cnet__sys_get_host_by_name(name, out);
}

cnet_err cnet_get_proto_by_name(const char *name, int *out)
{
    if (name == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_get_proto_by_name: argument 'name' must not be NULL");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_get_proto_by_name: argument 'out' must not be NULL");
    return cnet__sys_get_proto_by_name(name, out);
}

cnet_err cnet_get_hostname(char *buf, size_t size)
{
    if (buf == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_get_hostname: argument 'buf' must not be NULL");
    if (size < 1)
        return cnet__fail(CNET_EINVAL, "cnet_get_hostname: argument 'size' must be >= 1");
    return cnet__sys_get_hostname(buf, size);
}

cnet_err cnet_get_addr_string(const struct sockaddr *addr, cnet_socklen addrlen, char *buf, size_t size)
{
    if (addr == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_get_addr_string: argument 'addr' must not be NULL");
    if (addrlen < 1)
        return cnet__fail(CNET_EINVAL, "cnet_get_addr_string: argument 'addrlen' must be >= 1");
    if (buf == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_get_addr_string: argument 'buf' must not be NULL");
    return cnet__get_addr_string(addr, addrlen, buf, size);
}

cnet_err cnet_make_unix_addr(const char *path, struct sockaddr_storage *out, cnet_socklen *len)
{
    if (path == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_make_unix_addr: argument 'path' must not be NULL");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_make_unix_addr: argument 'out' must not be NULL");
    if (len == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_make_unix_addr: argument 'len' must not be NULL");
    return cnet__make_unix_addr(path, out, len);
}

cnet_err cnet_get_sock_domain(cnet_socket_handle handle, cnet_domain *out)
{
    if (handle == CNET_INVALID_SOCKET)
        return cnet__fail(CNET_EBADF, "cnet_get_sock_domain: argument 'handle' is not a valid socket handle");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_get_sock_domain: argument 'out' must not be NULL");
    return cnet__sys_get_sock_domain(handle, out);
}

cnet_err cnet_get_sock_name(cnet_socket_handle handle, cnet_port *out)
{
    if (handle == CNET_INVALID_SOCKET)
        return cnet__fail(CNET_EBADF, "cnet_get_sock_name: argument 'handle' is not a valid socket handle");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_get_sock_name: argument 'out' must not be NULL");
    return cnet__sys_get_sock_name(handle, out);
}

cnet_err cnet_get_local_addr(cnet_socket_handle handle, char *address, size_t address_size, cnet_port *port)
{
    if (handle == CNET_INVALID_SOCKET)
        return cnet__fail(CNET_EBADF, "cnet_get_local_addr: argument 'handle' is not a valid socket handle");
    if (address == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_get_local_addr: argument 'address' must not be NULL");
    return cnet__sys_get_local_addr(handle, address, address_size, port);
}

cnet_err cnet_get_peer_addr(cnet_socket_handle handle, char *address, size_t address_size, cnet_port *port)
{
    if (handle == CNET_INVALID_SOCKET)
        return cnet__fail(CNET_EBADF, "cnet_get_peer_addr: argument 'handle' is not a valid socket handle");
    if (address == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_get_peer_addr: argument 'address' must not be NULL");
    return cnet__sys_get_peer_addr(handle, address, address_size, port);
}

cnet_err cnet_get_sock_opt_int(cnet_socket_handle handle, int level, int optname, int *out)
{
    if (handle == CNET_INVALID_SOCKET)
        return cnet__fail(CNET_EBADF, "cnet_get_sock_opt_int: argument 'handle' is not a valid socket handle");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_get_sock_opt_int: argument 'out' must not be NULL");
    return cnet__sys_get_sock_opt_int(handle, level, optname, out);
}

cnet_err cnet_set_sock_opt_int(cnet_socket_handle handle, int level, int optname, int value)
{
    if (handle == CNET_INVALID_SOCKET)
        return cnet__fail(CNET_EBADF, "cnet_set_sock_opt_int: argument 'handle' is not a valid socket handle");
    return cnet__sys_set_sock_opt_int(handle, level, optname, value);
}

cnet_err cnet_set_blocking(cnet_socket_handle handle, bool blocking)
{
    if (handle == CNET_INVALID_SOCKET)
        return cnet__fail(CNET_EBADF, "cnet_set_blocking: argument 'handle' is not a valid socket handle");
    return cnet__sys_set_blocking(handle, blocking);
}

cnet_err cnet_ioctlsocket(cnet_socket_handle handle, long cmd, unsigned long *argp)
{
    if (handle == CNET_INVALID_SOCKET)
        return cnet__fail(CNET_EBADF, "cnet_ioctlsocket: argument 'handle' is not a valid socket handle");
    if (argp == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_ioctlsocket: argument 'argp' must not be NULL");
    return cnet__sys_ioctlsocket(handle, cmd, argp);
}

cnet_err cnet_select_read(cnet_socket_handle *handles, size_t *count, int timeout)
{
    if (handles == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_select_read: argument 'handles' must not be NULL");
    if (count == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_select_read: argument 'count' must not be NULL");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_select_read: argument 'timeout' must be >= -1");
    return cnet__select_read(handles, count, timeout);
}

cnet_err cnet_select_write(cnet_socket_handle *handles, size_t *count, int timeout)
{
    if (handles == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_select_write: argument 'handles' must not be NULL");
    if (count == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_select_write: argument 'count' must not be NULL");
    if (timeout < -1)
        return cnet__fail(CNET_EINVAL, "cnet_select_write: argument 'timeout' must be >= -1");
    return cnet__select_write(handles, count, timeout);
}
