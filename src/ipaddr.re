/* re2c -W -Werror -i --no-generation-date --no-version src/ipaddr.re -o generated/src/ipaddr.c */
/*
 * The IP address parser of cnet (Nim's parseIpAddress and isIpAddress).
 *
 * re2c turns the grammar below into the matching code of generated/src/
 * ipaddr.c; regenerate it with `make regen`, never edit the output.
 *
 * The text comes as a pointer and a length and is not NUL-terminated, so
 * the lexers use re2c's generic API with a bounds-checked YYPEEK: at the end
 * of the text it yields a virtual NUL, and re2c's end-of-input handling
 * (re2c:eof) tells that virtual NUL from a real one by checking the bounds.
 * No byte at or past text + len is ever read.
 *
 * Valid text takes the fast path: one pass of a lexer that matches a whole
 * IPv4 address, or one lexer pass per IPv6 group. Invalid text is examined
 * again, left to right, by the diagnose_* functions, which name the first
 * problem; that path only runs for text that is going to be rejected.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/*!re2c
    re2c:api = custom;
    re2c:api:style = free-form;
    re2c:define:YYCTYPE = "unsigned char";
    re2c:define:YYPEEK = "(cur < lim ? *cur : 0)";
    re2c:define:YYSKIP = "++cur;";
    re2c:define:YYBACKUP = "mar = cur;";
    re2c:define:YYRESTORE = "cur = mar;";
    re2c:define:YYLESSTHAN = "cur >= lim";
    re2c:define:YYSTAGP = "@@{tag} = cur;";
    re2c:define:YYSTAGN = "@@{tag} = NULL;";
    re2c:define:YYSHIFT = "cur += @@{shift};";
    re2c:define:YYSHIFTSTAG = "@@{tag} += @@{shift};";
    re2c:yyfill:enable = 0;
    re2c:eof = 0;
    re2c:tags = 1;
    re2c:indent:string = "    ";

    digit = [0-9];
    hex   = [0-9a-fA-F];
    h16   = hex{1,4};
    // One IPv4 part: 0-255 in decimal, no leading zero (RFC 6943 3.1.1).
    octet = digit | [1-9] digit | "1" digit digit | "2" [0-4] digit | "25" [0-5];
*/

/* ----------------------------------------------------------------- helpers */

/* The value of one IPv4 part the grammar has already checked ([p, e)). */
static inline unsigned octet_value(const unsigned char *p, const unsigned char *e)
{
    unsigned v = (unsigned)(p[0] - '0');
    if (e - p > 1)
        v = v * 10u + (unsigned)(p[1] - '0');
    if (e - p > 2)
        v = v * 10u + (unsigned)(p[2] - '0');
    return v;
}

/* The value of one hex digit: '0'-'9' have bit 6 clear, letters have it set. */
static inline unsigned hex_digit(unsigned c)
{
    return (c & 0xfu) + 9u * (c >> 6);
}

/* The value of 1 to 4 hex digits the grammar has already checked ([p, e)). */
static inline unsigned group_value(const unsigned char *p, const unsigned char *e)
{
    unsigned v = 0;
    for (; p < e; p++)
        v = (v << 4) | hex_digit(*p);
    return v;
}

/* Where an IPv6 address ends: the end of the text or the "%" of a zone. */
static inline bool at_address_end(const unsigned char *cur, const unsigned char *lim)
{
    return cur == lim || *cur == '%';
}

static inline bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* The code for a byte that cannot continue an address at this point. */
static cnet_err stray_byte(unsigned char c)
{
    switch (c) {
    case '[':
    case ']':
        return CNET_EADDR_BRACKET;
    case '/':
        return CNET_EADDR_PREFIX;
    case '%':
        return CNET_EADDR_ZONE;
    default:
        return CNET_EADDR_CHAR;
    }
}

/* ------------------------------------------------------------- diagnosis */

/*
 * Name the first problem of text that is not a valid IPv4 address, reading
 * from `start` (the whole text, or the dotted tail of an IPv6 address when
 * `in_ipv6` is set). Parts are checked left to right; after each part the
 * next byte decides: "." starts another part, while the end of the text,
 * ":", "%" and "/" end the address (too few parts, or a port, zone or prefix
 * after four parts). Sets *where to the byte offset from `text`.
 */
