/* re2c -W -Werror -i --no-generation-date --no-version src/ipaddr.re -o generated/src/ipaddr.c */
/*
 * The IP address parser of cnet (Nim's parseIpAddress and isIpAddress).
 *
 * re2c turns the grammar below into the matching code of generated/src/
 * ipaddr.c; regenerate it with `make regen`, never edit the output.
 *
 * The text comes as a pointer and a length and need not end in a NUL. The
 * lexers run on a small private copy of it (the "window", below) that ends
 * in a NUL sentinel, so they need no bounds checks, and the caller's bytes
 * at or past text + len are never read.
 *
 * Valid text takes the fast path: one lexer pass matches a whole IPv4
 * address, or one short pass per IPv6 group. The grammar is shaped for
 * branch prediction: IPv4 parts are digit{1,3} with the range and the
 * leading-zero rule checked arithmetically afterwards, and IPv6 groups are
 * hex+ (a loop, which re2c compiles to one table test per byte) with their
 * length checked afterwards; the values are computed without branches.
 * Invalid text is examined again, left to right, by diagnose_ipv4 and the
 * error actions, which name the first problem and its offset; that slower
 * path runs only for text that is being rejected.
 *
 * In front of all that, every entry point first offers the text to the
 * IPv4 fast path of src/ipv4_fast.c, which accepts a whole dotted quad (or
 * the dotted tail of an IPv6 address) without the window copy and without
 * the lexer's byte-by-byte branches; it only ever accepts what the grammar
 * below accepts, so anything it passes on is decided here, errors included.
 * The *_re2c entry points at the end skip it, for the differential tests.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "ipv4_fast.h"

/*
 * The window: up to WINDOW bytes of the text, then a NUL sentinel, with PAD
 * bytes of '0' in front. The sentinel is re2c's classic end-of-input method
 * (no rule reads past a NUL), and the padding lets the conversions read the
 * three or four bytes before the end of any token without a length branch.
 * A NUL counts as the end of the text only where the copy ends, so a NUL
 * byte inside the text is still rejected. Text longer than the window is
 * judged correctly too: every decision of the lexers falls within the first
 * 60 bytes (after eight groups or a dotted tail, at most 45 bytes in, the
 * address must end), a run of hex digits that the window cuts short is too
 * long for a group anyway, and every diagnosis reads the caller's text
 * itself, bounded by len.
 */
#define PAD 4
#define WINDOW 64

/*!re2c
    re2c:api = custom;
    re2c:api:style = free-form;
    re2c:define:YYCTYPE = "unsigned char";
    re2c:define:YYPEEK = "*cur";
    re2c:define:YYSKIP = "++cur;";
    re2c:define:YYBACKUP = "mar = cur;";
    re2c:define:YYRESTORE = "cur = mar;";
    re2c:define:YYSTAGP = "@@{tag} = cur;";
    re2c:define:YYSTAGN = "@@{tag} = NULL;";
    re2c:define:YYSHIFT = "cur += @@{shift};";
    re2c:define:YYSHIFTSTAG = "@@{tag} += @@{shift};";
    re2c:yyfill:enable = 0;
    re2c:tags = 1;
    re2c:indent:string = "    ";
    re2c:bit-vectors = 1;

    digit = [0-9];
    hex   = [0-9a-fA-F];
    h16   = hex{1,4};
    end   = "\x00";
*/

/* ----------------------------------------------------------------- helpers */

/* The conversions must be inlined into the lexer actions to stay cheap. */
#if defined(__GNUC__) || defined(__clang__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#define NOINLINE __attribute__((noinline))
#else
#define ALWAYS_INLINE inline
#define NOINLINE
#endif

/* The value of a hex digit: '0'-'9' have bit 6 clear, letters have it set.
 * Any other byte gives a value the callers mask away. */
static ALWAYS_INLINE unsigned hex_digit(unsigned c)
{
    return (c & 0xfu) + 9u * (c >> 6);
}

