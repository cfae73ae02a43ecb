"""`directory synth`: a synthetic NPPES file with realistic mixes, plus a companion profiles file.

Streams rows (a 1.2-million-row file needs a few MB of memory). Deterministic for a given --seed. Names are
drawn from short lists; NPIs are valid (check digit) and unique; practice ZIPs exist in the `zipcodes` table.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from secondopinion.accounts.validators import npi_check_digit_ok

FIXED_2018 = [
    "NPI", "Entity Type Code", "Replacement NPI", "Employer Identification Number (EIN)",
    "Provider Organization Name (Legal Business Name)", "Provider Last Name (Legal Name)",
    "Provider First Name", "Provider Middle Name", "Provider Name Prefix Text", "Provider Name Suffix Text",
    "Provider Credential Text", "Provider Other Organization Name",
    "Provider Other Organization Name Type Code", "Provider Other Last Name", "Provider Other First Name",
    "Provider Other Middle Name", "Provider Other Name Prefix Text",
    "Provider Other Name Suffix Text", "Provider Other Credential Text", "Provider Other Last Name Type Code",
    "Provider First Line Business Mailing Address", "Provider Second Line Business Mailing Address",
    "Provider Business Mailing Address City Name", "Provider Business Mailing Address State Name",
    "Provider Business Mailing Address Postal Code",
    "Provider Business Mailing Address Country Code (If outside U.S.)",
    "Provider Business Mailing Address Telephone Number", "Provider Business Mailing Address Fax Number",
    "Provider First Line Business Practice Location Address",
    "Provider Second Line Business Practice Location Address",
    "Provider Business Practice Location Address City Name",
    "Provider Business Practice Location Address State Name",
    "Provider Business Practice Location Address Postal Code",
    "Provider Business Practice Location Address Country Code (If outside U.S.)",
    "Provider Business Practice Location Address Telephone Number",
    "Provider Business Practice Location Address Fax Number", "Provider Enumeration Date", "Last Update Date",
    "NPI Deactivation Reason Code", "NPI Deactivation Date", "NPI Reactivation Date", "Provider Gender Code",
    "Authorized Official Last Name", "Authorized Official First Name", "Authorized Official Middle Name",
    "Authorized Official Title or Position", "Authorized Official Telephone Number",
]  # fmt: skip
TAIL_2018 = [
    "Is Sole Proprietor", "Is Organization Subpart", "Parent Organization LBN", "Parent Organization TIN",
    "Authorized Official Name Prefix Text", "Authorized Official Name Suffix Text",
    "Authorized Official Credential Text",
]  # fmt: skip


def header(layout: str = "current") -> list[str]:
    """The NPPES header: "2018" is the 329-column layout; "current" adds "Certification Date" (330)."""
    cols = list(FIXED_2018)
    for n in range(1, 16):
        cols += [
            f"Healthcare Provider Taxonomy Code_{n}",
            f"Provider License Number_{n}",
            f"Provider License Number State Code_{n}",
            f"Healthcare Provider Primary Taxonomy Switch_{n}",
        ]
    for n in range(1, 51):
        cols += [
            f"Other Provider Identifier_{n}",
            f"Other Provider Identifier Type Code_{n}",
            f"Other Provider Identifier State_{n}",
            f"Other Provider Identifier Issuer_{n}",
        ]
    cols += TAIL_2018 + [f"Healthcare Provider Taxonomy Group_{n}" for n in range(1, 16)]
    if layout == "current":
        cols.append("Certification Date")
    elif layout != "2018":
        raise ValueError(f"unknown layout {layout!r}: use current or 2018")
    return cols


# Rough shares of US physicians by specialty (AAMC Physician Specialty Data, order of magnitude), with the
# oncology-related codes kept at realistic small shares; about 10 % of rows are NPs, PAs and nurses.
SPECIALTY_WEIGHTS: dict[str, float] = {
    "207R00000X": 120, "207Q00000X": 118, "208000000X": 60, "207V00000X": 43, "207L00000X": 42,
    "207P00000X": 45, "2084P0800X": 38, "208600000X": 25, "2085R0202X": 28, "207X00000X": 19,
    "207RC0000X": 22, "207W00000X": 19, "207N00000X": 12, "2084N0400X": 14, "207ZP0102X": 10,
    "207ZP0101X": 2, "207ZP0105X": 1, "207RH0003X": 13, "207RX0202X": 3, "2085R0001X": 5,
    "2086X0206X": 1, "207VX0201X": 1.1, "2080P0207X": 3, "207RG0100X": 15, "208800000X": 10,
    "207RP1001X": 13, "207RE0101X": 8, "207Y00000X": 9, "208G00000X": 4, "208C00000X": 2,
    "207T00000X": 5, "207U00000X": 1, "207RH0000X": 1, "207ZH0000X": 0.5, "363LF0000X": 30,
    "363A00000X": 25, "163W00000X": 15, "207RH0002X": 2, "207SG0201X": 1,
}  # fmt: skip
# Millions of residents (2020 census, rounded): states by population.
STATE_WEIGHTS: dict[str, float] = {
    "CA": 39.5, "TX": 29.1, "FL": 21.5, "NY": 20.2, "PA": 13.0, "IL": 12.8, "OH": 11.8, "GA": 10.7,
    "NC": 10.4, "MI": 10.1, "NJ": 9.3, "VA": 8.6, "WA": 7.7, "AZ": 7.2, "MA": 7.0, "TN": 6.9, "IN": 6.8,
    "MD": 6.2,
    "MO": 6.2, "WI": 5.9, "CO": 5.8, "MN": 5.7, "SC": 5.1, "AL": 5.0, "LA": 4.7, "KY": 4.5, "OR": 4.2,
    "OK": 4.0, "CT": 3.6, "UT": 3.3, "IA": 3.2, "NV": 3.1, "AR": 3.0, "MS": 3.0, "KS": 2.9, "NM": 2.1,
    "NE": 2.0, "ID": 1.8, "WV": 1.8, "HI": 1.5, "NH": 1.4, "ME": 1.4, "RI": 1.1, "MT": 1.1, "DE": 1.0,
    "SD": 0.9, "ND": 0.8, "AK": 0.7, "DC": 0.7, "VT": 0.6, "WY": 0.6, "PR": 3.3,
}  # fmt: skip
ORG_TAXONOMIES: dict[str, float] = {
    "261QX0200X": 3,
    "261QX0203X": 1,
    "282N00000X": 4,
    "193200000X": 6,
    "261QP2300X": 4,
}
CREDENTIALS = {"MD": 80, "M.D.": 10, "DO": 9, "MD, PHD": 3, "NP": 0, "PA-C": 0}
NONPHYSICIAN_CREDENTIALS = {"363LF0000X": "NP", "363A00000X": "PA-C", "163W00000X": "RN"}
LANGUAGE_WEIGHTS = {"es": 14, "zh": 3, "vi": 2, "fr": 2, "ar": 1.5, "ru": 1.5, "hi": 1.5, "ko": 1, "pt": 1}
ONCOLOGY = {"207RH0003X", "207RX0202X", "2085R0001X", "2086X0206X", "207VX0201X", "2080P0207X"}
CANCER_FOCUS = {
    "BRCA": 32, "LUNG": 23, "PRAD": 31, "COADREAD": 15, "SKCM": 10, "BLCA": 8, "KIDNEY": 8, "NHL": 8,
    "UTERUS": 7, "PANCREAS": 7, "THYROID": 4, "LIVER": 4, "PCM": 4, "AML": 2, "OVARY": 2, "BRAIN": 2,
    "HEAD_NECK": 7, "SOFT_TISSUE": 1, "CERVIX": 1,
}  # fmt: skip
GYN = ["UTERUS", "OVARY", "CERVIX", "VULVA"]
PEDIATRIC = ["AML", "BRAIN", "NBL", "WT", "RBL", "OS", "ES", "RMS", "HL"]
FAMILY = (
    "SMITH JOHNSON WILLIAMS BROWN JONES GARCIA MILLER DAVIS RODRIGUEZ MARTINEZ HERNANDEZ LOPEZ "
    "GONZALEZ WILSON ANDERSON THOMAS TAYLOR MOORE JACKSON MARTIN LEE PEREZ THOMPSON WHITE HARRIS "
    "SANCHEZ CLARK RAMIREZ LEWIS ROBINSON WALKER YOUNG ALLEN KING WRIGHT SCOTT TORRES NGUYEN HILL "
    "FLORES GREEN ADAMS NELSON BAKER HALL RIVERA CAMPBELL MITCHELL CARTER ROBERTS PATEL SHAH CHEN "
    "WANG KIM O'BRIEN MULLER KOWALSKI"
)
GIVEN_F = "MARY PATRICIA JENNIFER LINDA ELIZABETH BARBARA SUSAN JESSICA SARAH KAREN LISA PRIYA MARIA MEI"
GIVEN_M = "JAMES ROBERT JOHN MICHAEL DAVID WILLIAM RICHARD JOSEPH THOMAS CHARLES RAJ CARLOS JOSE WEI MINH"
STREETS = "MAIN OAK PINE MAPLE CEDAR ELM WASHINGTON LAKE HILL PARK MEDICAL CENTER HOSPITAL"
STREET_KINDS = ["ST", "AVE", "RD", "BLVD"]
FAMILY_NAMES, STREET_NAMES = FAMILY.split(" "), STREETS.split(" ")
GIVEN_NAMES = {"F": GIVEN_F.split(" "), "M": GIVEN_M.split(" ")}


@cache
def zips_by_state() -> dict[str, list[tuple[str, str]]]:
    import zipcodes

    table: dict[str, list[tuple[str, str]]] = {}
    for record in zipcodes.list_all():
        if record.get("lat") and record.get("zip_code_type") == "STANDARD":
            table.setdefault(record["state"], []).append((record["zip_code"], record["city"].upper()))
    for places in table.values():
        places.sort()
    return table


def npi_for(index: int, start: int) -> str:
    """A unique valid NPI: the index-th 9-digit base from `start`, plus the check digit that fits."""
    base = f"{100_000_000 + (start + index * 7) % 199_999_999:09d}"  # NPIs start with 1 or 2
    return next(base + d for d in "0123456789" if npi_check_digit_ok(base + d))


@dataclass
class Picker:
    rng: random.Random
    values: Sequence[str]
    cumulative: list[float]

    @classmethod
    def of(cls, rng: random.Random, weights: Mapping[str, float]) -> Picker:
        values = list(weights)
        cumulative, total = [], 0.0
        for v in values:
            total += weights[v]
            cumulative.append(total)
        return cls(rng, values, cumulative)

    def pick(self) -> str:
        return self.rng.choices(self.values, cum_weights=self.cumulative)[0]


def synth(
    out: Path,
    count: int,
    seed: int = 1,
    layout: str = "current",
    org_share: float = 0.08,
    deact_share: float = 0.02,
) -> Path:
    """Write `count` NPPES rows to `out` and their profiles to `out` + ".profiles.csv"; returns the latter."""
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    cols = header(layout)
    pos = {name: i for i, name in enumerate(cols)}
    specialty = Picker.of(rng, SPECIALTY_WEIGHTS)
    state = Picker.of(rng, {s: w for s, w in STATE_WEIGHTS.items() if s in zips_by_state()})
    credential = Picker.of(rng, {k: v for k, v in CREDENTIALS.items() if v})
    language = Picker.of(rng, LANGUAGE_WEIGHTS)
    focus = Picker.of(rng, CANCER_FOCUS)
    org_tax = Picker.of(rng, ORG_TAXONOMIES)
    start = rng.randrange(10_000_000)
    profiles_path = out.with_name(out.name + ".profiles.csv")
    with (
        out.open("w", newline="", encoding="utf-8") as f,
        profiles_path.open("w", newline="", encoding="utf-8") as p,
    ):
        writer, profiles = csv.writer(f, quoting=csv.QUOTE_ALL), csv.writer(p)
        writer.writerow(cols)
        profiles.writerow(["npi", "languages", "offers_video", "accepts_second_opinions", "cancer_focus"])
        for i in range(count):
            row = [""] * len(cols)
            npi = npi_for(i, start)
            st = state.pick()
            zip5, city = rng.choice(zips_by_state()[st])
            enumerated = date(2005, 5, 23) + timedelta(days=rng.randrange(7000))
            row[pos["NPI"]] = npi
            row[pos["Provider Enumeration Date"]] = enumerated.strftime("%m/%d/%Y")
            row[pos["Last Update Date"]] = (enumerated + timedelta(days=rng.randrange(900))).strftime(
                "%m/%d/%Y"
            )
            row[pos["Provider First Line Business Practice Location Address"]] = (
                f"{rng.randrange(1, 9999)} {rng.choice(STREET_NAMES)} {rng.choice(STREET_KINDS)}"
            )
            row[pos["Provider Business Practice Location Address City Name"]] = city
            row[pos["Provider Business Practice Location Address State Name"]] = st
            row[pos["Provider Business Practice Location Address Postal Code"]] = (
                zip5 + f"{rng.randrange(10000):04d}"
            )
            row[pos["Provider Business Practice Location Address Country Code (If outside U.S.)"]] = "US"
            if rng.random() < org_share:
                row[pos["Entity Type Code"]] = "2"
                row[pos["Provider Organization Name (Legal Business Name)"]] = (
                    f"{city.title()} {rng.choice(['Medical Group', 'Cancer Center', 'Clinic', 'Health'])} {i}"
                )
                codes = [org_tax.pick()]
            else:
                row[pos["Entity Type Code"]] = "1"
                sex = rng.choice("FM")
                row[pos["Provider Gender Code"]] = sex
                row[pos["Provider Last Name (Legal Name)"]] = rng.choice(FAMILY_NAMES)
                row[pos["Provider First Name"]] = rng.choice(GIVEN_NAMES[sex])
                row[pos["Provider Middle Name"]] = rng.choice("ABCDEJLMRS") if rng.random() < 0.5 else ""
                codes = [specialty.pick()]
                row[pos["Provider Credential Text"]] = (
                    NONPHYSICIAN_CREDENTIALS.get(codes[0]) or credential.pick()
                )
                if rng.random() < 0.25:
                    codes.append(specialty.pick())
                if codes[0] == "207RH0003X" and rng.random() < 0.5:
                    codes.append("207RX0202X")
            codes = list(dict.fromkeys(codes))
            primary_slot = rng.randrange(len(codes))
            for n, code in enumerate(codes, start=1):
                row[pos[f"Healthcare Provider Taxonomy Code_{n}"]] = code
                row[pos[f"Provider License Number_{n}"]] = f"{st}{rng.randrange(10**6):06d}"
                row[pos[f"Provider License Number State Code_{n}"]] = st
                row[pos[f"Healthcare Provider Primary Taxonomy Switch_{n}"]] = (
                    "Y" if n - 1 == primary_slot else "N"
                )
            if rng.random() < deact_share:
                row[pos["NPI Deactivation Date"]] = (
                    enumerated + timedelta(days=rng.randrange(1, 5000))
                ).strftime("%m/%d/%Y")
                row[pos["NPI Deactivation Reason Code"]] = "DT"
            writer.writerow(row)
            if row[pos["Entity Type Code"]] == "1":
                profiles.writerow(_profile(rng, npi, codes, language, focus))
    return profiles_path


def _profile(rng: random.Random, npi: str, codes: list[str], language: Picker, focus: Picker) -> list[str]:
    languages = ["en", *sorted({language.pick() for _ in range(rng.choice([0, 0, 0, 1, 1, 2]))})]
    oncology = bool(ONCOLOGY & set(codes))
    cancer: set[str] = set()
    if oncology:
        if "207VX0201X" in codes:
            cancer = set(rng.sample(GYN, 2))
        elif "2080P0207X" in codes:
            cancer = set(rng.sample(PEDIATRIC, 3))
        else:
            cancer = {focus.pick() for _ in range(rng.randrange(1, 4))}
    video = rng.random() < (0.6 if oncology else 0.3)
    second = rng.random() < (0.5 if oncology else 0.05)
    return [npi, ";".join(languages), str(int(video)), str(int(second)), ";".join(sorted(cancer))]
