/* Module net: the buffered socket, every proc and every fixed defect of Nim. */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#if !defined(_WIN32)
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/time.h>
#endif

#include "test_common.h"

/* A listening cnet socket on loopback of the domain, port 0. */
static cnet_socket *listener(cnet_domain domain, cnet_port *port)
{
    cnet_socket *s = NULL;
    TC_OK(cnet_socket_new(domain, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &s));
    TC_OK(cnet_socket_set_sock_opt(s, CNET_OPT_REUSE_ADDR, true, CNET_OPT_LEVEL_AUTO));
    TC_OK(cnet_socket_bind_addr(s, CNET_PORT(0), domain == CNET_AF_INET6 ? "::1" : "127.0.0.1"));
    TC_OK(cnet_socket_listen(s, CNET_SOMAXCONN));
    char addr[CNET_ADDRSTRLEN];
    TC_OK(cnet_socket_get_local_addr(s, addr, sizeof addr, port));
    return s;
}

/* A connected pair over TCP loopback: *a is the client, *b the accepted end. */
static void tcp_pair(bool buffered, cnet_socket **a, cnet_socket **b)
{
    cnet_port port;
    cnet_socket *srv = listener(CNET_AF_INET, &port);
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, buffered, false, a));
    TC_OK(cnet_socket_connect(*a, "127.0.0.1", port, 2000));
    *b = NULL;
    TC_OK(cnet_socket_accept(srv, b, CNET_FLAGS_DEFAULT));
    cnet_socket_free(srv);
}

/* Write raw bytes on the other end of a pair. */
static void raw_send(cnet_socket *s, const char *data, size_t n)
{
    size_t sent;
    TC_OK(cnet_socket_send(s, data, n, 0, &sent));
    cr_assert_eq(sent, n);
}

/* Make the next close of s send a reset (RST) instead of a FIN. */
static void abortive(cnet_socket *s)
{
    struct linger lg = {1, 0};
    cr_assert_eq(setsockopt(cnet_socket_get_fd(s), SOL_SOCKET, SO_LINGER, (const void *)&lg, sizeof lg), 0);
}

/* ---------------------------------------------------------- lifecycle */

Test(net_socket, new_forms_and_properties)
{
    cnet_socket *s = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET6, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &s));
    bool v6only = true;
    TC_OK(cnet_socket_get_sock_opt(s, CNET_OPT_V6_ONLY, CNET_OPT_LEVEL_AUTO, &v6only));
    cr_assert_not(v6only, "AF_INET6 sockets are dual stack, set explicitly");
    cr_assert_not(cnet_socket_is_ssl(s));
    cr_assert_neq(cnet_socket_get_fd(s), CNET_INVALID_SOCKET);
    cr_assert(tc_cloexec(cnet_socket_get_fd(s)));
    cr_assert_eq(cnet_socket_last_error(s), CNET_OK);
    cnet_socket_free(s);

    TC_OK(cnet_socket_new_int(AF_INET, SOCK_DGRAM, 0, false, true, &s));
    cr_assert_not(tc_cloexec(cnet_socket_get_fd(s)), "inheritable");
    cnet_socket_free(s);

    cnet_socket_handle h;
    TC_OK(cnet_create_native_socket(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, false, &h));
    TC_OK(cnet_socket_from_handle(h, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, &s));
    cr_assert_eq(cnet_socket_get_fd(s), h);
    cnet_socket_free(s);
    cnet_socket_free(NULL);
}

Test(net_socket, domain_type_and_protocol)
{
    cnet_socket *s = NULL, *u = NULL, *a = NULL, *c = NULL;
    cnet_domain d = CNET_AF_UNSPEC;
    cnet_sock_type t = CNET_SOCK_RAW;
    cnet_protocol p = CNET_IPPROTO_RAW;
    TC_OK(cnet_socket_new(CNET_AF_INET6, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &s));
    TC_OK(cnet_socket_get_domain(s, &d));
    TC_OK(cnet_socket_get_type(s, &t));
    TC_OK(cnet_socket_get_protocol(s, &p));
    cr_assert_eq(d, CNET_AF_INET6);
    cr_assert_eq(t, CNET_SOCK_STREAM);
    cr_assert_eq(p, CNET_IPPROTO_TCP);
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, false, false, &u));
    TC_OK(cnet_socket_get_domain(u, &d));
    TC_OK(cnet_socket_get_type(u, &t));
    TC_OK(cnet_socket_get_protocol(u, &p));
    cr_assert_eq(d, CNET_AF_INET);
    cr_assert_eq(t, CNET_SOCK_DGRAM);
    cr_assert_eq(p, CNET_IPPROTO_UDP);

    /* An accepted socket has its listener's family and protocol. */
    cnet_port port;
    cnet_socket *srv = listener(CNET_AF_INET, &port);
    TC_OK(cnet_dial("127.0.0.1", port, CNET_IPPROTO_TCP, true, 2000, &c));
    TC_OK(cnet_socket_accept(srv, &a, CNET_FLAGS_DEFAULT));
    TC_OK(cnet_socket_get_domain(a, &d));
    TC_OK(cnet_socket_get_type(a, &t));
    TC_OK(cnet_socket_get_protocol(a, &p));
    cr_assert_eq(d, CNET_AF_INET);
    cr_assert_eq(t, CNET_SOCK_STREAM);
    cr_assert_eq(p, CNET_IPPROTO_TCP);

    TC_ERR(CNET_EINVAL, cnet_socket_get_domain(NULL, &d));
    TC_ERR(CNET_EINVAL, cnet_socket_get_type(NULL, &t));
    TC_ERR(CNET_EINVAL, cnet_socket_get_protocol(NULL, &p));
    TC_ERR(CNET_EINVAL, cnet_socket_get_domain(s, NULL));
    TC_ERR(CNET_EINVAL, cnet_socket_get_type(s, NULL));
    TC_ERR(CNET_EINVAL, cnet_socket_get_protocol(s, NULL));
    TC_OK(cnet_socket_close(s, CNET_FLAGS_DEFAULT));
    TC_ERR(CNET_ECLOSED, cnet_socket_get_domain(s, &d));
    TC_ERR(CNET_ECLOSED, cnet_socket_get_type(s, &t));
    TC_ERR(CNET_ECLOSED, cnet_socket_get_protocol(s, &p));
    cnet_socket_free(a);
    cnet_socket_free(c);
    cnet_socket_free(srv);
    cnet_socket_free(u);
    cnet_socket_free(s);
}

Test(net_socket, new_errors)
{
    cnet_socket *s = (cnet_socket *)1;
    TC_ERR(CNET_EINVAL, cnet_socket_new((cnet_domain)99, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &s));
    TC_ERR(CNET_EINVAL, cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, NULL));
    TC_ERR(CNET_EAFNOSUPPORT, cnet_socket_new_int(4242, SOCK_STREAM, 0, true, false, &s));
    cr_assert_null(s);
    TC_ERR(CNET_EBADF, cnet_socket_from_handle(CNET_INVALID_SOCKET, CNET_AF_INET, CNET_SOCK_STREAM,
                                               CNET_IPPROTO_TCP, true, &s));
}

Test(net_socket, use_after_close_and_double_close)
{
    cnet_socket *s = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &s));
    TC_OK(cnet_socket_close(s, CNET_FLAGS_DEFAULT));
    TC_OK(cnet_socket_close(s, CNET_FLAGS_DEFAULT));
    cr_assert_eq(cnet_socket_get_fd(s), CNET_INVALID_SOCKET);
    /* The held queries answer their spec's closed_returns, for NULL too. */
    cr_assert_not(cnet_socket_is_ssl(s));
    cr_assert_not(cnet_socket_has_data_buffered(s));
    cr_assert_null(cnet_socket_ssl_handle(s));
    cr_assert_eq(cnet_socket_get_fd(NULL), CNET_INVALID_SOCKET);
    cr_assert_not(cnet_socket_is_ssl(NULL));
    cr_assert_not(cnet_socket_has_data_buffered(NULL));
    cr_assert_null(cnet_socket_ssl_handle(NULL));
    char buf[8];
    size_t n;
    cnet_read_line_result r;
    TC_ERR(CNET_ECLOSED, cnet_socket_recv(s, buf, 1, -1, 0, &n));
    TC_ERR(CNET_ECLOSED, cnet_socket_send(s, "x", 1, 0, NULL));
    TC_ERR(CNET_ECLOSED, cnet_socket_read_line(s, buf, sizeof buf, &n, &r, -1, 0));
    TC_ERR(CNET_ECLOSED, cnet_socket_connect(s, "127.0.0.1", CNET_PORT(1), 10));
    TC_ERR(CNET_ECLOSED, cnet_socket_bind_addr(s, CNET_PORT(0), ""));
    TC_ERR(CNET_ECLOSED, cnet_socket_listen(s, 1));
    TC_ERR(CNET_ECLOSED, cnet_socket_set_sock_opt(s, CNET_OPT_KEEP_ALIVE, true, CNET_OPT_LEVEL_AUTO));
    cr_assert_eq(cnet_socket_last_error(s), CNET_ECLOSED);
    cr_assert_not(cnet_socket_try_send(s, "x", 1));
    cnet_socket_free(s);
}

Test(net_socket, socket_error_mirrors_nim)
{
    cnet_socket *s = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &s));
    TC_OK(cnet_socket_error(s, 0, false, 0));
    TC_ERR(CNET_EINVAL, cnet_socket_error(s, -1, false, 0)); /* "no valid socket error code" */
    TC_ERR(CNET_ECONNREFUSED, cnet_socket_connect(s, "127.0.0.1", CNET_PORT(1), 1000));
    cr_assert_eq(cnet_socket_error(s, -1, false, 0), CNET_ECONNREFUSED);
    cnet_socket_free(s);
    cr_assert(cnet_is_disconnection_error(CNET_FLAG_SAFE_DISCONN, CNET_ECONNRESET));
    cr_assert(cnet_is_disconnection_error(CNET_FLAG_SAFE_DISCONN, CNET_EPIPE));
    cr_assert(cnet_is_disconnection_error(CNET_FLAG_SAFE_DISCONN, CNET_ENETRESET));
    cr_assert_not(cnet_is_disconnection_error(0, CNET_ECONNRESET));
    cr_assert_not(cnet_is_disconnection_error(CNET_FLAG_SAFE_DISCONN, CNET_ETIMEDOUT));
    cr_assert_not(cnet_is_disconnection_error(CNET_FLAG_SAFE_DISCONN, CNET_ENOTCONN));
    cr_assert_eq(cnet_to_os_flags(CNET_FLAG_PEEK | CNET_FLAG_SAFE_DISCONN), MSG_PEEK);
    cr_assert_eq(cnet_to_os_flags(CNET_FLAG_SAFE_DISCONN), 0);
}

/* ------------------------------------------------------------- options */

Test(net_options, levels_are_right)
{
    cnet_socket *s = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &s));
    TC_OK(cnet_socket_set_sock_opt(s, CNET_OPT_NO_DELAY, true, CNET_OPT_LEVEL_AUTO));
    int v = 0;
    TC_OK(cnet_get_sock_opt_int(cnet_socket_get_fd(s), CNET_SOL_TCP, CNET_TCP_NODELAY, &v));
    cr_assert_eq(v, 1, "OptNoDelay must land at IPPROTO_TCP (Nim sets SOL_SOCKET option 1 = SO_DEBUG)");
    int dbg = -1;
    TC_OK(cnet_get_sock_opt_int(cnet_socket_get_fd(s), CNET_SOL_SOCKET, CNET_SO_DEBUG, &dbg));
    cr_assert_eq(dbg, 0);
    static const cnet_sobool opts[] = {
        CNET_OPT_BROADCAST,  CNET_OPT_KEEP_ALIVE, CNET_OPT_OOB_INLINE, CNET_OPT_REUSE_ADDR,
#if !defined(_WIN32)
        CNET_OPT_DONT_ROUTE, /* wine ignores SO_DONTROUTE (see spec sockopts) */
        CNET_OPT_REUSE_PORT, /* no SO_REUSEPORT on Windows */
#endif
        CNET_OPT_NO_DELAY};
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
        bool b = false;
        TC_OK(cnet_socket_set_sock_opt(s, opts[i], true, CNET_OPT_LEVEL_AUTO));
        TC_OK(cnet_socket_get_sock_opt(s, opts[i], CNET_OPT_LEVEL_AUTO, &b));
        cr_assert(b, "option %d", (int)opts[i]);
        TC_OK(cnet_socket_set_sock_opt(s, opts[i], false, CNET_OPT_LEVEL_AUTO));
        TC_OK(cnet_socket_get_sock_opt(s, opts[i], CNET_OPT_LEVEL_AUTO, &b));
        cr_assert_not(b, "option %d", (int)opts[i]);
    }
    bool acc = true;
    TC_OK(cnet_socket_get_sock_opt(s, CNET_OPT_ACCEPT_CONN, CNET_OPT_LEVEL_AUTO, &acc));
    cr_assert_not(acc);
    /* An explicit level is honoured, as in Nim. */
    TC_OK(cnet_socket_set_sock_opt(s, CNET_OPT_KEEP_ALIVE, true, CNET_SOL_SOCKET));
    TC_ERR(CNET_EINVAL, cnet_socket_set_sock_opt(s, (cnet_sobool)77, true, CNET_OPT_LEVEL_AUTO));
    TC_ERR(CNET_EINVAL, cnet_socket_get_sock_opt(s, CNET_OPT_DEBUG, CNET_OPT_LEVEL_AUTO, NULL));
    cr_assert_neq(cnet_socket_get_sock_opt(s, CNET_OPT_NO_DELAY, 9999, &acc), CNET_OK, "a bogus level fails");
    cr_assert_eq(cnet_sobool_to_c_int(CNET_OPT_REUSE_ADDR), SO_REUSEADDR);
    cr_assert_eq(cnet_sobool_to_c_int(CNET_OPT_NO_DELAY), TCP_NODELAY);
    cr_assert_eq(cnet_sobool_to_c_int((cnet_sobool)50), -1);
    cnet_socket_free(s);
}

