/*
 * Module async, byte streams (spec/async.yaml): recv and recv_into, the
 * high-water mark, lines, send (backpressure, order, timeout, cancel, the
 * copying send), frames, SafeDisconn against the blocking layer, and a
 * read and a write pending at once.
 */
#define TA_SECONDARY_TU 1
#include "test_async.h"

static long raw_send(cnet_socket_handle h, const void *p, size_t n)
{
    return (long)send(h, (const char *)p, (int)n, MSG_NOSIGNAL);
}

/* A peer thread that sends n bytes of the pattern of seed. */
typedef struct writer {
    cnet_socket *s;
    size_t n;
    unsigned seed;
    cnet_err err;
    pthread_t thread;
} writer;

static void *writer_run(void *arg)
{
    writer *w = arg;
    uint8_t buf[65536];
    size_t done = 0;
    while (done < w->n && w->err == CNET_OK) {
        size_t chunk = w->n - done < sizeof buf ? w->n - done : sizeof buf, sent = 0;
        for (size_t i = 0; i < chunk; i++)
            buf[i] = ta_pattern(done + i, w->seed);
        w->err = cnet_socket_send(w->s, buf, chunk, 0, &sent);
        done += sent;
    }
    return NULL;
}

/* Checks a received stream against a pattern, chunk by chunk. */
typedef struct pattern_check {
    size_t offset, first_bad;
    unsigned seed;
} pattern_check;

static void pattern_feed(pattern_check *c, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n && c->first_bad == SIZE_MAX; i++)
        if (p[i] != ta_pattern(c->offset + i, c->seed))
            c->first_bad = c->offset + i;
    c->offset += n;
}

/* ----------------------------------------------------------------- recv */

Test(async_recv, all_true_waits_for_size_bytes, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    ta_rec r = {0};
    cnet_async_op *op = NULL;
    TA_START(cnet_async_recv(s, 11, true, CNET_FLAGS_DEFAULT, 5000, ta_cb, &r, &op));
    ta_peer_str(peer, "hello");
    ta_spin(loop, 60);
    cr_assert_eq(r.calls, 0, "all=true completed with %zu of 11 bytes", r.bytes);
    ta_peer_str(peer, " world");
    TA_RUN_UNTIL(loop, r.calls > 0, 5000);
    TA_DONE(r, CNET_ASYNC_RECV, CNET_OK);
    cr_assert_eq(r.bytes, 11);
    cr_assert_str_eq((char *)r.copy, "hello world");
    cr_assert_eq(r.socket, s);
    cr_assert_eq(r.op, op);
    cr_assert_eq(r.loop, loop);
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_free(loop);
}

Test(async_recv, all_false_returns_what_is_there, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    ta_rec a = {0}, b = {0}, c = {0};
    TA_START(cnet_async_recv(s, 100, false, CNET_FLAGS_DEFAULT, 5000, ta_cb, &a, NULL));
    ta_peer_str(peer, "abc");
    TA_RUN_UNTIL(loop, a.calls > 0, 5000);
    TA_DONE(a, CNET_ASYNC_RECV, CNET_OK);
    cr_assert_eq(a.bytes, 3);
    cr_assert_str_eq((char *)a.copy, "abc");
    ta_peer_str(peer, "xyz");
    tc_sleep_ms(20);
    TA_START(cnet_async_recv(s, 2, false, CNET_FLAGS_DEFAULT, 5000, ta_cb, &b, NULL));
    TA_START(cnet_async_recv(s, 100, false, CNET_FLAGS_DEFAULT, 5000, ta_cb, &c, NULL));
    TA_RUN_UNTIL(loop, b.calls > 0 && c.calls > 0, 5000);
    cr_assert_str_eq((char *)b.copy, "xy");
    cr_assert_str_eq((char *)c.copy, "z", "the rest of what arrived");
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_free(loop);
}

Test(async_recv, recv_into_fills_your_buffer, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    uint8_t buf[32], buf2[32];
    memset(buf, 0x55, sizeof buf);
    memset(buf2, 0x55, sizeof buf2);
    ta_rec a = {0}, b = {0};
    TA_START(cnet_async_recv_into(s, buf, 6, true, CNET_FLAGS_DEFAULT, 5000, ta_cb, &a, NULL));
    TA_START(cnet_async_recv_into(s, buf2, sizeof buf2, false, CNET_FLAGS_DEFAULT, 5000, ta_cb, &b, NULL));
    ta_peer_str(peer, "abcdefXYZ");
    TA_RUN_UNTIL(loop, a.calls > 0 && b.calls > 0, 5000);
    TA_DONE(a, CNET_ASYNC_RECV, CNET_OK);
    cr_assert_eq(a.data, buf, "result->data is your buffer");
    cr_assert_eq(a.bytes, 6);
    cr_assert_eq(memcmp(buf, "abcdef", 6), 0);
    cr_assert_eq(buf[6], 0x55, "written past size");
    TA_DONE(b, CNET_ASYNC_RECV, CNET_OK);
    cr_assert_eq(b.data, buf2);
    cr_assert_eq(b.bytes, 3);
    cr_assert_eq(memcmp(buf2, "XYZ", 3), 0);
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_free(loop);
}

Test(async_recv, end_of_stream_is_zero_bytes_every_time, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    ta_peer_str(peer, "xy");
    TC_OK(cnet_socket_shutdown(peer, false, true));
    ta_rec a = {0}, b = {0}, c = {0}, l = {0}, back = {0};
    TA_START(cnet_async_recv(s, 10, true, CNET_FLAGS_DEFAULT, 5000, ta_cb, &a, NULL));
    TA_RUN_UNTIL(loop, a.calls > 0, 5000);
    TA_DONE(a, CNET_ASYNC_RECV, CNET_OK);
    cr_assert_eq(a.bytes, 2, "all=true ends at the end of the stream with what came");
    cr_assert_str_eq((char *)a.copy, "xy");
    TA_START(cnet_async_recv(s, 10, true, 0, 5000, ta_cb, &b, NULL));
    TA_START(cnet_async_recv(s, 10, false, 0, 5000, ta_cb, &c, NULL));
    TA_START(cnet_async_recv_line(s, 100, 0, 5000, ta_cb, &l, NULL));
    TA_RUN_UNTIL(loop, b.calls > 0 && c.calls > 0 && l.calls > 0, 5000);
    TA_DONE(b, CNET_ASYNC_RECV, CNET_OK);
    cr_assert_eq(b.bytes, 0);
    TA_DONE(c, CNET_ASYNC_RECV, CNET_OK);
    cr_assert_eq(c.bytes, 0);
    TA_DONE(l, CNET_ASYNC_RECV_LINE, CNET_OK);
    cr_assert_eq(l.line, CNET_READ_DISCONNECTED);
    /* Half-closed: this side still sends. */
    TA_START(cnet_async_send_copy(s, "back", 4, 0, 5000, ta_cb, &back, NULL));
    TA_RUN_UNTIL(loop, back.calls > 0, 5000);
    TA_DONE(back, CNET_ASYNC_SEND, CNET_OK);
    ta_peer_expect(peer, "back", 4);
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_free(loop);
}

