"""The browser editor as a contributor uses it: `kb edit` (the preview and decap-server, on loopback ports
chosen by the test) against a throw-away copy of the project, Decap CMS at /admin/ in Debian's chromium.

Each entry is written through the forms and saved; the file must appear at the path content/urls.py's
rule gives it, with front matter that `kb check --strict` (the merge gate) passes and `status: draft`; the editor's preview and the
site's preview must mark it as a draft. With `kb edit --workflow`, saving puts the entry on its own git
branch and leaves the copy's branch untouched: saving never publishes.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

from .conftest import DESKTOP, PHONE, assert_accessible, screenshot
from .serving import KB, copy_project, kb_serve

LONG_TITLE = "A title far too long for any listing: " + "reading buddies " * 6


@pytest.fixture(scope="module")
def editing(tmp_path_factory):
    """`kb edit` on a copy of the project; yields (base_url, project)."""
    project = copy_project(tmp_path_factory.mktemp("edit") / "project")
    with kb_serve(project, command="edit", log=project.parent / "kb-edit.log") as (base, _proc):
        yield base, project


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), text[:200]
    return yaml.safe_load(text.split("\n---\n", 1)[0][4:])


def kb_check(project: Path, *files: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "KB_TODAY": os.environ.get("KB_TODAY", "2026-11-23"), "NO_COLOR": "1"}
    return subprocess.run(
        [str(KB), "--project", str(project), "check", "--strict", *files], capture_output=True, text=True, env=env
    )


def field(pg, name: str):
    """A field's input, by the id Decap gives it (<name>-field-<n>)."""
    return pg.locator(f'[id^="{name}-field-"]').first


def choose(pg, name: str, *labels: str) -> None:
    """Pick options of a select by the words people see (a tag's label, a network's title)."""
    for text in labels:
        field(pg, name).fill(text)
        pg.keyboard.press("Enter")


def log_in(pg) -> None:
    """decap-server needs no account: Decap shows a Login button, once per browser context."""
    login = pg.get_by_role("button", name="Login")
    login.or_(pg.get_by_text("Collections")).first.wait_for()
    if login.is_visible():
        login.click()


def open_new(pg, base: str, collection: str) -> None:
    pg.goto(base + "admin/")
    log_in(pg)
    pg.get_by_text("Collections").first.wait_for()
    pg.goto(base + f"admin/#/collections/{collection}/new")
    field(pg, "title").wait_for()


def write_body(pg, text: str) -> None:
    pg.locator('[contenteditable="true"]').first.click()
    pg.keyboard.type(text)


def save(pg, button: str = "Save to my copy") -> None:
    pg.get_by_role("button", name=button).click()
    pg.get_by_text(button + " now").click()


def wait_for_file(path: Path, pg, seconds: float = 20) -> None:
    """Until decap-server has written the whole file (front matter and body)."""
    for _ in range(int(seconds * 10)):
        if path.exists() and path.read_text(encoding="utf-8").count("---\n") >= 2:
            return
        pg.wait_for_timeout(100)
    raise AssertionError(f"{path} was not written")


def preview_badge(pg):
    return pg.frame_locator("iframe").locator(".kb-badge--draft")


def test_a_case_study_written_in_the_forms_is_saved_as_a_draft_that_kb_check_passes(editing, page):
    base, project = editing
    open_new(page, base, "case-study")
    field(page, "title").fill("Reading buddies across Year 2 and Year 6")
    field(page, "summary").fill("Year 6 pupils read with Year 2 partners twice a week.")
    field(page, "date").fill("2026-11-20")
    choose(page, "networks", "Equity")
    choose(page, "tags", "Oracy", "Transition")
    choose(page, "approach", "Enquiring")
    write_body(page, "We paired every Year 6 reader with a Year 2 partner, like [[case-studies/transition-coaching]].")
    assert preview_badge(page).inner_text() == "Draft — not published"  # the editor's preview, before saving
    # Our stylesheets are registered with the editor: the label in the site's red (kb.css), the title as
    # Material sets it (light, 300), not the browser's bold default.
    assert preview_badge(page).evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(183, 28, 28)"
    assert page.frame_locator("iframe").locator("h1").evaluate("t => getComputedStyle(t).fontWeight") == "300"
    assert page.frame_locator("iframe").locator("h1").inner_text() == "Reading buddies across Year 2 and Year 6"
    screenshot(page, "editor-case-study")
    save(page)

    path = project / "content/case-studies/reading-buddies-across-year-2-and-year-6.md"
    wait_for_file(path, page)
    meta = front_matter(path)
    assert meta["status"] == "draft"
    assert meta["networks"] == ["equity"] and meta["tags"] == ["oracy", "transition"]
    assert meta["approach"] == "enquiring" and str(meta["date"]) == "2026-11-20"
    assert "[[case-studies/transition-coaching]]" in path.read_text(encoding="utf-8")  # the wiki link kept whole
    checked = kb_check(project, str(path.relative_to(project)))
    assert checked.returncode == 0, checked.stdout
    assert "0 error(s)" in checked.stdout

    # The site's preview (kb serve, beside the editor) shows it, marked as a draft.
    for _ in range(120):
        response = page.goto(base + "case-studies/reading-buddies-across-year-2-and-year-6/")
        if response and response.status == 200 and page.locator(".kb-badge--draft").count():
            break
        page.wait_for_timeout(500)
    assert page.locator(".kb-badge--draft").inner_text() == "Draft — not published"


