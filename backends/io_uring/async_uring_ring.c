/*
 * The ring of the io_uring backend (backends/io_uring/async_uring.h): what
 * the kernel accepts, found out once per process on a scratch ring
 * (pthread_once); each loop's ring: set-up, submission, the eventfd read
 * that wakes it, the embedding descriptor, teardown; and the pool of
 * provided buffers its stream receives share. The backend's requests and
 * their completions are async_uring.c's.
 *
 * The probe, in order; the first refusal of the floor means no ring (the
 * loop runs on epoll):
 *   1. io_uring_setup with IORING_SETUP_SINGLE_ISSUER | DEFER_TASKRUN |
 *      COOP_TASKRUN | SUBMIT_ALL, then with fewer flags on EINVAL
 *      (DEFER_TASKRUN first, then SINGLE_ISSUER, COOP_TASKRUN, SUBMIT_ALL);
 *      any other error (ENOSYS, EPERM from kernel.io_uring_disabled,
 *      ENOMEM) refuses the ring;
 *   2. IORING_FEAT_EXT_ARG (5.11): a wait with a timeout is one io_uring_enter
 *      with no timeout request (else liburing would add one per wait);
 *   3. io_uring_get_probe_ring: every opcode the backend uses (READ, SEND,
 *      RECV, SENDMSG, RECVMSG, ACCEPT, CONNECT, POLL_ADD, POLL_REMOVE,
 *      ASYNC_CANCEL, CLOSE);
 *   and beyond the floor, each tried for real:
 *   4. a buffer ring registered (IORING_REGISTER_PBUF_RING);
 *   5. a multishot accept on a listening AF_UNIX socket, then cancelled:
 *      EINVAL means the kernel does not know the flag;
 *   6. a multishot receive with a provided buffer on a socket pair (a plain
 *      receive without the buffer ring), cancelled with
 *      IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_ALL: EINVAL from the
 *      receive or from the cancel tells which one the kernel lacks.
 *
 * The embedding descriptor (cnet_loop_backend_fd), measured on 6.18 (a
 * receive or an eventfd read completing from another thread while a poll
 * waits): with DEFER_TASKRUN the ring fd never wakes a poll() or
 * epoll_wait() (the work waits for the owner to enter the ring), and an
 * eventfd registered with io_uring_register_eventfd is signalled 13-16 ms
 * late for completions another thread causes (those the loop's own
 * submissions complete are signalled at once). Without DEFER_TASKRUN the
 * ring fd wakes poll() within 0.1-0.5 ms (epoll_wait returns EINTR first,
 * then sees it). So the backend's fd()
 * rebuilds the ring without DEFER_TASKRUN (cnet__uring_ring_rebuild) when
 * nothing was submitted yet (the usual case: asked right after
 * cnet_loop_new) and returns the ring fd; later it can only register an
 * eventfd and return that (correct, but late by the measure above).
 */
#define _GNU_SOURCE 1

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/eventfd.h>
#include <sys/un.h>
#include <unistd.h>

#include "async_uring.h"

#define ALL_SETUP                                                                                            \
    (IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_COOP_TASKRUN | IORING_SETUP_SUBMIT_ALL)
#define SQ_ENTRIES 256u
#define CQ_ENTRIES 4096u
#define PROBE_BGID 1

static cnet__uring_caps caps;
static pthread_once_t caps_once = PTHREAD_ONCE_INIT;

static const int needed_ops[] = {IORING_OP_READ,     IORING_OP_SEND,       IORING_OP_RECV,    IORING_OP_SENDMSG,
                                 IORING_OP_RECVMSG,  IORING_OP_ACCEPT,     IORING_OP_CONNECT, IORING_OP_POLL_ADD,
                                 IORING_OP_POLL_REMOVE, IORING_OP_ASYNC_CANCEL, IORING_OP_CLOSE};

/* Submit what is queued, then collect completions (user_data 1..7 into
 * res[ud]) until every one in want (a mask of 1 << ud) came; a second at
 * most. Those already seen count. false on a timeout or a ring error. */
