"""A connection dropped in the middle of an upload leaves no document and no file behind.

Runs against the live WSGI server (a thread in this process): the request is written by hand over
a socket, announcing more bytes than are ever sent, and the socket is closed half-way through the file.
"""

from __future__ import annotations

import gc
import io
import socket
import threading
import time
from importlib import import_module
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management import call_command
from django.urls import reverse

from secondopinion.cases.models import Document
from secondopinion.core.audit import AuditAction
from secondopinion.core.models import AuditEvent
from tests.factories import MINIMAL_PDF, make_case, make_user

BOUNDARY = "----secondopinionDroppedUpload"
CSRF_SECRET = "a" * 32  # an unmasked secret: the cookie and the header carry the same value


def session_cookie(user: Any) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store.session_key


def leftover_files() -> list[Path]:
    root = Path(settings.FILE_STORE_DIR)
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".part", ".enc"))


def wait_for(predicate: Any, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        gc.collect()
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def multipart_head(content: bytes) -> bytes:
    out = io.BytesIO()
    for name, value in (("csrfmiddlewaretoken", CSRF_SECRET), ("kind", "pathology_report")):
        out.write(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    out.write(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'.encode())
    out.write(b"Content-Type: application/pdf\r\n\r\n")
    return out.getvalue()


def send_half_and_drop(live_server: Any, path: str, sessionid: str, content: bytes) -> None:
    head = multipart_head(content)
    body = head + content + f"\r\n--{BOUNDARY}--\r\n".encode()
    url = urlsplit(live_server.url)
    request_head = (
        f"POST {path} HTTP/1.1\r\nHost: {url.netloc}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"Cookie: {settings.SESSION_COOKIE_NAME}={sessionid}; {settings.CSRF_COOKIE_NAME}={CSRF_SECRET}\r\n"
        f"Connection: close\r\n\r\n"
    ).encode()
    half = head + content[: len(content) // 2]
    with socket.create_connection((url.hostname, url.port), timeout=5) as sock:
        sock.sendall(request_head)
        sock.sendall(half)
        time.sleep(0.5)  # let the server read and encrypt what has arrived
        sock.shutdown(socket.SHUT_RDWR)


@pytest.mark.django_db(transaction=True)
def test_dropped_connection_leaves_nothing_behind(live_server: Any) -> None:
    patient = make_user("patient")
    case = make_case(patient)
    sessionid = session_cookie(patient)
    # Large enough to span several reads and encryption frames, small enough for the default limit.
    content = MINIMAL_PDF + b"% Jane Roe pathology\n" * 40_000
    path = reverse("cases:upload", args=[case.pk])

    threads_before = set(threading.enumerate())
    send_half_and_drop(live_server, path, sessionid, content)
    # The server handles each request in a thread of its own: wait until it has finished with this one.
    assert wait_for(lambda: set(threading.enumerate()) <= threads_before), (
        "the request is still being handled"
    )
    # The server answered (to nobody) that the form was incomplete, and audited the failed upload.
    assert AuditEvent.objects.filter(
        action=str(AuditAction.DOCUMENT_UPLOAD_REJECTED), case_id=case.pk
    ).exists()

    # The handler removes its temporary file when the parser gives up on the cut-off body
    # (upload_interrupted, or the handler's finalizer once the request is dropped).
    cleaned_by_the_handler = wait_for(lambda: leftover_files() == [])
    assert not Document.objects.exists()
    assert cleaned_by_the_handler, f"temporary files left after the dropped upload: {leftover_files()}"

    # The sweep finds nothing to do, and nothing is left afterwards either.
    out = io.StringIO()
    call_command("storage", "sweep", "--older-than", "0", stdout=out)
    assert '"temp_removed": 0' in out.getvalue()
    assert leftover_files() == []
    assert not Document.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_complete_upload_over_a_socket_is_stored(live_server: Any) -> None:
    """The same hand-made request, sent whole, is accepted: the dropped case fails for the right reason."""
    patient = make_user("patient")
    case = make_case(patient)
    sessionid = session_cookie(patient)
    content = MINIMAL_PDF + b"% Jane Roe pathology\n" * 1000
    body = multipart_head(content) + content + f"\r\n--{BOUNDARY}--\r\n".encode()
    url = urlsplit(live_server.url)
    request = (
        f"POST {reverse('cases:upload', args=[case.pk])} HTTP/1.1\r\nHost: {url.netloc}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {len(body)}\r\n"
        f"Cookie: {settings.SESSION_COOKIE_NAME}={sessionid}; {settings.CSRF_COOKIE_NAME}={CSRF_SECRET}\r\n"
        f"Connection: close\r\n\r\n"
    ).encode() + body
    threads_before = set(threading.enumerate())
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(request)
        status_line = sock.makefile("rb").readline()
    assert b" 302 " in status_line
    assert wait_for(lambda: set(threading.enumerate()) <= threads_before)
    assert wait_for(lambda: Document.objects.filter(case=case).count() == 1)
    document = Document.objects.get(case=case)
    assert document.size == len(content)
    assert [p.name for p in leftover_files()] == [f"{document.storage_key}.enc"]
