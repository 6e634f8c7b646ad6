# The report of bench/echo.sh: reads its results file and prints the
# messages/s table, the server-CPU table, the ratios against the targets and
# the memory per idle connection.
#
# Input lines:  SERVER ROW REP MSGS_PER_S SERVER_NS_PER_MSG LOADGEN_NS_PER_MSG
#               (or SERVER ROW REP FAIL)
#               mem SERVER PRIV_KB_BEFORE PRIV_KB_AFTER RSS_KB_BEFORE RSS_KB_AFTER N
# Variables: servers (names, space separated), labels (their column titles,
# "|" separated, same order), rows, reps, secs, cpu, idle, only (ECHO_ONLY:
# "tls" or "plain" leaves out the lines of servers that did not run).

# the median of v[1..m]
function med(v, m,    i, j, t) {
    if (m == 0)
        return ""
    for (i = 2; i <= m; i++)
        for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
            t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
        }
    return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
}

# the median over the repetitions of one server's row (kind "rate" or "cpu")
function median(kind, s, r,    k, m, v) {
    m = 0
    for (k = 1; k <= reps; k++)
        if ((kind, s, r, k) in val)
            v[++m] = val[kind, s, r, k]
    return med(v, m)
}

function rowlabel(r,    c, s) {
    c = r; sub(/x.*/, "", c)
    s = r; sub(/.*x/, "", s)
    return c "x" (s == 4096 ? "4KiB" : s "B")
}

function has(s) { return s in present }

# The ratio of two servers on one row: of messages/s (kind "rate"), of
# messages per CPU-second of both ends (kind "norm"), or of the server's
# CPU per message (kind "cpu": den's ns / num's ns, above 1 when num is
# cheaper). Paired: the median over the repetitions of the ratio within one
# repetition, where both ran seconds apart, so a slow spell of the machine
# cancels out.
function ratio(kind, num, den, r,    k, m, v, a, b) {
    m = 0
    for (k = 1; k <= reps; k++) {
        if (!((kind, num, r, k) in val) || !((kind, den, r, k) in val))
            continue
        a = val[kind, num, r, k]; b = val[kind, den, r, k]
        if (kind != "cpu" && b > 0)
            v[++m] = a / b
        else if (kind == "cpu" && a > 0)
            v[++m] = b / a
    }
    return med(v, m)
}

function abs(x) { return x < 0 ? -x : x }

function verdict(v, target,    t, margin) {
    if (v == "")
        return "n/a"
    margin = v / target - 1
    if (v >= target)
        t = sprintf("MET (%+.1f %% over)", margin * 100)
    else
        t = sprintf("NOT MET (%.1f %% short)", -margin * 100)
    if (noise[kind] != "" && abs(margin) <= noise[kind])
        t = t ", within the control's noise"
    return t
}

# one line of ratios; scope: a row name, "all" (worst row) or "" (no target)
function ratio_line(kind, num, den, title, target, scope,    i, r, v, worst, s, shown, missing) {
    if (!has(num) || !has(den)) {
        if (kind != "rate" || only != "")
            return
        missing = !has(num) ? num : den
        printf "%-36s %s\n", title, (missing ~ /^cnet/ ? "n/a (cnet rows skipped)" : "n/a (" missing " not built)")
        return
    }
    line = sprintf("%-36s", title)
    worst = ""; shown = ""
    for (i = 1; i <= nrows; i++) {
        r = R[i]
        v = ratio(kind, num, den, r)
        line = line sprintf(" %8s", v == "" ? "-" : sprintf("%.2f", v))
        if (v != "" && (worst == "" || v < worst))
            worst = v
        if (r == scope)
            shown = v
    }
    if (scope == "all")
        shown = worst
    if (target != "")
        line = line sprintf("  >=%.2f %-9s %s", target, scope == "all" ? "worst row" : "@" rowlabel(scope),
                            verdict(shown, target))
    print line
}

BEGIN {
    nserv = split(servers, S, " ")
    split(labels, L, "|")
    nrows = split(rows, R, " ")
    for (i = 1; i <= nserv; i++)
        present[S[i]] = 1
}

$1 == "mem" {
    if ($3 == "FAIL")
        memfail[$2] = 1
    else {
        mem_pd[$2] = ($4 - $3) * 1024 / $7
        mem_rss[$2] = ($6 - $5) * 1024 / $7
        mem_before[$2] = $3; mem_after[$2] = $4
    }
    next
}

