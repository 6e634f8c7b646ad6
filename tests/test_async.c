/*
 * Module async, the loop (spec/async.yaml): create/free, the per-thread
 * default loop, run/poll/stop/wake, timers, call_soon and post (from the
 * loop's thread and from others), outside descriptors (add_read/add_write),
 * embedding through cnet_loop_backend_fd, and cnet_loop_free with work
 * pending. Sockets are in test_async_socket.c and test_async_stream.c.
 */
#include "test_async.h"

#ifndef CNET_TEST_NET_BACKEND
#define CNET_TEST_NET_BACKEND "" /* set by tests/meson.build */
#endif

/* ----------------------------------------------------- create and free */

Test(async_loop, new_and_free, .timeout = 20)
{
#if defined(_WIN32)
    ta_free(ta_loop()); /* the thread's first loop warms Winsock up (ta_windows_warm): not counted */
#endif
    int fds = tc_open_fds();
    cnet_loop *a = ta_loop(), *b = ta_loop();
    cr_assert_neq(a, b);
    cr_assert_not(cnet_loop_alive(a));
    cr_assert_eq(cnet_loop_next_timeout(a), -1, "nothing scheduled");
    const char *be = cnet_loop_backend(a);
    cr_assert(strcmp(be, "io_uring") == 0 || strcmp(be, "epoll") == 0 || strcmp(be, "poll") == 0 ||
                  strcmp(be, "iocp") == 0,
              "unknown backend name \"%s\"", be);
    cr_assert_str_eq(cnet_loop_backend(b), be);

    /* Work on one loop is not the other's. */
    ta_rec r = {0};
    TA_START(cnet_loop_call_soon(a, ta_cb, &r, NULL));
    cr_assert(cnet_loop_alive(a));
    cr_assert_not(cnet_loop_alive(b));
    TC_OK(cnet_loop_poll(b, 0));
    cr_assert_eq(r.calls, 0, "a's callback ran from b's poll");
    TA_RUN_UNTIL(a, r.calls > 0, 2000);
    TA_DONE(r, CNET_ASYNC_CALL_SOON, CNET_OK);
    cr_assert_eq(r.loop, a);
    /* Fields that do not apply are zero. */
    cr_assert_null(r.socket);
    cr_assert_null(r.data);
    cr_assert_eq(r.bytes, 0);
    cr_assert_null(r.accepted);
    cr_assert_eq(r.port.value, 0);
    ta_free(a);
    ta_free(b);
    TC_OK(cnet_loop_free(NULL));

    /* The queries of a NULL loop. */
    cr_assert_str_eq(cnet_loop_backend(NULL), "none");
    cr_assert_eq(cnet_loop_backend_fd(NULL), -1);
    cr_assert_eq(cnet_loop_next_timeout(NULL), -1);
    cr_assert_not(cnet_loop_alive(NULL));

    /* Loops release their descriptors. */
    for (int i = 0; i < 20; i++)
        ta_free(ta_loop());
    cr_assert_eq(tc_open_fds(), fds, "cnet_loop_new/free leaked descriptors");
}

Test(async_loop, backend_is_the_expected_one, .timeout = 20)
{
    cnet_loop *loop = ta_loop(), *other = ta_loop();
    const char *be = cnet_loop_backend(loop);
    const char *poll_env = getenv("CNET_ASYNC_POLL"), *uring_env = getenv("CNET_IO_URING");
    const char *want = NULL;
    if (poll_env != NULL && strcmp(poll_env, "1") == 0)
        want = "poll";
#if defined(__linux__)
    else if (strcmp(CNET_TEST_NET_BACKEND, "io_uring") == 0 && !(uring_env != NULL && strcmp(uring_env, "off") == 0))
        want = getenv("CNET_EXPECT_IO_URING") != NULL ? "io_uring" : NULL; /* NULL: the kernel decides */
    else
        want = "epoll";
#elif defined(_WIN32)
    else
        want = "iocp";
    (void)uring_env;
#else
    else
        want = "poll";
    (void)uring_env;
#endif
    if (want != NULL)
        cr_assert_str_eq(be, want, "cnet_loop_backend says \"%s\" (CNET_ASYNC_POLL=%s, CNET_IO_URING=%s, build %s)", be,
                         poll_env ? poll_env : "unset", uring_env ? uring_env : "unset", CNET_TEST_NET_BACKEND);
    else
        cr_assert(strcmp(be, "io_uring") == 0 || strcmp(be, "epoll") == 0, "io_uring build runs \"%s\"", be);
    cr_assert_str_eq(cnet_loop_backend(other), be, "two loops of one process run on the same mechanism");
    if (strcmp(be, "poll") == 0 || strcmp(be, "iocp") == 0)
        cr_assert_eq(cnet_loop_backend_fd(loop), -1, "the %s loop has no embedding descriptor", be);
    else
        cr_assert_geq(cnet_loop_backend_fd(loop), 0, "%s has an embedding descriptor", be);
    cr_assert_neq(cnet_loop_backend_fd(loop), cnet_loop_backend_fd(other) == -1 ? -2 : cnet_loop_backend_fd(other),
                  "each loop has its own descriptor");
    ta_free(loop);
    ta_free(other);
}

struct default_in_thread {
    cnet_loop *first, *second;
    cnet_err err;
    int calls;
};

static void count_cb(const cnet_async_result *r, void *user)
{
    ta_note();
    (void)r;
    ++*(int *)user;
}

static void *default_thread(void *arg)
{
    struct default_in_thread *d = arg;
    d->err = cnet_loop_default(&d->first);
    if (d->err == CNET_OK)
        d->err = cnet_loop_default(&d->second);
    if (d->err == CNET_OK)
        d->err = cnet_loop_call_soon(d->first, count_cb, &d->calls, NULL);
    if (d->err == CNET_OK)
        d->err = cnet_loop_run(d->first);
    if (d->err == CNET_OK)
        d->err = cnet_loop_free(d->first);
    return NULL;
}

Test(async_loop, default_is_per_thread, .timeout = 20)
{
    cnet_loop *d1 = NULL, *d2 = NULL, *d3 = NULL;
    ta_free(ta_loop()); /* what a first loop opens once per process (the io_uring probe) is not counted */
    TC_OK(cnet_loop_default(&d1));
    TC_OK(cnet_loop_default(&d2));
    cr_assert_not_null(d1);
    cr_assert_eq(d1, d2, "the same thread gets the same loop");

    struct default_in_thread d = {NULL, NULL, CNET_OK, 0};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, default_thread, &d), 0);
    pthread_join(t, NULL);
    cr_assert_eq(d.err, CNET_OK, "in the thread: %s", cnet_err_name(d.err));
    cr_assert_eq(d.first, d.second);
    cr_assert_neq(d.first, d1, "another thread has its own default loop");
    cr_assert_eq(d.calls, 1, "the thread's loop ran its callback");

    /* Freed like any loop; the next call makes a new, working one. */
    ta_free(d1);
    TC_OK(cnet_loop_default(&d3));
    cr_assert_not_null(d3);
    cr_assert_not(cnet_loop_alive(d3));
    int calls = 0;
    TA_START(cnet_loop_call_soon(d3, count_cb, &calls, NULL));
    TC_OK(cnet_loop_run(d3));
    cr_assert_eq(calls, 1);
    ta_free(d3);
    TC_ERR(CNET_EINVAL, cnet_loop_default(NULL));
}

