"""ZIP centroids and great-circle distances (core.geo), and the center coordinates built on them."""

from __future__ import annotations

import math

import pytest
import zipcodes

from secondopinion.core.geo import EARTH_RADIUS_MILES, great_circle_miles, zip_centroid
from secondopinion.core.reference import cancer_centers

# Expected miles computed by hand from the zipcodes 3.0.0 centroids with R = 3958.8 mi.
PAIRS = [
    ("10001", "90012", 2445.38),  # New York (Chelsea) - Los Angeles (downtown)
    ("02215", "10001", 185.98),  # Boston (Longwood) - New York
    ("60637", "94143", 1858.67),  # Chicago (Hyde Park) - San Francisco (UCSF)
    ("99501", "96813", 2783.89),  # Anchorage - Honolulu
    ("33136", "98109", 2731.18),  # Miami - Seattle
]


@pytest.mark.parametrize(("zip_a", "zip_b", "miles"), PAIRS)
def test_known_zip_pairs(zip_a, zip_b, miles):
    a, b = zip_centroid(zip_a), zip_centroid(zip_b)
    assert a is not None and b is not None
    assert great_circle_miles(*a, *b) == pytest.approx(miles, abs=0.05)
    assert great_circle_miles(*b, *a) == pytest.approx(miles, abs=0.05)


@pytest.mark.parametrize(("zip_a", "zip_b", "miles"), PAIRS)
def test_agrees_with_zipcodes_haversine_after_radius_change(zip_a, zip_b, miles):
    # zipcodes.haversine uses R = 3956 mi; the two must differ by exactly the ratio of the radii.
    a, b = zip_centroid(zip_a), zip_centroid(zip_b)
    assert a is not None and b is not None
    (lat1, lon1), (lat2, lon2) = a, b
    theirs = zipcodes.haversine(lon1, lat1, lon2, lat2)
    assert great_circle_miles(lat1, lon1, lat2, lon2) == pytest.approx(
        theirs * EARTH_RADIUS_MILES / 3956, rel=1e-6
    )


def test_geometry():
    assert great_circle_miles(40.0, -75.0, 40.0, -75.0) == 0.0
    assert great_circle_miles(0, 0, 0, 180) == pytest.approx(math.pi * EARTH_RADIUS_MILES)
    assert great_circle_miles(0, 0, 90, 0) == pytest.approx(math.pi * EARTH_RADIUS_MILES / 2)
    assert great_circle_miles(0, 0, 0, 1) == pytest.approx(69.09, abs=0.01)  # one degree at the equator


def test_zip_centroid_values_and_misses():
    assert zip_centroid("10001") == (40.7484, -73.9967)
    assert zip_centroid("02215") == (42.3471, -71.1027)  # leading zero kept
    for bad in ("00000", "1234", "123456", "ABCDE", "", "10001-1234"):
        assert zip_centroid(bad) is None
    assert zip_centroid(10001) is None  # type: ignore[arg-type]


def test_zip_centroid_matches_zipcodes_matching():
    for zip5 in ("10001", "59001", "96813", "00501"):
        record = zipcodes.matching(zip5)[0]
        assert zip_centroid(zip5) == (float(record["lat"]), float(record["long"]))


def test_center_table_as_adopted():
    centers = cancer_centers()
    assert len(centers) == 74 and len({c.name for c in centers}) == 74
    counts = {
        d: sum(c.designation == d for c in centers) for d in ("Comprehensive", "Clinical", "Basic Laboratory")
    }
    assert counts == {"Comprehensive": 58, "Clinical": 8, "Basic Laboratory": 8}
    assert next(c for c in centers if c.name.startswith("Sylvester")).designation == "Clinical"
    for center in centers:
        # each row's coordinates are its ZIP's centroid, in the row's state
        assert zip_centroid(center.zip) == (center.latitude, center.longitude), center.name
        assert zipcodes.matching(center.zip)[0]["state"] == center.state, center.name
