/* generated from spec/errors.yaml, spec/tls.yaml by codegen/templates/module.h.j2 - do not edit; regenerate with `make regen` */
#ifndef CNET_TLS_H
#define CNET_TLS_H

/**
 * TLS over OpenSSL for cnet sockets - contexts, wrapped sockets, certificate
 * and host name verification on by default.
 *
 * [zh] 基于 OpenSSL 的 cnet 套接字 TLS：上下文、包装后的套接字，默认开启证书与主机名验证。
 *
 * A cnet_ssl_context holds the configuration (minimum version, verification,
 * certificate and key, trust anchors, ciphers, ALPN, PSK). cnet_socket_wrap
 * turns an unconnected socket into a TLS socket: cnet_socket_connect then
 * performs the client handshake and cnet_socket_accept the server handshake
 * on every accepted client. cnet_socket_wrap_connected wraps a connected
 * socket and performs the handshake at once. After that recv, read_line,
 * recv_line, skip, send, try_send, send_frame, recv_frame and close work
 * the same over TLS, with the same deadlines, and the TLS records travel
 * through the backend's send and receive (on io_uring: through the ring).
 *
 * Secure defaults: the peer's certificate chain is verified against the
 * system CA store, and the host name (DNS names) or address (IP literals)
 * of the connect call is checked against the certificate on every
 * platform; SNI is sent for DNS names only. The minimum version is TLS 1.2;
 * peer-initiated renegotiation is refused. An end of stream without a TLS
 * close_notify is reported as CNET_ETLS_TRUNCATED, never as a clean end of
 * stream; close sends close_notify. SIGPIPE never kills the process.
 *
 * TLS is built when OpenSSL is found (meson option -Dtls). Without it
 * (for example the winsock backend) every function of this module exists
 * and returns CNET_ENOTSUP; cnet_tls_available tells which.
 *
 * [zh] cnet_ssl_context 保存配置（最低版本、验证方式、证书与私钥、信任锚、密码套件、
 * ALPN、PSK）。cnet_socket_wrap 把一个未连接的套接字变成 TLS 套接字：之后
 * cnet_socket_connect 执行客户端握手，cnet_socket_accept 对每个接受的客户执行
 * 服务器端握手。cnet_socket_wrap_connected 包装一个已连接的套接字并立即握手。
 * 此后 recv、read_line、recv_line、skip、send、try_send、send_frame、recv_frame
 * 和 close 在 TLS 上的行为与明文相同，截止时间也相同，TLS 记录经由后端的发送与
 * 接收传输（在 io_uring 上经由环）。
 *
 * 安全的默认值：对端证书链用系统 CA 库验证，并在所有平台上用 connect 调用的主机名
 * （DNS 名称）或地址（IP 字面量）核对证书；只对 DNS 名称发送 SNI。最低版本为
 * TLS 1.2；拒绝对端发起的重新协商。没有 TLS close_notify 的流结束报告为
 * CNET_ETLS_TRUNCATED，绝不当作正常的流结束；close 会发送 close_notify。SIGPIPE
 * 永远不会杀死进程。
 *
 * 找到 OpenSSL 时才构建 TLS（meson 选项 -Dtls）。没有 TLS 时（例如 winsock 后端）
 * 本模块的每个函数仍然存在并返回 CNET_ENOTSUP；cnet_tls_available 说明是哪种情况。
 */

#include <cnet/platform.h>
#include <cnet/errors.h>
#include <cnet/net.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ constants */

/**
 * The number of extra-data slots of a context (indexes 0 to 15).
 *
 * [zh] 上下文附加数据槽的数量（索引 0 到 15）。
 *
 * cnet addition (no Nim counterpart).
 */
#define CNET_SSL_EXTRA_DATA_SLOTS 16

/**
 * The longest session id context in bytes (SSL_MAX_SID_CTX_LENGTH).
 *
 * [zh] 会话 id 上下文的最大字节数（SSL_MAX_SID_CTX_LENGTH）。
 *
 * cnet addition (no Nim counterpart).
 */
#define CNET_SSL_SESSION_ID_CONTEXT_MAX 32

/**
 * Room for any negotiated ALPN protocol name and its NUL (a name has at most
 * 255 bytes).
 *
 * [zh] 足以容纳任何协商出的 ALPN 协议名及其 NUL 的大小（协议名最多 255 字节）。
 *
 * cnet addition (no Nim counterpart).
 */
#define CNET_ALPN_PROTOCOL_MAX 256

/**
 * Room for any PSK identity and its NUL (OpenSSL's PSK_MAX_IDENTITY_LEN is 256
 * bytes).
 *
 * [zh] 足以容纳任何 PSK 身份及其 NUL 的大小（OpenSSL 的 PSK_MAX_IDENTITY_LEN 为 256 字节）。
 *
 * cnet addition (no Nim counterpart).
 */
#define CNET_PSK_IDENTITY_MAX 257

/* ---------------------------------------------------------------- enums */

/**
 * Whether and how the peer's certificate is verified.
 *
 * [zh] 是否以及如何验证对端证书。
 *
 * The zero value is CNET_VERIFY_PEER, so a zero-initialised cnet_ssl_options
 * verifies.
 *
 * [zh] 零值是 CNET_VERIFY_PEER，因此零初始化的 cnet_ssl_options 会进行验证。
 *
 * Ports Nim: net.SslCVerifyMode
 */
