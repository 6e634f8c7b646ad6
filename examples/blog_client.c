/*
 * blog_client [HOST [PORT]] - the seed blog's improved ("改进实例") Nim client,
 * ported to cnet.
 *
 * The Nim original connects to 127.0.0.1:7003, reads a 4-digit decimal length
 * and that many bytes, prints "message lenth: N" and "from server message:
 * ..." (the blog's typo "lenth" is kept on purpose), then sends its own
 * message behind a 4-digit zero-padded length and closes. The bytes on the
 * wire are exactly the blog's; only the message says "cnet" instead of "Nim":
 * "0017this is from cnet".
 *
 * Differences from the original, none of them visible on the wire: HOST
 * (default 127.0.0.1) and PORT (default 7003) come from the command line, a
 * host name is resolved and every address (IPv6 and IPv4) is tried, the
 * connection and the exchange have a TIMEOUT_MS deadline, and errors are
 * reported on stderr with exit status 1 instead of an unhandled exception.
 */
#include <stdio.h>
#include <string.h>

#include <cnet/cnet.h>

#define DEFAULT_HOST "127.0.0.1"
#define DEFAULT_PORT 7003
#define TIMEOUT_MS 30000

static void usage(FILE *to)
{
    fprintf(to, "usage: blog_client [HOST [PORT]]\n"
                "  HOST  server address or name (default %s)\n"
                "  PORT  server TCP port (default %d)\n",
                DEFAULT_HOST, DEFAULT_PORT);
}

static int fail(const char *what)
{
    fprintf(stderr, "blog_client: %s: %s\n", what, cnet_last_error_message());
    return 1;
}

int main(int argc, char **argv)
{
    const char *host = DEFAULT_HOST;
    cnet_port port = CNET_PORT(DEFAULT_PORT);
    if (argc > 3 || (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0))) {
        usage(argc > 3 ? stderr : stdout);
        return argc > 3 ? 2 : 0; /* --help: GNU convention */
    }
    if (argc > 1) {
        host = argv[1];
        if (host[0] == '\0' || host[0] == '-') {
            fprintf(stderr, "blog_client: bad HOST '%s'\n", host);
            usage(stderr);
            return 2;
        }
    }
    if (argc > 2 && cnet_port_parse(argv[2], &port) != CNET_OK) {
        fprintf(stderr, "blog_client: bad PORT '%s': %s\n", argv[2], cnet_last_error_message());
        usage(stderr);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);

    /* client = newSocket(); client.connect("127.0.0.1", Port(7003)) */
    cnet_socket *client = NULL;
    if (cnet_dial(host, port, CNET_IPPROTO_TCP, true, TIMEOUT_MS, &client) != CNET_OK) {
        fprintf(stderr, "blog_client: cannot connect to %s port %u: %s\n", host, (unsigned)port.value,
                cnet_last_error_message());
        return 1;
    }
    int status = 0;
    if (cnet_socket_set_timeout(client, TIMEOUT_MS) != CNET_OK) {
        status = fail("set timeout");
        goto out;
    }

    /* discard client.recv(server_mes, 4); client.recv(server_mes, len) */
    char server_mes[CNET_FRAME_DECIMAL4_MAX + 1];
    size_t len = 0;
    if (cnet_socket_recv_frame(client, CNET_FRAME_DECIMAL4, server_mes, CNET_FRAME_DECIMAL4_MAX, &len, -1) !=
        CNET_OK) {
        status = fail("receive");
        goto out;
    }
    printf("message lenth: %zu\n", len);
    printf("from server message: %.*s\n", (int)len, server_mes);

    /* client.send("0017this is from cnet") */
    static const char client_mes[] = "this is from cnet";
    if (cnet_socket_send_frame(client, CNET_FRAME_DECIMAL4, client_mes, strlen(client_mes)) != CNET_OK) {
        status = fail("send");
        goto out;
    }
    /* client.close() */
    if (cnet_socket_close(client, CNET_FLAGS_DEFAULT) != CNET_OK)
        status = fail("close");
out:
    cnet_socket_free(client);
    return status;
}
