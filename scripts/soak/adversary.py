#!/usr/bin/env python3
"""Adversarial HTTP/1.1 clients for scripts/soak.sh (standard library only).

    adversary.py HOST PORT DURATION_S READ_TIMEOUT_S IDLE_TIMEOUT_S COUNTS_FILE

Runs seven kinds of misbehaving clients at once, in loops, for DURATION_S seconds, and every 5 s
rewrites COUNTS_FILE (atomically) with one JSON object of cumulative counters, which the soak
script diffs per minute:

  slowloris   16 connections, each sending a never-ending header one byte every 0.5 s
  idle        64 connections that send nothing, and 16 that send one request and then idle
  malformed   a fixed list of broken requests (bad request line, bad headers, bad lengths,
              bare LF, NUL, invalid UTF-8, TLS and HTTP/2 prefaces, random bytes...)
  chunked     GET with `Transfer-Encoding: chunked` bodies: valid, smuggling a second request
              inside the body, oversized, invalid sizes, never finished
  oversize    request headers over http.max_header_bytes (one huge header, many small ones,
              a huge target)
  reset       connections reset (SO_LINGER 0) mid-request, right after a request, and while the
              response is being written
  methods     20 requests a second, each with a new made-up method name (a token, so valid
              HTTP): whatever the daemon keys by the raw method must not grow without bound

What the daemon must do, and what is counted against it:
  - a response, if any, is never 5xx other than 503 (load shedding) and 501 to an unknown
    method (RFC 9110 §15.6.2: the right answer to a method the server does not implement):
    anything else counts in `bad5xx` (with an example in `examples`);
  - it closes (or answers) every connection within its deadline: the request deadline
    (READ_TIMEOUT_S, which also bounds the wait for a new connection's first byte) or, after a
    kept-alive response, the idle one (IDLE_TIMEOUT_S), plus 10 s of slack for a busy machine:
    a connection still open after that counts in `hang`.
A connection refused, reset or closed before a response (e.g. by a per-client connection
limit) is counted in `refused`/`closed` and is not a failure. Responses are counted by class
(`s2xx`..`s5xx`, `s503`); `unexpected` counts answers that are allowed but surprising (a 2xx to
a malformed request, two responses to one request carrying a smuggled one), with examples.
"""
import json
import os
import random
import socket
import sys
import threading
import time

SLACK = 10.0

host, port = sys.argv[1], int(sys.argv[2])
duration, read_timeout, idle_timeout = float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
counts_file = sys.argv[6]
t_end = time.monotonic() + duration
lock = threading.Lock()
counts = {}
examples = []


def count(key, n=1):
    with lock:
        counts[key] = counts.get(key, 0) + n


def example(text):
    with lock:
        if len(examples) < 20 and text not in examples:
            examples.append(text)


def running():
    return time.monotonic() < t_end


