"""Take the screenshots of the contributor's guide (content/contribute/images/) from a live `kb serve`,
and those of the browser editor's forms from a live `kb edit`.

Run after a visible change to entry pages or the preview:  .venv/bin/python scripts/contribute_screenshots.py
(only the editor's:  .venv/bin/python scripts/contribute_screenshots.py editor).
It works on a temporary copy of the project, so your content is never touched.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.browser.serving import copy_project, kb_serve  # noqa: E402

IMAGES = ROOT / "content" / "contribute" / "images"
VIEW = {"width": 1000, "height": 760}


def write_demo_draft(project: Path) -> str:
    """A made-up draft (never a real one: the guide is public), written from the kb new template."""
    import datetime as dt

    from kb.content.drafts import PROMPT, NewEntry, template_text

    new = NewEntry("case-study", "Reading buddies across Year 2 and Year 6", "primary-leaders", dt.date(2026, 11, 23))
    text = template_text(new).replace(
        f'"{PROMPT} one or two plain sentences, at most 300 characters; shown in listings, feeds and search."',
        '"Year 6 pupils read with Year 2 partners twice a week for a term."',
    )
    text = "\n".join("A made-up example for the guide." if line.startswith(PROMPT) else line for line in text.split("\n"))
    (project / new.path).write_text(text, encoding="utf-8")
    return new.url


def editor_shots(browser, project: Path) -> None:
    """The forms of a case study being written, and a form that cannot be saved yet (from kb edit)."""
    from tests.browser.test_editor import LONG_TITLE, choose, field, open_new, save, write_body

    page = browser.new_context(viewport=VIEW).new_page()
    with kb_serve(project, command="edit") as (base, _proc):
        open_new(page, base, "case-study")
        field(page, "title").fill("Reading buddies across Year 2 and Year 6")
        field(page, "summary").fill("Year 6 pupils read with Year 2 partners twice a week for a term.")
        field(page, "date").fill("2026-11-20")
        choose(page, "networks", "Primary")
        choose(page, "tags", "Oracy", "Transition")
        page.keyboard.press("Escape")  # close the list of tags
        field(page, "title").scroll_into_view_if_needed()
        page.screenshot(path=str(IMAGES / "editor-form.png"))
        open_new(page, base, "case-study")
        field(page, "title").fill(LONG_TITLE)
        choose(page, "networks", "Primary")
        write_body(page, "A made-up example for the guide.")
        save(page)
        page.get_by_text("Summary is missing; it is required.").wait_for()
        field(page, "title").scroll_into_view_if_needed()
        page.wait_for_timeout(5000)  # until Decap's notice has gone
        page.screenshot(path=str(IMAGES / "editor-errors.png"))
    page.context.close()


def main() -> None:
    from playwright.sync_api import sync_playwright

    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        project = copy_project(Path(tmp) / "project")
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        editor_shots(browser, copy_project(Path(tmp) / "editing"))
        if sys.argv[1:] == ["editor"]:
            browser.close()
            return
        page = browser.new_context(viewport=VIEW).new_page()
        with kb_serve(project) as (base, _proc):
            page.goto(base + "case-studies/transition-coaching/")
            page.screenshot(path=str(IMAGES / "entry-page.png"))
            draft_url = base + write_demo_draft(project)
            for _ in range(60):  # until kb serve has rebuilt with the new file
                page.goto(draft_url)
                if page.locator(".kb-badge--draft").count():
                    break
                page.wait_for_timeout(500)
            page.set_viewport_size({"width": 1000, "height": 420})
            page.screenshot(path=str(IMAGES / "preview-draft.png"))
            page.set_viewport_size(VIEW)
            entry = project / "content/case-studies/transition-coaching.md"
            entry.write_text(
                entry.read_text(encoding="utf-8")
                .replace("date: 2026-07-15", "date: 15/07/2026")
                .replace("tags: [transition,", "tags: [transitoin,"),
                encoding="utf-8",
            )
            page.goto(base + "case-studies/transition-coaching/")
            page.locator(".kb-preview-errors").wait_for(timeout=30000)
            page.screenshot(path=str(IMAGES / "preview-errors.png"))
        browser.close()
    for name in sorted(IMAGES.glob("*.png")):
        print(f"wrote {name.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
