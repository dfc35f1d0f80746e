"""Related entries and backlinks, on the catalogue alone: ranking, limits, privacy, linear work."""

from __future__ import annotations

import datetime as dt
import random

from kb.content.catalogue import Entry
from kb.site.related import LIMIT, OpCounter, key_terms, related_context, related_for, related_index
from tests.factories import catalogue, entry


def test_shared_tags_outrank_shared_network_and_newer_breaks_ties():
    cat = catalogue(
        [
            entry("case-studies/a", tags=["coaching", "oracy"]),
            entry("case-studies/two-tags", date="2025-01-01", networks=["send"], tags=["coaching", "oracy"]),
            entry("case-studies/network-only-old", date="2026-01-01"),
            entry("case-studies/network-only-new", date="2026-06-01"),
            entry("case-studies/unrelated", networks=["send"], tags=["attendance"]),
        ]
    )
    ranked = related_for(cat.entries["case-studies/a"], cat)
    assert ranked == ["case-studies/two-tags", "case-studies/network-only-new", "case-studies/network-only-old"]


def test_at_most_five_never_itself_never_networks():
    entries = [entry(f"case-studies/c{i}", tags=["coaching"]) for i in range(12)]
    entries.append(entry("networks/equity", date=None, networks=(), tags=["coaching"]))
    cat = catalogue(entries)
    for ref in cat.entries:
        ranked = related_for(cat.entries[ref], cat)
        assert ref not in ranked
        assert len(ranked) <= LIMIT
        assert not any(r.startswith("networks/") for r in ranked)
    assert len(related_for(cat.entries["case-studies/c0"], cat)) == LIMIT
    assert related_for(cat.entries["networks/equity"], cat) == []


def test_drafts_and_members_entries_are_never_related_in_a_public_build():
    cat = catalogue(
        [
            entry("case-studies/a", tags=["coaching"]),
            entry("case-studies/zanzibarquill-draft", tags=["coaching"], status="draft"),
            entry("case-studies/quokkamembers", tags=["coaching"], visibility="members"),
            entry("case-studies/public-peer", tags=["coaching"]),
        ]
    )
    assert related_for(cat.entries["case-studies/a"], cat) == ["case-studies/public-peer"]
    members_cat = catalogue(
        list(cat.entries.values()) + [entry("case-studies/quokkamembers", tags=["coaching"], visibility="members")], members=True
    )
    assert "case-studies/quokkamembers" in related_for(members_cat.entries["case-studies/a"], members_cat)


def test_related_context_is_computed_once_per_entry_and_only_when_asked():
    cat = catalogue([entry("case-studies/a", tags=["coaching"]), entry("case-studies/b", tags=["coaching"])])
    first = related_context(cat.entries["case-studies/a"], cat)
    assert [e.ref for e in first["related"]] == ["case-studies/b"]
    known = cat.derived["related"]
    assert list(known) == ["case-studies/a"]  # b's are not computed until b's page asks
    known["case-studies/a"] = ["case-studies/a"]  # what is kept is what is used
    assert [e.ref for e in related_context(cat.entries["case-studies/a"], cat)["related"]] == ["case-studies/a"]
    related_context(cat.entries["case-studies/b"], cat)
    assert cat.derived["related"] is known and set(known) == {"case-studies/a", "case-studies/b"}


def test_backlinks_invert_links_once_and_leave_out_invisible_sources():
    cat = catalogue(
        [
            entry("case-studies/target"),
            entry("case-studies/citer", links=["case-studies/target", "case-studies/target"]),
            entry("case-studies/zanzibarquill", links=["case-studies/target"], status="draft"),
            entry("case-studies/quokkamembers", links=["case-studies/target"], visibility="members"),
            entry("case-studies/self", links=["case-studies/self"]),
        ]
    )
    assert cat.backlinks["case-studies/target"] == ["case-studies/citer"]
    assert "case-studies/self" not in cat.backlinks


def generated(n: int, seed: int = 7) -> list[Entry]:
    """n entries over a fixed vocabulary (20 tags, 10 networks), as a growing knowledge base would have."""
    rng = random.Random(seed)
    tags = [f"tag-{i}" for i in range(20)]
    networks = [f"net-{i}" for i in range(10)]
    start = dt.date(2020, 1, 1)
    return [
        entry(
            f"case-studies/e{i}",
            date=(start + dt.timedelta(days=rng.randrange(2500))).isoformat(),
            networks=rng.sample(networks, rng.randint(1, 2)),
            tags=rng.sample(tags, rng.randint(0, 4)),
        )
        for i in range(n)
    ]


def test_work_grows_linearly_with_the_catalogue():
    ops = {}
    for n in (1000, 4000):
        counter = OpCounter()
        cat = catalogue(generated(n))
        index = related_index(cat, ops=counter)
        assert len(index) == n and all(len(v) <= LIMIT for v in index.values())
        ops[n] = counter.count
    ratio = ops[4000] / ops[1000]
    # Comparing every pair would grow 16-fold; walking capped postings grows 4-fold.
    assert ratio < 4.5, (ops, ratio)
    assert ops[4000] <= 4000 * (4 + 2) * 100  # at most (tags + networks) capped postings per entry


def with_text(ref: str, title: str, summary: str, **options) -> Entry:
    made = entry(ref, **options)
    return Entry(made.ref, made.type, made.path, {**made.meta, "title": title, "summary": summary}, "", links=made.links)


def filler(n: int) -> list[Entry]:
    """Entries about other things, so that the words below are rare enough to be telling."""
    return [
        with_text(f"research/2026-0{1 + i % 9}-other-{i}", f"Other topic {i}", "Budgets and buildings.", networks=["send"])
        for i in range(n)
    ]


def test_entries_sharing_telling_words_are_related_without_a_tag_or_network():
    cat = catalogue(
        [
            with_text(
                "case-studies/reintegration", "Restorative reintegration after suspension", "Return meetings after suspension."
            ),
            with_text(
                "register/training",
                "Restorative conversations training",
                "Reintegration meetings after a suspension.",
                networks=["send"],
            ),
            with_text("case-studies/unlike", "Eco councils", "Pupils lead energy patrols.", networks=["send"]),
        ]
        + filler(30)
    )
    terms = cat.derive("related_terms", key_terms)
    assert {"restor", "suspens"} <= set(terms.of["case-studies/reintegration"])
    ranked = related_for(cat.entries["case-studies/reintegration"], cat)
    assert ranked[0] == "register/training" and "case-studies/unlike" not in ranked


def test_words_in_most_entries_or_in_one_only_are_never_key_terms():
    cat = catalogue([with_text(f"case-studies/c{i}", f"Attendance plan {i}", f"Unique{i} wording.") for i in range(30)])
    terms = cat.derive("related_terms", key_terms)
    every = {t for found in terms.of.values() for t in found}
    assert "attend" not in every and not any(t.startswith("unique") for t in every)


def test_an_entry_already_under_referenced_by_is_not_related_again():
    cat = catalogue(
        [
            entry("case-studies/a", tags=["coaching"]),
            entry("case-studies/cites-a", tags=["coaching"], links=["case-studies/a"]),
            entry("case-studies/peer", tags=["coaching"]),
        ]
    )
    assert related_for(cat.entries["case-studies/a"], cat) == ["case-studies/peer"]
    assert "case-studies/a" in related_for(cat.entries["case-studies/cites-a"], cat)  # only its own citers are left out