{
    if ($4 == "FAIL") { failed[$1, $2] = 1; next }
    val["rate", $1, $2, $3] = $4
    if ($5 > 0 && $6 > 0) {
        val["cpu", $1, $2, $3] = $5
        val["norm", $1, $2, $3] = 1e9 / ($5 + $6)
        nshare++; share[nshare] = $4 * ($5 + $6) / 1e9
    }
}

END {
    for (i = 1; i <= nserv; i++)
        for (j = 1; j <= nrows; j++) {
            M[S[i], R[j]] = median("rate", S[i], R[j])
            C[S[i], R[j]] = median("cpu", S[i], R[j])
        }

    printf "\nEcho benchmark: messages/s, median of %d runs of %s s; server and load generator both pinned to CPU %d\n", reps, secs, cpu
    printf "(one message in flight per connection; a FAIL marks a run that failed verification or did not finish)\n"
    printf "%-12s", "conns x size"
    for (i = 1; i <= nserv; i++) printf " %11s", L[i]
    printf "\n"
    for (j = 1; j <= nrows; j++) {
        printf "%-12s", rowlabel(R[j])
        for (i = 1; i <= nserv; i++) {
            printf " %11s", ((S[i], R[j]) in failed) ? "FAIL" : (M[S[i], R[j]] == "" ? "-" : sprintf("%.0f", M[S[i], R[j]]))
        }
        printf "\n"
    }

    printf "\nServer CPU time per message, microseconds (all server threads, measured seconds only; lower is better)\n"
    printf "%-12s", "conns x size"
    for (i = 1; i <= nserv; i++) printf " %11s", L[i]
    printf "\n"
    for (j = 1; j <= nrows; j++) {
        printf "%-12s", rowlabel(R[j])
        for (i = 1; i <= nserv; i++)
            printf " %11s", C[S[i], R[j]] == "" ? "-" : sprintf("%.2f", C[S[i], R[j]] / 1000)
        printf "\n"
    }

    # the control's largest deviation from 1 over the rows, per kind
    split("rate norm cpu", KIND, " ")
    for (pass = 1; pass <= 3; pass++) {
        kind = KIND[pass]
        noise[kind] = ""
        if (has("control") && has("bare_epoll"))
            for (j = 1; j <= nrows; j++) {
                v = ratio(kind, "control", "bare_epoll", R[j])
                if (v != "" && (noise[kind] == "" || abs(v - 1) > noise[kind]))
                    noise[kind] = abs(v - 1)
            }
        # the TLS control counts too (the only one when ECHO_ONLY=tls)
        if (has("tls_control") && has("bare_tls"))
            for (j = 1; j <= nrows; j++) {
                v = ratio(kind, "tls_control", "bare_tls", R[j])
                if (v != "" && (noise[kind] == "" || abs(v - 1) > noise[kind]))
                    noise[kind] = abs(v - 1)
            }
    }

    if (nshare > 0) {
        lo = 1e9
        for (i = 1; i <= nshare; i++) { v2[i] = share[i]; if (share[i] < lo) lo = share[i] }
        printf "\nShare of CPU %d the two ends got (their CPU time / wall time): median %.0f %%, lowest %.0f %%%s\n", cpu,
               med(v2, nshare) * 100, lo * 100, lo < 0.9 ? "; other processes took the rest, which is why the second block exists" : ""
    }

    for (pass = 1; pass <= 3; pass++) {
        kind = KIND[pass]
        if (pass == 1)
            printf "\nRatios of messages/s, each the median of the %d per-repetition ratios (the targets are judged here)\n", reps
        else if (pass == 2)
            printf "\nThe same ratios by messages per CPU-second of both ends (messages/s as if nothing else ran on CPU %d;\nthe ones to trust when the share above is well below 100 %%)\n", cpu
        else
            printf "\nThe same ratios by server CPU per message (other's CPU / this one's; not diluted by the load generator, for information)\n"
        printf "%-36s", ""
        for (j = 1; j <= nrows; j++) printf " %8s", rowlabel(R[j])
        printf "  target\n"
        ratio_line(kind, "control", "bare_epoll", "control: bare epoll 2nd process / 1st", "", "")
        ratio_line(kind, "cnet_uring", "bare_uring", "cnet io_uring / bare io_uring", 0.95, "1000x64")
        ratio_line(kind, "cnet_uring", "bare_epoll", "cnet io_uring / bare epoll", 1.20, "1000x64")
        ratio_line(kind, "cnet_epoll", "bare_epoll", "cnet epoll / bare epoll", 0.95, "all")
        ratio_line(kind, "cnet_uring", "libuv", "cnet io_uring / libuv", 1.00, "all")
        ratio_line(kind, "cnet_epoll", "libuv", "cnet epoll / libuv", 1.00, "all")
        ratio_line(kind, "cnet_uring", "nim", "cnet io_uring / Nim", 3.00, "all")
        ratio_line(kind, "cnet_epoll", "nim", "cnet epoll / Nim", 3.00, "all")
        ratio_line(kind, "cnet_uring_off", "bare_epoll", "cnet CNET_IO_URING=off / bare epoll", "", "")
        ratio_line(kind, "bare_uring", "bare_epoll", "bare io_uring / bare epoll", "", "")
        ratio_line(kind, "bare_epoll", "libuv", "bare epoll / libuv", "", "")
        ratio_line(kind, "bare_epoll", "nim", "bare epoll / Nim", "", "")
        ratio_line(kind, "bare_uring", "nim", "bare io_uring / Nim", "", "")
        ratio_line(kind, "tls_control", "bare_tls", "TLS control: bare TLS 2nd / 1st", "", "")
        ratio_line(kind, "cnet_tls", "bare_tls", "cnet TLS epoll / bare TLS epoll", 0.90, "all")
        ratio_line(kind, "cnet_tls_uring", "bare_tls", "cnet TLS io_uring / bare TLS epoll", "", "")
        if (noise[kind] != "")
            printf "noise: the control strayed up to %.1f %% from 1.00 this run; a ratio closer than that to its target is not decided\n", noise[kind] * 100
    }

    if (has("bare_uring") && has("bare_epoll")) {
        printf "\nbare io_uring vs bare epoll:"
        for (pass = 1; pass <= 2; pass++) {
            kind = KIND[pass]
            ahead = 0; total = 0
            for (j = 1; j <= nrows; j++) {
                v = ratio(kind, "bare_uring", "bare_epoll", R[j])
                if (v != "") { total++; if (v > 1) ahead++ }
            }
            v = ratio(kind, "bare_uring", "bare_epoll", "1000x64")
            printf "%s by %s ahead on %d of %d rows, at 1000x64B %sx", pass == 1 ? "" : ";",
                   kind == "rate" ? "messages/s" : "messages per CPU-second", ahead, total, v == "" ? "-" : sprintf("%.2f", v)
            if (kind == "rate")
                head_rate = v
            else
                head_norm = v
        }
        printf "\n"
        if ((head_rate != "" && head_rate <= 1) || (head_norm != "" && head_norm <= 1))
            printf "-> bare io_uring is NOT ahead of bare epoll on this machine at 1000x64B (by at least one measure)\n"
        else if (head_rate != "" && head_rate - 1 <= noise["rate"] || head_norm != "" && head_norm - 1 <= noise["norm"])
            printf "-> bare io_uring is ahead at 1000x64B, but by less than the control's noise\n"
    }

    if (only == "tls")
        exit
    printf "\nMemory per idle connection (%d connections, each echoed one byte; fresh server after a warm-up)\n", idle
    printf "%-12s %14s %14s %16s %16s\n", "server", "Private_Dirty", "after (KiB)", "bytes/conn", "bytes/conn (RSS)"
    for (i = 1; i <= nserv; i++) {
        s = S[i]
        if (s == "control")
            continue
        if (s in memfail) { printf "%-12s %14s\n", L[i], "FAIL"; continue }
        if (!(s in mem_pd)) { printf "%-12s %14s\n", L[i], "-"; continue }
        printf "%-12s %14d %14d %16.0f %16.0f\n", L[i], mem_before[s], mem_after[s], mem_pd[s], mem_rss[s]
    }
    t = "cnet io_uring <= 1024 bytes per idle connection: "
    if (!has("cnet_uring"))
        print t "n/a (cnet rows skipped)"
    else if (!("cnet_uring" in mem_pd))
        print t "n/a (not measured)"
    else if (mem_pd["cnet_uring"] <= 1024)
        printf "%sMET (%.0f bytes, %.0f under)\n", t, mem_pd["cnet_uring"], 1024 - mem_pd["cnet_uring"]
    else
        printf "%sNOT MET (%.0f bytes, %.0f over)\n", t, mem_pd["cnet_uring"], mem_pd["cnet_uring"] - 1024
}
