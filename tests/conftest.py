"""Shared fixtures: the starter project built once per session, and small throw-away projects."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-23"
os.environ.setdefault("KB_TODAY", TODAY)


def build(project: Path, site_dir: Path, members: bool = False, **settings) -> Path:
    """A build of the project into site_dir; its build cache beside the site unless `cache_dir` says where."""
    from kb.building.runner import build_site

    settings.setdefault("cache_dir", str(site_dir.with_name(site_dir.name + ".cache")))
    build_site(project / "mkdocs.yml", site_dir, members=members, **settings)
    return site_dir


@pytest.fixture(scope="session")
def public_site(tmp_path_factory) -> Path:
    """The starter content built as the public site."""
    return build(ROOT, tmp_path_factory.mktemp("public") / "site")


@pytest.fixture(scope="session")
def members_site(tmp_path_factory) -> Path:
    """The starter content built as the members' site."""
    return build(ROOT, tmp_path_factory.mktemp("members") / "site", members=True)


GENERATED_ENTRIES = 300


@pytest.fixture(scope="session")
def generated_site(tmp_path_factory) -> Path:
    """The starter's site files plus 300 generated entries of every type (kb_tools.corpus), built as the public site."""
    from kb_tools.corpus import generate_project

    base = tmp_path_factory.mktemp("generated")
    generate_project(base / "project", GENERATED_ENTRIES, seed=5)
    return build(base / "project", base / "site")


MINI_TAGS = """\
attendance: {label: Attendance, description: Getting pupils to school., synonyms: [absence, truancy]}
coaching: {label: Coaching, description: One-to-one professional coaching., synonyms: [mentoring]}
"""

MINI_NETWORK = """\
---
title: {title}
summary: A network for testing.
model: meshed
stage: facilitated
convener: Deputy headteacher, host school
cadence: half-termly
functions: [knowledge-sharing]
phases: [primary]
status: published
---
The {title} network works on shared questions.
"""

MINI_CASE = """\
---
title: Coaching in Year 7
summary: How coaching settled Year 7.
date: 2026-03-12
networks: [equity]
tags: [coaching]
status: published
approach: enquiring
---
We coached every new pupil.
"""


class Project:
    """A small valid project in a temporary folder, to break one thing at a time."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True)
        shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
        (root / "content" / "networks").mkdir(parents=True)
        (root / "register").mkdir()
        (root / "content" / "index.md").write_text("# Home\n\nWelcome.\n", encoding="utf-8")
        self.write("content/tags.yml", MINI_TAGS)
        self.write("content/networks/equity.md", MINI_NETWORK.format(title="Equity"))
        self.write("content/networks/send.md", MINI_NETWORK.format(title="SEND"))
        self.write("content/case-studies/coaching-year-7.md", MINI_CASE)

    def write(self, relpath: str, text: str | bytes) -> Path:
        path = self.root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
        return path

    def problems(self):
        from kb.project import load_project

        return load_project(self.root)[1]

    def catalogue(self, members: bool = False):
        from kb.project import load_project

        return load_project(self.root, members=members)[0]


@pytest.fixture
def project(tmp_path) -> Project:
    return Project(tmp_path / "project")


@pytest.fixture(scope="session")
def production_stack(tmp_path_factory):
    """scripts/production on a copy of the starter project, with one member (tests/live/stack.py); for checks that change nothing."""
    from tests.live.stack import start

    stack = start(tmp_path_factory.mktemp("production"))
    yield stack
    stack.stop()
