/*
 * The IPv4 fast paths of ipv4_fast.h: parse and format a dotted quad with
 * no branch that depends on the digits.
 *
 * Parsing, in four steps:
 *  1. Load the text (7 to 15 bytes) into two 64-bit words, little-endian
 *     byte order whatever the machine's, with bytes at len and past it zero:
 *     one 8-byte load from the start and one ending at the last byte,
 *     shifted into place (two 4-byte loads for len 7). Nothing outside
 *     [text, text + len) is read.
 *  2. Classify all 16 bytes at once into a bit mask of dots and one of
 *     digits (SSE2 compares, or SWAR on the words). The text is a candidate
 *     when every byte of it is one or the other and there are exactly three
 *     dots; a NUL or any other byte, and the zero bytes past len, are
 *     neither.
 *  3. The three lowest dot bits give the parts' lengths, each 1 to 3.
 *  4. Each part's value comes from its last three bytes (a mask drops the
 *     ones before a short part); a part is valid when min <= value <= 255,
 *     where min is 0, 10 or 100 for one, two or three digits: a two-digit
 *     part below 10 or a three-digit part below 100 has a leading zero.
 * Every check is folded into one boolean, tested once at the end.
 */
#include "ipv4_fast.h"

#include <string.h>

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__)) && !defined(CNET_IPV4_FAST_NO_SIMD)
#define IPV4_SIMD 1
#include <emmintrin.h>
#endif

#if defined(__GNUC__) || defined(__clang__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif

#if defined(__BYTE_ORDER__) && defined(__ORDER_BIG_ENDIAN__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define IPV4_BIG_ENDIAN 1
#endif

/* --------------------------------------------------------------- helpers */

static ALWAYS_INLINE uint64_t load_le64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
#ifdef IPV4_BIG_ENDIAN
    v = __builtin_bswap64(v);
#endif
    return v;
}

static ALWAYS_INLINE uint32_t load_le32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
#ifdef IPV4_BIG_ENDIAN
    v = __builtin_bswap32(v);
#endif
    return v;
}

static ALWAYS_INLINE void store_le32(char *p, uint32_t v)
{
#ifdef IPV4_BIG_ENDIAN
    v = __builtin_bswap32(v);
#endif
    memcpy(p, &v, sizeof v);
}

static ALWAYS_INLINE void store_le64(unsigned char *p, uint64_t v)
{
#ifdef IPV4_BIG_ENDIAN
    v = __builtin_bswap64(v);
#endif
    memcpy(p, &v, sizeof v);
}

/* The index of the lowest set bit of a non-zero mask. */
static ALWAYS_INLINE unsigned lowest_bit(uint32_t mask)
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

/* -------------------------------------------------------- classification */

/* Step 1: the text as bytes 0-7 (lo) and 8-15 (hi), zero from len on.
 * The caller has checked 7 <= len <= 15. */
static ALWAYS_INLINE void load_text(const unsigned char *s, size_t len, uint64_t *lo, uint64_t *hi)
{
    if (len >= 8) {
        *lo = load_le64(s);
        /* Byte k of the last eight is text byte len - 8 + k; text byte 8 + j
         * must land in byte j. Two shifts, as 8 * (16 - len) may be 64. */
        *hi = load_le64(s + len - 8) >> (8 * (15 - len)) >> 8;
    } else {
        /* len 7: bytes 0-3 and 3-6, overlapping in byte 3. */
        *lo = (uint64_t)load_le32(s) | (uint64_t)load_le32(s + 3) << 24;
        *hi = 0;
    }
}

#define ONES 0x0101010101010101u
#define HIGHS 0x8080808080808080u
#define LOWS 0x7f7f7f7f7f7f7f7fu

/* The high bit of each byte of x that is below n (n <= 128), exactly. */
static ALWAYS_INLINE uint64_t bytes_below(uint64_t x, unsigned n)
{
    return ~(((x & LOWS) + (0x80u - n) * ONES) | x) & HIGHS;
}

