/* generated from spec/async.yaml, spec/core.yaml, spec/errors.yaml, spec/ipaddr.yaml, spec/nativesockets.yaml, spec/net.yaml, spec/platforms.yaml, spec/tls.yaml by codegen/templates/sockopts.c.j2 - do not edit; regenerate with `make regen` */
/*
 * A get/set round trip for every integer socket option the spec lists under
 * `sockopts`. An option the platform lacks is reported as skipped.
 */
#include "test_common.h"

Test(sockopts, cnet_so_reuseaddr)
{
#if defined(CNET_SO_REUSEADDR)
    cnet_socket_handle h = CNET_INVALID_SOCKET;
    int value = -1;
    cr_assert_eq(cnet_new_raw_socket_int(cnet_domain_to_int(CNET_AF_INET),
                                         cnet_sock_type_to_int(CNET_SOCK_STREAM), 0, &h), CNET_OK,
                 "socket: %s", cnet_last_error_message());
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_REUSEADDR, &value), CNET_OK,
                 "get: %s", cnet_last_error_message());
    /* Set the opposite of the default, read it back, then restore. */
    int flipped = value ? 0 : 1;
    cr_assert_eq(cnet_set_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_REUSEADDR, flipped), CNET_OK,
                 "set: %s", cnet_last_error_message());
    int readback = -1;
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_REUSEADDR, &readback), CNET_OK);
    cr_assert_eq(readback != 0, flipped != 0, "CNET_SO_REUSEADDR read back %d after setting %d", readback, flipped);
    cr_assert_eq(cnet_set_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_REUSEADDR, !flipped), CNET_OK);
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_REUSEADDR, &readback), CNET_OK);
    cr_assert_eq(readback != 0, flipped == 0);
    cr_assert_eq(cnet_close(h), CNET_OK);
#else
    cr_skip_test("CNET_SO_REUSEADDR does not exist on this platform");
#endif
}

Test(sockopts, cnet_so_keepalive)
{
#if defined(CNET_SO_KEEPALIVE)
    cnet_socket_handle h = CNET_INVALID_SOCKET;
    int value = -1;
    cr_assert_eq(cnet_new_raw_socket_int(cnet_domain_to_int(CNET_AF_INET),
                                         cnet_sock_type_to_int(CNET_SOCK_STREAM), 0, &h), CNET_OK,
                 "socket: %s", cnet_last_error_message());
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_KEEPALIVE, &value), CNET_OK,
                 "get: %s", cnet_last_error_message());
    /* Set the opposite of the default, read it back, then restore. */
    int flipped = value ? 0 : 1;
    cr_assert_eq(cnet_set_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_KEEPALIVE, flipped), CNET_OK,
                 "set: %s", cnet_last_error_message());
    int readback = -1;
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_KEEPALIVE, &readback), CNET_OK);
    cr_assert_eq(readback != 0, flipped != 0, "CNET_SO_KEEPALIVE read back %d after setting %d", readback, flipped);
    cr_assert_eq(cnet_set_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_KEEPALIVE, !flipped), CNET_OK);
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_KEEPALIVE, &readback), CNET_OK);
    cr_assert_eq(readback != 0, flipped == 0);
    cr_assert_eq(cnet_close(h), CNET_OK);
#else
    cr_skip_test("CNET_SO_KEEPALIVE does not exist on this platform");
#endif
}

