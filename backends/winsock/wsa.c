/*
 * What the files of the winsock edge share (edge.c, edge_io.c): the lazy,
 * once-only Winsock start-up, the translation of WSAGetLastError(), the
 * FIONBIO switch, and the per-handle marks that Winsock will not tell: the
 * sockets cnet shut down for reading and the sockets woken by close, and
 * the registry of the waits such a close must end, with each thread's wake
 * socket. Both files depend on this one, which calls neither.
 *
 * WSAStartup: the library starts Winsock itself, lazily, the first time any
 * edge function runs (cnet__winsock_ready), through InitOnceExecuteOnce so
 * that concurrent first calls start it exactly once; WSACleanup runs at
 * process exit (atexit). A lazy start needs no constructor, which a static
 * library cannot rely on, and costs one already-initialised INIT_ONCE check
 * per call afterwards.
 */
#include <stdlib.h>

#include "handle_bits.h"
#include "internal.h"
#include "winsock_edge.h"

/* ------------------------------------------------------- Winsock start-up */

static INIT_ONCE winsock_once = INIT_ONCE_STATIC_INIT;
static int winsock_startup_error;

static void winsock_cleanup(void)
{
    WSACleanup();
}

static BOOL CALLBACK winsock_startup(PINIT_ONCE once, PVOID param, PVOID *context)
{
    (void)once;
    (void)param;
    (void)context;
    WSADATA data;
    /* WSAStartup returns the error itself (WSAGetLastError needs Winsock). */
    winsock_startup_error = WSAStartup(MAKEWORD(2, 2), &data);
    if (winsock_startup_error == 0)
        atexit(winsock_cleanup);
    return TRUE;
}

cnet_err cnet__winsock_ready(const char *function)
{
    InitOnceExecuteOnce(&winsock_once, winsock_startup, NULL, NULL);
    if (winsock_startup_error != 0)
        return cnet__fail_os(cnet__err_from_winsock(winsock_startup_error), winsock_startup_error, function,
                             "WSAStartup");
    return CNET_OK;
}

cnet_err cnet__winsock_fail(const char *function, const char *what)
{
    int e = WSAGetLastError();
    return cnet__fail_os(cnet__err_from_winsock(e), e, function, what);
}

bool cnet__winsock_set_nonblocking(SOCKET s, bool on)
{
    u_long mode = on ? 1 : 0;
    return ioctlsocket(s, FIONBIO, &mode) == 0;
}

/* --------------------------------------------------------- handle marks */

/*
 * Handles shut down for receiving through cnet. WSAPoll never reports such a
 * socket readable, while its recv fails at once (WSAESHUTDOWN, which a
 * stream receive reads as the end of the stream): a receive with a deadline
 * would wait out the deadline where the blocking receive answers at once.
 * So a receive with a deadline on a handle in this set first asks whether
 * recv answers at once. A bit left behind (a handle closed outside cnet,
 * its number reused) costs one such question, then is cleared: it never
 * changes a result.
 */
static cnet__handle_bits read_shut_handles;

/*
 * Handles woken by close from another thread (cnet__sys_wake). CancelIoEx
 * ends only a wait already in the kernel, and a shut-down listener does not
 * fail a later accept, so a call that took its hold just before the close
 * but reaches accept or WSAPoll just after the wake would wait forever.
 * Such waits (wait_ready and wait_connected in edge_io.c, the readiness
 * poll in edge.c) register with cnet__winsock_wait_begin below, look at
 * this set, then sleep until their handle is ready or the wake socket of
 * their thread is sent a byte by cnet__sys_wake; they stop once their
 * handle is in this set.
 */
static cnet__handle_bits woken_handles;

void cnet__winsock_mark_read_shut(SOCKET s, bool on)
{
    cnet__handle_bits_put(&read_shut_handles, cnet__winsock_handle_index(s), on);
}

void cnet__winsock_mark_woken(SOCKET s, bool on)
{
    cnet__handle_bits_put(&woken_handles, cnet__winsock_handle_index(s), on);
}

bool cnet__winsock_woken(SOCKET s)
{
    return cnet__handle_bits_get(&woken_handles, cnet__winsock_handle_index(s));
}

bool cnet__winsock_read_shut(SOCKET s)
{
    if (!cnet__handle_bits_get(&read_shut_handles, cnet__winsock_handle_index(s)))
        return false;
    /* Peek one byte without waiting (non-blocking for the question only). */
    char byte;
    int rc = SOCKET_ERROR, e = 0;
    if (cnet__winsock_set_nonblocking(s, true)) {
        rc = recv(s, &byte, 1, MSG_PEEK);
        e = rc == SOCKET_ERROR ? WSAGetLastError() : 0;
        cnet__winsock_set_nonblocking(s, false);
    }
    if (rc == SOCKET_ERROR && e == WSAESHUTDOWN)
        return true;
    if (rc == SOCKET_ERROR && e == WSAEWOULDBLOCK)
        cnet__winsock_mark_read_shut(s, false); /* not shut down after all */
    return false; /* data waiting or another state: WSAPoll tells */
}

/* ------------------------------------------------------- wakeable waits */

/*
 * The wake socket of a thread: a UDP socket bound to 127.0.0.1, non-blocking
 * and not inheritable, made at the thread's first wait and kept in a fiber
 * local slot whose callback closes it when the thread ends (FLS callbacks
 * run at thread exit, which a static library cannot hook otherwise). The
 * waker sends through the waiter's own socket to that socket's address, so
 * the waking thread needs no socket of its own and the send cannot fail for
 * want of one. A byte meant for an earlier wait of the thread (sent before
 * that wait ended but delivered after its drain) wakes the next wait once:
 * it drains, finds no handle woken and sleeps again.
 */
