/*
 * TLS benchmark: cnet (records through the backend edge by a custom BIO)
 * against a plain OpenSSL C program (SSL_set_fd, blocking sockets), same
 * run, same cipher (TLS 1.3, TLS_AES_128_GCM_SHA256), same certificate
 * (ECDSA P-256), server and client processes pinned to one CPU.
 *
 *   bulk:       1 GiB from the server to the client in 64 KiB writes/reads
 *   handshakes: full handshakes per second (a new TCP connection each, no
 *               resumption, hostname verification on, close_notify on close
 *               on both sides as cnet's close sends it)
 *
 * usage: bench_tls [GIB] [HANDSHAKES] [REPS] [CPU]
 * Prints one line per measurement and the median ratios cnet/openssl.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cnet/cnet.h>

#include "common.h"

#define CHUNK 65536
#define SUITE "TLS_AES_128_GCM_SHA256"

static char cert_pem[256], key_pem[256];
static int cpu = 0;

/* Pins this process to `cpu`, best effort (a refused CPU leaves it unpinned). */
static void pin(void)
{
    (void)pin_cpu(cpu);
}

static void die(const char *what)
{
    fprintf(stderr, "bench_tls: %s: %s\n", what, cnet_last_error_message());
    ERR_print_errors_fp(stderr);
    exit(1);
}

/* A listening loopback TCP socket on a free port. */
static int plain_listener(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&sin, sizeof sin) != 0 || listen(fd, 512) != 0)
        die("listen");
    socklen_t len = sizeof sin;
    getsockname(fd, (struct sockaddr *)&sin, &len);
    *port = ntohs(sin.sin_port);
    return fd;
}

static int plain_connect(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (connect(fd, (struct sockaddr *)&sin, sizeof sin) != 0)
        die("connect");
    return fd;
}

/* ------------------------------------------------ plain OpenSSL side */

static SSL_CTX *ossl_ctx(bool server)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_method());
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_ciphersuites(ctx, SUITE);
    if (server) {
        if (SSL_CTX_use_certificate_chain_file(ctx, cert_pem) != 1 ||
            SSL_CTX_use_PrivateKey_file(ctx, key_pem, SSL_FILETYPE_PEM) != 1)
            die("openssl server certificate");
    } else {
        SSL_CTX_load_verify_locations(ctx, cert_pem, NULL);
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    }
    return ctx;
}

static SSL *ossl_client(SSL_CTX *ctx, int fd)
{
    SSL *ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    SSL_set_tlsext_host_name(ssl, "localhost");
    SSL_set1_host(ssl, "localhost");
    if (SSL_connect(ssl) != 1)
        die("SSL_connect");
    return ssl;
}

/* Server: for each connection, handshake, then send `bytes` (0: none), close. */
static void ossl_server(int lfd, long conns, size_t bytes)
{
    SSL_CTX *ctx = ossl_ctx(true);
    static unsigned char buf[CHUNK];
    for (long i = 0; i < conns; i++) {
        int fd = accept(lfd, NULL, NULL);
        SSL *ssl = SSL_new(ctx);
        SSL_set_fd(ssl, fd);
        if (SSL_accept(ssl) == 1) {
            for (size_t done = 0; done < bytes; done += CHUNK)
                if (SSL_write(ssl, buf, CHUNK) <= 0)
                    break;
            SSL_shutdown(ssl); /* close_notify, as cnet's close sends */
        }
        SSL_free(ssl);
        close(fd);
    }
    SSL_CTX_free(ctx);
}

static double ossl_bulk_client(int port, size_t bytes)
{
    SSL_CTX *ctx = ossl_ctx(false);
    static unsigned char buf[CHUNK];
    int fd = plain_connect(port);
    double t0 = now_s();
    SSL *ssl = ossl_client(ctx, fd);
    size_t got = 0;
    int n;
    while (got < bytes && (n = SSL_read(ssl, buf, CHUNK)) > 0)
        got += (size_t)n;
    double t = now_s() - t0;
    if (got != bytes)
        die("openssl bulk: short read");
    SSL_free(ssl);
    close(fd);
    SSL_CTX_free(ctx);
    return t;
}

static double ossl_handshake_client(int port, long conns)
{
    SSL_CTX *ctx = ossl_ctx(false);
    double t0 = now_s();
    for (long i = 0; i < conns; i++) {
        int fd = plain_connect(port);
        SSL *ssl = ossl_client(ctx, fd);
        SSL_shutdown(ssl); /* close_notify, as cnet's close sends */
        SSL_free(ssl);
        close(fd);
    }
    double t = now_s() - t0;
    SSL_CTX_free(ctx);
    return t;
}

/* ------------------------------------------------------- cnet side */

static cnet_ssl_context *cnet_ctx(bool server)
{
    cnet_ssl_options o;
    memset(&o, 0, sizeof o);
    o.ciphersuites = SUITE;
    if (server) {
        o.cert_file = cert_pem;
        o.key_file = key_pem;
    } else {
        o.ca_file = cert_pem;
    }
    cnet_ssl_context *ctx;
    if (cnet_ssl_context_new(&o, &ctx) != CNET_OK)
        die("cnet_ssl_context_new");
    return ctx;
}

