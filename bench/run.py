"""`make bench`: Stances under gunicorn with production settings, loaded with wrk, against targets.

One command, about three minutes on 2 cores. It
  1. creates a throwaway PostgreSQL database, migrates it and seeds it (bench/seed.py),
  2. collects the static files and starts gunicorn on a free port of 127.0.0.1, with the cache
     in a Redis database of its own (flushed before and after),
  3. drives each scenario with wrk (32 connections), and the editor's save round trip with
     http.client over a keep-alive connection,
  4. prints a table and the targets (README, "Performance") with PASS/FAIL, and writes
     bench/results/latest.json,
  5. stops gunicorn (its whole process group), drops the database and flushes the Redis db,
     whatever happened (try/finally; SIGTERM and Ctrl-C included).

Plain HTTP on 127.0.0.1: SECURE_SSL_REDIRECT=0, and the harness keeps its own cookie jar, so
the production settings' Secure cookies still come back to the server; no TLS proxy needed.
"""

import argparse
import datetime
import gzip
import hashlib
import http.client
import json
import os
import platform
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path

import psycopg
import redis
from proxy import NGINX, Proxy, edit_visible_after

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
PY_SPY = str(Path(PYTHON).with_name("py-spy"))  # optional: `--profile` needs it
HOST = "127.0.0.1"
PG_URL = os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
REDIS_BASE = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379")

QUESTION = "putin-re-election-2024"
MAP = f"/questions/{QUESTION}/"
EDITOR = "bench-editor"  # created by bench/seed.py
ACCEPT = {"Accept-Encoding": "gzip, br"}
PANEL = {"HX-Request": "true", "HX-Target": "panel"}
# A slider step: the map page's snapshot alone, as htmx asks for it when the date moves.
SNAPSHOT = {"HX-Request": "true", "HX-Target": "snapshot"}
COMPARE_SCENARIO = "compare page (two dates)"
SLIDER_SCENARIO = "slider step (snapshot fragment)"
SHARE_SCENARIO = "share image (PNG, cached)"
# The map page while editors save: the revision moves this many times a second.
WRITE_RATES = (1, 5)
MIN_RATIO_WHILE_WRITING = 0.8
# The whole run must stay under five minutes: wrk scenarios start only before WRK_UNTIL, and
# each series of saves stops after SAVES_SECONDS.
WRK_UNTIL = 230
SAVES_SECONDS = 45

# The targets README lists under "Performance"; keep the two in step.
MIN_RATIO_TO_STATIC = 0.5
MAX_MAP_P99_MS = 50
MAX_SAVE_P95_MS = 60
# A signed-in editor's map page: rendered once per revision and role, then each request gets a
# copy with its own name and CSRF token (stances/serving/signed_in_pages.py).
MIN_EDITOR_RPS = 200
EDITOR_SCENARIO = "map page, signed in"
MAX_MAP_KB = 60


class Bench:
    """What one run needs to know: where the server is, its settings, and the clock."""

    def __init__(self, args):
        self.args = args
        self.started = time.monotonic()
        self.database = f"stances_bench_{os.getpid()}"
        self.redis_url = f"{REDIS_BASE}/{args.redis_db}"
        self.port = free_port()
        self.password = secrets.token_urlsafe(18)
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "stances.settings",
            "STANCES_ENV": "production",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": f"{PG_URL}/{self.database}",
            "REDIS_URL": self.redis_url,
            "BENCH_EDITOR_PASSWORD": self.password,
            "LOG_LEVEL": "WARNING",
        }
        self.server = None
        self.proxy = None

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def url(self, path: str, port: int | None = None) -> str:
        return f"http://{HOST}:{port or self.port}{path}"


# --- setting up and tearing down -----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def postgres(statement: str) -> list:
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True, connect_timeout=5) as conn:
        cursor = conn.execute(statement)
        return cursor.fetchall() if cursor.description else []


def flush_redis(url: str) -> None:
    redis.Redis.from_url(url, socket_timeout=5).flushdb()


def run_step(bench: Bench, label: str, argv: list[str], timeout: int = 120) -> None:
    started = time.monotonic()
    done = subprocess.run(argv, cwd=BASE_DIR, env=bench.env, timeout=timeout, capture_output=True)
    if done.returncode:
        sys.stderr.write(done.stderr.decode(errors="replace")[-3000:])
        raise RuntimeError(f"{label} failed (exit status {done.returncode})")
    print(f"  {label}: {time.monotonic() - started:.1f}s", flush=True)


def prepare(bench: Bench) -> None:
    print(f"Preparing database {bench.database} and Redis {bench.redis_url}", flush=True)
    flush_redis(bench.redis_url)
    postgres(f'CREATE DATABASE "{bench.database}"')
    run_step(bench, "migrate", [PYTHON, "manage.py", "migrate", "--noinput"])
    run_step(bench, "seed", [PYTHON, "bench/seed.py"])
    run_step(bench, "collectstatic", [PYTHON, "manage.py", "collectstatic", "--noinput"])


