/*
 * The ipaddr module: strict parsing (cnet_parse_ip_address and the scoped
 * variant), RFC 5952 formatting, comparison and the well-known addresses.
 *
 * The vectors live in tests/data/ipaddr_vectors.inc. Every vector, and every
 * prefix of it, is parsed from a buffer that ends right before a PROT_NONE
 * page, so reading one byte too far crashes the test.
 */
#include "test_common.h"

#include <stdio.h>
#include <stdlib.h>
#if !defined(_WIN32)
#include <net/if.h>
#include <sys/mman.h>
#include <unistd.h>
#else
#include <iphlpapi.h> /* if_nametoindex */
#endif

/* ------------------------------------------------------------ the vectors */

enum kind { K_OK, K_ERR, K_ZONE, K_ZONE_IF, K_ZONE_ERR };

struct vector {
    const char *text;
    size_t len;
    enum kind kind;
    const char *canonical; /* K_OK, K_ZONE, K_ZONE_IF */
    cnet_err code;         /* K_ERR, K_ZONE_ERR */
    uint32_t scope;        /* K_ZONE */
    const char *ifname;    /* K_ZONE_IF */
    int line;              /* in ipaddr_vectors.inc */
};

#define V_OK(t, c) {t, sizeof(t) - 1, K_OK, c, CNET_OK, 0, NULL, __LINE__},
#define V_ERR(t, e) {t, sizeof(t) - 1, K_ERR, NULL, CNET_##e, 0, NULL, __LINE__},
#define V_ZONE(t, c, s) {t, sizeof(t) - 1, K_ZONE, c, CNET_OK, s, NULL, __LINE__},
#define V_ZONE_IF(t, c, i) {t, sizeof(t) - 1, K_ZONE_IF, c, CNET_OK, 0, i, __LINE__},
#define V_ZONE_ERR(t, e) {t, sizeof(t) - 1, K_ZONE_ERR, NULL, CNET_##e, 0, NULL, __LINE__},
static const struct vector vectors[] = {
#include "data/ipaddr_vectors.inc"
};
#undef V_OK
#undef V_ERR
#undef V_ZONE
#undef V_ZONE_IF
#undef V_ZONE_ERR

#define NVECTORS (sizeof vectors / sizeof vectors[0])

/* The text of a vector with its bytes escaped, for failure messages. */
static const char *shown(const char *text, size_t len)
{
    static char buf[512];
    size_t n = 0;
    for (size_t i = 0; i < len && n + 5 < sizeof buf; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c >= 0x20 && c < 0x7f && c != '\\')
            buf[n++] = (char)c;
        else
            n += (size_t)snprintf(buf + n, sizeof buf - n, "\\x%02x", c);
    }
    buf[n] = '\0';
    return buf;
}

/* -------------------------------------------------------- the guard page */

/* Copy text so that its last byte is the last readable byte of a page. */
static const char *before_guard(const char *text, size_t len)
{
    size_t page_size;
    unsigned char *guard_page_start = tc_guard_page(&page_size);
    cr_assert_leq(len, page_size);
    unsigned char *dst = guard_page_start - len;
    memcpy(dst, text, len);
    return (const char *)dst;
}

/* --------------------------------------------------- an independent oracle */

/*
 * A slow RFC 5952 formatter written without looking at the library's: it
 * searches the zero runs with plain loops and prints with snprintf.
 */
