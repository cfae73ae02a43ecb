"""Companions: invitations by e-mail that work only for the invited address, expire, and can be revoked."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from secondopinion.accounts.models import Role, User
from secondopinion.cases.models import Case, Companion
from secondopinion.core.access import Perm, visible_cases
from secondopinion.core.models import AuditEvent
from tests.accounts.test_mail_privacy import (  # noqa: F401
    CASE_TITLE,
    MEDICINE,
    links_in,
    mail_is_private,
    path_of,
    private_case,
)
from tests.factories import PASSWORD, login, make_user

pytestmark = pytest.mark.django_db

FRIEND = "friend@example.test"


@pytest.fixture
def owner() -> User:
    return make_user(Role.PATIENT, name="Pat Owner")


@pytest.fixture
def case(owner: User) -> Case:
    return private_case(owner)


def invite(owner: User, case: Case, capture, email: str = FRIEND, **flags: str) -> tuple[Companion, str]:
    """The patient invites through HTTP; returns the companion and the link's path from the e-mail."""
    data = {"name": "A Friend", "email": email, "days": "30", **(flags or {"can_view": "on"})}
    before = len(mail.outbox)
    with capture(execute=True):
        response = login(Client(), owner).post(f"/cases/{case.pk}/companions/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(mail.outbox) == before + 1
    message = mail.outbox[-1]
    assert message.to == [email.lower()]
    [link] = [u for u in links_in(message) if "/cases/invitations/" in u]
    return Companion.objects.get(case=case, email=email.lower()), path_of(link)


def test_patient_invites_by_email(owner: User, case: Case, django_capture_on_commit_callbacks) -> None:
    page = login(Client(), owner).get(f"/cases/{case.pk}/companions/")
    assert page.status_code == 200
    companion, path = invite(owner, case, django_capture_on_commit_callbacks)
    assert companion.can_view and not companion.can_ask
    assert companion.invited_by == owner and companion.accepted_at is None
    assert timedelta(days=29) < companion.expires_at - timezone.now() <= timedelta(days=30)
    assert AuditEvent.objects.filter(action="companion.invite", actor=owner).exists()
    assert "Pat Owner invited you" in mail.outbox[-1].body
    assert re.fullmatch(r"/cases/invitations/[\w-]{20,}/", path)
    assert companion.token_hash not in path  # only a hash of the token is stored


def test_inviting_your_own_address_is_a_field_error(owner: User, case: Case) -> None:
    response = login(Client(), owner).post(
        f"/cases/{case.pk}/companions/", {"email": owner.email.upper(), "can_view": "on", "days": "30"}
    )
    assert response.status_code == 200
    assert "This is your own address" in str(response.context["form"].errors["email"])
    assert not Companion.objects.exists()
    assert mail.outbox == []


def test_only_the_owner_may_invite(owner: User, case: Case, django_capture_on_commit_callbacks) -> None:
    friend = make_user(Role.COMPANION, email=FRIEND)
    _companion, path = invite(owner, case, django_capture_on_commit_callbacks)
    client = login(Client(), friend)
    client.get(path)
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    response = client.post(
        f"/cases/{case.pk}/companions/", {"email": "third@example.test", "can_view": "on", "days": "30"}
    )
    assert response.status_code == 404
    assert Companion.objects.count() == 1


def test_signed_in_as_another_address_is_403_and_grants_nothing(
    owner: User, case: Case, django_capture_on_commit_callbacks
) -> None:
    companion, path = invite(owner, case, django_capture_on_commit_callbacks)
    stranger = make_user(Role.PATIENT, email="stranger@example.test")
    client = login(Client(), stranger)
    response = client.get(path)
    assert response.status_code == 403
    html = response.content.decode()
    assert "This invitation is for another e-mail address" in html
    assert CASE_TITLE not in html
    companion.refresh_from_db()
    assert companion.accepted_at is None and companion.user is None
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert list(visible_cases(stranger)) == []
    # The invited person can still use it afterwards.
    friend = make_user(Role.COMPANION, email=FRIEND)
    assert login(Client(), friend).get(path)["Location"] == f"/cases/{case.pk}/"


def test_anonymous_without_account_signs_up_with_the_invited_address(
    owner: User, case: Case, django_capture_on_commit_callbacks
) -> None:
    companion, path = invite(owner, case, django_capture_on_commit_callbacks)
    client = Client()
    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Pat Owner invited you to help with their care." in html
    [email_input] = re.findall(r'<input[^>]*name="email"[^>]*>', html)
    assert f'value="{FRIEND}"' in email_input and " disabled" in email_input
    assert page.context["form"].fields["email"].disabled

    sent = len(mail.outbox)
    response = client.post(
        path,
        {
            "full_name": "A Friend",
            "email": "attacker@example.test",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assert not User.objects.filter(email="attacker@example.test").exists()
    friend = User.objects.get(email=FRIEND)
    assert friend.role == Role.COMPANION and friend.email_verified_at is not None
    assert len(mail.outbox) == sent  # the link proved the address: no verification mail
    companion.refresh_from_db()
    assert companion.user == friend and companion.accepted_at is not None
    assert AuditEvent.objects.filter(action="companion.accept", actor=friend).exists()

    case_page = client.get(f"/cases/{case.pk}/")
    assert case_page.status_code == 200
    assert CASE_TITLE in case_page.content.decode() and MEDICINE in case_page.content.decode()
    # Signing in later works with the password chosen here.
    again = Client()
    again.post("/accounts/login/", {"username": FRIEND, "password": PASSWORD})
    assert again.get(f"/cases/{case.pk}/").status_code == 200


def test_invitation_signup_form_still_checks_the_password(
    owner: User, case: Case, django_capture_on_commit_callbacks
) -> None:
    _companion, path = invite(owner, case, django_capture_on_commit_callbacks)
    response = Client().post(path, {"full_name": "A Friend", "password1": "short", "password2": "short"})
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(email=FRIEND).exists()


def test_anonymous_with_an_existing_account_is_sent_to_sign_in(
    owner: User, case: Case, django_capture_on_commit_callbacks
) -> None:
    friend = make_user(Role.PATIENT, email=FRIEND)
    companion, path = invite(owner, case, django_capture_on_commit_callbacks)
    client = Client()
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"
    companion.refresh_from_db()
    assert companion.accepted_at is None

    response = client.post(
        "/accounts/login/", {"username": FRIEND, "password": PASSWORD, "next": path}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/cases/{case.pk}/"
    assert response.status_code == 200
    companion.refresh_from_db()
    assert companion.user == friend


def test_expired_invitation_is_a_404_page(
    owner: User, case: Case, django_capture_on_commit_callbacks
) -> None:
    companion, path = invite(owner, case, django_capture_on_commit_callbacks)
    Companion.objects.filter(pk=companion.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    for client in (Client(), login(Client(), make_user(Role.COMPANION, email=FRIEND))):
        response = client.get(path)
        assert response.status_code == 404
        assert "This invitation does not work" in response.content.decode()
    companion.refresh_from_db()
    assert companion.accepted_at is None


def test_revoked_invitation_is_a_404_page(
    owner: User, case: Case, django_capture_on_commit_callbacks
) -> None:
    companion, path = invite(owner, case, django_capture_on_commit_callbacks)
    response = login(Client(), owner).post(f"/cases/companions/{companion.pk}/revoke/")
    assert response.status_code == 302
    response = Client().get(path)
    assert response.status_code == 404
    assert "This invitation does not work" in response.content.decode()
    assert (
        Client().post(path, {"full_name": "X", "password1": PASSWORD, "password2": PASSWORD}).status_code
        == 404
    )
    assert not User.objects.filter(email=FRIEND).exists()


def test_unknown_token_is_a_404_page() -> None:
    assert Client().get("/cases/invitations/not-a-real-token/").status_code == 404


def test_after_revocation_the_companion_gets_404(
    owner: User, case: Case, django_capture_on_commit_callbacks
) -> None:
    friend = make_user(Role.COMPANION, email=FRIEND)
    companion, path = invite(owner, case, django_capture_on_commit_callbacks)
    client = login(Client(), friend)
    assert client.get(path).status_code == 302
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert list(visible_cases(friend)) == [case]

    assert login(Client(), owner).post(f"/cases/companions/{companion.pk}/revoke/").status_code == 302
    assert AuditEvent.objects.filter(action="companion.revoke", actor=owner).exists()
    response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 404
    assert CASE_TITLE not in response.content.decode()
    assert list(visible_cases(friend)) == []
    assert client.get(path).status_code == 404  # and the link cannot bring it back


def test_accepted_link_does_not_work_for_anyone_else(
    owner: User, case: Case, django_capture_on_commit_callbacks
) -> None:
    friend = make_user(Role.COMPANION, email=FRIEND)
    _companion, path = invite(owner, case, django_capture_on_commit_callbacks)
    login(Client(), friend).get(path)
    assert Client().get(path).status_code == 404
    assert login(Client(), make_user(Role.PATIENT)).get(path).status_code == 404


def test_only_the_owner_may_revoke(owner: User, case: Case, django_capture_on_commit_callbacks) -> None:
    friend = make_user(Role.COMPANION, email=FRIEND)
    companion, path = invite(owner, case, django_capture_on_commit_callbacks)
    client = login(Client(), friend)
    client.get(path)
    assert client.post(f"/cases/companions/{companion.pk}/revoke/").status_code == 404
    companion.refresh_from_db()
    assert companion.revoked_at is None


def test_companion_with_only_ask_cannot_view(
    owner: User, case: Case, django_capture_on_commit_callbacks
) -> None:
    friend = make_user(Role.COMPANION, email=FRIEND)
    companion, path = invite(owner, case, django_capture_on_commit_callbacks, can_ask="on")
    assert companion.can_ask and not companion.can_view
    client = login(Client(), friend)
    response = client.get(path)
    assert response.status_code == 302
    companion.refresh_from_db()
    assert companion.accepted_at is not None
    response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 404
    assert CASE_TITLE not in response.content.decode()
    assert list(visible_cases(friend)) == []
    assert list(visible_cases(friend, Perm.ASK)) == [case]


def test_a_guardian_has_full_rights_on_a_childs_case(django_capture_on_commit_callbacks) -> None:
    guardian = make_user(Role.PATIENT, name="Parent Guardian")
    client = login(Client(), guardian)
    response = client.post(
        "/cases/new/",
        {
            "title": CASE_TITLE,
            "subject": "child",
            "subject_name": "Little One",
            "subject_birth_date": "2018-04-02",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get(owner=guardian)
    assert case.subject == "child"
    for perm in Perm:
        assert list(visible_cases(guardian, perm)) == [case], perm
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert client.get(f"/cases/{case.pk}/edit/").status_code == 200
    assert client.get(f"/cases/{case.pk}/companions/").status_code == 200
    assert client.get(f"/cases/{case.pk}/access-log/").status_code == 200
    response = client.post(f"/cases/{case.pk}/medicines/add/", {"name": MEDICINE})
    assert response.status_code == 302
    assert case.medicines.get().name == MEDICINE
    # The guardian can invite the other parent, and the invitation mail stays private.
    invite(guardian, case, django_capture_on_commit_callbacks, email="other.parent@example.test")
