"""Sessions written to the database and read through the cache (Django's cached_db), where a cache that does not
answer (Redis down) is passed over: the session is read from and written to the database alone, and the portal
keeps working, only slower. Set as SESSION_ENGINE = "accounts.sessions"."""
import logging

from django.contrib.sessions.backends import cached_db

logger = logging.getLogger(__name__)


class _TolerantCache:
    """The session cache's calls, each of which answers "not cached" (or does nothing) when the cache fails."""

    def __init__(self, cache):
        self._cache = cache

    def _try(self, method: str, *args, default=None, **kwargs):
        try:
            return getattr(self._cache, method)(*args, **kwargs)
        except Exception:  # any cache backend's connection error
            logger.warning("session cache unavailable (%s); using the database", method, exc_info=True)
            return default

    def get(self, *args, **kwargs):
        return self._try("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._try("set", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._try("delete", *args, default=False, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._try("has_key", *args, default=False, **kwargs)

    def __contains__(self, key):
        return self.has_key(key)

    async def aget(self, *args, **kwargs):
        return self.get(*args, **kwargs)

    async def aset(self, *args, **kwargs):
        return self.set(*args, **kwargs)

    async def adelete(self, *args, **kwargs):
        return self.delete(*args, **kwargs)

    async def ahas_key(self, *args, **kwargs):
        return self.has_key(*args, **kwargs)


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _TolerantCache(self._cache)
