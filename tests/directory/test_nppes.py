"""Pure parsing: columns by header name, ZIPs, dates, bad rows; the shipped code tables."""

from __future__ import annotations

import csv

import pytest

from secondopinion.directory import taxonomy
from secondopinion.directory.nppes import columns
from secondopinion.directory.synth import header

from .helpers import person, valid_npi
from .records import Record, parse_row


def parse(row: dict[str, str], cols: list[str] | None = None) -> Record:
    cols = cols or header("current")
    return parse_row([row.get(c, "") for c in cols], columns.ColumnMap(cols))


def test_columns_are_found_by_name_in_any_order():
    row = person(valid_npi("123456789"))
    shuffled = list(reversed(header("current")))
    assert parse(row).digest == parse(row, shuffled).digest
    assert parse(row, header("2018")).digest == parse(row).digest  # a layout change alone is not an update


def test_the_sex_column_is_found_under_its_newer_name_too():
    cols = ["Provider Sex Code" if c == "Provider Gender Code" else c for c in header("current")]
    row = person(valid_npi("123456789"))
    row["Provider Sex Code"] = row.pop("Provider Gender Code")
    assert parse(row, cols).fields["sex"] == "F"


def test_a_file_without_the_npi_column_is_not_an_nppes_file():
    with pytest.raises(columns.HeaderError):
        columns.ColumnMap(["a", "b"])


@pytest.mark.parametrize(
    ("postal", "zip5"),
    [
        ("061051208", "06105"),
        ("06105", "06105"),
        ("6105", "06105"),
        ("61051208", "06105"),
        ("", ""),
        ("A1B", ""),
    ],
)
def test_zip_plus_four_becomes_the_first_five_digits(postal, zip5):
    assert columns.zip5_of(postal) == zip5


def test_slots_keep_position_primary_switch_and_licence():
    row = person(
        valid_npi("123456789"),
        **{
            "Healthcare Provider Primary Taxonomy Switch_1": "N",
            "Healthcare Provider Taxonomy Code_15": "2085r0001x",
            "Provider License Number State Code_15": "NY",
            "Healthcare Provider Primary Taxonomy Switch_15": "Y",
        },
    )
    record = parse(row)
    assert [(s.slot, s.code, s.primary, s.license_state) for s in record.slots] == [
        (1, "207RX0202X", False, "CT"),
        (15, "2085R0001X", True, "NY"),
    ]


def test_a_reactivated_npi_is_active():
    row = person(valid_npi("123456789"), **{"NPI Deactivation Date": "03/16/2006"})
    assert not parse(row).active
    row["NPI Reactivation Date"] = "03/20/2006"
    assert parse(row).active


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"NPI": "123"}, "not 10 digits"),
        ({"NPI": "1234567890"}, "check digit"),
        ({"Entity Type Code": "7"}, "neither 1 nor 2"),
        ({"NPI Deactivation Date": "31/31/2020"}, "not a date"),
        ({"Entity Type Code": "2"}, "organization without a name"),
    ],
)
def test_bad_rows_say_why(change, reason):
    row = person(valid_npi("123456789"))
    row.update(change)
    with pytest.raises(ValueError, match=reason):
        parse(row)


def test_too_few_fields_is_a_bad_row():
    cols = header("current")
    with pytest.raises(ValueError, match="expected 330 fields, got 3"):
        parse_row(["1", "2", "3"], columns.ColumnMap(cols))


def test_the_generator_writes_the_2018_header_of_the_real_file(shared_sample):
    with shared_sample.open(newline="", encoding="utf-8") as f:
        assert next(csv.reader(f)) == header("2018")
    assert len(header("2018")) == 329 and header("current")[-1] == "Certification Date"


def test_nucc_table_has_the_oncology_codes_and_keeps_unknown_codes():
    for code in ("207RX0202X", "207RH0003X", "2086X0206X", "2085R0001X", "207VX0201X", "2080P0207X"):
        assert code in taxonomy.nucc_table()
    assert taxonomy.display("207RX0202X") == "Medical Oncology Physician"
    assert taxonomy.display("999X00000X") == "Unknown NUCC code"
    assert len(taxonomy.nucc_table()) == 874


def test_everyday_names_map_to_nucc_codes():
    assert set(taxonomy.codes_for("Medical Oncologists")) == {"207RX0202X", "207RH0003X"}
    assert taxonomy.codes_for("surgical oncologist") == ("2086X0206X",)
    assert taxonomy.codes_for("2085r0001x") == ("2085R0001X",)
    assert taxonomy.codes_for("wizard") == ()
    for name in taxonomy.specialty_names().values():
        assert all(code in taxonomy.nucc_table() for code in name.nucc_codes), name.everyday_name
