"""The JSON API under /api/v1/: session or bearer-token auth; every error is problem+json."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyCookie, HttpBearer

from secondopinion.core.access import NotFound
from secondopinion.core.problems import ApiError, problem

logger = logging.getLogger(__name__)


class SessionAuth(APIKeyCookie):
    """The browser's session (CSRF-checked on writes); bearer tokens are resolved by middleware first."""

    param_name = "sessionid"

    def __call__(self, request: HttpRequest) -> Any:
        if request.META.get("HTTP_AUTHORIZATION", "").startswith("Bearer "):
            return None  # a bearer request is judged by its token alone
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


class BearerAuth(HttpBearer):
    """Documents `Authorization: Bearer <token>` in OpenAPI; BearerTokenMiddleware did the lookup."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return getattr(request, "bearer_user", None)


api = NinjaAPI(
    title="secondopinion API",
    version="1",
    urls_namespace="api",
    auth=[BearerAuth(), SessionAuth()],
    docs_url="/docs",
)

_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "validation_error",
    429: "too_many_requests",
}


@api.exception_handler(ValidationError)
def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"loc": [str(p) for p in e.get("loc", [])], "message": e.get("msg", ""), "type": e.get("type", "")}
        for e in exc.errors
    ]
    return problem(
        422, "Invalid input", "Some fields are missing or not valid.", code="validation_error", errors=errors
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem(401, "Not signed in", "Sign in, or send a valid access token.", code="not_authenticated")


@api.exception_handler(NotFound)
def _not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return problem(404, "Not found", "There is nothing here, or you may not see it.", code="not_found")


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return problem(exc.status, exc.title, exc.detail, code=exc.code, **exc.extra)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = "csrf_failed" if "CSRF" in str(exc) else _CODES.get(exc.status_code, "error")
    return problem(exc.status_code, str(exc), str(exc), code=code)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return problem(
        413, "Request too large", "The request body is larger than this server accepts.", code="too_large"
    )


@api.exception_handler(MultiPartParserError)
def _bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    return problem(
        400,
        "Unreadable upload",
        "The upload could not be read: send it as multipart/form-data with a boundary.",
        code="bad_multipart",
    )


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path)
    return problem(
        500, "Internal error", "Something went wrong on our side. Nothing was changed.", code="internal_error"
    )


def _register_routers() -> None:
    from secondopinion.cases.api import router as cases_router
    from secondopinion.consults.api import router as consults_router
    from secondopinion.directory.api import router as directory_router
    from secondopinion.interop.api import router as fhir_router
    from secondopinion.opinions.api import router as opinions_router
    from secondopinion.triage.api import router as triage_router

    api.add_router("/", cases_router)
    api.add_router("/", triage_router)
    api.add_router("/", consults_router)
    api.add_router("/", opinions_router)
    api.add_router("/", directory_router)
    api.add_router("/", fhir_router)


_register_routers()
