from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.user.role in ("patient", "companion"):
        return redirect("cases:list")
    return render(request, "core/pages/home.html")


def _error(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        from secondopinion.api.problems import problem

        return problem(status, title, text, code={404: "not_found", 403: "forbidden"}.get(status, "error"))
    return render(request, "core/pages/error.html", {"title": title, "text": text}, status=status)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    from django.utils.translation import gettext as _

    return _error(
        request,
        404,
        _("Not found"),
        _("We could not find that page. It may have been removed, or you may not have access to it."),
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    from django.utils.translation import gettext as _

    return _error(request, 403, _("Not allowed"), _("Your account cannot do this."))


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    from django.utils.translation import gettext as _

    return _error(request, 400, _("Something was wrong with the request"), _("Please go back and try again."))


def server_error(request: HttpRequest) -> HttpResponse:
    from django.utils.translation import gettext as _

    return _error(
        request,
        500,
        _("Something went wrong on our side"),
        _("Nothing you entered was lost. Please try again in a moment."),
    )