static void reference_text(const cnet_ip_address *a, char *out, size_t size)
{
    const uint8_t *b = a->address;
    if (a->family == CNET_IPV4) {
        snprintf(out, size, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
        return;
    }
    unsigned g[8];
    for (int i = 0; i < 8; i++)
        g[i] = (unsigned)b[2 * i] << 8 | b[2 * i + 1];
    if (!g[0] && !g[1] && !g[2] && !g[3] && !g[4] && g[5] == 0xffff) {
        snprintf(out, size, "::ffff:%u.%u.%u.%u", b[12], b[13], b[14], b[15]);
        return;
    }
    int best_start = -1, best_len = 0;
    for (int i = 0; i < 8;) {
        if (g[i] != 0) {
            i++;
            continue;
        }
        int j = i;
        while (j < 8 && g[j] == 0)
            j++;
        if (j - i > best_len) {
            best_len = j - i;
            best_start = i;
        }
        i = j;
    }
    if (best_len < 2)
        best_start = -1;
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; i < 8; i++) {
        if (i == best_start) {
            n += (size_t)snprintf(out + n, size - n, "::");
            i += best_len - 1;
            continue;
        }
        bool after_gap = best_start >= 0 && i == best_start + best_len;
        n += (size_t)snprintf(out + n, size - n, "%s%x", (i == 0 || after_gap) ? "" : ":", g[i]);
    }
}

/* --------------------------------------------------------------- helpers */

static const cnet_ip_address poison = {(cnet_ip_address_family)0x5a5a, {0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a,
                                                                        0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a,
                                                                        0x5a, 0x5a, 0x5a, 0x5a}};

static bool same_address(const cnet_ip_address *a, const cnet_ip_address *b)
{
    return a->family == b->family && memcmp(a->address, b->address, 16) == 0;
}

static void expect_text(const cnet_ip_address *a, const char *canonical, const struct vector *v)
{
    char buf[CNET_IP_ADDRESS_STRLEN];
    size_t n = 0;
    cr_assert_eq(cnet_ip_address_to_string(a, buf, sizeof buf, &n), CNET_OK);
    cr_assert_str_eq(buf, canonical, "line %d: \"%s\" formats as \"%s\", expected \"%s\"", v->line,
                     shown(v->text, v->len), buf, canonical);
    cr_assert_eq(n, strlen(canonical));
    /* The canonical text is a fixed point: it parses to the same address. */
    cnet_ip_address again;
    cr_assert_eq(cnet_parse_ip_address(buf, n, &again), CNET_OK, "line %d: canonical \"%s\" does not parse: %s",
                 v->line, buf, cnet_last_error_message());
    cr_assert(same_address(a, &again), "line %d: \"%s\" parses to another address", v->line, buf);
    /* IPv4 uses only the first four bytes; the parser zeroes the rest. */
    if (a->family == CNET_IPV4)
        for (int i = 4; i < 16; i++)
            cr_assert_eq(a->address[i], 0, "line %d: IPv4 byte %d is not zero", v->line, i);
}

/* Check one vector against all three entry points, text placed at `text`. */
static void check_vector(const struct vector *v, const char *text)
{
    cnet_ip_address a = poison;
    uint32_t scope = 0xdeadbeef;
    cnet_err plain = cnet_parse_ip_address(text, v->len, &a);
    cnet_err want_plain = v->kind == K_OK ? CNET_OK : v->kind == K_ERR ? v->code : CNET_EADDR_ZONE;
    cr_assert_eq(plain, want_plain, "line %d: cnet_parse_ip_address(\"%s\") = %s, expected %s (%s)", v->line,
                 shown(v->text, v->len), cnet_err_name(plain), cnet_err_name(want_plain),
                 cnet_last_error_message());
    cr_assert_eq(cnet_is_ip_address(text, v->len), plain == CNET_OK, "line %d: cnet_is_ip_address disagrees",
                 v->line);
    if (plain == CNET_OK) {
        expect_text(&a, v->canonical, v);
    } else {
        cr_assert_eq(cnet_last_error(), plain, "line %d: last error not recorded", v->line);
        cr_assert(same_address(&a, &poison), "line %d: *out written on failure", v->line);
        cr_assert_neq(strstr(cnet_last_error_message(), "cnet_parse_ip_address: "), NULL,
                      "line %d: message \"%s\" does not name the function", v->line, cnet_last_error_message());
    }

    cnet_ip_address s = poison;
    cnet_err scoped = cnet_parse_ip_address_scoped(text, v->len, &s, &scope);
    uint32_t want_scope = v->kind == K_ZONE ? v->scope : 0;
    cnet_err want_scoped = v->kind == K_ERR || v->kind == K_ZONE_ERR ? v->code : CNET_OK;
    if (v->kind == K_ZONE_IF) {
        want_scope = if_nametoindex(v->ifname);
        if (want_scope == 0)
            want_scoped = CNET_EADDR_UNKNOWN_ZONE; /* the interface is missing here */
    }
    cr_assert_eq(scoped, want_scoped, "line %d: cnet_parse_ip_address_scoped(\"%s\") = %s, expected %s (%s)",
                 v->line, shown(v->text, v->len), cnet_err_name(scoped), cnet_err_name(want_scoped),
                 cnet_last_error_message());
    if (scoped == CNET_OK) {
        cr_assert_eq(scope, want_scope, "line %d: scope %u, expected %u", v->line, scope, want_scope);
        expect_text(&s, v->canonical, v);
        if (plain == CNET_OK)
            cr_assert(same_address(&a, &s), "line %d: the two parsers disagree", v->line);
    } else {
        cr_assert_eq(scope, 0xdeadbeef, "line %d: *scope_id written on failure", v->line);
        cr_assert(same_address(&s, &poison), "line %d: *out written on failure", v->line);
        cr_assert_eq(cnet_last_error(), scoped);
    }
}

