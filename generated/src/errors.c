/* generated from spec/core.yaml, spec/errors.yaml, spec/ipaddr.yaml, spec/nativesockets.yaml, spec/net.yaml, spec/platforms.yaml by codegen/templates/errors.c.j2 - do not edit; regenerate with `make regen` */
#include <cnet/cnet.h>

const char *cnet_strerror(cnet_err err)
{
    switch (err) {
    case CNET_OK: return "success";
    case CNET_EINVAL: return "invalid argument";
    case CNET_EBADF: return "bad or closed socket handle";
    case CNET_ENOMEM: return "out of memory";
    case CNET_ENOTFOUND: return "host, service or protocol not found";
    case CNET_ETIMEDOUT: return "operation timed out";
    case CNET_ECONNREFUSED: return "connection refused";
    case CNET_ECONNRESET: return "connection reset by peer";
    case CNET_ECONNABORTED: return "connection aborted";
    case CNET_EPIPE: return "broken pipe (the peer closed the connection)";
    case CNET_ENETRESET: return "connection reset by the network";
    case CNET_ENOTCONN: return "socket is not connected";
    case CNET_EADDRINUSE: return "address already in use";
    case CNET_EADDRNOTAVAIL: return "address not available";
    case CNET_EAFNOSUPPORT: return "address family not supported";
    case CNET_EPROTONOSUPPORT: return "protocol or socket type not supported";
    case CNET_EACCES: return "permission denied";
    case CNET_EMFILE: return "too many open sockets or files";
    case CNET_EWOULDBLOCK: return "operation would block";
    case CNET_EINPROGRESS: return "operation in progress";
    case CNET_EISCONN: return "socket is already connected";
    case CNET_ENETUNREACH: return "network unreachable";
    case CNET_EHOSTUNREACH: return "host unreachable";
    case CNET_EMSGSIZE: return "message too long";
    case CNET_ENOPROTOOPT: return "protocol option not available";
    case CNET_ENOTSUP: return "operation not supported here";
    case CNET_ENOBUFS: return "no buffer space available";
    case CNET_ENAMETOOLONG: return "name too long";
    case CNET_ERANGE: return "result does not fit in the buffer";
    case CNET_EAGAIN_DNS: return "temporary failure in name resolution";
    case CNET_EDNS: return "non-recoverable failure in name resolution";
    case CNET_EINTR: return "interrupted by a signal";
    case CNET_ENETDOWN: return "network is down";
    case CNET_ESHUTDOWN: return "socket has been shut down";
    case CNET_EOS: return "operating system error (see cnet_last_os_error)";
    case CNET_EADDR_EMPTY: return "address text is empty";
    case CNET_EADDR_CHAR: return "invalid character in address text";
    case CNET_EADDR_LEADING_ZERO: return "IPv4 part has a leading zero";
    case CNET_EADDR_OCTET_RANGE: return "IPv4 part is greater than 255";
    case CNET_EADDR_EMPTY_PART: return "IPv4 part is empty";
    case CNET_EADDR_TOO_FEW_PARTS: return "IPv4 address has fewer than four parts";
    case CNET_EADDR_TOO_MANY_PARTS: return "IPv4 address has more than four parts";
    case CNET_EADDR_GROUP_TOO_LONG: return "IPv6 group has more than four hex digits";
    case CNET_EADDR_DOUBLE_COLON: return "IPv6 address has more than one \"::\"";
    case CNET_EADDR_COLON: return "IPv6 address has a lone \":\" at its start or end, or \":::\"";
    case CNET_EADDR_TOO_FEW_GROUPS: return "IPv6 address has fewer than eight groups and no \"::\"";
    case CNET_EADDR_TOO_MANY_GROUPS: return "IPv6 address has more than eight groups (a \"::\" stands for at least one)";
    case CNET_EADDR_DOTTED_MISPLACED: return "embedded IPv4 address is not at the end of the IPv6 address";
    case CNET_EADDR_ZONE: return "zone id (\"%...\") is not accepted here";
    case CNET_EADDR_BAD_ZONE: return "zone id is empty or malformed";
    case CNET_EADDR_UNKNOWN_ZONE: return "no network interface has the zone's name";
    case CNET_EADDR_BRACKET: return "brackets (\"[::1]\") are URL syntax, not part of an address";
    case CNET_EADDR_PREFIX: return "prefix length (\"/n\") is not part of an address";
    case CNET_EADDR_PORT: return "port (\":n\") is not part of an address";
    case CNET_ECLOSED: return "the socket has been closed";
    case CNET_EFRAME_TOO_LARGE: return "the frame is longer than the allowed maximum";
    case CNET_EFRAME_MALFORMED: return "the frame length prefix is malformed";
    case CNET_ETRUNCATED: return "the datagram was longer than the buffer and was truncated";
    case CNET_EEOF: return "the peer closed the connection";
    }
    return "unknown error";
}

