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


def test_the_build_log_withholds_the_words_of_entries_the_build_leaves_out(project):
    from kb.content.catalogue import withhold_hidden
    from kb.content.problems import Problem

    project.write("content/case-studies/secret-draft.md", case(title="Secret", status="draft"))
    project.write(
        "content/case-studies/members.md",
        case(title="Members").replace("status: published", "status: published\nvisibility: members"),
    )
    public, members = project.catalogue(), project.catalogue(members=True)
    said = [
        Problem(
            "content/case-studies/secret-draft.md", 3, "actions[0]", "'Phone Mrs Smith about Zanzibarquill' is overdue.", "ask."
        ),
        Problem("content/case-studies/members.md", 2, "title", "'Quokkamembers' is long.", "shorten it."),
        Problem("content/case-studies/coaching-year-7.md", 2, "title", "'Coaching' is fine.", ""),
        Problem("content/tags.yml", 1, None, "the tag list is odd.", ""),
    ]
    shown = withhold_hidden(said, public)
    text = "\n".join(p.format() for p in shown)
    assert "Zanzibarquill" not in text and "Quokkamembers" not in text and "Mrs Smith" not in text
    assert [(p.path, p.line, p.field) for p in shown] == [(p.path, p.line, p.field) for p in said]  # still placed
    assert shown[2:] == said[2:]
    members_text = "\n".join(p.format() for p in withhold_hidden(said, members))
    assert "Quokkamembers" in members_text and "Zanzibarquill" not in members_text