def test_minutes_with_two_actions(editing, page):
    base, project = editing
    open_new(page, base, "minutes")
    field(page, "title").fill("Equity Network meeting, 19 November 2026")
    field(page, "summary").fill("Attendance data and the shared tracker.")
    field(page, "date").fill("2026-11-19")
    choose(page, "networks", "Equity")
    field(page, "start").fill("16:00")
    field(page, "end").fill("17:30")
    choose(page, "format", "In person")
    page.get_by_role("button", name="Add attendees").click()
    page.locator('[id^="item-field-"]').last.fill("SENCo, Northgate Primary School")  # one line per person
    page.get_by_role("button", name="Add apologies").click()
    page.locator('[id^="item-field-"]').last.fill("Head, Riverside Academy")
    page.get_by_role("button", name="Add decisions").click()
    page.locator('[id^="item-field-"]').last.fill("Adopt the shared attendance tracker")
    field(page, "approves").fill("minutes/equity/2026-10-08")  # the convenor's cycle: the last minutes approved here
    for number, (action, owner, due) in enumerate(
        [("Share the tracker template", "Network convener", "2026-12-01"), ("Bring attendance data", "Data lead", "2027-01-14")]
    ):
        page.get_by_role("button", name="Add actions").click()
        page.locator('[id^="action-field-"]').nth(number).fill(action)
        page.locator('[id^="owner-field-"]').nth(number).fill(owner)
        page.locator('[id^="due-field-"]').nth(number).fill(due)
        page.locator('[id^="status-field-"]').nth(number + 1).fill("Open")  # the first status field is the entry's
        page.keyboard.press("Enter")
    write_body(page, "The network looked at this term's attendance data.")
    assert preview_badge(page).inner_text() == "Draft — not published"
    shown = page.frame_locator("iframe").locator("article").inner_text()
    assert "16:00 · 17:30 · In person" in shown  # a group's choices by their labels, as the page shows them
    assert "Share the tracker template · Network convener · 2026-12-01 · Open" in shown
    screenshot(page, "editor-minutes")
    save(page)

    path = project / "content/minutes/equity/2026-11-19.md"
    wait_for_file(path, page)
    meta = front_matter(path)
    assert meta["status"] == "draft"
    assert meta["attendees"] == ["SENCo, Northgate Primary School"]
    assert meta["decisions"] == ["Adopt the shared attendance tracker"]
    assert meta["apologies"] == ["Head, Riverside Academy"] and meta["approves"] == "minutes/equity/2026-10-08"
    assert "approved" not in meta or not any((meta["approved"] or {}).values())  # an untouched optional group stays empty
    assert meta["meeting"]["format"] == "in-person"
    # Decap writes the time unquoted, which YAML 1.1 reads as minutes; kb reads it back as the time written.
    from kb.project import load_project

    seen = load_project(project, preview=True)[0].entries["minutes/equity/2026-11-19"].meta
    assert (seen["meeting"]["start"], seen["meeting"]["end"]) == ("16:00", "17:30")
    assert [(a["action"], a["owner"], str(a["due"]), a["status"]) for a in meta["actions"]] == [
        ("Share the tracker template", "Network convener", "2026-12-01", "open"),
        ("Bring attendance data", "Data lead", "2027-01-14", "open"),
    ]
    checked = kb_check(project, str(path.relative_to(project)))
    assert checked.returncode == 0, checked.stdout


def test_a_register_entry(editing, page):
    base, project = editing
    open_new(page, base, "register-entry")
    field(page, "title").fill("Phonics catch-up for new arrivals")
    field(page, "summary").fill("Short daily phonics sessions for pupils who join mid-year.")
    field(page, "date").fill("2026-11-18")
    choose(page, "networks", "Equity")
    choose(page, "tags", "Oracy")
    field(page, "area").fill("Phonics catch-up sessions")
    field(page, "organisation").fill("Northgate Primary School")
    field(page, "role").fill("Reading lead")
    write_body(page, "Fifteen minutes a day, in small groups, for six weeks.")
    assert preview_badge(page).inner_text() == "Draft — not published"
    assert page.frame_locator("iframe").locator("h1").inner_text() == "Phonics catch-up for new arrivals"
    save(page)

    path = project / "register/phonics-catch-up-for-new-arrivals.md"
    wait_for_file(path, page)
    meta = front_matter(path)
    assert meta["status"] == "draft"
    assert meta["offered_by"]["organisation"] == "Northgate Primary School"
    checked = kb_check(project, str(path.relative_to(project)))
    assert checked.returncode == 0, checked.stdout


