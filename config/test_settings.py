"""Settings for the test suite: a throw-away data directory, fast hashing, immediate tasks."""

import os
import tempfile

os.environ["SECONDOPINION_TESTING"] = "true"
os.environ.setdefault("SECONDOPINION_DATA_DIR", tempfile.mkdtemp(prefix="secondopinion-test-"))

from config.settings import *  # noqa: F403