Test(async_loop, loops_and_threads_release_everything, .timeout = 20)
{
    ta_free(ta_loop()); /* what a first loop opens once per process (the io_uring probe) is not counted */
#if defined(_WIN32)
    {
        /* The first thread of a process opens handles of its own (3 under
         * wine, with or without a loop): not counted either. */
        struct default_in_thread d = {NULL, NULL, CNET_OK, 0};
        pthread_t t;
        cr_assert_eq(pthread_create(&t, NULL, default_thread, &d), 0);
        pthread_join(t, NULL);
    }
#endif
    int fds = tc_open_fds();
    for (int i = 0; i < 8; i++) {
        struct default_in_thread d = {NULL, NULL, CNET_OK, 0};
        pthread_t t;
        cr_assert_eq(pthread_create(&t, NULL, default_thread, &d), 0);
        pthread_join(t, NULL);
        cr_assert_eq(d.err, CNET_OK);
    }
    cr_assert_eq(tc_open_fds(), fds, "default loops of finished threads leaked descriptors");
}

/* ------------------------------------------------------------ run, poll */

Test(async_loop, run_returns_when_no_work_is_left, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    int64_t t0 = tc_now_ms();
    TC_OK(cnet_loop_run(loop));
    cr_assert_lt(tc_now_ms() - t0, 1000, "run waited with nothing to wait for");

    ta_rec soon = {0}, nap = {0};
    TA_START(cnet_loop_call_soon(loop, ta_cb, &soon, NULL));
    TA_START(cnet_loop_sleep(loop, 50, ta_cb, &nap, NULL));
    t0 = tc_now_ms();
    TC_OK(cnet_loop_run(loop));
    TA_DONE(soon, CNET_ASYNC_CALL_SOON, CNET_OK);
    TA_DONE(nap, CNET_ASYNC_TIMER, CNET_OK);
    cr_assert_geq(tc_now_ms() - t0, 49, "run returned before its timer");
    cr_assert_not(cnet_loop_alive(loop));
    TC_OK(cnet_loop_run(loop)); /* again: nothing */
    cr_assert_eq(soon.calls, 1);
    cr_assert_eq(nap.calls, 1);
    ta_free(loop);
}

Test(async_loop, poll_zero_does_not_wait, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    TC_OK(cnet_loop_poll(loop, 0)); /* an empty loop: at once */
    ta_rec r = {0};
    cnet_async_op *op = NULL;
    TA_START(cnet_loop_add_timer(loop, 3000, true, ta_cb, &r, &op));
    int64_t t0 = tc_now_ms();
    for (int i = 0; i < 5; i++)
        TC_OK(cnet_loop_poll(loop, 0));
    cr_assert_lt(tc_now_ms() - t0, 1000, "poll(0) waited for the 3 s timer");
    cr_assert_eq(r.calls, 0);
    cr_assert(cnet_loop_alive(loop));

    /* A positive timeout waits at most that long. */
    t0 = tc_now_ms();
    TC_OK(cnet_loop_poll(loop, 100));
    cr_assert_lt(tc_now_ms() - t0, 2500, "poll(100) waited for the 3 s timer");
    cr_assert_eq(r.calls, 0);
    TC_OK(cnet_async_cancel(op));
    TA_RUN_UNTIL(loop, r.calls > 0, 2000);
    TA_DONE(r, CNET_ASYNC_TIMER, CNET_ECANCELED);
    ta_free(loop);
}

Test(async_loop, alive_while_work_is_pending, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cr_assert_not(cnet_loop_alive(loop));
    ta_rec a = {0}, b = {0};
    TA_START(cnet_loop_call_soon(loop, ta_cb, &a, NULL));
    cr_assert(cnet_loop_alive(loop));
    TA_RUN_UNTIL(loop, a.calls > 0, 2000);
    cr_assert_not(cnet_loop_alive(loop));
    cnet_async_op *op = NULL;
    TA_START(cnet_loop_add_timer(loop, 5000, true, ta_cb, &b, &op));
    cr_assert(cnet_loop_alive(loop));
    TC_OK(cnet_async_cancel(op));
    TA_RUN_UNTIL(loop, b.calls > 0, 2000);
    TA_DONE(b, CNET_ASYNC_TIMER, CNET_ECANCELED);
    cr_assert_not(cnet_loop_alive(loop), "no work after the cancelled timer's callback");
    ta_free(loop);
}

/* ------------------------------------------------- stop and wake, threads */

struct later {
    cnet_loop *loop;
    int delay_ms;
    enum { LATER_STOP, LATER_WAKE, LATER_POST } what;
    ta_rec *rec;
    cnet_err err;
    pthread_t thread;
};

static void *later_run(void *arg)
{
    struct later *l = arg;
    tc_sleep_ms(l->delay_ms);
    switch (l->what) {
    case LATER_STOP:
        l->err = cnet_loop_stop(l->loop);
        break;
    case LATER_WAKE:
        l->err = cnet_loop_wake(l->loop);
        break;
    case LATER_POST:
        l->err = cnet_loop_post(l->loop, ta_cb, l->rec);
        break;
    }
    return NULL;
}

static void later_start(struct later *l)
{
    cr_assert_eq(pthread_create(&l->thread, NULL, later_run, l), 0);
}

static void later_join(struct later *l)
{
    pthread_join(l->thread, NULL);
    cr_assert_eq(l->err, CNET_OK, "the other thread's call failed: %s", cnet_err_name(l->err));
}

Test(async_loop, stop_from_another_thread, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    /* A loop that always has work (a periodic timer) returns only on stop. */
    ta_rec tick = {0};
    cnet_async_op *op = NULL;
    TA_START(cnet_loop_add_timer(loop, 20, false, ta_cb, &tick, &op));
    struct later l = {.loop = loop, .delay_ms = 150, .what = LATER_STOP, .rec = NULL};
    later_start(&l);
    int64_t t0 = tc_now_ms();
    TC_OK(cnet_loop_run(loop));
    int64_t took = tc_now_ms() - t0;
    later_join(&l);
    cr_assert_geq(took, 140, "run returned after %lld ms, before the stop", (long long)took);
    cr_assert_gt(tick.calls, 0, "the periodic timer ran meanwhile");
    TC_OK(cnet_async_cancel(op));
    int before = tick.calls;
    TA_RUN_UNTIL(loop, tick.calls > before && tick.err == CNET_ECANCELED, 2000);

    /* A loop blocked in its wait (a 60 s timer) is woken by the stop. */
    ta_rec far = {0};
    TA_START(cnet_loop_add_timer(loop, 60000, true, ta_cb, &far, &op));
    struct later l2 = {.loop = loop, .delay_ms = 100, .what = LATER_STOP, .rec = NULL};
    later_start(&l2);
    t0 = tc_now_ms();
    TC_OK(cnet_loop_run(loop));
    took = tc_now_ms() - t0;
    later_join(&l2);
    cr_assert_lt(took, 10000, "stop did not wake the blocked loop");
    cr_assert_eq(far.calls, 0);
    TC_OK(cnet_async_cancel(op));
    TC_OK(cnet_loop_run(loop));
    TA_DONE(far, CNET_ASYNC_TIMER, CNET_ECANCELED);
    ta_free(loop);
}

static void stop_cb(const cnet_async_result *r, void *user)
{
    ta_note();
    (void)user;
    cr_assert_eq(cnet_loop_stop(r->loop), CNET_OK);
    ++*(int *)user;
}

Test(async_loop, stop_from_a_callback_ends_this_run, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    int stops = 0;
    ta_rec nap = {0};
    TA_START(cnet_loop_sleep(loop, 200, ta_cb, &nap, NULL));
    TA_START(cnet_loop_call_soon(loop, stop_cb, &stops, NULL));
    TC_OK(cnet_loop_run(loop));
    cr_assert_eq(stops, 1);
    cr_assert_eq(nap.calls, 0, "run went on after the stop");
    cr_assert(cnet_loop_alive(loop));
    TC_OK(cnet_loop_run(loop)); /* the next run carries on */
    TA_DONE(nap, CNET_ASYNC_TIMER, CNET_OK);
    ta_free(loop);
}

