/*
 * cnet-cat - a small netcat on cnet.
 *
 *   cnet-cat [options] HOST PORT        connect to HOST:PORT
 *   cnet-cat -l [options] [HOST] PORT   wait for one client on [HOST:]PORT
 *
 * --tls speaks TLS: as a client it verifies the server against the system
 * CA store (or --cafile) and the name HOST (or --servername); as a listener
 * it needs --cert and --key. At the end of standard input a TLS connection
 * sends close_notify before shutting down its write side.
 *
 * Standard input goes to the socket and the socket goes to standard output.
 * TCP: at the end of standard input the write side is shut down (the peer
 * sees end of stream) and cnet-cat goes on reading until the peer closes.
 * UDP (-u): every read of standard input becomes one datagram; a listener
 * starts reading standard input only after the first datagram arrived and
 * sends to whoever sent the last one. UDP has no end of stream: cnet-cat runs
 * until --timeout finds it idle (a normal end, exit status 0) or it is killed.
 *
 * Exit status: 0 when the conversation ended normally, 1 on a network or I/O
 * error (or a TCP idle timeout), 2 on a usage error; --help prints the usage
 * and exits 0. The manual page is examples/cnet-cat.1 (installed).
 *
 * POSIX only: it waits on standard input and the socket with poll().
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cnet/cnet.h>

#define PROG "cnet-cat"
#define IO_SIZE 65536 /* more than the largest UDP payload (65507) */

typedef struct {
    bool listen, udp, verbose;
    int family; /* 0 (any), 4 or 6 */
    int timeout; /* ms; -1 waits forever */
    const char *host; /* NULL: every address (listen mode only) */
    cnet_port port;
    bool tls, insecure;
    const char *cafile, *servername, *alpn, *cert, *key; /* TLS settings, NULL when not given */
} options;

static unsigned char in_buf[IO_SIZE], out_buf[IO_SIZE];

static void usage(FILE *to)
{
    fprintf(to,
            "usage: " PROG " [options] HOST PORT\n"
            "       " PROG " -l [options] [HOST] PORT\n"
            "Copies standard input to the connection and the connection to standard output.\n"
            "\n"
            "options:\n"
            "  -l            listen for one client (TCP) or for datagrams (UDP) instead of connecting\n"
            "  -u            UDP instead of TCP; each read of standard input is one datagram\n"
            "  -4            IPv4 only\n"
            "  -6            IPv6 only\n"
            "  --timeout MS  give up connecting (or waiting for the client) after MS milliseconds,\n"
            "                and end the session after MS milliseconds without traffic\n"
            "                (an error for TCP, the normal end for UDP)\n"
            "  -v            report addresses on standard error\n"
            "  --tls         speak TLS (the server is verified; the name checked is HOST)\n"
            "  --cafile FILE trust the CAs in FILE instead of the system store\n"
            "  --servername NAME  verify NAME (and send it as SNI) instead of HOST\n"
            "  --alpn LIST   offer (client) or accept (listener) these ALPN protocols, e.g. h2,http/1.1\n"
            "  --insecure    do not verify the server's certificate (dangerous)\n"
            "  --cert FILE   the listener's certificate chain (PEM; with -l --tls)\n"
            "  --key FILE    the listener's private key (PEM; with -l --tls)\n"
            "  -h, --help    show this help and exit\n"
            "\n"
            "At the end of standard input a TCP connection's write side is shut down and\n"
            PROG " exits when the peer closes. Port 0 with -l picks a free port (see -v).\n");
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, PROG ": ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry '" PROG " --help' for more information.\n");
    return 2;
}

static int net_error(const char *what)
{
    fprintf(stderr, PROG ": %s: %s\n", what, cnet_last_error_message());
    return 1;
}

static int parse_timeout(const char *text, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (text[0] < '0' || text[0] > '9' || *end != '\0' || errno != 0 || v > INT_MAX)
        return usage_error("bad --timeout '%s': expected milliseconds (0 to 2147483647)", text);
    *out = (int)v;
    return 0;
}

