/*
 * What a TLS session tells about itself and the name it verifies (module
 * tls): the server name, the peer's verified chain, ALPN, the PSK identity
 * and OpenSSL's SSL object. Called by one thread at the socket's request
 * (net_tls.c); none of it does I/O.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "tls_openssl.h"

static cnet_err encode_cert(X509 *x, cnet_cert_format format, cnet_certificate *out)
{
    if (format == CNET_CERT_DER) {
        int len = i2d_X509(x, NULL);
        if (len <= 0)
            return CNET_ETLS;
        out->data = malloc((size_t)len);
        if (out->data == NULL)
            return CNET_ENOMEM;
        unsigned char *p = out->data;
        i2d_X509(x, &p);
        out->size = (size_t)len;
        return CNET_OK;
    }
    BIO *mem = BIO_new(BIO_s_mem());
    if (mem == NULL)
        return CNET_ENOMEM;
    cnet_err err = CNET_ETLS;
    if (PEM_write_bio_X509(mem, x) == 1) {
        char *text;
        long len = BIO_get_mem_data(mem, &text);
        out->data = len > 0 ? malloc((size_t)len + 1) : NULL;
        if (out->data != NULL) {
            memcpy(out->data, text, (size_t)len);
            out->data[len] = '\0';
            out->size = (size_t)len;
            err = CNET_OK;
        } else {
            err = len > 0 ? CNET_ENOMEM : CNET_ETLS;
        }
    }
    BIO_free(mem);
    return err;
}

/* ----------------------------------------------------------- queries */

cnet_err cnet__tls_set_server_name(cnet__tls *tls, const char *name, const char *function)
{
    if (tls->started)
        return cnet__tls_fail_msg(CNET_EINVAL, function, "the handshake already happened", NULL);
    char *copy = NULL;
    /* A reference name is literal: "*" would match a wildcard certificate
     * for itself (X509_check_host compares equal names as equal). */
    if (name != NULL && strchr(name, '*') != NULL)
        return cnet__tls_fail_msg(CNET_EINVAL, function, "a server name cannot hold a wildcard (*)", NULL);
    if (name != NULL) {
        bool failed = false;
        copy = cnet__strdup(name, &failed);
        if (failed)
            return cnet__tls_fail_msg(CNET_ENOMEM, function, "out of memory", NULL);
    }
    free(tls->server_name);
    tls->server_name = copy;
    return CNET_OK;
}

cnet_err cnet__tls_peer_certificates(cnet__tls *tls, cnet_cert_format format, cnet_certificate_list *out,
                                     const char *function)
{
    if (!tls->done)
        return tls->failed != CNET_OK
                   ? cnet__tls_fail_msg(tls->failed, function, "the TLS connection failed earlier", NULL)
                   : cnet__tls_fail_msg(CNET_ENOTCONN, function,
                                        "the TLS handshake has not happened (connect or accept first)", NULL);
    if (SSL_get_verify_result(tls->ssl) != X509_V_OK)
        return CNET_OK; /* like Nim: only a verified chain */
    STACK_OF(X509) *chain = SSL_get0_verified_chain(tls->ssl);
    int n = chain ? sk_X509_num(chain) : 0;
    if (n <= 0)
        return CNET_OK;
    out->items = calloc((size_t)n, sizeof *out->items);
    if (out->items == NULL)
        return cnet__tls_fail_msg(CNET_ENOMEM, function, "out of memory", NULL);
    for (int i = 0; i < n; i++) {
        cnet_err err = encode_cert(sk_X509_value(chain, i), format, &out->items[i]);
        if (err != CNET_OK) {
            out->count = (size_t)i;
            cnet_certificate_list_free(out);
            ERR_clear_error();
            return cnet__tls_fail_msg(err, function, "cannot encode a certificate", NULL);
        }
        out->count = (size_t)i + 1;
    }
    return CNET_OK;
}

cnet_err cnet__tls_alpn_protocol(cnet__tls *tls, char *protocol, size_t size, const char *function)
{
    const unsigned char *p = NULL;
    unsigned len = 0;
    SSL_get0_alpn_selected(tls->ssl, &p, &len);
    if ((size_t)len + 1 > size)
        return cnet__tls_fail_msg(CNET_ERANGE, function, "the protocol name does not fit", NULL);
    if (len > 0)
        memcpy(protocol, p, len);
    protocol[len] = '\0';
    return CNET_OK;
}

cnet_err cnet__tls_psk_identity(cnet__tls *tls, char *identity, size_t size, const char *function)
{
    const char *id = tls->psk_identity[0] != '\0' ? tls->psk_identity : SSL_get_psk_identity(tls->ssl);
    size_t len = id != NULL ? strlen(id) : 0;
    if (len + 1 > size)
        return cnet__tls_fail_msg(CNET_ERANGE, function, "the PSK identity does not fit", NULL);
    if (len > 0)
        memcpy(identity, id, len);
    identity[len] = '\0';
    return CNET_OK;
}

void *cnet__tls_ssl(const cnet__tls *tls)
{
    return tls->ssl;
}

