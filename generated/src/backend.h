/* generated from spec/async.yaml, spec/core.yaml, spec/errors.yaml, spec/ipaddr.yaml, spec/nativesockets.yaml, spec/net.yaml, spec/platforms.yaml, spec/tls.yaml by codegen/templates/backend.h.j2 - do not edit; regenerate with `make regen` */
/*
 * The internal interface between the shared code and a backend. Every
 * function named cnet__sys_* has the signature of the public function it
 * serves and is defined once per backend (backends/<name>/); the generated
 * API layer (api_*.c) validates arguments and then calls it. Shared
 * implementations (cnet__*) live in src/.
 */
#ifndef CNET__BACKEND_H
#define CNET__BACKEND_H

#include <cnet/cnet.h>

/* ---------------------------------------------------- backend edge functions */
cnet_err cnet__sys_create_native_socket_int(int domain, int type, int protocol, bool inheritable, cnet_socket_handle *out);
cnet_err cnet__sys_close(cnet_socket_handle handle);
cnet_err cnet__sys_set_inheritable(cnet_socket_handle handle, bool inheritable);
cnet_err cnet__sys_bind_addr(cnet_socket_handle handle, const struct sockaddr *name, cnet_socklen namelen);
cnet_err cnet__sys_listen(cnet_socket_handle handle, int backlog);
cnet_err cnet__sys_accept(cnet_socket_handle handle, bool inheritable, cnet_socket_handle *client, char *address, size_t address_size);
cnet_err cnet__sys_get_addr_info(const char *address, cnet_port port, cnet_domain domain, cnet_sock_type type, cnet_protocol protocol, struct addrinfo **out);
cnet_err cnet__sys_get_serv_by_name(const char *name, const char *proto, cnet_servent *out);
cnet_err cnet__sys_get_serv_by_port(cnet_port port, const char *proto, cnet_servent *out);
cnet_err cnet__sys_get_host_by_addr(const char *ip, cnet_hostent *out);
cnet_err cnet__sys_get_host_by_name(const char *name, cnet_hostent *out);
cnet_err cnet__sys_get_proto_by_name(const char *name, int *out);
cnet_err cnet__sys_get_hostname(char *buf, size_t size);
cnet_err cnet__sys_get_sock_domain(cnet_socket_handle handle, cnet_domain *out);
cnet_err cnet__sys_get_sock_name(cnet_socket_handle handle, cnet_port *out);
cnet_err cnet__sys_get_local_addr(cnet_socket_handle handle, char *address, size_t address_size, cnet_port *port);
cnet_err cnet__sys_get_peer_addr(cnet_socket_handle handle, char *address, size_t address_size, cnet_port *port);
cnet_err cnet__sys_get_sock_opt_int(cnet_socket_handle handle, int level, int optname, int *out);
cnet_err cnet__sys_set_sock_opt_int(cnet_socket_handle handle, int level, int optname, int value);
cnet_err cnet__sys_set_blocking(cnet_socket_handle handle, bool blocking);
cnet_err cnet__sys_ioctlsocket(cnet_socket_handle handle, long cmd, unsigned long *argp);

/* ------------------- internal edge primitives (declared with impl: edge) */

/**
 * The backend's answer for cnet_backend_active.
 *
 * [zh] 后端对 cnet_backend_active 的回答。
 *
 * @return a static string
 *         [zh] 静态字符串
 *
 * cnet addition (no Nim counterpart).
 */
const char *cnet__sys_backend_active(void);

/**
 * One wait for readiness: polls the handles for reading or for writing until
 * some are ready or the deadline passes, and marks the ready ones.
 *
 * [zh] 一次就绪等待：轮询这些句柄是否可读或可写，直到其中一些就绪或截止时间已过，并标记就绪的句柄。
 *
 * The loop of cnet_select_read and cnet_select_write (src/select.c, the same
 * for every backend) calls it again until some handle is ready or the deadline
 * has passed: it may return earlier with none ready (a signal interrupted the
 * wait; on Winsock a wake meant for an earlier wait of the thread ended it).
 * With no handles it only waits. A handle is ready when the poll reports any
 * event on it; an invalid or closed handle fails the call with CNET_EBADF.
 * Winsock: WSAPoll never reports a socket that cnet shut down for reading as
 * readable, where POSIX poll does, so such a socket counts as ready for
 * reading and the wait then only looks; a socket woken by close from another
 * thread (cnet__sys_wake) counts as ready, as the shut-down socket does on
 * POSIX. Winsock waits in one piece: the WSAPoll set also holds the calling
 * thread's wake socket (a loopback UDP socket made at its first wait and
 * closed when the thread ends), which cnet__sys_wake sends a byte; a thread
 * that cannot make one waits in slices of at most 50 ms.
 *
 * [zh] cnet_select_read 与 cnet_select_write
 * 的循环（src/select.c，所有后端共用）反复调用它，直到某个句柄就绪或截止时间已过：它可以提前返回而没有任何句柄就绪（等待被信号打断；在
 * Winsock 上是发给本线程先前某次等待的唤醒结束了它）。没有句柄时只等待。轮询报告句柄上有任何事件时该句柄即就绪；无效或已关闭的句柄使调用以
 * CNET_EBADF 失败。Winsock：WSAPoll 从不把由 cnet 关闭了读端的套接字报告为可读，而 POSIX poll
 * 会，因此这样的套接字算作可读，等待随之只做一次查询；被另一个线程的关闭唤醒的套接字（cnet__sys_wake）算作就绪，与 POSIX
 * 上已关闭的套接字相同。Winsock 的等待一次完成：WSAPoll 的集合里还有调用线程的唤醒套接字（一个回环 UDP
 * 套接字，在线程第一次等待时创建，线程结束时关闭），cnet__sys_wake 向它发送一个字节；无法创建唤醒套接字的线程以最长 50 ms
 * 的片段等待。
 *
 * @param handles the sockets to watch
 *        [zh] 要监视的套接字
 *
 * @param count how many (0 only waits)
 *        [zh] 个数（0 表示只等待）
 *
 * @param write true: wait until writable; false: until readable
 *        [zh] true：等待可写；false：等待可读
 *
 * @param deadline absolute cnet__sys_now_ms time, or -1 for none
 *        [zh] cnet__sys_now_ms 的绝对时间，-1 表示没有
 *
 * @param ready count marks, all written: ready[i] tells whether handles[i] is
 * ready
 *        [zh] count 个标记，全部写入：ready[i] 表示 handles[i] 是否就绪
 *
 * @param ready_count how many are marked ready
 *        [zh] 标记为就绪的个数
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_EBADF: bad or closed socket handle
 *         CNET_ENOMEM: out of memory
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * cnet addition (no Nim counterpart).
 */
