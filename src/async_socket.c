/*
 * Async sockets themselves (Nim's AsyncSocket): create, wrap, options,
 * bind, listen, addresses, connect and dial over every resolved address,
 * accept, close and the end of a socket's life. Reads and writes are in
 * async_stream.c (serving) and async_ops.c (starting).
 */
#include "async_internal.h"
#include "net_internal.h"

/* ------------------------------------------------------------ create */

static cnet_err adopt(cnet_loop *loop, cnet_socket_handle fd, cnet_domain domain, cnet_sock_type type,
                      cnet_protocol protocol, cnet_async_socket **out)
{
    cnet_async_socket *s = calloc(1, sizeof *s);
    if (s == NULL)
        return cnet__fail(CNET_ENOMEM, "async: out of memory for a socket");
    s->loop = loop;
    s->fd = fd;
    s->domain = domain;
    s->type = type;
    s->protocol = protocol;
    cnet_err err = loop->be->attach(s);
    if (err != CNET_OK) {
        free(s);
        return err;
    }
    s->next = loop->sockets;
    if (loop->sockets)
        loop->sockets->prev = s;
    loop->sockets = s;
    *out = s;
    return CNET_OK;
}

static cnet_err open_fd(cnet_domain domain, cnet_sock_type type, cnet_protocol protocol, cnet_socket_handle *fd)
{
    cnet_err err = cnet__sys_create_native_socket_int(cnet__domain_to_os(domain), cnet__sock_type_to_os(type),
                                                      cnet__protocol_to_os(protocol), false, fd);
    if (err != CNET_OK)
        return err;
    err = cnet__sys_set_blocking(*fd, false);
    if (err == CNET_OK && domain == CNET_AF_INET6)
        err = cnet__sys_set_sock_opt_int(*fd, CNET_SOL_IPV6, CNET_IPV6_V6ONLY, 0);
    if (err != CNET_OK) {
        cnet__sys_close(*fd);
        *fd = CNET_INVALID_SOCKET;
    }
    return err;
}

cnet_err cnet__async_socket_new(cnet_loop *loop, cnet_domain domain, cnet_sock_type type, cnet_protocol protocol,
                                cnet_async_socket **out)
{
    *out = NULL;
    if (loop->freeing)
        return cnet__fail(CNET_ECANCELED, "cnet_async_socket_new: the loop is being freed");
    cnet_socket_handle fd;
    cnet_err err = open_fd(domain, type, protocol, &fd);
    if (err != CNET_OK)
        return err;
    err = adopt(loop, fd, domain, type, protocol, out);
    if (err != CNET_OK)
        cnet__sys_close(fd);
    return err;
}

cnet_err cnet__async_socket_wrap(cnet_loop *loop, cnet_socket_handle handle, cnet_domain domain, cnet_sock_type type,
                                 cnet_async_socket **out)
{
    *out = NULL;
    if (loop->freeing)
        return cnet__fail(CNET_ECANCELED, "cnet_async_socket_wrap: the loop is being freed");
    cnet_err err = cnet__sys_set_blocking(handle, false);
    if (err != CNET_OK)
        return err;
    err = adopt(loop, handle, domain, type, type == CNET_SOCK_STREAM ? CNET_IPPROTO_TCP : CNET_IPPROTO_UDP, out);
    if (err == CNET_OK)
        (*out)->flags |= CNET__S_CONNECTED;
    return err;
}

/* ------------------------------------------------------------- close */

static void close_after(cnet_async_op *op)
{
    cnet__async_socket_destroy(op->socket);
}

static void begin_close(cnet_async_socket *s, cnet_async_op *close_op)
{
    s->flags |= CNET__S_CLOSING;
    cnet_err why = s->loop->freeing ? CNET_ECANCELED : CNET_ECLOSED;
    if (s->connect_op && s->connect_op->cancel_err == CNET_OK)
        s->connect_op->cancel_err = why;
    if (s->filter)
        s->filter->closing(s, why);
    cnet__async_stream_close(s, why);
    /* The socket is freed after this op's callback, from the ready queue:
     * never inside a backend's report, which may still hold it. */
    if (close_op == NULL) {
        close_op = cnet__async_op_new(s->loop, CNET_ASYNC_CLOSE, "cnet_async_socket_close", NULL, NULL, -1);
        if (close_op)
            close_op->socket = s;
    }
    s->close_op = close_op;
    s->loop->be->close(s);
}