typedef enum cnet_ssl_verify_mode {
    /**
     * Verify the peer (the default): the chain against the CA file/directory or
     * the system store, and on a client the host name or address.
     *
     * [zh] 验证对端（默认）：用 CA 文件/目录或系统证书库验证证书链，客户端还核对主机名或地址。
     *
     * Ports Nim: CVerifyPeer
     */
    CNET_VERIFY_PEER = 0,
    /**
     * Do not verify the peer's certificate (insecure: anybody in the path can
     * impersonate the peer).
     *
     * [zh] 不验证对端证书（不安全：路径上的任何人都能冒充对端）。
     *
     * Ports Nim: CVerifyNone
     */
    CNET_VERIFY_NONE = 1,
    /**
     * Like CNET_VERIFY_PEER, but the environment variables SSL_CERT_FILE and
     * SSL_CERT_DIR may replace the system store.
     *
     * [zh] 与 CNET_VERIFY_PEER 相同，但环境变量 SSL_CERT_FILE 和 SSL_CERT_DIR 可以替代系统证书库。
     *
     * Ports Nim: CVerifyPeerUseEnvVars
     */
    CNET_VERIFY_PEER_USE_ENV_VARS = 2,
} cnet_ssl_verify_mode;

/**
 * The lowest TLS version a context accepts.
 *
 * [zh] 上下文接受的最低 TLS 版本。
 *
 * Ports Nim: net.SslProtVersion
 */
typedef enum cnet_tls_version {
    /**
     * TLS 1.2 and 1.3 (the default).
     *
     * [zh] TLS 1.2 和 1.3（默认）。
     *
     * Ports Nim: protSSLv23
     */
    CNET_TLS_1_2 = 0,
    /**
     * TLS 1.3 only.
     *
     * [zh] 仅 TLS 1.3。
     */
    CNET_TLS_1_3 = 1,
} cnet_tls_version;

/**
 * The side a socket takes in the TLS handshake.
 *
 * [zh] 套接字在 TLS 握手中的角色。
 *
 * Ports Nim: net.SslHandshakeType
 */
typedef enum cnet_ssl_handshake_type {
    /**
     * The client side.
     *
     * [zh] 客户端。
     *
     * Ports Nim: handshakeAsClient
     */
    CNET_HANDSHAKE_AS_CLIENT = 0,
    /**
     * The server side.
     *
     * [zh] 服务器端。
     *
     * Ports Nim: handshakeAsServer
     */
    CNET_HANDSHAKE_AS_SERVER = 1,
} cnet_ssl_handshake_type;

/**
 * The encoding of certificates returned by cnet_socket_get_peer_certificates.
 *
 * [zh] cnet_socket_get_peer_certificates 返回的证书编码。
 *
 * cnet addition (no Nim counterpart).
 */
typedef enum cnet_cert_format {
    /**
     * Binary DER (Nim's Certificate).
     *
     * [zh] 二进制 DER（Nim 的 Certificate）。
     */
    CNET_CERT_DER = 0,
    /**
     * PEM text ("-----BEGIN CERTIFICATE-----"), NUL-terminated.
     *
     * [zh] PEM 文本（"-----BEGIN CERTIFICATE-----"），以 NUL 结尾。
     */
    CNET_CERT_PEM = 1,
} cnet_cert_format;

/* ---------------------------------------------------------------- types */

/**
 * A TLS configuration shared by many sockets (Nim's SslContext).
 *
 * [zh] 由多个套接字共享的 TLS 配置（Nim 的 SslContext）。
 *
 * Reference counted - every wrapped socket keeps its context alive, so
 * cnet_ssl_context_free may be called while sockets still use it. Configure it
 * before wrapping sockets; changing it while other threads handshake is not
 * safe.
 *
 * [zh] 带引用计数：每个被包装的套接字都会保持其上下文存活，因此在套接字仍在使用时也可以调用
 * cnet_ssl_context_free。请在包装套接字之前完成配置；在其他线程握手时修改它是不安全的。
 *
 * Ports Nim: net.SslContext
 */
typedef struct cnet_ssl_context cnet_ssl_context;

/**
 * The settings of cnet_ssl_context_new (Nim's newContext parameters);
 * zero-initialise it for the defaults.
 *
 * [zh] cnet_ssl_context_new 的设置（Nim 的 newContext 参数）；零初始化即为默认值。
 *
 * cnet addition (no Nim counterpart).
 */
typedef struct cnet_ssl_options {
    /** lowest TLS version (default CNET_TLS_1_2) / 最低 TLS 版本（默认 CNET_TLS_1_2） */
    cnet_tls_version min_version;
    /** verification (default CNET_VERIFY_PEER) / 验证方式（默认 CNET_VERIFY_PEER） */
    cnet_ssl_verify_mode verify_mode;
    /** PEM certificate chain (leaf first), or NULL / PEM 证书链（叶证书在前），或 NULL */
    const char *cert_file;
    /** PEM private key, or NULL to read it from cert_file / PEM 私钥；为 NULL 时从 cert_file 读取 */
    const char *key_file;
    /** PEM file of trusted CAs, or NULL / 受信任 CA 的 PEM 文件，或 NULL */
    const char *ca_file;
    /** directory of hashed trusted CAs (c_rehash), or NULL / 经过哈希命名的受信任 CA 目录（c_rehash），或 NULL */
    const char *ca_dir;
    /** TLS 1.2 cipher list, or NULL for Mozilla's intermediate list (Nim's CiphersIntermediate) / TLS 1.2 密码列表；为 NULL 时使用 Mozilla 的 intermediate 列表（Nim 的 CiphersIntermediate） */
    const char *cipher_list;
    /** TLS 1.3 ciphersuites, or NULL for Nim's CiphersModern / TLS 1.3 密码套件；为 NULL 时使用 Nim 的 CiphersModern */
    const char *ciphersuites;
} cnet_ssl_options;

/**
 * One certificate of a peer's chain.
 *
 * [zh] 对端证书链中的一个证书。
 *
 * Ports Nim: net.Certificate
 */
typedef struct cnet_certificate {
    /** the bytes (DER, or PEM text followed by a NUL) / 字节（DER，或后跟 NUL 的 PEM 文本） */
    uint8_t *data;
    /** the number of bytes (without the NUL of PEM) / 字节数（不含 PEM 的 NUL） */
    size_t size;
} cnet_certificate;

