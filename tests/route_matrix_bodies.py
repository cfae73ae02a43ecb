"""What each write in the route matrix sends: valid input, so that a refusal can only come from access.

Split out of tests/test_route_matrix.py, which sends these bodies; keyed by (route key, method).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import unique_pdf
from tests.route_matrix_world import editor_post, opinion_content

if TYPE_CHECKING:
    from tests.test_route_matrix import World

TRIAGE_ANSWERS = {"cancer_type": "lung cancer"}


def _pdf(_: World) -> dict[str, Any]:
    return {
        "kind": "lab_result",
        "file": SimpleUploadedFile("labs.pdf", unique_pdf("upload"), "application/pdf"),
    }


REASON = "Please have the slides sent."
# Signing needs the clinician's class for every dimension (issue 11, item 3).
SIGN_STATED = {"diagnosis": "confirmed", "stage": "confirmed", "treatment": "changed"}
CONSULT_FORM_BODIES: dict[tuple[str, str], Callable[[World], dict[str, Any]]] = {
    ("consults:new", "POST"): lambda w: {
        "kind": "pathology_review",
        "target": f"program:{w.extra['program'].pk}",
        "reasons_text": "I am unsure.",
        "documents": [w.ids["document_id"]],
        "consent_days": "90",
    },
    ("consults:move", "POST"): lambda w: {"target": "on-hold", "reason": REASON},
    ("consults:post_message", "POST"): lambda w: {"body": "Is the scan readable?"},
    ("consults:consent", "POST"): lambda w: {"documents": [w.ids["document_id"]], "consent_days": "30"},
    ("consults:assign", "POST"): lambda w: {"consultant": w.extra["consultant"].pk},
    ("consults:propose_slots", "POST"): lambda w: {
        "slots-TOTAL_FORMS": "1",
        "slots-INITIAL_FORMS": "0",
        "slots-MIN_NUM_FORMS": "1",
        "slots-MAX_NUM_FORMS": "5",
        "slots-0-starts_at": "2031-03-04T10:00",
        "slots-0-minutes": "45",
        "slots-0-mode": "visit",
        "slots-0-place": "Room 4",
    },
    ("consults:request_material", "POST"): lambda w: {"material": "blocks"},
    ("consults:advance_shipment", "POST"): lambda w: {
        "state": "shipped",
        "carrier": "UPS",
        "tracking": "1Z9",
    },
    ("consults:flag_urgent", "POST"): lambda w: {"note": "Please call your doctor today."},
    ("opinions:edit", "POST"): lambda w: editor_post(w.extra["request"]),
    ("opinions:review", "POST"): lambda w: {f"stated_{d}": c for d, c in SIGN_STATED.items()},
    ("opinions:addendum", "POST"): lambda w: {"text": "One more thing."},
    ("opinions:first", "POST"): lambda w: {
        "cancer_type": "Breast cancer (female)",
        "stage_text": "IIA",
        "modalities": ["surgery"],
        "preferred": "surgery",
    },
    ("opinions:codes", "POST"): lambda w: {"site": "C50.4", "histology": "8500/3", "group": "IIA"},
    ("opinions:decision", "POST"): lambda w: {"treating_doctor": "Dr Second", "follows_advice": "yes"},
}
CONSULT_JSON_BODIES: dict[tuple[str, str], Callable[[World], dict[str, Any]]] = {
    ("api/v1/cases/<case_id>/requests", "POST"): lambda w: {
        "kind": "pathology_review",
        "program_id": str(w.extra["program"].pk),
    },
    ("api/v1/requests/<request_id>/transition", "POST"): lambda w: {"target": "on-hold", "reason": REASON},
    ("api/v1/requests/<request_id>/messages", "POST"): lambda w: {"body": "Is the scan readable?"},
    ("api/v1/requests/<request_id>/consent", "POST"): lambda w: {
        "document_ids": [str(w.ids["document_id"])],
        "days": 30,
    },
    ("api/v1/requests/<request_id>/opinion", "PUT"): lambda w: {
        "content": opinion_content(w.extra["request"]),
        "stated_change": {"treatment": "changed"},
    },
    ("api/v1/cases/<case_id>/decisions", "POST"): lambda w: {"treating_doctor": "Dr Second"},
    ("api/v1/requests/<request_id>/opinion/sign", "POST"): lambda w: {"stated_change": dict(SIGN_STATED)},
}
FORM_BODIES: dict[tuple[str, str], Callable[[World], dict[str, Any]]] = {
    ("accounts:review_clinician", "POST"): lambda w: {"decision": "approve", "note": ""},
    ("cases:edit", "POST"): lambda w: {"title": "Renamed", "subject": "self"},
    ("cases:diagnosis", "POST"): lambda w: {"cancer_type": "Breast cancer", "body_site": "Left breast"},
    ("cases:add_medicine", "POST"): lambda w: {"name": "Vitamin D", "is_supplement": "on"},
    ("cases:edit_medicine", "POST"): lambda w: {"name": "Tamoxifen", "dose": "10 mg"},
    ("cases:add_question", "POST"): lambda w: {"text": "Should I see a radiation oncologist?"},
    ("cases:edit_question", "POST"): lambda w: {"text": "Is surgery really the only option?"},
    ("cases:upload", "POST"): _pdf,
    ("cases:companions", "POST"): lambda w: {"email": "sister@example.test", "can_view": "on", "days": "30"},
    ("triage:case", "POST"): lambda w: dict(TRIAGE_ANSWERS),
    ("api/v1/cases/<case_id>/documents", "POST"): _pdf,
    **CONSULT_FORM_BODIES,
}
JSON_BODIES: dict[tuple[str, str], dict[str, Any] | Callable[[World], dict[str, Any]]] = {
    ("api/v1/cases", "POST"): {"title": "A new case"},
    ("api/v1/cases/<case_id>", "PATCH"): {"cancer_type": "Breast cancer", "body_site": "Left breast"},
    ("api/v1/cases/<case_id>/medicines", "POST"): {"name": "Letrozole", "dose": "2.5 mg"},
    ("api/v1/medicines/<medicine_id>", "PATCH"): {"dose": "10 mg"},
    ("api/v1/cases/<case_id>/questions", "POST"): {"text": "What are the side effects?"},
    ("api/v1/questions/<question_id>", "PATCH"): {"text": "Is surgery really the only option?"},
    ("api/v1/triage", "POST"): TRIAGE_ANSWERS,
    ("api/v1/cases/<case_id>/triage", "POST"): TRIAGE_ANSWERS,
    **CONSULT_JSON_BODIES,
}
