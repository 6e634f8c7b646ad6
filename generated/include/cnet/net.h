/* generated from spec/errors.yaml, spec/net.yaml by codegen/templates/module.h.j2 - do not edit; regenerate with `make regen` */
#ifndef CNET_NET_H
#define CNET_NET_H

/**
 * The high-level cross-platform socket interface - a buffered Socket with
 * timeouts, readLine, SafeDisconn, UDP and framing.
 *
 * [zh] 高级的跨平台套接字接口：带缓冲的 Socket，支持超时、readLine、SafeDisconn、UDP 和分帧。
 *
 * A cnet_socket owns an operating system socket and, when buffered (the
 * default), a read buffer of CNET_BUFFER_SIZE bytes. Timeouts are in
 * milliseconds, -1 waits forever, and each call has one total deadline
 * (not one per byte). A per-socket default deadline (cnet_socket_set_timeout)
 * applies to connect, accept, send and receive when a call passes -1.
 * Errors are latched: once a connection fails (for example a reset), later
 * calls report that error and never a clean end of stream. Data received
 * before an error or a timeout is always handed to the caller.
 *
 * [zh] cnet_socket 拥有一个操作系统套接字；带缓冲时（默认）还有一个 CNET_BUFFER_SIZE
 * 字节的读缓冲区。超时以毫秒为单位，-1 表示无限等待，每次调用只有一个总的截止时间
 * （而不是每个字节一个）。每个套接字的默认截止时间（cnet_socket_set_timeout）在调用
 * 传入 -1 时作用于 connect、accept、send 和接收。错误会被锁存：一旦连接失败（例如被
 * 重置），之后的调用都报告该错误，绝不会被当作正常的流结束。在错误或超时之前收到的
 * 数据总会交给调用者。
 */

#include <cnet/platform.h>
#include <cnet/errors.h>
#include <cnet/nativesockets.h>
#include <cnet/ipaddr.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ constants */

/**
 * Size of the read buffer of a buffered socket: 16384 bytes, where Nim's
 * BufferSize is 4000 (see the difference "A buffered socket reads 16 KiB at a
 * time").
 *
 * [zh] 一个缓冲套接字的读缓冲区大小：16384 字节，而 Nim 的 BufferSize 是 4000（见差异“缓冲套接字每次读取 16
 * KiB”）。
 *
 * Ports Nim: net.BufferSize
 */
#define CNET_BUFFER_SIZE 16384

/**
 * The default line length limit of cnet_socket_recv_line.
 *
 * [zh] cnet_socket_recv_line 默认的行长度上限。
 *
 * Ports Nim: net.MaxLineLength
 */
#define CNET_MAX_LINE_LENGTH 1000000

/**
 * SocketFlag Peek: look at the data without consuming it.
 *
 * [zh] SocketFlag Peek：查看数据但不取走。
 *
 * Ports Nim: net.Peek
 */
#define CNET_FLAG_PEEK 1U

/**
 * SocketFlag SafeDisconn: disconnection errors (ECONNRESET, EPIPE, ENETRESET;
 * the Winsock list on Windows) end the call like a closed connection instead
 * of failing it.
 *
 * [zh] SocketFlag SafeDisconn：确保断开连接错误（ECONNRESET、EPIPE、ENETRESET；Windows 上为
 * Winsock 的对应列表）像连接关闭一样结束调用，而不是让调用失败。
 *
 * Ports Nim: net.SafeDisconn
 */
#define CNET_FLAG_SAFE_DISCONN 2U

/**
 * The default flags of Nim's net procs: {SafeDisconn}.
 *
 * [zh] Nim net 过程的默认标志：{SafeDisconn}。
 *
 * cnet addition (no Nim counterpart).
 */
#define CNET_FLAGS_DEFAULT 2U

/**
 * Pass as level to use the option's own level (IPPROTO_TCP for
 * CNET_OPT_NO_DELAY, IPPROTO_IPV6 for CNET_OPT_V6_ONLY, SOL_SOCKET otherwise).
 *
 * [zh] 作为 level 传入时使用选项自己的级别（CNET_OPT_NO_DELAY 为 IPPROTO_TCP，CNET_OPT_V6_ONLY
 * 为 IPPROTO_IPV6，其余为 SOL_SOCKET）。
 *
 * cnet addition (no Nim counterpart).
 */
#define CNET_OPT_LEVEL_AUTO (-1)

/**
 * The longest payload the 4-digit decimal frame format can carry.
 *
 * [zh] 4 位十进制帧格式能携带的最长负载。
 *
 * cnet addition (no Nim counterpart).
 */
#define CNET_FRAME_DECIMAL4_MAX 9999

/* ---------------------------------------------------------------- enums */

/**
 * Boolean socket options.
 *
 * [zh] 布尔型套接字选项。
 *
 * Ports Nim: net.SOBool
 */
typedef enum cnet_sobool {
    /**
     * SO_ACCEPTCONN (read-only).
     *
     * [zh] SO_ACCEPTCONN（只读）。
     *
     * Ports Nim: OptAcceptConn
     */
    CNET_OPT_ACCEPT_CONN = 0,
    /**
     * SO_BROADCAST.
     *
     * [zh] SO_BROADCAST。
     *
     * Ports Nim: OptBroadcast
     */
    CNET_OPT_BROADCAST = 1,
    /**
     * SO_DEBUG.
     *
     * [zh] SO_DEBUG。
     *
     * Ports Nim: OptDebug
     */
    CNET_OPT_DEBUG = 2,
    /**
     * SO_DONTROUTE.
     *
     * [zh] SO_DONTROUTE。
     *
     * Ports Nim: OptDontRoute
     */
    CNET_OPT_DONT_ROUTE = 3,
    /**
     * SO_KEEPALIVE.
     *
     * [zh] SO_KEEPALIVE。
     *
     * Ports Nim: OptKeepAlive
     */
    CNET_OPT_KEEP_ALIVE = 4,
    /**
     * SO_OOBINLINE.
     *
     * [zh] SO_OOBINLINE。
     *
     * Ports Nim: OptOOBInline
     */
    CNET_OPT_OOB_INLINE = 5,
    /**
     * SO_REUSEADDR.
     *
     * [zh] SO_REUSEADDR。
     *
     * Ports Nim: OptReuseAddr
     */
    CNET_OPT_REUSE_ADDR = 6,
    /**
     * SO_REUSEPORT (not on Windows).
     *
     * [zh] SO_REUSEPORT（Windows 上没有）。
     *
     * Ports Nim: OptReusePort
     */
    CNET_OPT_REUSE_PORT = 7,
    /**
     * TCP_NODELAY, at level IPPROTO_TCP.
     *
     * [zh] TCP_NODELAY，级别为 IPPROTO_TCP。
     *
     * Ports Nim: OptNoDelay
     */
    CNET_OPT_NO_DELAY = 8,
    /**
     * IPV6_V6ONLY, at level IPPROTO_IPV6.
     *
     * [zh] IPV6_V6ONLY，级别为 IPPROTO_IPV6。
     */
    CNET_OPT_V6_ONLY = 9,
} cnet_sobool;

/**
 * How a cnet_socket_read_line call ended.
 *
 * [zh] cnet_socket_read_line 调用的结束方式。
 *
 * Nim declares this enum but its readLine does not use it; cnet's read_line
 * reports every outcome through it.
 *
 * [zh] Nim 声明了这个枚举但其 readLine 并不使用它；cnet 的 read_line 通过它报告每一种结果。
 *
 * Ports Nim: net.ReadLineResult
 */
typedef enum cnet_read_line_result {
    /**
     * A whole line was read (it may be empty); the terminator is not stored.
     *
     * [zh] 读到了完整的一行（可能为空行）；行结束符不会被保存。
     *
     * Ports Nim: ReadFullLine
     */
    CNET_READ_FULL_LINE = 0,
    /**
     * The stream ended after some bytes without a line terminator; the bytes are
     * returned, with CNET_OK after a clean close and with the cause (a reset, TLS
     * truncation) after an abnormal end.
     *
     * [zh] 流在一些没有行结束符的字节之后结束；这些字节会被返回：正常关闭时返回 CNET_OK，异常结束时（连接重置、TLS 截断）同时返回其原因。
     *
     * Ports Nim: ReadPartialLine
     */
    CNET_READ_PARTIAL_LINE = 1,
    /**
     * The connection is closed (or disconnected under SafeDisconn) and no bytes
     * were left.
     *
     * [zh] 连接已关闭（或在 SafeDisconn 下断开），且没有剩余字节。
     *
     * Ports Nim: ReadDisconnected
     */
    CNET_READ_DISCONNECTED = 2,
    /**
     * Nothing complete: the call failed or timed out (partial bytes, if any, are
     * in the line).
     *
     * [zh] 没有完整结果：调用失败或超时（已读到的部分字节在 line 中）。
     *
     * Ports Nim: ReadNone
     */
    CNET_READ_NONE = 3,
    /**
     * The line reached the maximum length; exactly that many bytes are returned
     * and the rest of the line stays unread.
     *
     * [zh] 行达到了最大长度；恰好返回这么多字节，行的其余部分保持未读。
     */
    CNET_READ_TRUNCATED = 4,
} cnet_read_line_result;

/**
 * Length-prefix formats of cnet_socket_send_frame and cnet_socket_recv_frame.
 *
 * [zh] cnet_socket_send_frame 与 cnet_socket_recv_frame 的长度前缀格式。
 *
 * cnet addition (no Nim counterpart).
 */
typedef enum cnet_frame_format {
    /**
     * 4 ASCII decimal digits, zero-padded, then the payload (the seed blog's
     * format; at most 9999 bytes).
     *
     * [zh] 4 个补零的 ASCII 十进制数字，后跟负载（种子博客的格式；最多 9999 字节）。
     */
    CNET_FRAME_DECIMAL4 = 0,
    /**
     * A 4-byte big-endian length, then the payload.
     *
     * [zh] 4 字节大端序长度，后跟负载。
     */
    CNET_FRAME_BE32 = 1,
} cnet_frame_format;

/* ---------------------------------------------------------------- types */

