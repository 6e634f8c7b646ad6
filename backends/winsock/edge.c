/*
 * The Winsock system-call edge: resolution, names, options and readiness.
 * With edge_io.c, wsa.c (Winsock start-up and what the edge files share) and
 * ifindex.c it is the only code of the winsock backend that reads
 * WSAGetLastError() (or GetLastError(), or a getaddrinfo result); each one
 * is translated to a cnet_err on the spot through the generated tables
 * (cnet__err_from_winsock, cnet__err_from_gai).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "winsock_edge.h"

/* wine (8.0) passes glibc's EAI_ADDRFAMILY (-9) through untranslated when a
 * literal's family differs from the hint, where Windows says the name is not
 * found; anything else is already a Winsock code. */
static int gai_code(int rc)
{
    return rc == -9 ? EAI_NONAME : rc;
}

/* A getaddrinfo/getnameinfo result: an EAI_* code, which Winsock defines as
 * WSA codes; whatever the EAI table does not know goes through the WSA one. */
static cnet_err fail_gai(int rc, const char *function, const char *what)
{
    rc = gai_code(rc);
    cnet_err err = cnet__err_from_gai(rc);
    if (err == CNET_EOS)
        err = cnet__err_from_winsock(rc);
    return cnet__fail_os(err, rc, function, what);
}

/* ------------------------------------------------------------ handles */

cnet_err cnet__sys_set_inheritable(cnet_socket_handle handle, bool inheritable)
{
    READY("cnet_set_inheritable");
    /* Check it is a socket first: SetHandleInformation accepts any handle. */
    int type = 0, len = (int)sizeof type;
    if (getsockopt((SOCKET)handle, SOL_SOCKET, SO_TYPE, (char *)&type, &len) == SOCKET_ERROR)
        return cnet__winsock_fail("cnet_set_inheritable", "getsockopt(SO_TYPE)");
    if (!SetHandleInformation((HANDLE)handle, HANDLE_FLAG_INHERIT, inheritable ? HANDLE_FLAG_INHERIT : 0)) {
        DWORD e = GetLastError();
        cnet_err err = e == ERROR_INVALID_HANDLE ? CNET_EBADF : CNET_EOS;
        return cnet__fail_os(err, (int)e, "cnet_set_inheritable", "SetHandleInformation");
    }
    return CNET_OK;
}

/* ------------------------------------------------------------ resolution */

cnet_err cnet__sys_get_addr_info(const char *address, cnet_port port, cnet_domain domain, cnet_sock_type type,
                                 cnet_protocol protocol, struct addrinfo **out)
{
    struct addrinfo hints;
    char service[CNET_PORTSTRLEN];
    *out = NULL;
    READY("cnet_get_addr_info");
    /* Winsock resolves "" to the local host's addresses; glibc, and so cnet
     * everywhere, treats it as a name that does not exist. */
    if (address != NULL && address[0] == '\0')
        return cnet__fail_os(CNET_ENOTFOUND, EAI_NONAME, "cnet_get_addr_info", "getaddrinfo");
    memset(&hints, 0, sizeof hints);
    hints.ai_family = cnet__domain_to_os(domain);
    hints.ai_socktype = cnet__sock_type_to_os(type);
    hints.ai_protocol = cnet__protocol_to_os(protocol);
    if (domain == CNET_AF_INET6)
        hints.ai_flags |= AI_V4MAPPED;
    snprintf(service, sizeof service, "%u", (unsigned)port.value);
    int rc = getaddrinfo(address, type == CNET_SOCK_RAW ? NULL : service, &hints, out);
    if (rc != 0) {
        *out = NULL;
        return fail_gai(rc, "cnet_get_addr_info", "getaddrinfo");
    }
    return CNET_OK;
}

