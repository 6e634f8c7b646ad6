/*
 * Datagrams: sendTo and recvFrom (by address text or by IpAddress). A
 * datagram larger than the buffer is reported as CNET_ETRUNCATED, never cut
 * silently.
 */
#include <stdio.h>
#include <string.h>

#include "net_internal.h"

/* One datagram and its sender's address, by the socket's default deadline;
 * an error is recorded, a close from another thread reported as such. */
static cnet_err recv_datagram(cnet_socket *socket, void *data, size_t size, struct sockaddr_storage *ss,
                              cnet_socklen *len, size_t *received, bool *truncated, const char *function)
{
    *len = 0;
    cnet_err err = cnet__sys_recvfrom(socket->io.fd, data, size, ss, len, cnet__deadline_after(socket->timeout),
                                      received, truncated);
    if (cnet__is_closed(socket)) /* woken by a close on another thread: no datagram */
        return cnet__socket_closed_during(socket, function);
    return err == CNET_OK ? CNET_OK : cnet__sock_fail(socket, err);
}

static cnet_err truncated_error(cnet_socket *socket, const char *function)
{
    char msg[128];
    snprintf(msg, sizeof msg, "%s: the datagram was truncated", function);
    return cnet__sock_fail(socket, cnet__fail(CNET_ETRUNCATED, msg));
}

cnet_err cnet__socket_recv_from(cnet_socket *socket, void *data, size_t size, char *address, size_t address_size,
                                cnet_port *port, size_t *received)
{
    const char *fn = "cnet_socket_recv_from";
    *received = 0;
    CNET__CHECK_OPEN(socket, fn);
    if (address != NULL && address_size < CNET_ADDRSTRLEN)
        return cnet__fail(CNET_ERANGE, "cnet_socket_recv_from: address_size must be at least CNET_ADDRSTRLEN");
    struct sockaddr_storage ss;
    cnet_socklen len;
    bool truncated;
    cnet_err err = recv_datagram(socket, data, size, &ss, &len, received, &truncated, fn);
    if (err != CNET_OK)
        return err;
    if (address != NULL || port != NULL) {
        char text[CNET_ADDRSTRLEN];
        err = cnet__format_sockaddr((struct sockaddr *)&ss, len, address ? address : text,
                                    address ? address_size : sizeof text, port);
        if (err != CNET_OK)
            return cnet__sock_fail(socket, err);
    }
    return truncated ? truncated_error(socket, fn) : CNET_OK;
}

cnet_err cnet__socket_recv_from_ip(cnet_socket *socket, void *data, size_t size, cnet_ip_address *address,
                                   cnet_port *port, size_t *received)
{
    const char *fn = "cnet_socket_recv_from_ip";
    *received = 0;
    CNET__CHECK_OPEN(socket, fn);
    struct sockaddr_storage ss;
    cnet_socklen len;
    bool truncated;
    cnet_err err = recv_datagram(socket, data, size, &ss, &len, received, &truncated, fn);
    if (err != CNET_OK)
        return err;
    err = cnet__from_sock_addr((struct sockaddr *)&ss, len, address, port, NULL);
    if (err != CNET_OK)
        return cnet__sock_fail(socket, err);
    return truncated ? truncated_error(socket, fn) : CNET_OK;
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
