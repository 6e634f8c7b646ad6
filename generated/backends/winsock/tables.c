/* generated from spec/async.yaml, spec/core.yaml, spec/errors.yaml, spec/ipaddr.yaml, spec/nativesockets.yaml, spec/net.yaml, spec/platforms.yaml, spec/tls.yaml by codegen/templates/tables.c.j2 - do not edit; regenerate with `make regen` */
/*
 * Tables of the "winsock" backend:
 * the mapping of cnet's enums to the OS constants, the build-time proof that
 * the spec's per-platform values match the system headers, and the
 * translation of OS error codes to cnet_err.
 */
#if !defined(_WIN32) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE 1 /* expose every errno, EAI_* and h_errno name the system has */
#endif
#include "backend.h"

#include <errno.h>

/* ------------------------------------ spec values checked against the system */
#if defined(CNET_SOMAXCONN) && defined(SOMAXCONN)
_Static_assert(CNET_SOMAXCONN == SOMAXCONN, "spec value of CNET_SOMAXCONN differs from SOMAXCONN on this platform");
#endif
#if defined(CNET_IOCPARM_MASK) && defined(IOCPARM_MASK)
_Static_assert(CNET_IOCPARM_MASK == IOCPARM_MASK, "spec value of CNET_IOCPARM_MASK differs from IOCPARM_MASK on this platform");
#endif
#if defined(CNET_SOL_SOCKET) && defined(SOL_SOCKET)
_Static_assert(CNET_SOL_SOCKET == SOL_SOCKET, "spec value of CNET_SOL_SOCKET differs from SOL_SOCKET on this platform");
#endif
#if defined(CNET_SOL_TCP) && defined(IPPROTO_TCP)
_Static_assert(CNET_SOL_TCP == IPPROTO_TCP, "spec value of CNET_SOL_TCP differs from IPPROTO_TCP on this platform");
#endif
#if defined(CNET_SOL_IP) && defined(IPPROTO_IP)
_Static_assert(CNET_SOL_IP == IPPROTO_IP, "spec value of CNET_SOL_IP differs from IPPROTO_IP on this platform");
#endif
#if defined(CNET_SOL_IPV6) && defined(IPPROTO_IPV6)
_Static_assert(CNET_SOL_IPV6 == IPPROTO_IPV6, "spec value of CNET_SOL_IPV6 differs from IPPROTO_IPV6 on this platform");
#endif
#if defined(CNET_SO_ACCEPTCONN) && defined(SO_ACCEPTCONN)
_Static_assert(CNET_SO_ACCEPTCONN == SO_ACCEPTCONN, "spec value of CNET_SO_ACCEPTCONN differs from SO_ACCEPTCONN on this platform");
#endif
#if defined(CNET_SO_BROADCAST) && defined(SO_BROADCAST)
_Static_assert(CNET_SO_BROADCAST == SO_BROADCAST, "spec value of CNET_SO_BROADCAST differs from SO_BROADCAST on this platform");
#endif
#if defined(CNET_SO_DEBUG) && defined(SO_DEBUG)
_Static_assert(CNET_SO_DEBUG == SO_DEBUG, "spec value of CNET_SO_DEBUG differs from SO_DEBUG on this platform");
#endif
#if defined(CNET_SO_DONTROUTE) && defined(SO_DONTROUTE)
_Static_assert(CNET_SO_DONTROUTE == SO_DONTROUTE, "spec value of CNET_SO_DONTROUTE differs from SO_DONTROUTE on this platform");
#endif
#if defined(CNET_SO_KEEPALIVE) && defined(SO_KEEPALIVE)
_Static_assert(CNET_SO_KEEPALIVE == SO_KEEPALIVE, "spec value of CNET_SO_KEEPALIVE differs from SO_KEEPALIVE on this platform");
#endif
#if defined(CNET_SO_OOBINLINE) && defined(SO_OOBINLINE)
_Static_assert(CNET_SO_OOBINLINE == SO_OOBINLINE, "spec value of CNET_SO_OOBINLINE differs from SO_OOBINLINE on this platform");
#endif
#if defined(CNET_SO_REUSEADDR) && defined(SO_REUSEADDR)
_Static_assert(CNET_SO_REUSEADDR == SO_REUSEADDR, "spec value of CNET_SO_REUSEADDR differs from SO_REUSEADDR on this platform");
#endif
#if defined(CNET_SO_REUSEPORT) && defined(SO_REUSEPORT)
_Static_assert(CNET_SO_REUSEPORT == SO_REUSEPORT, "spec value of CNET_SO_REUSEPORT differs from SO_REUSEPORT on this platform");
#endif
#if defined(CNET_SO_RCVBUF) && defined(SO_RCVBUF)
_Static_assert(CNET_SO_RCVBUF == SO_RCVBUF, "spec value of CNET_SO_RCVBUF differs from SO_RCVBUF on this platform");
#endif
#if defined(CNET_SO_SNDBUF) && defined(SO_SNDBUF)
_Static_assert(CNET_SO_SNDBUF == SO_SNDBUF, "spec value of CNET_SO_SNDBUF differs from SO_SNDBUF on this platform");
#endif
#if defined(CNET_SO_ERROR) && defined(SO_ERROR)
_Static_assert(CNET_SO_ERROR == SO_ERROR, "spec value of CNET_SO_ERROR differs from SO_ERROR on this platform");
#endif
#if defined(CNET_SO_TYPE) && defined(SO_TYPE)
_Static_assert(CNET_SO_TYPE == SO_TYPE, "spec value of CNET_SO_TYPE differs from SO_TYPE on this platform");
#endif
#if defined(CNET_TCP_NODELAY) && defined(TCP_NODELAY)
_Static_assert(CNET_TCP_NODELAY == TCP_NODELAY, "spec value of CNET_TCP_NODELAY differs from TCP_NODELAY on this platform");
#endif
#if defined(CNET_IPV6_V6ONLY) && defined(IPV6_V6ONLY)
_Static_assert(CNET_IPV6_V6ONLY == IPV6_V6ONLY, "spec value of CNET_IPV6_V6ONLY differs from IPV6_V6ONLY on this platform");
#endif
#if defined(CNET_IP_TTL) && defined(IP_TTL)
_Static_assert(CNET_IP_TTL == IP_TTL, "spec value of CNET_IP_TTL differs from IP_TTL on this platform");
#endif
_Static_assert((int)CNET_AF_UNSPEC == AF_UNSPEC, "spec value of CNET_AF_UNSPEC differs from AF_UNSPEC on this platform");
_Static_assert((int)CNET_AF_UNIX == AF_UNIX, "spec value of CNET_AF_UNIX differs from AF_UNIX on this platform");
_Static_assert((int)CNET_AF_INET == AF_INET, "spec value of CNET_AF_INET differs from AF_INET on this platform");
_Static_assert((int)CNET_AF_INET6 == AF_INET6, "spec value of CNET_AF_INET6 differs from AF_INET6 on this platform");
_Static_assert((int)CNET_SOCK_STREAM == SOCK_STREAM, "spec value of CNET_SOCK_STREAM differs from SOCK_STREAM on this platform");
_Static_assert((int)CNET_SOCK_DGRAM == SOCK_DGRAM, "spec value of CNET_SOCK_DGRAM differs from SOCK_DGRAM on this platform");
_Static_assert((int)CNET_SOCK_RAW == SOCK_RAW, "spec value of CNET_SOCK_RAW differs from SOCK_RAW on this platform");
_Static_assert((int)CNET_SOCK_SEQPACKET == SOCK_SEQPACKET, "spec value of CNET_SOCK_SEQPACKET differs from SOCK_SEQPACKET on this platform");

