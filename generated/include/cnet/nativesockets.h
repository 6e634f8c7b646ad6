/* generated from spec/errors.yaml, spec/nativesockets.yaml by codegen/templates/module.h.j2 - do not edit; regenerate with `make regen` */
#ifndef CNET_NATIVESOCKETS_H
#define CNET_NATIVESOCKETS_H

/**
 * The low-level cross-platform sockets interface (Nim's rawsockets, later
 * nativesockets).
 *
 * [zh] 低级的跨平台套接字接口（Nim 的 rawsockets 模块，后更名为 nativesockets）。
 *
 * Thin, checked wrappers over the operating system's socket calls. Every
 * function validates its arguments once, then calls the backend's edge,
 * which translates the operating system's error into a cnet_err on the
 * spot. Look at the net module for the higher-level version.
 *
 * [zh] 对操作系统套接字调用的轻量且经过检查的封装。每个函数先校验一次参数，再调用
 * 后端边缘层，由后端当场把操作系统的错误翻译成 cnet_err。更高层的版本见 net 模块。
 */

#include <cnet/platform.h>
#include <cnet/errors.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ constants */

/**
 * The largest listen backlog the system accepts by default (the default
 * backlog of cnet_listen).
 *
 * [zh] 系统默认接受的最大监听队列长度（cnet_listen 的默认 backlog）。
 *
 * Ports Nim: nativesockets.SOMAXCONN
 */
#if defined(__linux__)
#define CNET_SOMAXCONN 4096
#elif defined(__APPLE__)
#define CNET_SOMAXCONN 128
#elif defined(_WIN32)
#define CNET_SOMAXCONN 2147483647
#endif

/**
 * Winsock: mask of the parameter length in an ioctl command.
 *
 * [zh] Winsock：ioctl 命令中参数长度的掩码。
 *
 * Ports Nim: nativesockets.IOCPARM_MASK
 */
#if defined(_WIN32)
#define CNET_IOCPARM_MASK 127
#endif

/**
 * The ioctl command bit for commands that copy a parameter in.
 *
 * [zh] ioctl 命令中表示“传入参数”的标志位。
 *
 * Ports Nim: nativesockets.IOC_IN
 */
#if defined(__APPLE__) || defined(_WIN32)
#define CNET_IOC_IN (-2147483647L - 1)
#endif

/**
 * The ioctl command that sets or clears non-blocking mode (for
 * cnet_ioctlsocket).
 *
 * [zh] 设置或清除非阻塞模式的 ioctl 命令（用于 cnet_ioctlsocket）。
 *
 * Ports Nim: nativesockets.FIONBIO
 */
#if defined(__linux__)
#define CNET_FIONBIO 21537L
#elif defined(__APPLE__) || defined(_WIN32)
#define CNET_FIONBIO (-2147195266L)
#endif

/**
 * The ioctl command that reports how many bytes can be read without blocking.
 *
 * [zh] 查询不阻塞即可读取多少字节的 ioctl 命令。
 *
 * cnet addition (no Nim counterpart).
 */
#if defined(__linux__)
#define CNET_FIONREAD 21531L
#elif defined(__APPLE__) || defined(_WIN32)
#define CNET_FIONREAD 1074030207L
#endif

/**
 * The socket-level option level.
 *
 * [zh] 套接字层的选项级别。
 *
 * Ports Nim: nativesockets.SOL_SOCKET
 */
#if defined(__linux__)
#define CNET_SOL_SOCKET 1
#elif defined(__APPLE__) || defined(_WIN32)
#define CNET_SOL_SOCKET 65535
#endif

/**
 * The TCP option level (IPPROTO_TCP).
 *
 * [zh] TCP 选项级别（IPPROTO_TCP）。
 *
 * Ports Nim: nativesockets.IPPROTO_TCP
 */
#define CNET_SOL_TCP 6

/**
 * The IPv4 option level (IPPROTO_IP).
 *
 * [zh] IPv4 选项级别（IPPROTO_IP）。
 *
 * Ports Nim: nativesockets.IPPROTO_IP
 */
#define CNET_SOL_IP 0

/**
 * The IPv6 option level (IPPROTO_IPV6).
 *
 * [zh] IPv6 选项级别（IPPROTO_IPV6）。
 *
 * Ports Nim: nativesockets.IPPROTO_IPV6
 */
#define CNET_SOL_IPV6 41

/**
 * Read-only: whether the socket is listening.
 *
 * [zh] 只读：套接字是否处于监听状态。
 *
 * Ports Nim: nativesockets.SO_ACCEPTCONN
 */
#if defined(__linux__)
#define CNET_SO_ACCEPTCONN 30
#elif defined(__APPLE__) || defined(_WIN32)
#define CNET_SO_ACCEPTCONN 2
#endif

/**
 * Permit sending broadcast datagrams.
 *
 * [zh] 允许发送广播数据报。
 *
 * Ports Nim: nativesockets.SO_BROADCAST
 */
#if defined(__linux__)
#define CNET_SO_BROADCAST 6
#elif defined(__APPLE__) || defined(_WIN32)
#define CNET_SO_BROADCAST 32
#endif

/**
 * Enable socket debugging (needs privileges on Linux).
 *
 * [zh] 启用套接字调试（在 Linux 上需要特权）。
 *
 * Ports Nim: nativesockets.SO_DEBUG
 */
#define CNET_SO_DEBUG 1

/**
 * Bypass routing; send only to directly connected hosts.
 *
 * [zh] 绕过路由，只发送给直接相连的主机。
 *
 * Ports Nim: nativesockets.SO_DONTROUTE
 */
#if defined(__linux__)
#define CNET_SO_DONTROUTE 5
#elif defined(__APPLE__) || defined(_WIN32)
#define CNET_SO_DONTROUTE 16
#endif

/**
 * Send keep-alive probes on an idle connection.
 *
 * [zh] 在空闲连接上发送保活探测。
 *
 * Ports Nim: nativesockets.SO_KEEPALIVE
 */
#if defined(__linux__)
#define CNET_SO_KEEPALIVE 9
#elif defined(__APPLE__) || defined(_WIN32)
#define CNET_SO_KEEPALIVE 8
#endif

/**
 * Deliver out-of-band data in the normal data stream.
 *
 * [zh] 在普通数据流中接收带外数据。
 *
 * Ports Nim: nativesockets.SO_OOBINLINE
 */
#if defined(__linux__)
#define CNET_SO_OOBINLINE 10
#elif defined(__APPLE__) || defined(_WIN32)
#define CNET_SO_OOBINLINE 256
#endif

/**
 * Allow binding an address that is still in TIME_WAIT.
 *
 * [zh] 允许绑定仍处于 TIME_WAIT 状态的地址。
 *
 * Ports Nim: nativesockets.SO_REUSEADDR
 */
#if defined(__linux__)
#define CNET_SO_REUSEADDR 2
#elif defined(__APPLE__) || defined(_WIN32)
#define CNET_SO_REUSEADDR 4
#endif

/**
 * Allow several sockets to bind the same address and port.
 *
 * [zh] 允许多个套接字绑定同一地址和端口。
 *
 * Ports Nim: nativesockets.SO_REUSEPORT
 */
#if defined(__linux__)
#define CNET_SO_REUSEPORT 15
#elif defined(__APPLE__)
#define CNET_SO_REUSEPORT 512
#endif