static cnet_err diagnose_ipv4(const unsigned char *text, const unsigned char *start,
                              const unsigned char *lim, bool in_ipv6, size_t *where)
{
    const unsigned char *p = start;
    int parts = 0;
    for (;;) {
        const unsigned char *part = p;
        unsigned value = 0;
        while (p < lim && is_digit(*p)) {
            if (value <= 255)
                value = value * 10u + (unsigned)(*p - '0');
            p++;
        }
        if (p == part) {
            /* No digit: an empty part, or a byte that has no business here. */
            *where = (size_t)(p - text);
            if (p == lim || *p == '.' || *p == ':' || *p == '%' || *p == '/')
                return CNET_EADDR_EMPTY_PART;
            return stray_byte(*p);
        }
        if (p - part > 1 && part[0] == '0') {
            *where = (size_t)(part - text);
            return CNET_EADDR_LEADING_ZERO;
        }
        if (value > 255) {
            *where = (size_t)(part - text);
            return CNET_EADDR_OCTET_RANGE;
        }
        parts++;
        *where = (size_t)(p - text);
        if (p == lim || (in_ipv6 && *p == '%'))
            return parts < 4 ? CNET_EADDR_TOO_FEW_PARTS : CNET_EADDR_CHAR;
        switch (*p) {
        case '.':
            if (parts == 4)
                return CNET_EADDR_TOO_MANY_PARTS;
            p++;
            continue;
        case ':':
            if (parts < 4)
                return CNET_EADDR_TOO_FEW_PARTS;
            if (!in_ipv6) {
                /* "a.b.c.d:80": a port written after the address. */
                const unsigned char *q = p + 1;
                while (q < lim && is_digit(*q))
                    q++;
                if (q == lim && q > p + 1)
                    return CNET_EADDR_PORT;
            }
            *where = (size_t)(start - text);
            return CNET_EADDR_DOTTED_MISPLACED;
        case '%':
        case '/':
            return parts < 4 ? CNET_EADDR_TOO_FEW_PARTS : stray_byte(*p);
        default:
            return stray_byte(*p);
        }
    }
}

/* ------------------------------------------------------------------ IPv6 */

/*
 * Parse IPv6 text, which starts with a run of hex digits and a ":" (the
 * caller's lexer saw that much). On success fill *out and set *zone_at to
 * the offset of a "%" that follows the address, or to len. On failure set
 * *where to the offset of the problem.
 */
