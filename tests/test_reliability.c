/*
 * Suite reliability: the scenarios of ../shared/reference/reliability-checklist.md
 * that need a test of their own (the number of each is in its comment):
 * degenerate timeouts (#3), timeouts on time (#20), lingering and abortive
 * close (#16: cnet_socket_close_lingering, cnet_socket_abort), a bulk transfer with random chunks checked byte for byte over
 * IPv4 and IPv6 (#24), a connected UDP socket told "refused" (#25) and 1000
 * clients at once on a thread-per-connection blocking server (#27).
 *
 * No timing thresholds: where a test measures time it checks the clock
 * against the promise (never early) and a generous bound on lateness, so
 * only a real defect (a timeout that never fires, one that fires early)
 * fails it.
 */
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "test_common.h"
#if !defined(_WIN32)
#include <sys/resource.h>
#endif

/* At least want descriptors for this process (POSIX; Windows has no such
 * limit): skipped when the hard limit is lower. */
static void raise_fd_limit(unsigned long long want)
{
#if defined(_WIN32)
    (void)want;
#else
    struct rlimit rl;
    cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur >= want)
        return;
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want)
        cr_skip_test("RLIMIT_NOFILE's hard limit is %llu here, the test needs %llu", (unsigned long long)rl.rlim_max,
                     (unsigned long long)want);
    rl.rlim_cur = (rlim_t)want;
    cr_assert_eq(setrlimit(RLIMIT_NOFILE, &rl), 0, "setrlimit: %s", strerror(errno));
#endif
}

/* How late a timeout may fire before it counts as lost: generous, for a
 * loaded machine running suites in parallel under sanitizers. */
#define LATE_MS 2000

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

static void tcp_pair_of(cnet_domain domain, bool buffered, cnet_socket **a, cnet_socket **b)
{
    cnet_port port;
    cnet_socket *srv = listener(domain, &port);
    TC_OK(cnet_socket_new(domain, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, buffered, false, a));
    TC_OK(cnet_socket_connect(*a, domain == CNET_AF_INET6 ? "::1" : "127.0.0.1", port, 2000));
    *b = NULL;
    TC_OK(cnet_socket_accept(srv, b, CNET_FLAGS_DEFAULT));
    cnet_socket_free(srv);
}

/* A thread that sends a string after a delay. */
struct later {
    cnet_socket *s;
    int delay_ms;
    const char *text;
};

static void *send_later(void *arg)
{
    struct later *l = arg;
    tc_sleep_ms(l->delay_ms);
    size_t n;
    cnet_socket_send(l->s, l->text, strlen(l->text), 0, &n);
    return NULL;
}

/* ------------------------------------------------- #3 degenerate timeouts */

/* The largest timeout (INT_MAX ms, 24.8 days) neither overflows a deadline
 * nor fails: every blocking call given it completes as soon as its event
 * comes. The same as the socket's default deadline. */
Test(reliability_timeouts, the_largest_timeout_neither_overflows_nor_fails)
{
    cnet_port port;
    cnet_socket *srv = listener(CNET_AF_INET, &port), *c = NULL, *a = NULL, *d = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &c));
    TC_OK(cnet_socket_connect(c, "127.0.0.1", port, INT_MAX));
    TC_OK(cnet_socket_set_timeout(srv, INT_MAX));
    TC_OK(cnet_socket_accept(srv, &a, CNET_FLAGS_DEFAULT));
    TC_OK(cnet_dial("127.0.0.1", port, CNET_IPPROTO_TCP, true, INT_MAX, &d));
    cnet_socket *a2 = NULL;
    TC_OK(cnet_socket_accept(srv, &a2, CNET_FLAGS_DEFAULT));

    struct later l = {a, 50, "late line\n"};
    pthread_t t;
    pthread_create(&t, NULL, send_later, &l);
    char line[32];
    size_t n;
    cnet_read_line_result r;
    int64_t t0 = tc_now_ms();
    TC_OK(cnet_socket_read_line(c, line, sizeof line, &n, &r, INT_MAX, CNET_FLAGS_DEFAULT));
    pthread_join(t, NULL);
    cr_assert_eq(r, CNET_READ_FULL_LINE);
    cr_assert_str_eq(line, "late line");
    cr_assert_lt(tc_now_ms() - t0, LATE_MS);

    TC_OK(cnet_socket_set_timeout(c, INT_MAX));
    TC_OK(cnet_socket_set_send_timeout(c, INT_MAX));
    l.text = "xyz";
    pthread_create(&t, NULL, send_later, &l);
    char buf[3];
    TC_OK(cnet_socket_recv(c, buf, 3, -1, 0, &n)); /* the default deadline: INT_MAX */
    pthread_join(t, NULL);
    cr_assert_eq(n, 3);
    cr_assert_eq(memcmp(buf, "xyz", 3), 0);
    TC_OK(cnet_socket_send(c, "ok", 2, 0, &n));
    TC_OK(cnet_socket_recv(a, buf, 2, INT_MAX, 0, &n));
    cr_assert_eq(n, 2);
    cnet_socket_handle h = cnet_socket_get_fd(c);
    size_t count = 1;
    l.text = "!";
    pthread_create(&t, NULL, send_later, &l);
    TC_OK(cnet_select_read(&h, &count, INT_MAX));
    pthread_join(t, NULL);
    cr_assert_eq(count, 1);

    cnet_socket_free(a2);
    cnet_socket_free(d);
    cnet_socket_free(a);
    cnet_socket_free(c);
    cnet_socket_free(srv);
}