/**
 * A socket with an optional read buffer (Nim's Socket).
 *
 * [zh] 带可选读缓冲区的套接字（Nim 的 Socket）。
 *
 * Create it with cnet_socket_new (or cnet_socket_from_handle, cnet_dial),
 * close it with cnet_socket_close and release it with cnet_socket_free. After
 * close every call fails with CNET_ECLOSED and a second close does nothing.
 * Threads: one thread may read the socket while another writes it, plain or
 * TLS, on every backend (a TLS socket runs each OpenSSL call under its own
 * lock and never waits while holding it, so a blocked reader holds up no
 * writer); a second thread reading, or writing, at the same time gets
 * CNET_EBUSY at once (the datagram calls cnet_socket_send_to and
 * cnet_socket_recv_from take no side: several threads may use one UDP socket);
 * any thread may close the socket while others are blocked in it (they return
 * CNET_ECLOSED). Other calls (options, addresses, connect, accept, wrap) want
 * one thread at a time. tests/thread_stress.c checks all of it under
 * ThreadSanitizer.
 *
 * [zh] 用 cnet_socket_new（或 cnet_socket_from_handle、cnet_dial）创建，用
 * cnet_socket_close 关闭，用 cnet_socket_free 释放。关闭之后每个调用都以 CNET_ECLOSED
 * 失败，再次关闭不做任何事。线程：一个线程读套接字的同时另一个线程可以写它，明文或 TLS，所有后端都是如此（TLS 套接字的每个 OpenSSL
 * 调用都在它自己的锁内进行，且持锁时从不等待，因此阻塞的读者不会耽误写者）；同时读或同时写的第二个线程立即得到 CNET_EBUSY（数据报调用
 * cnet_socket_send_to 和 cnet_socket_recv_from 不占用方向：多个线程可以使用同一个 UDP
 * 套接字）；任何线程都可以在其他线程阻塞于该套接字时关闭它（那些调用返回
 * CNET_ECLOSED）。其他调用（选项、地址、connect、accept、wrap）应一次只由一个线程进行。tests/thread_stress.c
 * 在 ThreadSanitizer 下检查这一切。
 *
 * Ports Nim: net.Socket
 */
typedef struct cnet_socket cnet_socket;

/* -------------------------------------------------------------- functions */

/**
 * Whether err is a disconnection error that flags asks to swallow.
 *
 * [zh] 判定 err 是否是 flags 要求吞掉的断开连接错误。
 *
 * Only true when flags contains CNET_FLAG_SAFE_DISCONN.
 *
 * [zh] 只有 flags 包含 CNET_FLAG_SAFE_DISCONN 时才可能为 true。
 *
 * @param flags socket flags
 *        [zh] 套接字标志
 *
 * @param err the error
 *        [zh] 错误
 *
 * @return true for ECONNRESET, EPIPE and ENETRESET (and the Winsock list on
 * Windows) under SafeDisconn
 *         [zh] 在 SafeDisconn 下对 ECONNRESET、EPIPE 和 ENETRESET（Windows 上为 Winsock 列表）返回 true
 *
 * @note Differs from Nim: Takes a cnet_err instead of an OS error code.
 *       [zh] 与 Nim 的不同：参数是 cnet_err 而不是操作系统错误码。
 *
 * Ports Nim: net.isDisconnectionError
 */
CNET_API bool cnet_is_disconnection_error(unsigned flags, cnet_err err);

/**
 * Converts socket flags to the operating system's recv/send flags.
 *
 * [zh] 将标志转换为底层操作系统表示。
 *
 * @param flags socket flags
 *        [zh] 套接字标志
 *
 * @return MSG_PEEK for CNET_FLAG_PEEK; SafeDisconn has no OS form
 *         [zh] CNET_FLAG_PEEK 对应 MSG_PEEK；SafeDisconn 没有操作系统表示
 *
 * Ports Nim: net.toOSFlags
 */
CNET_API int cnet_to_os_flags(unsigned flags);

/**
 * Converts a boolean option (SOBool) to its socket option number (the OS
 * constant).
 *
 * [zh] 转换一个 SOBool 为它的套接字选项 cint 表示（操作系统常量）。
 *
 * @param opt the option
 *        [zh] 选项
 *
 * @return the OS constant, or -1 when the platform lacks it or opt is invalid
 *         [zh] 操作系统常量；平台没有该选项或 opt 无效时为 -1
 *
 * Ports Nim: net.toCInt
 */
CNET_API int cnet_sobool_to_c_int(cnet_sobool opt);

/**
 * Creates a new socket.
 *
 * [zh] 创建一个新的套接字。
 *
 * AF_INET6 sockets get IPV6_V6ONLY set explicitly to false (dual stack),
 * because operating system defaults differ; change it with CNET_OPT_V6_ONLY.
 *
 * [zh] AF_INET6 套接字会被显式设置 IPV6_V6ONLY 为 false（双栈），因为各操作系统的默认值不同；可用
 * CNET_OPT_V6_ONLY 修改。
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
 * @param buffered whether reads go through a CNET_BUFFER_SIZE buffer (Nim
 * default: true)
 *        [zh] 读取是否经过 CNET_BUFFER_SIZE 大小的缓冲区
 *
 * @param inheritable whether child processes inherit the handle (Nim default:
 * false)
 *        [zh] 子进程是否继承该句柄
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
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: net.newSocket
 */
CNET_API cnet_err cnet_socket_new(cnet_domain domain, cnet_sock_type type, cnet_protocol protocol, bool buffered, bool inheritable, cnet_socket **out);

/**
 * Creates a new socket from raw operating system constants.
 *
 * [zh] 用操作系统的原始常量创建一个新的套接字。
 *
 * @param domain the OS address family
 *        [zh] 操作系统的地址族
 *
 * @param type the OS socket type
 *        [zh] 操作系统的套接字类型
 *
 * @param protocol the OS protocol number
 *        [zh] 操作系统的协议号
 *
 * @param buffered whether reads are buffered (Nim default: true)
 *        [zh] 读取是否带缓冲
 *
 * @param inheritable whether child processes inherit the handle (Nim default:
 * false)
 *        [zh] 子进程是否继承该句柄
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
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: net.newSocket
 */
CNET_API cnet_err cnet_socket_new_int(int domain, int type, int protocol, bool buffered, bool inheritable, cnet_socket **out);

/**
 * Wraps an existing socket handle in a cnet_socket.
 *
 * [zh] 把已有的套接字句柄包装为 cnet_socket。
 *
 * The cnet_socket takes ownership of the handle and closes it.
 *
 * [zh] cnet_socket 取得该句柄的所有权并负责关闭它。
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
 * @param protocol its protocol (Nim default: CNET_IPPROTO_TCP)
 *        [zh] 它的协议
 *
 * @param buffered whether reads are buffered (Nim default: true)
 *        [zh] 读取是否带缓冲
 *
 * @param out receives the socket
 *        [zh] 接收套接字
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_EBADF: bad or closed socket handle
 *         CNET_ENOMEM: out of memory
 *
 * Ports Nim: net.newSocket
 */
CNET_API cnet_err cnet_socket_from_handle(cnet_socket_handle handle, cnet_domain domain, cnet_sock_type type, cnet_protocol protocol, bool buffered, cnet_socket **out);

/**
 * Closes a socket.
 *
 * [zh] 关闭一个套接字。
 *
 * The object stays valid until cnet_socket_free; a second close does nothing
 * and returns CNET_OK. Under SafeDisconn disconnection errors of close are
 * ignored. A call blocked on the socket in another thread (recv, readLine,
 * accept, connect, recvFrom...) is woken: close shuts the connection down and
 * that call returns CNET_ECLOSED; the descriptor is released when the last
 * such call has returned, so no call ever reaches a descriptor number that was
 * closed and reused meanwhile. With no call in progress close releases the
 * descriptor at once and does not shut the connection down, so a descriptor
 * shared with a forked process keeps its connection there. Call
 * cnet_socket_free only after every other thread's call on the socket has
 * returned.
 *
 * [zh] 对象在 cnet_socket_free 之前一直有效；再次关闭不做任何事并返回 CNET_OK。在 SafeDisconn 下忽略
 * close 的断开连接错误。另一个线程中阻塞在该套接字上的调用（recv、readLine、accept、connect、recvFrom
 * 等）会被唤醒：close 关闭（shutdown）连接，该调用返回
 * CNET_ECLOSED；描述符要等最后一个这样的调用返回之后才释放，因此任何调用都不会触及已关闭又被重用的描述符编号。没有调用在进行时，close
 * 立即释放描述符且不关闭连接，因此与派生进程共享的描述符在那边仍保持连接。只有在其他线程对该套接字的调用都返回之后才可以调用
 * cnet_socket_free。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param flags socket flags (Nim default: CNET_FLAGS_DEFAULT)
 *        [zh] 套接字标志
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * @note Differs from Nim: Nim ignores close errors and asserts on later use;
 * cnet reports them and later calls return CNET_ECLOSED. Nim's close leaves a
 * thread blocked on the socket blocked (and its descriptor number free for
 * reuse under it); cnet's close wakes that thread with CNET_ECLOSED.
 *       [zh] 与 Nim 的不同：Nim 忽略 close 的错误并在之后使用时断言失败；cnet 会报告错误，之后的调用返回 CNET_ECLOSED。Nim 的 close 让阻塞在该套接字上的线程继续阻塞（其描述符编号也可能在它之下被重用）；cnet 的 close 会唤醒该线程并返回 CNET_ECLOSED。
 *
 * Ports Nim: net.close
 */
CNET_API cnet_err cnet_socket_close(cnet_socket *socket, unsigned flags);