/* Copy a NULL-terminated list of strings; NULL on allocation failure. */
static char **copy_list(char **list, bool *failed)
{
    size_t n = 0;
    while (list != NULL && list[n] != NULL)
        n++;
    char **copy = calloc(n + 1, sizeof *copy);
    if (copy == NULL) {
        *failed = true;
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        copy[i] = cnet__strdup(list[i], failed);
    return copy;
}

/* Winsock's getservby* return a per-thread buffer: copied out at once. */
static cnet_err fill_servent(const struct servent *se, cnet_servent *out, const char *function)
{
    bool failed = false;
    memset(out, 0, sizeof *out);
    out->name = cnet__strdup(se->s_name, &failed);
    out->proto = cnet__strdup(se->s_proto, &failed);
    out->aliases = copy_list(se->s_aliases, &failed);
    out->port.value = ntohs((uint16_t)se->s_port);
    if (failed) {
        cnet_servent_free(out);
        return cnet__fail(CNET_ENOMEM, function);
    }
    return CNET_OK;
}

static cnet_err serv_result(const struct servent *se, cnet_servent *out, const char *function,
                            const char *not_found)
{
    if (se != NULL)
        return fill_servent(se, out, function);
    int e = WSAGetLastError();
    if (e == 0 || e == WSANO_DATA || e == WSAHOST_NOT_FOUND)
        return cnet__fail_os(CNET_ENOTFOUND, e, function, not_found);
    return cnet__fail_os(cnet__err_from_winsock(e), e, function, "services database");
}

cnet_err cnet__sys_get_serv_by_name(const char *name, const char *proto, cnet_servent *out)
{
    memset(out, 0, sizeof *out);
    READY("cnet_get_serv_by_name");
    WSASetLastError(0);
    return serv_result(getservbyname(name, proto), out, "cnet_get_serv_by_name", "service not found");
}

cnet_err cnet__sys_get_serv_by_port(cnet_port port, const char *proto, cnet_servent *out)
{
    memset(out, 0, sizeof *out);
    READY("cnet_get_serv_by_port");
    WSASetLastError(0);
    return serv_result(getservbyport((int)htons(port.value), proto), out, "cnet_get_serv_by_port",
                       "service not found");
}

/*
 * gethostbyname is IPv4-only on Windows and gethostbyaddr is deprecated, so
 * both host lookups go through getaddrinfo/getnameinfo: by name, IPv4
 * results first and IPv6 only when there are none (the POSIX edge's
 * gethostbyname2 order); the official name is the canonical name.
 */
static cnet_err hostent_from_list(const char *name, const struct addrinfo *list, int family, cnet_hostent *out,
                                  const char *function)
{
    bool failed = false;
    size_t n = 0;
    for (const struct addrinfo *ai = list; ai != NULL; ai = ai->ai_next)
        n += ai->ai_family == family;
    memset(out, 0, sizeof *out);
    if (!cnet__domain_from_os(family, &out->addrtype))
        return cnet__fail(CNET_EAFNOSUPPORT, function);
    out->length = family == AF_INET ? 4 : 16;
    out->name = cnet__strdup(list->ai_canonname != NULL ? list->ai_canonname : name, &failed);
    out->aliases = calloc(1, sizeof *out->aliases);
    out->addr_list = calloc(n + 1, sizeof *out->addr_list);
    if (out->aliases == NULL || out->addr_list == NULL)
        failed = true;
    size_t k = 0;
    for (const struct addrinfo *ai = list; !failed && ai != NULL; ai = ai->ai_next) {
        if (ai->ai_family != family)
            continue;
        const void *bytes = family == AF_INET ? (const void *)&((const struct sockaddr_in *)ai->ai_addr)->sin_addr
                                              : (const void *)&((const struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
        char text[CNET_ADDRSTRLEN];
        if (cnet__format_ip(family, bytes, 0, text, sizeof text) != CNET_OK) {
            cnet_hostent_free(out);
            return cnet_last_error();
        }
        bool seen = false; /* one entry per address, not per socket type */
        for (size_t j = 0; j < k && !seen; j++)
            seen = strcmp(out->addr_list[j], text) == 0;
        if (!seen)
            out->addr_list[k++] = cnet__strdup(text, &failed);
    }
    if (failed) {
        cnet_hostent_free(out);
        return cnet__fail(CNET_ENOMEM, function);
    }
    return CNET_OK;
}

cnet_err cnet__sys_get_host_by_name(const char *name, cnet_hostent *out)
{
    static const char function[] = "cnet_get_host_by_name";
    static const int families[2] = {AF_INET, AF_INET6};
    memset(out, 0, sizeof *out);
    READY(function);
    int rc = 0;
    for (int i = 0; i < 2; i++) {
        struct addrinfo hints, *list = NULL;
        memset(&hints, 0, sizeof hints);
        hints.ai_family = families[i];
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_flags = AI_CANONNAME;
        rc = name[0] == '\0' ? EAI_NONAME : gai_code(getaddrinfo(name, NULL, &hints, &list));
        if (rc == 0) {
            cnet_err err = hostent_from_list(name, list, families[i], out, function);
            freeaddrinfo(list);
            return err;
        }
        if (rc != EAI_NONAME && rc != EAI_NODATA && rc != EAI_FAMILY)
            break;
    }
    if (rc == EAI_FAMILY)
        rc = EAI_NONAME;
    return fail_gai(rc, function, "host not found");
}

cnet_err cnet__sys_get_host_by_addr(const char *ip, cnet_hostent *out)
{
    static const char function[] = "cnet_get_host_by_addr";
    struct sockaddr_storage ss;
    int len;
    memset(out, 0, sizeof *out);
    READY(function);
    memset(&ss, 0, sizeof ss);
    struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    /* Same strictness as inet_pton on POSIX: "127.1" is not an address. */
    if (inet_pton(AF_INET, ip, &sin->sin_addr) == 1) {
        sin->sin_family = AF_INET;
        len = (int)sizeof *sin;
    } else if (inet_pton(AF_INET6, ip, &sin6->sin6_addr) == 1) {
        sin6->sin6_family = AF_INET6;
        len = (int)sizeof *sin6;
    } else {
        return cnet__fail(CNET_EINVAL, "cnet_get_host_by_addr: not an IPv4 or IPv6 address literal");
    }
    char host[NI_MAXHOST];
    int rc = getnameinfo((struct sockaddr *)&ss, len, host, sizeof host, NULL, 0, NI_NAMEREQD);
    if (rc != 0)
        return fail_gai(rc, function, "host not found");
    bool failed = false;
    char text[CNET_ADDRSTRLEN];
    const void *bytes = ss.ss_family == AF_INET ? (const void *)&sin->sin_addr : (const void *)&sin6->sin6_addr;
    if (cnet__format_ip(ss.ss_family, bytes, 0, text, sizeof text) != CNET_OK)
        return cnet_last_error();
    cnet__domain_from_os(ss.ss_family, &out->addrtype);
    out->length = ss.ss_family == AF_INET ? 4 : 16;
    out->name = cnet__strdup(host, &failed);
    out->aliases = calloc(1, sizeof *out->aliases);
    out->addr_list = calloc(2, sizeof *out->addr_list);
    if (out->aliases == NULL || out->addr_list == NULL)
        failed = true;
    else
        out->addr_list[0] = cnet__strdup(text, &failed);
    if (failed) {
        cnet_hostent_free(out);
        return cnet__fail(CNET_ENOMEM, function);
    }
    return CNET_OK;
}

cnet_err cnet__sys_get_proto_by_name(const char *name, int *out)
{
    READY("cnet_get_proto_by_name");
    WSASetLastError(0);
    struct protoent *pe = getprotobyname(name);
    if (pe == NULL) {
        int e = WSAGetLastError();
        if (e == 0 || e == WSANO_DATA || e == WSAHOST_NOT_FOUND)
            return cnet__fail_os(CNET_ENOTFOUND, e, "cnet_get_proto_by_name", "protocol not found");
        return cnet__fail_os(cnet__err_from_winsock(e), e, "cnet_get_proto_by_name", "protocols database");
    }
    *out = pe->p_proto;
    return CNET_OK;
}

cnet_err cnet__sys_get_hostname(char *buf, size_t size)
{
    char name[256 + 1]; /* Winsock: at most 256 bytes with the NUL */
    READY("cnet_get_hostname");
    if (gethostname(name, (int)sizeof name) == SOCKET_ERROR)
        return cnet__winsock_fail("cnet_get_hostname", "gethostname");
    name[sizeof name - 1] = '\0';
    return cnet__copy_string(name, buf, size);
}

/* ------------------------------------------------------------- addresses */

cnet_err cnet__sys_get_sock_domain(cnet_socket_handle handle, cnet_domain *out)
{
    struct sockaddr_storage ss;
    int len = (int)sizeof ss;
    READY("cnet_get_sock_domain");
    if (getsockname((SOCKET)handle, (struct sockaddr *)&ss, &len) == SOCKET_ERROR)
        return cnet__winsock_fail("cnet_get_sock_domain", "getsockname");
    if (!cnet__domain_from_os(ss.ss_family, out))
        return cnet__fail(CNET_EAFNOSUPPORT, "cnet_get_sock_domain: unknown address family");
    return CNET_OK;
}

cnet_err cnet__sys_get_sock_name(cnet_socket_handle handle, cnet_port *out)
{
    struct sockaddr_storage ss;
    int len = (int)sizeof ss;
    READY("cnet_get_sock_name");
    if (getsockname((SOCKET)handle, (struct sockaddr *)&ss, &len) == SOCKET_ERROR)
        return cnet__winsock_fail("cnet_get_sock_name", "getsockname");
    if (ss.ss_family == AF_INET)
        out->value = ntohs(((struct sockaddr_in *)&ss)->sin_port);
    else if (ss.ss_family == AF_INET6)
        out->value = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    else
        return cnet__fail(CNET_EAFNOSUPPORT, "cnet_get_sock_name: the socket has no port (not IPv4 or IPv6)");
    return CNET_OK;
}

cnet_err cnet__sys_get_local_addr(cnet_socket_handle handle, char *address, size_t address_size, cnet_port *port)
{
    struct sockaddr_storage ss;
    int len = (int)sizeof ss;
    READY("cnet_get_local_addr");
    if (getsockname((SOCKET)handle, (struct sockaddr *)&ss, &len) == SOCKET_ERROR)
        return cnet__winsock_fail("cnet_get_local_addr", "getsockname");
    return cnet__format_sockaddr((struct sockaddr *)&ss, len, address, address_size, port);
}

cnet_err cnet__sys_get_peer_addr(cnet_socket_handle handle, char *address, size_t address_size, cnet_port *port)
{
    struct sockaddr_storage ss;
    int len = (int)sizeof ss;
    READY("cnet_get_peer_addr");
    if (getpeername((SOCKET)handle, (struct sockaddr *)&ss, &len) == SOCKET_ERROR)
        return cnet__winsock_fail("cnet_get_peer_addr", "getpeername");
    return cnet__format_sockaddr((struct sockaddr *)&ss, len, address, address_size, port);
}

/* --------------------------------------------------------------- options */

cnet_err cnet__sys_get_sock_opt_int(cnet_socket_handle handle, int level, int optname, int *out)
{
    int value = 0; /* some options (BOOL-like ones) write fewer bytes */
    int len = (int)sizeof value;
    READY("cnet_get_sock_opt_int");
    if (getsockopt((SOCKET)handle, level, optname, (char *)&value, &len) == SOCKET_ERROR)
        return cnet__winsock_fail("cnet_get_sock_opt_int", "getsockopt");
    if (len == 1)
        value = *(unsigned char *)&value;
    *out = value;
    return CNET_OK;
}

cnet_err cnet__sys_set_sock_opt_int(cnet_socket_handle handle, int level, int optname, int value)
{
    READY("cnet_set_sock_opt_int");
    if (setsockopt((SOCKET)handle, level, optname, (const char *)&value, (int)sizeof value) == SOCKET_ERROR)
        return cnet__winsock_fail("cnet_set_sock_opt_int", "setsockopt");
    return CNET_OK;
}

cnet_err cnet__sys_set_linger(cnet_socket_handle handle, bool enable, int seconds)
{
    READY("cnet_socket_abort");
    struct linger lg = {(u_short)(enable ? 1 : 0), (u_short)seconds};
    if (setsockopt((SOCKET)handle, SOL_SOCKET, SO_LINGER, (const char *)&lg, (int)sizeof lg) == SOCKET_ERROR)
        return cnet__winsock_fail("cnet_socket_abort", "setsockopt(SO_LINGER)");
    return CNET_OK;
}

cnet_err cnet__sys_set_blocking(cnet_socket_handle handle, bool blocking)
{
    u_long mode = blocking ? 0 : 1;
    READY("cnet_set_blocking");
    if (ioctlsocket((SOCKET)handle, FIONBIO, &mode) == SOCKET_ERROR)
        return cnet__winsock_fail("cnet_set_blocking", "ioctlsocket(FIONBIO)");
    return CNET_OK;
}

cnet_err cnet__sys_ioctlsocket(cnet_socket_handle handle, long cmd, unsigned long *argp)
{
    READY("cnet_ioctlsocket");
    /* The three commands ioctlsocket documents; any other one is refused
     * here, with the same code as on the other platforms. */
    if (cmd != (long)FIONBIO && cmd != (long)FIONREAD && cmd != (long)SIOCATMARK)
        return cnet__fail(CNET_ENOTSUP, "cnet_ioctlsocket: ioctlsocket supports FIONBIO, FIONREAD and SIOCATMARK");
    u_long value = (u_long)*argp;
    if (ioctlsocket((SOCKET)handle, cmd, &value) == SOCKET_ERROR)
        return cnet__winsock_fail("cnet_ioctlsocket", "ioctlsocket");
    *argp = value;
    return CNET_OK;
}

/* ------------------------------------------------------------- readiness */

cnet_err cnet__sys_poll_handles(const cnet_socket_handle *handles, size_t count, bool write, int64_t deadline,
                                bool *ready, size_t *ready_count)
{
    const char *function = write ? "cnet_select_write" : "cnet_select_read";
    WSAPOLLFD small[16];
    *ready_count = 0;
    READY(function);
    /* The whole time left (-1: none), at most INT_MAX ms in one call. */
    int wait = -1;
    if (deadline >= 0) {
        int64_t left = deadline - cnet__sys_now_ms();
        wait = left <= 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left;
    }
    if (count == 0) {
        /* Nothing to watch (WSAPoll refuses an empty set): only wait. */
        Sleep(wait < 0 ? INFINITE : (DWORD)wait);
        return CNET_OK;
    }
    /* One more slot for the thread's wake socket (wsa.c). */
    if (count >= (size_t)ULONG_MAX / sizeof(WSAPOLLFD) || count >= (size_t)INT_MAX)
        return cnet__fail(CNET_EINVAL, "too many handles");
    WSAPOLLFD *fds = count < sizeof small / sizeof small[0] ? small : malloc((count + 1) * sizeof *fds);
    if (fds == NULL)
        return cnet__fail(CNET_ENOMEM, function);
    for (size_t i = 0; i < count; i++) {
        if (handles[i] == CNET_INVALID_SOCKET) {
            if (fds != small)
                free(fds);
            return cnet__fail(CNET_EBADF, "a handle in the list is not a valid socket handle");
        }
        fds[i].fd = (SOCKET)handles[i];
        /* WSAPoll refuses POLLPRI; POLLRDBAND is its out-of-band equivalent. */
        fds[i].events = write ? POLLWRNORM : POLLRDNORM | POLLRDBAND;
        fds[i].revents = 0;
    }
    /* A socket shut down for reading is readable for POSIX poll (a recv
     * answers at once) but never for WSAPoll: count it as ready here (then
     * WSAPoll only looks, and each handle is asked again below). */
    bool shut_ready = false;
    for (size_t i = 0; i < count && !write && !shut_ready; i++)
        shut_ready = cnet__winsock_read_shut(fds[i].fd);
    if (shut_ready)
        wait = 0;
    /* A handle woken by close (another thread) ends the wait: the close
     * sends the wake socket a byte once the wait is registered, and a close
     * before that left its mark, looked at here. Without a wake socket the
     * wait lasts one slice at most (the caller's loop calls again). */
    cnet__winsock_wait w;
    SOCKET wake = cnet__winsock_wait_begin(&w, fds, count);
    ULONG n = (ULONG)count;
    /* The wake socket may have taken the number of a handle closed before
     * the call: such a handle is not the caller's socket. */
    for (size_t i = 0; i < count && wake != INVALID_SOCKET; i++) {
        if (fds[i].fd == wake) {
            cnet__winsock_wait_end(&w);
            if (fds != small)
                free(fds);
            return cnet__fail(CNET_EBADF, "a handle in the list is not an open socket");
        }
    }
    if (wake != INVALID_SOCKET) {
        fds[n].fd = wake;
        fds[n].events = POLLRDNORM;
        fds[n].revents = 0;
        n++;
    } else if (wait < 0 || wait > WAKE_SLICE_MS) {
        wait = WAKE_SLICE_MS;
    }
    bool woken = false;
    for (size_t i = 0; i < count && !woken; i++)
        woken = cnet__winsock_woken(fds[i].fd);
    int rc = woken ? 0 : WSAPoll(fds, n, wait);
    cnet__winsock_count_round();
    cnet_err err = CNET_OK;
    if (rc == SOCKET_ERROR) {
        /* The close's CancelIoEx may end the WSAPoll itself: then the woken
         * handle is reported ready below, not an error. */
        woken = false;
        for (size_t i = 0; i < count && !woken; i++)
            woken = cnet__winsock_woken(fds[i].fd);
        if (!woken)
            err = cnet__winsock_fail(function, "WSAPoll");
    }
    for (size_t i = 0; i < count && err == CNET_OK; i++) {
        if (fds[i].revents & POLLNVAL)
            err = cnet__fail(CNET_EBADF, "a handle in the list is not an open socket");
        /* A woken socket counts as ready, as a shut-down one does for POSIX
         * poll: the caller finds it closed. */
        ready[i] = fds[i].revents != 0 || (shut_ready && cnet__winsock_read_shut(fds[i].fd)) ||
                   cnet__winsock_woken(fds[i].fd);
        *ready_count += ready[i];
    }
    /* A wake byte for no handle of this wait (a stale one) only ended the
     * wait early, which the caller's loop allows. */
    if (wake != INVALID_SOCKET && (fds[count].revents & POLLNVAL)) {
        cnet__winsock_wake_lost(&w);
    } else {
        cnet__winsock_wait_end(&w);
        if (wake != INVALID_SOCKET && fds[count].revents != 0)
            cnet__winsock_wake_drain(wake);
    }
    if (fds != small)
        free(fds);
    return err;
}
