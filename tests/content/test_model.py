"""model: the content model's facts agree with each other, with the validator and with the starter project."""

from __future__ import annotations

import re

import pytest

from kb.content import validate
from kb.content.model import (
    CONTENT_DIR,
    DATE_RE,
    ENTRY_TYPES,
    MONTH_RE,
    REGISTER_DIR,
    SLUG_RE,
    STATUSES,
    TIME_RE,
    TYPE_BY_FOLDER,
    TYPE_FIELDS,
    VISIBILITIES,
    VOCABULARIES,
    VOCABULARY_PAGES,
    Field,
)
from kb.content.urls import entry_path, entry_ref, listing_url, ref_of
from tests.conftest import ROOT

VOCAB_KINDS = {"vocab", "vocab-list"}
NESTED_KINDS = {"mapping", "records"}


def _walk(fields: tuple[Field, ...], prefix: str):
    for spec in fields:
        yield prefix + spec.name, spec
        yield from _walk(spec.fields, prefix + spec.name + ".")


# (where, Field) for every field of every type, nested ones too: "minutes: actions.due"
FIELDS = [(f"{type_name}: {name}", spec) for type_name, specs in TYPE_FIELDS.items() for name, spec in _walk(specs, "")]


def test_every_field_is_walked():
    where = dict(FIELDS)
    assert len(where) == len(FIELDS) > 80
    assert where["minutes: actions.due"].kind == "date" and where["research: reading.year"].kind == "year"


# -- entry types -------------------------------------------------------------------------------


def test_types_are_keyed_by_their_name_and_fields_cover_exactly_the_types():
    assert all(name == etype.name for name, etype in ENTRY_TYPES.items())
    assert set(TYPE_FIELDS) == set(ENTRY_TYPES)


def test_folders_and_url_prefixes_are_unique():
    types = list(ENTRY_TYPES.values())
    assert len({t.folder for t in types}) == len(types)
    assert len({t.url_prefix for t in types}) == len(types)
    assert {t.folder: t for t in types} == TYPE_BY_FOLDER


@pytest.mark.parametrize("etype", list(ENTRY_TYPES.values()), ids=list(ENTRY_TYPES))
def test_each_type_lives_in_content_or_register_and_is_served_under_its_folder_name(etype):
    assert etype.folder == REGISTER_DIR or etype.folder.startswith(CONTENT_DIR + "/")
    assert etype.folder.rsplit("/", 1)[-1] == etype.url_prefix  # content/summaries -> summaries/
    assert listing_url(etype.name) == etype.url_prefix + "/"
    assert etype.depth == (2 if etype.name == "minutes" else 1)


@pytest.mark.parametrize("etype", list(ENTRY_TYPES.values()), ids=list(ENTRY_TYPES))
def test_each_type_stem_hint_example_fits_its_stem_pattern(etype):
    example = etype.stem_hint.rsplit("e.g. ", 1)[-1]
    assert etype.stem_pattern.match(example), (etype.name, example)
    network = "equity" if etype.depth == 2 else None
    path = entry_path(etype.name, example, network)
    assert entry_ref(path, etype) == (ref_of(etype.name, example, network), example)
    assert ref_of(etype.name, example, network).startswith(etype.url_prefix + "/")


@pytest.mark.parametrize(
    "pattern, good, bad",
    [
        (SLUG_RE, ["a", "transition-coaching", "post-16", "2024"], ["", "A", "a--b", "-a", "a-", "a_b", "a b", "café"]),
        (DATE_RE, ["2026-03-12"], ["2026-3-12", "12-03-2026", "2026/03/12", "2026-03-12x"]),
        (MONTH_RE, ["2026-01", "2026-12"], ["2026-00", "2026-13", "2026-1", "2026-03-12"]),
        (TIME_RE, ["00:00", "09:30", "23:59"], ["24:00", "9:30", "12:60", "12:00pm"]),
    ],
    ids=["slug", "date", "month", "time"],
)
def test_patterns(pattern: re.Pattern[str], good, bad):
    assert [g for g in good if not pattern.match(g)] == []
    assert [b for b in bad if pattern.match(b)] == []


