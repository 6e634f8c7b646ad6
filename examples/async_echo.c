/*
 * async_echo PORT - an echo server on one thread, on cnet's event loop.
 * async_echo --tls CERT KEY PORT - the same echo over TLS (cnet_async_tls_*):
 *   the listener is wrapped with a server context of CERT and KEY (PEM), so
 *   every accepted connection runs its handshake on the loop (a slow client
 *   holds up no other) and the echo code below is the same; at the end of a
 *   client's stream the server sends close_notify (cnet_async_tls_shutdown)
 *   after the queued echo, then closes.
 *
 * Listens on 127.0.0.1:PORT (0 picks a free port) and sends every byte of
 * every connection back, until SIGINT or SIGTERM. It prints one line when it
 * is ready, "listening on 127.0.0.1:PORT" (the real port), so a caller that
 * passed 0 learns it. It is the cnet row of the echo benchmark
 * (bench/echo.sh): keep the command lines exactly `async_echo PORT` and
 * `async_echo --tls CERT KEY PORT`.
 *
 * The pattern, per connection:
 *   - one cnet_async_recv outstanding (all = false: it completes with
 *     whatever arrived, up to RECV_SIZE bytes). The bytes are the library's,
 *     borrowed for the callback, so an idle connection owns no buffer at all:
 *     10 000 idle connections cost 10 000 small structs;
 *   - on data: cnet_async_send_copy (it writes at once when it can and copies
 *     only what the kernel did not take), then the next recv;
 *   - backpressure: while more than HIGH_WATER bytes wait to go out (the
 *     peer does not read its echo), no recv is started, so the library
 *     stops reading and the peer's sends block in TCP; reading starts again
 *     below LOW_WATER;
 *   - at the peer's end of stream the bytes still queued are sent, then the
 *     connection is closed; on an error it is closed at once.
 *
 * Many connections: RLIMIT_NOFILE is raised to its hard limit at start. When
 * accept fails for want of descriptors (EMFILE), the server says so once on
 * stderr and stops accepting for ACCEPT_PAUSE_MS at a time, instead of
 * retrying in a busy loop; the connections waiting in the kernel's queue are
 * accepted when descriptors are free again.
 *
 * SIGINT/SIGTERM (async_signals.h): the listener and every connection are
 * closed, the loop runs out of work, everything is freed; exit status 0.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <cnet/cnet.h>

#include "async_signals.h"

#define RECV_SIZE 65536
#define HIGH_WATER (1024 * 1024)
#define LOW_WATER (256 * 1024)
#define ACCEPT_PAUSE_MS 500

typedef struct conn {
    cnet_async_socket *sock;
    struct conn *prev, *next;
    size_t unsent;  /* bytes given to send_copy and not yet reported sent */
    unsigned sends; /* send operations pending */
    bool reading;   /* a recv is pending */
    bool eof;       /* the peer ended its stream: close once the sends are done */
    bool closing;
    bool shutting;  /* TLS: close_notify on its way */
} conn;

typedef struct {
    cnet_loop *loop;
    cnet_async_socket *listener;
    cnet_ssl_context *tls;  /* --tls: the server context */
    cnet_async_op *pause;   /* the accept pause timer, while it runs */
    cnet_async_op *signals; /* the signal watch, until it fires */
    conn *conns;
    size_t open;            /* connections not yet freed */
    rlim_t nofile;          /* the descriptor limit in force */
    bool accept_failing;    /* an accept error was reported and not yet cleared */
    bool stopping;
    int status;
} server;

static server srv;

static void usage(FILE *to)
{
    fprintf(to, "usage: async_echo PORT\n"
                "       async_echo --tls CERT KEY PORT\n"
                "  Echoes every byte of every TCP connection on 127.0.0.1:PORT back\n"
                "  (0 picks a free port), on one thread, until SIGINT or SIGTERM.\n"
                "  --tls: over TLS, with the PEM certificate CERT and its key KEY.\n"
                "  Prints \"listening on 127.0.0.1:PORT\" when ready.\n");
}

/* As many descriptors as the hard limit allows (each connection needs one). */
static void raise_nofile(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return;
    if (rl.rlim_cur < rl.rlim_max) {
        struct rlimit want = rl;
        want.rlim_cur = rl.rlim_max;
        /* RLIM_INFINITY is refused for descriptors: try a large finite one. */
        if (setrlimit(RLIMIT_NOFILE, &want) != 0 && rl.rlim_max == RLIM_INFINITY) {
            want.rlim_cur = 1048576;
            setrlimit(RLIMIT_NOFILE, &want);
        }
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    srv.nofile = rl.rlim_cur;
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < 10016)
        fprintf(stderr, "async_echo: note: at most %llu descriptors (RLIMIT_NOFILE), so fewer than 10000 "
                        "connections at once\n", (unsigned long long)rl.rlim_cur);
}

