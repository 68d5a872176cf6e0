"""The API's request rates (settings: API_THROTTLE_ANON, API_THROTTLE_USER). A module of its own:
DRF imports these while it defines its views, so they cannot import the views."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from redis.exceptions import RedisError
from rest_framework import throttling
from rest_framework.settings import api_settings

from .viewutils import client_address

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView

logger = logging.getLogger(__name__)


class RateThrottle(throttling.SimpleRateThrottle):
    """DRF's throttle, with the rate read when a request comes (DRF reads it once, at import)
    and no refusal when the cache does not answer: a Redis outage must not take the read API
    down with it."""

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def allow_request(self, request: Request, view: APIView) -> bool:
        try:
            return super().allow_request(request, view)
        except RedisError:
            logger.warning("API request not throttled: the cache does not answer", exc_info=True)
            return True

    def get_ident(self, request: Request) -> str:
        """The client's address as the login throttle and the sending limits read it
        (``AXES_PROXY_COUNT`` proxies), rather than DRF's own reading of X-Forwarded-For."""
        return client_address(request) or ""


class AnonRateThrottle(RateThrottle, throttling.AnonRateThrottle):
    """Requests without an account, counted by address."""


class UserRateThrottle(RateThrottle, throttling.UserRateThrottle):
    """Requests with a token or a session, counted by account. A request without an account is
    not counted here: DRF's UserRateThrottle would count its address at the account rate too,
    so that API_THROTTLE_ANON could never be set above API_THROTTLE_USER."""

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None  # AnonRateThrottle's
        return super().get_cache_key(request, view)
