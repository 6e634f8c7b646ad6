/* Module nativesockets: every proc on its happy path and its error paths. */
#include <errno.h>
#include <fcntl.h>
#if !defined(_WIN32)
#include <sys/resource.h>
#endif
#include <stddef.h>
#include <time.h>

#include "test_common.h"

/* ------------------------------------------------------------------ Port */

Test(port, eq_and_macro)
{
    cr_assert(cnet_port_eq(CNET_PORT(80), CNET_PORT(80)));
    cr_assert_not(cnet_port_eq(CNET_PORT(80), CNET_PORT(81)));
    cr_assert_eq(CNET_PORT(65535).value, 65535);
}

Test(port, to_string)
{
    char buf[CNET_PORTSTRLEN];
    TC_OK(cnet_port_to_string(CNET_PORT(0), buf, sizeof buf));
    cr_assert_str_eq(buf, "0");
    TC_OK(cnet_port_to_string(CNET_PORT(65535), buf, sizeof buf));
    cr_assert_str_eq(buf, "65535");
    char small[5];
    TC_ERR(CNET_ERANGE, cnet_port_to_string(CNET_PORT(65535), small, sizeof small));
    cr_assert_str_eq(small, "", "a failed conversion leaves an empty string");
    TC_ERR(CNET_ERANGE, cnet_port_to_string(CNET_PORT(1), buf, 0));
    TC_ERR(CNET_EINVAL, cnet_port_to_string(CNET_PORT(1), NULL, 6));
}

Test(port, from_int_checks_range)
{
    cnet_port p;
    TC_OK(cnet_port_from_int(0, &p));
    cr_assert_eq(p.value, 0);
    TC_OK(cnet_port_from_int(65535, &p));
    cr_assert_eq(p.value, 65535);
    TC_ERR(CNET_EINVAL, cnet_port_from_int(65536, &p));
    TC_ERR(CNET_EINVAL, cnet_port_from_int(-1, &p));
    TC_ERR(CNET_EINVAL, cnet_port_from_int(80, NULL));
}

Test(port, parse_is_strict)
{
    static const struct {
        const char *text;
        long value; /* -1: rejected */
    } cases[] = {
        {"0", 0},      {"80", 80},   {"65535", 65535}, {"00080", 80}, {"65536", -1},
        {"", -1},      {"80x", -1},  {" 80", -1},      {"80 ", -1},   {"-1", -1},
        {"+80", -1},   {"0x50", -1}, {"000080", -1},   {"99999", -1}, {"1e3", -1},
        {"８０", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cnet_port p = CNET_PORT(12345);
        cnet_err err = cnet_port_parse(cases[i].text, &p);
        if (cases[i].value < 0) {
            cr_expect_eq(err, CNET_EINVAL, "\"%s\" accepted", cases[i].text);
            cr_expect_eq(p.value, 12345, "\"%s\": output written on failure", cases[i].text);
        } else {
            cr_expect_eq(err, CNET_OK, "\"%s\" rejected: %s", cases[i].text, cnet_last_error_message());
            cr_expect_eq(p.value, cases[i].value);
        }
    }
    TC_ERR(CNET_EINVAL, cnet_port_parse(NULL, &(cnet_port){0}));
}

/* ------------------------------------------------------ enum conversions */

Test(enums, to_int_matches_the_system)
{
    cr_assert_eq(cnet_domain_to_int(CNET_AF_UNSPEC), AF_UNSPEC);
    cr_assert_eq(cnet_domain_to_int(CNET_AF_UNIX), AF_UNIX);
    cr_assert_eq(cnet_domain_to_int(CNET_AF_INET), AF_INET);
    cr_assert_eq(cnet_domain_to_int(CNET_AF_INET6), AF_INET6);
    cr_assert_eq(cnet_sock_type_to_int(CNET_SOCK_STREAM), SOCK_STREAM);
    cr_assert_eq(cnet_sock_type_to_int(CNET_SOCK_DGRAM), SOCK_DGRAM);
    cr_assert_eq(cnet_sock_type_to_int(CNET_SOCK_RAW), SOCK_RAW);
    cr_assert_eq(cnet_sock_type_to_int(CNET_SOCK_SEQPACKET), SOCK_SEQPACKET);
    cr_assert_eq(cnet_protocol_to_int(CNET_IPPROTO_TCP), IPPROTO_TCP);
    cr_assert_eq(cnet_protocol_to_int(CNET_IPPROTO_UDP), IPPROTO_UDP);
    cr_assert_eq(cnet_protocol_to_int(CNET_IPPROTO_IP), IPPROTO_IP);
    cr_assert_eq(cnet_protocol_to_int(CNET_IPPROTO_IPV6), IPPROTO_IPV6);
    cr_assert_eq(cnet_protocol_to_int(CNET_IPPROTO_RAW), IPPROTO_RAW);
    cr_assert_eq(cnet_protocol_to_int(CNET_IPPROTO_ICMP), IPPROTO_ICMP);
    cr_assert_eq(cnet_protocol_to_int(CNET_IPPROTO_ICMPV6), IPPROTO_ICMPV6);
    /* Nim's numbering of Protocol is kept: TCP 6, UDP 17, then 18... */
    cr_assert_eq((int)CNET_IPPROTO_IP, 18);
}

Test(enums, to_int_rejects_values_outside_the_enum)
{
    cr_assert_eq(cnet_domain_to_int((cnet_domain)12345), -1);
    cr_assert_eq(cnet_sock_type_to_int((cnet_sock_type)4), -1);
    cr_assert_eq(cnet_protocol_to_int((cnet_protocol)0), -1);
}

Test(enums, to_known_domain)
{
    cnet_domain d;
    TC_OK(cnet_to_known_domain(AF_INET6, &d));
    cr_assert_eq(d, CNET_AF_INET6);
    TC_OK(cnet_to_known_domain(AF_UNIX, &d));
    cr_assert_eq(d, CNET_AF_UNIX);
    TC_ERR(CNET_EAFNOSUPPORT, cnet_to_known_domain(12345, &d));
    TC_ERR(CNET_EINVAL, cnet_to_known_domain(AF_INET, NULL));
}

Test(enums, to_sock_type)
{
    cr_assert_eq(cnet_to_sock_type(CNET_IPPROTO_TCP), CNET_SOCK_STREAM);
    cr_assert_eq(cnet_to_sock_type(CNET_IPPROTO_UDP), CNET_SOCK_DGRAM);
    cr_assert_eq(cnet_to_sock_type(CNET_IPPROTO_ICMP), CNET_SOCK_RAW);
    cr_assert_eq(cnet_to_sock_type(CNET_IPPROTO_IP), CNET_SOCK_RAW);
}

/* ------------------------------------------------------------ byte order */

Test(byteorder, network_order_is_big_endian)
{
    uint16_t s = cnet_htons(0x1234);
    uint32_t l = cnet_htonl(0x12345678u);
    const uint8_t *sb = (const uint8_t *)&s, *lb = (const uint8_t *)&l;
    cr_assert(sb[0] == 0x12 && sb[1] == 0x34);
    cr_assert(lb[0] == 0x12 && lb[1] == 0x34 && lb[2] == 0x56 && lb[3] == 0x78);
    cr_assert_eq(cnet_ntohs(s), 0x1234);
    cr_assert_eq(cnet_ntohl(l), 0x12345678u);
    cr_assert_eq(cnet_htons(0x1234), htons(0x1234));
    cr_assert_eq(cnet_ntohl(0xdeadbeefu), ntohl(0xdeadbeefu));
}

/* ------------------------------------------------------- socket lifecycle */

Test(socket, create_every_family_and_type)
{
    static const struct {
        cnet_domain d;
        cnet_sock_type t;
        cnet_protocol p;
    } ok[] = {
        {CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP}, {CNET_AF_INET6, CNET_SOCK_STREAM, CNET_IPPROTO_TCP},
        {CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP},  {CNET_AF_INET6, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP},
        {CNET_AF_UNIX, CNET_SOCK_STREAM, CNET_IPPROTO_IP},
#if !defined(_WIN32) /* Windows' AF_UNIX has SOCK_STREAM only */
        {CNET_AF_UNIX, CNET_SOCK_SEQPACKET, CNET_IPPROTO_IP},
#endif
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        cnet_socket_handle h = CNET_INVALID_SOCKET;
        if (ok[i].d == CNET_AF_UNIX)
            tc_require_unix();
        TC_OK(cnet_create_native_socket(ok[i].d, ok[i].t, ok[i].p, false, &h));
        cr_assert_neq(h, CNET_INVALID_SOCKET);
        int type = -1;
        TC_OK(cnet_get_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_TYPE, &type));
        cr_assert_eq(type, cnet_sock_type_to_int(ok[i].t));
        TC_OK(cnet_close(h));
    }
}

