/*
 * IP addresses as values: the RFC 5952 formatter (Nim's `$`), comparison and
 * the well-known addresses. The parser is in src/ipaddr.re.
 *
 * The formatter writes digits without snprintf (IPv4 parts with the
 * branch-free stores of src/ipv4_fast.c): it runs for every address text
 * cnet produces, including the ones cnet_get_addr_string and
 * cnet_get_peer_addr return.
 */
#include <string.h>

#include "internal.h"
#include "ipv4_fast.h"

/* The longest text: eight groups of four hex digits and seven colons. */
#define LONGEST_TEXT 39

static const char hex_digits[17] = "0123456789abcdef";

/* A dotted quad: src/ipv4_fast.c, which stores up to 16 bytes at p (every
 * caller below has room for them) and needs no branch on the values. */
static inline char *put_ipv4(char *p, const uint8_t *b)
{
    return cnet__ipv4_fast_format(p, b);
}

/* Write one group in lowercase hex without leading zeros (RFC 5952 4.1, 4.3). */
static inline char *put_group(char *p, unsigned g)
{
    if (g >= 0x1000)
        *p++ = hex_digits[g >> 12];
    if (g >= 0x100)
        *p++ = hex_digits[(g >> 8) & 0xf];
    if (g >= 0x10)
        *p++ = hex_digits[(g >> 4) & 0xf];
    *p++ = hex_digits[g & 0xf];
    return p;
}

static inline unsigned lowest_bit(unsigned mask)
{
#if defined(__GNUC__) || defined(__clang__)
    return (unsigned)__builtin_ctz(mask);
#else
    unsigned i = 0;
    while (!(mask & 1u)) {
        mask >>= 1;
        i++;
    }
    return i;
#endif
}

static char *put_ipv6(char *p, const uint8_t *b)
{
    unsigned g[8];
    unsigned zero = 0; /* bit i set: group i is zero */
    for (unsigned i = 0; i < 8; i++) {
        g[i] = (unsigned)b[2 * i] << 8 | b[2 * i + 1];
        if (g[i] == 0)
            zero |= 1u << i;
    }

    /* IPv4-mapped (::ffff:0:0/96) ends in dotted decimal (RFC 5952 5). */
    if ((zero & 0x3fu) == 0x1fu && g[5] == 0xffff) {
        memcpy(p, "::ffff:", 7);
        return put_ipv4(p + 7, b + 12);
    }

    /*
     * The longest run of zero groups: after k steps of run &= run >> 1,
     * bit i of run is set when groups i..i+k are all zero. The last
     * non-empty mask holds the starts of the longest runs; its lowest bit is
     * the leftmost one (RFC 5952 4.2.3).
     */
    unsigned run = zero, starts = 0, length = 0;
    while (run) {
        starts = run;
        run &= run >> 1;
        length++;
    }
    if (length < 2) {
        /* No run of two or more: a single zero group stays "0" (4.2.2). */
        for (unsigned i = 0; i < 7; i++) {
            p = put_group(p, g[i]);
            *p++ = ':';
        }
        return put_group(p, g[7]);
    }
    unsigned start = lowest_bit(starts), end = start + length;
    for (unsigned i = 0; i < start; i++) {
        p = put_group(p, g[i]);
        *p++ = ':';
    }
    if (start == 0)
        *p++ = ':';
    *p++ = ':';
    for (unsigned i = end; i < 8; i++) {
        p = put_group(p, g[i]);
        if (i < 7)
            *p++ = ':';
    }
    return p;
}

cnet_err cnet__ip_address_to_string(const cnet_ip_address *address, char *buf, size_t size, size_t *len)
{
    char text[LONGEST_TEXT + 1];
    /* Write straight into buf when it holds any text; else measure first. */
    char *start = size > LONGEST_TEXT ? buf : text, *end;
    switch (address->family) {
    case CNET_IPV4:
        end = put_ipv4(start, address->address);
        break;
    case CNET_IPV6:
        end = put_ipv6(start, address->address);
        break;
    default:
        return cnet__fail(CNET_EINVAL, "cnet_ip_address_to_string: address->family is neither CNET_IPV4 "
                                       "nor CNET_IPV6");
    }
    size_t n = (size_t)(end - start);
    if (len != NULL)
        *len = n;
    if (start == text) {
        if (n >= size) {
            if (size > 0)
                buf[0] = '\0';
            return cnet__fail(CNET_ERANGE, "cnet_ip_address_to_string: the buffer is too small for the "
                                           "address text");
        }
        memcpy(buf, text, n);
    }
    buf[n] = '\0';
    return CNET_OK;
}

bool cnet_ip_address_eq(const cnet_ip_address *a, const cnet_ip_address *b)
{
    if (a == NULL || b == NULL || a->family != b->family)
        return false;
    return memcmp(a->address, b->address, a->family == CNET_IPV4 ? 4 : sizeof a->address) == 0;
}

cnet_ip_address cnet_ipv4_any(void)
{
    cnet_ip_address a = {CNET_IPV4, {0}};
    return a;
}

cnet_ip_address cnet_ipv4_loopback(void)
{
    cnet_ip_address a = {CNET_IPV4, {127, 0, 0, 1}};
    return a;
}

cnet_ip_address cnet_ipv4_broadcast(void)
{
    cnet_ip_address a = {CNET_IPV4, {255, 255, 255, 255}};
    return a;
}

cnet_ip_address cnet_ipv6_any(void)
{
    cnet_ip_address a = {CNET_IPV6, {0}};
    return a;
}

cnet_ip_address cnet_ipv6_loopback(void)
{
    cnet_ip_address a = {CNET_IPV6, {[15] = 1}};
    return a;
}