static void reset_after_bytes(bool pending_first)
{
    cnet_loop *loop = ta_loop();
    tc_require_reset_on_abortive_close();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    ta_rec a = {0}, b = {0}, c = {0}, d = {0};
    if (pending_first)
        TA_START(cnet_async_recv(s, 100, true, 0, 5000, ta_cb, &a, NULL));
    ta_peer_str(peer, "0123456789");
    tc_sleep_ms(20);
    ta_peer_reset(peer);
    if (!pending_first)
        TA_START(cnet_async_recv(s, 100, true, 0, 5000, ta_cb, &a, NULL));
    TA_RUN_UNTIL(loop, a.calls > 0, 5000);
    TA_DONE(a, CNET_ASYNC_RECV, CNET_OK);
    cr_assert_eq(a.bytes, 10, "the 10 bytes before the reset come first (got %zu)", a.bytes);
    cr_assert_str_eq((char *)a.copy, "0123456789");
    TA_START(cnet_async_recv(s, 100, true, 0, 5000, ta_cb, &b, NULL));
    TA_RUN_UNTIL(loop, b.calls > 0, 5000);
    TA_DONE(b, CNET_ASYNC_RECV, CNET_ECONNRESET);
    cr_assert_eq(b.bytes, 0);
    TA_START(cnet_async_recv(s, 100, false, 0, 5000, ta_cb, &c, NULL));
    TA_RUN_UNTIL(loop, c.calls > 0, 5000);
    TA_DONE(c, CNET_ASYNC_RECV, CNET_ECONNRESET); /* latched: never a clean end later */
    TA_START(cnet_async_recv(s, 100, true, CNET_FLAGS_DEFAULT, 5000, ta_cb, &d, NULL));
    TA_RUN_UNTIL(loop, d.calls > 0, 5000);
    TA_DONE(d, CNET_ASYNC_RECV, CNET_OK); /* SafeDisconn: a disconnection reads as the end */
    cr_assert_eq(d.bytes, 0);
    ta_close(loop, s);
    ta_free(loop);
}

Test(async_recv, reset_after_bytes_delivers_them_first, .timeout = 20)
{
    reset_after_bytes(false);
}

Test(async_recv, reset_while_a_read_is_pending, .timeout = 20)
{
    reset_after_bytes(true);
}

Test(async_recv, timeout_keeps_the_bytes, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    ta_rec a = {0}, b = {0}, e = {0};
    int64_t t0 = ta_now_us();
    TA_START(cnet_async_recv(s, 10, true, CNET_FLAGS_DEFAULT, 80, ta_cb, &a, NULL));
    ta_peer_str(peer, "abcd");
    TA_RUN_UNTIL(loop, a.calls > 0, 5000);
    TA_DONE(a, CNET_ASYNC_RECV, CNET_ETIMEDOUT);
    cr_assert_geq(a.at_us - t0, 79000);
    cr_assert(cnet_async_socket_has_data_buffered(s), "the 4 bytes wait in the buffer");
    ta_peer_str(peer, "efghij");
    TA_START(cnet_async_recv(s, 10, true, CNET_FLAGS_DEFAULT, 5000, ta_cb, &b, NULL));
    TA_RUN_UNTIL(loop, b.calls > 0, 5000);
    TA_DONE(b, CNET_ASYNC_RECV, CNET_OK);
    cr_assert_str_eq((char *)b.copy, "abcdefghij", "bytes were lost at the timeout");
    cr_assert_not(cnet_async_socket_has_data_buffered(s));
    /* all=false with nothing coming. */
    t0 = ta_now_us();
    TA_START(cnet_async_recv(s, 10, false, CNET_FLAGS_DEFAULT, 60, ta_cb, &e, NULL));
    TC_OK(cnet_loop_run(loop));
    TA_DONE(e, CNET_ASYNC_RECV, CNET_ETIMEDOUT);
    cr_assert_eq(e.bytes, 0);
    cr_assert_geq(e.at_us - t0, 59000);
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_free(loop);
}

Test(async_recv, cancel_keeps_the_bytes, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    ta_rec a = {0}, b = {0};
    cnet_async_op *op = NULL;
    TA_START(cnet_async_recv(s, 10, true, CNET_FLAGS_DEFAULT, -1, ta_cb, &a, &op));
    ta_peer_str(peer, "abc");
    ta_spin(loop, 50);
    cr_assert_eq(a.calls, 0);
    TA_START(cnet_async_cancel(op));
    TA_RUN_UNTIL(loop, a.calls > 0, 5000);
    TA_DONE(a, CNET_ASYNC_RECV, CNET_ECANCELED);
    TA_START(cnet_async_recv(s, 3, true, CNET_FLAGS_DEFAULT, 5000, ta_cb, &b, NULL));
    TA_RUN_UNTIL(loop, b.calls > 0, 5000);
    TA_DONE(b, CNET_ASYNC_RECV, CNET_OK);
    cr_assert_str_eq((char *)b.copy, "abc", "bytes were lost at the cancel");
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_free(loop);
}

Test(async_recv, pending_reads_complete_in_start_order, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    ta_rec r[3], x = {0}, ln = {0}, z = {0};
    memset(r, 0, sizeof r);
    for (int i = 0; i < 3; i++)
        TA_START(cnet_async_recv(s, 3, true, CNET_FLAGS_DEFAULT, 5000, ta_cb, &r[i], NULL));
    /* Reads of different kinds share the queue. */
    TA_START(cnet_async_recv(s, 2, true, CNET_FLAGS_DEFAULT, 5000, ta_cb, &x, NULL));
    TA_START(cnet_async_recv_line(s, 100, CNET_FLAGS_DEFAULT, 5000, ta_cb, &ln, NULL));
    TA_START(cnet_async_recv(s, 1, true, CNET_FLAGS_DEFAULT, 5000, ta_cb, &z, NULL));
    ta_peer_str(peer, "aaabbbcccxyline\nz");
    TA_RUN_UNTIL(loop, z.calls > 0, 5000);
    const char *want[3] = {"aaa", "bbb", "ccc"};
    for (int i = 0; i < 3; i++) {
        TA_DONE(r[i], CNET_ASYNC_RECV, CNET_OK);
        cr_assert_str_eq((char *)r[i].copy, want[i]);
        if (i > 0)
            cr_assert_lt(r[i - 1].seq, r[i].seq);
    }
    cr_assert_str_eq((char *)x.copy, "xy");
    TA_DONE(ln, CNET_ASYNC_RECV_LINE, CNET_OK);
    cr_assert_str_eq((char *)ln.copy, "line");
    cr_assert_str_eq((char *)z.copy, "z");
    cr_assert(r[2].seq < x.seq && x.seq < ln.seq && ln.seq < z.seq);
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_free(loop);
}

struct drain {
    pattern_check check;
    size_t want;
    int calls;
    cnet_err err, restart;
};

static void drain_cb(const cnet_async_result *r, void *user)
{
    struct drain *d = user;
    ta_note();
    d->calls++;
    if (r->err != CNET_OK || r->bytes == 0) {
        d->err = r->err != CNET_OK ? r->err : CNET_EEOF;
        return;
    }
    pattern_feed(&d->check, r->data, r->bytes);
    size_t left = d->want - d->check.offset;
    if (left > 0) {
        cnet_err err = cnet_async_recv(r->socket, left < (1u << 20) ? left : (1u << 20), false, 0, 5000, drain_cb, d,
                                       NULL);
        if (err != CNET_OK)
            d->restart = err;
    }
}

