/*
 * libuv_echo PORT - the libuv row of the echo benchmark (bench/echo.sh):
 * listens on 127.0.0.1:PORT and echoes every byte of every connection until
 * killed, on one uv_loop_t (libuv 1.44, Debian libuv1-dev).
 *
 * Written the way libuv's own documentation and examples write an echo
 * server: uv_tcp_init + uv_accept per connection, uv_read_start with an
 * alloc callback that mallocs the suggested size, and a uv_write of the
 * bytes read that frees the buffer in its callback. The one thing added is
 * uv_tcp_nodelay, as the other servers set TCP_NODELAY too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <uv.h>

struct write_req {
    uv_write_t req;
    uv_buf_t buf;
};

static uv_loop_t *loop;

static void on_close(uv_handle_t *h)
{
    free(h);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)h;
    buf->base = malloc(suggested);
    buf->len = buf->base ? suggested : 0;
}

static void on_written(uv_write_t *req, int status)
{
    struct write_req *w = (struct write_req *)req;
    if (status < 0 && !uv_is_closing((uv_handle_t *)req->handle))
        uv_close((uv_handle_t *)req->handle, on_close);
    free(w->buf.base);
    free(w);
}

static void on_read(uv_stream_t *client, ssize_t nread, const uv_buf_t *buf)
{
    if (nread > 0) {
        struct write_req *w = malloc(sizeof *w);
        if (w) {
            w->buf = uv_buf_init(buf->base, (unsigned)nread);
            if (uv_write(&w->req, client, &w->buf, 1, on_written) == 0)
                return;
            free(w);
        }
        free(buf->base);
        uv_close((uv_handle_t *)client, on_close);
        return;
    }
    free(buf->base);
    if (nread < 0 && !uv_is_closing((uv_handle_t *)client))
        uv_close((uv_handle_t *)client, on_close); /* UV_EOF or an error */
}

static void on_connection(uv_stream_t *server, int status)
{
    if (status < 0)
        return;
    uv_tcp_t *client = malloc(sizeof *client);
    if (!client)
        return;
    uv_tcp_init(loop, client);
    if (uv_accept(server, (uv_stream_t *)client) != 0) {
        uv_close((uv_handle_t *)client, on_close);
        return;
    }
    uv_tcp_nodelay(client, 1);
    uv_read_start((uv_stream_t *)client, on_alloc, on_read);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: libuv_echo PORT\n");
        return 2;
    }
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    loop = uv_default_loop();
    uv_tcp_t server;
    struct sockaddr_in addr;
    uv_tcp_init(loop, &server);
    uv_ip4_addr("127.0.0.1", atoi(argv[1]), &addr);
    int r = uv_tcp_bind(&server, (const struct sockaddr *)&addr, 0);
    if (r == 0)
        r = uv_listen((uv_stream_t *)&server, 4096, on_connection);
    if (r != 0) {
        fprintf(stderr, "libuv_echo: listen: %s\n", uv_strerror(r));
        return 1;
    }
    return uv_run(loop, UV_RUN_DEFAULT);
}