const char *cnet_strerror_zh(cnet_err err)
{
    switch (err) {
    case CNET_OK: return "成功";
    case CNET_EINVAL: return "无效参数";
    case CNET_EBADF: return "套接字句柄无效或已关闭";
    case CNET_ENOMEM: return "内存不足";
    case CNET_ENOTFOUND: return "未找到主机、服务或协议";
    case CNET_ETIMEDOUT: return "操作超时";
    case CNET_ECONNREFUSED: return "连接被拒绝";
    case CNET_ECONNRESET: return "连接被对端重置";
    case CNET_ECONNABORTED: return "连接已中止";
    case CNET_EPIPE: return "管道破裂（对端已关闭连接）";
    case CNET_ENETRESET: return "连接被网络重置";
    case CNET_ENOTCONN: return "套接字未连接";
    case CNET_EADDRINUSE: return "地址已被占用";
    case CNET_EADDRNOTAVAIL: return "地址不可用";
    case CNET_EAFNOSUPPORT: return "不支持的地址族";
    case CNET_EPROTONOSUPPORT: return "不支持的协议或套接字类型";
    case CNET_EACCES: return "权限不足";
    case CNET_EMFILE: return "打开的套接字或文件过多";
    case CNET_EWOULDBLOCK: return "操作将会阻塞";
    case CNET_EINPROGRESS: return "操作正在进行中";
    case CNET_EISCONN: return "套接字已连接";
    case CNET_ENETUNREACH: return "网络不可达";
    case CNET_EHOSTUNREACH: return "主机不可达";
    case CNET_EMSGSIZE: return "消息过长";
    case CNET_ENOPROTOOPT: return "协议选项不可用";
    case CNET_ENOTSUP: return "此处不支持该操作";
    case CNET_ENOBUFS: return "没有可用的缓冲区空间";
    case CNET_ENAMETOOLONG: return "名称过长";
    case CNET_ERANGE: return "结果超出缓冲区大小";
    case CNET_EAGAIN_DNS: return "名称解析暂时失败";
    case CNET_EDNS: return "名称解析发生不可恢复的错误";
    case CNET_EINTR: return "被信号中断";
    case CNET_ENETDOWN: return "网络已关闭";
    case CNET_ESHUTDOWN: return "套接字已被关闭（shutdown）";
    case CNET_EOS: return "操作系统错误（见 cnet_last_os_error）";
    case CNET_EADDR_EMPTY: return "地址文本为空";
    case CNET_EADDR_CHAR: return "地址文本中有无效字符";
    case CNET_EADDR_LEADING_ZERO: return "IPv4 段有前导零";
    case CNET_EADDR_OCTET_RANGE: return "IPv4 段大于 255";
    case CNET_EADDR_EMPTY_PART: return "IPv4 段为空";
    case CNET_EADDR_TOO_FEW_PARTS: return "IPv4 地址少于四段";
    case CNET_EADDR_TOO_MANY_PARTS: return "IPv4 地址多于四段";
    case CNET_EADDR_GROUP_TOO_LONG: return "IPv6 组的十六进制数字多于四位";
    case CNET_EADDR_DOUBLE_COLON: return "IPv6 地址含有多于一个 \"::\"";
    case CNET_EADDR_COLON: return "IPv6 地址的开头或结尾有单独的 \":\"，或含有 \":::\"";
    case CNET_EADDR_TOO_FEW_GROUPS: return "IPv6 地址少于八组且没有 \"::\"";
    case CNET_EADDR_TOO_MANY_GROUPS: return "IPv6 地址多于八组（\"::\" 至少代表一组）";
    case CNET_EADDR_DOTTED_MISPLACED: return "内嵌的 IPv4 地址不在 IPv6 地址的末尾";
    case CNET_EADDR_ZONE: return "此处不接受区域标识（\"%...\"）";
    case CNET_EADDR_BAD_ZONE: return "区域标识为空或格式错误";
    case CNET_EADDR_UNKNOWN_ZONE: return "没有与区域名称同名的网络接口";
    case CNET_EADDR_BRACKET: return "方括号（\"[::1]\"）属于 URL 语法，不是地址的一部分";
    case CNET_EADDR_PREFIX: return "前缀长度（\"/n\"）不是地址的一部分";
    case CNET_EADDR_PORT: return "端口（\":n\"）不是地址的一部分";
    case CNET_ECLOSED: return "套接字已被关闭";
    case CNET_EFRAME_TOO_LARGE: return "帧长度超过允许的最大值";
    case CNET_EFRAME_MALFORMED: return "帧长度前缀格式错误";
    case CNET_ETRUNCATED: return "数据报比缓冲区长，已被截断";
    case CNET_EEOF: return "对端已关闭连接";
    }
    return "未知错误";
}