/**
 * Closes a connection so that everything sent reaches the peer (a lingering
 * close).
 *
 * [zh] 关闭连接，并保证已发送的全部数据到达对端（延迟关闭）。
 *
 * A plain close with unread input makes the kernel send a reset, and the peer
 * may lose the end of a response it has not read yet (a server that answers
 * before reading the whole request). This close ends the write side first
 * (close_notify, then a TCP FIN), reads and discards whatever the peer still
 * sends until its end of stream or the timeout, then closes like
 * cnet_socket_close. The socket is closed whatever the result. A timeout is
 * not a data loss on our side: the peer simply did not finish in time.
 *
 * [zh] 存在未读输入时，普通的 close
 * 会让内核发送复位（RST），对端可能丢失它尚未读取的响应结尾（例如服务器在读完整个请求之前就回答了）。本函数先结束写方向（先
 * close_notify，再 TCP FIN），读取并丢弃对端仍在发送的数据，直到对端的流结束或超时，然后像 cnet_socket_close
 * 一样关闭。无论结果如何，套接字都会被关闭。超时并不意味着我方丢失数据：只是对端没有及时结束。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param timeout milliseconds to wait for the peer's end of stream; -1 uses
 * the socket's default deadline
 *        [zh] 等待对端流结束的毫秒数；-1 表示使用套接字的默认截止时间
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_ECONNRESET: connection reset by peer
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * @note Differs from Nim: Nim has no lingering close.
 *       [zh] 与 Nim 的不同：Nim 没有延迟关闭。
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API cnet_err cnet_socket_close_lingering(cnet_socket *socket, int timeout);

/**
 * Closes a connection with a reset (SO_LINGER 0), dropping what is not yet
 * sent.
 *
 * [zh] 以复位（SO_LINGER 0）关闭连接，丢弃尚未发出的数据。
 *
 * The peer's next call fails with a connection reset (CNET_ECONNRESET; a
 * disconnection under SafeDisconn) instead of a clean end of stream, and the
 * port leaves no TIME_WAIT behind. Data still queued is discarded; a TLS
 * socket sends no close_notify. Otherwise it is cnet_socket_close: calls
 * blocked in other threads are woken with CNET_ECLOSED, and a closed socket
 * stays closed (CNET_OK).
 *
 * [zh] 对端的下一个调用会以连接复位失败（CNET_ECONNRESET；在 SafeDisconn 下视为断开），而不是正常的流结束，端口也不会留下
 * TIME_WAIT。仍在排队的数据被丢弃；TLS 套接字不发送 close_notify。其余与 cnet_socket_close
 * 相同：其他线程中阻塞的调用以 CNET_ECLOSED 被唤醒，已关闭的套接字保持关闭（返回 CNET_OK）。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * @note Differs from Nim: Nim has no abortive close (it needs setsockopt with
 * a struct linger).
 *       [zh] 与 Nim 的不同：Nim 没有中止式关闭（需要用 struct linger 调用 setsockopt）。
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API cnet_err cnet_socket_abort(cnet_socket *socket);

/**
 * Closes the socket if it is open and releases it.
 *
 * [zh] 如果套接字仍打开则关闭它，然后释放它。
 *
 * @param socket the socket; NULL is ignored
 *        [zh] 套接字；NULL 被忽略
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API void cnet_socket_free(cnet_socket *socket);

/**
 * The socket's handle.
 *
 * [zh] 返回 socket 的文件描述符。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @return the handle, or CNET_INVALID_SOCKET when the socket is NULL or closed
 *         [zh] 句柄；套接字为 NULL 或已关闭时为 CNET_INVALID_SOCKET
 *
 * Ports Nim: net.getFd
 */
CNET_API cnet_socket_handle cnet_socket_get_fd(const cnet_socket *socket);

/**
 * The address family the socket was created with.
 *
 * [zh] 套接字创建时的地址族。
 *
 * The domain given to cnet_socket_new (or of the listener, for an accepted
 * socket). cnet_get_sock_domain asks the system about a handle instead.
 *
 * [zh] 即传给 cnet_socket_new 的地址族（对 accept 得到的套接字则是监听套接字的）。cnet_get_sock_domain
 * 则是向系统查询一个句柄。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param out receives it
 *        [zh] 接收结果
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *
 * @note Differs from Nim: Nim returns the value even for a closed socket; cnet
 * returns CNET_ECLOSED (a closed socket has no family, type or protocol left
 * to use).
 *       [zh] 与 Nim 的不同：Nim 对已关闭的套接字也返回该值；cnet 返回 CNET_ECLOSED（已关闭的套接字不再有可用的地址族、类型或协议）。
 *
 * Ports Nim: net.getDomain
 */
CNET_API cnet_err cnet_socket_get_domain(cnet_socket *socket, cnet_domain *out);

/**
 * The socket type the socket was created with.
 *
 * [zh] 套接字创建时的类型。
 *
 * The type given to cnet_socket_new (CNET_SOCK_STREAM for an accepted socket).
 *
 * [zh] 即传给 cnet_socket_new 的类型（accept 得到的套接字为 CNET_SOCK_STREAM）。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param out receives it
 *        [zh] 接收结果
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *
 * @note Differs from Nim: Nim returns the value even for a closed socket; cnet
 * returns CNET_ECLOSED (a closed socket has no family, type or protocol left
 * to use).
 *       [zh] 与 Nim 的不同：Nim 对已关闭的套接字也返回该值；cnet 返回 CNET_ECLOSED（已关闭的套接字不再有可用的地址族、类型或协议）。
 *
 * Ports Nim: net.getType
 */
CNET_API cnet_err cnet_socket_get_type(cnet_socket *socket, cnet_sock_type *out);

/**
 * The protocol the socket was created with.
 *
 * [zh] 套接字创建时的协议。
 *
 * The protocol given to cnet_socket_new (that of the listener, for an accepted
 * socket).
 *
 * [zh] 即传给 cnet_socket_new 的协议（对 accept 得到的套接字则是监听套接字的）。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param out receives it
 *        [zh] 接收结果
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *
 * @note Differs from Nim: Nim returns the value even for a closed socket; cnet
 * returns CNET_ECLOSED (a closed socket has no family, type or protocol left
 * to use).
 *       [zh] 与 Nim 的不同：Nim 对已关闭的套接字也返回该值；cnet 返回 CNET_ECLOSED（已关闭的套接字不再有可用的地址族、类型或协议）。
 *
 * Ports Nim: net.getProtocol
 */
CNET_API cnet_err cnet_socket_get_protocol(cnet_socket *socket, cnet_protocol *out);

/**
 * Whether the socket is a TLS socket.
 *
 * [zh] 判断 socket 是否是一个 SSL socket。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @return true from cnet_socket_wrap (or an accept on a TLS listener) until
 * the socket is closed
 *         [zh] 从 cnet_socket_wrap（或在 TLS 监听套接字上 accept）起直到套接字关闭为 true
 *
 * Ports Nim: net.isSsl
 */
CNET_API bool cnet_socket_is_ssl(const cnet_socket *socket);

/**
 * The socket's last (latched) error.
 *
 * [zh] 套接字最近一次（已锁存的）错误。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @return CNET_OK when no call on this socket has failed
 *         [zh] 该套接字上没有调用失败时为 CNET_OK
 *
 * @note Differs from Nim: Nim raises "No valid socket error code available"
 * when there is none; cnet returns CNET_OK.
 *       [zh] 与 Nim 的不同：没有错误时 Nim 抛出 "No valid socket error code available"；cnet 返回 CNET_OK。
 *
 * Ports Nim: net.getSocketError
 */
CNET_API cnet_err cnet_socket_last_error(const cnet_socket *socket);

/**
 * The error Nim's socketError would raise for a result, or CNET_OK.
 *
 * [zh] Nim 的 socketError 对某个结果会抛出的错误；没有时为 CNET_OK。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param result a call's result; >= 0 means no error (Nim default: -1)
 *        [zh] 调用的结果；>= 0 表示没有错误
 *
 * @param async ignore "would block" (Nim default: false)
 *        [zh] 忽略“将会阻塞”
 *
 * @param flags SafeDisconn ignores disconnection errors (Nim default: 0)
 *        [zh] SafeDisconn 忽略断开连接错误
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *
 * Ports Nim: net.socketError
 */
CNET_API cnet_err cnet_socket_error(cnet_socket *socket, long result, bool async, unsigned flags);

/**
 * Sets the default deadline of every blocking call on the socket.
 *
 * [zh] 设置套接字上每个阻塞调用的默认截止时间。
 *
 * Applies to connect, accept, send and every receive call that passes a
 * timeout of -1. Any thread may change it at any time, also while another
 * thread is blocked on the socket: a call takes the deadline in force when it
 * starts and keeps it, and the new value applies to the calls that start after
 * the change (tests/thread_stress.c checks it under ThreadSanitizer). The
 * largest value, INT_MAX (about 24.8 days), is valid. Nim has no such setting
 * (asked for since 2017, Nim issue 6792).
 *
 * [zh] 作用于 connect、accept、send 以及每个传入超时 -1
 * 的接收调用。任何线程都可以随时修改它，包括另一个线程正阻塞在该套接字上时：调用在开始时取得当时生效的截止时间并一直使用它，新值作用于修改之后开始的调用（tests/thread_stress.c
 * 在 ThreadSanitizer 下检查这一点）。最大值 INT_MAX（约 24.8 天）是有效的。Nim 没有这个设置（自 2017
 * 年起就有人要求，Nim issue 6792）。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param timeout milliseconds; -1 waits forever
 *        [zh] 毫秒；-1 表示无限等待
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API cnet_err cnet_socket_set_timeout(cnet_socket *socket, int timeout);

/**
 * Sets a separate deadline for send calls.
 *
 * [zh] 为发送调用单独设置截止时间。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param timeout milliseconds; -1 falls back to the default deadline
 *        [zh] 毫秒；-1 表示使用默认截止时间
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API cnet_err cnet_socket_set_send_timeout(cnet_socket *socket, int timeout);

/**
 * Reads a boolean option.
 *
 * [zh] 获取选项 opt 为一个布尔值。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param opt the option
 *        [zh] 选项
 *
 * @param level the level; CNET_OPT_LEVEL_AUTO picks the option's own (Nim
 * default: CNET_OPT_LEVEL_AUTO)
 *        [zh] 级别；CNET_OPT_LEVEL_AUTO 选用选项自己的级别
 *
 * @param out receives the value
 *        [zh] 接收选项值
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ENOPROTOOPT: protocol option not available
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * @note Differs from Nim: Nim's default level is SOL_SOCKET for every option,
 * which sets the wrong option for OptNoDelay; cnet picks the right level.
 *       [zh] 与 Nim 的不同：Nim 对所有选项的默认级别都是 SOL_SOCKET，这会让 OptNoDelay 设置错误的选项；cnet 会选用正确的级别。
 *
 * Ports Nim: net.getSockOpt
 */
