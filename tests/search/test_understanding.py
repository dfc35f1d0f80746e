"""Search that understands the partnership's words (issue 22), on the starter content's public index:
vocabulary values and the "Did you know" card, soft filters, the new facets, hyphens and year groups,
and the spelling rules, each on a small project where the starter content cannot show it."""

from __future__ import annotations

import pytest

from kb.search import planning
from kb.search.index import build_index, index_dir_for
from kb.search.query import SearchEngine
from tests.conftest import MINI_CASE, ROOT

MESHED = {"networks/primary-leaders", "networks/secondary-leaders", "networks/equity", "networks/professional-learning"}


@pytest.fixture(scope="module")
def engine(public_site):
    return SearchEngine(index_dir_for(public_site))


@pytest.fixture(scope="module")
def catalogue():
    from kb.project import load_project

    return load_project(ROOT)[0]


def refs(answer) -> list[str]:
    return [hit["ref"] for hit in answer["results"]]


# --- vocabulary values ---------------------------------------------------------------------------------------


def test_a_vocabulary_word_finds_the_entries_carrying_it_first_and_explains_it(engine):
    answer = engine.search("meshed")
    assert set(refs(answer)[:4]) == MESHED  # no entry's text says "meshed": the networks carry the value
    card = answer["card"]
    assert card["value"] == "model:meshed" and card["label"] == "Meshed" and card["about"] == "Network models"
    assert card["url"] == "about/network-models/#meshed" and card["text"].startswith("In a meshed network")


@pytest.mark.parametrize(
    "typed, value",
    [
        ("hub network", "model:hub"),
        ("sense-making", "stage:sense-making"),
        ("brokering partnerships", "brokerage:partnerships"),
        ("landscaping", "approach:landscaping"),
        ("peer support", "functions:peer-support"),
        ("further education", "phases:fe"),
    ],
)
def test_labels_ids_and_kind_words_all_name_the_value(engine, catalogue, typed, value):
    answer = engine.search(typed)
    assert answer["card"]["value"] == value
    vocabulary, wanted = value.split(":")
    for ref in refs(answer)[:2]:  # the first entries carry the value
        carried = catalogue.entries[ref].meta.get(vocabulary)
        assert wanted == carried or wanted in (carried or []), (typed, ref, carried)


def test_no_card_for_ordinary_words(engine):
    assert engine.search("attendance")["card"] is None
    assert engine.search("")["card"] is None


# --- soft filters --------------------------------------------------------------------------------------------


def test_a_phase_word_among_other_words_lists_its_entries_first_and_drops_nothing(engine):
    answer = engine.search("reading year 3 primary")
    assert [(s["key"], s["on"], s["label"]) for s in answer["soft"]] == [("phase:primary", True, "Primary")]
    assert refs(answer)[0] == "case-studies/year-3-reading-fluency"
    without_the_word = engine.search("reading year 3")
    assert answer["total"] == without_the_word["total"]  # the phase word does not have to match
    primary = engine.facet_sets["phase"]["primary"]
    firsts = [engine._searcher().document_number(ref=r) in primary for r in refs(answer)]
    assert firsts == sorted(firsts, reverse=True)  # every primary entry before any other


def test_a_removed_soft_filter_is_an_ordinary_word_and_says_so(engine):
    soft = engine.search("transition year 7 send")
    plain = engine.search("transition year 7 send", literal=("network:send",))
    assert [(s["key"], s["on"]) for s in plain["soft"]] == [("network:send", False)]
    assert plain["total"] == soft["total"]  # the same entries, in order of relevance only
    assert refs(soft)[0] == "minutes/send/2026-11-19"
    assert soft["soft"][0]["count"] >= 1 and soft["soft"][0]["label"] == "SEND Network (primary focus)"


def test_a_soft_word_on_its_own_is_wanted_and_no_chip_is_shown(engine, catalogue):
    answer = engine.search("send", size=50)
    assert answer["soft"] == [] and "networks/send" in refs(answer)
    assert 0 < answer["total"] < len(catalogue.entries)  # wanted: entries without it are left out
    assert all(
        "send" in catalogue.entries[r].networks
        or "send-support" in catalogue.entries[r].tags
        or "SEND" in catalogue.entries[r].body
        for r in refs(answer)
    )


def test_a_soft_filter_already_chosen_as_a_filter_shows_no_chip(engine):
    assert engine.search("transition year 7 send", network="send")["soft"] == []


