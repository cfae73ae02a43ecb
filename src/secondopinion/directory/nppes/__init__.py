"""The NPPES full-replacement file: its columns, found by header name, one row parsed into a record, and the
file read in batches.

Both the older 329-column layout (e.g. the December 2018 file) and the current one (330 columns, with
"Certification Date" at the end) load, because every column is looked up by its header name, never by
position. No database here (and no Django): `python -m secondopinion.directory.nppes.child` is the parsing
child process of a parallel import (see `child.batches_from_child`).

The importer parses millions of rows, so `ColumnMap.parse` is written for speed: one `itemgetter` built from
the header picks the ~80 cells we keep, and a row becomes one flat tuple (`Row`), not a dict or an object.
"""
