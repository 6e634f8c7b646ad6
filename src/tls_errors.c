/*
 * The errors of TLS sessions (module tls): what a failed SSL_* call means in
 * cnet's codes, with the message the caller reads (the edge's own message
 * when the socket failed, OpenSSL's reason or the X.509 result otherwise).
 * Fatal errors are latched on the session (tls_session.c).
 */
#include <stdio.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "tls_openssl.h"

static cnet_err verify_error(long result, const char *function)
{
    /* The only application check is the pins' (tls_features.c). */
    if (result == X509_V_ERR_APPLICATION_VERIFICATION)
        return cnet__tls_fail_msg(CNET_ETLS_PIN, function, "certificate verification failed",
                                  "the server's public key matches none of the pinned keys");
    cnet_err err = cnet__tls_x509_code(result);
    char detail[160];
    snprintf(detail, sizeof detail, "%s (X.509 error %ld)", X509_verify_cert_error_string(result), result);
    return cnet__tls_fail_msg(err, function, "certificate verification failed", detail);
}

/* The cnet code of an OpenSSL library error (SSL_ERROR_SSL). */
static cnet_err ssl_error(cnet__tls *t, const char *function)
{
    unsigned long e = ERR_peek_last_error();
    int reason = ERR_GET_REASON(e);
    long vr = SSL_get_verify_result(t->ssl);
    const char *text = ERR_reason_error_string(e);
    char detail[128];
    snprintf(detail, sizeof detail, "%s", text ? text : "unknown OpenSSL error");
    if (reason == SSL_R_CERTIFICATE_VERIFY_FAILED && vr != X509_V_OK)
        return verify_error(vr, function);
    switch (reason) {
    case SSL_R_UNEXPECTED_EOF_WHILE_READING:
        if (!t->done)
            return cnet__tls_fail_msg(CNET_ETLS_HANDSHAKE, function, "the peer closed the connection during the handshake", NULL);
        return cnet__tls_fail_msg(CNET_ETLS_TRUNCATED, function, "the peer closed the connection without close_notify", NULL);
    case SSL_R_UNSUPPORTED_PROTOCOL:
    case SSL_R_NO_PROTOCOLS_AVAILABLE:
    case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION:
    case SSL_R_VERSION_TOO_LOW:
        return cnet__tls_fail_msg(CNET_ETLS_VERSION, function, "no common TLS version", detail);
    case SSL_R_NO_APPLICATION_PROTOCOL:
    case SSL_R_TLSV1_ALERT_NO_APPLICATION_PROTOCOL:
        return cnet__tls_fail_msg(CNET_ETLS_ALPN, function, "no common application protocol", detail);
    case SSL_R_WRONG_VERSION_NUMBER:
    case SSL_R_PACKET_LENGTH_TOO_LONG:
    case SSL_R_HTTP_REQUEST:
    case SSL_R_HTTPS_PROXY_REQUEST:
        return cnet__tls_fail_msg(CNET_ETLS_PROTOCOL, function, "the peer does not speak TLS", detail);
    default:
        break;
    }
    if (reason >= SSL_AD_REASON_OFFSET)
        return cnet__tls_fail_msg(CNET_ETLS_PEER_ALERT, function, "the peer sent an alert", detail);
    return cnet__tls_fail_msg(t->done ? CNET_ETLS_PROTOCOL : CNET_ETLS_HANDSHAKE, function,
                    t->done ? "TLS error" : "the TLS handshake failed", detail);
}

/* The error of a failed SSL_* call; fatal errors are latched. */
cnet_err cnet__tls_fail(cnet__tls *t, int ret, const char *function)
{
    int code = SSL_get_error(t->ssl, ret);
    cnet_err err;
    switch (code) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
        /* The edge asked to retry: resumable, the edge's message stands. */
        if (t->io_err != CNET_OK) {
            ERR_clear_error();
            return t->io_err;
        }
        err = cnet__tls_fail_msg(CNET_ETLS, function, "OpenSSL wants to wait", NULL);
        break;
    case SSL_ERROR_SYSCALL:
        if (t->io_err != CNET_OK)
            err = t->io_err; /* a reset, a broken pipe: the edge's code and message */
        else if (t->eof && !t->done)
            err = cnet__tls_fail_msg(CNET_ETLS_HANDSHAKE, function, "the peer closed the connection during the handshake", NULL);
        else if (t->eof)
            err = cnet__tls_fail_msg(CNET_ETLS_TRUNCATED, function, "the peer closed the connection without close_notify", NULL);
        else
            err = cnet__tls_fail_msg(CNET_ETLS, function, "OpenSSL reported a system error", NULL);
        break;
    case SSL_ERROR_SSL:
        err = ssl_error(t, function);
        break;
    default:
        err = cnet__tls_fail_msg(CNET_ETLS, function, "unexpected OpenSSL state", NULL);
        break;
    }
    ERR_clear_error();
    t->failed = err;
    return err;
}

cnet_err cnet__tls_refail(const cnet__tls *t, const char *function)
{
    char msg[160];
    snprintf(msg, sizeof msg, "%s: the TLS connection failed earlier (%s)", function, cnet_err_name(t->failed));
    return cnet__fail(t->failed, msg);
}

