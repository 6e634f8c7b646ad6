/*
 * The inside of the Windows async backend (an I/O completion port), shared
 * by its two files: async_iocp_io.c (the socket half: the overlapped
 * requests of a socket and their completions, the socket calls of the
 * vtable) and async_iocp.c (the loop half: the port, waiting, waking,
 * outside descriptors through a WSAPoll helper thread, the vtable), which
 * calls the first; the first calls nothing of it. Nothing else includes it.
 */
#ifndef CNET__ASYNC_IOCP_H
#define CNET__ASYNC_IOCP_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>

#include "async_internal.h"

/* Completion keys: what a packet of the port is. */
enum {
    CNET__IOCP_KEY_IO = 1,   /* an overlapped request of a socket (OVERLAPPED in a cnet__iocp_req) */
    CNET__IOCP_KEY_WAKE = 2, /* be->wake (PostQueuedCompletionStatus) */
    CNET__IOCP_KEY_POLL = 3  /* an outside descriptor became ready (the helper thread's post) */
};

/* A listener whose accept could not be started or failed for want of a
 * resource tries again after this many ms, or when a socket of the loop
 * closes (the only case where the wait's timeout is shortened). */
#define CNET__IOCP_STALL_MS 100

/* An outside descriptor watched by the helper thread (async_iocp.c). */
typedef struct cnet__iocp_watch cnet__iocp_watch;

/* A loop's backend state (loop->be_state). */
typedef struct {
    HANDLE port;
    atomic_bool woken;       /* a wake packet is in the port */
    /* Extension functions (WSAIoctl), fetched on first use. */
    LPFN_ACCEPTEX accept_ex;
    LPFN_CONNECTEX connect_ex;
    /* Listeners waiting to try their accept again (linked through be_aux). */
    cnet_async_socket *stalled;
    int64_t stalled_at;
    bool closed_one;         /* a socket closed since the last retry */
    /* The WSAPoll helper thread of outside descriptors (started on first use). */
    HANDLE poller;
    CRITICAL_SECTION lock;   /* guards watching, posted, quit */
    SOCKET wake_rx, wake_tx; /* a loopback UDP pair that interrupts the helper's WSAPoll */
    bool quit;
    cnet__iocp_watch *watching; /* the helper watches these */
    cnet__iocp_watch *posted;   /* fired: their packet is in the port */
} cnet__iocp;

#define CNET__IOCP(loop) ((cnet__iocp *)(loop)->be_state)

/* ---------------------------------------------- async_iocp_io.c */

/* A completion packet of key CNET__IOCP_KEY_IO: ov and its byte count. */
void cnet__iocp_completed(cnet_loop *loop, OVERLAPPED *ov, DWORD bytes);
/* Listeners that waited long enough (or a socket closed): accept again. */
void cnet__iocp_retry_stalled(cnet__iocp *st);

cnet_err cnet__iocp_attach(cnet_async_socket *s);
void cnet__iocp_detach(cnet_async_socket *s);
void cnet__iocp_close(cnet_async_socket *s);
void cnet__iocp_want_read(cnet_async_socket *s, bool on);
void cnet__iocp_want_accept(cnet_async_socket *s, bool on);
void cnet__iocp_send(cnet_async_socket *s, const uint8_t *data, size_t size);
void cnet__iocp_cancel_send(cnet_async_socket *s);
void cnet__iocp_send_to(cnet_async_socket *s, const uint8_t *data, size_t size, const struct sockaddr *to,
                        cnet_socklen len);
void cnet__iocp_connect(cnet_async_socket *s, const struct sockaddr *to, cnet_socklen len);
void cnet__iocp_cancel_connect(cnet_async_socket *s);

#endif /* CNET__ASYNC_IOCP_H */
