/*
 * The pure units on their own, with no socket: the line-end scanners
 * (src/line_scan.h) and the frame codec (src/frame_codec.h). Memory sits
 * right before a guard page, so a scan that reads (or a copy that writes)
 * one byte too far crashes the test.
 */
#include "test_common.h"

#include "frame_codec.h"
#include "line_scan.h"

/* ------------------------------------------------------------ line_scan */

/* n bytes of 'a' ending where the guard page begins, with room `after`
 * readable bytes past them (the padded scans' CNET__EOL_PAD - 1). */
static unsigned char *text_before_guard(size_t n, size_t after)
{
    size_t page;
    unsigned char *guard = tc_guard_page(&page);
    cr_assert_leq(n + after, page);
    unsigned char *p = guard - after - n;
    memset(p, 'a', n + after);
    return p;
}

Test(line_scan, find_eol_finds_each_terminator_at_every_offset_and_reads_nothing_past_the_end)
{
    for (size_t n = 0; n <= 100; n++) {
        unsigned char *p = text_before_guard(n, 0);
        cr_assert_null(cnet__find_eol(p, n), "n=%zu: no terminator, yet found one", n);
        for (size_t k = 0; k < n; k++) {
            for (int t = 0; t < 2; t++) {
                p[k] = t ? '\r' : '\n';
                cr_assert_eq(cnet__find_eol(p, n), p + k, "n=%zu k=%zu", n, k);
                p[k] = 'a';
            }
        }
    }
}

Test(line_scan, find_eol_returns_the_first_of_several)
{
    unsigned char *p = text_before_guard(70, 0);
    p[40] = '\n';
    p[33] = '\r';
    p[65] = '\n';
    cr_assert_eq(cnet__find_eol(p, 70), p + 33);
    cr_assert_eq(cnet__find_eol(p, 33), NULL);
    cr_assert_eq(cnet__find_eol(p + 34, 36), p + 40);
}

Test(line_scan, padded_scan_ignores_line_ends_past_its_window)
{
    size_t after = CNET__EOL_PAD > 0 ? CNET__EOL_PAD - 1 : 0;
    for (size_t n = 0; n <= 100; n++) {
        unsigned char *p = text_before_guard(n, after);
        /* Stale line ends right after the window must not count. */
        memset(p + n, '\n', after);
        cr_assert_null(cnet__find_eol_padded(p, n), "n=%zu: took a line end past the window", n);
        for (size_t k = 0; k < n; k++) {
            p[k] = k % 2 ? '\r' : '\n';
            cr_assert_eq(cnet__find_eol_padded(p, n), p + k, "n=%zu k=%zu", n, k);
            p[k] = 'a';
        }
    }
}

Test(line_scan, scan_copy_line_copies_the_line_and_writes_only_inside_the_line_buffer)
{
    size_t after = CNET__EOL_PAD > 0 ? CNET__EOL_PAD - 1 : 0;
    static unsigned char source[200 + CNET__EOL_PAD];
    for (size_t size = 1; size <= 100; size++) {
        /* The line buffer ends at the guard page: a store past size bytes crashes. */
        char *line = (char *)text_before_guard(size, 0);
        for (size_t n = 0; n <= size; n++) {
            for (size_t i = 0; i < n + after; i++)
                source[i] = (unsigned char)('A' + i % 26);
            memset(source + n, '\n', after); /* stale, past the window */
            cr_assert_null(cnet__scan_copy_line(source, n, line, size), "size=%zu n=%zu", size, n);
            for (size_t k = 0; k < n; k++) {
                source[k] = '\r';
                const unsigned char *eol = cnet__scan_copy_line(source, n, line, size);
                cr_assert_eq(eol, source + k, "size=%zu n=%zu k=%zu", size, n, k);
                cr_assert_eq(memcmp(line, source, k), 0, "size=%zu n=%zu k=%zu: wrong copy", size, n, k);
                source[k] = (unsigned char)('A' + k % 26);
            }
        }
    }
}

Test(line_scan, the_scan_isa_follows_the_cpu_and_CNET_NO_AVX2)
{
    const char *isa = cnet__line_scan_isa();
#if defined(CNET__EOL_AVX2)
    const char *off = getenv("CNET_NO_AVX2");
    bool avx2 = __builtin_cpu_supports("avx2") && (off == NULL || *off == '\0' || strcmp(off, "0") == 0);
    cr_assert_str_eq(isa, avx2 ? "avx2" : "sse2");
#elif defined(CNET__EOL_VECTOR)
    cr_assert_str_eq(isa, "sse2");
#else
    cr_assert_str_eq(isa, "scalar");
#endif
}

