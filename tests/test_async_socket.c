/*
 * Module async, sockets (spec/async.yaml): new/wrap and the queries,
 * bind/listen/addresses/options, connect, dial, accept, close with work
 * pending, datagrams, 10 000 connections without a leaked descriptor, and
 * the argument errors of every start (CNET_EINVAL, no callback).
 */
#define TA_SECONDARY_TU 1
#include "test_async.h"

/* ------------------------------------------------------- new, wrap, close */

Test(async_socket, new_and_its_properties, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL, *s6 = NULL, *u = NULL;
    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &s));
    cr_assert_not_null(s);
    cnet_socket_handle h = cnet_async_socket_get_fd(s);
    cr_assert_neq(h, CNET_INVALID_SOCKET);
#if !defined(_WIN32) /* Windows cannot read the mode of an unconnected socket back: wrap_takes_the_handle checks it */
    cr_assert(tc_nonblocking(h), "an async socket is non-blocking");
#endif
    cr_assert_eq(cnet_async_socket_loop(s), loop);
    cr_assert_not(cnet_async_socket_is_closed(s));
    cr_assert_not(cnet_async_socket_has_data_buffered(s));
    cr_assert_null(cnet_async_socket_get_user(s));
    int mine = 7;
    cnet_async_socket_set_user(s, &mine);
    cr_assert_eq(cnet_async_socket_get_user(s), &mine);
    cnet_async_socket_set_user(s, NULL);
    cr_assert_null(cnet_async_socket_get_user(s));
    cr_assert_not(cnet_loop_alive(loop), "a socket with nothing pending is no work");

    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET6, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &s6));
    bool v6only = true;
    TC_OK(cnet_async_socket_get_sock_opt(s6, CNET_OPT_V6_ONLY, &v6only));
    cr_assert_not(v6only, "AF_INET6 sockets are dual stack");
    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, &u));
#if !defined(_WIN32)
    cr_assert(tc_nonblocking(cnet_async_socket_get_fd(u)));
#endif

    /* The NULL forms of the queries. */
    cr_assert(cnet_async_socket_is_closed(NULL));
    cr_assert_eq(cnet_async_socket_get_fd(NULL), CNET_INVALID_SOCKET);
    cr_assert_null(cnet_async_socket_loop(NULL));
    cr_assert_null(cnet_async_socket_get_user(NULL));
    cr_assert_not(cnet_async_socket_has_data_buffered(NULL));
    cnet_async_socket_set_user(NULL, &mine); /* does nothing */

    ta_close(loop, s);
    ta_close(loop, s6);
    ta_close(loop, u);
    ta_free(loop);
}

Test(async_socket, wrap_takes_the_handle, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    int fds = tc_open_fds();
    cnet_socket_handle h;
#if defined(_WIN32)
    /* Windows tells the mode of a connected socket only (tc_nonblocking). */
    cnet_port port;
    cnet_socket_handle l = tc_listener(CNET_AF_INET, &port), a;
    h = tc_connect(CNET_AF_INET, port);
    TC_OK(cnet_accept(l, false, &a, NULL, 0));
    cnet_close(l);
#else
    TC_OK(cnet_create_native_socket(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, false, &h));
#endif
    cr_assert_not(tc_nonblocking(h));
    cnet_async_socket *s = NULL;
    TC_OK(cnet_async_socket_wrap(loop, h, CNET_AF_INET, CNET_SOCK_STREAM, &s));
    cr_assert_eq(cnet_async_socket_get_fd(s), h);
    cr_assert(tc_nonblocking(h), "wrap makes the handle non-blocking");
    ta_close(loop, s);
#if defined(_WIN32)
    cnet_close(a);
#endif
    cr_assert_eq(tc_open_fds(), fds, "the wrapped handle is closed with its socket");

    cnet_async_socket *bad = NULL;
    TC_ERR(CNET_EBADF, cnet_async_socket_wrap(loop, CNET_INVALID_SOCKET, CNET_AF_INET, CNET_SOCK_STREAM, &bad));
    ta_free(loop);
}

Test(async_socket, a_handle_of_another_loop_is_refused_on_windows, .timeout = 20)
{
    /* A handle joins a completion port for good: a second loop cannot take
     * it (CNET_EINVAL), the handle stays the caller's and the first loop
     * goes on serving it. Elsewhere two loops may watch one descriptor. */
    cnet_loop *loop = ta_loop(), *other = ta_loop();
#if !defined(_WIN32)
    ta_free(other);
    ta_free(loop);
    cr_skip_test("Windows only: epoll and io_uring let two loops watch one descriptor");
#else
    cnet_async_socket *s = NULL, *dup = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    TC_ERR(CNET_EINVAL, cnet_async_socket_wrap(other, cnet_async_socket_get_fd(s), CNET_AF_INET, CNET_SOCK_STREAM,
                                               &dup));
    cr_assert_null(dup);
    cr_assert(strstr(cnet_last_error_message(), "completion port") != NULL, "message: %s", cnet_last_error_message());
    cr_assert_not(cnet_loop_alive(other));
    ta_rec r = {0};
    TA_START(cnet_async_recv(s, 5, true, CNET_FLAGS_DEFAULT, 5000, ta_cb, &r, NULL));
    ta_peer_str(peer, "hello");
    TA_RUN_UNTIL(loop, r.calls > 0, 5000);
    TA_DONE(r, CNET_ASYNC_RECV, CNET_OK);
    cr_assert_str_eq((char *)r.copy, "hello");
    ta_close(loop, s);
    cnet_socket_free(peer);
    ta_free(other);
    ta_free(loop);
#endif
}

Test(async_socket, close_runs_later_once_and_a_second_close_is_eclosed, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &s));
    ta_rec c = {0}, r = {0};
    TA_START(cnet_async_socket_close(s, ta_cb, &c));
    cr_assert(cnet_async_socket_is_closed(s), "closing counts as closed at once");
    cr_assert_eq(cnet_async_socket_get_fd(s), CNET_INVALID_SOCKET, "no handle while closing");
    TA_REFUSE(CNET_ECLOSED, cnet_async_socket_close(s, ta_cb, &c));
    TA_REFUSE(CNET_ECLOSED, cnet_async_recv(s, 10, false, CNET_FLAGS_DEFAULT, -1, ta_cb, &r, NULL));
    TA_REFUSE(CNET_ECLOSED, cnet_async_send(s, "x", 1, CNET_FLAGS_DEFAULT, -1, ta_cb, &r, NULL));
    TA_REFUSE(CNET_ECLOSED, cnet_async_socket_set_sock_opt(s, CNET_OPT_NO_DELAY, true));
    TA_REFUSE(CNET_ECLOSED, cnet_async_socket_bind_addr(s, CNET_PORT(0), "127.0.0.1"));
    TA_REFUSE(CNET_ECLOSED, cnet_async_connect(s, "127.0.0.1", CNET_PORT(1), -1, ta_cb, &r, NULL));
    cr_assert_eq(c.calls, 0);
    TA_RUN_UNTIL(loop, c.calls > 0, 5000);
    TA_DONE(c, CNET_ASYNC_CLOSE, c.err);
    cr_assert_eq(c.socket, s, "the close result names its socket");
    ta_spin(loop, 30);
    cr_assert_eq(c.calls, 1);
    cr_assert_eq(r.calls, 0, "a refused start ran its callback");

    /* A NULL close callback is allowed. */
    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &s));
    TA_START(cnet_async_socket_close(s, NULL, NULL));
    TC_OK(cnet_loop_run(loop));
    ta_free(loop);
}

/* ------------------------------------------------ bind, listen, options */

Test(async_socket, bind_listen_and_addresses, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_port port;
    cnet_async_socket *l = ta_listener(loop, &port), *l2 = NULL, *c = NULL;
    cnet_ip_address ip;
    cnet_port p;
    TC_OK(cnet_async_socket_get_local_addr(l, &ip, &p));
    cr_assert(ta_is_loopback4(&ip));
    cr_assert_eq(p.value, port.value);
    TC_ERR(CNET_ENOTCONN, cnet_async_socket_get_peer_addr(l, &ip, &p));

    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &l2));
    TC_ERR(CNET_EADDRINUSE, cnet_async_socket_bind_addr(l2, port, "127.0.0.1"));
    TC_OK(cnet_async_socket_bind_addr(l2, CNET_PORT(0), ""));
    TC_OK(cnet_async_socket_get_local_addr(l2, &ip, &p));
    cr_assert_neq(p.value, 0);

    /* The listener really listens: a blocking client connects. */
    cnet_socket_handle h = tc_connect(CNET_AF_INET, port);
    ta_rec a = {0};
    TA_START(cnet_async_accept(l, 5000, ta_cb, &a, NULL));
    TA_RUN_UNTIL(loop, a.calls > 0, 5000);
    TA_DONE(a, CNET_ASYNC_ACCEPT, CNET_OK);
    cr_assert_not_null(a.accepted);
    c = a.accepted;
    TC_OK(cnet_async_socket_get_peer_addr(c, &ip, &p));
    cr_assert(ta_is_loopback4(&ip));
    cnet_port hp;
    TC_OK(cnet_get_sock_name(h, &hp));
    cr_assert_eq(p.value, hp.value);
    cnet_close(h);
    ta_close(loop, c);
    ta_close(loop, l);
    ta_close(loop, l2);
    ta_free(loop);
}