Test(socket, create_rejects_bad_arguments)
{
    cnet_socket_handle h = 42;
    TC_ERR(CNET_EINVAL, cnet_create_native_socket((cnet_domain)99, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, false, &h));
    TC_ERR(CNET_EINVAL, cnet_create_native_socket(CNET_AF_INET, (cnet_sock_type)0, CNET_IPPROTO_TCP, false, &h));
    TC_ERR(CNET_EINVAL, cnet_create_native_socket(CNET_AF_INET, CNET_SOCK_STREAM, (cnet_protocol)1, false, &h));
    TC_ERR(CNET_EINVAL, cnet_create_native_socket(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, false, NULL));
    /* The OS refuses these; the handle is set to invalid. */
    TC_ERR(CNET_EAFNOSUPPORT, cnet_create_native_socket_int(12345, SOCK_STREAM, 0, false, &h));
    cr_assert_eq(h, CNET_INVALID_SOCKET);
    cr_assert_eq(cnet_last_os_error(), TC_OS_EAFNOSUPPORT);
    TC_ERR(CNET_EPROTONOSUPPORT, cnet_create_native_socket(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_UDP, false, &h));
#if defined(_WIN32) /* Winsock: WSAESOCKTNOSUPPORT where Linux says EINVAL */
    TC_ERR(CNET_EPROTONOSUPPORT, cnet_new_raw_socket_int(AF_INET, 12345, 0, &h));
#else
    TC_ERR(CNET_EINVAL, cnet_new_raw_socket_int(AF_INET, 12345, 0, &h));
#endif
}

Test(socket, new_raw_socket_forms)
{
    cnet_socket_handle h;
    TC_OK(cnet_new_raw_socket(CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, &h));
    cr_assert(tc_cloexec(h), "the seed's newRawSocket is not inheritable");
    TC_OK(cnet_close(h));
    TC_OK(cnet_new_raw_socket_int(AF_INET6, SOCK_STREAM, 0, &h));
    TC_OK(cnet_close(h));
    TC_ERR(CNET_EINVAL, cnet_new_raw_socket((cnet_domain)77, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, &h));
}

Test(socket, inheritable_flag)
{
    cnet_socket_handle h;
    TC_OK(cnet_create_native_socket(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, false, &h));
    cr_assert(tc_cloexec(h), "sockets are close-on-exec by default");
    TC_OK(cnet_set_inheritable(h, true));
    cr_assert_not(tc_cloexec(h));
    TC_OK(cnet_set_inheritable(h, false));
    cr_assert(tc_cloexec(h));
    TC_OK(cnet_close(h));
    TC_OK(cnet_create_native_socket(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, &h));
    cr_assert_not(tc_cloexec(h));
    TC_OK(cnet_close(h));
    TC_ERR(CNET_EBADF, cnet_set_inheritable(h, true));
    TC_ERR(CNET_EBADF, cnet_set_inheritable(CNET_INVALID_SOCKET, true));
}

Test(socket, close_errors)
{
    cnet_socket_handle h;
    TC_ERR(CNET_EBADF, cnet_close(CNET_INVALID_SOCKET));
    TC_OK(cnet_create_native_socket(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, false, &h));
    TC_OK(cnet_close(h));
    TC_ERR(CNET_EBADF, cnet_close(h));
    cr_assert_eq(cnet_last_os_error(), TC_OS_EBADF);
    cr_assert(strstr(cnet_last_error_message(), "cnet_close") != NULL, "message: %s", cnet_last_error_message());
}

