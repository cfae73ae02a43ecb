"""secondopinion directory import-nppes FILE [--resume] [--progress] [--profiles FILE]
secondopinion directory import-profiles FILE
secondopinion directory synth --count N --out FILE [--seed S] [--layout current|2018]
secondopinion directory search [--name N] [--specialty S] [--cancer-type C] [--near ZIP|"City, ST"]
    [--radius-miles R] [--video] [--language L] [--center-type T] [--limit 20] [--offset 0] [--json]"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Specialist directory: import the NPPES register and profiles, generate synthetic data."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        nppes = sub.add_parser("import-nppes", help="load an NPPES full-replacement file (CSV or zip)")
        nppes.add_argument("file", type=Path)
        nppes.add_argument("--resume", action="store_true", help="continue an interrupted import")
        nppes.add_argument("--progress", action="store_true", help="progress line even without a TTY")
        nppes.add_argument(
            "--batch-rows", type=int, default=10_000, help="rows per transaction (default 10,000)"
        )
        nppes.add_argument("--profiles", type=Path, help="then apply a profiles file (from `synth`)")
        profiles = sub.add_parser("import-profiles", help="apply a profiles file (languages, video…)")
        profiles.add_argument("file", type=Path)
        synth = sub.add_parser("synth", help="write a synthetic NPPES file and FILE.profiles.csv")
        synth.add_argument("--count", type=int, required=True)
        synth.add_argument("--out", type=Path, required=True)
        synth.add_argument("--seed", type=int, default=1)
        synth.add_argument("--layout", choices=["current", "2018"], default="current")
        search = sub.add_parser("search", help="search practitioners (see docs/directory-search.md)")
        search.add_argument("--name", default="", help="family or given name: prefix, one typo tolerated")
        search.add_argument("--specialty", default="", help="NUCC code or everyday name")
        search.add_argument("--cancer-type", default="", help="everyday name, synonym or OncoTree code")
        search.add_argument("--near", default="", help='a 5-digit ZIP code or "City, ST"')
        search.add_argument("--radius-miles", type=float, default=None)
        search.add_argument("--video", action="store_true", help="only practitioners offering video visits")
        search.add_argument("--language", default="", help="language code, e.g. es")
        search.add_argument(
            "--center-type", default="", help="nci-comprehensive, nci-clinical, nci-basic, nci…"
        )
        search.add_argument("--limit", type=int, default=20)
        search.add_argument("--offset", type=int, default=0)
        search.add_argument("--json", action="store_true", help="print a JSON array")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "import-nppes":
            self._import_nppes(options)
        elif action == "import-profiles":
            self._import_profiles(options["file"])
        elif action == "search":
            self._search(options)
        else:
            from secondopinion.directory.synth import synth

            if options["count"] < 0:
                raise CommandError("--count must be 0 or more")
            profiles = synth(options["out"], options["count"], seed=options["seed"], layout=options["layout"])
            self.stdout.write(
                json.dumps({"rows": options["count"], "out": str(options["out"]), "profiles": str(profiles)})
            )

    def _import_nppes(self, options: dict[str, Any]) -> None:
        from secondopinion.directory.nppes.columns import HeaderError
        from secondopinion.directory.nppes.importer import ImportOptions, import_nppes

        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            how = ImportOptions(
                resume=options["resume"],
                progress=bool(options["progress"] or self.stderr.isatty()),
                emit=self._progress,
                batch_rows=max(1, options["batch_rows"]),
                warn=lambda line: self.stderr.write(line),
            )
            result = import_nppes(path, how)
        except (HeaderError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if result.stopped_early:
            self.stderr.write("stopped before the end of the file: run again with --resume to continue")
        self.stdout.write(json.dumps(result.counts))
        if options["profiles"]:
            self._import_profiles(options["profiles"])

    def _progress(self, text: str) -> None:
        self.stderr.write(text, ending="")
        self.stderr.flush()

    def _import_profiles(self, path: Path) -> None:
        from secondopinion.directory.profiles import import_profiles

        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            counts = import_profiles(path)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps({"profiles": counts}))

    def _search(self, options: dict[str, Any]) -> None:
        from secondopinion.directory.search import SearchError, SearchParams, search

        params = SearchParams(
            name=options["name"],
            specialty=options["specialty"],
            cancer_type=options["cancer_type"],
            near=options["near"],
            radius_miles=options["radius_miles"],
            video=True if options["video"] else None,
            language=options["language"],
            center_type=options["center_type"],
            limit=options["limit"],
            offset=options["offset"],
        )
        try:
            results = search(params)
        except SearchError as exc:
            self.stdout.write(json.dumps(exc.as_dict()))
            raise CommandError(exc.message, returncode=2) from exc
        if options["json"]:
            self.stdout.write(json.dumps(results))
            return
        if not results:
            self.stdout.write("no practitioners found")
        for r in results:
            miles = "" if r["distance_miles"] is None else f"{r['distance_miles']:>7.1f} mi  "
            place = ", ".join(p for p in (r["city"], r["state"]) if p)
            why = "; ".join(r["why"])
            self.stdout.write(
                f"{r['npi']}  {miles}{r['name']} ({r['primary_specialty'] or '-'})  {place}  — {why}"
            )