cnet_err cnet__async_socket_close(cnet_async_socket *socket, cnet_async_cb cb, void *user)
{
    cnet_err err = cnet__async_check_open(socket, "cnet_async_socket_close");
    if (err != CNET_OK)
        return err;
    cnet_async_op *op = cnet__async_op_new(socket->loop, CNET_ASYNC_CLOSE, "cnet_async_socket_close", cb, user, -1);
    if (op == NULL)
        return CNET_ENOMEM;
    op->socket = socket;
    begin_close(socket, op);
    return CNET_OK;
}

void cnet__async_released(cnet_async_socket *s)
{
    if (s->flags & CNET__S_RELEASED)
        return;
    s->flags |= CNET__S_RELEASED;
    s->fd = CNET_INVALID_SOCKET;
    for (size_t i = 0; i < s->backlog_len; i++)
        cnet__sys_close(s->backlog[i]);
    s->backlog_len = 0;
    cnet_async_op *op = s->close_op;
    s->close_op = NULL;
    if (op) {
        op->after = close_after;
        cnet__async_complete(op, CNET_OK, 0);
    } else {
        cnet__async_socket_destroy(s);
    }
}

void cnet__async_socket_destroy(cnet_async_socket *s)
{
    cnet_loop *loop = s->loop;
    if (s->prev)
        s->prev->next = s->next;
    else
        loop->sockets = s->next;
    if (s->next)
        s->next->prev = s->prev;
    if (s->filter)
        s->filter->destroy(s);
    cnet__async_stream_free(s);
    free(s->backlog);
    free(s);
}

void cnet__async_close_all(cnet_loop *loop)
{
    for (cnet_async_socket *s = loop->sockets, *next; s; s = next) {
        next = s->next;
        if (!(s->flags & CNET__S_CLOSING)) {
            begin_close(s, NULL);
        }
    }
}

/* ------------------------------------------------------- small calls */

bool cnet_async_socket_is_closed(const cnet_async_socket *socket)
{
    return socket == NULL || (socket->flags & CNET__S_CLOSING);
}

cnet_socket_handle cnet_async_socket_get_fd(const cnet_async_socket *socket)
{
    return cnet_async_socket_is_closed(socket) ? CNET_INVALID_SOCKET : socket->fd;
}

cnet_loop *cnet_async_socket_loop(const cnet_async_socket *socket)
{
    return socket ? socket->loop : NULL;
}

void cnet_async_socket_set_user(cnet_async_socket *socket, void *user)
{
    if (socket)
        socket->user = user;
}

void *cnet_async_socket_get_user(const cnet_async_socket *socket)
{
    return socket ? socket->user : NULL;
}

bool cnet_async_socket_has_data_buffered(const cnet_async_socket *socket)
{
    return socket != NULL && (socket->rx_len > 0 || socket->dgrams_count > 0);
}

static bool sobool_level(cnet_sobool opt, int *level, int *name)
{
    *name = cnet_sobool_to_c_int(opt);
    *level = opt == CNET_OPT_NO_DELAY ? CNET_SOL_TCP : opt == CNET_OPT_V6_ONLY ? CNET_SOL_IPV6 : CNET_SOL_SOCKET;
    return *name >= 0;
}

cnet_err cnet__async_socket_set_sock_opt(cnet_async_socket *socket, cnet_sobool opt, bool value)
{
    cnet_err err = cnet__async_check_open(socket, "cnet_async_socket_set_sock_opt");
    int level, name;
    if (err != CNET_OK)
        return err;
    if (!sobool_level(opt, &level, &name))
        return cnet__fail(CNET_ENOPROTOOPT, "cnet_async_socket_set_sock_opt: the option does not exist here");
    return cnet__sys_set_sock_opt_int(socket->fd, level, name, value ? 1 : 0);
}

cnet_err cnet__async_socket_get_sock_opt(cnet_async_socket *socket, cnet_sobool opt, bool *value)
{
    cnet_err err = cnet__async_check_open(socket, "cnet_async_socket_get_sock_opt");
    int level, name, v = 0;
    if (err != CNET_OK)
        return err;
    if (!sobool_level(opt, &level, &name))
        return cnet__fail(CNET_ENOPROTOOPT, "cnet_async_socket_get_sock_opt: the option does not exist here");
    err = cnet__sys_get_sock_opt_int(socket->fd, level, name, &v);
    if (err == CNET_OK)
        *value = v != 0;
    return err;
}

