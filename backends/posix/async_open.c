/*
 * The posix backend's async loop: epoll on Linux, poll() elsewhere
 * (backends/posix/async_epoll.c).
 */
#include "async_internal.h"

cnet_err cnet__async_backend_open(cnet_loop *loop)
{
    cnet_err err;
    const cnet__async_backend *be = cnet__async_epoll_open(loop, &err);
    if (be == NULL)
        return err;
    loop->be = be;
    return CNET_OK;
}
