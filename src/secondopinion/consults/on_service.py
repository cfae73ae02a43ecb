"""Where the register meets this service: which practitioners in the directory take requests here (their
verified account is linked by NPI and does not refuse requests), on what terms, and which programs a center
runs. No health data, except `own_cases`, read through the cases gateway."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from secondopinion.consults.models import ConsultantProfile, Program
from secondopinion.consults.queries import verified_consultants
from secondopinion.directory.models import Organization
from secondopinion.directory.queries import accounts_for_npis


def request_targets(npis: list[str]) -> dict[str, str]:
    """NPI -> the request form's target ("consultant:<account id>") of those who take requests here."""
    accounts = accounts_for_npis(npis)
    open_ids = set(
        verified_consultants().filter(pk__in=[u.pk for u in accounts.values()]).values_list("pk", flat=True)
    )
    return {npi: f"consultant:{user.pk}" for npi, user in accounts.items() if user.pk in open_ids}


def terms_of(target: str) -> ConsultantProfile | None:
    """Fees, insurance and turnaround a consultant states, for a "consultant:<id>" target."""
    return ConsultantProfile.objects.filter(user_id=target.split(":", 1)[1]).first()


def center_programs(organization: Organization) -> QuerySet[Program]:
    return organization.programs.filter(active=True).order_by("name")


def own_cases(user: Any) -> list[Any]:
    """The cases this person owns (the ones they may ask an opinion for), newest first."""
    from secondopinion.cases.queries import cases_for

    return [case for case in cases_for(user) if case.owner_id == user.pk]
