/* generated from spec/core.yaml, spec/errors.yaml, spec/nativesockets.yaml, spec/platforms.yaml by codegen/templates/errors.h.j2 - do not edit; regenerate with `make regen` */
#ifndef CNET_ERRORS_H
#define CNET_ERRORS_H

/**
 * The error codes of cnet. Every fallible function returns one; CNET_OK is 0.
 * The numbers are fixed and never reused.
 *
 * [zh] cnet 的错误码。每个可能失败的函数都返回其中之一；CNET_OK 为 0。编号固定，永不复用。
 */
typedef enum cnet_err {
    /** success / 成功 */
    CNET_OK = 0,
    /** invalid argument / 无效参数 */
    CNET_EINVAL = 1,
    /** bad or closed socket handle / 套接字句柄无效或已关闭 */
    CNET_EBADF = 2,
    /** out of memory / 内存不足 */
    CNET_ENOMEM = 3,
    /** host, service or protocol not found / 未找到主机、服务或协议 */
    CNET_ENOTFOUND = 4,
    /** operation timed out / 操作超时 */
    CNET_ETIMEDOUT = 5,
    /** connection refused / 连接被拒绝 */
    CNET_ECONNREFUSED = 6,
    /** connection reset by peer / 连接被对端重置 */
    CNET_ECONNRESET = 7,
    /** connection aborted / 连接已中止 */
    CNET_ECONNABORTED = 8,
    /** broken pipe (the peer closed the connection) / 管道破裂（对端已关闭连接） */
    CNET_EPIPE = 9,
    /** connection reset by the network / 连接被网络重置 */
    CNET_ENETRESET = 10,
    /** socket is not connected / 套接字未连接 */
    CNET_ENOTCONN = 11,
    /** address already in use / 地址已被占用 */
    CNET_EADDRINUSE = 12,
    /** address not available / 地址不可用 */
    CNET_EADDRNOTAVAIL = 13,
    /** address family not supported / 不支持的地址族 */
    CNET_EAFNOSUPPORT = 14,
    /** protocol or socket type not supported / 不支持的协议或套接字类型 */
    CNET_EPROTONOSUPPORT = 15,
    /** permission denied / 权限不足 */
    CNET_EACCES = 16,
    /** too many open sockets or files / 打开的套接字或文件过多 */
    CNET_EMFILE = 17,
    /** operation would block / 操作将会阻塞 */
    CNET_EWOULDBLOCK = 18,
    /** operation in progress / 操作正在进行中 */
    CNET_EINPROGRESS = 19,
    /** socket is already connected / 套接字已连接 */
    CNET_EISCONN = 20,
    /** network unreachable / 网络不可达 */
    CNET_ENETUNREACH = 21,
    /** host unreachable / 主机不可达 */
    CNET_EHOSTUNREACH = 22,
    /** message too long / 消息过长 */
    CNET_EMSGSIZE = 23,
    /** protocol option not available / 协议选项不可用 */
    CNET_ENOPROTOOPT = 24,
    /** operation not supported here / 此处不支持该操作 */
    CNET_ENOTSUP = 25,
    /** no buffer space available / 没有可用的缓冲区空间 */
    CNET_ENOBUFS = 26,
    /** name too long / 名称过长 */
    CNET_ENAMETOOLONG = 27,
    /** result does not fit in the buffer / 结果超出缓冲区大小 */
    CNET_ERANGE = 28,
    /** temporary failure in name resolution / 名称解析暂时失败 */
    CNET_EAGAIN_DNS = 29,
    /** non-recoverable failure in name resolution / 名称解析发生不可恢复的错误 */
    CNET_EDNS = 30,
    /** interrupted by a signal / 被信号中断 */
    CNET_EINTR = 31,
    /** network is down / 网络已关闭 */
    CNET_ENETDOWN = 32,
    /** socket has been shut down / 套接字已被关闭（shutdown） */
    CNET_ESHUTDOWN = 33,
    /** operating system error (see cnet_last_os_error) / 操作系统错误（见 cnet_last_os_error） */
    CNET_EOS = 99,
} cnet_err;

/** X-macro list of every error code: X(name, value). */
#define CNET_ERROR_LIST(X) \
    X(CNET_OK, 0) \
    X(CNET_EINVAL, 1) \
    X(CNET_EBADF, 2) \
    X(CNET_ENOMEM, 3) \
    X(CNET_ENOTFOUND, 4) \
    X(CNET_ETIMEDOUT, 5) \
    X(CNET_ECONNREFUSED, 6) \
    X(CNET_ECONNRESET, 7) \
    X(CNET_ECONNABORTED, 8) \
    X(CNET_EPIPE, 9) \
    X(CNET_ENETRESET, 10) \
    X(CNET_ENOTCONN, 11) \
    X(CNET_EADDRINUSE, 12) \
    X(CNET_EADDRNOTAVAIL, 13) \
    X(CNET_EAFNOSUPPORT, 14) \
    X(CNET_EPROTONOSUPPORT, 15) \
    X(CNET_EACCES, 16) \
    X(CNET_EMFILE, 17) \
    X(CNET_EWOULDBLOCK, 18) \
    X(CNET_EINPROGRESS, 19) \
    X(CNET_EISCONN, 20) \
    X(CNET_ENETUNREACH, 21) \
    X(CNET_EHOSTUNREACH, 22) \
    X(CNET_EMSGSIZE, 23) \
    X(CNET_ENOPROTOOPT, 24) \
    X(CNET_ENOTSUP, 25) \
    X(CNET_ENOBUFS, 26) \
    X(CNET_ENAMETOOLONG, 27) \
    X(CNET_ERANGE, 28) \
    X(CNET_EAGAIN_DNS, 29) \
    X(CNET_EDNS, 30) \
    X(CNET_EINTR, 31) \
    X(CNET_ENETDOWN, 32) \
    X(CNET_ESHUTDOWN, 33) \
    X(CNET_EOS, 99)

#endif /* CNET_ERRORS_H */