/* A timeout below -1 is refused at once (CNET_EINVAL, nothing waits); 0 and a
 * deadline that passed give CNET_ETIMEDOUT at once when nothing is there. */
Test(reliability_timeouts, negative_and_zero_timeouts_answer_at_once)
{
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair_of(CNET_AF_INET, true, &a, &b);
    char buf[8];
    size_t n;
    cnet_read_line_result r;
    int64_t t0 = tc_now_ms();
    TC_ERR(CNET_EINVAL, cnet_socket_recv(a, buf, 1, -2, 0, &n));
    TC_ERR(CNET_EINVAL, cnet_socket_read_line(a, buf, sizeof buf, &n, &r, INT_MIN, 0));
    TC_ERR(CNET_EINVAL, cnet_socket_set_timeout(a, -2));
    TC_ERR(CNET_EINVAL, cnet_socket_set_send_timeout(a, INT_MIN));
    TC_ERR(CNET_ETIMEDOUT, cnet_socket_recv(a, buf, 1, 0, 0, &n));
    TC_ERR(CNET_ETIMEDOUT, cnet_socket_read_line(a, buf, sizeof buf, &n, &r, 0, 0));
    cr_assert_eq(r, CNET_READ_NONE);
    TC_OK(cnet_socket_set_timeout(a, 0));
    TC_ERR(CNET_ETIMEDOUT, cnet_socket_recv(a, buf, 1, -1, 0, &n));
    cr_assert_lt(tc_now_ms() - t0, LATE_MS, "nothing waited");
    /* Data that is there is taken even with 0. */
    size_t sent;
    TC_OK(cnet_socket_send(b, "hi\n", 3, 0, &sent));
    t0 = tc_now_ms();
    while (cnet_socket_read_line(a, buf, sizeof buf, &n, &r, 0, 0) == CNET_ETIMEDOUT)
        cr_assert_lt(tc_now_ms() - t0, LATE_MS, "3 bytes on loopback never arrived");
    cr_assert_eq(r, CNET_READ_FULL_LINE);
    cr_assert_str_eq(buf, "hi");
    cnet_socket_free(a);
    cnet_socket_free(b);
}

/* ------------------------------------------------- #20 timeouts on time */

/* Each timeout fires no earlier than promised and not much later: recv,
 * readLine, accept, send (the peer never reads) and a default deadline. */