def start_server(bench: Bench) -> None:
    """gunicorn in a session of its own, so that stopping it stops every worker too."""
    RESULTS_DIR.mkdir(exist_ok=True)
    argv = [
        GUNICORN,
        "stances.wsgi",
        f"--workers={bench.args.workers}",
        "--worker-class=gthread",
        f"--threads={bench.args.threads}",
        f"--worker-connections={worker_connections(bench.args)}",
        f"--bind={HOST}:{bench.port}",
        "--error-logfile=-",
        # Else each gunicorn claims ~/.gunicorn/gunicorn.ctl, and two runs would clash.
        "--no-control-socket",
    ]
    log = open(RESULTS_DIR / "gunicorn.log", "wb")  # noqa: SIM115 - closed with the server
    bench.server = subprocess.Popen(
        argv, cwd=BASE_DIR, env=bench.env, stdout=log, stderr=log, start_new_session=True
    )
    bench.server_argv = " ".join(argv[1:])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if bench.server.poll() is not None:
            raise RuntimeError("gunicorn exited; see bench/results/gunicorn.log")
        try:
            if fetch(bench, "/static/stances/site.css")[0] == 200:
                print(f"  gunicorn {bench.server_argv}", flush=True)
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 30 s")


def worker_connections(args) -> int:
    """Enough for wrk's connections spread evenly, and no more.

    A gthread worker keeps every keep-alive connection it accepts, and which worker accepts is
    luck: with gunicorn's default (1,000) one worker often ends up holding all 32 and serves
    them from one core while the others idle. With a cap, a worker that is full stops
    accepting and (past `cap - threads` idle ones) closes connections, so the others get theirs.
    """
    if args.worker_connections:
        return args.worker_connections
    return -(-args.connections // args.workers) + args.threads


def stop_server(bench: Bench) -> None:
    if bench.server is None or bench.server.poll() is not None:
        return
    os.killpg(bench.server.pid, signal.SIGTERM)  # the group gunicorn leads (start_new_session)
    try:
        bench.server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(bench.server.pid, signal.SIGKILL)
        bench.server.wait(timeout=5)


def tear_down(bench: Bench) -> None:
    """Each step on its own, so that one failing does not leave the others undone."""
    for label, step in [
        ("stop nginx", lambda: bench.proxy and bench.proxy.stop()),
        ("stop gunicorn", lambda: stop_server(bench)),
        ("drop database", lambda: postgres(f'DROP DATABASE IF EXISTS "{bench.database}" (FORCE)')),
        ("flush Redis", lambda: flush_redis(bench.redis_url)),
    ]:
        try:
            step()
        except Exception as error:  # noqa: BLE001 - report and carry on cleaning up
            print(f"  could not {label}: {error}", file=sys.stderr)


# --- HTTP helpers ------------------------------------------------------------------------------


def fetch(bench: Bench, path: str, headers=None, conn=None, port=None):
    """One GET; returns (status, headers, raw body as sent on the wire)."""
    own = conn is None
    conn = conn or http.client.HTTPConnection(HOST, port or bench.port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        if own:
            conn.close()


def decoded(headers, body: bytes) -> str:
    encoding = headers.get("Content-Encoding", "")
    if encoding == "gzip":
        body = gzip.decompress(body)
    elif encoding == "br":
        import brotli  # whitenoise[brotli] brings it

        body = brotli.decompress(body)
    return body.decode("utf-8", "replace")


# --- other work on the machine -----------------------------------------------------------------


class OtherWork:
    """The share of the machine's CPU that other processes took while a scenario ran.

    The system under test is gunicorn's process group, PostgreSQL and Redis; the load comes
    from this script and wrk. Anything else (a test run, say) competes for the same two cores
    and makes the figures pessimistic, so every row of the table shows it.
    """

    OURS = {"wrk", "postgres", "redis-server"}

    def __init__(self, bench: Bench):
        self.bench = bench
        self.share = 0.0

    def __enter__(self):
        self.start = self.sample()
        return self

    def __exit__(self, *exc):
        total, busy, ours = (
            end - start for end, start in zip(self.sample(), self.start, strict=True)
        )
        self.share = max(busy - ours, 0) / max(total, 1)

    def sample(self) -> tuple[float, float, float]:
        """(all CPU time, busy CPU time, our processes' CPU time), in clock ticks."""
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:]]
        children = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk, once it has exited
        ours = (children.ru_utime + children.ru_stime) * os.sysconf("SC_CLK_TCK")
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                text = stat.read_text()
            except OSError:  # the process has gone
                continue
            name = text[text.index("(") + 1 : text.rindex(")")]
            fields = text[text.rindex(")") + 2 :].split()  # state, ppid, pgrp, ...
            group, cpu = int(fields[2]), int(fields[11]) + int(fields[12])  # utime + stime
            if group == self.bench.server.pid or name in self.OURS or group == os.getpgrp():
                ours += cpu
        return sum(values), sum(values) - values[3] - values[4], ours


# --- wrk scenarios -----------------------------------------------------------------------------


