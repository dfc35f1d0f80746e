"""Injection suite: published entries full of hostile markup in every field and body. The build
succeeds, and no element, attribute or URL from an entry is live in any output, checked by
parsing each output file (HTML, XML, JSON), not by grepping."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import ROOT, build

T = "<script>alert('XSS')</script> O'Brien's \"coaching\" & more"
IMG = "<img src=x onerror=alert('XSS')>"
BREAK = "\"'><iframe src=javascript:alert('XSS')></iframe>"
BODY = """
A plain sentence by O'Brien: "it's fine" & readable.

<script>alert('XSS-body')</script>
<a href="JaVaScRiPt:alert('XSS')">mixed case</a>
<a href="&#106;avascript:alert('XSS')">entity</a>
<a href="  javascript:alert('XSS')">leading space</a>
<a href="java&#x09;script:alert('XSS')">tab</a>
<a href="vbscript:msgbox('XSS')">vb</a>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>
<iframe src="https://evil.example/"></iframe>
<form action="https://evil.example/"><input name="x"></form>
<meta http-equiv="refresh" content="0;url=https://evil.example/">
<base href="https://evil.example/">
<style>body { display: none }</style>
<svg onload="alert('XSS')"><script>alert('XSS')</script></svg>
<math><maction xlink:href="javascript:alert('XSS')">x</maction></math>
<div onclick="alert('XSS')" title='x" onmouseover="alert(1)'>div</div>
<object data="evil.swf"></object><embed src="evil.swf">

[markdown js](javascript:alert('XSS')) and ![image js](javascript:alert('XSS'))

Text with </script> inside and a closing </textarea> too.
"""


def front(**fields) -> str:
    return "---\n" + "\n".join(f"{k}: {json.dumps(v)}" for k, v in fields.items()) + "\n---\n" + BODY


COMMON = dict(
    summary=IMG + " " + BREAK,
    networks=["equity"],
    tags=["attendance", "xss-tag"],
    status="published",
    authors=[BREAK, "O'Brien"],
    organisations=["<b>Bold</b> School", BREAK],
)
HOSTILE = {
    "content/case-studies/hostile-case.md": front(title=T, date="2026-03-12", approach="enquiring", outcomes=BREAK + T, **COMMON),
    "register/hostile-offer.md": front(
        title=T,
        date="2026-03-12",
        area=T,
        offered_by={"organisation": BREAK, "role": IMG, "name": T},
        contact="javascript:alert('XSS')",
        nominated_by=IMG,
        **COMMON,
    ),
    "content/research/2026-03-hostile-reading.md": front(
        title=T,
        date="2026-03-12",
        month="2026-03",
        discussed_by=BREAK,
        reading={
            "title": T,
            "authors": [IMG],
            "year": 2020,
            "publisher": BREAK,
            "url": "javascript:alert('XSS')",
            "doi": '10.1000/"><script>',
        },
        **COMMON,
    ),
    "content/minutes/equity/2026-03-12.md": front(
        title=T,
        date="2026-03-12",
        agenda=[T, IMG],
        attendees=[BREAK + ", O'Brien School"],
        apologies=[IMG],
        decisions=[T],
        meeting={"start": "16:00", "end": "17:00", "format": "in-person", "location": BREAK, "chair": IMG},
        actions=[{"action": T, "owner": BREAK, "due": "2026-04-01", "status": "open"}],
        **COMMON,
    ),
    "content/minutes/equity/2026-12-10.md": front(
        title=T,
        date="2026-12-10",
        agenda=[T, BREAK],
        meeting={"start": "16:00", "end": "17:00", "format": "virtual", "location": IMG},
        **COMMON,
    ),
    "content/summaries/hostile-summary.md": front(
        title=T,
        date="2026-03-12",
        period={"from": "2026-01-01", "to": "2026-03-31"},
        sources=["case-studies/hostile-case", "register/hostile-offer"],
        **COMMON,
    ),
}

DANGEROUS_TAGS = {"iframe", "frame", "frameset", "object", "embed", "base", "math", "maction", "applet"}
PAYLOAD_MARKS = ("xss", "evil")  # every payload's attributes carry one of these
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "background", "srcset"}
BAD_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)


class Auditor(HTMLParser):
    """Collects every live element, attribute and URL of a page, and its JSON data blocks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.faults: list[str] = []
        self.json_blocks: list[str] = []
        self.text: list[str] = []
        self._in: str | None = None
        self._buf: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in DANGEROUS_TAGS:
            self.faults.append(f"<{tag}> element")
        marked = any(m in (v or "").lower() for v in attributes.values() for m in PAYLOAD_MARKS)
        if tag in ("form", "input", "textarea", "button", "select") and marked:
            self.faults.append(f"<{tag}> from an entry: {attributes}")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() not in (
            "",
            "content-security-policy",
            "x-ua-compatible",
        ):
            self.faults.append(f"<meta http-equiv={attributes.get('http-equiv')!r}>")
        if tag == "style":
            self.faults.append("<style> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.faults.append(f"event handler {name} on <{tag}>")
            if name in URL_ATTRS and value and BAD_SCHEME.match(re.sub(r"[\x00-\x20]", "", value)):
                self.faults.append(f"{name}={value!r} on <{tag}>")
        if tag == "script":
            self._in, self._buf = attributes.get("type") or "js", []
            if "src" in attributes and ("//" in attributes["src"] or BAD_SCHEME.match(attributes["src"])):
                self.faults.append(f"external script {attributes['src']}")

    def handle_endtag(self, tag):
        if tag == "script" and self._in is not None:
            body = "".join(self._buf)
            if "json" in self._in:
                self.json_blocks.append(body)
            elif "XSS" in body or "alert(" in body:
                self.faults.append("inline script from an entry")
            self._in = None

    def handle_data(self, data):
        if self._in is not None:
            self._buf.append(data)
        else:
            self.text.append(data)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("hostile") / "project"
    shutil.copytree(
        ROOT,
        project,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", ".cache", "site", "site-members", "test-artifacts", "*.pyc", "bench-results"
        ),
    )
    for relpath, text in HOSTILE.items():
        path = project / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    tags = project / "content" / "tags.yml"
    hostile_tag = '\nxss-tag: {label: "<script>alert(\'XSS\')</script> O\'Brien", description: "<img src=x onerror=alert(\'XSS\')>", synonyms: ["<b>x</b>"]}\n'
    tags.write_text(tags.read_text(encoding="utf-8") + hostile_tag, encoding="utf-8")
    return build(project, project / "site")


