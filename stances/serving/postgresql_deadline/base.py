"""Django's PostgreSQL backend, whose connections give up waiting for the server after a deadline.

statement_timeout and TCP keepalives do not cover a server (or a relay in front of it) that is
frozen but whose kernel still acknowledges our packets: the query sits in the socket and the
answer never comes. Only the client can notice that, so every wait psycopg makes for an answer
is bounded here (OPTIONS["wait_deadline"], seconds; absent or None: no deadline).

Once one wait has run out, the others in the process do not start waiting too for as long
again: for that long they fail at once (queued requests would otherwise add a wait for a
thread to a wait for the database), then the next one tries the database again.
"""

import time

import psycopg
from django.db.backends.postgresql import base

# When the process may try the database again after a wait ran out (time.monotonic()).
silent_until = 0.0


def database_silent() -> bool:
    return time.monotonic() < silent_until


class DatabaseSilent(psycopg.OperationalError):
    pass


class DeadlineConnection(psycopg.Connection):
    wait_deadline: float | None = None

    def wait(self, gen, interval=psycopg.connection._WAIT_INTERVAL, timeout=None):
        if timeout is not None or not self.wait_deadline:
            # A caller that sets its own timeout (notifies(), cancelling) handles its expiry.
            return super().wait(gen, interval=interval, timeout=timeout)
        if database_silent():
            self.give_up("the database did not answer moments ago")
        try:
            return super().wait(gen, interval=interval, timeout=self.wait_deadline)
        except psycopg.errors._WaitTimeout:
            global silent_until
            silent_until = time.monotonic() + self.wait_deadline
            self.give_up(f"no answer from the database within {self.wait_deadline} s")

    def give_up(self, reason):
        # The connection may be mid-query and can never be used again: close it now, so that
        # Django's is_usable() check and cleanup fail at once rather than wait again.
        self.close()
        raise DatabaseSilent(reason)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        params.pop("wait_deadline", None)
        return params

    def get_new_connection(self, conn_params):
        deadline = self.settings_dict["OPTIONS"].get("wait_deadline")
        if deadline and database_silent():
            raise DatabaseSilent("the database did not answer moments ago")
        connection = super().get_new_connection(conn_params)
        # psycopg.connect() takes no connection class, and Django's backend has no option for
        # one; DeadlineConnection only overrides a method, so the object is otherwise the same.
        connection.__class__ = DeadlineConnection
        connection.wait_deadline = deadline
        return connection
