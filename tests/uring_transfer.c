/*
 * A data transfer over the public API for the strace check of the io_uring
 * backend: TCP accept/connect, lines, a bulk transfer, frames, a half-close
 * and UDP send_to/recv_from, all on 127.0.0.1; given a directory of test
 * certificates (tests/tls_mkcerts.sh), also a verified TLS exchange, whose
 * records must travel through the ring too. Exits 0 when every byte
 * arrived, 77 when the ring is not in use.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <cnet/cnet.h>

#define CHECK(call)                                                                  \
    do {                                                                             \
        if ((call) != CNET_OK) {                                                     \
            fprintf(stderr, "%s: %s\n", #call, cnet_last_error_message());          \
            return 1;                                                                \
        }                                                                            \
    } while (0)

static cnet_socket *server;
static char bulk[1 << 20];

static void *serve(void *arg)
{
    (void)arg;
    cnet_socket *c = NULL;
    if (cnet_socket_accept(server, &c, CNET_FLAGS_DEFAULT) != CNET_OK)
        return NULL;
    cnet_socket_send_str(c, "line one\r\nline two\n", 0);
    cnet_socket_send(c, bulk, sizeof bulk, 0, NULL);
    cnet_socket_send_frame(c, CNET_FRAME_DECIMAL4, "Hi, welcome!", 12);
    cnet_socket_shutdown(c, false, true);
    cnet_socket_free(c);
    return NULL;
}

static cnet_ssl_context *server_ctx;

static void *serve_tls(void *arg)
{
    (void)arg;
    cnet_socket *c = NULL;
    if (cnet_socket_accept(server, &c, CNET_FLAGS_DEFAULT) != CNET_OK) {
        fprintf(stderr, "tls accept: %s\n", cnet_last_error_message());
        return NULL;
    }
    cnet_socket_send_str(c, "over tls\n", 0);
    cnet_socket_send(c, bulk, sizeof bulk, 0, NULL);
    cnet_socket_free(c);
    return NULL;
}

/* A verified TLS 1.3 exchange with the certificates in dir. */
static int tls_transfer(const char *dir)
{
    char cert[512], key[512], ca[512];
    snprintf(cert, sizeof cert, "%s/valid.pem", dir);
    snprintf(key, sizeof key, "%s/valid.key", dir);
    snprintf(ca, sizeof ca, "%s/ca.pem", dir);
    cnet_ssl_options so = {0}, co = {0};
    so.cert_file = cert;
    so.key_file = key;
    so.verify_mode = CNET_VERIFY_NONE;
    co.ca_file = ca;
    cnet_ssl_context *client_ctx;
    cnet_port port;
    char addr[CNET_ADDRSTRLEN];
    CHECK(cnet_ssl_context_new(&so, &server_ctx));
    CHECK(cnet_ssl_context_new(&co, &client_ctx));
    CHECK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &server));
    CHECK(cnet_socket_bind_addr(server, CNET_PORT(0), "127.0.0.1"));
    CHECK(cnet_socket_listen(server, 8));
    CHECK(cnet_socket_get_local_addr(server, addr, sizeof addr, &port));
    CHECK(cnet_socket_wrap(server_ctx, server));
    pthread_t t;
    pthread_create(&t, NULL, serve_tls, NULL);
    cnet_socket *c = NULL;
    CHECK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &c));
    CHECK(cnet_socket_wrap(client_ctx, c));
    CHECK(cnet_socket_connect(c, "127.0.0.1", port, 5000));
    char line[32];
    size_t n;
    cnet_read_line_result r;
    CHECK(cnet_socket_read_line(c, line, sizeof line, &n, &r, 5000, CNET_FLAGS_DEFAULT));
    static char got[1 << 20];
    CHECK(cnet_socket_recv(c, got, sizeof got, 5000, 0, &n));
    pthread_join(t, NULL);
    if (strcmp(line, "over tls") != 0 || n != sizeof got || memcmp(got, bulk, n) != 0 || !cnet_socket_is_ssl(c))
        return 1;
    cnet_socket_free(c);
    cnet_socket_free(server);
    cnet_ssl_context_free(client_ctx);
    cnet_ssl_context_free(server_ctx);
    printf("tls transfer ok\n");
    return 0;
}

int main(int argc, char **argv)
{
    if (strcmp(cnet_backend_active(), "io_uring") != 0)
        return 77;
    memset(bulk, 'b', sizeof bulk);
    cnet_port port;
    char addr[CNET_ADDRSTRLEN];
    CHECK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &server));
    CHECK(cnet_socket_bind_addr(server, CNET_PORT(0), "127.0.0.1"));
    CHECK(cnet_socket_listen(server, 8));
    CHECK(cnet_socket_get_local_addr(server, addr, sizeof addr, &port));
    pthread_t t;
    pthread_create(&t, NULL, serve, NULL);
    cnet_socket *c = NULL;
    CHECK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &c));
    CHECK(cnet_socket_connect(c, "127.0.0.1", port, 2000));
    char line[64], frame[16];
    size_t n;
    cnet_read_line_result r;
    CHECK(cnet_socket_read_line(c, line, sizeof line, &n, &r, 2000, CNET_FLAGS_DEFAULT));
    CHECK(cnet_socket_read_line(c, line, sizeof line, &n, &r, 2000, CNET_FLAGS_DEFAULT));
    static char got[1 << 20];
    CHECK(cnet_socket_recv(c, got, sizeof got, 5000, 0, &n));
    if (n != sizeof got || memcmp(got, bulk, n) != 0)
        return 1;
    CHECK(cnet_socket_recv_frame(c, CNET_FRAME_DECIMAL4, frame, sizeof frame, &n, 2000));
    if (n != 12 || memcmp(frame, "Hi, welcome!", 12) != 0)
        return 1;
    pthread_join(t, NULL);

    cnet_socket *u1 = NULL, *u2 = NULL;
    CHECK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, false, false, &u1));
    CHECK(cnet_socket_bind_addr(u1, CNET_PORT(0), "127.0.0.1"));
    CHECK(cnet_socket_get_local_addr(u1, addr, sizeof addr, &port));
    CHECK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, false, false, &u2));
    CHECK(cnet_socket_send_to(u2, "127.0.0.1", port, "dgram", 5, 0));
    CHECK(cnet_socket_set_timeout(u1, 2000));
    CHECK(cnet_socket_recv_from(u1, frame, sizeof frame, addr, sizeof addr, NULL, &n));
    if (n != 5)
        return 1;
    cnet_socket_free(u1);
    cnet_socket_free(u2);
    cnet_socket_free(c);
    cnet_socket_free(server);
    printf("transfer ok on %s\n", cnet_backend_active());
    if (argc > 1 && cnet_tls_available())
        return tls_transfer(argv[1]);
    return 0;
}