static bool probe_collect(struct io_uring *r, unsigned want, unsigned *seen, int *res)
{
    struct __kernel_timespec ts = {1, 0};
    if (io_uring_submit(r) < 0)
        return false;
    while ((*seen & want) != want) {
        struct io_uring_cqe *cqe;
        int rc = io_uring_wait_cqe_timeout(r, &cqe, &ts);
        if (rc == -EINTR)
            continue;
        if (rc < 0)
            return false;
        uint64_t ud = io_uring_cqe_get_data64(cqe);
        if (ud >= 1 && ud <= 7) {
            res[ud] = cqe->res;
            *seen |= 1u << ud;
        }
        io_uring_cqe_seen(r, cqe);
    }
    return true;
}

static struct io_uring_sqe *probe_sqe(struct io_uring *r)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(r);
    if (sqe == NULL) { /* 8 entries, at most 3 queued: never */
        io_uring_submit(r);
        sqe = io_uring_get_sqe(r);
    }
    return sqe;
}

/* 4. A buffer ring of 8 entries holding one buffer; *mem to unmap after. */
static bool probe_buf_ring(struct io_uring *r, void **mem, uint8_t *buf, unsigned len)
{
    size_t bytes = 8 * sizeof(struct io_uring_buf);
    void *m = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return false;
    struct io_uring_buf_ring *br = m;
    io_uring_buf_ring_init(br);
    struct io_uring_buf_reg reg;
    memset(&reg, 0, sizeof reg);
    reg.ring_addr = (uint64_t)(uintptr_t)m;
    reg.ring_entries = 8;
    reg.bgid = PROBE_BGID;
    if (io_uring_register_buf_ring(r, &reg, 0) != 0) {
        munmap(m, bytes);
        return false;
    }
    io_uring_buf_ring_add(br, buf, len, 0, io_uring_buf_ring_mask(8), 0);
    io_uring_buf_ring_advance(br, 1);
    *mem = m;
    return true;
}

/* 5. Multishot accept: armed on an empty listener, then cancelled. */
static void probe_accept(struct io_uring *r)
{
    int l = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (l < 0)
        return;
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX; /* just the family: the kernel picks an abstract name */
    if (bind(l, (struct sockaddr *)&a, sizeof(sa_family_t)) == 0 && listen(l, 1) == 0) {
        struct io_uring_sqe *sqe = probe_sqe(r);
        io_uring_prep_multishot_accept(sqe, l, NULL, NULL, SOCK_CLOEXEC);
        io_uring_sqe_set_data64(sqe, 1);
        sqe = probe_sqe(r);
        io_uring_prep_cancel64(sqe, 1, 0);
        io_uring_sqe_set_data64(sqe, 2);
        int res[8] = {0};
        unsigned seen = 0;
        if (probe_collect(r, 1u << 1 | 1u << 2, &seen, res) && res[1] == -ECANCELED)
            caps.features |= CNET__UR_MS_ACCEPT;
    }
    close(l);
}

/* 6. Multishot receive (with the buffer ring; a plain one without) on an
 * idle socket pair, cancelled by descriptor. */
static void probe_recv(struct io_uring *r, bool ring)
{
    int sv[2];
    uint8_t plain[16];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return;
    struct io_uring_sqe *sqe = probe_sqe(r);
    if (ring) {
        io_uring_prep_recv_multishot(sqe, sv[0], NULL, 0, 0);
        sqe->flags |= IOSQE_BUFFER_SELECT;
        sqe->buf_group = PROBE_BGID;
    } else {
        io_uring_prep_recv(sqe, sv[0], plain, sizeof plain, 0);
    }
    io_uring_sqe_set_data64(sqe, 1);
    sqe = probe_sqe(r);
    io_uring_prep_cancel_fd(sqe, sv[0], IORING_ASYNC_CANCEL_ALL);
    io_uring_sqe_set_data64(sqe, 2);
    int res[8] = {0};
    unsigned seen = 0;
    bool ok = probe_collect(r, 1u << 2, &seen, res);
    if (ok && (res[2] > 0 || res[2] == -ENOENT)) {
        caps.features |= CNET__UR_CANCEL_FD;
        ok = probe_collect(r, 1u << 1, &seen, res);
    } else if (ok) {
        /* No cancel by descriptor: by user_data, and the receive ends. */
        sqe = probe_sqe(r);
        io_uring_prep_cancel64(sqe, 1, 0);
        io_uring_sqe_set_data64(sqe, 3);
        ok = probe_collect(r, 1u << 1 | 1u << 3, &seen, res);
    }
    if (ok && ring && res[1] == -ECANCELED)
        caps.features |= CNET__UR_MS_RECV;
    close(sv[0]);
    close(sv[1]);
}

