/*
 * Async TLS (spec/async.yaml, cnet_async_tls_*): handshakes both ways
 * against cnet's blocking TLS (a thread) and `openssl s_server` /
 * `s_client`, every bad certificate the tls suite rejects, echo of random
 * sizes both ways at once, key updates arriving while a large send is in
 * flight, truncation against close_notify, ALPN, cancel / close / timeout
 * in the middle of a handshake, recvLine and frames over TLS, STARTTLS.
 * Certificates are made at test time by tests/tls_mkcerts.sh. Every start
 * goes through TA_START (no callback inside a start call) and every
 * callback is checked to run exactly once (TA_DONE).
 */
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "test_async.h"
#define TLS_CERTS_TAG "cnet-atls"
#include "tls_certs.h"

#ifdef CNET_TEST_HAVE_OPENSSL
#include <openssl/ssl.h>
#endif

/* ------------------------------------------------------------ helpers */

/* ------------------------------------- a blocking TLS server thread */

typedef struct bserver bserver;
typedef void (*serve_fn)(bserver *sv, cnet_socket *c);

struct bserver {
    cnet_socket *listener;
    cnet_port port;
    serve_fn serve;
    cnet_err accept_err, serve_err;
    char text[256];
    size_t bytes;
    atomic_bool done; /* serve returned (the loop may need to run until then) */
    pthread_t thread;
};

static void *bserver_main(void *p)
{
    bserver *sv = p;
    cnet_socket *c = NULL;
    sv->accept_err = cnet_socket_accept(sv->listener, &c, CNET_FLAGS_DEFAULT);
    if (sv->accept_err == CNET_OK && sv->serve)
        sv->serve(sv, c);
    cnet_socket_free(c);
    atomic_store(&sv->done, true);
    return NULL;
}

/* ctx NULL: a plain TCP server. */
static void bserver_start(bserver *sv, cnet_ssl_context *ctx, serve_fn serve)
{
    memset(sv, 0, sizeof *sv);
    sv->serve = serve;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &sv->listener));
    if (ctx)
        TC_OK(cnet_socket_wrap(ctx, sv->listener));
    TC_OK(cnet_socket_bind_addr(sv->listener, CNET_PORT(0), "127.0.0.1"));
    TC_OK(cnet_socket_listen(sv->listener, 8));
    TC_OK(cnet_socket_set_timeout(sv->listener, 5000));
    char addr[CNET_ADDRSTRLEN];
    TC_OK(cnet_socket_get_local_addr(sv->listener, addr, sizeof addr, &sv->port));
    cr_assert_eq(pthread_create(&sv->thread, NULL, bserver_main, sv), 0);
}

static void bserver_join(bserver *sv)
{
    pthread_join(sv->thread, NULL);
    cnet_socket_free(sv->listener);
}

static void serve_echo(bserver *sv, cnet_socket *c)
{
    char line[256];
    size_t len;
    cnet_read_line_result r;
    for (;;) {
        sv->serve_err = cnet_socket_read_line(c, line, sizeof line, &len, &r, 5000, CNET_FLAGS_DEFAULT);
        if (sv->serve_err != CNET_OK || r != CNET_READ_FULL_LINE)
            return;
        line[len++] = '\n';
        if (cnet_socket_send(c, line, len, 0, NULL) != CNET_OK)
            return;
    }
}

static void serve_wait(bserver *sv, cnet_socket *c)
{
    char buf[16];
    size_t n;
    sv->serve_err = cnet_socket_recv(c, buf, 1, 5000, 0, &n);
}

/* An async TLS client: wrap, (server name), connect; returns the connect's
 * result after running the loop. */
static cnet_err async_connect(cnet_loop *loop, cnet_ssl_context *ctx, const char *host, const char *server_name,
                              cnet_port port, int timeout, cnet_async_socket **out)
{
    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, out));
    TC_OK(cnet_async_tls_wrap(ctx, *out));
    if (server_name)
        TC_OK(cnet_async_tls_set_server_name(*out, server_name));
    ta_rec c = {0};
    TA_START(cnet_async_connect(*out, host, port, timeout, ta_cb, &c, NULL));
    TA_RUN_UNTIL(loop, c.calls > 0, 10000);
    TA_DONE(c, CNET_ASYNC_CONNECT, c.err);
    return c.err;
}

/* One line through the async socket and its echo back. */
static void line_round_trip(cnet_loop *loop, cnet_async_socket *s, const char *text)
{
    ta_rec w = {0}, r = {0};
    TA_START(cnet_async_recv_line(s, 256, CNET_FLAGS_DEFAULT, 5000, ta_cb, &r, NULL));
    TA_START(cnet_async_send(s, text, strlen(text), CNET_FLAGS_DEFAULT, 5000, ta_cb, &w, NULL));
    TA_RUN_UNTIL(loop, w.calls > 0 && r.calls > 0, 5000);
    TA_DONE(w, CNET_ASYNC_SEND, CNET_OK);
    TA_DONE(r, CNET_ASYNC_RECV_LINE, CNET_OK);
    cr_assert_eq(w.bytes, strlen(text));
    cr_assert_eq(r.line, CNET_READ_FULL_LINE);
    cr_assert_eq(strncmp((const char *)r.copy, text, r.bytes), 0, "echo: %s", r.copy);
    cr_assert_eq(r.bytes + 1, strlen(text));
}

/* ====================================================== errors */

