"""links: wiki links and relative .md links resolved and rewritten relative to the generated pages."""

from __future__ import annotations

from collections import defaultdict

import pytest

from kb.content.links import RefIndex, rewrite_links, visibility_problems
from kb.content.model import ENTRY_TYPES
from kb.content.urls import entry_path
from tests.factories import entry

REFS = [
    "networks/equity",
    "case-studies/coaching-year-7",
    "case-studies/oracy",
    "register/coaching-year-7",
    "research/2026-03-oracy-review",
    "minutes/equity/2026-03-12",
]
TITLES = {"case-studies/oracy": "Oracy [in] Year 3", "networks/equity": "Equity"}


def _index(refs: list[str] = REFS) -> RefIndex:
    """A RefIndex as the loader makes one (minutes are not found by their bare date)."""
    by_slug: dict[str, list[str]] = defaultdict(list)
    by_path = {}
    for ref in refs:
        prefix, *rest = ref.split("/")
        (etype,) = [t for t in ENTRY_TYPES.values() if t.url_prefix == prefix]
        by_path[entry_path(etype.name, rest[-1], rest[0] if len(rest) == 2 else None)] = ref
        if etype.name != "minutes":
            by_slug[rest[-1]].append(ref)
    return RefIndex(frozenset(refs), dict(by_slug), by_path)


INDEX = _index()

# Where each kind of entry file sits: (ref, path)
CASE = ("case-studies/coaching-year-7", "content/case-studies/coaching-year-7.md")
MINUTES = ("minutes/equity/2026-03-12", "content/minutes/equity/2026-03-12.md")
REGISTER = ("register/coaching-year-7", "register/coaching-year-7.md")


def _rewrite(body: str, at=CASE, body_line: int = 1):
    return rewrite_links(at[0], at[1], body, body_line, INDEX, TITLES)


# -- RefIndex.resolve ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target, ref",
    [
        ("case-studies/oracy", "case-studies/oracy"),
        (" /case-studies/oracy/ ", "case-studies/oracy"),
        ("case-studies/oracy.md", "case-studies/oracy"),
        ("minutes/equity/2026-03-12", "minutes/equity/2026-03-12"),
        ("oracy", "case-studies/oracy"),  # a bare slug used once
        ("equity", "networks/equity"),
        ("2026-03-oracy-review", "research/2026-03-oracy-review"),
    ],
)
def test_resolve_finds_full_references_and_bare_slugs(target, ref):
    assert INDEX.resolve(target) == (ref, None)


def test_resolve_names_every_entry_an_ambiguous_slug_could_mean():
    assert INDEX.resolve("coaching-year-7") == (
        None,
        "'coaching-year-7' matches more than one entry: case-studies/coaching-year-7, register/coaching-year-7. "
        "Write the full reference, e.g. [[case-studies/coaching-year-7]].",
    )


@pytest.mark.parametrize(
    "target, why",
    [
        ("case-studies/orracy", "there is no entry 'case-studies/orracy'. Did you mean [[case-studies/oracy]]?"),
        ("orcy", "there is no entry 'orcy'. Did you mean [[oracy]]?"),
        ("zzzz-qqqq", "there is no entry 'zzzz-qqqq'. References look like case-studies/transition-coaching."),
        ("2026-03-12", "there is no entry '2026-03-12'. References look like case-studies/transition-coaching."),
    ],
    ids=["typo-in-ref", "typo-in-slug", "nothing-near", "minutes-by-bare-date"],
)
def test_resolve_explains_an_unknown_target(target, why):
    assert INDEX.resolve(target) == (None, why)


# -- rewrite_links: wiki links ----------------------------------------------------------------


