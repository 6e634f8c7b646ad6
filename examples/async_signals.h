/*
 * async_signals.h - SIGINT and SIGTERM as an event of a cnet_loop, shared by
 * the async examples (async_echo, async_chat, async_blog_server).
 *
 * A signal handler may only call async-signal-safe functions, and the spec
 * promises cnet_loop_stop is safe from any thread, not from a signal
 * handler. So the handler does the one thing it may: it writes a byte to a
 * pipe (the self-pipe trick). The read end is watched with
 * cnet_loop_add_read, and the callback runs on the loop's thread like any
 * other, where it may close sockets and free state.
 *
 * After the first signal the default action is restored: a second Ctrl-C
 * kills a server whose shutdown hangs.
 *
 * POSIX only (sigaction, pipe, fcntl); include after defining
 * _POSIX_C_SOURCE.
 */
#ifndef CNET_EXAMPLES_ASYNC_SIGNALS_H
#define CNET_EXAMPLES_ASYNC_SIGNALS_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include <cnet/cnet.h>

static int signal_pipe[2] = {-1, -1};
static volatile sig_atomic_t signal_caught;

static void signal_handler(int sig)
{
    int saved = errno;
    signal_caught = sig;
    ssize_t ignored = write(signal_pipe[1], "", 1); /* full pipe: a byte is there already */
    (void)ignored;
    errno = saved;
}

/* Watches SIGINT and SIGTERM: cb runs on the loop (kind CNET_ASYNC_READABLE)
 * once one arrives, with CNET_ECANCELED if the loop is freed first, or when
 * *op is cancelled. Returns false (errno set) when the pipe or the handlers
 * cannot be set up. */
static inline bool signals_watch(cnet_loop *loop, cnet_async_cb cb, void *user, cnet_async_op **op)
{
    if (pipe(signal_pipe) != 0)
        return false;
    for (int i = 0; i < 2; i++) {
        int fl = fcntl(signal_pipe[i], F_GETFL);
        if (fl < 0 || fcntl(signal_pipe[i], F_SETFL, fl | O_NONBLOCK) != 0 ||
            fcntl(signal_pipe[i], F_SETFD, FD_CLOEXEC) != 0)
            return false;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = signal_handler;
    sa.sa_flags = SA_RESTART | SA_RESETHAND; /* the second signal: default action */
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) != 0 || sigaction(SIGTERM, &sa, NULL) != 0)
        return false;
    if (cnet_loop_add_read(loop, signal_pipe[0], -1, cb, user, op) != CNET_OK) {
        errno = EINVAL;
        return false;
    }
    return true;
}

/* The name of the signal that arrived ("SIGINT"), for a log line. */
static inline const char *signals_name(void)
{
    return signal_caught == SIGINT ? "SIGINT" : signal_caught == SIGTERM ? "SIGTERM" : "a signal";
}

/* Restores the default actions and closes the pipe (at exit, after
 * cnet_loop_free). */
static inline void signals_unwatch(void)
{
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    for (int i = 0; i < 2; i++) {
        if (signal_pipe[i] >= 0)
            close(signal_pipe[i]);
        signal_pipe[i] = -1;
    }
}

#endif /* CNET_EXAMPLES_ASYNC_SIGNALS_H */