Test(async_tls, without_tls_every_call_is_enotsup_else_plain_sockets_are_refused)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL, *u = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    bool b;
    cnet_err v;
    char buf[CNET_ALPN_PROTOCOL_MAX];
    if (!cnet_tls_available()) {
        TA_REFUSE(CNET_ENOTSUP, cnet_async_tls_wrap((cnet_ssl_context *)&b, s));
        cr_assert(strstr(cnet_last_error_message(), "without TLS") != NULL, "%s", cnet_last_error_message());
        TA_REFUSE(CNET_ENOTSUP, cnet_async_tls_wrap_connected((cnet_ssl_context *)&b, s, CNET_HANDSHAKE_AS_CLIENT, "x"));
        TA_REFUSE(CNET_ENOTSUP, cnet_async_tls_set_server_name(s, "x"));
        TA_REFUSE(CNET_ENOTSUP, cnet_async_tls_handshake(s, -1, ta_cb, NULL, NULL));
        TA_REFUSE(CNET_ENOTSUP, cnet_async_tls_shutdown(s, -1, ta_cb, NULL, NULL));
        TA_REFUSE(CNET_ENOTSUP, cnet_async_tls_got_handshake(s, &b));
        TA_REFUSE(CNET_ENOTSUP, cnet_async_tls_get_verify_result(s, &v));
        TA_REFUSE(CNET_ENOTSUP, cnet_async_tls_get_alpn_protocol(s, buf, sizeof buf));
        TA_REFUSE(CNET_ENOTSUP, cnet_async_tls_get_psk_identity(s, buf, sizeof buf));
        cnet_certificate_list l;
        TA_REFUSE(CNET_ENOTSUP, cnet_async_tls_get_peer_certificates(s, CNET_CERT_DER, &l));
        cr_assert_eq(l.count, 0);
    } else {
        need_tls();
        cnet_ssl_context *ctx = client_ctx();
        TA_REFUSE(CNET_ETLS_NOT_TLS, cnet_async_tls_handshake(s, -1, ta_cb, NULL, NULL));
        TA_REFUSE(CNET_ETLS_NOT_TLS, cnet_async_tls_shutdown(s, -1, ta_cb, NULL, NULL));
        TA_REFUSE(CNET_ETLS_NOT_TLS, cnet_async_tls_got_handshake(s, &b));
        TA_REFUSE(CNET_ETLS_NOT_TLS, cnet_async_tls_get_alpn_protocol(s, buf, sizeof buf));
        TA_REFUSE(CNET_ETLS_NOT_TLS, cnet_async_tls_set_server_name(s, "x"));
        TA_REFUSE(CNET_EINVAL, cnet_async_tls_wrap(ctx, s)); /* connected */
        TA_REFUSE(CNET_EINVAL, cnet_async_tls_wrap_connected(ctx, s, CNET_HANDSHAKE_AS_CLIENT, NULL)); /* no name */
        TA_REFUSE(CNET_EINVAL, cnet_async_tls_wrap_connected(ctx, s, (cnet_ssl_handshake_type)7, "x"));
        TA_REFUSE(CNET_EINVAL, cnet_async_tls_wrap_connected(NULL, s, CNET_HANDSHAKE_AS_CLIENT, "x"));
        TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, &u));
        TA_REFUSE(CNET_EINVAL, cnet_async_tls_wrap(ctx, u));
        ta_close(loop, u);
        TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &u));
        TA_REFUSE(CNET_EINVAL, cnet_async_tls_wrap_connected(ctx, u, CNET_HANDSHAKE_AS_CLIENT, "x"));
        TC_OK(cnet_async_tls_wrap(ctx, u));
        TA_REFUSE(CNET_EINVAL, cnet_async_tls_wrap(ctx, u)); /* twice */
        TA_REFUSE(CNET_ENOTCONN, cnet_async_tls_handshake(u, -1, ta_cb, NULL, NULL));
        TA_REFUSE(CNET_ENOTCONN, cnet_async_tls_get_verify_result(u, &v));
        TC_OK(cnet_async_tls_got_handshake(u, &b));
        cr_assert(!b);
        ta_close(loop, u);
        /* STARTTLS injection: plaintext already buffered is refused. */
        ta_peer_str(peer, "injected");
        ta_rec r = {0};
        TA_START(cnet_async_recv(s, 1, true, 0, 5000, ta_cb, &r, NULL));
        TA_RUN_UNTIL(loop, r.calls > 0, 5000);
        tc_sleep_ms(30);
        ta_spin(loop, 20);
        cr_assert(cnet_async_socket_has_data_buffered(s));
        TA_REFUSE(CNET_EINVAL, cnet_async_tls_wrap_connected(ctx, s, CNET_HANDSHAKE_AS_CLIENT, "localhost"));
        cnet_ssl_context_free(ctx);
    }
    ta_close(loop, s);
    cnet_socket_free(peer);
    ta_free(loop);
}

/* ======================================= handshakes, both roles */

static void client_against_blocking_server(const char *host)
{
    need_tls();
    cnet_ssl_context *sctx = server_ctx("valid"), *cctx = client_ctx();
    TC_OK(cnet_ssl_context_set_alpn_protocols(sctx, "cnet/1"));
    TC_OK(cnet_ssl_context_set_alpn_protocols(cctx, "h2,cnet/1"));
    bserver sv;
    bserver_start(&sv, sctx, serve_echo);
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s;
    cnet_err err = async_connect(loop, cctx, host, NULL, sv.port, 5000, &s);
    cr_assert_eq(err, CNET_OK, "connect: %s (%s)", cnet_err_name(err), cnet_last_error_message());
    bool got;
    TC_OK(cnet_async_tls_got_handshake(s, &got));
    cr_assert(got);
    char proto[CNET_ALPN_PROTOCOL_MAX];
    TC_OK(cnet_async_tls_get_alpn_protocol(s, proto, sizeof proto));
    cr_assert_str_eq(proto, "cnet/1");
    cnet_err v = CNET_EOS;
    TC_OK(cnet_async_tls_get_verify_result(s, &v));
    cr_assert_eq(v, CNET_OK);
    cnet_certificate_list chain;
    TC_OK(cnet_async_tls_get_peer_certificates(s, CNET_CERT_PEM, &chain));
    cr_assert_eq(chain.count, 2, "leaf and CA");
    cr_assert(strstr((const char *)chain.items[0].data, "BEGIN CERTIFICATE") != NULL);
    cnet_certificate_list_free(&chain);
    ta_rec h = {0};
    TA_START(cnet_async_tls_handshake(s, -1, ta_cb, &h, NULL)); /* done already: completes from the loop */
    TA_RUN_UNTIL(loop, h.calls > 0, 5000);
    TA_DONE(h, CNET_ASYNC_TLS_HANDSHAKE, CNET_OK);
    line_round_trip(loop, s, "hello async tls\n");
    line_round_trip(loop, s, "second line\n");
    ta_close(loop, s);
    bserver_join(&sv);
    cr_assert_eq(sv.accept_err, CNET_OK);
    ta_free(loop);
    cnet_ssl_context_free(sctx);
    cnet_ssl_context_free(cctx);
}

Test(async_tls, client_handshake_against_blocking_server_by_name) { tc_require_localhost(); client_against_blocking_server("localhost"); }
Test(async_tls, client_handshake_against_blocking_server_by_ip) { client_against_blocking_server("127.0.0.1"); }

typedef struct {
    cnet_port port;
    cnet_ssl_context *ctx;
    cnet_err err;
    char reply[64];
} bclient;

static void *bclient_main(void *p)
{
    bclient *bc = p;
    cnet_socket *c = NULL;
    bc->err = cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &c);
    if (bc->err == CNET_OK)
        bc->err = cnet_socket_wrap(bc->ctx, c);
    if (bc->err == CNET_OK)
        bc->err = cnet_socket_connect(c, "127.0.0.1", bc->port, 5000);
    if (bc->err == CNET_OK)
        bc->err = cnet_socket_send_str(c, "from blocking\n", 0);
    size_t len;
    cnet_read_line_result r;
    if (bc->err == CNET_OK)
        bc->err = cnet_socket_read_line(bc->err == CNET_OK ? c : NULL, bc->reply, sizeof bc->reply, &len, &r, 5000, 0);
    cnet_socket_free(c);
    return NULL;
}

/* An async TLS listener (wrapped) accepts; returns the accepted client. */
static cnet_async_socket *accept_one(cnet_loop *loop, cnet_async_socket *l)
{
    ta_rec a = {0};
    TA_START(cnet_async_accept(l, 5000, ta_cb, &a, NULL));
    TA_RUN_UNTIL(loop, a.calls > 0, 5000);
    TA_DONE(a, CNET_ASYNC_ACCEPT, CNET_OK);
    return a.accepted;
}

/* Echo one line on s (the server side). */
static void echo_line(cnet_loop *loop, cnet_async_socket *s)
{
    ta_rec r = {0}, w = {0};
    TA_START(cnet_async_recv_line(s, 256, 0, 5000, ta_cb, &r, NULL));
    TA_RUN_UNTIL(loop, r.calls > 0, 5000);
    TA_DONE(r, CNET_ASYNC_RECV_LINE, CNET_OK);
    r.copy[r.bytes] = '\n';
    TA_START(cnet_async_send_copy(s, r.copy, r.bytes + 1, 0, 5000, ta_cb, &w, NULL));
    TA_RUN_UNTIL(loop, w.calls > 0, 5000);
    TA_DONE(w, CNET_ASYNC_SEND, CNET_OK);
}

