"""`core.geo.place_centroid`: a ZIP or a "City, ST" (the mean of the city's standard ZIP centroids), the
suggestions for a place it does not know, and the compact table read from the `zipcodes` package."""

from __future__ import annotations

import pytest
import zipcodes

from secondopinion.core import geo
from secondopinion.core.geo import place_centroid, place_suggestions, zip_centroid


def mean_of(records: list[dict[str, str]]) -> tuple[float, float]:
    lats = [float(r["lat"]) for r in records]
    lons = [float(r["long"]) for r in records]
    return sum(lats) / len(lats), sum(lons) / len(lons)


def standard_zips(city: str, state: str) -> list[dict[str, str]]:
    return [
        r
        for r in zipcodes.filter_by(state=state)
        if r["city"].upper() == city.upper() and r["zip_code_type"] == "STANDARD"
    ]


def test_a_zip_is_its_centroid_and_zip_plus_four_its_first_five_digits():
    assert place_centroid("10001") == zip_centroid("10001") == (40.7484, -73.9967)
    assert place_centroid(" 02215-1234 ") == place_centroid("022151234") == zip_centroid("02215")
    assert place_centroid("00000") is None


def test_city_state_is_the_mean_of_its_standard_zips():
    rochester = standard_zips("Rochester", "MN")
    assert {r["zip_code"] for r in rochester} == {"55901", "55902", "55904", "55906"}  # not 55903 (PO box)
    assert place_centroid("Rochester, MN") == pytest.approx(mean_of(rochester), abs=1e-9)
    # Any case, extra spaces, no comma, and the other Rochesters stay apart.
    for text in ("rochester, mn", "  ROCHESTER ,MN ", "Rochester MN"):
        assert place_centroid(text) == place_centroid("Rochester, MN")
    assert place_centroid("Rochester, NY") == pytest.approx(mean_of(standard_zips("Rochester", "NY")))
    assert place_centroid("Rochester, NY") != place_centroid("Rochester, MN")


def test_abbreviations_punctuation_and_names_usps_accepts():
    assert place_centroid("St. Louis, MO") == place_centroid("Saint Louis, MO") is not None
    assert place_centroid("Winston-Salem, NC") == place_centroid("winston salem nc") is not None
    # "Hollywood" is a name USPS accepts for Los Angeles ZIPs: the mean of the ZIPs that accept it.
    accepted = [r for r in zipcodes.filter_by(state="CA") if "Hollywood" in r["acceptable_cities"]]
    assert accepted and place_centroid("Hollywood, CA") == pytest.approx(mean_of(accepted), abs=1e-9)


@pytest.mark.parametrize("text", ["Nowhereville, MN", "Rochester, ZZ", "Rochester", "", "12", "MN", ", MN"])
def test_unknown_or_incomplete_places_are_none(text):
    assert place_centroid(text) is None


def test_suggestions_for_a_misspelt_or_stateless_place():
    assert place_suggestions("Rochster, MN")[0] == "Rochester, MN"
    assert "Rochester, NY" in place_suggestions("Rochester")
    assert "Rochester, MN" in place_suggestions("Rochester, ZZ")  # an unknown state: that name anywhere
    assert place_suggestions("Qqqqq, MN") == []


def test_the_child_process_and_the_in_process_reading_build_the_same_table():
    from_child = geo._rows_from_child()
    assert from_child is not None
    child, here = geo._build(from_child), geo._build(geo._rows_from_package())
    assert child.count == here.count == len(zipcodes.list_all())
    assert child.lat == here.lat and child.lon == here.lon
    assert child.cities == here.cities and child.aliases == here.aliases