Test(sockopts, cnet_so_broadcast)
{
#if defined(CNET_SO_BROADCAST)
    cnet_socket_handle h = CNET_INVALID_SOCKET;
    int value = -1;
    cr_assert_eq(cnet_new_raw_socket_int(cnet_domain_to_int(CNET_AF_INET),
                                         cnet_sock_type_to_int(CNET_SOCK_DGRAM), 0, &h), CNET_OK,
                 "socket: %s", cnet_last_error_message());
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_BROADCAST, &value), CNET_OK,
                 "get: %s", cnet_last_error_message());
    /* Set the opposite of the default, read it back, then restore. */
    int flipped = value ? 0 : 1;
    cr_assert_eq(cnet_set_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_BROADCAST, flipped), CNET_OK,
                 "set: %s", cnet_last_error_message());
    int readback = -1;
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_BROADCAST, &readback), CNET_OK);
    cr_assert_eq(readback != 0, flipped != 0, "CNET_SO_BROADCAST read back %d after setting %d", readback, flipped);
    cr_assert_eq(cnet_set_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_BROADCAST, !flipped), CNET_OK);
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_BROADCAST, &readback), CNET_OK);
    cr_assert_eq(readback != 0, flipped == 0);
    cr_assert_eq(cnet_close(h), CNET_OK);
#else
    cr_skip_test("CNET_SO_BROADCAST does not exist on this platform");
#endif
}

Test(sockopts, cnet_so_dontroute)
{
#if defined(_WIN32)
    cr_skip_test("wine ignores SO_DONTROUTE (it always reads back 1); Windows accepts it");
#endif
#if defined(CNET_SO_DONTROUTE)
    cnet_socket_handle h = CNET_INVALID_SOCKET;
    int value = -1;
    cr_assert_eq(cnet_new_raw_socket_int(cnet_domain_to_int(CNET_AF_INET),
                                         cnet_sock_type_to_int(CNET_SOCK_STREAM), 0, &h), CNET_OK,
                 "socket: %s", cnet_last_error_message());
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_DONTROUTE, &value), CNET_OK,
                 "get: %s", cnet_last_error_message());
    /* Set the opposite of the default, read it back, then restore. */
    int flipped = value ? 0 : 1;
    cr_assert_eq(cnet_set_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_DONTROUTE, flipped), CNET_OK,
                 "set: %s", cnet_last_error_message());
    int readback = -1;
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_DONTROUTE, &readback), CNET_OK);
    cr_assert_eq(readback != 0, flipped != 0, "CNET_SO_DONTROUTE read back %d after setting %d", readback, flipped);
    cr_assert_eq(cnet_set_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_DONTROUTE, !flipped), CNET_OK);
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_DONTROUTE, &readback), CNET_OK);
    cr_assert_eq(readback != 0, flipped == 0);
    cr_assert_eq(cnet_close(h), CNET_OK);
#else
    cr_skip_test("CNET_SO_DONTROUTE does not exist on this platform");
#endif
}

Test(sockopts, cnet_so_oobinline)
{
#if defined(CNET_SO_OOBINLINE)
    cnet_socket_handle h = CNET_INVALID_SOCKET;
    int value = -1;
    cr_assert_eq(cnet_new_raw_socket_int(cnet_domain_to_int(CNET_AF_INET),
                                         cnet_sock_type_to_int(CNET_SOCK_STREAM), 0, &h), CNET_OK,
                 "socket: %s", cnet_last_error_message());
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_OOBINLINE, &value), CNET_OK,
                 "get: %s", cnet_last_error_message());
    /* Set the opposite of the default, read it back, then restore. */
    int flipped = value ? 0 : 1;
    cr_assert_eq(cnet_set_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_OOBINLINE, flipped), CNET_OK,
                 "set: %s", cnet_last_error_message());
    int readback = -1;
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_OOBINLINE, &readback), CNET_OK);
    cr_assert_eq(readback != 0, flipped != 0, "CNET_SO_OOBINLINE read back %d after setting %d", readback, flipped);
    cr_assert_eq(cnet_set_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_OOBINLINE, !flipped), CNET_OK);
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_OOBINLINE, &readback), CNET_OK);
    cr_assert_eq(readback != 0, flipped == 0);
    cr_assert_eq(cnet_close(h), CNET_OK);
#else
    cr_skip_test("CNET_SO_OOBINLINE does not exist on this platform");
#endif
}