Test(async_recv, no_read_pending_stops_at_the_high_water_mark, .timeout = 20)
{
    /* With small kernel buffers, a socket with no read pending holds at
     * most CNET_ASYNC_HIGH_WATER bytes: the peer then feels backpressure. */
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair_bufs(loop, &s, &peer, 65536, 65536);
    int rcv = 0, snd = 0;
    TC_OK(cnet_get_sock_opt_int(cnet_async_socket_get_fd(s), SOL_SOCKET, SO_RCVBUF, &rcv));
    TC_OK(cnet_get_sock_opt_int(cnet_socket_get_fd(peer), SOL_SOCKET, SO_SNDBUF, &snd));
    cnet_socket_handle ph = cnet_socket_get_fd(peer);
    TC_OK(cnet_set_blocking(ph, false));
    static uint8_t chunk[65536];
    size_t pushed = 0, cap = 64u << 20;
    int idle = 0;
    while (idle < 30 && pushed < cap) {
        for (size_t i = 0; i < sizeof chunk; i++)
            chunk[i] = ta_pattern(pushed + i, 3);
        long n = raw_send(ph, chunk, sizeof chunk);
        if (n > 0) {
            pushed += (size_t)n;
            idle = 0;
        } else {
            idle++;
        }
        TC_OK(cnet_loop_poll(loop, n > 0 ? 0 : 10));
    }
    size_t bound = (size_t)rcv + (size_t)snd + CNET_ASYNC_HIGH_WATER + (1u << 20);
    cr_assert_lt(pushed, bound,
                 "the peer pushed %zu bytes into a socket with no read pending (kernel buffers %d + %d, high water %d)",
                 pushed, rcv, snd, CNET_ASYNC_HIGH_WATER);
    /* Every byte is still there, in order. */
    struct drain d = {{0, SIZE_MAX, 3}, pushed, 0, CNET_OK, CNET_OK};
    TA_START(cnet_async_recv(s, 1u << 20, false, 0, 5000, drain_cb, &d, NULL));
    TA_RUN_UNTIL(loop, d.check.offset == pushed || d.err != CNET_OK, 10000);
    cr_assert_eq(d.err, CNET_OK, "%s", cnet_err_name(d.err));
    cr_assert_eq(d.restart, CNET_OK);
    cr_assert_eq(d.check.first_bad, SIZE_MAX, "wrong byte at offset %zu", d.check.first_bad);
    ta_spin(loop, 20);
    cr_assert_not(cnet_async_socket_has_data_buffered(s), "more bytes than the peer sent");
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_free(loop);
}

/* ---------------------------------------------------------------- lines */

Test(async_line, terminators_and_statuses, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    static const struct {
        const char *text;
        cnet_read_line_result line;
    } want[] = {
        {"full", CNET_READ_FULL_LINE},   {"crlf", CNET_READ_FULL_LINE},      {"", CNET_READ_FULL_LINE},
        {"", CNET_READ_FULL_LINE},       {"lone", CNET_READ_FULL_LINE},      {"next", CNET_READ_FULL_LINE},
        {"", CNET_READ_FULL_LINE},       {"", CNET_READ_FULL_LINE},          {"partial", CNET_READ_PARTIAL_LINE},
        {"", CNET_READ_DISCONNECTED},    {"", CNET_READ_DISCONNECTED},
    };
    enum { N = sizeof want / sizeof want[0] };
    ta_rec r[N];
    memset(r, 0, sizeof r);
    for (int i = 0; i < N; i++)
        TA_START(cnet_async_recv_line(s, 100, CNET_FLAGS_DEFAULT, 5000, ta_cb, &r[i], NULL));
    ta_peer_str(peer, "full\ncrlf\r\n\n\r\nlone\rnext\n\r\r\npartial");
    TC_OK(cnet_socket_shutdown(peer, false, true));
    TA_RUN_UNTIL(loop, r[N - 1].calls > 0, 5000);
    for (int i = 0; i < N; i++) {
        TA_DONE(r[i], CNET_ASYNC_RECV_LINE, CNET_OK);
        cr_assert_eq(r[i].line, want[i].line, "line %d: status %d, expected %d", i, (int)r[i].line, (int)want[i].line);
        cr_assert_eq(r[i].bytes, strlen(want[i].text), "line %d: %zu bytes", i, r[i].bytes);
        cr_assert_str_eq((char *)r[i].copy, want[i].text, "line %d", i);
        if (r[i].data != NULL)
            cr_assert(r[i].nul_after, "line %d is not followed by a NUL", i);
        else
            cr_assert_eq(r[i].bytes, 0);
        if (i > 0)
            cr_assert_lt(r[i - 1].seq, r[i].seq);
    }
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_free(loop);
}

Test(async_line, terminator_split_across_arrivals, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    TC_OK(cnet_socket_set_sock_opt(peer, CNET_OPT_NO_DELAY, true, CNET_OPT_LEVEL_AUTO));
    ta_rec r[4];
    memset(r, 0, sizeof r);
    for (int i = 0; i < 4; i++)
        TA_START(cnet_async_recv_line(s, 100, CNET_FLAGS_DEFAULT, 5000, ta_cb, &r[i], NULL));
    const char *pieces[] = {"ab", "c\r", "\nd", "\n"};
    for (int i = 0; i < 4; i++) {
        ta_peer_str(peer, pieces[i]);
        ta_spin(loop, 30);
    }
    TA_DONE(r[0], CNET_ASYNC_RECV_LINE, CNET_OK);
    cr_assert_str_eq((char *)r[0].copy, "abc");
    TA_DONE(r[1], CNET_ASYNC_RECV_LINE, CNET_OK);
    cr_assert_str_eq((char *)r[1].copy, "d", "the \\n after a \\r that ended an arrival made a line of its own");
    cr_assert_eq(r[2].calls, 0, "a line no one sent");
    ta_peer_str(peer, "e\r");
    TC_OK(cnet_socket_shutdown(peer, false, true));
    TA_RUN_UNTIL(loop, r[3].calls > 0, 5000);
    cr_assert_eq(r[2].line, CNET_READ_FULL_LINE);
    cr_assert_str_eq((char *)r[2].copy, "e");
    cr_assert_eq(r[3].line, CNET_READ_DISCONNECTED);
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_free(loop);
}

Test(async_line, truncated_at_max_length_and_the_rest_stays, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    ta_rec a = {0}, b = {0}, c = {0};
    ta_peer_str(peer, "abcdefgh\nwxyz\n");
    TA_START(cnet_async_recv_line(s, 4, CNET_FLAGS_DEFAULT, 5000, ta_cb, &a, NULL));
    TA_START(cnet_async_recv_line(s, 100, CNET_FLAGS_DEFAULT, 5000, ta_cb, &b, NULL));
    TA_START(cnet_async_recv_line(s, 4, CNET_FLAGS_DEFAULT, 5000, ta_cb, &c, NULL));
    TA_RUN_UNTIL(loop, c.calls > 0, 5000);
    TA_DONE(a, CNET_ASYNC_RECV_LINE, CNET_OK);
    cr_assert_eq(a.line, CNET_READ_TRUNCATED);
    cr_assert_eq(a.bytes, 4);
    cr_assert_str_eq((char *)a.copy, "abcd");
    cr_assert(a.nul_after);
    TA_DONE(b, CNET_ASYNC_RECV_LINE, CNET_OK);
    cr_assert_eq(b.line, CNET_READ_FULL_LINE);
    cr_assert_str_eq((char *)b.copy, "efgh", "the rest of the line is the next call's");
    TA_DONE(c, CNET_ASYNC_RECV_LINE, CNET_OK);
    cr_assert_eq(c.line, CNET_READ_FULL_LINE, "a line of exactly max_length bytes is a full line");
    cr_assert_str_eq((char *)c.copy, "wxyz");
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_free(loop);
}

static void partial_line_survives(bool cancel)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    ta_rec a = {0}, b = {0};
    cnet_async_op *op = NULL;
    int64_t t0 = ta_now_us();
    TA_START(cnet_async_recv_line(s, 100, CNET_FLAGS_DEFAULT, cancel ? -1 : 80, ta_cb, &a, &op));
    ta_peer_str(peer, "hel");
    if (cancel) {
        ta_spin(loop, 50);
        cr_assert_eq(a.calls, 0);
        TA_START(cnet_async_cancel(op));
    }
    TA_RUN_UNTIL(loop, a.calls > 0, 5000);
    TA_DONE(a, CNET_ASYNC_RECV_LINE, cancel ? CNET_ECANCELED : CNET_ETIMEDOUT);
    cr_assert_eq(a.line, CNET_READ_NONE);
    if (!cancel)
        cr_assert_geq(a.at_us - t0, 79000);
    cr_assert(cnet_async_socket_has_data_buffered(s), "the partial line waits in the buffer");
    ta_peer_str(peer, "lo\n");
    TA_START(cnet_async_recv_line(s, 100, CNET_FLAGS_DEFAULT, 5000, ta_cb, &b, NULL));
    TA_RUN_UNTIL(loop, b.calls > 0, 5000);
    TA_DONE(b, CNET_ASYNC_RECV_LINE, CNET_OK);
    cr_assert_eq(b.line, CNET_READ_FULL_LINE);
    cr_assert_str_eq((char *)b.copy, "hello", "the next recv_line continues the partial line");
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_free(loop);
}

