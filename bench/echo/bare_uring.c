/*
 * bare_uring PORT - the plain io_uring baseline of the echo benchmark
 * (bench/echo.sh): listens on 127.0.0.1:PORT and echoes every byte of every
 * connection until killed. One thread, liburing only.
 *
 * What a careful io_uring server does on kernel 6.x:
 * - one multishot accept on the listening socket (5.19): one SQE, a CQE per
 *   connection;
 * - one multishot recv per connection (6.0) that picks its buffers from a
 *   provided-buffer ring (5.19, registered with io_uring_register_buf_ring:
 *   liburing 2.3 has no io_uring_setup_buf_ring). A connection owns no
 *   buffer while it is idle; the ring's NBUFS buffers are shared;
 * - a send straight from the filled buffer (no copy); the buffer goes back
 *   to the ring when the send completes. One send in flight per connection
 *   (io_uring does not order two sends on one socket once the first had to
 *   wait), the others queue behind it; a short send resubmits the rest;
 * - -ENOBUFS (the ring ran dry) ends a multishot recv: it is re-armed once
 *   buffers came back;
 * - the ring is set up SINGLE_ISSUER | DEFER_TASKRUN (6.1: completions run
 *   only when this thread waits, no interrupts), falling back to
 *   COOP_TASKRUN, then to no flags; the ring fd is registered; every loop
 *   turn is one io_uring_submit_and_wait, which submits what the previous
 *   turn queued and waits for the next completion.
 *
 * Per-connection state: 12 bytes in an array indexed by descriptor.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef NBUFS
#define NBUFS 4096 /* provided buffers, a power of two; -DNBUFS=16 exercises -ENOBUFS */
#endif
#define BUF_SIZE 4096
#define SQ_ENTRIES 4096
#define CQ_ENTRIES 16384
#define BGID 0

enum { UD_ACCEPT, UD_RECV, UD_SEND };
#define UD(kind, v) (((uint64_t)(v) << 8) | (kind))

struct conn {
    int32_t qhead, qtail; /* buffers waiting to be sent, linked by bufmeta.next */
    uint8_t sending, closing, broken, rearm;
};

struct bufmeta {
    int32_t fd, next;
    uint32_t len, off;
};

static struct io_uring ring;
static struct io_uring_buf_ring *br;
static char *bufs;
static struct bufmeta meta[NBUFS];
static int returned; /* buffers added to the ring since the last advance */
static struct conn *conns;
static int nconns;
static int *rearm_list, nrearm;
static int lfd;

static struct io_uring_sqe *sqe_get(void)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
    while (!sqe) {
        io_uring_submit(&ring);
        sqe = io_uring_get_sqe(&ring);
    }
    return sqe;
}

static void give_back(int bid)
{
    io_uring_buf_ring_add(br, bufs + (size_t)bid * BUF_SIZE, BUF_SIZE, (unsigned short)bid,
                          io_uring_buf_ring_mask(NBUFS), returned++);
}

static void flush_buffers(void)
{
    if (returned) {
        io_uring_buf_ring_advance(br, returned);
        returned = 0;
    }
}

static void arm_accept(void)
{
    struct io_uring_sqe *sqe = sqe_get();
    io_uring_prep_multishot_accept(sqe, lfd, NULL, NULL, SOCK_CLOEXEC);
    io_uring_sqe_set_data64(sqe, UD(UD_ACCEPT, 0));
}

static void arm_recv(int fd)
{
    struct io_uring_sqe *sqe = sqe_get();
    io_uring_prep_recv_multishot(sqe, fd, NULL, 0, 0);
    sqe->flags |= IOSQE_BUFFER_SELECT;
    sqe->buf_group = BGID;
    io_uring_sqe_set_data64(sqe, UD(UD_RECV, fd));
}

static void submit_send(int bid)
{
    struct bufmeta *m = &meta[bid];
    struct io_uring_sqe *sqe = sqe_get();
    io_uring_prep_send(sqe, m->fd, bufs + (size_t)bid * BUF_SIZE + m->off, m->len - m->off, MSG_NOSIGNAL);
    io_uring_sqe_set_data64(sqe, UD(UD_SEND, bid));
}

/* Closes once nothing is in flight on the descriptor any more. */
static void maybe_close(int fd)
{
    struct conn *c = &conns[fd];
    if (c->closing && !c->sending) {
        close(fd);
        *c = (struct conn){ .qhead = -1, .qtail = -1 };
    }
}

