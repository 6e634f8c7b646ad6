/*
 * echo_server [PORT [COUNT]] - a line echo server on cnet.
 *
 * Listens on every address (IPv6 and IPv4 when the host has IPv6, else IPv4
 * only) on PORT (default 7007; 0 picks a free port). Every connection gets a
 * thread that reads lines with cnet_socket_read_line and sends each one back
 * followed by "\n" ("\r\n" and a lone "\r" end a line too). A line longer
 * than LINE_MAX is echoed in pieces, so nothing is lost. A client idle for
 * IDLE_TIMEOUT_MS is dropped.
 *
 * After COUNT connections (default 0: forever) the server stops accepting,
 * waits for the open connections to finish and exits; the exit status is 1
 * when any connection ended in an error.
 *
 * It prints one line when it is ready, "echo_server: listening on ADDR:PORT",
 * so a caller that passed port 0 learns the port.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cnet/cnet.h>

#define DEFAULT_PORT 7007
#define LINE_MAX_BYTES 65536
#define IDLE_TIMEOUT_MS 60000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t idle = PTHREAD_COND_INITIALIZER;
static unsigned long active;
static bool any_failed;

static void usage(FILE *to)
{
    fprintf(to, "usage: echo_server [PORT [COUNT]]\n"
                "  PORT   TCP port to listen on (default %d; 0 picks a free one)\n"
                "  COUNT  serve COUNT connections, then exit (default 0: forever)\n",
                DEFAULT_PORT);
}

static void report(const char *peer, const char *what)
{
    /* One fprintf per message: lines of different threads do not mix. */
    fprintf(stderr, "echo_server: %s%s%s: %s\n", peer ? peer : "", peer ? ": " : "", what,
            cnet_last_error_message());
}

/* Send one chunk, plus "\n" when it ends a line, with one gathering call. */
static cnet_err echo(cnet_socket *client, char *line, size_t len, bool newline)
{
    if (newline)
        line[len++] = '\n'; /* read_line left room for its NUL */
    return cnet_socket_send(client, line, len, 0, NULL);
}

typedef struct {
    cnet_socket *client;
    char peer[CNET_ADDRSTRLEN + 8];
} conn;