Test(async_line, timeout_keeps_the_partial_line, .timeout = 20)
{
    partial_line_survives(false);
}

Test(async_line, cancel_keeps_the_partial_line, .timeout = 20)
{
    partial_line_survives(true);
}

Test(async_line, peer_reset_mid_line, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    tc_require_reset_on_abortive_close();
    for (int safe = 0; safe < 2; safe++) {
        unsigned flags = safe ? CNET_FLAGS_DEFAULT : 0;
        cnet_async_socket *s = NULL;
        cnet_socket *peer = NULL;
        ta_pair(loop, &s, &peer);
        ta_rec a = {0}, b = {0}, c = {0};
        TA_START(cnet_async_recv_line(s, 100, flags, 5000, ta_cb, &a, NULL));
        ta_peer_str(peer, "abc");
        tc_sleep_ms(20);
        ta_peer_reset(peer);
        TA_RUN_UNTIL(loop, a.calls > 0, 5000);
        /* The bytes and the cause in the same call, even under SafeDisconn. */
        TA_DONE(a, CNET_ASYNC_RECV_LINE, CNET_ECONNRESET);
        cr_assert_eq(a.line, CNET_READ_PARTIAL_LINE, "flags %u: the bytes before the reset come as a partial line", flags);
        cr_assert_str_eq((char *)a.copy, "abc");
        TA_START(cnet_async_recv_line(s, 100, flags, 5000, ta_cb, &b, NULL));
        TA_RUN_UNTIL(loop, b.calls > 0, 5000);
        if (safe) {
            TA_DONE(b, CNET_ASYNC_RECV_LINE, CNET_OK);
            cr_assert_eq(b.line, CNET_READ_DISCONNECTED);
        } else {
            TA_DONE(b, CNET_ASYNC_RECV_LINE, CNET_ECONNRESET);
            cr_assert_eq(b.line, CNET_READ_NONE);
            TA_START(cnet_async_recv_line(s, 100, 0, 5000, ta_cb, &c, NULL));
            TA_RUN_UNTIL(loop, c.calls > 0, 5000);
            TA_DONE(c, CNET_ASYNC_RECV_LINE, CNET_ECONNRESET);
        }
        ta_close(loop, s);
    }
    ta_free(loop);
}

Test(async_line, half_close_mid_line, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    ta_rec a = {0}, b = {0}, w = {0};
    TA_START(cnet_async_recv_line(s, 100, CNET_FLAGS_DEFAULT, 5000, ta_cb, &a, NULL));
    ta_peer_str(peer, "abc");
    ta_spin(loop, 30);
    cr_assert_eq(a.calls, 0);
    TC_OK(cnet_socket_shutdown(peer, false, true));
    TA_RUN_UNTIL(loop, a.calls > 0, 5000);
    TA_DONE(a, CNET_ASYNC_RECV_LINE, CNET_OK);
    cr_assert_eq(a.line, CNET_READ_PARTIAL_LINE);
    cr_assert_str_eq((char *)a.copy, "abc");
    TA_START(cnet_async_send_copy(s, "still here\n", 11, CNET_FLAGS_DEFAULT, 5000, ta_cb, &w, NULL));
    TA_START(cnet_async_recv_line(s, 100, CNET_FLAGS_DEFAULT, 5000, ta_cb, &b, NULL));
    TA_RUN_UNTIL(loop, b.calls > 0 && w.calls > 0, 5000);
    TA_DONE(b, CNET_ASYNC_RECV_LINE, CNET_OK);
    cr_assert_eq(b.line, CNET_READ_DISCONNECTED);
    TA_DONE(w, CNET_ASYNC_SEND, CNET_OK);
    ta_peer_expect(peer, "still here\n", 11);
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_free(loop);
}

Test(async_line, recv_line_into_your_buffer, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    char b1[8], b2[8], b3[8];
    ta_rec a = {0}, b = {0}, c = {0};
    TA_START(cnet_async_recv_line_into(s, b1, sizeof b1, CNET_FLAGS_DEFAULT, 5000, ta_cb, &a, NULL));
    TA_START(cnet_async_recv_line_into(s, b2, sizeof b2, CNET_FLAGS_DEFAULT, 5000, ta_cb, &b, NULL));
    TA_START(cnet_async_recv_line_into(s, b3, sizeof b3, CNET_FLAGS_DEFAULT, 5000, ta_cb, &c, NULL));
    ta_peer_str(peer, "hello\nlonger line\n");
    TA_RUN_UNTIL(loop, c.calls > 0, 5000);
    TA_DONE(a, CNET_ASYNC_RECV_LINE, CNET_OK);
    cr_assert_eq((const char *)a.data, b1, "result->data is your buffer");
    cr_assert_eq(a.line, CNET_READ_FULL_LINE);
    cr_assert_eq(a.bytes, 5);
    cr_assert_str_eq(b1, "hello");
    TA_DONE(b, CNET_ASYNC_RECV_LINE, CNET_OK);
    cr_assert_eq(b.line, CNET_READ_TRUNCATED, "size 8 holds 7 bytes and the NUL");
    cr_assert_eq(b.bytes, 7);
    cr_assert_str_eq(b2, "longer ");
    TA_DONE(c, CNET_ASYNC_RECV_LINE, CNET_OK);
    cr_assert_str_eq(b3, "line");
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_free(loop);
}

Test(async_line, lines_and_recv_share_one_buffer, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    ta_rec a = {0}, b = {0};
    ta_peer_str(peer, "head\nbody12345");
    TA_START(cnet_async_recv_line(s, 100, CNET_FLAGS_DEFAULT, 5000, ta_cb, &a, NULL));
    TA_RUN_UNTIL(loop, a.calls > 0, 5000);
    cr_assert_str_eq((char *)a.copy, "head");
    TA_START(cnet_async_recv(s, 9, true, CNET_FLAGS_DEFAULT, 5000, ta_cb, &b, NULL));
    TA_RUN_UNTIL(loop, b.calls > 0, 5000);
    TA_DONE(b, CNET_ASYNC_RECV, CNET_OK);
    cr_assert_str_eq((char *)b.copy, "body12345");
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_free(loop);
}

/* ----------------------------------------------------------------- send */

Test(async_send, eight_mib_to_a_slow_reader, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    size_t n = 8u << 20;
    uint8_t *data = ta_pattern_buf(n, 7);
    ta_reader rd = {.s = peer, .want = n, .seed = 7, .pause_every = 256u << 10, .pause_ms = 5};
    ta_reader_start(&rd);
    ta_rec sd = {0}, tick = {0};
    cnet_async_op *top = NULL;
    TA_START(cnet_loop_add_timer(loop, 10, false, ta_cb, &tick, &top));
    TA_START(cnet_async_send(s, data, n, CNET_FLAGS_DEFAULT, -1, ta_cb, &sd, NULL));
    TA_RUN_UNTIL(loop, sd.calls > 0, 15000);
    int ticks = tick.calls;
    TA_DONE(sd, CNET_ASYNC_SEND, CNET_OK);
    cr_assert_eq(sd.bytes, n);
    ta_reader_join(&rd);
    TC_OK(rd.err);
    cr_assert_eq(rd.got, n);
    cr_assert_eq(rd.first_bad, SIZE_MAX, "wrong byte at offset %zu", rd.first_bad);
    cr_assert_geq(ticks, 3, "the loop was stuck in the big send (%d timer calls)", ticks);
    TC_OK(cnet_async_cancel(top));
    TA_RUN_UNTIL(loop, tick.err == CNET_ECANCELED, 2000);
    free(data);
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_free(loop);
}