cnet_err cnet__async_socket_bind_addr(cnet_async_socket *socket, cnet_port port, const char *address)
{
    cnet_err err = cnet__async_check_open(socket, "cnet_async_socket_bind_addr");
    if (err != CNET_OK)
        return err;
    cnet__addr_list *addrs;
    err = cnet__resolve(address, port, socket->domain, socket->type, socket->protocol, true, &addrs,
                        "cnet_async_socket_bind_addr");
    if (err != CNET_OK)
        return err;
    err = cnet__sys_bind_addr(socket->fd, (const struct sockaddr *)&addrs->item[0].ss, addrs->item[0].len);
    free(addrs);
    return err;
}

cnet_err cnet__async_socket_listen(cnet_async_socket *socket, int backlog)
{
    cnet_err err = cnet__async_check_open(socket, "cnet_async_socket_listen");
    if (err != CNET_OK)
        return err;
    err = cnet__sys_listen(socket->fd, backlog);
    if (err == CNET_OK)
        socket->flags |= CNET__S_LISTENING;
    return err;
}

static cnet_err addr_of(cnet_socket_handle fd, bool peer, cnet_ip_address *address, cnet_port *port)
{
    char text[80];
    cnet_err err = peer ? cnet__sys_get_peer_addr(fd, text, sizeof text, port)
                        : cnet__sys_get_local_addr(fd, text, sizeof text, port);
    if (err != CNET_OK)
        return err;
    char *pct = strchr(text, '%'); /* a zone is not part of an IpAddress */
    return cnet_parse_ip_address(text, pct ? (size_t)(pct - text) : strlen(text), address);
}

cnet_err cnet__async_socket_get_local_addr(cnet_async_socket *socket, cnet_ip_address *address, cnet_port *port)
{
    cnet_err err = cnet__async_check_open(socket, "cnet_async_socket_get_local_addr");
    return err != CNET_OK ? err : addr_of(socket->fd, false, address, port);
}

cnet_err cnet__async_socket_get_peer_addr(cnet_async_socket *socket, cnet_ip_address *address, cnet_port *port)
{
    cnet_err err = cnet__async_check_open(socket, "cnet_async_socket_get_peer_addr");
    return err != CNET_OK ? err : addr_of(socket->fd, true, address, port);
}

/* ------------------------------------------------------------ accept */

static void serve_accepts(cnet_async_socket *s)
{
    while (s->reads.head && s->backlog_len > 0) {
        cnet_async_op *op = s->reads.head;
        cnet_socket_handle fd = s->backlog[0];
        memmove(s->backlog, s->backlog + 1, (--s->backlog_len) * sizeof *s->backlog);
        cnet_async_socket *client;
        cnet_err err = adopt(s->loop, fd, s->domain, s->type, s->protocol, &client);
        if (err != CNET_OK) {
            cnet__sys_close(fd);
        } else {
            client->flags |= CNET__S_CONNECTED;
            /* A TLS listener's clients start their handshake on the loop:
             * the accept completes now, a slow client holds up no other. */
            if (s->filter && (err = s->filter->accepted(s, client)) != CNET_OK) {
                begin_close(client, NULL);
            } else {
                addr_of(fd, true, &op->result.address, &op->result.port);
                op->result.accepted = client;
            }
        }
        cnet__op_list_remove(&s->reads, op);
        op->in_queue = false;
        cnet__async_complete(op, err, 0);
    }
    bool on = !(s->flags & CNET__S_CLOSING) && (s->reads.head != NULL ||
              ((s->flags & CNET__S_ACCEPTING) && s->backlog_len < 64));
    if (on != ((s->flags & CNET__S_ACCEPTING) != 0)) {
        s->flags ^= CNET__S_ACCEPTING;
        s->loop->be->want_accept(s, on);
    }
}

void cnet__async_on_accept(cnet_async_socket *s, cnet_socket_handle fd, cnet_err err, int os_error)
{
    if (err != CNET_OK) {
        if (err == CNET_ECONNABORTED || (s->flags & CNET__S_CLOSING) || s->reads.head == NULL)
            return; /* the client gave up first, or no one asked */
        cnet_async_op *op = s->reads.head;
        cnet__op_list_remove(&s->reads, op);
        op->in_queue = false;
        cnet__async_complete(op, err, os_error);
        serve_accepts(s);
        return;
    }
    if (s->flags & CNET__S_CLOSING) {
        cnet__sys_close(fd);
        return;
    }
    if (s->backlog_len == s->backlog_cap) {
        size_t cap = s->backlog_cap ? s->backlog_cap * 2 : 8;
        cnet_socket_handle *b = realloc(s->backlog, cap * sizeof *b);
        if (b == NULL) {
            cnet__sys_close(fd);
            return;
        }
        s->backlog = b;
        s->backlog_cap = cap;
    }
    s->backlog[s->backlog_len++] = fd;
    serve_accepts(s);
}