Test(async_socket, sock_opts_round_trip, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &s));
    const cnet_sobool opts[] = {CNET_OPT_REUSE_ADDR, CNET_OPT_KEEP_ALIVE, CNET_OPT_NO_DELAY};
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
        bool v = false;
        TC_OK(cnet_async_socket_set_sock_opt(s, opts[i], true));
        TC_OK(cnet_async_socket_get_sock_opt(s, opts[i], &v));
        cr_assert(v, "option %d did not turn on", (int)opts[i]);
        TC_OK(cnet_async_socket_set_sock_opt(s, opts[i], false));
        TC_OK(cnet_async_socket_get_sock_opt(s, opts[i], &v));
        cr_assert_not(v, "option %d did not turn off", (int)opts[i]);
    }
    /* The option reaches the descriptor. */
    TC_OK(cnet_async_socket_set_sock_opt(s, CNET_OPT_NO_DELAY, true));
    int raw = 0;
    TC_OK(cnet_get_sock_opt_int(cnet_async_socket_get_fd(s), IPPROTO_TCP, TCP_NODELAY, &raw));
    cr_assert_neq(raw, 0);
    ta_close(loop, s);
    ta_free(loop);
}

/* ------------------------------------- nothing runs inside a start call */

Test(async_socket, immediate_completions_wait_for_the_loop, .timeout = 20)
{
    /* Each of these could complete inside its start (the data is there,
     * the buffer has room, the connection is queued): TA_START fails the
     * test if its callback runs before the loop does. */
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL, *x = NULL, *y = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    ta_peer_str(peer, "abcline\nrest");
    ta_rec r1 = {0}, r2 = {0}, ln = {0}, snd = {0}, acc = {0}, w = {0}, cl = {0}, dg = {0}, con = {0}, cc = {0};
    TA_START(cnet_async_recv(s, 2, true, CNET_FLAGS_DEFAULT, 5000, ta_cb, &r1, NULL));
    TA_RUN_UNTIL(loop, r1.calls > 0, 5000);
    cr_assert_str_eq((char *)r1.copy, "ab");
    TA_START(cnet_async_recv(s, 1, true, CNET_FLAGS_DEFAULT, 5000, ta_cb, &r2, NULL));
    TA_START(cnet_async_recv_line(s, 100, CNET_FLAGS_DEFAULT, 5000, ta_cb, &ln, NULL));
    TA_START(cnet_async_send(s, "hi", 2, CNET_FLAGS_DEFAULT, 5000, ta_cb, &snd, NULL));
    cnet_port hport;
    cnet_socket_handle hl = tc_listener(CNET_AF_INET, &hport), hc = tc_connect(CNET_AF_INET, hport);
    TA_START(cnet_loop_add_write(loop, hc, 5000, ta_cb, &w, NULL));

    cnet_port port;
    cnet_async_socket *l = ta_listener(loop, &port);
    cnet_socket_handle h = tc_connect(CNET_AF_INET, port);
    tc_sleep_ms(20);
    TA_START(cnet_async_accept(l, 5000, ta_cb, &acc, NULL));
    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &x));
    TA_START(cnet_async_connect(x, "127.0.0.1", port, 5000, ta_cb, &con, NULL));

    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, &y));
    TC_OK(cnet_async_socket_bind_addr(y, CNET_PORT(0), "127.0.0.1"));
    cnet_ip_address ip;
    cnet_port up;
    TC_OK(cnet_async_socket_get_local_addr(y, &ip, &up));
    cnet_socket *u = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, false, false, &u));
    TC_OK(cnet_socket_send_to(u, "127.0.0.1", up, "dgram", 5, 0));
    tc_sleep_ms(20);
    TA_START(cnet_async_recv_from(y, 100, 5000, ta_cb, &dg, NULL));

    cnet_async_socket *z = NULL;
    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &z));
    TA_START(cnet_async_socket_close(z, ta_cb, &cl));

    TA_RUN_UNTIL(loop, r2.calls && ln.calls && snd.calls && w.calls && acc.calls && con.calls && dg.calls && cl.calls,
                 5000);
    TA_DONE(r2, CNET_ASYNC_RECV, CNET_OK);
    cr_assert_str_eq((char *)r2.copy, "c");
    TA_DONE(ln, CNET_ASYNC_RECV_LINE, CNET_OK);
    cr_assert_str_eq((char *)ln.copy, "line");
    cr_assert_lt(r2.seq, ln.seq, "reads complete in start order");
    TA_DONE(snd, CNET_ASYNC_SEND, CNET_OK);
    TA_DONE(w, CNET_ASYNC_WRITABLE, CNET_OK);
    TA_DONE(acc, CNET_ASYNC_ACCEPT, CNET_OK);
    TA_DONE(con, CNET_ASYNC_CONNECT, CNET_OK);
    TA_DONE(dg, CNET_ASYNC_RECV_FROM, CNET_OK);
    cr_assert_str_eq((char *)dg.copy, "dgram");
    TA_DONE(cl, CNET_ASYNC_CLOSE, cl.err);
    ta_peer_expect(peer, "hi", 2);

    /* A cancel's callback runs later too. */
    cnet_async_op *op = NULL;
    TA_START(cnet_async_recv(s, 100, true, CNET_FLAGS_DEFAULT, -1, ta_cb, &cc, &op));
    TA_START(cnet_async_cancel(op));
    TA_RUN_UNTIL(loop, cc.calls > 0, 5000);
    cr_assert(cc.err == CNET_ECANCELED || cc.err == CNET_OK, "%s", cnet_err_name(cc.err));

    cnet_socket_free(u);
    cnet_socket_free(peer);
    cnet_close(h);
    cnet_close(hc);
    cnet_close(hl);
    ta_close(loop, acc.accepted);
    ta_close(loop, s);
    ta_close(loop, x);
    ta_close(loop, y);
    ta_close(loop, l);
    ta_free(loop);
}

/* ------------------------------------------------------------ connect */

Test(async_connect, connect_accept_and_addresses, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_port port;
    cnet_async_socket *l = ta_listener(loop, &port), *c = NULL;
    ta_rec acc = {0}, con = {0}, rd = {0}, sd = {0};
    cnet_async_op *op = NULL;
    TA_START(cnet_async_accept(l, 5000, ta_cb, &acc, NULL));
    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &c));
    TA_START(cnet_async_connect(c, "127.0.0.1", port, 5000, ta_cb, &con, &op));
    TA_RUN_UNTIL(loop, acc.calls > 0 && con.calls > 0, 5000);
    TA_DONE(con, CNET_ASYNC_CONNECT, CNET_OK);
    cr_assert_eq(con.socket, c);
    cr_assert_eq(con.op, op);
    cr_assert_null(con.accepted, "connect hands no new socket");
    TA_DONE(acc, CNET_ASYNC_ACCEPT, CNET_OK);
    cr_assert_eq(acc.socket, l);
    cnet_async_socket *a = acc.accepted;
    cr_assert_not_null(a);
    cr_assert_eq(cnet_async_socket_loop(a), loop);
    cr_assert(tc_nonblocking(cnet_async_socket_get_fd(a)));

    cnet_ip_address ip;
    cnet_port local, peer;
    TC_OK(cnet_async_socket_get_local_addr(c, &ip, &local));
    cr_assert(ta_is_loopback4(&ip));
    TC_OK(cnet_async_socket_get_peer_addr(c, &ip, &peer));
    cr_assert(ta_is_loopback4(&ip));
    cr_assert_eq(peer.value, port.value);
    cr_assert(ta_is_loopback4(&acc.address), "accept reports the peer's address");
    cr_assert_eq(acc.port.value, local.value, "accept reports the peer's port");
    TC_OK(cnet_async_socket_get_peer_addr(a, &ip, &peer));
    cr_assert_eq(peer.value, local.value);
    TC_OK(cnet_async_socket_get_local_addr(a, &ip, &peer));
    cr_assert_eq(peer.value, port.value);

    /* The connection carries bytes both ways. */
    TA_START(cnet_async_recv(a, 4, true, CNET_FLAGS_DEFAULT, 5000, ta_cb, &rd, NULL));
    TA_START(cnet_async_send_copy(c, "ping", 4, CNET_FLAGS_DEFAULT, 5000, ta_cb, &sd, NULL));
    TA_RUN_UNTIL(loop, rd.calls > 0 && sd.calls > 0, 5000);
    TA_DONE(rd, CNET_ASYNC_RECV, CNET_OK);
    cr_assert_eq(rd.bytes, 4);
    cr_assert_str_eq((char *)rd.copy, "ping");
    cr_assert_eq(rd.socket, a);
    TA_DONE(sd, CNET_ASYNC_SEND, CNET_OK);
    cr_assert_eq(sd.bytes, 4);
    ta_close(loop, a);
    ta_close(loop, c);
    ta_close(loop, l);
    ta_free(loop);
}

