"""The offline dependency audit: OSV records written here, packages faked as dist-info folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb_tools.audit import AuditError, audit, installed, load_advisories, load_exceptions, main
from tests.conftest import ROOT


def site(tmp_path: Path, **packages: str) -> Path:
    """A site-packages folder holding one dist-info per NAME=VERSION (names as their METADATA says)."""
    folder = tmp_path / ("site-" + "-".join(f"{n}{v}" for n, v in packages.items()))
    for name, version in packages.items():
        info = folder / f"{name.replace('-', '_')}-{version}.dist-info"
        info.mkdir(parents=True, exist_ok=True)
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    return folder


def record(
    folder: Path,
    adv_id: str,
    name: str,
    *,
    events=None,
    versions=(),
    withdrawn=False,
    aliases=("CVE-2099-0001",),
    ecosystem="PyPI",
    range_type="ECOSYSTEM",
) -> Path:
    """An OSV record in PyPA's YAML layout: vulns/<name>/<id>.yaml."""
    affected = {"package": {"name": name, "ecosystem": ecosystem}, "versions": list(versions)}
    if events is not None:
        affected["ranges"] = [{"type": range_type, "events": [{k: v} for k, v in events]}]
    data = {
        "id": adv_id,
        "aliases": list(aliases),
        "modified": "2024-10-01T00:00:00Z",
        "details": "A test advisory.",
        "affected": [affected],
    }
    if withdrawn:
        data["withdrawn"] = "2024-10-02T00:00:00Z"
    path = folder / "vulns" / name / f"{adv_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))  # JSON is YAML: versions stay quoted text
    return path


def findings(tmp_path: Path, **packages: str) -> list[tuple[str, str, str]]:
    found = audit(installed([site(tmp_path, **packages)]), load_advisories(tmp_path / "db"))
    return [(f.package, f.version, f.advisory) for f in found]


@pytest.mark.parametrize(
    "version, hit", [("2.9", True), ("2.10", True), ("2.10.1", False), ("3.1.6", False), ("0.9", False), ("2.11.0rc1", False)]
)
def test_a_range_covers_introduced_up_to_but_not_fixed(tmp_path, version, hit):
    record(tmp_path / "db", "PYSEC-1", "pkg", events=[("introduced", "1.0"), ("fixed", "2.10.1")])
    assert findings(tmp_path, pkg=version) == ([("pkg", version, "PYSEC-1")] if hit else [])


@pytest.mark.parametrize("version, hit", [("1.5", True), ("1.5.0", True), ("1.5.1", False), ("0.1", True)])
def test_last_affected_includes_that_version_only(tmp_path, version, hit):
    record(tmp_path / "db", "PYSEC-2", "pkg", events=[("introduced", "0"), ("last_affected", "1.5")])
    assert bool(findings(tmp_path, pkg=version)) is hit


@pytest.mark.parametrize("version, hit", [("1.2.3", True), ("1.0.0", True), ("1.2.4", False)])
def test_an_explicit_versions_list_matches_equal_versions(tmp_path, version, hit):
    record(tmp_path / "db", "PYSEC-3", "pkg", versions=["1.0", "1.2.3"])
    assert bool(findings(tmp_path, pkg=version)) is hit


def test_two_intervals_and_fixed_in_lists_only_later_fixes(tmp_path):
    record(
        tmp_path / "db", "PYSEC-4", "pkg", events=[("introduced", "0"), ("fixed", "1.2"), ("introduced", "2.0"), ("fixed", "2.3")]
    )
    assert findings(tmp_path, pkg="1.5") == []
    (found,) = audit(installed([site(tmp_path, pkg="2.1")]), load_advisories(tmp_path / "db"))
    assert found.fixed_in == ("2.3",)


def test_withdrawn_records_git_ranges_and_other_ecosystems_are_ignored(tmp_path):
    db = tmp_path / "db"
    record(db, "PYSEC-5", "pkg", events=[("introduced", "0")], withdrawn=True)
    record(db, "PYSEC-6", "pkg", events=[("introduced", "0")], range_type="GIT")
    record(db, "GHSA-npm", "pkg", events=[("introduced", "0")], ecosystem="npm")
    assert findings(tmp_path, pkg="1.0") == []
    record(db, "PYSEC-7", "pkg", events=[("introduced", "0")])
    assert findings(tmp_path, pkg="1.0") == [("pkg", "1.0", "PYSEC-7")]


@pytest.mark.parametrize(
    "in_record, installed_as",
    [("jinja2", "Jinja2"), ("Jinja2", "jinja2"), ("ruamel-yaml", "ruamel_yaml"), ("ruamel_yaml", "Ruamel.YAML")],
)
def test_names_match_in_canonical_form(tmp_path, in_record, installed_as):
    record(tmp_path / "db", "PYSEC-8", in_record, events=[("introduced", "0"), ("fixed", "9")])
    assert findings(tmp_path, **{installed_as: "1.0"}) == [(installed_as, "1.0", "PYSEC-8")]