/* The high bits of bytes 0-7 as bits 0-7. */
static ALWAYS_INLINE uint32_t gather_highs(uint64_t h)
{
    return (uint32_t)(((h >> 7) * 0x0102040810204080u) >> 56);
}

/* What step 2 finds: bit i of each mask says what byte i is. */
struct classes {
    uint32_t dots, digits, zeros; /* '.', '0'-'9', '0' */
};

/* The digit values of the text after three zero bytes (so that a part at
 * the start has three bytes before its end): byte i of the text is
 * value[3 + i], 0-9 for a digit and 0 for anything else. */
struct values {
    unsigned char value[3 + 16 + 3]; /* and 3 more for p[k] up to 18 */
};

/* Step 2, SWAR. x ^ '.' is zero exactly at the dots; x ^ '0' (no borrow
 * between bytes, unlike x - '0') is below 10 exactly at the digits and zero
 * exactly at '0'. */
static ALWAYS_INLINE void classify_swar(uint64_t lo, uint64_t hi, struct classes *c, struct values *v)
{
    uint64_t dlo = lo ^ 0x30 * ONES, dhi = hi ^ 0x30 * ONES;
    uint64_t glo = bytes_below(dlo, 10), ghi = bytes_below(dhi, 10);
    c->dots = gather_highs(bytes_below(lo ^ 0x2e * ONES, 1)) | gather_highs(bytes_below(hi ^ 0x2e * ONES, 1)) << 8;
    c->digits = gather_highs(glo) | gather_highs(ghi) << 8;
    c->zeros = gather_highs(bytes_below(dlo, 1)) | gather_highs(bytes_below(dhi, 1)) << 8;
    memset(v->value, 0, 3);
    memset(v->value + 19, 0, 3);
    /* (high bit >> 7) * 0xff: a byte mask of the digits. */
    store_le64(v->value + 3, dlo & (glo >> 7) * 0xffu);
    store_le64(v->value + 11, dhi & (ghi >> 7) * 0xffu);
}

/* ------------------------------------------------------------------ parse */

/* Step 3, from the masks alone: true when the text is four parts of one to
 * three digits between three dots, with no leading zero; sets the dots'
 * offsets p[0..2] (at most 18 when there are fewer dots). */
static ALWAYS_INLINE bool shape_ok(size_t len, const struct classes *c, unsigned p[3])
{
    uint32_t g = c->digits, dots = c->dots;
    /* Every byte of the text a dot or a digit (the bytes past len are
     * neither, so this also says none of them is one). */
    bool ok = (dots | g) == (1u << len) - 1u;
    /* No run of four digits; a digit on both sides of every dot (no empty
     * part, none at either end). */
    ok &= (g & g >> 1 & g >> 2 & g >> 3) == 0;
    ok &= (dots & ~(g << 1 & g >> 1)) == 0;
    /* A '0' that starts a part and has a digit after it: a leading zero. */
    ok &= (c->zeros & ~(g << 1) & g >> 1) == 0;
    /* Exactly three dots; bits 16-18 stand in for missing ones. */
    const uint32_t stand_ins = 7u << 16;
    uint32_t d1 = dots | stand_ins, d2 = d1 & (d1 - 1), d3 = d2 & (d2 - 1);
    ok &= (d3 & (d3 - 1)) == stand_ins;
    p[0] = lowest_bit(d1);
    p[1] = lowest_bit(d2);
    p[2] = lowest_bit(d3);
    return ok;
}

/* Step 4, scalar: a part's value from the three bytes before its end e (a
 * dot or the padding before the first part reads as 0): ones + 10 * tens,
 * plus 100 * hundreds when e - 2 holds a digit (else the part has one digit
 * and e - 3 is the previous part's last one). Every read stays inside v->value whatever
 * the masks said, so the checks fold into one branch at the end. */
