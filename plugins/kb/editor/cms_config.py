"""Decap CMS's configuration (admin/config.yml), generated at build time from the content model.

One collection per entry type (content/model.py's ENTRY_TYPES), one widget per field chosen by the
field's *kind* (TYPE_FIELDS), the options of every select from the vocabularies, content/tags.yml and
the catalogue's networks, so a new tag, network or field appears in the forms with the next build. A
field of a kind with no widget stops the build (and tests/editor/test_cms_config.py) rather than
vanishing from the form. The catalogue is the privacy filter: only entries a build may show become options.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kb.content.catalogue import Catalogue
from kb.content.model import ENTRY_TYPES, STATUSES, TYPE_FIELDS, VOCABULARIES, EntryType, Field
from kb.editor.settings import EditorSettings, EditorSetupError

ORDER = ("case-study", "minutes", "research", "register-entry", "learning-summary", "network")
# File names (content/urls.py's rule, written as Decap slug templates): a slug of the title, the
# meeting date under the first network's folder, the month then a slug.
SLUGS = {"minutes": "{{fields.networks.0}}/{{fields.date}}", "research": "{{fields.month}}-{{slug}}"}
STATUS_HINT = (
    "Draft: only you see it, in your preview. In review: ready for a colleague or maintainer to read. "
    "Published: on the site once a maintainer has checked and merged it. New entries start as draft."
)
VISIBILITY_HINT = "Public: everyone can read it once published. Members: only on the members' site, never the public one."
# The words of `kb check` (content/validate.py), as the form says them after the field's label.
TOO_LONG = "is too long: at most {n} characters are allowed. Shorten it."
PATTERNS = {
    "month": (r"^\d{4}-(0[1-9]|1[0-2])$", "is not a month written YYYY-MM, e.g. 2026-03."),
    "url": (r"^https?://[^\s/$.?#]\S*$", "is not a web address starting http:// or https://, e.g. https://example.org/paper."),
    "doi": (r"^((https?://(dx\.)?doi\.org/|doi:\s*)?10\.\d{4,9}/\S+)$", "is not a DOI; a DOI looks like 10.1000/xyz123."),
    "email": (
        r"^\s*[^@\s]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+\s*$",
        "is not an email address.",
    ),
}


def label(name: str) -> str:
    """A field or value as people read it: agenda_published -> Agenda published (the site's `label` filter)."""
    return name.replace("_", " ").replace("-", " ").capitalize()


def _base(spec: Field, widget: str, **extra: Any) -> dict[str, Any]:
    field: dict[str, Any] = {"name": spec.name, "label": label(spec.name), "widget": widget, "required": spec.required}
    if spec.help:
        field["hint"] = spec.help
    field.update(extra)
    return field


def _length(spec: Field) -> dict[str, Any]:
    return {"pattern": [rf"^[\s\S]{{0,{spec.max_len}}}$", TOO_LONG.format(n=spec.max_len)]} if spec.max_len else {}


def _options(values: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"label": text, "value": value} for value, text in values]


def _vocab(spec: Field) -> list[tuple[str, str]]:
    assert spec.vocab is not None  # every vocab field of the model names its vocabulary
    return [(v, label(v)) for v in VOCABULARIES[spec.vocab]]


def _date(spec: Field, _cat: Catalogue) -> dict[str, Any]:
    extra = {"default": "{{now}}"} if spec.required else {}  # today, in the contributor's browser
    return _base(spec, "datetime", date_format="YYYY-MM-DD", time_format=False, picker_utc=False, **extra)


def _vocab_value(spec: Field, _cat: Catalogue) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if spec.vocab == "status":
        extra = {"default": STATUSES[0], "hint": STATUS_HINT}
    elif spec.vocab == "visibility":
        extra = {"default": "public", "hint": VISIBILITY_HINT}
    return _base(spec, "select", options=_options(_vocab(spec)), **extra)


def _select_many(values: Callable[[Field, Catalogue], list[tuple[str, str]]]) -> Callable[[Field, Catalogue], dict[str, Any]]:
    def widget(spec: Field, cat: Catalogue) -> dict[str, Any]:
        extra = {"min": 1} if spec.required else {}
        return _base(spec, "select", multiple=True, options=_options(values(spec, cat)), **extra)

    return widget


def _sources(_spec: Field, cat: Catalogue) -> list[tuple[str, str]]:
    """Entries another may draw on, by type and title, stored as references (only those this build shows).
    A searchable select, not Decap's relation widget: a relation reads one collection and stores one of its
    fields, while `sources` holds references (`case-studies/slug`) to entries of every type in one list."""
    return [(e.ref, f"{ENTRY_TYPES[e.type].label}: {e.title}") for e in cat.entries.values() if e.type != "network"]


