/*
 * Helpers shared by the files of the winsock edge (edge.c, edge_io.c,
 * ifindex.c) and by nothing else: the lazy, once-only Winsock start-up, the
 * translation of WSAGetLastError(), the sockets cnet shut down for reading
 * and the sockets woken by close.
 */
#ifndef CNET__WINSOCK_EDGE_H
#define CNET__WINSOCK_EDGE_H

#include "internal.h"

/* Start Winsock once per process (thread-safe); CNET_OK when it runs. */
cnet_err cnet__winsock_ready(const char *function);

/* Translate WSAGetLastError() through the generated table and record it. */
cnet_err cnet__winsock_fail(const char *function, const char *what);

/* True when cnet shut down the receive side of s (cnet_socket_shutdown) and
 * a recv answers at once: WSAPoll never reports such a socket readable,
 * where POSIX poll does. */
bool cnet__winsock_read_shut(SOCKET s);

/* True when close from another thread woke s (cnet__sys_wake): a wait that
 * starts after the wake must end at once, which CancelIoEx cannot do. */
bool cnet__winsock_woken(SOCKET s);

/* The longest slice of a Winsock wait between two looks at that. */
#define WAKE_SLICE_MS 50

#endif /* CNET__WINSOCK_EDGE_H */
