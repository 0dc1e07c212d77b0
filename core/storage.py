"""Static files as production serves them (WhiteNoise's compressed, fingerprinted names), with each URL worked out
once per process: a release's names never change (the manifest is read at start), and working one out cost some
150 Python calls, for each of the dozen ``{% static %}`` of every page."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        url = self._urls.get(name)
        if url is None:
            url = self._urls[name] = super().url(name)
        return url
