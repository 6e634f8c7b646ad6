/*
 * The POSIX system-call edge. This is the only file of the posix backend that
 * reads errno (or h_errno, or a getaddrinfo result); it translates each one
 * to a cnet_err on the spot through the generated tables.
 */
#define _GNU_SOURCE 1

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"

/* Translate the current errno and record it. */
static cnet_err fail_errno(const char *function, const char *what)
{
    int e = errno;
    return cnet__fail_os(cnet__err_from_errno(e), e, function, what);
}

static cnet_err fail_gai(int rc, const char *function)
{
    if (rc == EAI_SYSTEM)
        return fail_errno(function, "getaddrinfo");
    return cnet__fail_os(cnet__err_from_gai(rc), rc, function, gai_strerror(rc));
}

static cnet_err fail_herrno(int rc, const char *function, const char *what)
{
    return cnet__fail_os(cnet__err_from_herrno(rc), rc, function, what);
}

/* ------------------------------------------------------------ handles */

cnet_err cnet__sys_set_inheritable(cnet_socket_handle handle, bool inheritable)
{
    int flags = fcntl(handle, F_GETFD);
    if (flags < 0)
        return fail_errno("cnet_set_inheritable", "fcntl(F_GETFD)");
    flags = inheritable ? (flags & ~FD_CLOEXEC) : (flags | FD_CLOEXEC);
    if (fcntl(handle, F_SETFD, flags) < 0)
        return fail_errno("cnet_set_inheritable", "fcntl(F_SETFD)");
    return CNET_OK;
}

/* ------------------------------------------------------------ resolution */

