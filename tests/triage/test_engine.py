"""Table-driven tests of the triage rules (issue 4): answers and threshold in, codes out."""

from __future__ import annotations

import csv
import math

import pytest

from secondopinion.core.reference import INCIDENCE_CSV, cancer_types, find_cancer_type
from secondopinion.triage.engine import REASONS, TriageInputError, run_triage, thresholds_from_settings

CHANNEL = {
    "PR": "pathology_review",
    "IS": "independent_specialist",
    "TB": "tumor_board",
    "RE": "renowned_expert",
}
RARE = (
    "rare_cancer",
    "PR IS RE",
    "pathology",
)  # what a rare type alone gives: reasons, channels, specialties
EVERYTHING = {
    "cancer_type": "glioblastoma",
    "age": 9,
    "metastatic": True,
    "pathology_definite": False,
    "results_unclear": True,
    "options_considered": ["surgery", "radiation", "chemotherapy"],
    "unsure_about_options": True,
    "doctor_experience": "none",
    "comfortable": False,
    "already_treated": True,
}
NULLS = dict.fromkeys(["age", "metastatic", "pathology_definite", "results_unclear", "options_considered"])
NULLS |= dict.fromkeys(["unsure_about_options", "doctor_experience", "comfortable", "already_treated", "zip"])


def row(name, answers, expected=("", "IS", ""), threshold=15):
    """One scenario: answers (a bare string is just the cancer type) and the expected reasons, channels (short
    names, in order) and specialties, each a space-separated string."""
    answers = {"cancer_type": answers} if isinstance(answers, str) else answers
    reasons, channels, specialties = (part.split() for part in expected)
    return pytest.param(answers, threshold, reasons, [CHANNEL[c] for c in channels], specialties, id=name)


def lung(**answers):
    return {"cancer_type": "lung cancer", **answers}