Test(socket, no_descriptor_leak_over_1000_cycles)
{
    int before = tc_open_fds();
    cnet_port port;
    cnet_socket_handle server = tc_listener(CNET_AF_INET, &port);
    for (int i = 0; i < 1000; i++) {
        cnet_socket_handle c = tc_connect(CNET_AF_INET, port), a;
        TC_OK(cnet_accept(server, false, &a, NULL, 0));
        TC_OK(cnet_close(a));
        TC_OK(cnet_close(c));
    }
    /* Failing calls must not leak either. */
    for (int i = 0; i < 100; i++) {
        cnet_socket_handle h;
        cr_assert_neq(cnet_create_native_socket_int(12345, SOCK_STREAM, 0, false, &h), CNET_OK);
    }
    TC_OK(cnet_close(server));
    cr_assert_eq(tc_open_fds(), before);
}

/* -------------------------------------------------------- bind and listen */

Test(bind, ipv4_and_ipv6_loopback)
{
    cnet_domain domains[] = {CNET_AF_INET, CNET_AF_INET6};
    const char *texts[] = {"127.0.0.1", "::1"};
    for (int i = 0; i < 2; i++) {
        cnet_port port;
        cnet_socket_handle h = tc_listener(domains[i], &port);
        char addr[CNET_ADDRSTRLEN];
        cnet_port p2;
        TC_OK(cnet_get_local_addr(h, addr, sizeof addr, &p2));
        cr_assert_str_eq(addr, texts[i]);
        cr_assert_eq(p2.value, port.value);
        TC_OK(cnet_get_local_addr(h, addr, sizeof addr, NULL));
        cnet_domain d;
        TC_OK(cnet_get_sock_domain(h, &d));
        cr_assert_eq(d, domains[i]);
        int listening = 0;
        TC_OK(cnet_get_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_ACCEPTCONN, &listening));
        cr_assert_eq(listening, 1);
        TC_OK(cnet_close(h));
    }
}

Test(bind, errors)
{
    cnet_port port;
    cnet_socket_handle busy = tc_listener(CNET_AF_INET, &port), h;
    struct sockaddr_storage ss;
    cnet_socklen len = tc_loopback(AF_INET, port.value, &ss);
    TC_OK(cnet_create_native_socket(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, false, &h));
    TC_ERR(CNET_EADDRINUSE, cnet_bind_addr(h, (struct sockaddr *)&ss, len));
    TC_ERR(CNET_EINVAL, cnet_bind_addr(h, NULL, len));
    TC_ERR(CNET_EINVAL, cnet_bind_addr(h, (struct sockaddr *)&ss, 0));
    /* An address this machine does not have. */
    struct sockaddr_in far = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0xC0000201u)};
    TC_ERR(CNET_EADDRNOTAVAIL, cnet_bind_addr(h, (struct sockaddr *)&far, sizeof far));
    TC_ERR(CNET_EINVAL, cnet_listen(h, -1));
    TC_ERR(CNET_EBADF, cnet_listen(CNET_INVALID_SOCKET, 5));
    TC_OK(cnet_close(h));
    TC_ERR(CNET_EBADF, cnet_bind_addr(h, (struct sockaddr *)&ss, len));
    TC_ERR(CNET_EBADF, cnet_listen(h, 5));
    TC_OK(cnet_close(busy));
}

Test(bind, listen_on_udp_is_not_supported)
{
    cnet_socket_handle h;
    TC_OK(cnet_create_native_socket(CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, false, &h));
    TC_ERR(CNET_ENOTSUP, cnet_listen(h, CNET_SOMAXCONN));
    TC_OK(cnet_close(h));
}

/* ----------------------------------------------------------------- accept */

Test(accept, reports_the_real_peer_address)
{
    cnet_domain domains[] = {CNET_AF_INET, CNET_AF_INET6};
    const char *texts[] = {"127.0.0.1", "::1"};
    for (int i = 0; i < 2; i++) {
        cnet_port port;
        cnet_socket_handle server = tc_listener(domains[i], &port);
        cnet_socket_handle client = tc_connect(domains[i], port), accepted;
        char addr[CNET_ADDRSTRLEN];
        TC_OK(cnet_accept(server, false, &accepted, addr, sizeof addr));
        cr_assert_str_eq(addr, texts[i], "Nim returns 0.0.0.0 for IPv6 peers; cnet must not");
        cr_assert(tc_cloexec(accepted));
        char peer[CNET_ADDRSTRLEN];
        cnet_port peer_port, client_port;
        TC_OK(cnet_get_peer_addr(accepted, peer, sizeof peer, &peer_port));
        TC_OK(cnet_get_sock_name(client, &client_port));
        cr_assert_str_eq(peer, texts[i]);
        cr_assert_eq(peer_port.value, client_port.value);
        TC_OK(cnet_close(accepted));
        TC_OK(cnet_close(client));
        TC_OK(cnet_close(server));
    }
}

Test(accept, small_address_buffer_does_not_lose_the_connection)
{
    cnet_port port;
    cnet_socket_handle server = tc_listener(CNET_AF_INET, &port);
    cnet_socket_handle client = tc_connect(CNET_AF_INET, port), accepted = 7;
    char small[8];
    TC_ERR(CNET_ERANGE, cnet_accept(server, false, &accepted, small, sizeof small));
    cr_assert_eq(accepted, CNET_INVALID_SOCKET);
    char addr[CNET_ADDRSTRLEN];
    TC_OK(cnet_accept(server, true, &accepted, addr, sizeof addr));
    cr_assert_not(tc_cloexec(accepted), "inheritable accept");
    TC_OK(cnet_close(accepted));
    TC_OK(cnet_close(client));
    TC_OK(cnet_close(server));
}

/* A listener's number reused by a connected socket with nothing to read:
 * the accept fails at once, it does not wait for input that never comes
 * (the io_uring edge remembers which handles it made listen, and must
 * forget at close). */
