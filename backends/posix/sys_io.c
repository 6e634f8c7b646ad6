/*
 * The posix backend's cnet__sys_* names for the POSIX I/O edge (edge_io.c,
 * whose functions are named cnet__posix_* because the io_uring backend
 * calls them as its fallback). Each definition here is one call with the
 * same arguments: with link-time optimisation (-Db_lto=true, the release
 * and benchmark builds) it is inlined into its callers and costs nothing;
 * without, the compiler makes it a single tail jump. A plain function rather
 * than a symbol alias: it is portable C, and Mach-O (macOS) has no aliases.
 */
#include "internal.h"

cnet_err cnet__sys_create_native_socket_int(int domain, int type, int protocol, bool inheritable,
                                            cnet_socket_handle *out)
{
    return cnet__posix_create_native_socket_int(domain, type, protocol, inheritable, out);
}

cnet_err cnet__sys_close(cnet_socket_handle handle)
{
    return cnet__posix_close(handle);
}

cnet_err cnet__sys_bind_addr(cnet_socket_handle handle, const struct sockaddr *name, cnet_socklen namelen)
{
    return cnet__posix_bind_addr(handle, name, namelen);
}

cnet_err cnet__sys_listen(cnet_socket_handle handle, int backlog)
{
    return cnet__posix_listen(handle, backlog);
}

cnet_err cnet__sys_accept(cnet_socket_handle handle, bool inheritable, cnet_socket_handle *client, char *address,
                          size_t address_size)
{
    return cnet__posix_accept(handle, inheritable, client, address, address_size);
}

const char *cnet__sys_backend_active(void)
{
    return "posix";
}

int64_t cnet__sys_now_ms(void)
{
    return cnet__posix_now_ms();
}

cnet_err cnet__sys_recv(cnet_socket_handle handle, void *data, size_t size, bool peek, int64_t deadline,
                        size_t *received)
{
    return cnet__posix_recv(handle, data, size, peek, deadline, received);
}

cnet_err cnet__sys_send(cnet_socket_handle handle, const void *data, size_t size, int64_t deadline, size_t *sent)
{
    return cnet__posix_send(handle, data, size, deadline, sent);
}

cnet_err cnet__sys_recv_now(cnet_socket_handle handle, void *data, size_t size, size_t *received)
{
    return cnet__posix_recv_now(handle, data, size, received);
}

cnet_err cnet__sys_send_now(cnet_socket_handle handle, const void *data, size_t size, size_t *sent)
{
    return cnet__posix_send_now(handle, data, size, sent);
}

cnet_err cnet__sys_wait(cnet_socket_handle handle, bool write, int64_t deadline)
{
    return cnet__posix_wait(handle, write, deadline);
}

cnet_err cnet__sys_sendv2(cnet_socket_handle handle, const void *a, size_t a_size, const void *b, size_t b_size,
                          int64_t deadline, size_t *sent)
{
    return cnet__posix_sendv2(handle, a, a_size, b, b_size, deadline, sent);
}

cnet_err cnet__sys_connect(cnet_socket_handle handle, const struct sockaddr *addr, cnet_socklen len,
                           int64_t deadline)
{
    return cnet__posix_connect(handle, addr, len, deadline);
}

cnet_err cnet__sys_accept_deadline(cnet_socket_handle handle, bool inheritable, int64_t deadline,
                                   cnet_socket_handle *client, struct sockaddr_storage *addr, cnet_socklen *len)
{
    return cnet__posix_accept_deadline(handle, inheritable, deadline, client, addr, len);
}

cnet_err cnet__sys_sendto(cnet_socket_handle handle, const void *data, size_t size, const struct sockaddr *addr,
                          cnet_socklen len, int64_t deadline)
{
    return cnet__posix_sendto(handle, data, size, addr, len, deadline);
}

cnet_err cnet__sys_recvfrom(cnet_socket_handle handle, void *data, size_t size, struct sockaddr_storage *addr,
                            cnet_socklen *len, int64_t deadline, size_t *received, bool *truncated)
{
    return cnet__posix_recvfrom(handle, data, size, addr, len, deadline, received, truncated);
}

cnet_err cnet__sys_shutdown(cnet_socket_handle handle, bool read, bool write)
{
    return cnet__posix_shutdown(handle, read, write);
}

void cnet__sys_wake(cnet_socket_handle handle)
{
    cnet__posix_wake(handle);
}

void cnet__sys_handle_adopted(cnet_socket_handle handle)
{
    /* Every call of the POSIX edge honours O_NONBLOCK already. */
    (void)handle;
}

void cnet__sys_blocking_changed(cnet_socket_handle handle, bool blocking)
{
    /* Every call of the POSIX edge honours O_NONBLOCK already. */
    (void)handle;
    (void)blocking;
}