static cnet_err parse_ipv6(const unsigned char *text, size_t len, cnet_ip_address *out,
                           size_t *zone_at, size_t *where)
{
    const unsigned char *cur = text, *lim = text + len, *mar = NULL, *tok;
    const unsigned char *o1, *o2, *o3, *o4;
    /*!stags:re2c format = "const unsigned char *@@ = NULL;"; separator = "\n    "; */
    unsigned groups[8];
    unsigned n = 0;                            /* groups read so far */
    unsigned gap = 8;                          /* where "::" stands; 8: none */
    const unsigned char *gap_at = NULL;
    (void)mar;

    if (cur[0] == ':') {
        /* Only "::" may start an address, and not ":::". */
        if (len < 2 || cur[1] != ':') {
            *where = 0;
            return CNET_EADDR_COLON;
        }
        gap = 0;
        gap_at = cur;
        cur += 2;
        if (at_address_end(cur, lim))
            goto done;
        if (*cur == ':') {
            *where = 2;
            return CNET_EADDR_COLON;
        }
    }

group:
    tok = cur;
    /*!local:re2c
        h16 "::" {
            if (n == 8)
                goto too_many;
            groups[n++] = group_value(tok, cur - 2);
            if (gap != 8) {
                *where = (size_t)(cur - 2 - text);
                return CNET_EADDR_DOUBLE_COLON;
            }
            gap = n;
            gap_at = cur - 2;
            if (at_address_end(cur, lim))
                goto done;
            if (*cur == ':') {
                *where = (size_t)(cur - text);
                return CNET_EADDR_COLON;
            }
            goto group;
        }
        h16 ":" {
            if (n == 8)
                goto too_many;
            groups[n++] = group_value(tok, cur - 1);
            if (at_address_end(cur, lim)) {
                *where = (size_t)(cur - 1 - text);
                return CNET_EADDR_COLON;
            }
            goto group;
        }
        h16 {
            if (n == 8)
                goto too_many;
            groups[n++] = group_value(tok, cur);
            if (at_address_end(cur, lim))
                goto done;
            if (*cur == '.')
                return diagnose_ipv4(text, tok, lim, true, where);
            *where = (size_t)(cur - text);
            return stray_byte(*cur);
        }
        @o1 octet "." @o2 octet "." @o3 octet "." @o4 octet {
            if (!at_address_end(cur, lim)) {
                if (*cur == ':') {
                    *where = (size_t)(tok - text);
                    return CNET_EADDR_DOTTED_MISPLACED;
                }
                return diagnose_ipv4(text, tok, lim, true, where);
            }
            /* The dotted part is the last 32 bits: it must follow exactly six
             * groups, or at most five when "::" stands for at least one. */
            if (gap == 8 ? n != 6 : n > 5) {
                *where = (size_t)(tok - text);
                return gap == 8 && n < 6 ? CNET_EADDR_TOO_FEW_GROUPS : CNET_EADDR_TOO_MANY_GROUPS;
            }
            groups[n++] = octet_value(o1, o2 - 1) << 8 | octet_value(o2, o3 - 1);
            groups[n++] = octet_value(o3, o4 - 1) << 8 | octet_value(o4, cur);
            goto done;
        }
        hex{5} {
            *where = (size_t)(tok - text);
            return CNET_EADDR_GROUP_TOO_LONG;
        }
        $ {
            /* Unreachable: every rule that consumes a ":" checks the end. */
            *where = len;
            return CNET_EADDR_COLON;
        }
        * {
            *where = (size_t)(tok - text);
            return stray_byte(*tok);
        }
    */

too_many:
    *where = (size_t)(tok - text);
    return CNET_EADDR_TOO_MANY_GROUPS;

done:
    if (gap == 8 && n < 8) {
        *where = (size_t)(cur - text);
        return CNET_EADDR_TOO_FEW_GROUPS;
    }
    if (gap != 8 && n == 8) {
        /* "::" must stand for at least one group. */
        *where = (size_t)(gap_at - text);
        return CNET_EADDR_TOO_MANY_GROUPS;
    }
    *zone_at = (size_t)(cur - text);
    out->family = CNET_IPV6;
    memset(out->address, 0, sizeof out->address);
    /* Groups before the gap go to the front, the others to the back. */
    unsigned tail = 8 - n;
    for (unsigned i = 0; i < n; i++) {
        unsigned slot = i < gap ? i : i + tail;
        out->address[2 * slot] = (uint8_t)(groups[i] >> 8);
        out->address[2 * slot + 1] = (uint8_t)groups[i];
    }
    return CNET_OK;
}

/* -------------------------------------------------------------- dispatch */

/*
 * Parse text as an IPv4 or IPv6 address. IPv4 is matched whole by one
 * lexer pass; text that starts with hex digits and a ":" is IPv6.
 * On success *zone_at is len, or the offset of the "%" of an IPv6 zone.
 * *out is written only on success.
 */
static cnet_err parse_text(const unsigned char *text, size_t len, cnet_ip_address *out,
                           size_t *zone_at, size_t *where)
{
    const unsigned char *cur = text, *lim = text + len, *mar = NULL;
    const unsigned char *o1, *o2, *o3, *o4;
    /*!stags:re2c format = "const unsigned char *@@ = NULL;"; separator = "\n    "; */
    (void)mar;
    /*!local:re2c
        @o1 octet "." @o2 octet "." @o3 octet "." @o4 octet {
            if (cur != lim)
                return diagnose_ipv4(text, text, lim, false, where);
            out->family = CNET_IPV4;
            memset(out->address, 0, sizeof out->address);
            out->address[0] = (uint8_t)octet_value(o1, o2 - 1);
            out->address[1] = (uint8_t)octet_value(o2, o3 - 1);
            out->address[2] = (uint8_t)octet_value(o3, o4 - 1);
            out->address[3] = (uint8_t)octet_value(o4, cur);
            *zone_at = len;
            return CNET_OK;
        }
        hex* ":" {
            return parse_ipv6(text, len, out, zone_at, where);
        }
        $ {
            *where = 0;
            return CNET_EADDR_EMPTY;
        }
        * {
            return diagnose_ipv4(text, text, lim, false, where);
        }
    */
}

