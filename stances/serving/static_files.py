"""Static files under hashed names, each name looked up once per process.

Every page names the same few files (its style sheet, script, icon): looking each up in the
manifest and building its address took 0.1 ms a time, a tenth of a millisecond of each render
for an answer that cannot change while the process runs (the manifest is read at start, and a
deploy starts new processes).
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[tuple[str, bool], str] = {}

    def url(self, name, force=False):
        key = (name, force)
        try:
            return self._urls[key]
        except KeyError:
            # A name missing from the manifest raises here, and is asked again next time.
            url = self._urls[key] = super().url(name, force)
            return url