cnet_err cnet__sys_poll_handles(const cnet_socket_handle *handles, size_t count, bool write, int64_t deadline, bool *ready, size_t *ready_count);

/**
 * Milliseconds on a monotonic clock (deadlines).
 *
 * [zh] 单调时钟上的毫秒数（用于截止时间）。
 *
 * @return the current time
 *         [zh] 当前时间
 *
 * cnet addition (no Nim counterpart).
 */
int64_t cnet__sys_now_ms(void);

/**
 * One receive: waits until readable or the deadline, then reads at most size
 * bytes.
 *
 * [zh] 一次接收：等待直到可读或截止时间，然后最多读取 size 个字节。
 *
 * @param handle the socket
 *        [zh] 套接字
 *
 * @param data the buffer
 *        [zh] 缓冲区
 *
 * @param size its size (at least 1)
 *        [zh] 其大小（至少为 1）
 *
 * @param peek MSG_PEEK
 *        [zh] MSG_PEEK
 *
 * @param deadline absolute cnet__sys_now_ms time, or -1 for none
 *        [zh] cnet__sys_now_ms 的绝对时间，-1 表示没有
 *
 * @param received bytes read; 0 means end of stream
 *        [zh] 读取的字节数；0 表示流结束
 *
 * @return CNET_OK on success, or one of:
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_ECONNRESET: connection reset by peer
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * cnet addition (no Nim counterpart).
 */
cnet_err cnet__sys_recv(cnet_socket_handle handle, void *data, size_t size, bool peek, int64_t deadline, size_t *received);

/**
 * One send: waits until writable or the deadline, then writes some of the
 * bytes without SIGPIPE.
 *
 * [zh] 一次发送：等待直到可写或截止时间，然后写出部分字节，不触发 SIGPIPE。
 *
 * @param handle the socket
 *        [zh] 套接字
 *
 * @param data the bytes
 *        [zh] 字节
 *
 * @param size how many
 *        [zh] 字节数
 *
 * @param deadline absolute deadline or -1
 *        [zh] 绝对截止时间或 -1
 *
 * @param sent bytes written
 *        [zh] 写出的字节数
 *
 * @return CNET_OK on success, or one of:
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_EPIPE: broken pipe (the peer closed the connection)
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * cnet addition (no Nim counterpart).
 */
cnet_err cnet__sys_send(cnet_socket_handle handle, const void *data, size_t size, int64_t deadline, size_t *sent);

/**
 * One receive that never waits: reads what is there, at most size bytes.
 *
 * [zh] 一次从不等待的接收：读取已到达的数据，最多 size 个字节。
 *
 * The read of the TLS edge BIO (src/tls_session.c), which runs under the
 * session's lock and so must never wait: the wait is cnet__sys_wait, outside
 * the lock. Nothing there yet is CNET_EWOULDBLOCK, returned without setting
 * the thread's error message (the caller waits and tries again, a message
 * would cost a format per wait). EINTR is retried. io_uring: a ring receive
 * with MSG_DONTWAIT. Winsock: not defined, like the two below: only TLS calls
 * them, and the Windows build has no TLS (Debian has no OpenSSL for mingw).
 *
 * [zh] TLS 边缘 BIO（src/tls_session.c）的读取，它在会话的锁内运行，因此绝不能等待：等待由锁外的
 * cnet__sys_wait 完成。尚无数据时返回
 * CNET_EWOULDBLOCK，且不设置线程的错误消息（调用者会等待后重试，每次等待都格式化一条消息代价太高）。EINTR
 * 会重试。io_uring：带 MSG_DONTWAIT 的环形队列接收。Winsock：与下面两个函数一样没有定义：只有 TLS 调用它们，而
 * Windows 构建没有 TLS（Debian 没有供 mingw 使用的 OpenSSL）。
 *
 * @param handle the socket
 *        [zh] 套接字
 *
 * @param data the buffer
 *        [zh] 缓冲区
 *
 * @param size its size (at least 1)
 *        [zh] 其大小（至少为 1）
 *
 * @param received bytes read; 0 means end of stream
 *        [zh] 读取的字节数；0 表示流结束
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EWOULDBLOCK: operation would block
 *         CNET_ECONNRESET: connection reset by peer
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * cnet addition (no Nim counterpart).
 */
cnet_err cnet__sys_recv_now(cnet_socket_handle handle, void *data, size_t size, size_t *received);

/**
 * One send that never waits: writes what fits now, without SIGPIPE.
 *
 * [zh] 一次从不等待的发送：写出现在能容纳的部分，不触发 SIGPIPE。
 *
 * The write of the TLS edge BIO, under the session's lock like
 * cnet__sys_recv_now. No room at all is CNET_EWOULDBLOCK without a message; a
 * partial write reports its count. io_uring: a ring send with MSG_DONTWAIT.
 *
 * [zh] TLS 边缘 BIO 的写入，与 cnet__sys_recv_now 一样在会话的锁内运行。完全没有空间时返回
 * CNET_EWOULDBLOCK 且不设置消息；部分写入报告其字节数。io_uring：带 MSG_DONTWAIT 的环形队列发送。
 *
 * @param handle the socket
 *        [zh] 套接字
 *
 * @param data the bytes
 *        [zh] 字节
 *
 * @param size how many
 *        [zh] 字节数
 *
 * @param sent bytes written
 *        [zh] 写出的字节数
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EWOULDBLOCK: operation would block
 *         CNET_EPIPE: broken pipe (the peer closed the connection)
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * cnet addition (no Nim counterpart).
 */
cnet_err cnet__sys_send_now(cnet_socket_handle handle, const void *data, size_t size, size_t *sent);

