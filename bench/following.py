"""The following feature under load: one change fanned out to 10,000 confirmed subscribers.

    .venv/bin/python bench/following.py [--saves 200] [--subscribers 10000] [--profile]

Measures, against the issue's targets:
  * the editor's save round trip (p50/p95/p99, as bench/run.py times it: one signed-in editor
    on a keep-alive connection, POST to the edit endpoint to the last byte of the answer), in
    four series of the same number of saves:
      - no subscribers, no worker             - no subscribers, a worker idle beside
      - 10,000 subscribers, no worker          - 10,000 subscribers, a worker fanning out
    "No worker" shows what the save itself costs (its fan_out task only waits in the queue);
    "worker" is the realistic case, saves and mail on the same two cores. In the last series
    the worker is already sending an earlier change's 10,000 mails when the timing starts
    (and is still at it when it ends); each timed save queues another fan-out behind them.
    Both pairs must be within 10 ms at p95.
  * one change, saved through the site, fanned out by 1 (then 2) `stances_worker` processes
    to 10,000 addresses through a local SMTP sink: time to the first and the last mail from
    the save's answer, mails per second, each address once, and the CPU each party used.

How: bench/run.py's machinery (throwaway PostgreSQL database, migrate, bench/seed.py's full
data set, collectstatic, gunicorn with production settings, the Editor) imported from it; an
aiosmtpd sink in a child process of this one (not a thread: its GIL would delay this
process's clock on every save it times), which notes when each mail arrived in shared
memory; the subscribers written by bulk_create through Django set up in this process.
Before each fan-out the outbox is emptied (the task and alert tables truncated, with no
worker running), so a fan-out row is exactly one change's mails.

--nice 19 runs the workers (and the sink) below the site, as a deployment sharing the
site's cores might: the save series then show what that buys.

Writes bench/results/following.json (and following-*.log, following-worker.prof with
--profile, and gunicorn.log as run.py does); drops the database and flushes its Redis db
whatever happens.
"""

import argparse
import datetime
import json
import multiprocessing
import os
import platform
import pstats
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import run  # noqa: E402 - bench/run.py: the database, gunicorn and the editor, as `make bench`
from run import BASE_DIR, HOST, PYTHON, QUESTION, RESULTS_DIR, Bench, Editor, OtherWork  # noqa: E402

MAX_SAVE_DIFFERENCE_MS = 10
SINK_CAPACITY = 1 << 18  # arrival times kept (a ring); one window needs at most this many
SERIES_SECONDS = 180  # a series of saves stops after this, whatever its count


# --- the SMTP sink (a child process) -----------------------------------------------------------


class Shared:
    """What the sink and the bench share: mails counted, when each came, distinct recipients."""

    def __init__(self, context):
        self.count = context.RawValue("q", 0)
        self.bytes = context.RawValue("q", 0)
        self.unique = context.RawValue("q", 0)  # distinct recipients since `epoch` last moved
        self.epoch = context.RawValue("q", 0)
        self.times = context.RawArray("d", SINK_CAPACITY)  # time.monotonic(), system-wide


class Counter:
    """aiosmtpd handler: accept everything, note the time; nothing is parsed or kept."""

    def __init__(self, shared: Shared):
        self.shared = shared
        self.epoch = 0
        self.seen: set[str] = set()

    async def handle_DATA(self, server, session, envelope):
        shared = self.shared
        if shared.epoch.value != self.epoch:
            self.epoch, self.seen = shared.epoch.value, set()
        n = shared.count.value
        shared.times[n % SINK_CAPACITY] = time.monotonic()
        shared.bytes.value += len(envelope.content)
        self.seen.update(envelope.rcpt_tos)
        shared.unique.value = len(self.seen)
        shared.count.value = n + 1
        return "250 Message accepted for delivery"


