"""theme_memo: a fragment (navigation, tabs, palette, config...) reused from another page with the same link
shape is exactly what the theme would have rendered for it (the shape rule checked against MkDocs' own `url`
filter, and a whole site built with and without the memo compared byte for byte)."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

from mkdocs.utils import normalize_url

from kb.speed import theme_memo
from kb_tools.corpus import generate_project
from tests.conftest import build

TARGETS = [
    "",
    ".",
    "index.html",
    "a/",
    "a/b/",
    "a/b/c/",
    "b/",
    "b/a/",
    "about/x/",
    "a/b/page.html",
    "assets/logo.png",
    "./a/../b/",
    "../up/",
    "https://example.org/",
    "/root/",
    "#top",
    "a//b/",
]
SEGMENTS = ["a", "b", "c", "about", "x", "zz"]


def page_urls() -> list[str]:
    """Directory and file URLs of depth 0 to 4 over segments that do and do not match the targets."""
    urls = ["", "index.html", "404.html"]
    for depth in range(1, 5):
        for parts in itertools.product(SEGMENTS, repeat=depth):
            urls += ["/".join(parts) + "/", "/".join(parts) + ".html", "/".join(parts) + "/page.html"]
    return urls


def test_pages_with_the_same_link_shape_get_the_same_relative_links():
    prefixes = theme_memo.target_prefixes(TARGETS)
    links_by_shape: dict[tuple, tuple] = {}
    urls = page_urls()
    for url in urls:
        page = SimpleNamespace(url=url)
        links = tuple(normalize_url(target, page=page) for target in TARGETS)
        shape = theme_memo.link_shape(url, prefixes)
        assert links_by_shape.setdefault(shape, links) == links, (url, shape)
    assert len(links_by_shape) < len(urls) / 20  # few shapes: the memo pays


def test_different_links_mean_different_shapes():
    prefixes = theme_memo.target_prefixes(["a/b/"])
    assert theme_memo.link_shape("a/c/", prefixes) != theme_memo.link_shape("x/c/", prefixes)  # ../b/ vs ../../a/b/
    assert theme_memo.link_shape("a/b/c/", prefixes) != theme_memo.link_shape("a/x/c/", prefixes)
    assert theme_memo.link_shape("x/y/", prefixes) == theme_memo.link_shape("z/w/", prefixes)


MEMO_HOOK = """\
from kb.speed import theme_memo
def on_env(env, config, files):
    theme_memo.install(env)
    return env
"""


def test_a_site_built_with_the_memo_is_byte_identical(tmp_path, monkeypatch):
    project = tmp_path / "p"
    generate_project(project, 120, seed=4)
    with monkeypatch.context() as patched:  # whether or not the plugin installs it, this build has no memo
        patched.setattr(theme_memo, "install", lambda env: None)
        plain = build(project, tmp_path / "plain")
    (tmp_path / "memo_hook.py").write_text(MEMO_HOOK, encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + f"\nhooks:\n  - {tmp_path / 'memo_hook.py'}\n", encoding="utf-8")
    memos, install = [], theme_memo.install
    monkeypatch.setattr(theme_memo, "install", lambda env: memos.append(install(env)) or memos[-1])
    memoised = build(project, tmp_path / "memo")
    files = sorted(p.relative_to(plain).as_posix() for p in plain.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(memoised).as_posix() for p in memoised.rglob("*") if p.is_file())
    different = [f for f in files if (plain / f).read_bytes() != (memoised / f).read_bytes()]
    assert different == []
    pages = [f for f in files if f.endswith(".html")]
    assert len(pages) > 100
    memo = memos[-1]  # how often fragments were really rendered: a few per fragment, not one per page
    assert isinstance(memo, theme_memo.FragmentMemo)
    assert {key[0] for key in memo.html} == set(theme_memo.PARTIALS) | {"config"}
    assert 0 < memo.renders < len(pages) * len(memo.links) / 10


def test_the_theme_cache_is_a_plain_dict_handing_out_the_same_templates():
    import jinja2

    env = jinja2.Environment(loader=jinja2.DictLoader({"a.html": "A{% include 'b.html' %}", "b.html": "B"}))
    first = env.get_template("a.html")
    theme_memo.unbounded_cache(env)
    assert type(env.cache) is dict
    assert env.get_template("a.html").render() == first.render() == "AB"
    assert env.get_template("a.html") is env.get_template("a.html")  # compiled once, then kept
    assert len(env.cache) == 2


DICT_TEMPLATE = """{{ d.label }}|{{ d.items is callable }}|{{ d.get('label') }}|{{ d.missing }}|{{ sub.label }}|\
{{ sub.items is callable }}|{{ obj.label }}|{{ d.count }}|{{ n.x }}|{{ d.nested.deeper }}"""


def render_dicts(env) -> str:
    from collections import OrderedDict

    d = {"label": "L", "items": "not the method", "count": 3, "nested": {"deeper": "D"}}
    return env.from_string(DICT_TEMPLATE).render(
        d=d, sub=OrderedDict(label="S"), obj=SimpleNamespace(label="O"), n=SimpleNamespace()
    )


def test_dict_lookups_answer_as_jinja_does():
    import jinja2

    plain = jinja2.Environment()
    fast = jinja2.Environment()
    theme_memo.dict_lookups(fast)
    assert "getattr" in vars(fast)
    assert render_dicts(fast) == render_dicts(plain) == "L|True|L||S|True|O|3||D"  # d.items: dict's own method first


def test_dict_lookups_keep_a_strict_environment_strict():
    import jinja2
    import pytest

    fast = jinja2.Environment(undefined=jinja2.StrictUndefined)
    theme_memo.dict_lookups(fast)
    with pytest.raises(jinja2.UndefinedError, match="has no attribute 'missing'"):
        fast.from_string("{{ d.missing }}").render(d={})


def test_dict_lookups_switched_off_again_and_left_out_of_a_sandbox():
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    env = jinja2.Environment()
    theme_memo.dict_lookups(env)
    theme_memo.dict_lookups(env)  # once is enough
    theme_memo.dict_lookups(env, on=False)
    assert "getattr" not in vars(env) and render_dicts(env) == "L|True|L||S|True|O|3||D"
    sandbox = SandboxedEnvironment()
    theme_memo.dict_lookups(sandbox)
    assert "getattr" not in vars(sandbox)
