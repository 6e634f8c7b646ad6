/*
 * Throughput of cnet's buffered socket (readLine, bulk send/recv, ping-pong)
 * against plain C socket code doing the same job, measured in the same run.
 *
 * Every measurement is two processes (fork) joined by a loopback TCP
 * connection. By default both are pinned to ONE CPU: on this VM a wakeup
 * that crosses vCPUs costs 40-100 us and makes unpinned figures bimodal
 * (see reliability-checklist.md part B). A second, smaller pass pins the
 * two processes to different CPUs. Each figure is the median of several
 * runs; raw and cnet runs alternate so drift hits both alike.
 *
 *   readline  10M lines of 64 bytes ("...\r\n", 640 MB) from a plain sender.
 *             raw:  recv() into a 4000-byte buffer + memchr('\n') + copy of
 *                   the line into a line buffer (the "raw memchr reader").
 *             cnet: cnet_socket_read_line on a buffered cnet_socket.
 *   bulk      512 MiB in 64 KiB pieces, twice BENCH_REPS runs (bulk.c says why).
 *             raw:  blocking send() / recv().
 *             cnet: cnet_socket_send / cnet_socket_recv_some (and, as an
 *                   extra row, cnet_socket_recv, which fills all 64 KiB).
 *   pingpong  200k round trips of 64 bytes, TCP_NODELAY on both ends.
 *             raw:  send() + recv() loop; cnet: cnet_socket_send +
 *                   cnet_socket_recv(64) on both ends.
 *   connect   20k connections, each connected, accepted and closed.
 *             raw:  socket() + connect() + close() / accept4() + close().
 *             cnet: cnet_dial + cnet_socket_close / cnet_socket_accept +
 *                   cnet_socket_close. SO_LINGER 0 on every client socket
 *                   (both variants): the client's close resets, no
 *                   TIME_WAIT anywhere (see connect.c). Also judged per
 *                   CPU-second of both processes (wait4 of the forked one),
 *                   which other tenants' load does not move.
 *   nim       (after the same-CPU passes, the machine's congestion control)
 *             cnet_socket_read_line against Nim's net.readLine
 *             (bench/nim_reader.nim), lines of 16, 64 and 256 bytes from one
 *             sender; target: cnet's receiver CPU per line <= 1/10 of Nim's
 *             (nim_readline.c). Skipped, saying why, without nim.
 *
 * Noise controls: connect and bulk run their baseline twice (bulk on
 * io_uring: the bare loop twice); the second's ratio to the first is the
 * run's noise, printed as "noise control". The nim rows run Nim twice.
 *
 * Extra (informational, no target) rows: the same cnet calls with a
 * per-socket deadline (cnet_socket_set_timeout), which switches the posix
 * backend to MSG_DONTWAIT + poll, cnet_socket_recv_line (one malloc per
 * line) and, in an io_uring build (CNET_BENCH_URING, set by bench/run.sh),
 * ping-pong, bulk and the memchr reader on a bare io_uring loop without
 * cnet: the io_uring ceilings. An io_uring build ends its same-CPU passes
 * with the ring's cost per operation when nothing waits (ring_op_cost).
 *
 * The same-CPU pass runs once per TCP congestion control listed in BENCH_CC
 * (default: the machine's, then cubic, Linux's default, when the machine's
 * is another). On this VM the sysctl says bbr, which paces loopback: bulk
 * moves a third of cubic's bytes per second and each byte costs the kernel
 * about four times the CPU, which dilutes the library's cost per call.
 * Under cubic the receiver is CPU-bound and that cost shows in full. Both
 * passes are judged against the targets.
 *
 * Only the public API is used for the cnet side (cnet_socket_from_handle on
 * a connected descriptor), so the program runs unchanged on any backend.
 *
 * Every load is bounded: counts are fixed, each run has a wall-clock limit
 * (BENCH_RUN_TIMEOUT seconds, SIGALRM in both processes plus SO_RCVTIMEO /
 * SO_SNDTIMEO on both sockets) and everything stays on 127.0.0.1.
 *
 * Usage: bench_net [quick] [same|cross] [readline] [bulk] [pingpong] [connect] [nim] [noextra]
 * Environment (all optional):
 *   BENCH_REPS=5            runs per variant (median reported)
 *   BENCH_SCALE=1.0         multiplies every count (quick = 0.1)
 *   BENCH_LINES=10000000    lines per readline run
 *   BENCH_BULK_MB=512       MiB per bulk run
 *   BENCH_PINGS=200000      round trips per same-CPU ping-pong run
 *   BENCH_PINGS_CROSS=20000 round trips per cross-CPU ping-pong run
 *   BENCH_CONNS=20000       connections per connect run
 *   BENCH_NIM_MB=32         MiB of lines per nim readline run and line size
 *   BENCH_NIM_READER=<path> the Nim reader (bench/run.sh builds it when nim is installed)
 *   BENCH_CROSS=1           0 skips the cross-CPU pass
 *   BENCH_EXTRA=1           0 skips the informational rows
 *   BENCH_CPU=<n>           CPU for the same-CPU pass (default: first allowed)
 *   BENCH_CPU2=<n>          second CPU for the cross pass (default: next allowed)
 *   BENCH_CC=system,cubic   the same-CPU passes' congestion controls (system = the machine's)
 *   BENCH_RUN_TIMEOUT=60    seconds allowed for one run
 *   BENCH_VERBOSE=0         1 prints every run
 *   BENCH_ONLY_ROW=0        k > 0 runs row k of each test alone, no ratios (for a profiler:
 *                           1 = the baseline, 2 = cnet, 3... = the extra rows in order)
 *   BENCH_STRICT=0          1 exits with status 1 when a same-CPU ratio misses its target
 *
 * Each result also shows the spread, the median of the per-repetition
 * cnet/raw ratios (a drift check) and the receiver's CPU time per unit
 * (CLOCK_THREAD_CPUTIME_ID around the measured loop, kernel time included),
 * which separates the library's own cost from the scheduling of two
 * processes on one CPU.
 *
 * The program is split by benchmark family: readline.c, bulk.c, pingpong.c,
 * connect.c, nim_readline.c and ring_cost.c (io_uring builds), each using only the harness
 * (harness.c: arguments and knobs, runs, report, targets, passes;
 * harness_uring.c: the bare io_uring loop; common.c: clocks, pinning,
 * median). This file prints the header and runs the passes.
 *
 * Build: see bench/run.sh (release library with LTO in build-bench/, then
 *   gcc -O2 -flto -std=c11 -D_GNU_SOURCE -Igenerated/include bench/bench_net.c \
 *       bench/harness.c bench/common.c bench/readline.c bench/bulk.c \
 *       bench/pingpong.c bench/connect.c bench/nim_readline.c build-bench/libcnet.a \
 *       -lpthread -o build-bench/bench_net
 * and, for an io_uring build, -DCNET_BENCH_URING, bench/harness_uring.c,
 * bench/ring_cost.c and -luring as well).
 */