def test_a_clone_is_read_from_its_vulns_folder_and_json_records_count(tmp_path):
    db = tmp_path / "db"
    (db / ".github" / "workflows").mkdir(parents=True)
    (db / ".github" / "workflows" / "ci.yaml").write_text("on: push\njobs: {}\n")
    (db / "triage.yaml").write_text("- not a record\n")
    record(db, "PYSEC-9", "pkg", events=[("introduced", "0")])
    (db / "vulns" / "pkg" / "GHSA-x.json").write_text(
        json.dumps({"id": "GHSA-x", "affected": [{"package": {"name": "pkg", "ecosystem": "PyPI"}, "versions": ["1.0"]}]})
    )
    assert findings(tmp_path, pkg="1.0") == [("pkg", "1.0", "GHSA-x"), ("pkg", "1.0", "PYSEC-9")]


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result


def test_an_unexplained_finding_fails_with_a_table_row(tmp_path):
    record(
        tmp_path / "db", "PYSEC-10", "setuptools", events=[("introduced", "0"), ("fixed", "65.5.1")], aliases=["CVE-2022-40897"]
    )
    result = run("--advisories", str(tmp_path / "db"), "--path", str(site(tmp_path, setuptools="65.5.0")))
    assert result.exit_code == 1
    assert "setuptools  65.5.0   PYSEC-10  CVE-2022-40897  65.5.1    OPEN" in result.output
    assert "1 finding(s): 0 explained, 1 unexplained." in result.output


def test_an_explained_finding_passes_and_shows_its_reason(tmp_path):
    record(tmp_path / "db", "PYSEC-11", "pkg", events=[("introduced", "0")], aliases=["CVE-2099-1111"])
    (tmp_path / "exceptions.toml").write_text(
        '[advisories]\n"CVE-2099-1111" = "Only the unused FTP helper is affected."\n"PYSEC-OLD" = "Was needed once."\n'
    )
    result = run(
        "--advisories",
        str(tmp_path / "db"),
        "--path",
        str(site(tmp_path, pkg="1.0")),
        "--exceptions",
        str(tmp_path / "exceptions.toml"),
    )
    assert result.exit_code == 0, result.output
    assert "PYSEC-11 (pkg 1.0) is explained: Only the unused FTP helper is affected." in result.output
    assert "explained" in result.output.splitlines()[2]
    assert "exception for PYSEC-OLD matches no finding" in result.output


def test_ignore_needs_a_reason_and_then_explains(tmp_path):
    record(tmp_path / "db", "PYSEC-12", "pkg", events=[("introduced", "0")])
    args = ["--advisories", str(tmp_path / "db"), "--path", str(site(tmp_path, pkg="1.0")), "--ignore", "PYSEC-12"]
    assert run(*args).exit_code == 2
    result = run(*args, "--reason", "Test-only package.")
    assert result.exit_code == 0 and "is explained: Test-only package." in result.output


@pytest.mark.parametrize(
    "text, says",
    [
        ("id: [unclosed\n", "not valid YAML"),
        ("id: PYSEC-13\naffected:\n- package: {name: pkg, ecosystem: PyPI}\n  versions: [1.10]\n", "should be text"),
        ("affected: []\n", "'id' should be text"),
        (
            "id: PYSEC-13\naffected:\n- package: {name: pkg, ecosystem: PyPI}\n  ranges:\n  - type: ECOSYSTEM\n"
            "    events: [{broken: '1'}]\n",
            "range event should be one of",
        ),
        ("id: PYSEC-13\naffected: {package: pkg}\n", "'affected' should be a list"),
    ],
)
def test_a_malformed_record_is_a_plain_error_naming_the_file(tmp_path, text, says):
    bad = tmp_path / "db" / "pkg" / "PYSEC-13.yaml"
    bad.parent.mkdir(parents=True)
    bad.write_text(text)
    result = run("--advisories", str(tmp_path / "db"), "--path", str(site(tmp_path, pkg="1.0")))
    assert result.exit_code == 2
    assert str(bad) in result.output and says in result.output


def test_an_unusable_range_bound_for_an_installed_package_names_the_file(tmp_path):
    path = record(tmp_path / "db", "PYSEC-14", "pkg", events=[("introduced", "0"), ("fixed", "2.6.0-NA")])
    with pytest.raises(AuditError, match=f"{path}.*'2.6.0-NA'"):
        findings(tmp_path, pkg="1.0")


@pytest.mark.parametrize(
    "setup, says",
    [
        (lambda t: ["--advisories", str(t / "missing")], "does not exist"),
        (lambda t: (t / "empty").mkdir() or ["--advisories", str(t / "empty")], "holds no OSV records"),
        (lambda t: ["--advisories", str(t), "--path", str(t / "nowhere")], "is not a folder"),
        (
            lambda t: (t / "x.toml").write_text("[advisories\n") and ["--advisories", str(t), "--exceptions", str(t / "x.toml")],
            "not valid TOML",
        ),
        (
            lambda t: (
                (t / "y.toml").write_text('[advisories]\nPYSEC-1 = ""\n')
                and ["--advisories", str(t), "--exceptions", str(t / "y.toml")]
            ),
            "why it is accepted",
        ),
    ],
)
def test_bad_arguments_are_plain_errors(tmp_path, setup, says):
    result = run(*setup(tmp_path))
    assert result.exit_code == 2 and says in result.output


def test_the_projects_exceptions_file_is_valid():
    reasons = load_exceptions(ROOT / "audit-exceptions.toml")
    assert all(reason.strip() for reason in reasons.values())
