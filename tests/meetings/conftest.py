"""Fixtures shared by the meetings tests: the project of tests/meetings_fixture.py and its public catalogue."""

from __future__ import annotations

import pytest

from tests.cycle_fixture import write_cycle
from tests.factories import TODAY
from tests.meetings_fixture import write_meetings


@pytest.fixture
def meetings_project(project):
    write_meetings(project)
    return project


@pytest.fixture
def cat(meetings_project):
    catalogue = meetings_project.catalogue()
    assert catalogue.today == TODAY  # KB_TODAY from tests/conftest.py
    return catalogue


@pytest.fixture
def cycle(project):
    """The project of tests/cycle_fixture.py: one network's meetings through the convenor's whole cycle."""
    write_cycle(project)
    return project
