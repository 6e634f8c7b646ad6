/*
 * The IPv4 fast path (src/ipv4_fast.c) against the re2c parser alone.
 *
 * Every entry point that parses address text (cnet_parse_ip_address,
 * cnet_parse_ip_address_scoped, cnet_is_ip_address) now tries the fast
 * path first; the *_re2c entry points skip it. For every input below the
 * two must agree on the result code, the bytes written (all of *out,
 * which a failure leaves untouched), the scope id and the error message.
 * The fast path on its own (both classifiers: SSE2 and the portable SWAR)
 * may only accept what re2c accepts as IPv4, with the same bytes. Each
 * input sits right before an unmapped page and, once more, right after
 * one, so a read past either end crashes the test. The IPv6 forms with a
 * dotted tail (::ffff:a.b.c.d and friends) are built around the same
 * inputs.
 *
 * The inputs: every structural case (four parts, each one of 21 spellings:
 * the values 0, 1, 9, 10, 99, 100, 199, 200, 249, 250, 255, 256, 999 in one
 * to three digits, leading zeros included: 194481 quads), each with a dot
 * dropped, a dot doubled, one of ten bytes in front or behind, and one in
 * 16 also with a NUL in place of each byte, every prefix, and the IPv6
 * forms around it (11.3 million inputs); every text of length 0-8 over "019."; and RANDOM_COUNT random
 * texts of length 0-16 of digits and dots, biased to look like quads.
 * RANDOM_COUNT is 10^7 on a plain build and 10^6 under a sanitizer (ASan
 * makes every call ~10x slower); CNET_TEST_IPV4_RANDOM=N in the
 * environment sets it. The suite takes about 40 s on the gcc build and a
 * minute under ASan+UBSan.
 *
 * The formatter's dotted quads (IPv4 and ::ffff:a.b.c.d) are checked
 * against snprintf over every value in every position and random addresses.
 */
#include "test_common.h"

#include <stdint.h>

#include "ipv4_fast.h"

#if defined(__SANITIZE_ADDRESS__)
#define TC_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define TC_SANITIZED 1
#endif
#endif
/* The counts go to the log (minicriterion, the Windows runner, has no
 * cr_log_info: stderr there). */
#ifndef cr_log_info
#define cr_log_info(...) (fprintf(stderr, __VA_ARGS__), fputc('\n', stderr))
#endif

#ifdef TC_SANITIZED
#define RANDOM_COUNT 1000000
#else
#define RANDOM_COUNT 10000000
#endif

/* ------------------------------------------------------------ the pages */

/* Three pages: unmapped, readable, unmapped. Text copied to the end of the
 * middle one or to its start touches an unmapped page on one side. */