int cnet__domain_to_os(cnet_domain value)
{
    switch (value) {
    case CNET_AF_UNSPEC: return AF_UNSPEC;
    case CNET_AF_UNIX: return AF_UNIX;
    case CNET_AF_INET: return AF_INET;
    case CNET_AF_INET6: return AF_INET6;
    }
    return -1;
}

bool cnet__domain_from_os(int os_value, cnet_domain *out)
{
    if (os_value == AF_UNSPEC) {
        *out = CNET_AF_UNSPEC;
        return true;
    }
    if (os_value == AF_UNIX) {
        *out = CNET_AF_UNIX;
        return true;
    }
    if (os_value == AF_INET) {
        *out = CNET_AF_INET;
        return true;
    }
    if (os_value == AF_INET6) {
        *out = CNET_AF_INET6;
        return true;
    }
    return false;
}

int cnet__sock_type_to_os(cnet_sock_type value)
{
    switch (value) {
    case CNET_SOCK_STREAM: return SOCK_STREAM;
    case CNET_SOCK_DGRAM: return SOCK_DGRAM;
    case CNET_SOCK_RAW: return SOCK_RAW;
    case CNET_SOCK_SEQPACKET: return SOCK_SEQPACKET;
    }
    return -1;
}

bool cnet__sock_type_from_os(int os_value, cnet_sock_type *out)
{
    if (os_value == SOCK_STREAM) {
        *out = CNET_SOCK_STREAM;
        return true;
    }
    if (os_value == SOCK_DGRAM) {
        *out = CNET_SOCK_DGRAM;
        return true;
    }
    if (os_value == SOCK_RAW) {
        *out = CNET_SOCK_RAW;
        return true;
    }
    if (os_value == SOCK_SEQPACKET) {
        *out = CNET_SOCK_SEQPACKET;
        return true;
    }
    return false;
}

