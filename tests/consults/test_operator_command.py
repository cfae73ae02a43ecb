"""`secondopinion requests fail|error`: the operators' moves of the transitions table."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from secondopinion.consults import actions
from secondopinion.consults.models import StatusChange
from secondopinion.consults.transitions import Actor, Status
from secondopinion.core.models import AuditEvent
from tests.consults.helpers import make_request, make_world
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def completed(world):
    cr = make_request(world, status=Status.IN_PROGRESS)
    actions.move(None, cr, Status.COMPLETED, {Actor.SYSTEM})
    return cr


def run(*args: str) -> dict:
    out = StringIO()
    call_command("requests", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_system_fails_an_open_request_with_a_reason() -> None:
    world = make_world()
    cr = make_request(world, status=Status.IN_PROGRESS)
    assert run("fail", str(cr.pk), "--reason", "The slides never arrived.") == {
        "request": str(cr.pk),
        "status": "failed",
    }
    change = StatusChange.objects.get(request=cr, target="failed")
    assert (change.actor_kind, change.reason) == ("system", "The slides never arrived.")
    assert AuditEvent.objects.filter(action="request.transition", entity_id=str(cr.pk)).exists()


def test_entered_in_error_needs_an_admin() -> None:
    world = make_world()
    cr = completed(world)
    with pytest.raises(CommandError, match="not_allowed"):
        run("error", str(cr.pk), "--reason", "Wrong patient.")
    admin = make_user("admin")
    assert run("error", str(cr.pk), "--reason", "Wrong patient.", "--admin", admin.email)["status"] == (
        "entered-in-error"
    )


def test_a_final_request_cannot_fail_and_unknown_ids_are_refused() -> None:
    world = make_world()
    cr = completed(world)
    with pytest.raises(CommandError, match="illegal_transition"):
        run("fail", str(cr.pk), "--reason", "late")
    with pytest.raises(CommandError, match="no consult request"):
        run("fail", "not-a-uuid", "--reason", "x")
    with pytest.raises(CommandError, match="no active admin"):
        run("error", str(cr.pk), "--reason", "x", "--admin", "nobody@example.test")
