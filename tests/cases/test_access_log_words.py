"""'Who has seen my records' names the document and the action in words, and who did it."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.formats import date_format

from secondopinion.cases import actions as case_actions
from secondopinion.cases import wording as access_words
from secondopinion.cases.models import Document
from secondopinion.core.audit import AuditAction, Purpose, record
from secondopinion.core.models import AuditEvent
from secondopinion.opinions import actions as opinion_actions
from tests.consults.helpers import make_request, make_world
from tests.factories import login, make_companion, make_document, make_user, unique_pdf
from tests.opinions.support import Setup

pytestmark = pytest.mark.django_db


def _log(client: Client, case, **params) -> str:
    response = client.get(reverse("cases:access_log", args=[case.pk]), params)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def _doc(world, **fields):
    return make_document(world.patient, world.case, unique_pdf(str(fields)), **fields)


def test_download_names_the_document_kind_and_date_without_putting_names_in_the_audit_row():
    world = make_world()
    report = _doc(world, kind="pathology_report", title="Secret biopsy title")
    Document.objects.filter(pk=report.pk).update(document_date=dt.date(2026, 3, 3))
    cr = make_request(world, docs=[report])
    consultant = login(Client(), world.consultant)
    assert consultant.get(reverse("cases:download", args=[report.pk])).status_code == 200
    assert consultant.get(reverse("consults:detail", args=[cr.pk])).status_code == 200

    html = _log(login(Client(), world.patient), world.case)
    assert f"{world.consultant.full_name} — Consultant" in html
    assert "downloaded the pathology report of March 3, 2026" in html
    assert "opened your second-opinion request (the request page, not your documents)" in html
    assert "looked at a document" not in html  # the request page is not a document view
    row = AuditEvent.objects.get(action=AuditAction.DOCUMENT_DOWNLOAD, entity_id=str(report.pk))
    assert "Secret biopsy title" not in str(row.detail) and "pathology" not in str(row.detail)


def test_document_without_date_is_named_by_title_then_by_the_day_it_was_added():
    world = make_world()
    titled = _doc(world, kind="imaging_report", title="CT chest")
    untitled = world.docs[0]
    companion = make_user("patient", name="Ana Companion")
    make_companion(world.case, companion, can_view=True)
    helper = login(Client(), companion)
    for doc in (titled, untitled):
        assert helper.get(reverse("cases:download", args=[doc.pk])).status_code == 200
    html = _log(login(Client(), world.patient), world.case)
    assert "Ana Companion" in html
    assert "downloaded the imaging report “CT chest”" in html
    added = date_format(untitled.created_at, "DATE_FORMAT")
    assert f"downloaded the pathology report added on {added}" in html


def test_removed_document_and_message_attachment_read_in_words():
    world = make_world()
    doc = _doc(world, kind="lab_result")
    record(world.consultant, AuditAction.DOCUMENT_DOWNLOAD, doc, Purpose.TREATMENT)
    record(
        world.consultant,
        AuditAction.DOCUMENT_DOWNLOAD,
        None,
        Purpose.TREATMENT,
        case_id=world.case.pk,
        entity_type="consults.message",
        entity_id="0d4c9b7e-7a4f-4a57-9a56-6a0f1f8c6c11",
        detail={"attachment": True},
    )
    case_actions.delete_document(world.patient, doc)
    html = _log(login(Client(), world.patient), world.case)
    assert "downloaded a document that has since been removed" in html
    assert "downloaded a file attached to a message" in html


def test_first_doctor_by_shared_link_and_anonymous_actor_in_words():
    s = Setup()
    opinion = s.signed()
    token = opinion_actions.share(s.patient, opinion, "first.doctor@example.test")
    assert Client().get(reverse("opinions:shared", args=[token])).status_code == 200
    record(None, AuditAction.CASE_READ, s.case, Purpose.OPERATIONS)  # a read with no signed-in person
    html = _log(s.client(s.patient), s.case)
    assert "Your first doctor (shared link)" in html
    assert "opened the opinion you shared by link" in html
    assert "Someone who was not signed in" in html
    assert "anonymous" not in html


def test_access_log_page_past_the_end_says_no_more_results():
    world = make_world()
    client = login(Client(), world.patient)
    response = client.get(reverse("cases:access_log", args=[world.case.pk]), {"page": "999"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There are no more results." in html and 'id="no-more-results"' in html
    assert "?page=1" in html
    assert "Nobody else has seen your records yet." not in html
    assert client.get(reverse("cases:access_log", args=[world.case.pk]), {"page": "x"}).status_code == 200


def test_access_log_pages_hold_fifty_rows_newest_first():
    world = make_world()
    for _ in range(51):
        record(world.consultant, AuditAction.CASE_READ, world.case, Purpose.TREATMENT)
    client = login(Client(), world.patient)
    first = client.get(reverse("cases:access_log", args=[world.case.pk]))
    assert len(first.context["rows"]) == 50 and "Page 1 of 2" in first.content.decode()
    second = client.get(reverse("cases:access_log", args=[world.case.pk]), {"page": "2"})
    assert len(second.context["rows"]) == 1 and 'rel="prev"' in second.content.decode()


# -- the words alone (unit) -------------------------------------------------------------------------


def _row(action: str, actor=None, actor_id=None):
    return SimpleNamespace(action=action, actor=actor, actor_id=actor_id)


def test_who_words():
    person = SimpleNamespace(full_name="Dr Ruiz", get_role_display=lambda: "Consultant")
    assert access_words.who_words(_row("case.read", person, 7), 1) == "Dr Ruiz — Consultant"
    assert access_words.who_words(_row("case.read", None, 1), 1) == "You"
    assert access_words.who_words(_row("opinion.share_open"), 1) == "Your first doctor (shared link)"
    assert access_words.who_words(_row("case.read"), 1) == "Someone who was not signed in"
    assert access_words.who_words(_row("case.read", None, 9), 1) == "A person whose account no longer exists"


def test_what_words():
    doc = SimpleNamespace(
        kind="other", get_kind_display=lambda: "Other", document_date=dt.date(2026, 1, 5), title=""
    )
    assert access_words.what_words("document.read", "cases.document", {}, doc) == (
        "looked at the details of the document of Jan. 5, 2026"
    )
    assert access_words.what_words("opinion.read", "opinions.opinion", {"format": "pdf"}) == (
        "downloaded an opinion on your case as a PDF"
    )
    assert access_words.what_words("opinion.read", "opinions.opinion", {}) == "read an opinion on your case"
    assert access_words.what_words("packet.export", "cases.case", {}) == "downloaded the whole packet"
    assert access_words.what_words("something.new", "", {}) == "looked at your records"