Test(async_loop, wake_from_another_thread, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    ta_rec far = {0};
    cnet_async_op *op = NULL;
    TA_START(cnet_loop_add_timer(loop, 60000, true, ta_cb, &far, &op));
    TC_OK(cnet_loop_poll(loop, 0));
    struct later l = {.loop = loop, .delay_ms = 100, .what = LATER_WAKE, .rec = NULL};
    later_start(&l);
    int64_t t0 = tc_now_ms();
    TC_OK(cnet_loop_poll(loop, 15000));
    int64_t took = tc_now_ms() - t0;
    later_join(&l);
    cr_assert_lt(took, 10000, "wake did not end the wait");
    cr_assert_eq(far.calls, 0);
    TC_OK(cnet_loop_wake(loop)); /* from the loop's own thread too */
    TC_OK(cnet_async_cancel(op));
    TC_OK(cnet_loop_run(loop));
    TA_DONE(far, CNET_ASYNC_TIMER, CNET_ECANCELED);
    ta_free(loop);
}

Test(async_loop, poll_forever_returns_for_a_post, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    ta_rec r = {0};
    struct later l = {.loop = loop, .delay_ms = 100, .what = LATER_POST, .rec = &r};
    later_start(&l);
    TC_OK(cnet_loop_poll(loop, -1));
    later_join(&l);
    TA_DONE(r, CNET_ASYNC_CALL_SOON, CNET_OK);
    cr_assert_eq(r.loop, loop);
    ta_free(loop);
}

/* ---------------------------------------------------------------- timers */

Test(async_timer, fire_in_deadline_order_never_early, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    enum { N = 7 };
    const int ms[N] = {80, 20, 50, 0, 30, 10, 120};
    ta_rec r[N];
    cnet_async_op *ops[N];
    memset(r, 0, sizeof r);
    int64_t t0 = ta_now_us();
    for (int i = 0; i < N; i++)
        TA_START(cnet_loop_add_timer(loop, ms[i], true, ta_cb, &r[i], &ops[i]));
    TC_OK(cnet_loop_run(loop));
    for (int i = 0; i < N; i++) {
        TA_DONE(r[i], CNET_ASYNC_TIMER, CNET_OK);
        cr_assert_eq(r[i].op, ops[i]);
        int64_t after = r[i].at_us - t0;
        cr_assert_geq(after, (int64_t)ms[i] * 1000, "the %d ms timer ran early, after %lld us", ms[i],
                      (long long)after);
        cr_assert_lt(after, (int64_t)ms[i] * 1000 + 3000000, "the %d ms timer ran after %lld us", ms[i],
                     (long long)after);
        for (int j = 0; j < N; j++)
            if (ms[j] < ms[i])
                cr_assert_lt(r[j].seq, r[i].seq, "the %d ms timer ran before the %d ms one", ms[i], ms[j]);
    }
    ta_free(loop);
}

Test(async_timer, not_early_after_the_loop_sat_idle, .timeout = 20)
{
    /* A loop that caches "now" per iteration must refresh it for a timer
     * started long after its last iteration. */
    cnet_loop *loop = ta_loop();
    TC_OK(cnet_loop_poll(loop, 0));
    tc_sleep_ms(200);
    ta_rec t = {0}, s = {0};
    int64_t t0 = ta_now_us();
    TA_START(cnet_loop_add_timer(loop, 100, true, ta_cb, &t, NULL));
    TC_OK(cnet_loop_run(loop));
    cr_assert_geq(t.at_us - t0, 100000, "the 100 ms timer ran after %lld us", (long long)(t.at_us - t0));
    tc_sleep_ms(200);
    t0 = ta_now_us();
    TA_START(cnet_loop_sleep(loop, 100, ta_cb, &s, NULL));
    TC_OK(cnet_loop_run(loop));
    TA_DONE(s, CNET_ASYNC_TIMER, CNET_OK);
    cr_assert_geq(s.at_us - t0, 100000, "the 100 ms sleep ended after %lld us", (long long)(s.at_us - t0));
    ta_free(loop);
}

Test(async_timer, equal_deadlines_run_in_start_order, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    enum { N = 8 };
    ta_rec r[N], z[N];
    memset(r, 0, sizeof r);
    memset(z, 0, sizeof z);
    for (int i = 0; i < N; i++) {
        TA_START(cnet_loop_add_timer(loop, 40, true, ta_cb, &r[i], NULL));
        TA_START(cnet_loop_add_timer(loop, 0, true, ta_cb, &z[i], NULL));
    }
    TC_OK(cnet_loop_run(loop));
    for (int i = 0; i < N; i++) {
        TA_DONE(r[i], CNET_ASYNC_TIMER, CNET_OK);
        TA_DONE(z[i], CNET_ASYNC_TIMER, CNET_OK);
        if (i > 0) {
            cr_assert_lt(r[i - 1].seq, r[i].seq, "40 ms timers %d and %d ran out of start order", i - 1, i);
            cr_assert_lt(z[i - 1].seq, z[i].seq, "0 ms timers %d and %d ran out of start order", i - 1, i);
        }
        cr_assert_lt(z[i].seq, r[0].seq, "a 0 ms timer ran after a 40 ms one");
    }
    ta_free(loop);
}

struct periodic {
    int ok;             /* CNET_OK calls */
    int cancelled;      /* CNET_ECANCELED calls */
    int other;          /* anything else */
    int ok_after_cancel;
    int64_t at[64];     /* when each OK call ran (us) */
    cnet_async_op *op;
    int cancel_at;      /* cancel inside the cancel_at-th OK call (0: never) */
    int work_ms;        /* time spent in each OK call */
    cnet_err cancel_err;
    cnet_async_kind kind;
};

static void periodic_cb(const cnet_async_result *r, void *user)
{
    struct periodic *p = user;
    ta_note();
    p->kind = r->kind;
    if (r->op != p->op)
        p->other++;
    if (r->err == CNET_ECANCELED) {
        p->cancelled++;
        return;
    }
    if (r->err != CNET_OK) {
        p->other++;
        return;
    }
    if (p->cancelled > 0)
        p->ok_after_cancel++;
    if (p->ok < 64)
        p->at[p->ok] = ta_now_us();
    p->ok++;
    if (p->work_ms > 0)
        tc_sleep_ms(p->work_ms);
    if (p->cancel_at > 0 && p->ok == p->cancel_at)
        p->cancel_err = cnet_async_cancel(p->op);
}

Test(async_timer, periodic_runs_every_period_until_cancelled, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    struct periodic p = {0};
    int64_t t0 = ta_now_us();
    TA_START(cnet_loop_add_timer(loop, 20, false, periodic_cb, &p, &p.op));
    TA_RUN_UNTIL(loop, p.ok >= 5, 5000);
    int n = p.ok;
    cr_assert_eq(p.cancelled, 0);
    TC_OK(cnet_async_cancel(p.op));
    TA_RUN_UNTIL(loop, p.cancelled > 0, 2000);
    ta_spin(loop, 100);
    cr_assert_eq(p.cancelled, 1, "one last call with CNET_ECANCELED, got %d", p.cancelled);
    cr_assert_eq(p.ok, n, "OK calls after the cancel");
    cr_assert_eq(p.other, 0);
    cr_assert_eq(p.kind, CNET_ASYNC_TIMER);
    for (int k = 0; k < n && k < 64; k++)
        cr_assert_geq(p.at[k] - t0, (int64_t)(k + 1) * 20000, "call %d came early, after %lld us", k + 1,
                      (long long)(p.at[k] - t0));
    cr_assert_not(cnet_loop_alive(loop));
    ta_free(loop);
}

Test(async_timer, periodic_cancelled_from_its_own_callback, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    struct periodic p = {0};
    p.cancel_at = 3;
    TA_START(cnet_loop_add_timer(loop, 15, false, periodic_cb, &p, &p.op));
    TC_OK(cnet_loop_run(loop)); /* returns: the cancelled timer is the only work */
    cr_assert_eq(p.cancel_err, CNET_OK);
    cr_assert_eq(p.ok, 3);
    cr_assert_eq(p.cancelled, 1);
    cr_assert_eq(p.ok_after_cancel, 0);
    cr_assert_eq(p.other, 0);
    ta_free(loop);
}