/**
 * Size of the receive buffer in bytes.
 *
 * [zh] 接收缓冲区的字节数。
 *
 * cnet addition (no Nim counterpart).
 */
#if defined(__linux__)
#define CNET_SO_RCVBUF 8
#elif defined(__APPLE__) || defined(_WIN32)
#define CNET_SO_RCVBUF 4098
#endif

/**
 * Size of the send buffer in bytes.
 *
 * [zh] 发送缓冲区的字节数。
 *
 * cnet addition (no Nim counterpart).
 */
#if defined(__linux__)
#define CNET_SO_SNDBUF 7
#elif defined(__APPLE__) || defined(_WIN32)
#define CNET_SO_SNDBUF 4097
#endif

/**
 * Read-only: the pending socket error, cleared on read.
 *
 * [zh] 只读：挂起的套接字错误，读取后清除。
 *
 * Ports Nim: nativesockets.SO_ERROR
 */
#if defined(__linux__)
#define CNET_SO_ERROR 4
#elif defined(__APPLE__) || defined(_WIN32)
#define CNET_SO_ERROR 4103
#endif

/**
 * Read-only: the socket type (SOCK_STREAM, ...).
 *
 * [zh] 只读：套接字类型（SOCK_STREAM 等）。
 *
 * cnet addition (no Nim counterpart).
 */
#if defined(__linux__)
#define CNET_SO_TYPE 3
#elif defined(__APPLE__) || defined(_WIN32)
#define CNET_SO_TYPE 4104
#endif

/**
 * Disable Nagle's algorithm (level CNET_SOL_TCP).
 *
 * [zh] 禁用 Nagle 算法（级别 CNET_SOL_TCP）。
 *
 * Ports Nim: nativesockets.TCP_NODELAY
 */
#define CNET_TCP_NODELAY 1

/**
 * Restrict an AF_INET6 socket to IPv6 (level CNET_SOL_IPV6).
 *
 * [zh] 限制 AF_INET6 套接字只用 IPv6（级别 CNET_SOL_IPV6）。
 *
 * cnet addition (no Nim counterpart).
 */
#if defined(__linux__)
#define CNET_IPV6_V6ONLY 26
#elif defined(__APPLE__) || defined(_WIN32)
#define CNET_IPV6_V6ONLY 27
#endif

/**
 * Time-to-live of outgoing IPv4 packets (level CNET_SOL_IP).
 *
 * [zh] 发出的 IPv4 数据包的生存时间（级别 CNET_SOL_IP）。
 *
 * cnet addition (no Nim counterpart).
 */
#if defined(__linux__)
#define CNET_IP_TTL 2
#elif defined(__APPLE__) || defined(_WIN32)
#define CNET_IP_TTL 4
#endif

/**
 * A buffer of this many bytes holds any address text cnet writes (IPv6 with
 * scope, or a Unix socket path), with its NUL.
 *
 * [zh] 这个字节数的缓冲区能容纳 cnet 写出的任何地址文本（带范围的 IPv6，或 Unix 套接字路径），含结尾的 NUL。
 *
 * cnet addition (no Nim counterpart).
 */
#define CNET_ADDRSTRLEN 108

/**
 * A buffer of this many bytes holds any port text with its NUL.
 *
 * [zh] 这个字节数的缓冲区能容纳任何端口文本及结尾的 NUL。
 *
 * cnet addition (no Nim counterpart).
 */
#define CNET_PORTSTRLEN 6

/**
 * The default timeout of cnet_select_read and cnet_select_write in Nim, in
 * milliseconds.
 *
 * [zh] Nim 中 cnet_select_read 与 cnet_select_write 的默认超时（毫秒）。
 *
 * cnet addition (no Nim counterpart).
 */
#define CNET_SELECT_DEFAULT_TIMEOUT 500

/* ---------------------------------------------------------------- enums */

/**
 * The address family of a socket (the domain).
 *
 * [zh] 域名，用来指定套接字的协议家族。
 *
 * Ports Nim: nativesockets.Domain
 */
typedef enum cnet_domain {
    /**
     * Unspecified; resolution may return IPv4 and IPv6.
     *
     * [zh] 未指定；解析可返回 IPv4 和 IPv6。
     *
     * Ports Nim: AF_UNSPEC
     */
    CNET_AF_UNSPEC = 0,
    /**
     * For local sockets (using a file).
     *
     * [zh] 用于本地套接字（使用文件）。
     *
     * Ports Nim: AF_UNIX
     */
    CNET_AF_UNIX = 1,
    /**
     * For network protocol IPv4.
     *
     * [zh] 用于 IPv4 网络协议。
     *
     * Ports Nim: AF_INET
     */
    CNET_AF_INET = 2,
    /**
     * For network protocol IPv6.
     *
     * [zh] 用于 IPv6 网络协议。
     *
     * Ports Nim: AF_INET6
     */
#if defined(__linux__)
    CNET_AF_INET6 = 10,
#elif defined(__APPLE__)
    CNET_AF_INET6 = 30,
#elif defined(_WIN32)
    CNET_AF_INET6 = 23,
#endif
} cnet_domain;

/**
 * The second argument of socket(): the transport type.
 *
 * [zh] socket 过程的第二个参数，传输类型。
 *
 * Ports Nim: nativesockets.SockType
 */
typedef enum cnet_sock_type {
    /**
     * Reliable stream-oriented service (stream sockets).
     *
     * [zh] 可靠的面向流的服务（流套接字）。
     *
     * Ports Nim: SOCK_STREAM
     */
    CNET_SOCK_STREAM = 1,
    /**
     * Datagram service (datagram sockets).
     *
     * [zh] 数据报服务（用户数据报）。
     *
     * Ports Nim: SOCK_DGRAM
     */
    CNET_SOCK_DGRAM = 2,
    /**
     * Raw protocols atop the network layer.
     *
     * [zh] 网络层之上的原始协议。
     *
     * Ports Nim: SOCK_RAW
     */
    CNET_SOCK_RAW = 3,
    /**
     * Reliable sequenced packet service.
     *
     * [zh] 可靠的有序分组服务（可靠序列包）。
     *
     * Ports Nim: SOCK_SEQPACKET
     */
    CNET_SOCK_SEQPACKET = 5,
} cnet_sock_type;

/**
 * The third argument of socket(): the protocol.
 *
 * [zh] socket 过程的第三个参数，协议类型。
 *
 * The numeric values are Nim's, not the operating system's;
 * cnet_protocol_to_int maps them.
 *
 * [zh] 数值沿用 Nim 的定义而非操作系统的值；用 cnet_protocol_to_int 转换。
 *
 * Ports Nim: nativesockets.Protocol
 */
