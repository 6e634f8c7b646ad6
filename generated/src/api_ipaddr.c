/* generated from spec/errors.yaml, spec/ipaddr.yaml by codegen/templates/api.c.j2 - do not edit; regenerate with `make regen` */
/*
 * The API layer of module "ipaddr": each public function checks its
 * arguments once, as the spec declares them, then calls the backend edge
 * (cnet__sys_*) or the shared implementation (cnet__*). A proc whose spec
 * says `hold: <socket parameter>` holds that socket for the call, so that a
 * close from another thread wakes it and cannot release the descriptor
 * under it (src/net_internal.h, "holding a socket"); one that returns
 * another type than cnet_err returns its `closed_returns` value for a NULL
 * or closed socket. One that says `side: read` or `side: write` takes that
 * side of the socket for the call: a second thread on the same side gets
 * CNET_EBUSY (src/net_internal.h, "the sides of a socket"), with its
 * one-value out parameters zeroed (or set to their `on_error` value) as the
 * implementations set them on their own errors.
 */
#include "backend.h"

cnet_err cnet_parse_ip_address(const char *text, size_t len, cnet_ip_address *out)
{
    if (text == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_parse_ip_address: argument 'text' must not be NULL");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_parse_ip_address: argument 'out' must not be NULL");
    return cnet__parse_ip_address(text, len, out);
}

cnet_err cnet_parse_ip_address_scoped(const char *text, size_t len, cnet_ip_address *out, uint32_t *scope_id)
{
    if (text == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_parse_ip_address_scoped: argument 'text' must not be NULL");
    if (out == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_parse_ip_address_scoped: argument 'out' must not be NULL");
    if (scope_id == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_parse_ip_address_scoped: argument 'scope_id' must not be NULL");
    return cnet__parse_ip_address_scoped(text, len, out, scope_id);
}

cnet_err cnet_ip_address_to_string(const cnet_ip_address *address, char *buf, size_t size, size_t *len)
{
    if (address == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_ip_address_to_string: argument 'address' must not be NULL");
    if (buf == NULL)
        return cnet__fail(CNET_EINVAL, "cnet_ip_address_to_string: argument 'buf' must not be NULL");
    return cnet__ip_address_to_string(address, buf, size, len);
}
