from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from secondopinion.core import audit


def client_ip(request: HttpRequest) -> str:
    # Behind a proxy, set SECURE_PROXY_SSL_HEADER and have the proxy overwrite REMOTE_ADDR (e.g. gunicorn
    # --forwarded-allow-ips); X-Forwarded-For is never trusted here because any client can send it.
    return request.META.get("REMOTE_ADDR", "")[:64]


class AuditContextMiddleware:
    """Binds the client address to audit rows and writes queued denied-access rows after the view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = audit.bind_request(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            audit.unbind_request(token)


# Paths whose answers to an anonymous visitor are the public register, the glossary or static assets:
# they may keep their own caching headers. Every other answer, and every answer to a signed-in person or
# an API token, may carry health data and is never stored by a browser or a proxy. The rule lists what
# may be cached rather than what may not, so a new page is never-stored until someone decides otherwise.
CACHEABLE_WHEN_ANONYMOUS = (
    "/directory/",
    "/api/v1/directory/",
    "/api/v1/fhir/",
    "/help/",
    "/static/",
    "/favicon.ico",
)


def may_be_cached(request: HttpRequest) -> bool:
    if not request.path.startswith(CACHEABLE_WHEN_ANONYMOUS):
        return False
    if "HTTP_AUTHORIZATION" in request.META or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every answer that may carry health data (see `may_be_cached`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not may_be_cached(request) and "no-store" not in response.get("Cache-Control", ""):
            # Replaced, not patched: a max-age or `public` a view set would be wrong for health data.
            response["Cache-Control"] = "no-store"
        return response