SO, SU, RA = "several_options", "surgical_oncology", "radiation_oncology"
SCENARIOS = [
    # cancer-type matching: everyday name, synonym, OncoTree code, any case, accents and punctuation
    row("common-breast", "breast cancer"),
    row("common-lung", "Lung cancer"),
    row("oncotree-code", "PRAD"),
    row("oncotree-code-lowercase", "coadread"),
    row("synonym", "NSCLC"),
    row("name-case-punctuation", "  MELANOMA   skin "),
    row("code-brca-is-female-breast", "BRCA"),
    row("male-breast-rare", "male breast cancer", RARE),
    row("accent-synonym", "Waldenström's macroglobulinemia", RARE),
    row("apostrophe-synonym", "Wilms' tumour", RARE),
    row("brain-tumor-first-row", "brain tumor", RARE),
    # rare_cancer by incidence, and the threshold (US 15, RARECARE 6, strict "fewer than")
    row("rare-glioblastoma-age-adjusted", "glioblastoma", RARE),
    row("rare-mycosis-synonym-mf", "MF", RARE),
    row("rare-kaposi-published-rate", "Kaposi sarcoma", RARE),
    row("rare-ewing", "Ewing sarcoma", RARE),
    row("thyroid-rare-us", "thyroid cancer", RARE),
    row("thyroid-not-rare-rarecare", "thyroid cancer", threshold=6),
    row("ovary-rare-rarecare", "ovarian cancer", RARE, threshold=6),
    row("cll-not-rare-rarecare", "CLL", threshold=6),
    row("glioblastoma-rare-rarecare", "GB", RARE, threshold=6),
    row("rate-equal-threshold-not-rare", "thyroid cancer", threshold=12.94),
    row("rate-just-below-threshold", "thyroid cancer", RARE, threshold=12.95),
    row("high-threshold-breast-rare", "breast cancer", RARE, threshold=100),
    # children
    row("child-10", {"cancer_type": "breast cancer", "age": 10}, RARE),
    row("age-17.9", lung(age=17.9), RARE),
    row("newborn", lung(age=0), RARE),
    row("age-18-adult", lung(age=18)),
    row("age-70", lung(age=70)),
    row("child-rarecare", {"cancer_type": "thyroid cancer", "age": 15}, RARE, threshold=6),
    # inexperienced_doctor
    row("doctor-few", lung(doctor_experience="few"), ("inexperienced_doctor", "IS", "")),
    row("doctor-none", lung(doctor_experience="none"), ("inexperienced_doctor", "IS", "")),
    row("doctor-few-any-case", lung(doctor_experience=" Few "), ("inexperienced_doctor", "IS", "")),
    row("doctor-unknown", lung(doctor_experience="unknown")),
    row("doctor-many", lung(doctor_experience="many")),
    # several_options, and the specialties of the options on the table
    row("one-option-surgery", lung(options_considered=["surgery"]), ("", "IS", SU)),
    row("one-option-radiation", lung(options_considered=["radiation"]), ("", "IS", RA)),
    row("surgery-radiation", lung(options_considered=["surgery", "radiation"]), (SO, "IS TB", f"{RA} {SU}")),
    row(
        "surveillance-counts", lung(options_considered=["surgery", "active_surveillance"]), (SO, "IS TB", SU)
    ),
    row("surveillance-alone", lung(options_considered=["active_surveillance"])),
    row(
        "all-medicines-one-specialty",
        lung(options_considered=["chemotherapy", "hormone_therapy", "immunotherapy", "targeted_therapy"]),
        (SO, "IS TB", "medical_oncology"),
    ),
    row("immunotherapy-alone", lung(options_considered=["immunotherapy"]), ("", "IS", "medical_oncology")),
    row("duplicate-option-counts-once", lung(options_considered=["surgery", "surgery"]), ("", "IS", SU)),
    row(
        "option-spelling-tolerated",
        lung(options_considered=["Hormone therapy", "targeted-therapy"]),
        (SO, "IS TB", "medical_oncology"),
    ),
    row("empty-options", lung(options_considered=[])),
    row("unsure-alone", lung(unsure_about_options=True), (SO, "IS TB", "")),
    row("sure-one-option", lung(unsure_about_options=False, options_considered=["surgery"]), ("", "IS", SU)),
    # unclear_results, not_comfortable, pathology_not_definite, metastatic, already_treated
    row(
        "results-unclear", lung(results_unclear=True), ("unclear_results", "PR IS TB", "pathology radiology")
    ),
    row("results-clear", lung(results_unclear=False)),
    row("not-comfortable", lung(comfortable=False), ("not_comfortable", "IS", "")),
    row("comfortable", lung(comfortable=True)),
    row(
        "pathology-not-definite",
        lung(pathology_definite=False),
        ("pathology_not_definite", "PR IS", "pathology"),
    ),
    row("pathology-definite", lung(pathology_definite=True)),
    row("metastatic", lung(metastatic=True), ("metastatic", "PR IS TB", "pathology")),
    row("not-metastatic", lung(metastatic=False)),
    row("already-treated-no-reason", lung(already_treated=True)),
    # missing keys assert nothing; null is missing
    row("nulls-assert-nothing", lung(**NULLS)),
    row("empty-zip-is-missing", lung(zip="  ")),
    # combinations
    row(
        "everything",
        EVERYTHING,
        (" ".join(REASONS), "PR IS TB RE", f"medical_oncology pathology {RA} radiology {SU}"),
    ),
    row(
        "rare-and-options",
        {"cancer_type": "chordoma", "options_considered": ["surgery", "radiation"]},
        (f"rare_cancer {SO}", "PR IS TB RE", f"pathology {RA} {SU}"),
    ),
    row(
        "unclear-and-metastatic-order",
        lung(metastatic=True, results_unclear=True),
        ("unclear_results metastatic", "PR IS TB", "pathology radiology"),
    ),
    row(
        "doctor-and-comfort-order",
        lung(comfortable=False, doctor_experience="few"),
        ("inexperienced_doctor not_comfortable", "IS", ""),
    ),
    row(
        "pathology-and-options",
        lung(pathology_definite=False, options_considered=["radiation", "chemotherapy"]),
        (f"{SO} pathology_not_definite", "PR IS TB", f"medical_oncology pathology {RA}"),
    ),
    row(
        "child-options",
        {"cancer_type": "osteosarcoma", "age": 12, "options_considered": ["surgery", "chemotherapy"]},
        (f"rare_cancer {SO}", "PR IS TB RE", f"medical_oncology pathology {SU}"),
    ),
    row(
        "metastatic-rare-rarecare-off",
        {"cancer_type": "thyroid cancer", "metastatic": True, "unsure_about_options": True},
        (f"{SO} metastatic", "PR IS TB", "pathology"),
        threshold=6,
    ),
]