/* ----------------------------------------------------------- frame_codec */

Test(frame_codec, decimal4_prefixes_are_four_ascii_digits)
{
    unsigned char prefix[4];
    static const struct {
        size_t size;
        const char *text;
    } cases[] = {{0, "0000"}, {7, "0007"}, {42, "0042"}, {999, "0999"}, {1000, "1000"}, {9999, "9999"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cr_assert_eq(cnet__frame_encode_prefix(CNET_FRAME_DECIMAL4, cases[i].size, prefix), CNET_OK);
        cr_assert_eq(memcmp(prefix, cases[i].text, 4), 0, "size %zu", cases[i].size);
    }
}

Test(frame_codec, a_frame_too_large_for_its_format_is_refused_and_leaves_the_prefix_alone)
{
    unsigned char prefix[4] = {'x', 'x', 'x', 'x'};
    cr_assert_eq(cnet__frame_encode_prefix(CNET_FRAME_DECIMAL4, 10000, prefix), CNET_EFRAME_TOO_LARGE);
    cr_assert_eq(memcmp(prefix, "xxxx", 4), 0);
    cr_assert_eq(cnet__frame_max_payload(CNET_FRAME_DECIMAL4), 9999);
    cr_assert_eq(cnet__frame_max_payload(CNET_FRAME_BE32), (size_t)0xffffffffu);
#if SIZE_MAX > 0xffffffffu
    cr_assert_eq(cnet__frame_encode_prefix(CNET_FRAME_BE32, (size_t)0x100000000u, prefix), CNET_EFRAME_TOO_LARGE);
    cr_assert_eq(memcmp(prefix, "xxxx", 4), 0);
#endif
}

Test(frame_codec, be32_prefixes_are_big_endian)
{
    unsigned char prefix[4];
    cr_assert_eq(cnet__frame_encode_prefix(CNET_FRAME_BE32, 0x01020304u, prefix), CNET_OK);
    cr_assert_eq(memcmp(prefix, "\x01\x02\x03\x04", 4), 0);
    cr_assert_eq(cnet__frame_encode_prefix(CNET_FRAME_BE32, 0xffffffffu, prefix), CNET_OK);
    cr_assert_eq(memcmp(prefix, "\xff\xff\xff\xff", 4), 0);
    size_t length = 0;
    cr_assert_eq(cnet__frame_decode_prefix(CNET_FRAME_BE32, (const unsigned char *)"\x00\x00\x01\x00", &length),
                 CNET_OK);
    cr_assert_eq(length, 256);
}

Test(frame_codec, every_decimal4_size_round_trips)
{
    unsigned char prefix[4];
    for (size_t size = 0; size <= 9999; size++) {
        size_t length = (size_t)-1;
        cr_assert_eq(cnet__frame_encode_prefix(CNET_FRAME_DECIMAL4, size, prefix), CNET_OK);
        cr_assert_eq(cnet__frame_decode_prefix(CNET_FRAME_DECIMAL4, prefix, &length), CNET_OK);
        cr_assert_eq(length, size);
    }
    for (uint64_t size = 0; size <= 0xffffffffu; size = size * 3 + 1) {
        size_t length = 0;
        cr_assert_eq(cnet__frame_encode_prefix(CNET_FRAME_BE32, (size_t)size, prefix), CNET_OK);
        cr_assert_eq(cnet__frame_decode_prefix(CNET_FRAME_BE32, prefix, &length), CNET_OK);
        cr_assert_eq(length, (size_t)size);
    }
}

Test(frame_codec, a_decimal4_prefix_with_anything_but_digits_is_malformed)
{
    static const char *bad[] = {"12a4", " 123", "-123", "+123", "123 ", "0x10", "12\n4", "\0\0\0\0", "////", "::::"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t length = 77;
        cr_assert_eq(cnet__frame_decode_prefix(CNET_FRAME_DECIMAL4, (const unsigned char *)bad[i], &length),
                     CNET_EFRAME_MALFORMED, "case %zu", i);
        cr_assert_eq(length, 77, "case %zu: length written on failure", i);
    }
}