Test(reliability_timeouts, timeouts_fire_on_time)
{
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair_of(CNET_AF_INET, true, &a, &b);
    char buf[64];
    size_t n;
    cnet_read_line_result r;
    const int ms = 100;
    for (int round = 0; round < 3; round++) {
        int64_t t0 = tc_now_ms();
        TC_ERR(CNET_ETIMEDOUT, cnet_socket_recv(a, buf, 1, ms, 0, &n));
        int64_t took = tc_now_ms() - t0;
        cr_assert_geq(took, ms, "recv timed out early: %lld ms", (long long)took);
        cr_assert_lt(took, ms + LATE_MS, "recv timed out late: %lld ms", (long long)took);

        t0 = tc_now_ms();
        TC_ERR(CNET_ETIMEDOUT, cnet_socket_read_line(a, buf, sizeof buf, &n, &r, ms, 0));
        took = tc_now_ms() - t0;
        cr_assert_geq(took, ms, "read_line timed out early: %lld ms", (long long)took);
        cr_assert_lt(took, ms + LATE_MS, "read_line timed out late: %lld ms", (long long)took);
    }
    /* The default deadline. */
    TC_OK(cnet_socket_set_timeout(a, ms));
    int64_t t0 = tc_now_ms();
    TC_ERR(CNET_ETIMEDOUT, cnet_socket_recv(a, buf, 1, -1, 0, &n));
    int64_t took = tc_now_ms() - t0;
    cr_assert_geq(took, ms, "default deadline early: %lld ms", (long long)took);
    cr_assert_lt(took, ms + LATE_MS);

    /* accept on a listener nobody connects to. */
    cnet_port port;
    cnet_socket *srv = listener(CNET_AF_INET, &port), *none = NULL;
    TC_OK(cnet_socket_set_timeout(srv, ms));
    t0 = tc_now_ms();
    TC_ERR(CNET_ETIMEDOUT, cnet_socket_accept(srv, &none, CNET_FLAGS_DEFAULT));
    took = tc_now_ms() - t0;
    cr_assert_geq(took, ms, "accept timed out early: %lld ms", (long long)took);
    cr_assert_lt(took, ms + LATE_MS);
    cr_assert_null(none);

    /* send to a peer that never reads: the bytes that went out are counted. */
    TC_OK(cnet_socket_set_send_timeout(b, ms));
    size_t size = 64u << 20;
    char *big = calloc(1, size);
    cr_assert_not_null(big);
    t0 = tc_now_ms();
    TC_ERR(CNET_ETIMEDOUT, cnet_socket_send(b, big, size, 0, &n));
    took = tc_now_ms() - t0;
    cr_assert_gt(n, 0, "part of it went out before the buffers filled");
    cr_assert_lt(n, size);
    cr_assert_geq(took, ms, "send timed out early: %lld ms", (long long)took);
    cr_assert_lt(took, ms + LATE_MS, "send timed out late: %lld ms", (long long)took);
    free(big);
    cnet_socket_free(srv);
    cnet_socket_free(a);
    cnet_socket_free(b);
}

/* ------------------------------------------------ #16 lingering close */

struct drain {
    cnet_socket *s;
    int delay_ms;
    size_t total;
    cnet_err err;   /* how the stream ended: CNET_OK for a clean end */
    bool close_after;
};

/* Wait, then read everything until the end of stream (or an error). */
static void *drain_all(void *arg)
{
    struct drain *d = arg;
    tc_sleep_ms(d->delay_ms);
    char *buf = malloc(65536);
    for (;;) {
        size_t n = 0;
        d->err = cnet_socket_recv_some(d->s, buf, 65536, 20000, 0, &n);
        if (d->err != CNET_OK || n == 0)
            break;
        d->total += n;
    }
    free(buf);
    if (d->close_after)
        cnet_socket_close(d->s, CNET_FLAGS_DEFAULT);
    return NULL;
}

/* A plain close with data still queued (the peer not reading yet) delivers
 * every byte, then a clean end of stream. */
Test(reliability_close, close_with_queued_data_delivers_it)
{
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair_of(CNET_AF_INET, true, &a, &b);
    struct drain d = {b, 200, 0, CNET_EOS, false};
    pthread_t t;
    pthread_create(&t, NULL, drain_all, &d);
    size_t size = 8u << 20, n;
    char *big = malloc(size);
    memset(big, 'q', size);
    TC_OK(cnet_socket_send(a, big, size, 0, &n));
    TC_OK(cnet_socket_close(a, 0));
    pthread_join(t, NULL);
    cr_assert_eq(d.err, CNET_OK, "the stream ended with %s", cnet_err_name(d.err));
    cr_assert_eq(d.total, size, "%zu of %zu bytes", d.total, size);
    free(big);
    cnet_socket_free(a);
    cnet_socket_free(b);
}

/* A server that answers before reading the whole request: a plain close
 * would reset the connection (unread input) and the client could lose the
 * end of the answer; the lingering close delivers all of it, and returns
 * CNET_OK once the client has ended its side. */
Test(reliability_close, lingering_close_delivers_the_answer_despite_unread_input)
{
    cnet_socket *srv = NULL, *cli = NULL;
    tcp_pair_of(CNET_AF_INET, true, &cli, &srv);
    size_t request = 256 * 1024, answer = 4u << 20, n;
    char *big = calloc(1, answer);
    TC_OK(cnet_socket_send(cli, big, request, 0, &n)); /* the server never reads it all */
    char head[16];
    TC_OK(cnet_socket_recv(srv, head, sizeof head, 2000, 0, &n));
    struct drain d = {cli, 200, 0, CNET_EOS, true};
    pthread_t t;
    pthread_create(&t, NULL, drain_all, &d);
    TC_OK(cnet_socket_send(srv, big, answer, 0, &n));
    TC_OK(cnet_socket_close_lingering(srv, 10000));
    pthread_join(t, NULL);
    cr_assert_eq(d.err, CNET_OK, "the answer ended with %s", cnet_err_name(d.err));
    cr_assert_eq(d.total, answer, "%zu of %zu bytes", d.total, answer);
    TC_ERR(CNET_ECLOSED, cnet_socket_send(srv, "x", 1, 0, &n));
    TC_OK(cnet_socket_close_lingering(srv, 10)); /* closed already */
    free(big);
    cnet_socket_free(srv);
    cnet_socket_free(cli);
}