/* ------------------------------------------------ bind, listen, accept */

Test(net_server, bind_empty_address_means_any)
{
    cnet_socket *s = NULL;
    char addr[CNET_ADDRSTRLEN];
    TC_OK(cnet_socket_new(CNET_AF_INET6, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &s));
    TC_OK(cnet_socket_bind_addr(s, CNET_PORT(0), ""));
    TC_OK(cnet_socket_get_local_addr(s, addr, sizeof addr, NULL));
    cr_assert_str_eq(addr, "::", "AF_INET6 binds \"::\" (the seed bound IPv4 any)");
    cnet_socket_free(s);
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &s));
    TC_OK(cnet_socket_bind_addr(s, CNET_PORT(0), NULL));
    TC_OK(cnet_socket_get_local_addr(s, addr, sizeof addr, NULL));
    cr_assert_str_eq(addr, "0.0.0.0");
    cnet_socket_free(s);
}

Test(net_server, bind_rejects_loose_literals_before_resolution)
{
    static const char *bad[] = {"127.1", "0x7f.0.0.1", "0177.0.0.1", "2130706433", "1.2.3", "256.1.1.1",
                                "1.2.3.4.5", ":::1", "1::2::3", "[::1]", "abcde::1", "127.0.0.1.", " 127.0.0.1"};
    cnet_socket *s = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &s));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cnet_err err = cnet_socket_bind_addr(s, CNET_PORT(0), bad[i]);
        cr_expect_neq(err, CNET_OK, "bind accepted \"%s\"", bad[i]);
    }
    /* The same literals are refused by connect, send_to and dial. */
    cr_assert_neq(cnet_socket_connect(s, "127.1", CNET_PORT(9), 100), CNET_OK);
    cnet_socket *d = NULL;
    cr_assert_neq(cnet_dial("0177.0.0.1", CNET_PORT(9), CNET_IPPROTO_TCP, true, 100, &d), CNET_OK);
    cr_assert_null(d);
    cnet_socket *u = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, false, false, &u));
    cr_assert_neq(cnet_socket_send_to(u, "0x7f.0.0.1", CNET_PORT(9), "x", 1, 0), CNET_OK);
    cnet_socket_free(u);
    cnet_socket_free(s);
}

Test(net_server, bind_errors)
{
    cnet_port port;
    cnet_socket *busy = listener(CNET_AF_INET, &port), *s;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &s));
    TC_ERR(CNET_EADDRINUSE, cnet_socket_bind_addr(s, port, "127.0.0.1"));
    TC_ERR(CNET_EADDRNOTAVAIL, cnet_socket_bind_addr(s, CNET_PORT(0), "192.0.2.1"));
    TC_ERR(CNET_EAFNOSUPPORT, cnet_socket_bind_addr(s, CNET_PORT(0), "::1"));
    TC_ERR(CNET_ENOTFOUND, cnet_socket_bind_addr(s, CNET_PORT(0), TC_UNKNOWN_HOST));
    TC_ERR(CNET_EINVAL, cnet_socket_bind_addr(NULL, CNET_PORT(0), ""));
    TC_ERR(CNET_EINVAL, cnet_socket_listen(s, -5));
    cnet_socket_free(s);
    cnet_socket_free(busy);
}

Test(net_server, reuse_addr_allows_restart)
{
    cnet_port port;
    cnet_socket *srv = listener(CNET_AF_INET, &port), *c, *a = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &c));
    TC_OK(cnet_socket_connect(c, "127.0.0.1", port, 1000));
    TC_OK(cnet_socket_accept(srv, &a, CNET_FLAGS_DEFAULT));
    /* The server side closes first: its port is left in TIME_WAIT. */
    cnet_socket_free(a);
    cnet_socket_free(srv);
    cnet_socket_free(c);
    cnet_socket *again = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &again));
    TC_OK(cnet_socket_set_sock_opt(again, CNET_OPT_REUSE_ADDR, true, CNET_OPT_LEVEL_AUTO));
    TC_OK(cnet_socket_bind_addr(again, port, "127.0.0.1"));
    TC_OK(cnet_socket_listen(again, 5));
    cnet_socket_free(again);
}

Test(net_server, accept_addr_reports_ipv6_and_mapped_peers)
{
    cnet_socket *srv = NULL, *c = NULL, *a = NULL;
    cnet_port port;
    char addr[CNET_ADDRSTRLEN];
    TC_OK(cnet_socket_new(CNET_AF_INET6, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, false, false, &srv));
    TC_OK(cnet_socket_bind_addr(srv, CNET_PORT(0), "::"));
    TC_OK(cnet_socket_listen(srv, 5));
    TC_OK(cnet_socket_get_local_addr(srv, addr, sizeof addr, &port));

    TC_OK(cnet_socket_new(CNET_AF_INET6, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &c));
    TC_OK(cnet_socket_connect(c, "::1", port, 1000));
    TC_OK(cnet_socket_accept_addr(srv, &a, addr, sizeof addr, CNET_FLAGS_DEFAULT));
    cr_assert_str_eq(addr, "::1", "Nim gives 0.0.0.0 here");
    cr_assert_not(cnet_socket_has_data_buffered(a));
    cnet_socket_free(c);
    TC_OK(cnet_socket_close(a, CNET_FLAGS_DEFAULT));

    /* Dual stack: an IPv4 client is seen as ::ffff:127.0.0.1, and a closed
     * client object is reused. */
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &c));
    TC_OK(cnet_socket_connect(c, "127.0.0.1", port, 1000));
    cnet_socket *reused = a;
    TC_OK(cnet_socket_accept_addr(srv, &a, addr, sizeof addr, CNET_FLAGS_DEFAULT));
    cr_assert_eq(a, reused);
    cr_assert_str_eq(addr, "::ffff:127.0.0.1");
    char peer[CNET_ADDRSTRLEN];
    TC_OK(cnet_socket_get_peer_addr(a, peer, sizeof peer, NULL));
    cr_assert_str_eq(peer, addr, "accept and getPeerAddr agree");
    /* An open client object is refused rather than leaked. */
    TC_ERR(CNET_EINVAL, cnet_socket_accept(srv, &a, CNET_FLAGS_DEFAULT));
    char small[4];
    cnet_socket *x = NULL;
    TC_ERR(CNET_ERANGE, cnet_socket_accept_addr(srv, &x, small, sizeof small, CNET_FLAGS_DEFAULT));
    cnet_socket_free(a);
    cnet_socket_free(c);
    cnet_socket_free(srv);
}

Test(net_server, v6only_on_refuses_ipv4)
{
    cnet_socket *srv = NULL, *c = NULL;
    cnet_port port;
    char addr[CNET_ADDRSTRLEN];
    TC_OK(cnet_socket_new(CNET_AF_INET6, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &srv));
    TC_OK(cnet_socket_set_sock_opt(srv, CNET_OPT_V6_ONLY, true, CNET_OPT_LEVEL_AUTO));
    TC_OK(cnet_socket_bind_addr(srv, CNET_PORT(0), ""));
    TC_OK(cnet_socket_listen(srv, 5));
    TC_OK(cnet_socket_get_local_addr(srv, addr, sizeof addr, &port));
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &c));
    TC_ERR(CNET_ECONNREFUSED, cnet_socket_connect(c, "127.0.0.1", port, 1000));
    cnet_socket_free(c);
    TC_OK(cnet_socket_new(CNET_AF_INET6, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &c));
    TC_OK(cnet_socket_connect(c, "::1", port, 1000));
    cnet_socket_free(c);
    cnet_socket_free(srv);
}

Test(net_server, accept_out_of_descriptors_recovers)
{
#if defined(_WIN32)
    cr_skip_test("RLIMIT_NOFILE is a POSIX limit");
#else
    if (tc_under_valgrind())
        cr_skip_test("valgrind keeps descriptors of its own under RLIMIT_NOFILE and fakes the limit (the ASan builds run it)");
    cnet_port port;
    cnet_socket *srv = listener(CNET_AF_INET, &port), *c, *a = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &c));
    TC_OK(cnet_socket_connect(c, "127.0.0.1", port, 1000));
    /* Use up every descriptor the limit allows, then accept. */
    struct rlimit old, low;
    cr_assert_eq(getrlimit(RLIMIT_NOFILE, &old), 0);
    low = old;
    low.rlim_cur = (rlim_t)tc_open_fds() + 8;
    cr_assert_eq(setrlimit(RLIMIT_NOFILE, &low), 0);
    int spare[64], n = 0;
    while (n < 64 && (spare[n] = dup(0)) >= 0)
        n++;
    cr_assert_lt(n, 64, "the lowered limit took effect");
    int64_t t0 = tc_now_ms();
    TC_ERR(CNET_EMFILE, cnet_socket_accept(srv, &a, CNET_FLAGS_DEFAULT));
    cr_assert_lt(tc_now_ms() - t0, 1000, "an error at once, no spinning");
    cr_assert_null(a);
    /* Once descriptors are free again the pending client is accepted. */
    while (n > 0)
        close(spare[--n]);
    setrlimit(RLIMIT_NOFILE, &old);
    TC_OK(cnet_socket_accept(srv, &a, CNET_FLAGS_DEFAULT));
    cnet_socket_free(a);
    cnet_socket_free(c);
    cnet_socket_free(srv);
#endif
}

Test(net_server, accept_honours_the_default_deadline)
{
    cnet_port port;
    cnet_socket *srv = listener(CNET_AF_INET, &port), *a = NULL;
    TC_OK(cnet_socket_set_timeout(srv, 80));
    int64_t t0 = tc_now_ms();
    TC_ERR(CNET_ETIMEDOUT, cnet_socket_accept(srv, &a, CNET_FLAGS_DEFAULT));
    cr_assert_geq(tc_now_ms() - t0, 75);
    cr_assert_null(a);
    cr_assert_not(tc_nonblocking(cnet_socket_get_fd(srv)), "the listener stays blocking");
    TC_ERR(CNET_EINVAL, cnet_socket_set_timeout(srv, -2));
    cnet_socket_free(srv);
}

static void connect_accept_close(cnet_socket *srv, cnet_port port, cnet_socket **a)
{
    cnet_socket *c = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &c));
    TC_OK(cnet_socket_connect(c, "127.0.0.1", port, 1000));
    TC_OK(cnet_socket_accept(srv, a, CNET_FLAGS_DEFAULT));
    TC_OK(cnet_socket_close(*a, CNET_FLAGS_DEFAULT));
    cnet_socket_free(c);
}

/* Nim's accept(server, client) fills a client object the caller made: a
 * closed cnet_socket passed back in is reused, buffer included. */
