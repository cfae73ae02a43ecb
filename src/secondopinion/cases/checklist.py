"""The "what to bring" check: what the seed documents say to bring to a second opinion."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from secondopinion.cases.models import DocumentKind

RESULT_KINDS = frozenset(
    {
        DocumentKind.IMAGING_REPORT,
        DocumentKind.IMAGING_STUDY,
        DocumentKind.LAB_RESULT,
        DocumentKind.SLIDE_IMAGE,
    }
)


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    label: str | Promise
    present: bool
    why: str | Promise
    optional: bool = False


def build_checklist(
    *,
    document_kinds: Iterable[str],
    medicine_count: int,
    has_first_diagnosis: bool,
    has_first_plan: bool,
    question_count: int,
    companion_count: int,
) -> list[ChecklistItem]:
    kinds = set(document_kinds)
    return [
        ChecklistItem(
            "pathology_report",
            _("Pathology report"),
            DocumentKind.PATHOLOGY_REPORT in kinds,
            _("The pathology report says what kind of cancer it is. A second doctor needs it first."),
        ),
        ChecklistItem(
            "test_results",
            _("Imaging and other test results"),
            bool(kinds & RESULT_KINDS),
            _("Scans and lab results show where the cancer is and how far it has spread."),
        ),
        ChecklistItem(
            "medicines",
            _("All your medicines, including vitamins and supplements"),
            medicine_count > 0,
            _("Some medicines and supplements change which treatments are safe for you."),
        ),
        ChecklistItem(
            "first_opinion",
            _("Your first doctor's diagnosis and treatment plan"),
            has_first_diagnosis and has_first_plan,
            _("The second doctor compares their view with your first doctor's plan."),
        ),
        ChecklistItem(
            "questions",
            _("Your questions"),
            question_count > 0,
            _("Writing questions down helps you get every answer you need."),
        ),
        ChecklistItem(
            "companion",
            _("A family member or friend (optional)"),
            companion_count > 0,
            _("Someone with you can listen, take notes and help you remember."),
            optional=True,
        ),
    ]


def is_complete(items: list[ChecklistItem]) -> bool:
    return all(item.present for item in items if not item.optional)
