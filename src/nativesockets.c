/*
 * The portable part of module nativesockets: ports, enum conversions and
 * the overloads that reduce to one backend call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ------------------------------------------------------------------ Port */

bool cnet_port_eq(cnet_port a, cnet_port b)
{
    return a.value == b.value;
}

cnet_err cnet__port_to_string(cnet_port port, char *buf, size_t size)
{
    char text[CNET_PORTSTRLEN];
    snprintf(text, sizeof text, "%u", (unsigned)port.value);
    return cnet__copy_string(text, buf, size);
}

cnet_err cnet__port_from_int(long value, cnet_port *out)
{
    if (value < 0 || value > 65535)
        return cnet__fail(CNET_EINVAL, "cnet_port_from_int: port out of range 0-65535");
    out->value = (uint16_t)value;
    return CNET_OK;
}

cnet_err cnet__port_parse(const char *text, cnet_port *out)
{
    unsigned long value = 0;
    size_t digits = 0;
    for (const char *p = text; *p; p++, digits++) {
        if (*p < '0' || *p > '9')
            return cnet__fail(CNET_EINVAL, "cnet_port_parse: port text may contain only the digits 0-9");
        if (digits == 5)
            return cnet__fail(CNET_EINVAL, "cnet_port_parse: port text is longer than 5 digits");
        value = value * 10 + (unsigned long)(*p - '0');
    }
    if (digits == 0)
        return cnet__fail(CNET_EINVAL, "cnet_port_parse: port text is empty");
    if (value > 65535)
        return cnet__fail(CNET_EINVAL, "cnet_port_parse: port out of range 0-65535");
    out->value = (uint16_t)value;
    return CNET_OK;
}

/* ------------------------------------------------------ enum conversions */

int cnet_domain_to_int(cnet_domain domain)
{
    return cnet__domain_is_valid(domain) ? cnet__domain_to_os(domain) : -1;
}

int cnet_sock_type_to_int(cnet_sock_type type)
{
    return cnet__sock_type_is_valid(type) ? cnet__sock_type_to_os(type) : -1;
}

int cnet_protocol_to_int(cnet_protocol protocol)
{
    return cnet__protocol_is_valid(protocol) ? cnet__protocol_to_os(protocol) : -1;
}

cnet_err cnet__to_known_domain(int family, cnet_domain *out)
{
    if (!cnet__domain_from_os(family, out))
        return cnet__fail(CNET_EAFNOSUPPORT, "cnet_to_known_domain: unknown address family");
    return CNET_OK;
}

cnet_sock_type cnet_to_sock_type(cnet_protocol protocol)
{
    switch (protocol) {
    case CNET_IPPROTO_TCP:
        return CNET_SOCK_STREAM;
    case CNET_IPPROTO_UDP:
        return CNET_SOCK_DGRAM;
    default:
        return CNET_SOCK_RAW;
    }
}

/* ------------------------------------------------------- socket creation */

cnet_err cnet__create_native_socket(cnet_domain domain, cnet_sock_type type, cnet_protocol protocol,
                                    bool inheritable, cnet_socket_handle *out)
{
    return cnet__sys_create_native_socket_int(cnet__domain_to_os(domain), cnet__sock_type_to_os(type),
                                              cnet__protocol_to_os(protocol), inheritable, out);
}

cnet_err cnet__new_raw_socket(cnet_domain domain, cnet_sock_type type, cnet_protocol protocol,
                              cnet_socket_handle *out)
{
    return cnet__create_native_socket(domain, type, protocol, false, out);
}

cnet_err cnet__new_raw_socket_int(int domain, int type, int protocol, cnet_socket_handle *out)
{
    return cnet__sys_create_native_socket_int(domain, type, protocol, false, out);
}

/* --------------------------------------------------- lookup result memory */

void cnet_free_addr_info(struct addrinfo *ai)
{
    if (ai != NULL)
        freeaddrinfo(ai);
}

static void free_string_list(char **list)
{
    if (list == NULL)
        return;
    for (char **p = list; *p; p++)
        free(*p);
    free(list);
}

void cnet_servent_free(cnet_servent *s)
{
    if (s == NULL)
        return;
    free(s->name);
    free(s->proto);
    free_string_list(s->aliases);
    memset(s, 0, sizeof *s);
}

void cnet_hostent_free(cnet_hostent *h)
{
    if (h == NULL)
        return;
    free(h->name);
    free_string_list(h->aliases);
    free_string_list(h->addr_list);
    memset(h, 0, sizeof *h);
}

/* -------------------------------------------------------------- addresses */

cnet_err cnet__make_unix_addr(const char *path, struct sockaddr_storage *out, cnet_socklen *len)
{
    return cnet__unix_sockaddr(path, out, len, "cnet_make_unix_addr");
}

cnet_err cnet__get_addr_string(const struct sockaddr *addr, cnet_socklen addrlen, char *buf, size_t size)
{
    return cnet__format_sockaddr(addr, addrlen, buf, size, NULL);
}