Test(net_server, accept_into_a_reused_object_reads_through_its_buffer)
{
    cnet_port port;
    cnet_socket *srv = listener(CNET_AF_INET, &port);
    cnet_socket *a = NULL, *c = NULL;
    connect_accept_close(srv, port, &a);
    cnet_socket *kept = a;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &c));
    TC_OK(cnet_socket_connect(c, "127.0.0.1", port, 1000));
    TC_OK(cnet_socket_accept(srv, &a, CNET_FLAGS_DEFAULT));
    cr_assert_eq(a, kept, "the closed object is reused");
    raw_send(c, "hello\r\nworld\n", 14);
    char line[32];
    size_t n;
    cnet_read_line_result r;
    TC_OK(cnet_socket_read_line(a, line, sizeof line, &n, &r, 2000, CNET_FLAGS_DEFAULT));
    cr_assert_eq(r, CNET_READ_FULL_LINE);
    cr_assert_str_eq(line, "hello");
    TC_OK(cnet_socket_read_line(a, line, sizeof line, &n, &r, 2000, CNET_FLAGS_DEFAULT));
    cr_assert_str_eq(line, "world");
    cnet_socket_free(c);
    cnet_socket_free(a);
    cnet_socket_free(srv);
}

Test(net_server, no_descriptor_leak_over_1000_cycles)
{
    cnet_port port;
    cnet_socket *srv = listener(CNET_AF_INET, &port);
    cnet_socket *a = NULL, *d = NULL;
    /* One warm-up round first: what the system allocates once (the io_uring
     * ring, handles wine opens lazily) is not a leak. */
    connect_accept_close(srv, port, &a);
    cr_assert_neq(cnet_dial("127.0.0.1", CNET_PORT(1), CNET_IPPROTO_TCP, true, 1000, &d), CNET_OK);
    int before = tc_open_fds();
    for (int i = 0; i < 1000; i++)
        connect_accept_close(srv, port, &a);
    /* Failed connects and dials leak nothing either. */
    for (int i = 0; i < 50; i++) {
        cr_assert_neq(cnet_dial("127.0.0.1", CNET_PORT(1), CNET_IPPROTO_TCP, true, 1000, &d), CNET_OK);
        cr_assert_null(d);
    }
    cr_assert_eq(tc_open_fds(), before);
    cnet_socket_free(a);
    cnet_socket_free(srv);
}

/* ------------------------------------------------------------- connect */

Test(net_client, connect_refused_and_unknown_host)
{
    cnet_socket *s = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &s));
    TC_ERR(CNET_ECONNREFUSED, cnet_socket_connect(s, "127.0.0.1", CNET_PORT(1), -1));
    cr_assert_not(tc_nonblocking(cnet_socket_get_fd(s)));
    TC_ERR(CNET_ECONNREFUSED, cnet_socket_connect(s, "127.0.0.1", CNET_PORT(1), 500));
    cr_assert_not(tc_nonblocking(cnet_socket_get_fd(s)), "blocking mode restored");
    TC_ERR(CNET_ENOTFOUND, cnet_socket_connect(s, TC_UNKNOWN_HOST, CNET_PORT(80), 500));
    TC_ERR(CNET_EINVAL, cnet_socket_connect(s, NULL, CNET_PORT(80), 500));
    TC_ERR(CNET_EINVAL, cnet_socket_connect(s, "127.0.0.1", CNET_PORT(80), -7));
    cnet_socket_free(s);
}

Test(net_client, ipv4_on_an_ipv6_only_socket_says_so)
{
    cnet_port port;
    cnet_socket *srv = listener(CNET_AF_INET, &port), *s = NULL, *dual = NULL, *a = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET6, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &s));
    TC_OK(cnet_socket_set_sock_opt(s, CNET_OPT_V6_ONLY, true, CNET_OPT_LEVEL_AUTO));
    TC_ERR(CNET_EAFNOSUPPORT, cnet_socket_connect(s, "127.0.0.1", port, 1000));
    cr_assert(strstr(cnet_last_error_message(), "IPv6-only") != NULL, "%s", cnet_last_error_message());
    cr_assert_eq(cnet_socket_last_error(s), CNET_EAFNOSUPPORT);
    /* The mirror case names the family too. */
    cnet_socket *v4 = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &v4));
    TC_ERR(CNET_EAFNOSUPPORT, cnet_socket_connect(v4, "::1", port, 1000));
    cr_assert(strstr(cnet_last_error_message(), "AF_INET socket") != NULL, "%s", cnet_last_error_message());
    /* Dual stack (the default) still reaches IPv4 through ::ffff:127.0.0.1. */
    TC_OK(cnet_socket_new(CNET_AF_INET6, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &dual));
    TC_OK(cnet_socket_connect(dual, "127.0.0.1", port, 1000));
    TC_OK(cnet_socket_accept(srv, &a, CNET_FLAGS_DEFAULT));
    cnet_socket_free(a);
    cnet_socket_free(dual);
    cnet_socket_free(v4);
    cnet_socket_free(s);
    cnet_socket_free(srv);
}

Test(net_client, connect_timeout_against_a_blackhole)
{
    /* Loopback blackhole: a listener with a full accept queue drops SYNs. */
    cnet_socket *bh = NULL;
    cnet_port port;
    char addr[CNET_ADDRSTRLEN];
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &bh));
    TC_OK(cnet_socket_bind_addr(bh, CNET_PORT(0), "127.0.0.1"));
    TC_OK(cnet_socket_listen(bh, 0));
    TC_OK(cnet_socket_get_local_addr(bh, addr, sizeof addr, &port));
    cnet_socket *fillers[4];
    for (int i = 0; i < 4; i++) {
        TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &fillers[i]));
        cnet_socket_connect(fillers[i], "127.0.0.1", port, 100); /* some of these time out already */
    }
    cnet_socket *s = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &s));
    int before = tc_open_fds();
    int64_t t0 = tc_now_ms();
    TC_ERR(CNET_ETIMEDOUT, cnet_socket_connect(s, "127.0.0.1", port, 150));
    int64_t took = tc_now_ms() - t0;
    cr_assert_geq(took, 145, "returned after %lld ms", (long long)took);
    cr_assert_not(tc_nonblocking(cnet_socket_get_fd(s)), "Nim leaves the socket non-blocking");
    cr_assert_eq(tc_open_fds(), before);
    /* The per-socket default deadline covers connect too. */
    cnet_socket *s2 = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &s2));
    TC_OK(cnet_socket_set_timeout(s2, 100));
    TC_ERR(CNET_ETIMEDOUT, cnet_socket_connect(s2, "127.0.0.1", port, -1));
    cnet_socket *d = NULL;
    TC_ERR(CNET_ETIMEDOUT, cnet_dial("127.0.0.1", port, CNET_IPPROTO_TCP, true, 100, &d));
    cr_assert_null(d);
    cnet_socket_free(s2);
    cnet_socket_free(s);
    for (int i = 0; i < 4; i++)
        cnet_socket_free(fillers[i]);
    cnet_socket_free(bh);
}

Test(net_client, dial_by_name_and_literal)
{
    tc_require_localhost();
    cnet_port port;
    cnet_socket *srv = listener(CNET_AF_INET, &port), *c = NULL, *a = NULL;
    TC_OK(cnet_dial("localhost", port, CNET_IPPROTO_TCP, true, 2000, &c));
    TC_OK(cnet_socket_accept(srv, &a, CNET_FLAGS_DEFAULT));
    TC_OK(cnet_socket_send_str(c, "hi\n", 0));
    char line[16];
    size_t n;
    cnet_read_line_result r;
    TC_OK(cnet_socket_read_line(a, line, sizeof line, &n, &r, 1000, CNET_FLAGS_DEFAULT));
    cr_assert_str_eq(line, "hi");
    cnet_socket_free(c);
    c = NULL;
    TC_OK(cnet_dial("127.0.0.1", port, CNET_IPPROTO_TCP, false, -1, &c));
    cnet_socket_free(c);
    c = NULL;
    TC_ERR(CNET_ENOTFOUND, cnet_dial(TC_UNKNOWN_HOST, port, CNET_IPPROTO_TCP, true, 500, &c));
    TC_ERR(CNET_EINVAL, cnet_dial("localhost", port, CNET_IPPROTO_TCP, true, 500, NULL));
    cnet_socket_free(a);
    cnet_socket_free(srv);
}

/* cnet_dial over "localhost" where the first address refuses and a later
 * one listens: the call succeeds, and the refusal of its first attempt does
 * not become the thread's last error (the state from before the call
 * stays). Needs "localhost" with an IPv4 and an IPv6 address. */
Test(net_client, a_dial_that_succeeds_leaves_no_message_of_its_failed_attempts)
{
#if defined(__linux__)
    tc_with_hosts_file("::1 localhost\n127.0.0.1 localhost\n");
#endif
    int first, last;
    tc_localhost_two_families(&first, &last);
    cnet_port port;
    cnet_socket *srv = listener(last == AF_INET6 ? CNET_AF_INET6 : CNET_AF_INET, &port), *c = NULL;
    /* A known earlier failure of this thread. */
    cnet_port ignored;
    cr_assert_neq(cnet_port_parse("80x", &ignored), CNET_OK);
    char before[256];
    snprintf(before, sizeof before, "%s", cnet_last_error_message());
    cnet_err code = cnet_last_error();
    cr_assert_neq(before[0], '\0');
    TC_OK(cnet_dial("localhost", port, CNET_IPPROTO_TCP, true, 2000, &c));
    cr_assert_str_eq(cnet_last_error_message(), before, "stale: %s", cnet_last_error_message());
    cr_assert_eq(cnet_last_error(), code);
    cnet_socket_free(c);
    /* A dial whose every attempt fails still says why. */
    cnet_socket_free(srv);
    TC_ERR(CNET_ECONNREFUSED, cnet_dial("localhost", port, CNET_IPPROTO_TCP, true, 2000, &c));
    cr_assert(strstr(cnet_last_error_message(), "refused") != NULL || strstr(cnet_last_error_message(), "REFUSED") != NULL,
              "%s", cnet_last_error_message());
}

/* ----------------------------------------------------------------- recv */

Test(net_recv, buffered_recv_waits_for_size_or_close)
{
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair(true, &a, &b);
    raw_send(b, "12345", 5);
    char buf[16] = {0};
    size_t n;
    TC_OK(cnet_socket_recv(a, buf, 3, -1, 0, &n));
    cr_assert_eq(n, 3);
    cr_assert(cnet_socket_has_data_buffered(a));
    TC_OK(cnet_socket_shutdown(b, false, true));
    TC_OK(cnet_socket_recv(a, buf, 10, -1, 0, &n));
    cr_assert_eq(n, 2, "short count only at end of stream");
    cr_assert(memcmp(buf, "45", 2) == 0);
    TC_OK(cnet_socket_recv(a, buf, 10, -1, 0, &n));
    cr_assert_eq(n, 0);
    TC_OK(cnet_socket_recv(a, buf, 10, -1, 0, &n));
    cr_assert_eq(n, 0, "end of stream is reported every time");
    TC_OK(cnet_socket_recv(a, buf, 0, -1, 0, &n));
    cnet_socket_free(a);
    cnet_socket_free(b);
}

Test(net_recv, timeout_keeps_the_bytes_that_arrived)
{
    for (int buffered = 0; buffered < 2; buffered++) {
        cnet_socket *a = NULL, *b = NULL;
        tcp_pair(buffered, &a, &b);
        raw_send(b, "slow!", 5);
        char buf[16] = {0};
        size_t n = 99;
        int64_t t0 = tc_now_ms();
        TC_ERR(CNET_ETIMEDOUT, cnet_socket_recv(a, buf, 10, 100, 0, &n));
        cr_assert_geq(tc_now_ms() - t0, 95);
        cr_assert_eq(n, 5, "Nim loses these bytes");
        cr_assert(memcmp(buf, "slow!", 5) == 0);
        /* A timeout does not break the stream. */
        raw_send(b, "more", 4);
        TC_OK(cnet_socket_recv(a, buf, 4, 1000, 0, &n));
        cr_assert(memcmp(buf, "more", 4) == 0);
        cnet_socket_free(a);
        cnet_socket_free(b);
    }
}

Test(net_recv, zero_timeout_serves_buffered_data)
{
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair(true, &a, &b);
    raw_send(b, "abcdef", 6);
    char buf[8];
    size_t n;
    TC_OK(cnet_socket_recv(a, buf, 2, 1000, 0, &n));
    TC_OK(cnet_socket_recv(a, buf, 4, 0, 0, &n));
    cr_assert_eq(n, 4);
    TC_ERR(CNET_ETIMEDOUT, cnet_socket_recv(a, buf, 1, 0, 0, &n));
    cnet_socket_free(a);
    cnet_socket_free(b);
}