/* One line from a to b and back. */
static void echo_line_pair(cnet_loop *loop, cnet_async_socket *a, cnet_async_socket *b)
{
    ta_rec w = {0}, r = {0};
    TA_START(cnet_async_send(a, "psk\n", 4, 0, 5000, ta_cb, &w, NULL));
    echo_line(loop, b);
    TA_START(cnet_async_recv_line(a, 64, 0, 5000, ta_cb, &r, NULL));
    TA_RUN_UNTIL(loop, r.calls > 0 && w.calls > 0, 5000);
    TA_DONE(r, CNET_ASYNC_RECV_LINE, CNET_OK);
    cr_assert_str_eq((const char *)r.copy, "psk");
}

Test(async_tls, server_handshake_against_blocking_client)
{
    need_tls();
    cnet_ssl_context *sctx = server_ctx("valid"), *cctx = client_ctx();
    cnet_loop *loop = ta_loop();
    cnet_port port;
    cnet_async_socket *l = ta_listener(loop, &port);
    TC_OK(cnet_async_tls_wrap(sctx, l));
    bclient bc = {.port = port, .ctx = cctx};
    pthread_t th;
    cr_assert_eq(pthread_create(&th, NULL, bclient_main, &bc), 0);
    cnet_async_socket *c = accept_one(loop, l);
    ta_rec h = {0};
    TA_START(cnet_async_tls_handshake(c, 5000, ta_cb, &h, NULL));
    TA_RUN_UNTIL(loop, h.calls > 0, 5000);
    TA_DONE(h, CNET_ASYNC_TLS_HANDSHAKE, CNET_OK);
    cnet_err v = CNET_OK;
    TC_OK(cnet_async_tls_get_verify_result(c, &v));
    cr_assert_eq(v, CNET_ETLS_VERIFY, "a client without a certificate was not verified");
    echo_line(loop, c);
    pthread_join(th, NULL);
    cr_assert_eq(bc.err, CNET_OK, "%s", cnet_err_name(bc.err));
    cr_assert_str_eq(bc.reply, "from blocking");
    ta_close(loop, c);
    ta_close(loop, l);
    ta_free(loop);
    cnet_ssl_context_free(sctx);
    cnet_ssl_context_free(cctx);
}

Test(async_tls, client_interop_with_openssl_s_server)
{
    need_tls();
    cnet_ssl_context *cctx = client_ctx();
    TC_OK(cnet_ssl_context_set_alpn_protocols(cctx, "cnet/1"));
    char out[300], cmd[1200];
    snprintf(out, sizeof out, "%s/as_server.%ld.out", certs(), (long)getpid());
    for (int attempt = 0; attempt < 5; attempt++) {
        cnet_port port = free_port();
        snprintf(cmd, sizeof cmd,
                 "exec openssl s_server -accept 127.0.0.1:%u -cert %s -key %s -naccept 1 -rev -alpn cnet/1 >%s 2>&1",
                 (unsigned)port.value, cert("valid.pem"), cert("valid.key"), out);
        pid_t pid = spawn(cmd);
        if (!file_has(out, "ACCEPT", 5000)) {
            reap(pid, true);
            continue;
        }
        cnet_loop *loop = ta_loop();
        cnet_async_socket *s;
        TC_OK(async_connect(loop, cctx, "127.0.0.1", "localhost", port, 5000, &s));
        char proto[CNET_ALPN_PROTOCOL_MAX];
        TC_OK(cnet_async_tls_get_alpn_protocol(s, proto, sizeof proto));
        cr_assert_str_eq(proto, "cnet/1");
        ta_rec w = {0}, r = {0};
        TA_START(cnet_async_recv_line(s, 64, 0, 5000, ta_cb, &r, NULL));
        TA_START(cnet_async_send(s, "hello tls\n", 10, 0, 5000, ta_cb, &w, NULL));
        TA_RUN_UNTIL(loop, r.calls > 0 && w.calls > 0, 5000);
        TA_DONE(r, CNET_ASYNC_RECV_LINE, CNET_OK);
        cr_assert_str_eq((const char *)r.copy, "slt olleh");
        ta_close(loop, s);
        ta_free(loop);
        reap(pid, true);
        cnet_ssl_context_free(cctx);
        return;
    }
    cr_assert_fail("openssl s_server did not start");
}

Test(async_tls, server_interop_with_openssl_s_client_and_its_close_notify)
{
    need_tls();
    cnet_ssl_context *sctx = server_ctx("valid");
    cnet_loop *loop = ta_loop();
    cnet_port port;
    cnet_async_socket *l = ta_listener(loop, &port);
    TC_OK(cnet_async_tls_wrap(sctx, l));
    char out[300], cmd[1200];
    snprintf(out, sizeof out, "%s/as_client.%ld.out", certs(), (long)getpid());
    snprintf(cmd, sizeof cmd,
             "(echo ping; sleep 1) | exec timeout 20 openssl s_client -connect 127.0.0.1:%u -servername localhost "
             "-CAfile %s -verify_return_error -brief >%s 2>&1",
             (unsigned)port.value, cert("ca.pem"), out);
    pid_t pid = spawn(cmd);
    cnet_async_socket *c = accept_one(loop, l);
    ta_rec r = {0}, w = {0}, e = {0};
    TA_START(cnet_async_recv_line(c, 64, 0, 10000, ta_cb, &r, NULL));
    TA_RUN_UNTIL(loop, r.calls > 0, 10000);
    TA_DONE(r, CNET_ASYNC_RECV_LINE, CNET_OK);
    cr_assert_str_eq((const char *)r.copy, "ping");
    TA_START(cnet_async_send(c, "pong\n", 5, 0, 5000, ta_cb, &w, NULL));
    /* s_client ends with close_notify: the clean end of the stream. */
    TA_START(cnet_async_recv_line(c, 64, 0, 10000, ta_cb, &e, NULL));
    TA_RUN_UNTIL(loop, e.calls > 0, 10000);
    TA_DONE(w, CNET_ASYNC_SEND, CNET_OK);
    TA_DONE(e, CNET_ASYNC_RECV_LINE, CNET_OK);
    cr_assert_eq(e.line, CNET_READ_DISCONNECTED);
    int rc = reap(pid, false);
    cr_assert_eq(rc, 0);
    cr_assert(file_has(out, "pong", 0), "s_client output lacks the reply");
    cr_assert(file_has(out, "Verification: OK", 0), "s_client did not verify the server");
    ta_close(loop, c);
    ta_close(loop, l);
    ta_free(loop);
    cnet_ssl_context_free(sctx);
}

/* ==================================================== certificates */

static cnet_err try_leaf(const char *leaf, cnet_ssl_context *cctx, const char *host, const char *server_name,
                         cnet_err *server_err)
{
    cnet_ssl_context *sctx = server_ctx(leaf);
    bserver sv;
    bserver_start(&sv, sctx, serve_wait);
    cnet_ssl_context_free(sctx);
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s;
    cnet_err err = async_connect(loop, cctx, host, server_name, sv.port, 5000, &s);
    if (err == CNET_OK) {
        ta_rec w = {0};
        TA_START(cnet_async_send(s, "x", 1, 0, 5000, ta_cb, &w, NULL));
        TA_RUN_UNTIL(loop, w.calls > 0, 5000);
    } else {
        /* Every later operation reports the same error. */
        ta_rec r = {0};
        TA_START(cnet_async_recv(s, 1, false, 0, 5000, ta_cb, &r, NULL));
        TA_RUN_UNTIL(loop, r.calls > 0, 5000);
        TA_DONE(r, CNET_ASYNC_RECV, err);
    }
    ta_close(loop, s);
    ta_free(loop);
    bserver_join(&sv);
    *server_err = sv.accept_err;
    return err;
}

