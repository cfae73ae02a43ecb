"""Clinical terms a patient meets in an opinion, each with a short plain explanation.

The opinion pages show the explanation where the term appears (`{% term %}`, templatetags/terms.py) and
link to the glossary page (`/help/glossary/`), which lists them all. Plain words, the seeds' reading
level; no AJCC tables (copyrighted): we explain what the letters mean, never how a stage is worked out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

REGISTRY_URL = "https://clinicaltrials.gov/study/{nct}"
NCT_IN_TEXT = re.compile(r"\b[Nn][Cc][Tt]\d{8}\b")


@dataclass(frozen=True)
class Term:
    key: str
    name: Promise
    explanation: Promise


TERMS = (
    Term(
        "stage",
        _("Stage"),
        _("How big the cancer is and how far it has spread. Doctors use the stage to choose a treatment."),
    ),
    Term(
        "tnm",
        _("TNM"),
        _(
            "A short way to write the stage. T is the main tumor (its size), N is the lymph nodes nearby "
            "(whether cancer is in them), M is metastasis (whether it has spread to other parts of the body)."
        ),
    ),
    Term(
        "t",
        _("T category"),
        _(
            "The main tumor: how big it is and whether it has grown into nearby tissue. T1 is small, "
            "T4 large."
        ),
    ),
    Term(
        "n",
        _("N category"),
        _("The lymph nodes near the tumor. N0 means no cancer was found in them; N1 to N3 mean more nodes."),
    ),
    Term(
        "m",
        _("M category"),
        _("Metastasis. M0 means the cancer has not spread to distant parts of the body; M1 means it has."),
    ),
    Term(
        "prefix",
        _("c and p before T, N or M"),
        _(
            "A small c means the doctors judged it from exams and scans (clinical); a small p means from "
            "tissue removed in surgery and looked at under the microscope (pathologic)."
        ),
    ),
    Term(
        "stage_group",
        _("Stage group"),
        _(
            "T, N and M put together into one number, from 0 to IV (4). A higher number means the cancer "
            "is bigger or has spread further. Letters like A or B split a group into smaller steps."
        ),
    ),
    Term(
        "ajcc",
        _("AJCC"),
        _(
            "The American Joint Committee on Cancer. It writes the rules doctors use to give a stage. "
            "“AJCC 8th” means the 8th edition of those rules."
        ),
    ),
    Term(
        "icdo",
        _("ICD-O-3 code"),
        _(
            "An international code for cancer. A code like C50.4 says where in the body the cancer started; "
            "a code like 8500/3 says what kind of cells it is made of (the /3 means it is cancer that can "
            "spread)."
        ),
    ),
    Term(
        "grade",
        _("Grade"),
        _(
            "How different the cancer cells look from normal cells under the microscope. Grade 1 cells look "
            "closer to normal and tend to grow slowly; grade 3 cells look very different and tend to grow "
            "faster."
        ),
    ),
    Term(
        "intent",
        _("Intent of a treatment"),
        _(
            "What a treatment aims to do. Curative: to get rid of the cancer. Life-prolonging: to help you "
            "live longer. Symptom relief: to ease pain or other problems and help you feel better."
        ),
    ),
    Term(
        "nct",
        _("NCT number"),
        _(
            "The number of a clinical trial in the public U.S. registry, ClinicalTrials.gov. The link "
            "opens the trial's page there. Ask your doctor whether a trial could be right for you."
        ),
    ),
)
BY_KEY = {t.key: t for t in TERMS}


def registry_url(nct: str) -> str:
    """The public registry record of a trial: https://clinicaltrials.gov/study/NCT01234567."""
    return REGISTRY_URL.format(nct=nct.strip().upper())
