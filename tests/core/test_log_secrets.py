"""No secret in any log: link tokens (e-mail confirmation, password reset, invitations, shared opinions)
and query strings are masked in gunicorn's access log, in Django's request log and in error mails."""

from __future__ import annotations

import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.test import Client, override_settings
from gunicorn.config import Config

from secondopinion.core.logging import MaskingGunicornLogger, mask_secrets

TOKEN = "s3cr3t-T0ken_value"


@pytest.mark.parametrize(
    ("seen", "logged"),
    [
        (f"/accounts/verify/{TOKEN}/", "/accounts/verify/…/"),
        (f"/cases/invitations/{TOKEN}/", "/cases/invitations/…/"),
        (f"/opinions/shared/{TOKEN}/", "/opinions/shared/…/"),
        (f"/accounts/password-reset/MQ/{TOKEN}/", "/accounts/password-reset/…/…/"),
        (f"/accounts/password-reset/MQ/set-password/?next={TOKEN}", "/accounts/password-reset/…/…/?…"),
        ("/accounts/password-reset/sent/", "/accounts/password-reset/sent/"),
        (f"/directory/?name=chen&back={TOKEN}", "/directory/?…"),
        (f'GET /opinions/shared/{TOKEN}/ HTTP/1.1" 302', 'GET /opinions/shared/…/ HTTP/1.1" 302'),
        ("/cases/1f0e/", "/cases/1f0e/"),
    ],
)
def test_token_segments_and_queries_are_masked(seen: str, logged: str) -> None:
    assert mask_secrets(seen) == logged


def test_the_gunicorn_access_log_writes_no_token() -> None:
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/opinions/shared/{TOKEN}/?x={TOKEN}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": f"/opinions/shared/{TOKEN}/",
        "QUERY_STRING": f"x={TOKEN}",
        "HTTP_REFERER": f"https://example.test/cases/invitations/{TOKEN}/",
        "REMOTE_ADDR": "192.0.2.1",
    }
    response = SimpleNamespace(status="302 Found", sent=0, headers=[])
    request = SimpleNamespace(headers=[])
    atoms = MaskingGunicornLogger(Config()).atoms(response, request, environ, timedelta(milliseconds=3))
    line = " ".join(str(v) for v in atoms.values())
    assert TOKEN not in line
    assert atoms["r"] == "GET /opinions/shared/…/?… HTTP/1.1"


@pytest.mark.django_db
def test_django_s_request_log_and_error_mails_carry_no_token(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = Client().get(f"/opinions/shared/{TOKEN}/", {"q": TOKEN})
    assert response.status_code in (404, 410, 200, 302)
    handler = logging.getLogger("django").handlers[0]
    for record in caplog.records:
        for log_filter in handler.filters:
            log_filter.filter(record)
        assert TOKEN not in record.getMessage()

    with override_settings(ADMINS=["ops@example.test"], DEBUG=False):
        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error: %s",
            (f"/cases/invitations/{TOKEN}/",),
            None,
        )
        mails = logging.getLogger("django").handlers[1]
        assert all(f.filter(record) for f in mails.filters)
        mails.emit(record)
    assert mail.outbox and TOKEN not in mail.outbox[-1].subject + mail.outbox[-1].body
