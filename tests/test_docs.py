"""The contributor's guide keeps up with the tools: every field of the content model and every
`kb` command and option must be explained in it, or this test names what is missing."""

from __future__ import annotations

import re

import click

from kb.cli.main import main
from kb.content.model import ENTRY_TYPES, TYPE_FIELDS
from tests.conftest import ROOT

GUIDE = ROOT / "content" / "contribute" / "guide.md"


def documented_names() -> set[str]:
    """Everything the guide writes in `code`."""
    return set(re.findall(r"`([^`\n]+)`", GUIDE.read_text(encoding="utf-8")))


def model_fields() -> set[str]:
    names = set()
    for specs in TYPE_FIELDS.values():
        for spec in specs:
            names.add(spec.name)
            names.update(f"{spec.name}.{sub.name}" for sub in spec.fields)
    return names


def kb_options() -> dict[str, set[str]]:
    """Every command of `kb` with its long options, read from the click commands themselves."""
    found = {"kb": {o for p in main.params for o in p.opts if o.startswith("--")}}
    for name, command in main.commands.items():
        found[name] = {o for p in command.params if isinstance(p, click.Option) for o in p.opts if o.startswith("--")}
    return found


def test_every_field_of_the_content_model_is_in_the_guide():
    code = documented_names()
    missing = sorted(f for f in model_fields() if f not in code)
    assert not missing, f"content/contribute/guide.md does not explain these fields (write them as `name`): {missing}"


def test_every_type_is_in_the_guide():
    code = " ".join(documented_names())
    missing = [t for t in ENTRY_TYPES if t not in code]
    assert not missing, f"the guide does not name these types: {missing}"


def test_every_kb_command_and_option_is_in_the_guide():
    text = GUIDE.read_text(encoding="utf-8")
    code = " ".join(documented_names())
    missing = []
    for command, options in kb_options().items():
        if command != "kb" and f"kb {command}" not in code:
            missing.append(f"kb {command}")
        missing += [
            f"kb {command} {o}" for o in sorted(options) if o not in ("--help",) and not re.search(rf"`{re.escape(o)}[ `]", text)
        ]
    assert not missing, f"content/contribute/guide.md does not document: {missing}"


def test_the_checks_would_notice_a_missing_option(monkeypatch):
    """The test above really reads the click commands: an undocumented option is caught."""
    extra = click.Option(["--shiny-new-option"], is_flag=True)
    monkeypatch.setattr(main.commands["check"], "params", [*main.commands["check"].params, extra])
    assert "--shiny-new-option" in kb_options()["check"]
    assert not re.search(r"`--shiny-new-option[ `]", GUIDE.read_text(encoding="utf-8"))


def test_the_guide_screenshots_exist():
    for name in re.findall(r"\]\((images/[^)\s]+\.png)\)", GUIDE.read_text(encoding="utf-8")):
        image = GUIDE.parent / name
        assert image.exists() and image.stat().st_size > 5000, f"{image} is missing: run scripts/contribute_screenshots.py"


# "convener" only where it is the front-matter field's name (convener:, `convener`, "convener"), which never changes.
OTHER_SPELLING = re.compile(r"(?<![`\"'\w])convener(?![`\"':\w])", re.IGNORECASE)


def test_our_own_words_spell_convenor_one_way():
    """Templates, messages, the guide, the About pages, the README and docs/ say "convenor"; entries' own text is left alone."""
    assert OTHER_SPELLING.search("the network convener will") and not OTHER_SPELLING.search("convener: Head; `convener`")
    ours = [*(ROOT / "plugins/kb").rglob("*.py"), *(ROOT / "plugins/kb").rglob("*.html"), *(ROOT / "plugins/kb").rglob("*.js")]
    ours += [
        *(ROOT / "content/contribute").glob("*.md"),
        *(ROOT / "content/about").glob("*.md"),
        ROOT / "README.md",
        *(ROOT / "docs").glob("*.md"),
    ]
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in ours
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1)
        if OTHER_SPELLING.search(line)
    ]
    assert found == []