/* Returns -1 to go on, or the exit status. */
static int parse_args(int argc, char **argv, options *o)
{
    const char *pos[3];
    int npos = 0;
    bool options_done = false;
    memset(o, 0, sizeof *o);
    o->timeout = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (options_done || a[0] != '-' || a[1] == '\0') {
            if (npos == 3)
                return usage_error("too many arguments ('%s')", a);
            pos[npos++] = a;
        } else if (strcmp(a, "--") == 0) {
            options_done = true;
        } else if (strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--timeout") == 0) {
            if (i + 1 >= argc)
                return usage_error("%s needs a value in milliseconds", a);
            int rc = parse_timeout(argv[++i], &o->timeout);
            if (rc != 0)
                return rc;
        } else if (strncmp(a, "--timeout=", 10) == 0) {
            int rc = parse_timeout(a + 10, &o->timeout);
            if (rc != 0)
                return rc;
        } else if (strcmp(a, "--tls") == 0) {
            o->tls = true;
        } else if (strcmp(a, "--insecure") == 0) {
            o->insecure = true;
        } else if (strcmp(a, "--cafile") == 0 || strcmp(a, "--servername") == 0 || strcmp(a, "--alpn") == 0 ||
                   strcmp(a, "--cert") == 0 || strcmp(a, "--key") == 0) {
            if (i + 1 >= argc || argv[i + 1][0] == '\0')
                return usage_error("%s needs a value", a);
            const char *v = argv[++i];
            switch (a[2]) {
            case 'c': *(a[3] == 'a' ? &o->cafile : &o->cert) = v; break;
            case 's': o->servername = v; break;
            case 'a': o->alpn = v; break;
            default: o->key = v; break;
            }
        } else if (a[1] == '-') {
            return usage_error("unknown option '%s'", a);
        } else {
            for (const char *p = a + 1; *p; p++) {
                switch (*p) {
                case 'l': o->listen = true; break;
                case 'u': o->udp = true; break;
                case 'v': o->verbose = true; break;
                case '4': o->family = 4; break;
                case '6': o->family = 6; break;
                case 'h': usage(stdout); return 0;
                default: {
                    char opt[3] = {'-', *p, '\0'};
                    return usage_error("unknown option '%s'", opt);
                }
                }
            }
        }
    }
    int need_min = o->listen ? 1 : 2;
    if (npos < need_min || npos > 2)
        return usage_error("%s", o->listen ? "expected [HOST] PORT after -l" : "expected HOST PORT");
    const char *port_text = pos[npos - 1];
    o->host = npos == 2 ? pos[0] : NULL;
    if (o->host != NULL && o->host[0] == '\0')
        return usage_error("%s", "HOST must not be empty");
    if (cnet_port_parse(port_text, &o->port) != CNET_OK)
        return usage_error("bad PORT '%s': expected 0 to 65535", port_text);
    if (o->port.value == 0 && !o->listen)
        return usage_error("%s", "cannot connect to port 0");
    bool tls_option = o->insecure || o->cafile || o->servername || o->alpn || o->cert || o->key;
    if (tls_option && !o->tls)
        return usage_error("%s", "--cafile, --servername, --alpn, --insecure, --cert and --key need --tls");
    if (o->tls && o->udp)
        return usage_error("%s", "--tls works over TCP only");
    if (o->tls && o->listen && (o->cert == NULL || o->key == NULL))
        return usage_error("%s", "-l --tls needs --cert FILE and --key FILE");
    if (o->tls && !o->listen && (o->cert || o->key))
        return usage_error("%s", "--cert and --key are for the listener (-l)");
    if (o->tls && o->listen && (o->cafile || o->servername || o->insecure))
        return usage_error("%s", "--cafile, --servername and --insecure are for the client");
    return -1;
}

static cnet_sock_type sock_type(const options *o)
{
    return o->udp ? CNET_SOCK_DGRAM : CNET_SOCK_STREAM;
}

static cnet_protocol protocol(const options *o)
{
    return o->udp ? CNET_IPPROTO_UDP : CNET_IPPROTO_TCP;
}

/* "a.b.c.d:port" or "[v6]:port". */
static void format_endpoint(char *out, size_t size, const char *address, cnet_port port)
{
    snprintf(out, size, strchr(address, ':') ? "[%s]:%u" : "%s:%u", address, (unsigned)port.value);
}

static void say_endpoint(const options *o, const char *what, const char *address, cnet_port port)
{
    if (!o->verbose)
        return;
    char text[CNET_ADDRSTRLEN + 16];
    format_endpoint(text, sizeof text, address, port);
    fprintf(stderr, PROG ": %s %s\n", what, text);
}

/* The family of the first address HOST resolves to. */
static cnet_err host_domain(const options *o, cnet_domain *out)
{
    struct addrinfo *ai = NULL;
    cnet_err err = cnet_get_addr_info(o->host, o->port, CNET_AF_UNSPEC, sock_type(o), protocol(o), &ai);
    if (err == CNET_OK)
        err = cnet_to_known_domain(ai->ai_family, out);
    cnet_free_addr_info(ai);
    return err;
}