def serve_sink(port: int, shared: Shared, ready, stop, nice: int) -> None:
    from aiosmtpd.controller import Controller

    os.nice(nice)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the bench stops it, after the workers
    # An explicit port: with port=0 the controller's readiness check connects to port 0.
    controller = Controller(Counter(shared), hostname=HOST, port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


class Sink:
    def __init__(self, nice: int = 0):
        context = multiprocessing.get_context("spawn")
        self.port = run.free_port()
        self.shared = Shared(context)
        self.ready, self.stopping = context.Event(), context.Event()
        self.process = context.Process(
            target=serve_sink, args=(self.port, self.shared, self.ready, self.stopping, nice)
        )
        self.process.start()
        if not self.ready.wait(30):
            raise RuntimeError("the SMTP sink did not start")
        self.base = 0

    def begin(self) -> None:
        """A new window: what comes from now on (call with no worker sending)."""
        self.base = self.shared.count.value
        self.shared.epoch.value += 1
        self.base_bytes = self.shared.bytes.value

    def received(self) -> int:
        return self.shared.count.value - self.base

    def times(self) -> list[float]:
        return [
            self.shared.times[n % SINK_CAPACITY] for n in range(self.base, self.shared.count.value)
        ]

    def wait_for(self, count: int, deadline: float) -> bool:
        while self.received() < count:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def stop(self) -> None:
        self.stopping.set()
        self.process.join(10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)


# --- the workers ---------------------------------------------------------------------------


class Workers:
    """`manage.py stances_worker` processes with the server's environment, logging to files."""

    def __init__(self, bench: Bench):
        self.bench = bench
        self.processes: list[subprocess.Popen] = []

    def start(self, count: int, label: str, profile: Path | None = None) -> None:
        argv = ["manage.py", "stances_worker", "--no-reload", "--no-startup-delay"]
        prefix = [PYTHON, "-m", "cProfile", "-o", str(profile)] if profile else [PYTHON]
        if self.bench.args.nice:
            prefix = ["nice", "-n", str(self.bench.args.nice), *prefix]
        logs = self.logs = []
        for n in range(count):
            log = RESULTS_DIR / f"following-worker-{label}-{n + 1}.log"
            logs.append(log)
            with open(log, "wb") as out:
                self.processes.append(
                    subprocess.Popen(
                        prefix + argv, cwd=BASE_DIR, env=self.bench.env, stdout=out, stderr=out
                    )
                )
        deadline = time.monotonic() + 60
        for process, log in zip(self.processes, logs, strict=True):
            while "Starting worker" not in log.read_text(errors="replace"):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"a worker did not start; see {log}")
                time.sleep(0.1)

    def tasks_run(self) -> list[dict[str, int]]:
        """For each worker of the last start, how many tasks of each kind it finished."""
        done = []
        for log in self.logs:
            paths = re.findall(r"path=\S+\.(\w+) state=(?:SUCCESSFUL|FAILED)", log.read_text())
            done.append({name: paths.count(name) for name in sorted(set(paths))})
        return done

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.processes]

    def stop(self) -> None:
        """SIGTERM; a worker in the middle of a task gets a second one, which ends it there."""
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    process.wait(timeout=3)
                    break
                except subprocess.TimeoutExpired:
                    process.send_signal(sig)
            process.wait(timeout=10)
        self.processes = []


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU time of each of these processes so far (those still running)."""
    found = {}
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        found[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return found


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds between two samples, over the processes in both (a pid that went is left out)."""
    return sum(after[pid] - before[pid] for pid in after.keys() & before.keys())


