/*
 * The inside of the readiness backends (async_epoll.c): their state and the
 * per-socket half (async_epoll_io.c: serving a socket, the socket calls of
 * the vtable), which the loop half (async_epoll.c: waiting, outside
 * descriptors, wake-ups) calls. Nothing else includes it.
 */
#ifndef CNET__ASYNC_EPOLL_H
#define CNET__ASYNC_EPOLL_H

#include "async_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#ifdef __linux__
#include <sys/epoll.h>
#include <sys/eventfd.h>
#define HAVE_EPOLL 1
#endif

enum {
    B_READABLE = 1u << 0,
    B_WRITABLE = 1u << 1,
    B_WANT_READ = 1u << 2,
    B_WANT_ACCEPT = 1u << 3,
    B_SEND_WAIT = 1u << 4,    /* the head send waits for WRITABLE */
    B_CONNECT_WAIT = 1u << 5,
    B_PENDING = 1u << 6,      /* on st->pending */
    B_HUP = 1u << 7,          /* the peer's end (or an error) was signalled: read until recv says so */
    B_STALLED = 1u << 8       /* a listener out of descriptors: on st->stalled, retried */
};

#define READS_PER_TURN 4
#define STALL_RETRY_MS 100
#define ACCEPTS_PER_TURN 64

typedef struct {
    bool poll_mode;
    int epfd;
    int wake_r, wake_w;       /* eventfd (both the same) or a pipe */
    atomic_bool woken;
    cnet_async_socket **pending;
    size_t pending_len, pending_cap;
    /* Listeners whose accept failed for want of descriptors or memory: the
     * queued connections raise no new edge, so they are retried after any
     * close and every STALL_RETRY_MS. */
    cnet_async_socket **stalled;
    size_t stalled_len, stalled_cap;
    bool closed_one;
    /* poll mode: every attached socket and every watched descriptor */
    cnet_async_socket **socks;
    size_t socks_len, socks_cap;
    cnet_async_op **polls;
    size_t polls_len, polls_cap;
    struct pollfd *pfds;
    size_t pfds_cap;
} state;

#define ST(loop) ((state *)(loop)->be_state)

cnet_err cnet__epoll_os_fail(const char *what);
bool cnet__epoll_grow(void **arr, size_t *cap, size_t need, size_t elem);
void cnet__epoll_pend(cnet_async_socket *s);
void cnet__epoll_stall(cnet_async_socket *s);
void cnet__epoll_unstall(cnet_async_socket *s);
void cnet__epoll_unpend(cnet_async_socket *s);
void cnet__epoll_serve(cnet_async_socket *s);
cnet_err cnet__epoll_attach(cnet_async_socket *s);
void cnet__epoll_detach(cnet_async_socket *s);
void cnet__epoll_close(cnet_async_socket *s);
void cnet__epoll_want_read(cnet_async_socket *s, bool on);
void cnet__epoll_want_accept(cnet_async_socket *s, bool on);
void cnet__epoll_send(cnet_async_socket *s, const uint8_t *data, size_t size);
void cnet__epoll_send_to(cnet_async_socket *s, const uint8_t *data, size_t size, const struct sockaddr *to,
                       cnet_socklen len);
cnet_err cnet__epoll_try_send(cnet_async_socket *s, const uint8_t *data, size_t size, size_t *n, int *os_error);
void cnet__epoll_cancel_send(cnet_async_socket *s);
void cnet__epoll_connect(cnet_async_socket *s, const struct sockaddr *to, cnet_socklen len);
void cnet__epoll_cancel_connect(cnet_async_socket *s);

#endif /* CNET__ASYNC_EPOLL_H */
