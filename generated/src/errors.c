/* generated from spec/core.yaml, spec/errors.yaml, spec/nativesockets.yaml, spec/platforms.yaml by codegen/templates/errors.c.j2 - do not edit; regenerate with `make regen` */
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
    }
    return "CNET_E_UNKNOWN";
}
