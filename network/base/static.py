"""The static files' storages, each remembering the URL of a file once it has been asked
for.

Every page links six static files (network's base.html), and a storage works each URL out
afresh: the manifest's hashed name, then quoting and joining it to `STATIC_URL` (about
eighty Python calls a link; over five hundred of each page's, when the floor of a signed-in
request is under four thousand: speed, issue 14). A file's URL does not change while the
process runs: the manifest is read once at start-up, and Django makes a new storage when
a test changes `STATIC_URL`, `STATIC_ROOT` or `STORAGES`. `DEBUG` is part of the key, as
the manifest storage links unhashed names when it is on. What fails (a file missing from
the manifest) is not remembered, and raises every time, as before."""

from django.conf import settings
from django.contrib.staticfiles.storage import StaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage

from network.base.memo import Bounded


class RememberedURLs:
    def url(self, name, *args, **kwargs):
        if args or kwargs:  # `force=`: collectstatic's own use, not a page's
            return super().url(name, *args, **kwargs)
        urls = self.__dict__.get("_remembered_urls")
        if urls is None:
            urls = self._remembered_urls = Bounded(1024)  # the templates' own paths; a bound all the same
        return urls.keep((name, settings.DEBUG), lambda: super(RememberedURLs, self).url(name))


class StaticFiles(RememberedURLs, StaticFilesStorage):
    """Files served from static/ as they are (a first run, development, the tests)."""


class ManifestStaticFiles(RememberedURLs, CompressedManifestStaticFilesStorage):
    """Production: hashed, compressed names from collectstatic's manifest (WhiteNoise)."""
