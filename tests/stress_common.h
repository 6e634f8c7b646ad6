/*
 * What the two stress programs (thread_stress.c, async_stress.c) share:
 * they run without Criterion so that ThreadSanitizer can watch them.
 * STRESS_NAME prefixes every message ("thread_stress", "async_stress").
 */
#ifndef CNET_TEST_STRESS_COMMON_H
#define CNET_TEST_STRESS_COMMON_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <cnet/cnet.h> /* before windows.h: it brings winsock2.h */
#if defined(_WIN32)
#include <windows.h>
#endif

#ifndef STRESS_NAME
#error "define STRESS_NAME before including stress_common.h"
#endif

static int failures;

#define CHECK(cond, ...)                                           \
    do {                                                           \
        if (!(cond)) {                                             \
            fprintf(stderr, STRESS_NAME ":%d: ", __LINE__);        \
            fprintf(stderr, __VA_ARGS__);                          \
            fprintf(stderr, " (%s)\n", cnet_last_error_message()); \
            failures++;                                            \
        }                                                          \
    } while (0)

static inline void sleep_ms(int ms)
{
#if defined(_WIN32)
    Sleep((DWORD)ms);
#else
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
#endif
}

static inline int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline void start_thread(pthread_t *t, void *(*run)(void *), void *arg)
{
    if (pthread_create(t, NULL, run, arg) != 0) {
        fprintf(stderr, STRESS_NAME ": pthread_create failed\n");
        exit(1);
    }
}

#endif /* CNET_TEST_STRESS_COMMON_H */