Test(async_timer, periodic_does_not_drift, .timeout = 20)
{
    /* Each call spends 30 ms of a 40 ms period. Counted from the deadline
     * the 10th call comes at 400 ms; counted from the end of the previous
     * call (drift) at 700 ms. */
    cnet_loop *loop = ta_loop();
    struct periodic p = {0};
    p.cancel_at = 10;
    p.work_ms = 30;
    int64_t t0 = ta_now_us();
    TA_START(cnet_loop_add_timer(loop, 40, false, periodic_cb, &p, &p.op));
    TC_OK(cnet_loop_run(loop));
    cr_assert_eq(p.ok, 10);
    cr_assert_eq(p.cancelled, 1);
    int64_t tenth = p.at[9] - t0;
    cr_assert_geq(tenth, 400000, "the 10th call came early: %lld us", (long long)tenth);
    cr_assert_lt(tenth, 600000, "the 10th call came after %lld us: the period drifts with the callback's time",
                 (long long)tenth);
    ta_free(loop);
}

Test(async_timer, sleep_runs_once, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    ta_rec s = {0}, z = {0};
    cnet_async_op *op = NULL;
    int64_t t0 = ta_now_us();
    TA_START(cnet_loop_sleep(loop, 30, ta_cb, &s, &op));
    TA_START(cnet_loop_sleep(loop, 0, ta_cb, &z, NULL));
    TC_OK(cnet_loop_run(loop));
    TA_DONE(s, CNET_ASYNC_TIMER, CNET_OK);
    TA_DONE(z, CNET_ASYNC_TIMER, CNET_OK);
    cr_assert_eq(s.op, op);
    cr_assert_geq(s.at_us - t0, 30000, "the 30 ms sleep ended early");
    cr_assert_lt(z.seq, s.seq);
    ta_spin(loop, 60);
    cr_assert_eq(s.calls, 1);
    ta_free(loop);
}

Test(async_timer, cancel_a_one_shot_timer, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    ta_rec t = {0}, keep = {0};
    cnet_async_op *op = NULL;
    TA_START(cnet_loop_add_timer(loop, 10000, true, ta_cb, &t, &op));
    TA_START(cnet_loop_add_timer(loop, 30, true, ta_cb, &keep, NULL));
    TC_OK(cnet_loop_poll(loop, 0));
    int64_t t0 = tc_now_ms();
    TA_START(cnet_async_cancel(op));
    TC_OK(cnet_loop_run(loop));
    cr_assert_lt(tc_now_ms() - t0, 5000, "the cancelled timer kept the loop waiting");
    TA_DONE(t, CNET_ASYNC_TIMER, CNET_ECANCELED);
    TA_DONE(keep, CNET_ASYNC_TIMER, CNET_OK);
    cr_assert_eq(t.op, op);
    ta_free(loop);
}

Test(async_timer, next_timeout_tracks_the_earliest_deadline, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cr_assert_eq(cnet_loop_next_timeout(loop), -1);
    ta_rec a = {0}, b = {0}, c = {0};
    cnet_async_op *oa = NULL, *ob = NULL;
    TA_START(cnet_loop_add_timer(loop, 5000, true, ta_cb, &a, &oa));
    int nt = cnet_loop_next_timeout(loop);
    cr_assert(nt > 2500 && nt <= 5001, "next_timeout %d with a 5000 ms timer", nt);
    TA_START(cnet_loop_add_timer(loop, 1000, true, ta_cb, &b, &ob));
    nt = cnet_loop_next_timeout(loop);
    cr_assert(nt > 500 && nt <= 1001, "next_timeout %d with a 1000 ms timer", nt);
    TA_START(cnet_loop_call_soon(loop, ta_cb, &c, NULL));
    cr_assert_eq(cnet_loop_next_timeout(loop), 0, "a callback is due");
    TA_RUN_UNTIL(loop, c.calls > 0, 2000);
    nt = cnet_loop_next_timeout(loop);
    cr_assert(nt > 0 && nt <= 1001, "next_timeout %d after the call_soon ran", nt);
    TC_OK(cnet_async_cancel(oa));
    TC_OK(cnet_async_cancel(ob));
    TA_RUN_UNTIL(loop, a.calls > 0 && b.calls > 0, 2000);
    cr_assert_eq(cnet_loop_next_timeout(loop), -1, "nothing scheduled after the cancels");
    ta_free(loop);
}

/* ------------------------------------------------------ call_soon, post */

Test(async_post, call_soon_runs_in_start_order, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    enum { N = 50 };
    ta_rec r[N];
    cnet_async_op *ops[N];
    memset(r, 0, sizeof r);
    for (int i = 0; i < N; i++)
        TA_START(cnet_loop_call_soon(loop, ta_cb, &r[i], &ops[i]));
    TC_OK(cnet_loop_run(loop));
    for (int i = 0; i < N; i++) {
        TA_DONE(r[i], CNET_ASYNC_CALL_SOON, CNET_OK);
        cr_assert_eq(r[i].op, ops[i]);
        if (i > 0)
            cr_assert_lt(r[i - 1].seq, r[i].seq, "call_soon %d ran before %d", i, i - 1);
    }
    TA_START(cnet_loop_call_soon(loop, ta_cb, &r[0], NULL)); /* op may be NULL */
    TC_OK(cnet_loop_run(loop));
    cr_assert_eq(r[0].calls, 2);
    ta_free(loop);
}

struct chain {
    ta_rec first, second;
    cnet_err err;
    bool first_returned;  /* set as the first callback returns */
    bool second_saw_return;
};

static void chain_second(const cnet_async_result *r, void *user)
{
    struct chain *c = user;
    ta_record(&c->second, r, ta_note());
    c->second_saw_return = c->first_returned;
}

static void chain_first(const cnet_async_result *r, void *user)
{
    struct chain *c = user;
    ta_record(&c->first, r, ta_note());
    ta_starting = true;
    c->err = cnet_loop_call_soon(r->loop, chain_second, c, NULL);
    ta_starting = false;
    c->first_returned = true;
}

Test(async_post, call_soon_from_a_callback_runs_after_it_before_the_next_wait, .timeout = 20)
{
    /* "after the running callback returns, before the loop next waits":
     * one poll(0) runs both, the second after the first returned. */
    cnet_loop *loop = ta_loop();
    struct chain c = {0};
    TA_START(cnet_loop_call_soon(loop, chain_first, &c, NULL));
    TC_OK(cnet_loop_poll(loop, 0));
    cr_assert_eq(c.first.calls, 1);
    cr_assert_eq(c.err, CNET_OK);
    cr_assert_eq(ta_inside, 0, "the second callback ran inside the first one's call_soon");
    TA_DONE(c.second, CNET_ASYNC_CALL_SOON, CNET_OK);
    cr_assert(c.second_saw_return, "the second callback ran before the first returned");
    cr_assert_lt(c.first.seq, c.second.seq);
    ta_free(loop);
}

struct forever {
    long calls;
    cnet_err err;
};

static void forever_cb(const cnet_async_result *r, void *user)
{
    struct forever *f = user;
    ta_note();
    f->calls++;
    if (r->err == CNET_OK)
        f->err = cnet_loop_call_soon(r->loop, forever_cb, f, NULL);
}

