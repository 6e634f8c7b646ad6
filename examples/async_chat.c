/*
 * async_chat PORT - the chat server of Nim's asyncnet documentation, on
 * cnet's event loop.
 *
 * Nim's example (std/asyncnet):
 *
 *     proc processClient(client: AsyncSocket) {.async.} =
 *       while true:
 *         let line = await client.recvLine()
 *         if line.len == 0: break
 *         for c in clients:
 *           await c.send(line & "\c\L")
 *
 * Here, on 127.0.0.1:PORT (0 picks a free port; "listening on
 * 127.0.0.1:PORT" is printed when ready): every line a client writes
 * ("\n", "\r\n" or a lone "\r" ends it) goes to every *other* connected
 * client, followed by "\r\n" as in Nim. An empty line is forwarded as an
 * empty line (Nim's recvLine cannot tell it from a disconnect); a last line
 * without a terminator is forwarded before the client is removed; a line
 * longer than LINE_MAX bytes goes out in pieces of LINE_MAX bytes, each
 * a line of its own.
 *
 * Unlike Nim's loop, which awaits each send in turn (one client that stops
 * reading stalls everybody), the sends do not wait: cnet_async_send_copy
 * queues the line for each receiver. A receiver whose queue passes
 * MAX_PENDING bytes does not read what it is sent: it is dropped, with a
 * line on stderr, and the others go on.
 *
 * A client that disconnects is removed. SIGINT/SIGTERM close everything and
 * exit 0.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cnet/cnet.h>

#include "async_signals.h"

#define LINE_MAX_BYTES 65536
#define MAX_PENDING (1024 * 1024)

typedef struct client {
    cnet_async_socket *sock;
    struct client *prev, *next;
    size_t pending; /* bytes queued to this client and not yet sent */
    bool closing;
    char name[CNET_IP_ADDRESS_STRLEN + 8]; /* "ADDR:PORT", for the log */
} client;

static struct {
    cnet_loop *loop;
    cnet_async_socket *listener;
    cnet_async_op *signals;
    client *clients;
    bool stopping;
    int status;
} chat;

static void usage(FILE *to)
{
    fprintf(to, "usage: async_chat PORT\n"
                "  A chat server on 127.0.0.1:PORT (0 picks a free port): every line a\n"
                "  client writes goes to every other client, ending in \"\\r\\n\".\n"
                "  Prints \"listening on 127.0.0.1:PORT\" when ready; SIGINT/SIGTERM stop it.\n");
}

static void on_closed(const cnet_async_result *r, void *user)
{
    (void)r;
    client *c = user;
    if (c->prev)
        c->prev->next = c->next;
    else
        chat.clients = c->next;
    if (c->next)
        c->next->prev = c->prev;
    free(c);
}

/* Removes a client: its pending operations end with CNET_ECLOSED, then
 * on_closed frees it. It stays in the list until then, marked closing, so
 * a broadcast that is walking the list can drop clients safely. */
static void client_drop(client *c)
{
    if (c->closing)
        return;
    c->closing = true;
    cnet_async_socket_close(c->sock, on_closed, c);
}

static void on_sent(const cnet_async_result *r, void *user)
{
    client *c = user;
    if (c->closing)
        return;
    if (r->err != CNET_OK) {
        client_drop(c); /* it went away */
        return;
    }
    c->pending -= r->bytes < c->pending ? r->bytes : c->pending;
}

/* One line (len bytes, no terminator) from `from` to everybody else. */
static void broadcast(client *from, const uint8_t *line, size_t len)
{
    uint8_t *msg = malloc(len + 2);
    if (!msg) {
        fprintf(stderr, "async_chat: out of memory: a line of %s is lost\n", from->name);
        return;
    }
    memcpy(msg, line, len);
    memcpy(msg + len, "\r\n", 2);
    for (client *c = chat.clients; c; c = c->next) {
        if (c == from || c->closing)
            continue;
        /* send_copy keeps what the kernel does not take at once: msg may be
         * freed right after. */
        if (cnet_async_send_copy(c->sock, msg, len + 2, CNET_FLAGS_DEFAULT, -1, on_sent, c, NULL) != CNET_OK) {
            fprintf(stderr, "async_chat: send to %s: %s\n", c->name, cnet_last_error_message());
            client_drop(c);
            continue;
        }
        c->pending += len + 2;
        if (c->pending > MAX_PENDING) {
            fprintf(stderr, "async_chat: dropping %s: %zu bytes wait to be sent to it (more than %d): it "
                            "does not read\n", c->name, c->pending, MAX_PENDING);
            client_drop(c);
        }
    }
    free(msg);
}

static void on_line(const cnet_async_result *r, void *user);

static void start_line(client *c)
{
    if (cnet_async_recv_line(c->sock, LINE_MAX_BYTES, CNET_FLAGS_DEFAULT, -1, on_line, c, NULL) != CNET_OK) {
        fprintf(stderr, "async_chat: recv_line from %s: %s\n", c->name, cnet_last_error_message());
        client_drop(c);
    }
}

