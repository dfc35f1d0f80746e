"""Reading awkward files: encodings, line endings, broken or odd front matter."""

from __future__ import annotations

from kb.content.source import decode, parse_front_matter

GOOD = "---\ntitle: A\nsummary: B\n---\nBody\n"


def test_bom_and_crlf_are_read_as_plain_utf8():
    text, problems = decode("x.md", "\ufeff".encode() + GOOD.replace("\n", "\r\n").encode("utf-8"))
    assert problems == []
    raw, problems = parse_front_matter("x.md", text)
    assert problems == [] and raw.meta == {"title": "A", "summary": "B"} and raw.body.strip() == "Body"


def test_field_lines_are_file_lines():
    raw, _ = parse_front_matter(
        "x.md", "---\ntitle: A\nmeeting:\n  start: '16:00'\nactions:\n  - action: x\n    due: 2026-01-01\n---\nB"
    )
    assert raw.lines["title"] == 2
    assert raw.lines["meeting.start"] == 4
    assert raw.lines["actions[0]"] == 6
    assert raw.lines["actions[0].due"] == 7


def test_dates_stay_text_for_our_own_checks():
    raw, _ = parse_front_matter("x.md", "---\ndate: 2026-02-30\n---\nB")
    assert raw.meta["date"] == "2026-02-30"


def test_five_mebibyte_entry_hands_only_its_front_matter_to_yaml(monkeypatch):
    """Why a long entry reads as fast as a short one: the body is split off as text, never parsed as YAML."""
    from kb.content import source

    body = ("A paragraph of practice notes about attendance and coaching. " * 20 + "\n\n") * 4400
    text = "---\ntitle: Big\n---\n" + body
    assert len(text.encode()) > 5 * 1024 * 1024
    seen = []
    real_init = source._Loader.__init__
    monkeypatch.setattr(source._Loader, "__init__", lambda self, stream: seen.append(len(stream)) or real_init(self, stream))
    raw, problems = parse_front_matter("big.md", decode("big.md", text.encode())[0])
    assert problems == [] and raw.meta["title"] == "Big" and raw.body == body
    assert seen and max(seen) == len("title: Big")


def test_alias_bomb_is_refused_without_expanding():
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n---\nB"
    raw, problems = parse_front_matter("x.md", bomb)
    assert raw is None and "anchors or aliases" in problems[0].message


def test_deep_nesting_is_refused():
    deep = "---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\nB"
    raw, problems = parse_front_matter("x.md", deep)
    assert raw is None and "nest" in problems[0].message


def test_read_entry_gives_each_caller_its_own_copy(tmp_path):
    from kb.content.source import read_entry

    (tmp_path / "a.md").write_text(
        "---\ntitle: A\nactions:\n  - action: x\n    owner: y\ntags: [p, q]\n---\nBody\n", encoding="utf-8"
    )
    first, _ = read_entry(tmp_path, "a.md")
    first.meta["actions"][0]["owner"] = "changed"
    first.meta["tags"].append("r")
    first.lines["title"] = 99
    second, _ = read_entry(tmp_path, "a.md")
    assert second.meta == {"title": "A", "actions": [{"action": "x", "owner": "y"}], "tags": ["p", "q"]}
    assert second.lines["title"] == 2 and second.body == "Body\n"


def test_bracket_depth_counts_flow_nesting_only():
    from kb.content.source import _bracket_depth

    assert _bracket_depth("tags: [a, b]\nx: {y: [1, [2]]}\n") == 3
    assert _bracket_depth("title: no brackets ] here [") == 1
    assert _bracket_depth("") == 0