Test(async_post, a_call_soon_chain_does_not_starve_the_loop, .timeout = 20)
{
    /* A callback that always schedules itself again: each poll still
     * returns, and timers and I/O still get their turn. */
    cnet_loop *loop = ta_loop();
    struct forever f = {0, CNET_OK};
    ta_rec t = {0}, r = {0};
    TA_START(cnet_loop_call_soon(loop, forever_cb, &f, NULL));
    TA_START(cnet_loop_sleep(loop, 30, ta_cb, &t, NULL));
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    TA_START(cnet_async_recv(s, 2, true, CNET_FLAGS_DEFAULT, 5000, ta_cb, &r, NULL));
    ta_peer_str(peer, "io");
    int64_t t0 = tc_now_ms();
    for (int i = 0; i < 3; i++)
        TC_OK(cnet_loop_poll(loop, 0)); /* each returns */
    cr_assert_lt(tc_now_ms() - t0, 5000, "poll(0) ran the chain for seconds");
    TA_RUN_UNTIL(loop, t.calls > 0 && r.calls > 0, 5000);
    TA_DONE(t, CNET_ASYNC_TIMER, CNET_OK);
    TA_DONE(r, CNET_ASYNC_RECV, CNET_OK);
    cr_assert_eq(f.err, CNET_OK);
    cr_assert_gt(f.calls, 3);
    cnet_socket_free(peer);
    ta_free(loop); /* the chain ends with one CNET_ECANCELED call */
}

struct post_slot {
    int thread, index;
    int calls;
    cnet_err err;
    cnet_async_kind kind;
};

struct post_log {
    int last[8];   /* the last index seen per thread */
    int total, out_of_order, bad;
};

static struct post_log post_log;

static void post_cb(const cnet_async_result *r, void *user)
{
    struct post_slot *s = user;
    ta_note();
    s->calls++;
    s->err = r->err;
    s->kind = r->kind;
    if (r->err == CNET_OK) {
        if (s->index <= post_log.last[s->thread])
            post_log.out_of_order++;
        post_log.last[s->thread] = s->index;
    }
    if (r->kind != CNET_ASYNC_CALL_SOON || r->op == NULL)
        post_log.bad++;
    post_log.total++;
}

Test(async_post, posts_from_the_loop_thread_run_in_order, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    enum { N = 200 };
    static struct post_slot slots[N];
    memset(&post_log, 0, sizeof post_log);
    post_log.last[0] = -1;
    for (int i = 0; i < N; i++) {
        slots[i] = (struct post_slot){0, i, 0, CNET_OK, CNET_ASYNC_TIMER};
        TA_START(cnet_loop_post(loop, post_cb, &slots[i]));
    }
    cr_assert(cnet_loop_alive(loop), "posts are work");
    TA_RUN_UNTIL(loop, post_log.total == N, 5000);
    for (int i = 0; i < N; i++) {
        cr_assert_eq(slots[i].calls, 1, "post %d ran %d times", i, slots[i].calls);
        cr_assert_eq(slots[i].err, CNET_OK);
    }
    cr_assert_eq(post_log.out_of_order, 0);
    cr_assert_eq(post_log.bad, 0, "a post's result was not kind CNET_ASYNC_CALL_SOON with its op");
    ta_free(loop);
}

Test(async_post, run_runs_a_post_made_before_it, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    ta_rec r = {0};
    TA_START(cnet_loop_post(loop, ta_cb, &r));
    TC_OK(cnet_loop_run(loop));
    TA_DONE(r, CNET_ASYNC_CALL_SOON, CNET_OK);
    ta_free(loop);
}

struct poster {
    cnet_loop *loop;
    int thread, count;
    struct post_slot *slots;
    cnet_err err;
    pthread_t t;
};

static void *poster_run(void *arg)
{
    struct poster *p = arg;
    for (int i = 0; i < p->count && p->err == CNET_OK; i++) {
        p->slots[i] = (struct post_slot){p->thread, i, 0, CNET_OK, CNET_ASYNC_TIMER};
        p->err = cnet_loop_post(p->loop, post_cb, &p->slots[i]);
    }
    return NULL;
}

Test(async_post, posts_from_other_threads_each_run_once_in_order, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    enum { T = 4, N = 1000 };
    static struct post_slot slots[T][N];
    struct poster ps[T];
    memset(&post_log, 0, sizeof post_log);
    for (int t = 0; t < T; t++) {
        post_log.last[t] = -1;
        ps[t] = (struct poster){.loop = loop, .thread = t, .count = N, .slots = slots[t]};
    }
    for (int t = 0; t < T; t++)
        cr_assert_eq(pthread_create(&ps[t].t, NULL, poster_run, &ps[t]), 0);
    /* The loop runs meanwhile, waiting in its backend between posts. */
    int64_t end = tc_now_ms() + 15000;
    while (post_log.total < T * N && tc_now_ms() < end)
        TC_OK(cnet_loop_poll(loop, 50));
    for (int t = 0; t < T; t++) {
        pthread_join(ps[t].t, NULL);
        cr_assert_eq(ps[t].err, CNET_OK, "thread %d: cnet_loop_post: %s", t, cnet_err_name(ps[t].err));
    }
    cr_assert_eq(post_log.total, T * N, "%d of %d posts ran", post_log.total, T * N);
    for (int t = 0; t < T; t++)
        for (int i = 0; i < N; i++)
            cr_assert_eq(slots[t][i].calls, 1, "post %d of thread %d ran %d times", i, t, slots[t][i].calls);
    cr_assert_eq(post_log.out_of_order, 0, "posts of one thread ran out of order");
    cr_assert_eq(post_log.bad, 0);
    ta_spin(loop, 50);
    cr_assert_eq(post_log.total, T * N, "a post ran twice");
    ta_free(loop);
}

Test(async_post, posts_pending_at_free_are_cancelled, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    enum { N = 20 };
    static struct post_slot slots[N];
    memset(&post_log, 0, sizeof post_log);
    struct poster p = {.loop = loop, .thread = 0, .count = N, .slots = slots};
    cr_assert_eq(pthread_create(&p.t, NULL, poster_run, &p), 0);
    pthread_join(p.t, NULL);
    TC_OK(p.err);
    ta_free(loop); /* never polled */
    for (int i = 0; i < N; i++) {
        cr_assert_eq(slots[i].calls, 1, "post %d ran %d times in cnet_loop_free", i, slots[i].calls);
        cr_assert_eq(slots[i].err, CNET_ECANCELED, "post %d: %s", i, cnet_err_name(slots[i].err));
    }
}

/* ------------------------------------------------ outside descriptors */

#if !defined(_WIN32)
static void ta_pipe(int fds[2])
{
    cr_assert_eq(pipe(fds), 0, "pipe: %s", strerror(errno));
}
#endif

/* A connected pair of plain handles over loopback TCP. */
static void handle_pair(cnet_socket_handle *a, cnet_socket_handle *b)
{
    cnet_port port;
    cnet_socket_handle l = tc_listener(CNET_AF_INET, &port);
    *a = tc_connect(CNET_AF_INET, port);
    TC_OK(cnet_accept(l, false, b, NULL, 0));
    cnet_close(l);
}

