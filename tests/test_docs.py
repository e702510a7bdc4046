"""The documentation site (docs/) builds cleanly and its links hold.

Sphinx builds it from the package installed in this Python with warnings
as errors and nitpicky cross-references (-W --keep-going -n), into a
temporary folder.  Then every link inside the site is followed on disk:
the page must exist and so must the anchor.  Links out of the site are not
fetched (the test must not need the network).
"""
import html.parser
import pathlib
import subprocess
import sys
import urllib.parse

import pytest

from jobs import ROOT

pytest.importorskip("sphinx")
pytest.importorskip("furo")


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if tag == "link" and a.get("href") and a.get("rel") == "stylesheet":
            self.hrefs.append(a["href"])


def parse(page):
    p = _Links()
    p.feed(page.read_text(encoding="utf-8"))
    return p


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("docs")
    cmd = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-q", "-b", "html",
           "-d", str(out / "doctrees"), str(ROOT / "docs"), str(out / "html")]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=out)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"sphinx did not finish in 600 s:\n{e.stdout}\n{e.stderr}")
    assert r.returncode == 0, f"sphinx failed (warnings are errors):\n{r.stdout}\n{r.stderr}"
    return out / "html"


def test_every_internal_link_resolves(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 12, [p.name for p in pages]
    parsed = {p: parse(p) for p in pages}
    broken = []
    for page, links in parsed.items():
        for href in links.hrefs:
            url = urllib.parse.urlparse(href)
            if url.scheme or href.startswith("//"):
                continue  # out of the site
            target = page if not url.path else (page.parent / urllib.parse.unquote(url.path))
            target = pathlib.Path(target).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(site)}: {href} (no such file)")
                continue
            if url.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse(target).ids
                if url.fragment not in ids:
                    broken.append(f"{page.relative_to(site)}: {href} (no such anchor)")
    assert not broken, "\n".join(broken)


def test_every_public_name_has_its_entry(site):
    """The reference is generated: each name of __all__ has an entry."""
    code = ("import os; os.environ['SHMEM4PY_RC_INITIALIZE'] = 'false'\n"
            "from shmem4py import shmem; print(' '.join(shmem.__all__))")
    names = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, cwd="/").stdout.split()
    assert len(names) > 100, names
    ids = parse(site / "api" / "shmem.html").ids
    missing = [n for n in names if f"shmem4py.shmem.{n}" not in ids]
    assert not missing, f"not in the API reference: {missing}"
    # Documented from the docstrings, not a second copy of them.
    page = (site / "api" / "shmem.html").read_text(encoding="utf-8")
    assert "symmetric" in page and "Return the vendor name of the OpenSHMEM library" in page
    rc_ids = parse(site / "api" / "rc.html").ids
    assert "module-shmem4py.rc" in rc_ids
    assert "module-shmem4py.api" in parse(site / "lowlevel.html").ids


def test_every_page_is_in_the_toc(site):
    index = parse(site / "index.html").hrefs
    for page in ("install", "tutorial", "launcher", "environment", "errors", "api/index",
                 "lowlevel", "capi", "performance", "differences", "development"):
        assert f"{page}.html" in index, page
