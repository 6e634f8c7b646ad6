/* generated from spec/async.yaml, spec/errors.yaml by codegen/templates/module.h.j2 - do not edit; regenerate with `make regen` */
#ifndef CNET_ASYNC_H
#define CNET_ASYNC_H

/**
 * The event loop and asynchronous sockets (Nim's asyncdispatch and asyncnet):
 * one thread serves many connections, every operation completes through a
 * callback and can be cancelled.
 *
 * [zh] 事件循环与异步套接字（Nim 的 asyncdispatch 和
 * asyncnet）：一个线程服务许多连接，每个操作都通过回调完成，并且都可以取消。
 *
 * A cnet_loop runs on one thread (io_uring, or epoll, or poll() on other
 * Unix systems, or an I/O completion port on Windows). Starting an operation
 * (cnet_async_recv, cnet_async_send,
 * cnet_loop_add_timer...) returns CNET_OK and later runs its callback
 * exactly once with a cnet_async_result: done, failed, timed out
 * (CNET_ETIMEDOUT, from the operation's own timeout: Nim's withTimeout),
 * cancelled (CNET_ECANCELED, cnet_async_cancel) or closed (CNET_ECLOSED, its
 * socket was closed). When the start itself fails (a bad argument, no
 * memory) it returns the error and no callback ever runs. A callback never
 * runs inside the call that started the operation: callbacks run only
 * from cnet_loop_run, cnet_loop_poll and cnet_loop_free, on the loop's
 * thread. Every
 * function except cnet_loop_post, cnet_loop_stop and cnet_loop_wake must be
 * called on the loop's thread. Several operations of the same kind may be
 * pending on one socket; they complete in the order they were started. A
 * read and a write may be pending at the same time. Data handed to a
 * callback (result->data) is borrowed: it is valid until the callback
 * returns.
 *
 * [zh] cnet_loop 运行在一个线程上（io_uring、epoll，或其他 Unix 系统上的 poll()，或
 * Windows 上的 I/O 完成端口）。启动一个操作
 * （cnet_async_recv、cnet_async_send、cnet_loop_add_timer 等）返回 CNET_OK，之后以
 * cnet_async_result 恰好运行一次它的回调：完成、失败、超时（CNET_ETIMEDOUT，来自操作
 * 自己的超时，即 Nim 的 withTimeout）、被取消（CNET_ECANCELED，cnet_async_cancel）或被
 * 关闭（CNET_ECLOSED，其套接字已关闭）。启动本身失败时（参数错误、内存不足）返回错误，
 * 回调永远不会运行。回调绝不会在启动该操作的调用内部运行：回调只在 cnet_loop_run、
 * cnet_loop_poll 和 cnet_loop_free 中、在循环的线程上运行。除 cnet_loop_post、cnet_loop_stop
 * 和
 * cnet_loop_wake 外，每个函数都必须在循环的线程上调用。同一个套接字上可以同时挂起多个
 * 同类操作，它们按启动顺序完成。读和写可以同时挂起。交给回调的数据（result->data）是
 * 借用的：在回调返回之前有效。
 */

#include <cnet/platform.h>
#include <cnet/errors.h>
#include <cnet/net.h>
#include <cnet/tls.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ constants */

/**
 * Bytes an async socket buffers from the peer while no read is pending; beyond
 * it the socket stops reading until a read is started (the peer then feels TCP
 * backpressure).
 *
 * [zh] 没有挂起的读操作时，异步套接字从对端缓冲的字节数；超过之后套接字停止读取，直到有读操作启动（对端随之感受到 TCP 背压）。
 *
 * cnet addition (no Nim counterpart).
 */
#define CNET_ASYNC_HIGH_WATER 262144

/* ---------------------------------------------------------------- enums */

/**
 * Which operation a cnet_async_result completes.
 *
 * [zh] cnet_async_result 完成的是哪种操作。
 *
 * cnet addition (no Nim counterpart).
 */
typedef enum cnet_async_kind {
    /**
     * Completes cnet_loop_add_timer or cnet_loop_sleep.
     *
     * [zh] 完成 cnet_loop_add_timer 或 cnet_loop_sleep。
     */
    CNET_ASYNC_TIMER = 0,
    /**
     * Completes cnet_loop_call_soon or cnet_loop_post.
     *
     * [zh] 完成 cnet_loop_call_soon 或 cnet_loop_post。
     */
    CNET_ASYNC_CALL_SOON = 1,
    /**
     * Completes cnet_loop_add_read.
     *
     * [zh] 完成 cnet_loop_add_read。
     */
    CNET_ASYNC_READABLE = 2,
    /**
     * Completes cnet_loop_add_write.
     *
     * [zh] 完成 cnet_loop_add_write。
     */
    CNET_ASYNC_WRITABLE = 3,
    /**
     * Completes cnet_async_connect or cnet_async_dial.
     *
     * [zh] 完成 cnet_async_connect 或 cnet_async_dial。
     */
    CNET_ASYNC_CONNECT = 4,
    /**
     * Completes cnet_async_accept.
     *
     * [zh] 完成 cnet_async_accept。
     */
    CNET_ASYNC_ACCEPT = 5,
    /**
     * Completes cnet_async_recv or cnet_async_recv_into.
     *
     * [zh] 完成 cnet_async_recv 或 cnet_async_recv_into。
     */
    CNET_ASYNC_RECV = 6,
    /**
     * Completes cnet_async_recv_line or cnet_async_recv_line_into.
     *
     * [zh] 完成 cnet_async_recv_line 或 cnet_async_recv_line_into。
     */
    CNET_ASYNC_RECV_LINE = 7,
    /**
     * Completes cnet_async_send, cnet_async_send_copy or cnet_async_send_frame.
     *
     * [zh] 完成 cnet_async_send、cnet_async_send_copy 或 cnet_async_send_frame。
     */
    CNET_ASYNC_SEND = 8,
    /**
     * Completes cnet_async_recv_frame.
     *
     * [zh] 完成 cnet_async_recv_frame。
     */
    CNET_ASYNC_RECV_FRAME = 9,
    /**
     * Completes cnet_async_send_to.
     *
     * [zh] 完成 cnet_async_send_to。
     */
    CNET_ASYNC_SEND_TO = 10,
    /**
     * Completes cnet_async_recv_from.
     *
     * [zh] 完成 cnet_async_recv_from。
     */
    CNET_ASYNC_RECV_FROM = 11,
    /**
     * cnet_async_socket_close: the last callback of a socket.
     *
     * [zh] cnet_async_socket_close：套接字的最后一个回调。
     */
    CNET_ASYNC_CLOSE = 12,
    /**
     * Completes cnet_async_tls_handshake.
     *
     * [zh] 完成 cnet_async_tls_handshake。
     */
    CNET_ASYNC_TLS_HANDSHAKE = 13,
    /**
     * Completes cnet_async_tls_shutdown.
     *
     * [zh] 完成 cnet_async_tls_shutdown。
     */
    CNET_ASYNC_TLS_SHUTDOWN = 14,
} cnet_async_kind;

/* ---------------------------------------------------------------- types */

/**
 * An event loop (Nim's dispatcher).
 *
 * [zh] 事件循环（Nim 的 dispatcher）。
 *
 * Create it with cnet_loop_new or cnet_loop_default, run it with cnet_loop_run
 * or cnet_loop_poll, release it with cnet_loop_free.
 *
 * [zh] 用 cnet_loop_new 或 cnet_loop_default 创建，用 cnet_loop_run 或 cnet_loop_poll
 * 运行，用 cnet_loop_free 释放。
 *
 * Ports Nim: asyncnet.asyncdispatch.PDispatcher
 */
typedef struct cnet_loop cnet_loop;

/**
 * A non-blocking socket driven by a loop (Nim's AsyncSocket).
 *
 * [zh] 由循环驱动的非阻塞套接字（Nim 的 AsyncSocket）。
 *
 * cnet_async_socket_close ends it: pending operations complete with
 * CNET_ECLOSED, then the close callback runs, and after that the library frees
 * the socket; no callback of it runs afterwards, so your own state may be
 * freed in the close callback.
 *
 * [zh] cnet_async_socket_close 结束它：挂起的操作以 CNET_ECLOSED
 * 完成，然后运行关闭回调，之后由库释放该套接字；此后它的任何回调都不会再运行，因此可以在关闭回调中释放你自己的状态。
 *
 * Ports Nim: asyncnet.AsyncSocket
 */
typedef struct cnet_async_socket cnet_async_socket;

/**
 * A started operation, for cnet_async_cancel (Nim's Future).
 *
 * [zh] 已启动的操作，用于 cnet_async_cancel（Nim 的 Future）。
 *
 * Valid from its start until its callback returns; the library reuses its
 * memory afterwards.
 *
 * [zh] 从启动起到它的回调返回为止有效；之后库会重用它的内存。
 *
 * Ports Nim: asyncnet.asyncdispatch.Future
 */
typedef struct cnet_async_op cnet_async_op;

/**
 * How an operation ended, handed to its callback.
 *
 * [zh] 操作如何结束，交给其回调。
 *
 * Fields that do not apply to the operation are zero (NULL). Valid only during
 * the callback.
 *
 * [zh] 不适用于该操作的字段为零（NULL）。只在回调期间有效。
 *
 * cnet addition (no Nim counterpart).
 */
typedef struct cnet_async_result {
    /** the operation / 操作种类 */
    cnet_async_kind kind;
    /** CNET_OK, or why it failed (CNET_ETIMEDOUT, CNET_ECANCELED, CNET_ECLOSED, a connection error) / CNET_OK，或失败原因（CNET_ETIMEDOUT、CNET_ECANCELED、CNET_ECLOSED、连接错误） */
    cnet_err err;
    /** the loop / 循环 */
    cnet_loop *loop;
    /** the socket of a socket operation / 套接字操作的套接字 */
    cnet_async_socket *socket;
    /** the operation / 操作 */
    cnet_async_op *op;
    /** received bytes (recv, line, frame, datagram), borrowed; for the _into variants, your buffer / 收到的字节（recv、行、帧、数据报），借用的；_into 变体则是你的缓冲区 */
    const uint8_t *data;
    /** bytes received or sent (on a failed send: how many went out) / 收到或发出的字节数（发送失败时：已经发出多少） */
    size_t bytes;
    /** how a recv_line ended / recv_line 的结束方式 */
    cnet_read_line_result line;
    /** accept and dial: the new socket, now yours / accept 和 dial：新的套接字，归你所有 */
    cnet_async_socket *accepted;
    /** accept: the peer; recv_from: the sender / accept：对端；recv_from：发送者 */
    cnet_ip_address address;
    /** the port of address / address 的端口 */
    cnet_port port;
} cnet_async_result;

