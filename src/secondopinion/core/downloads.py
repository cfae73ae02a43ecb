"""File downloads: one way to send a stored or generated file to the browser as an attachment.

Every download is sandboxed and never cached: a file a patient uploaded is their record, and what the
browser shows of it must not run scripts or be kept on a shared computer.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header

from secondopinion.core import storage
from secondopinion.core.sniff import CONTENT_TYPES

DOWNLOAD_CSP = "sandbox; default-src 'none'; frame-ancestors 'none'"
UNKNOWN_TYPE = "application/octet-stream"


def content_type_of(kind: str) -> str:
    """The MIME type sent for a stored file of `kind` (as `core.sniff` detected it)."""
    return CONTENT_TYPES.get(kind, UNKNOWN_TYPE)


def attachment(
    chunks: Iterable[bytes], filename: str, content_type: str, size: int | None = None
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["Cache-Control"] = "no-store"
    if size is not None:
        response["Content-Length"] = str(size)
    return response


def stored_file(storage_key: str, filename: str, kind: str, size: int | None) -> StreamingHttpResponse:
    """A stored (encrypted) file, decrypted as it streams, under the name it was uploaded with."""
    return attachment(storage.stream_plaintext(storage_key), filename, content_type_of(kind), size)