typedef enum cnet_protocol {
    /**
     * Transmission control protocol.
     *
     * [zh] 传输控制协议。
     *
     * Ports Nim: IPPROTO_TCP
     */
    CNET_IPPROTO_TCP = 6,
    /**
     * User datagram protocol.
     *
     * [zh] 用户数据报协议。
     *
     * Ports Nim: IPPROTO_UDP
     */
    CNET_IPPROTO_UDP = 17,
    /**
     * Internet protocol (protocol 0: the default for the type).
     *
     * [zh] 网际协议（协议号 0：该类型的默认协议）。
     *
     * Ports Nim: IPPROTO_IP
     */
    CNET_IPPROTO_IP = 18,
    /**
     * Internet Protocol Version 6.
     *
     * [zh] 网际协议第 6 版。
     *
     * Ports Nim: IPPROTO_IPV6
     */
    CNET_IPPROTO_IPV6 = 19,
    /**
     * Raw IP packets protocol.
     *
     * [zh] 原始 IP 数据包协议。
     *
     * Ports Nim: IPPROTO_RAW
     */
    CNET_IPPROTO_RAW = 20,
    /**
     * Internet control message protocol.
     *
     * [zh] 网际控制报文协议。
     *
     * Ports Nim: IPPROTO_ICMP
     */
    CNET_IPPROTO_ICMP = 21,
    /**
     * Internet control message protocol for IPv6.
     *
     * [zh] IPv6 的网际控制报文协议。
     *
     * Ports Nim: IPPROTO_ICMPV6
     */
    CNET_IPPROTO_ICMPV6 = 22,
} cnet_protocol;

/* ---------------------------------------------------------------- types */

/**
 * A port number in host byte order, kept distinct from plain integers.
 *
 * [zh] 端口类型：主机字节序的端口号，与普通整数相区分。
 *
 * Write constants as CNET_PORT(80); convert run-time integers with
 * cnet_port_from_int, which checks the range.
 *
 * [zh] 常量写作 CNET_PORT(80)；运行时的整数用会检查范围的 cnet_port_from_int 转换。
 *
 * Ports Nim: nativesockets.Port
 */
typedef struct cnet_port {
    /** the port number in host byte order / 主机字节序的端口号 */
    uint16_t value;
} cnet_port;

/**
 * Information about a service.
 *
 * [zh] 一个服务的信息。
 *
 * Filled by cnet_get_serv_by_name and cnet_get_serv_by_port; release it with
 * cnet_servent_free.
 *
 * [zh] 由 cnet_get_serv_by_name 和 cnet_get_serv_by_port 填写；用 cnet_servent_free
 * 释放。
 *
 * Ports Nim: nativesockets.Servent
 */
typedef struct cnet_servent {
    /** the official service name / 正式的服务名 */
    char *name;
    /** other names, terminated by NULL / 其他名称，以 NULL 结尾 */
    char **aliases;
    /** the port in host byte order / 主机字节序的端口 */
    cnet_port port;
    /** the protocol, such as "tcp" / 协议，例如 "tcp" */
    char *proto;
} cnet_servent;

/**
 * Information about a given host.
 *
 * [zh] 一个给定主机的信息。
 *
 * Filled by cnet_get_host_by_name and cnet_get_host_by_addr; release it with
 * cnet_hostent_free.
 *
 * [zh] 由 cnet_get_host_by_name 和 cnet_get_host_by_addr 填写；用 cnet_hostent_free
 * 释放。
 *
 * Ports Nim: nativesockets.Hostent
 */
typedef struct cnet_hostent {
    /** the official host name / 正式的主机名 */
    char *name;
    /** other names, terminated by NULL / 其他名称，以 NULL 结尾 */
    char **aliases;
    /** the address family of addr_list / addr_list 的地址族 */
    cnet_domain addrtype;
    /** the length in bytes of one binary address (4 or 16) / 一个二进制地址的字节长度（4 或 16） */
    int length;
    /** the addresses as text, terminated by NULL / 文本形式的地址列表，以 NULL 结尾 */
    char **addr_list;
} cnet_hostent;

/* --------------------------------------------------------------- macros */

/**
 * A cnet_port constant, such as CNET_PORT(7003). For run-time integers use
 * cnet_port_from_int, which checks the range.
 *
 * [zh] cnet_port 常量，例如 CNET_PORT(7003)。运行时的整数请用会检查范围的 cnet_port_from_int。
 *
 * Ports Nim: nativesockets.Port
 */
#define CNET_PORT(n) ((cnet_port){ (uint16_t)(n) })

/* -------------------------------------------------------------- functions */

/**
 * Compares two ports.
 *
 * [zh] 比较两个端口是否相等。
 *
 * @param a a port
 *        [zh] 一个端口
 *
 * @param b another port
 *        [zh] 另一个端口
 *
 * @return true when both hold the same number
 *         [zh] 两者号码相同时为 true
 *
 * Ports Nim: nativesockets.==
 */
CNET_API bool cnet_port_eq(cnet_port a, cnet_port b);

/**
 * Writes the decimal text of a port.
 *
 * [zh] 返回端口号的字符串形式。
 *
 * @param port the port
 *        [zh] 端口
 *
 * @param buf receives the NUL-terminated text
 *        [zh] 接收以 NUL 结尾的文本
 *
 * @param size size of buf; CNET_PORTSTRLEN is always enough
 *        [zh] buf 的大小；CNET_PORTSTRLEN 总是足够
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ERANGE: result does not fit in the buffer
 *
 * Ports Nim: nativesockets.$
 */
CNET_API cnet_err cnet_port_to_string(cnet_port port, char *buf, size_t size);

/**
 * Converts an integer to a port, checking the range 0-65535.
 *
 * [zh] 把整数转换为端口，并检查范围 0-65535。
 *
 * @param value the port number
 *        [zh] 端口号
 *
 * @param out receives the port
 *        [zh] 接收端口
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *
 * @note Differs from Nim: Nim's Port(x) conversion raises a RangeDefect; cnet
 * returns CNET_EINVAL.
 *       [zh] 与 Nim 的不同：Nim 的 Port(x) 转换会抛出 RangeDefect；cnet 返回 CNET_EINVAL。
 *
 * Ports Nim: nativesockets.Port
 */
CNET_API cnet_err cnet_port_from_int(long value, cnet_port *out);

/**
 * Parses decimal port text strictly.
 *
 * [zh] 严格解析十进制端口文本。
 *
 * Accepts 1 to 5 ASCII digits with a value of at most 65535. Signs, spaces,
 * hex, trailing characters and empty text are rejected, never truncated.
 *
 * [zh] 只接受 1 到 5 位 ASCII 数字且值不超过 65535。符号、空格、十六进制、尾随字符和空文本都会被拒绝，而不是被截断。
 *
 * @param text the NUL-terminated text
 *        [zh] 以 NUL 结尾的文本
 *
 * @param out receives the port
 *        [zh] 接收端口
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API cnet_err cnet_port_parse(const char *text, cnet_port *out);

/**
 * Converts a domain to the operating system's constant.
 *
 * [zh] 转换域名为系统依赖的 cint 类型。
 *
 * @param domain the domain
 *        [zh] 域名
 *
 * @return the OS value, or -1 for a value outside cnet_domain
 *         [zh] 操作系统的值；不是 cnet_domain 的值时返回 -1
 *
 * Ports Nim: nativesockets.toInt
 */
CNET_API int cnet_domain_to_int(cnet_domain domain);

/**
 * Converts a socket type to the operating system's constant.
 *
 * [zh] 转换传输类型为系统依赖的 cint 类型。
 *
 * @param type the socket type
 *        [zh] 传输类型
 *
 * @return the OS value, or -1 for a value outside cnet_sock_type
 *         [zh] 操作系统的值；不是 cnet_sock_type 的值时返回 -1
 *
 * Ports Nim: nativesockets.toInt
 */
CNET_API int cnet_sock_type_to_int(cnet_sock_type type);

