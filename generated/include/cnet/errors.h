/* generated from spec/async.yaml, spec/core.yaml, spec/errors.yaml, spec/ipaddr.yaml, spec/nativesockets.yaml, spec/net.yaml, spec/platforms.yaml, spec/tls.yaml by codegen/templates/errors.h.j2 - do not edit; regenerate with `make regen` */
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
    /** address text is empty / 地址文本为空 */
    CNET_EADDR_EMPTY = 100,
    /** invalid character in address text / 地址文本中有无效字符 */
    CNET_EADDR_CHAR = 101,
    /** IPv4 part has a leading zero / IPv4 段有前导零 */
    CNET_EADDR_LEADING_ZERO = 102,
    /** IPv4 part is greater than 255 / IPv4 段大于 255 */
    CNET_EADDR_OCTET_RANGE = 103,
    /** IPv4 part is empty / IPv4 段为空 */
    CNET_EADDR_EMPTY_PART = 104,
    /** IPv4 address has fewer than four parts / IPv4 地址少于四段 */
    CNET_EADDR_TOO_FEW_PARTS = 105,
    /** IPv4 address has more than four parts / IPv4 地址多于四段 */
    CNET_EADDR_TOO_MANY_PARTS = 106,
    /** IPv6 group has more than four hex digits / IPv6 组的十六进制数字多于四位 */
    CNET_EADDR_GROUP_TOO_LONG = 107,
    /** IPv6 address has more than one "::" / IPv6 地址含有多于一个 "::" */
    CNET_EADDR_DOUBLE_COLON = 108,
    /** IPv6 address has a lone ":" at its start or end, or ":::" / IPv6 地址的开头或结尾有单独的 ":"，或含有 ":::" */
    CNET_EADDR_COLON = 109,
    /** IPv6 address has fewer than eight groups and no "::" / IPv6 地址少于八组且没有 "::" */
    CNET_EADDR_TOO_FEW_GROUPS = 110,
    /** IPv6 address has more than eight groups (a "::" stands for at least one) / IPv6 地址多于八组（"::" 至少代表一组） */
    CNET_EADDR_TOO_MANY_GROUPS = 111,
    /** embedded IPv4 address is not at the end of the IPv6 address / 内嵌的 IPv4 地址不在 IPv6 地址的末尾 */
    CNET_EADDR_DOTTED_MISPLACED = 112,
    /** zone id ("%...") is not accepted here / 此处不接受区域标识（"%..."） */
    CNET_EADDR_ZONE = 113,
    /** zone id is empty or malformed / 区域标识为空或格式错误 */
    CNET_EADDR_BAD_ZONE = 114,
    /** no network interface has the zone's name / 没有与区域名称同名的网络接口 */
    CNET_EADDR_UNKNOWN_ZONE = 115,
    /** brackets ("[::1]") are URL syntax, not part of an address / 方括号（"[::1]"）属于 URL 语法，不是地址的一部分 */
    CNET_EADDR_BRACKET = 116,
    /** prefix length ("/n") is not part of an address / 前缀长度（"/n"）不是地址的一部分 */
    CNET_EADDR_PREFIX = 117,
    /** port (":n") is not part of an address / 端口（":n"）不是地址的一部分 */
    CNET_EADDR_PORT = 118,
    /** the socket has been closed / 套接字已被关闭 */
    CNET_ECLOSED = 150,
    /** the frame is longer than the allowed maximum / 帧长度超过允许的最大值 */
    CNET_EFRAME_TOO_LARGE = 151,
    /** the frame length prefix is malformed / 帧长度前缀格式错误 */
    CNET_EFRAME_MALFORMED = 152,
    /** the datagram was longer than the buffer and was truncated / 数据报比缓冲区长，已被截断 */
    CNET_ETRUNCATED = 153,
    /** the peer closed the connection / 对端已关闭连接 */
    CNET_EEOF = 154,
    /** another thread is reading (or writing) this socket / 另一个线程正在读（或写）这个套接字 */
    CNET_EBUSY = 155,
    /** TLS error / TLS 错误 */
    CNET_ETLS = 200,
    /** the TLS handshake failed / TLS 握手失败 */
    CNET_ETLS_HANDSHAKE = 201,
    /** the peer's certificate failed verification / 对端证书验证失败 */
    CNET_ETLS_VERIFY = 202,
    /** the peer's certificate does not match the host name or address / 对端证书与主机名或地址不匹配 */
    CNET_ETLS_HOSTNAME = 203,
    /** the peer's certificate has expired or is not yet valid / 对端证书已过期或尚未生效 */
    CNET_ETLS_EXPIRED = 204,
    /** the peer's certificate is not issued by a trusted CA (self-signed or unknown issuer) / 对端证书不是由受信任的 CA 签发的（自签名或签发者未知） */
    CNET_ETLS_UNTRUSTED = 205,
    /** the peer closed the connection without a TLS close_notify (possible truncation attack) / 对端未发送 TLS close_notify 就关闭了连接（可能是截断攻击） */
    CNET_ETLS_TRUNCATED = 206,
    /** the peer violated the TLS protocol or does not speak TLS / 对端违反了 TLS 协议或不使用 TLS */
    CNET_ETLS_PROTOCOL = 207,
    /** no TLS version that both sides accept / 双方没有都接受的 TLS 版本 */
    CNET_ETLS_VERSION = 208,
    /** a certificate, key or CA file could not be loaded / 无法加载证书、私钥或 CA 文件 */
    CNET_ETLS_FILE = 209,
    /** no trusted CA certificates were found to verify the peer / 找不到用于验证对端的受信任 CA 证书 */
    CNET_ETLS_NO_CA = 210,
    /** the socket is not a TLS socket / 该套接字不是 TLS 套接字 */
    CNET_ETLS_NOT_TLS = 211,
    /** no application protocol (ALPN) in common with the peer / 与对端没有共同的应用层协议（ALPN） */
    CNET_ETLS_ALPN = 212,
    /** the peer rejected the TLS connection with an alert / 对端以 TLS 警报拒绝了连接 */
    CNET_ETLS_PEER_ALERT = 213,
    /** the peer's public key matches none of the pinned keys / 对端的公钥与所有固定的公钥都不匹配 */
    CNET_ETLS_PIN = 214,
    /** the operation was cancelled / 操作已被取消 */
    CNET_ECANCELED = 250,
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
    X(CNET_EOS, 99) \
    X(CNET_EADDR_EMPTY, 100) \
    X(CNET_EADDR_CHAR, 101) \
    X(CNET_EADDR_LEADING_ZERO, 102) \
    X(CNET_EADDR_OCTET_RANGE, 103) \
    X(CNET_EADDR_EMPTY_PART, 104) \
    X(CNET_EADDR_TOO_FEW_PARTS, 105) \
    X(CNET_EADDR_TOO_MANY_PARTS, 106) \
    X(CNET_EADDR_GROUP_TOO_LONG, 107) \
    X(CNET_EADDR_DOUBLE_COLON, 108) \
    X(CNET_EADDR_COLON, 109) \
    X(CNET_EADDR_TOO_FEW_GROUPS, 110) \
    X(CNET_EADDR_TOO_MANY_GROUPS, 111) \
    X(CNET_EADDR_DOTTED_MISPLACED, 112) \
    X(CNET_EADDR_ZONE, 113) \
    X(CNET_EADDR_BAD_ZONE, 114) \
    X(CNET_EADDR_UNKNOWN_ZONE, 115) \
    X(CNET_EADDR_BRACKET, 116) \
    X(CNET_EADDR_PREFIX, 117) \
    X(CNET_EADDR_PORT, 118) \
    X(CNET_ECLOSED, 150) \
    X(CNET_EFRAME_TOO_LARGE, 151) \
    X(CNET_EFRAME_MALFORMED, 152) \
    X(CNET_ETRUNCATED, 153) \
    X(CNET_EEOF, 154) \
    X(CNET_EBUSY, 155) \
    X(CNET_ETLS, 200) \
    X(CNET_ETLS_HANDSHAKE, 201) \
    X(CNET_ETLS_VERIFY, 202) \
    X(CNET_ETLS_HOSTNAME, 203) \
    X(CNET_ETLS_EXPIRED, 204) \
    X(CNET_ETLS_UNTRUSTED, 205) \
    X(CNET_ETLS_TRUNCATED, 206) \
    X(CNET_ETLS_PROTOCOL, 207) \
    X(CNET_ETLS_VERSION, 208) \
    X(CNET_ETLS_FILE, 209) \
    X(CNET_ETLS_NO_CA, 210) \
    X(CNET_ETLS_NOT_TLS, 211) \
    X(CNET_ETLS_ALPN, 212) \
    X(CNET_ETLS_PEER_ALERT, 213) \
    X(CNET_ETLS_PIN, 214) \
    X(CNET_ECANCELED, 250)

#endif /* CNET_ERRORS_H */
