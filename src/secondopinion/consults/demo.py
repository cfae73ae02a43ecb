"""Demo data for requests: an invented second-opinion program and its coordinator."""

from __future__ import annotations

import base64

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from secondopinion.accounts import actions as account_actions
from secondopinion.accounts.models import ClinicianProfile, Role, User
from secondopinion.cases.demo import ADMIN, CONSULTANT, PASSWORD, DemoAccount
from secondopinion.consults.models import Kind, Program

COORDINATOR = "coordinator@demo.secondopinion.test"
PROGRAM = "Demo Comprehensive Cancer Center — Second Opinion Program"
_COORDINATOR_TOTP_KEY = "5d2a8c4e6f1b3d5f7092a4c6e8f0b1d3f5a7c9e1"  # fixed: same secret between runs


@transaction.atomic
def load_demo_program() -> list[DemoAccount]:
    """Create (once) the demo program with Dr. Chen as consultant and a verified coordinator.

    Call after `cases.demo.load()` (it creates Dr. Chen and the admin). Returns the accounts to print.
    """
    coordinator = User.objects.filter(email=COORDINATOR).first()
    if coordinator is None:
        coordinator = account_actions.sign_up(
            email=COORDINATOR, password=PASSWORD, full_name="Sam Rivera", role=Role.COORDINATOR, verified=True
        )
    if not hasattr(coordinator, "clinician_profile"):
        profile = ClinicianProfile.objects.create(
            user=coordinator,
            npi="1234567893",
            licence_state="MA",
            specialty="Program coordination",
            institution="Demo Comprehensive Cancer Center",
        )
        admin = User.objects.filter(email=ADMIN).first()
        if admin is not None:
            account_actions.review_clinician(admin, profile, True, "demo")
        else:
            profile.status = ClinicianProfile.Status.APPROVED
            profile.save(update_fields=["status"])
    TOTPDevice.objects.get_or_create(
        user=coordinator, name="demo", defaults={"key": _COORDINATOR_TOTP_KEY, "confirmed": True}
    )
    program, _created = Program.objects.get_or_create(
        name=PROGRAM,
        defaults={
            "institution": "Demo Comprehensive Cancer Center",
            "description": "Invented program for the demo: cancer specialists review your records.",
            "fee_notes": "Invented: $750 for a records review; no charge for the first message.",
            "insurance_notes": "Invented: many plans pay for second opinions; call your insurer first.",
            "turnaround_days": 5,
            "kinds": [str(k) for k in Kind],
        },
    )
    program.coordinators.add(coordinator)
    consultant = User.objects.filter(email=CONSULTANT).first()
    if consultant is not None:
        program.consultants.add(consultant)
    secret = base64.b32encode(bytes.fromhex(_COORDINATOR_TOTP_KEY)).decode()
    return [DemoAccount(COORDINATOR, "program coordinator", secret)]
