"""Demo data for the outcome figures: generated patients, each with one case and one completed request in
the demo program, answered by generated consultants over the last months, so that the charts have
something to show. Everything here is invented and says so: the accounts are named "Generated demo …",
their addresses are generated-…@demo.secondopinion.test and they cannot sign in (no password).

The same seed gives the same data; loading twice adds nothing (the first generated patient marks it).
Each request goes through the actions (audit rows, content validation, the state machine); its dates are
then moved into the past (opinions.demo.backdate).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from secondopinion.accounts import actions as account_actions
from secondopinion.accounts.models import ClinicianProfile, Role, User
from secondopinion.cases import actions as case_actions
from secondopinion.cases.demo import ADMIN
from secondopinion.consults import actions as consult_actions
from secondopinion.consults.demo import COORDINATOR, PROGRAM
from secondopinion.consults.models import Program
from secondopinion.consults.transitions import Actor, Status
from secondopinion.opinions import actions as opinion_actions
from secondopinion.opinions.demo import Timeline, answer, backdate, open_request, quiet_mail

SEED = 2026
COUNT = 60  # completed requests, one per generated patient
WAITING = 2  # and requests just sent, waiting in the coordinator's queue
DOMAIN = "demo.secondopinion.test"
CLASSES = ("confirmed", "refined", "changed")
# Roughly the shares of the published series (Meyer et al. 2015): most opinions confirm the diagnosis,
# a third or more change the treatment.
WEIGHTS = {"diagnosis": (62, 23, 15), "stage": (55, 30, 15), "treatment": (38, 25, 37)}


def patient_email(number: int) -> str:
    return f"generated-patient-{number:02d}@{DOMAIN}"


def consultant_email(number: int) -> str:
    return f"generated-consultant-{number}@{DOMAIN}"


@dataclass(frozen=True)
class Profile:
    """One cancer type: the first doctor's view and, per class, what a second opinion says instead."""

    cancer_type: str  # a name of the cancer-type list (core/reference/data/us_cancer_incidence.csv)
    site: str  # ICD-O-3 topography category, as the list gives it
    subsite: str  # a more precise code of the same category (a refinement)
    histology: tuple[str, str]  # (code, words) of the first opinion
    other_histology: tuple[str, str]  # another morphology (a changed diagnosis)
    stages: tuple[str, str, str]  # first group, a refined group (same Roman numeral), a changed group
    plans: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]  # first, refined, changed modalities
    weight: int


PROFILES = (
    Profile(
        "Breast cancer (female)",
        "C50",
        "C50.4",
        ("8500/3", "Invasive ductal carcinoma"),
        ("8520/3", "Invasive lobular carcinoma"),
        ("IIA", "IIB", "IIIA"),
        (
            ("surgery", "hormone_therapy"),
            ("surgery", "radiation", "hormone_therapy"),
            ("chemotherapy", "surgery"),
        ),
        30,
    ),
    Profile(
        "Lung cancer",
        "C34",
        "C34.1",
        ("8140/3", "Adenocarcinoma"),
        ("8070/3", "Squamous cell carcinoma"),
        ("IB", "IA", "IIIA"),
        (("surgery",), ("surgery", "chemotherapy"), ("radiation", "chemotherapy")),
        20,
    ),
    Profile(
        "Colorectal cancer",
        "C18",
        "C18.7",
        ("8140/3", "Adenocarcinoma"),
        ("8480/3", "Mucinous adenocarcinoma"),
        ("IIA", "IIB", "IIIB"),
        (("surgery",), ("surgery", "chemotherapy"), ("chemotherapy", "radiation", "surgery")),
        15,
    ),
    Profile(
        "Prostate cancer",
        "C61",
        "C61.9",
        ("8140/3", "Adenocarcinoma"),
        ("8041/3", "Small cell carcinoma"),
        ("IIB", "IIC", "IIIA"),
        (("surgery",), ("surgery", "hormone_therapy"), ("active_surveillance",)),
        15,
    ),
    Profile(
        "Melanoma (skin)",
        "C44",
        "C44.5",
        ("8720/3", "Malignant melanoma"),
        ("8743/3", "Superficial spreading melanoma"),
        ("IIA", "IIB", "IIIB"),
        (("surgery",), ("surgery", "immunotherapy"), ("immunotherapy", "surgery")),
        10,
    ),
    Profile(
        "Pancreatic cancer",
        "C25",
        "C25.0",
        ("8500/3", "Ductal adenocarcinoma"),
        ("8246/3", "Neuroendocrine carcinoma"),
        ("IB", "IA", "IIB"),
        (("surgery", "chemotherapy"), ("surgery", "chemotherapy", "radiation"), ("chemotherapy", "surgery")),
        10,
    ),
)


