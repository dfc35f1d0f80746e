"""Nothing unpublished or members-only reaches a public build, in any file of the output."""

from __future__ import annotations

from pathlib import Path

DRAFT_MARK = "Zanzibarquill"
MEMBERS_MARK = "Quokkamembers"


def files_containing(site: Path, word: str) -> list[str]:
    needle = word.lower().encode()
    return [str(p.relative_to(site)) for p in site.rglob("*") if p.is_file() and needle in p.read_bytes().lower()]


def test_public_build_has_no_trace_of_draft_or_members_entries(public_site):
    assert list(public_site.rglob("*.html")), "the public site was not built"
    assert files_containing(public_site, DRAFT_MARK) == []
    assert files_containing(public_site, MEMBERS_MARK) == []
    assert not (public_site / "case-studies" / "attendance-mentors-pilot").exists()
    assert not (public_site / "minutes" / "peace-community-safety" / "2026-11-12").exists()


def test_members_build_shows_members_entry_but_never_drafts(members_site):
    assert files_containing(members_site, MEMBERS_MARK)
    assert (members_site / "minutes" / "peace-community-safety" / "2026-11-12" / "index.html").exists()
    assert files_containing(members_site, DRAFT_MARK) == []


def test_catalogue_filter_is_applied_once_at_the_source(project):
    project.write(
        "content/case-studies/hidden-draft.md",
        (project.root / "content/case-studies/coaching-year-7.md")
        .read_text()
        .replace("status: published", "status: draft")
        .replace("Coaching in Year 7", "Hidden draft"),
    )
    project.write(
        "content/case-studies/members-note.md",
        (project.root / "content/case-studies/coaching-year-7.md")
        .read_text()
        .replace("status: published", "status: published\nvisibility: members")
        .replace("Coaching in Year 7", "Members note"),
    )
    public = project.catalogue()
    members = project.catalogue(members=True)
    assert "case-studies/hidden-draft" not in public.entries and "case-studies/members-note" not in public.entries
    assert "case-studies/members-note" in members.entries and "case-studies/hidden-draft" not in members.entries
    assert all(ref in public.entries for refs in public.by_tag.values() for ref in refs)
