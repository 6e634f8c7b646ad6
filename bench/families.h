/*
 * The benchmark families bench_net.c runs, one file each. A family uses
 * the harness (harness.h) and no other family.
 */
#ifndef CNET_BENCH_FAMILIES_H
#define CNET_BENCH_FAMILIES_H

#include "harness.h"

test_def readline_test(void); /* readline.c (builds the line pattern) */
test_def bulk_test(void);     /* bulk.c */
test_def pingpong_test(void); /* pingpong.c */

#ifdef CNET_BENCH_URING
/* ring_cost.c: the ring's cost per operation when nothing waits, measured
 * in a process of its own pinned to `cpu`, and its report. */
void ring_op_cost(int cpu);
#endif

#endif
