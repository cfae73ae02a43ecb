"""E-mails carry no health data, and error reports carry no request bodies.

This module also holds the helpers the other account tests share: a case built from distinctive
strings, and an autouse fixture (imported by every module here) that searches every e-mail sent
during a test for them.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, RequestFactory, override_settings

from secondopinion.accounts.models import Role, User
from secondopinion.cases import actions as case_actions
from secondopinion.cases.models import Case
from secondopinion.core.logging import BodylessExceptionReporter
from secondopinion.opinions import actions as opinion_actions
from tests.factories import PASSWORD, login, make_case, make_user

CANCER_TYPE = "Quixotic glioblastozoma"
CASE_TITLE = "Kumquat journey 2031"
MEDICINE = "Zorbitrexamab"
DIAGNOSIS = "Plumbago carcinoma of the left zygoma"
BODY_SITE = "Zygomatic arch"
PRIVATE = (CANCER_TYPE, CASE_TITLE, MEDICINE, DIAGNOSIS, BODY_SITE)

LINK = re.compile(r"https?://\S+")


def private_case(owner: User, **fields: object) -> Case:
    """A case whose health data is made of strings that appear nowhere else."""
    case = make_case(
        owner,
        title=CASE_TITLE,
        cancer_type=CANCER_TYPE,
        body_site=BODY_SITE,
        **fields,
    )
    case_actions.add_medicine(owner, case, {"name": MEDICINE, "dose": "5 mg"})
    opinion_actions.save_first_opinion(owner, case, {"narrative": DIAGNOSIS})
    return case


def mail_text(message: mail.EmailMessage) -> str:
    parts = [message.subject, str(message.body)]
    parts += [str(content) for content, _type in getattr(message, "alternatives", [])]
    return "\n".join(parts)


def links_in(message: mail.EmailMessage) -> list[str]:
    return LINK.findall(str(message.body))


def path_of(url: str) -> str:
    assert url.startswith(settings.SITE_URL.rstrip("/")), url
    return url[len(settings.SITE_URL.rstrip("/")) :]


def assert_mail_private(messages: list[mail.EmailMessage]) -> None:
    for message in messages:
        text = mail_text(message).lower()
        for secret in PRIVATE:
            assert secret.lower() not in text, f"{secret!r} leaked into the mail {message.subject!r}"


@pytest.fixture(autouse=True)
def mail_is_private() -> Iterator[None]:
    """Every mail sent during a test is searched for the case's health data."""
    yield
    assert_mail_private(mail.outbox)


pytestmark = pytest.mark.django_db


def test_every_kind_of_mail_in_one_journey_carries_no_health_data(django_capture_on_commit_callbacks) -> None:
    patient = make_user(Role.PATIENT, email="owner@example.test")
    case = private_case(patient)
    owner = login(Client(), patient)

    # companion invitation
    with django_capture_on_commit_callbacks(execute=True):
        owner.post(
            f"/cases/{case.pk}/companions/",
            {"email": "friend@example.test", "name": "Friend", "can_view": "on", "days": "30"},
        )
    # sign-up verification, and the new link sent when an unverified person signs in
    anon = Client()
    with django_capture_on_commit_callbacks(execute=True):
        anon.post(
            "/accounts/signup/",
            {
                "full_name": "New Person",
                "email": "new@example.test",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    anon.post("/accounts/login/", {"username": "new@example.test", "password": PASSWORD})
    # password reset
    anon.post("/accounts/password-reset/", {"email": patient.email})
    # clinician review results, both ways
    admin = login(Client(), make_user(Role.ADMIN))
    for n, decision in enumerate(("approve", "reject")):
        doctor = make_user(Role.CONSULTANT, clinician_status="pending", email=f"doc{n}@example.test")
        with django_capture_on_commit_callbacks(execute=True):
            admin.post(f"/accounts/clinicians/{doctor.clinician_profile.pk}/review/", {"decision": decision})

    subjects = [m.subject for m in mail.outbox]
    assert len(subjects) == 6, subjects
    assert_mail_private(mail.outbox)
    # and the one that says "something is waiting"
    from secondopinion.accounts import notify

    notify.something_waiting(patient.email)
    assert_mail_private(mail.outbox)
    assert "sign in" in mail.outbox[-1].body.lower()


def test_the_privacy_check_itself_would_catch_a_leak() -> None:
    leaky = mail.EmailMessage(subject="About your " + CANCER_TYPE, body="hello", to=["x@example.test"])
    with pytest.raises(AssertionError):
        assert_mail_private([leaky])


# --- error reports -------------------------------------------------------------------------------

# Built at run time: the reports quote source lines, and the value must not appear in this file's source.
BODY_SECRET = "-".join(["Secret", "diagnosis", "ZX81", "melanoma", "of", "the", "foot"])


def _exc_info_with_local(value: str) -> tuple:
    def handler(posted: str) -> None:
        diagnosis = posted  # noqa: F841 — a local variable holding the posted value
        raise RuntimeError("the view failed")

    try:
        handler(value)
    except RuntimeError:
        return sys.exc_info()
    raise AssertionError("unreachable")


def _post_request():
    return RequestFactory().post("/cases/new/", {"title": BODY_SECRET, "note": BODY_SECRET})


def test_mail_admins_handler_uses_the_bodyless_reporter() -> None:
    handler = settings.LOGGING["handlers"]["mail_admins"]
    assert handler["reporter_class"] == "secondopinion.core.logging.BodylessExceptionReporter"
    assert settings.DEFAULT_EXCEPTION_REPORTER == "secondopinion.core.logging.BodylessExceptionReporter"


def test_bodyless_reporter_drops_post_values_and_frame_locals() -> None:
    request = _post_request()
    assert request.POST["title"] == BODY_SECRET
    reporter = BodylessExceptionReporter(request, *_exc_info_with_local(BODY_SECRET))
    text = reporter.get_traceback_text()
    html = reporter.get_traceback_html()
    assert "the view failed" in text and "the view failed" in html  # the report is still useful
    assert BODY_SECRET not in text
    assert BODY_SECRET not in html


def test_the_stock_reporter_would_have_shown_the_value() -> None:
    """Control: Django's own reporter shows the value, so the test above means something."""
    from django.views.debug import ExceptionReporter

    request = _post_request()
    reporter = ExceptionReporter(request, *_exc_info_with_local(BODY_SECRET))
    assert BODY_SECRET in reporter.get_traceback_text()


@override_settings(ADMINS=["ops@example.test"], DEBUG=False)
def test_an_error_logged_with_a_request_mails_admins_without_the_body() -> None:
    request = _post_request()
    exc_info = _exc_info_with_local(BODY_SECRET)
    logging.getLogger("django.request").error(
        "Internal Server Error: %s",
        request.path,
        exc_info=exc_info,
        extra={"status_code": 500, "request": request},
    )
    assert len(mail.outbox) == 1
    report = mail_text(mail.outbox[0])
    assert "the view failed" in report
    assert BODY_SECRET not in report
