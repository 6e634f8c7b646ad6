/*
 * The loop of the async layer (Nim's asyncdispatch): create, run, free;
 * timers, callSoon, posts from other threads, readiness of outside
 * descriptors, cancellation. The top of the layer (src/async_internal.h):
 * it picks the backend and may call everything below it.
 */
#include "async_internal.h"

struct cnet__post {
    struct cnet__post *next;
    cnet_async_cb cb;
    void *user;
};

static _Thread_local cnet_loop *thread_default;

#ifdef _WIN32
#define POST_LOCK(l) EnterCriticalSection(&(l)->post_lock)
#define POST_UNLOCK(l) LeaveCriticalSection(&(l)->post_lock)
#else
#define POST_LOCK(l) pthread_mutex_lock(&(l)->post_lock)
#define POST_UNLOCK(l) pthread_mutex_unlock(&(l)->post_lock)
#endif

cnet_err cnet__loop_new(cnet_loop **out)
{
    *out = NULL;
    cnet_loop *loop = calloc(1, sizeof *loop);
    if (loop == NULL)
        return cnet__fail(CNET_ENOMEM, "cnet_loop_new: out of memory");
#ifdef _WIN32
    InitializeCriticalSection(&loop->post_lock);
#else
    if (pthread_mutex_init(&loop->post_lock, NULL) != 0) {
        free(loop);
        return cnet__fail(CNET_ENOMEM, "cnet_loop_new: cannot create a mutex");
    }
#endif
    atomic_init(&loop->stop, false);
    atomic_init(&loop->posted, false);
    loop->now = cnet__sys_now_ms();
    cnet_err err = cnet__async_backend_open(loop);
    if (err != CNET_OK) {
#ifdef _WIN32
        DeleteCriticalSection(&loop->post_lock);
#else
        pthread_mutex_destroy(&loop->post_lock);
#endif
        free(loop->scratch);
        free(loop);
        return err;
    }
    *out = loop;
    return CNET_OK;
}

cnet_err cnet__loop_default(cnet_loop **out)
{
    if (thread_default == NULL) {
        cnet_err err = cnet__loop_new(&thread_default);
        if (err != CNET_OK) {
            *out = NULL;
            return err;
        }
        thread_default->default_slot = (void **)&thread_default;
    }
    *out = thread_default;
    return CNET_OK;
}

/* ------------------------------------------------------------- posts */

static void drain_posts(cnet_loop *loop, cnet_err status)
{
    if (!atomic_exchange(&loop->posted, false))
        return;
    POST_LOCK(loop);
    struct cnet__post *p = loop->post_head;
    loop->post_head = loop->post_tail = NULL;
    POST_UNLOCK(loop);
    while (p) {
        struct cnet__post *next = p->next;
        cnet_async_op *op = cnet__async_op_new(loop, CNET_ASYNC_CALL_SOON, "cnet_loop_post", p->cb, p->user, -1);
        if (op) {
            cnet__async_complete(op, status, 0);
        } else {
            /* No memory for the operation: run it now rather than lose it. */
            cnet_async_result r = {.kind = CNET_ASYNC_CALL_SOON, .err = status, .loop = loop};
            p->cb(&r, p->user);
        }
        free(p);
        p = next;
    }
}

cnet_err cnet__loop_post(cnet_loop *loop, cnet_async_cb cb, void *user)
{
    struct cnet__post *p = malloc(sizeof *p);
    if (p == NULL)
        return cnet__fail(CNET_ENOMEM, "cnet_loop_post: out of memory");
    p->next = NULL;
    p->cb = cb;
    p->user = user;
    POST_LOCK(loop);
    if (loop->post_tail)
        loop->post_tail->next = p;
    else
        loop->post_head = p;
    loop->post_tail = p;
    atomic_store(&loop->posted, true);
    POST_UNLOCK(loop);
    loop->be->wake(loop);
    return CNET_OK;
}

cnet_err cnet__loop_stop(cnet_loop *loop)
{
    atomic_store(&loop->stop, true);
    loop->be->wake(loop);
    return CNET_OK;
}

cnet_err cnet__loop_wake(cnet_loop *loop)
{
    loop->be->wake(loop);
    return CNET_OK;
}

/* ----------------------------------------------------------- timers */

static void timer_after(cnet_async_op *op)
{
    if (op->oneshot || op->err != CNET_OK)
        return;
    cnet_loop *loop = op->loop;
    op->state = CNET__OP_PENDING;
    if (op->cancel) {
        cnet__async_complete(op, CNET_ECANCELED, 0);
        return;
    }
    /* From the deadline, not from now: no drift. A loop that fell far behind
     * skips the missed periods instead of running them back to back. */
    op->deadline += op->period;
    if (op->deadline <= loop->now)
        op->deadline = loop->now + op->period - (loop->now - op->deadline) % op->period;
    cnet__async_heap_push(loop, op);
    if (op->heap_index == CNET__NO_HEAP)
        cnet__async_complete(op, CNET_ENOMEM, 0);
}

