"""A real gunicorn for tests that need a server process, its database behind a relay."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(database_port: int, tmp_path, *options: str) -> subprocess.Popen:
    """gunicorn with one worker (and `options`), its database at 127.0.0.1:`database_port`;
    returned once it answers, with its port as `.port`. The caller stops it."""
    database = settings.DATABASES["default"]
    user = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{user}@127.0.0.1:{database_port}/{database['NAME']}",
        "STANCES_ENV": "development",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "REDIS_URL": "",
    }
    command = [sys.executable, "-m", "gunicorn", "stances.wsgi", "--workers", "1", *options]
    command += ["--bind", f"127.0.0.1:{port}", "--timeout", "60"]
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)  # noqa: S603
    process.port = port
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", "/static/stances/site.css")
            connection.getresponse().read()
            connection.close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    process.wait()
    pytest.fail(f"gunicorn did not start:\n{log.read_text()}")