def postgres_pids(database: str) -> list[int]:
    """The PostgreSQL backends serving our database, and the server's own WAL writer."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().decode(errors="replace")
        except OSError:
            continue
        if text.startswith("postgres: ") and (f" {database} " in text or "walwriter" in text):
            found.append(int(cmdline.parent.name))
    return found


# --- Django in this process: subscribers and the outbox ------------------------------------------


def set_up_django(bench: Bench) -> None:
    os.environ.update(bench.env)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def create_subscribers(count: int) -> float:
    """`count` confirmed addresses, instant: even ones follow the question, odd ones everything."""
    from stances.models import Follower, Frequency, Question, Subscription

    started = time.monotonic()
    question = Question.objects.get(slug=QUESTION)
    followers = Follower.objects.bulk_create(
        [Follower(email=f"reader{n:05}@bench.example.org") for n in range(count)], batch_size=2000
    )
    Subscription.objects.bulk_create(
        [
            Subscription(
                follower=follower,
                question=question if n % 2 == 0 else None,
                frequency=Frequency.INSTANT,
            )
            for n, follower in enumerate(followers)
        ],
        batch_size=2000,
    )
    return time.monotonic() - started


def outbox() -> dict[str, int]:
    """What the saves left for the workers: tasks by state and name, alerts written and sent."""
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from stances.models import Alert

    tasks = DBTaskResult.objects.values_list("status", "task_path").annotate(n=Count("id"))
    found = {f"{status} {path.rsplit('.', 1)[-1]}": n for status, path, n in tasks}
    found["alerts"] = Alert.objects.count()
    found["alerts sent"] = Alert.objects.exclude(sent_at=None).count()
    return found


def empty_outbox() -> None:
    """No task queued or running, no alert owed: call with no worker running."""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from stances.models import Alert

    with connection.cursor() as cursor:
        for model in (Alert, DBTaskResult):
            cursor.execute(f'TRUNCATE "{model._meta.db_table}"')


def latest_change_alerts() -> dict[str, int]:
    from stances.models import Alert, StanceChange

    change = StanceChange.objects.latest("pk")
    alerts = Alert.objects.filter(change=change)
    return {"alerts": alerts.count(), "sent": alerts.exclude(sent_at=None).count()}


# --- the saves -------------------------------------------------------------------------------


def quiet(bench: Bench) -> float:
    """Give other work on the machine (a test run, say) up to --quiet-wait seconds to finish."""
    return run.wait_for_quiet(bench.args.quiet_wait)


def save_series(bench, editor, codes, name: str, wait: bool = True) -> dict:
    """`--saves` saves in a row, round the member states, as bench/run.py times them."""
    busy = quiet(bench) if wait else None
    started = time.monotonic()
    with OtherWork(bench) as other:
        result = editor.saves(codes, bench.args.saves, SERIES_SECONDS)
    row = run.summarise(name, [result], time.monotonic() - started)
    row |= {"other_cpu": other.share, "busy_before": busy}
    print(f"  {name}: p95 {row.get('p95_ms', 0):.1f} ms over {row['saves']} saves", flush=True)
    return row


def saves_without_subscribers(bench, editor, codes, workers) -> list[dict]:
    editor.saves(codes, 20, SERIES_SECONDS)  # warm-up: the worker's code paths, caches
    rows = [save_series(bench, editor, codes, "no subscribers, no worker")]
    empty_outbox()
    workers.start(1, "idle")
    try:
        rows.append(save_series(bench, editor, codes, "no subscribers, worker idle"))
    finally:
        workers.stop()
    empty_outbox()
    return rows


def saves_with_subscribers(bench, editor, codes, workers, sink) -> tuple[list[dict], dict]:
    rows = [save_series(bench, editor, codes, f"{bench.args.subscribers:,} subscribers, no worker")]
    left = outbox()  # the saves queued their fan-outs and wrote nothing else
    empty_outbox()
    busy = quiet(bench)
    workers.start(1, "busy")
    try:
        sink.begin()
        editor.saves(codes[-1:], 1, 30)  # an earlier change, so the worker is busy from the start
        if not sink.wait_for(1, time.monotonic() + 60):
            raise RuntimeError("the worker sent no mail within 60 s")
        name = f"{bench.args.subscribers:,} subscribers, worker fanning out"
        rows.append(save_series(bench, editor, codes, name, wait=False))
        rows[-1]["busy_before"] = busy  # before the worker started
        rows[-1]["mails_meanwhile"] = sink.received()
        rows[-1]["outbox_after"] = outbox()
    finally:
        workers.stop()
    empty_outbox()
    return rows, left


# --- one change, fanned out ------------------------------------------------------------------


def fan_out(bench, editor, codes, workers, sink, count: int, profile: Path | None = None) -> dict:
    """Save once; the clock starts at the save's answer and stops at the last mail."""
    expected, label = bench.args.subscribers, f"fan-out-{count}" + ("-profiled" if profile else "")
    busy = quiet(bench)
    workers.start(count, label, profile)
    try:
        sink.begin()
        processes = {"worker": workers.pids, "postgres": postgres_pids(bench.database)}
        processes["sink"] = [sink.process.pid]
        cpu = {name: cpu_seconds(pids) for name, pids in processes.items()}
        with OtherWork(bench) as other:
            result = editor.saves(codes[:1], 1, 30)
            answered = time.monotonic()
            complete = sink.wait_for(expected, answered + bench.args.timeout)
        finished = time.monotonic()
        time.sleep(2)  # anything sent twice would come now
        cpu = {name: cpu_used(cpu[name], cpu_seconds(processes[name])) for name in cpu}
        in_db = latest_change_alerts()
    finally:
        workers.stop()
    times, tasks = sink.times(), workers.tasks_run()
    row = {
        "workers": count,
        "profiled": profile is not None,
        "save_errors": result["errors"],
        "complete": complete,
        "mails": len(times),
        "distinct_addresses": sink.shared.unique.value,
        "alerts_in_db": in_db,
        "mail_bytes_mean": (sink.shared.bytes.value - sink.base_bytes) / max(len(times), 1),
        "first_mail_s": times[0] - answered if times else None,
        "last_mail_s": times[min(expected, len(times)) - 1] - answered if times else None,
        "cpu_seconds": cpu,
        "wall_seconds": finished - answered,
        "other_cpu": other.share,
        "busy_before": busy,
        "tasks_per_worker": tasks,
    }
    last, first = row["last_mail_s"] or 0, row["first_mail_s"] or 0
    row["mails_per_s"] = min(expected, len(times)) / last if last else 0.0
    row["mails_per_s_sending"] = (min(expected, len(times)) - 1) / max(last - first, 1e-9)
    print(f"  fan-out, {count} worker(s){' (cProfile)' * bool(profile)}: ", end="")
    print(f"{row['mails']:,} mails, last after {last:.1f}s", flush=True)
    return row