cnet_err cnet__sys_get_addr_info(const char *address, cnet_port port, cnet_domain domain, cnet_sock_type type,
                                 cnet_protocol protocol, struct addrinfo **out)
{
    struct addrinfo hints;
    char service[CNET_PORTSTRLEN];
    *out = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = cnet__domain_to_os(domain);
    hints.ai_socktype = cnet__sock_type_to_os(type);
    hints.ai_protocol = cnet__protocol_to_os(protocol);
#if defined(AI_V4MAPPED) && !defined(__APPLE__)
    if (domain == CNET_AF_INET6)
        hints.ai_flags |= AI_V4MAPPED;
#endif
    snprintf(service, sizeof service, "%u", (unsigned)port.value);
    int rc = getaddrinfo(address, type == CNET_SOCK_RAW ? NULL : service, &hints, out);
    if (rc != 0) {
        *out = NULL;
        return fail_gai(rc, "cnet_get_addr_info");
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

/* Run a *_r lookup with a buffer that grows while it reports ERANGE. */
#define CNET__LOOKUP_BUFFER_MAX (1u << 20)

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

static cnet_err serv_lookup(const char *name, int port_net, const char *proto, cnet_servent *out,
                            const char *function)
{
    memset(out, 0, sizeof *out);
    size_t size = 1024;
    for (;;) {
        char *buf = malloc(size);
        if (buf == NULL)
            return cnet__fail(CNET_ENOMEM, function);
        struct servent se, *result = NULL;
        int rc = name != NULL ? getservbyname_r(name, proto, &se, buf, size, &result)
                              : getservbyport_r(port_net, proto, &se, buf, size, &result);
        if (rc == ERANGE && size < CNET__LOOKUP_BUFFER_MAX) {
            free(buf);
            size *= 2;
            continue;
        }
        cnet_err err;
        if (rc == 0 && result != NULL)
            err = fill_servent(result, out, function);
        else if (rc == 0 || rc == ENOENT)
            err = cnet__fail(CNET_ENOTFOUND, name != NULL ? "cnet_get_serv_by_name: service not found"
                                                          : "cnet_get_serv_by_port: service not found");
        else
            err = cnet__fail_os(cnet__err_from_errno(rc), rc, function, "services database");
        free(buf);
        return err;
    }
}

cnet_err cnet__sys_get_serv_by_name(const char *name, const char *proto, cnet_servent *out)
{
    return serv_lookup(name, 0, proto, out, "cnet_get_serv_by_name");
}

cnet_err cnet__sys_get_serv_by_port(cnet_port port, const char *proto, cnet_servent *out)
{
    return serv_lookup(NULL, (int)htons(port.value), proto, out, "cnet_get_serv_by_port");
}

static cnet_err fill_hostent(const struct hostent *he, cnet_hostent *out, const char *function)
{
    bool failed = false;
    memset(out, 0, sizeof *out);
    if (!cnet__domain_from_os(he->h_addrtype, &out->addrtype))
        return cnet__fail(CNET_EAFNOSUPPORT, function);
    out->length = he->h_length;
    out->name = cnet__strdup(he->h_name, &failed);
    out->aliases = copy_list(he->h_aliases, &failed);
    size_t n = 0;
    while (he->h_addr_list[n] != NULL)
        n++;
    out->addr_list = calloc(n + 1, sizeof *out->addr_list);
    if (out->addr_list == NULL)
        failed = true;
    for (size_t i = 0; !failed && i < n; i++) {
        char text[CNET_ADDRSTRLEN];
        if (cnet__format_ip(he->h_addrtype, he->h_addr_list[i], 0, text, sizeof text) != CNET_OK) {
            cnet_hostent_free(out);
            return cnet_last_error();
        }
        out->addr_list[i] = cnet__strdup(text, &failed);
    }
    if (failed) {
        cnet_hostent_free(out);
        return cnet__fail(CNET_ENOMEM, function);
    }
    return CNET_OK;
}

/* family 0 = by name (IPv4, then IPv6); otherwise by address. */
static cnet_err host_lookup(const char *name, const void *addr, socklen_t addrlen, int family,
                            cnet_hostent *out, const char *function)
{
    memset(out, 0, sizeof *out);
    size_t size = 2048;
    int families[2] = {AF_INET, AF_INET6};
    int attempt = 0;
    for (;;) {
        char *buf = malloc(size);
        if (buf == NULL)
            return cnet__fail(CNET_ENOMEM, function);
        struct hostent he, *result = NULL;
        int herr = 0;
        int rc = name != NULL ? gethostbyname2_r(name, families[attempt], &he, buf, size, &result, &herr)
                              : gethostbyaddr_r(addr, addrlen, family, &he, buf, size, &result, &herr);
        if (rc == ERANGE && size < CNET__LOOKUP_BUFFER_MAX) {
            free(buf);
            size *= 2;
            continue;
        }
        cnet_err err;
        if (rc == 0 && result != NULL) {
            err = fill_hostent(result, out, function);
        } else if (name != NULL && attempt == 0 && (rc == 0 || herr == HOST_NOT_FOUND || herr == NO_DATA)) {
            free(buf);
            attempt = 1;
            continue;
        } else if (herr != 0) {
            err = fail_herrno(herr, function, "host not found");
        } else {
            err = cnet__fail_os(rc ? cnet__err_from_errno(rc) : CNET_ENOTFOUND, rc, function, "hosts database");
        }
        free(buf);
        return err;
    }
}

cnet_err cnet__sys_get_host_by_name(const char *name, cnet_hostent *out)
{
    return host_lookup(name, NULL, 0, 0, out, "cnet_get_host_by_name");
}

cnet_err cnet__sys_get_host_by_addr(const char *ip, cnet_hostent *out)
{
    struct in6_addr a6;
    struct in_addr a4;
    memset(out, 0, sizeof *out);
    if (inet_pton(AF_INET, ip, &a4) == 1)
        return host_lookup(NULL, &a4, sizeof a4, AF_INET, out, "cnet_get_host_by_addr");
    if (inet_pton(AF_INET6, ip, &a6) == 1)
        return host_lookup(NULL, &a6, sizeof a6, AF_INET6, out, "cnet_get_host_by_addr");
    return cnet__fail(CNET_EINVAL, "cnet_get_host_by_addr: not an IPv4 or IPv6 address literal");
}

cnet_err cnet__sys_get_proto_by_name(const char *name, int *out)
{
    char buf[1024];
    struct protoent pe, *result = NULL;
    int rc = getprotobyname_r(name, &pe, buf, sizeof buf, &result);
    if (rc != 0 && rc != ENOENT)
        return cnet__fail_os(cnet__err_from_errno(rc), rc, "cnet_get_proto_by_name", "protocols database");
    if (result == NULL)
        return cnet__fail(CNET_ENOTFOUND, "cnet_get_proto_by_name: protocol not found");
    *out = result->p_proto;
    return CNET_OK;
}

cnet_err cnet__sys_get_hostname(char *buf, size_t size)
{
    char name[HOST_NAME_MAX + 1];
    if (gethostname(name, sizeof name) < 0)
        return fail_errno("cnet_get_hostname", "gethostname");
    name[sizeof name - 1] = '\0';
    return cnet__copy_string(name, buf, size);
}

/* ------------------------------------------------------------- addresses */

cnet_err cnet__sys_get_sock_domain(cnet_socket_handle handle, cnet_domain *out)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(handle, (struct sockaddr *)&ss, &len) < 0)
        return fail_errno("cnet_get_sock_domain", "getsockname");
    if (!cnet__domain_from_os(ss.ss_family, out))
        return cnet__fail(CNET_EAFNOSUPPORT, "cnet_get_sock_domain: unknown address family");
    return CNET_OK;
}

cnet_err cnet__sys_get_sock_name(cnet_socket_handle handle, cnet_port *out)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(handle, (struct sockaddr *)&ss, &len) < 0)
        return fail_errno("cnet_get_sock_name", "getsockname");
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
    socklen_t len = sizeof ss;
    if (getsockname(handle, (struct sockaddr *)&ss, &len) < 0)
        return fail_errno("cnet_get_local_addr", "getsockname");
    return cnet__format_sockaddr((struct sockaddr *)&ss, len, address, address_size, port);
}

