/*
 * Connections: bind, listen and accept on the server side, connect and dial
 * on the client side (every resolved address in turn, one deadline), and
 * the socket's own and its peer's address. A TLS socket completes its
 * handshake here, within the same deadline.
 */
#include <stdio.h>
#include <string.h>

#include "net_internal.h"

/* ---------------------------------------------------------- the server */

cnet_err cnet__socket_bind_addr(cnet_socket *socket, cnet_port port, const char *address)
{
    CNET__CHECK_OPEN(socket, "cnet_socket_bind_addr");
    cnet__addr_list *l;
    cnet_err err = cnet__resolve(address, port, socket->domain, socket->type, socket->protocol, true, &l,
                           "cnet_socket_bind_addr");
    if (err != CNET_OK)
        return cnet__sock_fail(socket, err);
    err = l->count == 0 ? cnet__fail(CNET_ENOTFOUND, "cnet_socket_bind_addr: no address to bind")
                        : cnet_bind_addr(socket->io.fd, (struct sockaddr *)&l->item[0].ss, l->item[0].len);
    free(l);
    return err == CNET_OK ? CNET_OK : cnet__sock_fail(socket, err);
}

cnet_err cnet__socket_bind_unix(cnet_socket *socket, const char *path)
{
    CNET__CHECK_OPEN(socket, "cnet_socket_bind_unix");
    struct sockaddr_storage ss;
    cnet_socklen len = 0;
    cnet_err err = cnet__unix_sockaddr(path, &ss, &len, "cnet_socket_bind_unix");
    if (err == CNET_OK)
        err = cnet_bind_addr(socket->io.fd, (struct sockaddr *)&ss, len);
    return err == CNET_OK ? CNET_OK : cnet__sock_fail(socket, err);
}

cnet_err cnet__socket_listen(cnet_socket *socket, int backlog)
{
    CNET__CHECK_OPEN(socket, "cnet_socket_listen");
    cnet_err err = cnet_listen(socket->io.fd, backlog);
    return err == CNET_OK ? CNET_OK : cnet__sock_fail(socket, err);
}

/*
 * A TLS listener: the accepted client shares its context and completes the
 * server handshake within the server's default deadline, counted from the
 * accepted connection. On failure a client allocated here is freed.
 */
static cnet_err accept_tls(cnet_socket *server, cnet_socket **client, bool fresh, bool *tls_failed)
{
    cnet_socket *c = *client;
    if (server->io.tls == NULL)
        return CNET_OK;
    cnet_err err = cnet__tls_accept(server->io.tls, c->io.fd, cnet__deadline_after(server->timeout), &c->io.tls);
    if (err == CNET_OK)
        return CNET_OK;
    *tls_failed = true;
    cnet__socket_close(c, 0);
    if (fresh) {
        free(c);
        *client = NULL;
    }
    return cnet__sock_fail(server, err);
}

static cnet_err accept_once(cnet_socket *server, cnet_socket **client, char *address, size_t address_size,
                            unsigned flags, bool *tls_failed)
{
    CNET__CHECK_OPEN(server, "cnet_socket_accept_addr");
    if (*client != NULL && !cnet__is_closed(*client))
        return cnet__fail(CNET_EINVAL, "cnet_socket_accept_addr: *client must be NULL or a closed socket");
    if (address != NULL && address_size < CNET_ADDRSTRLEN)
        return cnet__fail(CNET_ERANGE, "cnet_socket_accept_addr: address_size must be at least CNET_ADDRSTRLEN");
    int64_t deadline = cnet__deadline_after(server->timeout);
    cnet_socket_handle fd;
    struct sockaddr_storage ss;
    cnet_socklen len = 0;
    for (;;) {
        cnet_err err = cnet__sys_accept_deadline(server->io.fd, false, deadline, &fd, &ss, &len);
        if (err == CNET_OK)
            break;
        /* SafeDisconn: a client that vanished during accept is skipped. */
        if (cnet__is_disconnection(flags, err) || ((flags & CNET_FLAG_SAFE_DISCONN) && err == CNET_ECONNABORTED))
            continue;
        return cnet__sock_fail(server, err);
    }
    if (address != NULL) {
        cnet_err err = cnet__format_sockaddr((struct sockaddr *)&ss, len, address, address_size, NULL);
        if (err != CNET_OK) {
            cnet__sys_close(fd);
            return cnet__sock_fail(server, err);
        }
    }
    cnet_socket *c = *client;
    if (c != NULL && c->buffered != server->buffered) {
        /* The reused object has the wrong buffer size: replace it. */
        free(c);
        c = *client = NULL;
    }
    if (c == NULL) {
        cnet_err err = cnet__socket_wrap_handle(fd, server->domain, server->type, server->protocol, server->buffered, &c);
        if (err != CNET_OK) {
            cnet__sys_close(fd);
            return cnet__sock_fail(server, err);
        }
        *client = c;
        return accept_tls(server, client, true, tls_failed);
    }
    bool buffered = c->buffered;
    unsigned char *buf = c->buf;
    memset(c, 0, sizeof *c);
    c->buf = buf;
    c->io.fd = fd;
    c->domain = server->domain;
    c->type = server->type;
    c->protocol = server->protocol;
    c->buffered = buffered;
    c->timeout = c->send_timeout = -1;
    return accept_tls(server, client, false, tls_failed);
}