Test(accept, a_reused_listener_number_that_does_not_listen_fails_at_once, .timeout = 10)
{
    cnet_port port, other_port;
    cnet_socket_handle other = tc_listener(CNET_AF_INET, &other_port);
    cnet_socket_handle server = tc_listener(CNET_AF_INET, &port);
    TC_OK(cnet_close(server));
    cnet_socket_handle again = tc_connect(CNET_AF_INET, other_port), c;
    if (again != server) {
        TC_OK(cnet_close(again));
        TC_OK(cnet_close(other));
        cr_skip_test("the number was not reused (%d, then %d)", (int)server, (int)again);
    }
    TC_ERR(CNET_EINVAL, cnet_accept(again, false, &c, NULL, 0));
    TC_OK(cnet_close(again));
    TC_OK(cnet_close(other));
}

Test(accept, errors)
{
    cnet_port port;
    cnet_socket_handle server = tc_listener(CNET_AF_INET, &port), c;
    TC_OK(cnet_set_blocking(server, false));
    TC_ERR(CNET_EWOULDBLOCK, cnet_accept(server, false, &c, NULL, 0));
    TC_ERR(CNET_EINVAL, cnet_accept(server, false, NULL, NULL, 0));
    TC_ERR(CNET_EBADF, cnet_accept(CNET_INVALID_SOCKET, false, &c, NULL, 0));
    cnet_socket_handle udp;
    TC_OK(cnet_create_native_socket(CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, false, &udp));
    cr_assert_neq(cnet_accept(udp, false, &c, NULL, 0), CNET_OK);
    TC_OK(cnet_close(udp));
    TC_OK(cnet_close(server));
}

/* A socket that does not listen: the kernel's EINVAL at once on every
 * backend (the io_uring edge arms the poll before accepting only on a
 * listener, which could otherwise wait here). Accepts on a listener still
 * work after it, with nothing queued and with more queued. */
Test(accept, on_a_socket_that_does_not_listen)
{
    cnet_socket_handle h, c;
    struct sockaddr_storage ss;
    TC_OK(cnet_create_native_socket(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, false, &h));
    cnet_socklen len = tc_loopback(AF_INET, 0, &ss);
    TC_OK(cnet_bind_addr(h, (struct sockaddr *)&ss, len));
    for (int i = 0; i < 2; i++) {
        c = 7;
        TC_ERR(CNET_EINVAL, cnet_accept(h, false, &c, NULL, 0));
        cr_assert_eq(c, CNET_INVALID_SOCKET);
    }
    TC_OK(cnet_close(h));
    cnet_port port;
    cnet_socket_handle server = tc_listener(CNET_AF_INET, &port);
    cnet_socket_handle one = tc_connect(CNET_AF_INET, port), two = tc_connect(CNET_AF_INET, port);
    for (int i = 0; i < 2; i++) {
        TC_OK(cnet_accept(server, false, &c, NULL, 0));
        TC_OK(cnet_close(c));
    }
    cnet_socket_handle three = tc_connect(CNET_AF_INET, port);
    TC_OK(cnet_accept(server, false, &c, NULL, 0));
    TC_OK(cnet_close(c));
    /* A connected socket does not listen either: refused at once, not
     * after a wait for data (which a poll armed first would do). */
    TC_ERR(CNET_EINVAL, cnet_accept(three, false, &c, NULL, 0));
    TC_OK(cnet_close(one));
    TC_OK(cnet_close(two));
    TC_OK(cnet_close(three));
    TC_OK(cnet_close(server));
}

/* ------------------------------------------------------------- resolution */

static bool list_has(const struct addrinfo *ai, int family, const char *text)
{
    for (; ai; ai = ai->ai_next) {
        char buf[CNET_ADDRSTRLEN];
        if (ai->ai_family == family &&
            cnet_get_addr_string(ai->ai_addr, (cnet_socklen)ai->ai_addrlen, buf, sizeof buf) == CNET_OK &&
            strcmp(buf, text) == 0)
            return true;
    }
    return false;
}

Test(getaddrinfo, localhost_and_literals)
{
    tc_require_localhost();
    struct addrinfo *ai = NULL;
    TC_OK(cnet_get_addr_info("localhost", CNET_PORT(80), CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &ai));
    cr_assert(list_has(ai, AF_INET, "127.0.0.1"));
    struct sockaddr_in sin;
    memcpy(&sin, ai->ai_addr, sizeof sin);
    cr_assert_eq(ntohs(sin.sin_port), 80);
    cr_assert_eq(ai->ai_socktype, SOCK_STREAM);
    cnet_free_addr_info(ai);

    TC_OK(cnet_get_addr_info("127.0.0.1", CNET_PORT(7003), CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, &ai));
    cr_assert(list_has(ai, AF_INET, "127.0.0.1"));
    cr_assert_eq(ai->ai_socktype, SOCK_DGRAM);
    cnet_free_addr_info(ai);

    TC_OK(cnet_get_addr_info("::1", CNET_PORT(0), CNET_AF_INET6, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &ai));
    cr_assert(list_has(ai, AF_INET6, "::1"));
    cnet_free_addr_info(ai);

    /* AF_INET6 asks for IPv4-mapped results, like Nim. */
    TC_OK(cnet_get_addr_info("127.0.0.1", CNET_PORT(1), CNET_AF_INET6, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &ai));
    cr_assert(list_has(ai, AF_INET6, "::ffff:127.0.0.1"));
    cnet_free_addr_info(ai);

    TC_OK(cnet_get_addr_info("127.0.0.1", CNET_PORT(0), CNET_AF_INET, CNET_SOCK_RAW, CNET_IPPROTO_ICMP, &ai));
    cnet_free_addr_info(ai);
    cnet_free_addr_info(NULL);
}

