from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from secondopinion.core import work


def home(request: HttpRequest) -> HttpResponse:
    """Each signed-in person lands on their work: one place, straight there; several, a list of them."""
    if not request.user.is_authenticated:
        return render(request, "core/pages/home.html")
    found = work.landings(request.user)
    if len(found) == 1:
        return redirect(found[0].url)
    if not found:
        return render(request, "core/pages/home.html")
    return render(request, "core/pages/work_home.html", {"places": work.landings(request.user, counts=True)})


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links: send them to the SVG icon."""
    from django.templatetags.static import static

    return redirect(static("img/favicon.svg"), permanent=True)


def _error(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        from secondopinion.core.problems import problem

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