Test(net_recv, recv_some_peek_and_string)
{
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair(false, &a, &b);
    raw_send(b, "hello world", 11);
    char buf[32] = {0};
    size_t n;
    TC_OK(cnet_socket_recv(a, buf, 5, 1000, CNET_FLAG_PEEK, &n));
    cr_assert_geq(n, 1);
    cr_assert(memcmp(buf, "hello", n < 5 ? n : 5) == 0);
    char *s;
    size_t len;
    TC_OK(cnet_socket_recv_string(a, 5, 1000, CNET_FLAGS_DEFAULT, &s, &len));
    cr_assert_eq(len, 5);
    cr_assert_str_eq(s, "hello");
    free(s);
    TC_OK(cnet_socket_recv_some(a, buf, sizeof buf, 1000, 0, &n));
    cr_assert_eq(n, 6);
    cr_assert(memcmp(buf, " world", 6) == 0);
    TC_ERR(CNET_EINVAL, cnet_socket_recv_some(a, buf, 0, 1000, 0, &n));
    TC_ERR(CNET_EINVAL, cnet_socket_recv(a, buf, 1, 1000, 0, NULL));
    cnet_socket_free(a);
    cnet_socket_free(b);
}

Test(net_recv, skip)
{
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair(true, &a, &b);
    static char big[20000];
    memset(big, 'x', sizeof big);
    big[sizeof big - 1] = 'E';
    raw_send(b, big, sizeof big);
    size_t skipped;
    TC_OK(cnet_socket_skip(a, sizeof big - 1, 2000, &skipped));
    cr_assert_eq(skipped, sizeof big - 1);
    char c;
    size_t n;
    TC_OK(cnet_socket_recv(a, &c, 1, 1000, 0, &n));
    cr_assert_eq(c, 'E');
    TC_ERR(CNET_ETIMEDOUT, cnet_socket_skip(a, 10, 50, &skipped));
    cr_assert_eq(skipped, 0);
    cnet_socket_free(a);
    cnet_socket_free(b);
}

Test(net_recv, reset_is_latched_and_queued_data_comes_first)
{
    tc_require_reset_on_abortive_close();
    for (int buffered = 0; buffered < 2; buffered++) {
        cnet_socket *a = NULL, *b = NULL;
        tcp_pair(buffered, &a, &b);
        raw_send(b, "0123456789", 10);
        char in[4];
        size_t n;
        /* b closes with unread input... */
        raw_send(a, "x", 1);
        tc_sleep_ms(20);
        abortive(b);
        cnet_socket_free(b);
        tc_sleep_ms(20);
        char buf[64];
        TC_OK(cnet_socket_recv(a, buf, 64, 1000, 0, &n));
        cr_assert_eq(n, 10, "the 10 queued bytes are delivered before the error");
        TC_ERR(CNET_ECONNRESET, cnet_socket_recv(a, buf, 64, 1000, 0, &n));
        TC_ERR(CNET_ECONNRESET, cnet_socket_recv(a, buf, 64, 1000, 0, &n));
        cr_assert_eq(n, 0, "a reset is never reported later as a clean end of stream");
        /* Under SafeDisconn it reads as a close. */
        TC_OK(cnet_socket_recv(a, buf, 64, 1000, CNET_FLAG_SAFE_DISCONN, &n));
        cr_assert_eq(n, 0);
        cnet_read_line_result r;
        TC_OK(cnet_socket_read_line(a, buf, sizeof buf, &n, &r, 1000, CNET_FLAG_SAFE_DISCONN));
        cr_assert_eq(r, CNET_READ_DISCONNECTED);
        TC_ERR(CNET_ECONNRESET, cnet_socket_read_line(a, buf, sizeof buf, &n, &r, 1000, 0));
        cr_assert_eq(r, CNET_READ_NONE);
        cr_assert_eq(cnet_socket_last_error(a), CNET_ECONNRESET);
        (void)in;
        cnet_socket_free(a);
    }
}

struct blocked_recv {
    cnet_socket *s;
    cnet_err err;
    size_t n;
};

static void *blocked_recv_thread(void *arg)
{
    struct blocked_recv *br = arg;
    char buf[16];
    br->err = cnet_socket_recv(br->s, buf, sizeof buf, 5000, 0, &br->n);
    return NULL;
}

Test(net_recv, peer_reset_while_blocked)
{
    tc_require_reset_on_abortive_close();
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair(true, &a, &b);
    struct blocked_recv br = {a, CNET_OK, 0};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, blocked_recv_thread, &br), 0);
    tc_sleep_ms(50);
    abortive(b);
    cnet_socket_free(b);
    pthread_join(t, NULL);
    cr_assert_eq(br.err, CNET_ECONNRESET, "got %s", cnet_err_name(br.err));
    cnet_socket_free(a);
}

#if !defined(_WIN32)
/* The reference's promise (cnet_set_blocking): a listener made non-blocking
 * behind cnet's back (fcntl) answers CNET_EWOULDBLOCK in accept on every
 * backend, io_uring too (which would wait), also when cnet made it listen. */
Test(net_server, a_listener_made_nonblocking_with_fcntl_does_not_wait, .timeout = 10)
{
    cnet_port port;
    cnet_socket *srv = listener(CNET_AF_INET, &port), *a = NULL;
    cnet_socket_handle fd = cnet_socket_get_fd(srv);
    int fl = fcntl(fd, F_GETFL);
    cr_assert_eq(fcntl(fd, F_SETFL, fl | O_NONBLOCK), 0);
    TC_ERR(CNET_EWOULDBLOCK, cnet_socket_accept(srv, &a, CNET_FLAGS_DEFAULT));
    cnet_socket_free(srv);
}
#endif

/* ----------------------------------------------- one reader, one writer */

struct side_call {
    cnet_socket *s;
    bool send;
    size_t size;
    cnet_err err;
    size_t n;
};

static void *side_call_thread(void *arg)
{
    struct side_call *c = arg;
    char *buf = calloc(1, c->size); /* no assertion off the test's thread: the error says it */
    /* The test's thread probes the same side meanwhile (until_busy): a call
     * of this thread that meets a probe is refused and tries again. */
    do {
        c->err = buf == NULL ? CNET_ENOMEM
                 : c->send   ? cnet_socket_send(c->s, buf, c->size, 0, &c->n)
                             : cnet_socket_recv(c->s, buf, c->size, 10000, 0, &c->n);
        if (c->err == CNET_EBUSY)
            tc_sleep_ms(1);
    } while (c->err == CNET_EBUSY);
    free(buf);
    return NULL;
}

/* Repeat a call with nothing to wait for until it says CNET_EBUSY (the
 * other thread has taken the side), for at most 5 s. */
static cnet_err until_busy(cnet_socket *s, bool send)
{
    cnet_err err = CNET_OK;
    for (int i = 0; i < 500 && err != CNET_EBUSY; i++) {
        char c = 'q';
        size_t n;
        err = send ? cnet_socket_send(s, &c, 0, 0, &n) : cnet_socket_recv(s, &c, 1, 0, 0, &n);
        if (err != CNET_EBUSY)
            tc_sleep_ms(10);
    }
    return err;
}

Test(net_threads, a_second_reader_gets_ebusy_and_the_writer_goes_on)
{
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair(true, &a, &b);
    struct side_call rd = {a, false, 16, CNET_OK, 0};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, side_call_thread, &rd), 0);
    TC_ERR(CNET_EBUSY, until_busy(a, false));
    cr_assert(strstr(cnet_last_error_message(), "another thread is reading") != NULL, "%s", cnet_last_error_message());
    char line[8];
    size_t n = 77;
    cnet_read_line_result r = CNET_READ_FULL_LINE;
    TC_ERR(CNET_EBUSY, cnet_socket_read_line(a, line, sizeof line, &n, &r, 0, 0));
    cr_assert_eq(n, 0, "a refused call leaves no out-parameter as it was");
    cr_assert_eq(r, CNET_READ_NONE);
    size_t skipped = 77;
    TC_ERR(CNET_EBUSY, cnet_socket_skip(a, 1, 0, &skipped));
    cr_assert_eq(skipped, 0);
    TC_OK(cnet_socket_send_str(a, "ok\n", 0)); /* the write side is free */
    cnet_read_line_result rb;
    TC_OK(cnet_socket_read_line(b, line, sizeof line, &n, &rb, 5000, 0));
    cr_assert_str_eq(line, "ok");
    raw_send(b, "0123456789abcdef", 16);
    pthread_join(t, NULL);
    cr_assert_eq(rd.err, CNET_OK, "the blocked reader: %s", cnet_err_name(rd.err));
    cr_assert_eq(rd.n, 16);
    /* The side is given back: this thread reads now. */
    raw_send(b, "x", 1);
    char c;
    TC_OK(cnet_socket_recv(a, &c, 1, 5000, 0, &n));
    cr_assert_eq(c, 'x');
    cnet_socket_free(a);
    cnet_socket_free(b);
}

Test(net_threads, a_second_writer_gets_ebusy_and_the_reader_goes_on)
{
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair(true, &a, &b);
    /* b reads nothing: 64 MiB fill every buffer and the send blocks. */
    struct side_call wr = {a, true, 64u << 20, CNET_OK, 0};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, side_call_thread, &wr), 0);
    TC_ERR(CNET_EBUSY, until_busy(a, true));
    cr_assert(strstr(cnet_last_error_message(), "another thread is writing") != NULL, "%s", cnet_last_error_message());
    TC_ERR(CNET_EBUSY, cnet_socket_send_frame(a, CNET_FRAME_BE32, "f", 1));
    size_t n = 77;
    TC_ERR(CNET_EBUSY, cnet_socket_send(a, "z", 1, 0, &n));
    cr_assert_eq(n, 0, "a refused send says it sent nothing");
    cr_assert(!cnet_socket_try_send(a, "z", 1), "try_send is a writer too");
    cr_assert_eq(cnet_last_error(), CNET_EBUSY);
    raw_send(b, "y", 1); /* the read side is free */
    char c;
    TC_OK(cnet_socket_recv(a, &c, 1, 5000, 0, &n));
    cr_assert_eq(c, 'y');
    TC_OK(cnet_socket_close(a, CNET_FLAGS_DEFAULT)); /* wakes the writer */
    pthread_join(t, NULL);
    cr_assert_eq(wr.err, CNET_ECLOSED, "the blocked writer: %s", cnet_err_name(wr.err));
    cnet_socket_free(a);
    cnet_socket_free(b);
}

#if !defined(_WIN32)
static volatile sig_atomic_t alarms;
static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}
#endif

Test(net_recv, eintr_keeps_the_original_deadline)
{
#if defined(_WIN32)
    cr_skip_test("POSIX only: signals (SIGALRM, setitimer) and EINTR do not exist for Winsock waits");
#else
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm; /* no SA_RESTART */
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 10000}, {0, 10000}};
    setitimer(ITIMER_REAL, &it, NULL);
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair(true, &a, &b);
    char buf[4];
    size_t n;
    int64_t t0 = tc_now_ms();
    TC_ERR(CNET_ETIMEDOUT, cnet_socket_recv(a, buf, 4, 200, 0, &n));
    int64_t took = tc_now_ms() - t0;
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    cr_assert_gt(alarms, 5, "signals arrived while waiting");
    cr_assert_geq(took, 195, "EINTR must not end the wait early (%lld ms)", (long long)took);
    cr_assert_lt(took, 5000, "EINTR must not restart the deadline forever");
    cnet_socket_free(a);
    cnet_socket_free(b);
#endif
}

/* ---------------------------------------------- close from another thread */

/* What a thread blocked on a socket does, and what it got. */
enum blocked_op { OP_READ_LINE, OP_RECV, OP_ACCEPT, OP_RECV_FROM };

struct blocked_call {
    cnet_socket *s;
    enum blocked_op op;
    cnet_err err;
};

static void *blocked_call_thread(void *arg)
{
    struct blocked_call *bc = arg;
    char buf[64];
    size_t n;
    cnet_read_line_result r;
    cnet_socket *client = NULL;
    /* 20 s deadlines, so a close that does not wake fails the test as a
     * timeout instead of hanging it. */
    switch (bc->op) {
    case OP_READ_LINE:
        bc->err = cnet_socket_read_line(bc->s, buf, sizeof buf, &n, &r, 20000, CNET_FLAGS_DEFAULT);
        break;
    case OP_RECV:
        bc->err = cnet_socket_recv(bc->s, buf, sizeof buf, 20000, CNET_FLAGS_DEFAULT, &n);
        break;
    case OP_ACCEPT:
        bc->err = cnet_socket_accept(bc->s, &client, CNET_FLAGS_DEFAULT);
        cnet_socket_free(client);
        break;
    case OP_RECV_FROM:
        bc->err = cnet_socket_recv_from(bc->s, buf, sizeof buf, NULL, 0, NULL, &n);
        break;
    }
    return NULL;
}

