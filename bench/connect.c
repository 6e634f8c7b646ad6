/*
 * connect: BENCH_CONNS loopback connections, each connected, accepted and
 * closed on both ends.
 *   raw:  client socket() + connect() + close(), server accept4() + close().
 *   cnet: client cnet_dial("127.0.0.1") + cnet_socket_close + free (a
 *         buffered socket, as Nim's dial makes), server cnet_socket_accept
 *         into a reused client object + cnet_socket_close.
 * The measuring process is the client; the forked one listens (on a socket
 * of its own, its port sent over the run's connection) and accepts.
 *
 * No TIME_WAIT: the client sets SO_LINGER {on, 0} on each socket before
 * closing it, so its close resets the connection and neither end keeps a
 * TIME_WAIT entry (without it a run of tens of thousands of connections
 * fills the kernel's table, tcp_max_tw_buckets, and from then on measures
 * that table, not the library). One setsockopt per connection, the same
 * call in both variants. The server closes normally: a server that reset
 * (SO_LINGER 0 on the listener, inherited by every accepted socket) could
 * do so before the client's connect had returned, which then failed with
 * ECONNRESET.
 *
 * Flow control: the server tells the client, one byte over the run's
 * connection, every CONN_BATCH accepts; the client waits for it before its
 * next batch, so the listen queue (CONN_BACKLOG) never overflows (an
 * overflow drops the SYN and costs a one-second retransmission).
 *
 * Extra row: the raw loop a second time (the control: its ratio to the
 * first is the run's noise).
 */
#include "families.h"
#include "harness.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CONN_BATCH 64
#define CONN_BACKLOG 512

static void linger0(int fd)
{
    struct linger l = {.l_onoff = 1, .l_linger = 0};
    if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l) != 0)
        die("setsockopt(SO_LINGER)");
}

static void send_port(int ctl, uint16_t port)
{
    unsigned char b[2] = {(unsigned char)(port >> 8), (unsigned char)port};
    if (raw_send_all(ctl, b, 2) != 0)
        die("send(port)");
}

static uint16_t recv_port(int ctl)
{
    unsigned char b[2];
    if (raw_recv_all(ctl, b, 2) != 1)
        die("recv(port)");
    return (uint16_t)(b[0] << 8 | b[1]);
}

/* The server tells the client a batch was accepted. */
static void batch_done(int ctl, long accepted)
{
    if (accepted % CONN_BATCH == 0 && raw_send_all(ctl, "B", 1) != 0)
        die("send(batch)");
}

static void batch_wait(int ctl, long connected)
{
    char c;
    if (connected % CONN_BATCH == 0 && raw_recv_all(ctl, &c, 1) != 1)
        die("recv(batch)");
}

static int child_accept_raw(int ctl, int variant)
{
    (void)variant;
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (lfd < 0)
        die("socket");
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    if (bind(lfd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(lfd, CONN_BACKLOG) != 0 ||
        getsockname(lfd, (struct sockaddr *)&sa, &len) != 0)
        die("bind/listen 127.0.0.1");
    send_port(ctl, ntohs(sa.sin_port));
    for (long i = 1; i <= cfg.conns; i++) {
        int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) {
                i--;
                continue;
            }
            die("accept");
        }
        close(fd);
        batch_done(ctl, i);
    }
    close(lfd);
    return 0;
}

static int child_accept_cnet(int ctl, int variant)
{
    (void)variant;
    cnet_socket *server, *client = NULL;
    cnet_err err = cnet_socket_new(CNET_AF_INET, CNET_SOCK_STREAM, CNET_IPPROTO_TCP, true, false, &server);
    if (err == CNET_OK)
        err = cnet_socket_bind_addr(server, CNET_PORT(0), "127.0.0.1");
    if (err == CNET_OK)
        err = cnet_socket_listen(server, CONN_BACKLOG);
    cnet_port port = CNET_PORT(0);
    char addr[CNET_ADDRSTRLEN];
    if (err == CNET_OK)
        err = cnet_socket_get_local_addr(server, addr, sizeof addr, &port);
    if (err != CNET_OK)
        die_cnet("cnet listener", err);
    send_port(ctl, port.value);
    for (long i = 1; i <= cfg.conns; i++) {
        err = cnet_socket_accept(server, &client, CNET_FLAGS_DEFAULT);
        if (err != CNET_OK)
            die_cnet("cnet_socket_accept", err);
        cnet_socket_close(client, CNET_FLAGS_DEFAULT);
        batch_done(ctl, i);
    }
    cnet_socket_free(client);
    cnet_socket_free(server);
    return 0;
}

static int parent_connect_raw(int ctl, int variant, double *units)
{
    (void)variant;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(recv_port(ctl))};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (long i = 1; i <= cfg.conns; i++) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            die("socket");
        if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
            die("connect 127.0.0.1 (connect row)");
        linger0(fd);
        close(fd);
        batch_wait(ctl, i);
    }
    *units = (double)cfg.conns;
    return 0;
}

static int parent_connect_cnet(int ctl, int variant, double *units)
{
    (void)variant;
    cnet_port port = CNET_PORT(recv_port(ctl));
    for (long i = 1; i <= cfg.conns; i++) {
        cnet_socket *s;
        cnet_err err = cnet_dial("127.0.0.1", port, CNET_IPPROTO_TCP, true, -1, &s);
        if (err != CNET_OK)
            die_cnet("cnet_dial", err);
        linger0(cnet_socket_get_fd(s)); /* cnet has no SO_LINGER option: the same setsockopt */
        cnet_socket_close(s, CNET_FLAGS_DEFAULT);
        cnet_socket_free(s);
        batch_wait(ctl, i);
    }
    *units = (double)cfg.conns;
    return 0;
}

test_def connect_test(void)
{
    test_def t = {
        .name = "connect", .unit = "k conn/s", .unit_div = 1e3, .cpu_unit = "us/conn (client)", .cpu_mul = 1e6,
        .target = 0.90,
        .base = {"raw connect/accept/close", child_accept_raw, parent_connect_raw, V_PLAIN},
        .cnet = {"cnet dial/accept/close", child_accept_cnet, parent_connect_cnet, V_PLAIN},
        .extras = {{"raw again (control)", child_accept_raw, parent_connect_raw, V_PLAIN}},
        .n_extras = 1,
        .control = 1,
        .both_cpu = true,
        .both_judged = true,
        .both_unit = "us/conn (both ends)",
    };
    return t;
}