Test(getaddrinfo, errors)
{
    struct addrinfo *ai = (struct addrinfo *)1;
    TC_ERR(CNET_ENOTFOUND, cnet_get_addr_info(TC_UNKNOWN_HOST, CNET_PORT(80), CNET_AF_INET, CNET_SOCK_STREAM,
                                              CNET_IPPROTO_TCP, &ai));
    cr_assert_null(ai);
    cr_assert_eq(cnet_last_os_error(), EAI_NONAME);
    TC_ERR(CNET_ENOTFOUND, cnet_get_addr_info("", CNET_PORT(80), CNET_AF_INET, CNET_SOCK_STREAM,
                                              CNET_IPPROTO_TCP, &ai));
    TC_ERR(CNET_ENOTFOUND, cnet_get_addr_info("::1", CNET_PORT(80), CNET_AF_INET, CNET_SOCK_STREAM,
                                              CNET_IPPROTO_TCP, &ai));
    TC_ERR(CNET_EINVAL, cnet_get_addr_info(NULL, CNET_PORT(80), CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &ai));
    TC_ERR(CNET_EINVAL, cnet_get_addr_info("localhost", CNET_PORT(80), (cnet_domain)3, CNET_SOCK_STREAM,
                                           CNET_IPPROTO_TCP, &ai));
    TC_ERR(CNET_EINVAL, cnet_get_addr_info("localhost", CNET_PORT(80), CNET_AF_INET, CNET_SOCK_STREAM,
                                           CNET_IPPROTO_TCP, NULL));
}

Test(services, by_name_gives_host_order)
{
    tc_require_services();
    cnet_servent s;
    TC_OK(cnet_get_serv_by_name("http", "tcp", &s));
    cr_assert_eq(s.port.value, 80, "Nim returns 20480 (network order); cnet returns 80");
    cr_assert_str_eq(s.name, "http");
    cr_assert_str_eq(s.proto, "tcp");
    cr_assert_not_null(s.aliases);
    bool www = false;
    for (char **a = s.aliases; *a; a++)
        www = www || strcmp(*a, "www") == 0;
    cr_assert(www, "the alias www of http is listed");
    cnet_servent_free(&s);
    cr_assert_null(s.name);
    cnet_servent_free(&s); /* freeing twice is harmless */
    cnet_servent_free(NULL);
}

Test(services, by_port)
{
    tc_require_services();
    cnet_servent s;
    TC_OK(cnet_get_serv_by_port(CNET_PORT(22), "tcp", &s));
    cr_assert_str_eq(s.name, "ssh");
    cr_assert_eq(s.port.value, 22);
    cnet_servent_free(&s);
    TC_OK(cnet_get_serv_by_port(CNET_PORT(53), "udp", &s));
    cr_assert_str_eq(s.name, "domain");
    cnet_servent_free(&s);
}

Test(services, errors)
{
    cnet_servent s;
    TC_ERR(CNET_ENOTFOUND, cnet_get_serv_by_name("no-such-service-xyz", "tcp", &s));
    TC_ERR(CNET_ENOTFOUND, cnet_get_serv_by_name("http", "no-such-proto", &s));
    TC_ERR(CNET_ENOTFOUND, cnet_get_serv_by_port(CNET_PORT(65000), "tcp", &s));
    TC_ERR(CNET_EINVAL, cnet_get_serv_by_name(NULL, "tcp", &s));
    TC_ERR(CNET_EINVAL, cnet_get_serv_by_name("http", NULL, &s));
    TC_ERR(CNET_EINVAL, cnet_get_serv_by_port(CNET_PORT(80), "tcp", NULL));
}

Test(hosts, by_name_localhost)
{
    tc_require_localhost();
    cnet_hostent h;
    TC_OK(cnet_get_host_by_name("localhost", &h));
    cr_assert_eq(h.addrtype, CNET_AF_INET);
    cr_assert_eq(h.length, 4);
    cr_assert_not_null(h.addr_list[0]);
    bool found = false;
    for (char **a = h.addr_list; *a; a++)
        found = found || strcmp(*a, "127.0.0.1") == 0;
    cr_assert(found);
    cnet_hostent_free(&h);
    cr_assert_null(h.addr_list);
    cnet_hostent_free(NULL);
}

Test(hosts, by_name_literals)
{
    cnet_hostent h;
    TC_OK(cnet_get_host_by_name("127.0.0.1", &h));
    cr_assert_str_eq(h.addr_list[0], "127.0.0.1");
    cnet_hostent_free(&h);
    TC_OK(cnet_get_host_by_name("::1", &h));
    cr_assert_eq(h.addrtype, CNET_AF_INET6);
    cr_assert_eq(h.length, 16);
    cr_assert_str_eq(h.addr_list[0], "::1");
    cnet_hostent_free(&h);
}

Test(hosts, by_addr)
{
    tc_require_localhost();
    cnet_hostent h;
    TC_OK(cnet_get_host_by_addr("127.0.0.1", &h));
    cr_assert_str_eq(h.name, "localhost");
    cr_assert_str_eq(h.addr_list[0], "127.0.0.1");
    cnet_hostent_free(&h);
    /* ::1 has a name only where /etc/hosts lists it: either answer is fine,
     * but the call must finish cleanly with one of the two. */
    cnet_err err = cnet_get_host_by_addr("::1", &h);
    cr_assert(err == CNET_OK || err == CNET_ENOTFOUND, "got %s", cnet_err_name(err));
    if (err == CNET_OK) {
        cr_assert_eq(h.addrtype, CNET_AF_INET6);
        cnet_hostent_free(&h);
    }
}

Test(hosts, errors)
{
    cnet_hostent h;
    TC_ERR(CNET_ENOTFOUND, cnet_get_host_by_name(TC_UNKNOWN_HOST, &h));
    TC_ERR(CNET_EINVAL, cnet_get_host_by_addr("not-an-address", &h));
    TC_ERR(CNET_EINVAL, cnet_get_host_by_addr("127.1", &h));
    TC_ERR(CNET_EINVAL, cnet_get_host_by_addr(NULL, &h));
    TC_ERR(CNET_EINVAL, cnet_get_host_by_name(NULL, &h));
    TC_ERR(CNET_EINVAL, cnet_get_host_by_name("localhost", NULL));
}

