"""The docs site (mkdocs.yml): built offline with ``mkdocs build --strict``, any warning fails.

The build runs once per session (about 15 s of CPU). It needs the ``docs`` extra, which the
``test`` extra includes; without it the build tests skip, except in CI (``CI`` set), where
they fail. The site's API reference is generated from the docstrings by
scripts/gen_ref_pages.py (mkdocs-gen-files) with the griffe extension scripts/griffe_docs.py;
both scripts' doctests run here.
"""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import os
import re
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from facturlib.renderers import RenderedDocument

#: The ``run_validator`` fixture of tests/conftest.py.
Validator = Callable[..., dict[str, dict[str, Any]]]

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "scripts"

#: Where user-facing text lives: none of it may cite the internal domain or style notes.
USER_FACING = [
    *sorted((REPO / "src").rglob("*.py")),
    *sorted((REPO / "docs").rglob("*.md")),
    *sorted(SCRIPTS.glob("*.py")),
    REPO / "mkdocs.yml",
    REPO / "README.md",
    REPO / "CHANGELOG.md",
]


def load_script(name: str) -> ModuleType:
    """Import scripts/<name>.py (not a package) as a module."""
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def html_of(page: Path) -> Path:
    """Where mkdocs writes the HTML of a Markdown page (directory URLs)."""
    if page.stem == "index":
        return page.with_suffix(".html")
    return page.with_suffix("") / "index.html"


def inventory(site: Path) -> dict[str, str]:
    """The objects.inv mkdocstrings wrote: object name → its URI (Sphinx inventory v2)."""
    header, _, compressed = site.joinpath("objects.inv").read_bytes().partition(b"zlib.\n")
    assert header.startswith(b"# Sphinx inventory version 2")
    entries = {}
    for line in zlib.decompress(compressed).decode("utf-8").splitlines():
        name, _domain, _priority, uri, *_ = line.split(" ")
        entries[name] = uri
    return entries


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built by ``mkdocs build --strict`` into a temporary directory, offline."""
    if importlib.util.find_spec("mkdocs") is None:
        reason = "mkdocs is not installed: pip install -e '.[docs]' (the test extra has it)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    out = tmp_path_factory.mktemp("site")
    dead = "http://127.0.0.1:9"  # the discard port: anything fetched over HTTP fails
    env = {
        **os.environ,
        "HTTP_PROXY": dead,
        "HTTPS_PROXY": dead,
        "http_proxy": dead,
        "https_proxy": dead,
        "NO_PROXY": "",
        "no_proxy": "",
        # The end-of-life banners mkdocs-material and a plugin print (not build warnings).
        "NO_MKDOCS_2_WARNING": "1",
        "DISABLE_MKDOCS_2_WARNING": "true",
    }
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert 0 == result.returncode, result.stdout[-3000:] + result.stderr[-6000:]
    assert [] == [line for line in result.stderr.splitlines() if "WARNING" in line]
    return out


class TestBuild:
    def test_home_page(self, site: Path) -> None:
        """The build succeeds with no warning and writes the home page."""
        assert "facturlib" in site.joinpath("index.html").read_text(encoding="utf-8")

    @pytest.mark.parametrize(
        "page", ["tutorial", "concepts", "rules", "api", "examples", "changelog", "benchmarks"]
    )
    def test_pages(self, site: Path, page: str) -> None:
        """The tutorial, concepts, rules and the other hand-written pages are built."""
        assert site.joinpath(page, "index.html").is_file()

    def test_how_to_guides(self, site: Path) -> None:
        """Every Markdown page under docs/ is built (strict mode also fails on a page
        missing from the navigation)."""
        pages = [p.relative_to(REPO / "docs") for p in (REPO / "docs").rglob("*.md")]
        expected = sorted(html_of(p) for p in pages)

        assert len(expected) > 15
        assert [] == [p for p in expected if not site.joinpath(p).is_file()]

    def test_images_shown(self, site: Path) -> None:
        """Every image of docs/images is copied and shown by at least one page."""
        html = "\n".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
        images = sorted(p.name for p in (REPO / "docs/images").iterdir())

        assert images
        assert images == [n for n in images if site.joinpath("images", n).is_file()]
        assert images == [n for n in images if f'src="../images/{n}"' in html]

    def test_snippets_included(self, site: Path) -> None:
        """The example scripts and the changelog are included in their pages."""
        examples = site.joinpath("examples/index.html").read_text(encoding="utf-8")
        changelog = site.joinpath("changelog/index.html").read_text(encoding="utf-8")

        assert "--8&lt;--" not in examples
        assert "print_document" in examples
        assert "Unreleased" in changelog


class TestReference:
    def test_every_public_module_has_a_page(self, site: Path) -> None:
        """scripts/gen_ref_pages.py writes one page per public module."""
        gen = load_script("gen_ref_pages")
        modules = gen.public_modules()
        pages = [html_of(Path("reference", gen.page_of(m))) for m in modules]

        assert len(pages) > 50
        assert [] == [p for p in pages if not site.joinpath(p).is_file()]

    def test_every_module_name_documented(self, site: Path) -> None:
        """Every name of every public module's ``__all__`` is in the reference (its
        objects.inv), including the names public from their module only."""
        gen = load_script("gen_ref_pages")
        documented = inventory(site)
        names = [
            f"{m}.{name}"
            for m in gen.public_modules()
            for name in importlib.import_module(m).__all__
        ]

        assert len(names) > 300
        assert [] == [n for n in names if n not in documented]

    def test_every_package_name_documented(self, site: Path) -> None:
        """Every name exported by ``facturlib`` is in the reference, on its module's page."""
        import facturlib

        documented = inventory(site)

        assert [] == [n for n in facturlib.__all__ if f"facturlib.{n}" not in documented]

    def test_doctests_rendered_as_code(self, site: Path) -> None:
        """Docstring examples are code blocks, not Markdown quotes."""
        html = site.joinpath("reference/core/money/index.html").read_text(encoding="utf-8")

        assert '<span class="gp">&gt;&gt;&gt; </span>' in html
        assert "<blockquote" not in html

    def test_constants_documented_from_comments(self, site: Path) -> None:
        """A constant's ``#:`` comment is its documentation."""
        html = site.joinpath("reference/core/vat/index.html").read_text(encoding="utf-8")

        assert "Mainland France, 10 % (CGI 279)." in html


