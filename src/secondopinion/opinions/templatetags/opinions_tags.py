from __future__ import annotations

from typing import Any

from django import template

from secondopinion.core.codes import Modality

register = template.Library()


@register.inclusion_tag("opinions/partials/case_opinions.html", takes_context=True)
def case_opinions(context: dict, case: Any) -> dict:
    """The case page's opinions section: the first opinion, signed ones, the comparison, the decision."""
    from secondopinion.opinions import queries

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"case": case, "request": request}
    opinions = queries.opinions_for_case(user, case)
    decisions = list(queries.decisions_for_case(user, case)[:1])
    return {
        "case": case,
        "request": request,
        "first": next((o for o in opinions if o.source == "first"), None),
        "others": [o for o in opinions if o.source != "first"],
        "signed_count": sum(1 for o in opinions if o.signed_at),
        "decision": decisions[0] if decisions else None,
        "is_owner": case.owner_id == user.pk,
        "is_clinician": user.is_clinician,
    }


@register.filter
def modality_labels(codes: Any) -> str:
    labels = dict(Modality.choices)
    return " + ".join(str(labels.get(code, code)) for code in codes or [])
