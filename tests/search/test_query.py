"""Query behaviour on a small project whose entries are written to test one thing each."""

from __future__ import annotations

import pytest

from kb.search.index import build_index
from kb.search.query import SearchEngine, snippet, stems

TAGS = """\
attendance: {label: Attendance, description: Pupils in school., synonyms: [absence, truancy]}
safeguarding: {label: Safeguarding, description: Keeping children safe., synonyms: [child protection, DSL]}
youth-violence: {label: Youth violence, description: Preventing violence., synonyms: [knife crime, county lines]}
early-career-teachers: {label: Early-career teachers, description: New teachers., synonyms: [NQT, ECT]}
behaviour: {label: Behaviour, description: Calm classrooms., synonyms: [behavior, conduct]}
coaching: {label: Coaching, description: Peer coaching., synonyms: [instructional coaching]}
"""

CASE = """\
---
title: {title}
summary: {summary}
date: {date}
networks: [{network}]
tags: [{tags}]
status: {status}
approach: enquiring
---
{body}
"""

ENTRIES = {
    "mentoring-new-teachers": dict(
        title="Mentoring new teachers",
        summary="A mentoring scheme.",
        date="2026-01-10",
        network="equity",
        tags="early-career-teachers",
        body="Mentoring for teachers in their first two years.",
    ),
    "attendance-tracker": dict(
        title="A shared attendance tracker",
        summary="One template for attendance data.",
        date="2026-03-01",
        network="equity",
        tags="attendance",
        body="Schools compared attendance every half term.",
    ),
    "safeguarding-audit": dict(
        title="Safeguarding audit across schools",
        summary="Peer review of safeguarding.",
        date="2026-02-01",
        network="send",
        tags="safeguarding",
        body="Each designated lead reviewed another school's safeguarding records.",
    ),
    "apprenticeships-fair": dict(
        title="An apprenticeships fair",
        summary="Employers met Year 11.",
        date="2026-04-01",
        network="send",
        tags="",
        body="Forty employers explained apprenticeships to pupils.",
    ),
    "street-safety": dict(
        title="Safer streets after school",
        summary="Youth workers at the school gate.",
        date="2025-11-01",
        network="equity",
        tags="youth-violence",
        body="Youth workers and police met pupils at the gate at home time.",
    ),
    "calm-corridors": dict(
        title="Calm corridors",
        summary="A whole-school routine.",
        date="2026-05-01",
        network="send",
        tags="behaviour",
        body="Staff stood at doors between lessons.",
    ),
    "peer-coaching": dict(
        title="Trios for teachers",
        summary="Teachers observed each other.",
        date="2026-06-01",
        network="equity",
        tags="coaching",
        body="We ran peer coaching in trios, a term at a time.",
    ),
    "coaching-apart": dict(
        title="Reading with a buddy",
        summary="Older pupils read with younger ones.",
        date="2026-07-01",
        network="equity",
        tags="",
        body="Coaching was offered by a peer mentor; the peer worked with small groups and coaching came later.",
    ),
    "draft-plan": dict(
        title="A draft plan",
        summary="Not yet.",
        date="2026-08-01",
        network="equity",
        tags="attendance",
        body="Secretword draft attendance plan.",
        status="draft",
    ),
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    from tests.conftest import Project

    project = Project(tmp_path_factory.mktemp("search") / "project")
    project.write("content/tags.yml", TAGS)
    (project.root / "content/case-studies/coaching-year-7.md").unlink()
    for slug, spec in ENTRIES.items():
        project.write(f"content/case-studies/{slug}.md", CASE.format(**{"status": "published", **spec}))
    catalogue = project.catalogue()
    assert "case-studies/draft-plan" not in catalogue.entries
    return SearchEngine(build_index(catalogue, project.root.parent / "index"))


def refs(answer) -> list[str]:
    return [hit["ref"] for hit in answer["results"]]


def test_stemming_finds_other_forms_of_a_word(engine):
    assert stems("mentored") == stems("mentoring")
    assert refs(engine.search("mentored"))[0] == "case-studies/mentoring-new-teachers"


@pytest.mark.parametrize(
    "typed, wanted, corrected",
    [
        ("attendence", "case-studies/attendance-tracker", "attendance"),
        ("safegaurding", "case-studies/safeguarding-audit", "safeguarding"),  # a transposition: two edits
        ("apprentiships", "case-studies/apprenticeships-fair", "apprenticeships"),
    ],
)
def test_misspellings_are_corrected_without_flooding(engine, typed, wanted, corrected):
    answer = engine.search(typed)
    assert refs(answer)[0] == wanted
    assert answer["corrections"] == {typed: corrected}
    assert answer["did_you_mean"] == corrected
    assert answer["total"] == engine.search(corrected)["total"]  # no extra near-miss entries


def test_a_real_word_is_not_corrected(engine):
    answer = engine.search("mentored")
    assert answer["corrections"] == {} and answer["did_you_mean"] is None


@pytest.mark.parametrize(
    "typed, wanted",
    [
        ("knife crime", "case-studies/street-safety"),
        ("NQT", "case-studies/mentoring-new-teachers"),
        ("behavior", "case-studies/calm-corridors"),
        ("child protection", "case-studies/safeguarding-audit"),
    ],
)
def test_synonyms_find_the_tags_entries_though_no_entry_has_the_words(engine, typed, wanted):
    answer = engine.search(typed)
    assert refs(answer) == [wanted]


def test_a_quoted_phrase_needs_the_words_together(engine):
    assert refs(engine.search('"peer coaching"')) == ["case-studies/peer-coaching"]
    assert set(refs(engine.search("peer coaching"))) >= {"case-studies/peer-coaching", "case-studies/coaching-apart"}


def test_title_counts_more_than_body(engine):
    answer = engine.search("teachers")
    order = refs(answer)
    assert order.index("case-studies/mentoring-new-teachers") < order.index("case-studies/peer-coaching")  # title vs summary/body


def test_filters_by_type_network_and_tag(engine):
    assert {h["ref"] for h in engine.search("", network="send")["results"]} == {
        "case-studies/safeguarding-audit",
        "case-studies/apprenticeships-fair",
        "case-studies/calm-corridors",
        "networks/send",
    }
    assert refs(engine.search("", tag="attendance")) == ["case-studies/attendance-tracker"]
    assert engine.search("", type="network")["total"] == 2
    assert engine.search("teachers", network="send")["total"] == 0


def test_newest_first_and_pagination(engine):
    answer = engine.search("", type="case-study", sort="newest", size=3, page=2)
    dates = [h["date"] for h in answer["results"]]
    assert dates == sorted(dates, reverse=True) and len(dates) == 3
    assert answer["total"] == 8 and answer["pages"] == 3
    first = engine.search("", type="case-study", sort="newest", size=3, page=1)
    assert first["results"][-1]["date"] > dates[0]
    assert engine.search("", type="case-study", size=3, page=4)["results"] == []


def test_facets_count_every_match_not_only_the_page(engine):
    answer = engine.search("teachers", size=1)
    assert len(answer["results"]) == 1
    assert sum(f["count"] for f in answer["facets"]["type"]) == answer["total"] >= 2  # every match counted once
    filtered = engine.search("", network="equity")
    assert {f["id"]: f["count"] for f in filtered["facets"]["network"]} == {"equity": filtered["total"]}
    tag_counts = {f["id"]: f["count"] for f in filtered["facets"]["tag"]}
    assert tag_counts["attendance"] == 1 and "behaviour" not in tag_counts
    assert filtered["facets"]["tag"][0]["label"] in {"Attendance", "Coaching", "Youth violence", "Early-career teachers"}


def test_exclusion_and_notes(engine):
    assert "case-studies/peer-coaching" not in refs(engine.search("coaching -trios"))
    assert engine.search("the and of")["total"] == 0
    assert engine.search("the and of")["notes"]


def test_snippets_mark_the_words_searched(engine):
    hit = engine.search("safeguarding records")["results"][0]
    text = hit["snippet"]["text"]
    marked = {text[a:b].lower() for a, b in hit["snippet"]["highlights"]}
    assert marked == {"safeguarding", "records"}
    assert [hit["title"][a:b] for a, b in hit["title_highlights"]] == ["Safeguarding"]


def test_snippet_window_is_short_and_offsets_stay_inside():
    text = ("Filler words here. " * 40) + "The attendance figure rose. " + ("More filler. " * 40)
    cut = snippet(text, set(stems("attendance")))
    assert len(cut["text"]) <= 210 and cut["text"].startswith("… ") and cut["text"].endswith(" …")
    ((a, b),) = cut["highlights"]
    assert cut["text"][a:b] == "attendance"


NASTY = [
    '"unbalanced',
    'coaching "',
    '""',
    "AND OR NOT",
    "-",
    "--x",
    "+++",
    "((()))",
    "a:b",
    "title:x",
    "*",
    "?",
    "😀🙈 safeguarding 🎉",
    "x" * 2000,
    "\x00\x1f",
    "‮evil",
    "%s%n",
    "<script>alert(1)</script>",
    "'; DROP TABLE",
    "ﬁ ligature",
    " ".join(["attendance"] * 300),
    '"a" "b" "c" "d" "e" "f" "g" "h" "i" "j" "k" "l" "m" "n"',
]


@pytest.mark.parametrize("typed", NASTY)
def test_malformed_queries_never_raise(engine, typed):
    answer = engine.search(typed)
    assert isinstance(answer["total"], int)


def test_emoji_around_a_word_are_ignored(engine):
    assert refs(engine.search("😀🙈 safeguarding 🎉"))[0] == "case-studies/safeguarding-audit"


def test_a_search_answers_from_one_index_though_a_newer_one_is_swapped_in_meanwhile(
    public_site, members_site, tmp_path, monkeypatch
):
    """A release switch (live/current moved) while a search runs in another thread: that search keeps answering from
    the index it began with (its documents, dates and facet sets together), the next one from the new index. Reading
    the new index's tables with the old one's document numbers gave a 500 during a rollback under load."""
    import os

    from kb.search.index import index_dir_for

    old, new = index_dir_for(public_site), index_dir_for(members_site)
    link = tmp_path / "current.search"
    os.symlink(old, link)
    engine = SearchEngine(link)
    alone_old = SearchEngine(old).search("", size=50)
    alone_new = SearchEngine(new).search("", size=50)
    assert alone_old["total"] != alone_new["total"]  # the members' index holds more: a mix would show
    planned = SearchEngine.plan

    def plan_then_swap(self, *args, **kwargs):  # what another thread's refresh does in the middle of this search
        made = planned(self, *args, **kwargs)
        if os.readlink(link) == str(old):
            os.unlink(link)
            os.symlink(new, link)
            os.utime(new / "kb-search.json")
            self.refresh()
        return made

    monkeypatch.setattr(SearchEngine, "plan", plan_then_swap)
    during = engine.search("", size=50)
    assert (during["total"], during["results"], during["facets"]) == (
        alone_old["total"],
        alone_old["results"],
        alone_old["facets"],
    )
    after = engine.search("", size=50)
    assert (after["total"], after["results"], after["facets"]) == (alone_new["total"], alone_new["results"], alone_new["facets"])
