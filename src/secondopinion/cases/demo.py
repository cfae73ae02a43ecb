"""Demo data: invented people and an invented breast-cancer case (no real patient)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from secondopinion.accounts import actions as account_actions
from secondopinion.accounts.models import ClinicianProfile, Role, User
from secondopinion.cases import actions
from secondopinion.cases.models import Companion, DocumentKind
from secondopinion.core.uploads import upload_from_bytes

PASSWORD = "demo-password-2026"  # noqa: S105 - printed for the demo on purpose
PATIENT = "maria.lopez@demo.secondopinion.test"
COMPANION = "ana.lopez@demo.secondopinion.test"
CONSULTANT = "dr.chen@demo.secondopinion.test"
ADMIN = "admin@demo.secondopinion.test"
# Fixed so the printed secrets stay the same between runs of `make demo`.
_TOTP_KEYS = {
    CONSULTANT: "3f1c7a9e5b2d4f6081a3c5e7092b4d6f8a1c3e50",
    ADMIN: "7b2e4d6f8091a3c5e7f9021b3d5f7a9c1e3b5d70",
}


@dataclass
class DemoAccount:
    email: str
    role: str
    totp_secret: str = ""


def _report_pdf(title: str, lines: list[str]) -> bytes:
    from weasyprint import HTML

    body = "".join(f"<p>{line}</p>" for line in lines)
    html = (
        f"<html><body style='font-family: DejaVu Sans; font-size: 11pt'><h1>{title}</h1>"
        "<p><em>Invented document for the secondopinion demo. Not a real patient.</em></p>"
        f"{body}</body></html>"
    )
    return bytes(HTML(string=html).write_pdf())


def _dicom_bytes() -> bytes:
    from pydicom.data import get_testdata_file

    path = get_testdata_file("CT_small.dcm")
    with open(str(path), "rb") as handle:
        return handle.read()


def _user(email: str, name: str, role: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = account_actions.sign_up(
            email=email, password=PASSWORD, full_name=name, role=role, verified=True
        )
    return user


def _totp(user: User) -> str:
    key = _TOTP_KEYS[user.email]
    TOTPDevice.objects.get_or_create(user=user, name="demo", defaults={"key": key, "confirmed": True})
    return base64.b32encode(bytes.fromhex(key)).decode()


def current_totp(email: str) -> str:
    from django_otp.oath import totp

    device = TOTPDevice.objects.get(user__email=email, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


@transaction.atomic
def _case(patient: User) -> None:
    case = actions.create_case(patient, {"title": "My breast cancer (2026)", "subject": "self"})
    actions.update_case(
        patient,
        case,
        {
            "cancer_type": "Breast cancer (female)",  # from the list of cancer types
            "cancer_type_code": "8500/3",
            "body_site": "Left breast, upper outer quadrant",
            "body_site_code": "C50.4",
            "diagnosis_date": date.today() - timedelta(days=21),
            "treatment_received": [],
            "first_doctor_name": "Dr. Robert Hale",
            "first_doctor_specialty": "Surgical oncology",
            "first_doctor_institution": "Valley Community Hospital",
            "first_doctor_email": "r.hale@example.org",
        },  # the first doctor's diagnosis and plan: the first opinion (opinions/demo.py)
    )
    for name, dose, freq, supplement in [
        ("Letrozole", "2.5 mg", "once a day", False),
        ("Lisinopril", "10 mg", "once a day", False),
        ("Vitamin D3", "2000 IU", "once a day", True),
        ("Turmeric capsules", "500 mg", "twice a day", True),
    ]:
        actions.add_medicine(
            patient,
            case,
            {"name": name, "dose": dose, "frequency": freq, "since": None, "is_supplement": supplement},
        )
    for text in [
        "Is breast-conserving surgery (lumpectomy) with radiation an option for me?",
        "Should I have genomic testing (such as Oncotype DX) before deciding on chemotherapy?",
        "Are there clinical trials I could join?",
    ]:
        actions.add_question(patient, case, text)
    documents = [
        (
            _report_pdf(
                "Surgical pathology report",
                [
                    "Specimen: left breast, core needle biopsy, 2 o'clock.",
                    "Diagnosis: invasive ductal carcinoma, Nottingham grade 2 (3+2+2).",
                    "ER positive (95%), PR positive (60%), HER2 negative (IHC 1+).",
                    "Tumor size on imaging: 2.4 cm. Lymphovascular invasion: not identified.",
                ],
            ),
            "pathology-report.pdf",
            DocumentKind.PATHOLOGY_REPORT,
            "Pathology report (biopsy)",
        ),
        (
            _report_pdf(
                "Diagnostic mammogram and ultrasound",
                [
                    "Left breast: 2.4 cm irregular spiculated mass at 2 o'clock, BI-RADS 5.",
                    "Left axilla: no suspicious lymph nodes.",
                ],
            ),
            "imaging-report.pdf",
            DocumentKind.IMAGING_REPORT,
            "Mammogram and ultrasound report",
        ),
        (_dicom_bytes(), "chest-ct-slice.dcm", DocumentKind.IMAGING_STUDY, "Staging CT (one slice)"),
    ]
    for data, name, kind, title in documents:
        actions.add_document(
            patient,
            case,
            upload_from_bytes(data, name),
            kind=kind,
            title=title,
            document_date=date.today() - timedelta(days=20),
        )
    companion = Companion(
        email=COMPANION,
        name="Ana López",
        can_view=True,
        can_ask=True,
        expires_at=timezone.now() + timedelta(days=90),
    )
    actions.invite_companion(patient, case, companion)
    actions.accept_invitation(User.objects.get(email=COMPANION), companion)


def load() -> tuple[bool, list[DemoAccount]]:
    """Create the demo accounts and case once; returns (created, accounts)."""
    created = not User.objects.filter(email=PATIENT).exists()
    patient = _user(PATIENT, "María López", Role.PATIENT)
    _user(COMPANION, "Ana López", Role.COMPANION)
    consultant = _user(CONSULTANT, "Dr. Wei Chen", Role.CONSULTANT)
    admin = _user(ADMIN, "Demo Administrator", Role.ADMIN)
    if not hasattr(consultant, "clinician_profile"):
        profile = ClinicianProfile.objects.create(
            user=consultant,
            npi="1234567893",
            licence_state="MA",
            specialty="Medical oncology",
            institution="Demo Comprehensive Cancer Center",
        )
        account_actions.review_clinician(admin, profile, True, "demo")
    accounts = [
        DemoAccount(PATIENT, "patient"),
        DemoAccount(COMPANION, "companion"),
        DemoAccount(CONSULTANT, "consultant (verified)", _totp(consultant)),
        DemoAccount(ADMIN, "admin", _totp(admin)),
    ]
    if created:
        _case(patient)
    return created, accounts


def describe(accounts: list[DemoAccount]) -> Any:
    yield f"Demo accounts (password for all: {PASSWORD})"
    for account in accounts:
        line = f"  {account.role:<22} {account.email}"
        if account.totp_secret:
            line += f"   TOTP secret {account.totp_secret}"
        yield line
    yield "  Current two-step code: .venv/bin/secondopinion demo totp EMAIL"
