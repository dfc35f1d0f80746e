"""The catalogue: references, ordering, indexes and backlinks from one pass.

Link rewriting through load_project is tested in tests/content/test_loader.py."""

from __future__ import annotations

from tests.factories import case


def test_entries_are_newest_first_and_indexed(project):
    project.write("content/case-studies/older.md", case(title="Older", date="2025-01-01", tags="[attendance]"))
    cat = project.catalogue()
    cases = [e.ref for e in cat.of_type("case-study")]
    assert cases == ["case-studies/coaching-year-7", "case-studies/older"]
    assert cat.by_tag["attendance"] == ["case-studies/older"]
    assert set(cat.by_network["equity"]) == {"case-studies/coaching-year-7", "case-studies/older"}
    assert set(cat.networks) == {"equity", "send"}


def test_backlinks_invert_links_among_visible_entries(project):
    project.write(
        "content/case-studies/linker.md", case(title="Linker").replace("We coached", "See [[coaching-year-7|the study]].")
    )
    project.write(
        "content/case-studies/draft-linker.md",
        case(title="Draft", status="draft").replace("We coached", "See [[coaching-year-7]]."),
    )
    cat = project.catalogue()
    assert cat.backlinks["case-studies/coaching-year-7"] == ["case-studies/linker"]
    assert "[the study](coaching-year-7.md)" in cat.entries["case-studies/linker"].body