@pytest.mark.parametrize(("answers", "threshold", "reasons", "channels", "specialties"), SCENARIOS)
def test_scenario(answers, threshold, reasons, channels, specialties):
    result = run_triage(answers, rare_threshold=threshold)
    assert result["reasons"] == reasons
    assert result["channels"] == channels
    assert result["specialties"] == specialties
    assert result["recommendation"] == ("strongly_suggested" if reasons else "optional")
    if "rare_cancer" in reasons:
        assert result["rare"]["threshold"] == threshold
    else:
        assert result["rare"] is None
    assert result["rural"] is None and result["nearest_centers"] == []
    expected_texts = {result["recommendation"], *reasons, *channels, *specialties}
    if answers.get("already_treated"):
        expected_texts.add("already_treated")
    assert set(result["explanations"]) == expected_texts
    assert all(isinstance(t, str) and len(t) > 30 for t in result["explanations"].values())


def test_there_are_at_least_fifty_scenarios_with_unique_ids():
    assert len(SCENARIOS) >= 50
    assert len({param.id for param in SCENARIOS}) == len(SCENARIOS)


def test_rare_by_incidence_cites_the_table_row():
    rare = run_triage({"cancer_type": "GIST"})["rare"]
    assert rare["incidence_per_100k"] == 1.47 and rare["threshold"] == 15.0 and rare["basis"] == "incidence"
    assert "'Gastrointestinal stromal tumor'" in rare["source"] and "crude rate" in rare["source"]
    assert "Cancer.Net" in rare["source"] or "ACS" in rare["source"] or "cancer.org" in rare["source"].lower()


def test_rare_for_a_row_without_crude_rate_uses_age_adjusted_rate():
    rare = run_triage({"cancer_type": "glioblastoma"})["rare"]
    assert rare["incidence_per_100k"] == 3.22
    assert "age-adjusted" in rare["source"] and "CBTRUS" in rare["source"]


def test_rare_by_age_still_reports_incidence():
    result = run_triage({"cancer_type": "breast cancer", "age": 16})
    assert result["rare"]["basis"] == "age" and result["rare"]["incidence_per_100k"] == 93.19
    assert "under 18" in result["explanations"]["rare_cancer"]


def test_child_with_rare_type_has_incidence_basis():
    assert run_triage({"cancer_type": "neuroblastoma", "age": 3})["rare"]["basis"] == "incidence"


def test_rare_explanation_names_rate_and_threshold():
    text = run_triage({"cancer_type": "thyroid cancer"}, rare_threshold=15)["explanations"]["rare_cancer"]
    assert "12.9" in text and "fewer than 15" in text
    low = run_triage({"cancer_type": "chordoma"}, rare_threshold=6)["explanations"]["rare_cancer"]
    assert "less than 1 new case" in low and "fewer than 6" in low


def test_recommendation_text_always_says_right_welcome_and_after_treatment():
    for answers in ({"cancer_type": "lung cancer"}, EVERYTHING):
        result = run_triage(answers)
        text = result["explanations"][result["recommendation"]]
        assert "your right" in text and "welcome" in text and "after your treatment has started" in text


