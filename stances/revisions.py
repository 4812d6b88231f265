"""The data's revision, known to each worker without asking the database on every request.

Cached pages are keyed on the revision (see serving/caching.py), so reading its row was the one
round trip a cache hit still made, plus the connection's health check before it. On PostgreSQL the
trigger that raises the revision also sends it with NOTIFY (migration 0006); a thread per
process LISTENs on a connection of its own and keeps the newest value in memory.

The row is read as before whenever the listener cannot vouch for the value: on SQLite, until
the listener has connected, while it reconnects after losing the database, and inside a
transaction (which may have raised the revision itself; others hear of it only at commit).
PostgreSQL delivers a notification as the transaction commits, in commit order; the saving
request has yet to render its answer by then.
"""

import datetime
import logging
import os
import threading

import psycopg
from django.conf import settings
from django.db import Error as DatabaseError
from django.db import connection, connections

from stances.models import Revision

logger = logging.getLogger(__name__)

CHANNEL = "stances_revision"
# A quiet connection is checked (and the value re-read) this often, so that one that died
# without a word is noticed within seconds, and stop() takes effect as quickly.
CHECK_SECONDS = 1
RETRY_SECONDS = 1
# How many of the latest revisions' times a listener remembers (made_at): at five edits a
# second, the last 50 seconds, ten times as long as a stale page may be served.
HEARD = 256


def current() -> Revision:
    """The revision in force, from memory when the listener vouches for it."""
    if (
        settings.REVISION_LISTENER
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
    ):
        known = listener.latest_or_start()
        if known is not None:
            return known
    return Revision.current()


def of_request(request) -> Revision:
    """The revision for this request, found once (from memory, or one small query).

    A database error is kept and raised again, so that an unreachable database costs the
    request one connection timeout, not one per caller.
    """
    if not hasattr(request, "_stances_revision"):
        try:
            request._stances_revision = current()
        except DatabaseError as error:
            request._stances_revision = error
    if isinstance(request._stances_revision, DatabaseError):
        raise request._stances_revision
    return request._stances_revision


def made_at(number: int) -> datetime.datetime | None:
    """When revision `number` was made, if this process's listener heard of it; else None.

    It is when every page of the revision before stopped being current: a page two or more
    revisions behind is served while the new one renders only if that was recent
    (serving/turns.py). Its own render time would say far longer ago after a quiet spell.
    """
    return listener.heard.get(number)


def parse(payload: str) -> Revision:
    """'<number> <changed_at> <reference_number> <reference_changed_at>', moments as Unix time,
    as the trigger sends it (migration 0017).

    ValueError for anything else, e.g. the empty payload sent when the row is gone (a flush):
    the row is then read instead.
    """
    number, changed_at, reference_number, reference_changed_at = payload.split()
    return Revision(
        pk=1,
        number=int(number),
        changed_at=_moment(changed_at),
        reference_number=int(reference_number),
        reference_changed_at=_moment(reference_changed_at),
    )


def _moment(unix_time: str) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(float(unix_time), datetime.UTC)


class RevisionListener:
    """LISTENs for new revisions in a daemon thread of the process that asks first."""

    def __init__(self, alias: str = "default"):
        self.alias = alias
        self.latest: Revision | None = None  # None: not listening, read the row instead
        self.heard: dict[int, datetime.datetime] = {}  # the latest revisions' times (made_at)
        self._pid = None
        self._thread = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()

    def latest_or_start(self) -> Revision | None:
        if self._pid != os.getpid():  # first call, or a forked worker: the thread is not ours
            self.start()
        return self.latest

    def start(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                return
            self.latest = None
            self.heard = {}
            self._stopping = threading.Event()
            self._thread = threading.Thread(
                target=self._listen_until_stopped,
                args=(self._stopping,),
                name="stances-revision-listener",
                daemon=True,
            )
            self._thread.start()
            self._pid = os.getpid()

    def stop(self) -> None:
        with self._lock:
            self._stopping.set()
            if self._thread is not None and self._pid == os.getpid():
                self._thread.join(timeout=CHECK_SECONDS + 5)
            self._pid = self._thread = self.latest = None
            self.heard = {}

    def _listen_until_stopped(self, stopping: threading.Event) -> None:
        while not stopping.is_set():
            try:
                self._listen(stopping)
            except (psycopg.Error, OSError) as error:
                logger.warning(
                    "Revision listener lost the database (%s); reading the revision on each "
                    "request until it is back.",
                    error,
                )
            except Exception:  # the thread must live on: it is this process's only listener
                logger.exception("Revision listener failed; it starts again.")
            finally:
                self.latest = None
            stopping.wait(RETRY_SECONDS)

    def _listen(self, stopping: threading.Event) -> None:
        wrapper = connections.create_connection(self.alias)
        with wrapper.get_new_connection(wrapper.get_connection_params()) as conn:
            conn.autocommit = True
            conn.execute(f"LISTEN {CHANNEL}")
            # Read after LISTEN: a revision committed in between is either read or notified.
            self._read(conn)
            while not stopping.is_set():
                for notify in conn.notifies(timeout=CHECK_SECONDS):
                    try:
                        self._advance(parse(notify.payload))
                    except ValueError:
                        self._read(conn)
                self._read(conn)

    def _read(self, conn) -> None:
        """The row as it is now, which overrules whatever was heard before."""
        sql = (
            "SELECT number, changed_at, reference_number, reference_changed_at"
            " FROM stances_revision WHERE id = 1"
        )
        row = conn.execute(sql).fetchone()
        if row is None:
            self.latest, self.heard = None, {}
            return
        number, changed_at, reference_number, reference_changed_at = row
        self._note(number, changed_at)
        self.latest = Revision(
            pk=1,
            number=number,
            changed_at=changed_at,
            reference_number=reference_number,
            reference_changed_at=reference_changed_at,
        )

    def _advance(self, revision: Revision) -> None:
        # A notification still queued when the row was last read is older than what was read.
        self._note(revision.number, revision.changed_at)
        if self.latest is None or revision.number > self.latest.number:
            self.latest = revision

    def _note(self, number: int, changed_at: datetime.datetime) -> None:
        """Remember when `number` was made (made_at); the row's emptying forgets (_read)."""
        heard = self.heard
        heard[number] = changed_at
        if len(heard) > HEARD:
            del heard[min(heard)]


listener = RevisionListener()