static void on_line(const cnet_async_result *r, void *user)
{
    client *c = user;
    if (c->closing)
        return;
    if (r->err != CNET_OK) {
        if (r->err != CNET_ECLOSED)
            fprintf(stderr, "async_chat: %s: %s\n", c->name, cnet_strerror(r->err));
        client_drop(c);
        return;
    }
    switch (r->line) {
    case CNET_READ_FULL_LINE:
    case CNET_READ_TRUNCATED: /* LINE_MAX_BYTES of a longer line: a line of its own */
        broadcast(c, r->data, r->bytes);
        start_line(c);
        break;
    case CNET_READ_PARTIAL_LINE: /* the last bytes before the client left */
        broadcast(c, r->data, r->bytes);
        client_drop(c);
        break;
    default: /* CNET_READ_DISCONNECTED */
        client_drop(c);
        break;
    }
}

static void stop_all(void)
{
    if (chat.stopping)
        return;
    chat.stopping = true;
    if (chat.signals)
        cnet_async_cancel(chat.signals);
    cnet_async_socket_close(chat.listener, NULL, NULL);
    for (client *c = chat.clients; c; c = c->next)
        client_drop(c);
}

static void on_accept(const cnet_async_result *r, void *user)
{
    (void)user;
    if (r->err != CNET_OK || chat.stopping) {
        if (r->accepted)
            cnet_async_socket_close(r->accepted, NULL, NULL);
        if (r->err != CNET_OK && r->err != CNET_ECLOSED && r->err != CNET_ECANCELED) {
            fprintf(stderr, "async_chat: accept: %s\n", cnet_strerror(r->err));
            chat.status = 1;
            stop_all();
        }
        return;
    }
    if (cnet_async_accept(chat.listener, -1, on_accept, NULL, NULL) != CNET_OK) {
        fprintf(stderr, "async_chat: accept: %s\n", cnet_last_error_message());
        chat.status = 1;
        stop_all();
    }
    client *c = calloc(1, sizeof *c);
    if (!c) {
        fprintf(stderr, "async_chat: out of memory for a client\n");
        cnet_async_socket_close(r->accepted, NULL, NULL);
        return;
    }
    c->sock = r->accepted;
    char ip[CNET_IP_ADDRESS_STRLEN];
    if (cnet_ip_address_to_string(&r->address, ip, sizeof ip, NULL) != CNET_OK)
        strcpy(ip, "?");
    snprintf(c->name, sizeof c->name, "%s:%u", ip, (unsigned)r->port.value);
    c->next = chat.clients;
    if (chat.clients)
        chat.clients->prev = c;
    chat.clients = c;
    if (chat.stopping)
        client_drop(c);
    else
        start_line(c);
}

static void on_signal(const cnet_async_result *r, void *user)
{
    (void)user;
    chat.signals = NULL;
    if (r->err == CNET_OK)
        stop_all();
}

int main(int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        usage(stdout);
        return 0;
    }
    if (argc != 2) {
        usage(stderr);
        return 2;
    }
    cnet_port port;
    if (cnet_port_parse(argv[1], &port) != CNET_OK) {
        fprintf(stderr, "async_chat: bad PORT '%s': %s\n", argv[1], cnet_last_error_message());
        usage(stderr);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);

    if (cnet_loop_new(&chat.loop) != CNET_OK) {
        fprintf(stderr, "async_chat: loop: %s\n", cnet_last_error_message());
        return 1;
    }
    cnet_ip_address addr;
    cnet_port bound;
    if (cnet_async_socket_new(chat.loop, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &chat.listener) !=
            CNET_OK ||
        cnet_async_socket_set_sock_opt(chat.listener, CNET_OPT_REUSE_ADDR, true) != CNET_OK ||
        cnet_async_socket_bind_addr(chat.listener, port, "127.0.0.1") != CNET_OK ||
        cnet_async_socket_listen(chat.listener, CNET_SOMAXCONN) != CNET_OK ||
        cnet_async_socket_get_local_addr(chat.listener, &addr, &bound) != CNET_OK) {
        fprintf(stderr, "async_chat: listen on 127.0.0.1:%s: %s\n", argv[1], cnet_last_error_message());
        cnet_loop_free(chat.loop);
        return 1;
    }
    if (!signals_watch(chat.loop, on_signal, NULL, &chat.signals)) {
        fprintf(stderr, "async_chat: signal handlers: %s\n", strerror(errno));
        cnet_loop_free(chat.loop);
        signals_unwatch();
        return 1;
    }
    if (cnet_async_accept(chat.listener, -1, on_accept, NULL, NULL) != CNET_OK) {
        fprintf(stderr, "async_chat: accept: %s\n", cnet_last_error_message());
        chat.status = 1;
        stop_all();
    } else {
        printf("listening on 127.0.0.1:%u\n", (unsigned)bound.value);
    }

    if (cnet_loop_run(chat.loop) != CNET_OK) {
        fprintf(stderr, "async_chat: loop: %s\n", cnet_last_error_message());
        chat.status = 1;
    }
    stop_all(); /* after a loop error: what is still open is freed by cnet_loop_free */
    cnet_loop_free(chat.loop);
    signals_unwatch();
    return chat.status;
}