/* ------------------------------------------------------------ entry points */

/* Record a parse failure with a message naming the offset and the byte. */
static cnet_err fail_at(const char *function, cnet_err err, const unsigned char *text, size_t len,
                        size_t where)
{
    char message[200];
    if (where >= len)
        snprintf(message, sizeof message, "%s: %s (at the end of the text, offset %zu)", function,
                 cnet_strerror(err), where);
    else if (text[where] >= 0x21 && text[where] <= 0x7e)
        snprintf(message, sizeof message, "%s: %s (at offset %zu: '%c')", function, cnet_strerror(err),
                 where, text[where]);
    else
        snprintf(message, sizeof message, "%s: %s (at offset %zu: byte 0x%02x)", function,
                 cnet_strerror(err), where, (unsigned)text[where]);
    return cnet__fail(err, message);
}

cnet_err cnet__parse_ip_address(const char *text, size_t len, cnet_ip_address *out)
{
    const unsigned char *s = (const unsigned char *)text;
    cnet_ip_address result;
    size_t zone_at, where;
    cnet_err err = parse_text(s, len, &result, &zone_at, &where);
    if (err != CNET_OK)
        return fail_at("cnet_parse_ip_address", err, s, len, where);
    if (zone_at != len)
        return fail_at("cnet_parse_ip_address", CNET_EADDR_ZONE, s, len, zone_at);
    *out = result;
    return CNET_OK;
}

/*
 * Read a zone (the text after "%"): a decimal scope id without leading
 * zeros, or an interface name the backend looks up.
 */
static cnet_err parse_zone(const unsigned char *text, size_t len, size_t zone_at, uint32_t *scope_id)
{
    const char *function = "cnet_parse_ip_address_scoped";
    const unsigned char *zone = text + zone_at + 1;
    size_t zone_len = len - zone_at - 1;
    if (zone_len == 0)
        return fail_at(function, CNET_EADDR_BAD_ZONE, text, len, len);

    size_t digits = 0;
    while (digits < zone_len && is_digit(zone[digits]))
        digits++;
    if (digits == zone_len) {
        uint64_t value = 0;
        if (zone_len > 1 && zone[0] == '0')
            return fail_at(function, CNET_EADDR_BAD_ZONE, text, len, zone_at + 1);
        for (size_t i = 0; i < zone_len; i++) {
            value = value * 10u + (uint64_t)(zone[i] - '0');
            if (value > UINT32_MAX)
                return fail_at(function, CNET_EADDR_BAD_ZONE, text, len, zone_at + 1);
        }
        *scope_id = (uint32_t)value;
        return CNET_OK;
    }
    for (size_t i = 0; i < zone_len; i++) {
        unsigned char c = zone[i];
        if (c < 0x21 || c > 0x7e || c == '%' || c == '/' || c == '[' || c == ']')
            return fail_at(function, CNET_EADDR_BAD_ZONE, text, len, zone_at + 1 + i);
    }
    return cnet__sys_interface_index((const char *)zone, zone_len, scope_id);
}

cnet_err cnet__parse_ip_address_scoped(const char *text, size_t len, cnet_ip_address *out,
                                       uint32_t *scope_id)
{
    const unsigned char *s = (const unsigned char *)text;
    cnet_ip_address result;
    size_t zone_at, where;
    uint32_t scope = 0;
    cnet_err err = parse_text(s, len, &result, &zone_at, &where);
    if (err != CNET_OK)
        return fail_at("cnet_parse_ip_address_scoped", err, s, len, where);
    if (zone_at != len) {
        err = parse_zone(s, len, zone_at, &scope);
        if (err != CNET_OK)
            return err;
    }
    *out = result;
    *scope_id = scope;
    return CNET_OK;
}

bool cnet_is_ip_address(const char *text, size_t len)
{
    cnet_ip_address result;
    size_t zone_at, where;
    if (text == NULL)
        return false;
    return parse_text((const unsigned char *)text, len, &result, &zone_at, &where) == CNET_OK &&
           zone_at == len;
}
