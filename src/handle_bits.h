/*
 * A set of socket handles, one bit each: the edges' per-handle facts that
 * the OS will not tell cheaply (io_uring: handles made non-blocking through
 * cnet; Winsock: handles shut down for receiving). Pages of 64 Ki bits are
 * allocated when a first bit in them is set and never freed; an index past
 * the last page is never in the set, and the edge then behaves as it would
 * without the set. Lock-free: reading a bit is two loads (the data path
 * reads it), changing one is a read-modify-write.
 */
#ifndef CNET__HANDLE_BITS_H
#define CNET__HANDLE_BITS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define CNET__HANDLE_BITS_SHIFT 16 /* bits per page: 64 Ki */
#define CNET__HANDLE_BITS_PAGES 1024 /* indexes below 64 Mi */
#define CNET__HANDLE_BITS_WORD (8 * sizeof(unsigned long))

typedef struct {
    _Atomic(_Atomic(unsigned long) *) page[CNET__HANDLE_BITS_PAGES];
} cnet__handle_bits;

static inline bool cnet__handle_bits_get(cnet__handle_bits *set, uintptr_t index)
{
    if ((index >> CNET__HANDLE_BITS_SHIFT) >= CNET__HANDLE_BITS_PAGES)
        return false;
    _Atomic(unsigned long) *page =
        atomic_load_explicit(&set->page[index >> CNET__HANDLE_BITS_SHIFT], memory_order_acquire);
    if (page == NULL)
        return false;
    uintptr_t i = index & (((uintptr_t)1 << CNET__HANDLE_BITS_SHIFT) - 1);
    return (atomic_load_explicit(&page[i / CNET__HANDLE_BITS_WORD], memory_order_relaxed) >>
            (i % CNET__HANDLE_BITS_WORD)) & 1;
}

/* Put index in the set (on) or take it out. Setting a bit can fail for want
 * of memory: the index then stays out of the set. */
void cnet__handle_bits_put(cnet__handle_bits *set, uintptr_t index, bool on);

#endif
