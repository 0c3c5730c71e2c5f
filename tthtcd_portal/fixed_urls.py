"""URLs that are the same for the life of a process, resolved once (issue 18).

Every page's menu and base.html link about twenty URL names without arguments and eight static files; a
`reverse()` or a `{% url %}` tag costs ~50 µs, a `{% static %}` of a hashed file ~30 µs, on every page. A URL
name without arguments resolves to the same path until the URL configuration (a test's ROOT_URLCONF, a
request's urlconf) or the script prefix (the mount point) changes, and both are in the key; a static file's URL
is kept on the storage object itself, which settings changes replace.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.functional import empty

# (URL configuration, script prefix, URL name) -> the path, or None when the name does not resolve.
_reversed: dict[tuple[str, str, str], str | None] = {}


def fixed_url(url_name: str) -> str | None:
    """reverse(url_name) of a name without arguments, kept per process; None when it does not resolve."""
    key = (str(get_urlconf() or settings.ROOT_URLCONF), get_script_prefix(), url_name)
    try:
        return _reversed[key]
    except KeyError:
        pass
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        url = None
    _reversed[key] = url
    return url


def fixed_static(path: str) -> str:
    """staticfiles_storage.url(path), kept on the storage (hashed names are fixed by the manifest it loaded)."""
    storage = staticfiles_storage._wrapped
    if storage is empty or not isinstance(storage, ManifestFilesMixin):  # not set up yet, or not hashed
        return staticfiles_storage.url(path)
    kept = storage.__dict__.setdefault("_portal_fixed_urls", {})
    try:
        return kept[path]
    except KeyError:
        url = kept[path] = staticfiles_storage.url(path)
        return url