const char *cnet_err_name(cnet_err err)
{
    switch (err) {
    case CNET_OK: return "CNET_OK";
    case CNET_EINVAL: return "CNET_EINVAL";
    case CNET_EBADF: return "CNET_EBADF";
    case CNET_ENOMEM: return "CNET_ENOMEM";
    case CNET_ENOTFOUND: return "CNET_ENOTFOUND";
    case CNET_ETIMEDOUT: return "CNET_ETIMEDOUT";
    case CNET_ECONNREFUSED: return "CNET_ECONNREFUSED";
    case CNET_ECONNRESET: return "CNET_ECONNRESET";
    case CNET_ECONNABORTED: return "CNET_ECONNABORTED";
    case CNET_EPIPE: return "CNET_EPIPE";
    case CNET_ENETRESET: return "CNET_ENETRESET";
    case CNET_ENOTCONN: return "CNET_ENOTCONN";
    case CNET_EADDRINUSE: return "CNET_EADDRINUSE";
    case CNET_EADDRNOTAVAIL: return "CNET_EADDRNOTAVAIL";
    case CNET_EAFNOSUPPORT: return "CNET_EAFNOSUPPORT";
    case CNET_EPROTONOSUPPORT: return "CNET_EPROTONOSUPPORT";
    case CNET_EACCES: return "CNET_EACCES";
    case CNET_EMFILE: return "CNET_EMFILE";
    case CNET_EWOULDBLOCK: return "CNET_EWOULDBLOCK";
    case CNET_EINPROGRESS: return "CNET_EINPROGRESS";
    case CNET_EISCONN: return "CNET_EISCONN";
    case CNET_ENETUNREACH: return "CNET_ENETUNREACH";
    case CNET_EHOSTUNREACH: return "CNET_EHOSTUNREACH";
    case CNET_EMSGSIZE: return "CNET_EMSGSIZE";
    case CNET_ENOPROTOOPT: return "CNET_ENOPROTOOPT";
    case CNET_ENOTSUP: return "CNET_ENOTSUP";
    case CNET_ENOBUFS: return "CNET_ENOBUFS";
    case CNET_ENAMETOOLONG: return "CNET_ENAMETOOLONG";
    case CNET_ERANGE: return "CNET_ERANGE";
    case CNET_EAGAIN_DNS: return "CNET_EAGAIN_DNS";
    case CNET_EDNS: return "CNET_EDNS";
    case CNET_EINTR: return "CNET_EINTR";
    case CNET_ENETDOWN: return "CNET_ENETDOWN";
    case CNET_ESHUTDOWN: return "CNET_ESHUTDOWN";
    case CNET_EOS: return "CNET_EOS";
    case CNET_EADDR_EMPTY: return "CNET_EADDR_EMPTY";
    case CNET_EADDR_CHAR: return "CNET_EADDR_CHAR";
    case CNET_EADDR_LEADING_ZERO: return "CNET_EADDR_LEADING_ZERO";
    case CNET_EADDR_OCTET_RANGE: return "CNET_EADDR_OCTET_RANGE";
    case CNET_EADDR_EMPTY_PART: return "CNET_EADDR_EMPTY_PART";
    case CNET_EADDR_TOO_FEW_PARTS: return "CNET_EADDR_TOO_FEW_PARTS";
    case CNET_EADDR_TOO_MANY_PARTS: return "CNET_EADDR_TOO_MANY_PARTS";
    case CNET_EADDR_GROUP_TOO_LONG: return "CNET_EADDR_GROUP_TOO_LONG";
    case CNET_EADDR_DOUBLE_COLON: return "CNET_EADDR_DOUBLE_COLON";
    case CNET_EADDR_COLON: return "CNET_EADDR_COLON";
    case CNET_EADDR_TOO_FEW_GROUPS: return "CNET_EADDR_TOO_FEW_GROUPS";
    case CNET_EADDR_TOO_MANY_GROUPS: return "CNET_EADDR_TOO_MANY_GROUPS";
    case CNET_EADDR_DOTTED_MISPLACED: return "CNET_EADDR_DOTTED_MISPLACED";
    case CNET_EADDR_ZONE: return "CNET_EADDR_ZONE";
    case CNET_EADDR_BAD_ZONE: return "CNET_EADDR_BAD_ZONE";
    case CNET_EADDR_UNKNOWN_ZONE: return "CNET_EADDR_UNKNOWN_ZONE";
    case CNET_EADDR_BRACKET: return "CNET_EADDR_BRACKET";
    case CNET_EADDR_PREFIX: return "CNET_EADDR_PREFIX";
    case CNET_EADDR_PORT: return "CNET_EADDR_PORT";
    case CNET_ECLOSED: return "CNET_ECLOSED";
    case CNET_EFRAME_TOO_LARGE: return "CNET_EFRAME_TOO_LARGE";
    case CNET_EFRAME_MALFORMED: return "CNET_EFRAME_MALFORMED";
    case CNET_ETRUNCATED: return "CNET_ETRUNCATED";
    case CNET_EEOF: return "CNET_EEOF";
    }
    return "CNET_E_UNKNOWN";
}