Test(async_send, queued_sends_go_out_in_order, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    enum { N = 6 };
    size_t piece = 300u << 10, n = N * piece;
    uint8_t *data = ta_pattern_buf(n, 17);
    ta_reader rd = {.s = peer, .want = n, .seed = 17, .delay_ms = 50};
    ta_reader_start(&rd);
    ta_rec r[N];
    memset(r, 0, sizeof r);
    for (int i = 0; i < N; i++) {
        if (i % 2 == 0)
            TA_START(cnet_async_send(s, data + i * piece, piece, CNET_FLAGS_DEFAULT, -1, ta_cb, &r[i], NULL));
        else
            TA_START(cnet_async_send_copy(s, data + i * piece, piece, CNET_FLAGS_DEFAULT, -1, ta_cb, &r[i], NULL));
    }
    TA_RUN_UNTIL(loop, r[N - 1].calls > 0, 15000);
    for (int i = 0; i < N; i++) {
        TA_DONE(r[i], CNET_ASYNC_SEND, CNET_OK);
        cr_assert_eq(r[i].bytes, piece);
        if (i > 0)
            cr_assert_lt(r[i - 1].seq, r[i].seq, "send %d completed before send %d", i, i - 1);
    }
    ta_reader_join(&rd);
    TC_OK(rd.err);
    cr_assert_eq(rd.got, n);
    cr_assert_eq(rd.first_bad, SIZE_MAX, "sends interleaved or reordered: wrong byte at %zu", rd.first_bad);
    free(data);
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_free(loop);
}

Test(async_send, timeout_reports_the_bytes_that_went_out, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    TC_OK(cnet_set_sock_opt_int(cnet_socket_get_fd(peer), SOL_SOCKET, SO_RCVBUF, 65536));
    size_t n = 32u << 20;
    uint8_t *data = ta_pattern_buf(n, 19);
    ta_rec sd = {0};
    int64_t t0 = ta_now_us();
    TA_START(cnet_async_send(s, data, n, CNET_FLAGS_DEFAULT, 300, ta_cb, &sd, NULL));
    TA_RUN_UNTIL(loop, sd.calls > 0, 10000);
    TA_DONE(sd, CNET_ASYNC_SEND, CNET_ETIMEDOUT);
    cr_assert_geq(sd.at_us - t0, 299000);
    cr_assert_gt(sd.bytes, 0, "nothing went out?");
    cr_assert_lt(sd.bytes, n);
    ta_close(loop, s);
    ta_reader rd = {.s = peer, .want = 0, .seed = 19};
    ta_reader_start(&rd);
    ta_reader_join(&rd);
    TC_OK(rd.err);
    cr_assert_eq(rd.got, sd.bytes, "the peer got %zu bytes, the send reported %zu", rd.got, sd.bytes);
    cr_assert_eq(rd.first_bad, SIZE_MAX);
    free(data);
    cnet_socket_free(peer);
    ta_free(loop);
}

Test(async_send, cancel_reports_the_bytes_and_a_queued_send_sends_nothing, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    TC_OK(cnet_set_sock_opt_int(cnet_socket_get_fd(peer), SOL_SOCKET, SO_RCVBUF, 65536));
    size_t n = 32u << 20;
    uint8_t *data = ta_pattern_buf(n, 23), *other = ta_pattern_buf(1u << 20, 99);
    ta_rec a = {0}, b = {0};
    cnet_async_op *oa = NULL, *ob = NULL;
    TA_START(cnet_async_send(s, data, n, CNET_FLAGS_DEFAULT, -1, ta_cb, &a, &oa));
    TA_START(cnet_async_send(s, other, 1u << 20, CNET_FLAGS_DEFAULT, -1, ta_cb, &b, &ob));
    ta_spin(loop, 100);
    cr_assert_eq(a.calls + b.calls, 0);
    TA_START(cnet_async_cancel(ob));
    TA_START(cnet_async_cancel(oa));
    TA_RUN_UNTIL(loop, a.calls > 0 && b.calls > 0, 5000);
    TA_DONE(a, CNET_ASYNC_SEND, CNET_ECANCELED);
    cr_assert_gt(a.bytes, 0, "a partly written send reports what went out");
    cr_assert_lt(a.bytes, n);
    TA_DONE(b, CNET_ASYNC_SEND, CNET_ECANCELED);
    cr_assert_eq(b.bytes, 0, "the queued send never started");
    ta_close(loop, s);
    ta_reader rd = {.s = peer, .want = 0, .seed = 23};
    ta_reader_start(&rd);
    ta_reader_join(&rd);
    TC_OK(rd.err);
    cr_assert_eq(rd.got, a.bytes, "the peer got %zu bytes, the cancelled send reported %zu", rd.got, a.bytes);
    cr_assert_eq(rd.first_bad, SIZE_MAX);
    free(data);
    free(other);
    cnet_socket_free(peer);
    ta_free(loop);
}

Test(async_send, send_copy_lets_the_buffer_go_at_once, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    TC_OK(cnet_set_sock_opt_int(cnet_socket_get_fd(peer), SOL_SOCKET, SO_RCVBUF, 65536));
    size_t n = 4u << 20;
    uint8_t *data = ta_pattern_buf(n, 29);
    ta_rec a = {0}, b = {0};
    TA_START(cnet_async_send_copy(s, data, n, CNET_FLAGS_DEFAULT, -1, ta_cb, &a, NULL));
    memset(data, 0xee, n); /* reused... */
    free(data);            /* ...and gone (ASan: a use after free) */
    char tail[8] = "tail!";
    TA_START(cnet_async_send_copy(s, tail, 5, CNET_FLAGS_DEFAULT, -1, ta_cb, &b, NULL));
    memcpy(tail, "XXXXX", 5);
    ta_reader rd = {.s = peer, .want = n, .seed = 29, .delay_ms = 50};
    ta_reader_start(&rd);
    TA_RUN_UNTIL(loop, a.calls > 0 && b.calls > 0, 15000);
    TA_DONE(a, CNET_ASYNC_SEND, CNET_OK);
    cr_assert_eq(a.bytes, n);
    TA_DONE(b, CNET_ASYNC_SEND, CNET_OK);
    ta_reader_join(&rd);
    TC_OK(rd.err);
    cr_assert_eq(rd.got, n);
    cr_assert_eq(rd.first_bad, SIZE_MAX, "the peer got the overwritten buffer at %zu", rd.first_bad);
    ta_peer_expect(peer, "tail!", 5);
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_free(loop);
}

Test(async_send, without_a_callback, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    static const char msg[] = "no callback";
    TA_START(cnet_async_send(s, msg, 11, CNET_FLAGS_DEFAULT, 5000, NULL, NULL, NULL));
    TA_START(cnet_async_send_copy(s, "!", 1, CNET_FLAGS_DEFAULT, 5000, NULL, NULL, NULL));
    TC_OK(cnet_loop_run(loop));
    ta_peer_expect(peer, "no callback!", 12);
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_free(loop);
}

Test(async_send, to_a_reset_peer_raises_no_sigpipe, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
#ifdef SIGPIPE
    signal(SIGPIPE, SIG_DFL); /* a SIGPIPE would kill the test */
#endif
    tc_require_reset_on_abortive_close();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    ta_peer_reset(peer);
    size_t n = 1u << 20;
    uint8_t *data = ta_pattern_buf(n, 31);
    ta_rec a = {0}, b = {0};
    TA_START(cnet_async_send(s, data, n, CNET_FLAGS_DEFAULT, 5000, ta_cb, &a, NULL));
    TA_RUN_UNTIL(loop, a.calls > 0, 5000);
    TA_DONE(a, CNET_ASYNC_SEND, CNET_OK); /* SafeDisconn: ends like a close */
    cr_assert_lt(a.bytes, n, "result->bytes tells how much went out");
    TA_START(cnet_async_send(s, data, n, 0, 5000, ta_cb, &b, NULL));
    TA_RUN_UNTIL(loop, b.calls > 0, 5000);
    cr_assert_eq(b.calls, 1);
    cr_assert(b.err == CNET_EPIPE || b.err == CNET_ECONNRESET, "got %s", cnet_err_name(b.err));
    cr_assert_lt(b.bytes, n);
    free(data);
    ta_close(loop, s);
    ta_free(loop);
}

