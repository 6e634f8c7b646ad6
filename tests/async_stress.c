/*
 * The thread-safety claims of the async layer (spec/async.yaml), without
 * Criterion so that ThreadSanitizer can watch them: cnet_loop_post,
 * cnet_loop_wake and cnet_loop_stop are the calls any thread may make; every
 * other call stays on the loop's thread. `make test` runs this program in
 * the TSan build (build-tsan/) and as a plain test everywhere else.
 *
 * Scenarios, each a bounded number of rounds:
 * - several threads post to a loop that runs meanwhile: every post runs
 *   exactly once, on the loop's thread, and the posts of one thread run in
 *   the order they were made;
 * - posts made before cnet_loop_free (the posting threads joined, the loop
 *   never run) each run once with CNET_ECANCELED inside the free;
 * - threads hammer cnet_loop_wake while the loop waits, then one stops it:
 *   cnet_loop_run returns;
 * - a post from another thread wakes cnet_loop_poll(loop, -1).
 *
 * Prints `async_stress: N passed, N failed, N skipped`; exit status 0 when
 * every check passed, 77 (skipped) where the async layer has no backend
 * (Windows: cnet_loop_new returns CNET_ENOTSUP).
 */
#include <stdatomic.h>
#include <string.h>

#define STRESS_NAME "async_stress"
#include "stress_common.h"

/* ------------------------------------------------------- posts, counted */

enum { THREADS = 4, POSTS = 2000 };

/* Everything the callbacks touch belongs to the loop's thread; the posting
 * threads only write their slot before posting it (the post is the hand-off
 * TSan must see as ordered). */
struct slot {
    int thread, index;
    int calls;
    cnet_err err;
};

static struct slot slots[THREADS][POSTS];
static int last_index[THREADS];
static int total, out_of_order, wrong_thread, bad_kind;
static pthread_t loop_thread;

static void post_cb(const cnet_async_result *r, void *user)
{
    struct slot *s = user;
    s->calls++;
    s->err = r->err;
    if (!pthread_equal(pthread_self(), loop_thread))
        wrong_thread++;
    if (r->kind != CNET_ASYNC_CALL_SOON)
        bad_kind++;
    if (r->err == CNET_OK) {
        if (s->index <= last_index[s->thread])
            out_of_order++;
        last_index[s->thread] = s->index;
    }
    total++;
}

struct poster {
    cnet_loop *loop;
    int thread;
    atomic_int *go;
    cnet_err err;
    pthread_t t;
};

static void *poster_run(void *arg)
{
    struct poster *p = arg;
    while (!atomic_load(p->go))
        ;
    for (int i = 0; i < POSTS && p->err == CNET_OK; i++) {
        struct slot *s = &slots[p->thread][i];
        s->thread = p->thread;
        s->index = i;
        p->err = cnet_loop_post(p->loop, post_cb, s);
        if ((i & 255) == 0)
            sleep_ms(1); /* let the loop fall asleep now and then */
    }
    return NULL;
}

static void reset_posts(void)
{
    memset(slots, 0, sizeof slots);
    for (int t = 0; t < THREADS; t++)
        last_index[t] = -1;
    total = out_of_order = wrong_thread = bad_kind = 0;
    loop_thread = pthread_self();
}

