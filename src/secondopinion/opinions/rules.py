"""This app's visibility rules, registered with the access gateway at start-up.

The case rules (owner, companion, consultant with an active consent) already open a case's opinions.
Two narrowing rules live in `queries.visible_opinions` (one queryset filter, used for lists and single
objects alike): a draft consult opinion is seen by its author only, and a clinician sees the first
opinion, their own, and the opinions of requests they handle — not other consultants' opinions.
The object rule below keeps an author's own opinion readable after the consent has ended.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from secondopinion.core.access import Perm, register_object_rule
from secondopinion.core.audit import Purpose


def own_opinion_rule(user: Any, perm: Perm) -> Q | None:
    """The author always reads their own opinion (and its addenda), whatever the consent."""
    if perm != Perm.VIEW:
        return None
    return Q(author=user)


def own_addendum_rule(user: Any, perm: Perm) -> Q | None:
    if perm != Perm.VIEW:
        return None
    return Q(opinion__author=user)


def register() -> None:
    register_object_rule("opinions.opinion", "own_opinion", own_opinion_rule, Purpose.TREATMENT)
    register_object_rule("opinions.addendum", "own_addendum", own_addendum_rule, Purpose.TREATMENT)