/**
 * Converts a protocol to the operating system's constant.
 *
 * [zh] 转换协议类型为系统依赖的 cint 类型。
 *
 * @param protocol the protocol
 *        [zh] 协议
 *
 * @return the OS value, or -1 for a value outside cnet_protocol
 *         [zh] 操作系统的值；不是 cnet_protocol 的值时返回 -1
 *
 * Ports Nim: nativesockets.toInt
 */
CNET_API int cnet_protocol_to_int(cnet_protocol protocol);

/**
 * Converts an operating system address family to a cnet_domain.
 *
 * [zh] 把操作系统的地址族转换为 cnet_domain。
 *
 * @param family the OS family, such as AF_INET6
 *        [zh] 操作系统的地址族，例如 AF_INET6
 *
 * @param out receives the domain
 *        [zh] 接收域名
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_EAFNOSUPPORT: address family not supported
 *
 * @note Differs from Nim: Nim returns an empty Option for an unknown family;
 * cnet returns CNET_EAFNOSUPPORT.
 *       [zh] 与 Nim 的不同：对未知地址族 Nim 返回空的 Option；cnet 返回 CNET_EAFNOSUPPORT。
 *
 * Ports Nim: nativesockets.toKnownDomain
 */
CNET_API cnet_err cnet_to_known_domain(int family, cnet_domain *out);

/**
 * The socket type that goes with a protocol.
 *
 * [zh] 与协议相配的套接字类型。
 *
 * @param protocol the protocol
 *        [zh] 协议
 *
 * @return CNET_SOCK_STREAM for TCP, CNET_SOCK_DGRAM for UDP, CNET_SOCK_RAW for
 * everything else
 *         [zh] TCP 返回 CNET_SOCK_STREAM，UDP 返回 CNET_SOCK_DGRAM，其他一律返回 CNET_SOCK_RAW
 *
 * Ports Nim: nativesockets.toSockType
 */
CNET_API cnet_sock_type cnet_to_sock_type(cnet_protocol protocol);

/**
 * Converts a 32-bit number from network to host byte order.
 *
 * [zh] 转换一个 32 位网络序数为主机序数。
 *
 * @param x the number in network order
 *        [zh] 网络序的数
 *
 * @return the number in host order
 *         [zh] 主机序的数
 *
 * @note Differs from Nim: Nim's seed took int32; cnet uses uint32_t like Nim
 * 2.
 *       [zh] 与 Nim 的不同：Nim 早期版本使用 int32；cnet 与 Nim 2 一样使用无符号 32 位。
 *
 * Ports Nim: nativesockets.ntohl
 */
CNET_API uint32_t cnet_ntohl(uint32_t x);

/**
 * Converts a 16-bit number from network to host byte order.
 *
 * [zh] 转换一个 16 位网络序数为主机序数。
 *
 * @param x the number in network order
 *        [zh] 网络序的数
 *
 * @return the number in host order
 *         [zh] 主机序的数
 *
 * Ports Nim: nativesockets.ntohs
 */
CNET_API uint16_t cnet_ntohs(uint16_t x);

/**
 * Converts a 32-bit number from host to network byte order.
 *
 * [zh] 转换一个 32 位主机序数为网络序数。
 *
 * @param x the number in host order
 *        [zh] 主机序的数
 *
 * @return the number in network order
 *         [zh] 网络序的数
 *
 * Ports Nim: nativesockets.htonl
 */
CNET_API uint32_t cnet_htonl(uint32_t x);

/**
 * Converts a 16-bit number from host to network byte order.
 *
 * [zh] 转换一个 16 位主机序数为网络序数。
 *
 * @param x the number in host order
 *        [zh] 主机序的数
 *
 * @return the number in network order
 *         [zh] 网络序的数
 *
 * Ports Nim: nativesockets.htons
 */
CNET_API uint16_t cnet_htons(uint16_t x);

/**
 * Creates a new socket.
 *
 * [zh] 创建一个新的套接字。
 *
 * The socket is created close-on-exec unless inheritable is true.
 *
 * [zh] 除非 inheritable 为 true，否则创建的套接字带有 close-on-exec 标志。
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
 * @param inheritable whether child processes inherit the handle (Nim default:
 * false)
 *        [zh] 子进程是否继承该句柄
 *
 * @param out receives the handle; CNET_INVALID_SOCKET on failure
 *        [zh] 接收句柄；失败时为 CNET_INVALID_SOCKET
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
 * @note Differs from Nim: Nim returns osInvalidSocket on failure without
 * saying why; cnet returns the reason.
 *       [zh] 与 Nim 的不同：Nim 失败时返回 osInvalidSocket 而不说明原因；cnet 返回原因。
 *
 * Ports Nim: nativesockets.createNativeSocket, nativesockets.newNativeSocket
 */
CNET_API cnet_err cnet_create_native_socket(cnet_domain domain, cnet_sock_type type, cnet_protocol protocol, bool inheritable, cnet_socket_handle *out);

/**
 * Creates a new socket from raw operating system constants.
 *
 * [zh] 用操作系统的原始常量创建一个新的套接字。
 *
 * Use this overload if one of the enums does not have the value you need.
 *
 * [zh] 当指定的枚举中没有你需要的类型时，使用此过程重载。
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
 * @param inheritable whether child processes inherit the handle (Nim default:
 * false)
 *        [zh] 子进程是否继承该句柄
 *
 * @param out receives the handle; CNET_INVALID_SOCKET on failure
 *        [zh] 接收句柄；失败时为 CNET_INVALID_SOCKET
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
 * Ports Nim: nativesockets.createNativeSocket, nativesockets.newNativeSocket
 */
CNET_API cnet_err cnet_create_native_socket_int(int domain, int type, int protocol, bool inheritable, cnet_socket_handle *out);

/**
 * Creates a new socket (the seed's name; not inheritable).
 *
 * [zh] 创建一个新的套接字（早期名称；不可继承）。
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
 * @param out receives the handle; CNET_INVALID_SOCKET on failure
 *        [zh] 接收句柄；失败时为 CNET_INVALID_SOCKET
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
 * Ports Nim: nativesockets.newRawSocket
 */
CNET_API cnet_err cnet_new_raw_socket(cnet_domain domain, cnet_sock_type type, cnet_protocol protocol, cnet_socket_handle *out);

/**
 * Creates a new socket from raw operating system constants (the seed's name).
 *
 * [zh] 用操作系统的原始常量创建一个新的套接字（早期名称）。
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
 * @param out receives the handle; CNET_INVALID_SOCKET on failure
 *        [zh] 接收句柄；失败时为 CNET_INVALID_SOCKET
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
 * Ports Nim: nativesockets.newRawSocket
 */
CNET_API cnet_err cnet_new_raw_socket_int(int domain, int type, int protocol, cnet_socket_handle *out);

/**
 * Closes a socket.
 *
 * [zh] 关闭一个套接字。
 *
 * The handle is released even when an error such as EIO is reported, so never
 * close it twice. An interrupted close (EINTR) has released the handle too and
 * counts as success.
 *
 * [zh] 即使报告了 EIO 之类的错误，句柄也已释放，因此不要重复关闭。被中断的关闭（EINTR）同样已释放句柄，视为成功。
 *
 * @param handle the socket
 *        [zh] 套接字
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EBADF: bad or closed socket handle
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * @note Differs from Nim: Nim discards the errors of close(2); cnet reports
 * them.
 *       [zh] 与 Nim 的不同：Nim 丢弃 close(2) 的错误；cnet 会报告它们。
 *
 * Ports Nim: nativesockets.close
 */