static void probe_run(void)
{
    struct io_uring r;
    struct io_uring_params p;
    static const unsigned tries[] = {
        ALL_SETUP,
        IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_COOP_TASKRUN | IORING_SETUP_SUBMIT_ALL,
        IORING_SETUP_COOP_TASKRUN | IORING_SETUP_SUBMIT_ALL,
        IORING_SETUP_SUBMIT_ALL,
        0,
    };
    int rc = -EINVAL;
    for (size_t i = 0; i < sizeof tries / sizeof tries[0] && rc == -EINVAL; i++) {
        memset(&p, 0, sizeof p);
        p.flags = tries[i];
        rc = io_uring_queue_init_params(8, &r, &p);
        if (rc == 0)
            caps.setup_flags = tries[i];
    }
    if (rc < 0) {
        caps.error = -rc;
        caps.why = "io_uring_setup";
        return;
    }
    caps.why = NULL;
    if (!(p.features & IORING_FEAT_EXT_ARG)) {
        caps.error = ENOSYS;
        caps.why = "IORING_FEAT_EXT_ARG (kernel 5.11)";
    }
    struct io_uring_probe *pr = caps.error ? NULL : io_uring_get_probe_ring(&r);
    for (size_t i = 0; caps.error == 0 && i < sizeof needed_ops / sizeof needed_ops[0]; i++) {
        if (pr == NULL || !io_uring_opcode_supported(pr, needed_ops[i])) {
            caps.error = ENOSYS;
            caps.why = "an opcode it needs (io_uring_get_probe)";
        }
    }
    if (pr)
        io_uring_free_probe(pr);
    void *mem = NULL;
    uint8_t buf[64];
    if (caps.error == 0) {
        if (probe_buf_ring(&r, &mem, buf, sizeof buf))
            caps.features |= CNET__UR_BUF_RING;
        probe_accept(&r);
        probe_recv(&r, mem != NULL);
    }
    io_uring_queue_exit(&r);
    if (mem)
        munmap(mem, 8 * sizeof(struct io_uring_buf));
}

const cnet__uring_caps *cnet__uring_caps_get(void)
{
    pthread_once(&caps_once, probe_run);
    return &caps;
}

/* ------------------------------------------------------- a loop's ring */

int cnet__uring_ring_init(struct io_uring *ring, bool defer, bool disabled)
{
    struct io_uring_params p;
    unsigned flags = caps.setup_flags;
    if (!defer)
        flags &= ~IORING_SETUP_DEFER_TASKRUN;
    int rc = -EINVAL;
    /* A deep completion queue: multishot requests post many entries per
     * submission, and an overflow ends them. Smaller when the kernel counts
     * rings against RLIMIT_MEMLOCK (before 5.12) and refuses with ENOMEM;
     * without R_DISABLED if it refuses that. */
    for (unsigned shrink = 0, plain = 0; shrink < 3 && plain < 2;) {
        memset(&p, 0, sizeof p);
        p.flags = flags | IORING_SETUP_CQSIZE | (disabled && !plain ? IORING_SETUP_R_DISABLED : 0);
        p.cq_entries = CQ_ENTRIES >> (2 * shrink);
        rc = io_uring_queue_init_params(SQ_ENTRIES >> (2 * shrink), ring, &p);
        if (rc == -ENOMEM)
            shrink++;
        else if (rc == -EINVAL)
            plain++;
        else
            break;
    }
    return rc;
}

/* ring again without DEFER_TASKRUN (a new ring with its queued, never
 * submitted requests and the buffer ring bufs, when not NULL). 0 or -errno;
 * on failure ring is unchanged. */
int cnet__uring_ring_rebuild(struct io_uring *ring, bool disabled, cnet__uring_bufs *bufs)
{
    struct io_uring fresh;
    int rc = cnet__uring_ring_init(&fresh, false, disabled);
    if (rc != 0)
        return rc;
    const struct io_uring_sq *sq = &ring->sq;
    for (unsigned i = sq->sqe_head; i != sq->sqe_tail; i++) {
        struct io_uring_sqe *to = io_uring_get_sqe(&fresh);
        if (to == NULL) {
            io_uring_queue_exit(&fresh);
            return -EBUSY;
        }
        *to = sq->sqes[i & sq->ring_mask];
    }
    if (bufs && (rc = cnet__uring_bufs_move(&fresh, bufs)) != 0) {
        io_uring_queue_exit(&fresh);
        return rc;
    }
    io_uring_queue_exit(ring);
    *ring = fresh;
    return 0;
}

