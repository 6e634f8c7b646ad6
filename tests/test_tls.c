/*
 * Module tls: contexts, verification (each bad certificate rejected with its
 * own code), interop with `openssl s_server` and `openssl s_client`, lines
 * split across records, truncation, close_notify, deadlines, ALPN, PSK,
 * STARTTLS, framing and SIGPIPE. Certificates are made at test time by
 * tests/tls_mkcerts.sh (TLS_MKCERTS) with the openssl CLI.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include <stdatomic.h>

#include "test_common.h"
#define TLS_CERTS_TAG "cnet-tls"
#include "tls_certs.h"

#ifdef CNET_TEST_HAVE_OPENSSL
#include <openssl/ssl.h>
#endif

/* ------------------------------------------------------------ helpers */

/* ---------------------------------------------------- a server thread */

typedef struct server server;
typedef void (*serve_fn)(server *sv, cnet_socket *client);

struct server {
    cnet_socket *listener;
    cnet_port port;
    serve_fn serve;
    void *arg;
    bool tls;
    cnet_err accept_err;
    char accept_msg[256];
    char text[256]; /* what serve() saw, for the test to check */
    cnet_err serve_err;
    pthread_t thread;
};

static void *server_main(void *p)
{
    server *sv = p;
    cnet_socket *c = NULL;
    sv->accept_err = cnet_socket_accept(sv->listener, &c, CNET_FLAGS_DEFAULT);
    snprintf(sv->accept_msg, sizeof sv->accept_msg, "%s", cnet_last_error_message());
    if (sv->accept_err == CNET_OK && sv->serve != NULL)
        sv->serve(sv, c);
    cnet_socket_free(c);
    return NULL;
}

/* Listen on loopback of the domain (port 0), TLS with ctx unless NULL. */
static void server_start_arg(server *sv, cnet_ssl_context *ctx, cnet_domain domain, serve_fn serve, void *arg)
{
    memset(sv, 0, sizeof *sv);
    sv->serve = serve;
    sv->arg = arg;
    sv->tls = ctx != NULL;
    TC_OK(cnet_socket_new(domain, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &sv->listener));
    if (ctx != NULL)
        TC_OK(cnet_socket_wrap(ctx, sv->listener));
    TC_OK(cnet_socket_bind_addr(sv->listener, CNET_PORT(0), domain == CNET_AF_INET6 ? "::1" : "127.0.0.1"));
    TC_OK(cnet_socket_listen(sv->listener, 8));
    TC_OK(cnet_socket_set_timeout(sv->listener, 5000));
    char addr[CNET_ADDRSTRLEN];
    TC_OK(cnet_socket_get_local_addr(sv->listener, addr, sizeof addr, &sv->port));
    cr_assert_eq(pthread_create(&sv->thread, NULL, server_main, sv), 0);
}

static void server_start(server *sv, cnet_ssl_context *ctx, cnet_domain domain, serve_fn serve)
{
    server_start_arg(sv, ctx, domain, serve, NULL);
}

static void server_join(server *sv)
{
    pthread_join(sv->thread, NULL);
    cnet_socket_free(sv->listener);
}

/* A TLS client socket of the domain, connected to host:port (result returned). */
static cnet_err client_connect(cnet_ssl_context *ctx, cnet_domain domain, const char *host, cnet_port port,
                               bool buffered, cnet_socket **out)
{
    *out = NULL;
    if (strcmp(host, "localhost") == 0)
        tc_require_localhost();
    TC_OK(cnet_socket_new(domain, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, buffered, false, out));
    TC_OK(cnet_socket_wrap(ctx, *out));
    return cnet_socket_connect(*out, host, port, 5000);
}

/* Echo lines until the end of the stream. */
static void serve_echo(server *sv, cnet_socket *c)
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

/* Wait for the client to say anything (or close), so the handshake is over on both sides. */
static void serve_wait(server *sv, cnet_socket *c)
{
    char buf[16];
    size_t n;
    sv->serve_err = cnet_socket_recv(c, buf, 1, 5000, 0, &n);
}

/* =================================================== without TLS */

Test(tls, without_tls_every_call_is_enotsup)
{
    if (cnet_tls_available())
        cr_skip_test("this cnet has TLS: covered by the other tests");
    cnet_ssl_context *ctx = (cnet_ssl_context *)1;
    TC_ERR(CNET_ENOTSUP, cnet_ssl_context_new(NULL, &ctx));
    cr_assert_null(ctx);
    cnet_socket *s = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &s));
    cr_assert_not(cnet_socket_is_ssl(s));
    cr_assert_null(cnet_socket_ssl_handle(s));
    bool b;
    TC_ERR(CNET_ENOTSUP, cnet_socket_got_handshake(s, &b));
    char id[CNET_PSK_IDENTITY_MAX];
    TC_ERR(CNET_ENOTSUP, cnet_socket_get_psk_identity(s, id, sizeof id));
    /* No context can exist without TLS: any non-NULL pointer passes the
     * argument checks, and the call reports CNET_ENOTSUP without using it. */
    cnet_ssl_context *none = (cnet_ssl_context *)&b;
    cnet_ssl_client_psk_func cf = NULL;
    cnet_ssl_server_psk_func sf = NULL;
    TC_ERR(CNET_ENOTSUP, cnet_ssl_context_get_psk_client_callback(none, &cf));
    TC_ERR(CNET_ENOTSUP, cnet_ssl_context_get_psk_server_callback(none, &sf));
    cnet_socket_free(s);
}

/* ====================================================== contexts */

Test(tls, context_defaults_and_option_errors)
{
    need_tls();
    cr_assert(cnet_tls_available());
    cnet_ssl_context *ctx = NULL;
    TC_OK(cnet_ssl_context_new(NULL, &ctx));
    cr_assert_not_null(ctx);
    cnet_ssl_context_free(ctx);

    cnet_ssl_options o = {0};
    o.cert_file = cert("missing.pem");
    TC_ERR(CNET_ETLS_FILE, cnet_ssl_context_new(&o, &ctx));
    cr_assert_null(ctx);
    cr_assert(strstr(cnet_last_error_message(), "missing.pem") != NULL, "%s", cnet_last_error_message());
    o.cert_file = cert("valid.pem");
    o.key_file = cert("other.key");
    TC_ERR(CNET_ETLS_FILE, cnet_ssl_context_new(&o, &ctx)); /* the key of another certificate */
    cr_assert(strstr(cnet_last_error_message(), "does not match the certificate") != NULL, "%s",
              cnet_last_error_message());
    o.key_file = cert("ca.pem"); /* no key at all */
    TC_ERR(CNET_ETLS_FILE, cnet_ssl_context_new(&o, &ctx));
    cr_assert(strstr(cnet_last_error_message(), "cannot load the private key") != NULL, "%s",
              cnet_last_error_message());
    o.cert_file = NULL;
    TC_ERR(CNET_EINVAL, cnet_ssl_context_new(&o, &ctx)); /* a key without a certificate */
    memset(&o, 0, sizeof o);
    o.cipher_list = "NO-SUCH-CIPHER";
    TC_ERR(CNET_EINVAL, cnet_ssl_context_new(&o, &ctx));
    memset(&o, 0, sizeof o);
    o.ca_file = cert("missing-ca.pem");
    TC_ERR(CNET_ETLS_FILE, cnet_ssl_context_new(&o, &ctx));
    memset(&o, 0, sizeof o);
    o.min_version = (cnet_tls_version)7;
    TC_ERR(CNET_EINVAL, cnet_ssl_context_new(&o, &ctx));
    memset(&o, 0, sizeof o);
    o.verify_mode = (cnet_ssl_verify_mode)-1;
    TC_ERR(CNET_EINVAL, cnet_ssl_context_new(&o, &ctx));
    cnet_ssl_context_free(NULL);
}

Test(tls, context_settings)
{
    need_tls();
    cnet_ssl_context *ctx;
    TC_OK(cnet_ssl_context_new(NULL, &ctx));
    unsigned char id[33] = {1, 2, 3};
    TC_OK(cnet_ssl_context_set_session_id_context(ctx, id, 32));
    TC_ERR(CNET_EINVAL, cnet_ssl_context_set_session_id_context(ctx, id, 33));
    void *p = NULL;
    int marker = 42;
    TC_ERR(CNET_ENOTFOUND, cnet_ssl_context_get_extra_data(ctx, 3, &p));
    TC_OK(cnet_ssl_context_set_extra_data(ctx, 3, &marker));
    TC_OK(cnet_ssl_context_get_extra_data(ctx, 3, &p));
    cr_assert_eq(p, &marker);
    TC_ERR(CNET_EINVAL, cnet_ssl_context_set_extra_data(ctx, CNET_SSL_EXTRA_DATA_SLOTS, &marker));
    TC_ERR(CNET_EINVAL, cnet_ssl_context_get_extra_data(ctx, -1, &p));
    TC_OK(cnet_ssl_context_set_extra_data(ctx, 3, NULL));
    TC_ERR(CNET_ENOTFOUND, cnet_ssl_context_get_extra_data(ctx, 3, &p));
    TC_OK(cnet_ssl_context_set_alpn_protocols(ctx, "h2,http/1.1"));
    TC_ERR(CNET_EINVAL, cnet_ssl_context_set_alpn_protocols(ctx, "h2,,http/1.1"));
    TC_ERR(CNET_EINVAL, cnet_ssl_context_set_alpn_protocols(ctx, "h2,"));
    TC_OK(cnet_ssl_context_set_alpn_protocols(ctx, NULL));
    TC_OK(cnet_ssl_context_set_psk_identity_hint(ctx, "hint"));
    char longhint[300];
    memset(longhint, 'h', sizeof longhint - 1);
    longhint[sizeof longhint - 1] = '\0';
    TC_ERR(CNET_EINVAL, cnet_ssl_context_set_psk_identity_hint(ctx, longhint));
    cnet_ssl_context_free(ctx);
}