CNET_API cnet_err cnet_close(cnet_socket_handle handle);

/**
 * Sets whether child processes inherit the socket.
 *
 * [zh] 设置子进程是否继承该套接字。
 *
 * @param handle the socket
 *        [zh] 套接字
 *
 * @param inheritable true to let children inherit it
 *        [zh] 为 true 时子进程可继承
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EBADF: bad or closed socket handle
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * @note Differs from Nim: Nim returns false on failure; cnet returns the
 * reason.
 *       [zh] 与 Nim 的不同：Nim 失败时返回 false；cnet 返回原因。
 *
 * Ports Nim: nativesockets.setInheritable
 */
CNET_API cnet_err cnet_set_inheritable(cnet_socket_handle handle, bool inheritable);

/**
 * Binds a socket to an address.
 *
 * [zh] 把套接字绑定到一个地址。
 *
 * @param handle the socket
 *        [zh] 套接字
 *
 * @param name the address
 *        [zh] 地址
 *
 * @param namelen the length of the address
 *        [zh] 地址的长度
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EBADF: bad or closed socket handle
 *         CNET_EINVAL: invalid argument
 *         CNET_EADDRINUSE: address already in use
 *         CNET_EADDRNOTAVAIL: address not available
 *         CNET_EAFNOSUPPORT: address family not supported
 *         CNET_EACCES: permission denied
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * @note Differs from Nim: Nim returns the raw result of bind(2); cnet returns
 * a cnet_err.
 *       [zh] 与 Nim 的不同：Nim 返回 bind(2) 的原始结果；cnet 返回 cnet_err。
 *
 * Ports Nim: nativesockets.bindAddr
 */
CNET_API cnet_err cnet_bind_addr(cnet_socket_handle handle, const struct sockaddr *name, cnet_socklen namelen);

/**
 * Marks the socket as accepting connections.
 *
 * [zh] 标记套接字作为监听连接端。
 *
 * backlog is the maximum length of the queue of pending connections.
 *
 * [zh] backlog 指定最大连接排队数量。
 *
 * @param handle the socket
 *        [zh] 套接字
 *
 * @param backlog the queue length (Nim default: CNET_SOMAXCONN)
 *        [zh] 连接队列长度
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EBADF: bad or closed socket handle
 *         CNET_EINVAL: invalid argument
 *         CNET_EADDRINUSE: address already in use
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: nativesockets.listen
 */
CNET_API cnet_err cnet_listen(cnet_socket_handle handle, int backlog);

/**
 * Accepts a connection on a listening socket.
 *
 * [zh] 在监听套接字上接受一个连接。
 *
 * Blocks until a client connects (unless the socket is non-blocking). The
 * client's address is written as text, IPv4 dotted, IPv6 in RFC 5952 form,
 * Unix sockets as their path or "unix".
 *
 * [zh] 阻塞直到有客户连接（除非套接字为非阻塞）。客户地址以文本写出：IPv4 为点分十进制，IPv6 为 RFC 5952 形式，Unix
 * 套接字为其路径或 "unix"。
 *
 * @param handle the listening socket
 *        [zh] 监听套接字
 *
 * @param inheritable whether child processes inherit the new handle (Nim
 * default: false)
 *        [zh] 子进程是否继承新句柄
 *
 * @param client receives the client handle; CNET_INVALID_SOCKET on failure
 *        [zh] 接收客户句柄；失败时为 CNET_INVALID_SOCKET
 *
 * @param address receives the client's address text; may be NULL
 *        [zh] 接收客户地址文本；可为 NULL
 *
 * @param address_size size of address (CNET_ADDRSTRLEN is enough)
 *        [zh] address 的大小（CNET_ADDRSTRLEN 足够）
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EBADF: bad or closed socket handle
 *         CNET_EINVAL: invalid argument
 *         CNET_EWOULDBLOCK: operation would block
 *         CNET_ECONNABORTED: connection aborted
 *         CNET_EMFILE: too many open sockets or files
 *         CNET_ENOBUFS: no buffer space available
 *         CNET_ENOMEM: out of memory
 *         CNET_ERANGE: result does not fit in the buffer
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * @note Differs from Nim: Nim returns "0.0.0.0" for IPv6 peers; cnet returns
 * the real address.
 *       [zh] 与 Nim 的不同：对 IPv6 对端 Nim 返回 "0.0.0.0"；cnet 返回真实地址。
 *
 * Ports Nim: nativesockets.accept
 */
CNET_API cnet_err cnet_accept(cnet_socket_handle handle, bool inheritable, cnet_socket_handle *client, char *address, size_t address_size);

/**
 * Resolves an address and port (getaddrinfo).
 *
 * [zh] 解析地址和端口（getaddrinfo）。
 *
 * For CNET_AF_INET6 IPv4-mapped results are allowed (AI_V4MAPPED), like Nim.
 * Release the result with cnet_free_addr_info. For CNET_SOCK_RAW no service is
 * passed.
 *
 * [zh] 对于 CNET_AF_INET6 允许 IPv4 映射结果（AI_V4MAPPED），与 Nim 相同。结果必须用
 * cnet_free_addr_info 释放。对于 CNET_SOCK_RAW 不传服务名。
 *
 * @param address a host name or address literal
 *        [zh] 主机名或地址字面量
 *
 * @param port the port
 *        [zh] 端口
 *
 * @param domain the address family wanted (Nim default: CNET_AF_INET)
 *        [zh] 想要的地址族
 *
 * @param type the socket type (Nim default: CNET_SOCK_STREAM)
 *        [zh] 套接字类型
 *
 * @param protocol the protocol (Nim default: CNET_IPPROTO_TCP)
 *        [zh] 协议
 *
 * @param out receives the list; NULL on failure
 *        [zh] 接收结果链表；失败时为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTFOUND: host, service or protocol not found
 *         CNET_EAGAIN_DNS: temporary failure in name resolution
 *         CNET_EDNS: non-recoverable failure in name resolution
 *         CNET_EAFNOSUPPORT: address family not supported
 *         CNET_EPROTONOSUPPORT: protocol or socket type not supported
 *         CNET_ENOMEM: out of memory
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * @note Differs from Nim: Nim's seed released the list with dealloc; cnet,
 * like Nim 2, has cnet_free_addr_info.
 *       [zh] 与 Nim 的不同：Nim 早期版本用 dealloc 释放链表；cnet 与 Nim 2 一样提供 cnet_free_addr_info。
 *
 * Ports Nim: nativesockets.getAddrInfo
 */
CNET_API cnet_err cnet_get_addr_info(const char *address, cnet_port port, cnet_domain domain, cnet_sock_type type, cnet_protocol protocol, struct addrinfo **out);

/**
 * Releases a list returned by cnet_get_addr_info.
 *
 * [zh] 释放 cnet_get_addr_info 返回的链表。
 *
 * @param ai the list; NULL is ignored
 *        [zh] 链表；NULL 被忽略
 *
 * Ports Nim: nativesockets.freeAddrInfo, nativesockets.dealloc
 */
CNET_API void cnet_free_addr_info(struct addrinfo *ai);

