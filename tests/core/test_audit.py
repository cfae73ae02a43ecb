"""The audit log: reads and denials are recorded, rows are append-only, the HMAC chain catches tampering."""

from __future__ import annotations

import hashlib
import hmac
import io
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from secondopinion.core import audit
from secondopinion.core.access import NotFound, access_case
from secondopinion.core.audit import AuditAction, Outcome, Purpose, record, verify_chain
from secondopinion.core.models import AppendOnlyError, AuditChainHead, AuditEvent
from tests.factories import login, make_case, make_companion, make_user

TABLE = AuditEvent._meta.db_table


@pytest.fixture(autouse=True)
def fresh_audit_context() -> Iterator[None]:
    """No queued denied-access rows cross from one test into the next (the context is per thread)."""
    token = audit._context.set(None)
    yield
    audit._context.reset(token)


def rows(action: AuditAction | str, **filters: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=str(action), **filters).order_by("seq"))


def run_verify(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


def raw(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{table}", connection.ops.quote_name(TABLE)), params or [])


# -- reads and denials ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_case_page_read_is_recorded_with_reader_purpose_and_address(patient, case):
    client = login(Client(REMOTE_ADDR="203.0.113.5"), patient)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    [row] = rows(AuditAction.CASE_READ)
    assert (row.actor_id, row.purpose, row.client_ip, row.outcome) == (
        patient.pk,
        "PATRQT",
        "203.0.113.5",
        "success",
    )
    assert (row.entity_type, row.entity_id, row.case_id) == ("cases.case", str(case.pk), case.pk)
    assert patient.email in row.actor_label


@pytest.mark.django_db
def test_forwarded_for_header_is_not_trusted(patient, case):
    client = login(Client(REMOTE_ADDR="203.0.113.5"), patient)
    client.get(reverse("cases:detail", args=[case.pk]), HTTP_X_FORWARDED_FOR="10.9.8.7")
    assert rows(AuditAction.CASE_READ)[0].client_ip == "203.0.113.5"


@pytest.mark.django_db
def test_api_case_read_is_recorded(patient, case):
    client = login(Client(REMOTE_ADDR="198.51.100.20"), patient)
    response = client.get(f"/api/v1/cases/{case.pk}")
    assert response.status_code == 200
    assert response.json()["id"] == str(case.pk)
    [row] = rows(AuditAction.CASE_READ)
    assert (row.actor_id, row.purpose, row.client_ip, row.case_id) == (
        patient.pk,
        "PATRQT",
        "198.51.100.20",
        case.pk,
    )


@pytest.mark.django_db
def test_companion_read_has_the_family_purpose(case):
    helper = make_user("companion")
    make_companion(case, helper, can_view=True)
    login(Client(), helper).get(reverse("cases:detail", args=[case.pk]))
    [row] = rows(AuditAction.CASE_READ)
    assert (row.actor_id, row.purpose) == (helper.pk, "FAMRQT")


@pytest.mark.django_db
def test_denied_access_by_another_patient_is_recorded(case):
    stranger = make_user("patient")
    client = login(Client(REMOTE_ADDR="192.0.2.44"), stranger)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert client.get(f"/api/v1/cases/{case.pk}").status_code == 404
    denied = rows(AuditAction.ACCESS_DENIED)
    assert len(denied) == 2
    for row in denied:
        assert (row.actor_id, row.outcome, row.client_ip) == (stranger.pk, "denied", "192.0.2.44")
        assert (row.entity_type, row.entity_id) == ("cases.case", str(case.pk))
    assert rows(AuditAction.CASE_READ) == []


@pytest.mark.django_db(transaction=True)
def test_denied_access_survives_a_rollback_flushed_by_hand():
    owner, stranger = make_user("patient"), make_user("patient")
    case = make_case(owner)
    with pytest.raises(RuntimeError), transaction.atomic():
        with pytest.raises(NotFound):
            access_case(stranger, case.pk)
        record(stranger, AuditAction.CASE_LIST, None, Purpose.PATIENT_REQUEST)  # rolled back with the block
        raise RuntimeError("the view failed after the denied access")
    assert rows(AuditAction.CASE_LIST) == []
    audit.flush_pending_denials()
    [row] = rows(AuditAction.ACCESS_DENIED)
    assert (row.actor_id, row.entity_id, row.outcome) == (stranger.pk, str(case.pk), "denied")
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_denied_access_survives_a_rollback_through_the_middleware_path():
    owner, stranger = make_user("patient"), make_user("patient")
    case = make_case(owner)
    token = audit.bind_request("192.0.2.99")  # what AuditContextMiddleware does around each request
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            with pytest.raises(NotFound):
                access_case(stranger, case.pk)
            raise RuntimeError
        assert rows(AuditAction.ACCESS_DENIED) == []  # queued until the request ends
    finally:
        audit.unbind_request(token)
    [row] = rows(AuditAction.ACCESS_DENIED)
    assert (row.actor_id, row.client_ip) == (stranger.pk, "192.0.2.99")


@pytest.mark.django_db(transaction=True)
def test_denied_access_inside_a_committed_transaction_is_written_once():
    owner, stranger = make_user("patient"), make_user("patient")
    case = make_case(owner)
    with transaction.atomic(), pytest.raises(NotFound):
        access_case(stranger, case.pk)
    audit.flush_pending_denials()
    assert len(rows(AuditAction.ACCESS_DENIED)) == 1


# -- the "who has seen my records" page -------------------------------------------------------------


@pytest.mark.django_db
def test_access_log_lists_the_companions_views(patient, patient_client, case):
    helper = make_user("companion", name="Maria Companion")
    make_companion(case, helper, can_view=True)
    helper_client = login(Client(), helper)
    assert helper_client.get(reverse("cases:detail", args=[case.pk])).status_code == 200

    response = patient_client.get(reverse("cases:access_log", args=[case.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Maria Companion" in body
    assert "opened the case" in body
    assert [row.actor_id for row in response.context["rows"]] == [helper.pk]
    assert rows(AuditAction.ACCESS_LOG_READ)[0].actor_id == patient.pk

    assert helper_client.get(reverse("cases:access_log", args=[case.pk])).status_code == 404
    stranger = login(Client(), make_user("patient"))
    assert stranger.get(reverse("cases:access_log", args=[case.pk])).status_code == 404
    assert len(rows(AuditAction.ACCESS_LOG_READ)) == 1


@pytest.mark.django_db
def test_access_log_shows_only_this_cases_successful_reads(patient, patient_client, case):
    other_case = make_case(patient, title="Other")
    patient_client.get(reverse("cases:detail", args=[other_case.pk]))
    patient_client.get(reverse("cases:detail", args=[case.pk]))  # the patient's own reads are not listed
    login(Client(), make_user("patient")).get(reverse("cases:detail", args=[case.pk]))  # denied
    response = patient_client.get(reverse("cases:access_log", args=[case.pk]))
    assert list(response.context["rows"]) == []
    assert "Nobody else has seen your records yet." in response.content.decode()


# -- append-only rows and the chain -----------------------------------------------------------------


def write_some(n: int = 5) -> list[AuditEvent]:
    user = make_user("patient")
    return [
        record(user, AuditAction.CASE_LIST, None, Purpose.PATIENT_REQUEST, detail={"i": i}) for i in range(n)
    ]


@pytest.mark.django_db
def test_verify_intact_chain_exits_0_and_counts_rows():
    write_some()
    total = AuditEvent.objects.count()
    code, out = run_verify()
    assert code == 0
    assert f"audit chain intact: {total} rows checked" in out
    code, out = run_verify("--json")
    assert code == 0
    assert '"ok": true' in out and f'"checked": {total}' in out


@pytest.mark.django_db
def test_verify_detects_a_changed_detail():
    events = write_some()
    target = events[2]
    raw("UPDATE {table} SET detail = %s WHERE seq = %s", ['{"i": 99}', target.seq])
    code, out = run_verify()
    assert code == 1
    assert f"BROKEN at row {target.seq}" in out
    result = verify_chain()
    assert (result.ok, result.bad_seq, result.checked) == (False, target.seq, target.seq - 1)


@pytest.mark.django_db
def test_verify_detects_a_changed_client_address():
    events = write_some()
    raw("UPDATE {table} SET client_ip = %s WHERE seq = %s", ["10.0.0.1", events[0].seq])
    assert verify_chain().bad_seq == events[0].seq


@pytest.mark.django_db
def test_verify_detects_a_deleted_row():
    events = write_some()
    raw("DELETE FROM {table} WHERE seq = %s", [events[1].seq])
    code, out = run_verify()
    assert code == 1
    assert f"BROKEN at row {events[1].seq}" in out and "missing" in out


@pytest.mark.django_db
def test_verify_detects_the_last_row_deleted():
    events = write_some()
    raw("DELETE FROM {table} WHERE seq = %s", [events[-1].seq])
    result = verify_chain()
    assert not result.ok
    assert result.bad_seq == events[-1].seq


@pytest.mark.django_db
def test_verify_detects_a_row_rewritten_with_an_hmac_made_without_the_key():
    events = write_some()
    target = AuditEvent.objects.get(seq=events[1].seq)
    target.detail = {"i": "forged"}
    message = target.prev_hmac.encode() + b"|" + audit._canonical(audit.row_content(target))
    forged = hmac.new(b"a guessed key", message, hashlib.sha256).hexdigest()
    raw("UPDATE {table} SET detail = %s, hmac = %s WHERE seq = %s", ['{"i": "forged"}', forged, target.seq])
    assert verify_chain().bad_seq == target.seq


@pytest.mark.django_db
def test_rows_cannot_be_saved_twice_or_deleted_through_the_orm():
    [event] = write_some(1)
    event.detail = {"i": "changed"}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.save(update_fields=["detail"])
    with pytest.raises(AppendOnlyError):
        event.delete()
    fresh = AuditEvent.objects.get(pk=event.pk)
    assert fresh.detail == {"i": 0}
    assert verify_chain().ok


@pytest.mark.django_db
def test_bulk_update_through_the_orm_is_refused():
    write_some(2)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(detail={})


@pytest.mark.django_db
def test_bulk_delete_through_the_orm_is_refused():
    write_some(2)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.django_db
def test_a_row_never_carries_a_document_or_a_secret(patient, patient_client, case):
    patient_client.post(reverse("opinions:first", args=[case.pk]), {"narrative": "Secret words here"})
    for event in AuditEvent.objects.all():
        assert "Secret words here" not in str(event.detail)
        assert "password" not in str(event.detail).lower()


@pytest.mark.django_db
def test_record_builds_the_row_from_the_entity(patient, case):
    event = record(patient, AuditAction.CASE_UPDATE, case, Purpose.PATIENT_REQUEST, Outcome.FAILED, {"x": 1})
    assert (event.entity_type, event.entity_id, event.case_id) == ("cases.case", str(case.pk), case.pk)
    assert (event.outcome, event.purpose, event.detail) == ("failed", "PATRQT", {"x": 1})
    anonymous = record(None, AuditAction.LOGIN_FAILED, None, Purpose.SECURITY, Outcome.FAILED)
    assert (anonymous.actor_id, anonymous.actor_label) == (None, "anonymous")
    head = AuditChainHead.objects.get(pk=1)
    assert (head.last_seq, head.last_hmac) == (anonymous.seq, anonymous.hmac)
    assert anonymous.prev_hmac == event.hmac


# -- concurrent writers ---------------------------------------------------------------------------

WRITERS = 6
ROWS_EACH = 25


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_leave_an_intact_chain():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers itself")
    user = make_user("patient")
    before = AuditEvent.objects.count()
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=30)
            for i in range(ROWS_EACH):
                record(
                    user, AuditAction.CASE_LIST, None, Purpose.PATIENT_REQUEST, detail={"writer": n, "i": i}
                )
        except BaseException as exc:
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert not any(thread.is_alive() for thread in threads)

    result = verify_chain()
    assert result.ok, result
    total = before + WRITERS * ROWS_EACH
    assert result.checked == total
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, total + 1))
    written = AuditEvent.objects.filter(action=str(AuditAction.CASE_LIST)).values_list("detail", flat=True)
    assert sorted((d["writer"], d["i"]) for d in written) == [
        (n, i) for n in range(WRITERS) for i in range(ROWS_EACH)
    ]


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_an_empty_log_race_for_the_chain_head():
    """The very first rows: every writer may find no chain head and try to create it."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    assert not AuditChainHead.objects.exists() and not AuditEvent.objects.exists()
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=30)
            for i in range(5):
                record(
                    None, AuditAction.LOGIN_FAILED, None, Purpose.SECURITY, Outcome.FAILED, {"w": n, "i": i}
                )
        except BaseException as exc:
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    result = verify_chain()
    assert result.ok and result.checked == WRITERS * 5, result