Test(tls, wrap_errors_and_queries_on_plain_sockets)
{
    need_tls();
    cnet_ssl_context *ctx = client_ctx();
    cnet_socket *s = NULL, *u = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &s));
    cr_assert_not(cnet_socket_is_ssl(s));
    bool b;
    TC_ERR(CNET_ETLS_NOT_TLS, cnet_socket_got_handshake(s, &b));
    char proto[CNET_ALPN_PROTOCOL_MAX];
    TC_ERR(CNET_ETLS_NOT_TLS, cnet_socket_get_alpn_protocol(s, proto, sizeof proto));
    TC_ERR(CNET_ETLS_NOT_TLS, cnet_socket_set_server_name(s, "localhost"));
    TC_OK(cnet_socket_wrap(ctx, s));
    cr_assert(cnet_socket_is_ssl(s));
    cr_assert_not_null(cnet_socket_ssl_handle(s));
    TC_OK(cnet_socket_got_handshake(s, &b));
    cr_assert_not(b);
    TC_ERR(CNET_EINVAL, cnet_socket_wrap(ctx, s)); /* already TLS */
    cnet_certificate_list chain;
    TC_ERR(CNET_ENOTCONN, cnet_socket_get_peer_certificates(s, CNET_CERT_DER, &chain));
    size_t n;
    TC_ERR(CNET_ENOTCONN, cnet_socket_send(s, "x", 1, 0, &n)); /* no handshake yet */
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, true, false, &u));
    TC_ERR(CNET_EINVAL, cnet_socket_wrap(ctx, u)); /* not a stream */
    TC_OK(cnet_socket_close(s, 0));
    cr_assert_not(cnet_socket_is_ssl(s));
    TC_ERR(CNET_ECLOSED, cnet_socket_wrap(ctx, s));
    cnet_socket_free(s);
    cnet_socket_free(u);
    cnet_ssl_context_free(ctx);
}

/* ============================================= the good case */

static void good_case(cnet_domain domain, const char *host)
{
    need_tls();
    cnet_ssl_context *sctx = server_ctx("valid"), *cctx = client_ctx();
    server sv;
    server_start(&sv, sctx, domain, serve_echo);
    cnet_ssl_context_free(sctx); /* the listener keeps it alive */
    cnet_socket *c = NULL;
    cnet_err err = client_connect(cctx, domain, host, sv.port, true, &c);
    cr_assert_eq(err, CNET_OK, "connect to %s: %s", host, cnet_last_error_message());
    cr_assert(cnet_socket_is_ssl(c));
    bool done;
    TC_OK(cnet_socket_got_handshake(c, &done));
    cr_assert(done);
    TC_OK(cnet_socket_send_str(c, "hello tls\n", 0));
    char *line;
    size_t len;
    cnet_read_line_result r;
    TC_OK(cnet_socket_recv_line(c, 5000, 0, 100, &line, &len, &r));
    cr_assert_str_eq(line, "hello tls");
    free(line);

    cnet_certificate_list chain;
    TC_OK(cnet_socket_get_peer_certificates(c, CNET_CERT_DER, &chain));
    cr_assert_eq(chain.count, 2, "leaf and CA, got %zu", chain.count);
    cr_assert_eq(chain.items[0].data[0], 0x30); /* a DER SEQUENCE */
    cr_assert_gt(chain.items[0].size, 100);
    cnet_certificate_list_free(&chain);
    cr_assert_eq(chain.count, 0);
    TC_OK(cnet_socket_get_peer_certificates(c, CNET_CERT_PEM, &chain));
    cr_assert_eq(chain.count, 2);
    cr_assert(strncmp((char *)chain.items[1].data, "-----BEGIN CERTIFICATE-----", 27) == 0);
    cr_assert_eq(strlen((char *)chain.items[1].data), chain.items[1].size);
    cnet_certificate_list_free(&chain);

    TC_OK(cnet_socket_close(c, 0));
    server_join(&sv);
    cr_assert_eq(sv.accept_err, CNET_OK, "%s", sv.accept_msg);
    cr_assert_eq(sv.serve_err, CNET_OK, "the server saw a clean close_notify, not %s", cnet_err_name(sv.serve_err));
    cnet_socket_free(c);
    cnet_ssl_context_free(cctx);
}

Test(tls, good_certificate_by_name) { good_case(CNET_AF_INET, "localhost"); }
Test(tls, good_certificate_by_ipv4_literal) { good_case(CNET_AF_INET, "127.0.0.1"); }
Test(tls, good_certificate_by_ipv6_literal) { good_case(CNET_AF_INET6, "::1"); }

/* ======================================= each bad case, its code */

/* Connect a client (ctx) to a server with the leaf NAME; returns the
 * client's result and the server's accept result in *server_err. */
static cnet_err try_leaf(const char *leaf, cnet_ssl_context *cctx, const char *host, const char *server_name,
                         cnet_err *server_err)
{
    if (strcmp(host, "localhost") == 0)
        tc_require_localhost();
    cnet_ssl_context *sctx = server_ctx(leaf);
    server sv;
    server_start(&sv, sctx, CNET_AF_INET, serve_wait);
    cnet_ssl_context_free(sctx);
    cnet_socket *c = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &c));
    TC_OK(cnet_socket_wrap(cctx, c));
    if (server_name != NULL)
        TC_OK(cnet_socket_set_server_name(c, server_name));
    cnet_err err = cnet_socket_connect(c, host, sv.port, 5000);
    char msg[256];
    snprintf(msg, sizeof msg, "%s", cnet_last_error_message());
    if (err == CNET_OK)
        cnet_socket_send(c, "x", 1, 0, NULL);
    cnet_socket_free(c);
    server_join(&sv);
    *server_err = sv.accept_err;
    if (err != CNET_OK)
        cr_assert_eq(cnet_last_error(), err, "the client's error was overwritten: %s", msg);
    return err;
}

Test(tls, wrong_host_name_is_rejected)
{
    need_tls();
    cnet_ssl_context *cctx = client_ctx();
    cnet_err serr;
    TC_ERR(CNET_ETLS_HOSTNAME, try_leaf("other", cctx, "localhost", NULL, &serr));
    cr_assert(strstr(cnet_last_error_message(), "hostname mismatch") != NULL, "%s", cnet_last_error_message());
    cr_assert_eq(serr, CNET_ETLS_PEER_ALERT, "the server saw %s", cnet_err_name(serr));
    /* The right certificate, but the client asked for another name. */
    TC_ERR(CNET_ETLS_HOSTNAME, try_leaf("valid", cctx, "127.0.0.1", "example.com", &serr));
    /* Case does not matter in DNS names; a trailing dot is dropped. */
    TC_OK(try_leaf("valid", cctx, "127.0.0.1", "LocalHost.", &serr));
    cnet_ssl_context_free(cctx);
}

Test(tls, ip_literal_is_checked_against_the_ip_san)
{
    need_tls();
    cnet_ssl_context *cctx = client_ctx();
    cnet_err serr;
    /* other.pem has no IP SAN at all; valid.pem has 127.0.0.1, not 127.0.0.2. */
    TC_ERR(CNET_ETLS_HOSTNAME, try_leaf("other", cctx, "127.0.0.1", NULL, &serr));
    TC_ERR(CNET_ETLS_HOSTNAME, try_leaf("valid", cctx, "127.0.0.1", "127.0.0.2", &serr));
    cr_assert(strstr(cnet_last_error_message(), "IP address mismatch") != NULL, "%s", cnet_last_error_message());
    cnet_ssl_context_free(cctx);
}

/* The hostname rules (RFC 6125, checklist #32), each by the name the client
 * asks for (set_server_name, over 127.0.0.1): the SAN is checked and the CN
 * ignored once the certificate has a DNS SAN; case does not matter; a
 * wildcard covers exactly one whole left-most label, never a partial one;
 * a name with a NUL inside never matches. */
Test(tls, hostname_rules)
{
    need_tls();
    cnet_ssl_context *cctx = client_ctx();
    cnet_err serr;
    /* CN=localhost, SAN other.example: the SAN wins. */
    TC_ERR(CNET_ETLS_HOSTNAME, try_leaf("sanfirst", cctx, "127.0.0.1", "localhost", &serr));
    TC_OK(try_leaf("sanfirst", cctx, "127.0.0.1", "other.example", &serr));
    TC_OK(try_leaf("sanfirst", cctx, "127.0.0.1", "OTHER.Example", &serr));
    /* *.wild.test */
    TC_OK(try_leaf("wild", cctx, "127.0.0.1", "a.wild.test", &serr));
    TC_OK(try_leaf("wild", cctx, "127.0.0.1", "Host-1.WILD.test", &serr));
    TC_ERR(CNET_ETLS_HOSTNAME, try_leaf("wild", cctx, "127.0.0.1", "x.a.wild.test", &serr));
    TC_ERR(CNET_ETLS_HOSTNAME, try_leaf("wild", cctx, "127.0.0.1", "wild.test", &serr));
    TC_ERR(CNET_ETLS_HOSTNAME, try_leaf("wild", cctx, "127.0.0.1", "a.wild.test.evil", &serr));
    /* f*.part.test: a partial wildcard matches nothing (OpenSSL would allow
     * it; cnet sets X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, as browsers do). */
    TC_ERR(CNET_ETLS_HOSTNAME, try_leaf("wild", cctx, "127.0.0.1", "foo.part.test", &serr));
    TC_ERR(CNET_ETLS_HOSTNAME, try_leaf("wild", cctx, "127.0.0.1", "f.part.test", &serr));
    /* SAN "localhost\0.evil.example": neither half matches. */
    TC_ERR(CNET_ETLS_HOSTNAME, try_leaf("nul", cctx, "127.0.0.1", "localhost", &serr));
    TC_ERR(CNET_ETLS_HOSTNAME, try_leaf("nul", cctx, "127.0.0.1", "evil.example", &serr));
    TC_ERR(CNET_ETLS_HOSTNAME, try_leaf("nul", cctx, "127.0.0.1", ".evil.example", &serr));
    /* And the name may not hold a wildcard itself. */
    cnet_socket *c = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &c));
    TC_OK(cnet_socket_wrap(cctx, c));
    TC_ERR(CNET_EINVAL, cnet_socket_set_server_name(c, "*.wild.test"));
    cr_assert(strstr(cnet_last_error_message(), "wildcard") != NULL, "%s", cnet_last_error_message());
    TC_ERR(CNET_EINVAL, cnet_socket_set_server_name(c, "a.*.test"));
    cnet_socket_free(c);
    cnet_ssl_context_free(cctx);
}