int cnet__protocol_to_os(cnet_protocol value)
{
    switch (value) {
    case CNET_IPPROTO_TCP: return IPPROTO_TCP;
    case CNET_IPPROTO_UDP: return IPPROTO_UDP;
    case CNET_IPPROTO_IP: return IPPROTO_IP;
    case CNET_IPPROTO_IPV6: return IPPROTO_IPV6;
    case CNET_IPPROTO_RAW: return IPPROTO_RAW;
    case CNET_IPPROTO_ICMP: return IPPROTO_ICMP;
    case CNET_IPPROTO_ICMPV6: return IPPROTO_ICMPV6;
    }
    return -1;
}

bool cnet__protocol_from_os(int os_value, cnet_protocol *out)
{
    if (os_value == IPPROTO_TCP) {
        *out = CNET_IPPROTO_TCP;
        return true;
    }
    if (os_value == IPPROTO_UDP) {
        *out = CNET_IPPROTO_UDP;
        return true;
    }
    if (os_value == IPPROTO_IP) {
        *out = CNET_IPPROTO_IP;
        return true;
    }
    if (os_value == IPPROTO_IPV6) {
        *out = CNET_IPPROTO_IPV6;
        return true;
    }
    if (os_value == IPPROTO_RAW) {
        *out = CNET_IPPROTO_RAW;
        return true;
    }
    if (os_value == IPPROTO_ICMP) {
        *out = CNET_IPPROTO_ICMP;
        return true;
    }
    if (os_value == IPPROTO_ICMPV6) {
        *out = CNET_IPPROTO_ICMPV6;
        return true;
    }
    return false;
}

cnet_err cnet__err_from_winsock(int os_error)
{
    (void)os_error; /* unused where the system lacks every listed name */
#ifdef WSAEINVAL
    if (os_error == WSAEINVAL)
        return CNET_EINVAL;
#endif
#ifdef WSAEFAULT
    if (os_error == WSAEFAULT)
        return CNET_EINVAL;
#endif
#ifdef WSAEBADF
    if (os_error == WSAEBADF)
        return CNET_EBADF;
#endif
#ifdef WSAENOTSOCK
    if (os_error == WSAENOTSOCK)
        return CNET_EBADF;
#endif
#ifdef WSA_NOT_ENOUGH_MEMORY
    if (os_error == WSA_NOT_ENOUGH_MEMORY)
        return CNET_ENOMEM;
#endif
#ifdef WSAHOST_NOT_FOUND
    if (os_error == WSAHOST_NOT_FOUND)
        return CNET_ENOTFOUND;
#endif
#ifdef WSANO_DATA
    if (os_error == WSANO_DATA)
        return CNET_ENOTFOUND;
#endif
#ifdef WSAETIMEDOUT
    if (os_error == WSAETIMEDOUT)
        return CNET_ETIMEDOUT;
#endif
#ifdef WSAECONNREFUSED
    if (os_error == WSAECONNREFUSED)
        return CNET_ECONNREFUSED;
#endif
#ifdef WSAECONNRESET
    if (os_error == WSAECONNRESET)
        return CNET_ECONNRESET;
#endif
#ifdef WSAEDISCON
    if (os_error == WSAEDISCON)
        return CNET_ECONNRESET;
#endif
#ifdef WSAECONNABORTED
    if (os_error == WSAECONNABORTED)
        return CNET_ECONNABORTED;
#endif
#ifdef WSAENETRESET
    if (os_error == WSAENETRESET)
        return CNET_ENETRESET;
#endif
#ifdef WSAENOTCONN
    if (os_error == WSAENOTCONN)
        return CNET_ENOTCONN;
#endif
#ifdef WSAEADDRINUSE
    if (os_error == WSAEADDRINUSE)
        return CNET_EADDRINUSE;
#endif
#ifdef WSAEADDRNOTAVAIL
    if (os_error == WSAEADDRNOTAVAIL)
        return CNET_EADDRNOTAVAIL;
#endif
#ifdef WSAEAFNOSUPPORT
    if (os_error == WSAEAFNOSUPPORT)
        return CNET_EAFNOSUPPORT;
#endif
#ifdef WSAEPFNOSUPPORT
    if (os_error == WSAEPFNOSUPPORT)
        return CNET_EAFNOSUPPORT;
#endif
#ifdef WSAEPROTONOSUPPORT
    if (os_error == WSAEPROTONOSUPPORT)
        return CNET_EPROTONOSUPPORT;
#endif
#ifdef WSAESOCKTNOSUPPORT
    if (os_error == WSAESOCKTNOSUPPORT)
        return CNET_EPROTONOSUPPORT;
#endif
#ifdef WSAEPROTOTYPE
    if (os_error == WSAEPROTOTYPE)
        return CNET_EPROTONOSUPPORT;
#endif
#ifdef WSAEACCES
    if (os_error == WSAEACCES)
        return CNET_EACCES;
#endif
#ifdef WSAEMFILE
    if (os_error == WSAEMFILE)
        return CNET_EMFILE;
#endif
#ifdef WSAEWOULDBLOCK
    if (os_error == WSAEWOULDBLOCK)
        return CNET_EWOULDBLOCK;
#endif
#ifdef WSAEINPROGRESS
    if (os_error == WSAEINPROGRESS)
        return CNET_EINPROGRESS;
#endif
#ifdef WSAEALREADY
    if (os_error == WSAEALREADY)
        return CNET_EINPROGRESS;
#endif
#ifdef WSAEISCONN
    if (os_error == WSAEISCONN)
        return CNET_EISCONN;
#endif
#ifdef WSAENETUNREACH
    if (os_error == WSAENETUNREACH)
        return CNET_ENETUNREACH;
#endif
#ifdef WSAEHOSTUNREACH
    if (os_error == WSAEHOSTUNREACH)
        return CNET_EHOSTUNREACH;
#endif
#ifdef WSAEMSGSIZE
    if (os_error == WSAEMSGSIZE)
        return CNET_EMSGSIZE;
#endif
#ifdef WSAENOPROTOOPT
    if (os_error == WSAENOPROTOOPT)
        return CNET_ENOPROTOOPT;
#endif
#ifdef WSAEOPNOTSUPP
    if (os_error == WSAEOPNOTSUPP)
        return CNET_ENOTSUP;
#endif
#ifdef WSAENOBUFS
    if (os_error == WSAENOBUFS)
        return CNET_ENOBUFS;
#endif
#ifdef WSAENAMETOOLONG
    if (os_error == WSAENAMETOOLONG)
        return CNET_ENAMETOOLONG;
#endif
#ifdef WSATRY_AGAIN
    if (os_error == WSATRY_AGAIN)
        return CNET_EAGAIN_DNS;
#endif
#ifdef WSANO_RECOVERY
    if (os_error == WSANO_RECOVERY)
        return CNET_EDNS;
#endif
#ifdef WSAEINTR
    if (os_error == WSAEINTR)
        return CNET_EINTR;
#endif
#ifdef WSAENETDOWN
    if (os_error == WSAENETDOWN)
        return CNET_ENETDOWN;
#endif
#ifdef WSAESHUTDOWN
    if (os_error == WSAESHUTDOWN)
        return CNET_ESHUTDOWN;
#endif
    return CNET_EOS;
}

