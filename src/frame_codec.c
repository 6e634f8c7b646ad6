/* The frame codec of frame_codec.h. */
#include "frame_codec.h"

size_t cnet__frame_max_payload(cnet_frame_format format)
{
    if (format == CNET_FRAME_DECIMAL4)
        return CNET_FRAME_DECIMAL4_MAX;
    return (size_t)0xffffffffu;
}

cnet_err cnet__frame_encode_prefix(cnet_frame_format format, size_t size,
                                   unsigned char prefix[CNET__FRAME_PREFIX_SIZE])
{
    if (size > cnet__frame_max_payload(format))
        return CNET_EFRAME_TOO_LARGE;
    if (format == CNET_FRAME_DECIMAL4) {
        for (int i = 3; i >= 0; i--) {
            prefix[i] = (unsigned char)('0' + size % 10);
            size /= 10;
        }
        return CNET_OK;
    }
    prefix[0] = (unsigned char)(size >> 24);
    prefix[1] = (unsigned char)(size >> 16);
    prefix[2] = (unsigned char)(size >> 8);
    prefix[3] = (unsigned char)size;
    return CNET_OK;
}

cnet_err cnet__frame_decode_prefix(cnet_frame_format format, const unsigned char prefix[CNET__FRAME_PREFIX_SIZE],
                                   size_t *length)
{
    size_t n = 0;
    if (format == CNET_FRAME_DECIMAL4) {
        for (int i = 0; i < 4; i++) {
            if (prefix[i] < '0' || prefix[i] > '9')
                return CNET_EFRAME_MALFORMED;
            n = n * 10 + (size_t)(prefix[i] - '0');
        }
    } else {
        n = (size_t)prefix[0] << 24 | (size_t)prefix[1] << 16 | (size_t)prefix[2] << 8 | prefix[3];
    }
    *length = n;
    return CNET_OK;
}