Test(async_fd, add_read_fires_once_and_leaves_the_descriptor_alone, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
#if defined(_WIN32)
    /* No pipes there: a connected pair of sockets (a reads, b writes). */
    cnet_socket_handle a, b;
    handle_pair(&a, &b);
    bool nb = tc_nonblocking(a);
    ta_rec r = {0};
    cnet_async_op *op = NULL;
    TA_START(cnet_loop_add_read(loop, a, -1, ta_cb, &r, &op));
    cr_assert(cnet_loop_alive(loop));
    ta_spin(loop, 50);
    cr_assert_eq(r.calls, 0, "readable before anything was written");
    cr_assert_eq(send(b, "x", 1, 0), 1);
    TA_RUN_UNTIL(loop, r.calls > 0, 5000);
    TA_DONE(r, CNET_ASYNC_READABLE, CNET_OK);
    cr_assert_eq(r.op, op);
    cr_assert_null(r.socket);
    char c = 0;
    cr_assert_eq(recv(a, &c, 1, 0), 1, "the byte was consumed by the loop");
    cr_assert_eq(c, 'x');
    cr_assert_eq(tc_nonblocking(a), nb, "the handle's mode changed");
    cr_assert_eq(send(b, "y", 1, 0), 1);
    ta_spin(loop, 50);
    cr_assert_eq(r.calls, 1, "add_read runs once");
    cr_assert_not(cnet_loop_alive(loop));
    /* Started again from outside for the next event. */
    TA_START(cnet_loop_add_read(loop, a, -1, ta_cb, &r, NULL));
    TA_RUN_UNTIL(loop, r.calls > 1, 5000);
    cr_assert_eq(r.err, CNET_OK);
    cnet_close(a);
    cnet_close(b);
#else
    int fds[2];
    ta_pipe(fds);
    int flags = fcntl(fds[0], F_GETFL);
    ta_rec r = {0};
    cnet_async_op *op = NULL;
    TA_START(cnet_loop_add_read(loop, fds[0], -1, ta_cb, &r, &op));
    cr_assert(cnet_loop_alive(loop));
    ta_spin(loop, 50);
    cr_assert_eq(r.calls, 0, "readable before anything was written");
    cr_assert_eq(write(fds[1], "x", 1), 1);
    TA_RUN_UNTIL(loop, r.calls > 0, 5000);
    TA_DONE(r, CNET_ASYNC_READABLE, CNET_OK);
    cr_assert_eq(r.op, op);
    cr_assert_null(r.socket);
    cr_assert_eq(fcntl(fds[0], F_GETFL), flags, "the descriptor's flags changed");
    char c = 0;
    cr_assert_eq(read(fds[0], &c, 1), 1, "the byte was consumed by the loop");
    cr_assert_eq(c, 'x');
    cr_assert_eq(write(fds[1], "y", 1), 1);
    ta_spin(loop, 50);
    cr_assert_eq(r.calls, 1, "add_read runs once");
    cr_assert_not(cnet_loop_alive(loop));
    /* Started again from outside for the next event. */
    TA_START(cnet_loop_add_read(loop, fds[0], -1, ta_cb, &r, NULL));
    TA_RUN_UNTIL(loop, r.calls > 1, 5000);
    cr_assert_eq(r.err, CNET_OK);
    close(fds[0]);
    close(fds[1]);
#endif
    ta_free(loop);
}

Test(async_fd, add_write_waits_for_room, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
#if defined(_WIN32)
    /* No pipes there: a connected pair of sockets (a writes, b reads). */
    cnet_socket_handle a, b;
    handle_pair(&a, &b);
    ta_rec w = {0};
    TA_START(cnet_loop_add_write(loop, a, -1, ta_cb, &w, NULL));
    TA_RUN_UNTIL(loop, w.calls > 0, 5000);
    TA_DONE(w, CNET_ASYNC_WRITABLE, CNET_OK);

    /* A full send buffer is not writable until the peer drains it. */
    TC_OK(cnet_set_blocking(a, false));
    static char junk[65536];
    size_t filled = 0;
    int n;
    while ((n = send(a, junk, sizeof junk, 0)) > 0)
        filled += (size_t)n;
    cr_assert_eq(WSAGetLastError(), WSAEWOULDBLOCK);
    ta_rec w2 = {0};
    TA_START(cnet_loop_add_write(loop, a, -1, ta_cb, &w2, NULL));
    ta_spin(loop, 60);
    cr_assert_eq(w2.calls, 0, "writable while the send buffer is full");
    while (filled > 0) {
        n = recv(b, junk, sizeof junk, 0);
        cr_assert_gt(n, 0);
        filled -= (size_t)n;
    }
    TA_RUN_UNTIL(loop, w2.calls > 0, 5000);
    TA_DONE(w2, CNET_ASYNC_WRITABLE, CNET_OK);
    cnet_close(a);
    cnet_close(b);
#else
    int fds[2];
    ta_pipe(fds);
    ta_rec w = {0};
    TA_START(cnet_loop_add_write(loop, fds[1], -1, ta_cb, &w, NULL));
    TA_RUN_UNTIL(loop, w.calls > 0, 5000);
    TA_DONE(w, CNET_ASYNC_WRITABLE, CNET_OK);

    /* A full pipe is not writable until it is drained. */
    cr_assert_eq(fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK), 0);
    static char junk[65536];
    size_t filled = 0;
    ssize_t n;
    while ((n = write(fds[1], junk, sizeof junk)) > 0)
        filled += (size_t)n;
    cr_assert_eq(errno, EAGAIN);
    ta_rec w2 = {0};
    TA_START(cnet_loop_add_write(loop, fds[1], -1, ta_cb, &w2, NULL));
    ta_spin(loop, 60);
    cr_assert_eq(w2.calls, 0, "writable while the pipe is full");
    while (filled > 0) {
        n = read(fds[0], junk, sizeof junk);
        cr_assert_gt(n, 0);
        filled -= (size_t)n;
    }
    TA_RUN_UNTIL(loop, w2.calls > 0, 5000);
    TA_DONE(w2, CNET_ASYNC_WRITABLE, CNET_OK);
    close(fds[0]);
    close(fds[1]);
#endif
    ta_free(loop);
}

Test(async_fd, add_read_and_add_write_on_sockets, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_socket_handle a, b;
    handle_pair(&a, &b);
    ta_rec r = {0}, w = {0};
    TA_START(cnet_loop_add_read(loop, a, 5000, ta_cb, &r, NULL));
    TA_START(cnet_loop_add_write(loop, a, 5000, ta_cb, &w, NULL));
    TA_RUN_UNTIL(loop, w.calls > 0, 5000);
    TA_DONE(w, CNET_ASYNC_WRITABLE, CNET_OK);
    cr_assert_eq(r.calls, 0, "readable before the peer sent");
    cr_assert_eq(send(b, "z", 1, 0), 1);
    TA_RUN_UNTIL(loop, r.calls > 0, 5000);
    TA_DONE(r, CNET_ASYNC_READABLE, CNET_OK);
    char c = 0;
    cr_assert_eq(recv(a, &c, 1, 0), 1, "the byte is still there");
    cr_assert_eq(c, 'z');
    /* End of stream and errors count as readable. */
    ta_rec eof = {0};
    TA_START(cnet_loop_add_read(loop, a, 5000, ta_cb, &eof, NULL));
    cnet_close(b);
    TA_RUN_UNTIL(loop, eof.calls > 0, 5000);
    TA_DONE(eof, CNET_ASYNC_READABLE, CNET_OK);
    cnet_close(a);
    ta_free(loop);
}

Test(async_fd, add_read_times_out, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_socket_handle a, b;
    handle_pair(&a, &b);
    ta_rec r = {0};
    int64_t t0 = ta_now_us();
    TA_START(cnet_loop_add_read(loop, a, 60, ta_cb, &r, NULL));
    TC_OK(cnet_loop_run(loop));
    TA_DONE(r, CNET_ASYNC_READABLE, CNET_ETIMEDOUT);
    cr_assert_geq(r.at_us - t0, 59000, "timed out after %lld us", (long long)(r.at_us - t0));
    cr_assert_lt(r.at_us - t0, 5000000);
    /* add_write on a socket whose send buffer is full: times out too. */
    TC_OK(cnet_set_blocking(a, false));
    static char junk[65536];
    while (send(a, junk, sizeof junk, 0) > 0)
        ;
    ta_rec w = {0};
    t0 = ta_now_us();
    TA_START(cnet_loop_add_write(loop, a, 60, ta_cb, &w, NULL));
    TC_OK(cnet_loop_run(loop));
    TA_DONE(w, CNET_ASYNC_WRITABLE, CNET_ETIMEDOUT);
    cr_assert_geq(w.at_us - t0, 59000);
    cnet_close(a);
    cnet_close(b);
    ta_free(loop);
}

