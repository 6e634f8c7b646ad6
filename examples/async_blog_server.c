/*
 * async_blog_server [PORT [COUNT]] - the seed blog's improved ("改进实例")
 * Nim server, serving many clients at once on cnet's event loop.
 *
 * The wire protocol is blog_server's, byte for byte: to every client the
 * server sends "Hi, welcome!" behind a 4-digit zero-padded decimal length
 * ("0012Hi, welcome!"), then reads one frame the same way (a 4-digit length,
 * then that many bytes) and closes the connection. With
 * cnet_async_send_frame / cnet_async_recv_frame (CNET_FRAME_DECIMAL4) both
 * are pending at once, so a client that sends its frame first is served too,
 * and a slow client holds nobody else up: every exchange runs side by side.
 *
 * Output: first "listening on 0.0.0.0:PORT" (the real port, so PORT 0 works),
 * then blog_server's lines with the blog's spelling: "server waitting" when
 * the server waits with no client, "client from IP: A" at each accept, and
 * "message lenth: N" + "from client message: ..." when a client's frame
 * arrived (the two lines together, even when clients interleave). Clients
 * served one after the other give exactly blog_server's lines.
 *
 * As in blog_server: PORT defaults to 7003 and listens on every IPv4
 * address; after COUNT clients (default 0: forever) it stops accepting,
 * finishes the open exchanges and exits; each exchange has a
 * CLIENT_TIMEOUT_MS deadline; a failed exchange is reported on stderr
 * ("async_blog_server: receive: ...") and the exit status is then 1.
 * SIGINT/SIGTERM end it at once (open exchanges are abandoned), status 0
 * unless an exchange had failed.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cnet/cnet.h>

#include "async_signals.h"

#define DEFAULT_PORT 7003
#define CLIENT_TIMEOUT_MS 30000

typedef struct visitor {
    cnet_async_socket *sock;
    struct visitor *prev, *next;
    unsigned ops; /* the welcome and the client's frame, while pending */
    bool closing;
    char ip[CNET_IP_ADDRESS_STRLEN];
    char peer[CNET_IP_ADDRESS_STRLEN + 8];
} visitor;

static struct {
    cnet_loop *loop;
    cnet_async_socket *listener; /* NULL once closed */
    cnet_async_op *signals;
    visitor *visitors;
    unsigned long count, accepted;
    size_t active;
    bool stopping;
    int status;
} blog;

static void usage(FILE *to)
{
    fprintf(to, "usage: async_blog_server [PORT [COUNT]]\n"
                "  PORT   TCP port to listen on (default %d; 0 picks a free one)\n"
                "  COUNT  serve COUNT clients, then exit (default 0: forever)\n"
                "  Serves many clients at once; prints \"listening on 0.0.0.0:PORT\" when ready.\n",
                DEFAULT_PORT);
}

/* The loop ends when nothing is left: no listener, no client, no watch. */
static void finish_if_idle(void)
{
    if (blog.active > 0)
        return;
    if (blog.listener) {
        puts("server waitting");
        return;
    }
    if (blog.signals) {
        cnet_async_cancel(blog.signals);
        blog.signals = NULL;
    }
}

static void stop_listening(void)
{
    if (!blog.listener)
        return;
    cnet_async_socket_close(blog.listener, NULL, NULL);
    blog.listener = NULL;
}

static void on_closed(const cnet_async_result *r, void *user)
{
    (void)r;
    visitor *v = user;
    if (v->prev)
        v->prev->next = v->next;
    else
        blog.visitors = v->next;
    if (v->next)
        v->next->prev = v->prev;
    free(v);
    blog.active--;
    if (!blog.stopping)
        finish_if_idle();
}

/* clientSocket.close(): pending operations end with CNET_ECLOSED first. */
static void visitor_close(visitor *v)
{
    if (v->closing)
        return;
    v->closing = true;
    cnet_async_socket_close(v->sock, on_closed, v);
}

static void visitor_fail(visitor *v, const char *what, cnet_err err)
{
    fprintf(stderr, "async_blog_server: %s: %s (client %s)\n", what, cnet_strerror(err), v->peer);
    blog.status = 1;
    visitor_close(v);
}

static void on_welcome_sent(const cnet_async_result *r, void *user)
{
    visitor *v = user;
    v->ops--;
    if (v->closing)
        return;
    if (r->err != CNET_OK)
        visitor_fail(v, "send", r->err);
    else if (v->ops == 0)
        visitor_close(v);
}

static void on_frame(const cnet_async_result *r, void *user)
{
    visitor *v = user;
    v->ops--;
    if (v->closing)
        return;
    if (r->err != CNET_OK) {
        visitor_fail(v, "receive", r->err);
        return;
    }
    /* OK with 0 bytes is also the end of the stream before any byte of the
     * frame; an empty frame ("0000") comes with a payload pointer. */
    if (r->bytes == 0 && r->data == NULL) {
        visitor_fail(v, "receive", CNET_EEOF);
        return;
    }
    printf("message lenth: %zu\nfrom client message: %.*s\n", r->bytes, (int)r->bytes, (const char *)r->data);
    if (v->ops == 0)
        visitor_close(v);
}

static void stop_all(void)
{
    if (blog.stopping)
        return;
    blog.stopping = true;
    stop_listening();
    if (blog.signals) {
        cnet_async_cancel(blog.signals);
        blog.signals = NULL;
    }
    for (visitor *v = blog.visitors; v; v = v->next)
        visitor_close(v);
}