/**
 * Looks up a service by name and protocol.
 *
 * [zh] 按名称和协议查找服务。
 *
 * Searches the database from the beginning and finds the first entry whose
 * name matches name and whose protocol matches proto. On POSIX this searches
 * /etc/services. Thread-safe.
 *
 * [zh] 从头搜索数据库，找到第一个服务名与 name 匹配、协议与 proto 匹配的条目。在 POSIX 上搜索 /etc/services
 * 文件。线程安全。
 *
 * @param name the service name
 *        [zh] 服务名
 *
 * @param proto the protocol name, such as "tcp"
 *        [zh] 协议名，例如 "tcp"
 *
 * @param out receives the entry; release it with cnet_servent_free
 *        [zh] 接收条目；用 cnet_servent_free 释放
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTFOUND: host, service or protocol not found
 *         CNET_ENOMEM: out of memory
 *
 * @note Differs from Nim: The port is in host byte order; Nim returns it in
 * network order ("http" comes back as 20480).
 *       [zh] 与 Nim 的不同：端口为主机字节序；Nim 返回网络字节序（"http" 返回 20480）。
 *
 * Ports Nim: nativesockets.getServByName
 */
CNET_API cnet_err cnet_get_serv_by_name(const char *name, const char *proto, cnet_servent *out);

/**
 * Looks up a service by port and protocol.
 *
 * [zh] 按端口和协议查找服务。
 *
 * Searches the database from the beginning and finds the first entry whose
 * port matches port and whose protocol matches proto. On POSIX this searches
 * /etc/services. Thread-safe.
 *
 * [zh] 从头搜索数据库，找到第一个端口与 port 匹配、协议与 proto 匹配的条目。在 POSIX 上搜索 /etc/services
 * 文件。线程安全。
 *
 * @param port the port in host byte order
 *        [zh] 主机字节序的端口
 *
 * @param proto the protocol name, such as "tcp"
 *        [zh] 协议名，例如 "tcp"
 *
 * @param out receives the entry; release it with cnet_servent_free
 *        [zh] 接收条目；用 cnet_servent_free 释放
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTFOUND: host, service or protocol not found
 *         CNET_ENOMEM: out of memory
 *
 * @note Differs from Nim: The port is taken and returned in host byte order;
 * Nim expects and returns network order.
 *       [zh] 与 Nim 的不同：端口以主机字节序传入和返回；Nim 要求并返回网络字节序。
 *
 * Ports Nim: nativesockets.getServByPort
 */
CNET_API cnet_err cnet_get_serv_by_port(cnet_port port, const char *proto, cnet_servent *out);

/**
 * Releases what cnet_get_serv_by_name or cnet_get_serv_by_port stored in a
 * cnet_servent.
 *
 * [zh] 释放 cnet_get_serv_by_name 或 cnet_get_serv_by_port 存入 cnet_servent 的内容。
 *
 * @param s the entry; NULL is ignored; the struct is zeroed
 *        [zh] 条目；NULL 被忽略；结构体被清零
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API void cnet_servent_free(cnet_servent *s);

/**
 * Finds the host name of an IP address.
 *
 * [zh] 查找 IP 地址对应的主机名。
 *
 * @param ip an IPv4 or IPv6 address literal
 *        [zh] IPv4 或 IPv6 地址字面量
 *
 * @param out receives the entry; release it with cnet_hostent_free
 *        [zh] 接收条目；用 cnet_hostent_free 释放
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTFOUND: host, service or protocol not found
 *         CNET_EAGAIN_DNS: temporary failure in name resolution
 *         CNET_EDNS: non-recoverable failure in name resolution
 *         CNET_ENOMEM: out of memory
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: nativesockets.getHostByAddr
 */
CNET_API cnet_err cnet_get_host_by_addr(const char *ip, cnet_hostent *out);

/**
 * Finds the IP addresses of a host name.
 *
 * [zh] 查找主机名对应的 IP 地址。
 *
 * Thread-safe, unlike Nim's, which uses gethostbyname. IPv4 addresses are
 * returned when the host has any, otherwise IPv6 ones.
 *
 * [zh] 与使用 gethostbyname 的 Nim 不同，它是线程安全的。主机有 IPv4 地址时返回 IPv4 地址，否则返回 IPv6 地址。
 *
 * @param name the host name
 *        [zh] 主机名
 *
 * @param out receives the entry; release it with cnet_hostent_free
 *        [zh] 接收条目；用 cnet_hostent_free 释放
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTFOUND: host, service or protocol not found
 *         CNET_EAGAIN_DNS: temporary failure in name resolution
 *         CNET_EDNS: non-recoverable failure in name resolution
 *         CNET_ENOMEM: out of memory
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * @note Differs from Nim: Thread-safe and falls back to IPv6; Nim's is not
 * reentrant and IPv4 only.
 *       [zh] 与 Nim 的不同：线程安全，并在没有 IPv4 地址时回退到 IPv6；Nim 的版本不可重入且只支持 IPv4。
 *
 * Ports Nim: nativesockets.getHostByName
 */
CNET_API cnet_err cnet_get_host_by_name(const char *name, cnet_hostent *out);

/**
 * Releases what a host lookup stored in a cnet_hostent.
 *
 * [zh] 释放主机查询存入 cnet_hostent 的内容。
 *
 * @param h the entry; NULL is ignored; the struct is zeroed
 *        [zh] 条目；NULL 被忽略；结构体被清零
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API void cnet_hostent_free(cnet_hostent *h);

/**
 * Looks up a protocol number by name (getprotobyname).
 *
 * [zh] 按名称查找协议号（getprotobyname）。
 *
 * @param name the protocol name, such as "tcp"
 *        [zh] 协议名，例如 "tcp"
 *
 * @param out receives the protocol number
 *        [zh] 接收协议号
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTFOUND: host, service or protocol not found
 *
 * Ports Nim: nativesockets.getProtoByName
 */
CNET_API cnet_err cnet_get_proto_by_name(const char *name, int *out);

/**
 * Writes this machine's host name.
 *
 * [zh] 写出本机的主机名。
 *
 * @param buf receives the NUL-terminated name
 *        [zh] 接收以 NUL 结尾的名称
 *
 * @param size size of buf (256 is enough)
 *        [zh] buf 的大小（256 足够）
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ERANGE: result does not fit in the buffer
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: nativesockets.getHostname
 */
CNET_API cnet_err cnet_get_hostname(char *buf, size_t size);

/**
 * Writes the text form of a socket address.
 *
 * [zh] 写出套接字地址的文本形式。
 *
 * IPv4 is dotted decimal, IPv6 follows RFC 5952 (IPv4-mapped as
 * ::ffff:a.b.c.d) with "%scope" when a scope id is set; AF_UNIX gives its
 * path, or "unix" when unnamed.
 *
 * [zh] IPv4 为点分十进制；IPv6 遵循 RFC 5952（IPv4 映射地址写作 ::ffff:a.b.c.d），有范围 id 时带
 * "%scope"；AF_UNIX 给出其路径，无名时为 "unix"。
 *
 * @param addr the address
 *        [zh] 地址
 *
 * @param addrlen the length of addr
 *        [zh] addr 的长度
 *
 * @param buf receives the NUL-terminated text
 *        [zh] 接收以 NUL 结尾的文本
 *
 * @param size size of buf (CNET_ADDRSTRLEN is enough)
 *        [zh] buf 的大小（CNET_ADDRSTRLEN 足够）
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_EAFNOSUPPORT: address family not supported
 *         CNET_ERANGE: result does not fit in the buffer
 *
 * @note Differs from Nim: Nim strips "::ffff:" from IPv4-mapped addresses here
 * but not in getPeerAddr; cnet formats every address the same way everywhere.
 *       [zh] 与 Nim 的不同：Nim 在这里去掉 IPv4 映射地址的 "::ffff:"，而 getPeerAddr 不去掉；cnet 在所有地方以同一方式格式化地址。
 *
 * Ports Nim: nativesockets.getAddrString
 */