Test(protocols, by_name)
{
    tc_require_protocols();
    int p = -1;
    TC_OK(cnet_get_proto_by_name("tcp", &p));
    cr_assert_eq(p, 6);
    TC_OK(cnet_get_proto_by_name("udp", &p));
    cr_assert_eq(p, 17);
    TC_ERR(CNET_ENOTFOUND, cnet_get_proto_by_name("no-such-protocol", &p));
    TC_ERR(CNET_EINVAL, cnet_get_proto_by_name(NULL, &p));
    TC_ERR(CNET_EINVAL, cnet_get_proto_by_name("tcp", NULL));
}

Test(hostname, get)
{
    char name[256], expected[256];
    TC_OK(cnet_get_hostname(name, sizeof name));
    cr_assert_eq(gethostname(expected, sizeof expected), 0);
    cr_assert_str_eq(name, expected);
    char one[1];
    TC_ERR(CNET_ERANGE, cnet_get_hostname(one, sizeof one));
    TC_ERR(CNET_EINVAL, cnet_get_hostname(name, 0));
    TC_ERR(CNET_EINVAL, cnet_get_hostname(NULL, 10));
}

/* -------------------------------------------------------------- addresses */

Test(addrstring, every_family)
{
    char buf[CNET_ADDRSTRLEN];
    struct sockaddr_storage ss;
    cnet_socklen len = tc_loopback(AF_INET, 1, &ss);
    TC_OK(cnet_get_addr_string((struct sockaddr *)&ss, len, buf, sizeof buf));
    cr_assert_str_eq(buf, "127.0.0.1");

    struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6};
    inet_pton(AF_INET6, "::ffff:10.1.2.3", &sin6.sin6_addr);
    TC_OK(cnet_get_addr_string((struct sockaddr *)&sin6, sizeof sin6, buf, sizeof buf));
    cr_assert_str_eq(buf, "::ffff:10.1.2.3", "v4-mapped stays mapped (consistent with getPeerAddr)");

    inet_pton(AF_INET6, "fe80::1", &sin6.sin6_addr);
    sin6.sin6_scope_id = 3;
    TC_OK(cnet_get_addr_string((struct sockaddr *)&sin6, sizeof sin6, buf, sizeof buf));
    cr_assert_str_eq(buf, "fe80::1%3");

    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    strcpy(sun.sun_path, "/tmp/cnet.sock");
    TC_OK(cnet_get_addr_string((struct sockaddr *)&sun, sizeof sun, buf, sizeof buf));
    cr_assert_str_eq(buf, "/tmp/cnet.sock");
    TC_OK(cnet_get_addr_string((struct sockaddr *)&sun, (cnet_socklen)sizeof(sa_family_t), buf, sizeof buf));
    cr_assert_str_eq(buf, "unix");
}

Test(addrstring, errors)
{
    char buf[CNET_ADDRSTRLEN];
    struct sockaddr_storage ss;
    cnet_socklen len = tc_loopback(AF_INET6, 1, &ss);
    char small[3];
    TC_ERR(CNET_ERANGE, cnet_get_addr_string((struct sockaddr *)&ss, len, small, sizeof small));
    TC_ERR(CNET_EINVAL, cnet_get_addr_string((struct sockaddr *)&ss, 4, buf, sizeof buf));
    TC_ERR(CNET_EINVAL, cnet_get_addr_string((struct sockaddr *)&ss, 0, buf, sizeof buf));
    TC_ERR(CNET_EINVAL, cnet_get_addr_string(NULL, len, buf, sizeof buf));
    TC_ERR(CNET_EINVAL, cnet_get_addr_string((struct sockaddr *)&ss, len, NULL, 10));
    ss.ss_family = AF_APPLETALK;
    TC_ERR(CNET_EAFNOSUPPORT, cnet_get_addr_string((struct sockaddr *)&ss, len, buf, sizeof buf));
}

Test(addrs, unix_socket_names)
{
    tc_require_unix();
    char path[64];
    snprintf(path, sizeof path, "/tmp/cnet-test-%d.sock", (int)getpid());
    unlink(path);
    cnet_socket_handle h;
    TC_OK(cnet_create_native_socket(CNET_AF_UNIX, CNET_SOCK_STREAM, CNET_IPPROTO_IP, false, &h));
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    strcpy(sun.sun_path, path);
    TC_OK(cnet_bind_addr(h, (struct sockaddr *)&sun, sizeof sun));
    char buf[CNET_ADDRSTRLEN];
    cnet_port port = CNET_PORT(9);
    TC_OK(cnet_get_local_addr(h, buf, sizeof buf, &port));
    cr_assert_str_eq(buf, path);
    cr_assert_eq(port.value, 0);
    cnet_domain d;
    TC_OK(cnet_get_sock_domain(h, &d));
    cr_assert_eq(d, CNET_AF_UNIX);
    TC_ERR(CNET_EAFNOSUPPORT, cnet_get_sock_name(h, &port));
    TC_OK(cnet_close(h));
    unlink(path);
}