def test_a_type_word_lists_that_type_first(engine):
    answer = engine.search("case study restorative secondary")
    assert {s["key"] for s in answer["soft"]} == {"type:case-study", "phase:secondary"}
    assert refs(answer)[0] == "case-studies/restorative-reintegration"


# --- facets --------------------------------------------------------------------------------------------------


def test_facets_for_phase_approach_brokerage_and_year_with_labels_and_counts(engine):
    facets = engine.search("")["facets"]
    phases = {f["id"]: (f["label"], f["count"]) for f in facets["phase"]}
    assert phases["fe"][0] == "Further education" and phases["primary"][1] > phases["he"][1] > 0
    assert {f["id"] for f in facets["approach"]} == {
        "consulting",
        "enquiring",
        "replicating",
        "directing",
        "responding",
        "landscaping",
    }
    assert next(f for f in facets["brokerage"] if f["id"] == "partnerships")["label"] == "Brokering partnerships"
    years = [f["id"] for f in facets["year"]]
    assert years == sorted(years, reverse=True) and "2026" in years and "2025" in years  # newest first


def test_minutes_take_their_networks_phases(engine):
    answer = engine.search("screening", phase="early-years", type="minutes")
    assert answer["total"] >= 3 and all(hit["ref"].startswith("minutes/send/") for hit in answer["results"])
    assert engine.search("attendance", year="2025")["results"][0]["ref"] == "minutes/primary-leaders/2025-09-25"


# --- hyphens and year groups ---------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["co-production", "coproduction", "co production", "Co-Production"])
def test_every_way_of_writing_a_compound_finds_it(engine, typed):
    answer = engine.search(typed)
    assert refs(answer)[0] == "case-studies/co-producing-ehcp-outcomes"
    assert answer["corrections"] == {}


def test_year_seven_written_any_way_finds_the_same_entries(engine):
    found = [set(refs(engine.search(typed, size=50))) for typed in ("year 7", "Year-7", "Y7", "yr 7")]
    assert found[0] and all(f == found[0] for f in found)
    key_stage = set(refs(engine.search("KS3", size=50)))
    assert found[0] <= key_stage and "register/year-8-employer-days" in key_stage  # Years 7 to 9 are KS3
    assert "register/year-8-employer-days" not in found[0]


def test_a_year_group_is_highlighted_as_written(engine):
    hit = next(h for h in engine.search("Y7")["results"] if h["ref"] == "register/online-safety-ks3")
    marked = [hit["snippet"]["text"][a:b] for a, b in hit["snippet"]["highlights"]]
    assert marked and all(m in ("Y7", "Year 7", "Years 7") for m in marked), marked


# --- spelling -------------------------------------------------------------------------------------------------


def small_engine(project, tmp_path, bodies: dict[str, str]) -> SearchEngine:
    for slug, body in bodies.items():
        project.write(f"content/case-studies/{slug}.md", MINI_CASE.replace("We coached every new pupil.", body))
    return SearchEngine(build_index(project.catalogue(), tmp_path / "index"))


def test_a_compound_is_never_corrected_part_by_part(project, tmp_path):
    engine = small_engine(project, tmp_path, {f"safe-{i}": "Child protection and safeguarding." for i in range(3)})
    answer = engine.search("co-production")
    assert answer["corrections"] == {} and answer["did_you_mean"] is None  # never "co protection"
    assert answer["total"] == 0


def test_a_word_in_the_index_is_never_corrected(project, tmp_path):
    engine = small_engine(
        project, tmp_path, {"rare": "One coaching session.", **{f"c-{i}": "Peer coaches met." for i in range(5)}}
    )
    assert engine.search("coaching")["corrections"] == {}
    assert engine.search("coachng")["corrections"] == {"coachng": "coaching"}


def test_the_most_common_word_within_two_edits_is_preferred_unless_far_less_near(project, tmp_path, monkeypatch):
    often = planning.FAR_PENALTY + 1
    bodies = {"once": "The plantings were small.", **{f"often-{i}": "Our plannings were shared." for i in range(often)}}
    engine = small_engine(project, tmp_path, bodies)
    assert engine.search("plantinqs")["corrections"] == {"plantinqs": "plannings"}  # two edits, in nine entries
    monkeypatch.setattr(planning, "FAR_PENALTY", often + 1)
    assert engine.search("plantinqs")["corrections"] == {"plantinqs": "plantings"}  # one edit, in one entry
