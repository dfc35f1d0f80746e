"""The Content-Security-Policy allows the site's own scripts and the theme's inline ones by hash, nothing else."""

from __future__ import annotations

import base64
import hashlib

from kb.pages.security import add_csp_meta, content_security_policy, inline_script_hashes

PAGE = (
    '<html><head><meta charset="utf-8"><script>var a=1</script><script src="x.js"></script>'
    '<script type="application/json">{"a": 1}</script></head><body></body></html>'
)


def test_only_executable_inline_scripts_are_hashed():
    expected = "'sha256-" + base64.b64encode(hashlib.sha256(b"var a=1").digest()).decode() + "'"
    assert inline_script_hashes(PAGE) == [expected]


def test_policy_has_no_unsafe_inline_for_scripts():
    policy = content_security_policy(PAGE, allowed=inline_script_hashes(PAGE))
    script_src = next(part for part in policy.split("; ") if part.startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'self'" in script_src
    assert "object-src 'none'" in policy and "base-uri 'self'" in policy


def test_policy_meta_is_the_first_thing_in_head():
    html = add_csp_meta(PAGE, allowed=inline_script_hashes(PAGE))
    assert html.index('http-equiv="Content-Security-Policy"') < html.index("<script>")


def test_every_built_page_carries_the_policy(public_site):
    pages = list(public_site.rglob("*.html"))
    assert pages
    missing = [
        str(p.relative_to(public_site))
        for p in pages
        if 'http-equiv="Content-Security-Policy"' not in p.read_text(encoding="utf-8")
    ]
    assert missing == []


# -- the hashes come from the theme, before any content is read (issue 18) ---------------------------------

import re  # noqa: E402

THEME_SCRIPT = "var palette=1"
FOREIGN = "alert(document.cookie)"


def _hash(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


def test_a_script_that_is_not_the_theme_s_is_never_approved():
    page = f"<html><head><script>{THEME_SCRIPT}</script></head><body><script>{FOREIGN}</script></body></html>"
    policy = content_security_policy(page, allowed={_hash(THEME_SCRIPT)})
    assert _hash(THEME_SCRIPT) in policy and _hash(FOREIGN) not in policy


def test_the_allowed_hashes_are_known_from_the_theme_alone(project):
    """Rendered from the theme's partials/javascripts/ (Material's, and ours where they replace one) for each page
    depth, with no page and no content."""
    from kb.building.runner import load_site_config
    from kb.building.session import with_our_theme
    from kb.pages.security import theme_script_hashes

    config = load_site_config(project.root / "mkdocs.yml")
    with_our_theme(config.theme)  # as a build does: our partials replace Material's
    env = config.theme.get_env()

    allowed = theme_script_hashes(env, config)
    assert (
        _hash(
            'var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))'
        )
        in allowed
    )
    assert len(allowed) > 10  # the base script once per depth, and the others


def _policy_hashes(html: str) -> set[str]:
    found = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    assert found, "no policy"
    return set(re.findall(r"'sha256-[^']+'", found.group(1)))


def test_every_built_page_approves_exactly_its_theme_scripts(public_site, project):
    from kb.building.runner import load_site_config
    from kb.building.session import with_our_theme
    from kb.pages.security import theme_script_hashes

    config = load_site_config(project.root / "mkdocs.yml")
    with_our_theme(config.theme)
    allowed = theme_script_hashes(config.theme.get_env(), config)
    pages = list(public_site.rglob("*.html"))
    for page in pages:
        html = page.read_text(encoding="utf-8")
        carried = set(inline_script_hashes(html))
        assert _policy_hashes(html) == carried & allowed, page
        assert carried <= allowed, f"{page}: an inline script the theme did not write would be blocked"
