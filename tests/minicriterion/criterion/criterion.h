/*
 * minicriterion: the part of Criterion's API that cnet's suites use, for
 * builds where Criterion does not exist (Windows via mingw-w64: Debian ships
 * no mingw Criterion). The same test sources compile against either.
 *
 * Test(suite, name, .timeout = S, .init = f, .fini = f) registers a test at
 * load time. The runner (minicriterion.c, which has main) runs each test on
 * a fresh thread, so cnet's per-thread error state starts clean as it does
 * in Criterion's per-test process; a failed fatal assertion or cr_skip_test
 * leaves the test with longjmp. It prints "[PASS] suite::name", "[FAIL] ..."
 * or "[SKIP] ...: reason", then "N passed, N failed, N skipped", and exits
 * non-zero when a test failed. Non-option arguments filter the tests by
 * substring of "suite::name" (a test runs when it matches any of them);
 * options (-j2, --verbose=0) are ignored.
 *
 * Not isolated like Criterion: a crash ends the whole executable (which
 * meson then reports as failed).
 */
#ifndef MINICRITERION_CRITERION_H
#define MINICRITERION_CRITERION_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct criterion_test_set {
    size_t tests;
};

struct mc_test {
    const char *suite;
    const char *name;
    void (*fn)(void);
    void (*init)(void);
    void (*fini)(void);
    double timeout; /* seconds; 0 = none */
    const char *file;
    int line;
    int mc_end; /* closes the option list of Test() */
    struct mc_test *next;
};

void mc_register(struct mc_test *test);
void mc_register_pre_all(void (*hook)(struct criterion_test_set *));
/* A failed check: prints it; fatal ones leave the test. The message is a
 * printf format followed by its arguments (and one unused ""). */
void mc_check_failed(bool fatal, const char *file, int line, const char *expr, const char *format, ...);
void mc_skip(const char *format, ...);

#define MC_CAT_(a, b) a##b
#define MC_CAT(a, b) MC_CAT_(a, b)

/* Test(suite, name) or Test(suite, name, .timeout = 10, ...). */
#define Test(...) MC_TEST_(__VA_ARGS__, .mc_end = 0)
#define MC_TEST_(s_, n_, ...)                                                                      \
    static void mc_fn_##s_##_##n_(void);                                                           \
    __attribute__((constructor)) static void mc_reg_##s_##_##n_(void)                              \
    {                                                                                              \
        static struct mc_test t = {.suite = #s_, .name = #n_, .fn = mc_fn_##s_##_##n_,             \
                                   .file = __FILE__, .line = __LINE__, __VA_ARGS__};              \
        mc_register(&t);                                                                           \
    }                                                                                              \
    static void mc_fn_##s_##_##n_(void)

/* ReportHook(PRE_ALL)(struct criterion_test_set *set) { ... } */
#define ReportHook(kind) MC_HOOK_##kind
#define MC_HOOK_PRE_ALL                                                                            \
    static void mc_pre_all(struct criterion_test_set *);                                           \
    __attribute__((constructor)) static void mc_reg_pre_all(void)                                  \
    {                                                                                              \
        mc_register_pre_all(mc_pre_all);                                                           \
    }                                                                                              \
    static void mc_pre_all

/* Every check takes an optional printf-style message after its operands. */
#define MC_CHECK_(fatal, cond, expr, ...)                                                          \
    do {                                                                                           \
        if (!(cond))                                                                               \
            mc_check_failed((fatal), __FILE__, __LINE__, (expr), __VA_ARGS__);                     \
    } while (0)

#define MC_BOOL_(fatal, c, ...) MC_CHECK_(fatal, (c), #c, __VA_ARGS__)
#define MC_NOT_(fatal, c, ...) MC_CHECK_(fatal, !(c), "!(" #c ")", __VA_ARGS__)
#define MC_CMP_(fatal, op, a, b, ...) MC_CHECK_(fatal, (a)op(b), #a " " #op " " #b, __VA_ARGS__)
#define MC_STR_(fatal, op, a, b, ...) MC_CHECK_(fatal, strcmp((a), (b)) op 0, #a " " #op " " #b, __VA_ARGS__)
#define MC_NULL_(fatal, p, ...) MC_CHECK_(fatal, (p) == NULL, #p " == NULL", __VA_ARGS__)
#define MC_NOT_NULL_(fatal, p, ...) MC_CHECK_(fatal, (p) != NULL, #p " != NULL", __VA_ARGS__)

#define cr_assert(...) MC_BOOL_(true, __VA_ARGS__, "")
#define cr_assert_not(...) MC_NOT_(true, __VA_ARGS__, "")
#define cr_assert_eq(...) MC_CMP_(true, ==, __VA_ARGS__, "")
#define cr_assert_neq(...) MC_CMP_(true, !=, __VA_ARGS__, "")
#define cr_assert_lt(...) MC_CMP_(true, <, __VA_ARGS__, "")
#define cr_assert_leq(...) MC_CMP_(true, <=, __VA_ARGS__, "")
#define cr_assert_gt(...) MC_CMP_(true, >, __VA_ARGS__, "")
#define cr_assert_geq(...) MC_CMP_(true, >=, __VA_ARGS__, "")
#define cr_assert_str_eq(...) MC_STR_(true, ==, __VA_ARGS__, "")
#define cr_assert_str_neq(...) MC_STR_(true, !=, __VA_ARGS__, "")
#define cr_assert_null(...) MC_NULL_(true, __VA_ARGS__, "")
#define cr_assert_not_null(...) MC_NOT_NULL_(true, __VA_ARGS__, "")
#define cr_assert_fail(...) mc_check_failed(true, __FILE__, __LINE__, "cr_assert_fail", "" __VA_ARGS__)

#define cr_expect(...) MC_BOOL_(false, __VA_ARGS__, "")
#define cr_expect_not(...) MC_NOT_(false, __VA_ARGS__, "")
#define cr_expect_eq(...) MC_CMP_(false, ==, __VA_ARGS__, "")
#define cr_expect_neq(...) MC_CMP_(false, !=, __VA_ARGS__, "")
#define cr_expect_lt(...) MC_CMP_(false, <, __VA_ARGS__, "")
#define cr_expect_leq(...) MC_CMP_(false, <=, __VA_ARGS__, "")
#define cr_expect_gt(...) MC_CMP_(false, >, __VA_ARGS__, "")
#define cr_expect_geq(...) MC_CMP_(false, >=, __VA_ARGS__, "")
#define cr_expect_str_eq(...) MC_STR_(false, ==, __VA_ARGS__, "")
#define cr_expect_str_neq(...) MC_STR_(false, !=, __VA_ARGS__, "")

#define cr_skip_test(...) mc_skip("" __VA_ARGS__)

#endif /* MINICRITERION_CRITERION_H */