def fan_outs(bench, editor, codes, workers, sink) -> list[dict]:
    rows = []
    for count in bench.args.fan_out_workers:
        rows.append(fan_out(bench, editor, codes, workers, sink, count))
        empty_outbox()
    return rows


# --- where the worker's time goes (--profile) --------------------------------------------------

# (label, file suffix, function): cumulative time of each, as a share of send_alerts's.
WATCHED = [
    ("send_alerts (the task)", "following/delivery.py", "send_alerts"),
    ("claim_alerts (claim + load a batch)", "following/delivery.py", "claim_alerts"),
    ("mails.alert (build one mail)", "following/mails.py", "alert"),
    ("  render_to_string (4 templates)", "template/loader.py", "render_to_string"),
    ("  signed links (2 per mail)", "following/tokens.py", "make"),
    ("  Move.headline", "following/news.py", "headline"),
    ("  Move.question_url", "following/news.py", "question_url"),
    ("_send (SMTP + mark sent)", "following/delivery.py", "_send"),
    ("  EmailMessage.message (MIME)", "core/mail/message.py", "message"),
    ("  smtplib sendmail", "smtplib.py", "sendmail"),
    ("  as_bytes (serialise)", "email/message.py", "as_bytes"),
    ("psycopg execute (all queries)", "psycopg/cursor.py", "execute"),
]

# The worker's waits between tasks, not work.
IDLE = {"<built-in method time.sleep>", "<method 'poll' of 'select.poll' objects>"}


def profile_summary(path: Path) -> dict:
    stats = pstats.Stats(str(path)).stats
    cumulative = {}
    for (filename, _, function), (_, _, _, ct, _) in stats.items():
        for label, suffix, name in WATCHED:
            if function == name and filename.endswith(suffix):
                cumulative[label] = cumulative.get(label, 0.0) + ct
    total = cumulative.get(WATCHED[0][0]) or 1.0
    own = [item for item in stats.items() if item[0][2] not in IDLE]
    top = sorted(own, key=lambda item: -item[1][2])[:12]
    return {
        "send_alerts_seconds": total,
        "shares_of_send_alerts": {
            label: cumulative[label] / total for label, _, _ in WATCHED if label in cumulative
        },
        "top_own_time": [
            {"function": f"{Path(f).name}:{line} {name}", "seconds": tt, "calls": nc}
            for (f, line, name), (_, nc, tt, _, _) in top
        ],
    }


def profiled_fan_out(bench, editor, codes, workers, sink) -> tuple[dict, dict]:
    path = RESULTS_DIR / "following-worker.prof"
    path.unlink(missing_ok=True)
    row = fan_out(bench, editor, codes, workers, sink, 1, profile=path)
    empty_outbox()
    return row, profile_summary(path) if path.exists() else {}


# --- report ------------------------------------------------------------------------------------


def targets(saves: list[dict], fans: list[dict], left: dict, expected: int):
    """(target, measured, passed) for each of the issue's targets, and the fan-out's checks."""
    none_alone, none_idle = saves[0].get("p95_ms"), saves[1].get("p95_ms")
    many_alone, many_busy = saves[2].get("p95_ms"), saves[3].get("p95_ms")
    checks = []
    for label, base, loaded in [
        ("no worker", none_alone, many_alone),
        ("worker idle vs fanning out", none_idle, many_busy),
    ]:
        difference = loaded - base
        checks.append(
            (
                f"save p95 with {expected:,} subscribers within {MAX_SAVE_DIFFERENCE_MS} ms "
                f"of none ({label})",
                f"{base:.1f} → {loaded:.1f} ms ({difference:+.1f})",
                difference <= MAX_SAVE_DIFFERENCE_MS,
            )
        )
    queued = sum(n for key, n in left.items() if key.endswith(" fan_out"))
    checks.append(
        (
            "saves with no worker wrote no alert, only queued their fan_out",
            f"{left.get('alerts', 0)} alerts, {queued} fan_out tasks",
            left.get("alerts", 0) == 0 and queued == saves[2]["saves"],
        )
    )
    for row in fans:
        once = row["mails"] == expected and row["distinct_addresses"] == expected
        checks.append(
            (
                f"one change: {expected:,} mails, each address once ({row['workers']} worker(s))",
                f"{row['mails']:,} mails to {row['distinct_addresses']:,} addresses",
                once and row["complete"],
            )
        )
    return checks


