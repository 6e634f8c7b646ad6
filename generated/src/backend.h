/* generated from spec/core.yaml, spec/errors.yaml, spec/nativesockets.yaml, spec/platforms.yaml by codegen/templates/backend.h.j2 - do not edit; regenerate with `make regen` */
/*
 * The internal interface between the shared code and a backend. Every
 * function named cnet__sys_* has the signature of the public function it
 * serves and is defined once per backend (backends/<name>/); the generated
 * API layer (api_*.c) validates arguments and then calls it. Shared
 * implementations (cnet__*) live in src/.
 */
#ifndef CNET__BACKEND_H
#define CNET__BACKEND_H

#include <cnet/cnet.h>

/* ---------------------------------------------------- backend edge functions */
cnet_err cnet__sys_create_native_socket_int(int domain, int type, int protocol, bool inheritable, cnet_socket_handle *out);
cnet_err cnet__sys_close(cnet_socket_handle handle);
cnet_err cnet__sys_set_inheritable(cnet_socket_handle handle, bool inheritable);
cnet_err cnet__sys_bind_addr(cnet_socket_handle handle, const struct sockaddr *name, cnet_socklen namelen);
cnet_err cnet__sys_listen(cnet_socket_handle handle, int backlog);
cnet_err cnet__sys_accept(cnet_socket_handle handle, bool inheritable, cnet_socket_handle *client, char *address, size_t address_size);
cnet_err cnet__sys_get_addr_info(const char *address, cnet_port port, cnet_domain domain, cnet_sock_type type, cnet_protocol protocol, struct addrinfo **out);
cnet_err cnet__sys_get_serv_by_name(const char *name, const char *proto, cnet_servent *out);
cnet_err cnet__sys_get_serv_by_port(cnet_port port, const char *proto, cnet_servent *out);
cnet_err cnet__sys_get_host_by_addr(const char *ip, cnet_hostent *out);
cnet_err cnet__sys_get_host_by_name(const char *name, cnet_hostent *out);
cnet_err cnet__sys_get_proto_by_name(const char *name, int *out);
cnet_err cnet__sys_get_hostname(char *buf, size_t size);
cnet_err cnet__sys_get_sock_domain(cnet_socket_handle handle, cnet_domain *out);
cnet_err cnet__sys_get_sock_name(cnet_socket_handle handle, cnet_port *out);
cnet_err cnet__sys_get_local_addr(cnet_socket_handle handle, char *address, size_t address_size, cnet_port *port);
cnet_err cnet__sys_get_peer_addr(cnet_socket_handle handle, char *address, size_t address_size, cnet_port *port);
cnet_err cnet__sys_get_sock_opt_int(cnet_socket_handle handle, int level, int optname, int *out);
cnet_err cnet__sys_set_sock_opt_int(cnet_socket_handle handle, int level, int optname, int value);
cnet_err cnet__sys_set_blocking(cnet_socket_handle handle, bool blocking);
cnet_err cnet__sys_ioctlsocket(cnet_socket_handle handle, long cmd, unsigned long *argp);
cnet_err cnet__sys_select_read(cnet_socket_handle *handles, size_t *count, int timeout);
cnet_err cnet__sys_select_write(cnet_socket_handle *handles, size_t *count, int timeout);

/* ------------------------------------------------ shared implementations */
cnet_err cnet__port_to_string(cnet_port port, char *buf, size_t size);
cnet_err cnet__port_from_int(long value, cnet_port *out);
cnet_err cnet__port_parse(const char *text, cnet_port *out);
cnet_err cnet__to_known_domain(int family, cnet_domain *out);
cnet_err cnet__create_native_socket(cnet_domain domain, cnet_sock_type type, cnet_protocol protocol, bool inheritable, cnet_socket_handle *out);
cnet_err cnet__new_raw_socket(cnet_domain domain, cnet_sock_type type, cnet_protocol protocol, cnet_socket_handle *out);
cnet_err cnet__new_raw_socket_int(int domain, int type, int protocol, cnet_socket_handle *out);
cnet_err cnet__get_addr_string(const struct sockaddr *addr, cnet_socklen addrlen, char *buf, size_t size);

/* --------------------------------------- enum checks (from the spec's enums) */
static inline bool cnet__domain_is_valid(int value)
{
    switch (value) {
    case CNET_AF_UNSPEC:
    case CNET_AF_UNIX:
    case CNET_AF_INET:
    case CNET_AF_INET6:
        return true;
    default:
        return false;
    }
}

static inline bool cnet__sock_type_is_valid(int value)
{
    switch (value) {
    case CNET_SOCK_STREAM:
    case CNET_SOCK_DGRAM:
    case CNET_SOCK_RAW:
    case CNET_SOCK_SEQPACKET:
        return true;
    default:
        return false;
    }
}

static inline bool cnet__protocol_is_valid(int value)
{
    switch (value) {
    case CNET_IPPROTO_TCP:
    case CNET_IPPROTO_UDP:
    case CNET_IPPROTO_IP:
    case CNET_IPPROTO_IPV6:
    case CNET_IPPROTO_RAW:
    case CNET_IPPROTO_ICMP:
    case CNET_IPPROTO_ICMPV6:
        return true;
    default:
        return false;
    }
}

/* ---------------------- per-backend tables (generated/backends/NAME/tables.c) */
/* The OS constant of a cnet_domain value, or -1 when it has none. */
int cnet__domain_to_os(cnet_domain value);
/* The cnet_domain value of an OS constant; false when there is none. */
bool cnet__domain_from_os(int os_value, cnet_domain *out);
/* The OS constant of a cnet_sock_type value, or -1 when it has none. */
int cnet__sock_type_to_os(cnet_sock_type value);
/* The cnet_sock_type value of an OS constant; false when there is none. */
bool cnet__sock_type_from_os(int os_value, cnet_sock_type *out);
/* The OS constant of a cnet_protocol value, or -1 when it has none. */
int cnet__protocol_to_os(cnet_protocol value);
/* The cnet_protocol value of an OS constant; false when there is none. */
bool cnet__protocol_from_os(int os_value, cnet_protocol *out);
/* Translate an OS error of domain "errno" to a cnet_err (CNET_EOS if unknown). */
cnet_err cnet__err_from_errno(int os_error);
/* Translate an OS error of domain "gai" to a cnet_err (CNET_EOS if unknown). */
cnet_err cnet__err_from_gai(int os_error);
/* Translate an OS error of domain "herrno" to a cnet_err (CNET_EOS if unknown). */
cnet_err cnet__err_from_herrno(int os_error);
/* Translate an OS error of domain "winsock" to a cnet_err (CNET_EOS if unknown). */
cnet_err cnet__err_from_winsock(int os_error);
/* Whether a cnet_err counts as a disconnection on this backend (SafeDisconn). */
bool cnet__err_is_disconnection(cnet_err err);

/* ------------------------------------ error state (src/error.c, hand-written) */
/* Record a failure detected by cnet itself and return err. */
cnet_err cnet__fail(cnet_err err, const char *message);
/* Record a failure with the OS error that caused it and return err. */
cnet_err cnet__fail_os(cnet_err err, int os_error, const char *function, const char *what);

#endif /* CNET__BACKEND_H */
