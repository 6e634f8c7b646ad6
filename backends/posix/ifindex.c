/*
 * The POSIX backend's interface-name lookup for IPv6 zones ("fe80::1%eth0").
 * Like edge.c it reads errno and translates it on the spot.
 */
#include <errno.h>
#include <net/if.h>
#include <string.h>

#include "internal.h"

cnet_err cnet__sys_interface_index(const char *name, size_t len, uint32_t *out)
{
    static const char function[] = "cnet_parse_ip_address_scoped";
    char copy[IF_NAMESIZE];
    if (len == 0 || len >= sizeof copy)
        return cnet__fail(CNET_EADDR_UNKNOWN_ZONE,
                          "cnet_parse_ip_address_scoped: no network interface has a name of this length");
    memcpy(copy, name, len);
    copy[len] = '\0';

    errno = 0;
    unsigned index = if_nametoindex(copy);
    if (index != 0) {
        *out = (uint32_t)index;
        return CNET_OK;
    }
    int e = errno;
    /* glibc reports an unknown name as ENODEV, others as ENXIO or not at all. */
    if (e == 0 || e == ENODEV || e == ENXIO)
        return cnet__fail_os(CNET_EADDR_UNKNOWN_ZONE, e, function, "if_nametoindex");
    cnet_err err = cnet__err_from_errno(e);
    if (err != CNET_EMFILE && err != CNET_ENOMEM && err != CNET_ENOBUFS)
        err = CNET_EOS;
    return cnet__fail_os(err, e, function, "if_nametoindex");
}