/**
 * The completion callback of every operation.
 *
 * [zh] 每个操作的完成回调。
 *
 * It may start new operations, cancel others, close sockets (its own too) and
 * free its own state.
 *
 * [zh] 回调中可以启动新的操作、取消其他操作、关闭套接字（包括自己的），以及释放自己的状态。
 *
 * @param result how the operation ended
 *        [zh] 操作如何结束
 *
 * @param user the pointer given when it started
 *        [zh] 启动时给出的指针
 *
 * cnet addition (no Nim counterpart).
 */
typedef void (*cnet_async_cb)(const cnet_async_result *result, void *user);

/* -------------------------------------------------------------- functions */

/**
 * Creates an event loop.
 *
 * [zh] 创建一个事件循环。
 *
 * The io_uring backend probes the kernel's features here and falls back
 * (single-shot operations, then epoll) when it refuses them; the environment
 * variable CNET_IO_URING=off forces epoll, and CNET_ASYNC_POLL=1 forces the
 * portable poll() loop. cnet_loop_backend tells which one runs. On Windows the
 * loop is an I/O completion port ("iocp"): every socket operation is an
 * overlapped request (AcceptEx, ConnectEx, WSARecv, WSASend, WSARecvFrom,
 * WSASendTo) whose completion the loop dequeues with
 * GetQueuedCompletionStatusEx, timers are the wait's timeout, and
 * cnet_loop_wake posts a packet. A socket of the loop joins its port for good
 * (Windows cannot take a handle out of a port): it cannot be wrapped into
 * another loop, nor used with a completion port of its own. Outside
 * descriptors (cnet_loop_add_read, cnet_loop_add_write) are watched with
 * WSAPoll by a helper thread the loop starts on the first one. The same calls
 * run under wine (8.0), which has all of them.
 *
 * [zh] io_uring 后端在这里探测内核的功能，内核拒绝时回退（单次操作，然后是 epoll）；环境变量 CNET_IO_URING=off
 * 强制使用 epoll，CNET_ASYNC_POLL=1 强制使用可移植的 poll() 循环。cnet_loop_backend
 * 说明实际运行的是哪一个。在 Windows 上循环是一个 I/O
 * 完成端口（"iocp"）：每个套接字操作都是一个重叠请求（AcceptEx、ConnectEx、WSARecv、WSASend、WSARecvFrom、WSASendTo），循环用
 * GetQueuedCompletionStatusEx 取出其完成，定时器就是等待的超时，cnet_loop_wake
 * 投递一个完成包。循环的套接字永久加入它的端口（Windows
 * 无法把句柄从端口中移出）：它不能再被包装进另一个循环，也不能配合自己的完成端口使用。外部描述符（cnet_loop_add_read、cnet_loop_add_write）由循环在第一次使用时启动的辅助线程用
 * WSAPoll 监视。在 wine（8.0）下运行的是同样的调用，wine 全部具备。
 *
 * @param out receives the loop; NULL on failure
 *        [zh] 接收循环；失败时为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOMEM: out of memory
 *         CNET_EMFILE: too many open sockets or files
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: asyncnet.asyncdispatch.newDispatcher
 */
CNET_API cnet_err cnet_loop_new(cnet_loop **out);

/**
 * The calling thread's own loop, created on first use.
 *
 * [zh] 调用线程自己的循环，首次使用时创建。
 *
 * Each thread has its own; cnet_loop_free releases it like any loop, and the
 * next call creates a new one.
 *
 * [zh] 每个线程各有一个；cnet_loop_free 像释放其他循环一样释放它，下一次调用会创建新的。
 *
 * @param out receives the loop
 *        [zh] 接收循环
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOMEM: out of memory
 *         CNET_EMFILE: too many open sockets or files
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: asyncnet.asyncdispatch.getGlobalDispatcher
 */
CNET_API cnet_err cnet_loop_default(cnet_loop **out);

/**
 * Ends every operation and socket of the loop and releases it.
 *
 * [zh] 结束循环的每个操作和套接字并释放它。
 *
 * Pending operations complete with CNET_ECANCELED and every open socket is
 * closed (its close callback runs), all inside this call; operations started
 * from those callbacks complete with CNET_ECANCELED too, and new sockets are
 * refused with it. Nothing leaks. NULL does nothing; a call from one of the
 * loop's own callbacks is refused with CNET_EINVAL.
 *
 * [zh] 挂起的操作以 CNET_ECANCELED
 * 完成，每个打开的套接字都被关闭（运行其关闭回调），这些都在本调用内发生；在这些回调中启动的操作同样以 CNET_ECANCELED
 * 完成，新建套接字也以它被拒绝。不会泄漏任何东西。NULL 不做任何事；在该循环自己的回调中调用会以 CNET_EINVAL 被拒绝。
 *
 * @param loop the loop
 *        [zh] 循环
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API cnet_err cnet_loop_free(cnet_loop *loop);

/**
 * Runs the loop until it has no work left or cnet_loop_stop is called.
 *
 * [zh] 运行循环，直到没有剩余工作或调用了 cnet_loop_stop。
 *
 * Work is any pending operation or timer, and any socket with a pending
 * operation. A listening socket with a pending accept keeps the loop alive,
 * like a server's runForever.
 *
 * [zh] 工作是指任何挂起的操作或定时器，以及有挂起操作的套接字。有挂起 accept 的监听套接字让循环保持运行，就像服务器的 runForever。
 *
 * @param loop the loop
 *        [zh] 循环
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * @note Differs from Nim: Nim's runForever raises ValueError when there is
 * nothing to wait for; cnet returns CNET_OK.
 *       [zh] 与 Nim 的不同：Nim 的 runForever 在没有可等待的东西时抛出 ValueError；cnet 返回 CNET_OK。
 *
 * Ports Nim: asyncnet.asyncdispatch.runForever, asyncnet.asyncdispatch.drain, asyncnet.asyncdispatch.waitFor
 */
CNET_API cnet_err cnet_loop_run(cnet_loop *loop);

/**
 * Runs one iteration: waits at most timeout for events, then runs the
 * callbacks that are due.
 *
 * [zh] 运行一次迭代：最多等待 timeout 毫秒的事件，然后运行到期的回调。
 *
 * timeout 0 does not wait (a non-waiting iteration, for embedding into another
 * loop); -1 waits until something happens. Returns CNET_OK even when nothing
 * happened.
 *
 * [zh] timeout 为 0 时不等待（非等待迭代，用于嵌入到另一个循环中）；-1 表示一直等到有事发生。即使什么都没发生也返回 CNET_OK。
 *
 * @param loop the loop
 *        [zh] 循环
 *
 * @param timeout milliseconds to wait; 0 none, -1 forever (Nim default: 500)
 *        [zh] 等待的毫秒数；0 不等待，-1 一直等待
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * @note Differs from Nim: Nim's poll raises ValueError when there is nothing
 * to wait for; cnet waits (or returns at once with timeout 0).
 *       [zh] 与 Nim 的不同：Nim 的 poll 在没有可等待的东西时抛出 ValueError；cnet 照常等待（timeout 为 0 时立即返回）。
 *
 * Ports Nim: asyncnet.asyncdispatch.poll
 */
CNET_API cnet_err cnet_loop_poll(cnet_loop *loop, int timeout);

/**
 * Whether the loop has work left.
 *
 * [zh] 循环是否还有剩余工作。
 *
 * @param loop the loop
 *        [zh] 循环
 *
 * @return true while an operation or timer is pending; false for NULL
 *         [zh] 有挂起的操作或定时器时为 true；NULL 为 false
 *
 * Ports Nim: asyncnet.asyncdispatch.hasPendingOperations
 */
CNET_API bool cnet_loop_alive(const cnet_loop *loop);

/**
 * Makes cnet_loop_run return after the current iteration; safe from any
 * thread.
 *
 * [zh] 让 cnet_loop_run 在当前迭代之后返回；可在任何线程调用。
 *
 * @param loop the loop
 *        [zh] 循环
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API cnet_err cnet_loop_stop(cnet_loop *loop);

/**
 * Wakes a loop blocked waiting for events; safe from any thread.
 *
 * [zh] 唤醒正在等待事件的循环；可在任何线程调用。
 *
 * @param loop the loop
 *        [zh] 循环
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: asyncnet.asyncdispatch.trigger
 */
CNET_API cnet_err cnet_loop_wake(cnet_loop *loop);

/**
 * Runs cb on the loop's thread soon; safe from any thread.
 *
 * [zh] 稍后在循环的线程上运行 cb；可在任何线程调用。
 *
 * The loop wakes up. cb runs once with CNET_OK (kind CNET_ASYNC_CALL_SOON), or
 * with CNET_ECANCELED when the loop is freed first. Posts from one thread run
 * in the order they were made.
 *
 * [zh] 循环会被唤醒。cb 以 CNET_OK（种类 CNET_ASYNC_CALL_SOON）运行一次；若循环先被释放，则以
 * CNET_ECANCELED 运行。同一个线程的投递按投递顺序运行。
 *
 * @param loop the loop
 *        [zh] 循环
 *
 * @param cb the callback
 *        [zh] 回调
 *
 * @param user passed to cb
 *        [zh] 传给 cb
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOMEM: out of memory
 *
 * Ports Nim: asyncnet.asyncdispatch.AsyncEvent, asyncnet.asyncdispatch.trigger
 */
CNET_API cnet_err cnet_loop_post(cnet_loop *loop, cnet_async_cb cb, void *user);