/* The peer never ends its side: the lingering close gives up at its
 * timeout (not early), reports CNET_ETIMEDOUT, and the socket is closed. */
Test(reliability_close, lingering_close_times_out_and_still_closes)
{
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair_of(CNET_AF_INET, true, &a, &b);
    size_t n;
    TC_OK(cnet_socket_send(b, "chatter", 7, 0, &n));
    int64_t t0 = tc_now_ms();
    TC_ERR(CNET_ETIMEDOUT, cnet_socket_close_lingering(a, 100));
    int64_t took = tc_now_ms() - t0;
    cr_assert_geq(took, 100, "gave up early: %lld ms", (long long)took);
    cr_assert_lt(took, 100 + LATE_MS);
    TC_ERR(CNET_ECLOSED, cnet_socket_send(a, "x", 1, 0, &n));
    /* b sees our end of stream: the write side ended first. */
    char buf[8];
    TC_OK(cnet_socket_recv(b, buf, sizeof buf, 2000, 0, &n));
    cr_assert_eq(n, 0);
    TC_ERR(CNET_EINVAL, cnet_socket_close_lingering(b, -2));
    cnet_socket_free(a);
    cnet_socket_free(b);
}

/* cnet_socket_abort resets the connection: the peer gets CNET_ECONNRESET
 * (a close under SafeDisconn), never a clean end of stream; queued bytes
 * are dropped; the socket is closed, and a second abort does nothing. */
Test(reliability_close, abort_sends_a_reset)
{
    tc_require_reset_on_abortive_close();
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair_of(CNET_AF_INET, true, &a, &b);
    size_t n;
    TC_OK(cnet_socket_abort(a));
    TC_OK(cnet_socket_abort(a));
    TC_ERR(CNET_ECLOSED, cnet_socket_send(a, "x", 1, 0, &n));
    char buf[8];
    TC_ERR(CNET_ECONNRESET, cnet_socket_recv(b, buf, sizeof buf, 2000, 0, &n));
    TC_OK(cnet_socket_recv(b, buf, sizeof buf, 2000, CNET_FLAG_SAFE_DISCONN, &n));
    cr_assert_eq(n, 0);
    cnet_socket_free(a);
    cnet_socket_free(b);
}

/* ------------------------------------------- #24 bulk transfer integrity */