def test_hostile_entries_build_and_their_pages_exist(hostile_site):
    for relpath in HOSTILE:
        ref = relpath.removeprefix("content/").removesuffix(".md")
        assert (hostile_site / ref / "index.html").exists(), ref


def test_no_entry_markup_is_live_in_any_html_output(hostile_site):
    faults = {}
    for page in hostile_site.rglob("*.html"):
        auditor = Auditor()
        auditor.feed(page.read_text(encoding="utf-8"))
        auditor.close()
        for block in auditor.json_blocks:
            json.loads(block)  # a JSON block that an entry could close would not parse
            assert "</script" not in block.lower()
        if auditor.faults:
            faults[str(page.relative_to(hostile_site))] = sorted(set(auditor.faults))
    assert not faults, json.dumps(faults, indent=1)[:4000]


def test_text_stays_readable_and_is_not_double_escaped(hostile_site):
    auditor = Auditor()
    auditor.feed((hostile_site / "case-studies" / "hostile-case" / "index.html").read_text(encoding="utf-8"))
    text = " ".join(auditor.text)
    assert "O'Brien's \"coaching\" & more" in text
    assert "it's fine" in text
    assert "&amp;" not in text and "&#39;" not in text and "&quot;" not in text


def test_xml_and_json_outputs_parse_and_carry_no_live_markup(hostile_site):
    for path in list(hostile_site.rglob("*.xml")) + list(hostile_site.rglob("*.json")):
        raw = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            json.loads(raw)
            continue
        root = ET.fromstring(raw)
        for element in root.iter():
            if element.get("type") in ("html", "xhtml") and element.text and "<script" in element.text:
                pytest.fail(f"{path.name}: an HTML-typed element carries a script: {element.text[:80]}")