cnet_err cnet__socket_accept_addr(cnet_socket *server, cnet_socket **client, char *address, size_t address_size,
                                  unsigned flags)
{
    for (;;) {
        bool tls_failed = false;
        cnet_err err = accept_once(server, client, address, address_size, flags, &tls_failed);
        /* SafeDisconn: a client that vanished during the TLS handshake is
         * skipped like one that vanished before accept returned. */
        if (!tls_failed || !cnet__is_disconnection(flags, err))
            return err;
    }
}

cnet_err cnet__socket_accept(cnet_socket *server, cnet_socket **client, unsigned flags)
{
    return cnet__socket_accept_addr(server, client, NULL, 0, flags);
}

/* ---------------------------------------------------------- the client */

/* Try each address in turn on one socket, all within one deadline. */
static cnet_err connect_list(cnet_socket *s, const cnet__addr_list *l, int64_t deadline)
{
    if (l->count == 0)
        return cnet__fail(CNET_ENOTFOUND, "connect: the name has no address of the socket's family");
    cnet_err err = CNET_OK;
    for (size_t i = 0; i < l->count; i++) {
        err = cnet__sys_connect(s->io.fd, (const struct sockaddr *)&l->item[i].ss, l->item[i].len, deadline);
        if (err == CNET_OK || err == CNET_ETIMEDOUT)
            break;
    }
    return err;
}

/*
 * An IPv4 address reaches an AF_INET6 socket as ::ffff:a.b.c.d, which only a
 * dual-stack socket can use; an IPv6-only one (CNET_OPT_V6_ONLY) would fail
 * with a misleading "network unreachable". Say what is wrong instead, as
 * for an IPv6 address on an AF_INET socket.
 */
static cnet_err check_v4_on_v6_only(cnet_socket *s, const cnet__addr_list *l, const char *address)
{
    if (s->domain != CNET_AF_INET6 || l->count == 0)
        return CNET_OK;
    for (size_t i = 0; i < l->count; i++) {
        struct sockaddr_in6 sin6;
        if (l->item[i].ss.ss_family != AF_INET6)
            return CNET_OK;
        memcpy(&sin6, &l->item[i].ss, sizeof sin6);
        if (!IN6_IS_ADDR_V4MAPPED(&sin6.sin6_addr))
            return CNET_OK;
    }
    int v6only = 0;
    if (cnet_get_sock_opt_int(s->io.fd, CNET_SOL_IPV6, CNET_IPV6_V6ONLY, &v6only) != CNET_OK || !v6only)
        return CNET_OK; /* dual stack (or unknown): let connect decide */
    char msg[256];
    snprintf(msg, sizeof msg,
             "cnet_socket_connect: \"%.64s\" is IPv4 only, and the socket is IPv6-only (AF_INET6 with "
             "CNET_OPT_V6_ONLY): use an AF_INET socket, or a dual-stack one", address);
    return cnet__fail(CNET_EAFNOSUPPORT, msg);
}

