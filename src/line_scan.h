/*
 * Line ends, found fast: a pure unit (bytes in, a pointer out, no socket),
 * shared by the blocking readLine (net_line.c) and the async layer.
 *
 * A line ends at the first "\r" or "\n" (a lone "\r" too, as in Nim). With
 * SSE2 (every x86-64) one step tests 16 bytes for both at once; on a CPU
 * with AVX2 (checked once per process at run time; CNET_NO_AVX2=1 in the
 * environment keeps SSE2) 32 bytes. Elsewhere two memchr passes beat a byte
 * loop.
 *
 * Two kinds of scan:
 * - cnet__find_eol, for any memory: it never reads outside [p, p+n).
 * - cnet__find_eol_padded and cnet__scan_copy_line, for a buffer followed
 *   by CNET__EOL_PAD bytes the caller allocated: they step in whole vectors
 *   and may read up to CNET__EOL_PAD - 1 bytes past p + n (a hit there is
 *   ignored), so they have no tail case.
 */
#ifndef CNET__LINE_SCAN_H
#define CNET__LINE_SCAN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#define CNET__EOL_VECTOR 1
#define CNET__EOL_PAD 32
#if defined(__x86_64__)
#define CNET__EOL_AVX2 1
#endif
#else
#define CNET__EOL_PAD 0
#endif

/* The first "\r" or "\n" in [p, p+n), or NULL; reads only [p, p+n). */
const unsigned char *cnet__find_eol(const unsigned char *p, size_t n);

/* Which vector unit the scans use in this process: "avx2", "sse2" or
 * "scalar" (for tests and benchmarks). */
const char *cnet__line_scan_isa(void);

#ifdef CNET__EOL_VECTOR
const unsigned char *cnet__find_eol_padded_sse2(const unsigned char *p, size_t n);
const unsigned char *cnet__scan_copy_line_sse2(const unsigned char *p, size_t n, char *line, size_t size);
#ifdef CNET__EOL_AVX2
const unsigned char *cnet__find_eol_padded_avx2(const unsigned char *p, size_t n);
const unsigned char *cnet__scan_copy_line_avx2(const unsigned char *p, size_t n, char *line, size_t size);

/* 0 not known yet, 1 no AVX2, 2 AVX2; decided by cnet__line_scan_decide. */
extern atomic_int cnet__line_scan_avx2;
bool cnet__line_scan_decide(void);

/* Inlined into every scan: one load and one compare once decided. */
static inline bool cnet__line_scan_use_avx2(void)
{
    int v = atomic_load_explicit(&cnet__line_scan_avx2, memory_order_relaxed);
    return __builtin_expect(v != 0, 1) ? v == 2 : cnet__line_scan_decide();
}
#endif

/* The first line end in the window [p, p+n), or NULL; may read up to
 * CNET__EOL_PAD - 1 bytes past p + n. */
static inline const unsigned char *cnet__find_eol_padded(const unsigned char *p, size_t n)
{
#ifdef CNET__EOL_AVX2
    if (cnet__line_scan_use_avx2())
        return cnet__find_eol_padded_avx2(p, n);
#endif
    return cnet__find_eol_padded_sse2(p, n);
}

/*
 * cnet__find_eol_padded with the copy of the line fused in: each vector is
 * loaded once, tested, and stored into `line` whole while it fits in `size`
 * bytes. n must not exceed size. Returns the line end, with the bytes before
 * it copied to line[0..]; bytes stored after them are scratch (the caller
 * puts its NUL there), and anywhere in line[0..size) may be written. NULL:
 * no line end in the window, and `line` holds scratch.
 */
static inline const unsigned char *cnet__scan_copy_line(const unsigned char *p, size_t n, char *line, size_t size)
{
#ifdef CNET__EOL_AVX2
    if (cnet__line_scan_use_avx2())
        return cnet__scan_copy_line_avx2(p, n, line, size);
#endif
    return cnet__scan_copy_line_sse2(p, n, line, size);
}
#else
static inline const unsigned char *cnet__find_eol_padded(const unsigned char *p, size_t n)
{
    return cnet__find_eol(p, n);
}

static inline const unsigned char *cnet__scan_copy_line(const unsigned char *p, size_t n, char *line, size_t size)
{
    (void)size;
    const unsigned char *eol = cnet__find_eol(p, n);
    if (eol != NULL)
        memcpy(line, p, (size_t)(eol - p));
    return eol;
}
#endif

#endif /* CNET__LINE_SCAN_H */