CNET_API cnet_err cnet_socket_get_sock_opt(cnet_socket *socket, cnet_sobool opt, int level, bool *out);

/**
 * Sets a boolean option.
 *
 * [zh] 设置选项 opt 为一个布尔值。
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
 * @param level the level; CNET_OPT_LEVEL_AUTO picks the option's own (Nim
 * default: CNET_OPT_LEVEL_AUTO)
 *        [zh] 级别；CNET_OPT_LEVEL_AUTO 选用选项自己的级别
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ENOPROTOOPT: protocol option not available
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_EACCES: permission denied
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * @note Differs from Nim: The right level is picked by default (TCP_NODELAY at
 * IPPROTO_TCP).
 *       [zh] 与 Nim 的不同：默认选用正确的级别（TCP_NODELAY 位于 IPPROTO_TCP）。
 *
 * Ports Nim: net.setSockOpt
 */
CNET_API cnet_err cnet_socket_set_sock_opt(cnet_socket *socket, cnet_sobool opt, bool value, int level);

/**
 * Binds the socket to address:port.
 *
 * [zh] 给 socket 绑定地址和端口 address:port。
 *
 * An empty (or NULL) address binds the any address, "::" for AF_INET6 and
 * "0.0.0.0" otherwise. Address literals are checked strictly before any name
 * resolution ("127.1" and "0177.0.0.1" are errors, not 127.0.0.1).
 *
 * [zh] 空（或 NULL）地址绑定任意地址：AF_INET6 为 "::"，否则为
 * "0.0.0.0"。地址字面量在任何名称解析之前都会被严格检查（"127.1" 和 "0177.0.0.1" 是错误，而不是 127.0.0.1）。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param port the port; 0 picks a free one (Nim default: CNET_PORT(0))
 *        [zh] 端口；0 表示选择一个空闲端口
 *
 * @param address an address literal or host name (Nim default: "")
 *        [zh] 地址字面量或主机名
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_EADDRINUSE: address already in use
 *         CNET_EADDRNOTAVAIL: address not available
 *         CNET_EACCES: permission denied
 *         CNET_ENOTFOUND: host, service or protocol not found
 *         CNET_EAGAIN_DNS: temporary failure in name resolution
 *         CNET_EDNS: non-recoverable failure in name resolution
 *         CNET_EAFNOSUPPORT: address family not supported
 *         CNET_ENOMEM: out of memory
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * @note Differs from Nim: The seed bound "" to the IPv4 any address even for
 * AF_INET6 sockets.
 *       [zh] 与 Nim 的不同：早期版本即使对 AF_INET6 套接字也把 "" 绑定到 IPv4 任意地址。
 *
 * Ports Nim: net.bindAddr
 */
CNET_API cnet_err cnet_socket_bind_addr(cnet_socket *socket, cnet_port port, const char *address);

/**
 * Binds a Unix domain socket to a path.
 *
 * [zh] 把 Unix 域套接字绑定到一个路径。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param path the file system path
 *        [zh] 文件系统路径
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ENAMETOOLONG: name too long
 *         CNET_EADDRINUSE: address already in use
 *         CNET_EACCES: permission denied
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: net.bindUnix
 */
CNET_API cnet_err cnet_socket_bind_unix(cnet_socket *socket, const char *path);

/**
 * Marks the socket as accepting connections.
 *
 * [zh] 标记 socket 为接受连接。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param backlog the maximum length of the queue of pending connections (Nim
 * default: CNET_SOMAXCONN)
 *        [zh] 等待处理连接队列的最大长度
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_EADDRINUSE: address already in use
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: net.listen
 */
CNET_API cnet_err cnet_socket_listen(cnet_socket *socket, int backlog);

/**
 * Blocks until a client connects; returns the client socket and its address.
 *
 * [zh] 阻塞，直到有一个来自客户的连接，返回客户套接字和客户地址。
 *
 * The client inherits the server's properties, such as whether it is
 * buffered. When *client is NULL a new cnet_socket is allocated; a
 * closed cnet_socket may be passed to be reused. Under SafeDisconn, a
 * connection that disconnects while it is being accepted is skipped and
 * accept waits for the next one. The server's default deadline applies.
 *
 * [zh] 得到的 client 会继承服务器套接字的属性，例如是否带缓冲。*client 为 NULL 时会
 * 分配一个新的 cnet_socket；也可以传入一个已关闭的 cnet_socket 以便复用。在
 * SafeDisconn 下，如果连接在 accept 期间断开，会跳过它并等待下一个连接。服务器的
 * 默认截止时间同样适用。
 *
 * @param server the listening socket
 *        [zh] 监听套接字
 *
 * @param client in: NULL or a closed socket; out: the client
 *        [zh] 输入：NULL 或已关闭的套接字；输出：客户套接字
 *
 * @param address receives the client's address text; may be NULL
 *        [zh] 接收客户地址文本；可为 NULL
 *
 * @param address_size size of address (CNET_ADDRSTRLEN is enough)
 *        [zh] address 的大小（CNET_ADDRSTRLEN 足够）
 *
 * @param flags socket flags (Nim default: CNET_FLAGS_DEFAULT)
 *        [zh] 套接字标志
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_EWOULDBLOCK: operation would block
 *         CNET_ECONNABORTED: connection aborted
 *         CNET_EMFILE: too many open sockets or files
 *         CNET_ENOBUFS: no buffer space available
 *         CNET_ENOMEM: out of memory
 *         CNET_ERANGE: result does not fit in the buffer
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * @note Differs from Nim: Nim returns "0.0.0.0" for IPv6 clients and raises
 * after a successful SafeDisconn retry; cnet returns the real address and no
 * spurious error.
 *       [zh] 与 Nim 的不同：对 IPv6 客户 Nim 返回 "0.0.0.0"，并且在 SafeDisconn 重试成功后仍会抛出异常；cnet 返回真实地址，也不会产生虚假的错误。
 *
 * Ports Nim: net.acceptAddr
 */
CNET_API cnet_err cnet_socket_accept_addr(cnet_socket *server, cnet_socket **client, char *address, size_t address_size, unsigned flags);

/**
 * Equivalent to cnet_socket_accept_addr without the address.
 *
 * [zh] 与 acceptAddr 等价，但是不返回地址，仅仅是套接字。
 *
 * @param server the listening socket
 *        [zh] 监听套接字
 *
 * @param client in: NULL or a closed socket; out: the client
 *        [zh] 输入：NULL 或已关闭的套接字；输出：客户套接字
 *
 * @param flags socket flags (Nim default: CNET_FLAGS_DEFAULT)
 *        [zh] 套接字标志
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_EWOULDBLOCK: operation would block
 *         CNET_ECONNABORTED: connection aborted
 *         CNET_EMFILE: too many open sockets or files
 *         CNET_ENOBUFS: no buffer space available
 *         CNET_ENOMEM: out of memory
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: net.accept
 */
CNET_API cnet_err cnet_socket_accept(cnet_socket *server, cnet_socket **client, unsigned flags);

/**
 * Connects the socket to address:port.
 *
 * [zh] 连接 socket 到 address:port。
 *
 * address can be an IP address or a host name; for a host name every
 * resolved address of the socket's family is tried, all within one
 * timeout. The result of the connection (SO_ERROR) is checked, and the
 * socket is left in blocking mode whatever happens. Address literals are
 * checked strictly before name resolution. An AF_INET6 socket reaches
 * IPv4 addresses as ::ffff:a.b.c.d (dual stack, the default); when it
 * is IPv6-only (CNET_OPT_V6_ONLY) and the address is IPv4 only, the
 * call fails with CNET_EAFNOSUPPORT and says so, like an IPv6 address
 * on an AF_INET socket.
 *
 * [zh] address 可以是一个 IP 地址或者一个主机名；如果是主机名，会在同一个超时内尝试该
 * 主机属于套接字地址族的每个 IP。会检查连接结果（SO_ERROR），无论结果如何套接字都
 * 保持阻塞模式。地址字面量在名称解析之前会被严格检查。AF_INET6 套接字以
 * ::ffff:a.b.c.d 的形式访问 IPv4 地址（双栈，默认）；若它是仅 IPv6 的
 * （CNET_OPT_V6_ONLY）而地址只有 IPv4，调用以 CNET_EAFNOSUPPORT 失败并说明原因，
 * 与在 AF_INET 套接字上使用 IPv6 地址相同。
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
 * @param timeout milliseconds for the whole call; -1 uses the socket's default
 * deadline (infinite unless set) (Nim default: -1)
 *        [zh] 整个调用允许的毫秒数；-1 表示使用套接字的默认截止时间（未设置时为无限）
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_ECONNREFUSED: connection refused
 *         CNET_ENETUNREACH: network unreachable
 *         CNET_EHOSTUNREACH: host unreachable
 *         CNET_EADDRNOTAVAIL: address not available
 *         CNET_EISCONN: socket is already connected
 *         CNET_ENOTFOUND: host, service or protocol not found
 *         CNET_EAGAIN_DNS: temporary failure in name resolution
 *         CNET_EDNS: non-recoverable failure in name resolution
 *         CNET_EAFNOSUPPORT: address family not supported
 *         CNET_ENOMEM: out of memory
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * @note Differs from Nim: Nim's connect with a timeout tries only the first
 * address, leaves the socket non-blocking after a timeout and (in the seed)
 * ignored SO_ERROR.
 *       [zh] 与 Nim 的不同：Nim 带超时的 connect 只尝试第一个地址，超时后套接字保持非阻塞，并且（早期版本）忽略 SO_ERROR。
 *
 * Ports Nim: net.connect
 */
CNET_API cnet_err cnet_socket_connect(cnet_socket *socket, const char *address, cnet_port port, int timeout);

/**
 * Connects a Unix domain socket to a path.
 *
 * [zh] 把 Unix 域套接字连接到一个路径。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param path the file system path
 *        [zh] 文件系统路径
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ENAMETOOLONG: name too long
 *         CNET_ECONNREFUSED: connection refused
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_EACCES: permission denied
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: net.connectUnix
 */
CNET_API cnet_err cnet_socket_connect_unix(cnet_socket *socket, const char *path);