/* The TLS context of the options (NULL without --tls); 1 on failure. */
static int open_tls(const options *o, cnet_ssl_context **out)
{
    *out = NULL;
    if (!o->tls)
        return 0;
    cnet_ssl_options so;
    memset(&so, 0, sizeof so);
    so.verify_mode = o->insecure ? CNET_VERIFY_NONE : CNET_VERIFY_PEER;
    so.ca_file = o->cafile;
    so.cert_file = o->cert;
    so.key_file = o->key;
    if (cnet_ssl_context_new(&so, out) != CNET_OK)
        return net_error("TLS");
    if (o->alpn != NULL && cnet_ssl_context_set_alpn_protocols(*out, o->alpn) != CNET_OK) {
        cnet_ssl_context_free(*out);
        *out = NULL;
        return net_error("--alpn");
    }
    return 0;
}

/* -v: what TLS negotiated. */
static void say_tls(const options *o, cnet_socket *s)
{
    char proto[CNET_ALPN_PROTOCOL_MAX];
    if (o->verbose && o->tls && cnet_socket_get_alpn_protocol(s, proto, sizeof proto) == CNET_OK)
        fprintf(stderr, PROG ": TLS established%s%s\n", proto[0] ? ", ALPN " : "", proto);
}

/* Client: a socket connected to HOST:PORT (UDP: its default peer). */
static int open_client(const options *o, cnet_ssl_context *tls, cnet_socket **out)
{
    cnet_err err;
    if (o->family == 0) {
        /* Every address of HOST, IPv6 and IPv4, within one timeout. */
        err = cnet_dial(o->host, o->port, protocol(o), false, o->timeout, out);
    } else {
        err = cnet_socket_new(o->family == 6 ? CNET_AF_INET6 : CNET_AF_INET, sock_type(o), protocol(o), false,
                              false, out);
        if (err == CNET_OK && o->family == 6)
            err = cnet_socket_set_sock_opt(*out, CNET_OPT_V6_ONLY, true, CNET_OPT_LEVEL_AUTO);
        if (err == CNET_OK)
            err = cnet_socket_connect(*out, o->host, o->port, o->timeout);
    }
    if (err == CNET_OK && tls != NULL) {
        /* The handshake, verified against --servername or HOST, within --timeout. */
        err = cnet_socket_set_timeout(*out, o->timeout);
        if (err == CNET_OK)
            err = cnet_socket_wrap_connected(tls, *out, CNET_HANDSHAKE_AS_CLIENT, o->servername ? o->servername : o->host);
    }
    if (err != CNET_OK) {
        char what[300];
        snprintf(what, sizeof what, "cannot connect to %s port %u", o->host, (unsigned)o->port.value);
        return net_error(what);
    }
    if (o->verbose) {
        char address[CNET_ADDRSTRLEN];
        cnet_port port;
        if (cnet_socket_get_peer_addr(*out, address, sizeof address, &port) == CNET_OK)
            say_endpoint(o, o->udp ? "sending to" : "connected to", address, port);
    }
    say_tls(o, *out);
    return 0;
}

/* Listener: a bound socket (TCP: listening). */
static int open_listener(const options *o, cnet_socket **out)
{
    cnet_domain domains[2];
    size_t ndomains = 0;
    if (o->family == 4) {
        domains[ndomains++] = CNET_AF_INET;
    } else if (o->family == 6) {
        domains[ndomains++] = CNET_AF_INET6;
    } else if (o->host != NULL) {
        if (host_domain(o, &domains[0]) != CNET_OK)
            return net_error(o->host);
        ndomains = 1;
    } else {
        /* Every address: dual-stack IPv6, or IPv4 on a host without IPv6. */
        domains[ndomains++] = CNET_AF_INET6;
        domains[ndomains++] = CNET_AF_INET;
    }
    cnet_err err = CNET_OK;
    for (size_t i = 0; i < ndomains; i++) {
        err = cnet_socket_new(domains[i], sock_type(o), protocol(o), false, false, out);
        if (err == CNET_OK && o->family == 6)
            err = cnet_socket_set_sock_opt(*out, CNET_OPT_V6_ONLY, true, CNET_OPT_LEVEL_AUTO);
        if (err == CNET_OK)
            err = cnet_socket_set_sock_opt(*out, CNET_OPT_REUSE_ADDR, true, CNET_OPT_LEVEL_AUTO);
        if (err == CNET_OK)
            err = cnet_socket_bind_addr(*out, o->port, o->host ? o->host : "");
        if (err == CNET_OK && !o->udp)
            err = cnet_socket_listen(*out, 1);
        if (err == CNET_OK)
            break;
        cnet_socket_free(*out);
        *out = NULL;
        if (domains[i] == CNET_AF_INET6 && err != CNET_EAFNOSUPPORT && err != CNET_EADDRNOTAVAIL)
            break;
    }
    if (err != CNET_OK) {
        char what[300];
        snprintf(what, sizeof what, "cannot listen on %s port %u", o->host ? o->host : "every address",
                 (unsigned)o->port.value);
        return net_error(what);
    }
    char address[CNET_ADDRSTRLEN];
    cnet_port port;
    if (cnet_socket_get_local_addr(*out, address, sizeof address, &port) != CNET_OK) {
        int rc = net_error("local address");
        cnet_socket_free(*out);
        *out = NULL;
        return rc;
    }
    say_endpoint(o, "listening on", address, port);
    return 0;
}

