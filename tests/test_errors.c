/* The error model: codes, names, messages in both languages, per-thread state. */
#include <pthread.h>

#include "test_common.h"

#define CHECK_CODE(name, value)                                                    \
    do {                                                                           \
        cr_assert_eq((int)name, value);                                            \
        cr_assert_str_eq(cnet_err_name(name), #name);                              \
        cr_assert_str_neq(cnet_strerror(name), "unknown error", "%s", #name);      \
        cr_assert_str_neq(cnet_strerror_zh(name), "未知错误", "%s", #name);        \
        count++;                                                                   \
    } while (0);

Test(errors, every_code_has_a_name_and_two_messages)
{
    int count = 0;
    CNET_ERROR_LIST(CHECK_CODE)
    cr_assert_gt(count, 30);
    cr_assert_str_eq(cnet_strerror(CNET_OK), "success");
    cr_assert_str_eq(cnet_strerror_zh(CNET_OK), "成功");
}

Test(errors, numbers_are_fixed)
{
    /* Published numbers never change; a renumbering breaks this test. */
    cr_assert_eq(CNET_OK, 0);
    cr_assert_eq(CNET_EINVAL, 1);
    cr_assert_eq(CNET_EBADF, 2);
    cr_assert_eq(CNET_ETIMEDOUT, 5);
    cr_assert_eq(CNET_ECONNRESET, 7);
    cr_assert_eq(CNET_EPIPE, 9);
    cr_assert_eq(CNET_ERANGE, 28);
    cr_assert_eq(CNET_EOS, 99);
}

Test(errors, unknown_numbers)
{
    cr_assert_str_eq(cnet_strerror((cnet_err)12345), "unknown error");
    cr_assert_str_eq(cnet_strerror_zh((cnet_err)-1), "未知错误");
    cr_assert_str_eq(cnet_err_name((cnet_err)98), "CNET_E_UNKNOWN");
}

Test(errors, last_error_records_code_os_error_and_message)
{
    cr_assert_eq(cnet_last_error(), CNET_OK, "nothing failed yet on this thread");
    cr_assert_str_eq(cnet_last_error_message(), "");
    cr_assert_eq(cnet_close(1000000), CNET_EBADF);
    cr_assert_eq(cnet_last_error(), CNET_EBADF);
    cr_assert_eq(cnet_last_os_error(), TC_OS_EBADF);
    cr_assert(strstr(cnet_last_error_message(), "cnet_close") != NULL);
    /* A check done by cnet itself has no OS error. */
    cr_assert_eq(cnet_listen(CNET_INVALID_SOCKET, 1), CNET_EBADF);
    cr_assert_eq(cnet_last_os_error(), 0);
    cr_assert(strstr(cnet_last_error_message(), "handle") != NULL);
    /* Success does not reset it. */
    cnet_port p;
    cr_assert_eq(cnet_port_from_int(5, &p), CNET_OK);
    cr_assert_eq(cnet_last_error(), CNET_EBADF);
}

static void *other_thread(void *arg)
{
    (void)arg;
    cnet_err before = cnet_last_error();
    cnet_port p;
    cnet_port_from_int(-5, &p);
    return (void *)(intptr_t)(before == CNET_OK && cnet_last_error() == CNET_EINVAL);
}

Test(errors, state_is_per_thread)
{
    cr_assert_eq(cnet_close(CNET_INVALID_SOCKET), CNET_EBADF);
    pthread_t t;
    void *ok = NULL;
    cr_assert_eq(pthread_create(&t, NULL, other_thread, NULL), 0);
    cr_assert_eq(pthread_join(t, &ok), 0);
    cr_assert(ok, "the other thread saw its own state");
    cr_assert_eq(cnet_last_error(), CNET_EBADF, "this thread's state is untouched");
}

Test(core, version_and_backend)
{
    cr_assert_str_eq(cnet_version(), CNET_TEST_VERSION);
    cr_assert(strcmp(cnet_backend_name(), "posix") == 0 || strcmp(cnet_backend_name(), "io_uring") == 0 ||
              strcmp(cnet_backend_name(), "winsock") == 0);
}