Test(async_connect, refused, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_port port;
    cnet_socket_handle closed_port = ta_refusing_port(&port);
    int fds = tc_open_fds();
    cnet_async_socket *c = NULL;
    ta_rec con = {0};
    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &c));
    int64_t t0 = tc_now_ms();
    TA_START(cnet_async_connect(c, "127.0.0.1", port, 5000, ta_cb, &con, NULL));
    TA_RUN_UNTIL(loop, con.calls > 0, 5000);
    TA_DONE(con, CNET_ASYNC_CONNECT, CNET_ECONNREFUSED);
    cr_assert_lt(tc_now_ms() - t0, 3000);
    ta_close(loop, c);
    cr_assert_eq(tc_open_fds(), fds, "a refused connect left a descriptor open");
    cnet_close(closed_port);
    ta_free(loop);
}

Test(async_connect, times_out_against_a_full_accept_queue, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    ta_full_listener full;
    ta_full_listener_open(&full);
    int fds = tc_open_fds();
    cnet_async_socket *c = NULL;
    ta_rec con = {0};
    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &c));
    int64_t t0 = ta_now_us();
    TA_START(cnet_async_connect(c, "127.0.0.1", full.port, 200, ta_cb, &con, NULL));
    TC_OK(cnet_loop_run(loop));
    TA_DONE(con, CNET_ASYNC_CONNECT, CNET_ETIMEDOUT);
    cr_assert_geq(con.at_us - t0, 199000, "timed out after %lld us", (long long)(con.at_us - t0));
    cr_assert_lt(con.at_us - t0, 5000000);
    ta_close(loop, c);
    cr_assert_eq(tc_open_fds(), fds, "a timed-out connect left a descriptor open");
    ta_full_listener_close(&full);
    ta_free(loop);
}

Test(async_connect, cancel_a_pending_connect, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    ta_full_listener full;
    ta_full_listener_open(&full);
    int fds = tc_open_fds();
    cnet_async_socket *c = NULL;
    ta_rec con = {0};
    cnet_async_op *op = NULL;
    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &c));
    TA_START(cnet_async_connect(c, "127.0.0.1", full.port, -1, ta_cb, &con, &op));
    ta_spin(loop, 50);
    cr_assert_eq(con.calls, 0, "the connect to a full queue finished: %s", cnet_err_name(con.err));
    int64_t t0 = tc_now_ms();
    TA_START(cnet_async_cancel(op));
    TA_RUN_UNTIL(loop, con.calls > 0, 5000);
    TA_DONE(con, CNET_ASYNC_CONNECT, CNET_ECANCELED);
    cr_assert_lt(tc_now_ms() - t0, 3000);
    ta_spin(loop, 30);
    cr_assert_eq(con.calls, 1);
    ta_close(loop, c);
    cr_assert_eq(tc_open_fds(), fds, "a cancelled connect left a descriptor open");
    ta_full_listener_close(&full);
    ta_free(loop);
}

Test(async_connect, to_localhost_by_name, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    tc_require_localhost();
    cnet_port port;
    cnet_async_socket *l = ta_listener(loop, &port), *c = NULL;
    ta_rec acc = {0}, con = {0};
    TA_START(cnet_async_accept(l, 5000, ta_cb, &acc, NULL));
    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &c));
    TA_START(cnet_async_connect(c, "localhost", port, 5000, ta_cb, &con, NULL));
    TA_RUN_UNTIL(loop, acc.calls > 0 && con.calls > 0, 5000);
    TA_DONE(con, CNET_ASYNC_CONNECT, CNET_OK);
    TA_DONE(acc, CNET_ASYNC_ACCEPT, CNET_OK);
    ta_close(loop, acc.accepted);
    ta_close(loop, c);
    ta_close(loop, l);
    ta_free(loop);
}

/* ---------------------------------------------------------------- dial */

static void dial_and_check(cnet_loop *loop, const char *host)
{
    cnet_port port;
    cnet_async_socket *l = ta_listener(loop, &port);
    ta_rec acc = {0}, d = {0};
    cnet_async_op *op = NULL;
    TA_START(cnet_async_accept(l, 5000, ta_cb, &acc, NULL));
    TA_START(cnet_async_dial(loop, host, port, CNET_IPPROTO_TCP, 5000, ta_cb, &d, &op));
    TA_RUN_UNTIL(loop, acc.calls > 0 && d.calls > 0, 5000);
    TA_DONE(d, CNET_ASYNC_CONNECT, CNET_OK);
    cr_assert_eq(d.op, op);
    cr_assert_not_null(d.accepted, "dial hands over the new socket");
    TA_DONE(acc, CNET_ASYNC_ACCEPT, CNET_OK);
    cnet_ip_address ip;
    cnet_port p, local;
    TC_OK(cnet_async_socket_get_peer_addr(d.accepted, &ip, &p));
    cr_assert_eq(p.value, port.value);
    TC_OK(cnet_async_socket_get_local_addr(d.accepted, &ip, &local));
    cr_assert_eq(acc.port.value, local.value);
    cr_assert_eq(cnet_async_socket_loop(d.accepted), loop);
    ta_close(loop, d.accepted);
    ta_close(loop, acc.accepted);
    ta_close(loop, l);
}

Test(async_dial, ipv4_literal, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    dial_and_check(loop, "127.0.0.1");
    ta_free(loop);
}

Test(async_dial, localhost, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    tc_require_localhost();
    /* localhost may resolve to ::1 first: nothing listens there, dial
     * goes on to 127.0.0.1. */
    dial_and_check(loop, "localhost");
    ta_free(loop);
}

/* An async dial over "localhost" where ::1 refuses and 127.0.0.1 listens:
 * it succeeds, and neither its callback nor the code after it sees the
 * refusal of the first attempt as the thread's last error (as cnet_dial). */
typedef struct {
    ta_rec rec;
    char message[256];
    cnet_err last;
} dial_seen;

static void dial_seen_cb(const cnet_async_result *r, void *user)
{
    dial_seen *d = user;
    snprintf(d->message, sizeof d->message, "%s", cnet_last_error_message());
    d->last = cnet_last_error();
    ta_cb(r, &d->rec);
}

Test(async_dial, a_dial_that_succeeds_leaves_no_message_of_its_failed_attempts, .timeout = 20)
{
#if defined(__linux__)
    tc_with_hosts_file("::1 localhost\n127.0.0.1 localhost\n");
#else
    cr_skip_test("needs a private mount namespace to give \"localhost\" ::1 before 127.0.0.1");
#endif
    int first, last;
    tc_localhost_two_families(&first, &last);
    if (first != AF_INET6)
        cr_skip_test("\"localhost\" does not give ::1 first here");
    cnet_loop *loop = ta_loop();
    cnet_port port;
    cnet_async_socket *l = ta_listener(loop, &port); /* 127.0.0.1 only: ::1 refuses */
    ta_rec acc = {0};
    TA_START(cnet_async_accept(l, 5000, ta_cb, &acc, NULL));
    cnet_port ignored;
    cr_assert_neq(cnet_port_parse("80x", &ignored), CNET_OK); /* a known earlier failure of this thread */
    char before[256];
    snprintf(before, sizeof before, "%s", cnet_last_error_message());
    cnet_err code = cnet_last_error();
    dial_seen d = {0};
    TA_START(cnet_async_dial(loop, "localhost", port, CNET_IPPROTO_TCP, 5000, dial_seen_cb, &d, NULL));
    TA_RUN_UNTIL(loop, acc.calls > 0 && d.rec.calls > 0, 5000);
    TA_DONE(d.rec, CNET_ASYNC_CONNECT, CNET_OK);
    cr_assert_str_eq(d.message, before, "stale in the callback: %s", d.message);
    cr_assert_eq(d.last, code);
    cr_assert_str_eq(cnet_last_error_message(), before, "stale after: %s", cnet_last_error_message());
    ta_close(loop, d.rec.accepted);
    ta_close(loop, acc.accepted);
    ta_close(loop, l);
    ta_free(loop);
}

