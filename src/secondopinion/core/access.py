"""The access gateway: the only functions that fetch health data for a user.

Visibility is one rule per relationship (owner, companion, consultant with a consent…), each
a function returning a `Q` over cases. Apps register their rules at start-up. The same combined
filter serves lists (`visible_cases`, `accessible`) and single objects (`access_case`,
`access_object`), so there is never a second copy of a visibility rule. A user who may not see an
object gets `NotFound`, exactly as if it did not exist, and the attempt is audited.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q, QuerySet

from secondopinion.core.audit import AuditAction, Purpose, record, record_denied


class Perm(StrEnum):
    VIEW = "view"  # read the case and download its documents
    ASK = "ask"  # write messages to the care team
    EDIT = "edit"  # change the packet (owner)
    MANAGE = "manage"  # companions, sharing, the access log (owner)


class NotFound(Exception):
    """Raised when an object is missing or hidden; callers answer 404 either way."""


# A rule answers: through this relationship, which cases may `user` use with `perm`?
# It returns a Q over the Case model, with every lookup prefixed by `prefix`, or None.
CaseRule = Callable[[Any, Perm, str], Q | None]
_rules: dict[str, tuple[CaseRule, Purpose]] = {}


def register_case_rule(name: str, rule: CaseRule, purpose: Purpose) -> None:
    _rules[name] = (rule, purpose)


def may_see_health_data(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.may_see_health_data)


def case_q(user: Any, perm: Perm, prefix: str = "") -> Q:
    """The combined visibility rule, as a filter on cases (or on a model related to a case)."""
    nothing = Q(**{f"{prefix}pk__in": []})
    if not may_see_health_data(user):
        return nothing
    combined = nothing
    for rule, _purpose in _rules.values():
        q = rule(user, perm, prefix)
        if q is not None:
            combined |= q
    return combined


def purpose_for(user: Any, case: Any) -> Purpose:
    """The purpose of use recorded with a read: the first relationship that grants it."""
    for rule, purpose in _rules.values():
        q = rule(user, Perm.VIEW, "")
        if q is not None and type(case).objects.filter(q, pk=case.pk).exists():
            return purpose
    return Purpose.OPERATIONS


def _case_model() -> type[models.Model]:
    return apps.get_model("cases", "Case")


def visible_cases(user: Any, perm: Perm = Perm.VIEW) -> QuerySet[Any]:
    return _case_model().objects.filter(case_q(user, perm)).distinct()


def accessible[M: models.Model](
    user: Any, model: type[M], perm: Perm = Perm.VIEW, case_path: str = "case"
) -> QuerySet[M]:
    """Objects of `model` that belong to a case the user may use with `perm`."""
    prefix = f"{case_path}__" if case_path else ""
    return model._default_manager.filter(case_q(user, perm, prefix)).distinct()


def _deny(
    user: Any, model: type[models.Model], object_id: Any, perm: Perm, purpose: Purpose | None
) -> NotFound:
    record_denied(
        user,
        AuditAction.ACCESS_DENIED,
        purpose or Purpose.OPERATIONS,
        {"perm": str(perm)},
        entity_type=model._meta.label_lower,
        entity_id=str(object_id)[:64],
    )
    return NotFound()


def access_object[M: models.Model](
    user: Any,
    model: type[M],
    object_id: Any,
    *,
    perm: Perm = Perm.VIEW,
    action: AuditAction | None = None,
    purpose: Purpose | None = None,
    case_path: str = "case",
    detail: dict[str, Any] | None = None,
) -> M:
    """Fetch one object for `user`, or raise NotFound (audited). `action` audits a successful read."""
    try:
        obj = accessible(user, model, perm, case_path).get(pk=object_id)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError):  # malformed ids are "not found" too
        raise _deny(user, model, object_id, perm, purpose) from None
    if action is not None:
        case = obj if not case_path else _case_of(obj, case_path)
        record(user, action, obj, purpose or purpose_for(user, case), detail=detail)
    return obj


def _case_of(obj: Any, case_path: str) -> Any:
    for part in case_path.split("__"):
        obj = getattr(obj, part)
    return obj


def access_case(
    user: Any,
    case_id: Any,
    *,
    perm: Perm = Perm.VIEW,
    action: AuditAction | None = AuditAction.CASE_READ,
    purpose: Purpose | None = None,
    detail: dict[str, Any] | None = None,
) -> Any:
    return access_object(
        user, _case_model(), case_id, perm=perm, action=action, purpose=purpose, case_path="", detail=detail
    )
