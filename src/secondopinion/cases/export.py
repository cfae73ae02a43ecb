"""The packet a patient brings to an appointment: a ZIP with a printable PDF summary and every document."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from secondopinion.cases.queries import CasePacket
from secondopinion.core import storage
from secondopinion.core.codes import Modality, treatment_words
from secondopinion.core.pdf import render_pdf
from secondopinion.core.sniff import EXTENSIONS
from secondopinion.core.zipstream import stream_zip

_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def archive_name(document: Any, index: int) -> str:
    stem = _UNSAFE.sub("_", (document.title or document.original_filename).rsplit(".", 1)[0]).strip(" ._")
    return f"documents/{index:02d}-{stem[:60] or 'document'}{EXTENSIONS.get(document.detected_type, '')}"


def modality_labels(codes: list[str]) -> list[str]:
    labels = dict(Modality.choices)
    return [str(labels.get(code, code)) for code in codes]


def summary_pdf(packet: CasePacket) -> bytes:
    documents = [(archive_name(d, i), d) for i, d in enumerate(packet.documents, start=1)]
    return render_pdf(
        "cases/print/packet_summary.html",
        {
            "packet": packet,
            "case": packet.case,
            "documents": documents,
            "generated": timezone.now(),
            "first": packet.first,
            "plan_treatments": [
                treatment_words(option)
                for option in (packet.first.get("treatment") or {}).get("options") or []
            ],
            "received_modalities": modality_labels(packet.case.treatment_received),
        },
    )


def packet_zip(packet: CasePacket) -> Iterator[bytes]:
    entries: list[tuple[str, Any]] = [(_("summary") + ".pdf", [summary_pdf(packet)])]
    for index, document in enumerate(packet.documents, start=1):
        entries.append((archive_name(document, index), storage.stream_plaintext(document.storage_key)))
    return stream_zip(entries)
