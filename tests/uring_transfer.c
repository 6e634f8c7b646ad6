/*
 * A data transfer over the public API for the strace check of the io_uring
 * backend: TCP accept/connect, lines, a bulk transfer, frames, a half-close
 * and UDP send_to/recv_from, all on 127.0.0.1. Exits 0 when every byte
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

int main(void)
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
    cnet_socket *c;
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

    cnet_socket *u1, *u2;
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
    return 0;
}