/**
 * Waits until one socket is readable or writable, the deadline passes, or
 * another thread's close wakes it.
 *
 * [zh] 等待一个套接字可读或可写、截止时间已过，或被另一个线程的关闭唤醒。
 *
 * The wait of a TLS call, made outside the session's lock so that a reader
 * waiting for records never holds up a writer, and the other way round. It
 * keeps the rules of the blocking calls: with a deadline (>= 0) it ends with
 * CNET_ETIMEDOUT when the deadline passes; without one, a socket in
 * non-blocking mode (cnet_set_blocking, or O_NONBLOCK when wrapped) answers
 * CNET_EWOULDBLOCK at once instead of waiting, and a blocking socket waits for
 * as long as it takes. A socket shut down by cnet__sys_wake counts as ready
 * (the next receive sees the end, the next send fails). io_uring:
 * IORING_OP_POLL_ADD with a linked timeout on the thread's ring.
 *
 * [zh] TLS 调用的等待，在会话的锁之外进行，这样等待记录的读者绝不会耽误写者，反之亦然。它遵守阻塞调用的规则：有截止时间（>=
 * 0）时，截止时间一过便以 CNET_ETIMEDOUT 结束；没有截止时间时，处于非阻塞模式的套接字（cnet_set_blocking，或被包装时已设
 * O_NONBLOCK）立即返回 CNET_EWOULDBLOCK 而不等待，阻塞套接字则一直等到就绪。被 cnet__sys_wake
 * 关闭的套接字算作就绪（下一次接收看到流结束，下一次发送失败）。io_uring：在线程的环上使用带链接超时的 IORING_OP_POLL_ADD。
 *
 * @param handle the socket
 *        [zh] 套接字
 *
 * @param write true: until writable; false: until readable
 *        [zh] true：直到可写；false：直到可读
 *
 * @param deadline absolute cnet__sys_now_ms time, or -1 for none
 *        [zh] cnet__sys_now_ms 的绝对时间，-1 表示没有
 *
 * @return CNET_OK on success, or one of:
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_EWOULDBLOCK: operation would block
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * cnet addition (no Nim counterpart).
 */
cnet_err cnet__sys_wait(cnet_socket_handle handle, bool write, int64_t deadline);

/**
 * One gathering send of two buffers (a frame's prefix and payload).
 *
 * [zh] 一次聚集发送两个缓冲区（帧的前缀和负载）。
 *
 * @param handle the socket
 *        [zh] 套接字
 *
 * @param a first buffer
 *        [zh] 第一个缓冲区
 *
 * @param a_size its size
 *        [zh] 其大小
 *
 * @param b second buffer
 *        [zh] 第二个缓冲区
 *
 * @param b_size its size
 *        [zh] 其大小
 *
 * @param deadline absolute deadline or -1
 *        [zh] 绝对截止时间或 -1
 *
 * @param sent bytes written in total
 *        [zh] 共写出的字节数
 *
 * @return CNET_OK on success, or one of:
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_EPIPE: broken pipe (the peer closed the connection)
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * cnet addition (no Nim counterpart).
 */
cnet_err cnet__sys_sendv2(cnet_socket_handle handle, const void *a, size_t a_size, const void *b, size_t b_size, int64_t deadline, size_t *sent);

/**
 * Connects within the deadline, checks SO_ERROR and leaves the socket
 * blocking.
 *
 * [zh] 在截止时间内连接，检查 SO_ERROR，并让套接字保持阻塞。
 *
 * @param handle the socket
 *        [zh] 套接字
 *
 * @param addr the address
 *        [zh] 地址
 *
 * @param len its length
 *        [zh] 其长度
 *
 * @param deadline absolute deadline or -1
 *        [zh] 绝对截止时间或 -1
 *
 * @return CNET_OK on success, or one of:
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_ECONNREFUSED: connection refused
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * cnet addition (no Nim counterpart).
 */
cnet_err cnet__sys_connect(cnet_socket_handle handle, const struct sockaddr *addr, cnet_socklen len, int64_t deadline);

/**
 * Accepts one connection within the deadline and returns its raw address.
 *
 * [zh] 在截止时间内接受一个连接并返回其原始地址。
 *
 * @param handle the listening socket
 *        [zh] 监听套接字
 *
 * @param inheritable whether children inherit the client
 *        [zh] 子进程是否继承客户句柄
 *
 * @param deadline absolute deadline or -1
 *        [zh] 绝对截止时间或 -1
 *
 * @param client the client handle
 *        [zh] 客户句柄
 *
 * @param addr the client address
 *        [zh] 客户地址
 *
 * @param len its length
 *        [zh] 其长度
 *
 * @return CNET_OK on success, or one of:
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_ECONNABORTED: connection aborted
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * cnet addition (no Nim counterpart).
 */
cnet_err cnet__sys_accept_deadline(cnet_socket_handle handle, bool inheritable, int64_t deadline, cnet_socket_handle *client, struct sockaddr_storage *addr, cnet_socklen *len);

/**
 * Sends one datagram within the deadline.
 *
 * [zh] 在截止时间内发送一个数据报。
 *
 * @param handle the socket
 *        [zh] 套接字
 *
 * @param data the datagram
 *        [zh] 数据报
 *
 * @param size its size
 *        [zh] 其大小
 *
 * @param addr the destination (NULL when connected)
 *        [zh] 目的地址（已连接时为 NULL）
 *
 * @param len its length
 *        [zh] 其长度
 *
 * @param deadline absolute deadline or -1
 *        [zh] 绝对截止时间或 -1
 *
 * @return CNET_OK on success, or one of:
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_EMSGSIZE: message too long
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * cnet addition (no Nim counterpart).
 */
cnet_err cnet__sys_sendto(cnet_socket_handle handle, const void *data, size_t size, const struct sockaddr *addr, cnet_socklen len, int64_t deadline);