static unsigned char *middle_page(size_t *page_size)
{
    static unsigned char *middle;
    static size_t size;
    if (middle == NULL) {
#if defined(_WIN32)
        SYSTEM_INFO si;
        GetSystemInfo(&si);
        size = si.dwPageSize;
        DWORD old;
        unsigned char *map = VirtualAlloc(NULL, 3 * size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
        cr_assert_neq(map, NULL, "VirtualAlloc failed");
        cr_assert(VirtualProtect(map, size, PAGE_NOACCESS, &old), "VirtualProtect failed");
        cr_assert(VirtualProtect(map + 2 * size, size, PAGE_NOACCESS, &old), "VirtualProtect failed");
#else
        size = (size_t)sysconf(_SC_PAGESIZE);
        unsigned char *map = mmap(NULL, 3 * size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        cr_assert_neq(map, MAP_FAILED, "mmap failed");
        cr_assert_eq(mprotect(map, size, PROT_NONE), 0, "mprotect failed");
        cr_assert_eq(mprotect(map + 2 * size, size, PROT_NONE), 0, "mprotect failed");
#endif
        middle = map + size;
    }
    *page_size = size;
    return middle;
}

static const char *at_page_end(const char *text, size_t len)
{
    size_t size;
    unsigned char *p = middle_page(&size) + size - len;
    memcpy(p, text, len);
    return (const char *)p;
}

static const char *at_page_start(const char *text, size_t len)
{
    size_t size;
    unsigned char *p = middle_page(&size);
    memcpy(p, text, len);
    return (const char *)p;
}

/* ----------------------------------------------------------- comparison */

static const char *show(const char *text, size_t len)
{
    static char buf[200];
    size_t n = 0;
    for (size_t i = 0; i < len && n < sizeof buf - 5; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c >= 0x21 && c <= 0x7e)
            buf[n++] = (char)c;
        else
            n += (size_t)snprintf(buf + n, sizeof buf - n, "\\x%02x", c);
    }
    buf[n] = '\0';
    return buf;
}

static const cnet_ip_address poison = {(cnet_ip_address_family)77, {9, 8, 7, 6, 5, 4, 3, 2, 1}};

struct tally {
    unsigned long inputs, accepted, fast_hits;
};

/* One call of each entry point with and without the fast path. */
static void compare_at(const char *t, size_t len, const char *orig, struct tally *tally)
{
    char msg[256];
    cnet_ip_address a = poison, b = poison;
    cnet_err ea = cnet_parse_ip_address(t, len, &a);
    if (ea != CNET_OK)
        snprintf(msg, sizeof msg, "%s", cnet_last_error_message());
    cnet_err eb = cnet__parse_ip_address_re2c(t, len, &b);
    cr_assert_eq(ea, eb, "\"%s\" (len %zu): fast+re2c says %s, re2c alone %s", show(orig, len), len,
                 cnet_err_name(ea), cnet_err_name(eb));
    cr_assert(memcmp(&a, &b, sizeof a) == 0, "\"%s\": the two wrote different bytes", show(orig, len));
    if (ea != CNET_OK)
        cr_assert_str_eq(msg, cnet_last_error_message(), "\"%s\": different messages", show(orig, len));

    cnet_ip_address sa = poison, sb = poison;
    uint32_t scope_a = 4242, scope_b = 4242;
    cnet_err esa = cnet_parse_ip_address_scoped(t, len, &sa, &scope_a);
    if (esa != CNET_OK)
        snprintf(msg, sizeof msg, "%s", cnet_last_error_message());
    cnet_err esb = cnet__parse_ip_address_scoped_re2c(t, len, &sb, &scope_b);
    cr_assert_eq(esa, esb, "\"%s\": scoped: fast+re2c says %s, re2c alone %s", show(orig, len),
                 cnet_err_name(esa), cnet_err_name(esb));
    cr_assert(memcmp(&sa, &sb, sizeof sa) == 0 && scope_a == scope_b, "\"%s\": scoped: different bytes",
              show(orig, len));
    if (esa != CNET_OK)
        cr_assert_str_eq(msg, cnet_last_error_message(), "\"%s\": scoped: different messages", show(orig, len));

    cr_assert_eq(cnet_is_ip_address(t, len), cnet__is_ip_address_re2c(t, len), "\"%s\": is_ip_address",
                 show(orig, len));
    cr_assert_eq(cnet_is_ip_address(t, len), eb == CNET_OK);

    /* The fast path alone: accepts only what re2c accepts as IPv4. */
    uint8_t q[4] = {1, 1, 1, 1}, w[4] = {2, 2, 2, 2};
    bool fast = cnet__ipv4_fast_parse(t, len, q);
    bool swar = cnet__ipv4_fast_parse_swar(t, len, w);
    cr_assert_eq(fast, swar, "\"%s\": the SSE2 and SWAR classifiers disagree", show(orig, len));
    if (fast) {
        cr_assert(eb == CNET_OK && b.family == CNET_IPV4 && memcmp(q, b.address, 4) == 0 &&
                      memcmp(w, q, 4) == 0,
                  "\"%s\": the fast path accepted what re2c does not, or with other bytes", show(orig, len));
    } else {
        cr_assert(q[0] == 1 && q[1] == 1 && q[2] == 1 && q[3] == 1, "out written on a miss");
        /* And it misses no dotted quad: every one re2c accepts is a hit. */
        cr_assert(eb != CNET_OK || b.family != CNET_IPV4, "\"%s\": the fast path missed a quad", show(orig, len));
    }
    tally->inputs++;
    tally->accepted += eb == CNET_OK;
    tally->fast_hits += fast;
}

/* The text before an unmapped page and after one. */
static void compare(const char *text, size_t len, struct tally *tally)
{
    compare_at(at_page_end(text, len), len, text, tally);
    compare_at(at_page_start(text, len), len, text, tally);
}

/* The text as the dotted tail of IPv6 addresses (and with a zone). */
static void compare_tails(const char *text, size_t len, struct tally *tally)
{
    static const char *heads[] = {"::ffff:", "::", "1:2:3:4:5:6:", "1::", "1:2:3:4:5:6:7:", "::ffff:0:"};
    char buf[64];
    for (size_t h = 0; h < sizeof heads / sizeof heads[0]; h++) {
        size_t n = strlen(heads[h]);
        if (n + len + 3 > sizeof buf)
            continue;
        memcpy(buf, heads[h], n);
        memcpy(buf + n, text, len);
        compare_at(at_page_end(buf, n + len), n + len, buf, tally);
        memcpy(buf + n + len, "%1", 2);
        compare_at(at_page_end(buf, n + len + 2), n + len + 2, buf, tally);
    }
}

/* ------------------------------------------------------ the structural cases */

/* The 20 spellings of one part. */
static const char *const spellings[] = {"0",   "00",  "000", "1",   "01",  "001", "9",   "09",
                                        "009", "10",  "010", "99",  "099", "100", "199", "200",
                                        "249", "250", "255", "256", "999"};
#define SPELLINGS (sizeof spellings / sizeof spellings[0])

/* Put a quad of spellings i, j, k, l into buf; returns its length. */
static size_t make_quad(char *buf, size_t i, size_t j, size_t k, size_t l)
{
    return (size_t)sprintf(buf, "%s.%s.%s.%s", spellings[i], spellings[j], spellings[k], spellings[l]);
}

/* The mutations of a quad: the ones of the grammar's structure (a dot
 * dropped or doubled, a byte in front or behind) always, the per-byte ones
 * (a NUL in place of each byte, every prefix) when `bytewise`, the IPv6
 * forms around it when `tails`. */
static void mutations(const char *quad, size_t n, struct tally *tally, bool bytewise, bool tails)
{
    char buf[40];
    compare(quad, n, tally);
    if (tails)
        compare_tails(quad, n, tally);
    /* A dot dropped; a dot doubled. */
    for (size_t i = 0; i < n; i++) {
        if (quad[i] != '.')
            continue;
        memcpy(buf, quad, i);
        memcpy(buf + i, quad + i + 1, n - i - 1);
        compare(buf, n - 1, tally);
        memcpy(buf, quad, i + 1);
        memcpy(buf + i + 1, quad + i, n - i);
        compare(buf, n + 1, tally);
    }
    /* A byte in front, a trailing byte. */
    static const char extra[] = {'.', '0', '5', '\0', ':', '/', '%', ' ', 'a', (char)0xff};
    for (size_t e = 0; e < sizeof extra; e++) {
        buf[0] = extra[e];
        memcpy(buf + 1, quad, n);
        compare(buf, n + 1, tally);
        memcpy(buf, quad, n);
        buf[n] = extra[e];
        compare(buf, n + 1, tally);
    }
    if (!bytewise)
        return;
    /* A NUL in place of each byte. */
    for (size_t i = 0; i < n; i++) {
        memcpy(buf, quad, n);
        buf[i] = '\0';
        compare(buf, n, tally);
    }
    /* Cut short: every prefix. */
    for (size_t i = 0; i < n; i++)
        compare(quad, i, tally);
}

Test(ipv4_fast, every_structural_case_agrees_with_re2c, .timeout = 900)
{
    struct tally tally = {0};
    char quad[32];
    size_t count = 0;
    for (size_t i = 0; i < SPELLINGS; i++)
        for (size_t j = 0; j < SPELLINGS; j++)
            for (size_t k = 0; k < SPELLINGS; k++)
                for (size_t l = 0; l < SPELLINGS; l++) {
                    size_t n = make_quad(quad, i, j, k, l);
                    /* Every quad gets the structural mutations, one in 16
                     * (16 and 21 are coprime: they have every spelling in
                     * every position) the per-byte ones and the IPv6 forms
                     * too. */
                    bool more = count++ % 16u == 0;
                    mutations(quad, n, &tally, more, more);
                }
    /* Four-digit parts (the grammar's digit{1,3}) and other shapes. */
    static const char *const more[] = {"1000.1.1.1", "1.1.1.1000", "0001.1.1.1", "1.1.1.0001", "1.1.1.1.",
                                       ".1.1.1.1",   "1..1.1.1",   "1.1.1",      "1.1.1.1.1",  "1.1.1.1:80"};
    for (size_t m = 0; m < sizeof more / sizeof more[0]; m++)
        mutations(more[m], strlen(more[m]), &tally, true, true);
    cr_log_info("ipv4_fast: %lu structural inputs, %lu accepted, %lu by the fast path", tally.inputs,
                tally.accepted, tally.fast_hits);
    /* 11^4 valid quads (the spellings without leading zeros or 256 and
     * 999), twice each (before and after an unmapped page). */
    cr_assert_geq(tally.fast_hits, 2ul * 11 * 11 * 11 * 11);
}

Test(ipv4_fast, every_short_text_over_019_dot_agrees_with_re2c, .timeout = 600)
{
    static const char alphabet[4] = {'0', '1', '9', '.'};
    struct tally tally = {0};
    char buf[16];
    for (size_t len = 0; len <= 8; len++) {
        size_t total = (size_t)1 << (2 * len);
        for (size_t code = 0; code < total; code++) {
            for (size_t i = 0; i < len; i++)
                buf[i] = alphabet[(code >> (2 * i)) & 3];
            compare(buf, len, &tally);
        }
    }
    cr_log_info("ipv4_fast: %lu short texts, %lu accepted, %lu by the fast path", tally.inputs, tally.accepted,
                tally.fast_hits);
    cr_assert_gt(tally.fast_hits, 0);
}

/* ------------------------------------------------------------ random texts */

static uint64_t rng = 0x2545f4914f6cdd1du;

static uint64_t next_random(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545f4914f6cdd1du;
}

/* A random text of 0-16 bytes, digits and dots, usually a quad: four parts
 * of 1-3 digits (small values and zeros likelier), now and then a part
 * more or less, a part of 0 or 4 digits, or a byte replaced. */
static size_t random_text(char *buf)
{
    uint64_t r = next_random();
    if ((r & 7) == 0) {
        /* Any digits and dots, any length. */
        size_t len = (size_t)(r >> 3) % 17;
        for (size_t i = 0; i < len; i++) {
            uint64_t c = next_random() % 13;
            buf[i] = c < 10 ? (char)('0' + c) : '.';
        }
        return len;
    }
    size_t parts = 4, n = 0;
    if (((r >> 3) & 15) == 0)
        parts = 3 + (size_t)((r >> 7) & 2); /* 3 or 5 */
    for (size_t p = 0; p < parts; p++) {
        uint64_t s = next_random();
        size_t digits = 1 + (size_t)(s % 3);
        if (((s >> 2) & 31) == 0)
            digits = (size_t)((s >> 7) & 1) * 4; /* 0 or 4 */
        for (size_t d = 0; d < digits && n < 16; d++) {
            uint64_t c = (s >> (10 + 4 * d)) & 15;
            /* First digits: mostly 1-2 (so 3-digit parts are often in
             * range), a 0 now and then (a leading zero). */
            if (d == 0 && digits == 3)
                c = c < 7 ? 1 : c < 14 ? 2 : c == 14 ? 0 : 3;
            buf[n++] = (char)('0' + c % 10);
        }
        if (p + 1 < parts && n < 16)
            buf[n++] = '.';
    }
    uint64_t m = next_random();
    if ((m & 15) == 0 && n > 0)
        buf[(m >> 4) % n] = "0.9\0"[(m >> 8) & 3];
    return n;
}

Test(ipv4_fast, random_texts_agree_with_re2c, .timeout = 1200)
{
    unsigned long count = RANDOM_COUNT;
    const char *env = getenv("CNET_TEST_IPV4_RANDOM");
    if (env != NULL && *env != '\0')
        count = strtoul(env, NULL, 10);
    struct tally tally = {0};
    char buf[17];
    for (unsigned long i = 0; i < count; i++) {
        size_t len = random_text(buf);
        /* One side of the text only (the structural test checks both). */
        compare_at((i & 1) ? at_page_end(buf, len) : at_page_start(buf, len), len, buf, &tally);
        if ((i & 63) == 0)
            compare_tails(buf, len, &tally);
    }
    cr_log_info("ipv4_fast: %lu random inputs (%lu texts), %lu accepted, %lu by the fast path", tally.inputs,
                count, tally.accepted, tally.fast_hits);
    /* Biased to look like quads: many are addresses. */
    cr_assert_gt(tally.fast_hits, count / 4);
}

/* ------------------------------------------------------------ fixed cases */

Test(ipv4_fast, accepts_quads_and_passes_everything_else_on)
{
    static const struct {
        const char *text;
        uint8_t b[4];
    } good[] = {{"1.2.3.4", {1, 2, 3, 4}},           {"0.0.0.0", {0, 0, 0, 0}},
                {"255.255.255.255", {255, 255, 255, 255}}, {"10.0.0.1", {10, 0, 0, 1}},
                {"192.168.100.200", {192, 168, 100, 200}}, {"9.99.199.249", {9, 99, 199, 249}}};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        size_t len = strlen(good[i].text);
        uint8_t q[4], w[4];
        cr_assert(cnet__ipv4_fast_parse(at_page_end(good[i].text, len), len, q), "%s", good[i].text);
        cr_assert(cnet__ipv4_fast_parse_swar(at_page_start(good[i].text, len), len, w), "%s", good[i].text);
        cr_assert(memcmp(q, good[i].b, 4) == 0 && memcmp(w, good[i].b, 4) == 0, "%s", good[i].text);
    }
    static const char *const bad[] = {"",         "1.2.3",     "1.2.3.4.",   "01.2.3.4",         "1.2.3.256",
                                      "1.2.3.04", "1..2.3",    ".1.2.3.4",   "1.2.3.4\n",        "1.2.3.4 ",
                                      "1.2.3.a",  "1.2.3.4:1", "1.2.3.1000", "255.255.255.2555", "300.1.1.1",
                                      "1.2.3.-4", "1.2.3.4%1", "1.2.3.4/8",  "1.2.3.4.5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t len = strlen(bad[i]);
        uint8_t q[4];
        cr_assert_not(cnet__ipv4_fast_parse(at_page_end(bad[i], len), len, q), "\"%s\"", bad[i]);
        cr_assert_not(cnet__ipv4_fast_parse_swar(at_page_end(bad[i], len), len, q), "\"%s\"", bad[i]);
        /* re2c still names the problem. */
        cnet_ip_address a;
        cr_assert_neq(cnet_parse_ip_address(bad[i], len, &a), CNET_OK, "\"%s\"", bad[i]);
    }
    /* A NUL inside: never accepted. */
    uint8_t q[4];
    cr_assert_not(cnet__ipv4_fast_parse("1.2.3\0004", 7, q));
    /* The IPv6 tail through the fast path gives the same bytes. */
    cnet_ip_address a;
    cr_assert_eq(cnet_parse_ip_address("::ffff:192.0.2.1", 16, &a), CNET_OK);
    static const uint8_t mapped[16] = {[10] = 0xff, [11] = 0xff, [12] = 192, [13] = 0, [14] = 2, [15] = 1};
    cr_assert(a.family == CNET_IPV6 && memcmp(a.address, mapped, 16) == 0);
#if defined(__SSE2__)
    cr_assert_str_eq(cnet__ipv4_fast_kind(), "simd");
#else
    cr_assert_str_eq(cnet__ipv4_fast_kind(), "swar");
#endif
}