static void on_accept(const cnet_async_result *r, void *user)
{
    (void)user;
    if (r->err != CNET_OK || blog.stopping) {
        if (r->accepted)
            cnet_async_socket_close(r->accepted, NULL, NULL);
        if (r->err != CNET_OK && r->err != CNET_ECLOSED && r->err != CNET_ECANCELED) {
            /* As in blog_server: an error of accept itself is not one
             * client's; stop accepting, let the open exchanges finish. */
            fprintf(stderr, "async_blog_server: accept: %s\n", cnet_strerror(r->err));
            blog.status = 1;
            stop_listening();
            finish_if_idle();
        }
        return;
    }
    visitor *v = calloc(1, sizeof *v);
    if (!v) {
        fprintf(stderr, "async_blog_server: out of memory for a client\n");
        cnet_async_socket_close(r->accepted, NULL, NULL);
        blog.status = 1;
        return;
    }
    v->sock = r->accepted;
    if (cnet_ip_address_to_string(&r->address, v->ip, sizeof v->ip, NULL) != CNET_OK)
        strcpy(v->ip, "?");
    snprintf(v->peer, sizeof v->peer, "%s:%u", v->ip, (unsigned)r->port.value);
    v->next = blog.visitors;
    if (blog.visitors)
        blog.visitors->prev = v;
    blog.visitors = v;
    blog.active++;
    blog.accepted++;
    printf("client from IP: %s\n", v->ip);

    /* The next client, unless this was the last one. */
    if (blog.count != 0 && blog.accepted >= blog.count) {
        stop_listening();
    } else if (cnet_async_accept(blog.listener, -1, on_accept, NULL, NULL) != CNET_OK) {
        fprintf(stderr, "async_blog_server: accept: %s\n", cnet_last_error_message());
        blog.status = 1;
        stop_listening();
    }

    /* clientSocket.send("0012Hi, welcome!") and the client's frame, both at
     * once; CNET_FRAME_DECIMAL4 writes and checks the blog's prefix. */
    static const char server_mes[] = "Hi, welcome!";
    if (cnet_async_send_frame(v->sock, CNET_FRAME_DECIMAL4, server_mes, strlen(server_mes), CLIENT_TIMEOUT_MS,
                              on_welcome_sent, v, NULL) != CNET_OK) {
        visitor_fail(v, "send", cnet_last_error());
        return;
    }
    v->ops++;
    if (cnet_async_recv_frame(v->sock, CNET_FRAME_DECIMAL4, CNET_FRAME_DECIMAL4_MAX, CLIENT_TIMEOUT_MS, on_frame, v,
                              NULL) != CNET_OK) {
        visitor_fail(v, "receive", cnet_last_error());
        return;
    }
    v->ops++;
}

static void on_signal(const cnet_async_result *r, void *user)
{
    (void)user;
    blog.signals = NULL;
    if (r->err == CNET_OK)
        stop_all();
}

int main(int argc, char **argv)
{
    cnet_port port = CNET_PORT(DEFAULT_PORT);
    if (argc > 3 || (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0))) {
        usage(argc > 3 ? stderr : stdout);
        return argc > 3 ? 2 : 0; /* --help: GNU convention */
    }
    if (argc > 1 && cnet_port_parse(argv[1], &port) != CNET_OK) {
        fprintf(stderr, "async_blog_server: bad PORT '%s': %s\n", argv[1], cnet_last_error_message());
        usage(stderr);
        return 2;
    }
    if (argc > 2) {
        char *end;
        errno = 0;
        blog.count = strtoul(argv[2], &end, 10);
        if (argv[2][0] < '0' || argv[2][0] > '9' || *end != '\0' || errno != 0) {
            fprintf(stderr, "async_blog_server: bad COUNT '%s'\n", argv[2]);
            usage(stderr);
            return 2;
        }
    }
    setvbuf(stdout, NULL, _IOLBF, 0);

    if (cnet_loop_new(&blog.loop) != CNET_OK) {
        fprintf(stderr, "async_blog_server: loop: %s\n", cnet_last_error_message());
        return 1;
    }
    /* serverSocket = newSocket(); bindAddr(Port(7003)); listen() */
    cnet_ip_address addr;
    cnet_port bound;
    if (cnet_async_socket_new(blog.loop, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &blog.listener) !=
            CNET_OK ||
        cnet_async_socket_set_sock_opt(blog.listener, CNET_OPT_REUSE_ADDR, true) != CNET_OK ||
        cnet_async_socket_bind_addr(blog.listener, port, "") != CNET_OK ||
        cnet_async_socket_listen(blog.listener, CNET_SOMAXCONN) != CNET_OK ||
        cnet_async_socket_get_local_addr(blog.listener, &addr, &bound) != CNET_OK) {
        fprintf(stderr, "async_blog_server: listen on port %u: %s\n", (unsigned)port.value,
                cnet_last_error_message());
        cnet_loop_free(blog.loop);
        return 1;
    }
    if (!signals_watch(blog.loop, on_signal, NULL, &blog.signals)) {
        fprintf(stderr, "async_blog_server: signal handlers: %s\n", strerror(errno));
        cnet_loop_free(blog.loop);
        signals_unwatch();
        return 1;
    }
    if (cnet_async_accept(blog.listener, -1, on_accept, NULL, NULL) != CNET_OK) {
        fprintf(stderr, "async_blog_server: accept: %s\n", cnet_last_error_message());
        blog.status = 1;
        stop_all();
    } else {
        printf("listening on 0.0.0.0:%u\n", (unsigned)bound.value);
        puts("server waitting");
    }

    if (cnet_loop_run(blog.loop) != CNET_OK) {
        fprintf(stderr, "async_blog_server: loop: %s\n", cnet_last_error_message());
        blog.status = 1;
    }
    stop_all(); /* after a loop error: what is still open is freed by cnet_loop_free */
    cnet_loop_free(blog.loop);
    signals_unwatch();
    return blog.status;
}