cnet_err cnet__sys_get_peer_addr(cnet_socket_handle handle, char *address, size_t address_size, cnet_port *port)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getpeername(handle, (struct sockaddr *)&ss, &len) < 0)
        return fail_errno("cnet_get_peer_addr", "getpeername");
    return cnet__format_sockaddr((struct sockaddr *)&ss, len, address, address_size, port);
}

/* --------------------------------------------------------------- options */

cnet_err cnet__sys_get_sock_opt_int(cnet_socket_handle handle, int level, int optname, int *out)
{
    int value = 0;
    socklen_t len = sizeof value;
    if (getsockopt(handle, level, optname, &value, &len) < 0)
        return fail_errno("cnet_get_sock_opt_int", "getsockopt");
    *out = value;
    return CNET_OK;
}

cnet_err cnet__sys_set_sock_opt_int(cnet_socket_handle handle, int level, int optname, int value)
{
    if (setsockopt(handle, level, optname, &value, sizeof value) < 0)
        return fail_errno("cnet_set_sock_opt_int", "setsockopt");
    return CNET_OK;
}

cnet_err cnet__sys_set_linger(cnet_socket_handle handle, bool enable, int seconds)
{
    struct linger lg = {enable ? 1 : 0, seconds};
    if (setsockopt(handle, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) < 0)
        return fail_errno("cnet_socket_abort", "setsockopt(SO_LINGER)");
    return CNET_OK;
}

cnet_err cnet__sys_set_blocking(cnet_socket_handle handle, bool blocking)
{
    int flags = fcntl(handle, F_GETFL);
    if (flags < 0)
        return fail_errno("cnet_set_blocking", "fcntl(F_GETFL)");
    int wanted = blocking ? (flags & ~O_NONBLOCK) : (flags | O_NONBLOCK);
    if (wanted != flags && fcntl(handle, F_SETFL, wanted) < 0)
        return fail_errno("cnet_set_blocking", "fcntl(F_SETFL)");
    cnet__sys_blocking_changed(handle, blocking);
    return CNET_OK;
}

cnet_err cnet__sys_ioctlsocket(cnet_socket_handle handle, long cmd, unsigned long *argp)
{
    int value;
    if (cmd == CNET_FIONBIO) {
        value = *argp != 0;
        if (ioctl(handle, FIONBIO, &value) < 0)
            return fail_errno("cnet_ioctlsocket", "ioctl(FIONBIO)");
        cnet__sys_blocking_changed(handle, value == 0);
        return CNET_OK;
    }
    if (cmd == CNET_FIONREAD) {
        if (ioctl(handle, FIONREAD, &value) < 0)
            return fail_errno("cnet_ioctlsocket", "ioctl(FIONREAD)");
        *argp = (unsigned long)value;
        return CNET_OK;
    }
    return cnet__fail(CNET_ENOTSUP, "cnet_ioctlsocket: only CNET_FIONBIO and CNET_FIONREAD exist outside Windows");
}

/* ------------------------------------------------------------- readiness */

cnet_err cnet__sys_poll_handles(const cnet_socket_handle *handles, size_t count, bool write, int64_t deadline,
                                bool *ready, size_t *ready_count)
{
    const char *function = write ? "cnet_select_write" : "cnet_select_read";
    struct pollfd small[16];
    *ready_count = 0;
    if (count > (size_t)INT_MAX / sizeof(struct pollfd))
        return cnet__fail(CNET_EINVAL, "too many handles");
    struct pollfd *fds = count <= sizeof small / sizeof small[0] ? small : malloc(count * sizeof *fds);
    if (fds == NULL)
        return cnet__fail(CNET_ENOMEM, function);
    for (size_t i = 0; i < count; i++) {
        if (handles[i] < 0) {
            if (fds != small)
                free(fds);
            return cnet__fail(CNET_EBADF, "a handle in the list is not a valid socket handle");
        }
        fds[i].fd = handles[i];
        fds[i].events = write ? POLLOUT : POLLIN | POLLPRI;
        fds[i].revents = 0;
    }
    int wait = -1;
    if (deadline >= 0) {
        int64_t left = deadline - cnet__sys_now_ms();
        wait = left <= 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left;
    }
    cnet_err err = CNET_OK;
    int rc = poll(count > 0 ? fds : NULL, (nfds_t)count, wait);
    if (rc < 0 && errno != EINTR) /* interrupted: none ready, the caller waits again */
        err = fail_errno(function, "poll");
    for (size_t i = 0; i < count && err == CNET_OK; i++) {
        if (rc > 0 && (fds[i].revents & POLLNVAL))
            err = cnet__fail(CNET_EBADF, "a handle in the list is not an open socket");
        ready[i] = rc > 0 && fds[i].revents != 0;
        *ready_count += ready[i];
    }
    if (fds != small)
        free(fds);
    return err;
}
