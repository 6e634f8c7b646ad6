/*
 * Length-prefixed frames on a socket (the codec: frame_codec.h): a frame
 * goes out in one gathering send where the transport has one, and a frame
 * cut by the end of the stream or a timeout breaks the connection, since
 * the next byte would be read as a prefix.
 */
#include <string.h>

#include "frame_codec.h"
#include "net_internal.h"

cnet_err cnet__socket_send_frame(cnet_socket *socket, cnet_frame_format format, const void *data, size_t size)
{
    CNET__CHECK_OPEN(socket, "cnet_socket_send_frame");
    unsigned char prefix[CNET__FRAME_PREFIX_SIZE];
    if (cnet__frame_encode_prefix(format, size, prefix) != CNET_OK)
        return cnet__fail(CNET_EFRAME_TOO_LARGE, format == CNET_FRAME_DECIMAL4
                                                     ? "cnet_socket_send_frame: a 4-digit frame holds at most 9999 bytes"
                                                     : "cnet_socket_send_frame: a frame holds at most 2^32-1 bytes");
    int64_t deadline = cnet__send_deadline(socket);
    size_t n = 0;
    /* Prefix and payload in one gathering send; finish whatever is left. */
    cnet_err err = cnet__transport_send2(&socket->io, prefix, 4, data, size, deadline, &n);
    if (err == CNET_OK && n < 4)
        err = cnet__stream_send_all(socket, prefix + n, 4 - n, deadline, 0, NULL);
    if (err == CNET_OK && n < 4 + size) {
        size_t off = n > 4 ? n - 4 : 0;
        err = cnet__stream_send_all(socket, (const unsigned char *)data + off, size - off, deadline, 0, NULL);
    }
    return err == CNET_OK ? CNET_OK : cnet__sock_fail(socket, err);
}

static cnet_err broken(cnet_socket *s, cnet_err err, const char *message)
{
    s->latched = err;
    return cnet__sock_fail(s, cnet__fail(err, message));
}

cnet_err cnet__socket_recv_frame(cnet_socket *socket, cnet_frame_format format, void *data, size_t size,
                                 size_t *len, int timeout)
{
    *len = 0;
    CNET__CHECK_OPEN(socket, "cnet_socket_recv_frame");
    cnet__deadline dl = cnet__read_deadline(socket, timeout);
    unsigned char prefix[CNET__FRAME_PREFIX_SIZE];
    size_t n;
    cnet_err err = cnet__stream_recv_exact(socket, prefix, 4, &dl, 0, &n);
    if (err != CNET_OK)
        return err == CNET_ETIMEDOUT && n > 0
                   ? broken(socket, CNET_EFRAME_MALFORMED, "cnet_socket_recv_frame: timed out inside a frame prefix")
                   : err;
    if (n == 0)
        return cnet__sock_fail(socket, cnet__fail(CNET_EEOF, "cnet_socket_recv_frame: the peer closed the connection"));
    if (n < 4)
        return broken(socket, CNET_EFRAME_MALFORMED, "cnet_socket_recv_frame: the stream ended inside a frame prefix");
    size_t length = 0;
    if (cnet__frame_decode_prefix(format, prefix, &length) != CNET_OK)
        return broken(socket, CNET_EFRAME_MALFORMED, "cnet_socket_recv_frame: the prefix is not 4 decimal digits");
    if (length > size)
        return broken(socket, CNET_EFRAME_TOO_LARGE, "cnet_socket_recv_frame: the frame is longer than the buffer");
    err = cnet__stream_recv_exact(socket, data, length, &dl, 0, &n);
    *len = n;
    if (err == CNET_ETIMEDOUT)
        return broken(socket, CNET_EFRAME_MALFORMED, "cnet_socket_recv_frame: timed out inside a frame");
    if (err != CNET_OK)
        return err;
    if (n < length)
        return broken(socket, CNET_EFRAME_MALFORMED, "cnet_socket_recv_frame: the stream ended inside a frame");
    return CNET_OK;
}
