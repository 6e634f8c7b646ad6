/*
 * Length-prefixed frames, encoded and decoded: a pure unit (bytes in, result
 * out, no socket), shared by the blocking frames (net_frame.c) and the async
 * layer. A frame is a 4-byte prefix and that many payload bytes: four ASCII
 * decimal digits (CNET_FRAME_DECIMAL4, the seed blog's protocol, at most
 * 9999 bytes) or a 32-bit big-endian count (CNET_FRAME_BE32).
 *
 * Both functions return a code and set no error message: the caller names
 * itself in the message it writes.
 */
#ifndef CNET__FRAME_CODEC_H
#define CNET__FRAME_CODEC_H

#include <stddef.h>

#include <cnet/cnet.h>

#define CNET__FRAME_PREFIX_SIZE 4

/* The largest payload a frame of `format` can carry. */
size_t cnet__frame_max_payload(cnet_frame_format format);

/* Write the prefix of a frame of `size` payload bytes; CNET_EFRAME_TOO_LARGE
 * (prefix untouched) when no frame of `format` holds that many. */
cnet_err cnet__frame_encode_prefix(cnet_frame_format format, size_t size,
                                   unsigned char prefix[CNET__FRAME_PREFIX_SIZE]);

/* The payload length a prefix announces; CNET_EFRAME_MALFORMED when a
 * CNET_FRAME_DECIMAL4 prefix is not four decimal digits. */
cnet_err cnet__frame_decode_prefix(cnet_frame_format format, const unsigned char prefix[CNET__FRAME_PREFIX_SIZE],
                                   size_t *length);

#endif /* CNET__FRAME_CODEC_H */