static ALWAYS_INLINE bool finish(size_t len, const struct classes *c, const struct values *v,
                                 uint8_t out[4])
{
    unsigned p[3];
    bool ok = shape_ok(len, c, p);
    const unsigned char *base = v->value + 3;
    uint32_t g2 = c->digits << 2; /* bit e: a digit at e - 2 */
#define PART(e)                                                                                      \
    ((unsigned)base[(int)(e)-1] + 10u * (unsigned)base[(int)(e)-2] +                                \
     (100u & (0u - (g2 >> (e) & 1u))) * (unsigned)base[(int)(e)-3])
    unsigned a = PART(p[0]), b = PART(p[1]), cc = PART(p[2]), dd = PART(len);
#undef PART
    ok &= (a | b | cc | dd) <= 255u;
    if (!ok)
        return false;
    out[0] = (uint8_t)a;
    out[1] = (uint8_t)b;
    out[2] = (uint8_t)cc;
    out[3] = (uint8_t)dd;
    return true;
}

bool cnet__ipv4_fast_parse_swar(const char *text, size_t len, uint8_t out[4])
{
    /* "1.2.3.4" to "255.255.255.255" (len - 7 wraps around below 7). */
    if (len - 7u > CNET__IPV4_FAST_MAX_TEXT - 7u)
        return false;
    uint64_t lo, hi;
    struct classes c;
    struct values v;
    load_text((const unsigned char *)text, len, &lo, &hi);
    classify_swar(lo, hi, &c, &v);
    return finish(len, &c, &v, out);
}

#ifdef IPV4_SIMD
/*
 * Steps 2 and 4 in SSE2 registers: every byte i gets the value of the part
 * that would end at i, ones + 10 * tens + 100 * hundreds, in byte arithmetic
 * (mod 256): ones and tens make at most 99, and a valid part has hundreds
 * 0-2, so the byte is exact whenever the part is valid, which is checked
 * per byte too (hundreds above 2, or 2 with the rest above 55). Only the
 * bytes where a part ends count: the ends' mask selects their verdicts, and
 * four byte reads their values. Two branches: the shape, then the values.
 */
bool cnet__ipv4_fast_parse(const char *text, size_t len, uint8_t out[4])
{
    if (len - 7u > CNET__IPV4_FAST_MAX_TEXT - 7u)
        return false;
    const unsigned char *s = (const unsigned char *)text;
    __m128i x;
    if (len >= 8) {
        /* Step 1 in the vector unit: the last eight bytes shifted right by
         * 16 - len bytes (8 * (16 - len) may be 64: psrlq gives 0). */
        uint64_t first8, last8; /* memcpy: unaligned loads (one movq each) */
        memcpy(&first8, s, 8);
        memcpy(&last8, s + len - 8, 8);
        __m128i last = _mm_srl_epi64(_mm_set_epi64x(0, (long long)last8), _mm_cvtsi32_si128((int)(8 * (16 - len))));
        x = _mm_unpacklo_epi64(_mm_set_epi64x(0, (long long)first8), last);
    } else {
        uint64_t lo, hi;
        load_text(s, len, &lo, &hi);
        x = _mm_set_epi64x((long long)hi, (long long)lo);
    }
    __m128i t = _mm_sub_epi8(x, _mm_set1_epi8('0'));
    __m128i is_digit = _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(9)), t);
    struct classes c;
    c.dots = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('.')));
    c.digits = (uint32_t)_mm_movemask_epi8(is_digit);
    c.zeros = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('0')));
    unsigned p[3];
    /* Text that is no quad (what the caller's lexer gets) leaves here. */
    if (!shape_ok(len, &c, p))
        return false;

    __m128i ones = _mm_and_si128(t, is_digit);  /* the digit at i, 0 elsewhere */
    __m128i tens = _mm_slli_si128(ones, 1);     /* the digit at i - 1 */
    /* The digit at i - 2, when i - 1 holds one too. */
    __m128i hund = _mm_and_si128(_mm_slli_si128(ones, 2), _mm_slli_si128(is_digit, 1));
    __m128i t2 = _mm_add_epi8(tens, tens), t8 = _mm_add_epi8(t2, t2);
    t8 = _mm_add_epi8(t8, t8);
    __m128i low = _mm_add_epi8(ones, _mm_add_epi8(t2, t8)); /* 0-99 */
    __m128i h1 = _mm_cmpeq_epi8(hund, _mm_set1_epi8(1)), h2 = _mm_cmpeq_epi8(hund, _mm_set1_epi8(2));
    __m128i value = _mm_add_epi8(low, _mm_or_si128(_mm_and_si128(h1, _mm_set1_epi8(100)),
                                                   _mm_and_si128(h2, _mm_set1_epi8((char)200))));
    __m128i bad = _mm_or_si128(_mm_cmpgt_epi8(hund, _mm_set1_epi8(2)),
                               _mm_and_si128(h2, _mm_cmpgt_epi8(low, _mm_set1_epi8(55))));
    /* Where a part ends: a digit not followed by one. */
    uint32_t ends = c.digits & ~(c.digits >> 1);
    if (((uint32_t)_mm_movemask_epi8(bad) & ends) != 0)
        return false;
    unsigned char v[16];
    _mm_storeu_si128((__m128i *)(void *)v, value);
    out[0] = v[p[0] - 1];
    out[1] = v[p[1] - 1];
    out[2] = v[p[2] - 1];
    out[3] = v[len - 1];
    return true;
}
#else
bool cnet__ipv4_fast_parse(const char *text, size_t len, uint8_t out[4])
{
    return cnet__ipv4_fast_parse_swar(text, len, out);
}
#endif

