"""Decap's configuration is generated from the content model: every field of every type has a widget,
and a new tag, network or field appears in the forms with the next build."""

from __future__ import annotations

import re

import pytest

from kb.content.model import ENTRY_TYPES, MONTH_RE, TYPE_FIELDS, Field
from kb.editor import cms_config as module
from kb.editor.cms_config import cms_config, collection
from kb.editor.settings import EditorSettings, EditorSetupError, editor_settings

LOCAL = EditorSettings("local")


def by_name(fields: list[dict]) -> dict[str, dict]:
    return {f["name"]: f for f in fields}


def widget_names(spec: Field, made: dict) -> list[str]:
    """Every field name the generated widget covers, nested ones as parent.child (as the guide writes them)."""
    assert made["name"] == spec.name and made.get("widget"), made
    names = [spec.name]
    children = made.get("fields") or []
    for sub, sub_made in zip(spec.fields, children):
        names += [f"{spec.name}.{n}" for n in widget_names(sub, sub_made)]
    assert len(children) == len(spec.fields), f"{spec.name}: {len(children)} widgets for {len(spec.fields)} fields"
    return names


def test_every_field_of_every_type_has_a_widget(project):
    config = cms_config(project.catalogue(), LOCAL)
    collections = {c["name"]: c for c in config["collections"]}
    assert set(collections) == set(ENTRY_TYPES)
    for name, specs in TYPE_FIELDS.items():
        made = by_name(collections[name]["fields"])
        assert list(made) == [s.name for s in specs] + ["body"], name
        for spec in specs:
            widget_names(spec, made[spec.name])
            assert made[spec.name]["required"] == spec.required, spec.name
            if spec.kind == "mapping" and not spec.required:
                # Decap checks a group's required fields even in an empty group: an optional group (approved) requires
                # none, or no minutes could be saved before they are approved; kb check names a half-filled group.
                assert not any(f["required"] for f in made[spec.name]["fields"]), spec.name
        assert made["body"]["widget"] == "markdown"


def test_a_field_added_to_the_model_gets_its_widget_by_kind(project, monkeypatch):
    """Fields like those other work adds to minutes (papers, a closing date on actions) need no special case."""
    minutes = TYPE_FIELDS["minutes"]
    actions = next(f for f in minutes if f.name == "actions")
    with_closed = Field(actions.name, actions.kind, fields=(*actions.fields, Field("closed", "date", help="When it was closed.")))
    papers = Field("papers", "records", fields=(Field("title", "text", True, 200), Field("url", "url")))
    monkeypatch.setitem(TYPE_FIELDS, "minutes", (*[with_closed if f is actions else f for f in minutes], papers))
    made = by_name(collection(ENTRY_TYPES["minutes"], project.catalogue())["fields"])
    assert made["papers"]["widget"] == "list"
    assert by_name(made["papers"]["fields"])["url"]["pattern"][1].startswith("is not a web address")
    closed = by_name(made["actions"]["fields"])["closed"]
    assert closed["widget"] == "datetime" and closed["required"] is False and "default" not in closed


def test_an_email_list_gets_a_list_of_addresses_checked_in_the_form(project, monkeypatch):
    """Like the network's mailing_list (issue 16): one address a line, refused unless it is an address."""
    monkeypatch.setitem(TYPE_FIELDS, "network", (*TYPE_FIELDS["network"], Field("mailing_list", "email-list")))
    made = by_name(collection(ENTRY_TYPES["network"], project.catalogue())["fields"])["mailing_list"]
    assert made["widget"] == "list" and made["field"]["widget"] == "string"
    pattern, message = made["field"]["pattern"]
    assert message == "is not an email address."
    for text, ok in (("equity-network@lists.example.org", True), ("not an address", False), ("a@b", False), ("a@b.org", True)):
        assert bool(re.match(pattern, text)) == ok, text


def test_a_field_of_a_kind_without_a_widget_stops_the_build_in_plain_words(project, monkeypatch):
    monkeypatch.setitem(TYPE_FIELDS, "network", (*TYPE_FIELDS["network"], Field("mailing_list", "email-address")))
    with pytest.raises(EditorSetupError, match=r"no form widget for 'mailing_list', a field of kind 'email-address'"):
        cms_config(project.catalogue(), LOCAL)


def test_tags_and_networks_come_from_the_project_so_the_forms_follow_them(project):
    before = by_name(collection(ENTRY_TYPES["case-study"], project.catalogue())["fields"])
    assert {o["value"] for o in before["tags"]["options"]} == {"attendance", "coaching"}
    project.write("content/tags.yml", (project.root / "content/tags.yml").read_text() + "wellbeing: {label: Staff wellbeing}\n")
    network = (project.root / "content/networks/send.md").read_text().replace("title: SEND", "title: Early years")
    project.write("content/networks/early-years.md", network)
    after = by_name(collection(ENTRY_TYPES["case-study"], project.catalogue())["fields"])
    assert {"label": "Staff wellbeing", "value": "wellbeing"} in after["tags"]["options"]
    assert {"label": "Early years", "value": "early-years"} in after["networks"]["options"]
    assert after["networks"]["multiple"] is True and after["networks"]["min"] == 1