def print_saves(saves: list[dict]) -> None:
    header = f"{'save round trip':<44} {'saves':>5} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}"
    header += f" {'errors':>6} {'other':>6}"
    print(header)
    print("-" * len(header))
    for row in saves:
        print(
            f"{row['name']:<44} {row['saves']:>5} {row.get('p50_ms', 0):>7.1f} "
            f"{row.get('p95_ms', 0):>7.1f} {row.get('p99_ms', 0):>7.1f} {row['max_ms']:>7.1f} "
            f"{row['errors']:>6} {row['other_cpu']:>6.0%}"
        )
    busy = saves[-1]
    print(
        f"(ms; the last series ran while the worker sent {busy.get('mails_meanwhile', 0):,} "
        "mails; other: CPU taken by processes outside the bench)"
    )


def print_fans(fans: list[dict]) -> None:
    header = f"{'one change, fanned out':<30} {'mails':>7} {'first s':>8} {'last s':>8} "
    header += f"{'mails/s':>8} {'sending/s':>9} {'CPU s: worker':>13} {'postgres':>8} "
    header += f"{'sink':>5} {'other':>6}"
    print(header)
    print("-" * len(header))
    for row in fans:
        name = f"{row['workers']} worker(s)" + (" under cProfile" if row["profiled"] else "")
        cpu = row["cpu_seconds"]
        print(
            f"{name:<30} {row['mails']:>7,} {row['first_mail_s'] or 0:>8.2f} "
            f"{row['last_mail_s'] or 0:>8.2f} {row['mails_per_s']:>8.0f} "
            f"{row['mails_per_s_sending']:>9.0f} {cpu['worker']:>13.1f} {cpu['postgres']:>8.1f} "
            f"{cpu['sink']:>5.1f} {row['other_cpu']:>6.0%}"
        )
    for row in fans:
        ran = "; ".join(
            f"worker {n}: " + (", ".join(f"{k} ×{v}" for k, v in done.items()) or "nothing")
            for n, done in enumerate(row["tasks_per_worker"], start=1)
        )
        print(f"  tasks run, {row['workers']} worker(s){' (cProfile)' * row['profiled']}: {ran}")
    print(
        "(first/last: seconds from the save's answer to the first/last mail at the sink; "
        "mails/s: all of them over the last;\n sending/s: between the first and the last; "
        f"mean mail {fans[0]['mail_bytes_mean'] / 1024:.1f} KB)"
    )


def print_report(bench, saves, fans, checks, where, info) -> None:
    print(
        f"\nMachine: {info['nproc']} cores, {info['cpu']}; Python {info['python']}; "
        f"PostgreSQL {info['postgresql']}; CPU busy before: {info['busy_before']:.0%}"
    )
    print(f"Server: gunicorn {bench.server_argv}")
    print(
        "Workers: manage.py stances_worker --no-reload --no-startup-delay; SMTP sink: aiosmtpd "
        f"in a child process; both at niceness {bench.args.nice}"
    )
    print(f"{bench.args.subscribers:,} subscribers created in {info['subscribers_s']:.1f}s\n")
    print_saves(saves)
    print()
    print_fans(fans)
    if where:
        print(
            f"\nWhere one worker's time goes (cProfile, send_alerts "
            f"{where['send_alerts_seconds']:.1f}s cumulative, profiler overhead included)"
        )
        for label, share in where["shares_of_send_alerts"].items():
            print(f"  {share:>6.1%}  {label}")
        print("  own time, top functions:")
        for entry in where["top_own_time"][:8]:
            print(f"  {entry['seconds']:>6.2f}s {entry['calls']:>8,}  {entry['function']}")
    skewed = [row.get("name") or f"fan-out, {row['workers']} worker(s)" for row in saves + fans]
    skewed = [n for n, row in zip(skewed, saves + fans, strict=True) if row["other_cpu"] > 0.1]
    if skewed:
        print(f"\nOther work took over 10% of the CPU during: {'; '.join(skewed)}: run it again")
    print("\nTargets")
    for target, measured, passed in checks:
        print(f"  {'PASS' if passed else 'FAIL':<5} {target:<72} {measured}")
    print(f"\nFinished in {bench.elapsed():.0f}s; results in bench/results/following.json")