Test(sockopts, cnet_so_reuseport)
{
#if defined(CNET_SO_REUSEPORT)
    cnet_socket_handle h = CNET_INVALID_SOCKET;
    int value = -1;
    cr_assert_eq(cnet_new_raw_socket_int(cnet_domain_to_int(CNET_AF_INET),
                                         cnet_sock_type_to_int(CNET_SOCK_STREAM), 0, &h), CNET_OK,
                 "socket: %s", cnet_last_error_message());
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_REUSEPORT, &value), CNET_OK,
                 "get: %s", cnet_last_error_message());
    /* Set the opposite of the default, read it back, then restore. */
    int flipped = value ? 0 : 1;
    cr_assert_eq(cnet_set_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_REUSEPORT, flipped), CNET_OK,
                 "set: %s", cnet_last_error_message());
    int readback = -1;
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_REUSEPORT, &readback), CNET_OK);
    cr_assert_eq(readback != 0, flipped != 0, "CNET_SO_REUSEPORT read back %d after setting %d", readback, flipped);
    cr_assert_eq(cnet_set_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_REUSEPORT, !flipped), CNET_OK);
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_REUSEPORT, &readback), CNET_OK);
    cr_assert_eq(readback != 0, flipped == 0);
    cr_assert_eq(cnet_close(h), CNET_OK);
#else
    cr_skip_test("CNET_SO_REUSEPORT does not exist on this platform");
#endif
}

Test(sockopts, cnet_so_rcvbuf)
{
#if defined(CNET_SO_RCVBUF)
    cnet_socket_handle h = CNET_INVALID_SOCKET;
    int value = -1;
    cr_assert_eq(cnet_new_raw_socket_int(cnet_domain_to_int(CNET_AF_INET),
                                         cnet_sock_type_to_int(CNET_SOCK_STREAM), 0, &h), CNET_OK,
                 "socket: %s", cnet_last_error_message());
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_RCVBUF, &value), CNET_OK,
                 "get: %s", cnet_last_error_message());
    cr_assert_eq(cnet_set_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_RCVBUF, 65536), CNET_OK,
                 "set: %s", cnet_last_error_message());
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_RCVBUF, &value), CNET_OK);
    cr_assert_geq(value, 65536, "CNET_SO_RCVBUF read back %d after setting 65536", value);
    cr_assert_eq(cnet_close(h), CNET_OK);
#else
    cr_skip_test("CNET_SO_RCVBUF does not exist on this platform");
#endif
}

Test(sockopts, cnet_so_sndbuf)
{
#if defined(CNET_SO_SNDBUF)
    cnet_socket_handle h = CNET_INVALID_SOCKET;
    int value = -1;
    cr_assert_eq(cnet_new_raw_socket_int(cnet_domain_to_int(CNET_AF_INET),
                                         cnet_sock_type_to_int(CNET_SOCK_STREAM), 0, &h), CNET_OK,
                 "socket: %s", cnet_last_error_message());
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_SNDBUF, &value), CNET_OK,
                 "get: %s", cnet_last_error_message());
    cr_assert_eq(cnet_set_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_SNDBUF, 65536), CNET_OK,
                 "set: %s", cnet_last_error_message());
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_SNDBUF, &value), CNET_OK);
    cr_assert_geq(value, 65536, "CNET_SO_SNDBUF read back %d after setting 65536", value);
    cr_assert_eq(cnet_close(h), CNET_OK);
#else
    cr_skip_test("CNET_SO_SNDBUF does not exist on this platform");
#endif
}

