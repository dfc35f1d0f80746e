"""The whole project, loaded once: the content layer's catalogue with the checks every feature adds.

`kb check`, `kb build`, `kb serve` and `kb new` all load through here, so they report the same
problems. The content layer knows nothing of the features; the features' cross-entry checks
(the convenor's meeting habits) are named here, once.
"""

from __future__ import annotations

from pathlib import Path

from kb.content import loader
from kb.content.catalogue import Catalogue
from kb.content.problems import Problem
from kb.content.vocabulary import read_vocabulary
from kb.meetings.convenor import convenor_checks

CHECKS: tuple[loader.CrossCheck, ...] = (convenor_checks,)


def load_project(root: Path, **options) -> tuple[Catalogue, list[Problem]]:
    """loader.load_project with every feature's checks (options: members, today, preview), and what each
    vocabulary value means (search and facets show it)."""
    catalogue, problems = loader.load_project(root, checks=CHECKS, **options)
    catalogue.vocabulary = read_vocabulary(Path(root))
    return catalogue, problems


def check_project(root: Path) -> list[Problem]:
    """Everything wrong in a project, for `kb check` and the build alike."""
    return load_project(root)[1]