Test(addrs, make_unix_addr)
{
    tc_require_unix();
    char path[64];
    snprintf(path, sizeof path, "/tmp/cnet-mk-%d.sock", (int)getpid());
    unlink(path);
    struct sockaddr_storage ss;
    cnet_socklen len = 0;
    memset(&ss, 0xa5, sizeof ss);
    TC_OK(cnet_make_unix_addr(path, &ss, &len));
    struct sockaddr_un sun;
    memcpy(&sun, &ss, sizeof sun);
    cr_assert_eq(sun.sun_family, AF_UNIX);
    cr_assert_str_eq(sun.sun_path, path);
    cr_assert_eq((size_t)len, offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
    for (size_t i = offsetof(struct sockaddr_un, sun_path) + strlen(path); i < sizeof ss; i++)
        cr_assert_eq(((unsigned char *)&ss)[i], 0, "byte %zu after the path is zero", i);
    /* The address works as it is with bind and names itself back. */
    cnet_socket_handle h;
    TC_OK(cnet_create_native_socket(CNET_AF_UNIX, CNET_SOCK_STREAM, CNET_IPPROTO_IP, false, &h));
    TC_OK(cnet_bind_addr(h, (struct sockaddr *)&ss, len));
    char buf[CNET_ADDRSTRLEN];
    TC_OK(cnet_get_local_addr(h, buf, sizeof buf, NULL));
    cr_assert_str_eq(buf, path);
    TC_OK(cnet_close(h));
    unlink(path);

    /* The longest path that fits, then one byte more. */
    char longest[sizeof sun.sun_path + 1];
    memset(longest, 'p', sizeof longest);
    longest[sizeof sun.sun_path - 1] = '\0';
    TC_OK(cnet_make_unix_addr(longest, &ss, &len));
    cr_assert_eq((size_t)len, offsetof(struct sockaddr_un, sun_path) + sizeof sun.sun_path);
    longest[sizeof sun.sun_path - 1] = 'p';
    longest[sizeof sun.sun_path] = '\0';
    len = 7;
    TC_ERR(CNET_ENAMETOOLONG, cnet_make_unix_addr(longest, &ss, &len));
    cr_assert_eq(len, 0);
    TC_ERR(CNET_EINVAL, cnet_make_unix_addr("", &ss, &len));
    TC_ERR(CNET_EINVAL, cnet_make_unix_addr(NULL, &ss, &len));
    TC_ERR(CNET_EINVAL, cnet_make_unix_addr(path, NULL, &len));
    TC_ERR(CNET_EINVAL, cnet_make_unix_addr(path, &ss, NULL));
}

Test(addrs, peer_errors)
{
    cnet_socket_handle h;
    char buf[CNET_ADDRSTRLEN];
    TC_OK(cnet_create_native_socket(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, false, &h));
    TC_ERR(CNET_ENOTCONN, cnet_get_peer_addr(h, buf, sizeof buf, NULL));
    TC_ERR(CNET_EINVAL, cnet_get_local_addr(h, NULL, 10, NULL));
    TC_OK(cnet_close(h));
    TC_ERR(CNET_EBADF, cnet_get_peer_addr(h, buf, sizeof buf, NULL));
    TC_ERR(CNET_EBADF, cnet_get_local_addr(h, buf, sizeof buf, NULL));
    TC_ERR(CNET_EBADF, cnet_get_sock_name(h, &(cnet_port){0}));
    TC_ERR(CNET_EBADF, cnet_get_sock_domain(h, &(cnet_domain){0}));
    TC_ERR(CNET_EBADF, cnet_get_sock_domain(CNET_INVALID_SOCKET, &(cnet_domain){0}));
}

/* ---------------------------------------------------------------- options */

Test(options, errors)
{
    cnet_socket_handle h;
    int v;
    TC_OK(cnet_create_native_socket(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, false, &h));
    TC_ERR(CNET_ENOPROTOOPT, cnet_get_sock_opt_int(h, CNET_SOL_SOCKET, 9999, &v));
    TC_ERR(CNET_ENOPROTOOPT, cnet_set_sock_opt_int(h, CNET_SOL_SOCKET, 9999, 1));
    TC_ERR(CNET_EINVAL, cnet_get_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_TYPE, NULL));
    TC_OK(cnet_close(h));
    TC_ERR(CNET_EBADF, cnet_get_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_TYPE, &v));
    TC_ERR(CNET_EBADF, cnet_set_sock_opt_int(h, CNET_SOL_SOCKET, CNET_SO_REUSEADDR, 1));
}

Test(options, set_blocking)
{
    cnet_socket_handle h;
    TC_OK(cnet_create_native_socket(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, false, &h));
    TC_OK(cnet_set_blocking(h, false));
    cr_assert(tc_nonblocking(h));
    TC_OK(cnet_set_blocking(h, false));
    cr_assert(tc_nonblocking(h));
    TC_OK(cnet_set_blocking(h, true));
    cr_assert_not(tc_nonblocking(h));
    TC_OK(cnet_close(h));
    TC_ERR(CNET_EBADF, cnet_set_blocking(h, true));
}

Test(options, ioctlsocket)
{
    cnet_port port;
    cnet_socket_handle server = tc_listener(CNET_AF_INET, &port);
    cnet_socket_handle client = tc_connect(CNET_AF_INET, port), peer;
    TC_OK(cnet_accept(server, false, &peer, NULL, 0));
    unsigned long arg = 1;
    TC_OK(cnet_ioctlsocket(client, CNET_FIONBIO, &arg));
    cr_assert(tc_nonblocking(client));
    arg = 0;
    TC_OK(cnet_ioctlsocket(client, CNET_FIONBIO, &arg));
    cr_assert_not(tc_nonblocking(client));
    cr_assert_eq(send(peer, "hello", 5, 0), 5);
    size_t one = 1;
    cnet_socket_handle wait[1] = {client};
    TC_OK(cnet_select_read(wait, &one, 2000));
    cr_assert_eq(one, 1);
    TC_OK(cnet_ioctlsocket(client, CNET_FIONREAD, &arg));
    cr_assert_eq(arg, 5);
    TC_ERR(CNET_ENOTSUP, cnet_ioctlsocket(client, 0x1234, &arg));
    TC_ERR(CNET_EINVAL, cnet_ioctlsocket(client, CNET_FIONBIO, NULL));
    TC_ERR(CNET_EBADF, cnet_ioctlsocket(CNET_INVALID_SOCKET, CNET_FIONBIO, &arg));
    TC_OK(cnet_close(peer));
    TC_OK(cnet_close(client));
    TC_OK(cnet_close(server));
}

/* -------------------------------------------------------------- readiness */