Test(async_tls, every_bad_certificate_is_rejected_with_its_code)
{
    need_tls();
    tc_require_localhost();
    cnet_ssl_context *cctx = client_ctx();
    cnet_err serr;
    cr_assert_eq(try_leaf("valid", cctx, "localhost", NULL, &serr), CNET_OK);
    cr_assert_eq(try_leaf("other", cctx, "localhost", NULL, &serr), CNET_ETLS_HOSTNAME);
    cr_assert_eq(serr, CNET_ETLS_PEER_ALERT, "the server saw %s (the client's alert)", cnet_err_name(serr));
    cr_assert_eq(try_leaf("valid", cctx, "127.0.0.1", "example.com", &serr), CNET_ETLS_HOSTNAME);
    cr_assert_eq(try_leaf("valid", cctx, "127.0.0.1", "LocalHost.", &serr), CNET_OK);
    cr_assert_eq(try_leaf("other", cctx, "127.0.0.1", NULL, &serr), CNET_ETLS_HOSTNAME, "no IP SAN");
    cr_assert_eq(try_leaf("valid", cctx, "127.0.0.1", "127.0.0.2", &serr), CNET_ETLS_HOSTNAME, "IP vs IP");
    cr_assert_eq(try_leaf("expired", cctx, "localhost", NULL, &serr), CNET_ETLS_EXPIRED);
    cr_assert_eq(try_leaf("self", cctx, "localhost", NULL, &serr), CNET_ETLS_UNTRUSTED);
    cnet_ssl_context_free(cctx);
    TC_OK(cnet_ssl_context_new(NULL, &cctx)); /* the system store does not know the test CA */
    cr_assert_eq(try_leaf("valid", cctx, "localhost", NULL, &serr), CNET_ETLS_UNTRUSTED);
    cnet_ssl_context_free(cctx);
}

static void serve_http(bserver *sv, cnet_socket *c)
{
    char buf[512];
    size_t n;
    cnet_socket_recv_some(c, buf, sizeof buf, 2000, 0, &n);
    sv->serve_err = cnet_socket_send_str(c, "HTTP/1.0 400 Bad Request\r\n\r\nthis is not TLS at all\r\n", 0);
}

Test(async_tls, a_peer_that_is_not_tls_is_a_protocol_error_and_plaintext_never_passes)
{
    need_tls();
    cnet_ssl_context *cctx = client_ctx();
    bserver sv;
    bserver_start(&sv, NULL, serve_http);
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s;
    cr_assert_eq(async_connect(loop, cctx, "127.0.0.1", NULL, sv.port, 5000, &s), CNET_ETLS_PROTOCOL);
    ta_rec r = {0};
    TA_START(cnet_async_recv(s, 64, false, 0, 5000, ta_cb, &r, NULL));
    TA_RUN_UNTIL(loop, r.calls > 0, 5000);
    TA_DONE(r, CNET_ASYNC_RECV, CNET_ETLS_PROTOCOL);
    cr_assert_eq(r.bytes, 0, "no plaintext byte is handed out");
    ta_close(loop, s);
    ta_free(loop);
    bserver_join(&sv);
    cnet_ssl_context_free(cctx);
}

Test(async_tls, verify_none_connects_and_reports_what_verification_would_say)
{
    need_tls();
    cnet_ssl_options o = {0};
    o.verify_mode = CNET_VERIFY_NONE;
    cnet_ssl_context *cctx, *sctx = server_ctx("self");
    TC_OK(cnet_ssl_context_new(&o, &cctx));
    bserver sv;
    bserver_start(&sv, sctx, serve_wait);
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s;
    TC_OK(async_connect(loop, cctx, "127.0.0.1", NULL, sv.port, 5000, &s));
    cnet_err v = CNET_OK;
    TC_OK(cnet_async_tls_get_verify_result(s, &v));
    cr_assert_eq(v, CNET_ETLS_VERIFY, "verification was off: %s", cnet_err_name(v));
    cnet_certificate_list chain;
    TC_OK(cnet_async_tls_get_peer_certificates(s, CNET_CERT_DER, &chain));
    cr_assert_eq(chain.count, 0);
    ta_close(loop, s);
    ta_free(loop);
    bserver_join(&sv);
    cnet_ssl_context_free(sctx);
    cnet_ssl_context_free(cctx);
}

Test(async_tls, minimum_version_and_alpn_mismatch_fail_the_handshake)
{
    need_tls();
    cnet_ssl_context *sctx = server_ctx("valid"), *cctx = client_ctx();
    TC_OK(cnet_ssl_context_set_alpn_protocols(sctx, "h2"));
    TC_OK(cnet_ssl_context_set_alpn_protocols(cctx, "cnet/1"));
    cnet_loop *loop = ta_loop();
    cnet_port port;
    cnet_async_socket *l = ta_listener(loop, &port), *s;
    TC_OK(cnet_async_tls_wrap(sctx, l));
    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &s));
    TC_OK(cnet_async_tls_wrap(cctx, s));
    ta_rec c = {0}, a = {0}, h = {0};
    TA_START(cnet_async_accept(l, 5000, ta_cb, &a, NULL));
    TA_START(cnet_async_connect(s, "127.0.0.1", port, 5000, ta_cb, &c, NULL));
    TA_RUN_UNTIL(loop, a.calls > 0, 5000);
    TA_DONE(a, CNET_ASYNC_ACCEPT, CNET_OK);
    TA_START(cnet_async_tls_handshake(a.accepted, 5000, ta_cb, &h, NULL));
    TA_RUN_UNTIL(loop, c.calls > 0 && h.calls > 0, 5000);
    TA_DONE(h, CNET_ASYNC_TLS_HANDSHAKE, CNET_ETLS_ALPN);
    TA_DONE(c, CNET_ASYNC_CONNECT, CNET_ETLS_ALPN); /* the server's alert says why */
    ta_close(loop, a.accepted);
    ta_close(loop, s);
    ta_close(loop, l);
    /* A TLS 1.3 client against a TLS 1.2 server: no common version. */
    cnet_ssl_options o = {0};
    o.ca_file = cert("ca.pem");
    o.min_version = CNET_TLS_1_3;
    cnet_ssl_context *c13;
    TC_OK(cnet_ssl_context_new(&o, &c13));
    char out[300], cmd[1200];
    snprintf(out, sizeof out, "%s/as_server12.%ld.out", certs(), (long)getpid());
    cnet_port p12 = free_port();
    snprintf(cmd, sizeof cmd, "exec openssl s_server -accept 127.0.0.1:%u -cert %s -key %s -naccept 1 -tls1_2 >%s 2>&1",
             (unsigned)p12.value, cert("valid.pem"), cert("valid.key"), out);
    pid_t pid = spawn(cmd);
    cr_assert(file_has(out, "ACCEPT", 5000), "s_server did not start");
    cr_assert_eq(async_connect(loop, c13, "127.0.0.1", "localhost", p12, 5000, &s), CNET_ETLS_VERSION);
    ta_close(loop, s);
    reap(pid, true);
    ta_free(loop);
    cnet_ssl_context_free(c13);
    cnet_ssl_context_free(sctx);
    cnet_ssl_context_free(cctx);
}

/* ============================================= an async TLS pair */

typedef struct {
    cnet_async_socket *client, *server, *listener;
    cnet_ssl_context *sctx, *cctx;
} tls_pair;

