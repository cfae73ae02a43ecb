"""Reading the file: the split of plain quoted lines (`read_batches`' fast path) gives exactly what the csv
module gives, whatever the line holds."""

from __future__ import annotations

import csv
import io

import pytest

from secondopinion.directory.nppes import columns, reader
from secondopinion.directory.synth import header

from .helpers import person, valid_npi

NPIS = [valid_npi(f"1{n:08d}") for n in range(40)]


def reference(path, skip: int = 0) -> tuple[list[columns.Row], list[str], int, int]:
    """The file read by `csv.reader` record by record: (rows, first bad-row reports, bad rows, records)."""
    rows, reports, records = [], [], 0
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        cols = columns.ColumnMap(next(reader))
        for record in reader:
            records += 1
            if records <= skip or not record or (len(record) == 1 and not record[0].strip()):
                continue
            try:
                rows.append(cols.parse(record))
            except ValueError as exc:
                reports.append(f"line {reader.line_num}: {exc}")
    return rows, reports[: columns.MAX_REPORTED_BAD_ROWS], len(reports), records


def read(path, skip: int = 0, batch_rows: int = 7) -> tuple[list[columns.Row], list[str], int, int]:
    batches = list(reader.read_batches(path, skip=skip, stop_after=None, batch_rows=batch_rows))
    rows = [r for b in batches for r in b.rows]
    reports = [e for b in batches for e in b.bad_examples]
    assert batches[-1].last
    return rows, reports, sum(b.bad for b in batches), batches[-1].rows_done


def awkward_file(tmp_path, line_end: str = "\n", last_line_end: bool = True):
    cols = header("current")
    out = io.StringIO()
    quoted = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator=line_end)
    bare = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator=line_end)
    quoted.writerow(cols)
    cells = {
        1: {"Provider Last Name (Legal Name)": 'O"BRIEN'},  # an escaped quote
        2: {"Provider First Line Business Practice Location Address": "1 MAIN ST\nSUITE 5"},  # two lines
        3: {"Provider First Name": 'ANN","MARIE'},  # the separator inside a cell
        4: {"Provider First Line Business Practice Location Address": "1 MAIN ST, SUITE 5"},
        5: {"Certification Date": 'said "no"'},  # an escaped quote after the cells we read
        6: {"Provider Business Practice Location Address City Name": "  ROCHESTER  "},
        7: {"Provider Credential Text": "M.D.\r\nPH.D."},
    }
    for n, npi in enumerate(NPIS):
        row = person(npi, **cells.get(n % 12, {}))
        values = [row.get(c, "") for c in cols]
        if n % 12 == 0:  # an empty cell unquoted and an escaped quote: as many quotes as a plain line
            row = person(npi, **{"Provider Last Name (Legal Name)": 'O"NEIL'})
            line = ['"{}"'.format(row.get(c, "").replace('"', '""')) for c in cols]
            line[cols.index("Replacement NPI")] = ""
            out.write(",".join(line) + line_end)
        elif n % 12 == 8:
            bare.writerow(values)  # unquoted cells
        elif n % 12 == 9:
            quoted.writerow(values[:200])  # too few cells
        elif n % 12 == 10:
            out.write(line_end)  # a blank line, then the row
            quoted.writerow(values)
        elif n % 12 == 11:
            quoted.writerow([*values, "extra"])  # one cell too many
        else:
            quoted.writerow(values)
    text = out.getvalue()
    if not last_line_end:
        text = text.removesuffix(line_end)
    path = tmp_path / "awkward.csv"
    path.write_text(text, encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize(("line_end", "last_line_end"), [("\n", True), ("\r\n", True), ("\r\n", False)])
def test_plain_lines_and_awkward_ones_read_as_the_csv_module_reads_them(tmp_path, line_end, last_line_end):
    path = awkward_file(tmp_path, line_end, last_line_end)
    rows, reports, bad, records = read(path)
    assert (rows, reports, bad, records) == reference(path)
    by_npi = {r.npi: r for r in rows}
    family, first, line1 = columns.F["family_name"], columns.F["given_name"], columns.F["line1"]
    assert by_npi[NPIS[1]].fields[family] == 'O"BRIEN' and by_npi[NPIS[3]].fields[first] == 'ANN","MARIE'
    assert by_npi[NPIS[2]].fields[line1] == "1 MAIN ST\nSUITE 5"
    assert by_npi[NPIS[0]].fields[family] == 'O"NEIL'
    assert bad == 6 and records == 43 and "expected 330 fields, got 200" in reports[0]


def test_a_resumed_read_skips_records_not_lines(tmp_path):
    path = awkward_file(tmp_path)
    for skip in (1, 2, 3, 11, 25):
        assert read(path, skip=skip) == reference(path, skip=skip)