/**
 * A certificate chain, leaf first; release it with cnet_certificate_list_free.
 *
 * [zh] 证书链，叶证书在前；用 cnet_certificate_list_free 释放。
 *
 * cnet addition (no Nim counterpart).
 */
typedef struct cnet_certificate_list {
    /** the number of certificates / 证书数量 */
    size_t count;
    /** the certificates (NULL when count is 0) / 证书数组（count 为 0 时为 NULL） */
    cnet_certificate *items;
} cnet_certificate_list;

/**
 * A client's pre-shared key callback: fill in the identity and the key for the
 * server's hint.
 *
 * [zh] 客户端的预共享密钥回调：根据服务器的提示填写身份和密钥。
 *
 * Return false to abort the handshake. Use cnet_ssl_context_get_extra_data to
 * reach your own state. Called during the handshake on the handshaking thread.
 *
 * [zh] 返回 false 以中止握手。可用 cnet_ssl_context_get_extra_data
 * 取得自己的状态。在握手线程上于握手期间调用。
 *
 * @param context the context
 *        [zh] 上下文
 *
 * @param hint the server's identity hint ("" when none, always in TLS 1.3)
 *        [zh] 服务器的身份提示（没有时为 ""，TLS 1.3 中总是如此）
 *
 * @param identity receives the NUL-terminated identity
 *        [zh] 接收以 NUL 结尾的身份
 *
 * @param identity_size room in identity including the NUL
 *        [zh] identity 的容量（含 NUL）
 *
 * @param psk receives the key
 *        [zh] 接收密钥
 *
 * @param psk_size room in psk
 *        [zh] psk 的容量
 *
 * @param psk_len receives the key's length
 *        [zh] 接收密钥的长度
 *
 * Ports Nim: net.SslClientGetPskFunc
 */
typedef bool (*cnet_ssl_client_psk_func)(cnet_ssl_context *context, const char *hint, char *identity, size_t identity_size, uint8_t *psk, size_t psk_size, size_t *psk_len);

/**
 * A server's pre-shared key callback: find the key of a client's identity.
 *
 * [zh] 服务器的预共享密钥回调：查找客户身份对应的密钥。
 *
 * Return false for an unknown identity (the handshake fails).
 *
 * [zh] 身份未知时返回 false（握手失败）。
 *
 * @param context the context
 *        [zh] 上下文
 *
 * @param identity the client's identity
 *        [zh] 客户的身份
 *
 * @param psk receives the key
 *        [zh] 接收密钥
 *
 * @param psk_size room in psk
 *        [zh] psk 的容量
 *
 * @param psk_len receives the key's length
 *        [zh] 接收密钥的长度
 *
 * Ports Nim: net.SslServerGetPskFunc
 */
typedef bool (*cnet_ssl_server_psk_func)(cnet_ssl_context *context, const char *identity, uint8_t *psk, size_t psk_size, size_t *psk_len);

/**
 * A server's name callback (SNI): pick the context whose certificate answers
 * the name the client asked for.
 *
 * [zh] 服务器的名称回调（SNI）：为客户端请求的名称选择一个上下文，使用其证书应答。
 *
 * Return another server context to present its certificate and key, or NULL
 * (or context itself) to keep the listener's. The listener's verification
 * settings stay in force. The returned context must stay alive while the
 * listener's context is in use (cnet does not take a reference). Called during
 * the handshake on the handshaking thread; reach your own state with
 * cnet_ssl_context_get_extra_data.
 *
 * [zh] 返回另一个服务器上下文以出示其证书和私钥，或返回 NULL（或 context
 * 本身）以保留监听者的。监听者的验证设置保持有效。在监听者的上下文被使用期间，返回的上下文必须一直存活（cnet
 * 不会增加它的引用）。在握手线程上于握手期间调用；可用 cnet_ssl_context_get_extra_data 取得自己的状态。
 *
 * @param context the listener's context
 *        [zh] 监听者的上下文
 *
 * @param server_name the name the client sent (SNI), without a trailing dot
 *        [zh] 客户端发送的名称（SNI），不含末尾的点
 *
 * cnet addition (no Nim counterpart).
 */
typedef cnet_ssl_context *(*cnet_ssl_sni_func)(cnet_ssl_context *context, const char *server_name);

/* -------------------------------------------------------------- functions */