/* All ones when cond holds, else zero. */
static ALWAYS_INLINE unsigned mask_if(bool cond)
{
    return 0u - (unsigned)cond;
}

/* The value of the 1-3 decimal digits that end just before e. */
static ALWAYS_INLINE unsigned decimal_before(const unsigned char *e, size_t digits)
{
    return (unsigned)(e[-1] - '0') + (mask_if(digits >= 2) & 10u * (unsigned)(e[-2] - '0')) +
           (mask_if(digits >= 3) & 100u * (unsigned)(e[-3] - '0'));
}

/* The value of the 1-4 hex digits that end just before e. */
static ALWAYS_INLINE unsigned group_before(const unsigned char *e, size_t digits)
{
    return hex_digit(e[-1]) | (mask_if(digits >= 2) & hex_digit(e[-2]) << 4) |
           (mask_if(digits >= 3) & hex_digit(e[-3]) << 8) | (mask_if(digits >= 4) & hex_digit(e[-4]) << 12);
}

static inline bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static inline bool is_hex(unsigned char c)
{
    return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
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

/* A lexer's view of the text: the window copy and where the text ends in it
 * (NULL when the text is longer than the window). */
struct view {
    const unsigned char *text; /* the caller's text */
    size_t len;
    const unsigned char *w;    /* the copy of text[0] */
    const unsigned char *end;  /* the copy of text[len], or NULL */
    bool fast;                 /* try the IPv4 fast path on a dotted tail */
};

/* Where an IPv6 address ends: the end of the text or the "%" of a zone. */
static inline bool at_address_end(const struct view *v, const unsigned char *cur)
{
    return *cur == '%' || (*cur == 0 && cur == v->end);
}

/* The value of `gap` while no "::" has been read (any value above 8 works). */
#define NO_GAP 9u

static inline size_t offset_of(const struct view *v, const unsigned char *p)
{
    return (size_t)(p - v->w);
}

/*
 * Parse IPv6 text, which starts with at most four hex digits and a ":" (the
 * caller's lexer saw that much). On success fill *out and set *zone_at to
 * the offset of a "%" that follows the address, or to len. On failure set
 * *where to the offset of the problem.
 */
static NOINLINE cnet_err parse_ipv6(const struct view *v, cnet_ip_address *out, bool allow_zone,
                                    size_t *zone_at, size_t *where)
{
    const unsigned char *cur = v->w, *mar = NULL, *tok;
    const unsigned char *o1, *o2, *o3, *o4;
    /*!stags:re2c format = "const unsigned char *@@ = NULL;"; separator = "\n    "; */
    unsigned groups[8];
    unsigned n = 0;                            /* groups read so far */
    unsigned gap = NO_GAP;                     /* where "::" stands */
    const unsigned char *gap_at = NULL;
    (void)mar;

    if (cur[0] == ':') {
        /* Only "::" may start an address, and not ":::". */
        if (cur[1] != ':') {
            *where = 0;
            return CNET_EADDR_COLON;
        }
        gap = 0;
        gap_at = cur;
        cur += 2;
        if (at_address_end(v, cur))
            goto done;
        if (*cur == ':') {
            *where = 2;
            return CNET_EADDR_COLON;
        }
    }

group:
    tok = cur;
    /* Groups match as hex+ (a loop, which re2c turns into one table test per
     * byte instead of a digit-or-letter branch) and the action checks that
     * there are at most four digits. */
    /*!local:re2c
        hex+ "::" {
            if (cur - 2 - tok > 4)
                goto too_long;
            if (n == 8)
                goto too_many;
            groups[n++] = group_before(cur - 2, (size_t)(cur - 2 - tok));
            if (gap != NO_GAP) {
                *where = offset_of(v, cur - 2);
                return CNET_EADDR_DOUBLE_COLON;
            }
            gap = n;
            gap_at = cur - 2;
            if (at_address_end(v, cur))
                goto done;
            if (*cur == ':') {
                *where = offset_of(v, cur);
                return CNET_EADDR_COLON;
            }
            goto group;
        }
        hex+ ":" {
            if (cur - 1 - tok > 4)
                goto too_long;
            if (n == 8)
                goto too_many;
            groups[n++] = group_before(cur - 1, (size_t)(cur - 1 - tok));
            if (at_address_end(v, cur)) {
                *where = offset_of(v, cur - 1);
                return CNET_EADDR_COLON;
            }
            goto group;
        }
        hex+ {
            if (cur - tok > 4) {
                if (*cur == '.')
                    goto dotted_at_tok;
                goto too_long;
            }
            if (n == 8)
                goto too_many;
            groups[n++] = group_before(cur, (size_t)(cur - tok));
            if (at_address_end(v, cur))
                goto done;
            if (*cur == '.') {
                /* Not a group: the dotted IPv4 tail starts at tok. */
                n--;
                cur = tok;
                goto dotted;
            }
            *where = offset_of(v, cur);
            return stray_byte(*cur);
        }
        * {
            /* A ":" here is impossible (the rules above consume "::"), and
             * the end of the text was checked after the last ":". */
            *where = offset_of(v, tok);
            return stray_byte(*tok);
        }
    */

