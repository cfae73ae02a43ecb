from typing import Any

from django import template

from secondopinion.consults.models import STATUS_CHOICES

register = template.Library()
_LABELS = {str(value): label for value, label in STATUS_CHOICES}


@register.inclusion_tag("consults/partials/case_requests.html", takes_context=True)
def case_requests(context: dict, case: Any) -> dict:
    """The case page's "Second opinions" section (requests of this case the viewer may see)."""
    from secondopinion.consults import queries

    request = context.get("request")
    user = getattr(request, "user", None)
    requests = list(queries.requests_for_case(user, case)) if user is not None else []
    return {
        "case": case,
        "request": request,
        "requests": requests,
        "is_owner": user is not None and case.owner_id == user.pk,
        "may_request": user is not None and queries.may_request(user, case),
    }


@register.filter
def status_label(value: str) -> str:
    return str(_LABELS.get(str(value), value))
