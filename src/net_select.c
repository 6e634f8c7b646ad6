/* Readiness over sockets: select_read, with the buffers counted as ready. */
#include <stdlib.h>

#include "net_internal.h"

cnet_err cnet__socket_select_read(cnet_socket **sockets, size_t *count, int timeout)
{
    size_t n = *count, ready = 0, held = 0;
    cnet_err err = CNET_OK;
    /* Hold every socket while polling: a close from another thread then
     * wakes the poll, and cannot release a descriptor it is looking at. */
    for (; held < n; held++) {
        if (sockets[held] == NULL) {
            err = cnet__fail(CNET_EINVAL, "cnet_socket_select_read: a socket in the list is NULL");
            break;
        }
        if (!cnet__hold(sockets[held])) {
            err = cnet__socket_closed_error(sockets[held], "cnet_socket_select_read");
            break;
        }
        if (cnet__socket_has_data_buffered(sockets[held]))
            ready++;
    }
    cnet_socket_handle small[16], *handles = NULL;
    if (err == CNET_OK) {
        handles = n <= 16 ? small : malloc(n * sizeof *handles);
        if (handles == NULL)
            err = cnet__fail(CNET_ENOMEM, "cnet_socket_select_read: out of memory");
    }
    if (err != CNET_OK) {
        for (size_t i = 0; i < held; i++)
            cnet__drop(sockets[i]);
        return err;
    }
    for (size_t i = 0; i < n; i++)
        handles[i] = sockets[i]->io.fd;
    size_t m = n;
    /* Buffered data means ready now: only poll for the others. */
    err = n == 0 ? CNET_OK : cnet_select_read(handles, &m, ready > 0 ? 0 : timeout);
    /* A socket closed by another thread meanwhile counts as ready (a read
     * then says CNET_ECLOSED); where that close cut the wait short with an
     * error (Winsock cancels it), the wait still succeeded. */
    bool woken = false;
    for (size_t i = 0; i < n; i++)
        woken |= cnet__is_closed(sockets[i]);
    if (err != CNET_OK && woken) {
        err = CNET_OK;
        m = 0;
    }
    size_t out = 0;
    for (size_t i = 0, j = 0; i < n; i++) {
        cnet_socket *s = sockets[i];
        bool is_ready = cnet__is_closed(s) || cnet__socket_has_data_buffered(s);
        if (j < m && handles[j] == s->io.fd) {
            is_ready = true;
            j++;
        }
        if (err == CNET_OK && is_ready)
            sockets[out++] = s; /* out <= i: entries not yet examined stay in place */
        cnet__drop(s);
    }
    if (err == CNET_OK)
        *count = out;
    if (handles != small)
        free(handles);
    return err;
}
