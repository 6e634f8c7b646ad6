/*
 * libFuzzer target for cnet's IP address parser and formatter.
 *
 * For arbitrary bytes it checks that
 *  - nothing is read outside the input: the bytes are copied to a heap block
 *    of exactly their size, so AddressSanitizer reports any over-read;
 *  - the three entry points agree with each other (plain parse, scoped
 *    parse, cnet_is_ip_address) and *out is untouched on failure;
 *  - each entry point (which tries the IPv4 fast path of src/ipv4_fast.c
 *    first) agrees with the re2c parser alone (the cnet__*_re2c entry
 *    points) on the result, every byte written, the scope id and the error
 *    message; and the fast path on its own (both classifiers) accepts only
 *    what re2c accepts as IPv4, with the same bytes, and every dotted quad
 *    re2c accepts;
 *  - cnet accepts exactly what glibc's inet_pton accepts, with the same
 *    bytes, for every input without a NUL byte (inet_pton needs a C string);
 *  - formatting is a fixed point: format(parse(text)) parses to the same
 *    address and formats to the same text;
 *  - for the input's first 16 bytes taken as an address, the text equals
 *    glibc's inet_ntop except for the documented difference below.
 *
 * The one difference from glibc, found by this fuzzer and kept on purpose:
 *  - inet_ntop writes an IPv4-compatible address (::/96 with a non-zero
 *    seventh group, deprecated by RFC 4291 2.5.5.1) with a dotted tail,
 *    "::0.1.0.2"; cnet writes hex, "::1:2", as RFC 5952 5 asks only
 *    IPv4-mapped (and translated) addresses to be dotted.
 * Parsing has no difference: glibc's inet_pton also rejects leading zeros in
 * IPv4 parts, groups of more than four hex digits, zones and brackets.
 *
 * Build and run with fuzz/run.sh (make fuzz).
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cnet/cnet.h>

#include "ipv4_fast.h"

#define CHECK(cond)                                                                          \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            fprintf(stderr, "fuzz_ipaddr: check failed: %s (line %d)\n", #cond, __LINE__); \
            abort();                                                                         \
        }                                                                                    \
    } while (0)

static bool same(const cnet_ip_address *a, const cnet_ip_address *b)
{
    return a->family == b->family && memcmp(a->address, b->address, 16) == 0;
}

/* glibc writes ::/96 addresses with a non-zero seventh group in dotted form. */
static bool ipv4_compatible(const uint8_t b[16])
{
    static const uint8_t zero[12];
    return memcmp(b, zero, 12) == 0 && (b[12] | b[13]) != 0;
}

static void check_format(const cnet_ip_address *a)
{
    char text[CNET_IP_ADDRESS_STRLEN], again_text[CNET_IP_ADDRESS_STRLEN];
    size_t n;
    CHECK(cnet_ip_address_to_string(a, text, sizeof text, &n) == CNET_OK);
    CHECK(n == strlen(text) && n <= 39);

    cnet_ip_address again;
    CHECK(cnet_parse_ip_address(text, n, &again) == CNET_OK);
    CHECK(same(a, &again) || (a->family == CNET_IPV4 && again.family == CNET_IPV4 &&
                              memcmp(a->address, again.address, 4) == 0));
    CHECK(cnet_ip_address_to_string(&again, again_text, sizeof again_text, NULL) == CNET_OK);
    CHECK(strcmp(text, again_text) == 0);

    char glibc[INET6_ADDRSTRLEN];
    int af = a->family == CNET_IPV4 ? AF_INET : AF_INET6;
    CHECK(inet_ntop(af, a->address, glibc, sizeof glibc) != NULL);
    if (!(af == AF_INET6 && ipv4_compatible(a->address)))
        CHECK(strcmp(text, glibc) == 0);

    /* Too small by one: an error, never a truncated text. */
    char small[CNET_IP_ADDRESS_STRLEN];
    size_t need;
    CHECK(cnet_ip_address_to_string(a, small, n, &need) == CNET_ERANGE);
    CHECK(need == n && (n == 0 || small[0] == '\0'));
}

