"""The WSGI entry point gunicorn loads."""

import gc
import importlib
import sys


def test_what_the_worker_loads_is_kept_out_of_full_collections():
    gc.unfreeze()
    sys.modules.pop("stances.wsgi", None)
    try:
        wsgi = importlib.import_module("stances.wsgi")
        assert callable(wsgi.application)
        # Django and the URL configuration are frozen: a full collection does not walk them.
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