Test(tls, expired_certificate_is_rejected)
{
    need_tls();
    cnet_ssl_context *cctx = client_ctx();
    cnet_err serr;
    TC_ERR(CNET_ETLS_EXPIRED, try_leaf("expired", cctx, "localhost", NULL, &serr));
    cr_assert(strstr(cnet_last_error_message(), "expired") != NULL, "%s", cnet_last_error_message());
    cnet_ssl_context_free(cctx);
}

Test(tls, self_signed_and_unknown_ca_are_rejected)
{
    need_tls();
    cnet_ssl_context *cctx = client_ctx();
    cnet_err serr;
    TC_ERR(CNET_ETLS_UNTRUSTED, try_leaf("self", cctx, "localhost", NULL, &serr));
    cr_assert(strstr(cnet_last_error_message(), "self-signed") != NULL, "%s", cnet_last_error_message());
    cnet_ssl_context_free(cctx);
    /* The system store does not know the test CA. */
    TC_OK(cnet_ssl_context_new(NULL, &cctx));
    TC_ERR(CNET_ETLS_UNTRUSTED, try_leaf("valid", cctx, "localhost", NULL, &serr));
    cnet_ssl_context_free(cctx);
}

Test(tls, verify_none_accepts_anything_but_returns_no_chain)
{
    need_tls();
    cnet_ssl_options o = {0};
    o.verify_mode = CNET_VERIFY_NONE;
    cnet_ssl_context *cctx, *sctx = server_ctx("self");
    TC_OK(cnet_ssl_context_new(&o, &cctx));
    server sv;
    server_start(&sv, sctx, CNET_AF_INET, serve_echo);
    cnet_ssl_context_free(sctx);
    cnet_socket *c = NULL;
    TC_OK(client_connect(cctx, CNET_AF_INET, "127.0.0.1", sv.port, true, &c));
    cnet_certificate_list chain;
    TC_OK(cnet_socket_get_peer_certificates(c, CNET_CERT_DER, &chain));
    cr_assert_eq(chain.count, 0, "an unverified chain must not be returned");
    cnet_socket_free(c);
    server_join(&sv);
    cnet_ssl_context_free(cctx);
}

Test(tls, security_defaults_are_set)
{
#ifdef CNET_TEST_HAVE_OPENSSL
    need_tls();
    cnet_ssl_context *cctx = client_ctx();
    cnet_socket *s = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &s));
    TC_OK(cnet_socket_wrap(cctx, s));
    SSL *ssl = cnet_socket_ssl_handle(s);
    cr_assert_not_null(ssl);
    cr_assert(SSL_get_options(ssl) & SSL_OP_NO_RENEGOTIATION);
    cr_assert_not(SSL_get_options(ssl) & SSL_OP_IGNORE_UNEXPECTED_EOF);
    cr_assert_eq(SSL_get_min_proto_version(ssl), TLS1_2_VERSION);
    cr_assert_geq(SSL_get_security_level(ssl), 2);
    cr_assert_eq(SSL_get_verify_mode(ssl) & SSL_VERIFY_PEER, SSL_VERIFY_PEER);
    cnet_socket_free(s);
    cnet_ssl_context_free(cctx);
#else
    cr_skip_test("the test is not linked with OpenSSL");
#endif
}

/* ======================================== SNI (seen by the server) */

#ifdef CNET_TEST_HAVE_OPENSSL
static void serve_sni(server *sv, cnet_socket *c)
{
    const char *name = SSL_get_servername(cnet_socket_ssl_handle(c), TLSEXT_NAMETYPE_host_name);
    snprintf(sv->text, sizeof sv->text, "%s", name ? name : "(none)");
}

static void sni_case(const char *host, const char *server_name, const char *expect)
{
    if (strcmp(host, "localhost") == 0)
        tc_require_localhost();
    cnet_ssl_context *sctx = server_ctx("valid"), *cctx = client_ctx();
    server sv;
    server_start(&sv, sctx, CNET_AF_INET, serve_sni);
    cnet_socket *c = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &c));
    TC_OK(cnet_socket_wrap(cctx, c));
    if (server_name)
        TC_OK(cnet_socket_set_server_name(c, server_name));
    TC_OK(cnet_socket_connect(c, host, sv.port, 5000));
    server_join(&sv);
    cr_assert_str_eq(sv.text, expect);
    cnet_socket_free(c);
    cnet_ssl_context_free(sctx);
    cnet_ssl_context_free(cctx);
}
#endif

Test(tls, sni_for_dns_names_only_without_trailing_dot)
{
#ifdef CNET_TEST_HAVE_OPENSSL
    need_tls();
    sni_case("localhost", NULL, "localhost");
    sni_case("127.0.0.1", "localhost.", "localhost");
    sni_case("127.0.0.1", NULL, "(none)");
#else
    cr_skip_test("the test is not linked with OpenSSL");
#endif
}

/* ================================================ openssl processes */

Test(tls, client_interop_with_openssl_s_server)
{
    need_tls();
    cnet_ssl_context *cctx = client_ctx();
    TC_OK(cnet_ssl_context_set_alpn_protocols(cctx, "cnet/1"));
    char out[300], cmd[1200];
    snprintf(out, sizeof out, "%s/s_server.%ld.out", certs(), (long)getpid());
    for (int attempt = 0; attempt < 5; attempt++) {
        cnet_port port = free_port();
        snprintf(cmd, sizeof cmd,
                 "exec openssl s_server -accept 127.0.0.1:%u -cert %s -key %s -naccept 1 -rev -alpn cnet/1 >%s 2>&1",
                 (unsigned)port.value, cert("valid.pem"), cert("valid.key"), out);
        pid_t pid = spawn(cmd);
        if (!file_has(out, "ACCEPT", 5000)) {
            reap(pid, true);
            continue; /* the port was taken again: retry */
        }
        cnet_socket *c = NULL;
        TC_OK(client_connect(cctx, CNET_AF_INET, "localhost", port, true, &c));
        char proto[CNET_ALPN_PROTOCOL_MAX];
        TC_OK(cnet_socket_get_alpn_protocol(c, proto, sizeof proto));
        cr_assert_str_eq(proto, "cnet/1");
        TC_OK(cnet_socket_send_str(c, "hello tls\n", 0));
        char line[64];
        size_t len;
        cnet_read_line_result r;
        TC_OK(cnet_socket_read_line(c, line, sizeof line, &len, &r, 5000, 0));
        cr_assert_str_eq(line, "slt olleh");
        cnet_socket_free(c);
        reap(pid, true);
        cnet_ssl_context_free(cctx);
        return;
    }
    cr_assert_fail("openssl s_server did not start");
}

Test(tls, minimum_version_is_enforced_against_s_server)
{
    need_tls();
    cnet_ssl_options o = {0};
    o.ca_file = cert("ca.pem");
    o.min_version = CNET_TLS_1_3;
    cnet_ssl_context *cctx;
    TC_OK(cnet_ssl_context_new(&o, &cctx));
    char out[300], cmd[1200];
    snprintf(out, sizeof out, "%s/s_server12.%ld.out", certs(), (long)getpid());
    cnet_port port = free_port();
    snprintf(cmd, sizeof cmd, "exec openssl s_server -accept 127.0.0.1:%u -cert %s -key %s -naccept 1 -tls1_2 >%s 2>&1",
             (unsigned)port.value, cert("valid.pem"), cert("valid.key"), out);
    pid_t pid = spawn(cmd);
    cr_assert(file_has(out, "ACCEPT", 5000), "s_server did not start");
    cnet_socket *c = NULL;
    TC_ERR(CNET_ETLS_VERSION, client_connect(cctx, CNET_AF_INET, "localhost", port, true, &c));
    cnet_socket_free(c);
    reap(pid, true);
    cnet_ssl_context_free(cctx);
}

static void serve_ping_pong(server *sv, cnet_socket *c)
{
    char line[64];
    size_t len;
    cnet_read_line_result r;
    sv->serve_err = cnet_socket_read_line(c, line, sizeof line, &len, &r, 5000, 0);
    snprintf(sv->text, sizeof sv->text, "%s", line);
    if (sv->serve_err == CNET_OK && cnet_socket_send_str(c, "pong\n", 0) == CNET_OK) {
        /* s_client closes with close_notify: a clean end of stream. */
        sv->serve_err = cnet_socket_read_line(c, line, sizeof line, &len, &r, 5000, 0);
        if (sv->serve_err == CNET_OK && r != CNET_READ_DISCONNECTED)
            sv->serve_err = CNET_EINVAL;
    }
}

Test(tls, server_interop_with_openssl_s_client)
{
    need_tls();
    cnet_ssl_context *sctx = server_ctx("valid");
    server sv;
    server_start(&sv, sctx, CNET_AF_INET, serve_ping_pong);
    char out[300], cmd[1200];
    snprintf(out, sizeof out, "%s/s_client.%ld.out", certs(), (long)getpid());
    snprintf(cmd, sizeof cmd,
             "(echo ping; sleep 1) | exec timeout 20 openssl s_client -connect 127.0.0.1:%u -servername localhost "
             "-CAfile %s -verify_return_error -brief >%s 2>&1",
             (unsigned)sv.port.value, cert("ca.pem"), out);
    pid_t pid = spawn(cmd);
    int rc = reap(pid, false);
    server_join(&sv);
    cr_assert_eq(sv.accept_err, CNET_OK, "%s", sv.accept_msg);
    cr_assert_str_eq(sv.text, "ping");
    cr_assert_eq(sv.serve_err, CNET_OK, "after pong: %s", cnet_err_name(sv.serve_err));
    cr_assert(file_has(out, "pong", 0), "s_client output lacks the reply");
    cr_assert(file_has(out, "Verification: OK", 0), "s_client did not verify the server");
    cr_assert_eq(rc, 0);
    cnet_ssl_context_free(sctx);
}

Test(tls, server_refuses_old_protocol_from_s_client)
{
    need_tls();
    cnet_ssl_context *sctx = server_ctx("valid");
    server sv;
    server_start(&sv, sctx, CNET_AF_INET, NULL);
    char cmd[600];
    snprintf(cmd, sizeof cmd,
             "exec timeout 20 openssl s_client -connect 127.0.0.1:%u -tls1_1 -cipher DEFAULT@SECLEVEL=0 </dev/null "
             ">/dev/null 2>&1",
             (unsigned)sv.port.value);
    int rc = reap(spawn(cmd), false);
    server_join(&sv);
    cr_assert_neq(rc, 0);
    cr_assert_eq(sv.accept_err, CNET_ETLS_VERSION, "accept: %s", sv.accept_msg);
    cnet_ssl_context_free(sctx);
}