static void posts_while_running(int rounds)
{
    for (int round = 0; round < rounds; round++) {
        cnet_loop *loop = NULL;
        if (cnet_loop_new(&loop) != CNET_OK) {
            CHECK(false, "cnet_loop_new");
            return;
        }
        reset_posts();
        atomic_int go = 0;
        struct poster ps[THREADS];
        for (int t = 0; t < THREADS; t++) {
            ps[t] = (struct poster){.loop = loop, .thread = t, .go = &go, .err = CNET_OK};
            start_thread(&ps[t].t, poster_run, &ps[t]);
        }
        atomic_store(&go, 1);
        int64_t end = now_ms() + 20000;
        while (total < THREADS * POSTS && now_ms() < end)
            CHECK(cnet_loop_poll(loop, 20) == CNET_OK, "cnet_loop_poll");
        for (int t = 0; t < THREADS; t++) {
            pthread_join(ps[t].t, NULL);
            CHECK(ps[t].err == CNET_OK, "thread %d: cnet_loop_post: %s", t, cnet_err_name(ps[t].err));
        }
        CHECK(total == THREADS * POSTS, "round %d: %d of %d posts ran", round, total, THREADS * POSTS);
        for (int t = 0; t < THREADS; t++)
            for (int i = 0; i < POSTS; i++)
                if (slots[t][i].calls != 1 || slots[t][i].err != CNET_OK) {
                    CHECK(false, "post %d of thread %d: %d calls, %s", i, t, slots[t][i].calls,
                          cnet_err_name(slots[t][i].err));
                    t = THREADS;
                    break;
                }
        CHECK(out_of_order == 0, "%d posts ran out of their thread's order", out_of_order);
        CHECK(wrong_thread == 0, "%d callbacks ran off the loop's thread", wrong_thread);
        CHECK(bad_kind == 0, "%d callbacks were not CNET_ASYNC_CALL_SOON", bad_kind);
        CHECK(cnet_loop_free(loop) == CNET_OK, "cnet_loop_free");
        CHECK(total == THREADS * POSTS, "cnet_loop_free ran posts again");
    }
}

static void posts_then_free(int rounds)
{
    for (int round = 0; round < rounds; round++) {
        cnet_loop *loop = NULL;
        if (cnet_loop_new(&loop) != CNET_OK) {
            CHECK(false, "cnet_loop_new");
            return;
        }
        reset_posts();
        atomic_int go = 1;
        struct poster ps[THREADS];
        for (int t = 0; t < THREADS; t++) {
            ps[t] = (struct poster){.loop = loop, .thread = t, .go = &go, .err = CNET_OK};
            start_thread(&ps[t].t, poster_run, &ps[t]);
        }
        for (int t = 0; t < THREADS; t++) {
            pthread_join(ps[t].t, NULL);
            CHECK(ps[t].err == CNET_OK, "thread %d: cnet_loop_post: %s", t, cnet_err_name(ps[t].err));
        }
        CHECK(cnet_loop_free(loop) == CNET_OK, "cnet_loop_free");
        CHECK(total == THREADS * POSTS, "round %d: %d of %d posts ran in cnet_loop_free", round, total,
              THREADS * POSTS);
        int bad = 0;
        for (int t = 0; t < THREADS; t++)
            for (int i = 0; i < POSTS; i++)
                bad += slots[t][i].calls != 1 || slots[t][i].err != CNET_ECANCELED;
        CHECK(bad == 0, "%d posts did not run exactly once with CNET_ECANCELED", bad);
        CHECK(wrong_thread == 0, "callbacks ran off the freeing thread");
    }
}

/* ------------------------------------------------------ wake and stop */

struct waker {
    cnet_loop *loop;
    atomic_int *stop_wakers;
    int wakes;
    cnet_err err;
    pthread_t t;
};

static void *waker_run(void *arg)
{
    struct waker *w = arg;
    while (!atomic_load(w->stop_wakers) && w->err == CNET_OK) {
        w->err = cnet_loop_wake(w->loop);
        w->wakes++;
        if ((w->wakes & 63) == 0)
            sleep_ms(1);
    }
    return NULL;
}

struct stopper {
    cnet_loop *loop;
    int delay_ms;
    cnet_err err;
    pthread_t t;
};

static void *stopper_run(void *arg)
{
    struct stopper *s = arg;
    sleep_ms(s->delay_ms);
    s->err = cnet_loop_stop(s->loop);
    return NULL;
}

static void timer_cb(const cnet_async_result *r, void *user)
{
    (void)r;
    ++*(int *)user;
}