Test(select, read_timeout_then_ready)
{
    cnet_port port;
    cnet_socket_handle server = tc_listener(CNET_AF_INET, &port);
    cnet_socket_handle client = tc_connect(CNET_AF_INET, port), peer;
    TC_OK(cnet_accept(server, false, &peer, NULL, 0));

    cnet_socket_handle hs[2] = {client, peer};
    size_t n = 2;
    int64_t t0 = tc_now_ms();
    TC_OK(cnet_select_read(hs, &n, 60));
    cr_assert_eq(n, 0, "nothing to read: a timeout is not an error");
    cr_assert_geq(tc_now_ms() - t0, 55, "returned before the timeout");

    n = 2;
    TC_OK(cnet_select_read(hs, &n, 0));
    cr_assert_eq(n, 0);

    cr_assert_eq(send(client, "x", 1, 0), 1);
    hs[0] = client;
    hs[1] = peer;
    n = 2;
    TC_OK(cnet_select_read(hs, &n, -1));
    cr_assert_eq(n, 1);
    cr_assert_eq(hs[0], peer, "the ready handle is moved to the front");

    /* Both ready: order preserved. */
    cr_assert_eq(send(peer, "y", 1, 0), 1);
    hs[0] = client;
    hs[1] = peer;
    n = 2;
    TC_OK(cnet_select_read(hs, &n, 1000));
    cr_assert_eq(n, 2);
    cr_assert(hs[0] == client && hs[1] == peer);

    /* A listening socket with a pending connection is readable. */
    cnet_socket_handle c2 = tc_connect(CNET_AF_INET, port);
    cnet_socket_handle l[1] = {server};
    n = 1;
    TC_OK(cnet_select_read(l, &n, 1000));
    cr_assert_eq(n, 1);
    TC_OK(cnet_close(c2));
    TC_OK(cnet_close(peer));
    TC_OK(cnet_close(client));
    TC_OK(cnet_close(server));
}

Test(select, write_ready_and_timeout)
{
    cnet_port port;
    cnet_socket_handle server = tc_listener(CNET_AF_INET, &port);
    cnet_socket_handle client = tc_connect(CNET_AF_INET, port), peer;
    TC_OK(cnet_accept(server, false, &peer, NULL, 0));
    cnet_socket_handle hs[1] = {client};
    size_t n = 1;
    TC_OK(cnet_select_write(hs, &n, 500));
    cr_assert_eq(n, 1, "a fresh connection is writable");

    /* Fill the send buffer until it would block, then writing times out. */
    TC_OK(cnet_set_blocking(client, false));
    TC_OK(cnet_set_sock_opt_int(client, CNET_SOL_SOCKET, CNET_SO_SNDBUF, 4096));
    TC_OK(cnet_set_sock_opt_int(peer, CNET_SOL_SOCKET, CNET_SO_RCVBUF, 4096));
    char chunk[4096];
    memset(chunk, 'a', sizeof chunk);
    for (int i = 0; i < 100000 && send(client, chunk, sizeof chunk, MSG_NOSIGNAL) > 0; i++)
        ;
    n = 1;
    hs[0] = client;
    int64_t t0 = tc_now_ms();
    TC_OK(cnet_select_write(hs, &n, 50));
    cr_assert_eq(n, 0, "a full send buffer is not writable");
    cr_assert_geq(tc_now_ms() - t0, 45);
    TC_OK(cnet_close(peer));
    TC_OK(cnet_close(client));
    TC_OK(cnet_close(server));
}

Test(select, handles_above_fd_setsize)
{
    /* Nim's select() corrupts memory for descriptors >= 1024; poll does not. */
#if defined(_WIN32)
    cr_skip_test("POSIX only: descriptor numbers, RLIMIT_NOFILE and dup2 (WSAPoll has no FD_SETSIZE limit either)");
#else
    struct rlimit rl;
    cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
    if (rl.rlim_cur < 2100) {
        rl.rlim_cur = rl.rlim_max < 2100 ? rl.rlim_max : 2100;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur < 2100)
        cr_skip_test("RLIMIT_NOFILE is below 2100 here");
    cnet_port port;
    cnet_socket_handle server = tc_listener(CNET_AF_INET, &port);
    cnet_socket_handle client = tc_connect(CNET_AF_INET, port), peer;
    TC_OK(cnet_accept(server, false, &peer, NULL, 0));
    int high = dup2(peer, 2000);
    cr_assert_eq(high, 2000);
    cr_assert_eq(send(client, "z", 1, 0), 1);
    cnet_socket_handle hs[1] = {high};
    size_t n = 1;
    TC_OK(cnet_select_read(hs, &n, 1000));
    cr_assert_eq(n, 1);
    cr_assert_eq(hs[0], 2000);
    close(high);
    TC_OK(cnet_close(peer));
    TC_OK(cnet_close(client));
    TC_OK(cnet_close(server));
#endif
}

Test(select, many_handles_use_the_heap)
{
    enum { N = 40 };
    cnet_socket_handle hs[N];
    for (int i = 0; i < N; i++)
        TC_OK(cnet_create_native_socket(CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, false, &hs[i]));
    cnet_socket_handle copy[N];
    memcpy(copy, hs, sizeof hs);
    size_t n = N;
    TC_OK(cnet_select_write(copy, &n, 100));
    cr_assert_eq(n, N, "unbound UDP sockets are writable");
    n = N;
    TC_OK(cnet_select_read(copy, &n, 0));
    cr_assert_eq(n, 0);
    for (int i = 0; i < N; i++)
        TC_OK(cnet_close(hs[i]));
}

Test(select, errors)
{
    cnet_socket_handle h;
    TC_OK(cnet_create_native_socket(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, false, &h));
    cnet_socket_handle hs[2] = {h, CNET_INVALID_SOCKET};
    size_t n = 2;
    TC_ERR(CNET_EBADF, cnet_select_read(hs, &n, 0));
    cr_assert_eq(n, 2, "count untouched on failure");
    TC_OK(cnet_close(h));
    hs[1] = h;
    n = 2;
    TC_ERR(CNET_EBADF, cnet_select_write(hs, &n, 0));
    TC_ERR(CNET_EINVAL, cnet_select_read(NULL, &n, 0));
    TC_ERR(CNET_EINVAL, cnet_select_read(hs, NULL, 0));
    TC_ERR(CNET_EINVAL, cnet_select_read(hs, &n, -2));
    n = 0;
    TC_OK(cnet_select_read(hs, &n, 0));
    cr_assert_eq(n, 0);
}