/**
 * Runs cb soon, from the loop: after the running callback returns, before the
 * loop next waits.
 *
 * [zh] 稍后由循环运行 cb：在当前回调返回之后、循环下一次等待之前。
 *
 * @param loop the loop
 *        [zh] 循环
 *
 * @param cb the callback
 *        [zh] 回调
 *
 * @param user passed to cb
 *        [zh] 传给 cb
 *
 * @param op receives the operation, for cnet_async_cancel; may be NULL
 *        [zh] 接收操作，用于 cnet_async_cancel；可为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOMEM: out of memory
 *
 * Ports Nim: asyncnet.asyncdispatch.callSoon
 */
CNET_API cnet_err cnet_loop_call_soon(cnet_loop *loop, cnet_async_cb cb, void *user, cnet_async_op **op);

/**
 * Runs cb after timeout milliseconds, once or every timeout milliseconds.
 *
 * [zh] 在 timeout 毫秒之后运行 cb，运行一次或每 timeout 毫秒运行一次。
 *
 * Timers run in the order of their deadlines (equal deadlines in start order),
 * never early. A periodic timer (oneshot false) runs cb with CNET_OK after
 * every period until it is cancelled, then one last time with CNET_ECANCELED;
 * the next period is counted from the deadline, not from when cb ran, so it
 * does not drift.
 *
 * [zh] 定时器按截止时间的顺序运行（截止时间相同则按启动顺序），绝不提前。周期定时器（oneshot 为 false）在每个周期之后以 CNET_OK
 * 运行 cb，直到被取消，然后最后一次以 CNET_ECANCELED 运行；下一个周期从截止时间而不是从 cb 运行的时刻开始计算，因此不会漂移。
 *
 * @param loop the loop
 *        [zh] 循环
 *
 * @param timeout milliseconds
 *        [zh] 毫秒数
 *
 * @param oneshot run once (true) or every timeout ms (false; timeout must then
 * be > 0) (Nim default: true)
 *        [zh] 运行一次（true）或每 timeout 毫秒运行（false；此时 timeout 必须大于 0）
 *
 * @param cb the callback
 *        [zh] 回调
 *
 * @param user passed to cb
 *        [zh] 传给 cb
 *
 * @param op receives the operation, for cnet_async_cancel; may be NULL
 *        [zh] 接收操作，用于 cnet_async_cancel；可为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOMEM: out of memory
 *
 * @note Differs from Nim: Nim's callback returns true to stop a periodic
 * timer; cnet stops it with cnet_async_cancel.
 *       [zh] 与 Nim 的不同：Nim 的回调返回 true 来停止周期定时器；cnet 用 cnet_async_cancel 停止它。
 *
 * Ports Nim: asyncnet.asyncdispatch.addTimer
 */
CNET_API cnet_err cnet_loop_add_timer(cnet_loop *loop, int timeout, bool oneshot, cnet_async_cb cb, void *user, cnet_async_op **op);

/**
 * Runs cb once after ms milliseconds (a one-shot timer).
 *
 * [zh] 在 ms 毫秒之后运行一次 cb（一次性定时器）。
 *
 * @param loop the loop
 *        [zh] 循环
 *
 * @param ms milliseconds
 *        [zh] 毫秒数
 *
 * @param cb the callback
 *        [zh] 回调
 *
 * @param user passed to cb
 *        [zh] 传给 cb
 *
 * @param op receives the operation, for cnet_async_cancel; may be NULL
 *        [zh] 接收操作，用于 cnet_async_cancel；可为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOMEM: out of memory
 *
 * Ports Nim: asyncnet.asyncdispatch.sleepAsync
 */
CNET_API cnet_err cnet_loop_sleep(cnet_loop *loop, int ms, cnet_async_cb cb, void *user, cnet_async_op **op);

/**
 * Runs cb once when an outside descriptor becomes readable.
 *
 * [zh] 当外部描述符变为可读时运行一次 cb。
 *
 * The descriptor stays yours and is not changed; start the operation again
 * from cb for the next event. Readable includes end of stream and errors.
 * CNET_ETIMEDOUT after timeout milliseconds. On Windows the handle must be a
 * socket (a closed one or any other handle: CNET_EBADF at the start); a helper
 * thread of the loop waits for it with WSAPoll, so it does not join the loop's
 * completion port.
 *
 * [zh] 描述符仍归你所有且不会被改变；要等待下一个事件，请在 cb 中再次启动该操作。可读包括流结束和错误。超过 timeout 毫秒时为
 * CNET_ETIMEDOUT。在 Windows 上句柄必须是套接字（已关闭的或任何其他句柄：启动时返回 CNET_EBADF）；循环的辅助线程用
 * WSAPoll 等待它，因此它不会加入循环的完成端口。
 *
 * @param loop the loop
 *        [zh] 循环
 *
 * @param handle the descriptor (a socket or on Unix any pollable descriptor)
 *        [zh] 描述符（套接字，在 Unix 上可以是任何可轮询的描述符）
 *
 * @param timeout milliseconds; -1 forever (Nim default: -1)
 *        [zh] 毫秒数；-1 表示无限
 *
 * @param cb the callback
 *        [zh] 回调
 *
 * @param user passed to cb
 *        [zh] 传给 cb
 *
 * @param op receives the operation, for cnet_async_cancel; may be NULL
 *        [zh] 接收操作，用于 cnet_async_cancel；可为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_EBADF: bad or closed socket handle
 *         CNET_ENOMEM: out of memory
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * @note Differs from Nim: Nim's callback returns true to stay registered;
 * cnet's runs once.
 *       [zh] 与 Nim 的不同：Nim 的回调返回 true 表示继续注册；cnet 的回调只运行一次。
 *
 * Ports Nim: asyncnet.asyncdispatch.addRead
 */
CNET_API cnet_err cnet_loop_add_read(cnet_loop *loop, cnet_socket_handle handle, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);

/**
 * Runs cb once when an outside descriptor becomes writable.
 *
 * [zh] 当外部描述符变为可写时运行一次 cb。
 *
 * The rules of cnet_loop_add_read, for writing.
 *
 * [zh] 规则与 cnet_loop_add_read 相同，用于写。
 *
 * @param loop the loop
 *        [zh] 循环
 *
 * @param handle the descriptor
 *        [zh] 描述符
 *
 * @param timeout milliseconds; -1 forever (Nim default: -1)
 *        [zh] 毫秒数；-1 表示无限
 *
 * @param cb the callback
 *        [zh] 回调
 *
 * @param user passed to cb
 *        [zh] 传给 cb
 *
 * @param op receives the operation, for cnet_async_cancel; may be NULL
 *        [zh] 接收操作，用于 cnet_async_cancel；可为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_EBADF: bad or closed socket handle
 *         CNET_ENOMEM: out of memory
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: asyncnet.asyncdispatch.addWrite
 */
CNET_API cnet_err cnet_loop_add_write(cnet_loop *loop, cnet_socket_handle handle, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);

/**
 * A descriptor that becomes readable when the loop has work, to embed the loop
 * into another event loop.
 *
 * [zh] 循环有工作时变为可读的描述符，用于把循环嵌入到另一个事件循环中。
 *
 * Watch it for reading in the other loop (GLib, libuv, a game loop), wait at
 * most cnet_loop_next_timeout milliseconds, then call cnet_loop_poll(loop, 0).
 * Do not read from it.
 *
 * [zh] 在另一个循环（GLib、libuv、游戏循环）中监视它是否可读，最多等待 cnet_loop_next_timeout 毫秒，然后调用
 * cnet_loop_poll(loop, 0)。不要从中读取。
 *
 * @param loop the loop
 *        [zh] 循环
 *
 * @return the descriptor (epoll's, or the ring's), or -1 for NULL, for the
 * poll() loop and on Windows (a completion port is no descriptor another loop
 * can wait on)
 *         [zh] 描述符（epoll 的或环的）；NULL、poll() 循环和 Windows（完成端口不是另一个循环可以等待的描述符）为 -1
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API int cnet_loop_backend_fd(const cnet_loop *loop);

/**
 * How long the loop may sleep before it has something to do.
 *
 * [zh] 循环在有事可做之前可以休眠多久。
 *
 * @param loop the loop
 *        [zh] 循环
 *
 * @return milliseconds until the next timer or deadline, 0 when callbacks are
 * due, -1 when nothing is scheduled (or NULL)
 *         [zh] 距离下一个定时器或截止时间的毫秒数；有回调到期时为 0；没有任何安排（或 NULL）时为 -1
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API int cnet_loop_next_timeout(const cnet_loop *loop);

/**
 * The name of the mechanism the loop runs on.
 *
 * [zh] 循环运行所用机制的名称。
 *
 * @param loop the loop
 *        [zh] 循环
 *
 * @return "io_uring", "epoll", "poll", "iocp" (Windows), or "none" for NULL
 *         [zh] "io_uring"、"epoll"、"poll"、"iocp"（Windows）；NULL 为 "none"
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API const char *cnet_loop_backend(const cnet_loop *loop);

/**
 * Cancels a pending operation.
 *
 * [zh] 取消一个挂起的操作。
 *
 * Its callback runs later, from the loop, with CNET_ECANCELED, unless it had
 * already finished (then it runs with its real result: nothing is lost, a
 * received line stays received). A send that was partly written reports how
 * many bytes went out. Call it only before the operation's callback has run.
 *
 * [zh] 它的回调稍后由循环以 CNET_ECANCELED
 * 运行；如果它已经完成，则以真实结果运行（不会丢失任何东西，已收到的行仍然是收到的）。部分写出的发送会报告已发出的字节数。只能在该操作的回调运行之前调用。
 *
 * @param op the operation
 *        [zh] 操作
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *
 * @note Differs from Nim: Nim's asyncdispatch cannot cancel an operation.
 *       [zh] 与 Nim 的不同：Nim 的 asyncdispatch 无法取消操作。
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API cnet_err cnet_async_cancel(cnet_async_op *op);

/**
 * Creates a non-blocking socket on a loop.
 *
 * [zh] 在循环上创建一个非阻塞套接字。
 *
 * AF_INET6 sockets are dual stack, as with cnet_socket_new.
 *
 * [zh] AF_INET6 套接字是双栈的，与 cnet_socket_new 相同。
 *
 * @param loop the loop
 *        [zh] 循环
 *
 * @param domain the address family (Nim default: CNET_AF_INET)
 *        [zh] 地址族
 *
 * @param type the socket type (Nim default: CNET_SOCK_STREAM)
 *        [zh] 套接字类型
 *
 * @param protocol the protocol (Nim default: CNET_IPPROTO_TCP)
 *        [zh] 协议
 *
 * @param out receives the socket; NULL on failure
 *        [zh] 接收套接字；失败时为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_EAFNOSUPPORT: address family not supported
 *         CNET_EPROTONOSUPPORT: protocol or socket type not supported
 *         CNET_EACCES: permission denied
 *         CNET_EMFILE: too many open sockets or files
 *         CNET_ENOBUFS: no buffer space available
 *         CNET_ENOMEM: out of memory
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_ECANCELED: the operation was cancelled
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: asyncnet.newAsyncSocket
 */