Test(async_fd, cancel_add_read_and_add_write, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_socket_handle a, b;
    handle_pair(&a, &b);
    TC_OK(cnet_set_blocking(a, false));
    static char junk[65536];
    while (send(a, junk, sizeof junk, 0) > 0)
        ;
    ta_rec r = {0}, w = {0};
    cnet_async_op *ro = NULL, *wo = NULL;
    TA_START(cnet_loop_add_read(loop, a, -1, ta_cb, &r, &ro));
    TA_START(cnet_loop_add_write(loop, a, -1, ta_cb, &w, &wo));
    ta_spin(loop, 30);
    cr_assert_eq(r.calls + w.calls, 0);
    TA_START(cnet_async_cancel(ro));
    TA_START(cnet_async_cancel(wo));
    TC_OK(cnet_loop_run(loop));
    TA_DONE(r, CNET_ASYNC_READABLE, CNET_ECANCELED);
    TA_DONE(w, CNET_ASYNC_WRITABLE, CNET_ECANCELED);
    /* Nothing fires later for the cancelled registrations. */
    cr_assert_eq(send(b, "x", 1, 0), 1);
    ta_spin(loop, 50);
    cr_assert_eq(r.calls, 1);
    cnet_close(a);
    cnet_close(b);
    ta_free(loop);
}

Test(async_fd, bad_descriptors_are_refused, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    ta_rec r = {0};
    TA_REFUSE(CNET_EBADF, cnet_loop_add_read(loop, CNET_INVALID_SOCKET, -1, ta_cb, &r, NULL));
    TA_REFUSE(CNET_EBADF, cnet_loop_add_write(loop, CNET_INVALID_SOCKET, -1, ta_cb, &r, NULL));
    ta_spin(loop, 20);
    cr_assert_eq(r.calls, 0, "a refused start ran its callback");
    cr_assert_not(cnet_loop_alive(loop));
    ta_free(loop);
}