/* xorshift64: the same sequence on both ends from the same seed. */
static uint64_t next_rand(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* Byte i of the stream: a function of the seed and i, so the reader checks
 * every byte without keeping a copy. */
static uint8_t stream_byte(uint64_t seed, uint64_t i)
{
    uint64_t z = seed + i * 0x9E3779B97F4A7C15ull;
    z ^= z >> 29;
    z *= 0xBF58476D1CE4E5B9ull;
    return (uint8_t)(z >> 56);
}

struct bulk {
    cnet_socket *s;
    uint64_t seed, total;
    cnet_err err;
};

static void *bulk_sender(void *arg)
{
    struct bulk *k = arg;
    uint64_t rng = k->seed ^ 0x5555, off = 0;
    size_t cap = 256 * 1024;
    uint8_t *chunk = malloc(cap);
    while (chunk != NULL && off < k->total) {
        size_t want = 1 + (size_t)(next_rand(&rng) % cap);
        if (want > k->total - off)
            want = (size_t)(k->total - off);
        for (size_t i = 0; i < want; i++)
            chunk[i] = stream_byte(k->seed, off + i);
        size_t sent;
        k->err = cnet_socket_send(k->s, chunk, want, 0, &sent);
        if (k->err != CNET_OK)
            break;
        off += sent;
    }
    free(chunk);
    cnet_socket_shutdown(k->s, false, true);
    return NULL;
}

/* The total moves with random write sizes (1 B to 256 KiB) and random read
 * sizes (1 B to 256 KiB, recv_some and recv with all), every byte checked in
 * place; then the end of stream. */
static void bulk_transfer(cnet_domain domain, bool buffered, uint64_t total)
{
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair_of(domain, buffered, &a, &b);
    struct bulk k = {b, 0x1234567ull + (uint64_t)domain * 77 + buffered, total, CNET_OK};
    pthread_t t;
    pthread_create(&t, NULL, bulk_sender, &k);
    uint64_t rng = k.seed ^ 0xAAAA, off = 0, bad = UINT64_MAX;
    size_t cap = 256 * 1024;
    uint8_t *buf = malloc(cap);
    cr_assert_not_null(buf);
    for (;;) {
        size_t want = 1 + (size_t)(next_rand(&rng) % cap), n = 0;
        cnet_err err = (want & 1) ? cnet_socket_recv_some(a, buf, want, 20000, 0, &n)
                                  : cnet_socket_recv(a, buf, want, 20000, 0, &n);
        cr_assert_eq(err, CNET_OK, "at byte %llu: %s", (unsigned long long)off, cnet_last_error_message());
        if (n == 0)
            break;
        for (size_t i = 0; i < n && bad == UINT64_MAX; i++)
            if (buf[i] != stream_byte(k.seed, off + i))
                bad = off + i;
        off += n;
        cr_assert_leq(off, total, "more bytes than were sent");
    }
    pthread_join(t, NULL);
    free(buf);
    cr_assert_eq(k.err, CNET_OK, "sender: %s", cnet_err_name(k.err));
    cr_assert_eq(bad, UINT64_MAX, "byte %llu differs", (unsigned long long)bad);
    cr_assert_eq(off, total, "received %llu of %llu", (unsigned long long)off, (unsigned long long)total);
    cnet_socket_free(a);
    cnet_socket_free(b);
}

/* 1 GiB on the plain builds; sanitizers and wine run the same code over
 * 64 MiB (they are 5-20x slower per byte, and the sizes are random anyway),
 * valgrind over 16 MiB. */
#if defined(__SANITIZE_ADDRESS__) || defined(_WIN32)
#define BULK_TOTAL ((uint64_t)64 << 20)
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BULK_TOTAL ((uint64_t)64 << 20)
#endif
#endif
#ifndef BULK_TOTAL
#define BULK_TOTAL ((uint64_t)1 << 30)
#endif

/* Under valgrind (about 50x slower per byte) 16 MiB. */
static uint64_t bulk_total(void)
{
    return tc_under_valgrind() ? (uint64_t)16 << 20 : BULK_TOTAL;
}

Test(reliability_bulk, one_gib_random_chunks_ipv4, .timeout = 240) { bulk_transfer(CNET_AF_INET, true, bulk_total()); }
Test(reliability_bulk, one_gib_random_chunks_ipv6, .timeout = 240) { bulk_transfer(CNET_AF_INET6, true, bulk_total()); }
Test(reliability_bulk, random_chunks_unbuffered_ipv4, .timeout = 240) { bulk_transfer(CNET_AF_INET, false, bulk_total() / 8); }

/* ---------------------------------------------------- #25 connected UDP */

/* A connected UDP socket that sends to a port nobody listens on is told so
 * (ICMP port unreachable) on a later call: ECONNREFUSED, not silence. */
Test(reliability_udp, a_connected_socket_learns_the_port_is_closed)
{
    /* A port that was just free: bind, read it back, close. */
    cnet_socket *probe = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, false, false, &probe));
    TC_OK(cnet_socket_bind_addr(probe, CNET_PORT(0), "127.0.0.1"));
    char addr[CNET_ADDRSTRLEN];
    cnet_port port;
    TC_OK(cnet_socket_get_local_addr(probe, addr, sizeof addr, &port));
    cnet_socket_free(probe);

    cnet_socket *u = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, false, false, &u));
    TC_OK(cnet_socket_connect(u, "127.0.0.1", port, 1000));
    size_t n;
    TC_OK(cnet_socket_send(u, "ping", 4, 0, &n));
    char buf[16];
    cnet_err err = cnet_socket_recv(u, buf, sizeof buf, 2000, 0, &n);
#if defined(_WIN32)
    if (err == CNET_ETIMEDOUT)
        cr_skip_test("wine does not deliver the ICMP port unreachable to a connected UDP socket (the receive "
                     "timed out)");
