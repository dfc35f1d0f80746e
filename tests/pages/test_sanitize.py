"""sanitize_html: the reused nh3.Cleaner keeps exactly what nh3.clean with the same options keeps."""

from __future__ import annotations

import nh3
import pytest

from kb.pages.sanitize import OPTIONS, sanitize_html

SAMPLES = [
    '<h2 id="x">Title<a class="headerlink" href="#x" title="Permanent link">&para;</a></h2><p>Text &amp; more</p>',
    "<script>alert('XSS')</script><p onclick=\"alert(1)\">p</p>",
    '<a href="javascript:alert(1)">js</a> <a href="&#106;avascript:alert(1)">entity</a> <a href="mailto:a@b.org">mail</a>',
    '<img src=x onerror=alert(1)><img src="https://example.org/a.png" alt="a" width="2">',
    '<svg onload="alert(1)"><script>x</script></svg><math><maction xlink:href="javascript:x">m</maction></math>',
    '<table><tr><th scope="col" style="x">h</th><td colspan="2" align="left">d</td></tr></table><!-- comment -->',
    '<iframe src="https://evil.example"></iframe><form><input name=x></form><style>p{}</style><ol start="3"><li>i</li></ol>',
]


@pytest.mark.parametrize("html", SAMPLES)
def test_cleaner_equals_nh3_clean_with_the_same_options(html):
    assert sanitize_html(html) == nh3.clean(html, **OPTIONS)


def test_unsafe_markup_is_dropped():
    out = sanitize_html("".join(SAMPLES))
    for bad in ("<script", "onclick", "onerror", "javascript:", "<iframe", "<form", "<style", "<!--", "style="):
        assert bad not in out.lower()
    assert 'href="mailto:a@b.org"' in out and "Text &amp; more" in out