Test(async_dial, failures_leave_nothing_open, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_port refused;
    cnet_socket_handle rp = ta_refusing_port(&refused);
    ta_full_listener full;
    ta_full_listener_open(&full);
    int fds = tc_open_fds();

    ta_rec d1 = {0}, d2 = {0}, d3 = {0};
    TA_START(cnet_async_dial(loop, "127.0.0.1", refused, CNET_IPPROTO_TCP, 5000, ta_cb, &d1, NULL));
    int64_t t0 = ta_now_us();
    TA_START(cnet_async_dial(loop, "127.0.0.1", full.port, CNET_IPPROTO_TCP, 200, ta_cb, &d2, NULL));
    cnet_async_op *op = NULL;
    TA_START(cnet_async_dial(loop, "127.0.0.1", full.port, CNET_IPPROTO_TCP, -1, ta_cb, &d3, &op));
    TA_RUN_UNTIL(loop, d1.calls > 0, 5000);
    TA_DONE(d1, CNET_ASYNC_CONNECT, CNET_ECONNREFUSED);
    cr_assert_null(d1.accepted);
    TA_RUN_UNTIL(loop, d2.calls > 0, 5000);
    TA_DONE(d2, CNET_ASYNC_CONNECT, CNET_ETIMEDOUT);
    cr_assert_geq(d2.at_us - t0, 199000);
    cr_assert_null(d2.accepted);
    cr_assert_eq(d3.calls, 0);
    TA_START(cnet_async_cancel(op));
    TA_RUN_UNTIL(loop, d3.calls > 0, 5000);
    TA_DONE(d3, CNET_ASYNC_CONNECT, CNET_ECANCELED);
    cr_assert_null(d3.accepted);
    TC_OK(cnet_loop_run(loop));
    cr_assert_eq(tc_open_fds(), fds, "failed dials left descriptors open");
    ta_full_listener_close(&full);
    cnet_close(rp);
    ta_free(loop);
}

Test(async_dial, udp, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *srv = NULL;
    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, &srv));
    TC_OK(cnet_async_socket_bind_addr(srv, CNET_PORT(0), "127.0.0.1"));
    cnet_ip_address ip;
    cnet_port port;
    TC_OK(cnet_async_socket_get_local_addr(srv, &ip, &port));
    ta_rec d = {0}, s = {0}, rf = {0};
    TA_START(cnet_async_dial(loop, "127.0.0.1", port, CNET_IPPROTO_UDP, 5000, ta_cb, &d, NULL));
    TA_RUN_UNTIL(loop, d.calls > 0, 5000);
    TA_DONE(d, CNET_ASYNC_CONNECT, CNET_OK);
    cr_assert_not_null(d.accepted);
    /* A connected datagram socket sends to its peer. */
    TA_START(cnet_async_recv_from(srv, 100, 5000, ta_cb, &rf, NULL));
    TA_START(cnet_async_send_copy(d.accepted, "udp!", 4, CNET_FLAGS_DEFAULT, 5000, ta_cb, &s, NULL));
    TA_RUN_UNTIL(loop, rf.calls > 0 && s.calls > 0, 5000);
    TA_DONE(rf, CNET_ASYNC_RECV_FROM, CNET_OK);
    cr_assert_str_eq((char *)rf.copy, "udp!");
    ta_close(loop, d.accepted);
    ta_close(loop, srv);
    ta_free(loop);
}

/* --------------------------------------------------------------- accept */

Test(async_accept, pending_accepts_complete_in_start_order, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_port port;
    cnet_async_socket *l = ta_listener(loop, &port);
    enum { N = 3 };
    ta_rec a[N];
    memset(a, 0, sizeof a);
    for (int i = 0; i < N; i++)
        TA_START(cnet_async_accept(l, 5000, ta_cb, &a[i], NULL));
    cnet_socket_handle c[N];
    cnet_port cp[N];
    for (int i = 0; i < N; i++) {
        c[i] = tc_connect(CNET_AF_INET, port);
        TC_OK(cnet_get_sock_name(c[i], &cp[i]));
    }
    TA_RUN_UNTIL(loop, a[0].calls && a[1].calls && a[2].calls, 5000);
    for (int i = 0; i < N; i++) {
        TA_DONE(a[i], CNET_ASYNC_ACCEPT, CNET_OK);
        cr_assert_eq(a[i].port.value, cp[i].value, "accept %d got another connection", i);
        if (i > 0)
            cr_assert_lt(a[i - 1].seq, a[i].seq);
        ta_close(loop, a[i].accepted);
        cnet_close(c[i]);
    }
    ta_close(loop, l);
    ta_free(loop);
}

Test(async_accept, times_out, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_port port;
    cnet_async_socket *l = ta_listener(loop, &port);
    ta_rec a = {0};
    int64_t t0 = ta_now_us();
    TA_START(cnet_async_accept(l, 60, ta_cb, &a, NULL));
    TC_OK(cnet_loop_run(loop));
    TA_DONE(a, CNET_ASYNC_ACCEPT, CNET_ETIMEDOUT);
    cr_assert_null(a.accepted);
    cr_assert_geq(a.at_us - t0, 59000);
    cr_assert_lt(a.at_us - t0, 5000000);
    ta_close(loop, l);
    ta_free(loop);
}

Test(async_accept, cancel_loses_no_connection, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_port port;
    cnet_async_socket *l = ta_listener(loop, &port);
    ta_rec a = {0}, b = {0}, q = {0};
    cnet_async_op *op = NULL;
    TA_START(cnet_async_accept(l, -1, ta_cb, &a, &op));
    ta_spin(loop, 20);
    TA_START(cnet_async_cancel(op));
    TA_RUN_UNTIL(loop, a.calls > 0, 5000);
    TA_DONE(a, CNET_ASYNC_ACCEPT, CNET_ECANCELED);
    cr_assert_null(a.accepted);
    /* A connection arriving with no accept pending waits in the queue. */
    cnet_socket_handle c = tc_connect(CNET_AF_INET, port);
    cnet_port cp;
    TC_OK(cnet_get_sock_name(c, &cp));
    ta_spin(loop, 50);
    TA_START(cnet_async_accept(l, 5000, ta_cb, &b, NULL));
    TA_RUN_UNTIL(loop, b.calls > 0, 5000);
    TA_DONE(b, CNET_ASYNC_ACCEPT, CNET_OK);
    cr_assert_eq(b.port.value, cp.value);
    /* Several connections queued before one accept: one each. */
    cnet_socket_handle d = tc_connect(CNET_AF_INET, port), e = tc_connect(CNET_AF_INET, port);
    ta_spin(loop, 30);
    TA_START(cnet_async_accept(l, 5000, ta_cb, &q, NULL));
    TA_RUN_UNTIL(loop, q.calls > 0, 5000);
    TA_DONE(q, CNET_ASYNC_ACCEPT, CNET_OK);
    cnet_async_socket *first = q.accepted;
    q.calls = 0;
    TA_START(cnet_async_accept(l, 5000, ta_cb, &q, NULL));
    TA_RUN_UNTIL(loop, q.calls > 0, 5000);
    TA_DONE(q, CNET_ASYNC_ACCEPT, CNET_OK);
    cr_assert_neq(q.accepted, first);
    ta_close(loop, first);
    ta_close(loop, q.accepted);
    ta_close(loop, b.accepted);
    cnet_close(c);
    cnet_close(d);
    cnet_close(e);
    ta_close(loop, l);
    ta_free(loop);
}