/**
 * Resolves address and connects to the first address that answers.
 *
 * [zh] 解析 address 并连接到第一个应答的地址。
 *
 * Every resolved address, IPv6 and IPv4, is tried in the resolver's order, all
 * within one overall timeout; a socket of the right family is created for each
 * attempt and the failed ones are closed (no descriptor leaks).
 *
 * [zh] 按解析器的顺序尝试每个解析出的地址（IPv6 和
 * IPv4），全部在同一个总超时之内；每次尝试都会创建一个相应地址族的套接字，失败的都会被关闭（不泄漏描述符）。
 *
 * @param address an address literal or host name
 *        [zh] 地址字面量或主机名
 *
 * @param port the port
 *        [zh] 端口
 *
 * @param protocol the protocol (Nim default: CNET_IPPROTO_TCP)
 *        [zh] 协议
 *
 * @param buffered whether the socket is buffered (Nim default: true)
 *        [zh] 套接字是否带缓冲
 *
 * @param timeout milliseconds for the whole call; -1 waits forever (Nim
 * default: -1)
 *        [zh] 整个调用允许的毫秒数；-1 表示无限等待
 *
 * @param out receives the connected socket; NULL on failure
 *        [zh] 接收已连接的套接字；失败时为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_ECONNREFUSED: connection refused
 *         CNET_ENETUNREACH: network unreachable
 *         CNET_EHOSTUNREACH: host unreachable
 *         CNET_ENOTFOUND: host, service or protocol not found
 *         CNET_EAGAIN_DNS: temporary failure in name resolution
 *         CNET_EDNS: non-recoverable failure in name resolution
 *         CNET_EMFILE: too many open sockets or files
 *         CNET_ENOMEM: out of memory
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * @note Differs from Nim: Nim's dial has no timeout.
 *       [zh] 与 Nim 的不同：Nim 的 dial 没有超时。
 *
 * Ports Nim: net.dial
 */
CNET_API cnet_err cnet_dial(const char *address, cnet_port port, cnet_protocol protocol, bool buffered, int timeout, cnet_socket **out);

/**
 * The local address and port of the socket.
 *
 * [zh] 套接字的本地地址和端口。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param address receives the address text
 *        [zh] 接收地址文本
 *
 * @param address_size size of address (CNET_ADDRSTRLEN is enough)
 *        [zh] address 的大小（CNET_ADDRSTRLEN 足够）
 *
 * @param port receives the port; may be NULL
 *        [zh] 接收端口；可为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_EAFNOSUPPORT: address family not supported
 *         CNET_ERANGE: result does not fit in the buffer
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: net.getLocalAddr
 */
CNET_API cnet_err cnet_socket_get_local_addr(cnet_socket *socket, char *address, size_t address_size, cnet_port *port);

/**
 * The address and port of the connected peer.
 *
 * [zh] 已连接对端的地址和端口。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param address receives the address text
 *        [zh] 接收地址文本
 *
 * @param address_size size of address (CNET_ADDRSTRLEN is enough)
 *        [zh] address 的大小（CNET_ADDRSTRLEN 足够）
 *
 * @param port receives the port; may be NULL
 *        [zh] 接收端口；可为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ENOTCONN: socket is not connected
 *         CNET_EAFNOSUPPORT: address family not supported
 *         CNET_ERANGE: result does not fit in the buffer
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: net.getPeerAddr
 */
CNET_API cnet_err cnet_socket_get_peer_addr(cnet_socket *socket, char *address, size_t address_size, cnet_port *port);

/**
 * The local address the system would use to reach dest.
 *
 * [zh] 系统到达 dest 时会使用的本地地址。
 *
 * Connects a UDP socket to dest (no packet is sent), reads its local address
 * and closes it.
 *
 * [zh] 把一个 UDP 套接字连接到 dest（不发送任何数据包），读取其本地地址后关闭它。
 *
 * @param dest the destination (Nim's default is 8.8.8.8)
 *        [zh] 目的地址（Nim 的默认值为 8.8.8.8）
 *
 * @param out receives the local address
 *        [zh] 接收本地地址
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENETUNREACH: network unreachable
 *         CNET_EAFNOSUPPORT: address family not supported
 *         CNET_EMFILE: too many open sockets or files
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: net.getPrimaryIPAddr
 */
CNET_API cnet_err cnet_get_primary_ip_addr(const cnet_ip_address *dest, cnet_ip_address *out);

/**
 * Converts an IpAddress and port to a socket address.
 *
 * [zh] 把 IpAddress 和端口转换为套接字地址。
 *
 * @param address the address
 *        [zh] 地址
 *
 * @param port the port
 *        [zh] 端口
 *
 * @param scope_id the IPv6 scope id (0 for none; ignored for IPv4)
 *        [zh] IPv6 范围 id（0 表示没有；IPv4 忽略）
 *
 * @param out receives the socket address
 *        [zh] 接收套接字地址
 *
 * @param len receives its length
 *        [zh] 接收其长度
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *
 * @note Differs from Nim: Takes the IPv6 scope id, which Nim drops.
 *       [zh] 与 Nim 的不同：接受 IPv6 范围 id，而 Nim 会丢弃它。
 *
 * Ports Nim: net.toSockAddr
 */
CNET_API cnet_err cnet_to_sock_addr(const cnet_ip_address *address, cnet_port port, uint32_t scope_id, struct sockaddr_storage *out, cnet_socklen *len);

/**
 * Converts a socket address to an IpAddress and port.
 *
 * [zh] 把套接字地址转换为 IpAddress 和端口。
 *
 * @param sa the socket address
 *        [zh] 套接字地址
 *
 * @param len its length
 *        [zh] 其长度
 *
 * @param address receives the address
 *        [zh] 接收地址
 *
 * @param port receives the port; may be NULL
 *        [zh] 接收端口；可为 NULL
 *
 * @param scope_id receives the IPv6 scope id; may be NULL
 *        [zh] 接收 IPv6 范围 id；可为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_EAFNOSUPPORT: address family not supported
 *
 * @note Differs from Nim: Keeps the IPv6 scope id, which Nim drops.
 *       [zh] 与 Nim 的不同：保留 IPv6 范围 id，而 Nim 会丢弃它。
 *
 * Ports Nim: net.fromSockAddr
 */
CNET_API cnet_err cnet_from_sock_addr(const struct sockaddr *sa, cnet_socklen len, cnet_ip_address *address, cnet_port *port, uint32_t *scope_id);

/**
 * Whether the socket has data buffered.
 *
 * [zh] 判断一个套接字是否有数据缓冲。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @return true when a receive call can be served without waiting
 *         [zh] 接收调用无需等待即可完成时为 true
 *
 * Ports Nim: net.hasDataBuffered
 */
CNET_API bool cnet_socket_has_data_buffered(const cnet_socket *socket);

/**
 * Receives exactly size bytes, unless the peer closes first.
 *
 * [zh] 接收恰好 size 个字节，除非对端先关闭连接。
 *
 * Blocks until size bytes have arrived or the connection ends, buffered or
 * not. *received is size, or less only when the peer closed (0 means it
 * was closed before any byte). On a timeout the call returns
 * CNET_ETIMEDOUT and the bytes that did arrive are in data, counted in
 * *received. When an error follows some bytes, the bytes are returned
 * with CNET_OK and the error is reported by the next call. Under
 * SafeDisconn a disconnection ends the call like a close. CNET_FLAG_PEEK
 * looks at the data without consuming it.
 *
 * [zh] 无论是否带缓冲，都阻塞直到收到 size 个字节或连接结束。*received 等于 size，只有
 * 对端关闭时才会更少（0 表示在收到任何字节之前就已关闭）。超时时返回
 * CNET_ETIMEDOUT，已经到达的字节在 data 中并计入 *received。如果在一些字节之后发生
 * 错误，这些字节以 CNET_OK 返回，错误由下一次调用报告。在 SafeDisconn 下断开连接
 * 像关闭一样结束调用。CNET_FLAG_PEEK 查看数据但不取走。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param data receives the bytes
 *        [zh] 接收字节
 *
 * @param size how many bytes to receive
 *        [zh] 要接收的字节数
 *
 * @param timeout milliseconds for the whole call; -1 uses the socket's default
 * deadline (Nim default: -1)
 *        [zh] 整个调用允许的毫秒数；-1 表示使用套接字的默认截止时间
 *
 * @param flags socket flags (Nim default: CNET_FLAGS_DEFAULT)
 *        [zh] 套接字标志
 *
 * @param received receives the number of bytes stored
 *        [zh] 接收存入的字节数
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_ECONNRESET: connection reset by peer
 *         CNET_ENETRESET: connection reset by the network
 *         CNET_ENOTCONN: socket is not connected
 *         CNET_EFRAME_MALFORMED: the frame length prefix is malformed
 *         CNET_EFRAME_TOO_LARGE: the frame is longer than the allowed maximum
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *         CNET_EBUSY: another thread is reading (or writing) this socket
 *
 * @note Threads: one thread at a time may read this socket (this call and the
 * other reading calls), while another thread writes it and a third closes it;
 * a second thread reading at the same time gets CNET_EBUSY at once (plain and
 * TLS sockets, every backend), and its counts (and a read line's result,
 * CNET_READ_NONE) say that nothing was done.
 *       [zh] 线程：同一时刻只能有一个线程读这个套接字（本调用及其他读调用），同时另一个线程可以写它、第三个线程可以关闭它；同时读的第二个线程立即得到 CNET_EBUSY（明文与 TLS 套接字，所有后端），其计数（以及读行的结果 CNET_READ_NONE）表明什么也没有做。
 *
 * @note Differs from Nim: Nim loses the bytes already read when a timeout
 * fires, and its unbuffered recv without a timeout returns after one read (use
 * cnet_socket_recv_some for that).
 *       [zh] 与 Nim 的不同：超时触发时 Nim 会丢失已经读到的字节；Nim 不带超时的无缓冲 recv 只读一次就返回（这种用法请用 cnet_socket_recv_some）。
 *
 * Ports Nim: net.recv
 */
CNET_API cnet_err cnet_socket_recv(cnet_socket *socket, void *data, size_t size, int timeout, unsigned flags, size_t *received);

