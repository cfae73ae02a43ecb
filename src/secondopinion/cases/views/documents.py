from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secondopinion.accounts.types import AuthedRequest
from secondopinion.cases import actions, queries
from secondopinion.cases.export import packet_zip
from secondopinion.cases.forms import DocumentUploadForm
from secondopinion.cases.views.common import back_to_case, case_view
from secondopinion.core import storage
from secondopinion.core.access import NotFound, Perm, purpose_for
from secondopinion.core.audit import AuditAction, Outcome, Purpose, record
from secondopinion.core.downloads import attachment, stored_file
from secondopinion.core.sniff import UploadRejected
from secondopinion.core.uploads import discard_request_files


class UploadRefused(Exception):
    """Why an upload was not stored: a stable code, an HTTP status, and the form carrying the messages."""

    def __init__(self, code: str, status: int, form: DocumentUploadForm, **extra: Any) -> None:
        super().__init__(code)
        self.code, self.status, self.form, self.extra = code, status, form, extra

    @property
    def message(self) -> str:
        errors = (
            self.form.errors.get("file") or self.form.non_field_errors() or [_("Some fields are not valid.")]
        )
        return str(errors[0])


def receive_upload(request: HttpRequest, case: Any) -> Any:
    """Parse the multipart body through the encrypting handler and store the document, or raise UploadRefused.

    One path for the page and the API: nothing is kept of a refused file, and every refusal is audited.
    """
    try:
        form = DocumentUploadForm(request.POST, request.FILES)
    except MultiPartParserError:
        form = DocumentUploadForm(data={})
        form.full_clean()
        form.errors.clear()  # not "this field is required": the body itself could not be read
        form.add_error(None, _("The upload did not arrive complete. Please try again."))
        _audit_rejection(request, case, "upload_incomplete")
        raise UploadRefused("upload_incomplete", 400, form) from None
    rejection: UploadRejected | None = getattr(request, "upload_error", None)
    valid = form.is_valid()
    if rejection is not None:  # the refusal says why; "this field is required" would only add noise
        form.errors["file"] = form.error_class([str(rejection.message)])
        valid = False
    if not valid:
        discard_request_files(request)
        code = rejection.code if rejection else "validation_error"
        _audit_rejection(request, case, code)
        raise UploadRefused(code, 413 if code == "too_large" else 422, form)
    try:
        return actions.add_document(
            request.user,
            case,
            form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            document_date=form.cleaned_data["document_date"],
        )
    except actions.DuplicateDocument as exc:
        form.add_error(
            "file",
            _("This file is already in your case as “%(name)s” (added %(date)s).")
            % {"name": exc.existing, "date": exc.existing.created_at.date().isoformat()},
        )
        _audit_rejection(request, case, "duplicate_document")
        raise UploadRefused(
            "duplicate_document", 409, form, existing_document_id=str(exc.existing.pk)
        ) from None


def _audit_rejection(request: HttpRequest, case: Any, code: str) -> None:
    record(
        request.user,
        AuditAction.DOCUMENT_UPLOAD_REJECTED,
        case,
        Purpose.PATIENT_REQUEST,
        outcome=Outcome.FAILED,
        detail={"code": code},
    )


@case_view(Perm.EDIT, audit=False)
def upload_document(request: AuthedRequest, case: Any) -> HttpResponse:
    if request.method == "POST":
        try:
            document = receive_upload(request, case)
        except UploadRefused as refused:
            return render(
                request, "cases/pages/upload.html", {"case": case, "form": refused.form}, status=400
            )
        messages.success(request, _("“%(name)s” was added to your case.") % {"name": document})
        return back_to_case(case, "documents")
    return render(request, "cases/pages/upload.html", {"case": case, "form": DocumentUploadForm()})


@login_required
def download_document(request: AuthedRequest, document_id: UUID) -> HttpResponseBase:
    try:
        document = queries.get_document(request.user, document_id, action=AuditAction.DOCUMENT_DOWNLOAD)
    except NotFound:
        raise Http404 from None
    return stored_file(
        document.storage_key, document.original_filename, document.detected_type, document.size
    )


@login_required
@require_POST
def delete_document(request: AuthedRequest, document_id: UUID) -> HttpResponse:
    try:
        document = queries.get_document(request.user, document_id, Perm.EDIT, action=None)
    except NotFound:
        raise Http404 from None
    actions.delete_document(request.user, document)
    messages.success(request, _("“%(name)s” was removed.") % {"name": document})
    return back_to_case(document.case, "documents")


@case_view(Perm.VIEW, audit=False)
def export_packet(request: AuthedRequest, case: Any) -> HttpResponseBase:
    packet = queries.packet(request.user, case)
    missing = [d for d in packet.documents if not storage.final_path(d.storage_key).exists()]
    if missing:  # better a clear message now than a ZIP that breaks off half-way
        messages.error(
            request,
            _(
                "We could not read “%(name)s”, so the packet cannot be made right now. "
                "Please try again later; if it keeps happening, contact support."
            )
            % {"name": missing[0]},
        )
        return back_to_case(case, "documents")
    record(request.user, AuditAction.PACKET_EXPORT, case, purpose_for(request.user, case, case))
    slug = "".join(ch if ch.isalnum() else "-" for ch in case.title)[:40].strip("-") or "case"
    return attachment(packet_zip(packet), f"secondopinion-{slug}.zip", "application/zip")