static void wakes_and_stop(int rounds)
{
    for (int round = 0; round < rounds; round++) {
        cnet_loop *loop = NULL;
        if (cnet_loop_new(&loop) != CNET_OK) {
            CHECK(false, "cnet_loop_new");
            return;
        }
        int fired = 0;
        cnet_async_op *op = NULL;
        /* A far timer keeps the loop waiting: only the stop ends run. */
        CHECK(cnet_loop_add_timer(loop, 60000, true, timer_cb, &fired, &op) == CNET_OK, "add_timer");
        atomic_int stop_wakers = 0;
        struct waker ws[2];
        for (int i = 0; i < 2; i++) {
            ws[i] = (struct waker){.loop = loop, .stop_wakers = &stop_wakers, .err = CNET_OK};
            start_thread(&ws[i].t, waker_run, &ws[i]);
        }
        struct stopper st = {.loop = loop, .delay_ms = 50 + round % 3 * 10, .err = CNET_OK};
        start_thread(&st.t, stopper_run, &st);
        int64_t t0 = now_ms();
        CHECK(cnet_loop_run(loop) == CNET_OK, "cnet_loop_run");
        int64_t took = now_ms() - t0;
        pthread_join(st.t, NULL);
        atomic_store(&stop_wakers, 1);
        for (int i = 0; i < 2; i++) {
            pthread_join(ws[i].t, NULL);
            CHECK(ws[i].err == CNET_OK, "cnet_loop_wake: %s", cnet_err_name(ws[i].err));
        }
        CHECK(st.err == CNET_OK, "cnet_loop_stop: %s", cnet_err_name(st.err));
        CHECK(took < 10000, "round %d: run returned %lld ms after the stop was asked for", round, (long long)took);
        CHECK(fired == 0, "the 60 s timer fired");
        CHECK(cnet_async_cancel(op) == CNET_OK, "cancel");
        CHECK(cnet_loop_run(loop) == CNET_OK, "run after the cancel");
        CHECK(fired == 1, "the cancelled timer's callback ran %d times", fired);
        CHECK(cnet_loop_free(loop) == CNET_OK, "cnet_loop_free");
    }
}

struct one_post {
    cnet_loop *loop;
    int calls;
    cnet_err err;
    pthread_t t;
};

static void one_post_cb(const cnet_async_result *r, void *user)
{
    struct one_post *p = user;
    (void)r;
    p->calls++;
}

static void *one_post_run(void *arg)
{
    struct one_post *p = arg;
    sleep_ms(5);
    p->err = cnet_loop_post(p->loop, one_post_cb, p);
    return NULL;
}

static void post_wakes_poll_forever(int rounds)
{
    cnet_loop *loop = NULL;
    if (cnet_loop_new(&loop) != CNET_OK) {
        CHECK(false, "cnet_loop_new");
        return;
    }
    for (int round = 0; round < rounds; round++) {
        struct one_post p = {.loop = loop, .calls = 0, .err = CNET_OK};
        start_thread(&p.t, one_post_run, &p);
        CHECK(cnet_loop_poll(loop, -1) == CNET_OK, "cnet_loop_poll(-1)");
        pthread_join(p.t, NULL);
        CHECK(p.err == CNET_OK, "cnet_loop_post: %s", cnet_err_name(p.err));
        CHECK(p.calls == 1, "round %d: poll(-1) returned with the post run %d times", round, p.calls);
    }
    CHECK(cnet_loop_free(loop) == CNET_OK, "cnet_loop_free");
}

int main(void)
{
    cnet_loop *probe = NULL;
    cnet_err err = cnet_loop_new(&probe);
    if (err == CNET_ENOTSUP) {
        printf("async_stress: skipped: %s\n", cnet_last_error_message());
        printf("async_stress: 0 passed, 0 failed, 1 skipped\n");
        return 77;
    }
    if (err != CNET_OK) {
        fprintf(stderr, "async_stress: cnet_loop_new: %s\n", cnet_last_error_message());
        return 1;
    }
    printf("loop backend: %s\n", cnet_loop_backend(probe));
    cnet_loop_free(probe);

    struct {
        const char *name;
        void (*run)(int);
        int rounds;
    } scenarios[] = {
        {"posts from 4 threads to a running loop, each once and in order", posts_while_running, 5},
        {"posts pending at cnet_loop_free end with CNET_ECANCELED", posts_then_free, 5},
        {"wakes from 2 threads, then a stop from a third, end cnet_loop_run", wakes_and_stop, 10},
        {"a post from another thread ends cnet_loop_poll(-1)", post_wakes_poll_forever, 50},
    };
    int passed = 0, failed = 0;
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
        int before = failures;
        scenarios[i].run(scenarios[i].rounds);
        printf("%s (%d rounds): %s\n", scenarios[i].name, scenarios[i].rounds, failures == before ? "ok" : "FAILED");
        *(failures == before ? &passed : &failed) += 1;
    }
    printf("async_stress: %d passed, %d failed, 0 skipped\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
