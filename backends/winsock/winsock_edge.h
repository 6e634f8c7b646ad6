/*
 * Helpers shared by the files of the winsock edge (edge.c, edge_io.c,
 * ifindex.c) and by nothing else: the lazy, once-only Winsock start-up and
 * the translation of WSAGetLastError().
 */
#ifndef CNET__WINSOCK_EDGE_H
#define CNET__WINSOCK_EDGE_H

#include "internal.h"

/* Start Winsock once per process (thread-safe); CNET_OK when it runs. */
cnet_err cnet__winsock_ready(const char *function);

/* Translate WSAGetLastError() through the generated table and record it. */
cnet_err cnet__winsock_fail(const char *function, const char *what);

#endif /* CNET__WINSOCK_EDGE_H */
