/*
 * What the files of the winsock edge share, defined in wsa.c and used by
 * edge.c and edge_io.c (and by nothing outside backends/winsock): the lazy,
 * once-only Winsock start-up, the translation of WSAGetLastError(), the
 * FIONBIO switch, the sockets cnet shut down for reading and the sockets
 * woken by close.
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

/* The longest slice of a Winsock wait between two looks at that. */
#define WAKE_SLICE_MS 50

#endif /* CNET__WINSOCK_EDGE_H */