static cnet_err start_timer(cnet_loop *loop, int timeout, bool oneshot, cnet_async_cb cb, void *user,
                            cnet_async_op **out, const char *function)
{
    if (!oneshot && timeout == 0)
        return cnet__fail(CNET_EINVAL, "cnet_loop_add_timer: a periodic timer needs a timeout > 0");
    if (loop->freeing)
        return cnet__async_start_canceled(loop, CNET_ASYNC_TIMER, function, cb, user, out);
    /* The clock counts whole milliseconds: one more, so that a timer never
     * fires early (it may fire up to 1 ms late). */
    cnet_async_op *op = cnet__async_op_new(loop, CNET_ASYNC_TIMER, function, cb, user, timeout > 0 ? timeout + 1 : 0);
    if (op == NULL)
        return CNET_ENOMEM;
    op->oneshot = oneshot;
    op->period = oneshot ? 0 : timeout;
    op->after = timer_after;
    if (out)
        *out = op;
    return CNET_OK;
}

cnet_err cnet__loop_add_timer(cnet_loop *loop, int timeout, bool oneshot, cnet_async_cb cb, void *user,
                              cnet_async_op **op)
{
    return start_timer(loop, timeout, oneshot, cb, user, op, "cnet_loop_add_timer");
}

cnet_err cnet__loop_sleep(cnet_loop *loop, int ms, cnet_async_cb cb, void *user, cnet_async_op **op)
{
    return start_timer(loop, ms, true, cb, user, op, "cnet_loop_sleep");
}

cnet_err cnet__loop_call_soon(cnet_loop *loop, cnet_async_cb cb, void *user, cnet_async_op **out)
{
    cnet_async_op *op = cnet__async_op_new(loop, CNET_ASYNC_CALL_SOON, "cnet_loop_call_soon", cb, user, -1);
    if (op == NULL)
        return CNET_ENOMEM;
    if (out)
        *out = op;
    cnet__async_complete(op, loop->freeing ? CNET_ECANCELED : CNET_OK, 0);
    return CNET_OK;
}

/* ------------------------------------------------ outside descriptors */

static cnet_err start_poll(cnet_loop *loop, cnet_socket_handle handle, bool write, int timeout, cnet_async_cb cb,
                           void *user, cnet_async_op **out, const char *function)
{
    if (handle == CNET_INVALID_SOCKET)
        return cnet__fail(CNET_EBADF, write ? "cnet_loop_add_write: invalid handle" : "cnet_loop_add_read: invalid handle");
    cnet_async_kind kind = write ? CNET_ASYNC_WRITABLE : CNET_ASYNC_READABLE;
    if (loop->freeing)
        return cnet__async_start_canceled(loop, kind, function, cb, user, out);
    cnet_async_op *op = cnet__async_op_new(loop, kind, function, cb, user, timeout);
    if (op == NULL)
        return CNET_ENOMEM;
    op->u.poll.fd = handle;
    op->u.poll.write = write;
    if (timeout < 0) {
        /* In the heap all the same (never due), so cnet_loop_free finds it. */
        op->deadline = INT64_MAX;
        cnet__async_heap_push(loop, op);
    }
    cnet_err err = loop->be->poll_start(loop, op);
    if (err != CNET_OK) {
        cnet__async_op_abort(op);
        return err;
    }
    if (out)
        *out = op;
    return CNET_OK;
}

cnet_err cnet__loop_add_read(cnet_loop *loop, cnet_socket_handle handle, int timeout, cnet_async_cb cb, void *user,
                             cnet_async_op **op)
{
    return start_poll(loop, handle, false, timeout, cb, user, op, "cnet_loop_add_read");
}

cnet_err cnet__loop_add_write(cnet_loop *loop, cnet_socket_handle handle, int timeout, cnet_async_cb cb, void *user,
                              cnet_async_op **op)
{
    return start_poll(loop, handle, true, timeout, cb, user, op, "cnet_loop_add_write");
}

/* ------------------------------------------------------- cancellation */

/* Ask op to end with why (CNET_ECANCELED or CNET_ETIMEDOUT). */
static void end_op(cnet_async_op *op, cnet_err why)
{
    if (op->state != CNET__OP_PENDING)
        return;
    switch (op->kind) {
    case CNET_ASYNC_TIMER:
    case CNET_ASYNC_CALL_SOON:
        cnet__async_complete(op, why == CNET_ETIMEDOUT ? CNET_OK : why, 0);
        break;
    case CNET_ASYNC_READABLE:
    case CNET_ASYNC_WRITABLE:
        if (op->cancel_err == CNET_OK) {
            op->cancel_err = why;
            op->loop->be->poll_cancel(op->loop, op);
        }
        break;
    default:
        if (op->cancel_err == CNET_OK) {
            op->cancel_err = why;
            cnet__async_socket_expired(op);
        }
        break;
    }
}

