"""Geography helpers: ZIP code centroids and great-circle distances.

The centroids come from the `zipcodes` package (3.0.0). Its data is compiled into a Rust extension, so there
is no data file to read: `zipcodes.list_all()` hands back all ~42,800 ZIP records in one call (about half a
second). We make that call once, on first use, and keep only a ``{zip: (lat, lon)}`` dict; every later lookup
is a dict access. Never call `zipcodes.matching()` per request.
"""

from __future__ import annotations

import math
import re
import threading

EARTH_RADIUS_MILES = 3958.8

_ZIP5 = re.compile(r"^\d{5}$")
_centroids: dict[str, tuple[float, float]] | None = None
_lock = threading.Lock()


def _load_centroids() -> dict[str, tuple[float, float]]:
    global _centroids
    if _centroids is None:
        with _lock:
            if _centroids is None:
                import zipcodes  # heavy: ~0.5 s to materialise the table, so only on first use

                table: dict[str, tuple[float, float]] = {}
                for record in zipcodes.list_all():
                    try:
                        table[record["zip_code"]] = (float(record["lat"]), float(record["long"]))
                    except (KeyError, TypeError, ValueError):
                        continue  # a record without usable coordinates has no centroid
                _centroids = table
    return _centroids


def zip_centroid(zip5: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a 5-digit US ZIP code's centroid, or None when the ZIP is not known."""
    if not isinstance(zip5, str) or not _ZIP5.match(zip5):
        return None
    return _load_centroids().get(zip5)


def great_circle_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in miles between two points in decimal degrees (haversine, R = 3958.8 mi)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(h)))
