"""`make bench PROXY=1`: the same server behind Debian's nginx, configured by docs/nginx.conf.

nginx starts as the current user with a configuration of its own in a temporary directory:
docs/nginx.conf with its three marked lines pointed at the bench's gunicorn, a cache directory
and a free port, plus a server for nginx's own static file (the ceiling for a cached answer).
"""

import getpass
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SITE_CONF = BASE_DIR / "docs" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

# `user`: started by root, nginx's workers would run as nobody and could not write the cache in
# this run's private directory (not root: nginx ignores the line).
MAIN_CONF = """
user {user};
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    server {{
        listen {host}:{static_port};
        location /static/ {{ alias {static_root}/; }}
    }}
    {site}
}}
"""


def site_conf(host: str, port: int, app_port: int, cache_dir: str) -> str:
    """docs/nginx.conf as a production site would run it, pointed at this bench's server."""
    conf = SITE_CONF.read_text()
    for old, new in [
        ("/var/cache/nginx/stances", cache_dir),
        ("server 127.0.0.1:8000;", f"server {host}:{app_port};"),
        ("listen 80 default_server;", f"listen {host}:{port} default_server;"),
        ("listen 80;", f"listen {host}:{port};"),
        ("server_name stances.example.org;", f"server_name {host} localhost;"),
    ]:
        assert old in conf, f"docs/nginx.conf no longer has {old!r}"
        conf = conf.replace(old, new)
    return conf


class Proxy:
    """nginx in front of the bench's gunicorn, on `port`; its own static file on `static_port`."""

    def __init__(self, host: str, port: int, static_port: int, app_port: int):
        self.host, self.port, self.static_port = host, port, static_port
        self.dir = tempfile.mkdtemp(prefix="stances-nginx-")
        self.process = None
        site = site_conf(host, port, app_port, f"{self.dir}/cache")
        (Path(self.dir) / "nginx.conf").write_text(
            MAIN_CONF.format(
                dir=self.dir,
                user=getpass.getuser(),
                host=host,
                static_port=static_port,
                static_root=BASE_DIR / "staticfiles",
                site=site,
            )
        )

    def start(self) -> None:
        argv = [NGINX, "-p", self.dir, "-c", f"{self.dir}/nginx.conf", "-g", "daemon off;"]
        self.process = subprocess.Popen(argv, stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        if self.process.poll() is not None:
            log = (Path(self.dir) / "error.log").read_text(errors="replace")
            raise RuntimeError(f"nginx did not start: {log}")
        print(f"  nginx {' '.join(argv[1:])} on {self.host}:{self.port}", flush=True)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


def edit_visible_after(fetch_etag, write, repeat: int = 5, limit: float = 10.0) -> list[float]:
    """Seconds from a write until a reader through the proxy gets a page with a new ETag."""
    delays = []
    for _ in range(repeat):
        before = fetch_etag()
        started = time.monotonic()
        write()
        while fetch_etag() == before and time.monotonic() - started < limit:
            time.sleep(0.02)
        delays.append(time.monotonic() - started)
        time.sleep(0.5)
    return delays
