#!/usr/bin/env python3
"""Reads the wrk outputs of bench/load.sh and writes results.md and
results.svg: req/s, p50/p99, the ratio to /livez per path, the request
header bytes per mode, the first visit's transfer, the idle RSS, and per
mode the RSS and database bytes that its logins added. Also results.json,
which /compare shows."""
import datetime
import html
import json
import os
import re
import subprocess
import sys

work, out, duration, connections, threads, rounds = sys.argv[1:7]
rounds = int(rounds)

LABELS = {
    "livez": "`/livez` (the ceiling: no database)",
    "readyz": "`/readyz` (database and session store)",
    "jwt_me": "JWT `GET /api/me` (Bearer)",
    "session_me": "session `GET /api/me` (cookie)",
    "jwt_strict_me": "JWT `GET /api/me`, strict revocation on",
    "home": "anonymous `GET /` (server-rendered page)",
    "login": "anonymous `GET /login`",
    "me_page": "logged-in `GET /me` page",
    "css": "`GET /pkg/authlab.<hash>.css` (static file, brotli)",
    "peer_session_me": "Express peer: session `GET /api/me`",
    "peer_jwt_me": "Express peer: JWT `GET /api/me`",
}
# The Express peer's path of the same name, for the ratio.
PEERS = {"session_me": "peer_session_me", "jwt_me": "peer_jwt_me"}