Test(async_accept, connections_queued_at_close_are_closed_with_the_listener, .timeout = 20)
{
    /* After one accept the listener may go on accepting in the background
     * (multishot on io_uring); what it took and nobody asked for is closed
     * with it, and the clients see their connection end. */
    cnet_loop *loop = ta_loop();
    int fds = tc_open_fds();
    cnet_port port;
    cnet_async_socket *l = ta_listener(loop, &port);
    ta_rec first = {0};
    TA_START(cnet_async_accept(l, 5000, ta_cb, &first, NULL));
    cnet_socket_handle c0 = tc_connect(CNET_AF_INET, port);
    TA_RUN_UNTIL(loop, first.calls > 0, 5000);
    TA_DONE(first, CNET_ASYNC_ACCEPT, CNET_OK);
    enum { N = 3 };
    cnet_socket_handle c[N];
    for (int i = 0; i < N; i++)
        c[i] = tc_connect(CNET_AF_INET, port);
    ta_spin(loop, 50);
    ta_close(loop, l);
    for (int i = 0; i < N; i++) {
        cr_assert(ta_readable(c[i], 5000), "client %d: its connection did not end with the listener", i);
        char b;
        cr_assert_leq(recv(c[i], &b, 1, 0), 0, "client %d got bytes", i);
        cnet_close(c[i]);
    }
    ta_close(loop, first.accepted);
    cnet_close(c0);
    cr_assert_not(cnet_loop_alive(loop));
    cr_assert_eq(tc_open_fds(), fds, "connections taken in the background leaked");
    ta_free(loop);
}

struct stopper {
    cnet_loop *loop;
    int delay_ms;
    cnet_err err;
};

static void *stopper_run(void *arg)
{
    struct stopper *s = arg;
    tc_sleep_ms(s->delay_ms);
    s->err = cnet_loop_stop(s->loop);
    return NULL;
}

Test(async_accept, a_pending_accept_keeps_run_going, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_port port;
    cnet_async_socket *l = ta_listener(loop, &port);
    ta_rec a = {0};
    cnet_async_op *op = NULL;
    TA_START(cnet_async_accept(l, -1, ta_cb, &a, &op));
    cr_assert(cnet_loop_alive(loop));
    struct stopper st = {loop, 150, CNET_OK};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, stopper_run, &st), 0);
    int64_t t0 = tc_now_ms();
    TC_OK(cnet_loop_run(loop));
    pthread_join(t, NULL);
    TC_OK(st.err);
    cr_assert_geq(tc_now_ms() - t0, 140, "run returned with an accept pending");
    cr_assert_eq(a.calls, 0);
    TC_OK(cnet_async_cancel(op));
    TC_OK(cnet_loop_run(loop));
    TA_DONE(a, CNET_ASYNC_ACCEPT, CNET_ECANCELED);
    ta_close(loop, l);
    ta_free(loop);
}

/* ---------------------------------------------------------------- close */

/* Mirrors of what the callbacks saw, kept outside the state the close
 * callback frees. */
static struct {
    int recv_calls, send_calls, close_calls;
    cnet_err recv_err, send_err;
    size_t send_bytes;
    int recv_seq, send_seq, close_seq;
    cnet_async_kind close_kind;
    cnet_async_socket *close_socket;
} cm;

struct close_state {
    ta_rec recv, send; /* written by the operation callbacks: after the free, ASan sees it */
};

static void close_recv_cb(const cnet_async_result *r, void *user)
{
    struct close_state *st = user;
    int seq = ta_note();
    ta_record(&st->recv, r, seq);
    cm.recv_calls++;
    cm.recv_err = r->err;
    cm.recv_seq = seq;
}

static void close_send_cb(const cnet_async_result *r, void *user)
{
    struct close_state *st = user;
    int seq = ta_note();
    ta_record(&st->send, r, seq);
    cm.send_calls++;
    cm.send_err = r->err;
    cm.send_bytes = r->bytes;
    cm.send_seq = seq;
}

static void close_last_cb(const cnet_async_result *r, void *user)
{
    cm.close_seq = ta_note();
    cm.close_calls++;
    cm.close_kind = r->kind;
    cm.close_socket = r->socket;
    free(user); /* allowed: no callback of the socket runs afterwards */
}

Test(async_close, pending_read_and_write_end_closed_then_the_close_callback, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    memset(&cm, 0, sizeof cm);
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    TC_OK(cnet_set_sock_opt_int(cnet_socket_get_fd(peer), SOL_SOCKET, SO_RCVBUF, 65536));
    struct close_state *st = calloc(1, sizeof *st);
    cr_assert_not_null(st);
    size_t big = 32u << 20;
    uint8_t *data = ta_pattern_buf(big, 5);
    TA_START(cnet_async_recv(s, 10, true, CNET_FLAGS_DEFAULT, -1, close_recv_cb, st, NULL));
    TA_START(cnet_async_send(s, data, big, CNET_FLAGS_DEFAULT, -1, close_send_cb, st, NULL));
    ta_spin(loop, 100);
    cr_assert_eq(cm.recv_calls + cm.send_calls, 0, "an operation ended before the close");
    TA_START(cnet_async_socket_close(s, close_last_cb, st));
    TA_REFUSE(CNET_ECLOSED, cnet_async_socket_close(s, close_last_cb, st));
    TA_RUN_UNTIL(loop, cm.close_calls > 0, 5000);
    ta_spin(loop, 50);
    cr_assert_eq(cm.recv_calls, 1);
    cr_assert_eq(cm.recv_err, CNET_ECLOSED, "the pending read: %s", cnet_err_name(cm.recv_err));
    cr_assert_eq(cm.send_calls, 1);
    cr_assert_eq(cm.send_err, CNET_ECLOSED, "the pending write: %s", cnet_err_name(cm.send_err));
    cr_assert_lt(cm.send_bytes, big);
    cr_assert_eq(cm.close_calls, 1);
    cr_assert_eq(cm.close_kind, CNET_ASYNC_CLOSE);
    cr_assert_eq(cm.close_socket, s);
    cr_assert_lt(cm.recv_seq, cm.close_seq, "the close callback ran before the read ended");
    cr_assert_lt(cm.send_seq, cm.close_seq, "the close callback ran before the write ended");
    cr_assert_not(cnet_loop_alive(loop));
    /* The bytes the failed send reports as gone out reach the peer, no more. */
    ta_reader rd = {.s = peer, .want = 0, .seed = 5};
    ta_reader_start(&rd);
    ta_reader_join(&rd);
    cr_assert_eq(rd.err, CNET_OK, "%s", cnet_err_name(rd.err));
    cr_assert_eq(rd.got, cm.send_bytes, "the peer got %zu bytes, the send reported %zu", rd.got, cm.send_bytes);
    cr_assert_eq(rd.first_bad, SIZE_MAX, "wrong byte at %zu", rd.first_bad);
    free(data);
    cnet_socket_free(peer);
    ta_free(loop);
}

struct self_close {
    ta_rec first, second, close;
    cnet_err close_err;
};

static void self_close_first(const cnet_async_result *r, void *user)
{
    struct self_close *sc = user;
    ta_record(&sc->first, r, ta_note());
    sc->close_err = cnet_async_socket_close(r->socket, ta_cb, &sc->close);
}

Test(async_close, from_the_sockets_own_callback, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    struct self_close sc = {0};
    TA_START(cnet_async_recv(s, 3, true, CNET_FLAGS_DEFAULT, 5000, self_close_first, &sc, NULL));
    TA_START(cnet_async_recv(s, 3, true, CNET_FLAGS_DEFAULT, 5000, ta_cb, &sc.second, NULL));
    ta_peer_str(peer, "abc");
    TA_RUN_UNTIL(loop, sc.close.calls > 0, 5000);
    TC_OK(sc.close_err);
    TA_DONE(sc.first, CNET_ASYNC_RECV, CNET_OK);
    cr_assert_str_eq((char *)sc.first.copy, "abc");
    TA_DONE(sc.second, CNET_ASYNC_RECV, CNET_ECLOSED);
    TA_DONE(sc.close, CNET_ASYNC_CLOSE, sc.close.err);
    cr_assert_lt(sc.second.seq, sc.close.seq);
    cnet_socket_free(peer);
    ta_free(loop);
}

Test(async_close, listener_with_a_pending_accept, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    int fds = tc_open_fds();
    cnet_port port;
    cnet_async_socket *l = ta_listener(loop, &port);
    ta_rec a = {0}, c = {0};
    TA_START(cnet_async_accept(l, -1, ta_cb, &a, NULL));
    ta_spin(loop, 20);
    TA_START(cnet_async_socket_close(l, ta_cb, &c));
    TC_OK(cnet_loop_run(loop));
    TA_DONE(a, CNET_ASYNC_ACCEPT, CNET_ECLOSED);
    cr_assert_null(a.accepted);
    TA_DONE(c, CNET_ASYNC_CLOSE, c.err);
    cr_assert_lt(a.seq, c.seq);
    cr_assert_eq(tc_open_fds(), fds);
    /* The port is free again. */
    cnet_socket_handle h;
    struct sockaddr_storage ss;
    TC_OK(cnet_create_native_socket(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, false, &h));
    TC_OK(cnet_set_sock_opt_int(h, SOL_SOCKET, SO_REUSEADDR, 1));
    cnet_socklen len = tc_loopback(AF_INET, port.value, &ss);
    TC_OK(cnet_bind_addr(h, (struct sockaddr *)&ss, len));
    cnet_close(h);
    ta_free(loop);
}