/**
 * Receives whatever is available, at least one byte, at most size.
 *
 * [zh] 接收当前可用的数据，至少一个字节，最多 size 个。
 *
 * Returns as soon as any data is available (from the buffer first). *received
 * is 0 only when the peer has closed. This is Nim's unbuffered recv(data,
 * size).
 *
 * [zh] 一有数据可用就返回（先从缓冲区取）。只有对端已关闭时 *received 才为 0。这就是 Nim 无缓冲的 recv(data,
 * size)。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param data receives the bytes
 *        [zh] 接收字节
 *
 * @param size the room in data
 *        [zh] data 的容量
 *
 * @param timeout milliseconds; -1 uses the socket's default deadline (Nim
 * default: -1)
 *        [zh] 毫秒；-1 表示使用套接字的默认截止时间
 *
 * @param flags socket flags (Nim default: CNET_FLAGS_DEFAULT)
 *        [zh] 套接字标志
 *
 * @param received receives the number of bytes stored
 *        [zh] 接收存入的字节数
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_ECONNRESET: connection reset by peer
 *         CNET_ENETRESET: connection reset by the network
 *         CNET_ENOTCONN: socket is not connected
 *         CNET_EFRAME_MALFORMED: the frame length prefix is malformed
 *         CNET_EFRAME_TOO_LARGE: the frame is longer than the allowed maximum
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *         CNET_EBUSY: another thread is reading (or writing) this socket
 *
 * @note Threads: one thread at a time may read this socket (this call and the
 * other reading calls), while another thread writes it and a third closes it;
 * a second thread reading at the same time gets CNET_EBUSY at once (plain and
 * TLS sockets, every backend), and its counts (and a read line's result,
 * CNET_READ_NONE) say that nothing was done.
 *       [zh] 线程：同一时刻只能有一个线程读这个套接字（本调用及其他读调用），同时另一个线程可以写它、第三个线程可以关闭它；同时读的第二个线程立即得到 CNET_EBUSY（明文与 TLS 套接字，所有后端），其计数（以及读行的结果 CNET_READ_NONE）表明什么也没有做。
 *
 * Ports Nim: net.recv
 */
CNET_API cnet_err cnet_socket_recv_some(cnet_socket *socket, void *data, size_t size, int timeout, unsigned flags, size_t *received);

/**
 * Receives size bytes into a new NUL-terminated string.
 *
 * [zh] 接收 size 个字节到一个新的以 NUL 结尾的字符串。
 *
 * Same rules as cnet_socket_recv; *out is allocated with malloc (release it
 * with free) and holds *len bytes plus a NUL, also after a timeout.
 *
 * [zh] 规则与 cnet_socket_recv 相同；*out 由 malloc 分配（用 free 释放），含 *len 个字节和一个
 * NUL，超时时也是如此。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param size how many bytes to receive
 *        [zh] 要接收的字节数
 *
 * @param timeout milliseconds for the whole call; -1 uses the socket's default
 * deadline (Nim default: -1)
 *        [zh] 整个调用允许的毫秒数；-1 表示使用套接字的默认截止时间
 *
 * @param flags socket flags (Nim default: CNET_FLAGS_DEFAULT)
 *        [zh] 套接字标志
 *
 * @param out receives the string
 *        [zh] 接收字符串
 *
 * @param len receives its length
 *        [zh] 接收其长度
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_ECONNRESET: connection reset by peer
 *         CNET_ENETRESET: connection reset by the network
 *         CNET_ENOTCONN: socket is not connected
 *         CNET_ENOMEM: out of memory
 *         CNET_EFRAME_MALFORMED: the frame length prefix is malformed
 *         CNET_EFRAME_TOO_LARGE: the frame is longer than the allowed maximum
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *         CNET_EBUSY: another thread is reading (or writing) this socket
 *
 * @note Threads: one thread at a time may read this socket (this call and the
 * other reading calls), while another thread writes it and a third closes it;
 * a second thread reading at the same time gets CNET_EBUSY at once (plain and
 * TLS sockets, every backend), and its counts (and a read line's result,
 * CNET_READ_NONE) say that nothing was done.
 *       [zh] 线程：同一时刻只能有一个线程读这个套接字（本调用及其他读调用），同时另一个线程可以写它、第三个线程可以关闭它；同时读的第二个线程立即得到 CNET_EBUSY（明文与 TLS 套接字，所有后端），其计数（以及读行的结果 CNET_READ_NONE）表明什么也没有做。
 *
 * @note Differs from Nim: Nim returns a negative count under SafeDisconn
 * although its documentation says it never does.
 *       [zh] 与 Nim 的不同：在 SafeDisconn 下 Nim 会返回负数，尽管其文档说从不返回负数。
 *
 * Ports Nim: net.recv
 */
CNET_API cnet_err cnet_socket_recv_string(cnet_socket *socket, size_t size, int timeout, unsigned flags, char **out, size_t *len);

/**
 * Reads a line from the socket.
 *
 * [zh] 从 socket 中读一行数据。
 *
 * A line ends at "\r\n", "\n" or a lone "\r"; the terminator is not
 * stored and line is NUL-terminated. *result says how the call ended:
 * CNET_READ_FULL_LINE (an empty line is a full line of length 0),
 * CNET_READ_PARTIAL_LINE (the stream ended after bytes without a
 * terminator, the bytes are kept: the call returns CNET_OK when the peer
 * closed cleanly, and the cause when the stream ended abnormally - a
 * reset, a TLS stream cut without close_notify - even under
 * SafeDisconn, so a cut-off line is never taken for a complete one; the
 * error is latched, the next call reports it again), CNET_READ_DISCONNECTED
 * (closed, or
 * disconnected under SafeDisconn, with nothing left), CNET_READ_TRUNCATED
 * (exactly size-1 bytes are returned and the rest of the line stays
 * unread) or CNET_READ_NONE with an error; on CNET_ETIMEDOUT the bytes
 * read so far are in line. No byte is ever lost.
 *
 * [zh] 行以 "\r\n"、"\n" 或单独的 "\r" 结束；行结束符不会被保存，line 以 NUL 结尾。
 * *result 说明调用如何结束：CNET_READ_FULL_LINE（空行是长度为 0 的完整行）、
 * CNET_READ_PARTIAL_LINE（流在没有结束符的字节之后结束，这些字节被保留：对端正常关闭时
 * 调用返回 CNET_OK；流异常结束时（连接被重置、TLS 流没有 close_notify 就被截断）即使在
 * SafeDisconn 下也返回其原因，因此被截断的行绝不会被当作完整的行；该错误会被锁存，下一次
 * 调用再次报告它）、
 * CNET_READ_DISCONNECTED（已关闭，或在 SafeDisconn 下断开，且没有剩余数据）、
 * CNET_READ_TRUNCATED（恰好返回 size-1 个字节，行的其余部分保持未读），或者出错时
 * 为 CNET_READ_NONE；CNET_ETIMEDOUT 时已读到的字节在 line 中。绝不会丢失任何字节。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param line receives the line and a NUL; the call may write anywhere in its
 * size bytes (what follows the NUL is scratch)
 *        [zh] 接收该行及结尾的 NUL；调用可能写入其 size 个字节中的任意位置（NUL 之后的内容没有意义）
 *
 * @param size room in line; the longest line is size-1 bytes (Nim's maxLength)
 *        [zh] line 的容量；最长的行为 size-1 字节（即 Nim 的 maxLength）
 *
 * @param len receives the line's length
 *        [zh] 接收行的长度
 *
 * @param result receives how the call ended
 *        [zh] 接收调用的结束方式
 *
 * @param timeout milliseconds for the whole line; -1 uses the socket's default
 * deadline (Nim default: -1)
 *        [zh] 整行允许的毫秒数；-1 表示使用套接字的默认截止时间
 *
 * @param flags socket flags (Nim default: CNET_FLAGS_DEFAULT)
 *        [zh] 套接字标志
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_ECONNRESET: connection reset by peer
 *         CNET_ENETRESET: connection reset by the network
 *         CNET_ENOTCONN: socket is not connected
 *         CNET_EFRAME_MALFORMED: the frame length prefix is malformed
 *         CNET_EFRAME_TOO_LARGE: the frame is longer than the allowed maximum
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *         CNET_EBUSY: another thread is reading (or writing) this socket
 *
 * @note Threads: one thread at a time may read this socket (this call and the
 * other reading calls), while another thread writes it and a third closes it;
 * a second thread reading at the same time gets CNET_EBUSY at once (plain and
 * TLS sockets, every backend), and its counts (and a read line's result,
 * CNET_READ_NONE) say that nothing was done.
 *       [zh] 线程：同一时刻只能有一个线程读这个套接字（本调用及其他读调用），同时另一个线程可以写它、第三个线程可以关闭它；同时读的第二个线程立即得到 CNET_EBUSY（明文与 TLS 套接字，所有后端），其计数（以及读行的结果 CNET_READ_NONE）表明什么也没有做。
 *
 * @note Differs from Nim: Nim returns the sentinel "\r\n" for an empty line
 * and "" at a disconnect, drops a partial line at EOF, raises for "\r"
 * followed by EOF, and with maxLength returns maxLength+1 bytes and continues
 * the line silently as a new one.
 *       [zh] 与 Nim 的不同：Nim 对空行返回哨兵值 "\r\n"，断开时返回 ""，在 EOF 时丢弃不完整的行，对 "\r" 后紧跟 EOF 抛出异常，并且在 maxLength 下返回 maxLength+1 个字节，还把该行的剩余部分默默当作新的一行。
 *
 * Ports Nim: net.readLine
 */
CNET_API cnet_err cnet_socket_read_line(cnet_socket *socket, char *line, size_t size, size_t *len, cnet_read_line_result *result, int timeout, unsigned flags);