cnet_err cnet__async_accept(cnet_async_socket *socket, int timeout, cnet_async_cb cb, void *user,
                            cnet_async_op **out)
{
    cnet_err err = cnet__async_check_open(socket, "cnet_async_accept");
    if (err != CNET_OK)
        return err;
    if (!(socket->flags & CNET__S_LISTENING))
        return cnet__fail(CNET_EINVAL, "cnet_async_accept: the socket is not listening (call cnet_async_socket_listen)");
    if (socket->loop->freeing)
        return cnet__async_start_canceled(socket->loop, CNET_ASYNC_ACCEPT, "cnet_async_accept", cb, user, out);
    cnet_async_op *op = cnet__async_op_new(socket->loop, CNET_ASYNC_ACCEPT, "cnet_async_accept", cb, user, timeout);
    if (op == NULL)
        return CNET_ENOMEM;
    op->socket = socket;
    op->in_queue = true;
    cnet__op_list_push(&socket->reads, op);
    if (out)
        *out = op;
    serve_accepts(socket);
    return CNET_OK;
}

/* ----------------------------------------------------------- connect */

static void connect_finish(cnet_async_socket *s, cnet_err err, int os_error)
{
    cnet_async_op *op = s->connect_op;
    s->connect_op = NULL;
    s->flags &= ~CNET__S_CONNECTING;
    free(op->u.connect.addrs);
    op->u.connect.addrs = NULL;
    if (err == CNET_OK) {
        s->flags |= CNET__S_CONNECTED;
        if (op->u.connect.dial)
            op->result.accepted = s;
        else if (s->filter && s->filter->connected(s, op))
            return; /* TLS: it completes after the handshake */
    } else if (op->u.connect.dial && !(s->flags & CNET__S_CLOSING)) {
        begin_close(s, NULL); /* the dial's own socket: nothing is left open */
    }
    op->socket = op->u.connect.dial ? NULL : s;
    cnet__async_complete(op, err, os_error);
}

/* Try the next address; false when none is left. */
static bool connect_next(cnet_async_socket *s)
{
    cnet_async_op *op = s->connect_op;
    cnet__addr_list *addrs = op->u.connect.addrs;
    while (op->u.connect.next < addrs->count) {
        size_t i = op->u.connect.next++;
        const struct sockaddr *sa = (const struct sockaddr *)&addrs->item[i].ss;
        cnet_domain domain = sa->sa_family == AF_INET6 ? CNET_AF_INET6 : CNET_AF_INET;
        if (i > 0 || domain != s->domain) {
            /* A failed connect leaves the descriptor unusable: a new one.
             * An address that cannot be tried leaves no message behind
             * (when none can, the operation fails with its own). */
            cnet__error_state before;
            cnet__error_save(&before);
            cnet_socket_handle fd;
            if (open_fd(domain, s->type, s->protocol, &fd) != CNET_OK) {
                cnet__error_restore(&before);
                continue;
            }
            s->loop->be->detach(s);
            cnet__sys_close(s->fd);
            s->fd = fd;
            s->domain = domain;
            if (s->loop->be->attach(s) != CNET_OK) {
                cnet__error_restore(&before);
                continue;
            }
        }
        s->flags |= CNET__S_CONNECTING;
        s->loop->be->connect(s, sa, addrs->item[i].len);
        return true;
    }
    return false;
}

void cnet__async_on_connected(cnet_async_socket *s, cnet_err err, int os_error)
{
    cnet_async_op *op = s->connect_op;
    if (op == NULL)
        return;
    s->flags &= ~CNET__S_CONNECTING;
    if (err == CNET_ECANCELED || op->cancel_err != CNET_OK) {
        connect_finish(s, op->cancel_err != CNET_OK ? op->cancel_err : err, os_error);
        return;
    }
    if (err != CNET_OK && !(s->flags & CNET__S_CLOSING)) {
        op->err = err;
        op->os_error = os_error;
        if (connect_next(s))
            return;
    }
    connect_finish(s, err, os_error);
}