static void pair_open(cnet_loop *loop, tls_pair *p)
{
    p->sctx = server_ctx("valid");
    p->cctx = client_ctx();
    cnet_port port;
    p->listener = ta_listener(loop, &port);
    TC_OK(cnet_async_tls_wrap(p->sctx, p->listener));
    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &p->client));
    TC_OK(cnet_async_tls_wrap(p->cctx, p->client));
    ta_rec c = {0}, a = {0};
    TA_START(cnet_async_accept(p->listener, 5000, ta_cb, &a, NULL));
    TA_START(cnet_async_connect(p->client, "127.0.0.1", port, 5000, ta_cb, &c, NULL));
    TA_RUN_UNTIL(loop, c.calls > 0 && a.calls > 0, 5000);
    TA_DONE(c, CNET_ASYNC_CONNECT, CNET_OK);
    TA_DONE(a, CNET_ASYNC_ACCEPT, CNET_OK);
    p->server = a.accepted;
}

static void pair_close(cnet_loop *loop, tls_pair *p)
{
    ta_close(loop, p->client);
    ta_close(loop, p->server);
    ta_close(loop, p->listener);
    cnet_ssl_context_free(p->sctx);
    cnet_ssl_context_free(p->cctx);
}

/* Echo server side: recv some, send a copy back, until the end. */
typedef struct {
    cnet_async_socket *s;
    size_t echoed;
    cnet_err err;
    bool ended;
} echoer;

static void echo_recv(echoer *e);

static void echo_sent(const cnet_async_result *r, void *user)
{
    ta_note();
    echoer *e = user;
    if (r->err != CNET_OK)
        e->err = r->err;
}

static void echo_got(const cnet_async_result *r, void *user)
{
    ta_note();
    echoer *e = user;
    if (r->err != CNET_OK || r->bytes == 0) {
        e->err = r->err;
        e->ended = true;
        return;
    }
    e->echoed += r->bytes;
    cr_assert_eq(cnet_async_send_copy(e->s, r->data, r->bytes, 0, 10000, echo_sent, e, NULL), CNET_OK);
    echo_recv(e);
}

static void echo_recv(echoer *e)
{
    cr_assert_eq(cnet_async_recv(e->s, 1 + (size_t)(rand() % 40000), false, 0, 10000, echo_got, e, NULL), CNET_OK);
}

/* Client: many sends of random sizes queued at once, a recv pending all the while. */
typedef struct {
    cnet_async_socket *s;
    const uint8_t *want;
    size_t total, got, sends_done;
    size_t first_bad;
    cnet_err err;
} reader;

static void read_more(reader *rd);

static void read_got(const cnet_async_result *r, void *user)
{
    ta_note();
    reader *rd = user;
    if (r->err != CNET_OK || r->bytes == 0) {
        rd->err = r->err != CNET_OK ? r->err : CNET_EEOF;
        return;
    }
    for (size_t i = 0; i < r->bytes && rd->first_bad == SIZE_MAX; i++)
        if (r->data[i] != rd->want[rd->got + i])
            rd->first_bad = rd->got + i;
    rd->got += r->bytes;
    if (rd->got < rd->total)
        read_more(rd);
}

static void read_more(reader *rd)
{
    cr_assert_eq(cnet_async_recv(rd->s, 1 + (size_t)(rand() % 70000), false, 0, 10000, read_got, rd, NULL), CNET_OK);
}

static void send_done(const cnet_async_result *r, void *user)
{
    ta_note();
    reader *rd = user;
    cr_assert_eq(r->err, CNET_OK, "send: %s", cnet_err_name(r->err));
    rd->sends_done++;
}

Test(async_tls, echo_of_random_sizes_both_ways_at_once)
{
    need_tls();
    srand(12345);
    cnet_loop *loop = ta_loop();
    tls_pair p;
    pair_open(loop, &p);
    size_t total = 3u << 20;
    uint8_t *data = ta_pattern_buf(total, 7);
    echoer e = {.s = p.server};
    reader rd = {.s = p.client, .want = data, .total = total, .first_bad = SIZE_MAX};
    echo_recv(&e);
    read_more(&rd); /* pending before and during every send */
    size_t off = 0, sends = 0;
    while (off < total) {
        size_t n = 1 + (size_t)(rand() % 300000);
        if (n > total - off)
            n = total - off;
        TA_START(cnet_async_send(p.client, data + off, n, 0, 20000, send_done, &rd, NULL));
        off += n;
        sends++;
    }
    TA_RUN_UNTIL(loop, rd.got >= total || rd.err != CNET_OK, 60000);
    TA_RUN_UNTIL(loop, rd.sends_done == sends, 10000);
    cr_assert_eq(rd.err, CNET_OK, "%s", cnet_err_name(rd.err));
    cr_assert_eq(rd.got, total);
    cr_assert_eq(rd.first_bad, SIZE_MAX, "wrong byte at %zu", rd.first_bad);
    cr_assert_eq(e.echoed, total);
    cr_assert_eq(ta_inside, 0);
    pair_close(loop, &p);
    ta_free(loop);
    free(data);
}

#ifdef CNET_TEST_HAVE_OPENSSL
/* A blocking peer that echoes and asks for a KeyUpdate (requesting one back)
 * every 64 KiB, so post-handshake messages keep arriving while the async
 * side has a large send in flight and a recv pending. */
static void serve_echo_key_updates(bserver *sv, cnet_socket *c)
{
    SSL *ssl = cnet_socket_ssl_handle(c);
    uint8_t buf[16384];
    size_t since = 0;
    for (;;) {
        size_t n = 0;
        sv->serve_err = cnet_socket_recv_some(c, buf, sizeof buf, 10000, 0, &n);
        if (sv->serve_err != CNET_OK || n == 0)
            return;
        sv->bytes += n;
        since += n;
        if (since >= 65536) {
            since = 0;
            if (SSL_key_update(ssl, SSL_KEY_UPDATE_REQUESTED) == 1)
                snprintf(sv->text, sizeof sv->text, "key updates");
        }
        if ((sv->serve_err = cnet_socket_send(c, buf, n, 0, NULL)) != CNET_OK)
            return;
    }
}

Test(async_tls, key_updates_arrive_while_a_large_send_is_in_flight)
{
    need_tls();
    cnet_ssl_context *sctx = server_ctx("valid"), *cctx = client_ctx();
    bserver sv;
    bserver_start(&sv, sctx, serve_echo_key_updates);
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s;
    TC_OK(async_connect(loop, cctx, "127.0.0.1", NULL, sv.port, 5000, &s));
    size_t total = 2u << 20;
    uint8_t *data = ta_pattern_buf(total, 3);
    reader rd = {.s = s, .want = data, .total = total, .first_bad = SIZE_MAX};
    read_more(&rd);
    TA_START(cnet_async_send(s, data, total, 0, 30000, send_done, &rd, NULL)); /* one 2 MiB send */
    TA_RUN_UNTIL(loop, rd.got >= total || rd.err != CNET_OK, 60000);
    TA_RUN_UNTIL(loop, rd.sends_done == 1, 10000);
    cr_assert_eq(rd.err, CNET_OK, "%s", cnet_err_name(rd.err));
    cr_assert_eq(rd.first_bad, SIZE_MAX, "wrong byte at %zu", rd.first_bad);
    ta_rec sd = {0};
    TA_START(cnet_async_tls_shutdown(s, 5000, ta_cb, &sd, NULL));
    TA_RUN_UNTIL(loop, sd.calls > 0, 5000);
    TA_DONE(sd, CNET_ASYNC_TLS_SHUTDOWN, CNET_OK);
    bserver_join(&sv);
    cr_assert_str_eq(sv.text, "key updates");
    cr_assert_eq(sv.serve_err, CNET_OK, "the peer saw %s, not close_notify", cnet_err_name(sv.serve_err));
    ta_close(loop, s);
    ta_free(loop);
    free(data);
    cnet_ssl_context_free(sctx);
    cnet_ssl_context_free(cctx);
}
#endif

