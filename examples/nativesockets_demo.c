/*
 * A tour of cnet's low-level layer over loopback: look up a service and a
 * host, listen on an ephemeral port, connect, accept, wait with select and
 * exchange one message. Run by `make demo`.
 */
#define _GNU_SOURCE 1
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cnet/cnet.h>

#define CHECK(call)                                                                         \
    do {                                                                                    \
        if ((call) != CNET_OK) {                                                            \
            fprintf(stderr, "%s failed: %s\n", #call, cnet_last_error_message());          \
            return 1;                                                                       \
        }                                                                                   \
    } while (0)

/* Exit status when the system lacks what the tour looks up (automake's
 * "skipped", which the test suite reports as such). */
#define EXIT_SKIPPED 77

static void usage(FILE *to)
{
    fprintf(to, "usage: nativesockets_demo [--help]\n"
                "A tour of cnet's low-level layer (cnet/nativesockets.h) over loopback: looks up the\n"
                "service http/tcp and the host localhost, then listens, connects, accepts, selects and\n"
                "exchanges one message on 127.0.0.1.\n"
                "Exit status: 0 on success, 1 on a failure, 77 when this system has no services\n"
                "database (/etc/services, Debian package netbase) or no localhost (/etc/hosts).\n");
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return 0;
    }
    if (argc != 1) {
        usage(stderr);
        return 2;
    }
    printf("cnet %s, backend %s\n", cnet_version(), cnet_backend_name());

    cnet_servent http;
    cnet_err err = cnet_get_serv_by_name("http", "tcp", &http);
    if (err == CNET_ENOTFOUND) {
        fprintf(stderr, "skipped: this system's services database has no http/tcp (/etc/services, "
                        "Debian package netbase): %s\n", cnet_last_error_message());
        return EXIT_SKIPPED;
    }
    CHECK(err);
    printf("service http/tcp is port %u (host order)\n", (unsigned)http.port.value);
    cnet_servent_free(&http);

    cnet_hostent host;
    err = cnet_get_host_by_name("localhost", &host);
    if (err == CNET_ENOTFOUND) {
        fprintf(stderr, "skipped: \"localhost\" does not resolve on this system (/etc/hosts): %s\n",
                cnet_last_error_message());
        return EXIT_SKIPPED;
    }
    CHECK(err);
    printf("localhost resolves to %s\n", host.addr_list[0]);
    cnet_hostent_free(&host);

    struct addrinfo *ai;
    CHECK(cnet_get_addr_info("127.0.0.1", CNET_PORT(0), CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &ai));

    cnet_socket_handle server, client, accepted;
    CHECK(cnet_create_native_socket(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, false, &server));
    CHECK(cnet_set_sock_opt_int(server, CNET_SOL_SOCKET, CNET_SO_REUSEADDR, 1));
    CHECK(cnet_bind_addr(server, ai->ai_addr, (cnet_socklen)ai->ai_addrlen));
    cnet_free_addr_info(ai);
    CHECK(cnet_listen(server, CNET_SOMAXCONN));

    char addr[CNET_ADDRSTRLEN];
    cnet_port port;
    CHECK(cnet_get_local_addr(server, addr, sizeof addr, &port));
    printf("listening on %s:%u\n", addr, (unsigned)port.value);

    CHECK(cnet_get_addr_info("127.0.0.1", port, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &ai));
    CHECK(cnet_create_native_socket(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, false, &client));
    if (connect(client, ai->ai_addr, (socklen_t)ai->ai_addrlen) != 0) {
        perror("connect");
        return 1;
    }
    cnet_free_addr_info(ai);

    CHECK(cnet_accept(server, false, &accepted, addr, sizeof addr));
    cnet_port peer_port;
    CHECK(cnet_get_peer_addr(accepted, addr, sizeof addr, &peer_port));
    printf("accepted a client from %s:%u\n", addr, (unsigned)peer_port.value);

    const char message[] = "hello from cnet";
    if (send(client, message, sizeof message - 1, MSG_NOSIGNAL) != (ssize_t)(sizeof message - 1))
        return 1;
    cnet_socket_handle watch[2] = {server, accepted};
    size_t ready = 2;
    CHECK(cnet_select_read(watch, &ready, CNET_SELECT_DEFAULT_TIMEOUT));
    printf("select: %zu of 2 sockets readable (the accepted one: %s)\n", ready,
           ready == 1 && watch[0] == accepted ? "yes" : "no");

    char buf[64];
    ssize_t n = recv(accepted, buf, sizeof buf - 1, 0);
    if (n < 0)
        return 1;
    buf[n] = '\0';
    printf("server received: %s\n", buf);

    /* An error is a value with a message, never an abort. */
    if (cnet_close(CNET_INVALID_SOCKET) != CNET_OK)
        printf("closing an invalid handle: %s (%s)\n", cnet_err_name(cnet_last_error()), cnet_last_error_message());

    CHECK(cnet_close(accepted));
    CHECK(cnet_close(client));
    CHECK(cnet_close(server));
    printf("done\n");
    return 0;
}