static void on_recv(const cnet_async_result *r, void *user);

static void on_closed(const cnet_async_result *r, void *user)
{
    (void)r;
    conn *c = user;
    if (c->prev)
        c->prev->next = c->next;
    else
        srv.conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    free(c);
    srv.open--;
}

static void conn_close(conn *c)
{
    if (c->closing)
        return;
    c->closing = true;
    /* Pending operations complete with CNET_ECLOSED first, then on_closed. */
    if (cnet_async_socket_close(c->sock, on_closed, c) != CNET_OK)
        fprintf(stderr, "async_echo: close: %s\n", cnet_last_error_message());
}

static void on_shut(const cnet_async_result *r, void *user)
{
    (void)r;
    conn_close(user);
}

/* The end of the peer's stream and of the echo: TLS says close_notify first. */
static void finish(conn *c)
{
    if (srv.tls == NULL || c->shutting) {
        conn_close(c);
        return;
    }
    c->shutting = true;
    if (cnet_async_tls_shutdown(c->sock, 5000, on_shut, c, NULL) != CNET_OK)
        conn_close(c);
}

static void start_recv(conn *c)
{
    if (cnet_async_recv(c->sock, RECV_SIZE, false, CNET_FLAGS_DEFAULT, -1, on_recv, c, NULL) == CNET_OK) {
        c->reading = true;
    } else {
        fprintf(stderr, "async_echo: recv: %s\n", cnet_last_error_message());
        conn_close(c);
    }
}

static void on_sent(const cnet_async_result *r, void *user)
{
    conn *c = user;
    c->sends--;
    if (c->closing)
        return;
    if (r->err != CNET_OK) {
        conn_close(c); /* the peer is gone (a reset...): nothing more to echo */
        return;
    }
    c->unsent -= r->bytes < c->unsent ? r->bytes : c->unsent;
    if (c->eof) {
        if (c->sends == 0)
            finish(c);
    } else if (!c->reading && c->unsent <= LOW_WATER) {
        start_recv(c);
    }
}

static void on_recv(const cnet_async_result *r, void *user)
{
    conn *c = user;
    c->reading = false;
    if (c->closing)
        return;
    if (r->err != CNET_OK) {
        conn_close(c);
        return;
    }
    if (r->bytes == 0) { /* end of stream: echo what is queued, then close */
        c->eof = true;
        if (c->sends == 0)
            finish(c);
        return;
    }
    if (cnet_async_send_copy(c->sock, r->data, r->bytes, CNET_FLAGS_DEFAULT, -1, on_sent, c, NULL) != CNET_OK) {
        fprintf(stderr, "async_echo: send: %s\n", cnet_last_error_message());
        conn_close(c);
        return;
    }
    c->sends++;
    c->unsent += r->bytes;
    if (c->unsent <= HIGH_WATER)
        start_recv(c);
}

/* Close the listener and every connection, stop watching for signals: the
 * loop then runs out of work and cnet_loop_run returns. */
static void stop_all(void)
{
    if (srv.stopping)
        return;
    srv.stopping = true;
    if (srv.pause)
        cnet_async_cancel(srv.pause);
    if (srv.signals)
        cnet_async_cancel(srv.signals);
    cnet_async_socket_close(srv.listener, NULL, NULL);
    for (conn *c = srv.conns; c; c = c->next)
        conn_close(c);
}

static void on_accept(const cnet_async_result *r, void *user);

static void start_accept(void)
{
    if (cnet_async_accept(srv.listener, -1, on_accept, NULL, NULL) != CNET_OK) {
        fprintf(stderr, "async_echo: accept: %s\n", cnet_last_error_message());
        srv.status = 1;
        stop_all();
    }
}

static void on_pause_over(const cnet_async_result *r, void *user)
{
    (void)user;
    srv.pause = NULL;
    if (r->err == CNET_OK && !srv.stopping)
        start_accept();
}