static void *serve(void *arg)
{
    conn *c = arg;
    char *line = malloc(LINE_MAX_BYTES + 1);
    bool ok = line != NULL;
    if (!ok)
        fprintf(stderr, "echo_server: %s: out of memory\n", c->peer);
    ok = ok && cnet_socket_set_timeout(c->client, IDLE_TIMEOUT_MS) == CNET_OK;
    while (ok) {
        size_t len;
        cnet_read_line_result result;
        cnet_err err = cnet_socket_read_line(c->client, line, LINE_MAX_BYTES + 1, &len, &result, -1,
                                             CNET_FLAGS_DEFAULT);
        if (err != CNET_OK) {
            report(c->peer, "read");
            ok = false;
            break;
        }
        if (result == CNET_READ_DISCONNECTED)
            break;
        /* A full line, or the last bytes before the peer closed: echo with
         * "\n". A piece of a long line: echo as it is. */
        if (echo(c->client, line, len, result != CNET_READ_TRUNCATED) != CNET_OK) {
            report(c->peer, "send");
            ok = false;
            break;
        }
        if (result == CNET_READ_PARTIAL_LINE)
            break;
    }
    free(line);
    cnet_socket_free(c->client);
    free(c);
    pthread_mutex_lock(&lock);
    if (!ok)
        any_failed = true;
    if (--active == 0)
        pthread_cond_broadcast(&idle);
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* A listening socket on every address: dual-stack IPv6, else IPv4. */
static cnet_socket *open_listener(cnet_port port)
{
    static const cnet_domain domains[] = {CNET_AF_INET6, CNET_AF_INET};
    for (size_t i = 0; i < sizeof domains / sizeof domains[0]; i++) {
        cnet_socket *s = NULL;
        cnet_err err = cnet_socket_new(domains[i], CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &s);
        if (err == CNET_OK)
            err = cnet_socket_set_sock_opt(s, CNET_OPT_REUSE_ADDR, true, CNET_OPT_LEVEL_AUTO);
        if (err == CNET_OK)
            err = cnet_socket_bind_addr(s, port, "");
        if (err == CNET_OK)
            err = cnet_socket_listen(s, CNET_SOMAXCONN);
        if (err == CNET_OK)
            return s;
        cnet_socket_free(s);
        /* Only a host without IPv6 falls back to IPv4. */
        if (domains[i] == CNET_AF_INET6 && err != CNET_EAFNOSUPPORT && err != CNET_EADDRNOTAVAIL)
            break;
    }
    return NULL;
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
        fprintf(stderr, "echo_server: bad PORT '%s': %s\n", argv[1], cnet_last_error_message());
        usage(stderr);
        return 2;
    }
    if (argc > 2) {
        char *end;
        errno = 0;
        count = strtoul(argv[2], &end, 10);
        if (argv[2][0] < '0' || argv[2][0] > '9' || *end != '\0' || errno != 0) {
            fprintf(stderr, "echo_server: bad COUNT '%s'\n", argv[2]);
            usage(stderr);
            return 2;
        }
    }
    setvbuf(stdout, NULL, _IOLBF, 0);

    cnet_socket *server = open_listener(port);
    if (server == NULL) {
        report(NULL, "listen");
        return 1;
    }
    char address[CNET_ADDRSTRLEN];
    if (cnet_socket_get_local_addr(server, address, sizeof address, &port) != CNET_OK) {
        report(NULL, "local address");
        cnet_socket_free(server);
        return 1;
    }
    printf(strchr(address, ':') ? "echo_server: listening on [%s]:%u\n" : "echo_server: listening on %s:%u\n",
           address, (unsigned)port.value);

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int status = 0;
    unsigned accept_errors = 0;
    for (unsigned long served = 0; count == 0 || served < count;) {
        conn *c = calloc(1, sizeof *c);
        if (c == NULL) {
            fprintf(stderr, "echo_server: out of memory\n");
            pause_ms(100);
            continue;
        }
        char peer[CNET_ADDRSTRLEN];
        cnet_port peer_port;
        if (cnet_socket_accept_addr(server, &c->client, peer, sizeof peer, CNET_FLAGS_DEFAULT) != CNET_OK) {
            report(NULL, "accept");
            free(c);
            /* Out of descriptors or memory: wait for connections to end. */
            if (++accept_errors >= 100) {
                status = 1;
                break;
            }
            pause_ms(100);
            continue;
        }
        accept_errors = 0;
        served++;
        if (cnet_socket_get_peer_addr(c->client, peer, sizeof peer, &peer_port) == CNET_OK)
            snprintf(c->peer, sizeof c->peer, strchr(peer, ':') ? "[%s]:%u" : "%s:%u", peer,
                     (unsigned)peer_port.value);
        else
            snprintf(c->peer, sizeof c->peer, "%s", peer);
        pthread_mutex_lock(&lock);
        active++;
        pthread_mutex_unlock(&lock);
        pthread_t thread;
        int rc = pthread_create(&thread, &attr, serve, c);
        if (rc != 0) {
            fprintf(stderr, "echo_server: %s: cannot start a thread: %s\n", c->peer, strerror(rc));
            cnet_socket_free(c->client);
            free(c);
            pthread_mutex_lock(&lock);
            active--;
            any_failed = true;
            pthread_mutex_unlock(&lock);
        }
    }
    pthread_attr_destroy(&attr);
    cnet_socket_free(server);

    pthread_mutex_lock(&lock);
    while (active > 0)
        pthread_cond_wait(&idle, &lock);
    if (any_failed)
        status = 1;
    pthread_mutex_unlock(&lock);
    return status;
}