static void on_accept(struct io_uring_cqe *cqe)
{
    if (!(cqe->flags & IORING_CQE_F_MORE))
        arm_accept();
    int fd = cqe->res;
    if (fd < 0)
        return;
    if (fd >= nconns) {
        close(fd);
        return;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    conns[fd] = (struct conn){ .qhead = -1, .qtail = -1 };
    arm_recv(fd);
}

static void on_recv(struct io_uring_cqe *cqe, int fd)
{
    struct conn *c = &conns[fd];
    int more = (cqe->flags & IORING_CQE_F_MORE) != 0;
    if (cqe->res > 0) {
        int bid = (int)(cqe->flags >> IORING_CQE_BUFFER_SHIFT);
        if (c->broken) {
            give_back(bid);
        } else {
            meta[bid] = (struct bufmeta){ .fd = fd, .next = -1, .len = (uint32_t)cqe->res };
            if (c->sending) {
                if (c->qtail >= 0)
                    meta[c->qtail].next = bid;
                else
                    c->qhead = bid;
                c->qtail = bid;
            } else {
                c->sending = 1;
                submit_send(bid);
            }
        }
        if (!more)
            arm_recv(fd); /* the kernel ended the multishot (e.g. CQ overflow) */
        return;
    }
    if (cqe->res == -ENOBUFS) {
        if (!more && !c->rearm) {
            c->rearm = 1;
            rearm_list[nrearm++] = fd;
        }
        return;
    }
    /* End of stream or an error: the multishot recv is over. */
    c->closing = 1;
    maybe_close(fd);
}

static void on_send(struct io_uring_cqe *cqe, int bid)
{
    struct bufmeta *m = &meta[bid];
    int fd = m->fd;
    struct conn *c = &conns[fd];
    if (cqe->res > 0 && m->off + (uint32_t)cqe->res < m->len) {
        m->off += (uint32_t)cqe->res;
        submit_send(bid);
        return;
    }
    give_back(bid);
    if (cqe->res <= 0) {
        c->broken = 1; /* drop what is queued; close when the recv ends */
        for (int b = c->qhead; b >= 0; b = meta[b].next)
            give_back(b);
        c->qhead = c->qtail = -1;
    }
    if (c->qhead >= 0) {
        int next = c->qhead;
        c->qhead = meta[next].next;
        if (c->qhead < 0)
            c->qtail = -1;
        submit_send(next);
        return;
    }
    c->sending = 0;
    maybe_close(fd);
}

static int setup_ring(void)
{
    static const unsigned flag_sets[] = {
        IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SUBMIT_ALL,
        IORING_SETUP_COOP_TASKRUN | IORING_SETUP_SUBMIT_ALL,
        0,
    };
    int ret = -EINVAL;
    for (size_t i = 0; i < sizeof flag_sets / sizeof flag_sets[0]; i++) {
        struct io_uring_params p = { .flags = flag_sets[i] | IORING_SETUP_CQSIZE, .cq_entries = CQ_ENTRIES };
        ret = io_uring_queue_init_params(SQ_ENTRIES, &ring, &p);
        if (ret == 0)
            break;
    }
    if (ret != 0) {
        fprintf(stderr, "bare_uring: io_uring_queue_init: %s\n", strerror(-ret));
        return -1;
    }
    io_uring_register_ring_fd(&ring);

    size_t ring_bytes = NBUFS * sizeof(struct io_uring_buf);
    br = mmap(NULL, ring_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    bufs = malloc((size_t)NBUFS * BUF_SIZE);
    if (br == MAP_FAILED || !bufs) {
        fprintf(stderr, "bare_uring: out of memory\n");
        return -1;
    }
    struct io_uring_buf_reg reg = { .ring_addr = (uint64_t)(uintptr_t)br, .ring_entries = NBUFS, .bgid = BGID };
    ret = io_uring_register_buf_ring(&ring, &reg, 0);
    if (ret != 0) {
        fprintf(stderr, "bare_uring: io_uring_register_buf_ring: %s\n", strerror(-ret));
        return -1;
    }
    io_uring_buf_ring_init(br);
    for (int b = 0; b < NBUFS; b++)
        give_back(b);
    flush_buffers();
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bare_uring PORT\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    nconns = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (1u << 20) ? (int)rl.rlim_cur : 1 << 20;
    conns = calloc((size_t)nconns, sizeof *conns); /* pages are touched only as descriptors are used */
    rearm_list = calloc((size_t)nconns, sizeof *rearm_list);
    lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1])),
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (!conns || !rearm_list || lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        listen(lfd, 4096) != 0) {
        perror("bare_uring: listen");
        return 1;
    }
    if (setup_ring() != 0)
        return 1;
    arm_accept();
    for (;;) {
        flush_buffers();
        if (nrearm) {
            for (int i = 0; i < nrearm; i++) {
                int fd = rearm_list[i];
                conns[fd].rearm = 0;
                arm_recv(fd);
            }
            nrearm = 0;
        }
        int ret = io_uring_submit_and_wait(&ring, 1);
        if (ret < 0 && ret != -EINTR && ret != -EAGAIN && ret != -EBUSY) {
            fprintf(stderr, "bare_uring: io_uring_submit_and_wait: %s\n", strerror(-ret));
            return 1;
        }
        struct io_uring_cqe *cqe;
        unsigned head, seen = 0;
        io_uring_for_each_cqe(&ring, head, cqe)
        {
            uint64_t ud = io_uring_cqe_get_data64(cqe);
            int v = (int)(ud >> 8);
            switch (ud & 0xff) {
            case UD_ACCEPT: on_accept(cqe); break;
            case UD_RECV: on_recv(cqe, v); break;
            case UD_SEND: on_send(cqe, v); break;
            }
            seen++;
        }
        io_uring_cq_advance(&ring, seen);
    }
}