CNET_API cnet_err cnet_async_socket_new(cnet_loop *loop, cnet_domain domain, cnet_sock_type type, cnet_protocol protocol, cnet_async_socket **out);

/**
 * Wraps an existing socket handle (it becomes non-blocking and the async
 * socket owns it).
 *
 * [zh] 包装一个已有的套接字句柄（它变为非阻塞，归异步套接字所有）。
 *
 * On Windows the handle joins the loop's completion port for good; one that
 * already belongs to another port (another loop's) is refused with CNET_EINVAL
 * and stays the caller's. It must be an overlapped socket, as socket() and
 * cnet_create_native_socket make them (WSASocket needs WSA_FLAG_OVERLAPPED):
 * every request of the loop is an overlapped one.
 *
 * [zh] 在 Windows 上句柄永久加入循环的完成端口；已经属于另一个端口（另一个循环的）的句柄以 CNET_EINVAL
 * 被拒绝，仍归调用者所有。它必须是重叠套接字，socket() 和 cnet_create_native_socket 创建的就是（WSASocket
 * 需要 WSA_FLAG_OVERLAPPED）：循环的每个请求都是重叠请求。
 *
 * @param loop the loop
 *        [zh] 循环
 *
 * @param handle the handle
 *        [zh] 句柄
 *
 * @param domain its address family (Nim default: CNET_AF_INET)
 *        [zh] 它的地址族
 *
 * @param type its socket type (Nim default: CNET_SOCK_STREAM)
 *        [zh] 它的套接字类型
 *
 * @param out receives the socket
 *        [zh] 接收套接字
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_EBADF: bad or closed socket handle
 *         CNET_ENOMEM: out of memory
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_ECANCELED: the operation was cancelled
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: asyncnet.newAsyncSocket
 */
CNET_API cnet_err cnet_async_socket_wrap(cnet_loop *loop, cnet_socket_handle handle, cnet_domain domain, cnet_sock_type type, cnet_async_socket **out);

/**
 * Closes the socket: pending operations complete with CNET_ECLOSED, then cb
 * runs, then the socket is freed.
 *
 * [zh] 关闭套接字：挂起的操作以 CNET_ECLOSED 完成，然后运行 cb，然后释放套接字。
 *
 * Everything happens later, from the loop, in that order; after cb no callback
 * of this socket runs and the pointer is invalid. A second close returns
 * CNET_ECLOSED. Unsent bytes of completed sends are delivered by the kernel as
 * with close(2).
 *
 * [zh] 所有这些都稍后由循环按此顺序完成；cb 之后该套接字的任何回调都不会再运行，指针也失效。再次关闭返回
 * CNET_ECLOSED。已完成的发送中尚未发出的字节由内核像 close(2) 一样递送。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param cb runs last (kind CNET_ASYNC_CLOSE); may be NULL
 *        [zh] 最后运行（种类 CNET_ASYNC_CLOSE）；可为 NULL
 *
 * @param user passed to cb
 *        [zh] 传给 cb
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *
 * Ports Nim: asyncnet.close
 */
CNET_API cnet_err cnet_async_socket_close(cnet_async_socket *socket, cnet_async_cb cb, void *user);

/**
 * Whether cnet_async_socket_close was called.
 *
 * [zh] 是否已调用 cnet_async_socket_close。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @return true once closing (and for NULL)
 *         [zh] 开始关闭之后（以及 NULL）为 true
 *
 * Ports Nim: asyncnet.isClosed
 */
CNET_API bool cnet_async_socket_is_closed(const cnet_async_socket *socket);

/**
 * The socket's handle.
 *
 * [zh] 套接字的句柄。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @return the handle, or CNET_INVALID_SOCKET when NULL or closing
 *         [zh] 句柄；NULL 或正在关闭时为 CNET_INVALID_SOCKET
 *
 * Ports Nim: asyncnet.getFd
 */
CNET_API cnet_socket_handle cnet_async_socket_get_fd(const cnet_async_socket *socket);

/**
 * The loop of the socket.
 *
 * [zh] 套接字所属的循环。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @return the loop; NULL for NULL
 *         [zh] 循环；NULL 返回 NULL
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API cnet_loop *cnet_async_socket_loop(const cnet_async_socket *socket);

/**
 * Stores a pointer of yours in the socket.
 *
 * [zh] 在套接字中保存一个你的指针。
 *
 * @param socket the socket (NULL does nothing)
 *        [zh] 套接字（NULL 不做任何事）
 *
 * @param user the pointer
 *        [zh] 指针
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API void cnet_async_socket_set_user(cnet_async_socket *socket, void *user);

/**
 * The pointer stored with cnet_async_socket_set_user.
 *
 * [zh] 用 cnet_async_socket_set_user 保存的指针。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @return the pointer; NULL when none (or for NULL)
 *         [zh] 该指针；没有时（或 NULL）为 NULL
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API void *cnet_async_socket_get_user(const cnet_async_socket *socket);

/**
 * Whether received bytes wait in the socket's buffer.
 *
 * [zh] 套接字的缓冲区中是否有已收到的字节在等待。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @return true when a read would complete from the buffer
 *         [zh] 读操作可以由缓冲区完成时为 true
 *
 * Ports Nim: asyncnet.hasDataBuffered
 */
CNET_API bool cnet_async_socket_has_data_buffered(const cnet_async_socket *socket);

/**
 * Sets a boolean socket option.
 *
 * [zh] 设置一个布尔套接字选项。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param opt the option
 *        [zh] 选项
 *
 * @param value the value
 *        [zh] 值
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ENOPROTOOPT: protocol option not available
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: asyncnet.setSockOpt
 */
CNET_API cnet_err cnet_async_socket_set_sock_opt(cnet_async_socket *socket, cnet_sobool opt, bool value);

/**
 * Reads a boolean socket option.
 *
 * [zh] 读取一个布尔套接字选项。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param opt the option
 *        [zh] 选项
 *
 * @param value receives the value
 *        [zh] 接收值
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ENOPROTOOPT: protocol option not available
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: asyncnet.getSockOpt
 */
CNET_API cnet_err cnet_async_socket_get_sock_opt(cnet_async_socket *socket, cnet_sobool opt, bool *value);

/**
 * Binds the socket to address:port (it does not block).
 *
 * [zh] 把套接字绑定到 address:port（不会阻塞）。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param port the port; 0 picks a free one (Nim default: CNET_PORT(0))
 *        [zh] 端口；0 表示选一个空闲端口
 *
 * @param address an address literal; "" for any (Nim default: "")
 *        [zh] 地址字面量；"" 表示任意地址
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_EADDRINUSE: address already in use
 *         CNET_EADDRNOTAVAIL: address not available
 *         CNET_EACCES: permission denied
 *         CNET_EAFNOSUPPORT: address family not supported
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: asyncnet.bindAddr
 */
CNET_API cnet_err cnet_async_socket_bind_addr(cnet_async_socket *socket, cnet_port port, const char *address);

/**
 * Marks the socket as accepting connections.
 *
 * [zh] 把套接字标记为接受连接。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param backlog the queue length (Nim default: SOMAXCONN)
 *        [zh] 队列长度
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_EADDRINUSE: address already in use
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: asyncnet.listen
 */
CNET_API cnet_err cnet_async_socket_listen(cnet_async_socket *socket, int backlog);

/**
 * The socket's own address and port.
 *
 * [zh] 套接字自己的地址和端口。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param address receives the address
 *        [zh] 接收地址
 *
 * @param port receives the port
 *        [zh] 接收端口
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: asyncnet.getLocalAddr
 */
CNET_API cnet_err cnet_async_socket_get_local_addr(cnet_async_socket *socket, cnet_ip_address *address, cnet_port *port);

/**
 * The connected peer's address and port.
 *
 * [zh] 已连接对端的地址和端口。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param address receives the address
 *        [zh] 接收地址
 *
 * @param port receives the port
 *        [zh] 接收端口
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ENOTCONN: socket is not connected
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: asyncnet.getPeerAddr
 */
CNET_API cnet_err cnet_async_socket_get_peer_addr(cnet_async_socket *socket, cnet_ip_address *address, cnet_port *port);

/**
 * Connects the socket to address:port, trying every resolved address.
 *
 * [zh] 把套接字连接到 address:port，尝试每个解析出的地址。
 *
 * Every address of the socket's family is tried in turn within one timeout (a
 * new descriptor for each attempt); the callback gets the last address's error
 * when all fail. Resolving a host name blocks the loop (as in Nim); pass an
 * address literal to avoid it.
 *
 * [zh] 在同一个超时内依次尝试属于套接字地址族的每个地址（每次尝试使用新的描述符）；全部失败时回调得到最后一个地址的错误。解析主机名会阻塞循环（与
 * Nim 相同）；传入地址字面量可以避免。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param address an address literal or host name
 *        [zh] 地址字面量或主机名
 *
 * @param port the port
 *        [zh] 端口
 *
 * @param timeout milliseconds for the whole operation; -1 forever (Nim
 * default: -1)
 *        [zh] 整个操作的毫秒数；-1 表示无限
 *
 * @param cb the callback
 *        [zh] 回调
 *
 * @param user passed to cb
 *        [zh] 传给 cb
 *
 * @param op receives the operation, for cnet_async_cancel; may be NULL
 *        [zh] 接收操作，用于 cnet_async_cancel；可为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ENOTFOUND: host, service or protocol not found
 *         CNET_EAGAIN_DNS: temporary failure in name resolution
 *         CNET_EDNS: non-recoverable failure in name resolution
 *         CNET_EAFNOSUPPORT: address family not supported
 *         CNET_ENOMEM: out of memory
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: asyncnet.connect
 */
