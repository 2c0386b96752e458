"""Pages and fragments cached on the versions of the tables they read (never on time alone).

A cached entry records the tables its computation queried (every SQL statement is watched while it is
computed) and their versions at the start of the request (ocop_portal.versions); it answers only while every
one of those tables is at the same version. A write anywhere that touches one of them, committed, makes the
next request compute afresh. Beside the data, a page's key holds all else it depends on: the user, the
language, the day (roles and deadlines are dated), the full path with its query, the host and the headers
that change the answer (Accept, htmx's).

A request sent with "Cache-Control: no-cache" (a hard reload) is computed afresh, and stored. Every key holds
the release (the source tree's digest, or OCOP_RELEASE): an upgrade never serves pages of the old templates.

- `cached_page`: a view's whole GET answer (200 only). The CSRF tokens in the page are stored as a
  placeholder and replaced by the request's own token on each answer; a page with a message pending (flash
  messages), a CSP nonce used, a cookie set or a download is never stored.
- `CachedListMixin`: a DRF list's data, keyed on the user DRF authenticated (session or token).
- `remember(key, build)`: a fragment or computed value shared between users (a dashboard).

Versions are read once per request, before any data (accounts.backends reads them with the user), so an
entry can only be stored under versions older than, or equal to, its data: never fresher than the truth.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import threading
from collections import OrderedDict
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from . import versions as data_versions

logger = logging.getLogger(__name__)

SECONDS = 7 * 24 * 3600  # an entry unused for a week is let go; a change of data ends it at once
# Every logged-in page shows the user, their scope (roles, units) and the inbox badge: read by the middleware
# before the view runs, so not seen by the capture; added to every page's dependencies.
PAGE_TABLES = ("accounts_user", "accounts_roleassignment", "activity_outboxmessage", "authtoken_token")
HEADERS = ("HTTP_ACCEPT", "HTTP_HX_REQUEST", "HTTP_HX_TARGET", "HTTP_HX_TRIGGER", "HTTP_HX_BOOSTED")
PLACEHOLDER = "\x00csrf\x00"
_TOKEN = re.compile(r'(?<=name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(?=")|(?<="X-CSRFToken": ")[A-Za-z0-9]{64}(?=")')
_ANY_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")

_capture: ContextVar[set | None] = ContextVar("ocop_pagecache_capture", default=None)
_request_versions: ContextVar[dict | None] = ContextVar("ocop_pagecache_versions", default=None)
_request: ContextVar = ContextVar("ocop_pagecache_request", default=None)
# remember(local=True): values kept in this process's memory (no round trip to Redis), checked against the
# data versions like the shared cache. Small reference data only (a rubric's layout), so a few hundred entries.
_LOCAL: OrderedDict = OrderedDict()  # oldest stored first out
_LOCAL_LOCK = threading.Lock()
LOCAL_ENTRIES = 512


class RequestMiddleware:
    """Makes the request known to code without it (selectors), so that their remembered values are checked
    against the versions read with the user, at no query of their own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


# What a release is made of: a page cached by an older release (other templates, code, translations or static
# file names) never answers for a newer one, even though the data did not change.
_TREE_SKIP = {".git", ".venv", "node_modules", "var", "media", "staticfiles", "__pycache__", ".pytest_cache", "bench",
              "tests", "docs"}
_TREE_SUFFIXES = (".py", ".html", ".txt", ".mo", ".css", ".js", ".svg", ".json")