def wrk(bench: Bench, path: str, headers: dict, duration: int, port=None) -> dict:
    """Run wrk once; figures from bench/report.lua's JSON line, the raw output kept too.

    The Lua summary gives exact percentiles (p95 included, which wrk's --latency table lacks)
    and the error counts; Requests/sec is requests over the measured duration, as wrk prints.
    """
    argv = [
        "wrk",
        f"-t{bench.args.threads_wrk}",
        f"-c{bench.args.connections}",
        f"-d{duration}s",
        "--latency",
        # Slow answers count in the percentiles rather than as errors (wrk's default is 2 s).
        "--timeout=10s",
        "-s",
        str(BENCH_DIR / "report.lua"),
    ]
    for name, value in {**ACCEPT, **headers}.items():
        argv += ["-H", f"{name}: {value}"]
    argv.append(bench.url(path, port))
    out = subprocess.run(
        argv, capture_output=True, text=True, check=True, timeout=duration + 30
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("BENCH_JSON "))
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    errors = sum(
        raw[k]
        for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")
    )
    return {
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "requests": raw["requests"],
        "bytes_per_request": raw["bytes"] / max(raw["requests"], 1),
        **{f"p{p}_ms": raw[f"p{p}_us"] / 1000 for p in (50, 75, 90, 95, 99)},
        "max_ms": raw["max_us"] / 1000,
        "errors": errors,
        "non_2xx_3xx": raw["status_errors"],
        "socket_errors": errors - raw["status_errors"],
        "wrk_output": out,
    }


def scenarios(bench: Bench, session_cookie: str) -> list[dict]:
    """Each: a name, the path, extra headers, the status it must answer; `skip` says why not."""
    plain = [
        ("static file (baseline)", hashed_static("stances/site.css"), {}, 200),
        ("map page", MAP, {}, 200),
        ("map page ?as_of=2024-03-15", f"{MAP}?as_of=2024-03-15", {}, 200),
        ("country timeline fragment", f"{MAP}countries/hu/", PANEL, 200),
        ("export.csv", f"{MAP}export.csv", {}, 200),
        ("export.json", f"{MAP}export.json", {}, 200),
        ("timeline.csv (full history)", f"{MAP}timeline.csv", {}, 200),
        (COMPARE_SCENARIO, f"{MAP}compare/?from=2024-03-15&to=2025-03-15", {}, 200),
        (SLIDER_SCENARIO, f"{MAP}?as_of=2024-09-02", SNAPSHOT, 200),
        (SHARE_SCENARIO, f"{MAP}share.png", {}, 200),
    ]
    result = [dict(name=n, path=p, headers=h, expect=s) for n, p, h, s in plain]
    for rate in WRITE_RATES:
        result.insert(2, dict(name=writing_scenario(rate), path=MAP, headers={}, expect=200))
        result[2]["writes"] = rate
    # Its ETag is read just before it runs (run_scenario): the writing rows move the revision.
    result.append(
        dict(name="conditional GET (304)", path=MAP, headers={}, expect=304, revalidate=True)
    )
    # Past the session, the user, the second factor and the role: a copy of the editors' render.
    result.append(
        dict(
            name=EDITOR_SCENARIO,
            path=MAP,
            headers={"Cookie": session_cookie},
            expect=200,
        )
    )
    return result


def writing_scenario(rate: int) -> str:
    return f"map page, {rate} write{'s' if rate > 1 else ''}/s"


class Writes:
    """Raise the revision `rate` times a second while a scenario runs, as editors' saves do:
    a write to the question's row through SQL fires the same trigger as any save."""

    def __init__(self, bench: Bench, rate: int):
        self.bench, self.rate = bench, rate
        self.stop = threading.Event()
        self.count = 0
        self.thread = threading.Thread(target=self.write, daemon=True)

    def __enter__(self):
        if self.rate:
            self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        if self.rate:
            self.thread.join()

    def write(self):
        with psycopg.connect(f"{PG_URL}/{self.bench.database}", autocommit=True) as connection:
            while not self.stop.wait(1 / self.rate):
                raise_revision(connection)
                self.count += 1


def raise_revision(connection) -> None:
    """A write to one of the question's stances, as an editor's save makes: it raises the
    revision, not the reference revision (what frames the records stays kept)."""
    connection.execute(
        "UPDATE stances_stance SET summary = summary WHERE id = (SELECT s.id FROM stances_stance s"
        " JOIN stances_question q ON q.id = s.question_id WHERE q.slug = %s"
        " ORDER BY s.id LIMIT 1)",
        [QUESTION],
    )


# --- behind nginx (--proxy) --------------------------------------------------------------------

PROXY_SCENARIO = "map page through nginx"
NGINX_STATIC = "static file, nginx's own (ceiling)"


def start_proxy(bench: Bench) -> None:
    bench.proxy = Proxy(HOST, free_port(), free_port(), bench.port)
    bench.proxy.start()


def proxy_scenarios(bench: Bench) -> list[dict]:
    proxy = bench.proxy
    static = hashed_static("stances/site.css")
    return [
        dict(name=NGINX_STATIC, path=static, headers={}, expect=200, port=proxy.static_port),
        dict(name=PROXY_SCENARIO, path=MAP, headers={}, expect=200, port=proxy.port),
        dict(
            name=f"{PROXY_SCENARIO}, 5 writes/s",
            path=MAP,
            headers={},
            expect=200,
            port=proxy.port,
            writes=5,
        ),
    ]


def edit_visibility(bench: Bench) -> dict:
    """How long after a write a reader through nginx first gets the new page."""
    with psycopg.connect(f"{PG_URL}/{bench.database}", autocommit=True) as connection:
        delays = edit_visible_after(
            lambda: fetch(bench, MAP, ACCEPT, port=bench.proxy.port)[1].get("ETag"),
            lambda: raise_revision(connection),
        )
    print(f"  an edit visible through nginx after {max(delays):.2f} s at most", flush=True)
    return {"name": "edit visible through nginx", "delays_s": delays, "max_s": max(delays)}