static cnet_err start_connect(cnet_async_socket *s, const char *address, cnet_port port, cnet_domain domain,
                              bool dial, int timeout, cnet_async_cb cb, void *user, cnet_async_op **out,
                              const char *function)
{
    if (s->connect_op || (s->flags & CNET__S_LISTENING)) {
        char msg[96];
        snprintf(msg, sizeof msg, "%s: the socket is %s", function, s->connect_op ? "already connecting" : "listening");
        return cnet__fail(CNET_EINVAL, msg);
    }
    cnet__addr_list *addrs;
    cnet__error_state before;
    cnet__error_save(&before);
    cnet_err err = cnet__resolve(address, port, domain, s->type, s->protocol, false, &addrs, function);
    if (err != CNET_OK)
        return err;
    cnet__error_restore(&before); /* a host name first tried as an address literal is not this call's failure */
    cnet_async_op *op = cnet__async_op_new(s->loop, CNET_ASYNC_CONNECT, function, cb, user, timeout);
    if (op == NULL) {
        free(addrs);
        return CNET_ENOMEM;
    }
    op->socket = s;
    op->u.connect.addrs = addrs;
    op->u.connect.dial = dial;
    s->connect_op = op;
    if (s->filter)
        s->filter->connecting(s, address);
    if (out)
        *out = op;
    if (!connect_next(s))
        connect_finish(s, cnet__fail(CNET_EOS, "cnet_async_connect: no address could be tried"), 0);
    return CNET_OK;
}

cnet_err cnet__async_connect(cnet_async_socket *socket, const char *address, cnet_port port, int timeout,
                             cnet_async_cb cb, void *user, cnet_async_op **op)
{
    cnet_err err = cnet__async_check_open(socket, "cnet_async_connect");
    if (err != CNET_OK)
        return err;
    if (socket->loop->freeing)
        return cnet__async_start_canceled(socket->loop, CNET_ASYNC_CONNECT, "cnet_async_connect", cb, user, op);
    return start_connect(socket, address, port, socket->domain, false, timeout, cb, user, op, "cnet_async_connect");
}

cnet_err cnet__async_dial(cnet_loop *loop, const char *address, cnet_port port, cnet_protocol protocol, int timeout,
                          cnet_async_cb cb, void *user, cnet_async_op **op)
{
    if (loop->freeing)
        return cnet__async_start_canceled(loop, CNET_ASYNC_CONNECT, "cnet_async_dial", cb, user, op);
    if (protocol != CNET_IPPROTO_TCP && protocol != CNET_IPPROTO_UDP)
        return cnet__fail(CNET_EINVAL, "cnet_async_dial: protocol must be CNET_IPPROTO_TCP or CNET_IPPROTO_UDP");
    cnet_sock_type type = protocol == CNET_IPPROTO_TCP ? CNET_SOCK_STREAM : CNET_SOCK_DGRAM;
    cnet_async_socket *s;
    cnet_err err = cnet__async_socket_new(loop, CNET_AF_INET, type, protocol, &s);
    if (err != CNET_OK)
        return err;
    err = start_connect(s, address, port, CNET_AF_UNSPEC, true, timeout, cb, user, op, "cnet_async_dial");
    if (err != CNET_OK)
        begin_close(s, NULL);
    return err;
}

/* ------------------------------------------------- ending early */

void cnet__async_socket_expired(cnet_async_op *op)
{
    cnet_async_socket *s = op->socket;
    if (s && s->filter && s->filter->end_op(op))
        return;
    if (op->kind == CNET_ASYNC_CONNECT) {
        if (s && s->connect_op == op) {
            if (s->flags & CNET__S_CONNECTING)
                s->loop->be->cancel_connect(s); /* on_connected finishes it */
            else
                connect_finish(s, op->cancel_err, 0);
        } else {
            cnet__async_complete(op, op->cancel_err, 0);
        }
        return;
    }
    if (op->kind == CNET_ASYNC_ACCEPT) {
        if (op->in_queue) {
            cnet__op_list_remove(&s->reads, op);
            op->in_queue = false;
        }
        cnet__async_complete(op, op->cancel_err, 0);
        serve_accepts(s);
        return;
    }
    if (op->kind == CNET_ASYNC_CLOSE)
        return; /* a close always finishes */
    cnet__async_stream_end(op);
}