#endif
    cr_assert_eq(err, CNET_ECONNREFUSED, "got %s (%s)", cnet_err_name(err), cnet_last_error_message());
    /* The socket stays usable: the error was one datagram's. */
    cnet_socket *srv = NULL;
    TC_OK(cnet_socket_new(CNET_AF_INET, CNET_SOCK_DGRAM, CNET_IPPROTO_UDP, false, false, &srv));
    TC_OK(cnet_socket_bind_addr(srv, port, "127.0.0.1"));
    TC_OK(cnet_socket_send(u, "again", 5, 0, &n));
    TC_OK(cnet_socket_recv_from(srv, buf, sizeof buf, addr, sizeof addr, NULL, &n));
    cr_assert_eq(n, 5);
    cnet_socket_free(srv);
    cnet_socket_free(u);
}

/* ------------------------------------------ #27 many clients at once */

/* 1000 at once; under wine 100 (every socket call is a round trip to
 * wineserver). */
#if defined(_WIN32)
#define CLIENTS 100
#else
#define CLIENTS 1000
#endif

/* The server's thread per connection: echo 100 bytes, then close. */
static void *serve_one(void *arg)
{
    cnet_socket *c = arg;
    char buf[100];
    size_t n;
    if (cnet_socket_recv(c, buf, sizeof buf, 20000, 0, &n) == CNET_OK && n == sizeof buf)
        cnet_socket_send(c, buf, n, 0, &n);
    cnet_socket_free(c);
    return NULL;
}

struct acceptor {
    cnet_socket *srv;
    int accepted;
    cnet_err err;
};

static void *accept_all(void *arg)
{
    struct acceptor *ac = arg;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
#if !defined(_WIN32)
    pthread_attr_setstacksize(&attr, 64 * 1024);
#endif
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    while (ac->accepted < CLIENTS) {
        cnet_socket *c = NULL;
        ac->err = cnet_socket_accept(ac->srv, &c, CNET_FLAGS_DEFAULT);
        if (ac->err != CNET_OK)
            break;
        pthread_t t;
        if (pthread_create(&t, &attr, serve_one, c) != 0) {
            cnet_socket_free(c);
            ac->err = CNET_ENOMEM;
            break;
        }
        ac->accepted++;
    }
    pthread_attr_destroy(&attr);
    return NULL;
}

/* 1000 clients connect at once (all connected before any sends), each sends
 * 100 bytes and gets them back; no refusal, no lost connection, and the
 * process holds as many descriptors after as before. */
Test(reliability_load, a_thousand_clients_at_once_on_a_threaded_server, .timeout = 120)
{
    raise_fd_limit(2 * CLIENTS + 64);
    int fds_before = tc_open_fds();
    cnet_port port;
    cnet_socket *srv = listener(CNET_AF_INET, &port);
    TC_OK(cnet_socket_set_timeout(srv, 20000));
    struct acceptor ac = {srv, 0, CNET_OK};
    pthread_t t;
    pthread_create(&t, NULL, accept_all, &ac);
    cnet_socket **cl = calloc(CLIENTS, sizeof *cl);
    cr_assert_not_null(cl);
    for (int i = 0; i < CLIENTS; i++)
        TC_OK(cnet_dial("127.0.0.1", port, CNET_IPPROTO_TCP, true, 20000, &cl[i]));
    char msg[100], back[100];
    for (int i = 0; i < CLIENTS; i++) {
        memset(msg, 'a' + i % 26, sizeof msg);
        memcpy(msg, &i, sizeof i);
        size_t n;
        TC_OK(cnet_socket_send(cl[i], msg, sizeof msg, 0, &n));
    }
    for (int i = 0; i < CLIENTS; i++) {
        memset(msg, 'a' + i % 26, sizeof msg);
        memcpy(msg, &i, sizeof i);
        size_t n;
        TC_OK(cnet_socket_recv(cl[i], back, sizeof back, 20000, 0, &n));
        cr_assert_eq(n, sizeof back, "client %d got %zu bytes", i, n);
        cr_assert_eq(memcmp(back, msg, sizeof msg), 0, "client %d got another's echo", i);
        TC_OK(cnet_socket_recv(cl[i], back, 1, 20000, 0, &n));
        cr_assert_eq(n, 0, "client %d: the server closes after the echo", i);
        cnet_socket_free(cl[i]);
    }
    pthread_join(t, NULL);
    cr_assert_eq(ac.err, CNET_OK, "accept: %s", cnet_err_name(ac.err));
    cr_assert_eq(ac.accepted, CLIENTS);
    free(cl);
    cnet_socket_free(srv);
#if defined(_WIN32)
    /* Handles: wine opens some per thread and lets those of ended threads go
     * later, and one count walks the handle table (about a second), so the
     * descriptor check is POSIX's. */
    (void)fds_before;
    return;
#endif
    /* The serving threads are detached: each frees its socket before it
     * ends, and every client saw its end of stream, so all have. */
    int fds_after = -1;
    for (int wait = 0; wait < 200 && (fds_after = tc_open_fds()) != fds_before; wait++)
        tc_sleep_ms(10);
    cr_assert_eq(fds_after, fds_before, "descriptors: %d before, %d after", fds_before, fds_after);
}