cnet_err cnet__err_from_gai(int os_error)
{
    (void)os_error; /* unused where the system lacks every listed name */
#ifdef EAI_BADFLAGS
    if (os_error == EAI_BADFLAGS)
        return CNET_EINVAL;
#endif
#ifdef EAI_MEMORY
    if (os_error == EAI_MEMORY)
        return CNET_ENOMEM;
#endif
#ifdef EAI_NONAME
    if (os_error == EAI_NONAME)
        return CNET_ENOTFOUND;
#endif
#ifdef EAI_NODATA
    if (os_error == EAI_NODATA)
        return CNET_ENOTFOUND;
#endif
#ifdef EAI_ADDRFAMILY
    if (os_error == EAI_ADDRFAMILY)
        return CNET_ENOTFOUND;
#endif
#ifdef EAI_FAMILY
    if (os_error == EAI_FAMILY)
        return CNET_EAFNOSUPPORT;
#endif
#ifdef EAI_SOCKTYPE
    if (os_error == EAI_SOCKTYPE)
        return CNET_EPROTONOSUPPORT;
#endif
#ifdef EAI_SERVICE
    if (os_error == EAI_SERVICE)
        return CNET_EPROTONOSUPPORT;
#endif
#ifdef EAI_OVERFLOW
    if (os_error == EAI_OVERFLOW)
        return CNET_ERANGE;
#endif
#ifdef EAI_AGAIN
    if (os_error == EAI_AGAIN)
        return CNET_EAGAIN_DNS;
#endif
#ifdef EAI_FAIL
    if (os_error == EAI_FAIL)
        return CNET_EDNS;
#endif
    return CNET_EOS;
}

bool cnet__err_is_disconnection(cnet_err err)
{
    switch (err) {
    case CNET_ECONNRESET:
    case CNET_ECONNABORTED:
    case CNET_EPIPE:
    case CNET_ENETRESET:
    case CNET_ENETDOWN:
    case CNET_ESHUTDOWN:
        return true;
    default:
        return false;
    }
}