cnet_err cnet__socket_connect(cnet_socket *socket, const char *address, cnet_port port, int timeout)
{
    CNET__CHECK_OPEN(socket, "cnet_socket_connect");
    int64_t deadline = cnet__deadline_after(timeout >= 0 ? timeout : socket->timeout);
    /* Failed attempts of a call that succeeds (an address refused, the next
     * one taken) leave no message behind. */
    cnet__error_state before;
    cnet__error_save(&before);
    cnet__addr_list *l;
    cnet_err err = cnet__resolve(address, port, socket->domain, socket->type, socket->protocol, false, &l,
                           "cnet_socket_connect");
    if (err != CNET_OK)
        return cnet__sock_fail(socket, err);
    err = check_v4_on_v6_only(socket, l, address);
    if (err == CNET_OK)
        err = connect_list(socket, l, deadline);
    free(l);
    /* TLS: the handshake shares the connect deadline. */
    if (err == CNET_OK && socket->io.tls != NULL)
        err = cnet__tls_connect(socket->io.tls, address, deadline, "cnet_socket_connect");
    if (err == CNET_OK) {
        cnet__error_restore(&before);
        return CNET_OK;
    }
    return cnet__sock_fail(socket, err);
}

cnet_err cnet__socket_connect_unix(cnet_socket *socket, const char *path)
{
    CNET__CHECK_OPEN(socket, "cnet_socket_connect_unix");
    struct sockaddr_storage ss;
    cnet_socklen len = 0;
    cnet_err err = cnet__unix_sockaddr(path, &ss, &len, "cnet_socket_connect_unix");
    int64_t deadline = cnet__deadline_after(socket->timeout);
    if (err == CNET_OK)
        err = cnet__sys_connect(socket->io.fd, (struct sockaddr *)&ss, len, deadline);
    /* TLS over AF_UNIX verifies the name set with cnet_socket_set_server_name. */
    if (err == CNET_OK && socket->io.tls != NULL)
        err = cnet__tls_connect(socket->io.tls, NULL, deadline, "cnet_socket_connect");
    return err == CNET_OK ? CNET_OK : cnet__sock_fail(socket, err);
}

cnet_err cnet__dial(const char *address, cnet_port port, cnet_protocol protocol, bool buffered, int timeout,
                    cnet_socket **out)
{
    *out = NULL;
    int64_t deadline = cnet__deadline_after(timeout);
    cnet_sock_type type = cnet_to_sock_type(protocol);
    /* Failed attempts of a dial that succeeds leave no message behind. */
    cnet__error_state before;
    cnet__error_save(&before);
    cnet__addr_list *l;
    cnet_err err = cnet__resolve(address, port, CNET_AF_UNSPEC, type, protocol, false, &l, "cnet_dial");
    if (err != CNET_OK)
        return err;
    bool tried = false;
    for (size_t i = 0; i < l->count; i++) {
        cnet_domain domain;
        if (!cnet__domain_from_os(l->item[i].ss.ss_family, &domain))
            continue;
        tried = true;
        cnet_socket *s;
        err = cnet__socket_new(domain, type, protocol, buffered, false, &s);
        if (err != CNET_OK)
            break;
        err = cnet__sys_connect(s->io.fd, (const struct sockaddr *)&l->item[i].ss, l->item[i].len, deadline);
        if (err == CNET_OK) {
            *out = s;
            break;
        }
        cnet_socket_free(s);
        if (err == CNET_ETIMEDOUT)
            break;
    }
    free(l);
    if (!tried)
        return cnet__fail(CNET_ENOTFOUND, "cnet_dial: the name has no address");
    if (err == CNET_OK)
        cnet__error_restore(&before); /* the failed attempts are not this call's failure */
    return err;
}


/* ----------------------------------------------------------- addresses */

static cnet_err sock_addr(cnet_socket *socket, bool peer, char *address, size_t address_size, cnet_port *port)
{
    CNET__CHECK_OPEN(socket, peer ? "cnet_socket_get_peer_addr" : "cnet_socket_get_local_addr");
    cnet_err err = peer ? cnet_get_peer_addr(socket->io.fd, address, address_size, port)
                        : cnet_get_local_addr(socket->io.fd, address, address_size, port);
    return err == CNET_OK ? CNET_OK : cnet__sock_fail(socket, err);
}

cnet_err cnet__socket_get_local_addr(cnet_socket *socket, char *address, size_t address_size, cnet_port *port)
{
    return sock_addr(socket, false, address, address_size, port);
}

cnet_err cnet__socket_get_peer_addr(cnet_socket *socket, char *address, size_t address_size, cnet_port *port)
{
    return sock_addr(socket, true, address, address_size, port);
}