/**
 * Whether this cnet was built with TLS (OpenSSL).
 *
 * [zh] 此 cnet 是否在构建时启用了 TLS（OpenSSL）。
 *
 * @return false when every function of this module returns CNET_ENOTSUP
 *         [zh] 为 false 时本模块的每个函数都返回 CNET_ENOTSUP
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API bool cnet_tls_available(void);

/**
 * Creates a TLS context.
 *
 * [zh] 创建一个 TLS 上下文。
 *
 * NULL options (or a zeroed struct) give the defaults: minimum TLS 1.2,
 * verification of the peer against the system CA store
 * (X509_get_default_cert_file and _dir, without environment variables),
 * Mozilla's intermediate cipher list and the TLS 1.3 suites
 * AES-128-GCM, AES-256-GCM and ChaCha20-Poly1305, OpenSSL security
 * level 2 at least, no renegotiation. A CA file or directory replaces
 * the system store. When no trust anchor exists at all, a client
 * handshake fails with CNET_ETLS_NO_CA. On the server side a client
 * certificate is requested (and required) only when verification is on
 * and a CA file or directory was given (mutual TLS). The key is
 * checked against the certificate.
 *
 * [zh] options 为 NULL（或全零）时使用默认值：最低 TLS 1.2，用系统 CA 库
 * （X509_get_default_cert_file 与 _dir，不读环境变量）验证对端，Mozilla 的
 * intermediate 密码列表和 TLS 1.3 套件 AES-128-GCM、AES-256-GCM、
 * ChaCha20-Poly1305，OpenSSL 安全级别至少为 2，不允许重新协商。给出 CA 文件或
 * 目录时替代系统证书库。完全没有信任锚时，客户端握手以 CNET_ETLS_NO_CA 失败。
 * 在服务器端，只有开启验证且给出了 CA 文件或目录时才请求（并要求）客户端证书
 * （双向 TLS）。会检查私钥与证书是否匹配。
 *
 * @param options the settings; NULL for the defaults
 *        [zh] 设置；NULL 表示默认值
 *
 * @param out receives the context; NULL on failure
 *        [zh] 接收上下文；失败时为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_ENOMEM: out of memory
 *         CNET_ETLS: TLS error
 *         CNET_ETLS_FILE: a certificate, key or CA file could not be loaded
 *
 * @note Differs from Nim: Nim ignores protVersion; cnet enforces the minimum
 * version. Nim's CVerifyPeer fails at once without a CA store; cnet fails the
 * client handshake (a server context needs none). Nim's verify mode requests
 * client certificates on every server; cnet only with an explicit CA (mutual
 * TLS), and then requires one. Errors are returned, not raised.
 *       [zh] 与 Nim 的不同：Nim 忽略 protVersion；cnet 强制最低版本。没有 CA 库时 Nim 的 CVerifyPeer 立即失败；cnet 让客户端握手失败（服务器上下文不需要 CA）。Nim 的验证模式让每个服务器都请求客户端证书；cnet 只在明确给出 CA 时才请求（双向 TLS），并要求客户端提供。错误以返回值报告而非抛出异常。
 *
 * Ports Nim: net.newContext
 */
CNET_API cnet_err cnet_ssl_context_new(const cnet_ssl_options *options, cnet_ssl_context **out);

/**
 * Releases the caller's reference to a context.
 *
 * [zh] 释放调用者对上下文的引用。
 *
 * The context is destroyed when the last socket that uses it is closed.
 *
 * [zh] 当最后一个使用它的套接字关闭时上下文才被销毁。
 *
 * @param context the context; NULL is ignored
 *        [zh] 上下文；NULL 被忽略
 *
 * Ports Nim: net.destroyContext
 */
CNET_API void cnet_ssl_context_free(cnet_ssl_context *context);

/**
 * Sets the session id context of a server context (session resumption with
 * client certificates).
 *
 * [zh] 设置服务器上下文的会话 id 上下文（用于带客户端证书的会话恢复）。
 *
 * @param context the context
 *        [zh] 上下文
 *
 * @param id the id bytes
 *        [zh] id 字节
 *
 * @param size their number, at most CNET_SSL_SESSION_ID_CONTEXT_MAX
 *        [zh] 字节数，最多 CNET_SSL_SESSION_ID_CONTEXT_MAX
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_ETLS: TLS error
 *
 * @note Differs from Nim: Nim raises ValueError for an id longer than 32
 * bytes; cnet returns CNET_EINVAL.
 *       [zh] 与 Nim 的不同：id 超过 32 字节时 Nim 抛出 ValueError；cnet 返回 CNET_EINVAL。
 *
 * Ports Nim: net.sessionIdContext=
 */
CNET_API cnet_err cnet_ssl_context_set_session_id_context(cnet_ssl_context *context, const void *id, size_t size);

/**
 * Sets (or with NULL clears) the client's pre-shared key callback.
 *
 * [zh] 设置（传 NULL 则清除）客户端的预共享密钥回调。
 *
 * Works in TLS 1.3 (with TLS_AES_128_GCM_SHA256) and with the PSK ciphers of
 * TLS 1.2 (add them to cipher_list).
 *
 * [zh] 适用于 TLS 1.3（使用 TLS_AES_128_GCM_SHA256）和 TLS 1.2 的 PSK 密码（需加入
 * cipher_list）。
 *
 * @param context the context
 *        [zh] 上下文
 *
 * @param callback the callback or NULL
 *        [zh] 回调或 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *
 * Ports Nim: net.clientGetPskFunc=
 */
CNET_API cnet_err cnet_ssl_context_set_psk_client_callback(cnet_ssl_context *context, cnet_ssl_client_psk_func callback);

/**
 * Sets (or with NULL clears) the server's pre-shared key callback.
 *
 * [zh] 设置（传 NULL 则清除）服务器的预共享密钥回调。
 *
 * @param context the context
 *        [zh] 上下文
 *
 * @param callback the callback or NULL
 *        [zh] 回调或 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *
 * Ports Nim: net.serverGetPskFunc=
 */
CNET_API cnet_err cnet_ssl_context_set_psk_server_callback(cnet_ssl_context *context, cnet_ssl_server_psk_func callback);

/**
 * The client's pre-shared key callback of the context.
 *
 * [zh] 上下文中客户端的预共享密钥回调。
 *
 * @param context the context
 *        [zh] 上下文
 *
 * @param out receives the callback, NULL when none is set
 *        [zh] 接收回调；未设置时为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *
 * Ports Nim: net.clientGetPskFunc
 */
CNET_API cnet_err cnet_ssl_context_get_psk_client_callback(cnet_ssl_context *context, cnet_ssl_client_psk_func *out);

/**
 * The server's pre-shared key callback of the context.
 *
 * [zh] 上下文中服务器的预共享密钥回调。
 *
 * @param context the context
 *        [zh] 上下文
 *
 * @param out receives the callback, NULL when none is set
 *        [zh] 接收回调；未设置时为 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *
 * Ports Nim: net.serverGetPskFunc
 */
CNET_API cnet_err cnet_ssl_context_get_psk_server_callback(cnet_ssl_context *context, cnet_ssl_server_psk_func *out);