@pytest.mark.parametrize(
    "at, body, rewritten, linked",
    [
        (CASE, "See [[case-studies/oracy]].", r"See [Oracy \[in\] Year 3](oracy.md).", ["case-studies/oracy"]),
        (CASE, "See [[oracy|the review]].", "See [the review](oracy.md).", ["case-studies/oracy"]),
        (CASE, "See [[oracy| the review ]].", "See [the review](oracy.md).", ["case-studies/oracy"]),
        (CASE, "[[equity]]", "[Equity](../networks/equity.md)", ["networks/equity"]),
        (CASE, "[[research/2026-03-oracy-review]]", "[research/2026-03-oracy-review](../research/2026-03-oracy-review.md)", None),
        (MINUTES, "[[oracy|it]]", "[it](../../case-studies/oracy.md)", None),
        (MINUTES, "[[minutes/equity/2026-03-12|here]]", "[here](2026-03-12.md)", None),
        (REGISTER, "[[case-studies/coaching-year-7|x]]", "[x](../case-studies/coaching-year-7.md)", None),
        (CASE, "[[oracy|a]] and [[oracy|b]]", "[a](oracy.md) and [b](oracy.md)", ["case-studies/oracy"] * 2),
    ],
    ids=[
        "title-escaped",
        "label",
        "label-trimmed",
        "network",
        "ref-without-title",
        "from-minutes",
        "to-itself",
        "from-register",
        "twice",
    ],
)
def test_wiki_links_become_relative_links_between_generated_pages(at, body, rewritten, linked):
    text, links, problems = _rewrite(body, at)
    assert text == rewritten
    assert problems == []
    if linked is not None:
        assert links == linked


def test_an_unresolved_wiki_link_is_left_as_written_and_named_at_its_line():
    body = "First line.\n\nThen [[case-studies/orracy]] and [[oracy]]."
    text, links, (problem,) = _rewrite(body, body_line=7)
    assert text == "First line.\n\nThen [[case-studies/orracy]] and [Oracy \\[in\\] Year 3](oracy.md)."
    assert links == ["case-studies/oracy"]
    assert (problem.path, problem.line, problem.field, problem.severity) == (CASE[1], 9, "link", "error")
    assert problem.message == (
        "the wiki link [[case-studies/orracy]] does not lead to an entry: "
        "there is no entry 'case-studies/orracy'. Did you mean [[case-studies/oracy]]?"
    )
    assert problem.hint == "correct the reference or remove the link."


def test_an_ambiguous_wiki_link_is_a_problem():
    _, links, (problem,) = _rewrite("[[coaching-year-7]]")
    assert links == [] and "matches more than one entry" in problem.message


# -- rewrite_links: relative .md links --------------------------------------------------------


@pytest.mark.parametrize(
    "at, body, rewritten",
    [
        (CASE, "[x](oracy.md)", "[x](oracy.md)"),
        (CASE, "[x](./oracy.md#what)", "[x](oracy.md#what)"),
        (CASE, "[x](../networks/equity.md)", "[x](../networks/equity.md)"),
        (CASE, "[x](../../register/coaching-year-7.md)", "[x](../register/coaching-year-7.md)"),
        (CASE, '[x](oracy.md "The title")', '[x](oracy.md "The title")'),
        (CASE, "[x](<oracy.md>)", "[x](<oracy.md>)"),
        (REGISTER, "[x](../content/case-studies/oracy.md#what)", "[x](../case-studies/oracy.md#what)"),
        (MINUTES, "[x](../../case-studies/oracy.md)", "[x](../../case-studies/oracy.md)"),
        (MINUTES, "[x](../../../register/coaching-year-7.md)", "[x](../../register/coaching-year-7.md)"),
    ],
    ids=[
        "same-folder",
        "dot-and-anchor",
        "other-type",
        "register",
        "title",
        "angle-brackets",
        "from-register",
        "from-minutes",
        "minutes-to-register",
    ],
)
def test_relative_md_links_to_entries_point_at_the_generated_pages(at, body, rewritten):
    text, links, problems = _rewrite(body, at)
    assert (text, problems) == (rewritten, [])
    assert len(links) == 1


@pytest.mark.parametrize(
    "at, body, rewritten",
    [
        (CASE, "[About](../about/network-models.md)", "[About](../about/network-models.md)"),
        (CASE, "[Home](../index.md#welcome)", "[Home](../index.md#welcome)"),
        (REGISTER, "[About](../content/about/index.md)", "[About](../about/index.md)"),
        (MINUTES, "[Phases](../../about/phases.md#fe)", "[Phases](../../about/phases.md#fe)"),
    ],
    ids=["about-page", "home-anchor", "from-register", "from-minutes"],
)
def test_links_to_site_pages_are_made_relative_to_the_generated_page_and_are_not_entry_links(at, body, rewritten):
    assert _rewrite(body, at) == (rewritten, [], [])