static void on_accept(const cnet_async_result *r, void *user)
{
    (void)user;
    if (r->err == CNET_ECLOSED || r->err == CNET_ECANCELED || srv.stopping) {
        if (r->accepted)
            cnet_async_socket_close(r->accepted, NULL, NULL);
        return;
    }
    if (r->err != CNET_OK) {
        /* Out of descriptors (or another accept error): say so once, then
         * retry every ACCEPT_PAUSE_MS; never in a busy loop. */
        if (!srv.accept_failing) {
            if (r->err == CNET_EMFILE)
                fprintf(stderr, "async_echo: accept: %s: %zu connections open, RLIMIT_NOFILE is %llu; "
                                "not accepting until descriptors are free (retrying every %d ms)\n",
                        cnet_strerror(r->err), srv.open, (unsigned long long)srv.nofile, ACCEPT_PAUSE_MS);
            else
                fprintf(stderr, "async_echo: accept: %s (retrying every %d ms)\n", cnet_strerror(r->err),
                        ACCEPT_PAUSE_MS);
            srv.accept_failing = true;
        }
        if (cnet_loop_sleep(srv.loop, ACCEPT_PAUSE_MS, on_pause_over, NULL, &srv.pause) != CNET_OK) {
            fprintf(stderr, "async_echo: timer: %s\n", cnet_last_error_message());
            srv.status = 1;
            stop_all();
        }
        return;
    }
    if (srv.accept_failing) {
        fprintf(stderr, "async_echo: accepting again (%zu connections open)\n", srv.open);
        srv.accept_failing = false;
    }
    start_accept(); /* the next one, while this one is set up */
    conn *c = calloc(1, sizeof *c);
    if (!c) {
        fprintf(stderr, "async_echo: out of memory for a connection\n");
        cnet_async_socket_close(r->accepted, NULL, NULL);
        return;
    }
    c->sock = r->accepted;
    c->next = srv.conns;
    if (srv.conns)
        srv.conns->prev = c;
    srv.conns = c;
    srv.open++;
    /* Echo small messages at once instead of waiting for Nagle. */
    cnet_async_socket_set_sock_opt(c->sock, CNET_OPT_NO_DELAY, true);
    if (srv.stopping) /* start_accept failed just now */
        conn_close(c);
    else
        start_recv(c);
}

/* SIGINT/SIGTERM: close everything; cnet_loop_run returns when all is done. */
static void on_signal(const cnet_async_result *r, void *user)
{
    (void)user;
    srv.signals = NULL;
    if (r->err == CNET_OK)
        stop_all();
}

int main(int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        usage(stdout);
        return 0; /* --help: GNU convention */
    }
    const char *port_arg = argv[1];
    if (argc == 5 && strcmp(argv[1], "--tls") == 0) {
        port_arg = argv[4];
    } else if (argc != 2) {
        usage(stderr);
        return 2;
    }
    cnet_port port;
    if (cnet_port_parse(port_arg, &port) != CNET_OK) {
        fprintf(stderr, "async_echo: bad PORT '%s': %s\n", port_arg, cnet_last_error_message());
        usage(stderr);
        return 2;
    }
    if (argc == 5) {
        cnet_ssl_options o = {0};
        o.cert_file = argv[2];
        o.key_file = argv[3];
        if (cnet_ssl_context_new(&o, &srv.tls) != CNET_OK) {
            fprintf(stderr, "async_echo: TLS context: %s\n", cnet_last_error_message());
            return 1;
        }
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    raise_nofile();

    if (cnet_loop_new(&srv.loop) != CNET_OK) {
        fprintf(stderr, "async_echo: loop: %s\n", cnet_last_error_message());
        return 1;
    }
    cnet_port bound;
    cnet_ip_address addr;
    if (cnet_async_socket_new(srv.loop, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &srv.listener) !=
            CNET_OK ||
        cnet_async_socket_set_sock_opt(srv.listener, CNET_OPT_REUSE_ADDR, true) != CNET_OK ||
        cnet_async_socket_bind_addr(srv.listener, port, "127.0.0.1") != CNET_OK ||
        cnet_async_socket_listen(srv.listener, CNET_SOMAXCONN) != CNET_OK ||
        (srv.tls && cnet_async_tls_wrap(srv.tls, srv.listener) != CNET_OK) ||
        cnet_async_socket_get_local_addr(srv.listener, &addr, &bound) != CNET_OK) {
        fprintf(stderr, "async_echo: listen on 127.0.0.1:%s: %s\n", port_arg, cnet_last_error_message());
        cnet_loop_free(srv.loop);
        cnet_ssl_context_free(srv.tls);
        return 1;
    }
    if (!signals_watch(srv.loop, on_signal, NULL, &srv.signals)) {
        fprintf(stderr, "async_echo: signal handlers: %s\n", strerror(errno));
        cnet_loop_free(srv.loop);
        signals_unwatch();
        return 1;
    }
    start_accept();
    printf("listening on 127.0.0.1:%u\n", (unsigned)bound.value);

    if (cnet_loop_run(srv.loop) != CNET_OK) {
        fprintf(stderr, "async_echo: loop: %s\n", cnet_last_error_message());
        srv.status = 1;
    }
    /* Normally nothing is left. After a loop error, close what is open: the
     * close callbacks run inside cnet_loop_free, so every conn is freed. */
    stop_all();
    cnet_loop_free(srv.loop);
    cnet_ssl_context_free(srv.tls);
    signals_unwatch();
    return srv.status;
}
