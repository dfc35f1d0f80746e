"""The catalogue: references, ordering, indexes and backlinks from one pass."""
from __future__ import annotations

from .test_validate import case


def test_entries_are_newest_first_and_indexed(project):
    project.write("content/case-studies/older.md", case(title="Older", date="2025-01-01", tags="[attendance]"))
    cat = project.catalogue()
    cases = [e.ref for e in cat.of_type("case-study")]
    assert cases == ["case-studies/coaching-year-7", "case-studies/older"]
    assert cat.by_tag["attendance"] == ["case-studies/older"]
    assert set(cat.by_network["equity"]) == {"case-studies/coaching-year-7", "case-studies/older"}
    assert set(cat.networks) == {"equity", "send"}


def test_backlinks_invert_links_among_visible_entries(project):
    project.write("content/case-studies/linker.md", case(title="Linker").replace("We coached", "See [[coaching-year-7|the study]]."))
    project.write("content/case-studies/draft-linker.md", case(title="Draft", status="draft").replace("We coached", "See [[coaching-year-7]]."))
    cat = project.catalogue()
    assert cat.backlinks["case-studies/coaching-year-7"] == ["case-studies/linker"]
    assert "[the study](coaching-year-7.md)" in cat.entries["case-studies/linker"].body


def test_register_links_are_rewritten_relative_to_generated_pages(project):
    project.write("register/peer-offer.md", "---\ntitle: Offer\nsummary: S.\ndate: 2026-01-01\nnetworks: [equity]\nstatus: published\n"
                  "area: Coaching\noffered_by: {organisation: Northgate}\n---\nSee [[case-studies/coaching-year-7]] and [x](../content/case-studies/coaching-year-7.md#what).\n")
    body = project.catalogue().entries["register/peer-offer"].body
    assert "](../case-studies/coaching-year-7.md)" in body and "](../case-studies/coaching-year-7.md#what)" in body


def test_links_in_code_are_left_alone(project):
    project.write("content/case-studies/code.md", case(title="Code").replace("We coached", "Write `[[case-studies/nope]]` like this."))
    assert not [p for p in project.problems() if p.severity == "error"]
