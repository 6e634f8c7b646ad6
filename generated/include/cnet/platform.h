/* generated from spec/async.yaml, spec/core.yaml, spec/errors.yaml, spec/ipaddr.yaml, spec/nativesockets.yaml, spec/net.yaml, spec/platforms.yaml, spec/tls.yaml by codegen/templates/platform.h.j2 - do not edit; regenerate with `make regen` */
/*
 * Platform types of cnet: the socket handle, the address length type and the
 * system headers that declare struct sockaddr and struct addrinfo. Shared code
 * never tests the platform itself; it uses what this header defines.
 */
#ifndef CNET_PLATFORM_H
#define CNET_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Declared here so the prototypes are valid C even where the system headers
 * hide them (for example under -std=c11 without POSIX feature macros). */
struct sockaddr;
struct addrinfo;

#if defined(__linux__)
#define CNET_PLATFORM_LINUX 1
#define CNET_PLATFORM_NAME "linux"
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netdb.h>
typedef int cnet_socket_handle;
#define CNET_INVALID_SOCKET ((cnet_socket_handle)(-1))
typedef socklen_t cnet_socklen;
#elif defined(__APPLE__)
#define CNET_PLATFORM_MACOS 1
#define CNET_PLATFORM_NAME "macos"
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netdb.h>
typedef int cnet_socket_handle;
#define CNET_INVALID_SOCKET ((cnet_socket_handle)(-1))
typedef socklen_t cnet_socklen;
#elif defined(_WIN32)
#define CNET_PLATFORM_WINDOWS 1
#define CNET_PLATFORM_NAME "windows"
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0600
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <winsock2.h>
#include <ws2tcpip.h>
typedef uintptr_t cnet_socket_handle;
#define CNET_INVALID_SOCKET ((cnet_socket_handle)(~(uintptr_t)0))
typedef int cnet_socklen;
#else
#error "cnet: unsupported platform"
#endif

/**
 * The operating system's socket handle (a file descriptor on POSIX, a SOCKET
 * on Windows).
 *
 * [zh] 操作系统的套接字句柄（POSIX 上是文件描述符，Windows 上是 SOCKET）。
 *
 * Ports Nim: SocketHandle
 */
/* cnet_socket_handle is declared above for each platform. */

/**
 * The length type of socket addresses.
 *
 * [zh] 套接字地址的长度类型。
 *
 * Ports Nim: SockLen
 */
/* cnet_socklen is declared above for each platform. */

/* Symbol visibility of the public API. */
#if defined(_WIN32)
#define CNET_API
#elif defined(__GNUC__)
#define CNET_API __attribute__((visibility("default")))
#else
#define CNET_API
#endif

#endif /* CNET_PLATFORM_H */
