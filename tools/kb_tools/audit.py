"""Audit installed packages against a local copy of an advisory database in OSV format.

pip-audit needs PyPI's JSON API or OSV on the network; some machines reach only the package
index. This reads the same advisories from a folder (a clone of
https://github.com/pypa/advisory-database), so the audit runs offline and says which
snapshot it used. Findings we accept are explained, one reason per advisory id, in
`audit-exceptions.toml`; any other finding fails the audit.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, replace
from datetime import date
from importlib.metadata import distributions
from pathlib import Path

import click
import yaml
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
EVENT_KINDS = ("introduced", "fixed", "last_affected", "limit")
PYSEC_URL = "https://github.com/pypa/advisory-database"


class AuditError(Exception):
    """Bad input (a folder, a record, an exceptions file): shown as a plain message."""


@dataclass(frozen=True)
class Affected:
    """One `affected` entry of a record, for one PyPI package."""

    name: str  # canonical name
    ranges: tuple[tuple[tuple[str, str], ...], ...]  # ECOSYSTEM ranges: (kind, version) events
    versions: tuple[str, ...]


@dataclass(frozen=True)
class Advisory:
    id: str
    aliases: tuple[str, ...]
    modified: str  # YYYY-MM-DD, or "" if the record has none
    withdrawn: bool
    affected: tuple[Affected, ...]
    path: Path


@dataclass(frozen=True)
class Finding:
    package: str
    version: str
    advisory: str
    aliases: tuple[str, ...]
    fixed_in: tuple[str, ...]
    reason: str = ""  # set when the finding is explained


def installed(paths: list[Path] | None = None) -> dict[str, tuple[str, str]]:
    """Canonical name -> (name, version) of the distributions in `paths` (default: this Python's)."""
    for path in paths or ():
        if not path.is_dir():
            raise AuditError(f"{path} is not a folder; give the site-packages folder of the environment to audit.")
    found: dict[str, tuple[str, str]] = {}
    for dist in distributions(**({"path": [str(p) for p in paths]} if paths else {})):
        name, version = dist.metadata["Name"], dist.version
        if name and version:
            found.setdefault(canonicalize_name(name), (name, version))  # the first on the path wins, as for import
    if not found:
        raise AuditError(f"no installed packages found in {', '.join(map(str, paths or []))}; is it a site-packages folder?")
    return found


def _text(value, what: str, path: Path) -> str:
    if not isinstance(value, str) or not value:
        raise AuditError(f"{path}: {what} should be text, found {value!r} (quote versions in YAML: '1.10', not 1.10).")
    return value


def _list(record: dict, key: str, path: Path) -> list:
    value = record.get(key) or []
    if not isinstance(value, list):
        raise AuditError(f"{path}: '{key}' should be a list, found {type(value).__name__}.")
    return value


def _affected(entry, path: Path) -> Affected | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("package"), dict):
        raise AuditError(f"{path}: each 'affected' item needs a 'package' with a name and an ecosystem.")
    if _text(entry["package"].get("ecosystem"), "affected[].package.ecosystem", path) != "PyPI":
        return None
    name = canonicalize_name(_text(entry["package"].get("name"), "affected[].package.name", path))
    ranges = []
    for r in _list(entry, "ranges", path):
        if not isinstance(r, dict) or not isinstance(r.get("events"), list):
            raise AuditError(f"{path}: each range needs a 'type' and a list of 'events'.")
        if r.get("type") != "ECOSYSTEM":
            continue  # GIT ranges name commits, not versions
        events = []
        for event in r["events"]:
            if not isinstance(event, dict) or len(event) != 1 or next(iter(event)) not in EVENT_KINDS:
                raise AuditError(f"{path}: a range event should be one of {', '.join(EVENT_KINDS)}, found {event!r}.")
            ((kind, version),) = event.items()
            events.append((kind, _text(version, f"the {kind} version", path)))
        ranges.append(tuple(events))
    versions = tuple(_text(v, "each of affected[].versions", path) for v in _list(entry, "versions", path))
    return Affected(name, tuple(ranges), versions)


