/*
 * The winsock backend's interface-name lookup for IPv6 zones ("fe80::1%eth0"),
 * through if_nametoindex of the IP Helper API (iphlpapi). It reports no error
 * code: an unknown name gives CNET_EADDR_UNKNOWN_ZONE.
 */
#include <string.h>

#include "internal.h"

#include <iphlpapi.h>
#include <netioapi.h>

cnet_err cnet__sys_interface_index(const char *name, size_t len, uint32_t *out)
{
    static const char function[] = "cnet_parse_ip_address_scoped";
    char copy[IF_MAX_STRING_SIZE + 1];
    if (len == 0 || len >= sizeof copy)
        return cnet__fail(CNET_EADDR_UNKNOWN_ZONE,
                          "cnet_parse_ip_address_scoped: no network interface has a name of this length");
    memcpy(copy, name, len);
    copy[len] = '\0';
    unsigned long index = if_nametoindex(copy);
    if (index != 0) {
        *out = (uint32_t)index;
        return CNET_OK;
    }
    return cnet__fail_os(CNET_EADDR_UNKNOWN_ZONE, 0, function, "if_nametoindex");
}