/**
 * Receives one datagram within the deadline and tells whether it was
 * truncated.
 *
 * [zh] 在截止时间内接收一个数据报，并说明它是否被截断。
 *
 * @param handle the socket
 *        [zh] 套接字
 *
 * @param data the buffer
 *        [zh] 缓冲区
 *
 * @param size its size
 *        [zh] 其大小
 *
 * @param addr the sender
 *        [zh] 发送方
 *
 * @param len its length
 *        [zh] 其长度
 *
 * @param deadline absolute deadline or -1
 *        [zh] 绝对截止时间或 -1
 *
 * @param received bytes stored
 *        [zh] 存入的字节数
 *
 * @param truncated whether the datagram was longer than size
 *        [zh] 数据报是否比 size 长
 *
 * @return CNET_OK on success, or one of:
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * cnet addition (no Nim counterpart).
 */
cnet_err cnet__sys_recvfrom(cnet_socket_handle handle, void *data, size_t size, struct sockaddr_storage *addr, cnet_socklen *len, int64_t deadline, size_t *received, bool *truncated);

/**
 * shutdown(2).
 *
 * [zh] shutdown(2)。
 *
 * @param handle the socket
 *        [zh] 套接字
 *
 * @param read shut down reading
 *        [zh] 关闭读端
 *
 * @param write shut down writing
 *        [zh] 关闭写端
 *
 * @return CNET_OK on success, or one of:
 *         CNET_ENOTCONN: socket is not connected
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * cnet addition (no Nim counterpart).
 */
cnet_err cnet__sys_shutdown(cnet_socket_handle handle, bool read, bool write);

/**
 * Wakes every call blocked on the socket in other threads (close from another
 * thread); errors are ignored.
 *
 * [zh] 唤醒其他线程中阻塞在该套接字上的所有调用（另一个线程关闭套接字时）；忽略错误。
 *
 * POSIX and io_uring: shutdown(SHUT_RDWR), which also fails any later wait on
 * the socket. Winsock: shutdown(SD_BOTH), then CancelIoEx on the handle, which
 * aborts blocking calls and waits that a shutdown alone leaves waiting; the
 * handle is also marked woken, because a wait that starts after the wake (an
 * accept, a WSAPoll) would not end otherwise, and every wait registered on the
 * handle is sent a byte on the wake socket of its thread, which its WSAPoll or
 * select also watches: a Winsock wait registers, looks at the mark, then
 * sleeps in one piece until the handle is ready, its deadline, or that byte (a
 * thread that cannot make a wake socket polls in slices of at most 50 ms).
 *
 * [zh] POSIX 和
 * io_uring：shutdown(SHUT_RDWR)，之后在该套接字上的等待也会失败。Winsock：shutdown(SD_BOTH)，然后对句柄调用
 * CancelIoEx，中止仅靠 shutdown
 * 无法唤醒的阻塞调用和等待；同时把句柄标记为已唤醒，因为在唤醒之后才开始的等待（accept、WSAPoll）否则不会结束；并向登记在该句柄上的每个等待所在线程的唤醒套接字发送一个字节，该等待的
 * WSAPoll 或 select 也监视这个套接字：Winsock
 * 的等待先登记，再查看标记，然后一次睡眠直到句柄就绪、截止时间到达或收到那个字节（无法创建唤醒套接字的线程以最长 50 ms 的片段轮询）。
 *
 * @param handle the socket
 *        [zh] 套接字
 *
 * cnet addition (no Nim counterpart).
 */
void cnet__sys_wake(cnet_socket_handle handle);

/**
 * Told once when a handle made outside cnet is wrapped
 * (cnet_socket_from_handle).
 *
 * [zh] 当在 cnet 之外创建的句柄被包装时（cnet_socket_from_handle）调用一次。
 *
 * The io_uring backend reads the handle's O_NONBLOCK here, once, and serves a
 * non-blocking handle through the POSIX edge (CNET_EWOULDBLOCK) as for
 * cnet_set_blocking: io_uring itself would wait. A mode changed later behind
 * cnet's back (fcntl) is not seen; change it with cnet_set_blocking. POSIX and
 * Winsock: nothing to do.
 *
 * [zh] io_uring 后端在这里读取句柄的 O_NONBLOCK（仅一次），并像 cnet_set_blocking 之后那样通过 POSIX
 * 边缘处理非阻塞句柄（返回 CNET_EWOULDBLOCK）：io_uring 本身会等待。之后绕过 cnet（用
 * fcntl）改变的模式不会被看到；请用 cnet_set_blocking 改变它。POSIX 和 Winsock：无需任何操作。
 *
 * @param handle the socket
 *        [zh] 套接字
 *
 * cnet addition (no Nim counterpart).
 */
void cnet__sys_handle_adopted(cnet_socket_handle handle);

/**
 * setsockopt(SO_LINGER): enabled with 0 seconds, the next close sends a reset.
 *
 * [zh] setsockopt(SO_LINGER)：启用且为 0 秒时，下一次 close 发送复位。
 *
 * @param handle the socket
 *        [zh] 套接字
 *
 * @param enable linger on close
 *        [zh] 关闭时是否逗留
 *
 * @param seconds how long
 *        [zh] 逗留多久
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EBADF: bad or closed socket handle
 *         CNET_EINVAL: invalid argument
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * cnet addition (no Nim counterpart).
 */
cnet_err cnet__sys_set_linger(cnet_socket_handle handle, bool enable, int seconds);

/**
 * Told after cnet_set_blocking or cnet_ioctlsocket(CNET_FIONBIO) changed a
 * socket's blocking mode.
 *
 * [zh] 在 cnet_set_blocking 或 cnet_ioctlsocket(CNET_FIONBIO) 改变套接字的阻塞模式之后调用。
 *
 * io_uring waits even on a non-blocking socket, so the io_uring backend notes
 * the handles made non-blocking and serves their calls through the POSIX edge,
 * which answers CNET_EWOULDBLOCK as a non-blocking socket must. POSIX and
 * Winsock: nothing to do.
 *
 * [zh] io_uring 即使在非阻塞套接字上也会等待，因此 io_uring 后端记下被设为非阻塞的句柄，并通过 POSIX
 * 边缘处理它们的调用，像非阻塞套接字应有的那样返回 CNET_EWOULDBLOCK。POSIX 和 Winsock：无需任何操作。
 *
 * @param handle the socket
 *        [zh] 套接字
 *
 * @param blocking its new mode
 *        [zh] 它的新模式
 *
 * cnet addition (no Nim counterpart).
 */