/* Start `op` on s in a thread, close s from this one, and check the blocked
 * call came back with CNET_ECLOSED (not a timeout: the close woke it). */
static void close_under(cnet_socket *s, enum blocked_op op)
{
    struct blocked_call bc = {s, op, CNET_OK};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, blocked_call_thread, &bc), 0);
    tc_sleep_ms(30);
    TC_OK(cnet_socket_close(s, CNET_FLAGS_DEFAULT));
    pthread_join(t, NULL);
    cr_assert_eq(bc.err, CNET_ECLOSED, "op %d: got %s", (int)op, cnet_err_name(bc.err));
    TC_ERR(CNET_ECLOSED, cnet_socket_send(s, "x", 1, 0, NULL));
    TC_OK(cnet_socket_close(s, CNET_FLAGS_DEFAULT));
    cnet_socket_free(s);
}

Test(net_close, wakes_a_thread_blocked_in_recv_or_read_line)
{
    for (int i = 0; i < 20; i++) {
        cnet_socket *a = NULL, *b = NULL;
        tcp_pair(i % 2 == 0, &a, &b);
        close_under(a, i % 4 < 2 ? OP_READ_LINE : OP_RECV);
        cnet_socket_free(b);
    }
}

Test(net_close, wakes_a_thread_blocked_in_accept)
{
    cnet_port port;
    close_under(listener(CNET_AF_INET, &port), OP_ACCEPT);
}

Test(net_close, wakes_a_thread_blocked_in_recv_from)
{
    cnet_socket *u = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, false, false, &u));
    TC_OK(cnet_socket_bind_addr(u, CNET_PORT(0), "127.0.0.1"));
    TC_OK(cnet_socket_set_timeout(u, 20000));
    close_under(u, OP_RECV_FROM);
}

struct blocked_select {
    cnet_socket *s;
    cnet_err err;
    size_t count;
};

static void *blocked_select_thread(void *arg)
{
    struct blocked_select *bs = arg;
    cnet_socket *set[1] = {bs->s};
    bs->count = 1;
    bs->err = cnet_socket_select_read(set, &bs->count, 20000);
    return NULL;
}

/* A select waiting on the socket wakes up and reports it (a read then says
 * CNET_ECLOSED), instead of waiting out its 20 s. */
Test(net_close, wakes_a_thread_blocked_in_select)
{
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair(true, &a, &b);
    struct blocked_select bs = {a, CNET_OK, 0};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, blocked_select_thread, &bs), 0);
    tc_sleep_ms(30);
    TC_OK(cnet_socket_close(a, CNET_FLAGS_DEFAULT));
    pthread_join(t, NULL);
    TC_OK(bs.err);
    cr_assert_eq(bs.count, 1, "the select waited out its timeout");
    char buf[4];
    size_t n;
    TC_ERR(CNET_ECLOSED, cnet_socket_recv(a, buf, sizeof buf, 0, CNET_FLAGS_DEFAULT, &n));
    cnet_socket_free(a);
    cnet_socket_free(b);
}

/* The peer of a closed socket sees the end of the stream, and data that was
 * queued before the close still arrives. */
Test(net_close, the_peer_sees_the_end_after_a_waking_close)
{
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair(true, &a, &b);
    raw_send(a, "last words\n", 11);
    close_under(a, OP_RECV);
    char line[32];
    size_t n;
    cnet_read_line_result r;
    TC_OK(cnet_socket_read_line(b, line, sizeof line, &n, &r, 2000, CNET_FLAGS_DEFAULT));
    cr_assert_str_eq(line, "last words");
    TC_OK(cnet_socket_read_line(b, line, sizeof line, &n, &r, 2000, CNET_FLAGS_DEFAULT));
    cr_assert_eq(r, CNET_READ_DISCONNECTED);
    cnet_socket_free(b);
}

/* A UDP socket shut down both ways is "readable" forever yet has nothing to
 * read: a receive with a deadline answers like a blocking one (an empty
 * read) instead of spinning until the deadline. */
Test(net_close, a_shut_down_udp_socket_does_not_spin_to_the_deadline)
{
    cnet_socket *u = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, false, false, &u));
    TC_OK(cnet_socket_bind_addr(u, CNET_PORT(0), "127.0.0.1"));
    TC_OK(cnet_socket_set_timeout(u, 20000));
    cnet_socket_shutdown(u, true, true); /* ENOTCONN where unconnected, but it takes effect */
    char buf[16];
    size_t n = 99;
    cnet_err err = cnet_socket_recv_from(u, buf, sizeof buf, NULL, 0, NULL, &n);
    cr_assert_neq(err, CNET_ETIMEDOUT, "spun until the deadline");
    cnet_socket_free(u);
}

/* A receive with a deadline on a stream shut down for reading answers like
 * the blocking receive, with the end of the stream, instead of waiting out
 * its deadline (WSAPoll never reports such a socket readable). */
Test(net_close, a_receive_after_shutting_down_reading_does_not_wait_for_its_deadline)
{
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair(true, &a, &b);
    TC_OK(cnet_socket_shutdown(a, true, false));
    char buf[8];
    size_t n = 99;
    TC_OK(cnet_socket_recv(a, buf, sizeof buf, 3000, CNET_FLAGS_DEFAULT, &n));
    cr_assert_eq(n, 0, "the end of the stream");
    /* The same through the line reader, and with the socket's own timeout. */
    TC_OK(cnet_socket_set_timeout(a, 3000));
    char line[16];
    cnet_read_line_result r;
    TC_OK(cnet_socket_read_line(a, line, sizeof line, &n, &r, -1, CNET_FLAGS_DEFAULT));
    cr_assert_eq(r, CNET_READ_DISCONNECTED);
    /* The writing side still works. */
    TC_OK(cnet_socket_send_str(a, "still here\n", 0));
    TC_OK(cnet_socket_read_line(b, line, sizeof line, &n, &r, 3000, CNET_FLAGS_DEFAULT));
    cr_assert_str_eq(line, "still here");
    cnet_socket_free(a);
    cnet_socket_free(b);
}

/* With no call in progress close does not shut the connection down: a
 * descriptor shared with another process (here: a dup) keeps working. */
Test(net_close, without_waiters_leaves_a_shared_descriptor_alone)
{
#if defined(_WIN32)
    cr_skip_test("POSIX only: dup() of a socket descriptor (Winsock needs WSADuplicateSocket and a second process)");
#else
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair(true, &a, &b);
    int copy = dup(cnet_socket_get_fd(a));
    cr_assert_geq(copy, 0);
    TC_OK(cnet_socket_close(a, CNET_FLAGS_DEFAULT));
    cr_assert_eq(send(copy, "still here\n", 11, MSG_NOSIGNAL), 11);
    char line[32];
    size_t n;
    cnet_read_line_result r;
    TC_OK(cnet_socket_read_line(b, line, sizeof line, &n, &r, 2000, CNET_FLAGS_DEFAULT));
    cr_assert_eq(r, CNET_READ_FULL_LINE);
    cr_assert_str_eq(line, "still here");
    close(copy);
    cnet_socket_free(a);
    cnet_socket_free(b);
#endif
}

/* ------------------------------------------------------------- readLine */

struct lines {
    char text[64][64];
    cnet_read_line_result result[64];
    size_t count;
};

static void read_all_lines(cnet_socket *s, struct lines *out)
{
    out->count = 0;
    for (;;) {
        size_t n;
        cnet_read_line_result r;
        cr_assert_lt(out->count, 64);
        TC_OK(cnet_socket_read_line(s, out->text[out->count], 64, &n, &r, 2000, CNET_FLAGS_DEFAULT));
        cr_assert_eq(strlen(out->text[out->count]), n);
        out->result[out->count++] = r;
        if (r == CNET_READ_DISCONNECTED || r == CNET_READ_PARTIAL_LINE)
            return;
    }
}

struct writer {
    cnet_socket *s;
    const char *data;
    size_t chunk; /* 0: split at every "\r" */
};

static void *writer_thread(void *arg)
{
    struct writer *w = arg;
    size_t len = strlen(w->data);
    for (size_t i = 0; i < len;) {
        size_t n = w->chunk;
        if (n == 0) {
            const char *cr = strchr(w->data + i, '\r');
            n = cr ? (size_t)(cr - (w->data + i)) + 1 : len - i;
        }
        if (n > len - i)
            n = len - i;
        cnet_socket_send(w->s, w->data + i, n, 0, NULL);
        i += n;
        if (w->chunk != (size_t)-1)
            tc_sleep_ms(1);
    }
    cnet_socket_shutdown(w->s, false, true);
    return NULL;
}

static const char *line_input = "abc\r\ndef\nghi\rjkl\r\n\r\n\n\r\rmno\n\rpqr";

Test(net_readline, terminators_and_outcomes)
{
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair(true, &a, &b);
    struct writer w = {b, line_input, (size_t)-1};
    writer_thread(&w);
    struct lines got;
    read_all_lines(a, &got);
    static const char *want[] = {"abc", "def", "ghi", "jkl", "", "", "", "", "mno", "", "pqr"};
    cr_assert_eq(got.count, 11);
    for (size_t i = 0; i < 11; i++) {
        cr_assert_str_eq(got.text[i], want[i], "line %zu", i);
        cr_assert_eq(got.result[i], i == 10 ? CNET_READ_PARTIAL_LINE : CNET_READ_FULL_LINE, "line %zu", i);
    }
    size_t n;
    cnet_read_line_result r;
    char line[8];
    TC_OK(cnet_socket_read_line(a, line, sizeof line, &n, &r, 1000, CNET_FLAGS_DEFAULT));
    cr_assert_eq(r, CNET_READ_DISCONNECTED);
    cr_assert_eq(n, 0);
    cnet_socket_free(a);
    cnet_socket_free(b);
}

Test(net_readline, same_result_however_the_stream_is_cut)
{
    static const size_t chunks[] = {(size_t)-1, 1, 2, 3, 0};
    struct lines reference;
    for (int buffered = 1; buffered >= 0; buffered--) {
        for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
            cnet_socket *a = NULL, *b = NULL;
            tcp_pair(buffered, &a, &b);
            TC_OK(cnet_socket_set_sock_opt(b, CNET_OPT_NO_DELAY, true, CNET_OPT_LEVEL_AUTO));
            struct writer w = {b, line_input, chunks[c]};
            pthread_t t;
            pthread_create(&t, NULL, writer_thread, &w);
            struct lines got;
            read_all_lines(a, &got);
            pthread_join(t, NULL);
            if (buffered == 1 && c == 0) {
                reference = got;
            } else {
                cr_assert_eq(got.count, reference.count, "buffered=%d chunk=%zu", buffered, chunks[c]);
                for (size_t i = 0; i < got.count; i++) {
                    cr_assert_str_eq(got.text[i], reference.text[i], "buffered=%d chunk=%zu line %zu",
                                     buffered, chunks[c], i);
                    cr_assert_eq(got.result[i], reference.result[i]);
                }
            }
            cnet_socket_free(a);
            cnet_socket_free(b);
        }
    }
}

/* Lines of every length from 0 to 79 with each terminator, so that the end
 * of a line falls at every offset of the 16- and 32-byte scans in find_eol,
 * at the end of a block and in the overlapping tail; every line but the
 * ones at the end of a read is served by read_line's whole-line fast path. */
static void check_every_length_and_terminator(void)
{
    static const char *terms[] = {"\n", "\r\n", "\r"};
    static char input[80 * 3 * 82 + 1];
    size_t used = 0;
    for (size_t len = 0; len < 80; len++) {
        for (size_t t = 0; t < 3; t++) {
            for (size_t i = 0; i < len; i++)
                input[used++] = (char)('a' + (len + i) % 26);
            used += (size_t)sprintf(input + used, "%s", terms[t]);
        }
    }
    for (int buffered = 1; buffered >= 0; buffered--) {
        cnet_socket *a = NULL, *b = NULL;
        tcp_pair(buffered, &a, &b);
        struct writer w = {b, input, (size_t)-1};
        pthread_t th;
        pthread_create(&th, NULL, writer_thread, &w);
        for (size_t len = 0; len < 80; len++) {
            for (size_t t = 0; t < 3; t++) {
                char line[128], want[128];
                size_t n;
                cnet_read_line_result r;
                for (size_t i = 0; i < len; i++)
                    want[i] = (char)('a' + (len + i) % 26);
                want[len] = '\0';
                TC_OK(cnet_socket_read_line(a, line, sizeof line, &n, &r, 2000, CNET_FLAGS_DEFAULT));
                cr_assert_eq(r, CNET_READ_FULL_LINE, "buffered=%d len=%zu term=%zu", buffered, len, t);
                cr_assert_eq(n, len, "buffered=%d len=%zu term=%zu", buffered, len, t);
                cr_assert_str_eq(line, want, "buffered=%d len=%zu term=%zu", buffered, len, t);
            }
        }
        size_t n;
        cnet_read_line_result r;
        char line[8];
        TC_OK(cnet_socket_read_line(a, line, sizeof line, &n, &r, 2000, CNET_FLAGS_DEFAULT));
        cr_assert_eq(r, CNET_READ_DISCONNECTED);
        pthread_join(th, NULL);
        cnet_socket_free(a);
        cnet_socket_free(b);
    }
}