/* ------------------------------------------------------------ vector tests */

Test(ipaddr_vectors, table_is_large_and_covers_every_code)
{
    cr_assert_geq(NVECTORS, 300, "only %zu vectors", NVECTORS);
    /* Every address error code (100..118) is the expected result of some vector. */
    for (int code = CNET_EADDR_EMPTY; code <= CNET_EADDR_PORT; code++) {
        bool seen = false;
        for (size_t i = 0; i < NVECTORS && !seen; i++)
            seen = (vectors[i].kind == K_ERR || vectors[i].kind == K_ZONE_ERR) && (int)vectors[i].code == code;
        if (code == CNET_EADDR_ZONE)
            seen = true; /* every V_ZONE* vector expects it from the plain parser */
        cr_assert(seen, "no vector expects %s", cnet_err_name((cnet_err)code));
    }
}

Test(ipaddr_vectors, every_vector_before_a_guard_page)
{
    for (size_t i = 0; i < NVECTORS; i++)
        check_vector(&vectors[i], before_guard(vectors[i].text, vectors[i].len));
}

Test(ipaddr_vectors, every_vector_in_a_larger_buffer)
{
    /* The bytes after len must not matter: follow each text with junk that
     * would change the result if it were read. */
    static const char *tails[] = {"1", ":1", ".1", "%1", "\0"};
    for (size_t t = 0; t < sizeof tails / sizeof tails[0]; t++) {
        for (size_t i = 0; i < NVECTORS; i++) {
            char buf[512];
            size_t len = vectors[i].len;
            memcpy(buf, vectors[i].text, len);
            strcpy(buf + len, tails[t]);
            check_vector(&vectors[i], buf);
        }
    }
}

Test(ipaddr_vectors, every_prefix_before_a_guard_page)
{
    /* Truncated text must be judged the same wherever it sits. */
    for (size_t i = 0; i < NVECTORS; i++) {
        const struct vector *v = &vectors[i];
        for (size_t k = 0; k <= v->len; k++) {
            char heap[512];
            memcpy(heap, v->text, k);
            heap[k] = '7';
            cnet_ip_address a = poison, b = poison;
            uint32_t sa = 1, sb = 1;
            const char *g = before_guard(v->text, k);
            cnet_err ea = cnet_parse_ip_address(g, k, &a);
            cnet_err eb = cnet_parse_ip_address(heap, k, &b);
            cr_assert_eq(ea, eb, "line %d, prefix %zu: %s vs %s", v->line, k, cnet_err_name(ea), cnet_err_name(eb));
            cr_assert(same_address(&a, &b));
            cr_assert_eq(cnet_is_ip_address(g, k), ea == CNET_OK);
            a = poison, b = poison;
            ea = cnet_parse_ip_address_scoped(g, k, &a, &sa);
            eb = cnet_parse_ip_address_scoped(heap, k, &b, &sb);
            cr_assert_eq(ea, eb, "line %d, prefix %zu (scoped): %s vs %s", v->line, k, cnet_err_name(ea),
                         cnet_err_name(eb));
            cr_assert(same_address(&a, &b));
            cr_assert_eq(sa, sb);
        }
    }
}