Test(async_fd, a_closed_descriptor_is_refused_at_the_start, .timeout = 20)
{
    /* The spec lists CNET_EBADF ("bad or closed socket handle") among the
     * start's errors: the start fails, no callback runs. */
    cnet_loop *loop = ta_loop();
    ta_rec r = {0}, w = {0};
#if defined(_WIN32)
    /* No pipes there: two sockets, closed. */
    cnet_socket_handle fds[2];
    for (int i = 0; i < 2; i++)
        TC_OK(cnet_create_native_socket(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, false, &fds[i]));
    cnet_close(fds[0]);
    cnet_close(fds[1]);
#else
    int fds[2];
    ta_pipe(fds);
    close(fds[0]);
    close(fds[1]);
#endif
    TA_REFUSE_EXPECT(CNET_EBADF, cnet_loop_add_read(loop, fds[0], -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EBADF, cnet_loop_add_write(loop, fds[1], -1, ta_cb, &w, NULL));
    ta_spin(loop, 20);
    cr_expect_eq(r.calls, 0, "add_read ran its callback (%s) after its start", cnet_err_name(r.err));
    cr_expect_eq(w.calls, 0, "add_write ran its callback (%s) after its start", cnet_err_name(w.err));
    cr_expect_not(cnet_loop_alive(loop));
    ta_free(loop);
}

/* ------------------------------------------------------------ embedding */

#if !defined(_WIN32)
static int fd_readable(int fd, int ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    int n = poll(&p, 1, ms);
    cr_assert_geq(n, 0, "poll: %s", strerror(errno));
    return n == 1 && (p.revents & POLLIN) != 0;
}
#endif

#if !defined(_WIN32)
/* The embedding descriptor, or -1 after checking that the loop is the
 * poll() one (which has none, by the spec). */
static int embed_fd(cnet_loop *loop)
{
    int fd = cnet_loop_backend_fd(loop);
    if (fd < 0)
        cr_assert_str_eq(cnet_loop_backend(loop), "poll", "only the poll() loop has no embedding descriptor");
    return fd;
}
#endif

Test(async_embed, backend_fd_becomes_readable_for_a_post, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
#if defined(_WIN32)
    cr_skip_test("Windows has no embedding descriptor: cnet_loop_backend_fd is -1 there (backend_is_the_expected_one)");
#else
    int fd = embed_fd(loop);
    if (fd >= 0) {
        TC_OK(cnet_loop_poll(loop, 0));
        cr_assert_not(fd_readable(fd, 0), "the descriptor of an idle loop is readable (an embedder would spin)");
        ta_rec r = {0};
        struct later l = {.loop = loop, .delay_ms = 100, .what = LATER_POST, .rec = &r};
        later_start(&l);
        cr_assert(fd_readable(fd, 10000), "the descriptor did not become readable after a post");
        later_join(&l);
        TC_OK(cnet_loop_poll(loop, 0));
        TA_DONE(r, CNET_ASYNC_CALL_SOON, CNET_OK);
        cr_assert_not(fd_readable(fd, 0), "still readable after the loop handled the post");
    }
#endif
    ta_free(loop);
}

Test(async_embed, timers_through_next_timeout, .timeout = 20)
{
    /* The embedding recipe: wait on the descriptor at most next_timeout
     * ms, then poll(loop, 0). A timer need not make the descriptor
     * readable; next_timeout brings the embedder back in time. */
    cnet_loop *loop = ta_loop();
#if defined(_WIN32)
    cr_skip_test("Windows has no embedding descriptor: cnet_loop_backend_fd is -1 there (backend_is_the_expected_one)");
#else
    int fd = embed_fd(loop);
    if (fd >= 0) {
        ta_rec t = {0};
        int64_t t0 = ta_now_us();
        TA_START(cnet_loop_add_timer(loop, 60, true, ta_cb, &t, NULL));
        int rounds = 0;
        while (t.calls == 0 && rounds < 500) {
            int wait = cnet_loop_next_timeout(loop);
            cr_assert(wait >= 0 && wait <= 61, "next_timeout %d with a 60 ms timer", wait);
            (void)fd_readable(fd, wait);
            TC_OK(cnet_loop_poll(loop, 0));
            rounds++;
        }
        TA_DONE(t, CNET_ASYNC_TIMER, CNET_OK);
        cr_assert_geq(t.at_us - t0, 60000, "the 60 ms timer ran early");
        cr_assert_lt(rounds, 100, "the embedder went round %d times for one 60 ms timer", rounds);
        cr_assert_eq(cnet_loop_next_timeout(loop), -1);
    }
#endif
    ta_free(loop);
}

Test(async_embed, readiness_through_backend_fd, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
#if defined(_WIN32)
    cr_skip_test("Windows has no embedding descriptor: cnet_loop_backend_fd is -1 there (backend_is_the_expected_one)");
#else
    int fd = embed_fd(loop);
    if (fd >= 0) {
        int p[2];
        ta_pipe(p);
        ta_rec r = {0};
        TA_START(cnet_loop_add_read(loop, p[0], -1, ta_cb, &r, NULL));
        TC_OK(cnet_loop_poll(loop, 0));
        cr_assert_eq(r.calls, 0);
        cr_assert_eq(write(p[1], "x", 1), 1);
        cr_assert(fd_readable(fd, 10000), "the descriptor did not become readable for the pipe");
        for (int i = 0; i < 10 && r.calls == 0; i++)
            TC_OK(cnet_loop_poll(loop, 0));
        TA_DONE(r, CNET_ASYNC_READABLE, CNET_OK);
        close(p[0]);
        close(p[1]);
    }
#endif
    ta_free(loop);
}

/* ------------------------------------------------ free with work pending */

static struct free_log {
    ta_rec timer, periodic, soon, post, read, recv, send, accept, closed_recv, closed_close, connect;
    ta_rec spawned_soon, spawned_timer;
    cnet_err spawn_err[2], spawn_sock_err;
    cnet_async_socket *spawn_sock;
    bool in_free;
    int outside_free;
} fl;

static void free_rec(const cnet_async_result *r, void *user)
{
    ta_record(user, r, ta_note());
    if (!fl.in_free)
        fl.outside_free++;
}

/* The long timer's callback starts two more operations: they must be
 * cancelled inside cnet_loop_free too. */
static void free_spawner(const cnet_async_result *r, void *user)
{
    free_rec(r, user);
    fl.spawn_err[0] = cnet_loop_call_soon(r->loop, free_rec, &fl.spawned_soon, NULL);
    fl.spawn_err[1] = cnet_loop_add_timer(r->loop, 10, true, free_rec, &fl.spawned_timer, NULL);
    fl.spawn_sock = (cnet_async_socket *)&fl;
    fl.spawn_sock_err =
        cnet_async_socket_new(r->loop, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &fl.spawn_sock);
}

Test(async_free, pending_operations_end_once_inside_free, .timeout = 20)
{
    ta_free(ta_loop()); /* skips on Windows; a first loop may open per-process state */
    memset(&fl, 0, sizeof fl);
    int fds_before = tc_open_fds();
    cnet_loop *loop = ta_loop();

    TA_START(cnet_loop_add_timer(loop, 60000, true, free_spawner, &fl.timer, NULL));
    TA_START(cnet_loop_add_timer(loop, 10000, false, free_rec, &fl.periodic, NULL));
    TA_START(cnet_loop_call_soon(loop, free_rec, &fl.soon, NULL));
    TA_START(cnet_loop_post(loop, free_rec, &fl.post));

    /* An outside descriptor. */
    cnet_socket_handle h1, h2;
    handle_pair(&h1, &h2);
    TA_START(cnet_loop_add_read(loop, h1, -1, free_rec, &fl.read, NULL));

    /* A connection with a read and a write pending (the peer never reads). */
    cnet_async_socket *s = NULL, *closing = NULL;
    cnet_socket *peer = NULL, *peer2 = NULL;
    ta_pair_bufs(loop, &s, &peer, 0, 0);
    TC_OK(cnet_set_sock_opt_int(cnet_socket_get_fd(peer), SOL_SOCKET, SO_RCVBUF, 65536));
    size_t big = 32u << 20;
    uint8_t *data = ta_pattern_buf(big, 1);
    TA_START(cnet_async_recv(s, 100, true, CNET_FLAGS_DEFAULT, -1, free_rec, &fl.recv, NULL));
    TA_START(cnet_async_send(s, data, big, CNET_FLAGS_DEFAULT, -1, free_rec, &fl.send, NULL));

    /* A listener with a pending accept, a connect that cannot finish. */
    cnet_port port;
    cnet_async_socket *l = ta_listener(loop, &port);
    TA_START(cnet_async_accept(l, -1, free_rec, &fl.accept, NULL));
    ta_full_listener full;
    ta_full_listener_open(&full);
    cnet_async_socket *c = NULL;
    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &c));
    TA_START(cnet_async_connect(c, "127.0.0.1", full.port, -1, free_rec, &fl.connect, NULL));

    /* A socket closed but not yet finished closing, with a read pending. */
    ta_pair(loop, &closing, &peer2);
    TA_START(cnet_async_recv(closing, 10, false, CNET_FLAGS_DEFAULT, -1, free_rec, &fl.closed_recv, NULL));
    TA_START(cnet_async_socket_close(closing, free_rec, &fl.closed_close));

    /* And a socket with nothing pending. */
    cnet_async_socket *idle = NULL;
    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &idle));

    TC_OK(cnet_loop_poll(loop, 0)); /* the call_soon and the post may run here */
    int ran_before = fl.outside_free;
    fl.in_free = true;
    TC_OK(cnet_loop_free(loop));
    fl.in_free = false;

    struct {
        const char *name;
        ta_rec *r;
        cnet_async_kind kind;
    } pending[] = {
        {"timer", &fl.timer, CNET_ASYNC_TIMER},
        {"periodic timer", &fl.periodic, CNET_ASYNC_TIMER},
        {"add_read", &fl.read, CNET_ASYNC_READABLE},
        {"recv", &fl.recv, CNET_ASYNC_RECV},
        {"send", &fl.send, CNET_ASYNC_SEND},
        {"accept", &fl.accept, CNET_ASYNC_ACCEPT},
        {"connect", &fl.connect, CNET_ASYNC_CONNECT},
        {"call_soon started by a callback in free", &fl.spawned_soon, CNET_ASYNC_CALL_SOON},
        {"timer started by a callback in free", &fl.spawned_timer, CNET_ASYNC_TIMER},
    };
    cr_assert_eq(fl.spawn_err[0], CNET_OK, "call_soon inside free: %s", cnet_err_name(fl.spawn_err[0]));
    cr_assert_eq(fl.spawn_err[1], CNET_OK, "add_timer inside free: %s", cnet_err_name(fl.spawn_err[1]));
    for (size_t i = 0; i < sizeof pending / sizeof pending[0]; i++) {
        ta_rec *r = pending[i].r;
        cr_assert_eq(r->calls, 1, "%s: %d calls in cnet_loop_free, expected exactly one", pending[i].name, r->calls);
        cr_assert_eq(r->kind, pending[i].kind, "%s: kind %d", pending[i].name, (int)r->kind);
        cr_assert_eq(r->err, CNET_ECANCELED, "%s: %s, expected CNET_ECANCELED", pending[i].name,
                     cnet_err_name(r->err));
    }
    cr_assert_null(fl.accept.accepted);
    cr_assert_eq(fl.spawn_sock_err, CNET_ECANCELED, "a new socket inside free: %s", cnet_err_name(fl.spawn_sock_err));
    cr_assert_null(fl.spawn_sock);
    /* The call_soon and the post: once, OK if they ran before free. */
    cr_assert_eq(fl.soon.calls, 1);
    cr_assert_eq(fl.post.calls, 1);
    cr_assert(fl.soon.err == CNET_OK || fl.soon.err == CNET_ECANCELED);
    cr_assert(fl.post.err == CNET_OK || fl.post.err == CNET_ECANCELED);
    cr_assert_eq(fl.outside_free, ran_before, "a callback ran after cnet_loop_free returned");
    /* The closing socket: its read ends (closed or cancelled), then its
     * close callback. */
    cr_assert_eq(fl.closed_recv.calls, 1);
    cr_assert(fl.closed_recv.err == CNET_ECLOSED || fl.closed_recv.err == CNET_ECANCELED, "%s",
              cnet_err_name(fl.closed_recv.err));
    TA_DONE(fl.closed_close, CNET_ASYNC_CLOSE, fl.closed_close.err);
    cr_assert_lt(fl.closed_recv.seq, fl.closed_close.seq, "the close callback ran before the read ended");

    free(data);
    cnet_socket_free(peer);
    cnet_socket_free(peer2);
    cnet_close(h1);
    cnet_close(h2);
    ta_full_listener_close(&full);
    cr_assert_eq(tc_open_fds(), fds_before, "cnet_loop_free left descriptors open");
}

static void free_self_cb(const cnet_async_result *r, void *user)
{
    ta_note();
    *(cnet_err *)user = cnet_loop_free(r->loop);
}

Test(async_free, from_one_of_its_own_callbacks_is_refused, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_err err = CNET_OK;
    TA_START(cnet_loop_call_soon(loop, free_self_cb, &err, NULL));
    TC_OK(cnet_loop_run(loop));
    cr_assert_eq(err, CNET_EINVAL, "cnet_loop_free from a callback: %s", cnet_err_name(err));
    /* The loop still works. */
    ta_rec r = {0};
    TA_START(cnet_loop_sleep(loop, 1, ta_cb, &r, NULL));
    TC_OK(cnet_loop_run(loop));
    TA_DONE(r, CNET_ASYNC_TIMER, CNET_OK);
    ta_free(loop);
}