/* ---------------------------- Winsock: an idle wait sleeps in one piece */

#if defined(_WIN32)
/* Internal (backends/winsock/wsa.c, for the tests): how many rounds (returns
 * of WSAPoll or select) the calling thread's waits have made. */
uint64_t cnet__winsock_wait_rounds(void);

/* The rounds an idle wait of a second may make: one, plus a few for a wake
 * byte left from an earlier wait of the thread or an early return of the
 * poll. Waiting in 50 ms slices, as the edge did, makes 20. */
#define IDLE_ROUNDS 4
#define IDLE_MS 1000

Test(reliability_wake, an_idle_recv_with_a_deadline_sleeps_in_one_piece)
{
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair_of(CNET_AF_INET, false, &a, &b);
    char buf[16];
    size_t n;
    uint64_t before = cnet__winsock_wait_rounds();
    cr_assert_eq(cnet_socket_recv(a, buf, sizeof buf, IDLE_MS, 0, &n), CNET_ETIMEDOUT);
    uint64_t rounds = cnet__winsock_wait_rounds() - before;
    cr_assert(rounds >= 1 && rounds <= IDLE_ROUNDS, "the idle receive woke %llu times", (unsigned long long)rounds);
    cnet_socket_free(a);
    cnet_socket_free(b);
}

Test(reliability_wake, an_idle_select_sleeps_in_one_piece)
{
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair_of(CNET_AF_INET, false, &a, &b);
    cnet_socket *set[2] = {a, b};
    size_t count = 2;
    uint64_t before = cnet__winsock_wait_rounds();
    TC_OK(cnet_socket_select_read(set, &count, IDLE_MS));
    uint64_t rounds = cnet__winsock_wait_rounds() - before;
    cr_assert_eq(count, 0);
    cr_assert(rounds >= 1 && rounds <= IDLE_ROUNDS, "the idle select woke %llu times", (unsigned long long)rounds);
    cnet_socket_free(a);
    cnet_socket_free(b);
}

/* A call blocked in another thread until the close; its rounds and result. */
struct idle_call {
    cnet_socket *s;
    bool accept;
    atomic_int entered;
    uint64_t rounds;
    cnet_err err;
};

static void *idle_call_run(void *arg)
{
    struct idle_call *c = arg;
    uint64_t before = cnet__winsock_wait_rounds();
    atomic_store(&c->entered, 1);
    if (c->accept) {
        cnet_socket *client = NULL;
        c->err = cnet_socket_accept(c->s, &client, CNET_FLAGS_DEFAULT);
        if (client != NULL)
            cnet_socket_free(client);
    } else {
        char buf[16];
        size_t n;
        c->err = cnet_socket_recv(c->s, buf, sizeof buf, 60000, 0, &n);
    }
    c->rounds = cnet__winsock_wait_rounds() - before;
    return NULL;
}

/* Block a call in a thread, let it idle for IDLE_MS, close the socket from
 * here: the call ends with CNET_ECLOSED after O(1) rounds. */
static void idle_until_closed(cnet_socket *s, bool accept)
{
    struct idle_call c = {.s = s, .accept = accept};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, idle_call_run, &c), 0);
    while (!atomic_load(&c.entered))
        tc_sleep_ms(1);
    tc_sleep_ms(IDLE_MS);
    TC_OK(cnet_socket_close(s, CNET_FLAGS_DEFAULT));
    pthread_join(t, NULL);
    cr_assert_eq(c.err, CNET_ECLOSED, "got %s", cnet_err_name(c.err));
    cr_assert(c.rounds <= IDLE_ROUNDS, "the idle %s woke %llu times", accept ? "accept" : "receive",
              (unsigned long long)c.rounds);
    cnet_socket_free(s);
}

Test(reliability_wake, an_idle_accept_sleeps_until_the_close)
{
    cnet_port port;
    idle_until_closed(listener(CNET_AF_INET, &port), true);
}

/* A thread's first wait makes its wake socket; the thread's end closes it. */
static void *one_wait(void *arg)
{
    cnet_socket *s = arg;
    cnet_socket *set[1] = {s};
    size_t count = 1;
    cnet_socket_select_read(set, &count, 0);
    return NULL;
}

