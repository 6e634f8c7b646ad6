/*
 * Datagrams: sendTo and recvFrom (by address text or by IpAddress). A
 * datagram larger than the buffer is reported as CNET_ETRUNCATED, never cut
 * silently.
 */
#include <string.h>

#include "net_internal.h"

cnet_err cnet__socket_recv_from(cnet_socket *socket, void *data, size_t size, char *address, size_t address_size,
                                cnet_port *port, size_t *received)
{
    *received = 0;
    CNET__CHECK_OPEN(socket, "cnet_socket_recv_from");
    if (address != NULL && address_size < CNET_ADDRSTRLEN)
        return cnet__fail(CNET_ERANGE, "cnet_socket_recv_from: address_size must be at least CNET_ADDRSTRLEN");
    struct sockaddr_storage ss;
    cnet_socklen len = 0;
    bool truncated;
    cnet_err err = cnet__sys_recvfrom(socket->io.fd, data, size, &ss, &len, cnet__deadline_after(socket->timeout), received,
                                      &truncated);
    if (cnet__is_closed(socket)) /* woken by a close on another thread: no datagram */
        return cnet__socket_closed_during(socket, "cnet_socket_recv_from");
    if (err != CNET_OK)
        return cnet__sock_fail(socket, err);
    if (address != NULL || port != NULL) {
        char text[CNET_ADDRSTRLEN];
        err = cnet__format_sockaddr((struct sockaddr *)&ss, len, address ? address : text,
                                    address ? address_size : sizeof text, port);
        if (err != CNET_OK)
            return cnet__sock_fail(socket, err);
    }
    if (truncated)
        return cnet__sock_fail(socket, cnet__fail(CNET_ETRUNCATED, "cnet_socket_recv_from: the datagram was truncated"));
    return CNET_OK;
}

cnet_err cnet__socket_recv_from_ip(cnet_socket *socket, void *data, size_t size, cnet_ip_address *address,
                                   cnet_port *port, size_t *received)
{
    *received = 0;
    CNET__CHECK_OPEN(socket, "cnet_socket_recv_from_ip");
    struct sockaddr_storage ss;
    cnet_socklen len = 0;
    bool truncated;
    cnet_err err = cnet__sys_recvfrom(socket->io.fd, data, size, &ss, &len, cnet__deadline_after(socket->timeout), received,
                                      &truncated);
    if (cnet__is_closed(socket)) /* woken by a close on another thread: no datagram */
        return cnet__socket_closed_during(socket, "cnet_socket_recv_from_ip");
    if (err == CNET_OK)
        err = cnet__from_sock_addr((struct sockaddr *)&ss, len, address, port, NULL);
    if (err == CNET_OK && truncated)
        err = cnet__fail(CNET_ETRUNCATED, "cnet_socket_recv_from_ip: the datagram was truncated");
    return err == CNET_OK ? CNET_OK : cnet__sock_fail(socket, err);
}

cnet_err cnet__socket_send_to(cnet_socket *socket, const char *address, cnet_port port, const void *data,
                              size_t size, unsigned flags)
{
    (void)flags;
    CNET__CHECK_OPEN(socket, "cnet_socket_send_to");
    cnet__addr_list *l;
    cnet_err err = cnet__resolve(address, port, socket->domain, socket->type, socket->protocol, false, &l,
                           "cnet_socket_send_to");
    if (err != CNET_OK)
        return cnet__sock_fail(socket, err);
    err = cnet__fail(CNET_ENOTFOUND, "cnet_socket_send_to: the name has no address of the socket's family");
    int64_t deadline = cnet__send_deadline(socket);
    for (size_t i = 0; i < l->count; i++) {
        err = cnet__sys_sendto(socket->io.fd, data, size, (struct sockaddr *)&l->item[i].ss, l->item[i].len, deadline);
        if (err == CNET_OK || err == CNET_EMSGSIZE || err == CNET_ETIMEDOUT)
            break;
    }
    free(l);
    return err == CNET_OK ? CNET_OK : cnet__sock_fail(socket, err);
}

cnet_err cnet__socket_send_to_ip(cnet_socket *socket, const cnet_ip_address *address, cnet_port port,
                                 const void *data, size_t size)
{
    CNET__CHECK_OPEN(socket, "cnet_socket_send_to_ip");
    struct sockaddr_storage ss;
    cnet_socklen len = 0;
    cnet_err err = cnet__ip_to_sockaddr(address, port, 0, socket->domain, &ss, &len);
    if (err == CNET_OK)
        err = cnet__sys_sendto(socket->io.fd, data, size, (struct sockaddr *)&ss, len, cnet__send_deadline(socket));
    return err == CNET_OK ? CNET_OK : cnet__sock_fail(socket, err);
}