/* ============================================ records and streams */

/* One byte per TLS record (one SSL_write each), lines split everywhere. */
static void serve_bytewise(server *sv, cnet_socket *c)
{
    const char *text = "ab\r\ncd\r\nef\nlast";
    for (const char *p = text; *p; p++)
        if ((sv->serve_err = cnet_socket_send(c, p, 1, 0, NULL)) != CNET_OK)
            return;
    sv->serve_err = cnet_socket_close(c, 0); /* close_notify */
}

static void bytewise(bool buffered)
{
    need_tls();
    cnet_ssl_context *sctx = server_ctx("valid"), *cctx = client_ctx();
    server sv;
    server_start(&sv, sctx, CNET_AF_INET, serve_bytewise);
    cnet_socket *c = NULL;
    TC_OK(client_connect(cctx, CNET_AF_INET, "localhost", sv.port, buffered, &c));
    const char *expect[] = {"ab", "cd", "ef"};
    char line[32];
    size_t len;
    cnet_read_line_result r;
    for (int i = 0; i < 3; i++) {
        TC_OK(cnet_socket_read_line(c, line, sizeof line, &len, &r, 5000, 0));
        cr_assert_eq(r, CNET_READ_FULL_LINE);
        cr_assert_str_eq(line, expect[i]);
    }
    TC_OK(cnet_socket_read_line(c, line, sizeof line, &len, &r, 5000, 0));
    cr_assert_eq(r, CNET_READ_PARTIAL_LINE);
    cr_assert_str_eq(line, "last");
    TC_OK(cnet_socket_read_line(c, line, sizeof line, &len, &r, 5000, 0));
    cr_assert_eq(r, CNET_READ_DISCONNECTED, "close_notify is a clean end, got %d", r);
    server_join(&sv);
    cr_assert_eq(sv.serve_err, CNET_OK);
    cnet_socket_free(c);
    cnet_ssl_context_free(sctx);
    cnet_ssl_context_free(cctx);
}

Test(tls, read_line_across_one_byte_records_buffered) { bytewise(true); }
Test(tls, read_line_across_one_byte_records_unbuffered) { bytewise(false); }

/* Data, then the TCP connection ends without close_notify. */
static void serve_truncate(server *sv, cnet_socket *c)
{
    sv->serve_err = cnet_socket_send_str(c, "line\npartial", 0);
    shutdown((int)cnet_socket_get_fd(c), SHUT_RDWR);
}

Test(tls, eof_without_close_notify_is_truncation)
{
    need_tls();
    cnet_ssl_context *sctx = server_ctx("valid"), *cctx = client_ctx();
    server sv;
    server_start(&sv, sctx, CNET_AF_INET, serve_truncate);
    cnet_socket *c = NULL;
    TC_OK(client_connect(cctx, CNET_AF_INET, "localhost", sv.port, true, &c));
    server_join(&sv);
    char line[32];
    size_t len;
    cnet_read_line_result r;
    TC_OK(cnet_socket_read_line(c, line, sizeof line, &len, &r, 5000, CNET_FLAGS_DEFAULT));
    cr_assert_str_eq(line, "line");
    /* The bytes in hand and the cause in the same call - even under
     * SafeDisconn - and the error again after (latched). */
    TC_ERR(CNET_ETLS_TRUNCATED, cnet_socket_read_line(c, line, sizeof line, &len, &r, 5000, CNET_FLAGS_DEFAULT));
    cr_assert_eq(r, CNET_READ_PARTIAL_LINE);
    cr_assert_str_eq(line, "partial");
    cr_assert_eq(len, 7);
    TC_ERR(CNET_ETLS_TRUNCATED, cnet_socket_read_line(c, line, sizeof line, &len, &r, 5000, CNET_FLAGS_DEFAULT));
    size_t n;
    TC_ERR(CNET_ETLS_TRUNCATED, cnet_socket_recv(c, line, 1, 1000, CNET_FLAGS_DEFAULT, &n)); /* latched */
    cnet_socket_free(c);
    cnet_ssl_context_free(sctx);
    cnet_ssl_context_free(cctx);
}

struct blocked_tls_read {
    cnet_socket *s;
    cnet_err err;
};

static void *blocked_tls_read_thread(void *arg)
{
    struct blocked_tls_read *b = arg;
    char line[32];
    size_t len;
    cnet_read_line_result r;
    b->err = cnet_socket_read_line(b->s, line, sizeof line, &len, &r, 20000, CNET_FLAGS_DEFAULT);
    return NULL;
}

/* A thread blocked in SSL_read wakes with CNET_ECLOSED when another thread
 * closes the socket; the SSL object is freed by the last thread out, never
 * under the reader (ASan watches). */
Test(tls, close_from_another_thread_wakes_a_blocked_read)
{
    need_tls();
    cnet_ssl_context *sctx = server_ctx("valid"), *cctx = client_ctx();
    server sv;
    server_start(&sv, sctx, CNET_AF_INET, serve_wait);
    cnet_socket *c = NULL;
    TC_OK(client_connect(cctx, CNET_AF_INET, "localhost", sv.port, true, &c));
    struct blocked_tls_read b = {c, CNET_OK};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, blocked_tls_read_thread, &b), 0);
    tc_sleep_ms(30);
    TC_OK(cnet_socket_close(c, CNET_FLAGS_DEFAULT));
    pthread_join(t, NULL);
    cr_assert_eq(b.err, CNET_ECLOSED, "got %s", cnet_err_name(b.err));
    cr_assert_not(cnet_socket_is_ssl(c), "closed: no TLS state left");
    server_join(&sv);
    cnet_socket_free(c);
    cnet_ssl_context_free(sctx);
    cnet_ssl_context_free(cctx);
}

/* Two lines in one record: after the first, OpenSSL holds the second. */
static void serve_two_lines(server *sv, cnet_socket *c)
{
    sv->serve_err = cnet_socket_send_str(c, "a\nb\n", 0);
    serve_wait(sv, c);
}

Test(tls, has_data_buffered_and_select_see_openssl_pending)
{
    need_tls();
    cnet_ssl_context *sctx = server_ctx("valid"), *cctx = client_ctx();
    server sv;
    server_start(&sv, sctx, CNET_AF_INET, serve_two_lines);
    cnet_socket *c = NULL;
    TC_OK(client_connect(cctx, CNET_AF_INET, "localhost", sv.port, false, &c));
    char buf[4];
    size_t n;
    TC_OK(cnet_socket_recv(c, buf, 2, 5000, 0, &n));
    cr_assert_eq(n, 2);
    cr_assert(cnet_socket_has_data_buffered(c), "the second line waits inside OpenSSL");
    cnet_socket *list[1] = {c};
    size_t count = 1;
    int64_t t0 = tc_now_ms();
    TC_OK(cnet_socket_select_read(list, &count, 3000));
    cr_assert_eq(count, 1);
    cr_assert_lt(tc_now_ms() - t0, 1000);
    TC_OK(cnet_socket_recv(c, buf, 2, 5000, 0, &n));
    cr_assert(memcmp(buf, "b\n", 2) == 0);
    cr_assert_not(cnet_socket_has_data_buffered(c));
    TC_OK(cnet_socket_send_str(c, "x", 0));
    server_join(&sv);
    cnet_socket_free(c);
    cnet_ssl_context_free(sctx);
    cnet_ssl_context_free(cctx);
}

#define BULK (4u << 20)

static void serve_bulk(server *sv, cnet_socket *c)
{
    unsigned char *data = malloc(BULK);
    for (size_t i = 0; i < BULK; i++)
        data[i] = (unsigned char)(i * 2654435761u >> 13);
    sv->serve_err = cnet_socket_send(c, data, BULK, 0, NULL);
    if (sv->serve_err == CNET_OK)
        sv->serve_err = cnet_socket_send_frame(c, CNET_FRAME_BE32, data, 100000) == CNET_OK &&
                                cnet_socket_send_frame(c, CNET_FRAME_DECIMAL4, "tiny", 4) == CNET_OK &&
                                cnet_socket_try_send(c, "end", 3)
                            ? CNET_OK
                            : CNET_EINVAL;
    free(data);
    serve_wait(sv, c);
}

Test(tls, bulk_frames_try_send_and_skip)
{
    need_tls();
    cnet_ssl_context *sctx = server_ctx("valid"), *cctx = client_ctx();
    server sv;
    server_start(&sv, sctx, CNET_AF_INET, serve_bulk);
    cnet_socket *c = NULL;
    TC_OK(client_connect(cctx, CNET_AF_INET, "localhost", sv.port, true, &c));
    unsigned char *got = malloc(BULK);
    size_t n, skipped;
    TC_OK(cnet_socket_skip(c, 1000, 5000, &skipped));
    cr_assert_eq(skipped, 1000);
    TC_OK(cnet_socket_recv(c, got, BULK - 1000, 10000, 0, &n));
    cr_assert_eq(n, BULK - 1000);
    size_t bad = 0;
    for (size_t i = 1000; i < BULK; i++)
        bad += got[i - 1000] != (unsigned char)(i * 2654435761u >> 13);
    cr_assert_eq(bad, 0);
    TC_OK(cnet_socket_recv_frame(c, CNET_FRAME_BE32, got, BULK, &n, 5000));
    cr_assert_eq(n, 100000);
    cr_assert_eq(got[99999], (unsigned char)(99999u * 2654435761u >> 13));
    TC_OK(cnet_socket_recv_frame(c, CNET_FRAME_DECIMAL4, got, 10, &n, 5000));
    cr_assert(n == 4 && memcmp(got, "tiny", 4) == 0);
    TC_OK(cnet_socket_recv(c, got, 3, 5000, 0, &n));
    cr_assert(n == 3 && memcmp(got, "end", 3) == 0);
    TC_OK(cnet_socket_send_str(c, "x", 0));
    server_join(&sv);
    cr_assert_eq(sv.serve_err, CNET_OK);
    free(got);
    cnet_socket_free(c);
    cnet_ssl_context_free(sctx);
    cnet_ssl_context_free(cctx);
}

