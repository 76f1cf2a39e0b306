"""The suite fixture: one running suite shared by the end-to-end tests of a session."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import start_suite  # noqa: E402


@pytest.fixture(scope="session")
def suite():
    running = start_suite()
    try:
        yield running
    finally:
        running.kill_all()