def test_nearest_centers_new_york():
    result = run_triage({"cancer_type": "lung cancer", "zip": "10001"})
    names = [c["name"] for c in result["nearest_centers"]]
    assert names == [
        "Laura and Isaac Perlmutter Cancer Center at NYU Langone Health",
        "Memorial Sloan Kettering Cancer Center",
        "Mount Sinai Tisch Cancer Center",
    ]
    assert [c["distance_miles"] for c in result["nearest_centers"]] == [1.0, 2.1, 4.0]
    assert {c["type"] for c in result["nearest_centers"]} == {"Comprehensive"}
    assert result["rural"] is False and "rural" not in result["explanations"]
    assert "nearest_centers" in result["explanations"]


def test_rural_montana_and_the_rural_setting():
    result = run_triage({"cancer_type": "lung cancer", "zip": "59001"})
    assert result["rural"] is True
    assert result["nearest_centers"][0] == {
        "name": "Huntsman Cancer Institute",
        "type": "Comprehensive",
        "distance_miles": 349.2,
    }
    distances = [c["distance_miles"] for c in result["nearest_centers"]]
    assert distances == sorted(distances) and len(distances) == 3
    assert "larger cancer center" in result["explanations"]["rural"]
    assert run_triage({"cancer_type": "lung cancer", "zip": "59001"}, rural_miles=350)["rural"] is False
    assert run_triage({"cancer_type": "lung cancer", "zip": "59001"}, rural_miles=349.1)["rural"] is True


def test_only_comprehensive_centers_count():
    # Miami's Sylvester is NCI-designated but Clinical, so it is never listed.
    result = run_triage({"cancer_type": "lung cancer", "zip": "33136"})
    assert all("Sylvester" not in c["name"] for c in result["nearest_centers"])
    assert result["rural"] is True


def test_zip_plus_four_is_accepted():
    a = run_triage({"cancer_type": "lung cancer", "zip": "02215-1234"})
    assert (
        a["nearest_centers"] == run_triage({"cancer_type": "lung cancer", "zip": "02215"})["nearest_centers"]
    )


def bad(name, extra, code, field, **kwargs):
    """Invalid input: lung-cancer answers plus ``extra`` (None: ``kwargs["answers"]`` as they are)."""
    answers = kwargs.pop("answers") if extra is None else lung(**extra)
    return pytest.param(answers, kwargs, code, field, id=name)


INVALID = [
    bad("not-an-object", None, "invalid_input", None, answers=["lung cancer"]),
    bad("missing-cancer-type", None, "missing_cancer_type", "cancer_type", answers={}),
    bad("blank-cancer-type", {"cancer_type": " "}, "missing_cancer_type", "cancer_type"),
    bad("cancer-type-number", {"cancer_type": 5}, "invalid_value", "cancer_type"),
    bad("unknown-type", {"cancer_type": "zzzzqq"}, "unknown_cancer_type", "cancer_type"),
    bad("bool-text", {"metastatic": "yes"}, "invalid_value", "metastatic"),
    bad("bool-int", {"comfortable": 0}, "invalid_value", "comfortable"),
    bad("age-text", {"age": "ten"}, "invalid_value", "age"),
    bad("age-negative", {"age": -1}, "invalid_value", "age"),
    bad("age-too-high", {"age": 200}, "invalid_value", "age"),
    bad("age-bool", {"age": True}, "invalid_value", "age"),
    bad("age-nan", {"age": math.nan}, "invalid_value", "age"),
    bad("options-not-list", {"options_considered": "surgery"}, "invalid_value", "options_considered"),
    bad("option-unknown", {"options_considered": ["surgury"]}, "invalid_option", "options_considered"),
    bad("option-number", {"options_considered": [3]}, "invalid_value", "options_considered"),
    bad("experience-unknown", {"doctor_experience": "lots"}, "invalid_option", "doctor_experience"),
    bad("typo-key", {"metastasis": True}, "unknown_field", "metastasis"),
    bad("zip-number", {"zip": 2215}, "invalid_zip", "zip"),
    bad("zip-letters", {"zip": "ABCDE"}, "invalid_zip", "zip"),
    bad("zip-unknown", {"zip": "00000"}, "unknown_zip", "zip"),
    bad("threshold-zero", {}, "invalid_threshold", "rare_threshold", rare_threshold=0),
    bad("threshold-infinite", {}, "invalid_threshold", "rare_threshold", rare_threshold=math.inf),
    bad("rural-negative", {}, "invalid_threshold", "rural_miles", rural_miles=-5),
]


