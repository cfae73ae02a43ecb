"""This app's visibility rules, registered with the access gateway at start-up."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from secondopinion.accounts.models import Role
from secondopinion.core.access import Perm, register_case_rule
from secondopinion.core.audit import Purpose


def owner_rule(user: Any, perm: Perm, prefix: str) -> Q | None:
    if user.is_clinician:
        return None
    return Q(**{f"{prefix}owner": user})


_COMPANION_FLAGS = {Perm.VIEW: "can_view", Perm.ASK: "can_ask"}


def companion_grant(user: Any, perm: Perm, prefix: str = "") -> Q | None:
    """What a companion may do: a grant to this user, neither revoked nor expired, that allows `perm`
    (seeing the case, or asking questions); None for any other perm. The gateway's `companion` rule and
    `queries.is_companion` both use it."""
    flag = _COMPANION_FLAGS.get(perm)
    if flag is None:
        return None
    p = f"{prefix}companions__"
    return Q(
        **{
            f"{p}user": user,
            f"{p}revoked_at__isnull": True,
            f"{p}expires_at__gt": timezone.now(),
            f"{p}{flag}": True,
        }
    )


def companion_rule(user: Any, perm: Perm, prefix: str) -> Q | None:
    if user.is_clinician:
        return None
    return companion_grant(user, perm, prefix)


def referrer_rule(user: Any, perm: Perm, prefix: str) -> Q | None:
    """The patient's own doctor, with the patient's consent: a referring physician holding an accepted,
    active grant that may ask for second opinions sees the packet (documents included) and may start
    requests; never edit the packet or manage who sees it. The gateway already requires the clinician
    account to be verified (`may_see_health_data`); revoking or expiring the grant ends everything."""
    if perm not in (Perm.VIEW, Perm.REQUEST) or user.role != Role.REFERRING_PHYSICIAN:
        return None
    p = f"{prefix}companions__"
    return Q(
        **{
            f"{p}user": user,
            f"{p}can_request": True,
            f"{p}accepted_at__isnull": False,
            f"{p}revoked_at__isnull": True,
            f"{p}expires_at__gt": timezone.now(),
        }
    )


def acts_as_referrer(user: Any) -> bool:
    """May this account use a doctor's grant: a referring physician whose license an admin verified."""
    return bool(user.role == Role.REFERRING_PHYSICIAN and user.may_see_health_data)


def register() -> None:
    register_case_rule("owner", owner_rule, Purpose.PATIENT_REQUEST)
    register_case_rule("companion", companion_rule, Purpose.FAMILY_REQUEST)
    # The grant list is the patient's own business (Perm.MANAGE); the referrer does not read it.
    register_case_rule("referrer", referrer_rule, Purpose.TREATMENT, excludes=("cases.companion",))
