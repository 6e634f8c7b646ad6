/*
 * Helpers of the async suite (module async: the loop and async sockets),
 * shared by test_async.c (the loop), test_async_socket.c (sockets,
 * connect, accept, close, datagrams, argument errors) and
 * test_async_stream.c (recv, lines, send, frames, SafeDisconn).
 *
 * Every start goes through TA_START, which fails the test when a callback
 * ran inside the call that started an operation (the spec: callbacks run
 * only from cnet_loop_run and cnet_loop_poll). Every callback records what
 * it was handed in a ta_rec and counts its calls, so "exactly once" is an
 * assertion everywhere. The peer of a connection is a blocking cnet_socket
 * (cnet/net.h) used from the test's thread when its calls cannot block for
 * long, from a second thread otherwise. Loopback and port 0 only.
 */
#ifndef CNET_TEST_ASYNC_H
#define CNET_TEST_ASYNC_H

#include <criterion/criterion.h>
/* test_common.h defines the executable's PRE_ALL report hook (a global
 * symbol): test_async.c keeps it, the other files of the suite define
 * TA_SECONDARY_TU and get an unused static copy instead. */
#ifdef TA_SECONDARY_TU
#undef ReportHook
#define ReportHook(kind) __attribute__((unused)) static void ta_unused_report_hook_##kind
#endif
#include "test_common.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#if !defined(_WIN32)
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#endif

/* Microseconds on the monotonic clock. */
static inline int64_t ta_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ------------------------------------------- callbacks never inside starts */

/* Set around every start call (TA_START); a callback that runs while it is
 * set counts in ta_inside. One loop thread per test process (Criterion
 * forks each test; minicriterion runs one test at a time). */
static volatile bool ta_starting;
static volatile int ta_inside;
static int ta_seq; /* the order in which callbacks ran */

/* The first thing every callback of the suite does. */
static inline int ta_note(void)
{
    if (ta_starting)
        ta_inside++;
    return ++ta_seq;
}

