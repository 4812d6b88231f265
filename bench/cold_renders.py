"""`make bench`, second part: cold renders with 100,000 changes in the database.

    python bench/cold_renders.py [--changes 100000] [--repeat 15]

Creates a throwaway PostgreSQL database, seeds it with bench/seed.py at about --changes changes,
then renders in this one process, with production settings and the caches emptied before each
request, so that every figure is a render from the database: the compare page of two dates,
the same comparison as JSON, a slider step (the map page's snapshot fragment), the share image
and, for reference, the whole map page. Prints the median and the slowest time of each and writes
bench/results/cold.json. The database and its Redis db are removed whatever happens.
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import redis

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
PG_URL = os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
REDIS_BASE = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379")
# bench/seed.py makes 7 questions of 27 stances each.
STANCES = 7 * 27

MAP = "/questions/putin-re-election-2024/"
SNAPSHOT = {"HX-Request": "true", "HX-Target": "snapshot"}
RENDERS = [
    ("compare page, first record to today", f"{MAP}compare/", {}),
    ("compare page, one year", f"{MAP}compare/?from=2024-03-15&to=2025-03-15", {}),
    ("compare.json, one year", f"{MAP[:-1]}/compare.json?from=2024-03-15&to=2025-03-15", {}),
    ("slider step (snapshot fragment)", f"{MAP}?as_of=2024-09-02", SNAPSHOT),
    ("share image (1200 × 630 PNG)", f"{MAP}share.png", {}),
    ("map page (reference)", MAP, {}),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--redis-db", type=int, default=14)
    return parser.parse_args()


def postgres(statement: str) -> None:
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(statement)


def environment(database: str, redis_url: str) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "stances.settings",
        "STANCES_ENV": "production",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"{PG_URL}/{database}",
        "REDIS_URL": redis_url,
        "BENCH_EDITOR_PASSWORD": secrets.token_urlsafe(18),
        "LOG_LEVEL": "WARNING",
        # One process that reads the revision itself: no listener to lose when the database goes.
        "REVISION_LISTENER": "0",
    }


def prepare(env: dict, changes: int) -> None:
    per_stance = max(1, round(changes / STANCES))
    for label, argv in [
        ("migrate", [sys.executable, "manage.py", "migrate", "--noinput"]),
        ("seed", [sys.executable, "bench/seed.py"]),
    ]:
        started = time.monotonic()
        run_env = {**os.environ, **env, "BENCH_CHANGES_PER_STANCE": str(per_stance)}
        done = subprocess.run(argv, cwd=BASE_DIR, env=run_env, capture_output=True, timeout=900)
        if done.returncode:
            sys.stderr.write(done.stderr.decode(errors="replace")[-3000:])
            raise RuntimeError(f"{label} failed")
        last_line = done.stdout.decode().strip().splitlines()[-1:]
        print(f"  {label}: {time.monotonic() - started:.1f}s {''.join(last_line)}", flush=True)


def measure(repeat: int) -> list[dict]:
    """Each render `repeat` times in this process, the caches emptied before each."""
    import django

    django.setup()
    from django.core.cache import caches
    from django.test import Client

    from stances.models import StanceChange

    client = Client()
    rows = []
    for name, path, headers in RENDERS:
        times = []
        for _ in range(repeat + 1):
            for cache in caches.all():
                cache.clear()
            started = time.perf_counter()
            response = client.get(path, headers=headers)
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")
        times = times[1:]  # the first one also loads templates and the map into the process
        row = {
            "name": name,
            "path": path,
            "median_ms": round(statistics.median(times), 1),
            "max_ms": round(max(times), 1),
        }
        print(f"  {name:<40} median {row['median_ms']:>7.1f} ms   slowest {row['max_ms']:>7.1f} ms")
        rows.append(row)
    print(f"  ({StanceChange.objects.count():,} changes in the database)")
    return rows


def main() -> int:
    args = parse_args()
    database = f"stances_cold_{os.getpid()}"
    redis_url = f"{REDIS_BASE}/{args.redis_db}"
    env = environment(database, redis_url)
    print(f"Cold renders: database {database} with about {args.changes:,} changes", flush=True)
    redis.Redis.from_url(redis_url).flushdb()
    postgres(f'CREATE DATABASE "{database}"')
    try:
        prepare(env, args.changes)
        os.environ.update(env)
        rows = measure(args.repeat)
    finally:
        from django.db import connections

        connections.close_all()
        postgres(f'DROP DATABASE IF EXISTS "{database}" (FORCE)')
        redis.Redis.from_url(redis_url).flushdb()
    (BENCH_DIR / "results").mkdir(exist_ok=True)
    (BENCH_DIR / "results" / "cold.json").write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(BASE_DIR))
    sys.exit(main())