# -- fields and vocabularies -----------------------------------------------------------------


@pytest.mark.parametrize("type_name", list(TYPE_FIELDS))
def test_field_names_are_unique_within_each_mapping(type_name):
    def check(fields: tuple[Field, ...]) -> None:
        names = [f.name for f in fields]
        assert len(names) == len(set(names)), (type_name, names)
        for f in fields:
            check(f.fields)

    check(TYPE_FIELDS[type_name])


@pytest.mark.parametrize("type_name", list(TYPE_FIELDS))
def test_every_type_requires_title_summary_and_status(type_name):
    required = {f.name for f in TYPE_FIELDS[type_name] if f.required}
    assert {"title", "summary", "status"} <= required
    if type_name != "network":  # a network's networks are itself; it has no date
        assert {"date", "networks"} <= required


@pytest.mark.parametrize("where, spec", FIELDS, ids=[where for where, _ in FIELDS])
def test_every_field_kind_is_one_the_validator_checks(where, spec):
    method = validate._METHOD.get(spec.kind, spec.kind.replace("-", "_"))
    assert callable(getattr(validate._Checker, method, None)), f"{where}: no _Checker.{method} for kind '{spec.kind}'"


@pytest.mark.parametrize("where, spec", FIELDS, ids=[where for where, _ in FIELDS])
def test_vocabulary_fields_name_a_vocabulary_and_only_they_do(where, spec):
    if spec.kind in VOCAB_KINDS:
        assert spec.vocab in VOCABULARIES, f"{where} names vocabulary {spec.vocab!r}"
        example = [v.strip() for v in spec.example.strip("[]").split(",")]
        assert set(example) <= set(VOCABULARIES[spec.vocab]), f"{where}: example {spec.example!r}"
    else:
        assert spec.vocab is None, where


@pytest.mark.parametrize("where, spec", FIELDS, ids=[where for where, _ in FIELDS])
def test_only_mappings_and_records_have_fields_and_they_require_one(where, spec):
    if spec.kind in NESTED_KINDS:
        assert spec.fields, where
        assert any(f.required for f in spec.fields), f"{where}: a mapping with nothing required"
    else:
        assert spec.fields == (), where


@pytest.mark.parametrize(
    "type_name, mapping, required",
    [
        ("minutes", "meeting", {"start", "end", "format"}),
        ("minutes", "actions", {"action", "owner", "due", "status"}),
        ("research", "reading", {"title", "authors", "year"}),
        ("learning-summary", "period", {"from", "to"}),
        ("register-entry", "offered_by", {"organisation"}),
    ],
)
def test_required_fields_of_mappings(type_name, mapping, required):
    (spec,) = [f for f in TYPE_FIELDS[type_name] if f.name == mapping]
    assert {f.name for f in spec.fields if f.required} == required


def test_vocabularies_are_slugs_without_repeats_and_include_status_and_visibility():
    for name, values in VOCABULARIES.items():
        assert values and len(values) == len(set(values)), name
        assert [v for v in values if not SLUG_RE.match(v)] == [], name
    assert VOCABULARIES["status"] == STATUSES == ("draft", "review", "published")
    assert VOCABULARIES["visibility"] == VISIBILITIES == ("public", "members")


@pytest.mark.parametrize("vocabulary, page", list(VOCABULARY_PAGES.items()))
def test_vocabulary_pages_are_about_pages_of_the_starter_project(vocabulary, page):
    assert vocabulary in VOCABULARIES
    assert re.fullmatch(r"about/[a-z-]+/", page), page
    source = ROOT / CONTENT_DIR / (page.rstrip("/") + ".md")
    assert source.is_file(), f"{page} has no {source.relative_to(ROOT)}"


def test_every_vocabulary_of_a_network_or_case_study_has_its_page():
    shown = {
        f.vocab for t in ("network", "case-study") for f in TYPE_FIELDS[t] if f.vocab and f.vocab not in ("status", "visibility")
    }
    assert shown == set(VOCABULARY_PAGES)