def machine(bench: Bench) -> dict:
    lines = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in lines if "model name" in line), "?")
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "python": platform.python_version(),
        "postgresql": run.postgres("SHOW server_version")[0][0],
        "busy_before": quiet(bench),
    }


# --- main --------------------------------------------------------------------------------------


def parse_args():
    cores = len(os.sched_getaffinity(0))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=200, help="saves in each series")
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--timeout", type=int, default=300, help="seconds to wait for the mails")
    parser.add_argument(
        "--fan-out-workers",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[1, 2],
        help="a fan-out row for each of these numbers of workers",
    )
    parser.add_argument("--workers", type=int, default=cores + 1, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--redis-db", type=int, default=12, help="flushed before and after")
    parser.add_argument("--profile", action="store_true", help="and a fan-out under cProfile")
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        help="run the workers and the SMTP sink at this niceness (a worker below the site)",
    )
    parser.add_argument(
        "--quiet-wait",
        type=int,
        default=60,
        help="seconds to wait, before each measurement, for other work on the machine to stop",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    parser.set_defaults(connections=1, worker_connections=0)  # what run.start_server reads
    return parser.parse_args()


def measure(bench: Bench, sink: Sink, workers: Workers) -> dict:
    run.prepare(bench)
    run.start_server(bench)
    set_up_django(bench)
    info = machine(bench)
    editor = Editor(bench)
    editor.sign_in()
    codes = run.member_state_codes(bench)
    print("Measuring", flush=True)
    saves = saves_without_subscribers(bench, editor, codes, workers)
    info["subscribers_s"] = create_subscribers(bench.args.subscribers)
    print(f"  {bench.args.subscribers:,} subscribers in {info['subscribers_s']:.1f}s", flush=True)
    more, left = saves_with_subscribers(bench, editor, codes, workers, sink)
    fans = fan_outs(bench, editor, codes, workers, sink)
    where = {}
    if bench.args.profile:
        row, where = profiled_fan_out(bench, editor, codes, workers, sink)
        fans.append(row)
    return dict(info=info, saves=saves + more, left=left, fans=fans, where=where)


def tear_down(bench: Bench, sink: Sink | None, workers: Workers) -> None:
    for label, step in [("stop the workers", workers.stop), ("stop the sink", sink and sink.stop)]:
        try:
            if step:
                step()
        except Exception as error:  # noqa: BLE001 - report and carry on cleaning up
            print(f"  could not {label}: {error}", file=sys.stderr)
    if "django" in sys.modules:
        from django.db import connections

        connections.close_all()
    run.tear_down(bench)  # gunicorn, the database, the Redis db


def main() -> int:
    args = parse_args()
    bench = Bench(args)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    RESULTS_DIR.mkdir(exist_ok=True)
    workers, sink = Workers(bench), None
    try:
        sink = Sink(args.nice)
        bench.env |= {
            "EMAIL_HOST": HOST,
            "EMAIL_PORT": str(sink.port),
            "EMAIL_USE_TLS": "0",
            "EMAIL_USE_SSL": "0",
            "SITE_URL": bench.url(""),
        }
        found = measure(bench, sink, workers)
    finally:
        print("Cleaning up", flush=True)
        tear_down(bench, sink, workers)
    checks = targets(found["saves"], found["fans"], found["left"], args.subscribers)
    print_report(bench, found["saves"], found["fans"], checks, found["where"], found["info"])
    (RESULTS_DIR / "following.json").write_text(
        json.dumps(
            {
                "finished_at": datetime.datetime.now(datetime.UTC).isoformat(),
                "seconds": round(bench.elapsed(), 1),
                "command": " ".join(sys.argv),
                "server": f"gunicorn {bench.server_argv}",
                **found,
                "targets": [{"target": t, "measured": m, "passed": p} for t, m, p in checks],
            },
            indent=2,
            default=str,
        )
    )
    return 1 if args.strict and not all(passed for _, _, passed in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
