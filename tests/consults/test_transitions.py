"""Every (source, target, actor) against the issue's table: legal moves write a StatusChange and a
request.transition audit row; illegal ones raise IllegalTransition and change nothing."""

from __future__ import annotations

import pytest

from secondopinion.consults import actions
from secondopinion.consults.models import ConsultRequest, StatusChange
from secondopinion.consults.transitions import Actor, IllegalTransition, Status
from secondopinion.core.models import AuditEvent
from tests.consults.helpers import make_request, make_world

S, A = Status, Actor
OPEN = {S.DRAFT, S.REQUESTED, S.RECEIVED, S.ACCEPTED, S.IN_PROGRESS, S.ON_HOLD}
# The table, written out again here (not read from transitions.py): (source, target) → actors.
EXPECTED: dict[tuple[Status, Status], set[Actor]] = {
    (S.DRAFT, S.REQUESTED): {A.PATIENT, A.REFERRER},
    (S.REQUESTED, S.RECEIVED): {A.SYSTEM},
    (S.RECEIVED, S.ACCEPTED): {A.CONSULTANT, A.COORDINATOR},
    (S.RECEIVED, S.REJECTED): {A.CONSULTANT, A.COORDINATOR},
    (S.ACCEPTED, S.IN_PROGRESS): {A.CONSULTANT},
    (S.IN_PROGRESS, S.ON_HOLD): {A.CONSULTANT},
    (S.ON_HOLD, S.IN_PROGRESS): {A.CONSULTANT, A.SYSTEM},
    (S.IN_PROGRESS, S.COMPLETED): {A.SYSTEM},
}
for _s in (S.REQUESTED, S.RECEIVED, S.ACCEPTED, S.IN_PROGRESS, S.ON_HOLD):
    EXPECTED[(_s, S.CANCELLED)] = {A.PATIENT}
for _s in OPEN:
    EXPECTED[(_s, S.FAILED)] = {A.SYSTEM, A.ADMIN}
for _s in S:
    EXPECTED[(_s, S.ENTERED_IN_ERROR)] = {A.ADMIN}
NEEDS_REASON = {S.REJECTED, S.ON_HOLD, S.FAILED, S.ENTERED_IN_ERROR}


@pytest.fixture
def world(db):
    return make_world()


@pytest.mark.parametrize("source", list(S), ids=str)
@pytest.mark.parametrize("target", list(S), ids=str)
def test_every_move_for_every_actor(world, source, target):
    cr = make_request(world, status=S.DRAFT)
    for actor in A:
        ConsultRequest.objects.filter(pk=cr.pk).update(status=source)
        changes = StatusChange.objects.filter(request=cr).count()
        audits = AuditEvent.objects.filter(action="request.transition", entity_id=str(cr.pk)).count()
        allowed = actor in EXPECTED.get((source, target), set())
        if allowed:
            actions.move(world.patient, cr, target, {actor}, reason="because")
            cr.refresh_from_db()
            assert cr.status == target, (source, target, actor)
            change = StatusChange.objects.filter(request=cr).last()
            assert (change.source, change.target, change.actor_kind) == (source, target, actor)
            assert StatusChange.objects.filter(request=cr).count() == changes + 1
            assert (
                AuditEvent.objects.filter(action="request.transition", entity_id=str(cr.pk)).count()
                == audits + 1
            )
        else:
            with pytest.raises(IllegalTransition) as info:
                actions.move(world.patient, cr, target, {actor}, reason="because")
            assert info.value.code in {"illegal_transition", "not_allowed"}
            assert info.value.message
            cr.refresh_from_db()
            assert cr.status == source, (source, target, actor)
            assert StatusChange.objects.filter(request=cr).count() == changes
            assert (
                AuditEvent.objects.filter(action="request.transition", entity_id=str(cr.pk)).count() == audits
            )


@pytest.mark.parametrize(
    ("source", "target", "actor"),
    sorted((s, t, sorted(actors)[0]) for (s, t), actors in EXPECTED.items() if t in NEEDS_REASON),
    ids=str,
)
def test_reason_required(world, source, target, actor):
    cr = make_request(world, status=S.DRAFT)
    ConsultRequest.objects.filter(pk=cr.pk).update(status=source)
    with pytest.raises(IllegalTransition) as info:
        actions.move(world.patient, cr, target, {actor}, reason="   ")
    assert info.value.code == "reason_required"
    cr.refresh_from_db()
    assert cr.status == source
    actions.move(world.patient, cr, target, {actor}, reason="the reason")
    assert StatusChange.objects.filter(request=cr).last().reason == "the reason"


def test_moves_without_reason_need_none(world):
    for (source, target), actors in EXPECTED.items():
        if target in NEEDS_REASON:
            continue
        cr = make_request(world, status=S.DRAFT)
        ConsultRequest.objects.filter(pk=cr.pk).update(status=source)
        actions.move(world.patient, cr, target, {sorted(actors)[0]})
        cr.refresh_from_db()
        assert cr.status == target
