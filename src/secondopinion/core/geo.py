"""Geography helpers: ZIP code centroids, "City, ST" places and great-circle distances.

The centroids come from the `zipcodes` package (3.0.0). Its data is compiled into a Rust extension that
unpacks the whole table (~57 MB resident, for good) on its first call, and `zipcodes.list_all()` then builds
42,789 dicts (~130 MB more at the peak). So we read the table once, in a short-lived child process
(`python -m secondopinion.core.geo`, which prints one compact line per ZIP), and keep only:

- two `array("i")` of 100,000 slots indexed by the ZIP's integer value, holding latitude and longitude in
  units of 1e-4 degree (the package's figures have at most four decimals, so `n / 10_000` gives back exactly
  the float the package's text parses to): 800 kB, and a lookup is two array reads;
- per (state, city) the city's ZIPs, for `place_centroid("Rochester, MN")`.

If the child cannot run, the same table is read in this process (and the package's memory stays).
"""

from __future__ import annotations

import difflib
import io
import math
import re
import subprocess
import sys
import threading
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

EARTH_RADIUS_MILES = 3958.8
SCALE = 10_000  # coordinates are kept as integers of 1e-4 degree
MISSING = -(2**31)
MIN_ZIPS = 40_000  # the package holds 42,789: fewer means the child's output was cut short

_ZIP5 = re.compile(r"^\d{5}$")
_ZIP_PLUS4 = re.compile(r"^(\d{5})(?:-?\d{4})?$")
_CITY_STATE = re.compile(r"^(?P<city>.*?[^\s,])\s*(?:,\s*|\s+)(?P<state>[A-Za-z]{2})\.?$")
_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")
_ABBREVIATIONS = {"ST": "SAINT", "STE": "SAINTE", "FT": "FORT", "MT": "MOUNT"}
_lock = threading.Lock()


@dataclass
class _Table:
    lat: array[int]
    lon: array[int]
    cities: dict[str, tuple[int, ...]]  # place key ("ST|CITY") -> the ZIPs averaged for it
    aliases: dict[str, tuple[int, ...]]  # the same for the names USPS also accepts ("acceptable cities")
    count: int


_table: _Table | None = None


def city_key(city: str, state: str) -> str:
    """The comparison key of a place: upper case, punctuation as spaces, St/Ft/Mt spelled out."""
    words = _NOT_ALNUM.sub(" ", city.upper()).split()
    if words:
        words[0] = _ABBREVIATIONS.get(words[0], words[0])
    return f"{state.strip().upper()}|{' '.join(words)}"


def _rows_from_package() -> Iterator[list[str]]:
    """(zip, lat, long, state, type, city, acceptable cities joined by ";") for every ZIP of the package.
    Two-digit prefixes keep the lists the extension builds small."""
    from zipcodes import _zipcodes

    for prefix in range(100):
        for r in _zipcodes.similar_to(f"{prefix:02d}", zips=None):
            acceptable = ";".join(r.get("acceptable_cities") or [])
            yield [r["zip_code"], r["lat"], r["long"], r["state"], r["zip_code_type"], r["city"], acceptable]


