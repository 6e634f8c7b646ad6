/*
 * The operations of the async layer (src/async_internal.h): their free list,
 * the ready queue of completed ones, the deadline heap and completion. It
 * knows no backend and no socket code: what an expired deadline means is the
 * caller's hook, what follows a callback is the operation's `after`.
 */
#include "async_internal.h"

/* Operations kept for reuse; beyond it they go back to malloc. */
#define CNET__FREE_OPS_MAX 4096

cnet_async_op *cnet__async_op_new(cnet_loop *loop, cnet_async_kind kind, const char *function,
                                  cnet_async_cb cb, void *user, int timeout)
{
    cnet_async_op *op = loop->free_ops.head;
    if (op) {
        cnet__op_list_remove(&loop->free_ops, op);
        loop->free_count--;
    } else {
        op = malloc(sizeof *op);
        if (op == NULL) {
            cnet__fail(CNET_ENOMEM, "async: out of memory for an operation");
            return NULL;
        }
    }
    memset(op, 0, sizeof *op);
    op->state = CNET__OP_PENDING;
    op->kind = kind;
    op->function = function;
    op->cb = cb;
    op->user = user;
    op->loop = loop;
    op->heap_index = CNET__NO_HEAP;
    op->deadline = -1;
    op->oneshot = true;
    if (timeout >= 0) {
        op->deadline = cnet__sys_now_ms() + timeout;
        cnet__async_heap_push(loop, op);
        if (op->heap_index == CNET__NO_HEAP) { /* no memory for the heap */
            op->state = CNET__OP_FREE;
            cnet__op_list_push(&loop->free_ops, op);
            loop->free_count++;
            cnet__fail(CNET_ENOMEM, "async: out of memory for a deadline");
            return NULL;
        }
    }
    loop->pending++;
    return op;
}

static void op_release(cnet_loop *loop, cnet_async_op *op)
{
    op->state = CNET__OP_FREE;
    if (loop->free_count < CNET__FREE_OPS_MAX) {
        cnet__op_list_push(&loop->free_ops, op);
        loop->free_count++;
    } else {
        free(op);
    }
}

void cnet__async_op_abort(cnet_async_op *op)
{
    cnet_loop *loop = op->loop;
    if (op->heap_index != CNET__NO_HEAP)
        cnet__async_heap_remove(loop, op);
    loop->pending--;
    op_release(loop, op);
}

void cnet__async_complete(cnet_async_op *op, cnet_err err, int os_error)
{
    if (op->state != CNET__OP_PENDING)
        return;
    cnet_loop *loop = op->loop;
    if (op->heap_index != CNET__NO_HEAP)
        cnet__async_heap_remove(loop, op);
    if (err == CNET_ECANCELED && op->cancel_err != CNET_OK)
        err = op->cancel_err;
    op->state = CNET__OP_READY;
    op->err = err;
    op->os_error = os_error;
    cnet__op_list_push(&loop->ready, op);
}

/* Callbacks per iteration at most: callbacks that complete more at once
 * (data already buffered, call_soon chains) must not starve the next wait,
 * but a request/response exchange runs its whole chain without one. */
#define CNET__READY_BUDGET 4096

void cnet__async_run_ready(cnet_loop *loop)
{
    for (unsigned budget = CNET__READY_BUDGET; budget > 0 && loop->ready.head; budget--) {
        cnet_async_op *op = loop->ready.head;
        cnet__op_list_remove(&loop->ready, op);
        op->state = CNET__OP_RUNNING;
        cnet_async_result *r = &op->result;
        r->kind = op->kind;
        r->err = op->err;
        r->loop = loop;
        r->socket = op->socket;
        r->op = op;
        if (op->err != CNET_OK)
            cnet__fail_os(op->err, op->os_error, op->function, cnet_strerror(op->err));
        bool periodic = op->kind == CNET_ASYNC_TIMER && !op->oneshot && op->err == CNET_OK;
        if (!periodic)
            loop->pending--;
        if (op->cb)
            op->cb(r, op->user);
        if (op->after)
            op->after(op);
        if (op->state == CNET__OP_RUNNING)
            op_release(loop, op);
    }
}

