/* generated from spec/core.yaml, spec/errors.yaml by codegen/templates/module.h.j2 - do not edit; regenerate with `make regen` */
#ifndef CNET_CORE_H
#define CNET_CORE_H

/**
 * Library-wide functions of cnet - error messages, the per-thread last error,
 * version and backend.
 *
 * [zh] cnet 的全库函数：错误信息、每线程的最近错误、版本和后端。
 *
 * Every fallible cnet function returns a `cnet_err`. When it returns
 * anything but CNET_OK it also records, for the calling thread, the code,
 * the operating system's own error number (errno or WSAGetLastError) and a
 * message naming the function and the reason. Nim raises OSError,
 * TimeoutError or ValueError where cnet returns a code.
 *
 * [zh] 每个可能失败的 cnet 函数都返回 `cnet_err`。返回值不是 CNET_OK 时，它还会为
 * 调用线程记录错误码、操作系统自己的错误号（errno 或 WSAGetLastError）以及一条
 * 指明函数与原因的消息。Nim 在这些情况下抛出 OSError、TimeoutError 或
 * ValueError，而 cnet 返回错误码。
 */

#include <cnet/platform.h>
#include <cnet/errors.h>

#ifdef __cplusplus
extern "C" {
#endif

/* -------------------------------------------------------------- functions */

/**
 * The English message of an error code.
 *
 * [zh] 错误码的英文消息。
 *
 * @param err the error code
 *        [zh] 错误码
 *
 * @return a static string; "unknown error" for a number that is not a cnet
 * error code
 *         [zh] 静态字符串；对于不是 cnet 错误码的数字返回 "unknown error"
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API const char *cnet_strerror(cnet_err err);

/**
 * The Chinese (zh-CN) message of an error code.
 *
 * [zh] 错误码的中文（简体）消息。
 *
 * @param err the error code
 *        [zh] 错误码
 *
 * @return a static UTF-8 string; "未知错误" for an unknown number
 *         [zh] 静态 UTF-8 字符串；未知数字返回 "未知错误"
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API const char *cnet_strerror_zh(cnet_err err);

/**
 * The symbolic name of an error code, such as "CNET_EINVAL".
 *
 * [zh] 错误码的符号名，例如 "CNET_EINVAL"。
 *
 * @param err the error code
 *        [zh] 错误码
 *
 * @return a static string; "CNET_E_UNKNOWN" for an unknown number
 *         [zh] 静态字符串；未知数字返回 "CNET_E_UNKNOWN"
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API const char *cnet_err_name(cnet_err err);

/**
 * The code of the calling thread's last failure.
 *
 * [zh] 调用线程最近一次失败的错误码。
 *
 * CNET_OK when no cnet call has failed on this thread yet. Successful calls do
 * not reset it.
 *
 * [zh] 如果本线程尚未有 cnet 调用失败，返回 CNET_OK。成功的调用不会重置它。
 *
 * @return the code of the last failure, or CNET_OK when nothing has failed on
 * this thread
 *         [zh] 最近一次失败的错误码；本线程没有失败过时为 CNET_OK
 *
 * @note Differs from Nim: Nim's getSocketError raises when no error code is
 * available; cnet returns CNET_OK.
 *       [zh] 与 Nim 的不同：Nim 的 getSocketError 在没有可用错误码时抛出异常；cnet 返回 CNET_OK。
 *
 * Ports Nim: getSocketError
 */
CNET_API cnet_err cnet_last_error(void);

/**
 * The operating system's error number of the calling thread's last failure.
 *
 * [zh] 调用线程最近一次失败时操作系统给出的错误号。
 *
 * @return errno (POSIX), a WSA code (Windows), an EAI_* code for resolver
 * failures, or 0 when the failure was detected by cnet itself
 *         [zh] errno（POSIX）、WSA 错误码（Windows）、解析器失败时的 EAI_* 码；若失败由 cnet 自己检测到则为 0
 *
 * Ports Nim: osLastError
 */
CNET_API int cnet_last_os_error(void);

/**
 * A message describing the calling thread's last failure.
 *
 * [zh] 描述调用线程最近一次失败的消息。
 *
 * @return a thread-local string naming the function and the reason, valid
 * until the thread's next failing cnet call; "" when nothing failed
 *         [zh] 线程局部字符串，指明函数与原因，在本线程下一次失败的 cnet 调用之前有效；没有失败时为 ""
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API const char *cnet_last_error_message(void);

/**
 * The library's version, such as "0.1.0".
 *
 * [zh] 库的版本号，例如 "0.1.0"。
 *
 * @return a static string
 *         [zh] 静态字符串
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API const char *cnet_version(void);

/**
 * The backend this library was built with.
 *
 * [zh] 本库构建时所用的后端。
 *
 * @return "posix", "io_uring" or "winsock"
 *         [zh] "posix"、"io_uring" 或 "winsock"
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API const char *cnet_backend_name(void);

/**
 * Which path serves socket I/O on the calling thread.
 *
 * [zh] 调用线程上的套接字 I/O 由哪条路径处理。
 *
 * The io_uring backend answers "io_uring" when the thread's ring is in use and
 * "posix" when it fell back (no io_uring in the kernel, EPERM,
 * kernel.io_uring_disabled, or CNET_IO_URING=off in the environment). Other
 * backends answer their own name.
 *
 * [zh] io_uring 后端在线程的环可用时回答 "io_uring"，在回退时（内核没有
 * io_uring、EPERM、kernel.io_uring_disabled，或环境变量 CNET_IO_URING=off）回答
 * "posix"。其他后端回答自己的名称。
 *
 * @return "io_uring", "posix" or "winsock"
 *         [zh] "io_uring"、"posix" 或 "winsock"
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API const char *cnet_backend_active(void);

#ifdef __cplusplus
}
#endif

#endif /* CNET_CORE_H */
