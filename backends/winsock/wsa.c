/*
 * What the files of the winsock edge share (edge.c, edge_io.c): the lazy,
 * once-only Winsock start-up, the translation of WSAGetLastError(), the
 * FIONBIO switch, and the per-handle marks that Winsock will not tell: the
 * sockets cnet shut down for reading and the sockets woken by close. Both
 * files depend on this one, which calls neither.
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
 * Such waits (wait_ready in edge_io.c, the readiness poll in edge.c)
 * therefore poll in slices of at most WAKE_SLICE_MS and stop once their
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
