from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from tests.factories import login, make_case, make_user

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def shared_data(relative: str) -> Path:
    """A path in ../shared/data; missing data fails under CI (never a silent skip), skips elsewhere."""
    path = SHARED_DATA / relative
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing: CI must have ../shared/data beside the checkout")
        pytest.skip(f"{path} is not available on this machine")
    return path


@pytest.fixture(autouse=True)
def _english_between_tests():
    """A request in Spanish leaves Spanish active in the thread (LocaleMiddleware activates the request's
    language and nothing resets it), so a later test in the same process would answer in Spanish."""
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _file_store(settings, tmp_path):
    """Each test gets its own encrypted file store."""
    settings.FILE_STORE_DIR = tmp_path / "files"


@pytest.fixture
def patient(db):
    return make_user("patient")


@pytest.fixture
def patient_client(patient):
    return login(Client(), patient)


@pytest.fixture
def case(patient):
    return make_case(patient, cancer_type="Breast cancer")