void cnet__sys_blocking_changed(cnet_socket_handle handle, bool blocking);

/* ------- the POSIX I/O edge under its own names (ring: true in the spec) */
/* backends/posix/edge_io.c defines these: the posix backend's cnet__sys_*
 * call them (backends/posix/sys_io.c), and the io_uring backend falls back
 * to them, exactly, when the kernel refuses the ring. */
cnet_err cnet__posix_create_native_socket_int(int domain, int type, int protocol, bool inheritable, cnet_socket_handle *out);
cnet_err cnet__posix_close(cnet_socket_handle handle);
cnet_err cnet__posix_bind_addr(cnet_socket_handle handle, const struct sockaddr *name, cnet_socklen namelen);
cnet_err cnet__posix_listen(cnet_socket_handle handle, int backlog);
cnet_err cnet__posix_accept(cnet_socket_handle handle, bool inheritable, cnet_socket_handle *client, char *address, size_t address_size);
int64_t cnet__posix_now_ms(void);
cnet_err cnet__posix_recv(cnet_socket_handle handle, void *data, size_t size, bool peek, int64_t deadline, size_t *received);
cnet_err cnet__posix_send(cnet_socket_handle handle, const void *data, size_t size, int64_t deadline, size_t *sent);
cnet_err cnet__posix_recv_now(cnet_socket_handle handle, void *data, size_t size, size_t *received);
cnet_err cnet__posix_send_now(cnet_socket_handle handle, const void *data, size_t size, size_t *sent);
cnet_err cnet__posix_wait(cnet_socket_handle handle, bool write, int64_t deadline);
cnet_err cnet__posix_sendv2(cnet_socket_handle handle, const void *a, size_t a_size, const void *b, size_t b_size, int64_t deadline, size_t *sent);
cnet_err cnet__posix_connect(cnet_socket_handle handle, const struct sockaddr *addr, cnet_socklen len, int64_t deadline);
cnet_err cnet__posix_accept_deadline(cnet_socket_handle handle, bool inheritable, int64_t deadline, cnet_socket_handle *client, struct sockaddr_storage *addr, cnet_socklen *len);
cnet_err cnet__posix_sendto(cnet_socket_handle handle, const void *data, size_t size, const struct sockaddr *addr, cnet_socklen len, int64_t deadline);
cnet_err cnet__posix_recvfrom(cnet_socket_handle handle, void *data, size_t size, struct sockaddr_storage *addr, cnet_socklen *len, int64_t deadline, size_t *received, bool *truncated);
cnet_err cnet__posix_shutdown(cnet_socket_handle handle, bool read, bool write);
void cnet__posix_wake(cnet_socket_handle handle);

/* -------------------------- holding a socket for one call (src/net_internal.h) */
/* Enter: CNET_ECLOSED when the socket is closed. Leave: the call's result,
 * or CNET_ECLOSED when another thread closed the socket during the call. */
cnet_err cnet__socket_enter(cnet_socket *socket, const char *function);
cnet_err cnet__socket_leave(cnet_socket *socket, const char *function, cnet_err result);
/* The same without an error: try_hold is false (and holds nothing) for a
 * closed socket; let_go ends a hold that try_hold took. */
bool cnet__socket_try_hold(const cnet_socket *socket);
void cnet__socket_let_go(const cnet_socket *socket);
/* The sides of a socket (`side:` in the spec): take is false when another
 * thread is on that side; busy is the CNET_EBUSY of that refusal. */
#define CNET__SIDE_READ 0
#define CNET__SIDE_WRITE 1
bool cnet__socket_take_side(cnet_socket *socket, int side);
void cnet__socket_give_side(cnet_socket *socket, int side);
cnet_err cnet__socket_side_busy(cnet_socket *socket, int side, const char *function);