/* TCP listener: wait for the one client, then stop listening. */
static int accept_client(const options *o, cnet_socket *server, cnet_socket **client)
{
    char address[CNET_ADDRSTRLEN];
    if (cnet_socket_set_timeout(server, o->timeout) != CNET_OK ||
        cnet_socket_accept_addr(server, client, address, sizeof address, CNET_FLAGS_DEFAULT) != CNET_OK)
        return net_error("waiting for a client");
    cnet_port port;
    if (o->verbose && cnet_socket_get_peer_addr(*client, address, sizeof address, &port) == CNET_OK)
        say_endpoint(o, "connection from", address, port);
    say_tls(o, *client);
    return 0;
}

/* Write all of data to standard output. */
static int write_stdout(const unsigned char *data, size_t size)
{
    while (size > 0) {
        ssize_t n = write(STDOUT_FILENO, data, size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EPIPE)
                fprintf(stderr, PROG ": standard output: %s\n", strerror(errno));
            return 1;
        }
        data += n;
        size -= (size_t)n;
    }
    return 0;
}

typedef struct {
    const options *o;
    cnet_socket *s;
    bool stdin_eof, net_eof, shut; /* shut: the write side is shut down */
    bool have_peer; /* UDP listener: somebody to answer */
    char peer[CNET_ADDRSTRLEN];
    cnet_port peer_port;
    size_t pending_off, pending_len; /* TCP: stdin bytes not yet sent */
} session;

/* TCP: send what the socket takes now, without blocking. */
static int flush_pending(session *ss)
{
    size_t sent = 0;
    cnet_err err = cnet_socket_send(ss->s, in_buf + ss->pending_off, ss->pending_len - ss->pending_off, 0, &sent);
    ss->pending_off += sent;
    if (err == CNET_OK || err == CNET_ETIMEDOUT) /* ETIMEDOUT: the rest must wait for room */
        return -1;
    if (ss->net_eof && cnet_is_disconnection_error(CNET_FLAG_SAFE_DISCONN, err)) {
        /* The peer closed both sides: nobody reads the rest. */
        ss->pending_off = ss->pending_len;
        ss->stdin_eof = ss->shut = true;
        return -1;
    }
    return net_error("send");
}

/* Standard input is readable: take one read. -1 goes on, else exit status. */
static int from_stdin(session *ss)
{
    ssize_t n = read(STDIN_FILENO, in_buf, sizeof in_buf);
    if (n < 0) {
        if (errno == EINTR || errno == EAGAIN)
            return -1;
        fprintf(stderr, PROG ": standard input: %s\n", strerror(errno));
        return 1;
    }
    if (n == 0) {
        ss->stdin_eof = true;
        return -1;
    }
    if (!ss->o->udp) {
        ss->pending_off = 0;
        ss->pending_len = (size_t)n;
        return flush_pending(ss);
    }
    /* UDP: one read, one datagram. */
    cnet_err err = ss->o->listen ? cnet_socket_send_to(ss->s, ss->peer, ss->peer_port, in_buf, (size_t)n, 0)
                                 : cnet_socket_send(ss->s, in_buf, (size_t)n, 0, NULL);
    return err == CNET_OK ? -1 : net_error("send");
}