/* ---------------------------------------------------- provided buffers */

static int bufs_register(struct io_uring *ring, cnet__uring_bufs *b)
{
    struct io_uring_buf_reg reg;
    memset(&reg, 0, sizeof reg);
    reg.ring_addr = (uint64_t)(uintptr_t)b->br;
    reg.ring_entries = CNET__UR_BUF_MAX;
    reg.bgid = CNET__UR_BGID;
    return io_uring_register_buf_ring(ring, &reg, 0);
}

int cnet__uring_bufs_open(struct io_uring *ring, cnet__uring_bufs *b)
{
    memset(b, 0, sizeof *b);
    size_t bytes = CNET__UR_BUF_MAX * sizeof(struct io_uring_buf);
    void *m = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return -errno;
    b->br = m;
    io_uring_buf_ring_init(b->br);
    int rc = bufs_register(ring, b);
    if (rc == 0 && !cnet__uring_bufs_grow(b)) {
        io_uring_unregister_buf_ring(ring, CNET__UR_BGID);
        rc = -ENOMEM;
    }
    if (rc != 0) {
        munmap(m, bytes);
        b->br = NULL;
    }
    return rc;
}

int cnet__uring_bufs_move(struct io_uring *to, cnet__uring_bufs *b)
{
    /* The kernel starts reading at entry 0, where the buffers are. */
    return b->br ? bufs_register(to, b) : 0;
}

bool cnet__uring_bufs_grow(cnet__uring_bufs *b)
{
    if (b->count >= CNET__UR_BUF_MAX)
        return false;
    uint8_t *chunk = malloc((size_t)CNET__UR_BUF_CHUNK * CNET__UR_BUF_SIZE);
    if (chunk == NULL)
        return false;
    unsigned first = b->count;
    b->chunks[first / CNET__UR_BUF_CHUNK] = chunk;
    for (unsigned i = 0; i < CNET__UR_BUF_CHUNK; i++)
        io_uring_buf_ring_add(b->br, chunk + (size_t)i * CNET__UR_BUF_SIZE, CNET__UR_BUF_SIZE,
                              (unsigned short)(first + i), io_uring_buf_ring_mask(CNET__UR_BUF_MAX), (int)i);
    io_uring_buf_ring_advance(b->br, CNET__UR_BUF_CHUNK);
    b->count += CNET__UR_BUF_CHUNK;
    return true;
}

void cnet__uring_bufs_free(cnet__uring_bufs *b)
{
    for (unsigned i = 0; i < b->count / CNET__UR_BUF_CHUNK; i++)
        free(b->chunks[i]);
    if (b->br)
        munmap(b->br, CNET__UR_BUF_MAX * sizeof(struct io_uring_buf));
    memset(b, 0, sizeof *b);
}

/* ---------------------------------------------------------- submitting */

void cnet__uring_enable(uring *u)
{
    if (!u->enabled) {
        u->enabled = true;
        /* io_uring_enable_rings is in 2.3's header but not its library */
        io_uring_register((unsigned)u->ring.ring_fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0);
    }
}

void cnet__uring_submit(uring *u)
{
    cnet__uring_enable(u);
    u->submitted = true;
    io_uring_submit(&u->ring);
}

struct io_uring_sqe *cnet__uring_sqe(uring *u, unsigned need)
{
    if (io_uring_sq_space_left(&u->ring) < need)
        cnet__uring_submit(u);
    return io_uring_get_sqe(&u->ring);
}

void cnet__uring_sqe_done(uring *u, struct io_uring_sqe *sqe, uint64_t ud)
{
    io_uring_sqe_set_data64(sqe, ud);
    if (u->eager && !u->reaping)
        cnet__uring_submit(u);
}

void cnet__uring_arm_wake(uring *u)
{
    struct io_uring_sqe *sqe = cnet__uring_sqe(u, 1);
    if (sqe == NULL)
        return;
    io_uring_prep_read(sqe, u->wake_fd, &u->wake_val, sizeof u->wake_val, 0);
    cnet__uring_sqe_done(u, sqe, (uint64_t)(uintptr_t)u | CNET__UR_T_WAKE);
    u->wake_armed = true;
}