def test_a_form_with_no_summary_or_a_title_too_long_cannot_be_saved_and_says_why(editing, page):
    base, project = editing
    before = sorted((project / "content/case-studies").iterdir())
    open_new(page, base, "case-study")
    field(page, "title").fill(LONG_TITLE)
    choose(page, "networks", "Equity")
    choose(page, "approach", "Enquiring")
    write_body(page, "Some text.")
    save(page)
    assert page.get_by_text("Title is too long: at most 120 characters are allowed. Shorten it.").is_visible()
    assert page.get_by_text("Summary is missing; it is required.").is_visible()
    screenshot(page, "editor-errors")
    page.wait_for_timeout(1000)
    assert sorted((project / "content/case-studies").iterdir()) == before  # nothing written


def test_the_editor_is_accessible_and_works_by_keyboard(editing, browser):
    base, _project = editing
    for viewport, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
        context = browser.new_context(viewport=viewport)
        pg = context.new_page()
        open_new(pg, base, "case-study")
        field(pg, "title").focus()
        pg.keyboard.type("Typed from the keyboard")
        pg.keyboard.press("Tab")
        assert pg.evaluate("document.activeElement.id").startswith("summary-field-")
        assert pg.evaluate("document.documentElement.scrollWidth") <= viewport["width"]  # no sideways scrolling
        assert_accessible(pg)
        screenshot(pg, f"editor-form-{name}")
        context.close()


def test_the_admin_page_runs_under_its_own_policy(editing, page):
    """Decap starts under admin/index.html's own Content-Security-Policy; nothing but kb serve's injected
    live-reload script is refused, and the policy names decap-server and no other host."""
    base, _project = editing
    page.add_init_script(
        "window.kbViolations = []; document.addEventListener('securitypolicyviolation',"
        " e => window.kbViolations.push([e.effectiveDirective, e.blockedURI]));"
    )
    open_new(page, base, "case-study")
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert "connect-src 'self' blob: http://127.0.0.1:" in policy
    assert "https:" not in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    violations = page.evaluate("window.kbViolations")
    assert all(blocked == "inline" for _directive, blocked in violations), violations  # live reload's script only


def test_edit_this_page_opens_the_entry_in_the_editor(editing, page):
    base, _project = editing
    page.goto(base + "case-studies/transition-coaching/")
    page.get_by_role("link", name="Edit this page").click()
    assert "#/collections/case-study/entries/transition-coaching" in page.url
    log_in(page)
    assert field(page, "title").input_value() == "Coaching pairs across the Year 6 to Year 7 transition"
    # Minutes live a folder deeper (content/minutes/<network>/<date>.md): the link finds them too.
    page.goto(base + "minutes/primary-leaders/2025-09-25/")
    page.get_by_role("link", name="Edit this page").click()
    assert field(page, "title").input_value() == "Primary Leaders Network meeting, 25 September 2025"


def git(project: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(project), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def editing_with_workflow(tmp_path_factory):
    """`kb edit --workflow` on a git clone-like copy (branch main, everything committed)."""
    project = copy_project(tmp_path_factory.mktemp("workflow") / "project")
    git(project, "init", "-q", "-b", "main")
    git(project, "config", "user.email", "editor-test@example.org")
    git(project, "config", "user.name", "Editor test")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "The project as it is")
    with kb_serve(project, "--workflow", command="edit", log=project.parent / "kb-edit.log") as (base, _proc):
        yield base, project


def test_saving_in_the_workflow_puts_the_entry_on_its_own_branch_and_never_publishes(editing_with_workflow, page):
    base, project = editing_with_workflow
    main_before = git(project, "rev-parse", "main")
    open_new(page, base, "case-study")
    field(page, "title").fill("Peer reading in Year 4")
    field(page, "summary").fill("Year 4 pupils read in pairs every morning.")
    field(page, "date").fill("2026-11-21")
    choose(page, "networks", "Equity")
    choose(page, "approach", "Enquiring")
    write_body(page, "Pairs read for ten minutes before the register.")
    page.get_by_role("button", name="Save", exact=True).click()
    branch, path = "cms/case-study/peer-reading-in-year-4", "content/case-studies/peer-reading-in-year-4.md"
    page.get_by_text("Changes saved").wait_for()  # decap-server has committed on the entry's branch
    assert branch in git(project, "branch", "--list", "cms/*")
    saved = git(project, "show", f"{branch}:{path}")
    assert "status: draft" in saved
    assert git(project, "rev-parse", "main") == main_before  # the branch the site is built from: untouched
    assert git(project, "ls-tree", "--name-only", "main", "--", path) == ""
    screenshot(page, "editor-workflow-saved")
    # decap-server reads a branch's entries by checking the branch out in the project's folder for a moment (its
    # local git backend), so the folder's files are not looked at here: the branch is checked in a folder of its own.
    own_folder = project.parent / "cms-branch"
    git(project, "worktree", "add", "-q", str(own_folder), branch)
    checked = kb_check(own_folder, path)
    assert checked.returncode == 0, checked.stdout
