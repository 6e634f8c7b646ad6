/*
 * What every benchmark program in bench/ shares (bench_net, bench_tls,
 * bench_ipaddr): the clocks, pinning to a CPU and the median.
 */
#ifndef CNET_BENCH_COMMON_H
#define CNET_BENCH_COMMON_H

#include <stdbool.h>

/* CLOCK_MONOTONIC in seconds. */
double now_s(void);

/* The calling thread's CPU time (CLOCK_THREAD_CPUTIME_ID, kernel time
 * included) in seconds. */
double cpu_s(void);

/* Pins the calling process to one CPU: false (errno set) when refused. */
bool pin_cpu(int cpu);

/* Sorts v[0..n) in ascending order. */
void sort_doubles(double *v, int n);

/* Sorts v[0..n) and returns its median: the middle value, or the mean of
 * the two middle values when n is even. */
double median(double *v, int n);

#endif
