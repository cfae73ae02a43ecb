from __future__ import annotations

from collections.abc import Callable

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
