"""urls: the URL rule (references, source paths, URLs), and relpath, string arithmetic that must give exactly what
posixpath.relpath gives."""

from __future__ import annotations

import itertools
import posixpath

import pytest

from kb.content.model import ENTRY_TYPES
from kb.content.urls import entry_path, entry_ref, entry_url, listing_url, minutes_network, network_ref, ref_of, relpath, src_uri
from tests.factories import paths


def test_relpath_equals_posixpath_relpath_on_every_pair():
    every = paths()
    starts = every[::17]
    assert len(every) > 700 and len(starts) > 40
    for start, path in itertools.product(starts, every):
        assert relpath(path, start) == posixpath.relpath(path or ".", start or "."), (path, start)


def test_links_between_entry_sources():
    assert relpath("case-studies/b.md", "minutes/equity") == "../../case-studies/b.md"
    assert relpath("minutes/equity/2026-01-01.md", "minutes/equity") == "2026-01-01.md"
    assert relpath("about/index.md", "") == "about/index.md"


# -- references, source paths and URLs: the URL rule -------------------------------------------

# (type, project-relative file, network folder, reference, stem)
ENTRY_FILES = [
    ("network", "content/networks/equity.md", None, "networks/equity", "equity"),
    (
        "case-study",
        "content/case-studies/transition-coaching.md",
        None,
        "case-studies/transition-coaching",
        "transition-coaching",
    ),
    ("minutes", "content/minutes/equity/2026-03-12.md", "equity", "minutes/equity/2026-03-12", "2026-03-12"),
    ("research", "content/research/2026-03-oracy-review.md", None, "research/2026-03-oracy-review", "2026-03-oracy-review"),
    ("learning-summary", "content/summaries/spring-2026.md", None, "summaries/spring-2026", "spring-2026"),
    ("register-entry", "register/peer-coaching.md", None, "register/peer-coaching", "peer-coaching"),
]


def test_every_entry_type_has_an_example():
    assert sorted(t for t, *_ in ENTRY_FILES) == sorted(ENTRY_TYPES)


@pytest.mark.parametrize("type_name, rel, network, ref, stem", ENTRY_FILES, ids=[f[0] for f in ENTRY_FILES])
def test_entry_ref_entry_path_and_ref_of_agree(type_name, rel, network, ref, stem):
    assert entry_ref(rel, ENTRY_TYPES[type_name]) == (ref, stem)
    assert entry_path(type_name, stem, network) == rel
    assert ref_of(type_name, stem, network) == ref


@pytest.mark.parametrize("type_name", list(ENTRY_TYPES))
@pytest.mark.parametrize("stem", ["a", "2026-03-12", "2026-03-x-y"])
def test_entry_ref_inverts_entry_path_for_every_type(type_name, stem):
    network = "send" if ENTRY_TYPES[type_name].depth == 2 else None
    path = entry_path(type_name, stem, network)
    assert path.startswith(ENTRY_TYPES[type_name].folder + "/") and path.endswith(f"/{stem}.md")
    assert entry_ref(path, ENTRY_TYPES[type_name]) == (ref_of(type_name, stem, network), stem)


def test_minutes_ignore_the_network_only_outside_minutes():
    assert entry_path("case-study", "x", "equity") == "content/case-studies/x.md"
    assert ref_of("case-study", "x", "equity") == "case-studies/x"
    assert ref_of("minutes", "2026-03-12", "send") == "minutes/send/2026-03-12"


@pytest.mark.parametrize(
    "ref, url, src",
    [
        ("case-studies/x", "case-studies/x/", "case-studies/x.md"),
        ("minutes/equity/2026-03-12", "minutes/equity/2026-03-12/", "minutes/equity/2026-03-12.md"),
        ("register/peer-coaching", "register/peer-coaching/", "register/peer-coaching.md"),
    ],
)
def test_an_entry_is_generated_at_ref_md_and_served_at_ref_slash(ref, url, src):
    assert entry_url(ref) == url
    assert src_uri(ref) == src


def test_network_ref_is_the_network_entry():
    assert network_ref("equity") == "networks/equity" == ref_of("network", "equity")


@pytest.mark.parametrize(
    "type_name, url",
    [
        ("network", "networks/"),
        ("case-study", "case-studies/"),
        ("minutes", "minutes/"),
        ("research", "research/"),
        ("learning-summary", "summaries/"),
        ("register-entry", "register/"),
    ],
)
def test_listing_url_is_the_url_prefix_as_a_folder(type_name, url):
    assert listing_url(type_name) == url


@pytest.mark.parametrize(
    "ref, network",
    [
        ("minutes/equity/2026-03-12", "equity"),
        ("minutes/send/2026-11-02", "send"),
        ("case-studies/x", None),
        ("networks/equity", None),
        ("minutes", None),
    ],
)
def test_minutes_network_is_the_folder_of_a_minutes_reference(ref, network):
    assert minutes_network(ref) == network


@pytest.mark.parametrize("network", [None, ""])
def test_minutes_without_a_network_have_no_path(network):
    from kb.content.urls import entry_path, ref_of

    for make in (entry_path, ref_of):
        with pytest.raises(ValueError, match="lives in its network's folder"):
            make("minutes", "2026-03-12", network)
    assert entry_path("case-study", "x", None) == "content/case-studies/x.md"  # other types need none
