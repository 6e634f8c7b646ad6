/*
 * bare_tls_epoll CERT KEY PORT - the bare TLS baseline of the echo benchmark
 * (bench/echo.sh): OpenSSL on non-blocking sockets with level-triggered
 * epoll, no library in between. Listens on 127.0.0.1:PORT and echoes every
 * byte of every TLS connection (certificate CERT, key KEY, PEM) until
 * killed. One thread.
 *
 * Per readiness event: SSL_read into one shared 64 KiB buffer until it
 * wants to read (OpenSSL may hold a whole record, so the loop drains it:
 * level triggering does not see bytes already inside OpenSSL), each piece
 * written straight back with SSL_write on the socket BIO (the ciphertext
 * goes to the kernel inside the call). A write that wants to write keeps
 * the rest (partial-write mode, moving buffer allowed) and the connection
 * waits for EPOLLOUT instead of EPOLLIN until it is flushed. The handshake
 * is SSL_read's (accept state). A connection that fails is closed.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#define BUF_SIZE 65536
#define MAX_EVENTS 512

struct conn {
    SSL *ssl;
    char *data; /* plaintext SSL_write has not taken yet */
    uint32_t len, off;
    int out;    /* waiting for EPOLLOUT */
};

static struct conn *conns; /* indexed by descriptor */
static size_t nconns;
static int ep;
static SSL_CTX *ctx;
static char buf[BUF_SIZE];

static void watch(int fd, int op, uint32_t events)
{
    struct epoll_event ev = { .events = events, .data.fd = fd };
    epoll_ctl(ep, op, fd, &ev);
}

static void drop(int fd)
{
    SSL_free(conns[fd].ssl);
    free(conns[fd].data);
    conns[fd] = (struct conn){ 0 };
    close(fd);
    ERR_clear_error();
}

static void on_accept(int lfd)
{
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            return;
        if ((size_t)fd >= nconns) {
            size_t n = nconns ? nconns : 1024;
            while (n <= (size_t)fd)
                n *= 2;
            struct conn *c = realloc(conns, n * sizeof *c);
            if (!c) {
                close(fd);
                continue;
            }
            memset(c + nconns, 0, (n - nconns) * sizeof *c);
            conns = c;
            nconns = n;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        SSL *ssl = SSL_new(ctx);
        if (!ssl || SSL_set_fd(ssl, fd) != 1) {
            SSL_free(ssl);
            close(fd);
            continue;
        }
        SSL_set_accept_state(ssl);
        conns[fd] = (struct conn){ .ssl = ssl };
        watch(fd, EPOLL_CTL_ADD, EPOLLIN);
    }
}

/* Write data[0..len) (stored: it is the connection's pending buffer); keep
 * what does not fit. 0: keep going, -1: dropped. */
static int put(int fd, const char *data, uint32_t len, int stored)
{
    struct conn *c = &conns[fd];
    uint32_t done = 0;
    while (done < len) {
        size_t n = 0;
        if (SSL_write_ex(c->ssl, data + done, len - done, &n) == 1) {
            done += (uint32_t)n;
            continue;
        }
        int e = SSL_get_error(c->ssl, 0);
        if (e != SSL_ERROR_WANT_WRITE && e != SSL_ERROR_WANT_READ) {
            drop(fd);
            return -1;
        }
        if (stored) {
            c->off += done;
        } else {
            c->data = malloc(len - done);
            if (!c->data) {
                drop(fd);
                return -1;
            }
            memcpy(c->data, data + done, len - done);
            c->len = len - done;
            c->off = 0;
        }
        if (!c->out) {
            c->out = 1;
            watch(fd, EPOLL_CTL_MOD, EPOLLOUT);
        }
        return 0;
    }
    if (stored) {
        free(c->data);
        c->data = NULL;
        c->len = c->off = 0;
    }
    if (c->out) {
        c->out = 0;
        watch(fd, EPOLL_CTL_MOD, EPOLLIN);
    }
    return 0;
}

static void on_readable(int fd)
{
    struct conn *c = &conns[fd];
    for (;;) {
        size_t n = 0;
        if (SSL_read_ex(c->ssl, buf, sizeof buf, &n) == 1) {
            if (put(fd, buf, (uint32_t)n, 0) != 0 || conns[fd].out)
                return; /* dropped, or waiting to flush: read later */
            continue;
        }
        int e = SSL_get_error(c->ssl, 0);
        if (e == SSL_ERROR_WANT_READ)
            return;
        if (e == SSL_ERROR_WANT_WRITE) { /* the handshake's flight did not fit */
            c->out = 1;
            watch(fd, EPOLL_CTL_MOD, EPOLLOUT);
            return;
        }
        if (e == SSL_ERROR_ZERO_RETURN)
            SSL_shutdown(c->ssl);
        drop(fd);
        return;
    }
}

static void on_writable(int fd)
{
    struct conn *c = &conns[fd];
    if (c->data && (put(fd, c->data + c->off, c->len - c->off, 1) != 0 || conns[fd].out))
        return;
    c->out = 0;
    watch(fd, EPOLL_CTL_MOD, EPOLLIN);
    on_readable(fd);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: bare_tls_epoll CERT KEY PORT\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx || SSL_CTX_use_certificate_chain_file(ctx, argv[1]) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, argv[2], SSL_FILETYPE_PEM) != 1) {
        ERR_print_errors_fp(stderr);
        return 1;
    }
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[3])),
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (bind(lfd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(lfd, 4096) != 0) {
        perror("bare_tls_epoll: listen");
        return 1;
    }
    ep = epoll_create1(EPOLL_CLOEXEC);
    watch(lfd, EPOLL_CTL_ADD, EPOLLIN);
    struct epoll_event evs[MAX_EVENTS];
    for (;;) {
        int n = epoll_wait(ep, evs, MAX_EVENTS, -1);
        for (int i = 0; i < n; i++) {
            int fd = evs[i].data.fd;
            if (fd == lfd)
                on_accept(lfd);
            else if ((size_t)fd < nconns && conns[fd].ssl) {
                if (conns[fd].out)
                    on_writable(fd);
                else
                    on_readable(fd);
            }
        }
    }
}
