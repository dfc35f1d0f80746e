"""The tag vocabulary, content/tags.yml: each tag's id, label, description and synonyms, checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kb.content.model import SLUG_RE, TAGS_FILE
from kb.content.problems import Problem
from kb.content.source import read_yaml

MAX_TAGS_FILE = 1024 * 1024  # characters; the whole vocabulary is a few kilobytes


def load_tags(root: Path) -> tuple[dict[str, dict[str, Any]], list[Problem]]:
    """The tag vocabulary from content/tags.yml, checked."""
    path = root / TAGS_FILE
    if not path.exists():
        return {}, [
            Problem(
                TAGS_FILE,
                None,
                None,
                "there is no tag list, so no entry can have tags.",
                "create content/tags.yml with entries like  attendance: {label: Attendance, description: ..., synonyms: [absence]}",
                "warning",
            )
        ]
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return {}, [
            Problem(
                TAGS_FILE,
                None,
                None,
                f"the tag list cannot be read ({exc.__class__.__name__}).",
                "check that it is saved as UTF-8.",
            )
        ]
    if len(text) > MAX_TAGS_FILE:
        return {}, [
            Problem(TAGS_FILE, None, None, f"the tag list is {len(text):,} characters long, far more than tags need.", _SHORTER)
        ]
    data, _node, problems = read_yaml(TAGS_FILE, text, what="the tag list")
    if problems:
        return {}, problems
    if not isinstance(data, dict):
        return {}, [
            Problem(
                TAGS_FILE,
                1,
                None,
                "the tag list must be a set of 'id: {label: ...}' lines.",
                "write each tag as  attendance: {label: Attendance, description: ..., synonyms: [absence]}",
            )
        ]
    tags, problems = {}, []
    for tag_id, spec in data.items():
        if not isinstance(tag_id, str) or not SLUG_RE.match(tag_id):
            problems.append(
                Problem(
                    TAGS_FILE,
                    None,
                    str(tag_id),
                    "is not a valid tag id.",
                    "use lower-case letters, digits and hyphens, e.g. early-career-teachers.",
                )
            )
            continue
        spec = spec if isinstance(spec, dict) else {}
        if not isinstance(spec.get("label"), str) or not spec["label"].strip():
            problems.append(
                Problem(
                    TAGS_FILE,
                    None,
                    tag_id,
                    "has no label.",
                    f"add one, e.g. {tag_id}: {{label: {tag_id.replace('-', ' ').capitalize()}}}",
                )
            )
        synonyms = spec.get("synonyms") or []
        if not isinstance(synonyms, list):
            problems.append(Problem(TAGS_FILE, None, f"{tag_id}.synonyms", "must be a list.", "write synonyms: [one, two]."))
            synonyms = []
        tags[tag_id] = {
            "id": tag_id,
            "label": str(spec.get("label") or tag_id),
            "description": str(spec.get("description") or ""),
            "synonyms": [str(s) for s in synonyms],
        }
    return tags, problems


_SHORTER = "keep one short line per tag: id, label, description and synonyms."