CNET_API cnet_err cnet_get_addr_string(const struct sockaddr *addr, cnet_socklen addrlen, char *buf, size_t size);

/**
 * Fills in the AF_UNIX socket address of a path.
 *
 * [zh] 填写一个路径的 AF_UNIX 套接字地址。
 *
 * The address and its length (the family, the path and its NUL) go as they are
 * to cnet_bind_addr, cnet_connect or sendto. The path must have 1 to
 * sizeof(sun_path) - 1 bytes (107 on Linux and Windows, 103 on macOS); it is
 * copied up to its NUL, so abstract (Linux) names cannot be made here.
 *
 * [zh] 得到的地址及其长度（地址族、路径及其 NUL）可直接交给 cnet_bind_addr、cnet_connect 或 sendto。路径须有
 * 1 到 sizeof(sun_path) - 1 个字节（Linux 和 Windows 为 107，macOS 为 103）；复制到其 NUL
 * 为止，因此这里不能构造（Linux 的）抽象名称。
 *
 * @param path the file system path
 *        [zh] 文件系统路径
 *
 * @param out receives the sockaddr_un (zero-filled beyond the path)
 *        [zh] 接收 sockaddr_un（路径之后以零填充）
 *
 * @param len receives the length to pass with it
 *        [zh] 接收随地址一起传递的长度
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENAMETOOLONG: name too long
 *         CNET_ENOTSUP: operation not supported here
 *
 * @note Differs from Nim: Nim returns a Sockaddr_un and exists only on POSIX,
 * raises ValueError for a path too long and accepts an empty one; cnet fills a
 * sockaddr_storage and gives its length, returns CNET_ENAMETOOLONG, and
 * CNET_EINVAL for an empty path (an unnamed address binds to nothing useful).
 * It also exists on Windows (AF_UNIX since Windows 10 1803; CNET_ENOTSUP where
 * the headers lack it).
 *       [zh] 与 Nim 的不同：Nim 返回 Sockaddr_un，只存在于 POSIX，路径过长时抛出 ValueError，并接受空路径；cnet 填写 sockaddr_storage 并给出其长度，路径过长返回 CNET_ENAMETOOLONG，空路径返回 CNET_EINVAL（无名地址绑定不到有用的东西）。它在 Windows 上也存在（Windows 10 1803 起支持 AF_UNIX；头文件缺少它时返回 CNET_ENOTSUP）。
 *
 * Ports Nim: nativesockets.makeUnixAddr
 */
CNET_API cnet_err cnet_make_unix_addr(const char *path, struct sockaddr_storage *out, cnet_socklen *len);

/**
 * The address family of a socket.
 *
 * [zh] 套接字的地址族。
 *
 * @param handle the socket
 *        [zh] 套接字
 *
 * @param out receives the domain
 *        [zh] 接收域名
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EBADF: bad or closed socket handle
 *         CNET_EINVAL: invalid argument
 *         CNET_EAFNOSUPPORT: address family not supported
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: nativesockets.getSockDomain
 */
CNET_API cnet_err cnet_get_sock_domain(cnet_socket_handle handle, cnet_domain *out);

/**
 * The local port of a socket.
 *
 * [zh] 返回套接字的端口。
 *
 * @param handle the socket
 *        [zh] 套接字
 *
 * @param out receives the port
 *        [zh] 接收端口
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EBADF: bad or closed socket handle
 *         CNET_EINVAL: invalid argument
 *         CNET_EAFNOSUPPORT: address family not supported
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * @note Differs from Nim: Works for IPv6 sockets too; Nim reads the port
 * through a sockaddr_in.
 *       [zh] 与 Nim 的不同：对 IPv6 套接字同样有效；Nim 通过 sockaddr_in 读取端口。
 *
 * Ports Nim: nativesockets.getSockName
 */
CNET_API cnet_err cnet_get_sock_name(cnet_socket_handle handle, cnet_port *out);

/**
 * The local address and port of a socket.
 *
 * [zh] 套接字的本地地址和端口。
 *
 * @param handle the socket
 *        [zh] 套接字
 *
 * @param address receives the address text
 *        [zh] 接收地址文本
 *
 * @param address_size size of address (CNET_ADDRSTRLEN is enough)
 *        [zh] address 的大小（CNET_ADDRSTRLEN 足够）
 *
 * @param port receives the port (0 for AF_UNIX); may be NULL
 *        [zh] 接收端口（AF_UNIX 为 0）；可为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EBADF: bad or closed socket handle
 *         CNET_EINVAL: invalid argument
 *         CNET_EAFNOSUPPORT: address family not supported
 *         CNET_ERANGE: result does not fit in the buffer
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * @note Differs from Nim: The family is read from the socket, so Nim's domain
 * argument is gone; AF_UNIX works too.
 *       [zh] 与 Nim 的不同：地址族从套接字本身读取，因此去掉了 Nim 的 domain 参数；也支持 AF_UNIX。
 *
 * Ports Nim: nativesockets.getLocalAddr
 */
CNET_API cnet_err cnet_get_local_addr(cnet_socket_handle handle, char *address, size_t address_size, cnet_port *port);

/**
 * The address and port of the connected peer.
 *
 * [zh] 已连接对端的地址和端口。
 *
 * @param handle the socket
 *        [zh] 套接字
 *
 * @param address receives the address text
 *        [zh] 接收地址文本
 *
 * @param address_size size of address (CNET_ADDRSTRLEN is enough)
 *        [zh] address 的大小（CNET_ADDRSTRLEN 足够）
 *
 * @param port receives the port (0 for AF_UNIX); may be NULL
 *        [zh] 接收端口（AF_UNIX 为 0）；可为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EBADF: bad or closed socket handle
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTCONN: socket is not connected
 *         CNET_EAFNOSUPPORT: address family not supported
 *         CNET_ERANGE: result does not fit in the buffer
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * @note Differs from Nim: The family is read from the socket, so Nim's domain
 * argument is gone; AF_UNIX works too.
 *       [zh] 与 Nim 的不同：地址族从套接字本身读取，因此去掉了 Nim 的 domain 参数；也支持 AF_UNIX。
 *
 * Ports Nim: nativesockets.getPeerAddr
 */
CNET_API cnet_err cnet_get_peer_addr(cnet_socket_handle handle, char *address, size_t address_size, cnet_port *port);

/**
 * getsockopt for integer options.
 *
 * [zh] 用于整数选项的 getsockopt。
 *
 * @param handle the socket
 *        [zh] 套接字
 *
 * @param level the level, such as CNET_SOL_SOCKET
 *        [zh] 级别，例如 CNET_SOL_SOCKET
 *
 * @param optname the option, such as CNET_SO_RCVBUF
 *        [zh] 选项，例如 CNET_SO_RCVBUF
 *
 * @param out receives the value
 *        [zh] 接收选项值
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EBADF: bad or closed socket handle
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOPROTOOPT: protocol option not available
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: nativesockets.getSockOptInt
 */