Test(ipaddr_vectors, long_text)
{
    char text[4096];
    cnet_ip_address a;
    uint32_t scope;

    /* A valid address followed by many spaces: the first space is the problem. */
    memset(text, ' ', sizeof text);
    memcpy(text, "1.2.3.4", 7);
    TC_ERR(CNET_EADDR_CHAR, cnet_parse_ip_address(before_guard(text, 200), 200, &a));
    cr_assert_neq(strstr(cnet_last_error_message(), "offset 7"), NULL, "%s", cnet_last_error_message());
    memcpy(text, "::1", 3);
    TC_ERR(CNET_EADDR_CHAR, cnet_parse_ip_address(before_guard(text, 3000), 3000, &a));

    /* A long hex run, then ":" far beyond any lexer's window. */
    memset(text, 'a', sizeof text);
    text[300] = ':';
    TC_ERR(CNET_EADDR_GROUP_TOO_LONG, cnet_parse_ip_address(before_guard(text, 301), 301, &a));
    TC_ERR(CNET_EADDR_CHAR, cnet_parse_ip_address(before_guard(text, 300), 300, &a));
    memset(text, '1', sizeof text);
    TC_ERR(CNET_EADDR_OCTET_RANGE, cnet_parse_ip_address(before_guard(text, 100), 100, &a));

    /* Many groups. */
    size_t n = 0;
    n += (size_t)sprintf(text, "::");
    while (n < 250)
        n += (size_t)sprintf(text + n, "1:");
    TC_ERR(CNET_EADDR_TOO_MANY_GROUPS, cnet_parse_ip_address(before_guard(text, n), n, &a));

    /* A zone longer than any interface name; and a long numeric zone. */
    n = (size_t)sprintf(text, "fe80::1%%");
    memset(text + n, 'x', 200);
    TC_ERR(CNET_EADDR_UNKNOWN_ZONE, cnet_parse_ip_address_scoped(before_guard(text, n + 200), n + 200, &a, &scope));
    memset(text + n, '7', 200);
    TC_ERR(CNET_EADDR_BAD_ZONE, cnet_parse_ip_address_scoped(before_guard(text, n + 200), n + 200, &a, &scope));

    /* Garbage of every byte value: any result, but no crash or over-read. */
    uint64_t x = 42;
    for (int round = 0; round < 2000; round++) {
        size_t len = (size_t)(round % 97);
        for (size_t i = 0; i < len; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            text[i] = (char)(x & 1 ? ":.0123456789abcdefABCDEF%[]/ "[x % 29] : (char)(x >> 8));
        }
        const char *g = before_guard(text, len);
        cnet_err e = cnet_parse_ip_address(g, len, &a);
        cr_assert_eq(cnet_is_ip_address(g, len), e == CNET_OK);
        (void)cnet_parse_ip_address_scoped(g, len, &a, &scope);
    }
}

Test(ipaddr_vectors, message_names_offset)
{
    cnet_ip_address a;
    TC_ERR(CNET_EADDR_LEADING_ZERO, cnet_parse_ip_address("1.2.3.04", 8, &a));
    cr_assert_neq(strstr(cnet_last_error_message(), "offset 6"), NULL, "%s", cnet_last_error_message());
    TC_ERR(CNET_EADDR_CHAR, cnet_parse_ip_address("::1\t", 4, &a));
    cr_assert_neq(strstr(cnet_last_error_message(), "0x09"), NULL, "%s", cnet_last_error_message());
    TC_ERR(CNET_EADDR_TOO_FEW_PARTS, cnet_parse_ip_address("1.2.3", 5, &a));
    cr_assert_neq(strstr(cnet_last_error_message(), "end of the text"), NULL, "%s", cnet_last_error_message());
}

