/*
 * Byte order (module nativesockets: htonl, ntohl, htons, ntohs), written
 * with byte arrays so they are right on any host byte order. A file of its
 * own: every address formatter and parser depends on it.
 */
#include <string.h>

#include "internal.h"

uint32_t cnet_htonl(uint32_t x)
{
    uint8_t b[4] = {(uint8_t)(x >> 24), (uint8_t)(x >> 16), (uint8_t)(x >> 8), (uint8_t)x};
    uint32_t r;
    memcpy(&r, b, sizeof r);
    return r;
}

uint32_t cnet_ntohl(uint32_t x)
{
    uint8_t b[4];
    memcpy(b, &x, sizeof b);
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | (uint32_t)b[3];
}

uint16_t cnet_htons(uint16_t x)
{
    uint8_t b[2] = {(uint8_t)(x >> 8), (uint8_t)x};
    uint16_t r;
    memcpy(&r, b, sizeof r);
    return r;
}

uint16_t cnet_ntohs(uint16_t x)
{
    uint8_t b[2];
    memcpy(b, &x, sizeof b);
    return (uint16_t)((unsigned)b[0] << 8 | (unsigned)b[1]);
}
