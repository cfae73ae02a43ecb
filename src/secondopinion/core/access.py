"""The access gateway: the only functions that fetch health data for a user.

Visibility is one rule per relationship (owner, companion, consultant with a consent…), each
a function returning a `Q` over cases. Apps register their rules at start-up. The same combined
filter serves lists (`visible_cases`, `accessible`) and single objects (`access_case`,
`access_object`), so there is never a second copy of a visibility rule. A user who may not see an
object gets `NotFound`, exactly as if it did not exist, and the attempt is audited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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
    REQUEST = "request"  # ask for second opinions (owner; the referring doctor with the patient's consent)


class NotFound(Exception):
    """Raised when an object is missing or hidden; callers answer 404 either way."""


# A case rule answers: through this relationship, which cases may `user` use with `perm`?
# It returns a Q over the Case model, with every lookup prefixed by `prefix`, or None.
CaseRule = Callable[[Any, Perm, str], Q | None]
# An object rule grants objects of one model directly (a document named in a consent, a request
# assigned to a consultant): a Q over that model, or None.
ObjectRule = Callable[[Any, Perm], Q | None]


@dataclass(frozen=True)
class _CaseRule:
    rule: CaseRule
    purpose: Purpose
    excludes: frozenset[str]  # model labels this relationship does not open (e.g. documents)


_rules: dict[str, _CaseRule] = {}
_object_rules: dict[str, dict[str, tuple[ObjectRule, Purpose]]] = {}


def register_case_rule(
    name: str, rule: CaseRule, purpose: Purpose, *, excludes: tuple[str, ...] = ()
) -> None:
    _rules[name] = _CaseRule(rule, purpose, frozenset(excludes))


def register_object_rule(model_label: str, name: str, rule: ObjectRule, purpose: Purpose) -> None:
    _object_rules.setdefault(model_label, {})[name] = (rule, purpose)


def may_see_health_data(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.may_see_health_data)


def case_q(user: Any, perm: Perm, prefix: str = "", model_label: str = "cases.case") -> Q:
    """The combined visibility rule, as a filter on cases (or on a model related to a case)."""
    nothing = Q(**{f"{prefix}pk__in": []})
    if not may_see_health_data(user):
        return nothing
    combined = nothing
    for entry in _rules.values():
        if model_label in entry.excludes:
            continue
        q = entry.rule(user, perm, prefix)
        if q is not None:
            combined |= q
    return combined


def _object_q(user: Any, model_label: str, perm: Perm) -> Q | None:
    if not may_see_health_data(user):
        return None
    combined: Q | None = None
    for rule, _purpose in _object_rules.get(model_label, {}).values():
        q = rule(user, perm)
        if q is not None:
            combined = q if combined is None else combined | q
    return combined


def purpose_for(user: Any, obj: Any, case: Any) -> Purpose:
    """The purpose of use recorded with a read: the first relationship that grants it."""
    label = obj._meta.label_lower
    for rule, purpose in _object_rules.get(label, {}).values():
        q = rule(user, Perm.VIEW)
        if q is not None and type(obj)._default_manager.filter(q, pk=obj.pk).exists():
            return purpose
    for entry in _rules.values():
        q = entry.rule(user, Perm.VIEW, "")
        if (
            label not in entry.excludes
            and q is not None
            and type(case).objects.filter(q, pk=case.pk).exists()
        ):
            return entry.purpose
    return Purpose.OPERATIONS


def _case_model() -> Any:
    """The Case model, looked up by name: core must not import a domain app."""
    return apps.get_model("cases", "Case")


def visible_cases(user: Any, perm: Perm = Perm.VIEW) -> QuerySet[Any]:
    return _case_model().objects.filter(case_q(user, perm)).distinct()


def accessible[M: models.Model](
    user: Any, model: type[M], perm: Perm = Perm.VIEW, case_path: str = "case"
) -> QuerySet[M]:
    """Objects of `model` the user may use with `perm`: through their case, or granted directly."""
    prefix = f"{case_path}__" if case_path else ""
    label = model._meta.label_lower
    q = case_q(user, perm, prefix, label)
    direct = _object_q(user, label, perm)
    if direct is not None:
        q |= direct
    return model._default_manager.filter(q).distinct()


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
        record(user, action, obj, purpose or purpose_for(user, obj, case), detail=detail, case_id=case.pk)
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