/* ------------------------------------------------ shared implementations */
cnet_err cnet__loop_new(cnet_loop **out);
cnet_err cnet__loop_default(cnet_loop **out);
cnet_err cnet__loop_free(cnet_loop *loop);
cnet_err cnet__loop_run(cnet_loop *loop);
cnet_err cnet__loop_poll(cnet_loop *loop, int timeout);
cnet_err cnet__loop_stop(cnet_loop *loop);
cnet_err cnet__loop_wake(cnet_loop *loop);
cnet_err cnet__loop_post(cnet_loop *loop, cnet_async_cb cb, void *user);
cnet_err cnet__loop_call_soon(cnet_loop *loop, cnet_async_cb cb, void *user, cnet_async_op **op);
cnet_err cnet__loop_add_timer(cnet_loop *loop, int timeout, bool oneshot, cnet_async_cb cb, void *user, cnet_async_op **op);
cnet_err cnet__loop_sleep(cnet_loop *loop, int ms, cnet_async_cb cb, void *user, cnet_async_op **op);
cnet_err cnet__loop_add_read(cnet_loop *loop, cnet_socket_handle handle, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);
cnet_err cnet__loop_add_write(cnet_loop *loop, cnet_socket_handle handle, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);
cnet_err cnet__async_cancel(cnet_async_op *op);
cnet_err cnet__async_socket_new(cnet_loop *loop, cnet_domain domain, cnet_sock_type type, cnet_protocol protocol, cnet_async_socket **out);
cnet_err cnet__async_socket_wrap(cnet_loop *loop, cnet_socket_handle handle, cnet_domain domain, cnet_sock_type type, cnet_async_socket **out);
cnet_err cnet__async_socket_close(cnet_async_socket *socket, cnet_async_cb cb, void *user);
cnet_err cnet__async_socket_set_sock_opt(cnet_async_socket *socket, cnet_sobool opt, bool value);
cnet_err cnet__async_socket_get_sock_opt(cnet_async_socket *socket, cnet_sobool opt, bool *value);
cnet_err cnet__async_socket_bind_addr(cnet_async_socket *socket, cnet_port port, const char *address);
cnet_err cnet__async_socket_listen(cnet_async_socket *socket, int backlog);
cnet_err cnet__async_socket_get_local_addr(cnet_async_socket *socket, cnet_ip_address *address, cnet_port *port);
cnet_err cnet__async_socket_get_peer_addr(cnet_async_socket *socket, cnet_ip_address *address, cnet_port *port);
cnet_err cnet__async_connect(cnet_async_socket *socket, const char *address, cnet_port port, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);
cnet_err cnet__async_dial(cnet_loop *loop, const char *address, cnet_port port, cnet_protocol protocol, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);
cnet_err cnet__async_accept(cnet_async_socket *socket, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);
cnet_err cnet__async_recv(cnet_async_socket *socket, size_t size, bool all, unsigned flags, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);
cnet_err cnet__async_recv_into(cnet_async_socket *socket, void *buf, size_t size, bool all, unsigned flags, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);
cnet_err cnet__async_recv_line(cnet_async_socket *socket, size_t max_length, unsigned flags, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);
cnet_err cnet__async_recv_line_into(cnet_async_socket *socket, char *buf, size_t size, unsigned flags, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);
cnet_err cnet__async_send(cnet_async_socket *socket, const void *data, size_t size, unsigned flags, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);
cnet_err cnet__async_send_copy(cnet_async_socket *socket, const void *data, size_t size, unsigned flags, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);
cnet_err cnet__async_send_frame(cnet_async_socket *socket, cnet_frame_format format, const void *data, size_t size, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);
cnet_err cnet__async_recv_frame(cnet_async_socket *socket, cnet_frame_format format, size_t max_size, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);
cnet_err cnet__async_send_to(cnet_async_socket *socket, const char *address, cnet_port port, const void *data, size_t size, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);
cnet_err cnet__async_recv_from(cnet_async_socket *socket, size_t size, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);
cnet_err cnet__async_tls_wrap(cnet_ssl_context *context, cnet_async_socket *socket);
cnet_err cnet__async_tls_wrap_connected(cnet_ssl_context *context, cnet_async_socket *socket, cnet_ssl_handshake_type handshake, const char *hostname);
cnet_err cnet__async_tls_set_server_name(cnet_async_socket *socket, const char *name);
cnet_err cnet__async_tls_handshake(cnet_async_socket *socket, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);
cnet_err cnet__async_tls_shutdown(cnet_async_socket *socket, int timeout, cnet_async_cb cb, void *user, cnet_async_op **op);
cnet_err cnet__async_tls_got_handshake(cnet_async_socket *socket, bool *out);
cnet_err cnet__async_tls_get_verify_result(cnet_async_socket *socket, cnet_err *out);
cnet_err cnet__async_tls_get_peer_certificates(cnet_async_socket *socket, cnet_cert_format format, cnet_certificate_list *out);
cnet_err cnet__async_tls_get_alpn_protocol(cnet_async_socket *socket, char *protocol, size_t size);
cnet_err cnet__async_tls_get_psk_identity(cnet_async_socket *socket, char *identity, size_t size);
cnet_err cnet__parse_ip_address(const char *text, size_t len, cnet_ip_address *out);
cnet_err cnet__parse_ip_address_scoped(const char *text, size_t len, cnet_ip_address *out, uint32_t *scope_id);
cnet_err cnet__ip_address_to_string(const cnet_ip_address *address, char *buf, size_t size, size_t *len);
cnet_err cnet__port_to_string(cnet_port port, char *buf, size_t size);
cnet_err cnet__port_from_int(long value, cnet_port *out);
cnet_err cnet__port_parse(const char *text, cnet_port *out);
cnet_err cnet__to_known_domain(int family, cnet_domain *out);
cnet_err cnet__create_native_socket(cnet_domain domain, cnet_sock_type type, cnet_protocol protocol, bool inheritable, cnet_socket_handle *out);
cnet_err cnet__new_raw_socket(cnet_domain domain, cnet_sock_type type, cnet_protocol protocol, cnet_socket_handle *out);
cnet_err cnet__new_raw_socket_int(int domain, int type, int protocol, cnet_socket_handle *out);
cnet_err cnet__get_addr_string(const struct sockaddr *addr, cnet_socklen addrlen, char *buf, size_t size);
cnet_err cnet__make_unix_addr(const char *path, struct sockaddr_storage *out, cnet_socklen *len);
cnet_err cnet__select_read(cnet_socket_handle *handles, size_t *count, int timeout);
cnet_err cnet__select_write(cnet_socket_handle *handles, size_t *count, int timeout);
cnet_err cnet__socket_new(cnet_domain domain, cnet_sock_type type, cnet_protocol protocol, bool buffered, bool inheritable, cnet_socket **out);
cnet_err cnet__socket_new_int(int domain, int type, int protocol, bool buffered, bool inheritable, cnet_socket **out);
cnet_err cnet__socket_from_handle(cnet_socket_handle handle, cnet_domain domain, cnet_sock_type type, cnet_protocol protocol, bool buffered, cnet_socket **out);
cnet_err cnet__socket_close(cnet_socket *socket, unsigned flags);
cnet_err cnet__socket_close_lingering(cnet_socket *socket, int timeout);
cnet_err cnet__socket_abort(cnet_socket *socket);
cnet_socket_handle cnet__socket_get_fd(const cnet_socket *socket);
cnet_err cnet__socket_get_domain(cnet_socket *socket, cnet_domain *out);
cnet_err cnet__socket_get_type(cnet_socket *socket, cnet_sock_type *out);
cnet_err cnet__socket_get_protocol(cnet_socket *socket, cnet_protocol *out);
bool cnet__socket_is_ssl(const cnet_socket *socket);
cnet_err cnet__socket_error(cnet_socket *socket, long result, bool async, unsigned flags);
cnet_err cnet__socket_set_timeout(cnet_socket *socket, int timeout);
cnet_err cnet__socket_set_send_timeout(cnet_socket *socket, int timeout);
cnet_err cnet__socket_get_sock_opt(cnet_socket *socket, cnet_sobool opt, int level, bool *out);
cnet_err cnet__socket_set_sock_opt(cnet_socket *socket, cnet_sobool opt, bool value, int level);
cnet_err cnet__socket_bind_addr(cnet_socket *socket, cnet_port port, const char *address);
cnet_err cnet__socket_bind_unix(cnet_socket *socket, const char *path);
cnet_err cnet__socket_listen(cnet_socket *socket, int backlog);
cnet_err cnet__socket_accept_addr(cnet_socket *server, cnet_socket **client, char *address, size_t address_size, unsigned flags);
cnet_err cnet__socket_accept(cnet_socket *server, cnet_socket **client, unsigned flags);
cnet_err cnet__socket_connect(cnet_socket *socket, const char *address, cnet_port port, int timeout);
cnet_err cnet__socket_connect_unix(cnet_socket *socket, const char *path);
cnet_err cnet__dial(const char *address, cnet_port port, cnet_protocol protocol, bool buffered, int timeout, cnet_socket **out);
cnet_err cnet__socket_get_local_addr(cnet_socket *socket, char *address, size_t address_size, cnet_port *port);
cnet_err cnet__socket_get_peer_addr(cnet_socket *socket, char *address, size_t address_size, cnet_port *port);
cnet_err cnet__get_primary_ip_addr(const cnet_ip_address *dest, cnet_ip_address *out);
cnet_err cnet__to_sock_addr(const cnet_ip_address *address, cnet_port port, uint32_t scope_id, struct sockaddr_storage *out, cnet_socklen *len);
cnet_err cnet__from_sock_addr(const struct sockaddr *sa, cnet_socklen len, cnet_ip_address *address, cnet_port *port, uint32_t *scope_id);
bool cnet__socket_has_data_buffered(const cnet_socket *socket);
cnet_err cnet__socket_recv(cnet_socket *socket, void *data, size_t size, int timeout, unsigned flags, size_t *received);
cnet_err cnet__socket_recv_some(cnet_socket *socket, void *data, size_t size, int timeout, unsigned flags, size_t *received);
cnet_err cnet__socket_recv_string(cnet_socket *socket, size_t size, int timeout, unsigned flags, char **out, size_t *len);
cnet_err cnet__socket_read_line(cnet_socket *socket, char *line, size_t size, size_t *len, cnet_read_line_result *result, int timeout, unsigned flags);
cnet_err cnet__socket_recv_line(cnet_socket *socket, int timeout, unsigned flags, size_t max_length, char **out, size_t *len, cnet_read_line_result *result);
cnet_err cnet__socket_skip(cnet_socket *socket, size_t size, int timeout, size_t *skipped);
cnet_err cnet__socket_recv_from(cnet_socket *socket, void *data, size_t size, char *address, size_t address_size, cnet_port *port, size_t *received);
cnet_err cnet__socket_recv_from_ip(cnet_socket *socket, void *data, size_t size, cnet_ip_address *address, cnet_port *port, size_t *received);
cnet_err cnet__socket_send(cnet_socket *socket, const void *data, size_t size, unsigned flags, size_t *sent);
cnet_err cnet__socket_send_str(cnet_socket *socket, const char *text, unsigned flags);
cnet_err cnet__socket_send_to(cnet_socket *socket, const char *address, cnet_port port, const void *data, size_t size, unsigned flags);
cnet_err cnet__socket_send_to_ip(cnet_socket *socket, const cnet_ip_address *address, cnet_port port, const void *data, size_t size);
cnet_err cnet__socket_shutdown(cnet_socket *socket, bool read, bool write);
cnet_err cnet__socket_send_frame(cnet_socket *socket, cnet_frame_format format, const void *data, size_t size);
cnet_err cnet__socket_recv_frame(cnet_socket *socket, cnet_frame_format format, void *data, size_t size, size_t *len, int timeout);
cnet_err cnet__socket_select_read(cnet_socket **sockets, size_t *count, int timeout);
cnet_err cnet__ssl_context_new(const cnet_ssl_options *options, cnet_ssl_context **out);
cnet_err cnet__ssl_context_set_session_id_context(cnet_ssl_context *context, const void *id, size_t size);
cnet_err cnet__ssl_context_set_psk_client_callback(cnet_ssl_context *context, cnet_ssl_client_psk_func callback);
cnet_err cnet__ssl_context_set_psk_server_callback(cnet_ssl_context *context, cnet_ssl_server_psk_func callback);
cnet_err cnet__ssl_context_get_psk_client_callback(cnet_ssl_context *context, cnet_ssl_client_psk_func *out);
cnet_err cnet__ssl_context_get_psk_server_callback(cnet_ssl_context *context, cnet_ssl_server_psk_func *out);
cnet_err cnet__ssl_context_set_psk_identity_hint(cnet_ssl_context *context, const char *hint);
cnet_err cnet__ssl_context_get_extra_data(cnet_ssl_context *context, int index, void **out);
cnet_err cnet__ssl_context_set_extra_data(cnet_ssl_context *context, int index, void *data);
cnet_err cnet__ssl_context_set_alpn_protocols(cnet_ssl_context *context, const char *protocols);
cnet_err cnet__ssl_context_add_pinned_key(cnet_ssl_context *context, const char *pin);
cnet_err cnet__ssl_context_set_sni_callback(cnet_ssl_context *context, cnet_ssl_sni_func callback);
cnet_err cnet__ssl_context_set_session_cache(cnet_ssl_context *context, size_t max_sessions);
cnet_err cnet__socket_wrap(cnet_ssl_context *context, cnet_socket *socket);
cnet_err cnet__socket_wrap_connected(cnet_ssl_context *context, cnet_socket *socket, cnet_ssl_handshake_type handshake, const char *hostname);
cnet_err cnet__socket_set_server_name(cnet_socket *socket, const char *name);
void *cnet__socket_ssl_handle(const cnet_socket *socket);
cnet_err cnet__socket_got_handshake(cnet_socket *socket, bool *out);
cnet_err cnet__socket_get_peer_certificates(cnet_socket *socket, cnet_cert_format format, cnet_certificate_list *out);
cnet_err cnet__socket_get_psk_identity(cnet_socket *socket, char *identity, size_t size);
cnet_err cnet__socket_tls_session_reused(cnet_socket *socket, bool *out);
cnet_err cnet__socket_get_alpn_protocol(cnet_socket *socket, char *protocol, size_t size);

