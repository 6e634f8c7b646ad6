/*
 * The async layer on Windows: not built yet (its IOCP backend is a later
 * issue). Every loop creation says so; the rest of the layer compiles.
 */
#include "async_internal.h"

cnet_err cnet__async_backend_open(cnet_loop *loop)
{
    (void)loop;
    return cnet__fail(CNET_ENOTSUP, "cnet_loop_new: the async layer has no Windows backend yet "
                                    "(an I/O completion port backend is planned); use the blocking cnet_socket API");
}