def _rows_from_child() -> Iterator[list[str]] | None:
    try:
        done = subprocess.run(  # our own interpreter and module, no shell
            [sys.executable, "-m", "secondopinion.core.geo"],
            capture_output=True,
            timeout=60,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return (line.rstrip("\n").split("\t") for line in io.StringIO(done.stdout.decode("utf-8")))


def _build(rows: Iterable[list[str]]) -> _Table:
    lat = array("i", [MISSING]) * 100_000
    lon = array("i", [MISSING]) * 100_000
    cities: dict[str, tuple[list[int], list[int]]] = {}
    aliases: dict[str, list[int]] = {}
    count = 0
    for row in rows:
        if len(row) != 7:
            continue
        zip5, lat_text, lon_text, state, kind, city, acceptable = row
        try:
            n = int(zip5)
            lat_e4, lon_e4 = round(float(lat_text) * SCALE), round(float(lon_text) * SCALE)
        except ValueError:
            continue  # a record without usable coordinates has no centroid
        lat[n], lon[n] = lat_e4, lon_e4
        count += 1
        standard, every = cities.setdefault(city_key(city, state), ([], []))
        every.append(n)
        if kind == "STANDARD":
            standard.append(n)
        for other in filter(None, acceptable.split(";")):
            aliases.setdefault(city_key(other, state), []).append(n)
    return _Table(
        lat,
        lon,
        {key: tuple(standard or every) for key, (standard, every) in cities.items()},
        {key: tuple(zips) for key, zips in aliases.items()},
        count,
    )


def _load() -> _Table:
    global _table
    if _table is None:
        with _lock:
            if _table is None:
                rows = _rows_from_child()
                table = _build(rows) if rows is not None else None
                if table is None or table.count < MIN_ZIPS:  # the child failed or printed too little
                    table = _build(_rows_from_package())
                _table = table
    return _table


def _point(table: _Table, n: int) -> tuple[float, float] | None:
    lat = table.lat[n]
    if lat == MISSING:
        return None
    return lat / SCALE, table.lon[n] / SCALE


def zip_centroid(zip5: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a 5-digit US ZIP code's centroid, or None when the ZIP is not known."""
    if not isinstance(zip5, str) or not _ZIP5.match(zip5):
        return None
    return _point(_load(), int(zip5))


def _display(key: str) -> str:
    state, city = key.split("|", 1)
    return f"{city.title()}, {state}"


def place_centroid(text: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a place typed by a person, or None when it is not known:

    - a 5-digit ZIP (or ZIP+4): its centroid;
    - "City, ST" (any case; the comma may be left out; "St."/"Ft."/"Mt." match "Saint"/"Fort"/"Mount"):
      the mean latitude and mean longitude of the centroids of the city's standard ZIPs (of all its ZIPs,
      PO-box and single-organization ones, when it has no standard ZIP), the city found by its USPS name,
      else by a name USPS accepts for it (e.g. "Hollywood, CA")."""
    if not isinstance(text, str):
        return None
    text = " ".join(text.split())
    zip_match = _ZIP_PLUS4.match(text)
    if zip_match:
        return zip_centroid(zip_match.group(1))
    match = _CITY_STATE.match(text)
    if match is None:
        return None
    table = _load()
    key = city_key(*match.group("city", "state"))
    zips = table.cities.get(key) or table.aliases.get(key, ())
    points = [p for p in (_point(table, n) for n in zips) if p is not None]
    if not points:
        return None
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def place_suggestions(text: str, limit: int = 5) -> list[str]:
    """Known "City, ST" places close to `text` (in its state when one is given; else the places of that
    name in every state, those with the most ZIPs first), for an error message."""
    text = " ".join(str(text).split())
    cities = _load().cities
    match = _CITY_STATE.match(text)
    if match is not None:
        wanted = city_key(*match.group("city", "state"))
        state = wanted.split("|", 1)[0] + "|"
        in_state = [k for k in cities if k.startswith(state)]
        if in_state:
            return [_display(k) for k in difflib.get_close_matches(wanted, in_state, n=limit, cutoff=0.75)]
    bare = city_key(match.group("city") if match else text, "")
    same = [k for k in cities if k.endswith(bare) and k.index("|") == len(k) - len(bare)]
    return [_display(k) for k in sorted(same, key=lambda k: (-len(cities[k]), k))[:limit]]


def great_circle_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in miles between two points in decimal degrees (haversine, R = 3958.8 mi)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(h)))


def _main() -> None:
    """The child process: print the package's table, one tab-separated line per ZIP."""
    out = sys.stdout
    for row in _rows_from_package():
        out.write("\t".join(row) + "\n")


if __name__ == "__main__":
    _main()
