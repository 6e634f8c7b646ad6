/*
 * The runner of minicriterion (see criterion/criterion.h): main() of every
 * test executable built without Criterion. Windows only: each test runs on
 * its own Win32 thread with an 8 MiB stack, waited for with its .timeout.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>

#include "criterion/criterion.h"

enum outcome { MC_PASS, MC_FAIL, MC_SKIP };

static struct mc_test *first, **last = &first;
static size_t count;
static void (*pre_all)(struct criterion_test_set *);

/* The state of the test running now (one at a time). */
static struct mc_test *current;
static jmp_buf escape;
static enum outcome result;
static char reason[1024];

void mc_register(struct mc_test *test)
{
    test->next = NULL;
    *last = test;
    last = &test->next;
    count++;
}

void mc_register_pre_all(void (*hook)(struct criterion_test_set *))
{
    pre_all = hook;
}

void mc_check_failed(bool fatal, const char *file, int line, const char *expr, const char *format, ...)
{
    char message[768];
    va_list ap;
    va_start(ap, format);
    vsnprintf(message, sizeof message, format, ap);
    va_end(ap);
    printf("  %s:%d: assertion failed: %s%s%s\n", file, line, expr, message[0] ? ": " : "", message);
    fflush(stdout);
    if (result == MC_PASS)
        snprintf(reason, sizeof reason, "%s:%d", file, line);
    result = MC_FAIL;
    if (fatal)
        longjmp(escape, 1);
}

void mc_skip(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    vsnprintf(reason, sizeof reason, format, ap);
    va_end(ap);
    if (result == MC_PASS)
        result = MC_SKIP;
    longjmp(escape, 1);
}

static DWORD WINAPI run_one(LPVOID arg)
{
    (void)arg;
    if (setjmp(escape) == 0) {
        if (current->init != NULL)
            current->init();
        current->fn();
    }
    if (current->fini != NULL)
        current->fini();
    return 0;
}

int main(int argc, char **argv)
{
    /* Every non-option argument is a filter; a test runs when its name
     * contains any of them (all run when there is none). */
    const char *filters[64];
    int nfilters = 0;
    for (int i = 1; i < argc; i++)
        if (argv[i][0] != '-' && nfilters < 64)
            filters[nfilters++] = argv[i];
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (pre_all != NULL) {
        struct criterion_test_set set = {count};
        pre_all(&set);
    }
    size_t passed = 0, failed = 0, skipped = 0;
    for (struct mc_test *t = first; t != NULL; t = t->next) {
        char full[256];
        snprintf(full, sizeof full, "%s::%s", t->suite, t->name);
        bool wanted = nfilters == 0;
        for (int i = 0; i < nfilters && !wanted; i++)
            wanted = strstr(full, filters[i]) != NULL;
        if (!wanted)
            continue;
        current = t;
        result = MC_PASS;
        reason[0] = '\0';
        HANDLE th = CreateThread(NULL, 8u << 20, run_one, NULL, STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
        if (th == NULL) {
            printf("[FAIL] %s: could not start a thread (error %lu)\n", full, (unsigned long)GetLastError());
            failed++;
            continue;
        }
        DWORD wait = t->timeout > 0 ? (DWORD)(t->timeout * 1000) : INFINITE;
        if (WaitForSingleObject(th, wait) == WAIT_TIMEOUT) {
            /* The test cannot be stopped cleanly: report it and stop here. */
            printf("[FAIL] %s: timed out after %g s\n", full, t->timeout);
            failed++;
            printf("%zu passed, %zu failed, %zu skipped\n", passed, failed, skipped);
            fflush(stdout);
            ExitProcess(1);
        }
        CloseHandle(th);
        switch (result) {
        case MC_PASS:
            printf("[PASS] %s\n", full);
            passed++;
            break;
        case MC_FAIL:
            printf("[FAIL] %s: %s\n", full, reason);
            failed++;
            break;
        case MC_SKIP:
            printf("[SKIP] %s: %s\n", full, reason);
            skipped++;
            break;
        }
    }
    printf("%zu passed, %zu failed, %zu skipped\n", passed, failed, skipped);
    fflush(stdout);
    return failed == 0 ? 0 : 1;
}