def _without_defaults(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Decap fills a list or an optional group with an item as soon as one of its fields has a default
    (today's date): an empty action would then be saved. Inside those, nothing is pre-filled."""
    return [{k: v for k, v in f.items() if k != "default"} for f in fields]


def _object(spec: Field, cat: Catalogue) -> dict[str, Any]:
    """A group of fields. Decap checks a group's required fields even when the group is optional, so in an
    optional group (minutes' `approved`: most minutes are not yet approved) no field is required in the form:
    a group filled in half is then kb check's to name ("date is missing under approved"), as in the preview."""
    fields = [widget_for(sub, cat) for sub in spec.fields]
    if spec.required:
        return _base(spec, "object", fields=fields)
    return _base(spec, "object", fields=[{**f, "required": False} for f in _without_defaults(fields)])


def _records(spec: Field, cat: Catalogue) -> dict[str, Any]:
    first = spec.fields[0].name
    return _base(
        spec,
        "list",
        summary=f"{{{{fields.{first}}}}}",
        add_to_top=False,
        default=[],
        fields=_without_defaults([widget_for(sub, cat) for sub in spec.fields]),
    )


# kind (content/model.py's Field.kind) -> the widget; a kind missing here fails the build and the tests.
WIDGETS: dict[str, Callable[[Field, Catalogue], dict[str, Any]]] = {
    "text": lambda spec, _cat: _base(spec, "string", **_length(spec)),
    "plain": lambda spec, _cat: _base(spec, "text", **_length(spec)),
    "date": _date,
    "month": lambda spec, _cat: _base(spec, "string", pattern=list(PATTERNS["month"])),
    "time": lambda spec, _cat: _base(spec, "datetime", date_format=False, time_format="HH:mm", picker_utc=False),
    "year": lambda spec, _cat: _base(spec, "number", value_type="int", min=1000, max=2100),
    "url": lambda spec, _cat: _base(spec, "string", pattern=list(PATTERNS["url"])),
    "doi": lambda spec, _cat: _base(spec, "string", pattern=list(PATTERNS["doi"])),
    "vocab": _vocab_value,
    "vocab-list": _select_many(lambda spec, _cat: _vocab(spec)),
    "tag-list": _select_many(lambda _spec, cat: [(t, str(v["label"])) for t, v in sorted(cat.tags.items())]),
    "network-list": _select_many(lambda _spec, cat: [(n, e.title) for n, e in sorted(cat.networks.items())]),
    "ref-list": _select_many(_sources),
    "text-list": lambda spec, _cat: _base(spec, "list", field={"name": "item", "label": label(spec.name), "widget": "string"}),
    "email-list": lambda spec, _cat: _base(
        spec, "list", field={"name": "item", "label": label(spec.name), "widget": "string", "pattern": list(PATTERNS["email"])}
    ),
    "mapping": _object,
    "records": _records,
}


# The model's help speaks of ids in files; in the form, people choose by name.
FORM_HINTS = {
    "network-list": "Choose the networks it belongs to (type to search).",
    "tag-list": "Choose two to five topics (type to search). A missing topic is added to the tag list by a maintainer.",
    "ref-list": "Choose the entries it draws on (type to search).",
}


def widget_for(spec: Field, cat: Catalogue) -> dict[str, Any]:
    """The Decap field for one field of the model, by its kind."""
    make = WIDGETS.get(spec.kind)
    if make is None:
        raise EditorSetupError(
            f"The browser editor has no form widget for '{spec.name}', a field of kind '{spec.kind}' in content/model.py. "
            "Fix: add the kind to WIDGETS in plugins/kb/editor/cms_config.py."
        )
    made = make(spec, cat)
    if spec.kind in FORM_HINTS:
        made["hint"] = FORM_HINTS[spec.kind]
    return made


def collection(etype: EntryType, cat: Catalogue) -> dict[str, Any]:
    fields = [widget_for(spec, cat) for spec in TYPE_FIELDS[etype.name]]
    fields.append({"name": "body", "label": "Text", "widget": "markdown", "hint": "Your text, written like an email."})
    dated = any(f.name == "date" for f in TYPE_FIELDS[etype.name])
    made: dict[str, Any] = {
        "name": etype.name,
        "label": etype.plural,
        "label_singular": etype.label,
        "folder": etype.folder,
        "extension": "md",
        "format": "frontmatter",
        "create": True,
        "identifier_field": "title",
        "slug": SLUGS.get(etype.name, "{{slug}}"),
        "summary": "{{date}} · {{title}}" if dated else "{{title}}",
        "sortable_fields": ["date", "title"] if dated else ["title"],
        "fields": fields,
    }
    if etype.depth > 1:  # minutes: a folder per network
        made["nested"] = {"depth": etype.depth, "subfolders": True}
    return made


def ordered_types() -> list[str]:
    """The most written first; a type added to the model later still gets its collection."""
    return [n for n in ORDER if n in ENTRY_TYPES] + [n for n in ENTRY_TYPES if n not in ORDER]


def backend(settings: EditorSettings) -> dict[str, Any]:
    if settings.backend == "local":
        return {"name": "proxy", "proxy_url": settings.local_url, "branch": settings.branch}
    made: dict[str, Any] = {"name": settings.backend, "repo": settings.repo, "branch": settings.branch}
    if settings.backend in ("gitlab", "gitea") and settings.app_id:
        made.update(auth_type="pkce", app_id=settings.app_id)
    for name in ("base_url", "auth_endpoint", "api_root"):
        if getattr(settings, name):
            made[name] = getattr(settings, name)
    made["squash_merges"] = True
    made["cms_label_prefix"] = "kb/"
    return made


def cms_config(cat: Catalogue, settings: EditorSettings) -> dict[str, Any]:
    """Decap's whole configuration as plain data (written as admin/config.yml)."""
    config: dict[str, Any] = {
        "backend": backend(settings),
        # Saving never publishes: each entry is a branch and a pull request until a maintainer merges it.
        "publish_mode": "editorial_workflow",
        "media_folder": "content/images",
        "public_folder": "/images",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [collection(ENTRY_TYPES[name], cat) for name in ordered_types()],
    }
    if settings.backend == "local":
        # decap-server in its files mode writes straight into your copy; Decap then saves without the workflow.
        config["local_backend"] = {"url": settings.local_url, "allowed_hosts": ["localhost", "127.0.0.1"]}
    if cat.site_url:
        config["site_url"] = config["display_url"] = cat.site_url
    return config