Test(net_readline, every_length_and_terminator)
{
    check_every_length_and_terminator();
}

/* The same with the AVX2 scan switched off: lines longer than 31 bytes go
 * through the 16-byte SSE2 loop too. (The choice is made once per process:
 * the wine runner, which runs every test in one process, may have made it
 * before this test.) */
Test(net_readline, every_length_and_terminator_sse2)
{
#if defined(_WIN32)
    _putenv("CNET_NO_AVX2=1");
#else
    setenv("CNET_NO_AVX2", "1", 1);
#endif
    check_every_length_and_terminator();
}

/* The buffer's line-end scan reads whole vectors, past the received bytes
 * into what earlier reads left in the buffer: a stale "\n" there must not
 * end the line. CNET_BUFFER_SIZE empty lines leave the buffer full of "\n"; "abc" then
 * arrives alone and the stream ends. */
static void check_stale_line_ends_are_not_seen(void)
{
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair(true, &a, &b);
    static char newlines[CNET_BUFFER_SIZE];
    memset(newlines, '\n', sizeof newlines);
    raw_send(b, newlines, sizeof newlines);
    char line[64]; /* room for whole AVX2 vectors: the fast path scans too */
    size_t n;
    cnet_read_line_result r;
    for (size_t i = 0; i < sizeof newlines; i++) {
        TC_OK(cnet_socket_read_line(a, line, sizeof line, &n, &r, 2000, CNET_FLAGS_DEFAULT));
        cr_assert_eq(r, CNET_READ_FULL_LINE, "line %zu", i);
        cr_assert_eq(n, 0, "line %zu", i);
    }
    raw_send(b, "abc", 3);
    TC_OK(cnet_socket_shutdown(b, false, true));
    TC_OK(cnet_socket_read_line(a, line, sizeof line, &n, &r, 2000, CNET_FLAGS_DEFAULT));
    cr_assert_eq(r, CNET_READ_PARTIAL_LINE, "a stale line end was taken for a real one");
    cr_assert_eq(n, 3);
    cr_assert_str_eq(line, "abc");
    TC_OK(cnet_socket_read_line(a, line, sizeof line, &n, &r, 2000, CNET_FLAGS_DEFAULT));
    cr_assert_eq(r, CNET_READ_DISCONNECTED);
    cnet_socket_free(a);
    cnet_socket_free(b);
}

Test(net_readline, stale_line_ends_are_not_seen)
{
    check_stale_line_ends_are_not_seen();
}

Test(net_readline, stale_line_ends_are_not_seen_sse2)
{
#if defined(_WIN32)
    _putenv("CNET_NO_AVX2=1");
#else
    setenv("CNET_NO_AVX2", "1", 1);
#endif
    check_stale_line_ends_are_not_seen();
}

Test(net_readline, cr_then_eof_is_a_line)
{
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair(true, &a, &b);
    raw_send(b, "last\r", 5);
    TC_OK(cnet_socket_shutdown(b, false, true));
    char line[16];
    size_t n;
    cnet_read_line_result r;
    TC_OK(cnet_socket_read_line(a, line, sizeof line, &n, &r, 1000, CNET_FLAGS_DEFAULT));
    cr_assert_eq(r, CNET_READ_FULL_LINE, "Nim raises a bogus OSError here");
    cr_assert_str_eq(line, "last");
    TC_OK(cnet_socket_read_line(a, line, sizeof line, &n, &r, 1000, CNET_FLAGS_DEFAULT));
    cr_assert_eq(r, CNET_READ_DISCONNECTED);
    cnet_socket_free(a);
    cnet_socket_free(b);
}

/* A "\r" that is the last byte in the buffer, after a line served from the
 * buffer (read_line's whole-line fast path): the "\n" that arrives later
 * belongs to it. */
Test(net_readline, cr_at_end_of_buffered_data_pairs_with_later_lf)
{
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair(true, &a, &b);
    raw_send(b, "a\nb\r", 4);
    char line[16];
    size_t n;
    cnet_read_line_result r;
    TC_OK(cnet_socket_read_line(a, line, sizeof line, &n, &r, 1000, CNET_FLAGS_DEFAULT));
    cr_assert_str_eq(line, "a");
    TC_OK(cnet_socket_read_line(a, line, sizeof line, &n, &r, 1000, CNET_FLAGS_DEFAULT));
    cr_assert_eq(r, CNET_READ_FULL_LINE);
    cr_assert_str_eq(line, "b");
    raw_send(b, "\nc\n", 3);
    TC_OK(cnet_socket_read_line(a, line, sizeof line, &n, &r, 1000, CNET_FLAGS_DEFAULT));
    cr_assert_eq(r, CNET_READ_FULL_LINE);
    cr_assert_str_eq(line, "c", "the \"\\n\" after \"b\\r\" is no empty line");
    cnet_socket_free(a);
    cnet_socket_free(b);
}

Test(net_readline, max_length_is_exact_and_flagged)
{
    for (int buffered = 0; buffered < 2; buffered++) {
        cnet_socket *a = NULL, *b = NULL;
        tcp_pair(buffered, &a, &b);
        raw_send(b, "0123456789\r\n01234\r\n", 19);
        char line[6]; /* maxLength 5 */
        size_t n;
        cnet_read_line_result r;
        TC_OK(cnet_socket_read_line(a, line, sizeof line, &n, &r, 1000, CNET_FLAGS_DEFAULT));
        cr_assert_eq(r, CNET_READ_TRUNCATED, "Nim returns 6 bytes and no flag");
        cr_assert_str_eq(line, "01234");
        TC_OK(cnet_socket_read_line(a, line, sizeof line, &n, &r, 1000, CNET_FLAGS_DEFAULT));
        cr_assert_eq(r, CNET_READ_FULL_LINE, "the rest of the line stays readable");
        cr_assert_str_eq(line, "56789");
        TC_OK(cnet_socket_read_line(a, line, sizeof line, &n, &r, 1000, CNET_FLAGS_DEFAULT));
        cr_assert_eq(r, CNET_READ_FULL_LINE, "a line of exactly maxLength is full, not truncated");
        cr_assert_str_eq(line, "01234");
        cnet_socket_free(a);
        cnet_socket_free(b);
    }
}

Test(net_readline, timeout_keeps_partial_data)
{
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair(true, &a, &b);
    raw_send(b, "slo", 3);
    char line[16];
    size_t n;
    cnet_read_line_result r;
    TC_ERR(CNET_ETIMEDOUT, cnet_socket_read_line(a, line, sizeof line, &n, &r, 80, CNET_FLAGS_DEFAULT));
    cr_assert_eq(r, CNET_READ_NONE);
    cr_assert_str_eq(line, "slo");
    cr_assert_eq(n, 3);
    raw_send(b, "w\n", 2);
    TC_OK(cnet_socket_read_line(a, line, sizeof line, &n, &r, 1000, CNET_FLAGS_DEFAULT));
    cr_assert_str_eq(line, "w", "the timed-out part was handed over, the rest follows");
    cnet_socket_free(a);
    cnet_socket_free(b);
}

Test(net_readline, partial_line_before_reset_is_kept)
{
    tc_require_reset_on_abortive_close();
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair(true, &a, &b);
    raw_send(b, "abc", 3);
    raw_send(a, "unread", 6);
    tc_sleep_ms(20);
    abortive(b);
    cnet_socket_free(b);
    tc_sleep_ms(20);
    char line[16];
    size_t n;
    cnet_read_line_result r;
    /* The bytes and the cause in the same call, even under SafeDisconn: a
     * line cut by a reset never looks like one the peer ended cleanly. */
    TC_ERR(CNET_ECONNRESET, cnet_socket_read_line(a, line, sizeof line, &n, &r, 1000, CNET_FLAGS_DEFAULT));
    cr_assert_eq(r, CNET_READ_PARTIAL_LINE, "Nim returns \"\" and loses abc");
    cr_assert_str_eq(line, "abc");
    cr_assert_eq(n, 3);
    /* Latched: next time a close under SafeDisconn, the reset without it. */
    TC_OK(cnet_socket_read_line(a, line, sizeof line, &n, &r, 1000, CNET_FLAGS_DEFAULT));
    cr_assert_eq(r, CNET_READ_DISCONNECTED);
    TC_ERR(CNET_ECONNRESET, cnet_socket_read_line(a, line, sizeof line, &n, &r, 1000, 0));
    cr_assert_eq(r, CNET_READ_NONE);
    cnet_socket_free(a);
}

/* The same through recv_line (the allocating form) and on an unbuffered
 * socket: the partial bytes come with the cause. */
Test(net_readline, partial_line_before_reset_reports_the_cause_everywhere)
{
    tc_require_reset_on_abortive_close();
    for (int buffered = 0; buffered < 2; buffered++) {
        cnet_socket *a = NULL, *b = NULL;
        tcp_pair(buffered, &a, &b);
        raw_send(b, "abc", 3);
        raw_send(a, "unread", 6);
        tc_sleep_ms(20);
        abortive(b);
        cnet_socket_free(b);
        tc_sleep_ms(20);
        char *out = NULL;
        size_t n = 99;
        cnet_read_line_result r;
        TC_ERR(CNET_ECONNRESET, cnet_socket_recv_line(a, 1000, 0, 100, &out, &n, &r));
        cr_assert_eq(r, CNET_READ_PARTIAL_LINE, "buffered %d", buffered);
        cr_assert_not_null(out);
        cr_assert_str_eq(out, "abc", "buffered %d", buffered);
        cr_assert_eq(n, 3);
        free(out);
        out = NULL;
        TC_ERR(CNET_ECONNRESET, cnet_socket_recv_line(a, 1000, 0, 100, &out, &n, &r));
        cr_assert_eq(r, CNET_READ_NONE);
        cr_assert_eq(n, 0);
        free(out);
        cnet_socket_free(a);
    }
}

Test(net_readline, recv_line_allocates_and_limits)
{
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair(true, &a, &b);
    raw_send(b, "short\nabcdefghij\n", 17);
    char *s;
    size_t n;
    cnet_read_line_result r;
    TC_OK(cnet_socket_recv_line(a, 1000, CNET_FLAGS_DEFAULT, CNET_MAX_LINE_LENGTH, &s, &n, &r));
    cr_assert_str_eq(s, "short");
    cr_assert_eq(r, CNET_READ_FULL_LINE);
    free(s);
    TC_OK(cnet_socket_recv_line(a, 1000, CNET_FLAGS_DEFAULT, 4, &s, &n, &r));
    cr_assert_str_eq(s, "abcd");
    cr_assert_eq(r, CNET_READ_TRUNCATED);
    free(s);
    TC_OK(cnet_socket_recv_line(a, 0, CNET_FLAGS_DEFAULT, 4, &s, &n, &r));
    cr_assert_str_eq(s, "efgh", "the rest of the line comes in chunks of max_length");
    cr_assert_eq(r, CNET_READ_TRUNCATED);
    free(s);
    TC_OK(cnet_socket_recv_line(a, 0, CNET_FLAGS_DEFAULT, 4, &s, &n, &r));
    cr_assert_str_eq(s, "ij");
    cr_assert_eq(r, CNET_READ_FULL_LINE);
    free(s);
    TC_ERR(CNET_ETIMEDOUT, cnet_socket_recv_line(a, 0, CNET_FLAGS_DEFAULT, 4, &s, &n, &r));
    cr_assert_str_eq(s, "");
    free(s);
    TC_ERR(CNET_EINVAL, cnet_socket_recv_line(a, 0, CNET_FLAGS_DEFAULT, 0, &s, &n, &r));
    cnet_socket_free(a);
    cnet_socket_free(b);
}

static void *flood_thread(void *arg)
{
    cnet_socket *s = arg;
    static char chunk[65536];
    memset(chunk, 'z', sizeof chunk);
    for (size_t sent = 0; sent < ((size_t)1 << 30); sent += sizeof chunk)
        if (cnet_socket_send(s, chunk, sizeof chunk, 0, NULL) != CNET_OK)
            break;
    cnet_socket_shutdown(s, false, true);
    return NULL;
}