/**
 * Sets the identity hint a server sends to PSK clients (TLS 1.2).
 *
 * [zh] 设置服务器发送给 PSK 客户端的身份提示（TLS 1.2）。
 *
 * @param context the context
 *        [zh] 上下文
 *
 * @param hint the hint, at most 256 bytes; NULL for none
 *        [zh] 提示，最多 256 字节；NULL 表示没有
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_ETLS: TLS error
 *
 * Ports Nim: net.pskIdentityHint=
 */
CNET_API cnet_err cnet_ssl_context_set_psk_identity_hint(cnet_ssl_context *context, const char *hint);

/**
 * Reads the pointer stored in an extra-data slot of the context.
 *
 * [zh] 读取存放在上下文附加数据槽中的指针。
 *
 * @param context the context
 *        [zh] 上下文
 *
 * @param index the slot, 0 to CNET_SSL_EXTRA_DATA_SLOTS-1
 *        [zh] 槽，0 到 CNET_SSL_EXTRA_DATA_SLOTS-1
 *
 * @param out receives the pointer
 *        [zh] 接收指针
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_ENOTFOUND: host, service or protocol not found
 *
 * @note Differs from Nim: Nim stores RootRef values under any index and raises
 * IndexDefect for an unset one; cnet stores raw pointers in 16 slots (cnet
 * never frees them) and returns CNET_ENOTFOUND for an unset slot.
 *       [zh] 与 Nim 的不同：Nim 在任意索引下存放 RootRef，未设置时抛出 IndexDefect；cnet 在 16 个槽中存放裸指针（cnet 从不释放它们），未设置的槽返回 CNET_ENOTFOUND。
 *
 * Ports Nim: net.getExtraData
 */
CNET_API cnet_err cnet_ssl_context_get_extra_data(cnet_ssl_context *context, int index, void **out);

/**
 * Stores a pointer in an extra-data slot of the context (NULL empties the
 * slot).
 *
 * [zh] 在上下文的附加数据槽中存放一个指针（NULL 清空该槽）。
 *
 * @param context the context
 *        [zh] 上下文
 *
 * @param index the slot, 0 to CNET_SSL_EXTRA_DATA_SLOTS-1
 *        [zh] 槽，0 到 CNET_SSL_EXTRA_DATA_SLOTS-1
 *
 * @param data the pointer
 *        [zh] 指针
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *
 * Ports Nim: net.setExtraData
 */
CNET_API cnet_err cnet_ssl_context_set_extra_data(cnet_ssl_context *context, int index, void *data);