dotted:
    if (v->fast && v->end != NULL) {
        /* A dotted quad that runs to the end of the text (a zone after it
         * is left to the lexer): only the group count is left to check,
         * as below. */
        uint8_t q[4];
        if (cnet__ipv4_fast_parse((const char *)tok, (size_t)(v->end - tok), q)) {
            if (gap == NO_GAP ? n != 6 : n > 5) {
                *where = offset_of(v, tok);
                return gap == NO_GAP && n < 6 ? CNET_EADDR_TOO_FEW_GROUPS : CNET_EADDR_TOO_MANY_GROUPS;
            }
            groups[n++] = (unsigned)q[0] << 8 | q[1];
            groups[n++] = (unsigned)q[2] << 8 | q[3];
            cur = v->end;
            goto done;
        }
    }
    /* The same arithmetic checks as the whole-address IPv4 rule. */
    /*!local:re2c
        @o1 digit{1,3} "." @o2 digit{1,3} "." @o3 digit{1,3} "." @o4 digit{1,3} {
            size_t n1 = (size_t)(o2 - 1 - o1), n2 = (size_t)(o3 - 1 - o2);
            size_t n3 = (size_t)(o4 - 1 - o3), n4 = (size_t)(cur - o4);
            unsigned a = decimal_before(o2 - 1, n1), b = decimal_before(o3 - 1, n2);
            unsigned c = decimal_before(o4 - 1, n3), d = decimal_before(cur, n4);
            bool leading_zero = ((n1 > 1) & (o1[0] == '0')) | ((n2 > 1) & (o2[0] == '0')) |
                                ((n3 > 1) & (o3[0] == '0')) | ((n4 > 1) & (o4[0] == '0'));
            if (((a | b | c | d) > 255) | leading_zero)
                return diagnose_ipv4(v->text, v->text + offset_of(v, tok), v->text + v->len, true, where);
            if (!at_address_end(v, cur)) {
                if (*cur == ':') {
                    *where = offset_of(v, tok);
                    return CNET_EADDR_DOTTED_MISPLACED;
                }
                return diagnose_ipv4(v->text, v->text + offset_of(v, tok), v->text + v->len, true, where);
            }
            /* The dotted part is the last 32 bits: it must follow exactly six
             * groups, or at most five when "::" stands for at least one. */
            if (gap == NO_GAP ? n != 6 : n > 5) {
                *where = offset_of(v, tok);
                return gap == NO_GAP && n < 6 ? CNET_EADDR_TOO_FEW_GROUPS : CNET_EADDR_TOO_MANY_GROUPS;
            }
            groups[n++] = a << 8 | b;
            groups[n++] = c << 8 | d;
            goto done;
        }
        * {
            return diagnose_ipv4(v->text, v->text + offset_of(v, tok), v->text + v->len, true, where);
        }
    */