static void close_after_send(const cnet_async_result *r, void *user)
{
    ta_rec *rec = user;
    ta_record(rec, r, ta_note());
    (void)cnet_async_socket_close(r->socket, NULL, NULL);
}

Test(async_close, completed_sends_are_delivered_after_close, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    size_t n = 1u << 20;
    uint8_t *data = ta_pattern_buf(n, 9);
    ta_rec sd = {0};
    TA_START(cnet_async_send(s, data, n, CNET_FLAGS_DEFAULT, 5000, close_after_send, &sd, NULL));
    TA_RUN_UNTIL(loop, sd.calls > 0, 5000);
    TA_DONE(sd, CNET_ASYNC_SEND, CNET_OK);
    cr_assert_eq(sd.bytes, n);
    TC_OK(cnet_loop_run(loop));
    ta_reader rd = {.s = peer, .want = 0, .seed = 9};
    ta_reader_start(&rd);
    ta_reader_join(&rd);
    TC_OK(rd.err);
    cr_assert_eq(rd.got, n, "the peer got %zu of %zu bytes", rd.got, n);
    cr_assert_eq(rd.first_bad, SIZE_MAX);
    free(data);
    cnet_socket_free(peer);
    ta_free(loop);
}

/* ------------------------------------------------------------ datagrams */

static cnet_async_socket *udp_socket(cnet_loop *loop, cnet_port *port)
{
    cnet_async_socket *u = NULL;
    cnet_ip_address ip;
    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, &u));
    TC_OK(cnet_async_socket_bind_addr(u, CNET_PORT(0), "127.0.0.1"));
    TC_OK(cnet_async_socket_get_local_addr(u, &ip, port));
    return u;
}

Test(async_udp, send_to_and_recv_from, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_port pa, pb;
    cnet_async_socket *a = udp_socket(loop, &pa), *b = udp_socket(loop, &pb);
    ta_rec rf = {0}, st = {0}, z = {0};
    cnet_async_op *op = NULL;
    TA_START(cnet_async_recv_from(b, 100, 5000, ta_cb, &rf, &op));
    TA_START(cnet_async_send_to(a, "127.0.0.1", pb, "hello", 5, 5000, ta_cb, &st, NULL));
    TA_RUN_UNTIL(loop, rf.calls > 0 && st.calls > 0, 5000);
    TA_DONE(st, CNET_ASYNC_SEND_TO, CNET_OK);
    cr_assert_eq(st.bytes, 5);
    cr_assert_eq(st.socket, a);
    TA_DONE(rf, CNET_ASYNC_RECV_FROM, CNET_OK);
    cr_assert_eq(rf.op, op);
    cr_assert_eq(rf.socket, b);
    cr_assert_eq(rf.bytes, 5);
    cr_assert_str_eq((char *)rf.copy, "hello");
    cr_assert(ta_is_loopback4(&rf.address), "the sender's address");
    cr_assert_eq(rf.port.value, pa.value, "the sender's port");
    /* No callback, and an empty datagram. */
    TA_START(cnet_async_send_to(a, "127.0.0.1", pb, NULL, 0, 5000, NULL, NULL, NULL));
    TA_START(cnet_async_recv_from(b, 100, 5000, ta_cb, &z, NULL));
    TA_RUN_UNTIL(loop, z.calls > 0, 5000);
    TA_DONE(z, CNET_ASYNC_RECV_FROM, CNET_OK);
    cr_assert_eq(z.bytes, 0);
    cr_assert_eq(z.port.value, pa.value);
    ta_close(loop, a);
    ta_close(loop, b);
    ta_free(loop);
}

Test(async_udp, a_longer_datagram_is_truncated, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_port pa, pb;
    cnet_async_socket *a = udp_socket(loop, &pa), *b = udp_socket(loop, &pb);
    char msg[100];
    for (int i = 0; i < 100; i++)
        msg[i] = (char)('A' + i % 26);
    ta_rec rf = {0}, next = {0};
    TA_START(cnet_async_send_to(a, "127.0.0.1", pb, msg, sizeof msg, 5000, NULL, NULL, NULL));
    TA_START(cnet_async_send_to(a, "127.0.0.1", pb, "x", 1, 5000, NULL, NULL, NULL));
    TA_START(cnet_async_recv_from(b, 10, 5000, ta_cb, &rf, NULL));
    TA_START(cnet_async_recv_from(b, 10, 5000, ta_cb, &next, NULL));
    TA_RUN_UNTIL(loop, rf.calls > 0 && next.calls > 0, 5000);
    TA_DONE(rf, CNET_ASYNC_RECV_FROM, CNET_ETRUNCATED);
    cr_assert_eq(rf.bytes, 10);
    cr_assert_eq(memcmp(rf.copy, msg, 10), 0, "the first 10 bytes");
    cr_assert(ta_is_loopback4(&rf.address));
    cr_assert_eq(rf.port.value, pa.value);
    TA_DONE(next, CNET_ASYNC_RECV_FROM, CNET_OK);
    cr_assert_eq(next.bytes, 1, "the rest of the long datagram is gone, the next one is whole");
    cr_assert_eq(next.copy[0], 'x');
    ta_close(loop, a);
    ta_close(loop, b);
    ta_free(loop);
}

Test(async_udp, datagrams_keep_their_boundaries_and_order, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_port pa, pb;
    cnet_async_socket *a = udp_socket(loop, &pa), *b = udp_socket(loop, &pb);
    const char *msgs[] = {"one", "two2", "three"};
    for (int i = 0; i < 3; i++)
        TA_START(cnet_async_send_to(a, "127.0.0.1", pb, msgs[i], strlen(msgs[i]), 5000, NULL, NULL, NULL));
    ta_spin(loop, 50); /* they arrive while no recv_from is pending */
    ta_rec r[3];
    memset(r, 0, sizeof r);
    for (int i = 0; i < 3; i++)
        TA_START(cnet_async_recv_from(b, 1000, 5000, ta_cb, &r[i], NULL));
    TA_RUN_UNTIL(loop, r[0].calls && r[1].calls && r[2].calls, 5000);
    for (int i = 0; i < 3; i++) {
        TA_DONE(r[i], CNET_ASYNC_RECV_FROM, CNET_OK);
        cr_assert_str_eq((char *)r[i].copy, msgs[i]);
        cr_assert_eq(r[i].bytes, strlen(msgs[i]));
    }
    ta_close(loop, a);
    ta_close(loop, b);
    ta_free(loop);
}

Test(async_udp, recv_from_times_out_and_cancels, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_port pb;
    cnet_async_socket *b = udp_socket(loop, &pb);
    ta_rec t = {0}, c = {0};
    cnet_async_op *op = NULL;
    int64_t t0 = ta_now_us();
    TA_START(cnet_async_recv_from(b, 100, 60, ta_cb, &t, NULL));
    TC_OK(cnet_loop_run(loop));
    TA_DONE(t, CNET_ASYNC_RECV_FROM, CNET_ETIMEDOUT);
    cr_assert_geq(t.at_us - t0, 59000);
    cr_assert_eq(t.bytes, 0);
    TA_START(cnet_async_recv_from(b, 100, -1, ta_cb, &c, &op));
    ta_spin(loop, 20);
    TA_START(cnet_async_cancel(op));
    TC_OK(cnet_loop_run(loop));
    TA_DONE(c, CNET_ASYNC_RECV_FROM, CNET_ECANCELED);
    ta_close(loop, b);
    ta_free(loop);
}

/* ------------------------------------------------- 10 000 connections */

enum { MANY_TOTAL = 10000, MANY_BATCH = 500 };

/* Under wine every socket call is a round trip to wineserver: on a loaded
 * 2-CPU machine the 10 000 connections took 16-62 s, and a batch of 500
 * dials saw some take more than 10 s. The guards against a hang are
 * longer there. */
#if defined(_WIN32)
#define MANY_TIMEOUT 300
#define MANY_OP_MS 60000
#define MANY_BATCH_MS 120000
#else
#define MANY_TIMEOUT 20
#define MANY_OP_MS 10000
#define MANY_BATCH_MS 30000
#endif

static struct many {
    cnet_async_socket *listener;
    cnet_async_socket *socks[2 * MANY_BATCH];
    int nsocks, dialed, accepted, closed, failed, accept_goal;
    cnet_err first_err;
    cnet_err restart_err;
} many;

