/* Text forms of socket addresses, the same everywhere in cnet. */
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

cnet_err cnet__copy_string(const char *text, char *buf, size_t size)
{
    size_t len = strlen(text);
    if (len >= size) {
        if (size > 0)
            buf[0] = '\0';
        return cnet__fail(CNET_ERANGE, "the result does not fit in the caller's buffer");
    }
    memcpy(buf, text, len + 1);
    return CNET_OK;
}

char *cnet__strdup(const char *text, bool *failed)
{
    if (text == NULL)
        return NULL;
    size_t len = strlen(text) + 1;
    char *copy = malloc(len);
    if (copy == NULL) {
        *failed = true;
        return NULL;
    }
    memcpy(copy, text, len);
    return copy;
}

cnet_err cnet__format_ip(int os_family, const void *bytes, uint32_t scope_id, char *buf, size_t size)
{
    /* The same RFC 5952 formatter as cnet_ip_address_to_string, so every
     * address text cnet writes looks the same. */
    cnet_ip_address address;
    char text[CNET_IP_ADDRESS_STRLEN];
    size_t len;
    memset(&address, 0, sizeof address);
    if (os_family == AF_INET) {
        address.family = CNET_IPV4;
        memcpy(address.address, bytes, 4);
    } else if (os_family == AF_INET6) {
        address.family = CNET_IPV6;
        memcpy(address.address, bytes, 16);
    } else {
        return cnet__fail(CNET_EAFNOSUPPORT, "only IPv4 and IPv6 addresses have an IP text form");
    }
    cnet_err err = cnet__ip_address_to_string(&address, text, sizeof text, &len);
    if (err != CNET_OK)
        return err;
    if (os_family == AF_INET6 && scope_id != 0) {
        /* "%" and the scope id in decimal, written backwards then reversed. */
        char digits[10];
        size_t n = 0;
        do {
            digits[n++] = (char)('0' + scope_id % 10u);
            scope_id /= 10u;
        } while (scope_id != 0);
        text[len++] = '%';
        while (n > 0)
            text[len++] = digits[--n];
        text[len] = '\0';
    }
    if (len >= size) {
        if (size > 0)
            buf[0] = '\0';
        return cnet__fail(CNET_ERANGE, "the result does not fit in the caller's buffer");
    }
    memcpy(buf, text, len + 1);
    return CNET_OK;
}

cnet_err cnet__unix_sockaddr(const char *path, struct sockaddr_storage *out, cnet_socklen *len, const char *function)
{
    memset(out, 0, sizeof *out);
    *len = 0;
#ifdef CNET__HAVE_UNIX
    struct sockaddr_un sun;
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof sun.sun_path) {
        char msg[128];
        snprintf(msg, sizeof msg, "%s: the path must have 1 to %zu bytes, not %zu", function, sizeof sun.sun_path - 1,
                 n);
        return cnet__fail(n == 0 ? CNET_EINVAL : CNET_ENAMETOOLONG, msg);
    }
    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    memcpy(sun.sun_path, path, n);
    memcpy(out, &sun, sizeof sun);
    *len = (cnet_socklen)(offsetof(struct sockaddr_un, sun_path) + n + 1);
    return CNET_OK;
#else
    (void)path;
    char msg[128];
    snprintf(msg, sizeof msg, "%s: no AF_UNIX on this platform", function);
    return cnet__fail(CNET_ENOTSUP, msg);
#endif
}

cnet_err cnet__format_sockaddr(const struct sockaddr *addr, cnet_socklen len,
                               char *buf, size_t size, cnet_port *port)
{
    if (port != NULL)
        port->value = 0;
    if ((size_t)len < sizeof addr->sa_family)
        return cnet__fail(CNET_EINVAL, "the socket address is shorter than its family field");
    switch (addr->sa_family) {
    case AF_INET: {
        struct sockaddr_in sin;
        if ((size_t)len < sizeof sin)
            return cnet__fail(CNET_EINVAL, "the AF_INET socket address is too short");
        memcpy(&sin, addr, sizeof sin);
        if (port != NULL)
            port->value = cnet_ntohs(sin.sin_port);
        return cnet__format_ip(AF_INET, &sin.sin_addr, 0, buf, size);
    }
    case AF_INET6: {
        struct sockaddr_in6 sin6;
        if ((size_t)len < sizeof sin6)
            return cnet__fail(CNET_EINVAL, "the AF_INET6 socket address is too short");
        memcpy(&sin6, addr, sizeof sin6);
        if (port != NULL)
            port->value = cnet_ntohs(sin6.sin6_port);
        return cnet__format_ip(AF_INET6, &sin6.sin6_addr, (uint32_t)sin6.sin6_scope_id, buf, size);
    }
#ifdef CNET__HAVE_UNIX
    case AF_UNIX: {
        struct sockaddr_un sun;
        size_t path_offset = offsetof(struct sockaddr_un, sun_path);
        if ((size_t)len <= path_offset)
            return cnet__copy_string("unix", buf, size);
        size_t path_len = (size_t)len - path_offset;
        if (path_len > sizeof sun.sun_path)
            path_len = sizeof sun.sun_path;
        memcpy(&sun, addr, path_offset + path_len);
        if (sun.sun_path[0] == '\0')
            return cnet__copy_string("unix", buf, size); /* unnamed or abstract */
        char path[sizeof sun.sun_path + 1];
        memcpy(path, sun.sun_path, path_len);
        path[path_len] = '\0';
        return cnet__copy_string(path, buf, size);
    }
#endif
    default:
        return cnet__fail(CNET_EAFNOSUPPORT, "the socket address has an unsupported family");
    }
}
