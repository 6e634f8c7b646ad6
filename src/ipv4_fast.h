/*
 * IPv4 dotted quads, fast: a pure unit (bytes in, bytes out, no state)
 * that the address parser (src/ipaddr.re) tries before its re2c lexer and
 * the formatter (src/ipaddr_format.c) uses for every dotted quad it writes.
 *
 * The parser only ever accepts: it says true for text that is exactly one
 * dotted quad the grammar accepts (four parts of one to three decimal
 * digits, no leading zero, each at most 255) and writes the same four bytes
 * the grammar would. For anything else, valid or not, it says false and
 * the caller hands the text to the re2c parser, which stays the authority
 * and the only one that names errors. It reads only [text, text + len),
 * with fixed-size loads that never cross the end (memcpy, so unaligned
 * loads are defined behaviour), and takes no branch that depends on the
 * digits except the final yes/no.
 *
 * The bytes are classified 16 at a time and the shape is checked on bit
 * masks. With SSE2 (every x86-64; a compile-time choice) the classes and
 * the four values come from vector compares and byte arithmetic;
 * elsewhere from SWAR bit tricks on two 64-bit words and scalar sums
 * (cnet__ipv4_fast_parse_swar, built on every platform, so the tests check
 * both on x86 too).
 */
#ifndef CNET__IPV4_FAST_H
#define CNET__IPV4_FAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cnet/ipaddr.h>

/* The longest dotted quad, "255.255.255.255". */
#define CNET__IPV4_FAST_MAX_TEXT 15

/* True and out[0..3] set when text[0..len) is exactly a dotted quad the
 * grammar accepts; false (out untouched) for anything else. */
bool cnet__ipv4_fast_parse(const char *text, size_t len, uint8_t out[4]);

/* The same with the portable SWAR classifier (what non-x86 builds use). */
bool cnet__ipv4_fast_parse_swar(const char *text, size_t len, uint8_t out[4]);

/* "simd" or "swar": which classifier cnet__ipv4_fast_parse uses. */
const char *cnet__ipv4_fast_kind(void);

/* Write the dotted quad of b[0..3] at p and return its end. It stores up to
 * CNET__IPV4_FAST_MAX_TEXT + 1 bytes: p needs room for 16, the byte at the
 * returned end is scratch. */
char *cnet__ipv4_fast_format(char *p, const uint8_t b[4]);

/*
 * The re2c parser alone, without the fast path in front (defined in
 * src/ipaddr.re): the same results, errors and messages as
 * cnet_parse_ip_address, cnet_parse_ip_address_scoped and
 * cnet_is_ip_address, for the differential tests and the fuzzer.
 */
cnet_err cnet__parse_ip_address_re2c(const char *text, size_t len, cnet_ip_address *out);
cnet_err cnet__parse_ip_address_scoped_re2c(const char *text, size_t len, cnet_ip_address *out,
                                            uint32_t *scope_id);
bool cnet__is_ip_address_re2c(const char *text, size_t len);

#endif
