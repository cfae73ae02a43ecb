"""`secondopinion storage sweep`: it keeps every file a row points to (documents and message attachments
alike), never removes a file younger than the longest upload, and removes nothing without --delete."""

from __future__ import annotations

import ast
import io
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from secondopinion.cases.models import Document
from secondopinion.consults.models import Message
from secondopinion.consults.transitions import Status
from secondopinion.core import storage
from secondopinion.core.crypto import EncryptedWriter
from secondopinion.core.models import StorageKeyField
from secondopinion.core.storage_keys import referenced_keys, storage_key_fields
from secondopinion.core.uploads import upload_from_bytes
from tests.consults.helpers import make_request, make_world
from tests.factories import unique_pdf

SRC = Path(__file__).resolve().parents[2] / "src" / "secondopinion"
HOUR = 3600
WINDOW = 6 * HOUR


@pytest.fixture(autouse=True)
def _window(settings: Any) -> None:
    settings.UPLOAD_MAX_SECONDS = WINDOW


def sweep(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("storage", "sweep", *args, stdout=out)
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def age(path: Path, seconds: float) -> Path:
    when = time.time() - seconds
    os.utime(path, (when, when))
    return path


def write_file(path: Path, data: bytes = b"orphan") -> Path:
    storage.ensure_dir(path.parent)
    with path.open("wb") as handle:
        writer = EncryptedWriter(handle)
        writer.write(data)
        writer.close()
    return path


def stored_files() -> set[Path]:
    return {p for p in storage.store_dir().rglob("*") if p.is_file()}


@pytest.fixture
def referenced(db: Any, django_capture_on_commit_callbacks: Any) -> dict[str, Path]:
    """A case document and a message attachment, made through the product and moved into place on commit;
    both files then aged far past the upload window, so only their rows can keep them."""
    with django_capture_on_commit_callbacks(execute=True):
        world = make_world()
        cr = make_request(world, status=Status.IN_PROGRESS)
        world.client(world.patient).post(
            reverse("consults:post_message", args=[cr.pk]),
            {"body": "the scan", "attachment": SimpleUploadedFile("scan.pdf", unique_pdf("att"))},
        )
    message = Message.objects.get(request=cr, body="the scan")
    assert message.attachment_key
    files = {
        "document": storage.final_path(world.docs[0].storage_key),
        "attachment": storage.final_path(message.attachment_key),
    }
    for path in stored_files():
        age(path, WINDOW + HOUR)
    assert set(files.values()) <= stored_files()
    return files


def test_the_registry_holds_documents_and_message_attachments() -> None:
    fields = {(model, field.name) for model, field in storage_key_fields()}
    assert (Document, "storage_key") in fields and (Message, "attachment_key") in fields


def test_no_model_keeps_a_storage_key_outside_the_registry() -> None:
    """A column that looks like it holds a file's key is a StorageKeyField, or the sweep would delete it."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            looks_like_a_file = field.name.endswith(("storage_key", "attachment_key", "file_key", "blob_key"))
            if looks_like_a_file and isinstance(field, models.CharField):
                assert isinstance(field, StorageKeyField), f"{model.__name__}.{field.name}"


def _stored_key_targets(tree: ast.AST) -> list[tuple[str, int]]:
    """Every name that receives a ``.storage_key``: ``name=x.storage_key`` or ``obj.name = x.storage_key``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg and _is_storage_key(node.value):
            found.append((node.arg, node.value.lineno))
        if isinstance(node, ast.Assign):
            for target in node.targets:
                pairs = (
                    zip(target.elts, node.value.elts, strict=False)
                    if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple)
                    else [(target, node.value)]
                )
                for left, right in pairs:
                    if isinstance(left, ast.Attribute) and _is_storage_key(right):
                        found.append((left.attr, node.lineno))
    return found


def _is_storage_key(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "storage_key"


def test_every_stored_upload_key_lands_in_a_storage_key_field() -> None:
    """Wherever the code copies an upload's key onto something, that something is a StorageKeyField."""
    registered = {field.name for _model, field in storage_key_fields()}
    # The store itself and the upload handler pass keys around before any row exists.
    skipped = {SRC / "core" / "storage.py", SRC / "core" / "uploads.py"}
    seen = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts or path in skipped:
            continue
        for name, line in _stored_key_targets(ast.parse(path.read_text(), filename=str(path))):
            seen.append(name)
            assert name in registered, f"{path.relative_to(SRC)}:{line}: {name} holds a storage key"
    assert {"storage_key", "attachment_key"} <= set(seen)  # the check sees the two real places


def test_sweep_keeps_documents_and_message_attachments(referenced: dict[str, Path]) -> None:
    orphan = age(write_file(storage.final_path(storage.new_storage_key())), WINDOW + HOUR)
    result = sweep("--delete")
    assert result["orphans_removed"] == 1 and result["keys"]["orphans_removed"] == [orphan.stem]
    assert set(referenced.values()) <= stored_files() and not orphan.exists()
    assert referenced_keys([p.stem for p in referenced.values()]) == {p.stem for p in referenced.values()}


def test_dry_run_is_the_default_and_removes_nothing(referenced: dict[str, Path]) -> None:
    orphan = age(write_file(storage.final_path(storage.new_storage_key())), WINDOW + HOUR)
    stale_temp = age(write_file(storage.temp_path(storage.new_storage_key())), WINDOW + HOUR)
    before = stored_files()
    result = sweep("--older-than", "0")
    assert result["dry_run"] is True
    assert result["orphans_removed"] == 1 and result["temp_removed"] == 1
    assert result["keys"] == {
        "orphans_removed": [orphan.stem],
        "temp_removed": [stale_temp.name.removesuffix(".part")],
        "temp_promoted": [],
    }
    assert stored_files() == before
    # The report names storage keys only: no file name, title or message of the patient's.
    assert "scan" not in json.dumps(result) and "report" not in json.dumps(result)
    done = sweep("--delete", "--older-than", "0")
    assert done["dry_run"] is False and done["orphans_removed"] == 1 and done["temp_removed"] == 1
    assert not orphan.exists() and not stale_temp.exists()
    assert set(referenced.values()) <= stored_files()


def test_nothing_younger_than_the_upload_window_is_removed(db: Any) -> None:
    young_orphan = age(write_file(storage.final_path(storage.new_storage_key())), WINDOW - HOUR)
    young_temp = age(write_file(storage.temp_path(storage.new_storage_key())), WINDOW - HOUR)
    result = sweep("--delete", "--older-than", "0")
    assert result["orphans_removed"] == 0 and result["temp_removed"] == 0
    assert young_orphan.exists() and young_temp.exists()
    # Past the window they go.
    age(young_orphan, WINDOW + 1)
    age(young_temp, WINDOW + 1)
    result = sweep("--delete")
    assert result["orphans_removed"] == 1 and result["temp_removed"] == 1
    assert not young_orphan.exists() and not young_temp.exists()


def test_a_file_moved_into_place_without_its_row_is_kept(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Its upload's last write may be old, and no row is committed yet: the window counts from the move."""
    upload = upload_from_bytes(unique_pdf("slow"), "slow.pdf")
    age(upload.pending.temp_path, WINDOW + HOUR)
    with django_capture_on_commit_callbacks(execute=True):
        storage.promote_on_commit(upload)
    final = storage.final_path(upload.storage_key)
    assert final.exists()
    result = sweep("--delete", "--older-than", "0")
    assert result["orphans_removed"] == 0 and final.exists()
