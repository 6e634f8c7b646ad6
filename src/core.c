/* Version and backend identification. */
#include "internal.h"

#ifndef CNET_VERSION_STRING
#error "the build must define CNET_VERSION_STRING"
#endif
#ifndef CNET_BACKEND_STRING
#error "the build must define CNET_BACKEND_STRING"
#endif

const char *cnet_version(void)
{
    return CNET_VERSION_STRING;
}

const char *cnet_backend_name(void)
{
    return CNET_BACKEND_STRING;
}

const char *cnet_backend_active(void)
{
    return cnet__sys_backend_active();
}