Test(net_readline, one_gib_without_newline_keeps_memory_bounded, .timeout = 120)
{
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair(true, &a, &b);
    pthread_t t;
    pthread_create(&t, NULL, flood_thread, b);
    struct rusage before, after;
    getrusage(RUSAGE_SELF, &before);
    char line[1001];
    size_t total = 0, n;
    cnet_read_line_result r;
    for (;;) {
        TC_OK(cnet_socket_read_line(a, line, sizeof line, &n, &r, 20000, CNET_FLAGS_DEFAULT));
        total += n;
        if (r != CNET_READ_TRUNCATED)
            break;
        cr_assert_eq(n, 1000);
    }
    pthread_join(t, NULL);
    getrusage(RUSAGE_SELF, &after);
    cr_assert_eq(r, CNET_READ_PARTIAL_LINE);
    cr_assert_eq(total, (size_t)1 << 30, "every byte accounted for");
    cr_assert_lt(after.ru_maxrss - before.ru_maxrss, 16 * 1024, "memory grew by %ld KiB",
                 after.ru_maxrss - before.ru_maxrss);
    cnet_socket_free(a);
    cnet_socket_free(b);
}

/* ----------------------------------------------------------------- send */

struct slow_reader {
    cnet_socket *s;
    size_t total;
    uint32_t sum;
};

static void *slow_reader_thread(void *arg)
{
    struct slow_reader *sr = arg;
    unsigned char buf[3000];
    size_t n;
    for (int i = 0;; i++) {
        if (cnet_socket_recv_some(sr->s, buf, sizeof buf, 10000, 0, &n) != CNET_OK || n == 0)
            break;
        for (size_t k = 0; k < n; k++)
            sr->sum = sr->sum * 31 + buf[k];
        sr->total += n;
        if (i % 64 == 0)
            tc_sleep_ms(1);
    }
    return NULL;
}

Test(net_send, partial_writes_continue_from_the_offset)
{
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair(true, &a, &b);
    TC_OK(cnet_set_sock_opt_int(cnet_socket_get_fd(a), CNET_SOL_SOCKET, CNET_SO_SNDBUF, 4096));
    size_t size = 8u << 20;
    unsigned char *data = malloc(size);
    uint32_t sum = 0;
    for (size_t i = 0; i < size; i++) {
        data[i] = (unsigned char)(i * 7 + (i >> 13));
        sum = sum * 31 + data[i];
    }
    struct slow_reader sr = {b, 0, 0};
    pthread_t t;
    pthread_create(&t, NULL, slow_reader_thread, &sr);
    size_t sent;
    TC_OK(cnet_socket_send(a, data, size, CNET_FLAGS_DEFAULT, &sent));
    cr_assert_eq(sent, size);
    TC_OK(cnet_socket_shutdown(a, false, true));
    pthread_join(t, NULL);
    cr_assert_eq(sr.total, size);
    cr_assert_eq(sr.sum, sum, "nothing resent, nothing lost");
    free(data);
    cnet_socket_free(a);
    cnet_socket_free(b);
}

Test(net_send, dead_peer_returns_at_once_and_no_sigpipe)
{
#ifdef SIGPIPE /* Windows has none */
    signal(SIGPIPE, SIG_DFL); /* a SIGPIPE would kill this test */
#endif
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair(true, &a, &b);
    abortive(b);
    cnet_socket_free(b);
    tc_sleep_ms(20);
    static char big[1 << 20];
    size_t sent = 99;
    int64_t t0 = tc_now_ms();
    /* SafeDisconn: ends like a close, and tells how much went out. */
    TC_OK(cnet_socket_send(a, big, sizeof big, CNET_FLAG_SAFE_DISCONN, &sent));
    cr_assert_lt(sent, sizeof big);
    cr_assert_lt(tc_now_ms() - t0, 2000, "Nim spins forever here");
    cnet_err err = cnet_socket_send(a, big, sizeof big, 0, &sent);
    cr_assert(err == CNET_EPIPE || err == CNET_ECONNRESET, "got %s", cnet_err_name(err));
    cr_assert_not(cnet_socket_try_send(a, "x", 1));
    cnet_socket_free(a);
}

Test(net_send, send_timeout_when_the_peer_never_reads)
{
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair(true, &a, &b);
    TC_OK(cnet_socket_set_send_timeout(a, 100));
    static char big[16 << 20];
    size_t sent;
    int64_t t0 = tc_now_ms();
    TC_ERR(CNET_ETIMEDOUT, cnet_socket_send(a, big, sizeof big, CNET_FLAGS_DEFAULT, &sent));
    cr_assert_geq(tc_now_ms() - t0, 95);
    cr_assert_gt(sent, 0, "what went out is reported");
    cr_assert_lt(sent, sizeof big);
    cr_assert_not(tc_nonblocking(cnet_socket_get_fd(a)));
    cnet_socket_free(a);
    cnet_socket_free(b);
}

/* A socket made non-blocking with cnet_set_blocking answers at once on every
 * backend: io_uring itself would wait even on an O_NONBLOCK socket, so that
 * backend must serve such a handle through its POSIX edge. */
Test(net_send, nonblocking_handle_answers_ewouldblock, .timeout = 20)
{
    for (int buffered = 1; buffered >= 0; buffered--) {
        cnet_socket *a = NULL, *b = NULL;
        tcp_pair(buffered, &a, &b);
        TC_OK(cnet_set_blocking(cnet_socket_get_fd(a), false));
        char buf[64];
        size_t n = 99;
        TC_ERR(CNET_EWOULDBLOCK, cnet_socket_recv_some(a, buf, sizeof buf, -1, CNET_FLAGS_DEFAULT, &n));
        cr_assert_eq(n, 0);
        TC_OK(cnet_set_sock_opt_int(cnet_socket_get_fd(a), CNET_SOL_SOCKET, CNET_SO_SNDBUF, 4096));
        static char big[8 << 20];
        size_t sent = 0;
        TC_ERR(CNET_EWOULDBLOCK, cnet_socket_send(a, big, sizeof big, CNET_FLAGS_DEFAULT, &sent));
        cr_assert(sent > 0 && sent < sizeof big, "a partial count, then would-block (sent %zu)", sent);
        /* Blocking again: the next receive waits for the peer's bytes. */
        TC_OK(cnet_set_blocking(cnet_socket_get_fd(a), true));
        raw_send(b, "hi", 2);
        TC_OK(cnet_socket_recv(a, buf, 2, 2000, CNET_FLAGS_DEFAULT, &n));
        cr_assert_eq(n, 2);
        cnet_socket_free(a);
        cnet_socket_free(b);
    }
}

/* The same for a handle made non-blocking outside cnet (fcntl) before it is
 * wrapped with cnet_socket_from_handle: its mode is read once there, so the
 * io_uring backend does not wait on it either (no fcntl per call). */
Test(net_send, a_handle_made_nonblocking_outside_cnet_answers_ewouldblock, .timeout = 20)
{
#if defined(_WIN32)
    cr_skip_test("fcntl(O_NONBLOCK) is POSIX (Windows sets FIONBIO through cnet_set_blocking, tested above)");
#else
    cnet_port port;
    cnet_socket *srv = listener(CNET_AF_INET, &port), *b = NULL, *a = NULL;
    cnet_socket_handle h = tc_connect(CNET_AF_INET, port);
    TC_OK(cnet_socket_accept(srv, &b, CNET_FLAGS_DEFAULT));
    int fl = fcntl((int)h, F_GETFL);
    cr_assert_eq(fcntl((int)h, F_SETFL, fl | O_NONBLOCK), 0);
    TC_OK(cnet_socket_from_handle(h, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, &a));
    char buf[64];
    size_t n = 99;
    int64_t t0 = tc_now_ms();
    TC_ERR(CNET_EWOULDBLOCK, cnet_socket_recv_some(a, buf, sizeof buf, -1, CNET_FLAGS_DEFAULT, &n));
    cr_assert_eq(n, 0);
    cr_assert_lt(tc_now_ms() - t0, 5000, "it waited");
    raw_send(b, "hi", 2);
    t0 = tc_now_ms();
    cnet_err err;
    while ((err = cnet_socket_recv_some(a, buf, sizeof buf, -1, 0, &n)) == CNET_EWOULDBLOCK)
        cr_assert_lt(tc_now_ms() - t0, 5000, "2 bytes never came");
    TC_OK(err);
    cr_assert_eq(n, 2);
    cnet_socket_free(a);
    cnet_socket_free(b);
    cnet_socket_free(srv);
#endif
}

Test(net_send, try_send_and_half_close)
{
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair(true, &a, &b);
    cr_assert(cnet_socket_try_send(a, "ping", 4));
    TC_OK(cnet_socket_shutdown(a, false, true));
    char buf[8];
    size_t n;
    TC_OK(cnet_socket_recv(b, buf, 8, 1000, 0, &n));
    cr_assert_eq(n, 4, "data, then end of stream");
    /* The other direction still works after a half-close. */
    TC_OK(cnet_socket_send_str(b, "pong", 0));
    TC_OK(cnet_socket_recv(a, buf, 4, 1000, 0, &n));
    cr_assert(memcmp(buf, "pong", 4) == 0);
    TC_OK(cnet_socket_shutdown(a, false, false));
    cnet_socket_free(a);
    cnet_socket_free(b);
}

/* ------------------------------------------------------------------ UDP */

Test(net_udp, send_to_and_recv_from_ipv4_and_ipv6)
{
    cnet_domain domains[] = {CNET_AF_INET, CNET_AF_INET6};
    const char *loop[] = {"127.0.0.1", "::1"};
    for (int i = 0; i < 2; i++) {
        cnet_socket *srv = NULL, *cli = NULL;
        cnet_port port, from_port;
        char addr[CNET_ADDRSTRLEN];
        TC_OK(cnet_socket_new(domains[i], CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, false, false, &srv));
        TC_OK(cnet_socket_bind_addr(srv, CNET_PORT(0), loop[i]));
        TC_OK(cnet_socket_get_local_addr(srv, addr, sizeof addr, &port));
        TC_OK(cnet_socket_new(domains[i], CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, false, false, &cli));
        TC_OK(cnet_socket_send_to(cli, loop[i], port, "datagram", 8, 0));
        char buf[32];
        size_t n;
        TC_OK(cnet_socket_set_timeout(srv, 2000));
        TC_OK(cnet_socket_recv_from(srv, buf, sizeof buf, addr, sizeof addr, &from_port, &n));
        cr_assert_eq(n, 8);
        cr_assert_str_eq(addr, loop[i], "recvFrom reports the real sender (Nim: IPv4 only in the seed)");
        cnet_ip_address ip;
        TC_OK(cnet_parse_ip_address(loop[i], strlen(loop[i]), &ip));
        TC_OK(cnet_socket_send_to_ip(srv, &ip, from_port, "reply", 5));
        cnet_ip_address who;
        cnet_port who_port;
        TC_OK(cnet_socket_set_timeout(cli, 2000));
        TC_OK(cnet_socket_recv_from_ip(cli, buf, sizeof buf, &who, &who_port, &n));
        cr_assert_eq(n, 5);
        cr_assert(cnet_ip_address_eq(&who, &ip));
        cr_assert_eq(who_port.value, port.value);
        cnet_socket_free(srv);
        cnet_socket_free(cli);
    }
}

Test(net_udp, truncation_is_detected)
{
    cnet_socket *srv = NULL, *cli = NULL;
    cnet_port port;
    char addr[CNET_ADDRSTRLEN];
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, false, false, &srv));
    TC_OK(cnet_socket_bind_addr(srv, CNET_PORT(0), "127.0.0.1"));
    TC_OK(cnet_socket_get_local_addr(srv, addr, sizeof addr, &port));
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, false, false, &cli));
    TC_OK(cnet_socket_send_to(cli, "127.0.0.1", port, "0123456789", 10, 0));
    char buf[4];
    size_t n;
    TC_ERR(CNET_ETRUNCATED, cnet_socket_recv_from(srv, buf, sizeof buf, NULL, 0, NULL, &n));
    cr_assert_eq(n, 4);
    cr_assert(memcmp(buf, "0123", 4) == 0);
    /* Too big to send at all. */
    static char huge[70000];
    TC_ERR(CNET_EMSGSIZE, cnet_socket_send_to(cli, "127.0.0.1", port, huge, sizeof huge, 0));
    /* A timeout on an empty socket. */
    TC_OK(cnet_socket_set_timeout(srv, 50));
    TC_ERR(CNET_ETIMEDOUT, cnet_socket_recv_from(srv, buf, sizeof buf, NULL, 0, NULL, &n));
    char small[4];
    TC_ERR(CNET_ERANGE, cnet_socket_recv_from(srv, buf, sizeof buf, small, sizeof small, NULL, &n));
    cnet_socket_free(srv);
    cnet_socket_free(cli);
}

