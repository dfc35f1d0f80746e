"""The tag vocabulary, content/tags.yml: each tag's id, label, description and synonyms, checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kb.content.model import SLUG_RE, TAGS_FILE
from kb.content.problems import Problem


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
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        return {}, [
            Problem(
                TAGS_FILE,
                line + 1 if line is not None else None,
                None,
                f"the tag list cannot be read ({exc.__class__.__name__}).",
                "check its indentation and that it is saved as UTF-8.",
            )
        ]
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