def millis(value):
    number, unit = re.match(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_one(path):
    text = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p50 = millis(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
    p99 = millis(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    sockets = re.search(r"Socket errors: (.*)", text)
    return {
        "rps": rps,
        "p50": p50,
        "p99": p99,
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": sockets.group(1) if sockets else "",
    }


def parse(name):
    """The median round of a path (by req/s), with every round's errors."""
    runs = sorted(
        (parse_one(os.path.join(work, f"wrk-{name}-{round}.txt")) for round in range(1, rounds + 1)),
        key=lambda run: run["rps"],
    )
    median = dict(runs[len(runs) // 2])
    median["errors"] = sum(run["errors"] for run in runs)
    median["socket_errors"] = " ".join(run["socket_errors"] for run in runs if run["socket_errors"])
    median["spread"] = (runs[0]["rps"], runs[-1]["rps"])
    return median


all_runs = [line.split() for line in open(os.path.join(work, "runs")) if line.strip()]
results = {name: parse(name) for name, _ in all_runs}
runs = [(name, path) for name, path in all_runs if not name.startswith("peer_")]
peer_runs = [(name, path) for name, path in all_runs if name.startswith("peer_")]
ceiling = results["livez"]["rps"]
headers = {
    mode: len(open(os.path.join(work, f"{mode}-header")).read()) for mode in ("session", "jwt")
}
panics = int(open(os.path.join(work, "panics")).read().strip() or 0)
first_total, first_plain = map(int, open(os.path.join(work, "first-visit-total")).read().split())
first_files = [line.split() for line in open(os.path.join(work, "first-visit"))]
rss_start, rss_idle, rss_before, rss_sessions, rss_jwts, logins = map(
    int, open(os.path.join(work, "rss")).read().split()
)


def logins_file(name, mode):
    count, failed, seconds = open(os.path.join(work, f"{name}-{mode}.txt")).read().split()
    return int(count), int(failed), float(seconds)


def per_login(mode, key, rss_before, rss_after):
    """The login rate at the configured cost, and what LOGINS logins of one
    mode added on the state server: RSS, and the rows /api/compare counts."""
    figures = json.load(open(os.path.join(work, f"compare-after-state-{mode}.json")))[key]
    rate_count, rate_failed, rate_seconds = logins_file("rate", mode)
    count, failed, _ = logins_file("state", mode)
    stored = sum(rows["bytes"] for rows in figures["stored"])
    live = figures["live_logins"]
    return {
        "mode": mode,
        "logins": count,
        "failed": failed + rate_failed,
        "rate_logins": rate_count,
        "logins_per_second": rate_count / rate_seconds,
        "rss_growth_kb": rss_after - rss_before,
        "live_logins": live,
        "stored_bytes": stored,
        "bytes_per_login": stored // live if live else 0,
        "stored": figures["stored"],
    }


state = [
    per_login("session", "session", rss_before, rss_sessions),
    per_login("jwt", "token", rss_sessions, rss_jwts),
]
try:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
except OSError:
    commit = "?"
cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")

lines = [
    "# Load benchmark",
    "",
    f"`make bench` on {datetime.date.today()}, commit `{commit}`: {os.cpu_count()} cores ({cpu}), release build,",
    f"a fresh SQLite database, wrk with {threads} threads and {connections} connections, {rounds} rounds of {duration}",
    "per path, interleaved; each row is the path's median round (the range of all its rounds beside it).",
    "Server and load generator share the machine (loopback).",
    "",
    "| path | req/s | p50 | p99 | of `/livez` | rounds' range | errors |",
    "|---|---:|---:|---:|---:|---:|---:|",
]
for name, path in runs:
    r = results[name]
    lines.append(
        f"| {LABELS.get(name, path)} | {r['rps']:,.0f} | {r['p50']:.2f} ms | {r['p99']:.2f} ms "
        f"| {100 * r['rps'] / ceiling:.1f}% | {r['spread'][0]:,.0f}–{r['spread'][1]:,.0f} "
        f"| {r['errors']}{' ' + r['socket_errors'] if r['socket_errors'] else ''} |"
    )
if peer_runs:
    lines += [
        "",
        "The Express peer (`bench/peer`: Express 4, express-session's memory store, jsonwebtoken HS256,",
        "one Node.js process), in the same rounds on the same machine:",
        "",
        "| path | req/s | p50 | p99 | Auth Lab's same path ÷ the peer | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for own, peer in PEERS.items():
        if peer in results and own in results:
            r = results[peer]
            lines.append(
                f"| {LABELS[peer]} | {r['rps']:,.0f} | {r['p50']:.2f} ms | {r['p99']:.2f} ms "
                f"| {results[own]['rps'] / r['rps']:.1f}× | {r['errors']} |"
            )
lines += [
    "",
    "| measure | value |",
    "|---|---:|",
    f"| credential request header, session (`Cookie: authlab_sid=…`) | {headers['session']} B |",
    f"| credential request header, JWT (`Authorization: Bearer …`) | {headers['jwt']} B |",
    f"| first visit to `/login`, all files, brotli/gzip as served | {first_total / 1024:.0f} KB |",
    f"| the same, uncompressed | {first_plain / 1024:.0f} KB |",
    f"| RSS at start / idle after the load | {rss_start / 1024:.0f} MB / {rss_idle / 1024:.0f} MB |",
    f"| panics in the server's log, the whole run | {panics} |",
    "",
    f"Then logins of one user, 4 at a time: {state[0]['rate_logins']:,} per mode for the rate, at the configured",
    "argon2id cost (19 MiB, 2 passes; one hash per core); and on a second, fresh server whose new hashes are",
    "cheap (`AUTHLAB_ARGON2_MEMORY_KIB=64`, 1 pass: what a login leaves does not depend on what its check cost),",
    f"200 per mode to warm up, then {logins:,} per mode for the RSS and the bytes they add:",
    "",
    "| mode | logins/s | RSS added | per login | live logins | bytes stored | per login | failed |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
]
for row in state:
    lines.append(
        f"| {row['mode']} | {row['logins_per_second']:,.0f} | {row['rss_growth_kb'] / 1024:.1f} MB "
        f"| {row['rss_growth_kb'] * 1024 / row['logins']:,.0f} B | {row['live_logins']:,} "
        f"| {row['stored_bytes'] / 1024:,.0f} KB | {row['bytes_per_login']:,} B | {row['failed']} |"
    )
lines += [
    "",
    "Bytes stored are the stored values (the session records and their index rows; the refresh",
    "families and token hashes), without the engine's page and index overhead. The session's RSS",
    "includes the process's cache of records (`AUTHLAB_SESSION_CACHE`, 10,000 by default).",
    "",
    "First visit, file by file (bytes as served to a browser accepting brotli and gzip):",
    "",
]
lines += [f"- `{path}`: {int(size):,} B" for path, size in first_files]
lines += ["", "![req/s per path](results.svg)", ""]
markdown = "\n".join(lines)

# The chart: one bar per path, req/s, with the share of /livez.
width, left, bar, gap = 900, 330, 26, 10
height = 40 + len(all_runs) * (bar + gap)
top = max(r["rps"] for r in results.values())
svg = [
    f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
    f'font-family="system-ui, sans-serif" font-size="13">',
    f"<title>Requests per second per path ({connections} connections)</title>",
    f'<rect width="{width}" height="{height}" fill="#fff"/>',
    f'<text x="{left}" y="20" font-weight="700">req/s, {connections} connections, median of {rounds} rounds of {duration}</text>',
]
for index, (name, path) in enumerate(runs + peer_runs):
    r = results[name]
    y = 32 + index * (bar + gap)
    length = (width - left - 120) * r["rps"] / top
    label = html.escape(re.sub(r"[`*]", "", LABELS.get(name, path)))
    svg += [
        f'<text x="{left - 8}" y="{y + bar * 0.68:.0f}" text-anchor="end">{label}</text>',
        f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar}" fill="{"#555" if name == "livez" else "#d08700" if name.startswith("peer_") else "#1f6feb"}"/>',
        f'<text x="{left + length + 6:.1f}" y="{y + bar * 0.68:.0f}">{r["rps"]:,.0f} ({100 * r["rps"] / ceiling:.0f}%)</text>',
    ]
svg.append("</svg>")

summary = {
    "date": str(datetime.date.today()),
    "commit": commit,
    "cores": os.cpu_count(),
    "cpu": cpu,
    "connections": int(connections),
    "duration": duration,
    "rounds": rounds,
    "paths": [
        {
            "key": name,
            "path": path,
            "rps": round(results[name]["rps"]),
            "p50_ms": round(results[name]["p50"], 2),
            "p99_ms": round(results[name]["p99"], 2),
            "errors": results[name]["errors"],
        }
        for name, path in runs
    ],
    "peer": [
        {"key": name, "rps": round(results[name]["rps"]), "p99_ms": round(results[name]["p99"], 2)}
        for name, _ in peer_runs
    ],
    "session_header_bytes": headers["session"],
    "jwt_header_bytes": headers["jwt"],
    "first_visit_bytes": first_total,
    "rss_idle_kb": rss_idle,
    "panics": panics,
    "logins": state,
}

os.makedirs(out, exist_ok=True)
open(os.path.join(out, "results.json"), "w").write(json.dumps(summary, indent=1) + "\n")
open(os.path.join(out, "results.md"), "w").write(markdown)
open(os.path.join(out, "results.svg"), "w").write("\n".join(svg) + "\n")
print(markdown)
