"""The suite fixture: one running suite shared by the end-to-end tests of a session."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def suite():
    from harness import start_suite  # imported here: importing harness asks the built binaries for the suite


    running = start_suite()
    try:
        yield running
    finally:
        running.kill_all()
