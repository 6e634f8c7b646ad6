/* The handle bit set of handle_bits.h. */
#include <stdlib.h>

#include "handle_bits.h"

void cnet__handle_bits_put(cnet__handle_bits *set, uintptr_t index, bool on)
{
    if ((index >> CNET__HANDLE_BITS_SHIFT) >= CNET__HANDLE_BITS_PAGES)
        return;
    _Atomic(_Atomic(unsigned long) *) *slot = &set->page[index >> CNET__HANDLE_BITS_SHIFT];
    _Atomic(unsigned long) *page = atomic_load_explicit(slot, memory_order_acquire);
    if (page == NULL) {
        if (!on)
            return; /* nothing to clear */
        _Atomic(unsigned long) *fresh =
            calloc(((size_t)1 << CNET__HANDLE_BITS_SHIFT) / CNET__HANDLE_BITS_WORD, sizeof *fresh);
        if (fresh == NULL)
            return;
        _Atomic(unsigned long) *expected = NULL;
        if (atomic_compare_exchange_strong_explicit(slot, &expected, fresh, memory_order_acq_rel,
                                                    memory_order_acquire)) {
            page = fresh;
        } else {
            free(fresh); /* another thread installed the page first */
            page = expected;
        }
    }
    uintptr_t i = index & (((uintptr_t)1 << CNET__HANDLE_BITS_SHIFT) - 1);
    unsigned long bit = 1ul << (i % CNET__HANDLE_BITS_WORD);
    _Atomic(unsigned long) *word = &page[i / CNET__HANDLE_BITS_WORD];
    if (on)
        atomic_fetch_or_explicit(word, bit, memory_order_relaxed);
    else if (atomic_load_explicit(word, memory_order_relaxed) & bit)
        atomic_fetch_and_explicit(word, ~bit, memory_order_relaxed);
}