static void many_fail(cnet_err err)
{
    if (many.failed++ == 0)
        many.first_err = err;
}

static void many_accept(const cnet_async_result *r, void *user)
{
    (void)user;
    ta_note();
    if (r->err != CNET_OK) {
        many_fail(r->err);
        return;
    }
    many.socks[many.nsocks++] = r->accepted;
    if (++many.accepted < many.accept_goal) {
        cnet_err err = cnet_async_accept(many.listener, MANY_OP_MS, many_accept, NULL, NULL);
        if (err != CNET_OK)
            many.restart_err = err;
    }
}

static void many_dial(const cnet_async_result *r, void *user)
{
    (void)user;
    ta_note();
    if (r->err != CNET_OK || r->accepted == NULL) {
        many_fail(r->err);
        return;
    }
    many.socks[many.nsocks++] = r->accepted;
    many.dialed++;
}

static void many_closed(const cnet_async_result *r, void *user)
{
    (void)r;
    (void)user;
    ta_note();
    many.closed++;
}

Test(async_many, ten_thousand_connections_leave_no_descriptor_open, .timeout = MANY_TIMEOUT)
{
    cnet_loop *loop = ta_loop();
#if !defined(_WIN32) /* Windows has no limit of open sockets to raise */
    struct rlimit rl;
    cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < 2 * MANY_BATCH + 200)
        cr_skip_test("the hard limit of open files (%llu) is below the %d this test keeps open at once",
                     (unsigned long long)rl.rlim_max, 2 * MANY_BATCH + 200);
    rl.rlim_cur = rl.rlim_max;
    cr_assert_eq(setrlimit(RLIMIT_NOFILE, &rl), 0, "setrlimit: %s", strerror(errno));
#endif
    memset(&many, 0, sizeof many);
    int fds = tc_open_fds();
    cnet_port port;
    many.listener = ta_listener(loop, &port);
    for (int done = 0; done < MANY_TOTAL; done += MANY_BATCH) {
        many.nsocks = 0;
        many.dialed = 0;
        many.accept_goal = done + MANY_BATCH;
        TA_START(cnet_async_accept(many.listener, MANY_OP_MS, many_accept, NULL, NULL));
        for (int i = 0; i < MANY_BATCH; i++)
            TA_START(cnet_async_dial(loop, "127.0.0.1", port, CNET_IPPROTO_TCP, MANY_OP_MS, many_dial, NULL, NULL));
        TA_RUN_UNTIL(loop, (many.dialed == MANY_BATCH && many.accepted == done + MANY_BATCH) || many.failed > 0,
                     MANY_BATCH_MS);
        cr_assert_eq(many.failed, 0, "%d connections failed, the first with %s", many.failed,
                     cnet_err_name(many.first_err));
        cr_assert_eq(many.restart_err, CNET_OK);
        cr_assert_eq(many.nsocks, 2 * MANY_BATCH);
        int closed_goal = many.closed + 2 * MANY_BATCH;
        for (int i = 0; i < many.nsocks; i++)
            TA_START(cnet_async_socket_close(many.socks[i], many_closed, NULL));
        TA_RUN_UNTIL(loop, many.closed == closed_goal, MANY_BATCH_MS);
    }
    cr_assert_eq(many.accepted, MANY_TOTAL);
    ta_close(loop, many.listener);
    cr_assert_not(cnet_loop_alive(loop));
    cr_assert_eq(tc_open_fds(), fds, "descriptors left open after %d connections", MANY_TOTAL);
    ta_free(loop);
}

/* ------------------------------------------------------ argument errors */