/* ======================================== the end of the stream */

static void serve_truncate(bserver *sv, cnet_socket *c)
{
    sv->serve_err = cnet_socket_send_str(c, "line\npartial", 0);
    shutdown((int)cnet_socket_get_fd(c), SHUT_RDWR);
}

static void serve_close_notify(bserver *sv, cnet_socket *c)
{
    sv->serve_err = cnet_socket_send_str(c, "line\npartial", 0);
    /* cnet_socket_free sends close_notify */
}

static void end_case(serve_fn serve, cnet_err want, cnet_read_line_result want_line)
{
    need_tls();
    cnet_ssl_context *sctx = server_ctx("valid"), *cctx = client_ctx();
    bserver sv;
    bserver_start(&sv, sctx, serve);
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s;
    TC_OK(async_connect(loop, cctx, "127.0.0.1", NULL, sv.port, 5000, &s));
    /* The loop runs meanwhile: on io_uring the client's Finished is
     * submitted by the next iteration. */
    TA_RUN_UNTIL(loop, atomic_load(&sv.done), 10000);
    bserver_join(&sv);
    ta_rec a = {0}, b = {0}, c = {0}, d = {0};
    TA_START(cnet_async_recv_line(s, 64, CNET_FLAG_SAFE_DISCONN, 5000, ta_cb, &a, NULL));
    TA_START(cnet_async_recv_line(s, 64, CNET_FLAG_SAFE_DISCONN, 5000, ta_cb, &b, NULL));
    TA_START(cnet_async_recv_line(s, 64, CNET_FLAG_SAFE_DISCONN, 5000, ta_cb, &c, NULL));
    TA_RUN_UNTIL(loop, c.calls > 0, 5000);
    TA_DONE(a, CNET_ASYNC_RECV_LINE, CNET_OK);
    cr_assert_str_eq((const char *)a.copy, "line");
    /* The partial line comes with the cause (truncation) in the same
     * call, even under SafeDisconn; after close_notify with CNET_OK. */
    TA_DONE(b, CNET_ASYNC_RECV_LINE, want);
    cr_assert_eq(b.line, CNET_READ_PARTIAL_LINE);
    cr_assert_str_eq((const char *)b.copy, "partial");
    TA_DONE(c, CNET_ASYNC_RECV_LINE, want);
    cr_assert_eq(c.line, want_line);
    TA_START(cnet_async_recv(s, 1, false, 0, 5000, ta_cb, &d, NULL)); /* latched */
    TA_RUN_UNTIL(loop, d.calls > 0, 5000);
    TA_DONE(d, CNET_ASYNC_RECV, want);
    cr_assert_eq(d.bytes, 0);
    ta_close(loop, s);
    ta_free(loop);
    cnet_ssl_context_free(sctx);
    cnet_ssl_context_free(cctx);
}

Test(async_tls, a_cut_without_close_notify_is_truncation_even_under_safe_disconn)
{
    end_case(serve_truncate, CNET_ETLS_TRUNCATED, CNET_READ_NONE);
}

Test(async_tls, close_notify_is_the_clean_end_of_the_stream)
{
    end_case(serve_close_notify, CNET_OK, CNET_READ_DISCONNECTED);
}

static void serve_read_to_end(bserver *sv, cnet_socket *c)
{
    char buf[256];
    size_t len;
    cnet_read_line_result r;
    /* A long line of 'x' first (read in pieces), then the last words. */
    do
        sv->serve_err = cnet_socket_read_line(c, buf, sizeof buf, &len, &r, 5000, 0);
    while (sv->serve_err == CNET_OK && r == CNET_READ_TRUNCATED);
    if (sv->serve_err == CNET_OK)
        sv->serve_err = cnet_socket_read_line(c, buf, sizeof buf, &len, &r, 5000, 0);
    snprintf(sv->text, sizeof sv->text, "%s", buf);
    if (sv->serve_err == CNET_OK)
        sv->serve_err = cnet_socket_read_line(c, buf, sizeof buf, &len, &r, 5000, 0);
    if (sv->serve_err == CNET_OK && r != CNET_READ_DISCONNECTED)
        sv->serve_err = CNET_EINVAL;
}

Test(async_tls, shutdown_sends_close_notify_after_the_queued_sends)
{
    need_tls();
    cnet_ssl_context *sctx = server_ctx("valid"), *cctx = client_ctx();
    bserver sv;
    bserver_start(&sv, sctx, serve_read_to_end);
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s;
    TC_OK(async_connect(loop, cctx, "127.0.0.1", NULL, sv.port, 5000, &s));
    ta_rec w0 = {0}, w = {0}, sd = {0}, late = {0};
    /* A large send first, so that the next one waits in the queue. */
    size_t big = 1u << 20;
    char *blob = malloc(big);
    cr_assert_not_null(blob);
    memset(blob, 'x', big - 1);
    blob[big - 1] = '\n';
    TA_START(cnet_async_send(s, blob, big, 0, 5000, ta_cb, &w0, NULL));
    TA_START(cnet_async_send(s, "last words\n", 11, 0, 5000, ta_cb, &w, NULL));
    TA_START(cnet_async_tls_shutdown(s, 5000, ta_cb, &sd, NULL));
    TA_START(cnet_async_send(s, "too late\n", 9, 0, 5000, ta_cb, &late, NULL));
    TA_RUN_UNTIL(loop, w.calls > 0 && sd.calls > 0 && late.calls > 0, 5000);
    TA_DONE(w, CNET_ASYNC_SEND, CNET_OK);
    TA_DONE(sd, CNET_ASYNC_TLS_SHUTDOWN, CNET_OK);
    TA_DONE(late, CNET_ASYNC_SEND, CNET_ESHUTDOWN);
    TA_DONE(w0, CNET_ASYNC_SEND, CNET_OK);
    cr_assert(w.seq < sd.seq, "the send completed before the shutdown");
    TA_RUN_UNTIL(loop, atomic_load(&sv.done), 10000);
    bserver_join(&sv);
    free(blob);
    cr_assert_str_eq(sv.text, "last words");
    cr_assert_eq(sv.serve_err, CNET_OK, "the peer saw %s, not close_notify", cnet_err_name(sv.serve_err));
    ta_close(loop, s);
    ta_free(loop);
    cnet_ssl_context_free(sctx);
    cnet_ssl_context_free(cctx);
}

/* =============================== cancel, close, timeout, slow peers */

/* A TCP listener that accepts and says nothing: handshakes stall. */
Test(async_tls, connect_timeout_covers_the_handshake)
{
    need_tls();
    cnet_ssl_context *cctx = client_ctx();
    cnet_port port;
    cnet_socket_handle l = tc_listener(CNET_AF_INET, &port);
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s;
    cr_assert_eq(async_connect(loop, cctx, "127.0.0.1", NULL, port, 150, &s), CNET_ETIMEDOUT);
    ta_rec r = {0};
    TA_START(cnet_async_recv(s, 1, false, 0, 5000, ta_cb, &r, NULL));
    TA_RUN_UNTIL(loop, r.calls > 0, 5000);
    TA_DONE(r, CNET_ASYNC_RECV, CNET_ETLS_HANDSHAKE); /* the handshake is not resumed */
    ta_close(loop, s);
    ta_free(loop);
    cnet_close(l);
    cnet_ssl_context_free(cctx);
}