/**
 * Sets the application protocols (ALPN) of the context, most preferred first.
 *
 * [zh] 设置上下文的应用层协议（ALPN），最优先的在前。
 *
 * A comma-separated list such as "h2,http/1.1". A client offers the list; a
 * server picks the first protocol of its own list that the client offered, and
 * refuses the handshake (CNET_ETLS_ALPN) when a client offered protocols and
 * none is in the list. A client that offers nothing is accepted. NULL or ""
 * removes the list.
 *
 * [zh] 以逗号分隔的列表，例如
 * "h2,http/1.1"。客户端提供该列表；服务器从自己的列表中选出第一个客户端也提供了的协议，若客户端提供了协议但没有一个在列表中，则拒绝握手（CNET_ETLS_ALPN）。不提供
 * ALPN 的客户端会被接受。NULL 或 "" 移除列表。
 *
 * @param context the context
 *        [zh] 上下文
 *
 * @param protocols the list; each name 1 to 255 bytes
 *        [zh] 列表；每个名称 1 到 255 字节
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_ENOMEM: out of memory
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API cnet_err cnet_ssl_context_set_alpn_protocols(cnet_ssl_context *context, const char *protocols);

/**
 * Pins a public key: the peer's certificate must carry one of the pinned keys.
 *
 * [zh] 固定一个公钥：对端证书必须带有被固定的公钥之一。
 *
 * The pin is the SHA-256 of the certificate's SubjectPublicKeyInfo, as curl's
 * --pinnedpubkey takes it: "sha256//" followed by its base64 (44 characters),
 * or 64 hexadecimal digits. Add several to accept any of them (a key and its
 * planned successor). A client checks the server's leaf certificate after the
 * normal verification (chain, expiry, host name), and also when verification
 * is off (CNET_VERIFY_NONE): a mismatch fails the handshake with
 * CNET_ETLS_PIN. A server context ignores pins. Make the pin with `openssl
 * x509 -in cert.pem -pubkey -noout | openssl pkey -pubin -outform der |
 * openssl dgst -sha256 -binary | base64`.
 *
 * [zh] 固定值是证书 SubjectPublicKeyInfo 的 SHA-256，与 curl 的 --pinnedpubkey
 * 相同："sha256//" 后接其 base64（44 个字符），或 64
 * 个十六进制数字。可添加多个，匹配其中任何一个即可（例如当前密钥和计划中的下一个）。客户端在正常验证（证书链、有效期、主机名）之后检查服务器的叶证书，验证关闭时（CNET_VERIFY_NONE）也检查：不匹配时握手以
 * CNET_ETLS_PIN 失败。服务器上下文忽略固定值。可用 `openssl x509 -in cert.pem -pubkey -noout |
 * openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64`
 * 生成固定值。
 *
 * @param context a client context
 *        [zh] 客户端上下文
 *
 * @param pin "sha256//BASE64" or 64 hex digits
 *        [zh] "sha256//BASE64" 或 64 个十六进制数字
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_ENOMEM: out of memory
 *
 * @note Differs from Nim: Nim has no certificate pinning.
 *       [zh] 与 Nim 的不同：Nim 没有证书固定。
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API cnet_err cnet_ssl_context_add_pinned_key(cnet_ssl_context *context, const char *pin);

/**
 * Sets (or with NULL clears) a server's name callback, which picks the
 * certificate by the name the client asks for (SNI).
 *
 * [zh] 设置（传 NULL 则清除）服务器的名称回调，按客户端请求的名称（SNI）选择证书。
 *
 * One listener can then serve several names, each with its own certificate. A
 * client that sends no name (an address literal) is served the listener's own
 * certificate without a call.
 *
 * [zh] 这样一个监听者可以服务多个名称，每个名称使用自己的证书。不发送名称的客户端（地址字面量）直接使用监听者自己的证书，不会调用回调。
 *
 * @param context the listener's context
 *        [zh] 监听者的上下文
 *
 * @param callback the callback or NULL
 *        [zh] 回调或 NULL
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API cnet_err cnet_ssl_context_set_sni_callback(cnet_ssl_context *context, cnet_ssl_sni_func callback);

/**
 * Turns on client session resumption: the context keeps up to max_sessions
 * sessions, one per server name, and offers the one of the name it connects
 * to.
 *
 * [zh] 开启客户端会话恢复：上下文最多保存 max_sessions 个会话（每个服务器名称一个），并在连接到某个名称时提供该名称的会话。
 *
 * A resumed handshake skips the certificate exchange and its public key
 * operations (TLS 1.3 session tickets, or TLS 1.2 sessions). The key is the
 * name the client verifies (cnet_socket_set_server_name, else the connect
 * address); when the cache is full the oldest name is dropped. A TLS 1.3
 * server sends its tickets after the handshake: they are kept when the client
 * reads. cnet_socket_tls_session_reused tells whether a handshake resumed. A
 * resumed session is not verified again: its peer was verified (and its pins
 * checked) when the session was made, and cnet_socket_get_peer_certificates
 * returns no chain for it. 0 turns resumption off (the default). Sessions are
 * kept for the context's lifetime; any thread may use the context.
 *
 * [zh] 恢复的握手跳过证书交换及其公钥运算（TLS 1.3 会话票据，或 TLS 1.2
 * 会话）。键是客户端验证的名称（cnet_socket_set_server_name，否则为连接地址）；缓存满时丢弃最早的名称。TLS 1.3
 * 服务器在握手之后发送票据：客户端读取数据时会保存它们。cnet_socket_tls_session_reused
 * 说明一次握手是否为恢复。恢复的会话不会再次验证：其对端在会话建立时已验证（固定值也已检查），cnet_socket_get_peer_certificates
 * 对它不返回证书链。0 关闭恢复（默认）。会话在上下文的生命周期内保留；任何线程都可以使用该上下文。
 *
 * @param context a client context
 *        [zh] 客户端上下文
 *
 * @param max_sessions how many server names to remember (at most 4096); 0
 * turns it off
 *        [zh] 记住多少个服务器名称（最多 4096）；0 表示关闭
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_ENOMEM: out of memory
 *
 * @note Differs from Nim: Nim has no session resumption.
 *       [zh] 与 Nim 的不同：Nim 没有会话恢复。
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API cnet_err cnet_ssl_context_set_session_cache(cnet_ssl_context *context, size_t max_sessions);

/**
 * Makes an unconnected stream socket a TLS socket; connect or accept will
 * perform the handshake.
 *
 * [zh] 把未连接的流套接字变为 TLS 套接字；connect 或 accept 会执行握手。
 *
 * A wrapped listening socket gives TLS clients - each accepted socket shares
 * the context and completes the server handshake inside cnet_socket_accept
 * (within the server's default deadline). cnet_socket_connect performs the
 * client handshake within its timeout, and checks the certificate against the
 * connect address (or the name set with cnet_socket_set_server_name).
 *
 * [zh] 被包装的监听套接字产生 TLS 客户套接字：每个被接受的套接字共享该上下文，并在 cnet_socket_accept
 * 内（在服务器的默认截止时间内）完成服务器端握手。cnet_socket_connect 在其超时时间内执行客户端握手，并用连接地址（或
 * cnet_socket_set_server_name 设置的名称）核对证书。
 *
 * @param context the context
 *        [zh] 上下文
 *
 * @param socket an unconnected (or listening) TCP socket
 *        [zh] 未连接（或正在监听）的 TCP 套接字
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_ENOMEM: out of memory
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ETLS: TLS error
 *
 * @note Differs from Nim: Nim asserts that the socket is new; cnet returns
 * CNET_EINVAL for a socket that is already TLS or not a stream socket.
 *       [zh] 与 Nim 的不同：Nim 断言套接字是新的；对于已经是 TLS 或不是流套接字的套接字，cnet 返回 CNET_EINVAL。
 *
 * Ports Nim: net.wrapSocket
 */
CNET_API cnet_err cnet_socket_wrap(cnet_ssl_context *context, cnet_socket *socket);

