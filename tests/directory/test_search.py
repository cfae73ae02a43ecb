"""`directory search` and GET /api/v1/directory/practitioners: each filter alone and combined, the name
rule (prefix, one typo), ranking, distances against known ZIP pairs, the JSON shape and the errors.

Every assertion is exact, and the file runs unchanged on SQLite and on PostgreSQL (DATABASE_URL=postgres://…),
so passing on both means the same queries give the same results on both."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from secondopinion.core.geo import great_circle_miles, place_centroid, zip_centroid
from secondopinion.directory import actions
from secondopinion.directory.models import CenterDesignation, FocusSource, Organization, PractitionerRole
from secondopinion.directory.profiles import write_profiles
from secondopinion.directory.search import (
    EXACT,
    PREFIX,
    TYPO,
    SearchError,
    SearchParams,
    osa_distance,
    search,
    word_match,
)

from .helpers import person, run, valid_npi, write_nppes

pytestmark = pytest.mark.django_db(transaction=True)

NPI = {key: valid_npi(f"1{n:08d}") for n, key in enumerate(
    ["smith", "smithson", "smythe", "johnson", "garcia", "lee", "inactive"], start=100
)}  # fmt: skip


def place(zip9: str, city: str, state: str) -> dict[str, str]:
    return {
        "Provider Business Practice Location Address Postal Code": zip9,
        "Provider Business Practice Location Address City Name": city,
        "Provider Business Practice Location Address State Name": state,
    }


def slot(n: int, code: str, primary: str) -> dict[str, str]:
    return {
        f"Healthcare Provider Taxonomy Code_{n}": code,
        f"Healthcare Provider Primary Taxonomy Switch_{n}": primary,
        f"Provider License Number_{n}": f"L{n}",
        f"Provider License Number State Code_{n}": "NY",
    }


NYC, BOSTON, LA, HONOLULU = (
    place("100011234", "NEW YORK", "NY"),
    place("022151234", "BOSTON", "MA"),
    place("900121234", "LOS ANGELES", "CA"),
    place("968131234", "HONOLULU", "HI"),
)


@pytest.fixture
def directory(tmp_path):
    rows = [
        person(NPI["smith"], "SMITH", "JOHN", **NYC),  # medical oncology, primary
        person(NPI["smithson"], "SMITHSON", "ROBERT", **NYC, **slot(1, "207RH0003X", "Y")),
        person(
            NPI["smythe"],
            "SMYTHE",
            "ANNA",
            **BOSTON,
            **slot(1, "2086X0206X", "Y"),
            **slot(2, "207RX0202X", "N"),
        ),
        person(NPI["johnson"], "JOHNSON", "PRIYA", **BOSTON, **slot(1, "207ZP0101X", "Y")),
        person(NPI["garcia"], "GARCÍA", "MARÍA", **LA, **slot(1, "2085R0001X", "Y")),
        person(NPI["lee"], "LEE", "KIM", **HONOLULU),
        person(
            NPI["inactive"],
            "SMITH",
            "OLD",
            **NYC,
            **{"NPI Deactivation Date": "01/01/2020", "NPI Deactivation Reason Code": "DT"},
        ),
    ]
    summary, _ = run("import-nppes", write_nppes(tmp_path / "npi.csv", rows))
    assert summary["inserted"] == 7
    write_profiles(
        [
            actions.Profile(NPI["smith"], ["en", "es"], True, True, ["BRCA"]),
            actions.Profile(NPI["smithson"], ["en"], False, True, ["LUNG"]),
            actions.Profile(NPI["smythe"], ["en", "fr"], True, True, ["BRCA", "LUNG"]),
            actions.Profile(NPI["garcia"], ["es", "en"], True, True, ["Breast cancer"]),
            actions.Profile(NPI["lee"], ["ko"], False, False, []),
        ],
        FocusSource.GENERATOR,
    )
    center = Organization.objects.create(
        name="Comprehensive Cancer Center", center_designation=CenterDesignation.NCI_COMPREHENSIVE
    )
    PractitionerRole.objects.filter(practitioner__npi=NPI["garcia"]).update(organization=center)
    community = Organization.objects.create(
        name="Town Clinic", center_designation=CenterDesignation.COMMUNITY
    )
    PractitionerRole.objects.filter(practitioner__npi=NPI["smythe"]).update(organization=community)


def who(**kwargs: Any) -> list[str]:
    """The result NPIs, as their keys in NPI."""
    by_npi = {v: k for k, v in NPI.items()}
    return [by_npi[r["npi"]] for r in search(SearchParams(**kwargs))]


def cli(*args: str) -> tuple[int, Any]:
    out = io.StringIO()
    try:
        call_command("directory", "search", *args, stdout=out, stderr=io.StringIO())
    except CommandError as exc:
        return exc.returncode, json.loads(out.getvalue())
    return 0, json.loads(out.getvalue()) if "--json" in args else out.getvalue()


# --- the name rule (pure) --------------------------------------------------------------------------


def test_osa_distance():
    assert osa_distance("smith", "smith") == 0
    assert osa_distance("smiht", "smith") == 1  # adjacent transposition
    assert osa_distance("smth", "smith") == 1
    assert osa_distance("smiith", "smith") == 1
    assert osa_distance("smyth", "smith") == 1
    assert osa_distance("smtih", "smith") == 1
    assert osa_distance("msith", "smith") == 1
    assert osa_distance("smithy", "smyth") == 2


def test_word_match_rule():
    assert word_match("smith", "smith") == EXACT
    assert word_match("smi", "smithson") == PREFIX
    assert word_match("jonhson", "johnson") == TYPO
    assert word_match("smiht", "smithson") == TYPO  # one typo within the start of a longer name
    assert word_match("smth", "smithson") == TYPO
    assert word_match("msith", "smith") is None  # the first two letters must be right
    assert word_match("lea", "lee") is None  # under 4 letters: prefix only
    assert word_match("johnsxx", "johnson") is None  # two edits
    assert word_match("x", "") is None


# --- each filter alone ------------------------------------------------------------------------------


def test_no_filters_lists_active_practitioners_by_name(directory):
    assert who() == ["garcia", "johnson", "lee", "smith", "smithson", "smythe"]  # inactive left out


def test_name_prefix_exact_and_typo_ranking(directory):
    assert who(name="smith") == ["smith", "smithson", "smythe"]  # exact, prefix, one typo
    assert who(name="SMI") == ["smith", "smithson"]  # 3 letters: prefix only, no typo
    assert who(name="jonhson") == ["johnson"]
    assert who(name="priya") == ["johnson"]  # given names match too
    assert who(name="garcia") == ["garcia"]  # accents are stripped on both sides
    assert who(name="García María") == ["garcia"]  # every word must match a family or given name
    assert who(name="smith anna") == ["smythe"]
    assert who(name="zzzz") == []


def test_specialty_any_slot_everyday_name_and_code(directory):
    assert who(specialty="medical oncologist") == ["lee", "smith", "smithson", "smythe"]  # smythe: slot 2
    assert who(specialty="207RX0202X") == ["lee", "smith", "smythe"]
    assert who(specialty="radiation oncologists") == ["garcia"]
    assert who(specialty="pathologist") == ["johnson"]


def test_cancer_type_by_code_name_or_synonym(directory):
    assert who(cancer_type="BRCA") == ["garcia", "smith", "smythe"]  # "Breast cancer" stored by name
    assert who(cancer_type="breast cancer") == ["garcia", "smith", "smythe"]
    assert who(cancer_type="lung") == ["smithson", "smythe"]


def test_video_language_and_center_type(directory):
    assert who(video=True) == ["garcia", "smith", "smythe"]
    assert who(video=False) == ["johnson", "lee", "smithson"]
    assert who(language="ES") == ["garcia", "smith"]
    assert who(language="fr") == ["smythe"]
    assert who(center_type="nci-comprehensive") == ["garcia"]
    assert who(center_type="nci") == ["garcia"]
    assert who(center_type="community") == ["smythe"]


def test_near_sorts_by_distance_and_radius_cuts(directory):
    assert who(near="10001") == ["smith", "smithson", "johnson", "smythe", "garcia", "lee"]
    assert who(near="10001", radius_miles=200) == ["smith", "smithson", "johnson", "smythe"]
    assert who(near="10001", radius_miles=100) == ["smith", "smithson"]
    assert who(near="90012", radius_miles=5) == ["garcia"]


def test_distances_against_known_zip_pairs(directory):
    results = {r["npi"]: r["distance_miles"] for r in search(SearchParams(near="10001"))}
    assert results[NPI["garcia"]] == 2445.4  # 10001 -> 90012 (tests/core/test_geo.py: 2445.38)
    assert results[NPI["smythe"]] == 186.0  # 10001 -> 02215 (185.98)
    assert results[NPI["smith"]] == 0.0
    assert search(SearchParams(name="smith"))[0]["distance_miles"] is None
    far = search(SearchParams(near="02215", radius_miles=186))
    assert [r["npi"] for r in far][-1] == NPI["smithson"]  # 185.98 mi is inside 186


def test_near_a_city_and_state(directory):
    assert who(near="New York, NY", radius_miles=100) == ["smith", "smithson"]
    assert who(near="new york ny", radius_miles=100) == ["smith", "smithson"]  # any case, no comma
    assert who(near="Boston, MA")[:2] == ["johnson", "smythe"]  # same place: then by name
    boston = place_centroid("Boston, MA")
    assert boston is not None
    first = search(SearchParams(near="Boston, MA", limit=1))[0]
    longwood = zip_centroid("02215")
    assert longwood is not None
    expected = round(great_circle_miles(*boston, *longwood), 1)
    assert first["distance_miles"] == expected and f"{expected} miles from Boston, MA" in first["why"]
    # A city is a point like a ZIP: the same search from that point gives the same order.
    assert who(specialty="medical oncologist", near="Honolulu, HI")[0] == "lee"


def test_unknown_city_is_an_error_with_suggestions(directory):
    with pytest.raises(SearchError) as exc:
        search(SearchParams(near="Bostn, MA"))
    assert exc.value.code == "unknown_place" and "Boston, MA" in exc.value.suggestions
    rc, body = cli("--near", "Rochester", "--json")  # no state: the Rochesters, biggest first
    assert rc == 2 and body["error"]["suggestions"][:2] == ["Rochester, NY", "Rochester, MN"]


# --- combined and ranking ---------------------------------------------------------------------------


def test_primary_specialty_outranks_distance(directory):
    # Near Boston: smythe is closest but holds Medical Oncology only in slot 2.
    assert who(specialty="medical oncologist", near="02215") == ["smith", "smithson", "lee", "smythe"]
    assert who(specialty="207RX0202X", near="02215") == ["smith", "lee", "smythe"]


def test_name_quality_outranks_specialty_and_distance(directory):
    assert who(name="smith", specialty="medical oncologist", near="02215") == ["smith", "smithson", "smythe"]
    assert who(name="smyth", near="10001") == ["smythe", "smith", "smithson"]  # prefix before typos


def test_filters_combined(directory):
    assert who(specialty="medical oncologist", video=True, language="es") == ["smith"]
    assert who(cancer_type="breast cancer", near="10001", radius_miles=200) == ["smith", "smythe"]
    assert who(cancer_type="BRCA", video=True, center_type="nci-comprehensive") == ["garcia"]
    assert who(name="smith", cancer_type="lung", near="02215", radius_miles=50) == ["smythe"]
    assert who(specialty="oncologist", near="90012", radius_miles=300, language="es") == ["garcia"]


def test_limit_and_offset(directory):
    everyone = who()
    assert who(limit=2) == everyone[:2]
    assert who(limit=2, offset=2) == everyone[2:4]
    assert who(offset=10) == []


# --- output and errors ------------------------------------------------------------------------------


def test_json_shape(directory):
    args = ["--specialty", "medical oncologist", "--near", "02215", "--cancer-type", "breast cancer"]
    rc, results = cli(*args, "--video", "--language", "es", "--json")
    assert rc == 0
    assert results == [
        {
            "npi": NPI["smith"],
            "name": "JOHN SMITH, MD",
            "specialties": ["207RX0202X"],
            "primary_specialty": "207RX0202X",
            "distance_miles": 186.0,
            "city": "NEW YORK",
            "state": "NY",
            "why": [
                "primary specialty: Medical Oncology Physician",
                "treats breast cancer (female)",
                "186 miles from 02215",
                "offers video visits",
                "speaks es",
            ],
        }
    ]
    rc, results = cli("--name", "smiht", "--json")
    assert [r["npi"] for r in results] == [NPI["smith"], NPI["smithson"]]
    assert [r["why"][0] for r in results] == ["name: one typo match"] * 2
    assert results[0]["specialties"] == ["207RX0202X"] and results[0]["distance_miles"] is None
    rc, (smythe,) = cli("--name", "smythe", "--json")
    assert smythe["specialties"] == ["2086X0206X", "207RX0202X"]
    assert smythe["primary_specialty"] == "2086X0206X"


def test_text_output(directory):
    rc, text = cli("--name", "garcia")
    assert rc == 0 and "MARÍA GARCÍA, MD" in text and "LOS ANGELES, CA" in text
    assert cli("--name", "nobody")[1].strip() == "no practitioners found"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--specialty", "medical oncologis"], "unknown_specialty"),
        (["--cancer-type", "brest cancer"], "unknown_cancer_type"),
        (["--near", "00000"], "unknown_zip"),
        (["--near", "Nowhereville, CT"], "unknown_place"),
        (["--center-type", "famous"], "unknown_center_type"),
        (["--radius-miles", "10"], "radius_without_near"),
        (["--limit", "0"], "invalid_limit"),
    ],
)
def test_errors_exit_2(directory, args, code):
    rc, body = cli(*args, "--json")
    assert rc == 2 and body["error"]["code"] == code
    assert set(body["error"]) == {"code", "message", "suggestions"}


def test_error_suggestions(directory):
    with pytest.raises(SearchError) as exc:
        search(SearchParams(specialty="medical oncologis"))
    assert "medical oncologist" in exc.value.suggestions
    with pytest.raises(SearchError) as exc:
        search(SearchParams(cancer_type="brest cancer"))
    assert exc.value.suggestions