/* A recv timeout keeps the session usable: the late data still arrives. */
static void serve_late(server *sv, cnet_socket *c)
{
    tc_sleep_ms(300);
    sv->serve_err = cnet_socket_send_str(c, "late\n", 0);
    serve_wait(sv, c);
}

Test(tls, read_timeout_is_not_fatal)
{
    need_tls();
    cnet_ssl_context *sctx = server_ctx("valid"), *cctx = client_ctx();
    server sv;
    server_start(&sv, sctx, CNET_AF_INET, serve_late);
    cnet_socket *c = NULL;
    TC_OK(client_connect(cctx, CNET_AF_INET, "localhost", sv.port, true, &c));
    char line[16];
    size_t len;
    cnet_read_line_result r;
    TC_ERR(CNET_ETIMEDOUT, cnet_socket_read_line(c, line, sizeof line, &len, &r, 50, 0));
    TC_OK(cnet_socket_read_line(c, line, sizeof line, &len, &r, 5000, 0));
    cr_assert_str_eq(line, "late");
    TC_OK(cnet_socket_send_str(c, "x", 0));
    server_join(&sv);
    cnet_socket_free(c);
    cnet_ssl_context_free(sctx);
    cnet_ssl_context_free(cctx);
}

/* ===================================== full duplex, queued records */

#define TIMED_OUT_TOTAL (16u << 20)

static unsigned char timed_out_byte(size_t i)
{
    return (unsigned char)(i * 131 + (i >> 11));
}

/* Read nothing until the test says go, then every byte, checked. */
static void serve_late_reader(server *sv, cnet_socket *c)
{
    atomic_int *go = sv->arg;
    while (!atomic_load(go))
        tc_sleep_ms(5);
    static unsigned char buf[65536];
    size_t got = 0;
    while (got < TIMED_OUT_TOTAL) {
        size_t n = 0;
        sv->serve_err = cnet_socket_recv_some(c, buf, sizeof buf, 10000, 0, &n);
        if (sv->serve_err != CNET_OK || n == 0)
            break;
        for (size_t i = 0; i < n; i++)
            if (buf[i] != timed_out_byte(got + i)) {
                snprintf(sv->text, sizeof sv->text, "byte %zu differs", got + i);
                return;
            }
        got += n;
    }
    snprintf(sv->text, sizeof sv->text, "%zu bytes", got);
}

/* A TLS send that times out reports what it consumed; the records it made
 * and could not hand to the socket yet go out first, so the rest of the
 * bytes, sent by a later call, arrive after them: nothing lost, nothing
 * twice (Nim's SSL_write needs the same arguments again instead). */
Test(tls, send_timeout_then_the_rest_arrives_exactly_once)
{
    need_tls();
    cnet_ssl_context *sctx = server_ctx("valid"), *cctx = client_ctx();
    atomic_int go = 0;
    server sv;
    server_start_arg(&sv, sctx, CNET_AF_INET, serve_late_reader, &go);
    cnet_socket *c = NULL;
    TC_OK(client_connect(cctx, CNET_AF_INET, "localhost", sv.port, true, &c));
    unsigned char *buf = malloc(TIMED_OUT_TOTAL);
    cr_assert_not_null(buf);
    for (size_t i = 0; i < TIMED_OUT_TOTAL; i++)
        buf[i] = timed_out_byte(i);
    TC_OK(cnet_socket_set_send_timeout(c, 200));
    size_t sent = 0;
    TC_ERR(CNET_ETIMEDOUT, cnet_socket_send(c, buf, TIMED_OUT_TOTAL, 0, &sent));
    cr_assert(sent > 0 && sent < TIMED_OUT_TOTAL, "sent %zu", sent);
    /* Still timing out while the peer reads nothing, counting right. */
    size_t more = 0;
    TC_ERR(CNET_ETIMEDOUT, cnet_socket_send(c, buf + sent, TIMED_OUT_TOTAL - sent, 0, &more));
    sent += more;
    atomic_store(&go, 1);
    TC_OK(cnet_socket_set_send_timeout(c, 20000));
    TC_OK(cnet_socket_send(c, buf + sent, TIMED_OUT_TOTAL - sent, 0, NULL));
    server_join(&sv);
    cr_assert_str_eq(sv.text, "16777216 bytes");
    cr_assert_eq(sv.serve_err, CNET_OK, "%s", cnet_err_name(sv.serve_err));
    free(buf);
    cnet_socket_free(c);
    cnet_ssl_context_free(sctx);
    cnet_ssl_context_free(cctx);
}

/* Send a line when the test says go, then wait for the client to end. */
static void serve_line_on_go(server *sv, cnet_socket *c)
{
    atomic_int *go = sv->arg;
    while (!atomic_load(go))
        tc_sleep_ms(5);
    sv->serve_err = cnet_socket_send_str(c, "hello\n", 0);
    serve_wait(sv, c);
}

/* A TLS socket made non-blocking: a read with nothing there and no deadline
 * answers CNET_EWOULDBLOCK at once (not fatal), as a plain socket does. */
Test(tls, a_non_blocking_tls_socket_would_block)
{
    need_tls();
    cnet_ssl_context *sctx = server_ctx("valid"), *cctx = client_ctx();
    atomic_int go = 0;
    server sv;
    server_start_arg(&sv, sctx, CNET_AF_INET, serve_line_on_go, &go);
    cnet_socket *c = NULL;
    TC_OK(client_connect(cctx, CNET_AF_INET, "localhost", sv.port, true, &c));
    TC_OK(cnet_set_blocking(cnet_socket_get_fd(c), false));
    char line[16];
    size_t len, n;
    cnet_read_line_result r;
    TC_ERR(CNET_EWOULDBLOCK, cnet_socket_recv(c, line, 1, -1, 0, &n));
    atomic_store(&go, 1);
    cnet_socket *set[1] = {c};
    size_t count = 1;
    TC_OK(cnet_socket_select_read(set, &count, 5000));
    cr_assert_eq(count, 1);
    TC_OK(cnet_set_blocking(cnet_socket_get_fd(c), true));
    TC_OK(cnet_socket_read_line(c, line, sizeof line, &len, &r, 5000, 0));
    cr_assert_str_eq(line, "hello");
    TC_OK(cnet_socket_send_str(c, "x", 0));
    server_join(&sv);
    cr_assert_eq(sv.serve_err, CNET_OK);
    cnet_socket_free(c);
    cnet_ssl_context_free(sctx);
    cnet_ssl_context_free(cctx);
}

/* ================================================== deadlines */

static void serve_silent(server *sv, cnet_socket *c)
{
    char buf[512];
    size_t n = 1;
    /* Accepts TCP, never speaks TLS: reads until the client gives up. */
    while (n > 0 && (sv->serve_err = cnet_socket_recv_some(c, buf, sizeof buf, 5000, 0, &n)) == CNET_OK)
        ;
}

Test(tls, handshake_honours_the_connect_deadline)
{
    need_tls();
    cnet_ssl_context *cctx = client_ctx();
    server sv;
    server_start(&sv, NULL, CNET_AF_INET, serve_silent);
    cnet_socket *c = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &c));
    TC_OK(cnet_socket_wrap(cctx, c));
    int64_t t0 = tc_now_ms();
    TC_ERR(CNET_ETIMEDOUT, cnet_socket_connect(c, "127.0.0.1", sv.port, 200));
    int64_t took = tc_now_ms() - t0;
    cr_assert(took >= 150 && took < 2000, "took %lld ms", (long long)took);
    /* A handshake cut off does not resume: later calls fail at once. */
    size_t n;
    char b;
    TC_ERR(CNET_ETLS_HANDSHAKE, cnet_socket_recv(c, &b, 1, 1000, 0, &n));
    cnet_socket_free(c);
    server_join(&sv);
    cnet_ssl_context_free(cctx);
}

Test(tls, handshake_honours_the_default_deadline_on_both_sides)
{
    need_tls();
    cnet_ssl_context *sctx = server_ctx("valid"), *cctx = client_ctx();
    /* Client side: wrap_connected within cnet_socket_set_timeout. */
    server plain;
    server_start(&plain, NULL, CNET_AF_INET, serve_silent);
    cnet_socket *c = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &c));
    TC_OK(cnet_socket_connect(c, "127.0.0.1", plain.port, 2000));
    TC_OK(cnet_socket_set_timeout(c, 150));
    int64_t t0 = tc_now_ms();
    TC_ERR(CNET_ETIMEDOUT, cnet_socket_wrap_connected(cctx, c, CNET_HANDSHAKE_AS_CLIENT, "localhost"));
    cr_assert_lt(tc_now_ms() - t0, 2000);
    cnet_socket_free(c);
    server_join(&plain);
    /* Server side: a TCP client that never says hello. */
    server sv;
    server_start(&sv, sctx, CNET_AF_INET, NULL);
    TC_OK(cnet_socket_set_timeout(sv.listener, 200));
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &c));
    TC_OK(cnet_socket_connect(c, "127.0.0.1", sv.port, 2000));
    server_join(&sv);
    cr_assert_eq(sv.accept_err, CNET_ETIMEDOUT, "accept: %s", sv.accept_msg);
    cnet_socket_free(c);
    cnet_ssl_context_free(sctx);
    cnet_ssl_context_free(cctx);
}

static void serve_http(server *sv, cnet_socket *c)
{
    char buf[512];
    size_t n;
    cnet_socket_recv_some(c, buf, sizeof buf, 2000, 0, &n);
    sv->serve_err = cnet_socket_send_str(c, "HTTP/1.0 400 Bad Request\r\n\r\nthis is not TLS at all\r\n", 0);
}

Test(tls, a_peer_that_is_not_tls_is_a_protocol_error)
{
    need_tls();
    cnet_ssl_context *cctx = client_ctx();
    server sv;
    server_start(&sv, NULL, CNET_AF_INET, serve_http);
    cnet_socket *c = NULL;
    TC_ERR(CNET_ETLS_PROTOCOL, client_connect(cctx, CNET_AF_INET, "localhost", sv.port, true, &c));
    server_join(&sv);
    cnet_socket_free(c);
    cnet_ssl_context_free(cctx);
}

/* ================================================ ALPN and PSK */

static void serve_alpn(server *sv, cnet_socket *c)
{
    cnet_socket_get_alpn_protocol(c, sv->text, sizeof sv->text);
    /* Tell the client the handshake is over here too before it may close. */
    sv->serve_err = cnet_socket_send_str(c, "done\n", 0);
    serve_wait(sv, c);
}