/* Start an operation: it must return CNET_OK and run no callback inside. */
#define TA_START(call)                                                                              \
    do {                                                                                            \
        int ta_inside_before_ = ta_inside;                                                          \
        ta_starting = true;                                                                         \
        cnet_err ta_err_ = (call);                                                                  \
        ta_starting = false;                                                                        \
        cr_assert_eq(ta_err_, CNET_OK, "%s returned %s: %s", #call, cnet_err_name(ta_err_),         \
                     cnet_last_error_message());                                                    \
        cr_assert_eq(ta_inside, ta_inside_before_, "a callback ran inside %s", #call);              \
    } while (0)

/* A start that must fail with `code` and run no callback inside. */
#define TA_REFUSE(code, call)                                                                       \
    do {                                                                                            \
        int ta_inside_before_ = ta_inside;                                                          \
        ta_starting = true;                                                                         \
        cnet_err ta_err_ = (call);                                                                  \
        ta_starting = false;                                                                        \
        cr_assert_eq(ta_err_, (code), "%s returned %s, expected %s (%s)", #call,                    \
                     cnet_err_name(ta_err_), #code, cnet_last_error_message());                     \
        cr_assert_eq(cnet_last_error(), (code), "last error not recorded for %s", #call);           \
        cr_assert_eq(ta_inside, ta_inside_before_, "a callback ran inside %s", #call);              \
    } while (0)

/* TA_REFUSE that reports and goes on (a table of refusals shows them all). */
#define TA_REFUSE_EXPECT(code, call)                                                                \
    do {                                                                                            \
        int ta_inside_before_ = ta_inside;                                                          \
        ta_starting = true;                                                                         \
        cnet_err ta_err_ = (call);                                                                  \
        ta_starting = false;                                                                        \
        cr_expect_eq(ta_err_, (code), "%s returned %s, expected %s", #call, cnet_err_name(ta_err_), #code); \
        if (ta_err_ == (code))                                                                      \
            cr_expect_eq(cnet_last_error(), (code), "last error not recorded for %s", #call);       \
        cr_expect_eq(ta_inside, ta_inside_before_, "a callback ran inside %s", #call);              \
    } while (0)

/* ------------------------------------------------------------- recorder */

#define TA_COPY 8192

/* What one operation's callback was handed (the last call), and how often
 * it ran. Zero it before use: ta_rec r = {0}. */
typedef struct ta_rec {
    int calls;
    int seq;          /* ta_seq of the last call */
    int64_t at_us;    /* when it ran */
    cnet_async_kind kind;
    cnet_err err;
    cnet_loop *loop;
    cnet_async_socket *socket;
    cnet_async_op *op;
    const uint8_t *data;  /* the pointer handed over (borrowed: compare, never read later) */
    size_t bytes;
    cnet_read_line_result line;
    cnet_async_socket *accepted;
    cnet_ip_address address;
    cnet_port port;
    bool nul_after;   /* data[bytes] == '\0' (lines) */
    size_t copied;    /* bytes of data copied into copy[] */
    uint8_t copy[TA_COPY + 1];
} ta_rec;

static inline void ta_record(ta_rec *rec, const cnet_async_result *r, int seq)
{
    rec->calls++;
    rec->seq = seq;
    rec->at_us = ta_now_us();
    rec->kind = r->kind;
    rec->err = r->err;
    rec->loop = r->loop;
    rec->socket = r->socket;
    rec->op = r->op;
    rec->data = r->data;
    rec->bytes = r->bytes;
    rec->line = r->line;
    rec->accepted = r->accepted;
    rec->address = r->address;
    rec->port = r->port;
    rec->copied = 0;
    rec->nul_after = false;
    if (r->data != NULL && r->bytes > 0) {
        rec->copied = r->bytes < TA_COPY ? r->bytes : TA_COPY;
        memcpy(rec->copy, r->data, rec->copied);
    }
    rec->copy[rec->copied] = '\0';
    if (r->kind == CNET_ASYNC_RECV_LINE && r->data != NULL)
        rec->nul_after = r->data[r->bytes] == '\0';
}

/* The callback of most operations: records into the ta_rec it is given. */
static inline void ta_cb(const cnet_async_result *r, void *user)
{
    int seq = ta_note();
    ta_record(user, r, seq);
}

/* Poll the loop (at most 10 ms per iteration) until cond holds; fails
 * after ms milliseconds. */
#define TA_RUN_UNTIL(loop, cond, ms)                                                                \
    do {                                                                                            \
        int64_t ta_end_ = tc_now_ms() + (ms);                                                       \
        while (!(cond)) {                                                                           \
            cr_assert_lt(tc_now_ms(), ta_end_, "%s still false after %d ms", #cond, (int)(ms));     \
            TC_OK(cnet_loop_poll((loop), 10));                                                      \
        }                                                                                           \
    } while (0)

/* Poll the loop for about ms milliseconds (to show that nothing happens). */
static inline void ta_spin(cnet_loop *loop, int ms)
{
    int64_t end = tc_now_ms() + ms;
    while (tc_now_ms() < end)
        TC_OK(cnet_loop_poll(loop, 5));
}

/* Assert one completed call with err, of the kind. */
#define TA_DONE(rec, k, e)                                                                          \
    do {                                                                                            \
        cr_assert_eq((rec).calls, 1, "%s: %d calls, expected exactly one", #rec, (rec).calls);      \
        cr_assert_eq((rec).kind, (k), "%s: kind %d, expected %s", #rec, (int)(rec).kind, #k);       \
        cr_assert_eq((rec).err, (e), "%s: %s, expected %s", #rec, cnet_err_name((rec).err), #e);    \
    } while (0)

/* ------------------------------------------------------------ the loop */

#if defined(_WIN32)
static inline void ta_warm_cb(const cnet_async_result *r, void *user)
{
    (void)r;
    (*(int *)user)++;
}

/* Wine opens a handle of its own the first time a thread starts an
 * AcceptEx, kept while the thread lives: one accept started and abandoned
 * on the first loop of each thread (each test runs on a thread of its own
 * under minicriterion), so that the tests counting handles (tc_open_fds)
 * do not count it. */
static inline void ta_windows_warm(cnet_loop *loop)
{
    static __thread bool warm;
    if (warm)
        return;
    warm = true;
    cnet_async_socket *l = NULL;
    int calls = 0;
    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &l));
    TC_OK(cnet_async_socket_bind_addr(l, CNET_PORT(0), "127.0.0.1"));
    TC_OK(cnet_async_socket_listen(l, 1));
    TC_OK(cnet_async_accept(l, -1, ta_warm_cb, &calls, NULL));
    TC_OK(cnet_loop_poll(loop, 0));
    TC_OK(cnet_async_socket_close(l, ta_warm_cb, &calls));
    TC_OK(cnet_loop_run(loop));
    cr_assert_eq(calls, 2);
}
#endif

/* A new loop. */
static inline cnet_loop *ta_loop(void)
{
    cnet_loop *loop = (cnet_loop *)&loop;
    cnet_err err = cnet_loop_new(&loop);
    cr_assert_eq(err, CNET_OK, "cnet_loop_new: %s (%s)", cnet_err_name(err), cnet_last_error_message());
    cr_assert_not_null(loop);
#if defined(_WIN32)
    ta_windows_warm(loop);
#endif
    return loop;
}

static inline void ta_free(cnet_loop *loop)
{
    TC_OK(cnet_loop_free(loop));
}

/* ----------------------------------------------------------- the peers */

/* A connected TCP pair over loopback: *as is an async socket (the client
 * end, wrapped), *peer a blocking unbuffered cnet_socket (the accepted
 * end). rcvbuf/sndbuf > 0 set SO_RCVBUF of the async end / SO_SNDBUF of the
 * peer first (small buffers make backpressure come early). */
static inline void ta_pair_bufs(cnet_loop *loop, cnet_async_socket **as, cnet_socket **peer, int rcvbuf, int sndbuf)
{
    cnet_port port;
    cnet_socket_handle l = tc_listener(CNET_AF_INET, &port);
    cnet_socket_handle c = tc_connect(CNET_AF_INET, port), a;
    TC_OK(cnet_accept(l, false, &a, NULL, 0));
    cnet_close(l);
    if (rcvbuf > 0)
        TC_OK(cnet_set_sock_opt_int(c, SOL_SOCKET, SO_RCVBUF, rcvbuf));
    if (sndbuf > 0)
        TC_OK(cnet_set_sock_opt_int(a, SOL_SOCKET, SO_SNDBUF, sndbuf));
    *as = NULL;
    *peer = NULL;
    TC_OK(cnet_async_socket_wrap(loop, c, CNET_AF_INET, CNET_SOCK_STREAM, as));
    cr_assert_not_null(*as);
    TC_OK(cnet_socket_from_handle(a, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, false, peer));
}

static inline void ta_pair(cnet_loop *loop, cnet_async_socket **as, cnet_socket **peer)
{
    ta_pair_bufs(loop, as, peer, 0, 0);
}

/* Two async sockets connected to each other over loopback. */
static inline void ta_async_pair(cnet_loop *loop, cnet_async_socket **x, cnet_async_socket **y)
{
    cnet_port port;
    cnet_socket_handle l = tc_listener(CNET_AF_INET, &port);
    cnet_socket_handle c = tc_connect(CNET_AF_INET, port), a;
    TC_OK(cnet_accept(l, false, &a, NULL, 0));
    cnet_close(l);
    *x = *y = NULL;
    TC_OK(cnet_async_socket_wrap(loop, c, CNET_AF_INET, CNET_SOCK_STREAM, x));
    TC_OK(cnet_async_socket_wrap(loop, a, CNET_AF_INET, CNET_SOCK_STREAM, y));
}

static inline void ta_peer_send(cnet_socket *peer, const void *data, size_t n)
{
    size_t sent = 0;
    TC_OK(cnet_socket_send(peer, data, n, 0, &sent));
    cr_assert_eq(sent, n);
}

static inline void ta_peer_str(cnet_socket *peer, const char *text)
{
    ta_peer_send(peer, text, strlen(text));
}

/* Exactly n bytes from the peer within 5 s. */
static inline void ta_peer_expect(cnet_socket *peer, const void *want, size_t n)
{
    char buf[4096];
    cr_assert_leq(n, sizeof buf);
    size_t got = 0;
    TC_OK(cnet_socket_recv(peer, buf, n, 5000, 0, &got));
    cr_assert_eq(got, n, "the peer received %zu bytes, expected %zu", got, n);
    cr_assert_eq(memcmp(buf, want, n), 0, "the peer received other bytes");
}

/* The peer's next close sends a reset (SO_LINGER 0). */
static inline void ta_abortive(cnet_socket *peer)
{
    struct linger lg = {1, 0};
    cr_assert_eq(setsockopt(cnet_socket_get_fd(peer), SOL_SOCKET, SO_LINGER, (const void *)&lg, sizeof lg), 0);
}

/* Reset the connection from the peer's side, with the reset arrived. */
static inline void ta_peer_reset(cnet_socket *peer)
{
    ta_abortive(peer);
    cnet_socket_free(peer);
    tc_sleep_ms(30);
}

/* The byte at stream offset i of a test pattern (seed tells streams apart;
 * not periodic over small distances, so a lost or repeated chunk shows). */
static inline uint8_t ta_pattern(size_t i, unsigned seed)
{
    uint32_t x = (uint32_t)i * 2654435761u + seed * 40503u;
    return (uint8_t)(x >> 24 ^ (uint32_t)(i >> 12));
}

static inline uint8_t *ta_pattern_buf(size_t n, unsigned seed)
{
    uint8_t *p = malloc(n);
    cr_assert_not_null(p);
    for (size_t i = 0; i < n; i++)
        p[i] = ta_pattern(i, seed);
    return p;
}

/* A peer thread that reads `want` bytes (or to the end of the stream when
 * want is 0), checking them against the pattern of seed, sleeping
 * `pause_ms` after every `pause_every` bytes (a slow reader). */
typedef struct ta_reader {
    cnet_socket *s;
    size_t want;
    unsigned seed;
    size_t pause_every;
    int pause_ms;
    int delay_ms;      /* before the first read */
    size_t got;
    size_t first_bad;  /* offset of the first wrong byte, or SIZE_MAX */
    cnet_err err;
    pthread_t thread;
} ta_reader;

static inline void *ta_reader_run(void *arg)
{
    ta_reader *r = arg;
    uint8_t buf[65536];
    size_t since_pause = 0;
    r->first_bad = SIZE_MAX;
    if (r->delay_ms > 0)
        tc_sleep_ms(r->delay_ms);
    while (r->want == 0 || r->got < r->want) {
        size_t chunk = sizeof buf, n = 0;
        if (r->want != 0 && r->want - r->got < chunk)
            chunk = r->want - r->got;
        r->err = cnet_socket_recv_some(r->s, buf, chunk, 10000, 0, &n);
        if (r->err != CNET_OK || n == 0)
            break;
        for (size_t i = 0; i < n && r->first_bad == SIZE_MAX; i++)
            if (buf[i] != ta_pattern(r->got + i, r->seed))
                r->first_bad = r->got + i;
        r->got += n;
        since_pause += n;
        if (r->pause_every > 0 && since_pause >= r->pause_every) {
            since_pause = 0;
            tc_sleep_ms(r->pause_ms);
        }
    }
    return NULL;
}

static inline void ta_reader_start(ta_reader *r)
{
    cr_assert_eq(pthread_create(&r->thread, NULL, ta_reader_run, r), 0);
}

static inline void ta_reader_join(ta_reader *r)
{
    pthread_join(r->thread, NULL);
}

/* Is the descriptor readable within ms milliseconds? */
static inline bool ta_readable(cnet_socket_handle h, int ms)
{
    cnet_socket_handle set[1] = {h};
    size_t count = 1;
    TC_OK(cnet_select_read(set, &count, ms));
    return count == 1;
}

/* A listener whose accept queue is full: connects to its port hang (Linux
 * drops the SYNs), so they time out and can be cancelled, deterministically
 * and on loopback. The connections that filled the queue are kept in
 * fill[] (close them with ta_full_listener_close). */
typedef struct ta_full_listener {
    cnet_socket_handle listener;
    cnet_port port;
    cnet_socket_handle fill[16];
    int nfill;
} ta_full_listener;

static inline void ta_full_listener_open(ta_full_listener *f)
{
    struct sockaddr_storage ss;
    memset(f, 0, sizeof *f);
    TC_OK(cnet_create_native_socket(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, false, &f->listener));
    cnet_socklen len = tc_loopback(AF_INET, 0, &ss);
    TC_OK(cnet_bind_addr(f->listener, (struct sockaddr *)&ss, len));
    cr_assert_eq(listen(f->listener, 0), 0, "listen(0) failed");
    TC_OK(cnet_get_sock_name(f->listener, &f->port));
    /* Connect until one attempt hangs: that one and all before stay open. */
    for (;;) {
        cr_assert_lt(f->nfill, 16, "the accept queue of a listen(0) socket never filled");
        cnet_socket_handle c;
        TC_OK(cnet_create_native_socket(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, false, &c));
        TC_OK(cnet_set_blocking(c, false));
        len = tc_loopback(AF_INET, f->port.value, &ss);
        (void)connect(c, (struct sockaddr *)&ss, len);
        f->fill[f->nfill++] = c;
        cnet_socket_handle set[1] = {c};
        size_t count = 1;
        TC_OK(cnet_select_write(set, &count, 300));
        if (count == 0)
            return; /* this one hangs: the queue is full */
    }
}

static inline void ta_full_listener_close(ta_full_listener *f)
{
    for (int i = 0; i < f->nfill; i++)
        cnet_close(f->fill[i]);
    cnet_close(f->listener);
}

/* A TCP port on loopback where nothing listens: a socket bound to it and
 * kept open (not listening) so no other test can take it; connects get
 * CNET_ECONNREFUSED. */
static inline cnet_socket_handle ta_refusing_port(cnet_port *port)
{
    cnet_socket_handle h;
    struct sockaddr_storage ss;
    TC_OK(cnet_create_native_socket(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, false, &h));
    cnet_socklen len = tc_loopback(AF_INET, 0, &ss);
    TC_OK(cnet_bind_addr(h, (struct sockaddr *)&ss, len));
    TC_OK(cnet_get_sock_name(h, port));
    return h;
}

/* An async TCP listener on 127.0.0.1, port 0; its port goes to *port. */
static inline cnet_async_socket *ta_listener(cnet_loop *loop, cnet_port *port)
{
    cnet_async_socket *l = NULL;
    cnet_ip_address ip;
    TC_OK(cnet_async_socket_new(loop, CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, &l));
    TC_OK(cnet_async_socket_set_sock_opt(l, CNET_OPT_REUSE_ADDR, true));
    TC_OK(cnet_async_socket_bind_addr(l, CNET_PORT(0), "127.0.0.1"));
    TC_OK(cnet_async_socket_listen(l, CNET_SOMAXCONN));
    TC_OK(cnet_async_socket_get_local_addr(l, &ip, port));
    cr_assert_neq(port->value, 0);
    return l;
}

/* Close an async socket and wait for its close callback. */
static inline void ta_close(cnet_loop *loop, cnet_async_socket *s)
{
    ta_rec c = {0};
    TA_START(cnet_async_socket_close(s, ta_cb, &c));
    TA_RUN_UNTIL(loop, c.calls > 0, 5000);
    TA_DONE(c, CNET_ASYNC_CLOSE, c.err);
}

static inline bool ta_is_loopback4(const cnet_ip_address *a)
{
    return a->family == CNET_IPV4 && a->address[0] == 127 && a->address[1] == 0 && a->address[2] == 0 &&
           a->address[3] == 1;
}

#endif