@pytest.mark.parametrize(
    "body",
    ["[x](https://example.org/readme.md)", "[x](/case-studies/oracy.md)", "[x](oracy.html)", "[x](../networks/equity/)"],
    ids=["web-address", "absolute", "not-md", "folder"],
)
def test_other_links_are_left_alone(body):
    assert _rewrite(body) == (body, [], [])


@pytest.mark.parametrize(
    "at, target, looked_for",
    [
        (CASE, "nope.md", "content/case-studies/nope.md"),
        (CASE, "../research/2026-04-none.md#x", "content/research/2026-04-none.md"),
        (REGISTER, "../case-studies/oracy.md", "case-studies/oracy.md"),  # forgot the content/ step
        (MINUTES, "../../../secrets.md", "secrets.md"),
    ],
)
def test_a_relative_link_to_no_file_is_named_with_where_it_looked(at, target, looked_for):
    body = f"Intro.\nSee [x]({target})."
    text, links, (problem,) = rewrite_links(at[0], at[1], body, 4, INDEX, TITLES)
    assert text == body and links == []
    path_part = target.split("#")[0]
    assert problem.message == f"the link to '{path_part}' does not lead to an existing file (looked for {looked_for})."
    assert (problem.path, problem.line, problem.field) == (at[1], 5, "link")
    assert "check the relative path from this file" in problem.hint


# -- rewrite_links: code is left alone --------------------------------------------------------


def test_links_in_code_spans_are_left_alone_and_text_beside_them_is_not():
    body = "Write `[[nope]]` or ``[x](nope.md)`` but see [[oracy|this]] and `[[equity]]`."
    text, links, problems = _rewrite(body)
    assert text == "Write `[[nope]]` or ``[x](nope.md)`` but see [this](oracy.md) and `[[equity]]`."
    assert (links, problems) == (["case-studies/oracy"], [])


@pytest.mark.parametrize("fence", ["```", "~~~", "```markdown", "  ```"])
def test_links_in_fenced_code_are_left_alone_until_the_fence_closes(fence):
    closing = fence.strip().rstrip("markdown")
    body = f"Before [[oracy|a]].\n{fence}\n[[nope]] and [x](nope.md)\n{closing}\nAfter [[oracy|b]] and [[nope-after]]."
    text, links, problems = _rewrite(body, body_line=10)
    assert text.split("\n") == [
        "Before [a](oracy.md).",
        fence,
        "[[nope]] and [x](nope.md)",
        closing,
        "After [b](oracy.md) and [[nope-after]].",
    ]
    assert links == ["case-studies/oracy"] * 2
    assert [(p.line, "nope-after" in p.message) for p in problems] == [(14, True)]


def test_a_fence_is_closed_only_by_the_same_kind_of_fence():
    body = "~~~\n```\n[[nope]]\n~~~\n[[oracy|x]]"
    text, _, problems = _rewrite(body)
    assert problems == [] and text.endswith("[x](oracy.md)")


def test_a_body_without_links_comes_back_unchanged():
    body = "Plain text.\n\n- a list\n- [a link](https://example.org)\n"
    assert _rewrite(body) == (body, [], [])


# -- visibility_problems -----------------------------------------------------------------------


def _everything(*entries):
    return {e.ref: e for e in entries}


def test_a_published_entry_may_not_link_to_an_unpublished_one():
    draft = entry("case-studies/draft-one", status="draft")
    review = entry("case-studies/in-review", status="review")
    linker = entry("case-studies/linker", links=[draft.ref, review.ref, draft.ref])
    problems = visibility_problems(linker, _everything(draft, review, linker))
    assert [(p.path, p.line, p.field, p.severity) for p in problems] == [("case-studies/linker.md", None, "link", "error")] * 2
    assert [p.message for p in problems] == [
        "links to case-studies/draft-one, which is not published (status: draft).",  # once, though linked twice
        "links to case-studies/in-review, which is not published (status: review).",
    ]
    assert problems[0].hint == "publish that entry first, or remove the link."