def connect():
    """A connected socket, or None (refused: counted, not a failure)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(5)
    try:
        s.connect((host, port))
    except OSError:
        s.close()
        count("refused")
        return None
    count("connections")
    return s


def reset(s):
    """Close with an RST instead of a FIN."""
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    except OSError:
        pass
    s.close()


def responses(data):
    """Status codes of the responses in `data`, and how many of them are complete (their whole
    Content-Length body arrived; one without Content-Length ends at the close)."""
    codes, complete = [], 0
    while True:
        head_end = data.find(b"\r\n\r\n")
        if not data.startswith(b"HTTP/1.") or head_end < 0:
            return codes, complete
        head = data[:head_end].split(b"\r\n")
        fields = head[0].split(b" ", 2)
        code = int(fields[1][:3]) if len(fields) >= 2 and fields[1][:3].isdigit() else 0
        codes.append(code)
        length = 0 if code in (204, 304) else None
        for line in head[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length" and value.strip().isdigit():
                length = int(value.strip())
        if length is None or len(data) < head_end + 4 + length:
            return codes, complete
        complete += 1
        data = data[head_end + 4 + length:]


def classify(kind, code, allow_501=False):
    count(f"s{code // 100}xx")
    count(f"{kind}.{code}")
    if code == 503:
        count("s503")
    elif code >= 500 and not (allow_501 and code == 501):
        count("bad5xx")
        example(f"{kind}: {code}")


def read_responses(s, deadline, expect, quiet=1.0):
    """Reads until the peer closes, the deadline (monotonic) passes, or `expect` complete
    responses arrived and nothing more came for `quiet` s. Returns (data, closed)."""
    data, last = b"", time.monotonic()
    while True:
        now = time.monotonic()
        if now >= deadline:
            return data, False
        if responses(data)[1] >= expect and now - last >= quiet:
            return data, False
        s.settimeout(0.25)
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            continue
        except OSError:
            return data, True  # reset: closed
        if not chunk:
            return data, True
        data, last = data + chunk, time.monotonic()


def exchange(kind, payload, expect=1, broken=False, allow_501=False, quiet=1.0):
    """Sends `payload`, reads the answers, classifies them. `expect`: requests in the payload
    (more responses than that means the daemon saw a request that was not there); `broken`: the
    payload is not a valid request, so a 2xx to it is surprising."""
    s = connect()
    if s is None:
        return
    wait = read_timeout + SLACK
    start = time.monotonic()
    try:
        s.sendall(payload)
    except OSError:
        count("closed")  # the daemon closed or reset before taking it all (e.g. oversize)
        s.close()
        return
    data, closed = read_responses(s, start + wait, expect, quiet)
    s.close()
    codes, _ = responses(data)
    for c in codes:
        classify(kind, c, allow_501)
    if not codes:
        count(f"{kind}.no-response")
        count("closed" if closed else "hang")
        if not closed:
            example(f"{kind}: no response and still open after {wait:.0f} s: {payload[:60]!r}")
    if len(codes) > expect:
        count("unexpected")
        example(f"{kind}: {len(codes)} responses {codes} to {expect} request(s): {payload[:80]!r}")
    if codes and broken and 200 <= codes[0] < 300:
        count("unexpected")
        example(f"{kind}: {codes[0]} to a broken request {payload[:80]!r}")


GET = b"GET /v0.1/servers?limit=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
# (payload, requests in it, broken: a 2xx would be surprising)
MALFORMED = [
    (b"GARBAGE\r\n\r\n", 1, True),
    (b"GET /v0.1/servers HTTP/9.9\r\nHost: a\r\n\r\n", 1, True),
    (b"GET /v0.1/servers HTTP/1.1\r\nHost a\r\n\r\n", 1, True),
    (b"GET /v0.1/servers HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n", 1, True),
    (b"GET /v0.1/servers HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 1, True),
    (b"GET /v0.1/servers HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 1, True),
    (b"GET /v0.1/servers HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n", 1, True),
    (b"GET /v0.1/servers HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 1, False),
    (b"GET /v0.1/servers HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 1, False),
    (b"GET /v0.1/servers/%ZZ/versions HTTP/1.1\r\nHost: a\r\n\r\n", 1, True),
    (b"GET /v0.1/servers/%00/versions/latest HTTP/1.1\r\nHost: a\r\n\r\n", 1, True),
    (b"GET /v0.1/servers?cursor=%00&limit=%ff HTTP/1.1\r\nHost: a\r\n\r\n", 1, True),
    (b"GET /v0.1/servers?limit=99999999999999999999 HTTP/1.1\r\nHost: a\r\n\r\n", 1, True),
    (b"GET /v0.1/servers?search=\xff\xfe\xc3 HTTP/1.1\r\nHost: a\r\n\r\n", 1, False),
    (b"GET /v0.1/servers/\xc3\x28/versions HTTP/1.1\r\nHost: a\r\n\r\n", 1, True),
    (b"GET \x00 HTTP/1.1\r\n\r\n", 1, True),
    (b"GET /v0.1/servers HTTP/1.1\r\nHost: a\r\nX: \x01\x02\x7f\r\n\r\n", 1, True),
    (b"GET /v0.1/servers HTTP/1.1\r\nHost: a\r\nX: a\r\n folded\r\n\r\n", 1, False),  # obs-fold: 400 or SP
    (b"GET /v0.1/servers HTTP/1.1\nHost: a\n\n", 1, False),
    (b"GET  /v0.1/servers  HTTP/1.1\r\n\r\n", 1, True),
    (b"get /v0.1/servers HTTP/1.1\r\nHost: a\r\n\r\n", 1, False),
    (b"GET /v0.1/servers HTTP/1.0\r\n\r\n", 1, False),
    (b"GET http://evil.example/v0.1/servers HTTP/1.1\r\nHost: a\r\n\r\n", 1, False),
    (b"GET * HTTP/1.1\r\nHost: a\r\n\r\n", 1, True),
    (b"CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: a\r\n\r\n", 1, True),
    (b"GET /v0.1/servers HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc", 1, False),
    (b"GET /v0.1/servers HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip;q=abc, *;q=-1, " + b"x," * 500 + b"\r\n\r\n", 1, False),
    (b"GET /v0.1/servers HTTP/1.1\r\nHost: a\r\nIf-None-Match: " + b'"g1",' * 1000 + b"\r\n\r\n", 1, False),
    (b"GET /v0.1/servers HTTP/1.1\r\nHost: a\r\nIf-None-Match: \"\r\nOrigin: \x00\r\n\r\n", 1, False),
    (b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + bytes(range(32)) + b"\x00" * 40, 1, True),
    (b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x12\x04\x00\x00\x00\x00\x00", 1, True),
    (GET + b"\r\n" + GET + b"\r\n" + b"BROKEN\r\n\r\n", 3, False),  # two good requests, then junk
    (b"GET /v0.1/servers HTTP/1.1\r\nHost: a\r\n" + b"\r\n" * 3, 2, False),
    (b"\r\n" * 200, 1, True),
]
UNKNOWN_METHOD = b"FROBNICATE /v0.1/servers HTTP/1.1\r\nHost: a\r\n\r\n"


def malformed_loop():
    while running():
        for payload, n, broken in MALFORMED:
            if not running():
                return
            exchange("malformed", payload, expect=n, broken=broken)
        exchange("malformed", UNKNOWN_METHOD, allow_501=True)
        junk = random.choice([b"GET /", b"", b"HTTP/1.1 "]) + os.urandom(random.randint(1, 2048))
        exchange("malformed", junk + b"\r\n\r\n", broken=True)
        count("malformed.sent", len(MALFORMED) + 2)
        time.sleep(0.2)


def chunked(body, extra=b""):
    return GET + extra + b"Transfer-Encoding: chunked\r\n\r\n" + body


def chunked_loop():
    smuggled = b"GET /v0.1/ping HTTP/1.1\r\nHost: a\r\n\r\n"
    while running():
        # a valid chunked body on GET, then a pipelined request that closes the connection
        exchange("chunked", chunked(b"5\r\nhello\r\n0\r\n\r\n")
                 + b"GET /v0.1/ping HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", expect=2)
        # a whole request inside the chunk data: one request, so one response, never two
        exchange("chunked", chunked(b"%x\r\n%s\r\n0\r\n\r\n" % (len(smuggled), smuggled)), quiet=2.0)
        # larger than max_body_bytes (64 KiB): 413, or closed while sending
        exchange("chunked", chunked((b"2000\r\n" + b"x" * 0x2000 + b"\r\n") * 12 + b"0\r\n\r\n"), broken=True)
        # invalid chunk sizes, huge chunk extensions
        exchange("chunked", chunked(b"zz\r\nhello\r\n0\r\n\r\n"), broken=True)
        exchange("chunked", chunked(b"ffffffffffffffffff\r\nx\r\n0\r\n\r\n"), broken=True)
        exchange("chunked", chunked(b"5;" + b"e=x;" * 5000 + b"\r\nhello\r\n0\r\n\r\n"))
        # a chunked body that never ends: answered or closed by the request deadline
        exchange("chunked", chunked(b"5\r\nhello\r\n"), broken=True)
        count("chunked.sent", 7)
        time.sleep(0.5)


def oversize_loop():
    while running():
        exchange("oversize", GET + b"X-Big: " + b"a" * 20000 + b"\r\n\r\n", broken=True)
        exchange("oversize", GET + b"".join(b"X-%d: v\r\n" % i for i in range(3000)) + b"\r\n", broken=True)
        exchange("oversize", b"GET /v0.1/servers?search=" + b"a" * 20000 + b" HTTP/1.1\r\nHost: a\r\n\r\n", broken=True)
        exchange("oversize", GET + b"Cookie: " + b"c" * 200000 + b"\r\n\r\n", broken=True)
        count("oversize.sent", 4)
        time.sleep(0.5)


def reset_loop():
    while running():
        for mode in ("partial", "after-request", "mid-response"):
            s = connect()
            if s is None:
                continue
            try:
                if mode == "partial":
                    s.sendall(GET[: random.randint(1, len(GET) - 1)])
                elif mode == "after-request":
                    s.sendall(b"GET /v0.1/servers?limit=100 HTTP/1.1\r\nHost: a\r\n\r\n")
                else:
                    s.sendall(b"GET /v0.1/servers?limit=100&include_deleted=true HTTP/1.1\r\nHost: a\r\n\r\n")
                    s.settimeout(5)
                    s.recv(1024)
            except OSError:
                pass
            reset(s)
            count(f"reset.{mode}")
        time.sleep(0.05)


def methods_loop():
    """A new, made-up method name on every request, 20 requests a second, pipelined on one
    kept-alive connection per batch: anything keyed by the raw method (a metrics label, a log
    bucket) grows by one entry per request, which the soak's RSS rule catches."""
    while running():
        s = connect()
        if s is None:
            time.sleep(1)
            continue
        batch = b"".join(b"X%s /v0.1/ping HTTP/1.1\r\nHost: a\r\n\r\n" % os.urandom(6).hex().upper().encode()
                         for _ in range(20))
        try:
            s.sendall(batch + b"GET /v0.1/ping HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
            data, _ = read_responses(s, time.monotonic() + read_timeout + SLACK, 21, quiet=0)
        except OSError:
            data = b""
        s.close()
        for c in responses(data)[0]:
            classify("methods", c, allow_501=True)
        count("methods.sent", 20)
        time.sleep(1)


def hold(kind, socks, limit):
    """Waits until the daemon closed every socket of `socks` (socket → bytes still to trickle,
    one per round), up to `limit` s; the ones still open then are hangs."""
    start = time.monotonic()
    open_socks = dict(socks)
    while open_socks and time.monotonic() - start < limit:
        for s, payload in list(open_socks.items()):
            s.settimeout(0.01)
            try:
                data = s.recv(65536)
            except socket.timeout:
                if payload:  # slowloris: one more byte of a header that never ends
                    try:
                        s.send(payload[:1])
                        open_socks[s] = payload[1:] or b"a" * 100
                    except OSError:
                        data = b""
                    else:
                        continue
                else:
                    continue
            except OSError:
                data = b""
            if data:  # an answer (e.g. 408 or 400) before the close, or the rest of a body
                for c in responses(data)[0]:
                    classify(kind, c)
                continue
            del open_socks[s]
            s.close()
            count(f"{kind}.closed")
        time.sleep(0.5 if kind == "slowloris" else 0.2)
    for s in open_socks:
        count("hang")
        s.close()
    if open_socks:
        example(f"{kind}: {len(open_socks)} connection(s) still open after {limit:.0f} s")


def slowloris_loop():
    while running():
        socks = [s for s in (connect() for _ in range(16)) if s]
        hold("slowloris", {s: b"GET /v0.1/servers HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " for s in socks},
             read_timeout + SLACK)
        count("slowloris.rounds")


def idle_loop():
    while running():
        silent = [s for s in (connect() for _ in range(64)) if s]
        kept = []
        for _ in range(16):
            s = connect()
            if s is None:
                continue
            try:
                s.sendall(GET + b"\r\n")
                data, closed = read_responses(s, time.monotonic() + read_timeout, 1, quiet=0)
            except OSError:
                data, closed = b"", True
            for c in responses(data)[0]:
                classify("idle", c)
            if closed:
                s.close()
            else:
                kept.append(s)
        threads = [threading.Thread(target=hold, args=("idle", {s: b"" for s in silent}, read_timeout + SLACK)),
                   threading.Thread(target=hold, args=("idle-kept", {s: b"" for s in kept}, idle_timeout + SLACK))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        count("idle.rounds")


def report():
    with lock:
        snapshot = dict(counts)
        snapshot["examples"] = list(examples)
    tmp = counts_file + ".tmp"
    with open(tmp, "w") as f:
        json.dump(snapshot, f)
    os.replace(tmp, counts_file)


def guarded(fn):
    def run():
        try:
            fn()
        except Exception as e:  # a bug here must not look like a daemon failure: report it
            count("client_error")
            example(f"{fn.__name__}: client error {e!r}")
    return run


workers = [threading.Thread(target=guarded(f), daemon=True)
           for f in (malformed_loop, chunked_loop, oversize_loop, reset_loop, slowloris_loop, idle_loop,
                     methods_loop)]
for w in workers:
    w.start()
while any(w.is_alive() for w in workers):
    report()
    for w in workers:
        w.join(timeout=5.0 / len(workers))
report()
