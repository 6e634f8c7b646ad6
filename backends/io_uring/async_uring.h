/*
 * The io_uring backend of the async loop, shared by its two files:
 * async_uring_ring.c (what the kernel accepts; a loop's ring: set-up,
 * submission, wake-up, embedding, teardown; the provided receive buffers)
 * and async_uring.c (the backend's requests and completions, which uses the
 * first; the first uses nothing of it).
 */
#ifndef CNET__ASYNC_URING_H
#define CNET__ASYNC_URING_H

#include <liburing.h>

#include "async_internal.h"

/* What the kernel does beyond the floor (every opcode the backend uses and
 * IORING_FEAT_EXT_ARG), probed once per process on a scratch ring. */
enum {
    CNET__UR_BUF_RING = 1u << 0,   /* IORING_REGISTER_PBUF_RING (5.19) */
    CNET__UR_MS_ACCEPT = 1u << 1,  /* IORING_ACCEPT_MULTISHOT (5.19) */
    CNET__UR_MS_RECV = 1u << 2,    /* IORING_RECV_MULTISHOT with provided buffers (6.0) */
    CNET__UR_CANCEL_FD = 1u << 3   /* IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_ALL (5.19) */
};

typedef struct {
    int error;            /* 0: the ring is usable; else the errno that refused it */
    const char *why;      /* what refused it, for the record */
    unsigned setup_flags; /* the IORING_SETUP_* the kernel took (of SINGLE_ISSUER,
                             DEFER_TASKRUN, COOP_TASKRUN, SUBMIT_ALL) */
    unsigned features;    /* CNET__UR_* */
} cnet__uring_caps;

/* The probe's findings (the probe runs on the first call). */
const cnet__uring_caps *cnet__uring_caps_get(void);

/* A loop's ring: the probed set-up flags (less DEFER_TASKRUN when defer is
 * false) and, when disabled, IORING_SETUP_R_DISABLED, so that the thread
 * that first waits on it becomes its single issuer. 0 or -errno. */
int cnet__uring_ring_init(struct io_uring *ring, bool defer, bool disabled);

typedef struct cnet__uring_bufs_s cnet__uring_bufs;
/* ring again without DEFER_TASKRUN, with its queued (never submitted)
 * requests and buffer ring bufs (or NULL): 0, or -errno and ring unchanged. */
int cnet__uring_ring_rebuild(struct io_uring *ring, bool disabled, cnet__uring_bufs *bufs);

/* The provided buffers of a loop: one buffer ring (group 0) shared by all
 * its stream sockets, CNET__UR_BUF_CHUNK buffers to start with, grown by as
 * many when the kernel finds it empty, up to CNET__UR_BUF_MAX. */
#define CNET__UR_BGID 0
#define CNET__UR_BUF_SIZE 4096u
#define CNET__UR_BUF_CHUNK 256u
#define CNET__UR_BUF_MAX 4096u

struct cnet__uring_bufs_s {
    struct io_uring_buf_ring *br; /* the ring the kernel takes buffers from */
    uint8_t *chunks[CNET__UR_BUF_MAX / CNET__UR_BUF_CHUNK];
    unsigned count;               /* buffers made */
};

/* Register the buffer ring with ring and fill it: 0 or -errno. */
int cnet__uring_bufs_open(struct io_uring *ring, cnet__uring_bufs *b);
/* Register the same buffers with another ring (nothing was ever taken). */
int cnet__uring_bufs_move(struct io_uring *to, cnet__uring_bufs *b);
/* One more chunk of buffers; false at the maximum or without memory. */
bool cnet__uring_bufs_grow(cnet__uring_bufs *b);
/* Free the memory (the ring that used it is gone or unregistered it). */
void cnet__uring_bufs_free(cnet__uring_bufs *b);

static inline uint8_t *cnet__uring_buf(const cnet__uring_bufs *b, unsigned bid)
{
    return b->chunks[bid / CNET__UR_BUF_CHUNK] + (size_t)(bid % CNET__UR_BUF_CHUNK) * CNET__UR_BUF_SIZE;
}

/* Give buffer bid back to the kernel. */
static inline void cnet__uring_buf_recycle(cnet__uring_bufs *b, unsigned bid)
{
    io_uring_buf_ring_add(b->br, cnet__uring_buf(b, bid), CNET__UR_BUF_SIZE, (unsigned short)bid,
                          io_uring_buf_ring_mask(CNET__UR_BUF_MAX), 0);
    io_uring_buf_ring_advance(b->br, 1);
}

/* A loop's backend state (loop->be_state). */
typedef enum { RECV_MULTISHOT, RECV_RING, RECV_PLAIN_BUF } cnet__uring_recv_mode;

typedef struct {
    struct io_uring ring;
    unsigned features;     /* CNET__UR_* */
    cnet__uring_recv_mode mode;
    bool enabled;          /* the ring was created disabled: enabled by the first wait */
    bool submitted;        /* something was ever submitted */
    bool eager;            /* embedded (fd() was asked for): submit at once */
    bool reaping;          /* inside the completions of a wait */
    bool bufs_open;        /* bufs registered (on the first stream receive) */
    cnet__uring_bufs bufs;
    int wake_fd;           /* written by wake(), read by the ring */
    bool wake_armed;
    uint64_t wake_val;     /* where the ring reads the eventfd's count */
    int embed_fd;          /* the eventfd registered for embedding, or -1 */
    cnet_async_socket *stalled; /* listeners out of descriptors (async_uring.c) */
    int64_t stalled_at;
} uring;

/* The user_data tag of the eventfd read (async_uring.c has the others). */
#define CNET__UR_T_WAKE 7u
#define CNET__UR_T_MASK 7u

/* A loop's ring, its eventfd and what it may use, or NULL (then epoll).
 * CNET_IO_URING=single and =plain pretend an older kernel (no multishot;
 * none of 5.19's features): they exist to test those paths on a new one. */
uring *cnet__uring_new(void);
/* Destroy: end the eventfd read (it writes into u), then the ring, the
 * buffers, the descriptors, u. */
void cnet__uring_free(uring *u);

/* Submission. The ring was created disabled: enable makes the calling
 * thread its single issuer (the first wait does it). */
void cnet__uring_enable(uring *u);
void cnet__uring_submit(uring *u);
/* A free entry, after handing a queue with less than need free to the
 * kernel; NULL only when the ring is broken. */
struct io_uring_sqe *cnet__uring_sqe(uring *u, unsigned need);
/* The entry is filled: tag it with ud. An embedded loop (fd() was asked
 * for) hands it to the kernel now, since the other loop sleeps on the
 * descriptor until something completes; what the completions of a wait
 * queue is submitted together after them. */
void cnet__uring_sqe_done(uring *u, struct io_uring_sqe *sqe, uint64_t ud);
/* Queue the eventfd read (user_data u | CNET__UR_T_WAKE). */
void cnet__uring_arm_wake(uring *u);
/* The embedding descriptor (see async_uring_ring.c's top comment). */
int cnet__uring_embed_fd(uring *u);

#endif /* CNET__ASYNC_URING_H */