/**
 * Makes a connected socket a TLS socket and performs the handshake now.
 *
 * [zh] 把已连接的套接字变为 TLS 套接字并立即握手。
 *
 * The handshake must finish within the socket's default deadline
 * (cnet_socket_set_timeout). As a client, hostname (an address literal or a
 * DNS name) is what the certificate must match and, for DNS names, the SNI
 * sent; NULL keeps a name set with cnet_socket_set_server_name. A socket that
 * still holds buffered plaintext bytes is refused (CNET_EINVAL), so no byte
 * received before the handshake can pass as protected data (STARTTLS
 * injection). On failure the socket stays open but every later call reports
 * the error.
 *
 * [zh] 握手必须在套接字的默认截止时间（cnet_socket_set_timeout）内完成。作为客户端时，hostname（地址字面量或 DNS
 * 名称）是证书必须匹配的名称，对于 DNS 名称也是发送的 SNI；NULL 保留由 cnet_socket_set_server_name
 * 设置的名称。缓冲区中仍有明文字节的套接字会被拒绝（CNET_EINVAL），因此握手之前收到的字节不会被当作受保护的数据（STARTTLS
 * 注入）。失败时套接字保持打开，但之后的每个调用都会报告该错误。
 *
 * @param context the context
 *        [zh] 上下文
 *
 * @param socket a connected TCP socket
 *        [zh] 已连接的 TCP 套接字
 *
 * @param handshake the side to take (Nim default: CNET_HANDSHAKE_AS_CLIENT)
 *        [zh] 所取的角色
 *
 * @param hostname the peer's name or address (client side)
 *        [zh] 对端的名称或地址（客户端）
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_ENOMEM: out of memory
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ETIMEDOUT: operation timed out
 *         CNET_ECONNRESET: connection reset by peer
 *         CNET_EPIPE: broken pipe (the peer closed the connection)
 *         CNET_ETLS: TLS error
 *         CNET_ETLS_HANDSHAKE: the TLS handshake failed
 *         CNET_ETLS_VERIFY: the peer's certificate failed verification
 *         CNET_ETLS_HOSTNAME: the peer's certificate does not match the host name or address
 *         CNET_ETLS_EXPIRED: the peer's certificate has expired or is not yet valid
 *         CNET_ETLS_UNTRUSTED: the peer's certificate is not issued by a trusted CA (self-signed or unknown issuer)
 *         CNET_ETLS_PROTOCOL: the peer violated the TLS protocol or does not speak TLS
 *         CNET_ETLS_VERSION: no TLS version that both sides accept
 *         CNET_ETLS_NO_CA: no trusted CA certificates were found to verify the peer
 *         CNET_ETLS_ALPN: no application protocol (ALPN) in common with the peer
 *         CNET_ETLS_PEER_ALERT: the peer rejected the TLS connection with an alert
 *         CNET_EOS: operating system error (see cnet_last_os_error)
 *
 * @note Differs from Nim: Nim checks the host name only for DNS names and not
 * on Windows, and its handshake has no timeout; cnet checks DNS names and IP
 * literals (against the iPAddress SAN) on every platform and honours the
 * socket's deadline.
 *       [zh] 与 Nim 的不同：Nim 只对 DNS 名称且不在 Windows 上核对主机名，握手也没有超时；cnet 在所有平台上核对 DNS 名称和 IP 字面量（对照 iPAddress SAN），并遵守套接字的截止时间。
 *
 * Ports Nim: net.wrapConnectedSocket
 */
CNET_API cnet_err cnet_socket_wrap_connected(cnet_ssl_context *context, cnet_socket *socket, cnet_ssl_handshake_type handshake, const char *hostname);

/**
 * Sets the name a TLS client verifies and sends as SNI instead of the connect
 * address.
 *
 * [zh] 设置 TLS 客户端要验证并作为 SNI 发送的名称，以替代连接地址。
 *
 * For connecting to an address (or a name) while verifying another name, for
 * example through a proxy or after a resolution of your own. An address
 * literal is checked against the iPAddress SAN and sends no SNI; a trailing
 * dot of a DNS name is dropped. The name is matched by the rules of RFC 6125:
 * case-insensitive, against the DNS SANs (the CN only when the certificate has
 * none), a wildcard certificate name covers exactly one whole left-most label
 * (never a partial label such as f*.example.com), and a certificate name with
 * a NUL inside matches nothing. The name itself is literal: one holding "*" is
 * refused (CNET_EINVAL). NULL goes back to the connect address. Call it before
 * the handshake.
 *
 * [zh] 用于连接某个地址（或名称）而验证另一个名称，例如经过代理或自己做了解析之后。地址字面量对照 iPAddress SAN 检查且不发送
 * SNI；DNS 名称末尾的点会被去掉。名称按 RFC 6125 的规则匹配：不区分大小写，对照 DNS SAN 检查（只有证书没有 DNS SAN
 * 时才看 CN），证书中的通配符名称恰好覆盖最左边的一个完整标签（绝不匹配部分标签，例如 f*.example.com），证书名称中间含有 NUL
 * 时不匹配任何名称。名称本身按字面处理：含有 "*" 的名称会被拒绝（CNET_EINVAL）。NULL 恢复使用连接地址。请在握手之前调用。
 *
 * @param socket a TLS socket
 *        [zh] TLS 套接字
 *
 * @param name the name or address literal
 *        [zh] 名称或地址字面量
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_ENOMEM: out of memory
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ETLS_NOT_TLS: the socket is not a TLS socket
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API cnet_err cnet_socket_set_server_name(cnet_socket *socket, const char *name);

/**
 * The OpenSSL SSL object of a TLS socket, for what cnet does not wrap.
 *
 * [zh] TLS 套接字的 OpenSSL SSL 对象，用于 cnet 未封装的功能。
 *
 * Cast it to SSL *. Do not change its BIOs or free it; reading and writing
 * through it bypasses cnet's buffer.
 *
 * [zh] 将其转换为 SSL *。不要更改它的 BIO 或释放它；直接通过它读写会绕过 cnet 的缓冲区。
 *
 * @param socket the socket
 *        [zh] 套接字
 *
 * @return the SSL *, or NULL when the socket is NULL, closed or not TLS
 *         [zh] SSL *；套接字为 NULL、已关闭或不是 TLS 时为 NULL
 *
 * Ports Nim: net.sslHandle
 */
CNET_API void *cnet_socket_ssl_handle(const cnet_socket *socket);

/**
 * Whether the TLS handshake of the socket has completed.
 *
 * [zh] 判断套接字的 TLS 握手是否已完成。
 *
 * @param socket a TLS socket
 *        [zh] TLS 套接字
 *
 * @param out receives the answer
 *        [zh] 接收结果
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ETLS_NOT_TLS: the socket is not a TLS socket
 *
 * Ports Nim: net.gotHandshake
 */
