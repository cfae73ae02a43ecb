"""`secondopinion triage INPUT.json [--rare-threshold N]`: JSON out, errors as JSON with exit status 2."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def triage(tmp_path, answers, *args, raw=None, **kwargs):
    """Run the command on ``answers`` written to a file; return (exit status, parsed stdout)."""
    path = tmp_path / "answers.json"
    path.write_text(raw if raw is not None else json.dumps(answers), encoding="utf-8")
    out = io.StringIO()
    status: int | str | None = 0
    try:
        call_command("triage", str(path), *args, stdout=out, **kwargs)
    except SystemExit as exc:
        status = exc.code
    return status, json.loads(out.getvalue())


def test_prints_the_triage(tmp_path):
    status, result = triage(tmp_path, {"cancer_type": "glioblastoma", "zip": "59001", "comfortable": False})
    assert status == 0
    assert result["recommendation"] == "strongly_suggested"
    assert result["reasons"] == ["rare_cancer", "not_comfortable"]
    assert result["channels"] == ["pathology_review", "independent_specialist", "renowned_expert"]
    assert result["rural"] is True and len(result["nearest_centers"]) == 3
    assert list(result) == [
        "recommendation",
        "reasons",
        "channels",
        "specialties",
        "rare",
        "rural",
        "nearest_centers",
        "explanations",
    ]


def test_reads_stdin(tmp_path):
    out = io.StringIO()
    call_command("triage", "-", stdin=io.StringIO('{"cancer_type": "lung cancer"}'), stdout=out)
    assert json.loads(out.getvalue())["recommendation"] == "optional"


@pytest.mark.parametrize(
    ("args", "setting", "rare"),
    [
        ((), None, True),  # default 15: thyroid (12.94) is rare
        (("--rare-threshold", "6"), None, False),  # RARECARE
        ((), 6, False),  # the setting
        ((), "6", False),  # the setting, from an environment string
        (("--rare-threshold", "15"), 6, True),  # the flag wins over the setting
        (("--rare-threshold=12.94",), None, False),  # fewer than: equal is not rare
    ],
)
def test_threshold_flag_and_setting(tmp_path, settings, args, setting, rare):
    if setting is not None:
        settings.SECONDOPINION_RARE_THRESHOLD = setting
    elif hasattr(settings, "SECONDOPINION_RARE_THRESHOLD"):
        del settings.SECONDOPINION_RARE_THRESHOLD
    status, result = triage(tmp_path, {"cancer_type": "thyroid cancer"}, *args)
    assert status == 0
    assert ("rare_cancer" in result["reasons"]) is rare
    if rare:
        assert result["rare"]["threshold"] == float(args[1] if args else setting or 15)


def test_rural_miles_setting(tmp_path, settings):
    settings.SECONDOPINION_RURAL_MILES = 400
    status, result = triage(tmp_path, {"cancer_type": "lung cancer", "zip": "59001"})
    assert status == 0 and result["rural"] is False


def test_unknown_cancer_type_exits_2_with_suggestions(tmp_path):
    status, result = triage(tmp_path, {"cancer_type": "lukemia"})
    assert status == 2
    assert result["error"]["code"] == "unknown_cancer_type"
    assert "Leukemia (all types)" in result["error"]["suggestions"]
    assert "lukemia" in result["error"]["message"]


@pytest.mark.parametrize(
    ("answers", "raw", "args", "code"),
    [
        (None, "{not json", (), "invalid_json"),
        (None, '{"cancer_type": "lung cancer", "age": NaN}', (), "invalid_json"),
        (None, "", (), "invalid_json"),
        (["lung cancer"], None, (), "invalid_input"),
        ({"age": 40}, None, (), "missing_cancer_type"),
        ({"cancer_type": "lung cancer", "zip": "00000"}, None, (), "unknown_zip"),
        ({"cancer_type": "lung cancer", "doctor_experience": "lots"}, None, (), "invalid_option"),
        ({"cancer_type": "lung cancer"}, None, ("--rare-threshold", "abc"), "invalid_threshold"),
        ({"cancer_type": "lung cancer"}, None, ("--rare-threshold", "-1"), "invalid_threshold"),
        ({"cancer_type": "lung cancer"}, None, ("--rare-threshold", "nan"), "invalid_threshold"),
    ],
)
def test_invalid_input_exits_2_with_error_json(tmp_path, answers, raw, args, code):
    status, result = triage(tmp_path, answers, *args, raw=raw)
    assert status == 2
    assert result["error"]["code"] == code and result["error"]["message"]


def test_missing_file_exits_2(tmp_path):
    out = io.StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command("triage", str(tmp_path / "nope.json"), stdout=out)
    assert caught.value.code == 2
    assert json.loads(out.getvalue())["error"]["code"] == "unreadable_input"


def test_console_script(tmp_path):
    """The real `secondopinion` entry point: exit status and stdout, through a separate process."""
    path = tmp_path / "answers.json"
    path.write_text('{"cancer_type": "Ewing sarcoma", "age": 14}', encoding="utf-8")
    script = Path(sys.executable).with_name("secondopinion")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "secondopinion.cli"]
    env = {**os.environ, "SECONDOPINION_TESTING": "true"}
    ok = subprocess.run([*command, "triage", str(path)], capture_output=True, text=True, cwd=ROOT, env=env)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["rare"]["basis"] == "incidence"
    failed = subprocess.run(
        [*command, "triage", "-", "--rare-threshold", "6"],
        input='{"cancer_type": "Brest cancer"}',
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert failed.returncode == 2
    assert json.loads(failed.stdout)["error"]["suggestions"][0] == "Breast cancer (female)"
