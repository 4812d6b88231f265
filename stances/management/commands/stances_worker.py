"""`manage.py stances_worker`: runs the queued tasks (mail, webhooks), and every half minute
the sweep (stances/following/sweep.py). Run as many as needed, on as many machines."""

import logging
import os
import threading

from django.db import DatabaseError, close_old_connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from stances.following.sweep import sweep

logger = logging.getLogger("stances.worker")
SWEEP_EVERY_SECONDS = 30


def sweep_forever(stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            close_old_connections()
            sweep()
        except DatabaseError:  # away for now; the next round tries again
            logger.exception("The sweep could not reach the database.")
        finally:
            close_old_connections()
        stop.wait(SWEEP_EVERY_SECONDS)


class Command(DatabaseWorker):
    help = "Run the tasks that send alerts and webhooks, and the sweep that resumes lost work."

    def handle(self, *args, **options):
        stop = threading.Event()
        # --batch runs what is queued and stops: the sweep is for workers that stay up.
        # With --reload (DEBUG's default) the work runs in a child process: sweep there only.
        if options["batch"]:
            pass
        elif not options["reload"] or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            threading.Thread(target=sweep_forever, args=(stop,), daemon=True).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