/* --------------------------------------- enum checks (from the spec's enums) */
static inline bool cnet__async_kind_is_valid(int value)
{
    switch (value) {
    case CNET_ASYNC_TIMER:
    case CNET_ASYNC_CALL_SOON:
    case CNET_ASYNC_READABLE:
    case CNET_ASYNC_WRITABLE:
    case CNET_ASYNC_CONNECT:
    case CNET_ASYNC_ACCEPT:
    case CNET_ASYNC_RECV:
    case CNET_ASYNC_RECV_LINE:
    case CNET_ASYNC_SEND:
    case CNET_ASYNC_RECV_FRAME:
    case CNET_ASYNC_SEND_TO:
    case CNET_ASYNC_RECV_FROM:
    case CNET_ASYNC_CLOSE:
    case CNET_ASYNC_TLS_HANDSHAKE:
    case CNET_ASYNC_TLS_SHUTDOWN:
        return true;
    default:
        return false;
    }
}

static inline bool cnet__ip_address_family_is_valid(int value)
{
    switch (value) {
    case CNET_IPV6:
    case CNET_IPV4:
        return true;
    default:
        return false;
    }
}

static inline bool cnet__domain_is_valid(int value)
{
    switch (value) {
    case CNET_AF_UNSPEC:
    case CNET_AF_UNIX:
    case CNET_AF_INET:
    case CNET_AF_INET6:
        return true;
    default:
        return false;
    }
}

