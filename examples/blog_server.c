/*
 * blog_server [PORT [COUNT]] - the seed blog's improved ("改进实例") Nim server,
 * ported to cnet.
 *
 * The Nim original binds Port(7003) on every IPv4 address, listens, and for
 * every client prints "server waitting" and "client from IP: ...", sends
 * "Hi, welcome!" behind a 4-digit zero-padded decimal length ("0012Hi,
 * welcome!"), reads a 4-digit length and that many bytes, and prints
 * "message lenth: N" and "from client message: ..." (the typo "lenth" and
 * "waitting" are the blog's and are kept on purpose). The bytes on the wire
 * are exactly the blog's, so this server talks to the Nim client and the Nim
 * server talks to blog_client.
 *
 * Differences from the original, none of them visible on the wire:
 *   - PORT (default 7003) and COUNT (default 0 = serve forever) come from the
 *     command line; after COUNT clients the server exits.
 *   - OptReuseAddr is set so the server can be restarted at once.
 *   - Each client gets a CLIENT_TIMEOUT_MS deadline, so a silent client cannot
 *     stall the server forever; a failed exchange is reported on stderr and
 *     the server goes on with the next client (the Nim program would die on
 *     the exception). The exit status is 1 when any exchange failed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cnet/cnet.h>

#define DEFAULT_PORT 7003
#define CLIENT_TIMEOUT_MS 30000

static void usage(FILE *to)
{
    fprintf(to, "usage: blog_server [PORT [COUNT]]\n"
                "  PORT   TCP port to listen on (default %d)\n"
                "  COUNT  serve COUNT clients, then exit (default 0: forever)\n",
                DEFAULT_PORT);
}

static int fail(const char *what)
{
    fprintf(stderr, "blog_server: %s: %s\n", what, cnet_last_error_message());
    return 1;
}

/* One exchange with a connected client, as in the blog's loop body. */
static bool serve_client(cnet_socket *client)
{
    static const char server_mes[] = "Hi, welcome!";
    if (cnet_socket_set_timeout(client, CLIENT_TIMEOUT_MS) != CNET_OK ||
        cnet_socket_send_frame(client, CNET_FRAME_DECIMAL4, server_mes, strlen(server_mes)) != CNET_OK) {
        fail("send");
        return false;
    }
    char client_mes[CNET_FRAME_DECIMAL4_MAX + 1];
    size_t len = 0;
    if (cnet_socket_recv_frame(client, CNET_FRAME_DECIMAL4, client_mes, CNET_FRAME_DECIMAL4_MAX, &len, -1) !=
        CNET_OK) {
        fail("receive");
        return false;
    }
    printf("message lenth: %zu\n", len);
    printf("from client message: %.*s\n", (int)len, client_mes);
    return true;
}

int main(int argc, char **argv)
{
    cnet_port port = CNET_PORT(DEFAULT_PORT);
    unsigned long count = 0;
    if (argc > 3 || (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0))) {
        usage(argc > 3 ? stderr : stdout);
        return argc > 3 ? 2 : 0; /* --help: GNU convention */
    }
    if (argc > 1 && cnet_port_parse(argv[1], &port) != CNET_OK) {
        fprintf(stderr, "blog_server: bad PORT '%s': %s\n", argv[1], cnet_last_error_message());
        usage(stderr);
        return 2;
    }
    if (argc > 2) {
        char *end;
        errno = 0;
        count = strtoul(argv[2], &end, 10);
        if (argv[2][0] < '0' || argv[2][0] > '9' || *end != '\0' || errno != 0) {
            fprintf(stderr, "blog_server: bad COUNT '%s'\n", argv[2]);
            usage(stderr);
            return 2;
        }
    }
    /* Output goes to logs and pipes: keep it in step with the exchanges. */
    setvbuf(stdout, NULL, _IOLBF, 0);

    /* serverSocket = newSocket()  (AF_INET, SOCK_STREAM, IPPROTO_TCP, buffered) */
    cnet_socket *server = NULL;
    if (cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &server) != CNET_OK)
        return fail("socket");
    int status = 0;
    if (cnet_socket_set_sock_opt(server, CNET_OPT_REUSE_ADDR, true, CNET_OPT_LEVEL_AUTO) != CNET_OK) {
        status = fail("setsockopt OptReuseAddr");
        goto out;
    }
    /* serverSocket.bindAddr(Port(7003))  - "" is every address */
    if (cnet_socket_bind_addr(server, port, "") != CNET_OK) {
        status = fail("bind");
        goto out;
    }
    /* serverSocket.listen(5) */
    if (cnet_socket_listen(server, 5) != CNET_OK) {
        status = fail("listen");
        goto out;
    }

    cnet_socket *client = NULL;
    for (unsigned long served = 0; count == 0 || served < count;) {
        puts("server waitting");
        fflush(stdout); /* Windows' C library has no line buffering (_IOLBF is full) */
        char address[CNET_ADDRSTRLEN];
        if (cnet_socket_accept_addr(server, &client, address, sizeof address, CNET_FLAGS_DEFAULT) != CNET_OK) {
            status = fail("accept");
            /* Errors of accept itself (EMFILE, ...) are not one client's. */
            break;
        }
        printf("client from IP: %s\n", address);
        served++;
        if (!serve_client(client))
            status = 1;
        /* clientSocket.close() - the object is reused by the next accept */
        cnet_socket_close(client, CNET_FLAGS_DEFAULT);
    }
    cnet_socket_free(client);
out:
    cnet_socket_free(server);
    return status;
}
