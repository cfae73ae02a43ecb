"""The access gateway: one combined visibility rule serves lists and single objects, for every role."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import timezone

from secondopinion.accounts.models import ClinicianProfile
from secondopinion.cases import actions
from secondopinion.cases.models import Case, Document, Medicine
from secondopinion.core import access, audit
from secondopinion.core.access import (
    NotFound,
    Perm,
    access_case,
    access_object,
    accessible,
    case_q,
    visible_cases,
)
from secondopinion.core.audit import AuditAction, Purpose
from secondopinion.core.models import AuditEvent
from tests.factories import make_case, make_companion, make_document, make_user

pytestmark = pytest.mark.django_db

ALL_PERMS = (Perm.VIEW, Perm.ASK, Perm.EDIT, Perm.MANAGE)


class AuditScope:
    """A request-like audit context; `flush()` ends it (writing queued denied rows) and starts another."""

    def __init__(self) -> None:
        self.token = audit.bind_request("198.51.100.7")

    def flush(self) -> list[AuditEvent]:
        audit.unbind_request(self.token)
        self.token = audit.bind_request("198.51.100.7")
        return list(AuditEvent.objects.filter(action=str(AuditAction.ACCESS_DENIED)).order_by("seq"))


@pytest.fixture(autouse=True)
def audit_scope(db: Any) -> Iterator[AuditScope]:
    scope = AuditScope()
    yield scope
    audit.unbind_request(scope.token)


@pytest.fixture
def owner(db: Any) -> Any:
    return make_user("patient")


@pytest.fixture
def the_case(owner: Any) -> Case:
    case = make_case(owner, cancer_type="Breast cancer")
    actions.add_medicine(owner, case, {"name": "Tamoxifen"})
    return case


@pytest.fixture
def grant_clinicians() -> Iterator[None]:
    """A stand-in for the consult rule (not built yet): every clinician may view every case."""

    def rule(user: Any, perm: Perm, prefix: str) -> Q | None:
        return Q(**{f"{prefix}pk__isnull": False}) if user.is_clinician and perm == Perm.VIEW else None

    access.register_case_rule("test_all_clinicians", rule, Purpose.TREATMENT)
    yield
    access._rules.pop("test_all_clinicians", None)


def perms_of(user: Any, case: Case) -> set[Perm]:
    """What the list filter says the user may do with the case."""
    return {perm for perm in ALL_PERMS if visible_cases(user, perm).filter(pk=case.pk).exists()}


def single_perms_of(user: Any, case: Case) -> set[Perm]:
    """What the single-object read says, for the same question."""
    granted = set()
    for perm in ALL_PERMS:
        try:
            access_case(user, case.pk, perm=perm, action=None)
        except NotFound:
            continue
        granted.add(perm)
    return granted


def assert_perms(user: Any, case: Case, expected: set[Perm]) -> None:
    assert perms_of(user, case) == expected
    assert single_perms_of(user, case) == expected  # the same rule answers both


# -- roles ---------------------------------------------------------------------------------------


def test_owner_may_do_everything(owner, the_case):
    assert_perms(owner, the_case, set(ALL_PERMS))
    assert list(visible_cases(owner)) == [the_case]
    assert access_case(owner, the_case.pk) == the_case
    assert access_case(owner, str(the_case.pk)) == the_case  # ids as text work too


def test_companion_with_view_only(the_case):
    helper = make_user("companion")
    make_companion(the_case, helper, can_view=True, can_ask=False)
    assert_perms(helper, the_case, {Perm.VIEW})


def test_companion_with_ask_only(the_case):
    helper = make_user("companion")
    make_companion(the_case, helper, can_view=False, can_ask=True)
    assert_perms(helper, the_case, {Perm.ASK})


def test_companion_with_view_and_ask_never_edits_or_manages(the_case):
    helper = make_user("companion")
    make_companion(the_case, helper, can_view=True, can_ask=True)
    assert_perms(helper, the_case, {Perm.VIEW, Perm.ASK})


def test_expired_companion_sees_nothing(the_case):
    helper = make_user("companion")
    companion = make_companion(the_case, helper, can_view=True, can_ask=True)
    companion.expires_at = timezone.now() - timedelta(seconds=1)
    companion.save(update_fields=["expires_at"])
    assert_perms(helper, the_case, set())
    assert list(visible_cases(helper)) == []


def test_revoked_companion_sees_nothing(owner, the_case):
    helper = make_user("companion")
    companion = make_companion(the_case, helper, can_view=True)
    assert_perms(helper, the_case, {Perm.VIEW})
    actions.revoke_companion(owner, companion)
    assert_perms(helper, the_case, set())


def test_invitation_not_yet_accepted_grants_nothing(the_case):
    helper = make_user("companion")
    make_companion(the_case, None, email=helper.email)
    assert_perms(helper, the_case, set())


def test_companion_listed_twice_sees_the_case_once(the_case):
    helper = make_user("companion")
    make_companion(the_case, helper, can_view=True)
    make_companion(the_case, helper, can_view=True)
    assert list(visible_cases(helper)) == [the_case]
    assert accessible(helper, Medicine).count() == 1


def test_other_patient_sees_nothing(the_case):
    stranger = make_user("patient")
    make_case(stranger, title="Their own case")
    assert_perms(stranger, the_case, set())
    assert [c.title for c in visible_cases(stranger)] == ["Their own case"]
    assert accessible(stranger, Medicine).count() == 0


def test_patient_with_unverified_email_sees_nothing(db):
    unverified = make_user("patient", verified_email=False)
    case = make_case(unverified)
    assert_perms(unverified, case, set())


def test_inactive_and_anonymous_users_see_nothing(owner, the_case):
    assert_perms(AnonymousUser(), the_case, set())
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    assert_perms(owner, the_case, set())


def test_clinicians_see_nothing_without_a_rule_that_grants_it(the_case):
    for role in ("consultant", "pathologist", "referring_physician", "board_member", "coordinator"):
        assert_perms(make_user(role), the_case, set())


def test_verified_clinician_through_a_rule_unverified_never(the_case, grant_clinicians):
    verified = make_user("consultant")
    pending = make_user("consultant", clinician_status=ClinicianProfile.Status.PENDING)
    no_profile = make_user("pathologist", clinician_status=None)
    assert_perms(verified, the_case, {Perm.VIEW})
    assert access.purpose_for(verified, the_case, the_case) == Purpose.TREATMENT
    for user in (pending, no_profile):
        assert_perms(user, the_case, set())


def test_admin_sees_nothing_even_when_a_rule_would_grant_it(the_case, grant_clinicians):
    admin = make_user("admin")
    assert_perms(admin, the_case, set())
    assert case_q(admin, Perm.VIEW) == Q(pk__in=[])


# -- objects that belong to a case ----------------------------------------------------------------


def test_access_object_for_related_models(owner, the_case, audit_scope):
    helper = make_user("companion")
    make_companion(the_case, helper, can_view=True)
    stranger = make_user("patient")
    medicine = accessible(owner, Medicine).get()
    document = make_document(owner, the_case)

    assert access_object(owner, Medicine, medicine.pk, perm=Perm.EDIT) == medicine
    assert access_object(helper, Document, document.pk) == document
    with pytest.raises(NotFound):
        access_object(helper, Medicine, medicine.pk, perm=Perm.EDIT)
    with pytest.raises(NotFound):
        access_object(stranger, Document, document.pk)
    assert list(accessible(stranger, Document)) == []
    assert list(accessible(helper, Document)) == [document]

    denied = audit_scope.flush()
    assert [(r.entity_type, r.entity_id, r.detail) for r in denied] == [
        ("cases.medicine", str(medicine.pk), {"perm": "edit"}),
        ("cases.document", str(document.pk), {"perm": "view"}),
    ]
    assert [r.actor_id for r in denied] == [helper.pk, stranger.pk]
    assert all(r.outcome == "denied" and r.client_ip == "198.51.100.7" for r in denied)


def test_a_read_is_audited_with_the_purpose_of_the_relationship(owner, the_case):
    helper = make_user("companion")
    make_companion(the_case, helper, can_view=True)
    access_case(owner, the_case.pk)
    access_case(helper, the_case.pk)
    document = make_document(owner, the_case)
    access_object(helper, Document, document.pk, action=AuditAction.DOCUMENT_READ)
    reads = AuditEvent.objects.filter(action__in=["case.read", "document.read"]).order_by("seq")
    assert [(r.action, r.actor_id, r.purpose, r.case_id) for r in reads] == [
        ("case.read", owner.pk, "PATRQT", the_case.pk),
        ("case.read", helper.pk, "FAMRQT", the_case.pk),
        ("document.read", helper.pk, "FAMRQT", the_case.pk),
    ]
    access_case(owner, the_case.pk, action=None)
    assert AuditEvent.objects.filter(action="case.read").count() == 2


# -- missing, hidden and malformed ids look the same -----------------------------------------------


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "", "1; DROP TABLE cases_case", 12345, None, "../../etc"])
def test_malformed_ids_are_not_found(owner, the_case, bad_id, audit_scope):
    with pytest.raises(NotFound):
        access_case(owner, bad_id)
    with pytest.raises(NotFound):
        access_object(owner, Medicine, bad_id, perm=Perm.EDIT)
    assert len(audit_scope.flush()) == 2


def test_missing_and_hidden_cases_raise_the_same(owner, the_case, audit_scope):
    stranger = make_user("patient")
    errors = []
    missing = uuid.uuid4()
    for case_id in (missing, the_case.pk):
        with pytest.raises(NotFound) as info:
            access_case(stranger, case_id)
        errors.append((type(info.value), str(info.value)))
    assert errors[0] == errors[1]
    assert [r.entity_id for r in audit_scope.flush()] == [str(missing), str(the_case.pk)]
    assert not AuditEvent.objects.filter(action="case.read").exists()


# -- one rule, two readers ------------------------------------------------------------------------


def test_one_rule_serves_lists_and_single_reads(owner, the_case):
    """Adding or removing a rule changes the list and the single-object read together."""
    reader = make_user("patient")
    medicine = accessible(owner, Medicine).get()

    def rule(user: Any, perm: Perm, prefix: str) -> Q | None:
        return Q(**{f"{prefix}cancer_type__icontains": "breast"}) if user.pk == reader.pk else None

    assert_perms(reader, the_case, set())
    access.register_case_rule("test_breast_readers", rule, Purpose.OPERATIONS)
    try:
        assert_perms(reader, the_case, set(ALL_PERMS))
        assert list(accessible(reader, Medicine)) == [medicine]
        assert access_object(reader, Medicine, medicine.pk) == medicine
        # The rule's condition is evaluated in the database, for lists and single reads alike.
        actions.update_case(owner, the_case, {"cancer_type": "Lung cancer"})
        assert_perms(reader, the_case, set())
        assert list(accessible(reader, Medicine)) == []
    finally:
        access._rules.pop("test_breast_readers", None)
    assert_perms(reader, the_case, set())
