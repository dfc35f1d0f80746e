"""Contextual backlinks (site/backlinks.py): the sentence each citing entry links from, plain and cut."""

from __future__ import annotations

from kb.content.catalogue import Entry
from kb.content.links import link_path
from kb.site.backlinks import CONTEXT_CHARS, backlinks_context, context
from kb.site.plan import render_entry
from tests.factories import catalogue, entry


def citer(ref: str, body: str, target: str = "case-studies/target", **options) -> Entry:
    """An entry whose body links to `target` as content/links.py rewrites links: [text](relative path)."""
    made = entry(ref, links=[target], **options)
    return Entry(made.ref, made.type, made.path, made.meta, body.replace("LINK", link_path(ref, target)), links=[target])


def test_the_sentence_around_the_link_is_found_plain():
    source = citer("minutes/equity/2026-10-08", "First sentence. The **lead** presented [the work](LINK) to members. Last one.")
    assert context(source, "case-studies/target") == ("The lead presented ", "the work", " to members.")


def test_a_list_item_is_its_own_block_and_link_anchors_and_titles_still_match():
    body = '- One item about something else.\n- Fewer repeat suspensions ([Restorative](LINK#what-changed "t")).\n- Another.'
    assert context(citer("summaries/autumn-2026", body), "case-studies/target") == (
        "Fewer repeat suspensions (",
        "Restorative",
        ").",
    )


def test_a_long_sentence_is_cut_around_the_link():
    words = " ".join(f"word{i}" for i in range(200))
    before, linked, after = context(citer("case-studies/long", f"{words} [the link](LINK) {words}."), "case-studies/target")
    assert linked == "the link" and before.startswith("… ") and after.endswith(" …")
    assert len(before) + len(linked) + len(after) <= CONTEXT_CHARS + 10


def test_a_link_from_front_matter_has_no_sentence():
    assert context(citer("summaries/autumn-2026", "No link in the body."), "case-studies/target") is None


def test_only_catalogue_entries_cite_and_each_brings_its_sentence():
    target = entry("case-studies/target")
    public = citer("case-studies/public", "We built on [it](LINK).")
    draft = citer("case-studies/zanzibarquill", "Zanzibarquill secret [it](LINK).", status="draft")
    members = citer("case-studies/quokkamembers", "Quokkamembers note [it](LINK).", visibility="members")
    cat = catalogue([target, public, draft, members])
    referenced = backlinks_context(cat.entries["case-studies/target"], cat)["referenced"]
    assert [(e.ref, said) for e, said in referenced] == [("case-studies/public", ("We built on ", "it", "."))]


def test_the_page_shows_the_sentence_escaped_with_the_link_text_in_bold():
    target = entry("case-studies/target")
    cat = catalogue([target, citer("case-studies/public", "Pupils <script>alert(1)</script> used [the tracker](LINK) daily.")])
    html = render_entry(cat.entries["case-studies/target"], "<p>Body</p>", "case-studies/target/", cat)
    assert (
        '<p class="kb-backlinks__context">Pupils &lt;script&gt;alert(1)&lt;/script&gt; used <strong>the tracker</strong> daily.</p>'
        in html
    )
    assert "<script>alert" not in html


def test_the_block_is_the_paragraph_or_list_item_around_the_link_and_where_it_starts():
    from kb.site.backlinks import _block

    body = "Intro line\ncontinued here.\n\n- first item\n  runs on\n- second item\n# Heading\nLast para\nends"
    assert _block(body, body.index("continued")) == ("Intro line\ncontinued here.", 0)
    assert _block(body, body.index("runs")) == ("- first item\n  runs on", body.index("- first"))
    assert _block(body, body.index("second")) == ("- second item", body.index("- second"))
    assert _block(body, body.index("ends")) == ("# Heading\nLast para\nends", body.index("# Heading"))  # a heading begins a block
    assert _block("one line", 3) == ("one line", 0)


def test_markdown_around_the_link_is_taken_away_images_attributes_and_escapes_too():
    body = (
        "An ![figure *one*](fig.png){: .wide } by `kb`, a [second](../x/) and !odd [brackets\\]] before "
        "the **_key_** [the work](LINK) — see [a]![b](c) and {#id} *after*."
    )
    source = citer("minutes/equity/2026-10-08", body)
    before, linked, after = context(source, "case-studies/target")
    assert linked == "the work"
    assert before == "An figure one by kb, a second and !odd [brackets]] before the key "
    assert after == " — see [a]b and after."