Test(sockopts, cnet_tcp_nodelay)
{
#if defined(CNET_TCP_NODELAY)
    cnet_socket_handle h = CNET_INVALID_SOCKET;
    int value = -1;
    cr_assert_eq(cnet_new_raw_socket_int(cnet_domain_to_int(CNET_AF_INET),
                                         cnet_sock_type_to_int(CNET_SOCK_STREAM), 0, &h), CNET_OK,
                 "socket: %s", cnet_last_error_message());
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_TCP, CNET_TCP_NODELAY, &value), CNET_OK,
                 "get: %s", cnet_last_error_message());
    /* Set the opposite of the default, read it back, then restore. */
    int flipped = value ? 0 : 1;
    cr_assert_eq(cnet_set_sock_opt_int(h, CNET_SOL_TCP, CNET_TCP_NODELAY, flipped), CNET_OK,
                 "set: %s", cnet_last_error_message());
    int readback = -1;
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_TCP, CNET_TCP_NODELAY, &readback), CNET_OK);
    cr_assert_eq(readback != 0, flipped != 0, "CNET_TCP_NODELAY read back %d after setting %d", readback, flipped);
    cr_assert_eq(cnet_set_sock_opt_int(h, CNET_SOL_TCP, CNET_TCP_NODELAY, !flipped), CNET_OK);
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_TCP, CNET_TCP_NODELAY, &readback), CNET_OK);
    cr_assert_eq(readback != 0, flipped == 0);
    cr_assert_eq(cnet_close(h), CNET_OK);
#else
    cr_skip_test("CNET_TCP_NODELAY does not exist on this platform");
#endif
}

Test(sockopts, cnet_ipv6_v6only)
{
#if defined(CNET_IPV6_V6ONLY)
    cnet_socket_handle h = CNET_INVALID_SOCKET;
    int value = -1;
    cr_assert_eq(cnet_new_raw_socket_int(cnet_domain_to_int(CNET_AF_INET6),
                                         cnet_sock_type_to_int(CNET_SOCK_STREAM), 0, &h), CNET_OK,
                 "socket: %s", cnet_last_error_message());
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_IPV6, CNET_IPV6_V6ONLY, &value), CNET_OK,
                 "get: %s", cnet_last_error_message());
    /* Set the opposite of the default, read it back, then restore. */
    int flipped = value ? 0 : 1;
    cr_assert_eq(cnet_set_sock_opt_int(h, CNET_SOL_IPV6, CNET_IPV6_V6ONLY, flipped), CNET_OK,
                 "set: %s", cnet_last_error_message());
    int readback = -1;
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_IPV6, CNET_IPV6_V6ONLY, &readback), CNET_OK);
    cr_assert_eq(readback != 0, flipped != 0, "CNET_IPV6_V6ONLY read back %d after setting %d", readback, flipped);
    cr_assert_eq(cnet_set_sock_opt_int(h, CNET_SOL_IPV6, CNET_IPV6_V6ONLY, !flipped), CNET_OK);
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_IPV6, CNET_IPV6_V6ONLY, &readback), CNET_OK);
    cr_assert_eq(readback != 0, flipped == 0);
    cr_assert_eq(cnet_close(h), CNET_OK);
#else
    cr_skip_test("CNET_IPV6_V6ONLY does not exist on this platform");
#endif
}

Test(sockopts, cnet_ip_ttl)
{
#if defined(CNET_IP_TTL)
    cnet_socket_handle h = CNET_INVALID_SOCKET;
    int value = -1;
    cr_assert_eq(cnet_new_raw_socket_int(cnet_domain_to_int(CNET_AF_INET),
                                         cnet_sock_type_to_int(CNET_SOCK_STREAM), 0, &h), CNET_OK,
                 "socket: %s", cnet_last_error_message());
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_IP, CNET_IP_TTL, &value), CNET_OK,
                 "get: %s", cnet_last_error_message());
    cr_assert_eq(cnet_set_sock_opt_int(h, CNET_SOL_IP, CNET_IP_TTL, 42), CNET_OK,
                 "set: %s", cnet_last_error_message());
    cr_assert_eq(cnet_get_sock_opt_int(h, CNET_SOL_IP, CNET_IP_TTL, &value), CNET_OK);
    cr_assert_eq(value, 42, "CNET_IP_TTL read back %d after setting 42", value);
    cr_assert_eq(cnet_close(h), CNET_OK);
#else
    cr_skip_test("CNET_IP_TTL does not exist on this platform");
#endif
}
