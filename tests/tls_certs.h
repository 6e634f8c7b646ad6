/*
 * The test certificates of the TLS suites (tls, async_tls), made at test time
 * by tests/tls_mkcerts.sh (TLS_MKCERTS) with the openssl CLI, the contexts
 * the suites build from them, and the openssl CLI processes they start. Include after test_common.h, once
 * per suite: it defines the suite's POST_ALL report hook. TLS_CERTS_TAG
 * names the suite's directory ("cnet-tls", "cnet-atls").
 */
#ifndef CNET_TEST_TLS_CERTS_H
#define CNET_TEST_TLS_CERTS_H

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#ifndef TLS_CERTS_TAG
#error "define TLS_CERTS_TAG before including tls_certs.h"
#endif

/* Skip unless this cnet has TLS and the openssl CLI exists. */
static inline void need_tls(void)
{
    if (!cnet_tls_available())
        cr_skip_test("cnet was built without TLS");
    if (system("command -v openssl >/dev/null 2>&1") != 0)
        cr_skip_test("no openssl CLI to make certificates");
}

/* The certificate directory of this test run (made once, shared by the
 * forked tests: keyed by the runner's pid, published by an atomic rename). */
static char cert_dir[256];

static inline const char *certs(void)
{
    snprintf(cert_dir, sizeof cert_dir, "%s/%s-%ld", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", TLS_CERTS_TAG,
             (long)getppid());
    char done[300];
    snprintf(done, sizeof done, "%s/done", cert_dir);
    struct stat st;
    if (stat(done, &st) == 0)
        return cert_dir;
    char tmp[300], cmd[1200];
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", cert_dir, (long)getpid());
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s' && sh '%s' '%s'", tmp, tmp, TLS_MKCERTS, tmp);
    cr_assert_eq(system(cmd), 0, "tls_mkcerts.sh failed");
    if (rename(tmp, cert_dir) != 0) {
        /* Another test published the directory first. */
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
        cr_assert_eq(system(cmd), 0);
    }
    cr_assert_eq(stat(done, &st), 0);
    return cert_dir;
}

ReportHook(POST_ALL)(struct criterion_global_stats *stats)
{
    (void)stats;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s/%s-%ld'", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", TLS_CERTS_TAG,
             (long)getpid());
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove the test certificates\n");
}

static char path_buf[8][320];
static int path_next;

/* DIR/name (a few at a time). */
static inline const char *cert(const char *name)
{
    char *p = path_buf[path_next++ % 8];
    snprintf(p, sizeof path_buf[0], "%s/%s", certs(), name);
    return p;
}

/* A context for a server with the leaf NAME (NAME.pem, NAME.key). */
static inline cnet_ssl_context *server_ctx(const char *name)
{
    char pem[64], key[64];
    snprintf(pem, sizeof pem, "%s.pem", name);
    snprintf(key, sizeof key, "%s.key", name);
    cnet_ssl_options o = {0};
    o.cert_file = cert(pem);
    o.key_file = cert(key);
    cnet_ssl_context *ctx;
    TC_OK(cnet_ssl_context_new(&o, &ctx));
    return ctx;
}

/* A client context trusting the test CA. */
static inline cnet_ssl_context *client_ctx(void)
{
    cnet_ssl_options o = {0};
    o.ca_file = cert("ca.pem");
    cnet_ssl_context *ctx;
    TC_OK(cnet_ssl_context_new(&o, &ctx));
    return ctx;
}

/* ----------------------------------------------- a process to run */

/* sh -c cmd in a process group of its own (reap kills the group). */
static inline pid_t spawn(const char *cmd)
{
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        setpgid(0, 0);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    return pid;
}

static inline int reap(pid_t pid, bool kill_it)
{
    if (kill_it)
        kill(-pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Whether the file at path says text within ms milliseconds. */
static inline bool file_has(const char *path, const char *text, int ms)
{
    for (int i = 0; i <= ms / 20; i++) {
        FILE *f = fopen(path, "r");
        if (f != NULL) {
            char buf[8192];
            size_t n = fread(buf, 1, sizeof buf - 1, f);
            fclose(f);
            buf[n] = '\0';
            if (strstr(buf, text) != NULL)
                return true;
        }
        tc_sleep_ms(20);
    }
    return false;
}

/* A TCP port on 127.0.0.1 that was free a moment ago. */
static inline cnet_port free_port(void)
{
    cnet_port port;
    cnet_socket_handle h = tc_listener(CNET_AF_INET, &port);
    cnet_close(h);
    return port;
}

#endif /* CNET_TEST_TLS_CERTS_H */
