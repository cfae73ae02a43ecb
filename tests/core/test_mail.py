"""E-mails printed in the terminal: whole links (no quoted-printable soft breaks), the served address."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from config.settings import site_url
from secondopinion.accounts import notify
from secondopinion.core.mail import ConsoleBackend, PlainTextEmail, plain_cte
from tests.factories import make_user

TOKEN_PATH = "/accounts/verify/" + "a1b2c3d4e5" * 9 + "/"  # a link far longer than 78 characters


def _links(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


def test_a_long_link_stays_whole_in_the_message() -> None:
    notify.verify_email("someone@example.test", TOKEN_PATH)
    message = mail.outbox[-1].message()
    text = message.as_string()
    assert message["Content-Transfer-Encoding"] == "7bit"
    assert notify.link(TOKEN_PATH) in _links(text)
    assert "=\n" not in text and "=3D" not in text


def test_console_output_is_plain_text_in_spanish_too() -> None:
    stream = io.StringIO()
    with translation.override("es"):
        body = "Ábralo aquí, por favor:\n" + notify.link(TOKEN_PATH) + "\n"
    ConsoleBackend(stream=stream).send_messages(
        [PlainTextEmail("Confirme su dirección", body, "no-reply@example.test", ["a@example.test"])]
    )
    printed = stream.getvalue()
    assert "Content-Transfer-Encoding: 8bit" in printed
    assert "Ábralo aquí" in printed and "Subject: Confirme su dirección" in printed
    assert notify.link(TOKEN_PATH) in _links(printed)


def test_only_overlong_lines_leave_the_encoding_to_python() -> None:
    assert plain_cte("short\nlines\n") == "7bit"
    assert plain_cte("líneas\n") == "8bit"
    assert plain_cte("x" * 999) is None


@pytest.mark.django_db
def test_the_password_reset_link_stays_whole() -> None:
    user = make_user("patient")
    Client().post("/accounts/password-reset/", {"email": user.email})
    text = mail.outbox[-1].message().as_string()
    links = [link for link in _links(text) if "/accounts/password-reset/" in link]
    assert links and all(link.endswith("/") for link in links)
    assert "=\n" not in text


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "9123"}, "http://127.0.0.1:9123"),
        ({"PORT": "9123", "HOST": "0.0.0.0"}, "http://127.0.0.1:9123"),  # noqa: S104
        ({"PORT": "8080", "HOST": "192.0.2.7"}, "http://192.0.2.7:8080"),
        ({"PORT": "9123", "SECONDOPINION_SITE_URL": "https://so.example.org"}, "https://so.example.org"),
    ],
)
def test_the_site_url_follows_the_port_served(environ: dict[str, str], expected: str) -> None:
    assert site_url(environ) == expected


def test_serve_tells_its_servers_the_port(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[dict[str, str]] = []

    class Done:
        def __init__(self, args: list[str], env: dict[str, str]) -> None:
            started.append(env)

        def poll(self) -> int:
            return 0

        def wait(self, timeout: float) -> int:
            return 0

    monkeypatch.setattr("subprocess.Popen", Done)
    monkeypatch.setattr("signal.signal", lambda *a: None)
    call_command("serve", "--port", "9123", stdout=io.StringIO())
    assert len(started) == 2
    assert all(env["PORT"] == "9123" for env in started)
    assert all(env["HOST"] == "127.0.0.1" for env in started)
