"""The whole project, loaded once: the content layer's catalogue with the checks every feature adds.

`kb check`, `kb build`, `kb serve`, `kb new` and `kb mail` all load through here, so they report the
same problems. The content layer knows nothing of the features; the features' cross-entry checks
(the convenor's meeting habits, the papers' files) and data files (content/organisations.yml) are
named here, once.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from kb.content import loader
from kb.content.catalogue import Catalogue
from kb.content.problems import Problem
from kb.content.vocabulary import read_vocabulary
from kb.meetings.aliases import load_aliases
from kb.meetings.convenor import convenor_checks
from kb.meetings.papers import paper_problems

# The convenor's checks read only the minutes: kept between loads while no minutes file (and not today) changed.
CHECKS: tuple[loader.CrossCheck | loader.FilesCheck, ...] = (
    loader.FilesCheck("convenor", frozenset({"minutes"}), convenor_checks),
)


def load_project(root: Path, **options) -> tuple[Catalogue, list[Problem]]:
    """loader.load_project with every feature's checks (options: members, today, preview), and what each
    vocabulary value means (search and facets show it)."""
    papers = partial(_papers, Path(root))
    catalogue, problems = loader.load_project(root, checks=(*CHECKS, papers), **options)
    catalogue.organisation_aliases, alias_problems = load_aliases(Path(root))
    catalogue.vocabulary = read_vocabulary(Path(root))
    return catalogue, problems + alias_problems


def _papers(root: Path, entries, today) -> list[Problem]:
    """Paper files named by minutes must exist beside them (the only check that reads other files)."""
    return paper_problems(list(entries), root)


def check_project(root: Path) -> list[Problem]:
    """Everything wrong in a project, for `kb check` and the build alike."""
    return load_project(root)[1]