static cnet_err alpn_case(const char *server_list, const char *client_list, char *client_got, server *sv)
{
    cnet_ssl_context *sctx = server_ctx("valid"), *cctx = client_ctx();
    if (server_list)
        TC_OK(cnet_ssl_context_set_alpn_protocols(sctx, server_list));
    if (client_list)
        TC_OK(cnet_ssl_context_set_alpn_protocols(cctx, client_list));
    server_start(sv, sctx, CNET_AF_INET, serve_alpn);
    cnet_socket *c = NULL;
    cnet_err err = client_connect(cctx, CNET_AF_INET, "localhost", sv->port, true, &c);
    client_got[0] = '\0';
    if (err == CNET_OK) {
        TC_OK(cnet_socket_get_alpn_protocol(c, client_got, CNET_ALPN_PROTOCOL_MAX));
        char tiny[3];
        if (strlen(client_got) >= 3)
            TC_ERR(CNET_ERANGE, cnet_socket_get_alpn_protocol(c, tiny, sizeof tiny));
        char line[16];
        size_t len;
        cnet_read_line_result r;
        TC_OK(cnet_socket_read_line(c, line, sizeof line, &len, &r, 5000, 0));
        cr_assert_str_eq(line, "done");
        cnet_socket_send_str(c, "x", 0);
    }
    cnet_socket_free(c);
    server_join(sv);
    cnet_ssl_context_free(sctx);
    cnet_ssl_context_free(cctx);
    return err;
}

Test(tls, alpn_negotiation)
{
    need_tls();
    char got[CNET_ALPN_PROTOCOL_MAX];
    server sv;
    TC_OK(alpn_case("h2,http/1.1", "foo,http/1.1,h2", got, &sv));
    cr_assert_str_eq(got, "h2"); /* the server's preference */
    cr_assert_str_eq(sv.text, "h2", "accept: %s; serve: %s", sv.accept_msg, cnet_err_name(sv.serve_err));
    TC_OK(alpn_case("h2,http/1.1", NULL, got, &sv));
    cr_assert_str_eq(got, "");
    TC_ERR(CNET_ETLS_ALPN, alpn_case("h2", "foo", got, &sv));
    cr_assert_eq(sv.accept_err, CNET_ETLS_ALPN, "accept: %s", sv.accept_msg);
}

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

/* The server's view of the PSK identity in sv->text (an error's name when
 * it fails, or when a 2-byte buffer is not CNET_ERANGE), then an echo. */
static void serve_psk_echo(server *sv, cnet_socket *c)
{
    char small[2];
    cnet_err range = cnet_socket_get_psk_identity(c, small, sizeof small);
    cnet_err err = cnet_socket_get_psk_identity(c, sv->text, sizeof sv->text);
    if (err != CNET_OK)
        snprintf(sv->text, sizeof sv->text, "error %s", cnet_err_name(err));
    else if (range != CNET_ERANGE)
        snprintf(sv->text, sizeof sv->text, "2 bytes gave %s, not CNET_ERANGE", cnet_err_name(range));
    serve_echo(sv, c);
}

/* A PSK handshake with identity; the identity each side reports in
 * client_id and server_id ("" when the handshake failed). */
static cnet_err psk_case(const char *identity, cnet_err *server_err, char *client_id, char *server_id)
{
    cnet_ssl_context *sctx, *cctx;
    TC_OK(cnet_ssl_context_new(NULL, &sctx)); /* no certificate at all */
    TC_OK(cnet_ssl_context_set_psk_server_callback(sctx, psk_server));
    TC_OK(cnet_ssl_context_new(NULL, &cctx));
    TC_OK(cnet_ssl_context_set_psk_client_callback(cctx, psk_client));
    TC_OK(cnet_ssl_context_set_extra_data(cctx, 0, (void *)identity));
    server sv;
    server_start(&sv, sctx, CNET_AF_INET, serve_psk_echo);
    client_id[0] = '\0';
    cnet_socket *c = NULL;
    cnet_err err = client_connect(cctx, CNET_AF_INET, "localhost", sv.port, true, &c);
    if (err == CNET_OK) {
        char line[16];
        size_t len;
        cnet_read_line_result r;
        TC_OK(cnet_socket_send_str(c, "psk\n", 0));
        TC_OK(cnet_socket_read_line(c, line, sizeof line, &len, &r, 5000, 0));
        cr_assert_str_eq(line, "psk");
        TC_OK(cnet_socket_get_psk_identity(c, client_id, CNET_PSK_IDENTITY_MAX));
        char small[2];
        TC_ERR(CNET_EINVAL, cnet_socket_get_psk_identity(c, NULL, 8));
        TC_ERR(CNET_EINVAL, cnet_socket_get_psk_identity(c, small, 0));
        TC_OK(cnet_socket_close(c, CNET_FLAGS_DEFAULT));
        TC_ERR(CNET_ECLOSED, cnet_socket_get_psk_identity(c, small, sizeof small));
    }
    cnet_socket_free(c);
    server_join(&sv);
    *server_err = sv.accept_err;
    snprintf(server_id, CNET_PSK_IDENTITY_MAX, "%s", sv.accept_err == CNET_OK ? sv.text : "");
    cnet_ssl_context_free(sctx);
    cnet_ssl_context_free(cctx);
    return err;
}

Test(tls, pre_shared_keys)
{
    need_tls();
    cnet_err serr;
    char client_id[CNET_PSK_IDENTITY_MAX], server_id[CNET_PSK_IDENTITY_MAX];
    TC_OK(psk_case("client1", &serr, client_id, server_id));
    cr_assert_eq(serr, CNET_OK);
    cr_assert_str_eq(server_id, "client1", "the identity the client sent, seen by the server: [%s]", server_id);
    cr_assert_str_eq(client_id, "client1", "the identity the client sent");
    cr_assert_neq(psk_case("intruder", &serr, client_id, server_id), CNET_OK);
    cr_assert_neq(serr, CNET_OK);
}

Test(tls, psk_callbacks_read_back_and_identity_errors)
{
    need_tls();
    cnet_ssl_context *ctx = NULL;
    TC_OK(cnet_ssl_context_new(NULL, &ctx));
    cnet_ssl_client_psk_func cf = psk_client;
    cnet_ssl_server_psk_func sf = psk_server;
    TC_OK(cnet_ssl_context_get_psk_client_callback(ctx, &cf));
    TC_OK(cnet_ssl_context_get_psk_server_callback(ctx, &sf));
    cr_assert_null(cf, "none set yet");
    cr_assert_null(sf, "none set yet");
    TC_OK(cnet_ssl_context_set_psk_client_callback(ctx, psk_client));
    TC_OK(cnet_ssl_context_set_psk_server_callback(ctx, psk_server));
    TC_OK(cnet_ssl_context_get_psk_client_callback(ctx, &cf));
    TC_OK(cnet_ssl_context_get_psk_server_callback(ctx, &sf));
    cr_assert(cf == psk_client);
    cr_assert(sf == psk_server);
    TC_OK(cnet_ssl_context_set_psk_client_callback(ctx, NULL));
    TC_OK(cnet_ssl_context_get_psk_client_callback(ctx, &cf));
    cr_assert_null(cf, "cleared");
    TC_ERR(CNET_EINVAL, cnet_ssl_context_get_psk_client_callback(NULL, &cf));
    TC_ERR(CNET_EINVAL, cnet_ssl_context_get_psk_server_callback(NULL, &sf));
    TC_ERR(CNET_EINVAL, cnet_ssl_context_get_psk_client_callback(ctx, NULL));
    TC_ERR(CNET_EINVAL, cnet_ssl_context_get_psk_server_callback(ctx, NULL));

    /* A TLS socket before its handshake has no identity; a plain one is not TLS. */
    char id[CNET_PSK_IDENTITY_MAX] = "x";
    cnet_socket *s = NULL, *plain = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &s));
    TC_OK(cnet_socket_wrap(ctx, s));
    TC_OK(cnet_socket_get_psk_identity(s, id, sizeof id));
    cr_assert_str_eq(id, "");
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &plain));
    TC_ERR(CNET_ETLS_NOT_TLS, cnet_socket_get_psk_identity(plain, id, sizeof id));
    TC_ERR(CNET_EINVAL, cnet_socket_get_psk_identity(NULL, id, sizeof id));
    cnet_socket_free(plain);
    cnet_socket_free(s);
    cnet_ssl_context_free(ctx);
}

/* ============================================ mutual TLS, STARTTLS */

static void serve_client_cert(server *sv, cnet_socket *c)
{
    cnet_certificate_list chain;
    sv->serve_err = cnet_socket_get_peer_certificates(c, CNET_CERT_DER, &chain);
    snprintf(sv->text, sizeof sv->text, "%zu", chain.count);
    cnet_certificate_list_free(&chain);
    serve_wait(sv, c);
}

Test(tls, mutual_tls_requires_and_returns_the_client_certificate)
{
    need_tls();
    cnet_ssl_options so = {0}, co = {0};
    so.cert_file = cert("valid.pem");
    so.key_file = cert("valid.key");
    so.ca_file = cert("ca.pem"); /* a CA on a server: client certificates required */
    co.ca_file = cert("ca.pem");
    co.cert_file = cert("client.pem");
    co.key_file = cert("client.key");
    cnet_ssl_context *sctx, *cctx, *anon = client_ctx();
    TC_OK(cnet_ssl_context_new(&so, &sctx));
    TC_OK(cnet_ssl_context_new(&co, &cctx));
    server sv;
    server_start(&sv, sctx, CNET_AF_INET, serve_client_cert);
    cnet_socket *c = NULL;
    TC_OK(client_connect(cctx, CNET_AF_INET, "localhost", sv.port, true, &c));
    TC_OK(cnet_socket_send_str(c, "x", 0));
    server_join(&sv);
    cr_assert_eq(sv.serve_err, CNET_OK);
    cr_assert_str_eq(sv.text, "2");
    cnet_socket_free(c);
    /* Without a client certificate the server refuses. */
    server_start(&sv, sctx, CNET_AF_INET, serve_client_cert);
    cnet_err err = client_connect(anon, CNET_AF_INET, "localhost", sv.port, true, &c);
    if (err == CNET_OK) {
        /* TLS 1.3: the client finished first and learns it on reading. */
        char b;
        size_t n;
        err = cnet_socket_recv(c, &b, 1, 5000, 0, &n);
    }
    cr_assert_eq(err, CNET_ETLS_PEER_ALERT, "client: %s", cnet_err_name(err));
    server_join(&sv);
    cr_assert_eq(sv.accept_err, CNET_ETLS_HANDSHAKE, "accept: %s", sv.accept_msg);
    cnet_socket_free(c);
    cnet_ssl_context_free(sctx);
    cnet_ssl_context_free(cctx);
    cnet_ssl_context_free(anon);
}