CNET_API cnet_err cnet_async_connect(cnet_async_socket *socket, const char *address, cnet_port port, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);

/**
 * Creates a socket connected to address:port, trying every resolved address of
 * every family.
 *
 * [zh] 创建一个连接到 address:port 的套接字，尝试每个地址族的每个解析出的地址。
 *
 * On success result->accepted is the new socket (yours to close); on failure
 * it is NULL and nothing is left open.
 *
 * [zh] 成功时 result->accepted 是新的套接字（由你关闭）；失败时为 NULL，且没有留下任何打开的东西。
 *
 * @param loop the loop
 *        [zh] 循环
 *
 * @param address an address literal or host name
 *        [zh] 地址字面量或主机名
 *
 * @param port the port
 *        [zh] 端口
 *
 * @param protocol CNET_IPPROTO_TCP or CNET_IPPROTO_UDP (Nim default:
 * CNET_IPPROTO_TCP)
 *        [zh] CNET_IPPROTO_TCP 或 CNET_IPPROTO_UDP
 *
 * @param timeout milliseconds for the whole operation; -1 forever (Nim
 * default: -1)
 *        [zh] 整个操作的毫秒数；-1 表示无限
 *
 * @param cb the callback
 *        [zh] 回调
 *
 * @param user passed to cb
 *        [zh] 传给 cb
 *
 * @param op receives the operation, for cnet_async_cancel; may be NULL
 *        [zh] 接收操作，用于 cnet_async_cancel；可为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTFOUND: host, service or protocol not found
 *         CNET_EAGAIN_DNS: temporary failure in name resolution
 *         CNET_EDNS: non-recoverable failure in name resolution
 *         CNET_ENOMEM: out of memory
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: asyncnet.dial
 */
CNET_API cnet_err cnet_async_dial(cnet_loop *loop, const char *address, cnet_port port, cnet_protocol protocol, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);

/**
 * Accepts a connection on a listening socket.
 *
 * [zh] 在监听套接字上接受一个连接。
 *
 * result->accepted is the new socket (yours to close) and result->address/port
 * its peer. A listener with a pending accept keeps accepting in the background
 * (multishot on io_uring); connections that arrive while no accept is pending
 * wait in the kernel's queue.
 *
 * [zh] result->accepted 是新的套接字（由你关闭），result->address/port 是它的对端。有挂起 accept
 * 的监听套接字在后台持续接受（io_uring 上为 multishot）；没有挂起 accept 时到达的连接在内核的队列中等待。
 *
 * @param socket the listening socket
 *        [zh] 监听套接字
 *
 * @param timeout milliseconds; -1 forever (Nim default: -1)
 *        [zh] 毫秒数；-1 表示无限
 *
 * @param cb the callback
 *        [zh] 回调
 *
 * @param user passed to cb
 *        [zh] 传给 cb
 *
 * @param op receives the operation, for cnet_async_cancel; may be NULL
 *        [zh] 接收操作，用于 cnet_async_cancel；可为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ENOMEM: out of memory
 *
 * Ports Nim: asyncnet.accept, asyncnet.acceptAddr
 */
CNET_API cnet_err cnet_async_accept(cnet_async_socket *socket, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);

/**
 * Receives up to size bytes.
 *
 * [zh] 接收至多 size 个字节。
 *
 * With all false it completes as soon as any bytes are there (Nim's unbuffered
 * recv); with all true it waits for size bytes or the end of the stream (Nim's
 * buffered recv). result->data holds the bytes (borrowed) and result->bytes
 * their count; 0 bytes with CNET_OK is the end of the stream (or a
 * disconnection under SafeDisconn). Bytes received before an error or a
 * timeout are not lost: the call that would lose them reports CNET_OK with the
 * bytes, and the next one reports the error; on a timeout with all true they
 * stay buffered for the next read.
 *
 * [zh] all 为 false 时只要有字节就完成（Nim 的无缓冲 recv）；all 为 true 时等待 size 个字节或流结束（Nim
 * 的带缓冲 recv）。result->data 保存这些字节（借用的），result->bytes 是字节数；CNET_OK 且 0 字节表示流结束（或
 * SafeDisconn 下的断开）。在错误或超时之前收到的字节不会丢失：会丢失它们的那次调用以 CNET_OK
 * 报告这些字节，下一次调用才报告错误；all 为 true 且超时时，这些字节留在缓冲区中供下一次读取。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param size the most bytes to receive
 *        [zh] 最多接收的字节数
 *
 * @param all wait for size bytes (or the end) (Nim default: true)
 *        [zh] 等待 size 个字节（或流结束）
 *
 * @param flags socket flags (SafeDisconn) (Nim default: CNET_FLAGS_DEFAULT)
 *        [zh] 套接字标志（SafeDisconn）
 *
 * @param timeout milliseconds; -1 forever (Nim default: -1)
 *        [zh] 毫秒数；-1 表示无限
 *
 * @param cb the callback
 *        [zh] 回调
 *
 * @param user passed to cb
 *        [zh] 传给 cb
 *
 * @param op receives the operation, for cnet_async_cancel; may be NULL
 *        [zh] 接收操作，用于 cnet_async_cancel；可为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ENOMEM: out of memory
 *
 * Ports Nim: asyncnet.recv
 */
CNET_API cnet_err cnet_async_recv(cnet_async_socket *socket, size_t size, bool all, unsigned flags, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);

/**
 * Receives up to size bytes into your buffer.
 *
 * [zh] 接收至多 size 个字节到你的缓冲区。
 *
 * The rules of cnet_async_recv; buf must stay valid until the callback runs,
 * and result->data points to it.
 *
 * [zh] 规则与 cnet_async_recv 相同；buf 必须在回调运行之前保持有效，result->data 指向它。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param buf the buffer
 *        [zh] 缓冲区
 *
 * @param size its size
 *        [zh] 它的大小
 *
 * @param all wait for size bytes (or the end) (Nim default: true)
 *        [zh] 等待 size 个字节（或流结束）
 *
 * @param flags socket flags (SafeDisconn) (Nim default: CNET_FLAGS_DEFAULT)
 *        [zh] 套接字标志（SafeDisconn）
 *
 * @param timeout milliseconds; -1 forever (Nim default: -1)
 *        [zh] 毫秒数；-1 表示无限
 *
 * @param cb the callback
 *        [zh] 回调
 *
 * @param user passed to cb
 *        [zh] 传给 cb
 *
 * @param op receives the operation, for cnet_async_cancel; may be NULL
 *        [zh] 接收操作，用于 cnet_async_cancel；可为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ENOMEM: out of memory
 *
 * Ports Nim: asyncnet.recvInto
 */
CNET_API cnet_err cnet_async_recv_into(cnet_async_socket *socket, void *buf, size_t size, bool all, unsigned flags, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);

/**
 * Receives a line.
 *
 * [zh] 接收一行。
 *
 * The statuses and rules of cnet_socket_read_line, in result->line:
 * CNET_READ_FULL_LINE, CNET_READ_PARTIAL_LINE (the peer closed after bytes
 * without a terminator), CNET_READ_DISCONNECTED, CNET_READ_TRUNCATED (exactly
 * max_length bytes; the rest of the line stays unread) or CNET_READ_NONE with
 * an error. result->data is the line without its terminator (borrowed,
 * followed by a NUL) and result->bytes its length. On a timeout or a cancel no
 * byte is lost: the partial line stays buffered and the next recv_line
 * continues it. A partial line cut by a connection error (a reset, a TLS
 * truncation) comes with that error in the same completion
 * (CNET_READ_PARTIAL_LINE, the bytes in result->data), even under SafeDisconn,
 * as in cnet_socket_read_line; the error stays latched for the next call.
 *
 * [zh] 状态与规则同 cnet_socket_read_line，见
 * result->line：CNET_READ_FULL_LINE、CNET_READ_PARTIAL_LINE（对端在没有结束符的字节之后关闭）、CNET_READ_DISCONNECTED、CNET_READ_TRUNCATED（恰好
 * max_length 个字节；行的其余部分保持未读）或出错时的 CNET_READ_NONE。result->data
 * 是不含结束符的行（借用的，后跟一个 NUL），result->bytes 是其长度。超时或取消时不会丢失任何字节：不完整的行留在缓冲区中，下一次
 * recv_line 继续读取它。被连接错误（重置、TLS
 * 截断）截断的部分行会在同一次完成中连同该错误一起报告（CNET_READ_PARTIAL_LINE，字节在 result->data 中），即使在
 * SafeDisconn 下也是如此，与 cnet_socket_read_line 相同；该错误保持锁存，下一次调用再次报告。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param max_length the longest line returned (Nim default:
 * CNET_MAX_LINE_LENGTH)
 *        [zh] 返回的最长行
 *
 * @param flags socket flags (SafeDisconn) (Nim default: CNET_FLAGS_DEFAULT)
 *        [zh] 套接字标志（SafeDisconn）
 *
 * @param timeout milliseconds for the whole line; -1 forever (Nim default: -1)
 *        [zh] 整行的毫秒数；-1 表示无限
 *
 * @param cb the callback
 *        [zh] 回调
 *
 * @param user passed to cb
 *        [zh] 传给 cb
 *
 * @param op receives the operation, for cnet_async_cancel; may be NULL
 *        [zh] 接收操作，用于 cnet_async_cancel；可为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ENOMEM: out of memory
 *
 * @note Differs from Nim: Nim's recvLine returns "" at a disconnect and "\r\n"
 * for an empty line, drops a partial line at the end and has no limit by
 * default; cnet reports each case by status.
 *       [zh] 与 Nim 的不同：Nim 的 recvLine 在断开时返回 ""，空行返回 "\r\n"，在结尾丢弃不完整的行，并且默认没有长度限制；cnet 用状态区分每一种情况。
 *
 * Ports Nim: asyncnet.recvLine
 */
