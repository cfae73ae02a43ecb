"""The words of the "who has seen my records" page: who looked, and what they did, in plain language.

Audit rows hold ids, never document names. The page resolves a row's document id to the document at
display time (through the access-checked queries) and hands it here; this module only chooses words.
"""

from __future__ import annotations

from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from secondopinion.cases.models import DocumentKind
from secondopinion.core.audit import AuditAction

SHARE_OPEN = str(AuditAction.OPINION_SHARE_OPEN)


def document_words(document: Any) -> str:
    """E.g. "the pathology report of March 3, 2026": its kind, then its date, title or day it was added."""
    if document is None:
        return _("a document that has since been removed")
    kind = (
        _("document")
        if document.kind == DocumentKind.OTHER
        else _lower_first(str(document.get_kind_display()))
    )
    if document.document_date:
        return _("the %(kind)s of %(date)s") % {
            "kind": kind,
            "date": date_format(document.document_date, "DATE_FORMAT"),
        }
    if document.title:
        return _("the %(kind)s “%(title)s”") % {"kind": kind, "title": document.title}
    return _("the %(kind)s added on %(date)s") % {
        "kind": kind,
        "date": date_format(document.created_at, "DATE_FORMAT"),
    }


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def what_words(action: str, entity_type: str, detail: dict[str, Any], document: Any = None) -> str:
    """What the person did, as the end of a sentence that starts with their name."""
    if action == AuditAction.CASE_READ:
        return _("opened the case")
    if action == AuditAction.PACKET_EXPORT:
        return _("downloaded the whole packet")
    if action == AuditAction.DOCUMENT_DOWNLOAD:
        if entity_type == "cases.document":
            return _("downloaded %(document)s") % {"document": document_words(document)}
        return _("downloaded a file attached to a message")
    if action == AuditAction.DOCUMENT_READ:
        return _("looked at the details of %(document)s") % {"document": document_words(document)}
    if action == AuditAction.REQUEST_READ:
        return _("opened your second-opinion request (the request page, not your documents)")
    if action == AuditAction.OPINION_READ:
        if detail.get("format") == "pdf":
            return _("downloaded an opinion on your case as a PDF")
        return _("read an opinion on your case")
    if action == SHARE_OPEN:
        return _("opened the opinion you shared by link")
    return _("looked at your records")


def who_words(row: Any, viewer_id: Any) -> str:
    """Who did it: "You", a person's name and role, your first doctor through a shared link, or someone
    who was not signed in."""
    if row.actor_id is not None and row.actor_id == viewer_id:
        return _("You")
    actor = row.actor if row.actor_id is not None else None
    if actor is not None:
        return _("%(name)s — %(role)s") % {"name": actor.full_name, "role": actor.get_role_display()}
    if row.action == SHARE_OPEN:
        return _("Your first doctor (shared link)")
    if row.actor_id is None:
        return _("Someone who was not signed in")
    return _("A person whose account no longer exists")