/* --------------------------------------------------------------- frames */

struct frame_rec {
    ta_rec rec;
    pattern_check check;
};

static void frame_cb(const cnet_async_result *r, void *user)
{
    struct frame_rec *f = user;
    ta_record(&f->rec, r, ta_note());
    if (r->data != NULL)
        pattern_feed(&f->check, r->data, r->bytes);
}

Test(async_frame, round_trip_in_both_formats, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *x = NULL, *y = NULL;
    ta_async_pair(loop, &x, &y);
    size_t big = 100000;
    uint8_t *payload = ta_pattern_buf(big, 37);
    ta_rec sent[5];
    memset(sent, 0, sizeof sent);
    TA_START(cnet_async_send_frame(x, CNET_FRAME_DECIMAL4, "hello", 5, 5000, ta_cb, &sent[0], NULL));
    TA_START(cnet_async_send_frame(x, CNET_FRAME_BE32, payload, big, 5000, ta_cb, &sent[1], NULL));
    TA_START(cnet_async_send_frame(x, CNET_FRAME_BE32, NULL, 0, 5000, ta_cb, &sent[2], NULL));
    TA_START(cnet_async_send_frame(x, CNET_FRAME_DECIMAL4, payload, CNET_FRAME_DECIMAL4_MAX, 5000, ta_cb, &sent[3],
                                   NULL));
    TA_START(cnet_async_send_frame(x, CNET_FRAME_DECIMAL4, "end", 3, 5000, ta_cb, &sent[4], NULL));
    free(payload); /* frames are copied */
    struct frame_rec f[5];
    memset(f, 0, sizeof f);
    for (int i = 0; i < 5; i++)
        f[i].check = (pattern_check){0, SIZE_MAX, 37};
    TA_START(cnet_async_recv_frame(y, CNET_FRAME_DECIMAL4, 100, 5000, frame_cb, &f[0], NULL));
    TA_START(cnet_async_recv_frame(y, CNET_FRAME_BE32, 200000, 5000, frame_cb, &f[1], NULL));
    TA_START(cnet_async_recv_frame(y, CNET_FRAME_BE32, 10, 5000, frame_cb, &f[2], NULL));
    TA_START(cnet_async_recv_frame(y, CNET_FRAME_DECIMAL4, CNET_FRAME_DECIMAL4_MAX, 5000, frame_cb, &f[3], NULL));
    TA_START(cnet_async_recv_frame(y, CNET_FRAME_DECIMAL4, 100, 5000, frame_cb, &f[4], NULL));
    TA_RUN_UNTIL(loop, f[4].rec.calls > 0 && sent[4].calls > 0, 10000);
    const size_t len[5] = {5, big, 0, CNET_FRAME_DECIMAL4_MAX, 3};
    for (int i = 0; i < 5; i++) {
        TA_DONE(sent[i], CNET_ASYNC_SEND, CNET_OK);
        cr_assert_eq(sent[i].bytes, len[i] + 4, "frame %d: bytes counts the payload and the prefix", i);
        TA_DONE(f[i].rec, CNET_ASYNC_RECV_FRAME, CNET_OK);
        cr_assert_eq(f[i].rec.bytes, len[i], "frame %d: %zu bytes", i, f[i].rec.bytes);
    }
    cr_assert_str_eq((char *)f[0].rec.copy, "hello");
    cr_assert_eq(f[1].check.first_bad, SIZE_MAX);
    cr_assert_eq(f[3].check.first_bad, SIZE_MAX);
    cr_assert_str_eq((char *)f[4].rec.copy, "end");
    ta_close(loop, x);
    ta_close(loop, y);
    ta_free(loop);
}

Test(async_frame, wire_format_matches_the_blocking_layer, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    TA_START(cnet_async_send_frame(s, CNET_FRAME_DECIMAL4, "abc", 3, 5000, NULL, NULL, NULL));
    TA_START(cnet_async_send_frame(s, CNET_FRAME_BE32, "abc", 3, 5000, NULL, NULL, NULL));
    TC_OK(cnet_loop_run(loop));
    ta_peer_expect(peer, "0003abc", 7);
    ta_peer_expect(peer, "\0\0\0\3abc", 7);
    /* Frames of the blocking layer arrive whole. */
    TC_OK(cnet_socket_send_frame(peer, CNET_FRAME_DECIMAL4, "hello", 5));
    TC_OK(cnet_socket_send_frame(peer, CNET_FRAME_BE32, "world!", 6));
    ta_rec a = {0}, b = {0};
    TA_START(cnet_async_recv_frame(s, CNET_FRAME_DECIMAL4, 100, 5000, ta_cb, &a, NULL));
    TA_START(cnet_async_recv_frame(s, CNET_FRAME_BE32, 100, 5000, ta_cb, &b, NULL));
    TA_RUN_UNTIL(loop, b.calls > 0, 5000);
    TA_DONE(a, CNET_ASYNC_RECV_FRAME, CNET_OK);
    cr_assert_str_eq((char *)a.copy, "hello");
    TA_DONE(b, CNET_ASYNC_RECV_FRAME, CNET_OK);
    cr_assert_str_eq((char *)b.copy, "world!");
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_free(loop);
}

Test(async_frame, too_large_for_the_format_is_refused_at_the_start, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    static uint8_t big[CNET_FRAME_DECIMAL4_MAX + 1];
    ta_rec r = {0};
    TA_REFUSE(CNET_EFRAME_TOO_LARGE, cnet_async_send_frame(s, CNET_FRAME_DECIMAL4, big, sizeof big, 5000, ta_cb, &r,
                                                           NULL));
    ta_spin(loop, 50);
    cr_assert_eq(r.calls, 0, "a refused start ran its callback");
    cr_assert_not(ta_readable(cnet_socket_get_fd(peer), 50), "a refused frame sent bytes");
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_free(loop);
}

static void frame_from_peer(const void *bytes, size_t n, cnet_frame_format format, size_t max_size, bool shut,
                            cnet_err want, const char *what)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    if (n > 0)
        ta_peer_send(peer, bytes, n);
    if (shut)
        TC_OK(cnet_socket_shutdown(peer, false, true));
    ta_rec r = {0}, again = {0};
    TA_START(cnet_async_recv_frame(s, format, max_size, 5000, ta_cb, &r, NULL));
    TA_RUN_UNTIL(loop, r.calls > 0, 5000);
    cr_assert_eq(r.calls, 1);
    cr_assert_eq(r.kind, CNET_ASYNC_RECV_FRAME);
    cr_assert_eq(r.err, want, "%s: %s, expected %s", what, cnet_err_name(r.err), cnet_err_name(want));
    if (want == CNET_EFRAME_MALFORMED) {
        TA_START(cnet_async_recv_frame(s, format, max_size, 1000, ta_cb, &again, NULL));
        TA_RUN_UNTIL(loop, again.calls > 0, 5000);
        cr_assert_neq(again.err, CNET_OK, "%s: the stream is unusable after a malformed prefix", what);
    }
    if (want == CNET_OK)
        cr_assert_eq(r.bytes, 0, "%s", what);
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_free(loop);
}