def hashed_static(name: str) -> str:
    """The name whitenoise serves with far-future caching, as the pages link to it."""
    manifest = json.loads((BASE_DIR / "staticfiles" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"].get(name, name)


def run_scenario(bench: Bench, scenario: dict) -> dict:
    """Check the answer once, warm every worker up, then measure."""
    row = {"name": scenario["name"], "path": scenario["path"]}
    if scenario.get("skip"):
        return row | {"skipped": scenario["skip"]}
    if bench.elapsed() > WRK_UNTIL:
        return row | {"skipped": "out of time budget"}
    if scenario.get("revalidate"):
        etag = fetch(bench, scenario["path"], ACCEPT)[1].get("ETag")
        if etag is None:
            return row | {"skipped": "no ETag"}
        scenario = scenario | {"headers": {"If-None-Match": etag}}
    headers, port = ACCEPT | scenario["headers"], scenario.get("port")
    status = fetch(bench, scenario["path"], headers, port=port)[0]
    if status != scenario["expect"]:
        return row | {"skipped": f"answers {status}, expected {scenario['expect']}"}
    wrk(bench, scenario["path"], scenario["headers"], bench.args.warmup, port)
    spread = []
    peek = threading.Timer(bench.args.duration / 2, lambda: spread.extend(spread_now(bench)))
    rate = scenario.get("writes", 0)
    with OtherWork(bench) as other, Writes(bench, rate) as writes:
        peek.start()
        result = wrk(bench, scenario["path"], scenario["headers"], bench.args.duration, port)
    peek.cancel()
    print(f"  {scenario['name']}: {result['rps']:.0f} req/s", flush=True)
    extra = {"other_cpu": other.share, "connections_per_worker": spread, "writes": writes.count}
    return row | result | extra


def spread_now(bench: Bench) -> list[int]:
    """How wrk's keep-alive connections are spread over the gunicorn workers, most first.

    Each worker keeps the connections it accepted, and which one accepts is luck: 24/5/3 is
    common. A worker holding most of them is bound to one core and its clients queue, so an
    uneven spread explains a row's odd percentiles. Empty when `ss` (iproute2) is missing.
    """
    try:
        out = subprocess.run(
            ["ss", "-Htnp", "state", "established", f"( sport = :{bench.port} )"],
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []
    pids = re.findall(r"pid=(\d+)", out)
    return sorted((pids.count(pid) for pid in set(pids)), reverse=True)


# --- the editor's save round trip ------------------------------------------------------------


class Editor:
    """A signed-in editor on one keep-alive connection, with its own cookie jar."""

    def __init__(self, bench: Bench):
        self.bench = bench
        self.conn = http.client.HTTPConnection(HOST, bench.port, timeout=10)
        self.cookies: dict[str, str] = {}

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            body = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            response = self.send(method, path, body, headers)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # gunicorn closes keep-alive connections idle for 2 s (e.g. while the other
            # editors sign in); the request was not handled, so sending it again is safe.
            self.conn.close()
            response = self.send(method, path, body, headers)
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, content.decode("utf-8", "replace")

    def send(self, method, path, body, headers):
        self.conn.request(method, path, body=body, headers=headers)
        return self.conn.getresponse()

    def sign_in(self) -> None:
        status, page = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = {
            "csrfmiddlewaretoken": token,
            "username": EDITOR,
            "password": self.bench.password,
            "next": "/",
        }
        status, _ = self.request("POST", "/accounts/login/", form)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"sign-in failed ({status})")
        # The second factor: the next of the recovery codes bench/seed.py derived from the
        # password (an app's code is accepted once per 30 s; the bench signs in more often).
        self.bench.sign_ins = getattr(self.bench, "sign_ins", 0) + 1
        seed = f"{self.bench.password}:{self.bench.sign_ins}"
        status, page = self.request("GET", "/accounts/second-step/?next=/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        code = hashlib.sha256(seed.encode()).hexdigest()[:16]
        form = {"csrfmiddlewaretoken": token, "code": code, "next": "/"}
        status, _ = self.request("POST", "/accounts/second-step/", form)
        if status != 302:
            raise RuntimeError(f"second step failed ({status})")

    def edit_form(self, path: str) -> tuple[int, list[str]]:
        """The version the form carries, and the question's positions (their pks)."""
        status, form = self.request("GET", path, headers=PANEL)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
        version = int(re.search(r'name="version" value="(\d+)"', form).group(1))
        select = re.search(r'<select[^>]*name="position".*?</select>', form, re.S).group(0)
        return version, re.findall(r'<option value="(\d+)"', select)

    def saves(self, codes: list[str], count: int, seconds: float) -> dict:
        """`count` saves in a row, each timed from sending the POST to its last byte.

        They go round `codes`, alternating two positions, so that each timeline grows by a
        few entries, as in real use, rather than one country's by hundreds.
        """
        deadline = time.monotonic() + seconds
        paths = [f"{MAP}countries/{code}/edit/" for code in codes]
        versions, positions = {}, []
        for path in paths:
            versions[path], positions = self.edit_form(path)
        day = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
        timings, errors, conflicts = [], 0, 0
        for n in range(count):
            if time.monotonic() > deadline:
                break
            path = paths[n % len(paths)]
            form = {
                "position": positions[(n // len(paths)) % 2],
                "effective_on": day,  # yesterday: never "in the future", whatever the time zone
                "confidence": "official",
                "summary": f"Benchmark save {n}.",
                "version": versions[path],
                "sources-TOTAL_FORMS": "3",
                "sources-INITIAL_FORMS": "0",
                "sources-0-url": f"https://news.example.org/bench/{n}",
                "sources-0-title": f"Statement {n}",
                "sources-0-publisher": "Government press office",
            }
            headers = PANEL | {"X-CSRFToken": self.cookies["csrftoken"]}
            started = time.perf_counter()
            status, body = self.request("POST", path, form, headers)
            timings.append((time.perf_counter() - started) * 1000)
            if status == 200 and 'id="map-' in body:  # the updated map pieces came back
                versions[path] += 1
            else:
                errors += 1
                conflicts += status == 409
                versions[path], _ = self.edit_form(path)
        return {"timings": timings, "errors": errors, "conflicts": conflicts}


def summarise(name: str, runs: list[dict], seconds: float) -> dict:
    timings = [ms for run in runs for ms in run["timings"]]
    row = {
        "name": name,
        "saves": len(timings),
        "rps": len(timings) / seconds if seconds else 0.0,
        "max_ms": max(timings, default=0.0),
        "errors": sum(run["errors"] for run in runs),
        "conflicts": sum(run["conflicts"] for run in runs),
    }
    if len(timings) > 1:
        cuts = statistics.quantiles(timings, n=100, method="inclusive")
        row |= {f"p{p}_ms": cuts[p - 1] for p in (50, 75, 90, 95, 99)}
    return row


def save_round_trips(bench: Bench, codes: list[str]) -> list[dict]:
    """One editor saving N times in a row, then several editors at once on other countries."""
    editor = Editor(bench)
    editor.sign_in()
    started = time.monotonic()
    with OtherWork(bench) as other:
        one = editor.saves(codes, bench.args.saves, SAVES_SECONDS)
    rows = [summarise("editor save round trip", [one], time.monotonic() - started)]
    rows[-1]["other_cpu"] = other.share
    print(f"  editor save round trip: {len(one['timings'])} saves", flush=True)

    # Several editors, each on countries of their own: no conflicts expected, only contention.
    count = bench.args.editors
    editors = [Editor(bench) for _ in range(count)]
    for e in editors:
        e.sign_in()
    results = [None] * count

    def work(i):
        try:
            results[i] = editors[i].saves(codes[i::count], bench.args.saves // count, SAVES_SECONDS)
        except Exception as error:  # noqa: BLE001 - counted, reported, and the others go on
            results[i] = {"timings": [], "errors": 1, "conflicts": 0, "failure": repr(error)}

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(count)]
    started = time.monotonic()
    with OtherWork(bench) as other:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=SAVES_SECONDS + 20)
    done = [r for r in results if r]
    rows.append(summarise(f"editor saves, {count} at once", done, time.monotonic() - started))
    rows[-1]["other_cpu"] = other.share
    for failure in (r["failure"] for r in done if "failure" in r):
        print(f"  an editor stopped: {failure}", file=sys.stderr)
    print(f"  {count} editors at once: {rows[-1]['saves']} saves", flush=True)
    return rows


def member_state_codes(bench: Bench) -> list[str]:
    """The 27 codes, as the map page links to them (lower case, as in the URLs)."""
    _, headers, body = fetch(bench, MAP, ACCEPT)
    return [code.lower() for code in re.findall(r'id="map-([A-Z]{2})"', decoded(headers, body))]


# --- the page itself: weight and third parties ----------------------------------------------


# url(...) or @import pointing at another host, in a stylesheet.
CSS_EXTERNAL = re.compile(r"""(?:url\(|@import\s+)['"]?((?:https?:)?//[^'")\s]+)""")


class Resources(HTMLParser):
    """What a browser would fetch to show the page: scripts, stylesheets, images, frames."""

    WANTED = {"script": "src", "link": "href", "img": "src", "iframe": "src"}

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attribute = self.WANTED.get(tag)
        if tag == "link" and dict(attrs).get("rel") in ("alternate", "canonical"):
            return  # the page in other languages: linked, never fetched
        value = dict(attrs).get(attribute) if attribute else None
        if value:
            self.urls.append(value)


def is_third_party(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname
    return host is not None and host not in ("127.0.0.1", "localhost")


def page_weight(bench: Bench) -> dict:
    """The map page and its same-origin assets, as compressed on the wire for a browser."""
    status, headers, body = fetch(bench, MAP, ACCEPT)
    parser = Resources()
    parser.feed(decoded(headers, body))
    third_party = [u for u in parser.urls if is_third_party(u)]
    assets = {}
    for url in parser.urls:
        if is_third_party(url):
            continue
        a_status, a_headers, a_body = fetch(bench, urllib.parse.urlsplit(url).path, ACCEPT)
        assets[url] = len(a_body)
        if url.endswith(".css"):  # fonts or images a stylesheet would pull from elsewhere
            css = decoded(a_headers, a_body)
            third_party += CSS_EXTERNAL.findall(css)
    return {
        "html_bytes": len(body),
        "html_encoding": headers.get("Content-Encoding", "identity"),
        "html_uncompressed_bytes": len(decoded(headers, body).encode()),
        "assets": assets,
        "total_bytes": len(body) + sum(assets.values()),
        "third_party": third_party,
    }


# --- where the time goes (--profile) ------------------------------------------------------

# Each py-spy sample goes to the first area that matches, from the innermost frame outwards.
# Waits count where they happen: a thread blocked on PostgreSQL is time that request spends.
AREAS = [
    ("gzip compression", ("zlib", "gzip.py", "compress_string")),
    ("brotli compression", ("brotli",)),
    ("PostgreSQL (driver, round trips)", ("psycopg",)),
    ("Redis (client, round trips)", ("redis/",)),
    ("ORM (building queries, models)", ("django/db/",)),
    ("templates", ("django/template/", "template_partials")),
    ("forms", ("django/forms/",)),
    ("Stances code", ("stances/",)),
    ("gunicorn (HTTP, sockets, polling)", ("gunicorn/", "selectors.py")),
    (
        "Django and middleware, other",
        ("django/", "whitenoise/", "csp/", "axes/", "simple_history/"),
    ),
]


def profile(bench: Bench, name: str, seconds: int, action) -> dict[str, dict[str, float]]:
    """Sample every gunicorn worker with py-spy while `action` runs; shares of samples by area."""
    output = RESULTS_DIR / f"profile-{re.sub(r'[^a-z0-9]+', '-', name.lower())}.txt"
    argv = [PY_SPY, "record", "--pid", str(bench.server.pid), "--subprocesses", "--nonblocking"]
    argv += ["--rate", "100", "--duration", str(seconds), "--format", "raw", "-o", str(output)]
    spy = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1)  # py-spy attaches to each worker first
        action()
        spy.wait(timeout=seconds + 30)
    finally:
        if spy.poll() is None:
            spy.kill()
            spy.wait()
    shares, ours, total = {}, {}, 0
    for line in output.read_text().splitlines() if output.exists() else []:
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        # Inclusive time of our own functions: which of them the ORM or template time is under.
        # Middleware wraps every request, so it would top the list and say nothing.
        mine = {f for f in frames if "stances/" in f and "stances/serving/middleware.py" not in f}
        for function in {re.sub(r":\d+\)$", ")", f) for f in mine}:
            ours[function] = ours.get(function, 0) + int(count)
        area = next(
            (
                area
                for frame in reversed(frames)
                for area, patterns in AREAS
                if any(p in frame for p in patterns)
            ),
            "other",
        )
        shares[area] = shares.get(area, 0) + int(count)
        total += int(count)
    top = sorted(ours.items(), key=lambda i: -i[1])[:8]
    return {
        "areas": {
            area: n / max(total, 1) for area, n in sorted(shares.items(), key=lambda i: -i[1])
        },
        "stances_functions_inclusive": {function: n / max(total, 1) for function, n in top},
    }


def profiles(bench: Bench, codes: list[str]) -> dict[str, dict]:
    """The map page under wrk, quiet and while the revision moves five times a second, and an
    editor saving, each profiled on its own."""
    if not Path(PY_SPY).exists():
        print("  --profile needs py-spy: .venv/bin/pip install py-spy", file=sys.stderr)
        return {}
    seconds = 8
    result = {
        "map page": profile(bench, "map page", seconds, lambda: wrk(bench, MAP, {}, seconds - 2))
    }

    def while_writing():
        with Writes(bench, 5):
            wrk(bench, MAP, {}, seconds - 2)

    name = writing_scenario(5)
    result[name] = profile(bench, name, seconds, while_writing)
    editor = Editor(bench)
    editor.sign_in()

    def save():
        # A few countries, so that reading their edit forms first takes little of the window.
        editor.saves(codes[:3], 10_000, seconds - 2)

    result["editor save round trip"] = profile(bench, "save", seconds, save)
    return result


# --- report ------------------------------------------------------------------------------------


def machine(bench: Bench) -> dict:
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "python": platform.python_version(),
        "postgresql": postgres("SHOW server_version")[0][0],
        "redis": redis.Redis.from_url(bench.redis_url).info("server")["redis_version"],
        "wrk": wrk_version.split("[")[0].strip() or "wrk",
        "os": platform.platform(),
        # Other work on the machine skews every figure; the report shows it. Sampled while
        # our own server is idle, just before the load starts.
        "busy_before": wait_for_quiet(),
    }


def wait_for_quiet(seconds: int = 30, threshold: float = 0.15) -> float:
    """Give other work on the machine (a test run, say) up to `seconds` to finish."""
    busy = cpu_busy()
    deadline = time.monotonic() + seconds
    while busy > threshold and time.monotonic() < deadline:
        print(f"  waiting for a quieter machine ({busy:.0%} of the CPUs busy)", flush=True)
        busy = cpu_busy(2.0)
    return busy


def cpu_busy(seconds: float = 1.0) -> float:
    """The share of all CPUs busy over `seconds`, from /proc/stat."""

    def sample():
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:]]
        return sum(values), values[3] + values[4]  # total, idle + iowait

    total0, idle0 = sample()
    time.sleep(seconds)
    total1, idle1 = sample()
    return 1 - (idle1 - idle0) / max(total1 - total0, 1)


def targets(rows: list[dict], weight: dict) -> list[tuple[str, str, bool | None]]:
    """(target, measured, passed); passed is None when the figure could not be measured."""
    by_name = {r["name"]: r for r in rows}
    static, page = by_name.get("static file (baseline)", {}), by_name.get("map page", {})
    save = next((r for r in rows if r["name"].startswith("editor save round trip")), {})
    checks = []
    if "rps" in static and "rps" in page:
        ratio = page["rps"] / static["rps"]
        checks.append(
            (
                f"map page >= {MIN_RATIO_TO_STATIC:.0%} of static req/s at 32 clients",
                f"{ratio:.0%}",
                ratio >= MIN_RATIO_TO_STATIC,
            )
        )
    else:
        checks.append(("map page >= 50% of static req/s", "not measured", None))
    for name in (COMPARE_SCENARIO, SLIDER_SCENARIO):
        row = by_name.get(name, {})
        if "rps" in row and "rps" in static:
            ratio = row["rps"] / static["rps"]
            passed = ratio >= MIN_RATIO_TO_STATIC
            checks.append(
                (f"{name} >= {MIN_RATIO_TO_STATIC:.0%} of static req/s", f"{ratio:.0%}", passed)
            )
        else:
            checks.append(
                (f"{name} >= {MIN_RATIO_TO_STATIC:.0%} of static req/s", "not measured", None)
            )
    for name in ("map page", *map(writing_scenario, WRITE_RATES)):
        p99 = by_name.get(name, {}).get("p99_ms")
        checks.append(
            (
                f"{name} p99 < {MAX_MAP_P99_MS} ms",
                f"{p99:.1f} ms" if p99 else "-",
                p99 < MAX_MAP_P99_MS if p99 else None,
            )
        )
    checks += while_writing(by_name, page)
    checks += behind_proxy(by_name)
    rps = by_name.get(EDITOR_SCENARIO, {}).get("rps")
    checks.append(
        (
            f"{EDITOR_SCENARIO} >= {MIN_EDITOR_RPS} req/s",
            f"{rps:.0f} req/s" if rps else "-",
            rps >= MIN_EDITOR_RPS if rps else None,
        )
    )
    p95 = save.get("p95_ms")
    checks.append(
        (
            f"save round trip p95 <= {MAX_SAVE_P95_MS} ms",
            f"{p95:.1f} ms" if p95 else "-",
            p95 <= MAX_SAVE_P95_MS if p95 else None,
        )
    )
    total_kb = weight["total_bytes"] / 1024
    checks.append(
        (
            f"map page <= {MAX_MAP_KB} KB compressed (HTML + assets)",
            f"{total_kb:.1f} KB (HTML {weight['html_bytes'] / 1024:.1f} KB)",
            total_kb <= MAX_MAP_KB,
        )
    )
    count = len(weight["third_party"])
    checks.append(("no third-party requests", str(count), count == 0))
    return checks


def while_writing(by_name: dict, page: dict) -> list[tuple[str, str, bool | None]]:
    """The map page while the revision moves, against the quiet map page in the same run."""
    checks = []
    for rate in WRITE_RATES:
        name = writing_scenario(rate)
        target = f"{name} >= {MIN_RATIO_WHILE_WRITING:.0%} of the quiet map page's req/s"
        row = by_name.get(name, {})
        if "rps" in row and "rps" in page:
            ratio = row["rps"] / page["rps"]
            checks.append((target, f"{ratio:.0%}", ratio >= MIN_RATIO_WHILE_WRITING))
        else:
            checks.append((target, "not measured", None))
    return checks


MAX_EDIT_VISIBLE_S = 2


def behind_proxy(by_name: dict) -> list[tuple[str, str, bool | None]]:
    """Through nginx (--proxy): the map page against nginx's own static file; an edit's delay."""
    if PROXY_SCENARIO not in by_name:
        return []
    ceiling, page = by_name.get(NGINX_STATIC, {}), by_name[PROXY_SCENARIO]
    ratio = page["rps"] / ceiling["rps"] if "rps" in page and "rps" in ceiling else None
    edit = by_name.get("edit visible through nginx", {}).get("max_s")
    return [
        ("map page through nginx, ÷ nginx's static file", f"{ratio:.0%}" if ratio else "-", None),
        (
            f"an edit visible through nginx within {MAX_EDIT_VISIBLE_S} s",
            f"{edit:.2f} s" if edit is not None else "-",
            edit <= MAX_EDIT_VISIBLE_S if edit is not None else None,
        ),
    ]


def print_report(bench: Bench, rows, weight: dict, checks, info: dict, where: dict) -> None:
    static = next((r.get("rps") for r in rows if r["name"] == "static file (baseline)"), None)
    print()
    print(
        f"Machine: {info['nproc']} cores, {info['cpu']}; Python {info['python']}; "
        f"PostgreSQL {info['postgresql']}; Redis {info['redis']}; {info['wrk']}"
    )
    print(f"CPU busy with other work just before the load: {info['busy_before']:.0%}")
    print(f"Server: gunicorn {bench.server_argv}")
    print(
        f"Load: wrk -t{bench.args.threads_wrk} -c{bench.args.connections} "
        f"-d{bench.args.duration}s (after a {bench.args.warmup}s warm-up), "
        "Accept-Encoding: gzip, br"
    )
    print()
    header = f"{'scenario':<40} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
    header += f"{'errors':>7} {'÷static':>8} {'other':>6}  {'spread':<8}"
    print(header)
    print("-" * len(header))
    for row in rows:
        if "skipped" in row:
            print(f"{row['name']:<40} skipped: {row['skipped']}")
            continue
        if "rps" not in row:
            continue  # not a load figure (the edit's delay through nginx: see Targets)
        ratio = f"{row['rps'] / static:.2f}" if static else "-"
        if row["name"].startswith("editor"):
            ratio = "-"  # sequential saves: a latency figure, not a throughput one
        print(
            f"{row['name']:<40} {row['rps']:>8.0f} {row.get('p50_ms', 0):>8.1f} "
            f"{row.get('p95_ms', 0):>8.1f} {row.get('p99_ms', 0):>8.1f} "
            f"{row['errors']:>7} {ratio:>8} {row.get('other_cpu', 0):>6.0%}  "
            + "/".join(str(n) for n in row.get("connections_per_worker", []))
        )
    print(
        "other: the share of the machine's CPU that processes outside the benchmark took "
        "meanwhile;\nwell above 0% the row's figures are pessimistic (run it again on a quiet "
        "machine).\nspread: wrk's connections per gunicorn worker, as the workers happened to "
        "accept them."
    )
    print()
    print(
        f"Map page: {weight['html_bytes']:,} bytes {weight['html_encoding']} "
        f"({weight['html_uncompressed_bytes']:,} uncompressed); with its assets "
        f"{weight['total_bytes']:,} bytes; third-party references: {len(weight['third_party'])}"
    )
    print()
    print("Targets")
    for target, measured, passed in checks:
        verdict = {True: "PASS", False: "FAIL", None: "n/a"}[passed]
        print(f"  {verdict:<5} {target:<58} {measured}")
    for name, shares in where.items():
        print(f"\nWhere the time goes: {name} (py-spy, share of samples in the workers)")
        for area, share in shares["areas"].items():
            print(f"  {share:>6.1%}  {area}")
        print("  of which under these functions of ours (inclusive):")
        for function, share in shares["stances_functions_inclusive"].items():
            print(f"  {share:>6.1%}  {function}")
    print(f"\nFinished in {bench.elapsed():.0f}s; results in bench/results/latest.json")


# --- main --------------------------------------------------------------------------------------


def parse_args():
    cores = len(os.sched_getaffinity(0))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk scenario")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of wrk before each")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads-wrk", type=int, default=2)
    parser.add_argument("--workers", type=int, default=cores + 1, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument(
        "--worker-connections",
        type=int,
        default=0,
        help="connections per gunicorn worker (default: an even share of wrk's, plus threads)",
    )
    parser.add_argument("--saves", type=int, default=200, help="sequential editor saves")
    parser.add_argument("--editors", type=int, default=4, help="editors saving at once")
    parser.add_argument("--redis-db", type=int, default=13, help="flushed before and after")
    parser.add_argument(
        "--profile", action="store_true", help="then profile the map page and saves (py-spy)"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    parser.add_argument(
        "--only", default="", help="measure only the scenarios whose name holds this text"
    )
    parser.add_argument(
        "--proxy", action="store_true", help="also through nginx, as docs/nginx.conf sets it up"
    )
    return parser.parse_args()


def missing_tools(args) -> list[str]:
    tools = [("wrk", "wrk"), ("gunicorn", GUNICORN), *([("nginx", NGINX)] if args.proxy else [])]
    return [tool for tool, path in tools if not shutil.which(path)]


def main() -> int:
    args = parse_args()
    if missing := missing_tools(args):
        print(
            f"bench needs {', '.join(missing)}: `apt-get install wrk nginx`; "
            "gunicorn: `make install`."
        )
        return 2
    bench = Bench(args)
    # SIGTERM (a CI timeout, `kill`) goes through the same finally as Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    rows, weight, info, where = [], None, None, {}
    try:
        prepare(bench)
        start_server(bench)
        info = machine(bench)
        print("Measuring", flush=True)
        editor = Editor(bench)
        editor.sign_in()
        session = f"sessionid={editor.cookies['sessionid']}"
        for scenario in scenarios(bench, session):
            if args.only in scenario["name"] or scenario["name"].startswith("static"):
                rows.append(run_scenario(bench, scenario))
        if bench.args.proxy:
            start_proxy(bench)
            rows += [run_scenario(bench, scenario) for scenario in proxy_scenarios(bench)]
            rows.append(edit_visibility(bench))
        weight = page_weight(bench)
        codes = member_state_codes(bench)
        rows += save_round_trips(bench, codes)
        if bench.args.profile:
            print("Profiling", flush=True)
            where = profiles(bench, codes)
    finally:
        print("Cleaning up", flush=True)
        tear_down(bench)
    checks = targets(rows, weight)
    print_report(bench, rows, weight, checks, info, where)
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "latest.json").write_text(
        json.dumps(
            {
                "finished_at": datetime.datetime.now(datetime.UTC).isoformat(),
                "seconds": round(bench.elapsed(), 1),
                "machine": info,
                "server": f"gunicorn {bench.server_argv}",
                "load": vars(bench.args),
                "scenarios": rows,
                "map_page": weight,
                "targets": [{"target": t, "measured": m, "passed": p} for t, m, p in checks],
                "profiles": where,
            },
            indent=2,
        )
    )
    failed = any(passed is False for _, _, passed in checks)
    return 1 if bench.args.strict and failed else 0


if __name__ == "__main__":
    sys.exit(main())
