/*
 * bare_epoll PORT - the plain epoll baseline of the echo benchmark
 * (bench/echo.sh): listens on 127.0.0.1:PORT and echoes every byte of every
 * connection until killed. One thread, no library.
 *
 * Level-triggered epoll, one recv per readiness event into one shared
 * 64 KiB buffer and a send of the same bytes straight back: two system
 * calls per message plus the epoll_wait they share with every other ready
 * connection. Level triggering needs no extra recv to see EAGAIN (a socket
 * with more data is simply reported again). When the send is partial, the
 * rest is copied into the connection's pending buffer and the connection
 * waits for EPOLLOUT instead of EPOLLIN until it is flushed, so a client
 * that does not read cannot make the server buffer without bound.
 *
 * Per-connection state is the pending buffer only (16 bytes in an array
 * indexed by descriptor); an idle connection costs those and the kernel's
 * socket.
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

#define BUF_SIZE 65536
#define MAX_EVENTS 512

struct pending {
    char *data;
    uint32_t len, off;
};

static struct pending *pend; /* indexed by descriptor */
static size_t npend;
static int ep;

static void watch(int fd, int op, uint32_t events)
{
    struct epoll_event ev = { .events = events, .data.fd = fd };
    epoll_ctl(ep, op, fd, &ev);
}

static void drop(int fd)
{
    free(pend[fd].data);
    pend[fd] = (struct pending){ 0 };
    close(fd); /* also leaves the epoll set */
}

static void on_accept(int lfd)
{
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            return; /* EAGAIN, or EMFILE and friends: retried on the next event */
        if ((size_t)fd >= npend) {
            size_t n = npend ? npend : 1024;
            while (n <= (size_t)fd)
                n *= 2;
            struct pending *p = realloc(pend, n * sizeof *p);
            if (!p) {
                close(fd);
                continue;
            }
            memset(p + npend, 0, (n - npend) * sizeof *p);
            pend = p;
            npend = n;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        watch(fd, EPOLL_CTL_ADD, EPOLLIN);
    }
}

/* Sends the pending bytes; back to EPOLLIN when they are all out. */
static void on_writable(int fd)
{
    struct pending *p = &pend[fd];
    while (p->off < p->len) {
        ssize_t n = send(fd, p->data + p->off, p->len - p->off, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                return;
            drop(fd);
            return;
        }
        p->off += (uint32_t)n;
    }
    free(p->data);
    *p = (struct pending){ 0 };
    watch(fd, EPOLL_CTL_MOD, EPOLLIN);
}

static void on_readable(int fd, char *buf)
{
    ssize_t n = recv(fd, buf, BUF_SIZE, 0);
    if (n <= 0) {
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        drop(fd);
        return;
    }
    ssize_t w = send(fd, buf, (size_t)n, MSG_NOSIGNAL);
    if (w == n)
        return;
    if (w < 0) {
        if (errno != EAGAIN && errno != EINTR) {
            drop(fd);
            return;
        }
        w = 0;
    }
    struct pending *p = &pend[fd];
    p->len = (uint32_t)(n - w);
    p->off = 0;
    p->data = malloc(p->len);
    if (!p->data) {
        drop(fd);
        return;
    }
    memcpy(p->data, buf + w, p->len);
    watch(fd, EPOLL_CTL_MOD, EPOLLOUT);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bare_epoll PORT\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1])),
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(lfd, 4096) != 0) {
        perror("bare_epoll: listen");
        return 1;
    }
    ep = epoll_create1(EPOLL_CLOEXEC);
    watch(lfd, EPOLL_CTL_ADD, EPOLLIN);
    char *buf = malloc(BUF_SIZE);
    struct epoll_event evs[MAX_EVENTS];
    for (;;) {
        int n = epoll_wait(ep, evs, MAX_EVENTS, -1);
        for (int i = 0; i < n; i++) {
            int fd = evs[i].data.fd;
            if (fd == lfd)
                on_accept(lfd);
            else if (pend[fd].data)
                on_writable(fd); /* EPOLLOUT, or an error it will report */
            else
                on_readable(fd, buf);
        }
    }
}