Test(async_args, invalid_arguments_are_refused_without_a_callback, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    ta_rec r = {0};
    cnet_async_socket *s = NULL, *u = NULL, *out = (cnet_async_socket *)&out;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, &u));
    char buf[16];
    bool v;
    cnet_ip_address ip;
    cnet_port p;

    /* The loop. */
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_loop_new(NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_loop_run(NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_loop_poll(NULL, 0));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_loop_poll(loop, -2));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_loop_stop(NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_loop_wake(NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_loop_post(NULL, ta_cb, &r));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_loop_post(loop, NULL, &r));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_loop_call_soon(NULL, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_loop_call_soon(loop, NULL, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_loop_add_timer(NULL, 10, true, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_loop_add_timer(loop, -1, true, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_loop_add_timer(loop, 0, false, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_loop_add_timer(loop, 10, true, NULL, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_loop_sleep(NULL, 10, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_loop_sleep(loop, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_loop_sleep(loop, 10, NULL, &r, NULL));
    cnet_socket_handle h = cnet_socket_get_fd(peer);
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_loop_add_read(NULL, h, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_loop_add_read(loop, h, -2, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_loop_add_read(loop, h, -1, NULL, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_loop_add_write(NULL, h, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_loop_add_write(loop, h, -2, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_loop_add_write(loop, h, -1, NULL, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_cancel(NULL));

    /* Sockets. */
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_socket_new(NULL, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &out));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_socket_new(loop, (cnet_domain)99, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &out));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_socket_new(loop, CNET_AF_INET, (cnet_sock_type)99, CNET_IPPROTO_TCP, &out));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_STREAM, (cnet_protocol)99, &out));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_socket_wrap(NULL, h, CNET_AF_INET, CNET_SOCK_STREAM, &out));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_socket_wrap(loop, h, (cnet_domain)99, CNET_SOCK_STREAM, &out));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_socket_wrap(loop, h, CNET_AF_INET, CNET_SOCK_STREAM, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_socket_close(NULL, ta_cb, &r));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_socket_set_sock_opt(NULL, CNET_OPT_NO_DELAY, true));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_socket_set_sock_opt(s, (cnet_sobool)99, true));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_socket_get_sock_opt(s, (cnet_sobool)99, &v));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_socket_get_sock_opt(s, CNET_OPT_NO_DELAY, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_socket_bind_addr(NULL, CNET_PORT(0), ""));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_socket_bind_addr(u, CNET_PORT(0), NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_socket_listen(NULL, 1));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_socket_listen(s, 0));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_socket_get_local_addr(NULL, &ip, &p));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_socket_get_local_addr(s, NULL, &p));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_socket_get_local_addr(s, &ip, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_socket_get_peer_addr(NULL, &ip, &p));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_socket_get_peer_addr(s, NULL, &p));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_socket_get_peer_addr(s, &ip, NULL));

    /* Operations. */
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_connect(NULL, "127.0.0.1", CNET_PORT(1), -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_connect(u, NULL, CNET_PORT(1), -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_connect(u, "127.0.0.1", CNET_PORT(1), -2, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_connect(u, "127.0.0.1", CNET_PORT(1), -1, NULL, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_dial(NULL, "127.0.0.1", CNET_PORT(1), CNET_IPPROTO_TCP, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_dial(loop, NULL, CNET_PORT(1), CNET_IPPROTO_TCP, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_dial(loop, "127.0.0.1", CNET_PORT(1), (cnet_protocol)99, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_dial(loop, "127.0.0.1", CNET_PORT(1), CNET_IPPROTO_TCP, -2, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_dial(loop, "127.0.0.1", CNET_PORT(1), CNET_IPPROTO_TCP, -1, NULL, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_accept(NULL, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_accept(s, -2, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_accept(s, -1, NULL, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_recv(NULL, 10, true, 0, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_recv(s, 0, true, 0, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_recv(s, 10, true, 0, -2, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_recv(s, 10, true, 0, -1, NULL, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_recv_into(NULL, buf, sizeof buf, true, 0, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_recv_into(s, NULL, sizeof buf, true, 0, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_recv_into(s, buf, 0, true, 0, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_recv_into(s, buf, sizeof buf, true, 0, -2, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_recv_into(s, buf, sizeof buf, true, 0, -1, NULL, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_recv_line(NULL, 100, 0, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_recv_line(s, 0, 0, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_recv_line(s, 100, 0, -2, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_recv_line(s, 100, 0, -1, NULL, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_recv_line_into(NULL, buf, sizeof buf, 0, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_recv_line_into(s, NULL, sizeof buf, 0, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_recv_line_into(s, buf, 1, 0, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_recv_line_into(s, buf, sizeof buf, 0, -2, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_recv_line_into(s, buf, sizeof buf, 0, -1, NULL, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_send(NULL, "x", 1, 0, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_send(s, NULL, 5, 0, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_send(s, "x", 1, 0, -2, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_send_copy(NULL, "x", 1, 0, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_send_copy(s, NULL, 5, 0, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_send_copy(s, "x", 1, 0, -2, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_send_frame(NULL, CNET_FRAME_BE32, "x", 1, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_send_frame(s, (cnet_frame_format)9, "x", 1, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_send_frame(s, CNET_FRAME_BE32, NULL, 3, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_send_frame(s, CNET_FRAME_BE32, "x", 1, -2, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_recv_frame(NULL, CNET_FRAME_BE32, 100, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_recv_frame(s, (cnet_frame_format)9, 100, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_recv_frame(s, CNET_FRAME_BE32, 100, -2, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_recv_frame(s, CNET_FRAME_BE32, 100, -1, NULL, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_send_to(NULL, "127.0.0.1", CNET_PORT(9), "x", 1, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_send_to(u, NULL, CNET_PORT(9), "x", 1, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_send_to(u, "127.0.0.1", CNET_PORT(9), NULL, 3, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_send_to(u, "127.0.0.1", CNET_PORT(9), "x", 1, -2, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_recv_from(NULL, 100, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_recv_from(u, 0, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_recv_from(u, 65537, -1, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_recv_from(u, 100, -2, ta_cb, &r, NULL));
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_recv_from(u, 100, -1, NULL, &r, NULL));

    cr_assert_not(cnet_loop_alive(loop), "a refused start left work behind");
    ta_spin(loop, 30);
    cr_assert_eq(r.calls, 0, "a refused start ran its callback (kind %d, %s)", (int)r.kind, cnet_err_name(r.err));
    /* The sockets still work after all that. */
    ta_rec rd = {0};
    TA_START(cnet_async_recv(s, 2, true, CNET_FLAGS_DEFAULT, 5000, ta_cb, &rd, NULL));
    ta_peer_str(peer, "ok");
    TA_RUN_UNTIL(loop, rd.calls > 0, 5000);
    TA_DONE(rd, CNET_ASYNC_RECV, CNET_OK);
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_close(loop, u);
    ta_free(loop);
}

/* ------------------------------------------- resolution, sizes, IPv6 */

Test(async_resolve, unknown_hosts_are_refused_at_the_start, .timeout = 20)
{
    /* TC_UNKNOWN_HOST is rejected by the resolver before any query. */
    cnet_loop *loop = ta_loop();
    cnet_async_socket *c = NULL, *u = NULL;
    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &c));
    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, &u));
    ta_rec r = {0};
    int fds = tc_open_fds();
    TA_REFUSE(CNET_ENOTFOUND, cnet_async_connect(c, TC_UNKNOWN_HOST, CNET_PORT(80), 1000, ta_cb, &r, NULL));
    TA_REFUSE(CNET_ENOTFOUND, cnet_async_send_to(u, TC_UNKNOWN_HOST, CNET_PORT(9), "x", 1, 1000, ta_cb, &r, NULL));
    cr_assert_not(cnet_loop_alive(loop), "a refused start left work");
    TA_REFUSE(CNET_ENOTFOUND, cnet_async_dial(loop, TC_UNKNOWN_HOST, CNET_PORT(80), CNET_IPPROTO_TCP, 1000, ta_cb, &r,
                                              NULL));
    /* A refused dial may close its socket from the loop: one run ends it. */
    int64_t t0 = tc_now_ms();
    TC_OK(cnet_loop_run(loop));
    cr_assert_lt(tc_now_ms() - t0, 2000);
    cr_assert_not(cnet_loop_alive(loop));
    cr_assert_eq(tc_open_fds(), fds, "a refused dial left a descriptor open");
    cr_assert_eq(r.calls, 0);
    ta_close(loop, c);
    ta_close(loop, u);
    ta_free(loop);
}

Test(async_udp, an_oversized_datagram_fails_with_emsgsize, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_port pa, pb;
    cnet_async_socket *a = udp_socket(loop, &pa), *b = udp_socket(loop, &pb);
    size_t n = 70000; /* above IPv4's 65507-byte payload */
    uint8_t *big = ta_pattern_buf(n, 47);
    ta_rec st = {0}, rf = {0};
    int inside = ta_inside;
    ta_starting = true;
    cnet_err err = cnet_async_send_to(a, "127.0.0.1", pb, big, n, 5000, ta_cb, &st, NULL);
    ta_starting = false;
    cr_assert_eq(ta_inside, inside, "a callback ran inside cnet_async_send_to");
    free(big);
    if (err == CNET_OK) {
        /* Not refused at the start: the callback says it. */
        TA_RUN_UNTIL(loop, st.calls > 0, 5000);
        TA_DONE(st, CNET_ASYNC_SEND_TO, CNET_EMSGSIZE);
        cr_assert_eq(st.bytes, 0);
    } else {
        cr_assert_eq(err, CNET_EMSGSIZE, "%s", cnet_err_name(err));
        ta_spin(loop, 20);
        cr_assert_eq(st.calls, 0);
    }
    /* Nothing of it arrived; the socket still sends. */
    TA_START(cnet_async_send_to(a, "127.0.0.1", pb, "ok", 2, 5000, NULL, NULL, NULL));
    TA_START(cnet_async_recv_from(b, 65536, 5000, ta_cb, &rf, NULL));
    TA_RUN_UNTIL(loop, rf.calls > 0, 5000);
    TA_DONE(rf, CNET_ASYNC_RECV_FROM, CNET_OK);
    cr_assert_eq(rf.bytes, 2);
    ta_close(loop, a);
    ta_close(loop, b);
    ta_free(loop);
}

Test(async_connect, ipv6_loopback_and_a_dual_stack_listener, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *l = NULL, *c = NULL;
    cnet_ip_address ip;
    cnet_port port;
    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET6, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &l));
    TC_OK(cnet_async_socket_bind_addr(l, CNET_PORT(0), "::"));
    TC_OK(cnet_async_socket_listen(l, 16));
    TC_OK(cnet_async_socket_get_local_addr(l, &ip, &port));
    cr_assert_eq(ip.family, CNET_IPV6);

    /* An IPv6 client on ::1. */
    ta_rec a6 = {0}, c6 = {0}, a4 = {0};
    TA_START(cnet_async_accept(l, 5000, ta_cb, &a6, NULL));
    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET6, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &c));
    TA_START(cnet_async_connect(c, "::1", port, 5000, ta_cb, &c6, NULL));
    TA_RUN_UNTIL(loop, a6.calls > 0 && c6.calls > 0, 5000);
    TA_DONE(c6, CNET_ASYNC_CONNECT, CNET_OK);
    TA_DONE(a6, CNET_ASYNC_ACCEPT, CNET_OK);
    cnet_ip_address lo6 = cnet_ipv6_loopback();
    cr_assert(cnet_ip_address_eq(&a6.address, &lo6), "the peer is ::1");

    /* An IPv4 client reaches the "::" listener (dual stack). */
    TA_START(cnet_async_accept(l, 5000, ta_cb, &a4, NULL));
    cnet_socket_handle h = tc_connect(CNET_AF_INET, port);
    cnet_port hp;
    TC_OK(cnet_get_sock_name(h, &hp));
    TA_RUN_UNTIL(loop, a4.calls > 0, 5000);
    TA_DONE(a4, CNET_ASYNC_ACCEPT, CNET_OK);
    cr_assert_eq(a4.port.value, hp.value);
    bool mapped = a4.address.family == CNET_IPV6 && a4.address.address[10] == 0xff && a4.address.address[11] == 0xff &&
                  a4.address.address[12] == 127 && a4.address.address[15] == 1;
    cr_assert(mapped || ta_is_loopback4(&a4.address), "the IPv4 peer is ::ffff:127.0.0.1 (or 127.0.0.1)");
    cnet_close(h);
    ta_close(loop, a4.accepted);
    ta_close(loop, a6.accepted);
    ta_close(loop, c);
    ta_close(loop, l);
    ta_free(loop);
}

Test(async_args, a_refused_new_socket_leaves_out_null, .timeout = 20)
{
    /* The spec of cnet_async_socket_new: out "receives the socket; NULL on
     * failure", argument errors included. */
    cnet_loop *loop = ta_loop();
    cnet_async_socket *out = (cnet_async_socket *)&out;
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_socket_new(NULL, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &out));
    cr_expect(out == NULL, "out is not NULL after the NULL loop was refused");
    out = (cnet_async_socket *)&out;
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_socket_new(loop, (cnet_domain)99, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &out));
    cr_expect(out == NULL, "out is not NULL after the bad domain was refused");
    out = (cnet_async_socket *)&out;
    TA_REFUSE_EXPECT(CNET_EINVAL, cnet_async_socket_new(loop, CNET_AF_INET, (cnet_sock_type)99, CNET_IPPROTO_TCP, &out));
    cr_expect(out == NULL, "out is not NULL after the bad type was refused");
    ta_free(loop);
}
