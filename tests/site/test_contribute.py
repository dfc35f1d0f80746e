"""The "How to contribute" page (contribute.py): one worked example per type, each with the `kb new` command
that writes exactly the template shown, and a finished entry of that type when the catalogue has one."""

from __future__ import annotations

import json
import shlex

import click
import pytest
from click.testing import CliRunner

from kb.cli.main import main
from kb.cli.new import new
from kb.content.drafts import NewEntry, template_text
from kb.content.model import ENTRY_TYPES, TYPE_FIELDS
from kb.site.contribute import ORDER, PURPOSE, contribute_pages, worked_examples
from tests.conftest import MINI_CASE
from tests.factories import TODAY, catalogue, entry
from tests.meetings_fixture import write_meetings

NEW_OPTIONS = {opt for p in new.params if isinstance(p, click.Option) for opt in p.opts}


@pytest.fixture
def examples(project):
    return {e["type"].name: e for e in worked_examples(project.catalogue())}


def test_one_example_per_type_in_order(project):
    found = worked_examples(project.catalogue())
    assert [e["type"] for e in found] == [ENTRY_TYPES[name] for name in ORDER]
    assert sorted(ORDER) == sorted(ENTRY_TYPES)  # every type, once
    for e in found:
        name = e["type"].name
        assert e["purpose"] == PURPOSE[name]
        assert e["required"] == [f.name for f in TYPE_FIELDS[name] if f.required] and "title" in e["required"]


def test_commands_use_only_kb_new_options(examples):
    assert {"--title", "--network", "--date", "--month"} <= NEW_OPTIONS  # read from the click command itself
    for name, e in examples.items():
        words = shlex.split(e["command"])
        assert words[:3] == ["kb", "new", name]
        options = dict(zip(words[3::2], words[4::2]))
        assert len(words[3:]) == 2 * len(options) and set(options) <= NEW_OPTIONS, e["command"]
        assert ("--network" in options) is (name != "network")
        assert ("--date" in options) is (name == "minutes") and ("--month" in options) is (name == "research")
    assert shlex.split(examples["minutes"]["command"])[3:] == [
        "--title",
        "Equity meeting, 23 November 2026",
        "--network",
        "equity",
        "--date",
        "2026-11-23",
    ]
    assert shlex.split(examples["research"]["command"])[-2:] == ["--month", "2026-11"]


def test_each_command_writes_the_template_shown_where_the_page_says(project, examples):
    for name in ORDER:
        e = examples[name]
        args = shlex.split(e["command"])[1:]
        result = CliRunner().invoke(main, ["--project", str(project.root), *args], env={"KB_TODAY": TODAY.isoformat()})
        assert result.exit_code == 0, (name, result.output)
        assert f"Wrote {e['path']} (status: draft)." in result.output
        assert (project.root / e["path"]).read_text(encoding="utf-8") == e["template"], name


def test_templates_come_from_drafts(project):
    cat = project.catalogue()
    for e in worked_examples(cat):
        name = e["type"].name
        title = shlex.split(e["command"])[4]
        made = NewEntry(name, title, None if name == "network" else "equity", TODAY, "2026-11" if name == "research" else None)
        assert e["path"] == made.path and e["template"] == template_text(made, tags=tuple(cat.tags))
        assert "status: draft" in e["template"] and f"title: {json.dumps(title)}" in e["template"]


def test_examples_are_published_entries_of_the_same_type(project):
    project.write(
        "content/case-studies/draft-study.md",
        MINI_CASE.replace("status: published", "status: draft").replace("2026-03-12", "2026-11-01"),
    )
    write_meetings(project)
    examples = {e["type"].name: e["example"] for e in worked_examples(project.catalogue())}
    cat = project.catalogue()
    assert examples["case-study"] is cat.entries["case-studies/coaching-year-7"]  # the draft is newer, but not shown
    assert examples["minutes"] is cat.of_type("minutes")[0] and examples["minutes"].status == "published"
    assert examples["network"].type == "network"
    assert examples["research"] is None and examples["register-entry"] is None and examples["learning-summary"] is None


def test_without_networks_the_examples_name_a_placeholder_network():
    examples = {e["type"].name: e for e in worked_examples(catalogue([entry("case-studies/a")]))}
    assert "--network equity" in examples["case-study"]["command"]
    assert examples["minutes"]["command"].startswith('kb new minutes --title "equity meeting, 23 November 2026"')
    assert examples["case-study"]["example"].ref == "case-studies/a"


def test_contribute_page(project):
    (page,) = contribute_pages(project.catalogue())
    assert (page.src_uri, page.title, page.meta) == ("contribute/index.md", "How to contribute", {"nav": True, "hide": []})
    html = page.render_html("contribute/")
    assert "kb new case-study --title &#34;Reading buddies across Year 2 and Year 6&#34; --network equity" in html
    assert html.count('class="kb-worked-example"') == len(ORDER)
    assert 'A finished one: <a href="../case-studies/coaching-year-7/">Coaching in Year 7</a>' in html


def test_templates_are_named_regions_not_labelled_pre_elements(public_site):
    """aria-label is not allowed on a plain <pre> (Nu HTML checker); a named, focusable region is, and scrolls by keyboard."""
    import re

    html = (public_site / "contribute/index.html").read_text(encoding="utf-8")
    pres = re.findall(r"<pre [^>]*>", html)
    assert pres and all('role="region"' in tag for tag in pres if "aria-label" in tag), pres
    labelled = [tag for tag in pres if "aria-label" in tag]
    assert len(labelled) == len(ENTRY_TYPES) and len(set(labelled)) == len(labelled)