too_many:
    *where = offset_of(v, tok);
    return CNET_EADDR_TOO_MANY_GROUPS;

too_long:
    *where = offset_of(v, tok);
    return CNET_EADDR_GROUP_TOO_LONG;

dotted_at_tok:
    /* Five or more digits before a ".": report it as the IPv4 part it is. */
    return diagnose_ipv4(v->text, v->text + offset_of(v, tok), v->text + v->len, true, where);

done:
    if (gap == NO_GAP && n < 8) {
        *where = offset_of(v, cur);
        return CNET_EADDR_TOO_FEW_GROUPS;
    }
    if (gap != NO_GAP && n == 8) {
        /* "::" must stand for at least one group. */
        *where = offset_of(v, gap_at);
        return CNET_EADDR_TOO_MANY_GROUPS;
    }
    if (*cur == '%' && !allow_zone) {
        *where = offset_of(v, cur);
        return CNET_EADDR_ZONE;
    }
    *zone_at = offset_of(v, cur);
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
 * Text that starts with five or more hex digits: IPv6 with an overlong group
 * when the run ends in ":", else (probably) IPv4 with a bad part.
 */
static cnet_err long_hex_run(const struct view *v, size_t *where)
{
    size_t i = 0;
    while (i < v->len && is_hex(v->text[i]))
        i++;
    if (i < v->len && v->text[i] == ':') {
        *where = 0;
        return CNET_EADDR_GROUP_TOO_LONG;
    }
    return diagnose_ipv4(v->text, v->text, v->text + v->len, false, where);
}

/*
 * Parse text as an IPv4 or IPv6 address. IPv4 is matched whole by one
 * lexer pass; text that starts with hex digits and a ":" is IPv6. An IPv6
 * zone is accepted only when allow_zone is set; then *zone_at is the offset
 * of its "%", else len. *out is written only on success, in one go (writing
 * it byte by byte and copying it later stalls the CPU's store forwarding).
 */
static inline cnet_err parse_text(const unsigned char *text, size_t len, cnet_ip_address *out,
                                  bool allow_zone, bool fast, size_t *zone_at, size_t *where)
{
    unsigned char window[PAD + WINDOW + 1];
    size_t copied = len < WINDOW ? len : WINDOW;
    memcpy(window, "0000", PAD);
    memcpy(window + PAD, text, copied);
    window[PAD + copied] = 0;
    struct view v = {text, len, window + PAD, len <= WINDOW ? window + PAD + len : NULL, fast};

    const unsigned char *cur = v.w, *mar = NULL;
    const unsigned char *o1, *o2, *o3, *o4;
    /*!stags:re2c format = "const unsigned char *@@ = NULL;"; separator = "\n    "; */
    (void)mar;
    /*!local:re2c
        @o1 digit{1,3} "." @o2 digit{1,3} "." @o3 digit{1,3} "." @o4 digit{1,3} end {
            const unsigned char *e4 = cur - 1;
            size_t n1 = (size_t)(o2 - 1 - o1), n2 = (size_t)(o3 - 1 - o2);
            size_t n3 = (size_t)(o4 - 1 - o3), n4 = (size_t)(e4 - o4);
            unsigned a = decimal_before(o2 - 1, n1), b = decimal_before(o3 - 1, n2);
            unsigned c = decimal_before(o4 - 1, n3), d = decimal_before(e4, n4);
            /* One test for the end of the text, the range and leading zeros. */
            bool leading_zero = ((n1 > 1) & (o1[0] == '0')) | ((n2 > 1) & (o2[0] == '0')) |
                                ((n3 > 1) & (o3[0] == '0')) | ((n4 > 1) & (o4[0] == '0'));
            if ((e4 != v.end) | ((a | b | c | d) > 255) | leading_zero)
                return diagnose_ipv4(text, text, text + len, false, where);
            out->family = CNET_IPV4;
            memset(out->address, 0, sizeof out->address);
            out->address[0] = (uint8_t)a;
            out->address[1] = (uint8_t)b;
            out->address[2] = (uint8_t)c;
            out->address[3] = (uint8_t)d;
            *zone_at = len;
            return CNET_OK;
        }
        h16? ":" {
            return parse_ipv6(&v, out, allow_zone, zone_at, where);
        }
        hex{5} {
            return long_hex_run(&v, where);
        }
        end {
            if (cur - 1 == v.end) {
                *where = 0;
                return CNET_EADDR_EMPTY;
            }
            return diagnose_ipv4(text, text, text + len, false, where);
        }
        * {
            return diagnose_ipv4(text, text, text + len, false, where);
        }
    */
}