/* -------------------------------------------------------- property tests */

static uint64_t rng = 0x243f6a8885a308d3u;

static uint64_t next_random(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545f4914f6cdd1du;
}

/* A random address whose groups are zero half of the time, sometimes mapped. */
static void random_address(cnet_ip_address *a)
{
    uint64_t r = next_random();
    memset(a, 0, sizeof *a);
    if (r % 5 == 0) {
        a->family = CNET_IPV4;
        uint64_t v = next_random();
        for (int i = 0; i < 4; i++) {
            /* Favour 0-9 and 10-99 now and then so every length shows up. */
            unsigned octet = (unsigned)(v >> (8 * i)) & 0xff;
            if ((v >> (32 + 2 * i) & 3) == 0)
                octet %= 10;
            else if ((v >> (32 + 2 * i) & 3) == 1)
                octet %= 100;
            a->address[i] = (uint8_t)octet;
        }
        return;
    }
    a->family = CNET_IPV6;
    uint64_t zero = next_random(), digits = next_random(), value = next_random();
    for (int g = 0; g < 8; g++) {
        if (zero >> g & 1)
            continue;
        unsigned width = 4 * (1 + (unsigned)(digits >> (2 * g) & 3)); /* 1-4 hex digits */
        unsigned v = (unsigned)(value >> (8 * g)) | (unsigned)(next_random() << 8);
        v &= (1u << width) - 1;
        a->address[2 * g] = (uint8_t)(v >> 8);
        a->address[2 * g + 1] = (uint8_t)v;
    }
    if (r % 7 == 1) { /* IPv4-mapped */
        memset(a->address, 0, 10);
        a->address[10] = a->address[11] = 0xff;
    }
}

/* Some other legal spelling of an IPv6 address: random case, random leading
 * zeros, "::" over any run of zero groups (or none), maybe a dotted tail. */
static size_t random_spelling(const cnet_ip_address *a, char *out)
{
    unsigned g[8];
    for (int i = 0; i < 8; i++)
        g[i] = (unsigned)a->address[2 * i] << 8 | a->address[2 * i + 1];
    uint64_t r = next_random();
    bool dotted = r & 1;
    int groups = dotted ? 6 : 8;
    /* Pick a run of zero groups to leave out, if there is one. */
    int gap_start = -1, gap_len = 0;
    int runs[8][2], nruns = 0;
    for (int i = 0; i < groups;) {
        if (g[i] != 0) {
            i++;
            continue;
        }
        int j = i;
        while (j < groups && g[j] == 0)
            j++;
        runs[nruns][0] = i, runs[nruns][1] = j - i, nruns++;
        i = j;
    }
    if (nruns > 0 && (r >> 1) % 4 != 0) {
        int k = (int)((r >> 3) % (uint64_t)nruns);
        int len = 1 + (int)((r >> 8) % (uint64_t)runs[k][1]);
        gap_start = runs[k][0] + (int)((r >> 16) % (uint64_t)(runs[k][1] - len + 1));
        gap_len = len;
    }
    size_t n = 0;
    for (int i = 0; i < groups; i++) {
        if (i == gap_start) {
            n += (size_t)sprintf(out + n, "::");
            i += gap_len - 1;
            continue;
        }
        if (i > 0 && i != gap_start + gap_len)
            out[n++] = ':';
        uint64_t s = next_random();
        int pad = (int)(s % 5);
        n += (size_t)sprintf(out + n, (s >> 4) & 1 ? "%0*X" : "%0*x", pad, g[i]);
    }
    if (dotted) {
        if (gap_start < 0 || gap_start + gap_len < 6)
            out[n++] = ':';
        n += (size_t)sprintf(out + n, "%u.%u.%u.%u", a->address[12], a->address[13], a->address[14],
                             a->address[15]);
    } else if (gap_start >= 0 && gap_start + gap_len == 8) {
        /* "::" at the very end already written */
    }
    out[n] = '\0';
    return n;
}