Test(async_tls, close_and_cancel_in_the_middle_of_a_handshake)
{
    need_tls();
    cnet_ssl_context *cctx = client_ctx(), *sctx = server_ctx("valid");
    cnet_port port;
    cnet_socket_handle l = tc_listener(CNET_AF_INET, &port);
    cnet_loop *loop = ta_loop();
    /* Close while connect waits for the handshake. */
    cnet_async_socket *s;
    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &s));
    TC_OK(cnet_async_tls_wrap(cctx, s));
    ta_rec c = {0}, r = {0}, w = {0};
    TA_START(cnet_async_connect(s, "127.0.0.1", port, 5000, ta_cb, &c, NULL));
    TA_START(cnet_async_recv(s, 10, false, 0, 5000, ta_cb, &r, NULL));
    TA_START(cnet_async_send(s, "queued", 6, 0, 5000, ta_cb, &w, NULL));
    ta_spin(loop, 50);
    cr_assert_eq(c.calls, 0);
    ta_close(loop, s);
    TA_DONE(c, CNET_ASYNC_CONNECT, CNET_ECLOSED);
    TA_DONE(r, CNET_ASYNC_RECV, CNET_ECLOSED);
    TA_DONE(w, CNET_ASYNC_SEND, CNET_ECLOSED);
    /* A server-side handshake (the peer is silent): cancel it, then close. */
    cnet_port aport;
    cnet_async_socket *al = ta_listener(loop, &aport);
    TC_OK(cnet_async_tls_wrap(sctx, al));
    cnet_socket_handle silent = tc_connect(CNET_AF_INET, aport);
    cnet_async_socket *a = accept_one(loop, al);
    ta_rec h = {0}, h2 = {0}, r2 = {0};
    cnet_async_op *op = NULL;
    TA_START(cnet_async_tls_handshake(a, -1, ta_cb, &h, &op));
    TA_START(cnet_async_recv(a, 10, false, 0, -1, ta_cb, &r2, NULL));
    ta_spin(loop, 30);
    cr_assert_eq(h.calls, 0);
    TC_OK(cnet_async_cancel(op));
    TA_RUN_UNTIL(loop, h.calls > 0 && r2.calls > 0, 5000);
    TA_DONE(h, CNET_ASYNC_TLS_HANDSHAKE, CNET_ECANCELED);
    TA_DONE(r2, CNET_ASYNC_RECV, CNET_ETLS_HANDSHAKE);
    TA_START(cnet_async_tls_handshake(a, -1, ta_cb, &h2, NULL));
    TA_RUN_UNTIL(loop, h2.calls > 0, 5000);
    TA_DONE(h2, CNET_ASYNC_TLS_HANDSHAKE, CNET_ETLS_HANDSHAKE);
    ta_close(loop, a);
    /* A handshake op with a timeout on a silent client; then the loop is
     * freed with another one in the middle of its handshake. */
    cnet_socket_handle silent2 = tc_connect(CNET_AF_INET, aport);
    cnet_async_socket *b = accept_one(loop, al);
    ta_rec t = {0}, last = {0};
    TA_START(cnet_async_tls_handshake(b, 100, ta_cb, &t, NULL));
    TA_RUN_UNTIL(loop, t.calls > 0, 5000);
    TA_DONE(t, CNET_ASYNC_TLS_HANDSHAKE, CNET_ETIMEDOUT);
    ta_close(loop, b);
    cnet_socket_handle silent3 = tc_connect(CNET_AF_INET, aport);
    cnet_async_socket *d = accept_one(loop, al);
    TA_START(cnet_async_tls_handshake(d, -1, ta_cb, &last, NULL));
    ta_free(loop);
    TA_DONE(last, CNET_ASYNC_TLS_HANDSHAKE, CNET_ECANCELED);
    cnet_close(silent);
    cnet_close(silent2);
    cnet_close(silent3);
    cnet_close(l);
    cnet_ssl_context_free(cctx);
    cnet_ssl_context_free(sctx);
}

Test(async_tls, a_slow_client_holds_up_no_other_accept)
{
    need_tls();
    cnet_ssl_context *sctx = server_ctx("valid"), *cctx = client_ctx();
    cnet_loop *loop = ta_loop();
    cnet_port port;
    cnet_async_socket *l = ta_listener(loop, &port);
    TC_OK(cnet_async_tls_wrap(sctx, l));
    cnet_socket_handle slow = tc_connect(CNET_AF_INET, port); /* TCP only, never a ClientHello */
    cnet_async_socket *first = accept_one(loop, l);
    bclient bc = {.port = port, .ctx = cctx};
    pthread_t th;
    cr_assert_eq(pthread_create(&th, NULL, bclient_main, &bc), 0);
    cnet_async_socket *second = accept_one(loop, l);
    echo_line(loop, second);
    pthread_join(th, NULL);
    cr_assert_eq(bc.err, CNET_OK);
    cr_assert_str_eq(bc.reply, "from blocking");
    bool got = true;
    TC_OK(cnet_async_tls_got_handshake(first, &got));
    cr_assert(!got);
    ta_close(loop, first);
    ta_close(loop, second);
    ta_close(loop, l);
    ta_free(loop);
    cnet_close(slow);
    cnet_ssl_context_free(sctx);
    cnet_ssl_context_free(cctx);
}

/* ========================================================== PSK */

static bool psk_client(cnet_ssl_context *ctx, const char *hint, char *identity, size_t identity_size, uint8_t *psk,
                       size_t psk_size, size_t *psk_len)
{
    (void)hint;
    void *who = NULL;
    if (cnet_ssl_context_get_extra_data(ctx, 0, &who) != CNET_OK || psk_size < 16)
        return false;
    snprintf(identity, identity_size, "%s", (const char *)who);
    memset(psk, 0x5a, 16);
    *psk_len = 16;
    return true;
}

static bool psk_server(cnet_ssl_context *ctx, const char *identity, uint8_t *psk, size_t psk_size, size_t *psk_len)
{
    (void)ctx;
    if (strcmp(identity, "client1") != 0 || psk_size < 16)
        return false;
    memset(psk, 0x5a, 16);
    *psk_len = 16;
    return true;
}

