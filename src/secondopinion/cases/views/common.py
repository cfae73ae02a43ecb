"""What the case pages, and the other apps' pages about a case, share: the case resolved through the gateway,
the way back to the case page."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse

from secondopinion.accounts.types import AuthedRequest
from secondopinion.cases import queries
from secondopinion.core.access import NotFound, Perm


def case_view(perm: Perm = Perm.VIEW, *, audit: bool = True) -> Any:
    """Decorator: resolve `case_id` through the gateway (404 when hidden) and pass the case on."""

    def decorate(view: Any) -> Any:
        @login_required
        def wrapper(request: AuthedRequest, case_id: UUID, *args: Any, **kwargs: Any) -> HttpResponseBase:
            try:
                case = queries.get_case(request.user, case_id, perm, audit=audit)
            except NotFound:
                raise Http404 from None
            return view(request, case, *args, **kwargs)

        wrapper.__name__ = view.__name__
        wrapper.__doc__ = view.__doc__
        return wrapper

    return decorate


def back_to_case(case: Any, anchor: str = "") -> HttpResponse:
    return redirect(case_url(case) + (f"#{anchor}" if anchor else ""))


def case_url(case: Any) -> str:
    return reverse("cases:detail", args=[case.pk])


def owned(getter: Any, request: HttpRequest, object_id: UUID) -> Any:
    try:
        return getter(request.user, object_id)
    except NotFound:
        raise Http404 from None