CNET_API cnet_err cnet_async_recv_line(cnet_async_socket *socket, size_t max_length, unsigned flags, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);

/**
 * Receives a line into your buffer.
 *
 * [zh] 接收一行到你的缓冲区。
 *
 * The rules of cnet_async_recv_line with max_length size-1; the line and a NUL
 * are copied into buf when the line is complete, so buf must stay valid until
 * the callback runs.
 *
 * [zh] 规则与 cnet_async_recv_line 相同，max_length 为 size-1；行完整时该行和一个 NUL 被复制到
 * buf，因此 buf 必须在回调运行之前保持有效。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param buf the buffer
 *        [zh] 缓冲区
 *
 * @param size its size; the longest line is size-1 bytes
 *        [zh] 它的大小；最长的行为 size-1 字节
 *
 * @param flags socket flags (SafeDisconn) (Nim default: CNET_FLAGS_DEFAULT)
 *        [zh] 套接字标志（SafeDisconn）
 *
 * @param timeout milliseconds for the whole line; -1 forever (Nim default: -1)
 *        [zh] 整行的毫秒数；-1 表示无限
 *
 * @param cb the callback
 *        [zh] 回调
 *
 * @param user passed to cb
 *        [zh] 传给 cb
 *
 * @param op receives the operation, for cnet_async_cancel; may be NULL
 *        [zh] 接收操作，用于 cnet_async_cancel；可为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ENOMEM: out of memory
 *
 * Ports Nim: asyncnet.recvLineInto
 */
CNET_API cnet_err cnet_async_recv_line_into(cnet_async_socket *socket, char *buf, size_t size, unsigned flags, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);

/**
 * Sends all of data, which must stay valid until the callback runs.
 *
 * [zh] 发送全部 data，data 必须在回调运行之前保持有效。
 *
 * Completes when every byte is written (result->bytes is size) or fails with
 * the count written so far. Sends on one socket go out in the order they were
 * started, never interleaved. Under SafeDisconn a disconnection completes with
 * CNET_OK and result->bytes tells how much went out. SIGPIPE is never raised.
 * A pending send keeps data in place: nothing is copied (see
 * cnet_async_send_copy).
 *
 * [zh] 每个字节都写出后完成（result->bytes 为 size），或以已写出的字节数失败。同一个套接字上的发送按启动顺序发出，绝不交错。在
 * SafeDisconn 下，断开连接以 CNET_OK 完成，result->bytes 说明发出了多少。绝不会触发 SIGPIPE。挂起的发送直接使用
 * data，不做复制（见 cnet_async_send_copy）。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param data the bytes
 *        [zh] 字节
 *
 * @param size how many
 *        [zh] 字节数
 *
 * @param flags socket flags (SafeDisconn) (Nim default: CNET_FLAGS_DEFAULT)
 *        [zh] 套接字标志（SafeDisconn）
 *
 * @param timeout milliseconds; -1 forever (Nim default: -1)
 *        [zh] 毫秒数；-1 表示无限
 *
 * @param cb the callback; may be NULL
 *        [zh] 回调；可为 NULL
 *
 * @param user passed to cb
 *        [zh] 传给 cb
 *
 * @param op receives the operation, for cnet_async_cancel; may be NULL
 *        [zh] 接收操作，用于 cnet_async_cancel；可为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ENOMEM: out of memory
 *
 * @note Differs from Nim: Nim's send pointer variant has no timeout and cannot
 * be cancelled.
 *       [zh] 与 Nim 的不同：Nim 的指针版本 send 没有超时，也无法取消。
 *
 * Ports Nim: asyncnet.send
 */
CNET_API cnet_err cnet_async_send(cnet_async_socket *socket, const void *data, size_t size, unsigned flags, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);

/**
 * Sends all of data, copying what cannot be written at once (data may be
 * reused on return).
 *
 * [zh] 发送全部 data，不能立即写出的部分会被复制（返回后 data 即可重用）。
 *
 * The rules of cnet_async_send; Nim's send of a string.
 *
 * [zh] 规则与 cnet_async_send 相同；对应 Nim 发送字符串的 send。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param data the bytes
 *        [zh] 字节
 *
 * @param size how many
 *        [zh] 字节数
 *
 * @param flags socket flags (SafeDisconn) (Nim default: CNET_FLAGS_DEFAULT)
 *        [zh] 套接字标志（SafeDisconn）
 *
 * @param timeout milliseconds; -1 forever (Nim default: -1)
 *        [zh] 毫秒数；-1 表示无限
 *
 * @param cb the callback; may be NULL
 *        [zh] 回调；可为 NULL
 *
 * @param user passed to cb
 *        [zh] 传给 cb
 *
 * @param op receives the operation, for cnet_async_cancel; may be NULL
 *        [zh] 接收操作，用于 cnet_async_cancel；可为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ENOMEM: out of memory
 *
 * Ports Nim: asyncnet.send
 */
CNET_API cnet_err cnet_async_send_copy(cnet_async_socket *socket, const void *data, size_t size, unsigned flags, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);

/**
 * Sends one length-prefixed frame (copied, like cnet_async_send_copy).
 *
 * [zh] 发送一个带长度前缀的帧（像 cnet_async_send_copy 一样复制）。
 *
 * The formats of cnet_socket_send_frame: CNET_FRAME_DECIMAL4 (at most 9999
 * bytes) or CNET_FRAME_BE32. A payload too long for the format is refused at
 * the start with CNET_EFRAME_TOO_LARGE. result->bytes counts the payload and
 * prefix written.
 *
 * [zh] 格式同 cnet_socket_send_frame：CNET_FRAME_DECIMAL4（最多 9999 字节）或
 * CNET_FRAME_BE32。对该格式过长的负载在启动时就以 CNET_EFRAME_TOO_LARGE 拒绝。result->bytes
 * 计入已写出的负载和前缀。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param format the prefix format
 *        [zh] 前缀格式
 *
 * @param data the payload (NULL only with size 0)
 *        [zh] 负载（仅当 size 为 0 时可为 NULL）
 *
 * @param size its length
 *        [zh] 它的长度
 *
 * @param timeout milliseconds; -1 forever (Nim default: -1)
 *        [zh] 毫秒数；-1 表示无限
 *
 * @param cb the callback; may be NULL
 *        [zh] 回调；可为 NULL
 *
 * @param user passed to cb
 *        [zh] 传给 cb
 *
 * @param op receives the operation, for cnet_async_cancel; may be NULL
 *        [zh] 接收操作，用于 cnet_async_cancel；可为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_EFRAME_TOO_LARGE: the frame is longer than the allowed maximum
 *         CNET_ENOMEM: out of memory
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API cnet_err cnet_async_send_frame(cnet_async_socket *socket, cnet_frame_format format, const void *data, size_t size, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);

/**
 * Receives one length-prefixed frame.
 *
 * [zh] 接收一个带长度前缀的帧。
 *
 * result->data is the payload (borrowed) and result->bytes its length. A
 * prefix announcing more than max_size bytes fails with CNET_EFRAME_TOO_LARGE
 * and a malformed one with CNET_EFRAME_MALFORMED (the stream is then
 * unusable); the end of the stream completes with CNET_EEOF (before a frame or
 * inside one, as the blocking cnet_socket_recv_frame), so an empty frame is
 * always CNET_OK with 0 bytes. On a timeout or a cancel nothing is lost: the
 * bytes stay buffered.
 *
 * [zh] result->data 是负载（借用的），result->bytes 是其长度。前缀声明的长度超过 max_size 时以
 * CNET_EFRAME_TOO_LARGE 失败，前缀格式错误时以 CNET_EFRAME_MALFORMED 失败（此后该流不可再用）；流结束以
 * CNET_EEOF 完成（无论在帧之前还是帧之中，与阻塞的 cnet_socket_recv_frame 相同），因此空帧总是 CNET_OK 和 0
 * 字节。超时或取消时不会丢失任何东西：字节留在缓冲区中。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param format the prefix format
 *        [zh] 前缀格式
 *
 * @param max_size the longest payload accepted
 *        [zh] 接受的最长负载
 *
 * @param timeout milliseconds for the whole frame; -1 forever (Nim default:
 * -1)
 *        [zh] 整个帧的毫秒数；-1 表示无限
 *
 * @param cb the callback
 *        [zh] 回调
 *
 * @param user passed to cb
 *        [zh] 传给 cb
 *
 * @param op receives the operation, for cnet_async_cancel; may be NULL
 *        [zh] 接收操作，用于 cnet_async_cancel；可为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ENOMEM: out of memory
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API cnet_err cnet_async_recv_frame(cnet_async_socket *socket, cnet_frame_format format, size_t max_size, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);

/**
 * Sends one datagram to address:port (copied).
 *
 * [zh] 向 address:port 发送一个数据报（会被复制）。
 *
 * The address is resolved at the start (a bad or unknown one is refused then);
 * a datagram the network cannot carry completes with CNET_EMSGSIZE.
 *
 * [zh] 地址在启动时解析（错误或未知的地址在那时被拒绝）；网络无法承载的数据报以 CNET_EMSGSIZE 完成。
 *
 * @param socket the datagram socket
 *        [zh] 数据报套接字
 *
 * @param address an address literal or host name (resolving blocks the loop)
 *        [zh] 地址字面量或主机名（解析会阻塞循环）
 *
 * @param port the port
 *        [zh] 端口
 *
 * @param data the bytes (NULL only with size 0)
 *        [zh] 字节（仅当 size 为 0 时可为 NULL）
 *
 * @param size how many
 *        [zh] 字节数
 *
 * @param timeout milliseconds; -1 forever (Nim default: -1)
 *        [zh] 毫秒数；-1 表示无限
 *
 * @param cb the callback; may be NULL
 *        [zh] 回调；可为 NULL
 *
 * @param user passed to cb
 *        [zh] 传给 cb
 *
 * @param op receives the operation, for cnet_async_cancel; may be NULL
 *        [zh] 接收操作，用于 cnet_async_cancel；可为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ENOTFOUND: host, service or protocol not found
 *         CNET_EAGAIN_DNS: temporary failure in name resolution
 *         CNET_EDNS: non-recoverable failure in name resolution
 *         CNET_EAFNOSUPPORT: address family not supported
 *         CNET_ENOMEM: out of memory
 *
 * Ports Nim: asyncnet.sendTo
 */