/**
 * Reads a line into a new string.
 *
 * [zh] 读取一行到一个新的字符串。
 *
 * The rules of cnet_socket_read_line; *out is allocated with malloc (release
 * it with free) and is at most max_length bytes plus a NUL.
 *
 * [zh] 规则与 cnet_socket_read_line 相同；*out 由 malloc 分配（用 free 释放），最多 max_length
 * 个字节加一个 NUL。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param timeout milliseconds for the whole line; -1 uses the socket's default
 * deadline (Nim default: -1)
 *        [zh] 整行允许的毫秒数；-1 表示使用套接字的默认截止时间
 *
 * @param flags socket flags (Nim default: CNET_FLAGS_DEFAULT)
 *        [zh] 套接字标志
 *
 * @param max_length the longest line returned (Nim default:
 * CNET_MAX_LINE_LENGTH)
 *        [zh] 返回的最长行
 *
 * @param out receives the line
 *        [zh] 接收该行
 *
 * @param len receives its length
 *        [zh] 接收其长度
 *
 * @param result receives how the call ended
 *        [zh] 接收调用的结束方式
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_ECONNRESET: connection reset by peer
 *         CNET_ENETRESET: connection reset by the network
 *         CNET_ENOTCONN: socket is not connected
 *         CNET_ENOMEM: out of memory
 *         CNET_EFRAME_MALFORMED: the frame length prefix is malformed
 *         CNET_EFRAME_TOO_LARGE: the frame is longer than the allowed maximum
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *         CNET_EBUSY: another thread is reading (or writing) this socket
 *
 * @note Threads: one thread at a time may read this socket (this call and the
 * other reading calls), while another thread writes it and a third closes it;
 * a second thread reading at the same time gets CNET_EBUSY at once (plain and
 * TLS sockets, every backend), and its counts (and a read line's result,
 * CNET_READ_NONE) say that nothing was done.
 *       [zh] 线程：同一时刻只能有一个线程读这个套接字（本调用及其他读调用），同时另一个线程可以写它、第三个线程可以关闭它；同时读的第二个线程立即得到 CNET_EBUSY（明文与 TLS 套接字，所有后端），其计数（以及读行的结果 CNET_READ_NONE）表明什么也没有做。
 *
 * Ports Nim: net.recvLine
 */
CNET_API cnet_err cnet_socket_recv_line(cnet_socket *socket, int timeout, unsigned flags, size_t max_length, char **out, size_t *len, cnet_read_line_result *result);

/**
 * Skips size bytes.
 *
 * [zh] 跳过 size 数量的字节。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param size how many bytes to discard
 *        [zh] 要丢弃的字节数
 *
 * @param timeout milliseconds for the whole call; -1 uses the socket's default
 * deadline (Nim default: -1)
 *        [zh] 整个调用允许的毫秒数；-1 表示使用套接字的默认截止时间
 *
 * @param skipped receives how many bytes were skipped; may be NULL
 *        [zh] 接收跳过的字节数；可为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_ECONNRESET: connection reset by peer
 *         CNET_ENETRESET: connection reset by the network
 *         CNET_ENOTCONN: socket is not connected
 *         CNET_EFRAME_MALFORMED: the frame length prefix is malformed
 *         CNET_EFRAME_TOO_LARGE: the frame is longer than the allowed maximum
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *         CNET_EBUSY: another thread is reading (or writing) this socket
 *
 * @note Threads: one thread at a time may read this socket (this call and the
 * other reading calls), while another thread writes it and a third closes it;
 * a second thread reading at the same time gets CNET_EBUSY at once (plain and
 * TLS sockets, every backend), and its counts (and a read line's result,
 * CNET_READ_NONE) say that nothing was done.
 *       [zh] 线程：同一时刻只能有一个线程读这个套接字（本调用及其他读调用），同时另一个线程可以写它、第三个线程可以关闭它；同时读的第二个线程立即得到 CNET_EBUSY（明文与 TLS 套接字，所有后端），其计数（以及读行的结果 CNET_READ_NONE）表明什么也没有做。
 *
 * Ports Nim: net.skip
 */
CNET_API cnet_err cnet_socket_skip(cnet_socket *socket, size_t size, int timeout, size_t *skipped);

/**
 * Receives one datagram and the address it came from.
 *
 * [zh] 接收一个数据报及其来源地址。
 *
 * For connectionless (UDP) sockets. A datagram longer than size is reported as
 * CNET_ETRUNCATED with the first size bytes stored, never silently cut.
 * Anything in the read buffer is not involved.
 *
 * [zh] 用于无连接（UDP）套接字。比 size 长的数据报会以 CNET_ETRUNCATED 报告，并存入前 size
 * 个字节，绝不会被悄悄截断。读缓冲区中的数据不参与。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param data receives the datagram
 *        [zh] 接收数据报
 *
 * @param size the room in data
 *        [zh] data 的容量
 *
 * @param address receives the sender's address text; may be NULL
 *        [zh] 接收发送方地址文本；可为 NULL
 *
 * @param address_size size of address
 *        [zh] address 的大小
 *
 * @param port receives the sender's port; may be NULL
 *        [zh] 接收发送方端口；可为 NULL
 *
 * @param received receives the number of bytes stored
 *        [zh] 接收存入的字节数
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_ETRUNCATED: the datagram was longer than the buffer and was truncated
 *         CNET_ECONNREFUSED: connection refused
 *         CNET_ERANGE: result does not fit in the buffer
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * @note Differs from Nim: Nim's seed handled IPv4 only; truncation is reported
 * instead of being silent.
 *       [zh] 与 Nim 的不同：Nim 早期版本只支持 IPv4；截断会被报告而不是悄无声息。
 *
 * Ports Nim: net.recvFrom
 */
CNET_API cnet_err cnet_socket_recv_from(cnet_socket *socket, void *data, size_t size, char *address, size_t address_size, cnet_port *port, size_t *received);

/**
 * Receives one datagram and the IpAddress it came from.
 *
 * [zh] 接收一个数据报及其来源 IpAddress。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param data receives the datagram
 *        [zh] 接收数据报
 *
 * @param size the room in data
 *        [zh] data 的容量
 *
 * @param address receives the sender's address
 *        [zh] 接收发送方地址
 *
 * @param port receives the sender's port; may be NULL
 *        [zh] 接收发送方端口；可为 NULL
 *
 * @param received receives the number of bytes stored
 *        [zh] 接收存入的字节数
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_ETRUNCATED: the datagram was longer than the buffer and was truncated
 *         CNET_ECONNREFUSED: connection refused
 *         CNET_EAFNOSUPPORT: address family not supported
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: net.recvFrom
 */
CNET_API cnet_err cnet_socket_recv_from_ip(cnet_socket *socket, void *data, size_t size, cnet_ip_address *address, cnet_port *port, size_t *received);

/**
 * Sends all of data.
 *
 * [zh] 向一个 socket 发送全部数据。
 *
 * Loops until every byte is out, continuing from where a partial write
 * stopped. The socket's send deadline (or default deadline) bounds the
 * whole call. Under SafeDisconn a disconnection ends the call with
 * CNET_OK and *sent tells how much went out; otherwise the error is
 * returned at once. SIGPIPE is never raised.
 *
 * [zh] 循环直到每个字节都发送出去，部分写入之后从中断处继续。套接字的发送截止时间（或
 * 默认截止时间）限制整个调用。在 SafeDisconn 下，断开连接以 CNET_OK 结束调用，
 * *sent 说明发出了多少；否则立即返回错误。绝不会触发 SIGPIPE。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param data the bytes
 *        [zh] 要发送的字节
 *
 * @param size how many bytes
 *        [zh] 字节数
 *
 * @param flags socket flags (Nim default: CNET_FLAGS_DEFAULT)
 *        [zh] 套接字标志
 *
 * @param sent receives how many bytes were sent; may be NULL
 *        [zh] 接收已发送的字节数；可为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_ECONNRESET: connection reset by peer
 *         CNET_EPIPE: broken pipe (the peer closed the connection)
 *         CNET_ENETRESET: connection reset by the network
 *         CNET_ENOTCONN: socket is not connected
 *         CNET_EMSGSIZE: message too long
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *         CNET_EBUSY: another thread is reading (or writing) this socket
 *
 * @note Threads: one thread at a time may write this socket (this call and the
 * other writing calls), while another thread reads it and a third closes it; a
 * second thread writing at the same time gets CNET_EBUSY at once (plain and
 * TLS sockets, every backend), and its counts (and a read line's result,
 * CNET_READ_NONE) say that nothing was done.
 *       [zh] 线程：同一时刻只能有一个线程写这个套接字（本调用及其他写调用），同时另一个线程可以读它、第三个线程可以关闭它；同时写的第二个线程立即得到 CNET_EBUSY（明文与 TLS 套接字，所有后端），其计数（以及读行的结果 CNET_READ_NONE）表明什么也没有做。
 *
 * @note Differs from Nim: Nim restarts from offset 0 after a partial write and
 * spins forever on a dead peer under SafeDisconn.
 *       [zh] 与 Nim 的不同：Nim 在部分写入后从偏移 0 重新发送，并且在 SafeDisconn 下遇到已断开的对端会无限空转。
 *
 * Ports Nim: net.send, net.&=
 */
CNET_API cnet_err cnet_socket_send(cnet_socket *socket, const void *data, size_t size, unsigned flags, size_t *sent);

/**
 * Sends a NUL-terminated string (without its NUL).
 *
 * [zh] 发送一个以 NUL 结尾的字符串（不含 NUL）。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param text the text
 *        [zh] 文本
 *
 * @param flags socket flags (Nim default: CNET_FLAGS_DEFAULT)
 *        [zh] 套接字标志
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_ECONNRESET: connection reset by peer
 *         CNET_EPIPE: broken pipe (the peer closed the connection)
 *         CNET_ENETRESET: connection reset by the network
 *         CNET_ENOTCONN: socket is not connected
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *         CNET_EBUSY: another thread is reading (or writing) this socket
 *
 * @note Threads: one thread at a time may write this socket (this call and the
 * other writing calls), while another thread reads it and a third closes it; a
 * second thread writing at the same time gets CNET_EBUSY at once (plain and
 * TLS sockets, every backend), and its counts (and a read line's result,
 * CNET_READ_NONE) say that nothing was done.
 *       [zh] 线程：同一时刻只能有一个线程写这个套接字（本调用及其他写调用），同时另一个线程可以读它、第三个线程可以关闭它；同时写的第二个线程立即得到 CNET_EBUSY（明文与 TLS 套接字，所有后端），其计数（以及读行的结果 CNET_READ_NONE）表明什么也没有做。
 *
 * Ports Nim: net.send
 */