@pytest.mark.parametrize(("answers", "kwargs", "code", "field"), INVALID)
def test_invalid_input(answers, kwargs, code, field):
    with pytest.raises(TriageInputError) as caught:
        run_triage(answers, **kwargs)
    body = caught.value.as_dict()["error"]
    assert body["code"] == code and body.get("field") == field and body["message"]


@pytest.mark.parametrize(
    ("answers", "suggestion"),
    [
        ({"cancer_type": "brest cancer"}, "Breast cancer (female)"),
        ({"cancer_type": "lukemia"}, "Leukemia (all types)"),
        ({"cancer_type": "pancreatik"}, "Pancreatic cancer"),
        ({"cancer_type": "lung", "metastasis": True}, None),
        ({"cancer_type": "lung cancer", "options_considered": ["surgury"]}, "surgery"),
        ({"cancer_type": "lung cancer", "doctor_experiance": "few"}, "doctor_experience"),
    ],
)
def test_suggestions(answers, suggestion):
    with pytest.raises(TriageInputError) as caught:
        run_triage(answers)
    if suggestion is None:
        assert caught.value.suggestions == ["metastatic"]
    else:
        assert suggestion in (caught.value.suggestions or [])


def test_unknown_type_with_nothing_close_has_empty_suggestions():
    with pytest.raises(TriageInputError) as caught:
        run_triage({"cancer_type": "qqqq xxxx"})
    assert caught.value.as_dict() == {
        "error": {
            "code": "unknown_cancer_type",
            "message": caught.value.message,
            "field": "cancer_type",
            "suggestions": [],
        }
    }


def test_thresholds_from_settings(settings):
    for name in ("SECONDOPINION_RARE_THRESHOLD", "SECONDOPINION_RURAL_MILES"):
        if hasattr(settings, name):
            delattr(settings, name)
    assert thresholds_from_settings() == (15.0, 60.0)
    settings.SECONDOPINION_RARE_THRESHOLD = "6"
    settings.SECONDOPINION_RURAL_MILES = 100
    assert thresholds_from_settings() == (6.0, 100.0)
    settings.SECONDOPINION_RARE_THRESHOLD = "many"
    with pytest.raises(TriageInputError, match="SECONDOPINION_RARE_THRESHOLD"):
        thresholds_from_settings()


def test_incidence_table_as_adopted():
    rows = cancer_types()
    assert len(rows) >= 70 and len({r.name for r in rows}) == len(rows)
    for r in rows:
        assert (
            r.rarity_rate is not None and r.rarity_rate >= 0 and r.source and r.source_url.startswith("http")
        )
        assert (r.crude_rate_per_100k is None) == (r.rate_basis == "age_adjusted_proxy")
    # every everyday name, synonym and code resolves; a name always to its own row
    for r in rows:
        assert find_cancer_type(r.name) is r
        assert all(find_cancer_type(term) is not None for term in (*r.synonyms, r.oncotree_code) if term)


def test_incidence_table_flags_agree_with_rates():
    with INCIDENCE_CSV.open(newline="", encoding="utf-8") as handle:
        flags = {
            row["everyday_name"]: (row["rare_us"], row["rare_rarecare"]) for row in csv.DictReader(handle)
        }
    for r in cancer_types():
        rate = r.rarity_rate
        assert rate is not None
        assert flags[r.name] == (str(rate < 15).lower(), str(rate < 6).lower()), r.name