/* The socket is readable: copy what arrived. -1 goes on, else exit status. */
static int from_net(session *ss)
{
    size_t n = 0;
    if (ss->o->udp) {
        char address[CNET_ADDRSTRLEN];
        cnet_port port;
        if (cnet_socket_recv_from(ss->s, out_buf, sizeof out_buf, address, sizeof address, &port, &n) != CNET_OK)
            return net_error("receive");
        if (ss->o->listen && (!ss->have_peer || strcmp(address, ss->peer) != 0 || port.value != ss->peer_port.value)) {
            /* Answer whoever spoke last. */
            memcpy(ss->peer, address, sizeof address);
            ss->peer_port = port;
            ss->have_peer = true;
            say_endpoint(ss->o, "datagram from", address, port);
        }
    } else {
        if (cnet_socket_recv_some(ss->s, out_buf, sizeof out_buf, -1, 0, &n) != CNET_OK)
            return net_error("receive");
        if (n == 0) {
            ss->net_eof = true;
            return -1;
        }
    }
    return write_stdout(out_buf, n) != 0 ? 1 : -1;
}

static int run(session *ss)
{
    const options *o = ss->o;
    for (;;) {
        bool pending = ss->pending_off < ss->pending_len;
        if (!o->udp && ss->stdin_eof && !pending && !ss->shut) {
            /* All of standard input is out: the peer sees end of stream,
             * and cnet-cat goes on reading what the peer still sends. */
            ss->shut = true;
            if (cnet_socket_shutdown(ss->s, false, true) != CNET_OK && !ss->net_eof)
                return net_error("shutdown");
        }
        if (!o->udp && ss->shut && ss->net_eof)
            return 0;
        if (!ss->net_eof && cnet_socket_has_data_buffered(ss->s)) {
            /* TLS: bytes already decrypted inside OpenSSL do not wake poll(). */
            int rc = from_net(ss);
            if (rc >= 0)
                return rc;
            continue;
        }
        struct pollfd fds[2];
        nfds_t nfds = 0;
        int in = -1, net = -1;
        /* Read standard input only when the last read is sent, and (UDP
         * listener) when there is somebody to send to. */
        if (!ss->stdin_eof && !pending && (!(o->udp && o->listen) || ss->have_peer)) {
            in = (int)nfds;
            fds[nfds++] = (struct pollfd){.fd = STDIN_FILENO, .events = POLLIN};
        }
        short events = (short)((ss->net_eof ? 0 : POLLIN) | (pending ? POLLOUT : 0));
        if (events != 0) {
            net = (int)nfds;
            fds[nfds++] = (struct pollfd){.fd = (int)cnet_socket_get_fd(ss->s), .events = events};
        }
        int ready = poll(fds, nfds, o->timeout);
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, PROG ": poll: %s\n", strerror(errno));
            return 1;
        }
        if (ready == 0) {
            if (o->udp)
                return 0; /* idle: the normal end of a UDP session */
            fprintf(stderr, PROG ": no traffic for %d ms: giving up\n", o->timeout);
            return 1;
        }
        int rc = -1;
        if (net >= 0 && (fds[net].revents & ~POLLOUT) != 0 && !ss->net_eof)
            rc = from_net(ss);
        if (rc < 0 && net >= 0 && pending && (fds[net].revents & (POLLOUT | POLLERR | POLLHUP)) != 0)
            rc = flush_pending(ss);
        if (rc < 0 && in >= 0 && fds[in].revents != 0) {
            if (fds[in].revents & POLLNVAL)
                ss->stdin_eof = true; /* standard input is not open */
            else
                rc = from_stdin(ss);
        }
        if (rc >= 0)
            return rc;
    }
}

int main(int argc, char **argv)
{
    options o;
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    /* A closed standard output must be an error, not a signal. */
    signal(SIGPIPE, SIG_IGN);

    session ss = {.o = &o};
    cnet_ssl_context *tls = NULL;
    rc = open_tls(&o, &tls);
    if (rc != 0) {
        /* no context: nothing to open */
    } else if (!o.listen) {
        rc = open_client(&o, tls, &ss.s);
    } else {
        cnet_socket *server = NULL;
        rc = open_listener(&o, &server);
        if (rc == 0 && tls != NULL && cnet_socket_wrap(tls, server) != CNET_OK)
            rc = net_error("TLS");
        if (rc == 0 && !o.udp) {
            rc = accept_client(&o, server, &ss.s);
            cnet_socket_free(server);
        } else {
            ss.s = server;
        }
    }
    if (rc == 0) {
        /* TCP sends never block (the rest waits for POLLOUT, so both
         * directions keep moving); UDP sends give up after the timeout. */
        if (cnet_socket_set_send_timeout(ss.s, o.udp ? o.timeout : 0) != CNET_OK)
            rc = net_error("set timeout");
        else
            rc = run(&ss);
    }
    if (ss.s != NULL && cnet_socket_close(ss.s, 0) != CNET_OK && rc == 0)
        rc = net_error("close");
    cnet_socket_free(ss.s);
    cnet_ssl_context_free(tls);
    return rc;
}
