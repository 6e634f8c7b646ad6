/*
 * Addresses: text to socket addresses (strict literals first, the resolver
 * for names) and socket addresses to IpAddress and back.
 */
#include <stdio.h>
#include <string.h>

#include "net_internal.h"

static bool all_digits(const char *p, const char *end)
{
    if (p == end)
        return false;
    for (; p < end; p++)
        if (*p < '0' || *p > '9')
            return false;
    return true;
}

static bool is_hex_number(const char *p, const char *end)
{
    if (end - p < 3 || p[0] != '0' || (p[1] != 'x' && p[1] != 'X'))
        return false;
    for (p += 2; p < end; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F')))
            return false;
    return true;
}

/*
 * Text that the system resolver would read as a number ("127.1",
 * "0x7f.0.0.1", "0177.0.0.1", "2130706433") or anything with a colon: it
 * must be a strict address literal, never handed to name resolution. Host
 * names never end in an all-numeric label (RFC 3696 section 2).
 */
static bool numeric_looking(const char *text, size_t n)
{
    if (memchr(text, ':', n) != NULL)
        return true;
    const char *end = text + n;
    if (n > 0 && end[-1] == '.')
        end--; /* a trailing root dot */
    const char *label = end;
    while (label > text && label[-1] != '.')
        label--;
    return all_digits(label, end) || is_hex_number(label, end);
}

static cnet__addr_list *list_alloc(size_t count)
{
    cnet__addr_list *l = calloc(1, sizeof *l + count * sizeof l->item[0]);
    if (l == NULL)
        cnet__fail(CNET_ENOMEM, "address resolution: out of memory");
    return l;
}

cnet_err cnet__ip_to_sockaddr(const cnet_ip_address *ip, cnet_port port, uint32_t scope, cnet_domain domain,
                              struct sockaddr_storage *ss, cnet_socklen *len)
{
    cnet_ip_address mapped;
    if (ip->family == CNET_IPV4 && domain == CNET_AF_INET6) {
        /* A dual-stack socket reaches IPv4 through ::ffff:a.b.c.d. */
        memset(&mapped, 0, sizeof mapped);
        mapped.family = CNET_IPV6;
        mapped.address[10] = mapped.address[11] = 0xff;
        memcpy(mapped.address + 12, ip->address, 4);
        ip = &mapped;
    } else if (ip->family == CNET_IPV6 && domain == CNET_AF_INET) {
        return cnet__fail(CNET_EAFNOSUPPORT, "an IPv6 address cannot be used with an AF_INET socket");
    }
    return cnet__to_sock_addr(ip, port, scope, ss, len);
}

cnet_err cnet__resolve(const char *address, cnet_port port, cnet_domain domain, cnet_sock_type type,
                       cnet_protocol protocol, bool passive, cnet__addr_list **out, const char *function)
{
    *out = NULL;
    cnet_ip_address ip;
    uint32_t scope = 0;
    size_t n = address ? strlen(address) : 0;
    if (n == 0) {
        if (!passive)
            return cnet__fail(CNET_EINVAL, "an empty address names no host");
        ip = domain == CNET_AF_INET6 ? cnet_ipv6_any() : cnet_ipv4_any();
    } else {
        cnet_err perr = cnet_parse_ip_address_scoped(address, n, &ip, &scope);
        if (perr != CNET_OK) {
            if (numeric_looking(address, n)) {
                char msg[200];
                snprintf(msg, sizeof msg, "%s: \"%.64s\" is not a valid address literal: %s", function, address,
                         cnet_strerror(perr));
                return cnet__fail(perr, msg);
            }
            struct addrinfo *ai = NULL;
            cnet_err err = cnet_get_addr_info(address, port, domain, type, protocol, &ai);
            if (err != CNET_OK)
                return err;
            size_t count = 0;
            for (struct addrinfo *p = ai; p; p = p->ai_next)
                count++;
            cnet__addr_list *l = list_alloc(count);
            if (l == NULL) {
                cnet_free_addr_info(ai);
                return CNET_ENOMEM;
            }
            for (struct addrinfo *p = ai; p; p = p->ai_next) {
                if ((size_t)p->ai_addrlen > sizeof l->item[0].ss)
                    continue;
                memcpy(&l->item[l->count].ss, p->ai_addr, p->ai_addrlen);
                l->item[l->count].len = (cnet_socklen)p->ai_addrlen;
                l->count++;
            }
            cnet_free_addr_info(ai);
            *out = l;
            return CNET_OK;
        }
    }
    cnet__addr_list *l = list_alloc(1);
    if (l == NULL)
        return CNET_ENOMEM;
    cnet_domain d = domain != CNET_AF_UNSPEC ? domain : ip.family == CNET_IPV4 ? CNET_AF_INET : CNET_AF_INET6;
    cnet_err err = cnet__ip_to_sockaddr(&ip, port, scope, d, &l->item[0].ss, &l->item[0].len);
    if (err != CNET_OK) {
        free(l);
        return err;
    }
    l->count = 1;
    *out = l;
    return CNET_OK;
}


cnet_err cnet__to_sock_addr(const cnet_ip_address *address, cnet_port port, uint32_t scope_id,
                            struct sockaddr_storage *out, cnet_socklen *len)
{
    memset(out, 0, sizeof *out);
    if (address->family == CNET_IPV4) {
        struct sockaddr_in sin;
        memset(&sin, 0, sizeof sin);
        sin.sin_family = AF_INET;
        sin.sin_port = cnet_htons(port.value);
        memcpy(&sin.sin_addr, address->address, 4);
        memcpy(out, &sin, sizeof sin);
        *len = (cnet_socklen)sizeof sin;
        return CNET_OK;
    }
    if (address->family == CNET_IPV6) {
        struct sockaddr_in6 sin6;
        memset(&sin6, 0, sizeof sin6);
        sin6.sin6_family = AF_INET6;
        sin6.sin6_port = cnet_htons(port.value);
        sin6.sin6_scope_id = scope_id;
        memcpy(&sin6.sin6_addr, address->address, 16);
        memcpy(out, &sin6, sizeof sin6);
        *len = (cnet_socklen)sizeof sin6;
        return CNET_OK;
    }
    return cnet__fail(CNET_EINVAL, "cnet_to_sock_addr: the address family is neither IPv4 nor IPv6");
}

cnet_err cnet__from_sock_addr(const struct sockaddr *sa, cnet_socklen len, cnet_ip_address *address,
                              cnet_port *port, uint32_t *scope_id)
{
    memset(address, 0, sizeof *address);
    if (len >= (cnet_socklen)sizeof(struct sockaddr_in) && sa->sa_family == AF_INET) {
        struct sockaddr_in sin;
        memcpy(&sin, sa, sizeof sin);
        address->family = CNET_IPV4;
        memcpy(address->address, &sin.sin_addr, 4);
        if (port)
            port->value = cnet_ntohs(sin.sin_port);
        if (scope_id)
            *scope_id = 0;
        return CNET_OK;
    }
    if (len >= (cnet_socklen)sizeof(struct sockaddr_in6) && sa->sa_family == AF_INET6) {
        struct sockaddr_in6 sin6;
        memcpy(&sin6, sa, sizeof sin6);
        address->family = CNET_IPV6;
        memcpy(address->address, &sin6.sin6_addr, 16);
        if (port)
            port->value = cnet_ntohs(sin6.sin6_port);
        if (scope_id)
            *scope_id = (uint32_t)sin6.sin6_scope_id;
        return CNET_OK;
    }
    if (len < (cnet_socklen)sizeof(sa->sa_family))
        return cnet__fail(CNET_EINVAL, "cnet_from_sock_addr: the socket address is too short");
    return cnet__fail(sa->sa_family == AF_INET || sa->sa_family == AF_INET6 ? CNET_EINVAL : CNET_EAFNOSUPPORT,
                      "cnet_from_sock_addr: not a complete IPv4 or IPv6 socket address");
}

cnet_err cnet__get_primary_ip_addr(const cnet_ip_address *dest, cnet_ip_address *out)
{
    cnet_domain domain = dest->family == CNET_IPV4 ? CNET_AF_INET : CNET_AF_INET6;
    cnet_socket_handle fd;
    cnet_err err = cnet_create_native_socket(domain, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, false, &fd);
    if (err != CNET_OK)
        return err;
    struct sockaddr_storage ss;
    cnet_socklen len = 0;
    err = cnet__to_sock_addr(dest, CNET_PORT(80), 0, &ss, &len);
    if (err == CNET_OK)
        err = cnet__sys_connect(fd, (struct sockaddr *)&ss, len, -1); /* UDP: sends nothing */
    if (err == CNET_OK) {
        char text[CNET_ADDRSTRLEN];
        err = cnet_get_local_addr(fd, text, sizeof text, NULL);
        if (err == CNET_OK) {
            uint32_t scope;
            err = cnet_parse_ip_address_scoped(text, strlen(text), out, &scope);
        }
    }
    cnet__sys_close(fd);
    return err;
}