def test_vocabularies_file_names_and_folders(project):
    config = cms_config(project.catalogue(), LOCAL)
    collections = {c["name"]: c for c in config["collections"]}
    for name, etype in ENTRY_TYPES.items():
        assert collections[name]["folder"] == etype.folder
    assert collections["case-study"]["slug"] == "{{slug}}"
    assert collections["minutes"]["slug"] == "{{fields.networks.0}}/{{fields.date}}"  # content/minutes/<network>/<date>.md
    assert collections["minutes"]["nested"]["depth"] == 2
    assert collections["research"]["slug"] == "{{fields.month}}-{{slug}}"
    fields = by_name(collections["case-study"]["fields"])
    assert fields["status"]["default"] == "draft" and "Draft" in fields["status"]["hint"]
    assert [o["value"] for o in fields["status"]["options"]] == ["draft", "review", "published"]
    assert fields["visibility"]["default"] == "public" and "members" in fields["visibility"]["hint"].lower()
    assert {"label": "Enquiring", "value": "enquiring"} in fields["approach"]["options"]
    assert fields["authors"]["widget"] == "list" and fields["authors"]["field"]["widget"] == "string"
    actions = by_name(collections["minutes"]["fields"])["actions"]
    assert actions["default"] == [] and [f["name"] for f in actions["fields"]] == ["action", "owner", "due", "status", "closed"]
    minutes = by_name(collections["minutes"]["fields"])  # the convenor's cycle: state, papers, approval, mailing list
    assert {"scheduled", "held", "cancelled", "postponed"} <= {o["value"] for o in minutes["state"]["options"]} and minutes[
        "papers"
    ]["widget"] == "list"
    assert {f["name"] for f in minutes["papers"]["fields"]} >= {"title", "file", "url"}
    assert by_name(collections["network"]["fields"])["mailing_list"]["field"]["pattern"]
    assert config["publish_mode"] == "editorial_workflow"


def test_the_forms_limits_are_the_models(project):
    """The patterns the browser checks say yes and no where kb check does (Python's re reads them alike)."""
    fields = by_name(collection(ENTRY_TYPES["research"], project.catalogue())["fields"])
    title = re.compile(fields["title"]["pattern"][0])
    assert title.match("x" * 120) and not title.match("x" * 121)
    assert fields["title"]["pattern"][1] == "is too long: at most 120 characters are allowed. Shorten it."
    month = re.compile(fields["month"]["pattern"][0])
    for text in ("2026-03", "2026-12", "2026-13", "2026-3", "26-03"):
        assert bool(month.match(text)) == bool(MONTH_RE.match(text)), text
    reading = by_name(fields["reading"]["fields"])
    assert reading["year"]["widget"] == "number" and reading["year"]["min"] == 1000
    assert re.match(reading["doi"]["pattern"][0], "10.1000/xyz123") and not re.match(reading["doi"]["pattern"][0], "xyz")


def test_sources_offer_only_entries_the_build_may_show(project):
    for name, extra in (("hidden", "status: draft"), ("members", "visibility: members")):
        text = (project.root / "content/case-studies/coaching-year-7.md").read_text()
        project.write(
            f"content/case-studies/{name}.md",
            text.replace("status: published", extra).replace("Coaching in Year 7", f"Mark {name}"),
        )
    fields = by_name(collection(ENTRY_TYPES["learning-summary"], project.catalogue())["fields"])
    assert fields["sources"]["options"] == [{"label": "Case study: Coaching in Year 7", "value": "case-studies/coaching-year-7"}]


def test_backends(project):
    cat = project.catalogue()
    github = cms_config(cat, EditorSettings("github", repo="alliance/kb", base_url="https://auth.example.org"))
    assert github["backend"] == {
        "name": "github",
        "repo": "alliance/kb",
        "branch": "main",
        "base_url": "https://auth.example.org",
        "squash_merges": True,
        "cms_label_prefix": "kb/",
    }
    assert "local_backend" not in github
    gitlab = cms_config(cat, EditorSettings("gitlab", repo="alliance/kb", app_id="abc"))["backend"]
    assert gitlab["auth_type"] == "pkce" and gitlab["app_id"] == "abc"
    local = cms_config(cat, EditorSettings("local", local_url="http://127.0.0.1:9000/api/v1"))
    assert local["backend"]["name"] == "proxy" and local["local_backend"]["url"] == "http://127.0.0.1:9000/api/v1"


@pytest.mark.parametrize(
    "options, message",
    [
        ({"backend": "github"}, "backend github needs the repository"),
        ({"backend": "gitlab", "repo": "just-a-name"}, "Fix: add  repo: owner/name"),
        ({"backend": "gitea", "repo": "a/b"}, "backend gitea needs your Gitea's address"),
        (
            {"backend": "github", "repo": "a/b", "base_url": "auth.example.org"},
            "base_url is 'auth.example.org', not a web address",
        ),
    ],
)
def test_settings_that_cannot_work_are_refused_in_plain_words(options, message):
    with pytest.raises(EditorSetupError, match=re.escape(message)):
        editor_settings(options)


def test_no_editor_means_no_settings():
    assert editor_settings({"backend": "none", "repo": "a/b"}) is None
    assert module.ordered_types()[0] == "case-study"