static void cnet_server(int lfd, long conns, size_t bytes)
{
    cnet_ssl_context *ctx = cnet_ctx(true);
    cnet_socket *server;
    if (cnet_socket_from_handle(lfd, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, false, &server) != CNET_OK ||
        cnet_socket_wrap(ctx, server) != CNET_OK)
        die("cnet server");
    static unsigned char buf[CHUNK];
    for (long i = 0; i < conns; i++) {
        cnet_socket *c = NULL;
        /* Flags 0: a client that leaves during the handshake (before the
         * session tickets are out) counts as a connection, as it does for
         * the OpenSSL server; SafeDisconn would skip it and wait for more. */
        if (cnet_socket_accept(server, &c, 0) != CNET_OK) {
            cnet_socket_free(c);
            continue;
        }
        for (size_t done = 0; done < bytes; done += CHUNK)
            if (cnet_socket_send(c, buf, CHUNK, 0, NULL) != CNET_OK)
                break;
        cnet_socket_free(c); /* close_notify */
    }
    cnet_socket_free(server);
    cnet_ssl_context_free(ctx);
}

static cnet_socket *cnet_client(cnet_ssl_context *ctx, int port)
{
    cnet_socket *s;
    if (cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, false, false, &s) != CNET_OK ||
        cnet_socket_wrap(ctx, s) != CNET_OK || cnet_socket_set_server_name(s, "localhost") != CNET_OK ||
        cnet_socket_connect(s, "127.0.0.1", CNET_PORT((uint16_t)port), -1) != CNET_OK)
        die("cnet connect");
    return s;
}

static double cnet_bulk_client(int port, size_t bytes)
{
    cnet_ssl_context *ctx = cnet_ctx(false);
    static unsigned char buf[CHUNK];
    double t0 = now_s();
    cnet_socket *s = cnet_client(ctx, port);
    size_t got = 0, n;
    while (got < bytes && cnet_socket_recv_some(s, buf, CHUNK, -1, 0, &n) == CNET_OK && n > 0)
        got += n;
    double t = now_s() - t0;
    if (got != bytes)
        die("cnet bulk: short read");
    cnet_socket_free(s);
    cnet_ssl_context_free(ctx);
    return t;
}

static double cnet_handshake_client(int port, long conns)
{
    cnet_ssl_context *ctx = cnet_ctx(false);
    double t0 = now_s();
    for (long i = 0; i < conns; i++)
        cnet_socket_free(cnet_client(ctx, port));
    double t = now_s() - t0;
    cnet_ssl_context_free(ctx);
    return t;
}

/* ------------------------------------------------------------ driver */

/* One measurement: a server process and the client here, both pinned. */
static double run(bool use_cnet, long conns, size_t bytes)
{
    int port;
    int lfd = plain_listener(&port);
    pid_t pid = fork();
    if (pid == 0) {
        pin();
        if (use_cnet)
            cnet_server(lfd, conns, bytes);
        else
            ossl_server(lfd, conns, bytes);
        _exit(0);
    }
    close(lfd);
    pin();
    double t = bytes ? (use_cnet ? cnet_bulk_client(port, bytes) : ossl_bulk_client(port, bytes))
                     : (use_cnet ? cnet_handshake_client(port, conns) : ossl_handshake_client(port, conns));
    int status;
    waitpid(pid, &status, 0);
    return t;
}

/* Sorts v and returns its middle value; for an even n, the upper of the two. */
static double upper_median(double *v, int n)
{
    sort_doubles(v, n);
    return v[n / 2];
}

int main(int argc, char **argv)
{
    double gib = argc > 1 ? atof(argv[1]) : 1.0;
    long handshakes = argc > 2 ? atol(argv[2]) : 2000;
    int reps = argc > 3 ? atoi(argv[3]) : 5;
    cpu = argc > 4 ? atoi(argv[4]) : 0;
    if (reps < 1 || reps > 32)
        reps = 5;
    signal(SIGPIPE, SIG_IGN);
    if (!cnet_tls_available()) {
        fprintf(stderr, "bench_tls: cnet was built without TLS\n");
        return 77;
    }
    char dir[] = "/tmp/cnet-bench-tls.XXXXXX";
    if (mkdtemp(dir) == NULL)
        die("mkdtemp");
    snprintf(cert_pem, sizeof cert_pem, "%s/cert.pem", dir);
    snprintf(key_pem, sizeof key_pem, "%s/key.pem", dir);
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout %s -out %s "
             "-days 30 -subj /CN=localhost -addext subjectAltName=DNS:localhost 2>/dev/null",
             key_pem, cert_pem);
    if (system(cmd) != 0)
        die("openssl req (is the openssl CLI installed?)");

    size_t bytes = (size_t)(gib * (1u << 30)) / CHUNK * CHUNK;
    double bo[32], bc[32], ho[32], hc[32];
    printf("bench_tls: backend %s, %s, both ends on CPU %d, %d runs each (alternating)\n", cnet_backend_active(),
           SUITE, cpu, reps);
    for (int r = 0; r < reps; r++) {
        bo[r] = bytes / run(false, 1, bytes) / 1e9;
        bc[r] = bytes / run(true, 1, bytes) / 1e9;
        printf("  bulk %.2f GiB   openssl %.3f GB/s   cnet %.3f GB/s\n", gib, bo[r], bc[r]);
        fflush(stdout);
    }
    for (int r = 0; r < reps; r++) {
        ho[r] = handshakes / run(false, handshakes, 0);
        hc[r] = handshakes / run(true, handshakes, 0);
        printf("  handshakes %ld   openssl %.0f/s   cnet %.0f/s\n", handshakes, ho[r], hc[r]);
        fflush(stdout);
    }
    double mbo = upper_median(bo, reps), mbc = upper_median(bc, reps), mho = upper_median(ho, reps),
           mhc = upper_median(hc, reps);
    printf("bulk (median):       openssl %.3f GB/s, cnet %.3f GB/s, ratio %.2fx\n", mbo, mbc, mbc / mbo);
    printf("handshakes (median): openssl %.0f/s, cnet %.0f/s, ratio %.2fx\n", mho, mhc, mhc / mho);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : 1;
}