static void expired(cnet_async_op *op)
{
    end_op(op, CNET_ETIMEDOUT);
}

cnet_err cnet__async_cancel(cnet_async_op *op)
{
    if (op->state == CNET__OP_FREE)
        return cnet__fail(CNET_EINVAL, "cnet_async_cancel: the operation has already completed");
    op->cancel = true;
    end_op(op, CNET_ECANCELED);
    /* READY: it ends with its real result; RUNNING: a periodic timer stops
     * after its callback (timer_after). */
    return CNET_OK;
}

/* ------------------------------------------------------------ running */

static int wait_time(cnet_loop *loop, int timeout)
{
    if (loop->ready.head || atomic_load_explicit(&loop->posted, memory_order_relaxed))
        return 0;
    int64_t next = cnet__async_next_deadline(loop);
    if (next < 0 || next == INT64_MAX)
        return timeout;
    int64_t left = next - cnet__sys_now_ms();
    if (left < 0)
        left = 0;
    if (left > INT32_MAX)
        left = INT32_MAX;
    return (timeout < 0 || left < timeout) ? (int)left : timeout;
}

static cnet_err iterate(cnet_loop *loop, int timeout)
{
    cnet_err err = loop->be->wait(loop, wait_time(loop, timeout));
    drain_posts(loop, CNET_OK);
    loop->now = cnet__sys_now_ms();
    cnet__async_expire(loop, expired);
    cnet__async_run_ready(loop);
    return err;
}

cnet_err cnet__loop_poll(cnet_loop *loop, int timeout)
{
    if (loop->running)
        return cnet__fail(CNET_EINVAL, "cnet_loop_poll: called from a callback of the same loop");
    loop->running = true;
    cnet_err err = iterate(loop, timeout);
    loop->running = false;
    return err;
}

cnet_err cnet__loop_run(cnet_loop *loop)
{
    if (loop->running)
        return cnet__fail(CNET_EINVAL, "cnet_loop_run: called from a callback of the same loop");
    loop->running = true;
    cnet_err err = CNET_OK;
    /* Posts waiting in post_head are work too (drained by the next iterate). */
    while (!atomic_exchange(&loop->stop, false) &&
           (loop->pending > 0 || loop->ready.head || atomic_load(&loop->posted))) {
        err = iterate(loop, -1);
        if (err != CNET_OK)
            break;
    }
    loop->running = false;
    return err;
}

bool cnet_loop_alive(const cnet_loop *loop)
{
    return loop != NULL &&
           (loop->pending > 0 || loop->ready.head != NULL || atomic_load(&((cnet_loop *)loop)->posted));
}

int cnet_loop_backend_fd(const cnet_loop *loop)
{
    return loop ? loop->be->fd(loop) : -1;
}

int cnet_loop_next_timeout(const cnet_loop *loop)
{
    if (loop == NULL)
        return -1;
    return wait_time((cnet_loop *)loop, -1);
}

const char *cnet_loop_backend(const cnet_loop *loop)
{
    return loop ? loop->be->name : "none";
}

/* -------------------------------------------------------------- free */

cnet_err cnet__loop_free(cnet_loop *loop)
{
    if (loop == NULL)
        return CNET_OK;
    if (loop->running)
        return cnet__fail(CNET_EINVAL, "cnet_loop_free: called from a callback of the same loop");
    loop->running = true;
    loop->freeing = true;
    /* Rounds: cancel what is pending, let the backend report (io_uring's
     * cancellations arrive as completions), run the callbacks; callbacks
     * that start more get them cancelled in the next round. */
    for (int round = 0; round < 10000; round++) {
        cnet__async_close_all(loop);
        drain_posts(loop, CNET_ECANCELED);
        while (loop->heap_len) {
            cnet_async_op *op = loop->heap[0];
            cnet__async_heap_remove(loop, op);
            end_op(op, CNET_ECANCELED);
        }
        loop->be->wait(loop, loop->ready.head ? 0 : (round < 100 ? 0 : 10));
        cnet__async_run_ready(loop);
        if (loop->pending == 0 && loop->ready.head == NULL && loop->sockets == NULL &&
            !atomic_load(&loop->posted))
            break;
    }
    loop->be->destroy(loop);
    cnet__async_core_free(loop);
    if (loop->default_slot)
        *loop->default_slot = NULL;
#ifdef _WIN32
    DeleteCriticalSection(&loop->post_lock);
#else
    pthread_mutex_destroy(&loop->post_lock);
#endif
    free(loop->scratch);
    free(loop);
    return CNET_OK;
}