CNET_API cnet_err cnet_get_sock_opt_int(cnet_socket_handle handle, int level, int optname, int *out);

/**
 * setsockopt for integer options.
 *
 * [zh] 用于整数选项的 setsockopt。
 *
 * @param handle the socket
 *        [zh] 套接字
 *
 * @param level the level, such as CNET_SOL_SOCKET
 *        [zh] 级别，例如 CNET_SOL_SOCKET
 *
 * @param optname the option, such as CNET_SO_RCVBUF
 *        [zh] 选项，例如 CNET_SO_RCVBUF
 *
 * @param value the value
 *        [zh] 选项值
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EBADF: bad or closed socket handle
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOPROTOOPT: protocol option not available
 *         CNET_EACCES: permission denied
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: nativesockets.setSockOptInt
 */
CNET_API cnet_err cnet_set_sock_opt_int(cnet_socket_handle handle, int level, int optname, int value);

/**
 * Sets blocking mode on a socket.
 *
 * [zh] 设置套接字阻塞模式。
 *
 * A non-blocking socket's receives, sends and accepts answer CNET_EWOULDBLOCK
 * instead of waiting, on every backend: io_uring, which waits even on a
 * non-blocking socket, serves a handle made non-blocking here (or with
 * cnet_ioctlsocket(CNET_FIONBIO), or created with SOCK_NONBLOCK) through plain
 * system calls. A handle made non-blocking behind cnet's back, with fcntl,
 * still waits on io_uring (accept excepted): use this function.
 *
 * [zh] 在所有后端上，非阻塞套接字的接收、发送和 accept 都返回 CNET_EWOULDBLOCK 而不是等待：io_uring
 * 即使在非阻塞套接字上也会等待，因此 io_uring 后端对在这里（或用 cnet_ioctlsocket(CNET_FIONBIO)，或创建时带
 * SOCK_NONBLOCK）设为非阻塞的句柄改用普通系统调用。绕过 cnet 用 fcntl 设为非阻塞的句柄在 io_uring
 * 上仍会等待（accept 除外）：请使用本函数。
 *
 * @param handle the socket
 *        [zh] 套接字
 *
 * @param blocking true for blocking, false for non-blocking
 *        [zh] true 为阻塞，false 为非阻塞
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EBADF: bad or closed socket handle
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * Ports Nim: nativesockets.setBlocking
 */
CNET_API cnet_err cnet_set_blocking(cnet_socket_handle handle, bool blocking);

/**
 * Controls the I/O mode of a socket (Winsock's ioctlsocket).
 *
 * [zh] 控制套接字的 I/O 模式（Winsock 的 ioctlsocket）。
 *
 * On Windows this is ioctlsocket itself. Elsewhere CNET_FIONBIO and
 * CNET_FIONREAD are supported and any other command gives CNET_ENOTSUP.
 *
 * [zh] 在 Windows 上就是 ioctlsocket 本身。在其他平台上支持 CNET_FIONBIO 和
 * CNET_FIONREAD，其他命令返回 CNET_ENOTSUP。
 *
 * @param handle the socket
 *        [zh] 套接字
 *
 * @param cmd the command, such as CNET_FIONBIO
 *        [zh] 命令，例如 CNET_FIONBIO
 *
 * @param argp the command's argument
 *        [zh] 命令的参数
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EBADF: bad or closed socket handle
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * @note Differs from Nim: Nim declares it on Windows only; cnet offers the two
 * portable commands everywhere.
 *       [zh] 与 Nim 的不同：Nim 只在 Windows 上声明它；cnet 在所有平台上提供两个可移植的命令。
 *
 * Ports Nim: nativesockets.ioctlsocket
 */
CNET_API cnet_err cnet_ioctlsocket(cnet_socket_handle handle, long cmd, unsigned long *argp);

/**
 * Waits until some of the sockets are readable.
 *
 * [zh] 等待直到其中一些套接字可读。
 *
 * On return the first *count entries of handles are the readable ones, in
 * their original order; the others are removed, as Nim removes them from its
 * seq. A timeout is not an error (*count becomes 0). Uses poll, so any handle
 * value works (no FD_SETSIZE limit).
 *
 * [zh] 返回时 handles 的前 *count 个元素就是可读的句柄，保持原顺序；其余的被移除，与 Nim 从 seq
 * 中移除它们相同。超时不是错误（*count 变为 0）。使用 poll 实现，因此任何句柄值都可以（没有 FD_SETSIZE 限制）。
 *
 * @param handles the sockets to watch
 *        [zh] 要监视的套接字
 *
 * @param count in: how many handles; out: how many are readable
 *        [zh] 输入：句柄个数；输出：可读的个数
 *
 * @param timeout milliseconds to wait; -1 waits forever, 0 polls (Nim default:
 * CNET_SELECT_DEFAULT_TIMEOUT)
 *        [zh] 等待的毫秒数；-1 表示无限等待，0 表示只查询
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_EBADF: bad or closed socket handle
 *         CNET_ENOMEM: out of memory
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * @note Differs from Nim: Nim uses select() and corrupts memory for handles >=
 * FD_SETSIZE (1024); cnet uses poll.
 *       [zh] 与 Nim 的不同：Nim 使用 select()，句柄 >= FD_SETSIZE（1024）时会破坏内存；cnet 使用 poll。
 *
 * Ports Nim: nativesockets.select, nativesockets.selectRead
 */
CNET_API cnet_err cnet_select_read(cnet_socket_handle *handles, size_t *count, int timeout);

/**
 * Waits until some of the sockets are writable.
 *
 * [zh] 等待直到其中一些套接字可写。
 *
 * On return the first *count entries of handles are the writable ones, in
 * their original order. A timeout is not an error (*count becomes 0). Uses
 * poll (no FD_SETSIZE limit).
 *
 * [zh] 返回时 handles 的前 *count 个元素就是可写的句柄，保持原顺序。超时不是错误（*count 变为 0）。使用 poll（没有
 * FD_SETSIZE 限制）。
 *
 * @param handles the sockets to watch
 *        [zh] 要监视的套接字
 *
 * @param count in: how many handles; out: how many are writable
 *        [zh] 输入：句柄个数；输出：可写的个数
 *
 * @param timeout milliseconds to wait; -1 waits forever, 0 polls (Nim default:
 * CNET_SELECT_DEFAULT_TIMEOUT)
 *        [zh] 等待的毫秒数；-1 表示无限等待，0 表示只查询
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_EBADF: bad or closed socket handle
 *         CNET_ENOMEM: out of memory
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * @note Differs from Nim: Nim uses select() and corrupts memory for handles >=
 * FD_SETSIZE (1024); cnet uses poll.
 *       [zh] 与 Nim 的不同：Nim 使用 select()，句柄 >= FD_SETSIZE（1024）时会破坏内存；cnet 使用 poll。
 *
 * Ports Nim: nativesockets.selectWrite
 */
CNET_API cnet_err cnet_select_write(cnet_socket_handle *handles, size_t *count, int timeout);

#ifdef __cplusplus
}
#endif

#endif /* CNET_NATIVESOCKETS_H */