def tree_digest(base) -> str:
    """A digest of the names, sizes and modification times of the code, templates, translations and static
    files under `base` (stat calls only: a few milliseconds once per process)."""
    digest = hashlib.sha256()
    for root, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d not in _TREE_SKIP and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(_TREE_SUFFIXES):
                stat = os.stat(os.path.join(root, name))
                digest.update(f"{os.path.relpath(os.path.join(root, name), base)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:12]


@functools.cache
def release() -> str:
    """OCOP_RELEASE if set (e.g. the image's commit), else the digest of the source tree."""
    return getattr(settings, "OCOP_RELEASE", "") or tree_digest(settings.BASE_DIR)


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE", True)


def versions(request=None) -> dict[str, int]:
    """The tables' versions for this request: read once, at its start (or now, outside a request)."""
    if request is None:
        request = _request.get()
    found = getattr(request, "_data_versions", None) if request is not None else None
    if found is None and request is not None:
        user = getattr(request, "_cached_user", None)  # read with the user (accounts.backends)
        found = getattr(user, "_data_versions", None)
    if found is None:
        found = _request_versions.get()
    if found is None:
        try:
            found = data_versions.current()
        except Exception:  # not installed (a database not migrated yet): nothing is cached
            logger.debug("data versions unavailable", exc_info=True)
            found = {}
    if request is not None:
        request._data_versions = found
    return found


@contextmanager
def using_versions(found: dict):
    token = _request_versions.set(found)
    try:
        yield
    finally:
        _request_versions.reset(token)


@contextmanager
def capturing(known):
    """Collects the known tables named by every query run inside (nested captures all see them)."""
    tables: set[str] = set()
    outer = _capture.get()

    def watch(execute, sql, params, many, context):
        tables.update(data_versions.tables_in(sql, known))
        return execute(sql, params, many, context)

    token = _capture.set(tables)
    try:
        with connection.execute_wrapper(watch):
            yield tables
    finally:
        _capture.reset(token)
        if outer is not None:
            outer.update(tables)


def _depend(tables) -> None:
    """An entry read from the cache tells the computation around it what it depended on."""
    outer = _capture.get()
    if outer is not None:
        outer.update(tables)


def _get(key: str):
    try:
        return cache.get(key)
    except Exception:  # the cache (Redis) is down: compute, the page still opens
        logger.warning("page cache unavailable", exc_info=True)
        return None


def _set(key: str, value) -> None:
    try:
        cache.set(key, value, SECONDS)
    except Exception:
        logger.warning("page cache unavailable", exc_info=True)


def _valid(entry, found: dict) -> bool:
    return entry is not None and all(found.get(t) == v for t, v in entry[0].items())


def _stamp(tables, found: dict) -> dict:
    return {t: found[t] for t in tables if t in found}


def remember(key: str, build, request=None, *, local: bool = False):
    """build()'s value, computed once per version of the tables it reads; `local` keeps it in this process's
    memory instead of the shared cache (small values read on every request: no round trip at all)."""
    found = versions(request) if enabled() else {}
    if not found:
        return build()
    key = f"v1:{release()}:frag:" + key
    entry = _LOCAL.get(key) if local else _get(key)
    if _valid(entry, found):
        _depend(entry[0])
        return entry[1]
    with capturing(found) as tables:
        value = build()
    entry = (_stamp(tables, found), value)
    if local:
        with _LOCAL_LOCK:
            _LOCAL[key] = entry
            while len(_LOCAL) > LOCAL_ENTRIES:
                _LOCAL.popitem(last=False)
    else:
        _set(key, entry)
    return value


def _key(kind: str, request, user) -> str:
    parts = [kind, str(getattr(user, "pk", None) or 0), get_language() or "", timezone.localdate().isoformat(),
             request.get_host(), "s" if request.is_secure() else "", request.get_full_path()]
    parts += [request.META.get(h, "") for h in HEADERS]
    return f"v1:{release()}:page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _reload(request) -> bool:
    """A hard reload (the browser's Ctrl+F5 sends "Cache-Control: no-cache") computes the page afresh."""
    return "no-cache" in request.META.get("HTTP_CACHE_CONTROL", "")


def _messages_pending(request) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def _nonce_used(request) -> bool:
    nonce = getattr(request, "_csp_nonce", None)
    return nonce is not None and getattr(nonce, "_wrapped", None) is not None and nonce._wrapped.__class__ is str


def _without_tokens(request, content: str) -> str | None:
    """The page with its CSRF tokens as placeholders, or None if a token is left somewhere unknown."""
    from django.middleware.csrf import _unmask_cipher_token

    content = _TOKEN.sub(PLACEHOLDER, content)
    secret = request.META.get("CSRF_COOKIE")
    if secret:
        for match in _ANY_TOKEN.finditer(content):
            if _unmask_cipher_token(match.group()) == secret:
                return None
    return content


def cached_page(view):
    """Caches a view's GET answer per user, on the versions of the tables it read (see the module)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or not enabled() or _messages_pending(request):
            return view(request, *args, **kwargs)
        found = versions(request)
        if not found:
            return view(request, *args, **kwargs)
        key = _key("page", request, request.user)
        entry = None if _reload(request) else _get(key)
        if _valid(entry, found):
            content, content_type, headers = entry[1]
            if PLACEHOLDER in content:
                from django.middleware.csrf import get_token

                content = content.replace(PLACEHOLDER, get_token(request))
            response = HttpResponse(content, content_type=content_type)
            for name, value in headers:
                response.headers[name] = value
            return response
        with capturing(found) as tables, using_versions(found):
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        if (response.status_code == 200 and not response.streaming and not response.cookies
                and "Content-Disposition" not in response and not _messages_pending(request)
                and not _nonce_used(request)):
            content_type = response.get("Content-Type", "")
            if content_type.startswith(("text/html", "application/json")):
                content = _without_tokens(request, response.content.decode(response.charset))
                if content is not None:
                    headers = [(k, v) for k, v in response.headers.items() if k.lower() not in ("content-type", "content-length")]
                    _set(key, (_stamp(set(tables) | set(PAGE_TABLES), found), (content, content_type, headers)))
        return response

    return wrapper


class CachedListMixin:
    """A DRF list view whose page of data is cached per (DRF-authenticated) user on the data versions."""

    def list(self, request, *args, **kwargs):
        found = versions(request._request) if enabled() and request.method == "GET" else {}
        if not found:
            return super().list(request, *args, **kwargs)
        key = _key("api", request._request, request.user)
        entry = None if _reload(request._request) else _get(key)
        if _valid(entry, found):
            from rest_framework.response import Response

            return Response(entry[1])
        with capturing(found) as tables, using_versions(found):
            response = super().list(request, *args, **kwargs)
        if response.status_code == 200:
            _set(key, (_stamp(set(tables) | set(PAGE_TABLES), found), response.data))
        return response
