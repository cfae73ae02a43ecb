from __future__ import annotations

import pytest

from tests.conftest import shared_data


@pytest.fixture
def shared_sample():
    return shared_data("nppes_sample/sample-nppes-practitioner_20181204-data.csv")