Test(async_frame, malformed_prefix_from_the_peer, .timeout = 20)
{
    frame_from_peer("12x4abcd", 8, CNET_FRAME_DECIMAL4, 100, false, CNET_EFRAME_MALFORMED, "\"12x4\"");
    frame_from_peer("-001abcd", 8, CNET_FRAME_DECIMAL4, 100, false, CNET_EFRAME_MALFORMED, "\"-001\"");
    frame_from_peer(" 123abcd", 8, CNET_FRAME_DECIMAL4, 100, false, CNET_EFRAME_MALFORMED, "\" 123\"");
}

Test(async_frame, announced_length_above_max_size, .timeout = 20)
{
    static uint8_t be[4 + 1000] = {0, 0, 0x03, 0xe8};
    frame_from_peer(be, sizeof be, CNET_FRAME_BE32, 999, false, CNET_EFRAME_TOO_LARGE, "BE32 1000 > 999");
    frame_from_peer("0010abcdefghij", 14, CNET_FRAME_DECIMAL4, 5, false, CNET_EFRAME_TOO_LARGE, "\"0010\" > 5");
    /* A huge announced length allocates nothing: refused by max_size. */
    frame_from_peer("\xff\xff\xff\xff", 4, CNET_FRAME_BE32, 1u << 20, false, CNET_EFRAME_TOO_LARGE, "BE32 4 GiB");
}

Test(async_frame, end_of_stream_before_or_inside_a_frame, .timeout = 20)
{
    frame_from_peer(NULL, 0, CNET_FRAME_BE32, 100, true, CNET_EEOF, "the end before a frame (as the blocking layer)");
    frame_from_peer("0005ab", 6, CNET_FRAME_DECIMAL4, 100, true, CNET_EEOF, "the end inside the payload");
    frame_from_peer("00", 2, CNET_FRAME_DECIMAL4, 100, true, CNET_EEOF, "the end inside the prefix");
}

Test(async_frame, timeout_keeps_the_bytes, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    ta_rec a = {0}, b = {0}, c = {0}, d = {0};
    ta_peer_str(peer, "0005ab");
    TA_START(cnet_async_recv_frame(s, CNET_FRAME_DECIMAL4, 100, 80, ta_cb, &a, NULL));
    TA_RUN_UNTIL(loop, a.calls > 0, 5000);
    TA_DONE(a, CNET_ASYNC_RECV_FRAME, CNET_ETIMEDOUT);
    ta_peer_str(peer, "cde00");
    TA_START(cnet_async_recv_frame(s, CNET_FRAME_DECIMAL4, 100, 5000, ta_cb, &b, NULL));
    TA_RUN_UNTIL(loop, b.calls > 0, 5000);
    TA_DONE(b, CNET_ASYNC_RECV_FRAME, CNET_OK);
    cr_assert_eq(b.bytes, 5);
    cr_assert_str_eq((char *)b.copy, "abcde", "bytes lost at the timeout");
    /* A timeout inside the prefix. */
    TA_START(cnet_async_recv_frame(s, CNET_FRAME_DECIMAL4, 100, 80, ta_cb, &c, NULL));
    TA_RUN_UNTIL(loop, c.calls > 0, 5000);
    TA_DONE(c, CNET_ASYNC_RECV_FRAME, CNET_ETIMEDOUT);
    ta_peer_str(peer, "03xyz");
    TA_START(cnet_async_recv_frame(s, CNET_FRAME_DECIMAL4, 100, 5000, ta_cb, &d, NULL));
    TA_RUN_UNTIL(loop, d.calls > 0, 5000);
    TA_DONE(d, CNET_ASYNC_RECV_FRAME, CNET_OK);
    cr_assert_str_eq((char *)d.copy, "xyz");
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_free(loop);
}

/* ------------------------------------------------------------ SafeDisconn */

/* A blocking pair, for what the blocking layer says in the same place. */
static void blocking_pair(cnet_socket **a, cnet_socket **b)
{
    cnet_port port;
    cnet_socket_handle l = tc_listener(CNET_AF_INET, &port);
    cnet_socket_handle c = tc_connect(CNET_AF_INET, port), h;
    TC_OK(cnet_accept(l, false, &h, NULL, 0));
    cnet_close(l);
    *a = *b = NULL;
    TC_OK(cnet_socket_from_handle(c, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, a));
    TC_OK(cnet_socket_from_handle(h, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, false, b));
}

enum dc_op { DC_RECV, DC_LINE, DC_SEND };

struct dc_outcome {
    cnet_err err;
    size_t bytes;
    cnet_read_line_result line;
};

static struct dc_outcome blocking_after_reset(enum dc_op op, unsigned flags, const uint8_t *data, size_t n)
{
    cnet_socket *a = NULL, *b = NULL;
    blocking_pair(&a, &b);
    ta_peer_reset(b);
    struct dc_outcome o = {CNET_OK, 0, CNET_READ_NONE};
    char buf[64];
    switch (op) {
    case DC_RECV:
        o.err = cnet_socket_recv(a, buf, sizeof buf, 2000, flags, &o.bytes);
        break;
    case DC_LINE:
        o.err = cnet_socket_read_line(a, buf, sizeof buf, &o.bytes, &o.line, 2000, flags);
        break;
    case DC_SEND:
        o.err = cnet_socket_send(a, data, n, flags, &o.bytes);
        break;
    }
    cnet_socket_free(a);
    return o;
}

static struct dc_outcome async_after_reset(cnet_loop *loop, enum dc_op op, unsigned flags, const uint8_t *data,
                                           size_t n)
{
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    ta_peer_reset(peer);
    ta_rec r = {0};
    switch (op) {
    case DC_RECV:
        TA_START(cnet_async_recv(s, 64, true, flags, 2000, ta_cb, &r, NULL));
        break;
    case DC_LINE:
        TA_START(cnet_async_recv_line(s, 63, flags, 2000, ta_cb, &r, NULL));
        break;
    case DC_SEND:
        TA_START(cnet_async_send(s, data, n, flags, 2000, ta_cb, &r, NULL));
        break;
    }
    TA_RUN_UNTIL(loop, r.calls > 0, 5000);
    cr_assert_eq(r.calls, 1);
    ta_close(loop, s);
    return (struct dc_outcome){r.err, r.bytes, r.line};
}

Test(async_safedisconn, matches_the_blocking_layer, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
#ifdef SIGPIPE
    signal(SIGPIPE, SIG_DFL);
#endif
    tc_require_reset_on_abortive_close();
    size_t n = 1u << 20;
    uint8_t *data = ta_pattern_buf(n, 41);
    const char *names[] = {"recv", "recv_line", "send"};
    for (int op = DC_RECV; op <= DC_SEND; op++) {
        for (int safe = 0; safe < 2; safe++) {
            unsigned flags = safe ? CNET_FLAGS_DEFAULT : 0;
            struct dc_outcome b = blocking_after_reset((enum dc_op)op, flags, data, n);
            struct dc_outcome a = async_after_reset(loop, (enum dc_op)op, flags, data, n);
            cr_assert_eq(a.err, b.err, "%s after a reset, flags %u: async %s, blocking %s", names[op], flags,
                         cnet_err_name(a.err), cnet_err_name(b.err));
            if (op == DC_SEND) {
                cr_assert_lt(a.bytes, n, "send: bytes tells how much went out");
            } else {
                cr_assert_eq(a.bytes, b.bytes, "%s, flags %u: %zu bytes, blocking %zu", names[op], flags, a.bytes,
                             b.bytes);
            }
            if (op == DC_LINE)
                cr_assert_eq(a.line, b.line, "recv_line, flags %u: status %d, blocking %d", flags, (int)a.line,
                             (int)b.line);
            /* And what the blocking layer says is the documented rule. */
            if (safe)
                cr_assert_eq(a.err, CNET_OK, "%s under SafeDisconn: %s", names[op], cnet_err_name(a.err));
            else if (op == DC_SEND)
                cr_assert(a.err == CNET_EPIPE || a.err == CNET_ECONNRESET, "send: %s", cnet_err_name(a.err));
            else
                cr_assert_eq(a.err, CNET_ECONNRESET, "%s: %s", names[op], cnet_err_name(a.err));
        }
    }
    free(data);
    ta_free(loop);
}