CNET_API cnet_err cnet_socket_got_handshake(cnet_socket *socket, bool *out);

/**
 * The peer's verified certificate chain, leaf first.
 *
 * [zh] 对端经过验证的证书链，叶证书在前。
 *
 * Like Nim, the chain is the one verification built (up to the trust anchor),
 * and it is empty when the peer was not verified (CNET_VERIFY_NONE, a failed
 * verification, or a client that sent no certificate). The caller owns the
 * list and releases it with cnet_certificate_list_free.
 *
 * [zh] 与 Nim
 * 相同，返回的是验证过程构建出的证书链（直到信任锚）；对端未经验证时（CNET_VERIFY_NONE、验证失败或客户端没有发送证书）为空。调用者拥有该列表，用
 * cnet_certificate_list_free 释放。
 *
 * @param socket a TLS socket after the handshake
 *        [zh] 握手之后的 TLS 套接字
 *
 * @param format DER or PEM (Nim default: CNET_CERT_DER)
 *        [zh] DER 或 PEM
 *
 * @param out receives the chain
 *        [zh] 接收证书链
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_ENOMEM: out of memory
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ENOTCONN: socket is not connected
 *         CNET_ETLS_NOT_TLS: the socket is not a TLS socket
 *         CNET_ETLS: TLS error
 *
 * @note Differs from Nim: Nim returns seq[Certificate] (DER only); cnet can
 * also give PEM.
 *       [zh] 与 Nim 的不同：Nim 返回 seq[Certificate]（只有 DER）；cnet 也可以给出 PEM。
 *
 * Ports Nim: net.getPeerCertificates
 */
CNET_API cnet_err cnet_socket_get_peer_certificates(cnet_socket *socket, cnet_cert_format format, cnet_certificate_list *out);

/**
 * Releases the certificates of a list and empties it.
 *
 * [zh] 释放列表中的证书并清空列表。
 *
 * @param list the list; NULL is ignored
 *        [zh] 列表；NULL 被忽略
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API void cnet_certificate_list_free(cnet_certificate_list *list);

/**
 * The PSK identity of the connection (on a server, the one the client sent).
 *
 * [zh] 连接的 PSK 身份（在服务器上即客户端发送的身份）。
 *
 * On a server, the identity the client sent (Nim's getPskIdentity); on a
 * client, the one its callback sent. "" when the handshake used no pre-shared
 * key (certificates) or has not happened yet.
 *
 * [zh] 在服务器上是客户端发送的身份（即 Nim 的
 * getPskIdentity）；在客户端上是其回调发送的身份。握手未使用预共享密钥（使用证书）或尚未握手时为 ""。
 *
 * @param socket a TLS socket
 *        [zh] TLS 套接字
 *
 * @param identity receives the NUL-terminated identity
 *        [zh] 接收以 NUL 结尾的身份
 *
 * @param size room in identity including the NUL (CNET_PSK_IDENTITY_MAX always
 * fits)
 *        [zh] identity 的容量（含 NUL；CNET_PSK_IDENTITY_MAX 总是足够）
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ETLS_NOT_TLS: the socket is not a TLS socket
 *         CNET_ERANGE: result does not fit in the buffer
 *
 * @note Differs from Nim: Nim asserts that the socket is TLS and reads
 * SSL_get_psk_identity, which OpenSSL 3 leaves empty after a TLS 1.3
 * handshake; cnet returns CNET_ETLS_NOT_TLS, and keeps the identity its PSK
 * callbacks saw, so it works in TLS 1.3 and on clients too.
 *       [zh] 与 Nim 的不同：Nim 断言套接字是 TLS 套接字并读取 SSL_get_psk_identity，而 OpenSSL 3 在 TLS 1.3 握手之后让它为空；cnet 返回 CNET_ETLS_NOT_TLS，并保存其 PSK 回调见到的身份，因此在 TLS 1.3 和客户端上同样可用。
 *
 * Ports Nim: net.getPskIdentity
 */
CNET_API cnet_err cnet_socket_get_psk_identity(cnet_socket *socket, char *identity, size_t size);

/**
 * Whether the handshake resumed an earlier session
 * (cnet_ssl_context_set_session_cache).
 *
 * [zh] 握手是否恢复了之前的会话（cnet_ssl_context_set_session_cache）。
 *
 * @param socket a TLS socket
 *        [zh] TLS 套接字
 *
 * @param out receives true for a resumed session, false for a full handshake
 * or none yet
 *        [zh] 恢复的会话为 true；完整握手或尚未握手为 false
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ETLS_NOT_TLS: the socket is not a TLS socket
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API cnet_err cnet_socket_tls_session_reused(cnet_socket *socket, bool *out);

/**
 * The application protocol (ALPN) negotiated in the handshake.
 *
 * [zh] 握手中协商出的应用层协议（ALPN）。
 *
 * @param socket a TLS socket after the handshake
 *        [zh] 握手之后的 TLS 套接字
 *
 * @param protocol receives the name, "" when none was negotiated
 *        [zh] 接收协议名；未协商时为 ""
 *
 * @param size room in protocol (CNET_ALPN_PROTOCOL_MAX always fits)
 *        [zh] protocol 的容量（CNET_ALPN_PROTOCOL_MAX 总是足够）
 *
 * @return CNET_OK on success, or one of:
 *         CNET_EINVAL: invalid argument
 *         CNET_ENOTSUP: operation not supported here
 *         CNET_ECLOSED: the socket has been closed
 *         CNET_ETLS_NOT_TLS: the socket is not a TLS socket
 *         CNET_ERANGE: result does not fit in the buffer
 *
 * cnet addition (no Nim counterpart).
 */
CNET_API cnet_err cnet_socket_get_alpn_protocol(cnet_socket *socket, char *protocol, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* CNET_TLS_H */