def parse_record(text: str, path: Path) -> Advisory:
    """One OSV record (YAML or JSON) checked enough to be matched; faults name the file."""
    try:
        record = json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=_Loader)
    except (ValueError, yaml.YAMLError) as exc:
        raise AuditError(f"{path}: not valid {'JSON' if path.suffix == '.json' else 'YAML'}: {exc}") from None
    if not isinstance(record, dict):
        raise AuditError(f"{path}: an OSV record should be a mapping with 'id' and 'affected'.")
    affected = (_affected(entry, path) for entry in _list(record, "affected", path))
    return Advisory(
        id=_text(record.get("id"), "'id'", path),
        aliases=tuple(_text(a, "each alias", path) for a in _list(record, "aliases", path)),
        modified=str(record.get("modified") or "")[:10],
        withdrawn=bool(record.get("withdrawn")),
        affected=tuple(a for a in affected if a is not None),
        path=path,
    )


def load_advisories(folder: Path) -> list[Advisory]:
    """Every OSV record under `folder` (or its vulns/ folder, for a clone of the PyPA database)."""
    if not folder.is_dir():
        raise AuditError(f"advisory folder {folder} does not exist; give a clone of {PYSEC_URL} (or its vulns/ folder).")
    if (folder / "vulns").is_dir():
        folder = folder / "vulns"
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.suffix in (".yaml", ".yml", ".json")
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )
    if not files:
        raise AuditError(f"{folder} holds no OSV records (*.yaml, *.yml, *.json); give a clone of {PYSEC_URL}.")
    return [parse_record(p.read_text(encoding="utf-8", errors="replace"), p) for p in files]


def _version(text: str, path: Path) -> Version:
    try:
        return Version(text)
    except InvalidVersion:
        raise AuditError(f"{path}: cannot compare with version {text!r}, which is not a PEP 440 version.") from None


def _in_range(version: Version, events: tuple[tuple[str, str], ...], path: Path) -> bool:
    """The OSV rule: walk the events in version order; introduced opens, fixed/limit/last_affected close."""
    affected = False
    for kind, bound in sorted(((k, _version(v, path)) for k, v in events), key=lambda e: e[1]):
        if kind == "introduced" and version >= bound:
            affected = True
        elif (kind in ("fixed", "limit") and version >= bound) or (kind == "last_affected" and version > bound):
            affected = False
    return affected


def affects(entry: Affected, version: str, path: Path) -> bool:
    """Whether `version` is in the entry's explicit versions or in one of its ranges."""
    if version in entry.versions:
        return True
    try:
        parsed = Version(version)
    except InvalidVersion:
        return False  # only an exact listing can name a non-PEP 440 version
    if any(Version(v) == parsed for v in entry.versions if _parses(v)):
        return True
    return any(_in_range(parsed, events, path) for events in entry.ranges)


def _parses(text: str) -> bool:
    try:
        Version(text)
        return True
    except InvalidVersion:
        return False


def audit(packages: dict[str, tuple[str, str]], advisories: list[Advisory]) -> list[Finding]:
    """A finding for every installed package a (not withdrawn) advisory covers, sorted by package."""
    findings = []
    for adv in advisories:
        if adv.withdrawn:
            continue
        for entry in adv.affected:
            if entry.name in packages and affects(entry, packages[entry.name][1], adv.path):
                name, version = packages[entry.name]
                fixes = (
                    sorted(
                        {
                            v
                            for events in entry.ranges
                            for k, v in events
                            if k == "fixed" and _version(v, adv.path) > Version(version)
                        },
                        key=Version,
                    )
                    if _parses(version)
                    else []
                )
                findings.append(Finding(name, version, adv.id, adv.aliases, tuple(fixes)))
                break
    return sorted(findings, key=lambda f: (f.package.lower(), f.advisory))