Test(ipaddr_property, million_round_trips, .timeout = 600)
{
    char text[CNET_IP_ADDRESS_STRLEN], expected[CNET_IP_ADDRESS_STRLEN], spelled[128];
    for (long i = 0; i < 1000000; i++) {
        cnet_ip_address a, back;
        size_t n;
        random_address(&a);
        /* format(random bytes) is the canonical text of those bytes ... */
        cr_assert_eq(cnet_ip_address_to_string(&a, text, sizeof text, &n), CNET_OK);
        reference_text(&a, expected, sizeof expected);
        if (strcmp(text, expected) != 0)
            cr_assert_fail("iteration %ld: formatted \"%s\", reference \"%s\"", i, text, expected);
        cr_assert_eq(n, strlen(text));
        /* ... and parse(format(x)) == x. */
        if (cnet_parse_ip_address(text, n, &back) != CNET_OK || !same_address(&a, &back))
            cr_assert_fail("iteration %ld: \"%s\" does not parse back: %s", i, text, cnet_last_error_message());
        if (a.family != CNET_IPV6)
            continue;
        /* format(parse(any spelling)) is canonical and the same address. */
        size_t m = random_spelling(&a, spelled);
        if (cnet_parse_ip_address(spelled, m, &back) != CNET_OK)
            cr_assert_fail("iteration %ld: spelling \"%s\" of %s rejected: %s", i, spelled, expected,
                           cnet_last_error_message());
        if (!same_address(&a, &back))
            cr_assert_fail("iteration %ld: spelling \"%s\" parsed to another address than %s", i, spelled,
                           expected);
        cr_assert_eq(cnet_ip_address_to_string(&back, text, sizeof text, &n), CNET_OK);
        if (strcmp(text, expected) != 0)
            cr_assert_fail("iteration %ld: \"%s\" formats as \"%s\", expected \"%s\"", i, spelled, text, expected);
    }
}

/* ------------------------------------------------------------ error paths */

Test(ipaddr_errors, null_arguments)
{
    cnet_ip_address a;
    uint32_t scope;
    char buf[CNET_IP_ADDRESS_STRLEN];
    TC_ERR(CNET_EINVAL, cnet_parse_ip_address(NULL, 0, &a));
    TC_ERR(CNET_EINVAL, cnet_parse_ip_address("::1", 3, NULL));
    TC_ERR(CNET_EINVAL, cnet_parse_ip_address_scoped(NULL, 3, &a, &scope));
    TC_ERR(CNET_EINVAL, cnet_parse_ip_address_scoped("::1", 3, NULL, &scope));
    TC_ERR(CNET_EINVAL, cnet_parse_ip_address_scoped("::1", 3, &a, NULL));
    a = cnet_ipv6_loopback();
    TC_ERR(CNET_EINVAL, cnet_ip_address_to_string(NULL, buf, sizeof buf, NULL));
    TC_ERR(CNET_EINVAL, cnet_ip_address_to_string(&a, NULL, sizeof buf, NULL));
    TC_OK(cnet_ip_address_to_string(&a, buf, sizeof buf, NULL)); /* len may be NULL */
    cr_assert_str_eq(buf, "::1");
    cr_assert_not(cnet_is_ip_address(NULL, 3));
    cr_assert_not(cnet_ip_address_eq(NULL, &a));
    cr_assert_not(cnet_ip_address_eq(&a, NULL));
    cr_assert_not(cnet_ip_address_eq(NULL, NULL));
}

Test(ipaddr_errors, empty_text_with_any_pointer)
{
    cnet_ip_address a;
    uint32_t scope;
    TC_ERR(CNET_EADDR_EMPTY, cnet_parse_ip_address("", 0, &a));
    TC_ERR(CNET_EADDR_EMPTY, cnet_parse_ip_address(before_guard("", 0), 0, &a));
    TC_ERR(CNET_EADDR_EMPTY, cnet_parse_ip_address_scoped(before_guard("", 0), 0, &a, &scope));
    cr_assert_not(cnet_is_ip_address(before_guard("", 0), 0));
}

