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
    signed_count = sum(1 for o in opinions if o.signed_at and o.source != "first")
    comparisons = []
    if signed_count:
        from secondopinion.opinions.views.case import comparisons_for

        comparisons = comparisons_for(user, case)[1]
    return {
        "comparisons": comparisons,
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
def treatment_parts(option: Any) -> list[dict[str, str]]:
    """An option's treatments in words, each with its procedure and details (treatment_fields)."""
    from secondopinion.opinions.treatment_fields import option_parts

    return option_parts(option) if isinstance(option, dict) else []


@register.filter
def modality_labels(codes: Any) -> str:
    labels = dict(Modality.choices)
    return " + ".join(str(labels.get(code, code)) for code in codes or [])


@register.inclusion_tag("opinions/partials/packet_panel.html", takes_context=True)
def request_packet(context: dict, cr: Any) -> dict:
    """The patient's packet beside the consultant's work (request page, opinion editor), read through the
    gateway (`queries.request_packet`)."""
    from secondopinion.opinions import queries
    from secondopinion.opinions.content import DIMENSIONS, describe

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_clinician:
        return {"packet": None}
    packet = queries.request_packet(user, cr)
    first = packet.first.content if packet.first is not None else None
    return {
        "packet": packet,
        "cr": cr,
        "first_text": {dim: describe(dim, first) for dim in DIMENSIONS} if first else {},
        "first_narrative": (first or {}).get("narrative") or "",
    }


@register.inclusion_tag("opinions/partials/first_opinion_section.html", takes_context=True)
def first_opinion_section(context: dict, case: Any) -> dict:
    """The case page's "first doctor's diagnosis and plan": the first opinion (one record), read through
    the gateway, with the link to its one form."""
    from django.utils.translation import get_language

    from secondopinion.core.reference import cancer_types, display_name
    from secondopinion.opinions import queries
    from secondopinion.opinions.forms_first import STAGE_NOTE, stage_unreadable
    from secondopinion.opinions.treatment_fields import option_parts

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"case": case}
    first = queries.first_opinion(user, case)
    content = first.content if first else {}
    diagnosis, stage = content.get("diagnosis") or {}, content.get("stage") or {}
    names = {t.name: display_name(t, get_language()) for t in cancer_types()}
    options = (content.get("treatment") or {}).get("options") or []
    return {
        "case": case,
        "first": first,
        "cancer_type": names.get(diagnosis.get("site_text") or "", diagnosis.get("site_text") or ""),
        "site": diagnosis.get("site") or "",
        "stage": stage,
        "stage_note": STAGE_NOTE if stage_unreadable(stage) else "",
        "treatments": option_parts(options[0]) if options else [],
        "preferred": bool(options and options[0].get("preferred")),
        "narrative": content.get("narrative") or "",
        "is_owner": case.owner_id == user.pk,
        "is_clinician": user.is_clinician,
    }