static void serve_starttls(server *sv, cnet_socket *c)
{
    char line[64];
    size_t len;
    cnet_read_line_result r;
    cnet_ssl_context *ctx = sv->arg;
    sv->serve_err = cnet_socket_read_line(c, line, sizeof line, &len, &r, 5000, 0);
    if (sv->serve_err != CNET_OK || strcmp(line, "STARTTLS") != 0)
        return;
    if ((sv->serve_err = cnet_socket_send_str(c, "GO\n", 0)) != CNET_OK)
        return;
    TC_OK(cnet_socket_set_timeout(c, 5000));
    if ((sv->serve_err = cnet_socket_wrap_connected(ctx, c, CNET_HANDSHAKE_AS_SERVER, NULL)) != CNET_OK)
        return;
    serve_echo(sv, c);
}

Test(tls, starttls_with_wrap_connected)
{
    need_tls();
    cnet_ssl_context *sctx = server_ctx("valid"), *cctx = client_ctx();
    server sv;
    server_start_arg(&sv, NULL, CNET_AF_INET, serve_starttls, sctx);
    cnet_socket *c = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &c));
    TC_OK(cnet_socket_connect(c, "127.0.0.1", sv.port, 2000));
    TC_OK(cnet_socket_send_str(c, "STARTTLS\n", 0));
    char line[64];
    size_t len;
    cnet_read_line_result r;
    TC_OK(cnet_socket_read_line(c, line, sizeof line, &len, &r, 5000, 0));
    cr_assert_str_eq(line, "GO");
    TC_OK(cnet_socket_set_timeout(c, 5000));
    TC_OK(cnet_socket_wrap_connected(cctx, c, CNET_HANDSHAKE_AS_CLIENT, "localhost"));
    TC_OK(cnet_socket_send_str(c, "secret\n", 0));
    TC_OK(cnet_socket_read_line(c, line, sizeof line, &len, &r, 5000, 0));
    cr_assert_str_eq(line, "secret");
    cnet_socket_free(c);
    server_join(&sv);
    cnet_ssl_context_free(sctx);
    cnet_ssl_context_free(cctx);
}

static void serve_injection(server *sv, cnet_socket *c)
{
    /* "GO" plus bytes an attacker injected before the handshake. */
    sv->serve_err = cnet_socket_send_str(c, "GO\nINJECTED", 0);
    serve_wait(sv, c);
}

Test(tls, wrap_connected_refuses_buffered_plaintext)
{
    need_tls();
    cnet_ssl_context *cctx = client_ctx();
    server sv;
    server_start(&sv, NULL, CNET_AF_INET, serve_injection);
    cnet_socket *c = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &c));
    TC_OK(cnet_socket_connect(c, "127.0.0.1", sv.port, 2000));
    char line[64];
    size_t len;
    cnet_read_line_result r;
    TC_OK(cnet_socket_read_line(c, line, sizeof line, &len, &r, 5000, 0));
    cr_assert_str_eq(line, "GO");
    TC_ERR(CNET_EINVAL, cnet_socket_wrap_connected(cctx, c, CNET_HANDSHAKE_AS_CLIENT, "localhost"));
    cr_assert_not(cnet_socket_is_ssl(c));
    cnet_socket_free(c);
    server_join(&sv);
    cnet_ssl_context_free(cctx);
}

/* ================================================ SIGPIPE */

static void serve_reset(server *sv, cnet_socket *c)
{
    struct linger lg = {1, 0};
    setsockopt((int)cnet_socket_get_fd(c), SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    sv->serve_err = CNET_OK; /* server_main's close with linger 0 resets the connection */
}

Test(tls, writes_to_a_reset_peer_fail_without_sigpipe)
{
    need_tls();
    signal(SIGPIPE, SIG_DFL); /* a SIGPIPE would kill this test */
    cnet_ssl_context *sctx = server_ctx("valid"), *cctx = client_ctx();
    server sv;
    server_start(&sv, sctx, CNET_AF_INET, serve_reset);
    cnet_socket *c = NULL;
    TC_OK(client_connect(cctx, CNET_AF_INET, "localhost", sv.port, true, &c));
    server_join(&sv); /* the accepted socket is freed (reset) */
    tc_sleep_ms(50);
    static unsigned char data[1 << 20];
    cnet_err err = CNET_OK;
    for (int i = 0; i < 50 && err == CNET_OK; i++)
        err = cnet_socket_send(c, data, sizeof data, 0, NULL);
    cr_assert(err == CNET_EPIPE || err == CNET_ECONNRESET, "send gave %s", cnet_err_name(err));
    /* SafeDisconn treats it as a disconnection, like a plain socket. */
    cr_assert(cnet_is_disconnection_error(CNET_FLAG_SAFE_DISCONN, err));
    cnet_socket_free(c);
    cnet_ssl_context_free(sctx);
    cnet_ssl_context_free(cctx);
}

/* ===================================== pinning, SNI, resumption */

/* The pin of a test leaf's public key: "sha256//BASE64" (b64) and 64 hex
 * digits (hex), made with the openssl CLI as the docs show. */
static void leaf_pin(const char *leaf, char *b64, size_t b64_size, char *hex, size_t hex_size)
{
    char pem[64], out[320], cmd[1200];
    snprintf(pem, sizeof pem, "%s.pem", leaf);
    const char *forms[2] = {"base64", "od -An -tx1 | tr -d ' \\n'"};
    char *dst[2] = {b64, hex};
    size_t room[2] = {b64_size, hex_size};
    for (int i = 0; i < 2; i++) {
        snprintf(out, sizeof out, "%s/%s.pin%d.%ld", certs(), leaf, i, (long)getpid());
        snprintf(cmd, sizeof cmd,
                 "openssl x509 -in '%s' -pubkey -noout | openssl pkey -pubin -outform der | "
                 "openssl dgst -sha256 -binary | %s > '%s'",
                 cert(pem), forms[i], out);
        cr_assert_eq(system(cmd), 0, "%s", cmd);
        FILE *f = fopen(out, "r");
        cr_assert_not_null(f);
        char line[128] = "";
        cr_assert_not_null(fgets(line, sizeof line, f));
        fclose(f);
        line[strcspn(line, "\r\n")] = '\0';
        snprintf(dst[i], room[i], "%s%s", i == 0 ? "sha256//" : "", line);
    }
}

/* A client context trusting the test CA (or nothing, verify) with pins. */
static cnet_ssl_context *pinned_ctx(bool verify, const char *pin1, const char *pin2)
{
    cnet_ssl_options o = {0};
    o.ca_file = cert("ca.pem");
    o.verify_mode = verify ? CNET_VERIFY_PEER : CNET_VERIFY_NONE;
    cnet_ssl_context *ctx;
    TC_OK(cnet_ssl_context_new(&o, &ctx));
    if (pin1 != NULL)
        TC_OK(cnet_ssl_context_add_pinned_key(ctx, pin1));
    if (pin2 != NULL)
        TC_OK(cnet_ssl_context_add_pinned_key(ctx, pin2));
    return ctx;
}

Test(tls, pinned_public_keys)
{
    need_tls();
    char valid_b64[80], valid_hex[80], other_b64[80], other_hex[80], self_b64[80], self_hex[80];
    leaf_pin("valid", valid_b64, sizeof valid_b64, valid_hex, sizeof valid_hex);
    leaf_pin("other", other_b64, sizeof other_b64, other_hex, sizeof other_hex);
    leaf_pin("self", self_b64, sizeof self_b64, self_hex, sizeof self_hex);
    cr_assert_eq(strlen(valid_b64), 8 + 44, "%s", valid_b64);
    cr_assert_eq(strlen(valid_hex), 64, "%s", valid_hex);
    cnet_err serr;
    struct {
        bool verify;
        const char *pin1, *pin2, *leaf;
        cnet_err want;
    } cases[] = {
        {true, valid_b64, NULL, "valid", CNET_OK},           /* the right key */
        {true, valid_hex, NULL, "valid", CNET_OK},           /* in hex */
        {true, other_b64, NULL, "valid", CNET_ETLS_PIN},     /* another key */
        {true, other_hex, valid_b64, "valid", CNET_OK},      /* one of two */
        {true, valid_b64, NULL, "expired", CNET_ETLS_EXPIRED}, /* the normal checks come first */
        {true, self_b64, NULL, "self", CNET_ETLS_UNTRUSTED}, /* a pin does not replace the CA */
        {false, other_b64, NULL, "valid", CNET_ETLS_PIN},    /* verification off: the pin still holds */
        {false, self_hex, NULL, "self", CNET_OK},            /* ... and is then the only check */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cnet_ssl_context *cctx = pinned_ctx(cases[i].verify, cases[i].pin1, cases[i].pin2);
        cnet_err got = try_leaf(cases[i].leaf, cctx, "127.0.0.1", NULL, &serr);
        cr_assert_eq(got, cases[i].want, "case %zu: %s, expected %s (%s)", i, cnet_err_name(got),
                     cnet_err_name(cases[i].want), cnet_last_error_message());
        if (cases[i].want == CNET_ETLS_PIN)
            cr_assert(strstr(cnet_last_error_message(), "pinned") != NULL, "%s", cnet_last_error_message());
        cnet_ssl_context_free(cctx);
    }
    /* Malformed pins. */
    cnet_ssl_context *cctx = client_ctx();
    const char *bad[] = {"", "sha256//", "sha256//short=", "sha1//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                         "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
                         "sha256//AAAAAAAAAAAAAAAAAAAAAAAA!AAAAAAAAAAAAAAAAAA=",
                         "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        TC_ERR(CNET_EINVAL, cnet_ssl_context_add_pinned_key(cctx, bad[i]));
    cnet_ssl_context_free(cctx);
}

/* The same check against openssl s_server: the pin of its key passes,
 * another key's fails with CNET_ETLS_PIN. */
Test(tls, pinned_key_against_openssl_s_server)
{
    need_tls();
    char valid_b64[80], valid_hex[80], other_b64[80], other_hex[80];
    leaf_pin("valid", valid_b64, sizeof valid_b64, valid_hex, sizeof valid_hex);
    leaf_pin("other", other_b64, sizeof other_b64, other_hex, sizeof other_hex);
    char out[300], cmd[1200];
    snprintf(out, sizeof out, "%s/s_server_pin.%ld.out", certs(), (long)getpid());
    for (int attempt = 0; attempt < 5; attempt++) {
        cnet_port port = free_port();
        snprintf(cmd, sizeof cmd, "exec openssl s_server -accept 127.0.0.1:%u -cert %s -key %s -naccept 2 -rev >%s 2>&1",
                 (unsigned)port.value, cert("valid.pem"), cert("valid.key"), out);
        pid_t pid = spawn(cmd);
        if (!file_has(out, "ACCEPT", 5000)) {
            reap(pid, true);
            continue;
        }
        cnet_ssl_context *good = pinned_ctx(true, valid_hex, NULL), *wrong = pinned_ctx(true, other_b64, NULL);
        cnet_socket *c = NULL;
        TC_ERR(CNET_ETLS_PIN, client_connect(wrong, CNET_AF_INET, "127.0.0.1", port, true, &c));
        cnet_socket_free(c);
        TC_OK(client_connect(good, CNET_AF_INET, "127.0.0.1", port, true, &c));
        TC_OK(cnet_socket_send_str(c, "pinned\n", 0));
        char line[64];
        size_t len;
        cnet_read_line_result r;
        TC_OK(cnet_socket_read_line(c, line, sizeof line, &len, &r, 5000, 0));
        cr_assert_str_eq(line, "dennip");
        cnet_socket_free(c);
        reap(pid, true);
        cnet_ssl_context_free(good);
        cnet_ssl_context_free(wrong);
        return;
    }
    cr_assert_fail("openssl s_server did not start");
}

/* A listener serving several names: the SNI callback picks the context. */
static cnet_ssl_context *sni_other, *sni_wild;
static atomic_int sni_calls;

static cnet_ssl_context *pick_by_name(cnet_ssl_context *context, const char *name)
{
    (void)context;
    atomic_fetch_add(&sni_calls, 1);
    size_t n = strlen(name);
    if (strcmp(name, "other.example") == 0)
        return sni_other;
    if (n > 10 && strcmp(name + n - 10, ".wild.test") == 0)
        return sni_wild;
    return NULL; /* the listener's own certificate */
}

Test(tls, sni_callback_selects_the_certificate)
{
    need_tls();
    cnet_ssl_context *sctx = server_ctx("valid"), *cctx = client_ctx();
    sni_other = server_ctx("other");
    sni_wild = server_ctx("wild");
    TC_OK(cnet_ssl_context_set_sni_callback(sctx, pick_by_name));
    struct {
        const char *name;
        int calls;
    } cases[] = {{"other.example", 1}, {"a.wild.test", 1}, {"localhost", 1}, {NULL, 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        atomic_store(&sni_calls, 0);
        server sv;
        server_start(&sv, sctx, CNET_AF_INET, serve_wait);
        cnet_socket *c = NULL;
        TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &c));
        TC_OK(cnet_socket_wrap(cctx, c));
        if (cases[i].name != NULL)
            TC_OK(cnet_socket_set_server_name(c, cases[i].name));
        /* Verified against the name asked for: only the right certificate passes. */
        cnet_err err = cnet_socket_connect(c, "127.0.0.1", sv.port, 5000);
        cr_assert_eq(err, CNET_OK, "%s: %s", cases[i].name ? cases[i].name : "(no SNI)", cnet_last_error_message());
        cnet_socket_send(c, "x", 1, 0, NULL);
        cnet_socket_free(c);
        server_join(&sv);
        cr_assert_eq(atomic_load(&sni_calls), cases[i].calls, "%s", cases[i].name ? cases[i].name : "(no SNI)");
    }
    /* openssl s_client sees the certificate of the name it sends. */
    server sv;
    server_start(&sv, sctx, CNET_AF_INET, serve_wait);
    char out[300], cmd[1200];
    snprintf(out, sizeof out, "%s/s_client_sni.%ld.out", certs(), (long)getpid());
    snprintf(cmd, sizeof cmd,
             "echo x | timeout 10 openssl s_client -connect 127.0.0.1:%u -servername other.example -CAfile %s "
             "-verify_hostname other.example -verify_return_error >%s 2>&1",
             (unsigned)sv.port.value, cert("ca.pem"), out);
    cr_assert_eq(system(cmd), 0, "s_client failed: see %s", out);
    server_join(&sv);
    cr_assert(file_has(out, "CN = other.example", 100), "s_client did not get other.example's certificate");
    cr_assert(file_has(out, "Verify return code: 0 (ok)", 100));
    TC_OK(cnet_ssl_context_set_sni_callback(sctx, NULL));
    cnet_ssl_context_free(sni_other);
    cnet_ssl_context_free(sni_wild);
    cnet_ssl_context_free(sctx);
    cnet_ssl_context_free(cctx);
}

/* One connection: handshake, one echoed line (a TLS 1.3 client reads the
 * server's tickets with it), close; whether the handshake resumed. */
static bool echo_once(cnet_ssl_context *cctx, cnet_ssl_context *sctx, const char *name)
{
    server sv;
    server_start(&sv, sctx, CNET_AF_INET, serve_echo);
    cnet_socket *c = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &c));
    TC_OK(cnet_socket_wrap(cctx, c));
    if (name != NULL)
        TC_OK(cnet_socket_set_server_name(c, name));
    TC_OK(cnet_socket_connect(c, "127.0.0.1", sv.port, 5000));
    bool reused = true;
    TC_OK(cnet_socket_tls_session_reused(c, &reused));
    TC_OK(cnet_socket_send_str(c, "again\n", 0));
    char line[32];
    size_t len;
    cnet_read_line_result r;
    TC_OK(cnet_socket_read_line(c, line, sizeof line, &len, &r, 5000, 0));
    cr_assert_str_eq(line, "again");
    cnet_socket_free(c);
    server_join(&sv);
    return reused;
}