/* Fast path + re2c against re2c alone, for every entry point. */
static void check_against_re2c(const char *text, size_t size)
{
    static const cnet_ip_address poison = {(cnet_ip_address_family)77, {1, 2, 3}};
    char message[256];
    cnet_ip_address a = poison, b = poison;
    cnet_err ea = cnet_parse_ip_address(text, size, &a);
    snprintf(message, sizeof message, "%s", ea == CNET_OK ? "" : cnet_last_error_message());
    cnet_err eb = cnet__parse_ip_address_re2c(text, size, &b);
    CHECK(ea == eb && memcmp(&a, &b, sizeof a) == 0);
    CHECK(ea == CNET_OK || strcmp(message, cnet_last_error_message()) == 0);

    cnet_ip_address sa = poison, sb = poison;
    uint32_t scope_a = 7, scope_b = 7;
    cnet_err esa = cnet_parse_ip_address_scoped(text, size, &sa, &scope_a);
    snprintf(message, sizeof message, "%s", esa == CNET_OK ? "" : cnet_last_error_message());
    cnet_err esb = cnet__parse_ip_address_scoped_re2c(text, size, &sb, &scope_b);
    CHECK(esa == esb && memcmp(&sa, &sb, sizeof sa) == 0 && scope_a == scope_b);
    CHECK(esa == CNET_OK || strcmp(message, cnet_last_error_message()) == 0);

    CHECK(cnet_is_ip_address(text, size) == cnet__is_ip_address_re2c(text, size));

    uint8_t q[4], w[4];
    bool fast = cnet__ipv4_fast_parse(text, size, q);
    CHECK(fast == cnet__ipv4_fast_parse_swar(text, size, w));
    CHECK(fast == (eb == CNET_OK && b.family == CNET_IPV4));
    if (fast)
        CHECK(memcmp(q, b.address, 4) == 0 && memcmp(w, q, 4) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size block: text[size] lies in ASan's red zone (malloc(0)
     * gives a block with no readable byte at all). */
    char *text = malloc(size);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    check_against_re2c(text, size);

    static const cnet_ip_address poison = {(cnet_ip_address_family)77, {1, 2, 3}};
    cnet_ip_address a = poison, s = poison;
    uint32_t scope = 12345;
    cnet_err plain = cnet_parse_ip_address(text, size, &a);
    cnet_err scoped = cnet_parse_ip_address_scoped(text, size, &s, &scope);
    CHECK(cnet_is_ip_address(text, size) == (plain == CNET_OK));
    if (plain == CNET_OK) {
        CHECK(a.family == CNET_IPV4 || a.family == CNET_IPV6);
        CHECK(scoped == CNET_OK && scope == 0 && same(&a, &s));
        check_format(&a);
    } else {
        CHECK(same(&a, &poison));
        CHECK(cnet_last_error() != CNET_OK);
        /* The scoped parser accepts more (zones), never less. */
        if (scoped == CNET_OK) {
            CHECK(plain == CNET_EADDR_ZONE && s.family == CNET_IPV6);
            check_format(&s);
        } else {
            CHECK(same(&s, &poison) && scope == 12345);
        }
    }

    /* Against glibc, for text without NUL bytes. */
    if (memchr(data, 0, size) == NULL) {
        char *cstr = malloc(size + 1);
        if (cstr != NULL) {
            memcpy(cstr, data, size);
            cstr[size] = '\0';
            uint8_t b4[16] = {0}, b6[16];
            int r4 = inet_pton(AF_INET, cstr, b4);
            int r6 = inet_pton(AF_INET6, cstr, b6);
            CHECK(r4 != 1 || r6 != 1);
            if (plain == CNET_OK && a.family == CNET_IPV4) {
                CHECK(r4 == 1 && memcmp(a.address, b4, 4) == 0);
            } else if (plain == CNET_OK) {
                CHECK(r6 == 1 && memcmp(a.address, b6, 16) == 0);
            } else {
                if (r4 == 1 || r6 == 1)
                    fprintf(stderr, "fuzz_ipaddr: glibc accepts \"%s\", cnet says %s\n", cstr,
                            cnet_err_name(plain));
                CHECK(r4 != 1 && r6 != 1);
            }
            free(cstr);
        }
    }

    /* The input's first bytes as an address: format and parse back. */
    if (size >= 17) {
        cnet_ip_address raw;
        raw.family = (data[0] & 1) ? CNET_IPV4 : CNET_IPV6;
        memcpy(raw.address, data + 1, 16);
        if (raw.family == CNET_IPV4)
            memset(raw.address + 4, 0, 12);
        check_format(&raw);
    }

    free(text);
    return 0;
}