/* ---------------------------------------- a read and a write at once */

Test(async_duplex, a_read_and_a_write_pending_at_once, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    size_t n = 4u << 20;
    uint8_t *out = ta_pattern_buf(n, 43), *in = malloc(n);
    cr_assert_not_null(in);
    ta_rec rd = {0}, wr = {0};
    TA_START(cnet_async_recv_into(s, in, n, true, CNET_FLAGS_DEFAULT, -1, ta_cb, &rd, NULL));
    TA_START(cnet_async_send(s, out, n, CNET_FLAGS_DEFAULT, -1, ta_cb, &wr, NULL));
    /* The peer writes and reads at the same time (one thread each). */
    ta_reader r = {.s = peer, .want = n, .seed = 43};
    writer w = {.s = peer, .n = n, .seed = 44};
    ta_reader_start(&r);
    cr_assert_eq(pthread_create(&w.thread, NULL, writer_run, &w), 0);
    TA_RUN_UNTIL(loop, rd.calls > 0 && wr.calls > 0, 15000);
    pthread_join(w.thread, NULL);
    ta_reader_join(&r);
    TA_DONE(rd, CNET_ASYNC_RECV, CNET_OK);
    cr_assert_eq(rd.bytes, n);
    TA_DONE(wr, CNET_ASYNC_SEND, CNET_OK);
    cr_assert_eq(wr.bytes, n);
    TC_OK(w.err);
    TC_OK(r.err);
    cr_assert_eq(r.got, n);
    cr_assert_eq(r.first_bad, SIZE_MAX);
    pattern_check c = {0, SIZE_MAX, 44};
    pattern_feed(&c, in, n);
    cr_assert_eq(c.first_bad, SIZE_MAX, "received stream wrong at %zu", c.first_bad);
    free(in);
    free(out);
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_free(loop);
}

/* ------------------------------------- cancel after the operation ended */

struct late_cancel {
    ta_rec first;
    cnet_async_op *victim;
    cnet_err cancel_err;
};

static void late_cancel_cb(const cnet_async_result *r, void *user)
{
    struct late_cancel *lc = user;
    ta_record(&lc->first, r, ta_note());
    lc->cancel_err = cnet_async_cancel(lc->victim);
}

Test(async_cancel, a_finished_operation_keeps_its_result, .timeout = 20)
{
    /* One arrival completes a recv and the recv_line behind it; the recv's
     * callback cancels the line before the line's callback has run: the
     * line was received and stays received. */
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    struct late_cancel lc = {0};
    ta_rec line = {0};
    TA_START(cnet_async_recv(s, 3, true, CNET_FLAGS_DEFAULT, 5000, late_cancel_cb, &lc, NULL));
    TA_START(cnet_async_recv_line(s, 100, CNET_FLAGS_DEFAULT, 5000, ta_cb, &line, &lc.victim));
    ta_peer_str(peer, "abcline\n");
    TA_RUN_UNTIL(loop, line.calls > 0, 5000);
    TA_DONE(lc.first, CNET_ASYNC_RECV, CNET_OK);
    cr_assert_eq(lc.cancel_err, CNET_OK);
    TA_DONE(line, CNET_ASYNC_RECV_LINE, line.err);
    if (line.err == CNET_ECANCELED) {
        /* Cancelled before it completed: then the line must still be there. */
        ta_rec again = {0};
        TA_START(cnet_async_recv_line(s, 100, CNET_FLAGS_DEFAULT, 5000, ta_cb, &again, NULL));
        TA_RUN_UNTIL(loop, again.calls > 0, 5000);
        TA_DONE(again, CNET_ASYNC_RECV_LINE, CNET_OK);
        cr_assert_str_eq((char *)again.copy, "line", "a cancel lost the line");
    } else {
        cr_assert_eq(line.err, CNET_OK);
        cr_assert_eq(line.line, CNET_READ_FULL_LINE);
        cr_assert_str_eq((char *)line.copy, "line");
    }
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_free(loop);
}

/* The end of the stream is CNET_EEOF (as the blocking recv_frame), so an
 * empty frame "0000" just before it is never taken for the end. */
Test(async_frame, an_empty_frame_then_the_end_of_stream, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    ta_peer_str(peer, "0000");
    TC_OK(cnet_socket_shutdown(peer, false, true));
    ta_rec a = {0}, b = {0};
    TA_START(cnet_async_recv_frame(s, CNET_FRAME_DECIMAL4, 100, 5000, ta_cb, &a, NULL));
    TA_START(cnet_async_recv_frame(s, CNET_FRAME_DECIMAL4, 100, 5000, ta_cb, &b, NULL));
    TA_RUN_UNTIL(loop, b.calls > 0, 5000);
    TA_DONE(a, CNET_ASYNC_RECV_FRAME, CNET_OK);
    cr_assert_eq(a.bytes, 0);
    TA_DONE(b, CNET_ASYNC_RECV_FRAME, CNET_EEOF);
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_free(loop);
}

/* Bytes and the peer's end arriving before the loop reads (one readiness
 * edge for both): the bytes, then the end of stream, never a timeout. */
Test(async_recv, bytes_and_the_end_in_one_arrival, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    ta_peer_str(peer, "last line without end");
    TC_OK(cnet_socket_shutdown(peer, false, true));
    tc_sleep_ms(50); /* both are queued before the loop looks */
    ta_rec a = {0}, b = {0};
    TA_START(cnet_async_recv_line(s, 100, CNET_FLAGS_DEFAULT, 3000, ta_cb, &a, NULL));
    TA_START(cnet_async_recv_line(s, 100, CNET_FLAGS_DEFAULT, 3000, ta_cb, &b, NULL));
    TA_RUN_UNTIL(loop, b.calls > 0, 5000);
    TA_DONE(a, CNET_ASYNC_RECV_LINE, CNET_OK);
    cr_assert_eq(a.line, CNET_READ_PARTIAL_LINE);
    cr_assert_str_eq((char *)a.copy, "last line without end");
    TA_DONE(b, CNET_ASYNC_RECV_LINE, CNET_OK);
    cr_assert_eq(b.line, CNET_READ_DISCONNECTED);
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_free(loop);
}

/* A line that ends in a lone "\r" at the end of what has arrived owns the
 * "\n" that may come next, whatever reads next (as in the blocking layer). */
Test(async_line, a_split_cr_lf_is_one_terminator_for_any_next_read, .timeout = 20)
{
    cnet_loop *loop = ta_loop();
    cnet_async_socket *s = NULL;
    cnet_socket *peer = NULL;
    ta_pair(loop, &s, &peer);
    ta_peer_str(peer, "a\r");
    ta_rec a = {0}, b = {0};
    TA_START(cnet_async_recv_line(s, 100, CNET_FLAGS_DEFAULT, 5000, ta_cb, &a, NULL));
    TA_RUN_UNTIL(loop, a.calls > 0, 5000);
    TA_DONE(a, CNET_ASYNC_RECV_LINE, CNET_OK);
    cr_assert_eq(a.line, CNET_READ_FULL_LINE);
    cr_assert_str_eq((char *)a.copy, "a");
    ta_peer_str(peer, "\nxyz");
    TA_START(cnet_async_recv(s, 3, true, CNET_FLAGS_DEFAULT, 5000, ta_cb, &b, NULL));
    TA_RUN_UNTIL(loop, b.calls > 0, 5000);
    TA_DONE(b, CNET_ASYNC_RECV, CNET_OK);
    cr_assert_eq(b.bytes, 3);
    cr_assert_eq(memcmp(b.copy, "xyz", 3), 0, "the \\n of the split \\r\\n was not dropped");
    cnet_socket_free(peer);
    ta_close(loop, s);
    ta_free(loop);
}