CNET_API cnet_err cnet_async_send_to(cnet_async_socket *socket, const char *address, cnet_port port, const void *data, size_t size, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);

/**
 * Receives one datagram.
 *
 * [zh] 接收一个数据报。
 *
 * result->data (borrowed) and result->bytes are the datagram,
 * result->address/port the sender. A datagram longer than size completes with
 * CNET_ETRUNCATED and its first size bytes.
 *
 * [zh] result->data（借用的）和 result->bytes 是数据报，result->address/port 是发送者。比 size
 * 长的数据报以 CNET_ETRUNCATED 和它的前 size 个字节完成。
 *
 * @param socket the datagram socket
 *        [zh] 数据报套接字
 *
 * @param size the longest datagram expected
 *        [zh] 预期的最长数据报
 *
 * @param timeout milliseconds; -1 forever (Nim default: -1)
 *        [zh] 毫秒数；-1 表示无限
 *
 * @param cb the callback
 *        [zh] 回调
 *
 * @param user passed to cb
 *        [zh] 传给 cb
 *
 * @param op receives the operation, for cnet_async_cancel; may be NULL
 *        [zh] 接收操作，用于 cnet_async_cancel；可为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ENOMEM: out of memory
 *
 * @note Differs from Nim: Nim's recvFrom has no way to tell a truncated
 * datagram.
 *       [zh] 与 Nim 的不同：Nim 的 recvFrom 无法知道数据报被截断。
 *
 * Ports Nim: asyncnet.recvFrom
 */
CNET_API cnet_err cnet_async_recv_from(cnet_async_socket *socket, size_t size, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);

/**
 * Makes an unconnected or listening async stream socket a TLS socket (the
 * contexts of cnet_ssl_context_new).
 *
 * [zh] 把未连接或正在监听的异步流套接字变为 TLS 套接字（使用 cnet_ssl_context_new 的上下文）。
 *
 * The same contexts and checks as the blocking TLS of cnet_socket_wrap:
 * certificate and host name (DNS names and IP literals against the iPAddress
 * SAN), SNI for DNS names, ALPN, the minimum version, PSK, client
 * certificates. cnet_async_connect then performs the client handshake and
 * completes only after it (with its error, CNET_ETLS_HOSTNAME for a wrong
 * host...), verifying the connect address or the name of
 * cnet_async_tls_set_server_name. A wrapped listener gives TLS clients:
 * cnet_async_accept completes as soon as the TCP connection is accepted, and
 * the server handshake of each client runs on the loop
 * (cnet_async_tls_handshake reports it; reads wait for it), so a slow client
 * never holds up other accepts. Records travel through the loop's backend like
 * plain bytes: the handshake, reads, writes and shutdown never block the loop,
 * and recv, recvLine and frames work unchanged on the decrypted bytes.
 * cnet_async_dial has no TLS form: create, wrap, then connect.
 *
 * [zh] 与 cnet_socket_wrap 的阻塞 TLS 使用相同的上下文和检查：证书与主机名（DNS 名称以及对照 iPAddress SAN
 * 的 IP 字面量）、DNS 名称的 SNI、ALPN、最低版本、PSK、客户端证书。之后 cnet_async_connect
 * 执行客户端握手，并在握手之后才完成（带握手的错误，例如主机不符时为 CNET_ETLS_HOSTNAME），验证的是连接地址或
 * cnet_async_tls_set_server_name 设置的名称。被包装的监听套接字产生 TLS 客户套接字：TCP 连接一被接受
 * cnet_async_accept 就完成，每个客户端的服务器端握手在循环上进行（由 cnet_async_tls_handshake
 * 报告；读操作会等待它），因此慢客户端绝不会拖住其他
 * accept。记录像明文字节一样经过循环的后端：握手、读、写和关闭都不会阻塞循环，recv、recvLine
 * 和帧在解密后的字节上照常工作。cnet_async_dial 没有 TLS 形式：先创建、包装，再连接。
 *
 * @param context the context (the socket keeps a reference)
 *        [zh] 上下文（套接字持有一个引用）
 *
 * @param socket an unconnected or listening TCP socket
 *        [zh] 未连接或正在监听的 TCP 套接字
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_ENOMEM: out of memory
 *         CNET_ECLOSED: the socket has been closed
 *
 * @note Differs from Nim: Nim's async SSL hangs when a read and a write are
 * outstanding at once (nim-lang/Nim#24895), because each drives the socket's
 * one SSL object through its own wait; cnet runs the session over memory BIOs
 * on the loop, so any number of reads and writes may be pending together and
 * renegotiation or TLS 1.3 post-handshake messages arriving while writing are
 * handled. Nim's accept performs nothing until the first read; cnet starts the
 * server handshake at once, on the loop. Nim asserts that the socket is new;
 * cnet returns CNET_EINVAL for a socket that is already TLS, connected (use
 * cnet_async_tls_wrap_connected), connecting or not a stream socket.
 *       [zh] 与 Nim 的不同：Nim 的异步 SSL 在读和写同时挂起时会卡住（nim-lang/Nim#24895），因为二者各自通过自己的等待驱动套接字唯一的 SSL 对象；cnet 在循环上通过内存 BIO 运行会话，因此任意多个读和写可以同时挂起，写的过程中到达的重新协商或 TLS 1.3 握手后消息都会被处理。Nim 的 accept 在第一次读之前什么也不做；cnet 立即在循环上开始服务器端握手。Nim 断言套接字是新的；对于已经是 TLS、已连接（请用 cnet_async_tls_wrap_connected）、正在连接或不是流套接字的套接字，cnet 返回 CNET_EINVAL。
 *
 * Ports Nim: asyncnet.asyncnet.wrapSocket
 */
CNET_API cnet_err cnet_async_tls_wrap(cnet_ssl_context *context, cnet_async_socket *socket);

/**
 * Makes a connected async socket a TLS socket and starts the handshake on the
 * loop.
 *
 * [zh] 把已连接的异步套接字变为 TLS 套接字，并在循环上开始握手。
 *
 * Returns at once; the handshake runs on the loop and cnet_async_tls_handshake
 * reports its end. Reads started meanwhile wait for the decrypted bytes, sends
 * are queued until the handshake completes, and a failed handshake fails them
 * with its error. As a client, hostname (an address literal or a DNS name) is
 * what the certificate must match and, for DNS names, the SNI sent; it may be
 * NULL only when the context does not verify. A socket that still holds
 * buffered plaintext bytes, or has a send queued, is refused (CNET_EINVAL), so
 * no byte received before the handshake can pass as protected data (STARTTLS
 * injection).
 *
 * [zh] 立即返回；握手在循环上进行，由 cnet_async_tls_handshake
 * 报告其结束。期间启动的读操作等待解密后的字节，发送操作排队到握手完成，握手失败时它们以握手的错误失败。作为客户端时，hostname（地址字面量或
 * DNS 名称）是证书必须匹配的名称，对于 DNS 名称也是发送的 SNI；只有上下文不验证时才可为
 * NULL。缓冲区中仍有明文字节或有排队发送的套接字会被拒绝（CNET_EINVAL），因此握手之前收到的字节不会被当作受保护的数据（STARTTLS
 * 注入）。
 *
 * @param context the context
 *        [zh] 上下文
 *
 * @param socket a connected TCP socket
 *        [zh] 已连接的 TCP 套接字
 *
 * @param handshake the side to take (Nim default: CNET_HANDSHAKE_AS_CLIENT)
 *        [zh] 所取的角色
 *
 * @param hostname the peer's name or address (client side)
 *        [zh] 对端的名称或地址（客户端）
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_ENOMEM: out of memory
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ETLS_NO_CA: no trusted CA certificates were found to verify the peer
 *         CNET_ETLS: TLS error
 *
 * @note Differs from Nim: Nim's wrapConnectedSocket performs no handshake
 * until the first read or write and checks the host name only for DNS names
 * and not on Windows; cnet starts it at once and checks DNS names and IP
 * literals.
 *       [zh] 与 Nim 的不同：Nim 的 wrapConnectedSocket 在第一次读写之前不握手，并且只对 DNS 名称、不在 Windows 上核对主机名；cnet 立即开始握手，并核对 DNS 名称和 IP 字面量。
 *
 * Ports Nim: asyncnet.asyncnet.wrapConnectedSocket
 */
CNET_API cnet_err cnet_async_tls_wrap_connected(cnet_ssl_context *context, cnet_async_socket *socket, cnet_ssl_handshake_type handshake, const char *hostname);