Test(tls, client_session_resumption)
{
    need_tls();
    cnet_ssl_context *sctx = server_ctx("valid"), *cctx = client_ctx(), *plain = client_ctx();
    TC_ERR(CNET_EINVAL, cnet_ssl_context_set_session_cache(cctx, 4097));
    TC_OK(cnet_ssl_context_set_session_cache(cctx, 2));
    cr_assert_not(echo_once(cctx, sctx, NULL), "the first handshake is a full one");
    cr_assert(echo_once(cctx, sctx, NULL), "the second one to 127.0.0.1 resumes");
    cr_assert(echo_once(cctx, sctx, NULL), "and the third (a new ticket each time)");
    cr_assert_not(echo_once(cctx, sctx, "localhost"), "another name: a full handshake");
    cr_assert(echo_once(cctx, sctx, "localhost"), "then that name resumes too");
    /* A third name fills the cache of 2: the oldest (127.0.0.1) goes. */
    cr_assert_not(echo_once(cctx, sctx, "LocalHost."), "a third name");
    cr_assert_not(echo_once(cctx, sctx, NULL), "127.0.0.1 was dropped");
    /* Without a cache (the default) nothing resumes. */
    cr_assert_not(echo_once(plain, sctx, NULL));
    cr_assert_not(echo_once(plain, sctx, NULL));
    /* Off again. */
    TC_OK(cnet_ssl_context_set_session_cache(cctx, 0));
    cr_assert_not(echo_once(cctx, sctx, NULL));
    cr_assert_not(echo_once(cctx, sctx, NULL));
    cnet_ssl_context_free(sctx);
    cnet_ssl_context_free(cctx);
    cnet_ssl_context_free(plain);
}

/* Against openssl s_server (TLS 1.3 tickets, and TLS 1.2 sessions). */
Test(tls, client_session_resumption_against_openssl_s_server)
{
    need_tls();
    char out[300], cmd[1200];
    snprintf(out, sizeof out, "%s/s_server_resume.%ld.out", certs(), (long)getpid());
    const char *versions[] = {"", "-tls1_2"};
    for (int v = 0; v < 2; v++) {
        bool done = false;
        for (int attempt = 0; attempt < 5 && !done; attempt++) {
            cnet_port port = free_port();
            snprintf(cmd, sizeof cmd, "exec openssl s_server -accept 127.0.0.1:%u -cert %s -key %s -naccept 2 -rev %s >%s 2>&1",
                     (unsigned)port.value, cert("valid.pem"), cert("valid.key"), versions[v], out);
            pid_t pid = spawn(cmd);
            if (!file_has(out, "ACCEPT", 5000)) {
                reap(pid, true);
                continue;
            }
            cnet_ssl_context *cctx = client_ctx();
            TC_OK(cnet_ssl_context_set_session_cache(cctx, 4));
            for (int round = 0; round < 2; round++) {
                cnet_socket *c = NULL;
                /* s_server listens again a moment after a connection ends. */
                cnet_err err;
                for (int wait = 0; (err = client_connect(cctx, CNET_AF_INET, "127.0.0.1", port, true, &c)) ==
                                       CNET_ECONNREFUSED && wait < 100; wait++) {
                    cnet_socket_free(c);
                    tc_sleep_ms(20);
                }
                TC_OK(err);
                bool reused;
                TC_OK(cnet_socket_tls_session_reused(c, &reused));
                cr_assert_eq(reused, round == 1, "%s round %d: reused %d", v ? "TLS 1.2" : "TLS 1.3", round, reused);
                TC_OK(cnet_socket_send_str(c, "abc\n", 0));
                char line[16];
                size_t len;
                cnet_read_line_result r;
                TC_OK(cnet_socket_read_line(c, line, sizeof line, &len, &r, 5000, 0));
                cr_assert_str_eq(line, "cba");
                cnet_socket_free(c);
            }
            reap(pid, true);
            cnet_ssl_context_free(cctx);
            done = true;
        }
        cr_assert(done, "openssl s_server did not start");
    }
}
