/*
 * cnet_select_read and cnet_select_write, written once for every backend:
 * the wait until some handle is ready or the timeout has passed, as a loop
 * over the edge's single wait (cnet__sys_poll_handles), which translates
 * its own OS errors; then the ready handles move to the front, in order.
 */
#include <stdlib.h>

#include "internal.h"

static cnet_err select_handles(cnet_socket_handle *handles, size_t *count, int timeout, bool write)
{
    size_t n = *count;
    /* Nothing to watch: Nim's select sleeps for the timeout; so do we. */
    if (n == 0 && timeout <= 0)
        return CNET_OK;
    bool small[64];
    bool *ready = n <= sizeof small / sizeof small[0] ? small : malloc(n * sizeof *ready);
    if (ready == NULL)
        return cnet__fail(CNET_ENOMEM, write ? "cnet_select_write: out of memory" : "cnet_select_read: out of memory");
    int64_t deadline = timeout >= 0 ? cnet__sys_now_ms() + timeout : -1;
    size_t ready_count;
    cnet_err err;
    for (;;) {
        err = cnet__sys_poll_handles(handles, n, write, deadline, ready, &ready_count);
        if (err != CNET_OK || ready_count > 0)
            break;
        /* None ready: a timeout, or the edge returned early (a signal, a
         * Winsock slice) and waits again for the time left. */
        if (deadline >= 0 && cnet__sys_now_ms() >= deadline)
            break;
    }
    if (err == CNET_OK) {
        size_t kept = 0;
        for (size_t i = 0; i < n; i++)
            if (ready[i])
                handles[kept++] = handles[i];
        *count = kept;
    }
    if (ready != small)
        free(ready);
    return err;
}

cnet_err cnet__select_read(cnet_socket_handle *handles, size_t *count, int timeout)
{
    return select_handles(handles, count, timeout, false);
}

cnet_err cnet__select_write(cnet_socket_handle *handles, size_t *count, int timeout)
{
    return select_handles(handles, count, timeout, true);
}