/* ---------------------------------------------------------------- framing */

Test(net_frame, round_trips_in_both_formats)
{
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair(true, &a, &b);
    TC_OK(cnet_socket_send_frame(a, CNET_FRAME_DECIMAL4, "Hi, welcome!", 12));
    TC_OK(cnet_socket_send_frame(a, CNET_FRAME_DECIMAL4, "", 0));
    static char big[100000];
    memset(big, 'q', sizeof big);
    TC_OK(cnet_socket_send_frame(a, CNET_FRAME_BE32, big, sizeof big));
    char wire[16];
    size_t n;
    TC_OK(cnet_socket_recv(b, wire, 16, 1000, 0, &n));
    cr_assert(memcmp(wire, "0012Hi, welcome!", 16) == 0, "the blog's bytes on the wire");
    char buf[16];
    TC_OK(cnet_socket_recv_frame(b, CNET_FRAME_DECIMAL4, buf, sizeof buf, &n, 1000));
    cr_assert_eq(n, 0);
    static char got[100000];
    TC_OK(cnet_socket_recv_frame(b, CNET_FRAME_BE32, got, sizeof got, &n, 2000));
    cr_assert_eq(n, sizeof big);
    cr_assert(memcmp(got, big, n) == 0);
    TC_ERR(CNET_EFRAME_TOO_LARGE, cnet_socket_send_frame(a, CNET_FRAME_DECIMAL4, big, 10000));
    TC_OK(cnet_socket_shutdown(a, false, true));
    TC_ERR(CNET_EEOF, cnet_socket_recv_frame(b, CNET_FRAME_DECIMAL4, buf, sizeof buf, &n, 1000));
    cnet_socket_free(a);
    cnet_socket_free(b);
}

Test(net_frame, bad_prefixes_break_the_socket)
{
    static const struct {
        cnet_frame_format format;
        const char *wire;
        size_t len;
        cnet_err err;
    } cases[] = {
        {CNET_FRAME_DECIMAL4, "12a4xxxx", 8, CNET_EFRAME_MALFORMED},
        {CNET_FRAME_DECIMAL4, "-001x", 5, CNET_EFRAME_MALFORMED},
        {CNET_FRAME_DECIMAL4, "9999", 4, CNET_EFRAME_TOO_LARGE},
        {CNET_FRAME_BE32, "\xff\xff\xff\xff", 4, CNET_EFRAME_TOO_LARGE},
        {CNET_FRAME_DECIMAL4, "00", 2, CNET_EFRAME_MALFORMED},           /* ends inside the prefix */
        {CNET_FRAME_DECIMAL4, "0010abc", 7, CNET_EFRAME_MALFORMED},      /* ends inside the payload */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cnet_socket *a = NULL, *b = NULL;
        tcp_pair(true, &a, &b);
        raw_send(a, cases[i].wire, cases[i].len);
        TC_OK(cnet_socket_shutdown(a, false, true));
        char buf[64];
        size_t n;
        TC_ERR(cases[i].err, cnet_socket_recv_frame(b, cases[i].format, buf, sizeof buf, &n, 1000));
        /* Broken for good: the stream position is lost. */
        TC_ERR(cases[i].err, cnet_socket_recv_frame(b, cases[i].format, buf, sizeof buf, &n, 1000));
        TC_ERR(cases[i].err, cnet_socket_recv(b, buf, 1, 1000, 0, &n));
        cnet_socket_free(a);
        cnet_socket_free(b);
    }
}

/* -------------------------------------------------------------- readiness */

/* A socket shut down for reading is ready: a read answers at once (with the
 * end of the stream). POSIX poll says so itself; WSAPoll never does. */
Test(net_select, a_socket_shut_down_for_reading_is_ready)
{
    cnet_socket *a = NULL, *b = NULL, *c = NULL, *d = NULL;
    tcp_pair(true, &a, &b);
    tcp_pair(true, &c, &d);
    TC_OK(cnet_socket_shutdown(a, true, false));
    cnet_socket *set[2] = {c, a};
    size_t count = 2;
    TC_OK(cnet_socket_select_read(set, &count, 3000));
    cr_assert_eq(count, 1, "the shut-down socket is ready, the idle one is not");
    cr_assert_eq(set[0], a);
    char buf[4];
    size_t n = 99;
    TC_OK(cnet_socket_recv(a, buf, sizeof buf, 3000, CNET_FLAGS_DEFAULT, &n));
    cr_assert_eq(n, 0);
    /* Still ready, with the other socket ready too: both, in order. */
    raw_send(d, "x", 1);
    set[0] = c;
    set[1] = a;
    count = 2;
    TC_OK(cnet_socket_select_read(set, &count, 3000));
    cr_assert_eq(count, 2);
    cr_assert(set[0] == c && set[1] == a);
    cnet_socket_free(a);
    cnet_socket_free(b);
    cnet_socket_free(c);
    cnet_socket_free(d);
}

Test(net_select, buffered_data_counts_as_ready)
{
    cnet_socket *a = NULL, *b = NULL, *c = NULL, *d = NULL;
    tcp_pair(true, &a, &b);
    tcp_pair(true, &c, &d);
    raw_send(b, "one\ntwo\n", 8);
    char line[8];
    size_t n;
    cnet_read_line_result r;
    TC_OK(cnet_socket_read_line(a, line, sizeof line, &n, &r, 1000, 0));
    /* "two" waits in a's buffer: the kernel has nothing more for a. */
    cnet_socket *set[2] = {c, a};
    size_t count = 2;
    TC_OK(cnet_socket_select_read(set, &count, 1000));
    cr_assert_eq(count, 1);
    cr_assert_eq(set[0], a);
    set[0] = c;
    set[1] = a;
    count = 2;
    TC_OK(cnet_socket_read_line(a, line, sizeof line, &n, &r, 1000, 0));
    TC_OK(cnet_socket_select_read(set, &count, 30));
    cr_assert_eq(count, 0);
    raw_send(d, "x", 1);
    set[0] = c;
    set[1] = a;
    count = 2;
    TC_OK(cnet_socket_select_read(set, &count, 1000));
    cr_assert_eq(count, 1);
    cr_assert_eq(set[0], c);
    TC_OK(cnet_socket_close(a, 0));
    set[0] = a;
    count = 1;
    TC_ERR(CNET_ECLOSED, cnet_socket_select_read(set, &count, 0));
    cnet_socket_free(a);
    cnet_socket_free(b);
    cnet_socket_free(c);
    cnet_socket_free(d);
}

/* -------------------------------------------------------------- Unix sockets */

Test(net_unix, bind_and_connect)
{
    tc_require_unix();
    char path[64];
    snprintf(path, sizeof path, "/tmp/cnet-net-%d.sock", (int)getpid());
    unlink(path);
    cnet_socket *srv = NULL, *c = NULL, *a = NULL;
    TC_OK(cnet_socket_new(CNET_AF_UNIX, CNET_SOCK_STREAM, CNET_IPPROTO_IP, true, false, &srv));
    TC_OK(cnet_socket_bind_unix(srv, path));
    TC_OK(cnet_socket_listen(srv, 5));
    TC_OK(cnet_socket_new(CNET_AF_UNIX, CNET_SOCK_STREAM, CNET_IPPROTO_IP, true, false, &c));
    TC_OK(cnet_socket_connect_unix(c, path));
    char addr[CNET_ADDRSTRLEN];
    TC_OK(cnet_socket_accept_addr(srv, &a, addr, sizeof addr, CNET_FLAGS_DEFAULT));
    cr_assert_str_eq(addr, "unix");
    TC_OK(cnet_socket_get_local_addr(srv, addr, sizeof addr, NULL));
    cr_assert_str_eq(addr, path, "the full path, not one character short");
    TC_OK(cnet_socket_send_str(c, "over unix\n", 0));
    char line[32];
    size_t n;
    cnet_read_line_result r;
    TC_OK(cnet_socket_read_line(a, line, sizeof line, &n, &r, 1000, 0));
    cr_assert_str_eq(line, "over unix");
    char longpath[200];
    memset(longpath, 'p', sizeof longpath - 1);
    longpath[sizeof longpath - 1] = '\0';
    TC_ERR(CNET_ENAMETOOLONG, cnet_socket_bind_unix(c, longpath));
    TC_ERR(CNET_EINVAL, cnet_socket_connect_unix(c, ""));
    unlink(path);
    cnet_socket *gone = NULL;
    TC_OK(cnet_socket_new(CNET_AF_UNIX, CNET_SOCK_STREAM, CNET_IPPROTO_IP, true, false, &gone));
    cr_assert_neq(cnet_socket_connect_unix(gone, path), CNET_OK, "no listener at a removed path");
    cnet_socket_free(gone);
    cnet_socket_free(a);
    cnet_socket_free(c);
    cnet_socket_free(srv);
}

/* --------------------------------------------------------- IpAddress glue */

Test(net_ip, sock_addr_round_trip_keeps_scope)
{
    cnet_ip_address ip, back;
    uint32_t scope = 0;
    TC_OK(cnet_parse_ip_address("fe80::1", 7, &ip));
    struct sockaddr_storage ss;
    cnet_socklen len;
    TC_OK(cnet_to_sock_addr(&ip, CNET_PORT(443), 7, &ss, &len));
    cr_assert_eq(len, sizeof(struct sockaddr_in6));
    cnet_port port;
    TC_OK(cnet_from_sock_addr((struct sockaddr *)&ss, len, &back, &port, &scope));
    cr_assert(cnet_ip_address_eq(&ip, &back));
    cr_assert_eq(port.value, 443);
    cr_assert_eq(scope, 7, "Nim drops the scope id");
    TC_OK(cnet_parse_ip_address("10.1.2.3", 8, &ip));
    TC_OK(cnet_to_sock_addr(&ip, CNET_PORT(1), 0, &ss, &len));
    TC_OK(cnet_from_sock_addr((struct sockaddr *)&ss, len, &back, NULL, NULL));
    cr_assert(cnet_ip_address_eq(&ip, &back));
    TC_ERR(CNET_EINVAL, cnet_from_sock_addr((struct sockaddr *)&ss, 3, &back, NULL, NULL));
    ss.ss_family = AF_UNIX;
    TC_ERR(CNET_EAFNOSUPPORT, cnet_from_sock_addr((struct sockaddr *)&ss, sizeof ss, &back, NULL, NULL));
}

Test(net_ip, primary_address_for_loopback)
{
    cnet_ip_address dest = cnet_ipv4_loopback(), got;
    TC_OK(cnet_get_primary_ip_addr(&dest, &got));
    cr_assert(cnet_ip_address_eq(&got, &dest));
    dest = cnet_ipv6_loopback();
    TC_OK(cnet_get_primary_ip_addr(&dest, &got));
    cr_assert(cnet_ip_address_eq(&got, &dest));
    TC_ERR(CNET_EINVAL, cnet_get_primary_ip_addr(NULL, &got));
}

Test(net_udp, empty_datagrams_are_not_end_of_stream)
{
    cnet_socket *a = NULL, *b = NULL;
    cnet_port pb;
    char addr[CNET_ADDRSTRLEN];
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, true, false, &b));
    TC_OK(cnet_socket_bind_addr(b, CNET_PORT(0), "127.0.0.1"));
    TC_OK(cnet_socket_get_local_addr(b, addr, sizeof addr, &pb));
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, true, false, &a));
    TC_OK(cnet_socket_connect(a, "127.0.0.1", pb, 1000));
    size_t sent = 9;
    TC_OK(cnet_socket_send(a, "", 0, 0, &sent));
    cr_assert_eq(sent, 0);
    TC_OK(cnet_socket_send(a, "hello", 5, 0, NULL));
    char buf[16];
    size_t n = 9;
    TC_OK(cnet_socket_recv_some(b, buf, sizeof buf, 1000, 0, &n));
    cr_assert_eq(n, 0, "the empty datagram arrives as 0 bytes");
    TC_OK(cnet_socket_recv_some(b, buf, sizeof buf, 1000, 0, &n));
    cr_assert_eq(n, 5, "and is not a sticky end of stream");
    cnet_socket_free(a);
    cnet_socket_free(b);
}