@dataclass(frozen=True)
class Plan:
    """What one generated request will hold: drawn from the seed, before anything is written."""

    number: int
    profile: Profile
    classes: dict[str, str]  # the class each dimension is built to compare as
    stated: dict[str, str]  # what the consultant states (now and then not the computed class)
    kind: str
    days_ago: int
    turnaround_days: float
    follows: str | None  # the patient's decision, or None when they have not recorded one


def plans(count: int = COUNT, seed: int = SEED) -> list[Plan]:
    """The generated requests, the same for the same seed (pure: no database)."""
    rng = random.Random(seed)  # noqa: S311 - invented demo data, the same for the same seed
    result = []
    for number in range(1, count + 1):
        profile = rng.choices(PROFILES, weights=[p.weight for p in PROFILES])[0]
        classes = {d: rng.choices(CLASSES, weights=w)[0] for d, w in WEIGHTS.items()}
        stated = dict(classes)
        if rng.random() < 0.1:  # the clinician weighs it differently from the structured fields
            dimension = rng.choice(tuple(WEIGHTS))
            stated[dimension] = {"confirmed": "refined", "refined": "changed", "changed": "refined"}[
                classes[dimension]
            ]
        result.append(
            Plan(
                number=number,
                profile=profile,
                classes=classes,
                stated=stated,
                kind="pathology_review" if rng.random() < 0.2 else "independent_specialist",
                days_ago=rng.randint(8, 180),
                turnaround_days=round(rng.uniform(2.0, 9.5), 1),
                follows=rng.choices(("yes", "partly", "no", None), weights=(45, 20, 12, 23))[0],
            )
        )
    return result


def _option(modalities: tuple[str, ...]) -> dict[str, Any]:
    return {"modalities": list(modalities), "intent": "curative", "preferred": True}


def first_content(profile: Profile) -> dict[str, Any]:
    """The first doctor's opinion as the patient entered it (the list gives the site code), with the
    histology a clinician coded from the report."""
    group = profile.stages[0]
    return {
        "diagnosis": {
            "site_text": profile.cancer_type,
            "site": profile.site,
            "histology": profile.histology[0],
            "histology_text": profile.histology[1],
            "grade": "2",
        },
        "stage": {"as_written": group, "group": group},
        "treatment": {"options": [_option(profile.plans[0])]},
    }


def second_content(plan: Plan, questions: list[Any]) -> dict[str, Any]:
    """The consultant's opinion, built so that each dimension compares as `plan.classes` says."""
    profile, classes = plan.profile, plan.classes
    histology, site, grade = profile.histology, profile.site, "2"
    if classes["diagnosis"] == "changed":
        histology = profile.other_histology
    elif classes["diagnosis"] == "refined":
        site, grade = (profile.subsite, "2") if plan.number % 2 else (profile.site, "3")
    stage = profile.stages[CLASSES.index(classes["stage"])]
    modalities = profile.plans[CLASSES.index(classes["treatment"])]
    content: dict[str, Any] = {
        "diagnosis": {
            "site": site,
            "site_text": profile.cancer_type,
            "histology": histology[0],
            "histology_text": histology[1],
            "grade": grade,
        },
        "stage": {"group": stage},
        "treatment": {"options": [_option(modalities)]},
        "clinical_trials": [],
        "answers": [
            {
                "question_id": str(q.pk),
                "question": q.text,
                "answer": "Generated demo answer: we went through your records and wrote down our advice.",
                "discuss_in_person": False,
            }
            for q in questions
        ],
        "summary_plain": "Generated demo opinion, made up for the outcome figures.",
        "clinical_note": "",
    }
    if plan.kind == "pathology_review":
        concordance = "agree" if classes["diagnosis"] == "confirmed" else "major_discrepancy"
        content["pathology"] = {"concordance": concordance, "revised_diagnosis": None, "further_tests": None}
    return content


