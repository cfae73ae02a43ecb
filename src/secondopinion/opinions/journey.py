"""The case page's journey (core.contributions, page "cases.case"): the facts read through the consults and
opinions queries, the steps (a pure function of the facts, `cases.checklist.build_journey`), the next action's
link and what follows a decision. It lives here because opinions sees both requests and opinions; cases
knows neither."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from secondopinion.cases.checklist import JourneyFacts, build_journey
from secondopinion.consults import queries as consult_queries
from secondopinion.consults.transitions import FINAL, Status
from secondopinion.opinions import queries as opinion_queries

# A request that was never sent, or that ended without an opinion, does not count as sent.
NOT_COUNTED_AS_SENT = (FINAL - {Status.COMPLETED}) | {Status.DRAFT}


def journey_context(user: Any, page: Any, so_far: dict[str, Any]) -> dict[str, Any]:
    """`page`: the case page's subject (`cases.views.case.CasePage`: the case and its packet)."""
    case, packet = page.case, page.packet
    requests = list(consult_queries.requests_for_case(user, case).order_by("-created_at"))
    sent = [r for r in requests if r.status not in NOT_COUNTED_AS_SENT]
    drafts = [r for r in requests if r.status == Status.DRAFT]
    signed = opinion_queries.signed_opinions(user, case)
    decision = opinion_queries.decisions_for_case(user, case).first()
    facts = JourneyFacts(
        missing=tuple(i for i in packet.checklist if not i.present and not i.optional),
        draft_request=bool(drafts),
        requests_sent=len(sent),
        signed_opinions=len(signed),
        has_decision=decision is not None,
        decided=decision is not None and decision.follows_advice != "undecided",
    )
    journey = build_journey(facts)
    links = {
        "complete_item": lambda a: f"#{next(i.anchor for i in packet.checklist if i.code == a.item)}",
        "finish_request": lambda a: reverse("consults:detail", args=[drafts[0].pk]) if drafts else "",
        "ask": lambda a: reverse("consults:new", args=[case.pk]),
        "see_request": lambda a: reverse("consults:detail", args=[sent[0].pk]) if sent else "",
        "compare": lambda a: reverse("opinions:compare", args=[case.pk]),
        "decide": lambda a: reverse("opinions:decision", args=[case.pk]),
    }
    action = journey.next_action
    latest = signed[-1] if signed else None
    return {
        "journey": journey,
        "next_url": links[action.code](action) if action else "",
        "decision": decision,
        "third_url": reverse("consults:new", args=[case.pk]),
        "latest_opinion_author": latest.author if latest else None,
    }