class TestScripts:
    @pytest.mark.parametrize("name", ["gen_ref_pages", "griffe_docs"])
    def test_doctests(self, name: str) -> None:
        """The examples in the docs scripts' docstrings hold."""
        result = doctest.testmod(load_script(name), optionflags=doctest.ELLIPSIS)

        assert (0, True) == (result.failed, result.attempted > 0)

    def test_pages_generated_without_mkdocs(self) -> None:
        """The reference pages are plain text made from the package alone."""
        pages = dict(load_script("gen_ref_pages").pages())

        assert "# `facturlib.core.money`\n\n::: facturlib.core.money\n" == pages["core/money.md"]
        assert "* [Overview](index.md)" == pages["SUMMARY.md"].splitlines()[0]


class TestUserFacingText:
    def test_no_internal_reference(self) -> None:
        """Users cite primary sources: src/, docs/, the site's configuration, the README
        and the changelog never mention the internal domain and style notes, which
        users do not have."""
        citing = [
            str(path.relative_to(REPO))
            for path in USER_FACING
            if re.search(r"DOMAIN(?:\.md| §)|STYLE\.md", path.read_text(encoding="utf-8"))
        ]

        assert len(USER_FACING) > 100
        assert [] == citing


def run_page(page: str) -> dict[str, object]:
    """Run the ``>>>`` examples of docs/<page> and return the names they bound."""
    text = (REPO / "docs" / page).read_text(encoding="utf-8")
    test = doctest.DocTestParser().get_doctest(text, {}, page, page, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    result = runner.run(test, clear_globs=False)

    assert (0, True) == (result.failed, result.attempted > 10)
    return test.globs


class TestTutorial:
    def test_files_pass_the_validators(self, tmp_path: Path, run_validator: Validator) -> None:
        """The tutorial's Factur-X file, and the same for the first invoice of its
        subscription, pass the official validators (Factur-X XSD and Schematron,
        EN 16931, BR-FR; PDF/A-3) with no error."""
        import facturlib as fl

        names = run_page("tutorial.md")
        facturx = names["facturx"]
        first = names["first"]
        assert isinstance(facturx, RenderedDocument)
        assert isinstance(first, fl.Invoice)
        files = [tmp_path / "tutorial.pdf", tmp_path / "subscription.pdf"]
        files[0].write_bytes(facturx.content)
        files[1].write_bytes(fl.FacturXRenderer(locale="fr_FR").render(first).content)

        facturx_reports = run_validator("facturx", files, "--fr")
        pdfa_reports = run_validator("pdfa", files)

        assert {f.name: [] for f in files} == {
            name: report["error_lines"] for name, report in facturx_reports.items()
        }
        assert {f.name: [] for f in files} == {
            name: report["error_lines"] for name, report in pdfa_reports.items()
        }


#: Source references that src/ cites by an exact id: EN 16931 and BR-FR rule ids, EPC
#: documents, BOFiP references and ISO 20022 message versions.
CITED = re.compile(
    r"\bBR-(?:[A-Z]{1,3}-)?(?:[A-Z]{2,3}-)?[0-9]{2}\b"
    r"|\bEPC[0-9]{3}-[0-9]{2}\b"
    r"|\bBOI-[A-Z0-9-]*[0-9]\b"
    r"|\bpain\.[0-9]{3}\.[0-9]{3}\.[0-9]{2}\b"
)


class TestRulesPage:
    def test_cites_every_source_src_cites(self) -> None:
        """docs/rules.md lists every rule id, EPC document, BOFiP reference and message
        version that a message or docstring of src/ cites."""
        cited = {m for p in (REPO / "src").rglob("*.py") for m in CITED.findall(p.read_text())}
        page = (REPO / "docs/rules.md").read_text(encoding="utf-8")

        assert len(cited) > 100
        assert [] == sorted(c for c in cited if c not in page)

    @pytest.mark.parametrize(
        "source",
        [
            "C. com. L441-9",
            "C. com. L441-10 I",
            "C. com. L441-10 II",
            "C. com. L441-11",
            "C. com. D441-5",
            "CGI ann. II art. 242 nonies A",
            "CGI art. 289 I",
            "CGI art. 289 bis",
            "CGI art. 293 B",
            "CGI art. 283-2",
            "CGI art. 262 ter I",
            "CGI art. 269",
            "LPF art. L102 B",
            "LPF art. A47 A-1",
            "PCG",
            "EN 16931",
            "Factur-X 1.09",
            "Factur-X 1.0",
            "ISO 20022",
        ],
    )
    def test_cites_the_main_sources(self, source: str) -> None:
        """The page names the laws and standards facturlib is built on."""
        assert source in (REPO / "docs/rules.md").read_text(encoding="utf-8")
