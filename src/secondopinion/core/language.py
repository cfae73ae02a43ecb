"""The language switch, and how it keeps a half-filled form.

The switch in the header is a plain POST to ``set_language`` (no JavaScript). On a page whose view calls
``keep_form_on_switch(request, form_id)``, the switch's buttons submit *that page's form* instead (HTML's
``form``/``formaction`` attributes): its current values travel with the switch, are kept in the session for
the one page the switch returns to, and that page's view shows them again through ``initial_from``.
Files are never carried; the values are dropped as soon as the page has read them.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse, QueryDict
from django.views.i18n import set_language as django_set_language

SESSION_KEY = "language_switch_form"
NOT_FORM_FIELDS = frozenset({"csrfmiddlewaretoken", "language", "next"})
MAX_KEPT_CHARS = 50_000  # a half-filled form is small; anything bigger is not kept


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language``, which also keeps the values of the form the switch was pressed in."""
    response = django_set_language(request)
    if request.method == "POST" and response.status_code in (301, 302) and hasattr(request, "session"):
        values = {k: request.POST.getlist(k) for k in request.POST if k not in NOT_FORM_FIELDS}
        size = sum(len(k) + sum(len(v) for v in vs) for k, vs in values.items())
        if values and size <= MAX_KEPT_CHARS:
            request.session[SESSION_KEY] = {"path": urlsplit(response["Location"]).path, "values": values}
        else:
            request.session.pop(SESSION_KEY, None)
    return response


def mark_form(request: HttpRequest, form_id: str) -> None:
    """The page about to be shown has a form with the HTML id ``form_id``: the language switch carries it
    (``base.html`` reads ``request.language_keeps_form``). Only for pages that do show that form."""
    request.language_keeps_form = form_id  # type: ignore[attr-defined]


def keep_form_on_switch(request: HttpRequest, form_id: str) -> QueryDict | None:
    """``mark_form``, and the values a language switch carried back to this page (once), if any."""
    mark_form(request, form_id)
    if not hasattr(request, "session"):
        return None
    kept = request.session.get(SESSION_KEY)
    if not isinstance(kept, dict) or kept.get("path") != request.path:
        return None
    del request.session[SESSION_KEY]
    data = QueryDict(mutable=True)
    for key, values in (kept.get("values") or {}).items():
        data.setlist(str(key), [str(v) for v in values])
    return data


def initial_from(form_class: Any, data: QueryDict | None, **form_kwargs: Any) -> dict[str, Any]:
    """The values of ``data`` as the initial values of an unbound ``form_class`` (each widget reads its own
    field: checkbox lists stay lists); {} without data. Nothing is validated: the form is only half filled."""
    if data is None:
        return {}
    bound = form_class(data, **form_kwargs)
    initial = {}
    for name in bound.fields:
        value = bound[name].data
        if value is not None:
            initial[name] = value
    return initial