Test(ipaddr_errors, buffer_too_small)
{
    static const struct {
        cnet_ip_address a;
        const char *text;
    } cases[] = {
        {{CNET_IPV4, {255, 255, 255, 255}}, "255.255.255.255"},
        {{CNET_IPV4, {1, 2, 3, 4}}, "1.2.3.4"},
        {{CNET_IPV6, {0}}, "::"},
        {{CNET_IPV6, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1}}, "::ffff:192.0.2.1"},
        {{CNET_IPV6, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
         "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        size_t want = strlen(cases[c].text);
        for (size_t size = 0; size <= want + 1; size++) {
            char buf[64];
            size_t len = 12345;
            memset(buf, 'x', sizeof buf);
            cnet_err err = cnet_ip_address_to_string(&cases[c].a, buf, size, &len);
            cr_assert_eq(len, want, "%s, size %zu: len %zu", cases[c].text, size, len);
            if (size <= want) {
                /* Never truncated silently: an error and an empty string. */
                cr_assert_eq(err, CNET_ERANGE, "%s, size %zu: %s", cases[c].text, size, cnet_err_name(err));
                cr_assert_eq(cnet_last_error(), CNET_ERANGE);
                if (size > 0)
                    cr_assert_eq(buf[0], '\0');
                else
                    cr_assert_eq(buf[0], 'x', "size 0 must not write");
                for (size_t i = size; i < sizeof buf; i++)
                    cr_assert_eq(buf[i], 'x', "wrote past size %zu", size);
            } else {
                cr_assert_eq(err, CNET_OK);
                cr_assert_str_eq(buf, cases[c].text);
                for (size_t i = want + 1; i < sizeof buf; i++)
                    cr_assert_eq(buf[i], 'x', "wrote past the NUL");
            }
        }
    }
}

Test(ipaddr_errors, bad_family)
{
    cnet_ip_address a = {(cnet_ip_address_family)7, {1, 2, 3, 4}};
    char buf[CNET_IP_ADDRESS_STRLEN];
    TC_ERR(CNET_EINVAL, cnet_ip_address_to_string(&a, buf, sizeof buf, NULL));
}

Test(ipaddr_errors, is_ip_address_leaves_last_error)
{
    cnet_ip_address a;
    TC_ERR(CNET_EADDR_PORT, cnet_parse_ip_address("1.2.3.4:80", 10, &a));
    cr_assert_not(cnet_is_ip_address("01.2.3.4", 8));
    cr_assert_not(cnet_is_ip_address("fe80::1%1", 9)); /* zones are not accepted */
    cr_assert(cnet_is_ip_address("fe80::1", 7));
    cr_assert_eq(cnet_last_error(), CNET_EADDR_PORT);
}

/* ------------------------------------------------- comparison, constants */

Test(ipaddr_values, eq)
{
    cnet_ip_address a, b;
    TC_OK(cnet_parse_ip_address("2001:db8::1", 11, &a));
    TC_OK(cnet_parse_ip_address("2001:DB8:0:0:0:0:0:1", 20, &b));
    cr_assert(cnet_ip_address_eq(&a, &b));
    cr_assert(cnet_ip_address_eq(&a, &a));
    b.address[15] = 2;
    cr_assert_not(cnet_ip_address_eq(&a, &b));

    /* The same bytes in another family are another address. */
    cnet_ip_address v4 = cnet_ipv4_any(), v6 = cnet_ipv6_any();
    cr_assert_not(cnet_ip_address_eq(&v4, &v6));
    /* IPv4 compares only its four bytes, like Nim's address_v4. */
    cnet_ip_address x = cnet_ipv4_loopback(), y = cnet_ipv4_loopback();
    y.address[9] = 99;
    cr_assert(cnet_ip_address_eq(&x, &y));
    y.address[3] = 2;
    cr_assert_not(cnet_ip_address_eq(&x, &y));
    /* ::ffff:127.0.0.1 is not 127.0.0.1. */
    TC_OK(cnet_parse_ip_address("::ffff:127.0.0.1", 16, &a));
    cr_assert_not(cnet_ip_address_eq(&a, &x));
}

Test(ipaddr_values, well_known_addresses)
{
    static const struct {
        cnet_ip_address (*make)(void);
        const char *text;
        cnet_ip_address_family family;
    } cases[] = {
        {cnet_ipv4_any, "0.0.0.0", CNET_IPV4},         {cnet_ipv4_loopback, "127.0.0.1", CNET_IPV4},
        {cnet_ipv4_broadcast, "255.255.255.255", CNET_IPV4}, {cnet_ipv6_any, "::", CNET_IPV6},
        {cnet_ipv6_loopback, "::1", CNET_IPV6},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cnet_ip_address a = cases[i].make(), parsed;
        char buf[CNET_IP_ADDRESS_STRLEN];
        cr_assert_eq(a.family, cases[i].family);
        TC_OK(cnet_ip_address_to_string(&a, buf, sizeof buf, NULL));
        cr_assert_str_eq(buf, cases[i].text);
        TC_OK(cnet_parse_ip_address(cases[i].text, strlen(cases[i].text), &parsed));
        cr_assert(same_address(&a, &parsed), "%s", cases[i].text);
    }
    /* The enum keeps Nim's order. */
    cr_assert_eq(CNET_IPV6, 0);
    cr_assert_eq(CNET_IPV4, 1);
}

Test(ipaddr_values, strlen_constant_is_enough)
{
    /* The longest texts: full IPv6, a mapped address and a 10-digit scope. */
    cr_assert_gt(CNET_IP_ADDRESS_STRLEN, strlen("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff%4294967295"));
#if !defined(_WIN32) /* Windows' INET6_ADDRSTRLEN (65) also counts "[...]:port" */
    cr_assert_geq(CNET_IP_ADDRESS_STRLEN, INET6_ADDRSTRLEN);
#endif
}

/* The socket-address text (cnet_get_addr_string) uses the same formatter. */
Test(ipaddr_values, sockaddr_text_matches)
{
    static const char *texts[] = {"::ffff:192.0.2.1", "2001:db8::1:0:0:1", "2001:db8:0:1:1:1:1:1", "::",
                                  "fe80::1"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        cnet_ip_address a;
        TC_OK(cnet_parse_ip_address(texts[i], strlen(texts[i]), &a));
        struct sockaddr_in6 sin6;
        memset(&sin6, 0, sizeof sin6);
        sin6.sin6_family = AF_INET6;
        memcpy(&sin6.sin6_addr, a.address, 16);
        char buf[CNET_ADDRSTRLEN], want[CNET_ADDRSTRLEN];
        TC_OK(cnet_get_addr_string((struct sockaddr *)&sin6, (cnet_socklen)sizeof sin6, buf, sizeof buf));
        cr_assert_str_eq(buf, texts[i]);
        sin6.sin6_scope_id = 4000000000u;
        TC_OK(cnet_get_addr_string((struct sockaddr *)&sin6, (cnet_socklen)sizeof sin6, buf, sizeof buf));
        snprintf(want, sizeof want, "%s%%4000000000", texts[i]);
        cr_assert_str_eq(buf, want);
        /* Too small for the scope: an error, not a cut-off scope. */
        TC_ERR(CNET_ERANGE, cnet_get_addr_string((struct sockaddr *)&sin6, (cnet_socklen)sizeof sin6, buf,
                                                 strlen(want)));
    }
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(0xc0000201u);
    char buf[CNET_ADDRSTRLEN];
    TC_OK(cnet_get_addr_string((struct sockaddr *)&sin, (cnet_socklen)sizeof sin, buf, sizeof buf));
    cr_assert_str_eq(buf, "192.0.2.1");
}