/* ------------------------------------------------------------ entry points */

/*
 * The whole text as a dotted quad, by the fast path, tried by every entry
 * point before it sets up the lexers (so a hit costs no window copy and
 * no stack frame of theirs); *out is written only on a hit. parse_text's
 * `fast` then only says whether to try it on an IPv6 address's dotted
 * tail.
 */
static inline bool fast_ipv4(const char *text, size_t len, cnet_ip_address *out)
{
    uint8_t quad[4];
    if (!cnet__ipv4_fast_parse(text, len, quad))
        return false;
    out->family = CNET_IPV4;
    memset(out->address, 0, sizeof out->address);
    memcpy(out->address, quad, sizeof quad);
    return true;
}

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

static cnet_err parse_plain(const char *text, size_t len, cnet_ip_address *out, bool fast)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t zone_at, where;
    cnet_err err = parse_text(s, len, out, false, fast, &zone_at, &where);
    if (err != CNET_OK)
        return fail_at("cnet_parse_ip_address", err, s, len, where);
    return CNET_OK;
}

cnet_err cnet__parse_ip_address(const char *text, size_t len, cnet_ip_address *out)
{
    if (fast_ipv4(text, len, out))
        return CNET_OK;
    return parse_plain(text, len, out, true);
}

cnet_err cnet__parse_ip_address_re2c(const char *text, size_t len, cnet_ip_address *out)
{
    return parse_plain(text, len, out, false);
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

static cnet_err parse_scoped(const char *text, size_t len, cnet_ip_address *out, uint32_t *scope_id,
                             bool fast)
{
    const unsigned char *s = (const unsigned char *)text;
    cnet_ip_address result;
    size_t zone_at, where;
    uint32_t scope = 0;
    cnet_err err = parse_text(s, len, &result, true, fast, &zone_at, &where);
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

cnet_err cnet__parse_ip_address_scoped(const char *text, size_t len, cnet_ip_address *out,
                                       uint32_t *scope_id)
{
    if (fast_ipv4(text, len, out)) {
        *scope_id = 0;
        return CNET_OK;
    }
    return parse_scoped(text, len, out, scope_id, true);
}

cnet_err cnet__parse_ip_address_scoped_re2c(const char *text, size_t len, cnet_ip_address *out,
                                            uint32_t *scope_id)
{
    return parse_scoped(text, len, out, scope_id, false);
}

static bool is_address(const char *text, size_t len, bool fast)
{
    cnet_ip_address result;
    size_t zone_at, where;
    if (text == NULL)
        return false;
    return parse_text((const unsigned char *)text, len, &result, false, fast, &zone_at, &where) == CNET_OK;
}

bool cnet_is_ip_address(const char *text, size_t len)
{
    cnet_ip_address result;
    if (text != NULL && fast_ipv4(text, len, &result))
        return true;
    return is_address(text, len, true);
}

bool cnet__is_ip_address_re2c(const char *text, size_t len)
{
    return is_address(text, len, false);
}
