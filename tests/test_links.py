"""Every internal link of every output resolves: each href and src to a file, each #fragment to an id in it.

Checked over the starter site (public and members) and over a generated site of a few hundred entries
(tests/conftest.py), each built once for the session, by kb_tools.linkcheck (pages, feeds and the sitemap). The checker itself
is tested on small hand-made sites first, so a clean result means something.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb_tools.linkcheck import check_site, main
from tests.conftest import ROOT, build

SITE_URL = "https://learning.example.org/"


def _site(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_the_checker_finds_a_missing_file_and_a_missing_fragment(tmp_path):
    site = _site(
        tmp_path,
        {
            "index.html": '<a href="a/">a</a> <a href="a/#there">ok</a> <a href="a/#nowhere">x</a> <a href="gone/">x</a>'
            '<img src="img/missing.png" alt=""> <a href="#top" id="top">self</a> <a href="https://elsewhere.example/">out</a>'
            '<a href="mailto:x@example.org">mail</a> <link rel="stylesheet" href="/assets/site.css">',
            "a/index.html": '<h1 id="there">A</h1><a href="../">home</a><a href="../index.html#top">top</a>',
        },
    )
    broken, checked = check_site(site)
    assert [(b.source, b.link) for b in broken] == [
        ("index.html", "/assets/site.css"),
        ("index.html", "a/#nowhere"),
        ("index.html", "gone/"),
        ("index.html", "img/missing.png"),
    ]
    assert "a/index.html has no element with id 'nowhere'" in {b.reason for b in broken}
    assert checked == 9  # the external and mailto: links are not counted


def test_the_checker_reads_feeds_and_sitemaps_with_the_site_address(tmp_path):
    site = _site(
        tmp_path,
        {
            "a/index.html": "<h1>A</h1>",
            "feeds/all.atom.xml": '<feed xmlns="http://www.w3.org/2005/Atom"><link href="https://learning.example.org/a/"/>'
            '<entry><link href="https://learning.example.org/b/"/></entry></feed>',
            "feeds/all.rss.xml": "<rss><channel><link>https://learning.example.org/</link><item><link>"
            "https://learning.example.org/a/</link><guid>https://learning.example.org/c/</guid></item></channel></rss>",
            "sitemap.xml": '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://learning.example.org/d/</loc>'
            "</url></urlset>",
        },
    )
    broken, _ = check_site(site, SITE_URL)
    assert sorted(b.link for b in broken) == [
        "https://learning.example.org/",  # no index.html in this small site
        "https://learning.example.org/b/",
        "https://learning.example.org/c/",
        "https://learning.example.org/d/",
    ]


def test_the_command_exits_1_and_lists_what_is_broken(tmp_path, capsys):
    site = _site(tmp_path, {"index.html": '<a href="nope/">x</a>'})
    assert main([str(site)]) == 1
    assert "index.html: nope/ — no file at /nope/" in capsys.readouterr().out


@pytest.mark.parametrize("which", ["public_site", "members_site", "generated_site"])
def test_every_internal_link_and_fragment_resolves(request, which):
    site = request.getfixturevalue(which)
    broken, checked = check_site(site, SITE_URL)
    assert [b.format() for b in broken] == []
    assert checked > 5000  # pages, feeds and sitemap were all read


def test_skip_to_content_leads_to_each_generated_page_title(public_site):
    """Material's skip link targets the page's first heading; our generated pages' <h1> carries that id."""
    for rel in (
        "index.html",
        "actions/index.html",
        "meetings/index.html",
        "board/index.html",
        "tags/index.html",
        "search/index.html",
    ):
        html = (public_site / rel).read_text(encoding="utf-8")
        target = html.split('class="md-skip"')[0].rsplit('href="#', 1)[1].split('"')[0]
        assert f'<h1 id="{target}"' in html, rel


def test_a_site_without_its_about_pages_fails_the_check(tmp_path):
    """Links the plugin makes itself (a vocabulary value to its about/ page) are checked too."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("content", "register"):
        shutil.copytree(ROOT / name, project / name)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(config.replace("      - about/network-models.md\n", ""), encoding="utf-8")
    (project / "content/about/network-models.md").unlink()
    broken, _ = check_site(build(project, tmp_path / "site"), SITE_URL)
    missing = {b.source for b in broken if "about/network-models/" in b.link}
    assert "networks/equity/index.html" in missing
