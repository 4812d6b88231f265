"""Instructions a cold render of the map page, or an editor's save, executes, counted by
valgrind (callgrind).

    python bench/instructions.py [--changes 100000] [--renders 20] [--saves]

Wall-clock times on a shared machine move by a half within minutes; the count of instructions
the process executes does not (the same code gives the same count within about 1%), so two
versions compare in one figure each, whatever else the machine is doing. Seeds a throwaway
database as bench/cold_renders.py does, then runs this process under callgrind twice: 5 renders,
and 5 + --renders, each render with every cache emptied as the cold benchmark's are; the
difference over --renders is the figure. With --saves, the same for the save round trip
(bench/cold_renders.py's, as an editor signed in makes it). It counts this process only:
PostgreSQL's and Redis's work, and the time spent waiting for them, are not in it. Needs
valgrind (Debian's package).
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
WARM_UP = 5


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=100_000)
    parser.add_argument("--renders", type=int, default=20)
    parser.add_argument("--redis-db", type=int, default=14)
    parser.add_argument("--saves", action="store_true", help="count a save, not a render")
    parser.add_argument("--render", type=int, help=argparse.SUPPRESS)  # the measured child
    return parser.parse_args()


def render(count: int, saves: bool) -> None:
    """In the child under valgrind: WARM_UP renders (or saves), then `count` more."""
    import django

    django.setup()
    import cold_renders
    from django.test import Client

    cold_renders.listening()
    if saves:
        cold_renders.save_times(cold_renders.editor_client(), WARM_UP + count)
    else:
        # As the cold benchmark renders: every cache emptied before each; it renders one more.
        cold_renders.cold_times(Client(), cold_renders.MAP, {}, WARM_UP + count - 1)


def instructions(renders: int, env: dict, saves: bool) -> int:
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory) / "callgrind.out"
        argv = [
            "valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
            sys.executable, __file__, "--render", str(renders), *(["--saves"] if saves else []),
        ]  # fmt: skip
        subprocess.run(
            argv, cwd=BASE_DIR, env={**os.environ, **env}, check=True, capture_output=True
        )
        return int(re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.M).group(1))


def main() -> int:
    args = parse_args()
    if args.render is not None:
        render(args.render, args.saves)
        return 0
    import cold_renders
    import redis

    database = f"stances_instructions_{os.getpid()}"
    redis_url = f"{cold_renders.REDIS_BASE}/{args.redis_db}"
    env = cold_renders.environment(database, redis_url)
    what = "save" if args.saves else "cold map page"
    print(f"Instructions per {what}: database {database}, about {args.changes:,} changes")
    redis.Redis.from_url(redis_url).flushdb()
    cold_renders.postgres(f'CREATE DATABASE "{database}"')
    try:
        cold_renders.prepare(env, args.changes)
        started = time.monotonic()
        base = instructions(0, env, args.saves)
        more = instructions(args.renders, env, args.saves)
        per_render = (more - base) / args.renders
        print(
            f"  {per_render / 1e6:.2f} M instructions per {what} ({args.renders} of them,"
            f" {time.monotonic() - started:.0f} s under valgrind)"
        )
    finally:
        cold_renders.postgres(f'DROP DATABASE IF EXISTS "{database}" (FORCE)')
        redis.Redis.from_url(redis_url).flushdb()
    return 0


if __name__ == "__main__":
    sys.path[:0] = [str(BASE_DIR), str(BENCH_DIR)]
    sys.exit(main())