CNET_API cnet_err cnet_socket_send_str(cnet_socket *socket, const char *text, unsigned flags);

/**
 * A safe alternative to send: one send call, and false instead of an error
 * when not every byte went out.
 *
 * [zh] 对于 send 的安全替换：只调用一次发送，发生错误或未能发出全部字节时不报告错误，而是返回 false。
 *
 * It is a writer like cnet_socket_send: while another thread writes this
 * socket it sends nothing and returns false at once, with CNET_EBUSY as the
 * thread's last error.
 *
 * [zh] 它与 cnet_socket_send 一样是写方：另一个线程正在写这个套接字时，它什么也不发送，立即返回 false，线程的最后错误为
 * CNET_EBUSY。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param data the bytes
 *        [zh] 要发送的字节
 *
 * @param size how many bytes
 *        [zh] 字节数
 *
 * @return true when every byte was sent
 *         [zh] 每个字节都已发送时为 true
 *
 * Ports Nim: net.trySend
 */
CNET_API bool cnet_socket_try_send(cnet_socket *socket, const void *data, size_t size);

/**
 * Sends a datagram to address:port.
 *
 * [zh] 发送数据到指定的 address 和 port。
 *
 * address may be an IP address or a host name; for a host name every IP of the
 * host is tried until one send succeeds. Address literals are checked strictly
 * first.
 *
 * [zh] address 可以是 IP 地址或主机名；如果是主机名，会尝试主机的每一个 IP 直到有一次发送成功。地址字面量会先被严格检查。
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
 * @param data the datagram
 *        [zh] 数据报
 *
 * @param size its length
 *        [zh] 其长度
 *
 * @param flags socket flags (Nim default: 0)
 *        [zh] 套接字标志
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_EMSGSIZE: message too long
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_ENOTFOUND: host, service or protocol not found
 *         CNET_EAGAIN_DNS: temporary failure in name resolution
 *         CNET_EDNS: non-recoverable failure in name resolution
 *         CNET_EAFNOSUPPORT: address family not supported
 *         CNET_ENETUNREACH: network unreachable
 *         CNET_EHOSTUNREACH: host unreachable
 *         CNET_EACCES: permission denied
 *         CNET_ECONNREFUSED: connection refused
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * @note Differs from Nim: The seed silently ignored a failed send.
 *       [zh] 与 Nim 的不同：早期版本会悄悄忽略发送失败。
 *
 * Ports Nim: net.sendTo
 */
CNET_API cnet_err cnet_socket_send_to(cnet_socket *socket, const char *address, cnet_port port, const void *data, size_t size, unsigned flags);

/**
 * Sends a datagram to an IpAddress and port (no name resolution).
 *
 * [zh] 发送数据报到 IpAddress 和端口（不做名称解析）。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param address the address
 *        [zh] 地址
 *
 * @param port the port
 *        [zh] 端口
 *
 * @param data the datagram
 *        [zh] 数据报
 *
 * @param size its length
 *        [zh] 其长度
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_EMSGSIZE: message too long
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_EAFNOSUPPORT: address family not supported
 *         CNET_ENETUNREACH: network unreachable
 *         CNET_EHOSTUNREACH: host unreachable
 *         CNET_EACCES: permission denied
 *         CNET_ECONNREFUSED: connection refused
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: net.sendTo
 */
CNET_API cnet_err cnet_socket_send_to_ip(cnet_socket *socket, const cnet_ip_address *address, cnet_port port, const void *data, size_t size);

/**
 * Shuts down the reading side, the writing side or both.
 *
 * [zh] 关闭读端、写端或两端。
 *
 * On a TLS socket shutting down the writing side first sends close_notify, so
 * the peer sees a clean end of stream and can go on sending. After the reading
 * side is shut down, a receive with a deadline answers at once, as the
 * blocking receive does (with the end of the stream), instead of waiting out
 * its deadline, and select_read counts the socket as ready; on Winsock, whose
 * WSAPoll never reports such a socket readable, cnet remembers which sockets
 * it shut down for reading.
 *
 * [zh] 在 TLS 套接字上关闭写端时先发送
 * close_notify，使对端看到正常的流结束，并且对端仍可以继续发送。关闭读端之后，带截止时间的接收与阻塞接收一样立即返回（流结束），而不会一直等到截止时间，select_read
 * 也把该套接字算作就绪；在 Winsock 上 WSAPoll 从不把这样的套接字报告为可读，因此 cnet 会记住哪些套接字是由它关闭了读端的。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param read shut down reading
 *        [zh] 关闭读端
 *
 * @param write shut down writing (the peer sees end of stream)
 *        [zh] 关闭写端（对端会看到流结束）
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ENOTCONN: socket is not connected
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API cnet_err cnet_socket_shutdown(cnet_socket *socket, bool read, bool write);

/**
 * Sends one length-prefixed message.
 *
 * [zh] 发送一条带长度前缀的消息。
 *
 * The prefix and the payload go out together (one call, no partial frame
 * unless the connection fails).
 *
 * [zh] 前缀和负载一起发出（一次调用；除非连接失败，否则不会只发出部分帧）。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param format the prefix format
 *        [zh] 前缀格式
 *
 * @param data the payload
 *        [zh] 负载
 *
 * @param size its length
 *        [zh] 其长度
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_EFRAME_TOO_LARGE: the frame is longer than the allowed maximum
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_ECONNRESET: connection reset by peer
 *         CNET_EPIPE: broken pipe (the peer closed the connection)
 *         CNET_ENETRESET: connection reset by the network
 *         CNET_ENOTCONN: socket is not connected
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *         CNET_EBUSY: another thread is reading (or writing) this socket
 *
 * @note Threads: one thread at a time may write this socket (this call and the
 * other writing calls), while another thread reads it and a third closes it; a
 * second thread writing at the same time gets CNET_EBUSY at once (plain and
 * TLS sockets, every backend), and its counts (and a read line's result,
 * CNET_READ_NONE) say that nothing was done.
 *       [zh] 线程：同一时刻只能有一个线程写这个套接字（本调用及其他写调用），同时另一个线程可以读它、第三个线程可以关闭它；同时写的第二个线程立即得到 CNET_EBUSY（明文与 TLS 套接字，所有后端），其计数（以及读行的结果 CNET_READ_NONE）表明什么也没有做。
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API cnet_err cnet_socket_send_frame(cnet_socket *socket, cnet_frame_format format, const void *data, size_t size);

/**
 * Receives one length-prefixed message.
 *
 * [zh] 接收一条带长度前缀的消息。
 *
 * A prefix that is not 4 decimal digits (CNET_FRAME_DECIMAL4) gives
 * CNET_EFRAME_MALFORMED; a length above size gives CNET_EFRAME_TOO_LARGE.
 * Both mark the socket broken: the stream position is lost, so every
 * later receive returns the same error. No allocation depends on the
 * peer's length.
 *
 * [zh] 前缀不是 4 位十进制数字（CNET_FRAME_DECIMAL4）时返回 CNET_EFRAME_MALFORMED；
 * 长度超过 size 时返回 CNET_EFRAME_TOO_LARGE。两者都会把套接字标记为损坏：流的位置
 * 已经丢失，因此之后的每次接收都返回同样的错误。不会根据对端给出的长度分配内存。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @param format the prefix format
 *        [zh] 前缀格式
 *
 * @param data receives the payload
 *        [zh] 接收负载
 *
 * @param size the largest payload accepted
 *        [zh] 可接受的最大负载
 *
 * @param len receives the payload length
 *        [zh] 接收负载长度
 *
 * @param timeout milliseconds for the whole frame; -1 uses the socket's
 * default deadline (Nim default: -1)
 *        [zh] 整个帧允许的毫秒数；-1 表示使用套接字的默认截止时间
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_EEOF: the peer closed the connection
 *         CNET_EFRAME_MALFORMED: the frame length prefix is malformed
 *         CNET_EFRAME_TOO_LARGE: the frame is longer than the allowed maximum
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_ECONNRESET: connection reset by peer
 *         CNET_ENETRESET: connection reset by the network
 *         CNET_ENOTCONN: socket is not connected
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *         CNET_EBUSY: another thread is reading (or writing) this socket
 *
 * @note Threads: one thread at a time may read this socket (this call and the
 * other reading calls), while another thread writes it and a third closes it;
 * a second thread reading at the same time gets CNET_EBUSY at once (plain and
 * TLS sockets, every backend), and its counts (and a read line's result,
 * CNET_READ_NONE) say that nothing was done.
 *       [zh] 线程：同一时刻只能有一个线程读这个套接字（本调用及其他读调用），同时另一个线程可以写它、第三个线程可以关闭它；同时读的第二个线程立即得到 CNET_EBUSY（明文与 TLS 套接字，所有后端），其计数（以及读行的结果 CNET_READ_NONE）表明什么也没有做。
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API cnet_err cnet_socket_recv_frame(cnet_socket *socket, cnet_frame_format format, void *data, size_t size, size_t *len, int timeout);

/**
 * Waits until some of the sockets can be read without blocking.
 *
 * [zh] 等待直到其中一些套接字可以无阻塞地读取。
 *
 * Like cnet_select_read, but a socket with buffered data counts as ready at
 * once. Uses poll (no FD_SETSIZE limit). A socket that another thread closes
 * during the wait ends it and counts as ready (reading it then returns
 * CNET_ECLOSED).
 *
 * [zh] 与 cnet_select_read 相同，但有缓冲数据的套接字立即算作就绪。使用 poll（没有 FD_SETSIZE
 * 限制）。在等待期间被另一个线程关闭的套接字会结束等待并算作就绪（之后读取它会返回 CNET_ECLOSED）。
 *
 * @param sockets the sockets; the ready ones are moved to the front
 *        [zh] 套接字；就绪的被移到前面
 *
 * @param count in: how many; out: how many are ready
 *        [zh] 输入：个数；输出：就绪的个数
 *
 * @param timeout milliseconds; -1 waits forever
 *        [zh] 毫秒；-1 表示无限等待
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_EBADF: bad or closed socket handle
 *         CNET_ENOMEM: out of memory
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API cnet_err cnet_socket_select_read(cnet_socket **sockets, size_t *count, int timeout);

#ifdef __cplusplus
}
#endif

#endif /* CNET_NET_H */