/* ------------------------------------------------------------- the heap */

static bool earlier(const cnet_async_op *a, const cnet_async_op *b)
{
    if (a->deadline != b->deadline)
        return a->deadline < b->deadline;
    return a->seq < b->seq;
}

static void heap_set(cnet_loop *loop, uint32_t i, cnet_async_op *op)
{
    loop->heap[i] = op;
    op->heap_index = i;
}

static void sift_up(cnet_loop *loop, uint32_t i)
{
    cnet_async_op *op = loop->heap[i];
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (!earlier(op, loop->heap[parent]))
            break;
        heap_set(loop, i, loop->heap[parent]);
        i = parent;
    }
    heap_set(loop, i, op);
}

static void sift_down(cnet_loop *loop, uint32_t i)
{
    cnet_async_op *op = loop->heap[i];
    for (;;) {
        uint32_t child = 2 * i + 1;
        if (child >= loop->heap_len)
            break;
        if (child + 1 < loop->heap_len && earlier(loop->heap[child + 1], loop->heap[child]))
            child++;
        if (!earlier(loop->heap[child], op))
            break;
        heap_set(loop, i, loop->heap[child]);
        i = child;
    }
    heap_set(loop, i, op);
}

void cnet__async_heap_push(cnet_loop *loop, cnet_async_op *op)
{
    if (loop->heap_len == loop->heap_cap) {
        uint32_t cap = loop->heap_cap ? loop->heap_cap * 2 : 64;
        cnet_async_op **heap = realloc(loop->heap, (size_t)cap * sizeof *heap);
        if (heap == NULL)
            return; /* op->heap_index stays CNET__NO_HEAP: the caller fails */
        loop->heap = heap;
        loop->heap_cap = cap;
    }
    op->seq = loop->timer_seq++;
    uint32_t i = loop->heap_len++;
    heap_set(loop, i, op);
    sift_up(loop, i);
}

void cnet__async_heap_remove(cnet_loop *loop, cnet_async_op *op)
{
    uint32_t i = op->heap_index;
    if (i == CNET__NO_HEAP)
        return;
    op->heap_index = CNET__NO_HEAP;
    uint32_t last = --loop->heap_len;
    if (i == last)
        return;
    heap_set(loop, i, loop->heap[last]);
    sift_down(loop, i);
    sift_up(loop, loop->heap[i]->heap_index);
}

void cnet__async_expire(cnet_loop *loop, void (*expired)(cnet_async_op *op))
{
    while (loop->heap_len && loop->heap[0]->deadline <= loop->now) {
        cnet_async_op *op = loop->heap[0];
        cnet__async_heap_remove(loop, op);
        expired(op);
    }
}

cnet_err cnet__async_start_canceled(cnet_loop *loop, cnet_async_kind kind, const char *function,
                                    cnet_async_cb cb, void *user, cnet_async_op **out)
{
    cnet_async_op *op = cnet__async_op_new(loop, kind, function, cb, user, -1);
    if (op == NULL)
        return CNET_ENOMEM;
    if (out)
        *out = op;
    cnet__async_complete(op, CNET_ECANCELED, 0);
    return CNET_OK;
}

void cnet__async_core_free(cnet_loop *loop)
{
    cnet_async_op *op;
    while ((op = loop->free_ops.head) != NULL) {
        cnet__op_list_remove(&loop->free_ops, op);
        free(op);
    }
    loop->free_count = 0;
    while (loop->rx_cached)
        free(loop->rx_cache[--loop->rx_cached]);
    free(loop->heap);
    loop->heap = NULL;
    loop->heap_len = loop->heap_cap = 0;
}