/* Both ends async, pre-shared keys only (no certificate anywhere). */
static void psk_case(const char *identity, cnet_err *client_err, cnet_err *server_err, char *cid, char *sid)
{
    cnet_ssl_context *sctx, *cctx;
    TC_OK(cnet_ssl_context_new(NULL, &sctx));
    TC_OK(cnet_ssl_context_set_psk_server_callback(sctx, psk_server));
    TC_OK(cnet_ssl_context_new(NULL, &cctx));
    TC_OK(cnet_ssl_context_set_psk_client_callback(cctx, psk_client));
    TC_OK(cnet_ssl_context_set_extra_data(cctx, 0, (void *)identity));
    cnet_loop *loop = ta_loop();
    cnet_port port;
    cnet_async_socket *l = ta_listener(loop, &port), *c;
    TC_OK(cnet_async_tls_wrap(sctx, l));
    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &c));
    TC_OK(cnet_async_tls_wrap(cctx, c));
    ta_rec cr = {0}, a = {0}, h = {0};
    TA_START(cnet_async_accept(l, 5000, ta_cb, &a, NULL));
    TA_START(cnet_async_connect(c, "127.0.0.1", port, 5000, ta_cb, &cr, NULL));
    TA_RUN_UNTIL(loop, a.calls > 0, 5000);
    TA_DONE(a, CNET_ASYNC_ACCEPT, CNET_OK);
    TA_START(cnet_async_tls_handshake(a.accepted, 5000, ta_cb, &h, NULL));
    TA_RUN_UNTIL(loop, cr.calls > 0 && h.calls > 0, 5000);
    TA_DONE(cr, CNET_ASYNC_CONNECT, cr.err);
    TA_DONE(h, CNET_ASYNC_TLS_HANDSHAKE, h.err);
    *client_err = cr.err;
    *server_err = h.err;
    cid[0] = sid[0] = '\0';
    if (cr.err == CNET_OK && h.err == CNET_OK) {
        char small[2];
        TC_OK(cnet_async_tls_get_psk_identity(c, cid, CNET_PSK_IDENTITY_MAX));
        TC_OK(cnet_async_tls_get_psk_identity(a.accepted, sid, CNET_PSK_IDENTITY_MAX));
        TA_REFUSE(CNET_ERANGE, cnet_async_tls_get_psk_identity(a.accepted, small, sizeof small));
        echo_line_pair(loop, c, a.accepted);
    }
    ta_close(loop, a.accepted);
    ta_close(loop, c);
    ta_close(loop, l);
    ta_free(loop);
    cnet_ssl_context_free(sctx);
    cnet_ssl_context_free(cctx);
}

Test(async_tls, pre_shared_keys)
{
    need_tls();
    cnet_err ce, se;
    char cid[CNET_PSK_IDENTITY_MAX], sid[CNET_PSK_IDENTITY_MAX];
    psk_case("client1", &ce, &se, cid, sid);
    cr_assert_eq(ce, CNET_OK, "%s", cnet_err_name(ce));
    cr_assert_eq(se, CNET_OK, "%s", cnet_err_name(se));
    cr_assert_str_eq(cid, "client1");
    cr_assert_str_eq(sid, "client1");
    psk_case("intruder", &ce, &se, cid, sid);
    cr_assert_neq(ce, CNET_OK);
    cr_assert_neq(se, CNET_OK);
}

/* ================================== lines, frames and STARTTLS */

static void sent_ok(const cnet_async_result *r, void *user)
{
    ta_note();
    (*(int *)user)++;
    cr_assert_eq(r->err, CNET_OK);
}

Test(async_tls, lines_and_frames_over_tls_records_split_everywhere)
{
    need_tls();
    cnet_loop *loop = ta_loop();
    tls_pair p;
    pair_open(loop, &p);
    /* One record per byte: lines split across records, "\r" then "\n". */
    const char *text = "first\r\nsecond\rthird\n";
    int sent = 0;
    for (size_t i = 0; text[i]; i++)
        TA_START(cnet_async_send_copy(p.client, text + i, 1, 0, 5000, sent_ok, &sent, NULL));
    ta_rec l1 = {0}, l2 = {0}, l3 = {0}, f = {0}, big = {0}, w = {0};
    TA_START(cnet_async_recv_line(p.server, 64, 0, 5000, ta_cb, &l1, NULL));
    TA_START(cnet_async_recv_line(p.server, 64, 0, 5000, ta_cb, &l2, NULL));
    TA_START(cnet_async_recv_line(p.server, 64, 0, 5000, ta_cb, &l3, NULL));
    TA_RUN_UNTIL(loop, l3.calls > 0, 5000);
    cr_assert_str_eq((const char *)l1.copy, "first");
    cr_assert_str_eq((const char *)l2.copy, "second");
    cr_assert_str_eq((const char *)l3.copy, "third");
    cr_assert_eq(sent, (int)strlen(text));
    /* Frames: a small one and one far larger than a record. */
    TA_START(cnet_async_send_frame(p.server, CNET_FRAME_BE32, "tiny", 4, 5000, ta_cb, &w, NULL));
    TA_START(cnet_async_recv_frame(p.client, CNET_FRAME_BE32, 1 << 20, 5000, ta_cb, &f, NULL));
    TA_RUN_UNTIL(loop, f.calls > 0 && w.calls > 0, 5000);
    TA_DONE(f, CNET_ASYNC_RECV_FRAME, CNET_OK);
    cr_assert_eq(f.bytes, 4);
    cr_assert_eq(memcmp(f.copy, "tiny", 4), 0);
    size_t n = 200000;
    uint8_t *payload = ta_pattern_buf(n, 11);
    ta_rec w2 = {0};
    TA_START(cnet_async_send_frame(p.server, CNET_FRAME_BE32, payload, n, 5000, ta_cb, &w2, NULL));
    TA_START(cnet_async_recv_frame(p.client, CNET_FRAME_BE32, 1 << 20, 5000, ta_cb, &big, NULL));
    TA_RUN_UNTIL(loop, big.calls > 0 && w2.calls > 0, 5000);
    TA_DONE(big, CNET_ASYNC_RECV_FRAME, CNET_OK);
    cr_assert_eq(big.bytes, n);
    cr_assert_eq(memcmp(big.copy, payload, TA_COPY), 0);
    free(payload);
    pair_close(loop, &p);
    ta_free(loop);
}

Test(async_tls, starttls_with_wrap_connected_on_both_sides)
{
    need_tls();
    cnet_ssl_context *sctx = server_ctx("valid"), *cctx = client_ctx();
    cnet_loop *loop = ta_loop();
    cnet_async_socket *x, *y;
    ta_async_pair(loop, &x, &y);
    ta_rec r = {0}, w0 = {0};
    TA_START(cnet_async_send(x, "STARTTLS\n", 9, 0, 5000, ta_cb, &w0, NULL));
    TA_START(cnet_async_recv_line(y, 64, 0, 5000, ta_cb, &r, NULL));
    TA_RUN_UNTIL(loop, r.calls > 0, 5000);
    cr_assert_str_eq((const char *)r.copy, "STARTTLS");
    TA_RUN_UNTIL(loop, w0.calls > 0, 5000);
    TA_DONE(w0, CNET_ASYNC_SEND, CNET_OK);
    TC_OK(cnet_async_tls_wrap_connected(sctx, y, CNET_HANDSHAKE_AS_SERVER, NULL));
    TC_OK(cnet_async_tls_wrap_connected(cctx, x, CNET_HANDSHAKE_AS_CLIENT, "127.0.0.1"));
    /* Queued before the handshake ends: sent after it. */
    ta_rec w = {0}, got = {0}, hx = {0}, hy = {0};
    TA_START(cnet_async_send(x, "secret\n", 7, 0, 5000, ta_cb, &w, NULL));
    TA_START(cnet_async_recv_line(y, 64, 0, 5000, ta_cb, &got, NULL));
    TA_START(cnet_async_tls_handshake(x, 5000, ta_cb, &hx, NULL));
    TA_START(cnet_async_tls_handshake(y, 5000, ta_cb, &hy, NULL));
    TA_RUN_UNTIL(loop, got.calls > 0 && hx.calls > 0 && hy.calls > 0 && w.calls > 0, 5000);
    TA_DONE(hx, CNET_ASYNC_TLS_HANDSHAKE, CNET_OK);
    TA_DONE(hy, CNET_ASYNC_TLS_HANDSHAKE, CNET_OK);
    TA_DONE(got, CNET_ASYNC_RECV_LINE, CNET_OK);
    cr_assert_str_eq((const char *)got.copy, "secret");
    ta_close(loop, x);
    ta_close(loop, y);
    ta_free(loop);
    cnet_ssl_context_free(sctx);
    cnet_ssl_context_free(cctx);
}