int cnet__uring_embed_fd(uring *u)
{
    if (!u->eager) {
        if ((u->ring.flags & IORING_SETUP_DEFER_TASKRUN) && !u->submitted &&
            cnet__uring_ring_rebuild(&u->ring, !u->enabled, u->bufs_open ? &u->bufs : NULL) == 0)
            u->enabled = !(u->ring.flags & IORING_SETUP_R_DISABLED);
        if (u->ring.flags & IORING_SETUP_DEFER_TASKRUN) {
            /* Registered before anything more is submitted: no signal lost. */
            int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
            if (fd >= 0 && io_uring_register_eventfd(&u->ring, fd) != 0) {
                close(fd);
                return -1; /* not embeddable; try again later */
            }
            u->embed_fd = fd;
        }
        /* From now on every request goes to the kernel when it is made,
         * starting with those queued and the eventfd read. */
        u->eager = true;
        if (!u->wake_armed)
            cnet__uring_arm_wake(u);
        cnet__uring_submit(u);
    }
    return (u->ring.flags & IORING_SETUP_DEFER_TASKRUN) ? u->embed_fd : u->ring.ring_fd;
}

/* ------------------------------------------------------ a loop's state */

static bool env_is(const char *name, const char *value)
{
    const char *v = getenv(name);
    return v != NULL && strcmp(v, value) == 0;
}

uring *cnet__uring_new(void)
{
    if (cnet__uring_caps_get()->error != 0)
        return NULL;
    uring *u = calloc(1, sizeof *u);
    if (u == NULL)
        return NULL;
    if (cnet__uring_ring_init(&u->ring, true, true) != 0) {
        free(u);
        return NULL;
    }
    u->wake_fd = eventfd(0, EFD_CLOEXEC); /* blocking: the ring's read waits on it */
    if (u->wake_fd < 0) {
        io_uring_queue_exit(&u->ring);
        free(u);
        return NULL;
    }
    u->embed_fd = -1;
    u->enabled = !(u->ring.flags & IORING_SETUP_R_DISABLED);
    u->features = caps.features;
    if (env_is("CNET_IO_URING", "single"))
        u->features &= ~(unsigned)(CNET__UR_MS_ACCEPT | CNET__UR_MS_RECV);
    else if (env_is("CNET_IO_URING", "plain"))
        u->features = 0;
    u->mode = (u->features & CNET__UR_MS_RECV)    ? RECV_MULTISHOT
              : (u->features & CNET__UR_BUF_RING) ? RECV_RING
                                                  : RECV_PLAIN_BUF;
    return u;
}

void cnet__uring_free(uring *u)
{
    /* Every socket was released and every poll completed: the eventfd read
     * is the last request, and only its completion matters here. */
    uint64_t wake = (uint64_t)(uintptr_t)u | CNET__UR_T_WAKE;
    struct io_uring_sqe *sqe = u->wake_armed && u->enabled ? io_uring_get_sqe(&u->ring) : NULL;
    if (sqe == NULL && u->wake_armed && u->enabled && io_uring_submit(&u->ring) >= 0)
        sqe = io_uring_get_sqe(&u->ring);
    if (sqe) {
        io_uring_prep_cancel64(sqe, wake, 0);
        io_uring_sqe_set_data64(sqe, 0);
        for (int i = 0; i < 100 && u->wake_armed; i++) {
            struct __kernel_timespec ts = {0, 10000000};
            struct io_uring_cqe *cqe;
            int rc = io_uring_submit_and_wait_timeout(&u->ring, &cqe, 1, &ts, NULL);
            if (rc < 0 && rc != -ETIME && rc != -EINTR)
                break;
            unsigned head, n = 0;
            io_uring_for_each_cqe(&u->ring, head, cqe) {
                if (cqe->user_data == wake)
                    u->wake_armed = false;
                n++;
            }
            io_uring_cq_advance(&u->ring, n);
        }
    }
    io_uring_queue_exit(&u->ring);
    if (u->bufs_open)
        cnet__uring_bufs_free(&u->bufs);
    close(u->wake_fd);
    if (u->embed_fd >= 0)
        close(u->embed_fd);
    free(u);
}
