/*
 * Internal helpers shared by the portable code and the backends. Generated
 * declarations (the backend interface, enum checks, tables) are in
 * generated/src/backend.h; this header adds the hand-written ones.
 */
#ifndef CNET__INTERNAL_H
#define CNET__INTERNAL_H

#include "backend.h"

/*
 * AF_UNIX socket addresses (struct sockaddr_un) come from <sys/un.h> on POSIX
 * and from <afunix.h> on Windows where the headers have it; CNET__HAVE_UNIX
 * is defined when they exist. This is the only place that knows which.
 */
#if !defined(_WIN32)
#include <sys/un.h>
#define CNET__HAVE_UNIX 1
#elif defined(__has_include)
#if __has_include(<afunix.h>)
#include <afunix.h>
#define CNET__HAVE_UNIX 1
#endif
#endif

/*
 * The AF_UNIX address of path (1 to sizeof(sun_path) - 1 bytes) in *out,
 * zero-filled, and its length: CNET_EINVAL for "", CNET_ENAMETOOLONG, or
 * CNET_ENOTSUP where the platform has no sockaddr_un. Messages start with
 * function.
 */
cnet_err cnet__unix_sockaddr(const char *path, struct sockaddr_storage *out, cnet_socklen *len, const char *function);

/*
 * Write the text of an address (IPv4 dotted, IPv6 in RFC 5952 form with
 * "%scope" when scope_id is not 0) into buf. Returns CNET_ERANGE when buf is
 * too small, CNET_EAFNOSUPPORT for another family.
 */
cnet_err cnet__format_ip(int os_family, const void *bytes, uint32_t scope_id, char *buf, size_t size);

/*
 * Write the text and the port of a socket address. AF_UNIX gives its path, or
 * "unix" when it is unnamed, and port 0. port may be NULL.
 */
cnet_err cnet__format_sockaddr(const struct sockaddr *addr, cnet_socklen len,
                               char *buf, size_t size, cnet_port *port);

/* Copy a NUL-terminated string into buf; CNET_ERANGE when it does not fit. */
cnet_err cnet__copy_string(const char *text, char *buf, size_t size);

/* strdup that reports failure instead of aborting; NULL stays NULL. */
char *cnet__strdup(const char *text, bool *failed);

/*
 * The index of the network interface named name[0..len-1] (not
 * NUL-terminated), for an IPv6 zone such as "fe80::1%eth0". Defined by the
 * backend; an unknown name gives CNET_EADDR_UNKNOWN_ZONE.
 */
cnet_err cnet__sys_interface_index(const char *name, size_t len, uint32_t *out);

/*
 * The calling thread's error state (src/error.c), saved before a call that
 * may fail internally and still succeed (cnet_dial trying each address) and
 * put back when it does: a success leaves no message of its own attempts.
 */
typedef struct {
    cnet_err code;
    int os_error;
    char message[256];
} cnet__error_state;
void cnet__error_save(cnet__error_state *state);
void cnet__error_restore(const cnet__error_state *state);

#endif /* CNET__INTERNAL_H */
