/*
 * The line-end scanners of line_scan.h: SSE2 and AVX2 (x86), two memchr
 * passes elsewhere. (The raw reader of the benchmark needs only one memchr,
 * for "\n".)
 */
#include <stdlib.h>
#include <string.h>

#include "line_scan.h"

#ifdef CNET__EOL_VECTOR
#include <emmintrin.h>
#ifdef CNET__EOL_AVX2
#include <immintrin.h>
#endif

/* Never reads outside [p, p+n): its last vector overlaps the one before
 * (bytes already known to hold neither). */
static const unsigned char *find_eol_sse2(const unsigned char *p, size_t n)
{
    if (n < 16) {
        for (size_t i = 0; i < n; i++)
            if (p[i] == '\n' || p[i] == '\r')
                return p + i;
        return NULL;
    }
    const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    size_t i = 0;
    for (;;) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        unsigned hits = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)));
        if (hits != 0)
            return p + i + (unsigned)__builtin_ctz(hits);
        if (i + 16 == n)
            return NULL;
        i = i + 32 <= n ? i + 16 : n - 16;
    }
}

/*
 * The padded scans. With `line` NULL, find_eol_padded: the first line end in
 * the window [p, p+n), stepping whole vectors (they may read up to a vector
 * past the window, inside the caller's CNET__EOL_PAD). With `line`,
 * scan_copy_line: the same scan storing each vector into `line` whole while
 * it fits in `size` bytes; scan_copy_rest finishes where a whole vector no
 * longer fits. The window never exceeds `size`, so a line end found in it
 * is inside `line`.
 */
static const unsigned char *scan_copy_rest(const unsigned char *p, size_t n, char *line, size_t i);

static inline __attribute__((always_inline)) const unsigned char *scan_sse2(const unsigned char *p, size_t n,
                                                                           char *line, size_t size)
{
    const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    for (size_t i = 0; i < n; i += 16) {
        if (line != NULL && i + 16 > size)
            return scan_copy_rest(p, n, line, i);
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        if (line != NULL)
            _mm_storeu_si128((__m128i *)(void *)(line + i), v);
        unsigned hits = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)));
        if (hits != 0) {
            size_t k = i + (unsigned)__builtin_ctz(hits);
            return k < n ? p + k : NULL;
        }
    }
    return NULL;
}

const unsigned char *cnet__find_eol_padded_sse2(const unsigned char *p, size_t n)
{
    return scan_sse2(p, n, NULL, 0);
}

const unsigned char *cnet__scan_copy_line_sse2(const unsigned char *p, size_t n, char *line, size_t size)
{
    return scan_sse2(p, n, line, size);
}

/* The rest of a scan_copy_line from offset i on, where a whole vector no
 * longer fits in `line` (a line buffer of a few bytes): out of line, so the
 * scans' loops need no stack frame. */
static __attribute__((noinline, cold)) const unsigned char *scan_copy_rest(const unsigned char *p, size_t n,
                                                                          char *line, size_t i)
{
    const unsigned char *eol = cnet__find_eol_padded_sse2(p + i, n - i);
    if (eol != NULL)
        memcpy(line + i, p + i, (size_t)(eol - (p + i)));
    return eol;
}

#ifdef CNET__EOL_AVX2
__attribute__((target("avx2"))) static const unsigned char *find_eol_avx2(const unsigned char *p, size_t n)
{
    const __m256i lf = _mm256_set1_epi8('\n'), cr = _mm256_set1_epi8('\r');
    size_t i = 0; /* n >= 32 */
    for (;;) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(p + i));
        unsigned hits =
            (unsigned)_mm256_movemask_epi8(_mm256_or_si256(_mm256_cmpeq_epi8(v, lf), _mm256_cmpeq_epi8(v, cr)));
        if (hits != 0)
            return p + i + (unsigned)__builtin_ctz(hits);
        if (i + 32 == n)
            return NULL;
        i = i + 64 <= n ? i + 32 : n - 32;
    }
}

__attribute__((target("avx2"))) static inline __attribute__((always_inline)) const unsigned char *
scan_avx2(const unsigned char *p, size_t n, char *line, size_t size)
{
    const __m256i lf = _mm256_set1_epi8('\n'), cr = _mm256_set1_epi8('\r');
    for (size_t i = 0; i < n; i += 32) {
        if (line != NULL && i + 32 > size)
            return scan_copy_rest(p, n, line, i);
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(p + i));
        if (line != NULL)
            _mm256_storeu_si256((__m256i *)(void *)(line + i), v);
        unsigned hits =
            (unsigned)_mm256_movemask_epi8(_mm256_or_si256(_mm256_cmpeq_epi8(v, lf), _mm256_cmpeq_epi8(v, cr)));
        if (hits != 0) {
            size_t k = i + (unsigned)__builtin_ctz(hits);
            return k < n ? p + k : NULL;
        }
    }
    return NULL;
}

__attribute__((target("avx2"))) const unsigned char *cnet__find_eol_padded_avx2(const unsigned char *p, size_t n)
{
    return scan_avx2(p, n, NULL, 0);
}

__attribute__((target("avx2"))) const unsigned char *cnet__scan_copy_line_avx2(const unsigned char *p, size_t n,
                                                                              char *line, size_t size)
{
    return scan_avx2(p, n, line, size);
}

atomic_int cnet__line_scan_avx2;

/* AVX2 when the CPU has it and CNET_NO_AVX2 is unset (the tests set it to
 * check the SSE2 scans too); out of line, once per process. */
__attribute__((noinline, cold)) bool cnet__line_scan_decide(void)
{
    const char *off = getenv("CNET_NO_AVX2");
    int v = __builtin_cpu_supports("avx2") && (off == NULL || *off == '\0' || strcmp(off, "0") == 0) ? 2 : 1;
    atomic_store_explicit(&cnet__line_scan_avx2, v, memory_order_relaxed);
    return v == 2;
}
#endif /* CNET__EOL_AVX2 */

const unsigned char *cnet__find_eol(const unsigned char *p, size_t n)
{
#ifdef CNET__EOL_AVX2
    if (n >= 32 && cnet__line_scan_use_avx2())
        return find_eol_avx2(p, n);
#endif
    return find_eol_sse2(p, n);
}

const char *cnet__line_scan_isa(void)
{
#ifdef CNET__EOL_AVX2
    if (cnet__line_scan_use_avx2())
        return "avx2";
#endif
    return "sse2";
}

#else /* no vector unit */

const unsigned char *cnet__find_eol(const unsigned char *p, size_t n)
{
    const unsigned char *lf = memchr(p, '\n', n);
    const unsigned char *cr = memchr(p, '\r', lf ? (size_t)(lf - p) : n);
    return cr ? cr : lf;
}

const char *cnet__line_scan_isa(void)
{
    return "scalar";
}
#endif