static INIT_ONCE wake_once = INIT_ONCE_STATIC_INIT;
static DWORD wake_slot = FLS_OUT_OF_INDEXES;

/* What the slot holds: the socket and its address (asked once). */
struct wake_socket {
    SOCKET s;
    struct sockaddr_in addr;
};

static void NTAPI wake_socket_close(PVOID value)
{
    struct wake_socket *ws = value;
    if (ws != NULL) {
        closesocket(ws->s);
        free(ws);
    }
}

static BOOL CALLBACK wake_slot_alloc(PINIT_ONCE once, PVOID param, PVOID *context)
{
    (void)once;
    (void)param;
    (void)context;
    wake_slot = FlsAlloc(wake_socket_close);
    return TRUE;
}

#ifndef SIO_UDP_CONNRESET
#define SIO_UDP_CONNRESET _WSAIOW(IOC_VENDOR, 12)
#endif

/* The calling thread's wake socket and its address; INVALID_SOCKET when it
 * cannot be made (then every wait of the thread polls in slices). */
static SOCKET wake_socket(struct sockaddr_in *addr)
{
    InitOnceExecuteOnce(&wake_once, wake_slot_alloc, NULL, NULL);
    if (wake_slot == FLS_OUT_OF_INDEXES)
        return INVALID_SOCKET;
    struct wake_socket *ws = FlsGetValue(wake_slot);
    if (ws == NULL) {
        ws = malloc(sizeof *ws);
        if (ws == NULL)
            return INVALID_SOCKET;
        ws->s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        if (ws->s == INVALID_SOCKET) {
            free(ws);
            return INVALID_SOCKET;
        }
        struct sockaddr_in a = {.sin_family = AF_INET};
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        BOOL off = FALSE;
        DWORD unused = 0;
        /* No ICMP error may fail a later recv of the drain. */
        WSAIoctl(ws->s, SIO_UDP_CONNRESET, &off, sizeof off, NULL, 0, &unused, NULL, NULL);
        int len = (int)sizeof ws->addr;
        if (!SetHandleInformation((HANDLE)ws->s, HANDLE_FLAG_INHERIT, 0) ||
            bind(ws->s, (struct sockaddr *)&a, sizeof a) == SOCKET_ERROR ||
            getsockname(ws->s, (struct sockaddr *)&ws->addr, &len) == SOCKET_ERROR ||
            !cnet__winsock_set_nonblocking(ws->s, true) || !FlsSetValue(wake_slot, ws)) {
            closesocket(ws->s);
            free(ws);
            return INVALID_SOCKET;
        }
    }
    *addr = ws->addr;
    return ws->s;
}

/* The registered waits, a doubly linked list under waits_lock. */
static SRWLOCK waits_lock = SRWLOCK_INIT;
static cnet__winsock_wait *waits;

SOCKET cnet__winsock_wait_begin(cnet__winsock_wait *w, const WSAPOLLFD *fds, size_t count)
{
    w->fds = fds;
    w->count = count;
    w->prev = NULL;
    w->wake = wake_socket(&w->wake_addr);
    if (w->wake == INVALID_SOCKET)
        return INVALID_SOCKET;
    AcquireSRWLockExclusive(&waits_lock);
    w->next = waits;
    if (waits != NULL)
        waits->prev = w;
    waits = w;
    ReleaseSRWLockExclusive(&waits_lock);
    return w->wake;
}

void cnet__winsock_wake_drain(SOCKET wake)
{
    char bytes[16];
    while (recv(wake, bytes, sizeof bytes, 0) != SOCKET_ERROR) {
    }
}

/* Take w off the registry: no byte is sent to it afterwards. */
static void wait_unregister(cnet__winsock_wait *w)
{
    AcquireSRWLockExclusive(&waits_lock);
    if (w->prev != NULL)
        w->prev->next = w->next;
    else
        waits = w->next;
    if (w->next != NULL)
        w->next->prev = w->prev;
    ReleaseSRWLockExclusive(&waits_lock);
}

void cnet__winsock_wait_end(cnet__winsock_wait *w)
{
    /* Not drained (one call fewer per wait): a byte that came unseen wakes
     * the thread's next wait once, which drains it. */
    if (w->wake != INVALID_SOCKET)
        wait_unregister(w);
}

void cnet__winsock_wake_lost(cnet__winsock_wait *w)
{
    if (w->wake == INVALID_SOCKET)
        return;
    wait_unregister(w);
    w->wake = INVALID_SOCKET;
    /* Not closed: the number may be another socket's by now. */
    if (wake_slot != FLS_OUT_OF_INDEXES) {
        free(FlsGetValue(wake_slot));
        FlsSetValue(wake_slot, NULL);
    }
}

void cnet__winsock_wake_waiters(SOCKET handle)
{
    /* Sent under the lock: a registered wait's socket stays open until its
     * wait_end, which takes the lock. */
    AcquireSRWLockShared(&waits_lock);
    for (cnet__winsock_wait *w = waits; w != NULL; w = w->next) {
        for (size_t i = 0; i < w->count; i++) {
            if (w->fds[i].fd == handle) {
                /* A full buffer (WSAEWOULDBLOCK) already holds a wake. */
                sendto(w->wake, "", 1, 0, (const struct sockaddr *)&w->wake_addr, sizeof w->wake_addr);
                break;
            }
        }
    }
    ReleaseSRWLockShared(&waits_lock);
}

static _Thread_local uint64_t wait_rounds;

void cnet__winsock_count_round(void)
{
    wait_rounds++;
}

uint64_t cnet__winsock_wait_rounds(void)
{
    return wait_rounds;
}