Test(reliability_wake, a_thread_s_wake_socket_ends_with_it)
{
    cnet_port port;
    cnet_socket *l = listener(CNET_AF_INET, &port);
    /* The first thread also makes handles of the thread library's own. */
    pthread_t first;
    cr_assert_eq(pthread_create(&first, NULL, one_wait, l), 0);
    pthread_join(first, NULL);
    int before = tc_open_fds();
    enum { THREADS = 20 };
    for (int i = 0; i < THREADS; i++) {
        pthread_t t;
        cr_assert_eq(pthread_create(&t, NULL, one_wait, l), 0);
        pthread_join(t, NULL);
    }
    /* Wine lets some handles of an ended thread go a moment later. */
    int after = -1;
    for (int wait = 0; wait < 100 && (after = tc_open_fds()) > before; wait++)
        tc_sleep_ms(20);
    cr_assert_leq(after, before, "handles: %d before %d threads waited once, %d after", before, THREADS, after);
    cnet_socket_free(l);
}

Test(reliability_wake, an_idle_recv_sleeps_until_the_close)
{
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair_of(CNET_AF_INET, false, &a, &b);
    idle_until_closed(a, false);
    cnet_socket_free(b);
}
#endif

/* ------------------------- #30 io_uring refused by the kernel: fallback */

#if defined(__linux__) && (defined(__x86_64__) || defined(__aarch64__))
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#define HAVE_SECCOMP_TEST 1
#if defined(__x86_64__)
#define TEST_AUDIT_ARCH AUDIT_ARCH_X86_64
#else
#define TEST_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

/* From now on io_uring_setup fails with err in this process, as a container
 * runtime's seccomp profile or kernel.io_uring_disabled makes it (a test
 * runs in a process of its own, so the filter ends with it). */
static void refuse_io_uring(int err)
{
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TEST_AUDIT_ARCH, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ((unsigned)err & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {(unsigned short)(sizeof code / sizeof code[0]), code};
    cr_assert_eq(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0, "%s", strerror(errno));
    cr_assert_eq(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog), 0, "%s", strerror(errno));
    /* The filter is in force: a raw io_uring_setup now fails so. */
    errno = 0;
    long r = syscall(__NR_io_uring_setup, 1, NULL);
    cr_assert(r < 0 && errno == err, "io_uring_setup gave %ld, errno %d", r, errno);
}

struct fallback_run {
    const char *active;
    const char *loop_backend;
    bool moved;
};

/* On a new thread (a ring is opened per thread on first use): the blocking
 * layer and an async loop work, and say which path serves them. */
static void *fallback_thread(void *arg)
{
    struct fallback_run *f = arg;
    cnet_socket *a = NULL, *b = NULL;
    tcp_pair_of(CNET_AF_INET, true, &a, &b);
    size_t n;
    char line[32];
    cnet_read_line_result r;
    TC_OK(cnet_socket_send(a, "over the fallback\n", 18, 0, &n));
    TC_OK(cnet_socket_read_line(b, line, sizeof line, &n, &r, 5000, 0));
    f->moved = strcmp(line, "over the fallback") == 0;
    f->active = cnet_backend_active();
    cnet_loop *loop = NULL;
    TC_OK(cnet_loop_new(&loop));
    f->loop_backend = cnet_loop_backend(loop);
    cnet_loop_free(loop);
    cnet_socket_free(a);
    cnet_socket_free(b);
    return NULL;
}

static void refused_with(int err)
{
    refuse_io_uring(err);
    struct fallback_run f = {NULL, NULL, false};
    pthread_t t;
    pthread_create(&t, NULL, fallback_thread, &f);
    pthread_join(t, NULL);
    cr_assert(f.moved, "the bytes did not arrive");
    cr_assert_str_eq(f.active, "posix", "io_uring refused with %s, yet the thread's path is %s", strerror(err),
                     f.active);
    cr_assert_str_eq(f.loop_backend, getenv("CNET_ASYNC_POLL") != NULL ? "poll" : "epoll",
                     "io_uring refused with %s, yet the loop runs on %s", strerror(err), f.loop_backend);
}

Test(reliability_fallback, io_uring_refused_with_eperm_falls_back) { refused_with(EPERM); }
Test(reliability_fallback, io_uring_refused_with_enosys_falls_back) { refused_with(ENOSYS); }
#else
Test(reliability_fallback, io_uring_refused_falls_back)
{
    cr_skip_test("io_uring and seccomp are Linux (x86-64 and arm64 here) only");
}
#endif