def _account(email: str, name: str, role: str) -> User:
    """A generated account without a password: it exists for the figures, nobody signs in with it."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email, None, full_name=name, role=role, email_verified_at=timezone.now()
        )
    return user


def _consultants(program: Program) -> list[User]:
    admin = User.objects.get(email=ADMIN)
    consultants = []
    for number, specialty in enumerate(("Medical oncology", "Surgical oncology", "Pathology"), start=1):
        user = _account(consultant_email(number), f"Generated demo consultant {number}", Role.CONSULTANT)
        if not hasattr(user, "clinician_profile"):
            profile = ClinicianProfile.objects.create(
                user=user,
                npi="1234567893",
                licence_state="MA",
                specialty=specialty,
                institution="Demo Comprehensive Cancer Center",
            )
            account_actions.review_clinician(admin, profile, True, "generated demo account")
            user.refresh_from_db()
        program.consultants.add(user)
        consultants.append(user)
    return consultants


def _generated_case(number: int, profile: Profile) -> tuple[User, Any, list[Any]]:
    patient = _account(patient_email(number), f"Generated demo patient {number:02d}", Role.PATIENT)
    case = case_actions.create_case(
        patient, {"title": f"Generated demo case {number:02d}", "subject": "self"}
    )
    case_actions.update_case(patient, case, {"cancer_type": profile.cancer_type})
    question = case_actions.add_question(patient, case, "Do you agree with my doctor's plan?")
    opinion_actions.save_first_opinion(patient, case, first_content(profile))
    return patient, case, [question]


def _completed(plan: Plan, program: Program, coordinator: User, consultants: list[User]) -> None:
    patient, case, questions = _generated_case(plan.number, plan.profile)
    consultant = consultants[2] if plan.kind == "pathology_review" else consultants[plan.number % 2]
    request = open_request(
        patient=patient,
        case=case,
        program=program,
        coordinator=coordinator,
        consultant=consultant,
        kind=plan.kind,
        questions=questions,
        documents=[],
    )
    opinion = answer(request, consultant, lambda asked: second_content(plan, asked), plan.stated)
    now = timezone.now()
    timeline = Timeline(now - timedelta(days=plan.days_ago), plan.turnaround_days)
    backdate(request, opinion, timeline)
    if plan.follows is not None:
        decided = min(timeline.at()[Status.COMPLETED] + timedelta(days=4), now)
        data = {
            "treating_doctor": "Generated demo doctor",
            "follows_advice": plan.follows,
            "created_at": decided,
        }
        opinion_actions.record_decision(patient, case, data, opinion)


def _waiting(plan: Plan, program: Program) -> None:
    """A request just sent, not yet assigned: it waits in the coordinator's queue."""
    patient, case, questions = _generated_case(plan.number, plan.profile)
    request = consult_actions.create_request(patient, case, kind=plan.kind, program=program)
    consult_actions.submit(patient, request, {Actor.PATIENT}, questions)


def load_demo_outcomes(count: int = COUNT, seed: int = SEED) -> int:
    """Create the generated requests once; returns how many completed requests were added (0 if present)."""
    with quiet_mail():  # around the transaction: its e-mails go out when it commits
        return _load(count, seed)


@transaction.atomic
def _load(count: int, seed: int) -> int:
    program = Program.objects.filter(name=PROGRAM).first()
    coordinator = User.objects.filter(email=COORDINATOR).first()
    if program is None or coordinator is None or User.objects.filter(email=patient_email(1)).exists():
        return 0
    consultants = _consultants(program)
    generated = plans(count + WAITING, seed)
    for plan in generated[:count]:
        _completed(plan, program, coordinator, consultants)
    for plan in generated[count:]:
        _waiting(plan, program)
    return count