/**
 * Sets the name a TLS client verifies and sends as SNI instead of the connect
 * address.
 *
 * [zh] 设置 TLS 客户端要验证并作为 SNI 发送的名称，以替代连接地址。
 *
 * As cnet_socket_set_server_name: for a socket wrapped with
 * cnet_async_tls_wrap, before cnet_async_connect. NULL goes back to the
 * connect address.
 *
 * [zh] 同 cnet_socket_set_server_name：用于以 cnet_async_tls_wrap 包装的套接字，在
 * cnet_async_connect 之前调用。NULL 恢复使用连接地址。
 *
 * @param socket a TLS socket
 *        [zh] TLS 套接字
 *
 * @param name the name or address literal
 *        [zh] 名称或地址字面量
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_ENOMEM: out of memory
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ETLS_NOT_TLS: the socket is not a TLS socket
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API cnet_err cnet_async_tls_set_server_name(cnet_async_socket *socket, const char *name);

/**
 * Completes when the TLS handshake of the socket has ended.
 *
 * [zh] 套接字的 TLS 握手结束时完成。
 *
 * CNET_OK once the handshake succeeded (at once, from the loop, when it
 * already had), or its error: CNET_ETLS_HOSTNAME, CNET_ETLS_EXPIRED,
 * CNET_ETLS_UNTRUSTED or CNET_ETLS_VERIFY for a certificate verification
 * failure, CNET_ETLS_HANDSHAKE when the peer closed during it,
 * CNET_ETLS_PROTOCOL for a peer that does not speak TLS, a reset's code. A
 * timeout or a cancel abandons the handshake: the operation ends with
 * CNET_ETIMEDOUT or CNET_ECANCELED, and every other operation of the socket
 * fails with CNET_ETLS_HANDSHAKE (close it).
 *
 * [zh] 握手成功后以 CNET_OK 完成（已经成功时立即由循环完成），否则以它的错误完成：证书验证失败时为
 * CNET_ETLS_HOSTNAME、CNET_ETLS_EXPIRED、CNET_ETLS_UNTRUSTED 或
 * CNET_ETLS_VERIFY，对端在握手中关闭时为 CNET_ETLS_HANDSHAKE，对端不讲 TLS 时为
 * CNET_ETLS_PROTOCOL，连接被重置时为重置的错误码。超时或取消会放弃握手：该操作以 CNET_ETIMEDOUT 或
 * CNET_ECANCELED 结束，套接字的其他每个操作都以 CNET_ETLS_HANDSHAKE 失败（请关闭它）。
 *
 * @param socket a TLS socket (connected or accepted)
 *        [zh] TLS 套接字（已连接或已接受）
 *
 * @param timeout milliseconds; -1 forever (Nim default: -1)
 *        [zh] 毫秒数；-1 表示无限
 *
 * @param cb the callback
 *        [zh] 回调
 *
 * @param user passed to cb
 *        [zh] 传给 cb
 *
 * @param op receives the operation, for cnet_async_cancel; may be NULL
 *        [zh] 接收操作，用于 cnet_async_cancel；可为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ENOTCONN: socket is not connected
 *         CNET_ETLS_NOT_TLS: the socket is not a TLS socket
 *         CNET_ENOMEM: out of memory
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_ECANCELED: the operation was cancelled
 *         CNET_ECONNRESET: connection reset by peer
 *         CNET_ETLS: TLS error
 *         CNET_ETLS_HANDSHAKE: the TLS handshake failed
 *         CNET_ETLS_VERIFY: the peer's certificate failed verification
 *         CNET_ETLS_HOSTNAME: the peer's certificate does not match the host name or address
 *         CNET_ETLS_EXPIRED: the peer's certificate has expired or is not yet valid
 *         CNET_ETLS_UNTRUSTED: the peer's certificate is not issued by a trusted CA (self-signed or unknown issuer)
 *         CNET_ETLS_PROTOCOL: the peer violated the TLS protocol or does not speak TLS
 *         CNET_ETLS_VERSION: no TLS version that both sides accept
 *         CNET_ETLS_ALPN: no application protocol (ALPN) in common with the peer
 *         CNET_ETLS_PEER_ALERT: the peer rejected the TLS connection with an alert
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API cnet_err cnet_async_tls_handshake(cnet_async_socket *socket, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);

/**
 * Sends close_notify after the queued sends, so the peer sees a clean end of
 * the stream.
 *
 * [zh] 在排队的发送之后发送 close_notify，使对端看到干净的流结束。
 *
 * The TLS half of the write shutdown (what cnet_socket_shutdown sends on a
 * blocking TLS socket). It completes with CNET_OK once close_notify was handed
 * to the kernel; it does not wait for the peer's close_notify, which a read
 * reports as the end of the stream (0 bytes, CNET_OK), while a stream cut
 * without it is reported as CNET_ETLS_TRUNCATED. Sends started after it fail
 * with CNET_ESHUTDOWN. Closing the socket also sends close_notify when it can
 * be written at once (not on io_uring, whose sends are all asynchronous); call
 * this first for a clean end on every backend.
 *
 * [zh] 写关闭的 TLS 部分（阻塞 TLS 套接字上 cnet_socket_shutdown 发送的内容）。close_notify 交给内核后以
 * CNET_OK 完成；它不等待对端的 close_notify，后者由读操作报告为流结束（0 字节、CNET_OK），而没有 close_notify
 * 就被切断的流报告为 CNET_ETLS_TRUNCATED。在它之后启动的发送以 CNET_ESHUTDOWN
 * 失败。关闭套接字时，如果能立即写出，也会发送 close_notify（io_uring
 * 上不会，它的发送都是异步的）；要在每个后端上都干净地结束，请先调用本函数。
 *
 * @param socket a TLS socket
 *        [zh] TLS 套接字
 *
 * @param timeout milliseconds; -1 forever (Nim default: -1)
 *        [zh] 毫秒数；-1 表示无限
 *
 * @param cb the callback
 *        [zh] 回调
 *
 * @param user passed to cb
 *        [zh] 传给 cb
 *
 * @param op receives the operation, for cnet_async_cancel; may be NULL
 *        [zh] 接收操作，用于 cnet_async_cancel；可为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ENOTCONN: socket is not connected
 *         CNET_ETLS_NOT_TLS: the socket is not a TLS socket
 *         CNET_ENOMEM: out of memory
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_ECANCELED: the operation was cancelled
 *         CNET_EPIPE: broken pipe (the peer closed the connection)
 *         CNET_ECONNRESET: connection reset by peer
 *         CNET_ETLS: TLS error
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API cnet_err cnet_async_tls_shutdown(cnet_async_socket *socket, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);

/**
 * Whether the TLS handshake of the socket has completed.
 *
 * [zh] 判断套接字的 TLS 握手是否已完成。
 *
 * @param socket a TLS socket
 *        [zh] TLS 套接字
 *
 * @param out receives the answer
 *        [zh] 接收结果
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ETLS_NOT_TLS: the socket is not a TLS socket
 *
 * Ports Nim: asyncnet.gotHandshake
 */
CNET_API cnet_err cnet_async_tls_got_handshake(cnet_async_socket *socket, bool *out);

/**
 * How the peer's certificate verified in the handshake.
 *
 * [zh] 握手中对端证书的验证结果。
 *
 * CNET_OK into *out when the peer sent a certificate that verified (chain and
 * name); otherwise the code of the failure (CNET_ETLS_HOSTNAME,
 * CNET_ETLS_EXPIRED, CNET_ETLS_UNTRUSTED), or CNET_ETLS_VERIFY when nothing
 * was verified (CNET_VERIFY_NONE, or a client that sent no certificate). With
 * CNET_VERIFY_NONE the handshake succeeds whatever the certificate: this tells
 * what a verification would have said.
 *
 * [zh] 对端发送了通过验证（证书链和名称）的证书时 *out 为
 * CNET_OK；否则为失败的错误码（CNET_ETLS_HOSTNAME、CNET_ETLS_EXPIRED、CNET_ETLS_UNTRUSTED），没有进行验证时（CNET_VERIFY_NONE，或客户端没有发送证书）为
 * CNET_ETLS_VERIFY。使用 CNET_VERIFY_NONE 时无论证书如何握手都会成功：本函数说明验证本会得出什么结果。
 *
 * @param socket a TLS socket after the handshake
 *        [zh] 握手之后的 TLS 套接字
 *
 * @param out receives the verification's code
 *        [zh] 接收验证的错误码
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ENOTCONN: socket is not connected
 *         CNET_ETLS_NOT_TLS: the socket is not a TLS socket
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API cnet_err cnet_async_tls_get_verify_result(cnet_async_socket *socket, cnet_err *out);

/**
 * The peer's verified certificate chain, leaf first.
 *
 * [zh] 对端经过验证的证书链，叶证书在前。
 *
 * As cnet_socket_get_peer_certificates: empty when the peer was not verified;
 * release it with cnet_certificate_list_free.
 *
 * [zh] 同 cnet_socket_get_peer_certificates：对端未经验证时为空；用
 * cnet_certificate_list_free 释放。
 *
 * @param socket a TLS socket after the handshake
 *        [zh] 握手之后的 TLS 套接字
 *
 * @param format DER or PEM (Nim default: CNET_CERT_DER)
 *        [zh] DER 或 PEM
 *
 * @param out receives the chain
 *        [zh] 接收证书链
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_ENOMEM: out of memory
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ENOTCONN: socket is not connected
 *         CNET_ETLS_NOT_TLS: the socket is not a TLS socket
 *         CNET_ETLS: TLS error
 *
 * Ports Nim: asyncnet.getPeerCertificates
 */
CNET_API cnet_err cnet_async_tls_get_peer_certificates(cnet_async_socket *socket, cnet_cert_format format, cnet_certificate_list *out);

/**
 * The application protocol (ALPN) negotiated in the handshake.
 *
 * [zh] 握手中协商出的应用层协议（ALPN）。
 *
 * @param socket a TLS socket after the handshake
 *        [zh] 握手之后的 TLS 套接字
 *
 * @param protocol receives the name, "" when none was negotiated
 *        [zh] 接收协议名；未协商时为 ""
 *
 * @param size room in protocol (CNET_ALPN_PROTOCOL_MAX always fits)
 *        [zh] protocol 的容量（CNET_ALPN_PROTOCOL_MAX 总是足够）
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ETLS_NOT_TLS: the socket is not a TLS socket
 *         CNET_ERANGE: result does not fit in the buffer
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API cnet_err cnet_async_tls_get_alpn_protocol(cnet_async_socket *socket, char *protocol, size_t size);

/**
 * The PSK identity of the connection (on a server, the one the client sent).
 *
 * [zh] 连接的 PSK 身份（在服务器上即客户端发送的身份）。
 *
 * @param socket a TLS socket
 *        [zh] TLS 套接字
 *
 * @param identity receives the NUL-terminated identity
 *        [zh] 接收以 NUL 结尾的身份
 *
 * @param size room in identity including the NUL (CNET_PSK_IDENTITY_MAX always
 * fits)
 *        [zh] identity 的容量（含 NUL；CNET_PSK_IDENTITY_MAX 总是足够）
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ETLS_NOT_TLS: the socket is not a TLS socket
 *         CNET_ERANGE: result does not fit in the buffer
 *
 * Ports Nim: asyncnet.getPskIdentity
 */
CNET_API cnet_err cnet_async_tls_get_psk_identity(cnet_async_socket *socket, char *identity, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* CNET_ASYNC_H */