const char *cnet__ipv4_fast_kind(void)
{
#ifdef IPV4_SIMD
    return "simd";
#else
    return "swar";
#endif
}

/* ----------------------------------------------------------------- format */

/* The text of every part and its dot as four bytes, little-endian ("7."
 * is 0x00002e37): the digits, '.', zeros after. */
static const uint32_t part_text[256] = {
    0x00002e30, 0x00002e31, 0x00002e32, 0x00002e33, 0x00002e34, 0x00002e35, 0x00002e36, 0x00002e37,
    0x00002e38, 0x00002e39, 0x002e3031, 0x002e3131, 0x002e3231, 0x002e3331, 0x002e3431, 0x002e3531,
    0x002e3631, 0x002e3731, 0x002e3831, 0x002e3931, 0x002e3032, 0x002e3132, 0x002e3232, 0x002e3332,
    0x002e3432, 0x002e3532, 0x002e3632, 0x002e3732, 0x002e3832, 0x002e3932, 0x002e3033, 0x002e3133,
    0x002e3233, 0x002e3333, 0x002e3433, 0x002e3533, 0x002e3633, 0x002e3733, 0x002e3833, 0x002e3933,
    0x002e3034, 0x002e3134, 0x002e3234, 0x002e3334, 0x002e3434, 0x002e3534, 0x002e3634, 0x002e3734,
    0x002e3834, 0x002e3934, 0x002e3035, 0x002e3135, 0x002e3235, 0x002e3335, 0x002e3435, 0x002e3535,
    0x002e3635, 0x002e3735, 0x002e3835, 0x002e3935, 0x002e3036, 0x002e3136, 0x002e3236, 0x002e3336,
    0x002e3436, 0x002e3536, 0x002e3636, 0x002e3736, 0x002e3836, 0x002e3936, 0x002e3037, 0x002e3137,
    0x002e3237, 0x002e3337, 0x002e3437, 0x002e3537, 0x002e3637, 0x002e3737, 0x002e3837, 0x002e3937,
    0x002e3038, 0x002e3138, 0x002e3238, 0x002e3338, 0x002e3438, 0x002e3538, 0x002e3638, 0x002e3738,
    0x002e3838, 0x002e3938, 0x002e3039, 0x002e3139, 0x002e3239, 0x002e3339, 0x002e3439, 0x002e3539,
    0x002e3639, 0x002e3739, 0x002e3839, 0x002e3939, 0x2e303031, 0x2e313031, 0x2e323031, 0x2e333031,
    0x2e343031, 0x2e353031, 0x2e363031, 0x2e373031, 0x2e383031, 0x2e393031, 0x2e303131, 0x2e313131,
    0x2e323131, 0x2e333131, 0x2e343131, 0x2e353131, 0x2e363131, 0x2e373131, 0x2e383131, 0x2e393131,
    0x2e303231, 0x2e313231, 0x2e323231, 0x2e333231, 0x2e343231, 0x2e353231, 0x2e363231, 0x2e373231,
    0x2e383231, 0x2e393231, 0x2e303331, 0x2e313331, 0x2e323331, 0x2e333331, 0x2e343331, 0x2e353331,
    0x2e363331, 0x2e373331, 0x2e383331, 0x2e393331, 0x2e303431, 0x2e313431, 0x2e323431, 0x2e333431,
    0x2e343431, 0x2e353431, 0x2e363431, 0x2e373431, 0x2e383431, 0x2e393431, 0x2e303531, 0x2e313531,
    0x2e323531, 0x2e333531, 0x2e343531, 0x2e353531, 0x2e363531, 0x2e373531, 0x2e383531, 0x2e393531,
    0x2e303631, 0x2e313631, 0x2e323631, 0x2e333631, 0x2e343631, 0x2e353631, 0x2e363631, 0x2e373631,
    0x2e383631, 0x2e393631, 0x2e303731, 0x2e313731, 0x2e323731, 0x2e333731, 0x2e343731, 0x2e353731,
    0x2e363731, 0x2e373731, 0x2e383731, 0x2e393731, 0x2e303831, 0x2e313831, 0x2e323831, 0x2e333831,
    0x2e343831, 0x2e353831, 0x2e363831, 0x2e373831, 0x2e383831, 0x2e393831, 0x2e303931, 0x2e313931,
    0x2e323931, 0x2e333931, 0x2e343931, 0x2e353931, 0x2e363931, 0x2e373931, 0x2e383931, 0x2e393931,
    0x2e303032, 0x2e313032, 0x2e323032, 0x2e333032, 0x2e343032, 0x2e353032, 0x2e363032, 0x2e373032,
    0x2e383032, 0x2e393032, 0x2e303132, 0x2e313132, 0x2e323132, 0x2e333132, 0x2e343132, 0x2e353132,
    0x2e363132, 0x2e373132, 0x2e383132, 0x2e393132, 0x2e303232, 0x2e313232, 0x2e323232, 0x2e333232,
    0x2e343232, 0x2e353232, 0x2e363232, 0x2e373232, 0x2e383232, 0x2e393232, 0x2e303332, 0x2e313332,
    0x2e323332, 0x2e333332, 0x2e343332, 0x2e353332, 0x2e363332, 0x2e373332, 0x2e383332, 0x2e393332,
    0x2e303432, 0x2e313432, 0x2e323432, 0x2e333432, 0x2e343432, 0x2e353432, 0x2e363432, 0x2e373432,
    0x2e383432, 0x2e393432, 0x2e303532, 0x2e313532, 0x2e323532, 0x2e333532, 0x2e343532, 0x2e353532,
};

char *cnet__ipv4_fast_format(char *p, const uint8_t b[4])
{
    /* Four overlapping 4-byte stores, each advancing by the part and its
     * dot; the last dot lands at the end, as scratch. */
    for (int i = 0; i < 4; i++) {
        unsigned v = b[i];
        store_le32(p, part_text[v]);
        p += 2u + (v >= 10u) + (v >= 100u);
    }
    return p - 1;
}