/* ------------------------------------------------------------ formatting */

static void check_format(const uint8_t b[4])
{
    char want[64], got[CNET_IP_ADDRESS_STRLEN];
    size_t n;
    cnet_ip_address a = {CNET_IPV4, {b[0], b[1], b[2], b[3]}};
    int w = snprintf(want, sizeof want, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
    cr_assert_eq(cnet_ip_address_to_string(&a, got, sizeof got, &n), CNET_OK);
    cr_assert(n == (size_t)w && strcmp(got, want) == 0, "got %s, want %s", got, want);
    /* An exact buffer, and one byte short. */
    char exact[16];
    cr_assert_eq(cnet_ip_address_to_string(&a, exact, n + 1, NULL), CNET_OK);
    cr_assert_str_eq(exact, want);
    cr_assert_eq(cnet_ip_address_to_string(&a, exact, n, NULL), CNET_ERANGE);
    /* The fast formatter itself: 16 bytes of room, the text, scratch after. */
    char raw[16];
    char *end = cnet__ipv4_fast_format(raw, b);
    cr_assert(end - raw == w && memcmp(raw, want, n) == 0);

    cnet_ip_address m = {CNET_IPV6, {[10] = 0xff, [11] = 0xff, [12] = b[0], [13] = b[1], [14] = b[2], [15] = b[3]}};
    snprintf(want, sizeof want, "::ffff:%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
    cr_assert_eq(cnet_ip_address_to_string(&m, got, sizeof got, &n), CNET_OK);
    cr_assert_str_eq(got, want);
    char exact6[32];
    cr_assert_eq(cnet_ip_address_to_string(&m, exact6, n + 1, NULL), CNET_OK);
    cr_assert_str_eq(exact6, want);
}

Test(ipv4_fast, formatter_matches_snprintf_for_every_value_in_every_position)
{
    static const uint8_t others[] = {0, 9, 10, 99, 100, 255};
    for (unsigned pos = 0; pos < 4; pos++)
        for (unsigned v = 0; v < 256; v++)
            for (size_t o = 0; o < sizeof others; o++) {
                uint8_t b[4] = {others[o], others[(o + 1) % 6], others[(o + 2) % 6], others[(o + 3) % 6]};
                b[pos] = (uint8_t)v;
                check_format(b);
            }
    for (int i = 0; i < 1000000; i++) {
        uint64_t r = next_random();
        uint8_t b[4] = {(uint8_t)r, (uint8_t)(r >> 8), (uint8_t)(r >> 16), (uint8_t)(r >> 24)};
        check_format(b);
    }
}
