/*
 * What the files of the winsock edge share, defined in wsa.c and used by
 * edge.c and edge_io.c (and by nothing outside backends/winsock): the lazy,
 * once-only Winsock start-up, the translation of WSAGetLastError(), the
 * FIONBIO switch, the sockets cnet shut down for reading, the sockets
 * woken by close and the waits such a close ends.
 */
#ifndef CNET__WINSOCK_EDGE_H
#define CNET__WINSOCK_EDGE_H

#include "internal.h"

/* Start Winsock once per process (thread-safe); CNET_OK when it runs. */
cnet_err cnet__winsock_ready(const char *function);

/* Return from the calling function when Winsock cannot start. */
#define READY(function)                                      \
    do {                                                     \
        cnet_err ready_err_ = cnet__winsock_ready(function); \
        if (ready_err_ != CNET_OK)                           \
            return ready_err_;                               \
    } while (0)

/* Translate WSAGetLastError() through the generated table and record it. */
cnet_err cnet__winsock_fail(const char *function, const char *what);

/* Make s non-blocking (on) or blocking; false when ioctlsocket fails. */
bool cnet__winsock_set_nonblocking(SOCKET s, bool on);

/* Kernel handles are multiples of 4: the per-handle sets are indexed by
 * handle / 4. */
static inline uintptr_t cnet__winsock_handle_index(SOCKET s)
{
    return (uintptr_t)s >> 2;
}

/* True when cnet shut down the receive side of s (cnet_socket_shutdown) and
 * a recv answers at once: WSAPoll never reports such a socket readable,
 * where POSIX poll does. */
bool cnet__winsock_read_shut(SOCKET s);
void cnet__winsock_mark_read_shut(SOCKET s, bool on);

/* True when close from another thread woke s (cnet__sys_wake): a wait that
 * starts after the wake must end at once, which CancelIoEx cannot do. */
bool cnet__winsock_woken(SOCKET s);
void cnet__winsock_mark_woken(SOCKET s, bool on);

/*
 * Waits that close from another thread can end (see wsa.c). A wait on some
 * handles registers them with cnet__winsock_wait_begin, which returns the
 * calling thread's wake socket (a loopback UDP socket, made once per thread
 * and closed when the thread ends): the wait adds it to its WSAPoll or
 * select set and sleeps in one piece until a handle is ready, the deadline
 * passes or cnet__winsock_wake_waiters(handle) sends the wake socket a byte.
 * After the registration the wait looks at the woken mark before it
 * sleeps: a wake either came before that look, which sees it, or finds the
 * registration. INVALID_SOCKET when the thread has no wake socket (none
 * could be made): such a wait polls in slices of WAKE_SLICE_MS instead.
 * Every wait_begin is followed by one wait_end. A wait that sees its wake
 * socket readable drains it (a byte that came unseen wakes the thread's
 * next wait once).
 */
typedef struct cnet__winsock_wait {
    const WSAPOLLFD *fds; /* the handles waited on (fds[i].fd) */
    size_t count;
    SOCKET wake;
    struct sockaddr_in wake_addr;
    struct cnet__winsock_wait *prev, *next;
} cnet__winsock_wait;

SOCKET cnet__winsock_wait_begin(cnet__winsock_wait *w, const WSAPOLLFD *fds, size_t count);
void cnet__winsock_wait_end(cnet__winsock_wait *w);
/* Empty the calling thread's wake socket (after it was reported readable). */
void cnet__winsock_wake_drain(SOCKET wake);
/* The wake socket of w's thread is no socket any more (closed by a caller
 * through a stale handle number): end w's registration and make the
 * thread's next wait make a new one; w then polls in slices. */
void cnet__winsock_wake_lost(cnet__winsock_wait *w);
/* Send a byte to the wake socket of every wait registered on handle. */
void cnet__winsock_wake_waiters(SOCKET handle);

/* Count one round of a wait (one return of WSAPoll or select) of the calling
 * thread; cnet__winsock_wait_rounds tells the count (for the tests: an idle
 * wait costs O(1) rounds, not one per slice). */
void cnet__winsock_count_round(void);
uint64_t cnet__winsock_wait_rounds(void);

/* The longest slice of a Winsock wait between two looks at the woken mark,
 * for a thread without a wake socket. */
#define WAKE_SLICE_MS 50

#endif /* CNET__WINSOCK_EDGE_H */
