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
test_def connect_test(void);  /* connect.c */
/* nim_readline.c: cnet_socket_read_line against Nim's net.readLine, both
 * readers in a child process, line sizes of its own; skipped without nim. */
void nim_readline_pass(int cpu);

#ifdef CNET_BENCH_URING
/* ring_cost.c: the ring's cost per operation when nothing waits, measured
 * in a process of its own pinned to `cpu`, and its report. */
void ring_op_cost(int cpu);
#endif

#endif