static inline bool cnet__sock_type_is_valid(int value)
{
    switch (value) {
    case CNET_SOCK_STREAM:
    case CNET_SOCK_DGRAM:
    case CNET_SOCK_RAW:
    case CNET_SOCK_SEQPACKET:
        return true;
    default:
        return false;
    }
}

static inline bool cnet__protocol_is_valid(int value)
{
    switch (value) {
    case CNET_IPPROTO_TCP:
    case CNET_IPPROTO_UDP:
    case CNET_IPPROTO_IP:
    case CNET_IPPROTO_IPV6:
    case CNET_IPPROTO_RAW:
    case CNET_IPPROTO_ICMP:
    case CNET_IPPROTO_ICMPV6:
        return true;
    default:
        return false;
    }
}

static inline bool cnet__sobool_is_valid(int value)
{
    switch (value) {
    case CNET_OPT_ACCEPT_CONN:
    case CNET_OPT_BROADCAST:
    case CNET_OPT_DEBUG:
    case CNET_OPT_DONT_ROUTE:
    case CNET_OPT_KEEP_ALIVE:
    case CNET_OPT_OOB_INLINE:
    case CNET_OPT_REUSE_ADDR:
    case CNET_OPT_REUSE_PORT:
    case CNET_OPT_NO_DELAY:
    case CNET_OPT_V6_ONLY:
        return true;
    default:
        return false;
    }
}

static inline bool cnet__read_line_result_is_valid(int value)
{
    switch (value) {
    case CNET_READ_FULL_LINE:
    case CNET_READ_PARTIAL_LINE:
    case CNET_READ_DISCONNECTED:
    case CNET_READ_NONE:
    case CNET_READ_TRUNCATED:
        return true;
    default:
        return false;
    }
}

static inline bool cnet__frame_format_is_valid(int value)
{
    switch (value) {
    case CNET_FRAME_DECIMAL4:
    case CNET_FRAME_BE32:
        return true;
    default:
        return false;
    }
}

static inline bool cnet__ssl_verify_mode_is_valid(int value)
{
    switch (value) {
    case CNET_VERIFY_PEER:
    case CNET_VERIFY_NONE:
    case CNET_VERIFY_PEER_USE_ENV_VARS:
        return true;
    default:
        return false;
    }
}

static inline bool cnet__tls_version_is_valid(int value)
{
    switch (value) {
    case CNET_TLS_1_2:
    case CNET_TLS_1_3:
        return true;
    default:
        return false;
    }
}

static inline bool cnet__ssl_handshake_type_is_valid(int value)
{
    switch (value) {
    case CNET_HANDSHAKE_AS_CLIENT:
    case CNET_HANDSHAKE_AS_SERVER:
        return true;
    default:
        return false;
    }
}

static inline bool cnet__cert_format_is_valid(int value)
{
    switch (value) {
    case CNET_CERT_DER:
    case CNET_CERT_PEM:
        return true;
    default:
        return false;
    }
}

/* ---------------------- per-backend tables (generated/backends/NAME/tables.c) */
/* The OS constant of a cnet_domain value, or -1 when it has none. */
int cnet__domain_to_os(cnet_domain value);
/* The cnet_domain value of an OS constant; false when there is none. */
bool cnet__domain_from_os(int os_value, cnet_domain *out);
/* The OS constant of a cnet_sock_type value, or -1 when it has none. */
int cnet__sock_type_to_os(cnet_sock_type value);
/* The cnet_sock_type value of an OS constant; false when there is none. */
bool cnet__sock_type_from_os(int os_value, cnet_sock_type *out);
/* The OS constant of a cnet_protocol value, or -1 when it has none. */
int cnet__protocol_to_os(cnet_protocol value);
/* The cnet_protocol value of an OS constant; false when there is none. */
bool cnet__protocol_from_os(int os_value, cnet_protocol *out);
/* Translate an OS error of domain "errno" to a cnet_err (CNET_EOS if unknown). */
cnet_err cnet__err_from_errno(int os_error);
/* Translate an OS error of domain "gai" to a cnet_err (CNET_EOS if unknown). */
cnet_err cnet__err_from_gai(int os_error);
/* Translate an OS error of domain "herrno" to a cnet_err (CNET_EOS if unknown). */
cnet_err cnet__err_from_herrno(int os_error);
/* Translate an OS error of domain "winsock" to a cnet_err (CNET_EOS if unknown). */
cnet_err cnet__err_from_winsock(int os_error);
/* Whether a cnet_err counts as a disconnection on this backend (SafeDisconn). */
bool cnet__err_is_disconnection(cnet_err err);

/* ------------------------------------ error state (src/error.c, hand-written) */
/* Record a failure detected by cnet itself and return err. */
cnet_err cnet__fail(cnet_err err, const char *message);
/* Record a failure with the OS error that caused it and return err. */
cnet_err cnet__fail_os(cnet_err err, int os_error, const char *function, const char *what);

#endif /* CNET__BACKEND_H */