def load_exceptions(path: Path) -> dict[str, str]:
    """Advisory id -> why the finding is accepted, from the [advisories] table of a TOML file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AuditError(f"exceptions file {path} does not exist.") from None
    except tomllib.TOMLDecodeError as exc:
        raise AuditError(f"{path}: not valid TOML: {exc}") from None
    table = data.get("advisories", {})
    if not isinstance(table, dict) or not all(isinstance(r, str) and r.strip() for r in table.values()):
        raise AuditError(f'{path}: write each exception as "ADVISORY-ID" = "why it is accepted" under [advisories].')
    return dict(table)


def explain(findings: list[Finding], reasons: dict[str, str]) -> list[Finding]:
    """Attach the reason given for a finding's id or any of its aliases."""
    out = []
    for f in findings:
        reason = next((reasons[i] for i in (f.advisory, *f.aliases) if i in reasons), "")
        out.append(replace(f, reason=reason))
    return out


def report(findings: list[Finding], reasons: dict[str, str]) -> list[str]:
    """The table and the explanations, as lines for the terminal."""
    head = ("Package", "Version", "Advisory", "Aliases", "Fixed in", "Status")
    rows = [
        (
            f.package,
            f.version,
            f.advisory,
            ", ".join(f.aliases) or "-",
            ", ".join(f.fixed_in) or "no fix listed",
            "explained" if f.reason else "OPEN",
        )
        for f in findings
    ]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in [head, *rows]] if rows else []
    lines += [f"{f.advisory} ({f.package} {f.version}) is explained: {f.reason}" for f in findings if f.reason]
    used = {i for f in findings if f.reason for i in (f.advisory, *f.aliases)}
    lines += [
        f"Note: the exception for {i} matches no finding; remove it if it is no longer needed."
        for i in sorted(set(reasons) - used)
    ]
    return lines


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--advisories",
    "folder",
    required=True,
    type=click.Path(path_type=Path),
    help=f"Folder of OSV records: a clone of {PYSEC_URL} or its vulns/ folder.",
)
@click.option(
    "--path",
    "paths",
    multiple=True,
    type=click.Path(path_type=Path),
    help="site-packages folder to audit (repeatable); default: this Python's packages.",
)
@click.option("--exceptions", type=click.Path(path_type=Path), help='TOML file: [advisories] ID = "reason".')
@click.option("--ignore", multiple=True, help="Advisory id to accept (repeatable), each with a --reason.")
@click.option("--reason", "why", multiple=True, help="Why the matching --ignore is accepted.")
def main(folder: Path, paths: tuple[Path, ...], exceptions: Path | None, ignore: tuple[str, ...], why: tuple[str, ...]) -> None:
    """Audit installed packages against a local OSV advisory database; exit 1 on unexplained findings."""
    if len(ignore) != len(why) or not all(w.strip() for w in why):
        raise click.UsageError("give each --ignore ID its own --reason TEXT.")
    try:
        reasons = load_exceptions(exceptions) if exceptions else {}
        reasons.update(zip(ignore, why))
        packages = installed(list(paths) or None)
        advisories = load_advisories(folder)
        findings = explain(audit(packages, advisories), reasons)
    except AuditError as exc:
        error = click.ClickException(str(exc))
        error.exit_code = 2  # 1 means findings; 2 means the audit could not run
        raise error from None
    today = date.today().isoformat()  # a later date is a typo (one PyPA record says 2027)
    newest = max((a.modified for a in advisories if a.modified <= today), default="") or "unknown"
    withdrawn = sum(a.withdrawn for a in advisories)
    click.echo(
        f"Audited {len(packages)} installed packages against {len(advisories)} advisories in {folder} "
        f"(newest record modified {newest}; {withdrawn} withdrawn, ignored)."
    )
    for line in report(findings, reasons):
        click.echo(line)
    open_ = [f for f in findings if not f.reason]
    click.echo(f"{len(findings)} finding(s): {len(findings) - len(open_)} explained, {len(open_)} unexplained.")
    if open_:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