#define _GNU_SOURCE 1

#include <stdio.h>

#include <cnet/cnet.h>

#include "families.h"
#include "harness.h"
#ifdef CNET_BENCH_URING
#include "harness_uring.h"
#endif

int main(int argc, char **argv)
{
    configure(argc, argv);
    test_def readline = readline_test(), bulk = bulk_test(), pingpong = pingpong_test(),
             connect = connect_test();

    printf("bench_net: cnet %s, backend %s (serving: %s); %d runs each, median; same-CPU pass on CPU %d",
           cnet_version(), cnet_backend_name(), cnet_backend_active(), cfg.reps, cfg.cpu);
    if (cfg.cross)
        printf(", cross pass: receiver CPU %d, sender CPU %d", cfg.cpu, cfg.cpu2);
    printf("\n  TCP congestion control of the same-CPU passes (BENCH_CC): %s; the machine's default: %s",
           cfg.cc_list, cfg.system_cc);
    printf("\n  readline %ld lines x %d B (%.0f MB), bulk %lld MiB in %d KiB pieces, pingpong %ld (cross %ld) x %d B\n",
           cfg.lines, LINE_BYTES, (double)cfg.lines * LINE_BYTES / 1e6, cfg.bulk_bytes >> 20, BULK_CHUNK / 1024,
           cfg.pings, cfg.pings_cross, PING_SIZE);
    fflush(stdout);
#ifdef CNET_BENCH_URING
    /* The bare loop's ring of the measuring side, set up now as cnet's was
     * (cnet_backend_active above): see harness_uring.h. */
    bench_ring_init();
#endif

    const test_def *tests[4];
    int n = 0;
    if (cfg.do_readline)
        tests[n++] = &readline;
    if (cfg.do_bulk)
        tests[n++] = &bulk;
    if (cfg.do_pingpong)
        tests[n++] = &pingpong;
    if (cfg.do_connect)
        tests[n++] = &connect;

    double t0 = now_s();
    run_same_cpu_passes(tests, n);
    if (cfg.same && cfg.do_nim)
        nim_readline_pass(cfg.cpu);
#ifdef CNET_BENCH_URING
    if (cfg.same && cfg.do_bulk)
        ring_op_cost(cfg.cpu);
#endif
    run_cross_cpu_pass(tests, n);
    printf("\ntotal %.1f s\n", now_s() - t0);
    /* Noisy by nature: a missed target fails the run only when asked to. */
    return any_below && env_long("BENCH_STRICT", 0) != 0 ? 1 : 0;
}