def test_a_public_entry_may_not_link_to_a_members_one():
    private = entry("case-studies/private", visibility="members")
    linker = entry("case-studies/linker", links=[private.ref])
    (problem,) = visibility_problems(linker, _everything(private, linker))
    assert problem.message == "is public but links to case-studies/private, which is for members only."
    assert problem.hint == "remove the link, or make this entry members-only too."


@pytest.mark.parametrize(
    "linker_status, linker_visibility, target_status, target_visibility",
    [
        ("published", "public", "published", "public"),
        ("published", "members", "published", "members"),
        ("published", "members", "published", "public"),
        ("draft", "public", "draft", "members"),  # a draft is not shown: it may link anywhere
        ("review", "public", "draft", "public"),
    ],
)
def test_allowed_links_give_no_problem(linker_status, linker_visibility, target_status, target_visibility):
    target = entry("case-studies/target", status=target_status, visibility=target_visibility)
    linker = entry("case-studies/linker", status=linker_status, visibility=linker_visibility, links=[target.ref])
    assert visibility_problems(linker, _everything(target, linker)) == []


def test_an_unpublished_members_target_is_named_as_unpublished_only():
    target = entry("case-studies/target", status="draft", visibility="members")
    linker = entry("case-studies/linker", links=[target.ref])
    (problem,) = visibility_problems(linker, _everything(target, linker))
    assert "not published (status: draft)" in problem.message


# -- code blocks: links inside are left alone ------------------------------------------------------------


def _rewritten(body: str) -> tuple[str, list]:
    out, _linked, problems = rewrite_links("case-studies/oracy", "content/case-studies/oracy.md", body, 1, INDEX, TITLES)
    return out, problems


def test_a_longer_fence_is_closed_only_by_a_fence_as_long():
    body = "````\nExample:\n```\n[[nope]]\n```\n````\nAfter [[networks/equity]]."
    out, problems = _rewritten(body)
    assert problems == [] and "[[nope]]" in out
    assert "After [Equity](../networks/equity.md)." in out


def test_a_tilde_fence_is_not_closed_by_backticks():
    body = "~~~\n```\n[[nope]]\n~~~\n[[networks/equity]]"
    out, problems = _rewritten(body)
    assert problems == [] and "[[nope]]" in out and "[Equity](" in out


def test_a_fence_with_words_after_it_does_not_close_the_block():
    out, problems = _rewritten("```\n``` not a close\n[[nope]]\n```\n")
    assert problems == [] and "[[nope]]" in out


def test_an_indented_code_block_is_code():
    body = "Example of a link:\n\n    [[nope]]\n    more code\n\nBack to [[networks/equity]]."
    out, problems = _rewritten(body)
    assert problems == [] and "    [[nope]]" in out and "[Equity](" in out


def test_an_indented_line_right_after_a_paragraph_is_not_code():
    _out, problems = _rewritten("A paragraph\n    [[nope]]\n")
    assert [p.message.split(":")[0] for p in problems] == ["the wiki link [[nope]] does not lead to an entry"]


def test_four_spaces_inside_a_list_continue_the_item_eight_make_code():
    body = "- first item\n\n    still the item, see [[networks/equity]]\n\n        [[nope]]\n"
    out, problems = _rewritten(body)
    assert problems == [] and "see [Equity](" in out and "        [[nope]]" in out


# -- naming a network the readers cannot see ---------------------------------------------------------------


def test_a_published_entry_may_not_name_a_network_its_readers_cannot_see():
    from kb.content.links import network_problems

    networks = {
        "equity": entry("networks/equity"),
        "draft-net": entry("networks/draft-net", status="draft"),
        "members-net": entry("networks/members-net", visibility="members"),
    }
    fine = entry("case-studies/a", networks=("equity",))
    assert network_problems(fine, networks) == []
    (draft,) = network_problems(entry("minutes/draft-net/2026-03-01", networks=("draft-net",)), networks)
    assert draft.field == "networks" and "which is not published (status: draft)" in draft.message
    (members,) = network_problems(entry("case-studies/b", networks=("equity", "members-net")), networks)
    assert "is for members only" in members.message and "visibility: members" in members.hint
    assert network_problems(entry("case-studies/c", networks=("members-net",), visibility="members"), networks) == []
    assert network_problems(entry("case-studies/d", networks=("draft-net",), status="draft"), networks) == []
