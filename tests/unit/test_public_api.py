"""The public surface: `facturlib.__all__` and every public module's `__all__` (STYLE.md).

Like httpx's exported-members test, a name imported in ``facturlib/__init__.py``
but missing from ``__all__`` (or the reverse) fails here.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import re
from pathlib import Path
from types import ModuleType

import pytest

import facturlib

PUBLIC_MODULES = [
    "facturlib.core.money",
    "facturlib.core.exchange",
    "facturlib.core.vat",
    "facturlib.core.lines",
    "facturlib.core.pricing",
    "facturlib.core.periods",
    "facturlib.recurring.proration",
    "facturlib.recurring.subscriptions",
    "facturlib.core.totals",
    "facturlib.core.documents",
    "facturlib.core.quotes",
    "facturlib.core.orders",
    "facturlib.core.deliveries",
    "facturlib.core.issuing",
    "facturlib.core.integrity",
    "facturlib.core.credit_notes",
    "facturlib.core.errors",
    "facturlib.core.parties",
    "facturlib.core.payment_means",
    "facturlib.core.numbering",
    "facturlib.receivables.terms",
    "facturlib.receivables.payments",
    "facturlib.receivables.penalties",
    "facturlib.receivables.dunning",
    "facturlib.receivables.limits",
    "facturlib.projects.milestones",
    "facturlib.projects.deposits",
    "facturlib.projects.progress",
    "facturlib.projects.deals",
    "facturlib.projects.prebilling",
    "facturlib.accounting.accounts",
    "facturlib.accounting.journal",
    "facturlib.accounting.ledger",
    "facturlib.accounting.deferred",
    "facturlib.accounting.fec",
    "facturlib.renderers.pdf",
    "facturlib.reports.table",
    "facturlib.reports.mrr",
    "facturlib.reports.revenue",
    "facturlib.reports.aging",
    "facturlib.reports.taxes",
    "facturlib.reports.plots",
    "facturlib.sepa.charset",
    "facturlib.sepa.creditor_id",
    "facturlib.sepa.mandates",
    "facturlib.sepa.calendar",
    "facturlib.sepa.batch",
    "facturlib.sepa.checks",
    "facturlib.sepa.pain008",
    "facturlib.sepa.returns",
    "facturlib.einvoice.facturx",
    "facturlib.einvoice.checks",
    "facturlib.einvoice.reading",
    "facturlib.einvoice.statuses",
    "facturlib.einvoice.ereporting",
    "facturlib.accounting.purchases",
    "facturlib.core.serialize",
    "facturlib.runs.portfolio",
    "facturlib.runs.drafting",
    "facturlib.runs.billing",
    "facturlib.runs.outputs",
    "facturlib.runs.sepa_check",
    "facturlib.runs.streaming",
]


def isort_key(name: str) -> tuple[int, list[tuple[int, str]]]:
    """Ruff's RUF022 "isort-style" order: CONSTANTS, then Classes, then functions,
    each in natural order (runs of digits compared as numbers)."""
    if name.isupper():
        group = 0
    elif name[:1].isupper():
        group = 1
    else:
        group = 2
    parts = [(int(p), "") if p.isdigit() else (-1, p) for p in re.split(r"(\d+)", name) if p]
    return group, parts


def module(name: str) -> ModuleType:
    # importlib, not attribute access: `facturlib.core.money` is the to_money() function.
    return importlib.import_module(name)


def imported_in_init() -> set[str]:
    """Names bound by the import statements of facturlib/__init__.py."""
    tree = ast.parse(Path(inspect.getfile(facturlib)).read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return names


class TestPackageAll:
    def test_sorted(self) -> None:
        """`__all__` is kept sorted, isort-style (STYLE.md "Public API", ruff RUF022)."""
        assert sorted(facturlib.__all__, key=isort_key) == facturlib.__all__

    def test_no_duplicates(self) -> None:
        """Each name is exported once."""
        assert len(set(facturlib.__all__)) == len(facturlib.__all__)

    def test_matches_namespace(self) -> None:
        """`__all__` = the package's public non-module names (httpx's exported-members test)."""
        public = {
            name
            for name, value in vars(facturlib).items()
            if not name.startswith("_") and not inspect.ismodule(value)
        }

        assert public == set(facturlib.__all__)

    def test_matches_imports(self) -> None:
        """`__all__` equals the public names imported in facturlib/__init__.py."""
        imported = {name for name in imported_in_init() if not name.startswith("_")}

        assert imported == set(facturlib.__all__)

    def test_names_exist(self) -> None:
        """Every exported name resolves."""
        assert [] == [name for name in facturlib.__all__ if not hasattr(facturlib, name)]

    def test_version(self) -> None:
        """`__version__` is a string, and not in `__all__`."""
        assert isinstance(facturlib.__version__, str)
        assert "__version__" not in facturlib.__all__

    def test_star_import(self) -> None:
        """`from facturlib import *` binds exactly `__all__`."""
        namespace: dict[str, object] = {}
        exec("from facturlib import *", namespace)

        assert set(facturlib.__all__) == set(namespace) - {"__builtins__"}

    @pytest.mark.parametrize("name", PUBLIC_MODULES)
    def test_reexports_match_modules(self, name: str) -> None:
        """A name exported by both the package and a module is the same object."""
        mod = module(name)
        shared = set(mod.__all__) & set(facturlib.__all__)

        assert [] == [n for n in sorted(shared) if getattr(mod, n) is not getattr(facturlib, n)]


class TestModuleAll:
    @pytest.mark.parametrize("name", PUBLIC_MODULES)
    def test_defines_all(self, name: str) -> None:
        """Every public module has `__all__` (STYLE.md "Public API")."""
        mod = module(name)

        assert isinstance(getattr(mod, "__all__", None), list | tuple)
        assert mod.__all__

    @pytest.mark.parametrize("name", PUBLIC_MODULES)
    def test_names_exist(self, name: str) -> None:
        """Every name in a module's `__all__` exists in the module."""
        mod = module(name)

        assert [] == [n for n in mod.__all__ if not hasattr(mod, n)]

    @pytest.mark.parametrize("name", PUBLIC_MODULES)
    def test_no_private_names(self, name: str) -> None:
        """`__all__` lists no private name (private helpers start with `_`)."""
        assert [] == [n for n in module(name).__all__ if n.startswith("_")]

    @pytest.mark.parametrize("name", PUBLIC_MODULES)
    def test_no_duplicates(self, name: str) -> None:
        """Each module exports a name once."""
        names = module(name).__all__

        assert len(set(names)) == len(names)


class TestNoShadowedModules:
    def test_package_attributes_are_not_shadowed(self) -> None:
        """No public name of the package hides a submodule of the same name."""
        import importlib
        import pkgutil
        import types

        import facturlib

        shadowed = [
            info.name
            for info in pkgutil.iter_modules(facturlib.__path__)
            if info.name in facturlib.__all__
            and not isinstance(getattr(facturlib, info.name), types.ModuleType)
        ]
        assert [] == shadowed
        assert isinstance(importlib.import_module("facturlib.core.money"), types.ModuleType)


def load_gen_ref_pages() -> ModuleType:
    """scripts/gen_ref_pages.py, which generates the docs site's API reference."""
    path = Path(__file__).resolve().parents[2] / "scripts/gen_ref_pages.py"
    spec = importlib.util.spec_from_file_location("gen_ref_pages", path)
    assert spec is not None
    assert spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    return gen


class TestReference:
    """The API reference is generated from the docstrings, one page per public module
    (scripts/gen_ref_pages.py); tests/unit/test_docs_site.py builds it."""

    def test_public_modules_have_pages(self) -> None:
        """Every module of PUBLIC_MODULES is found public and gets a reference page."""
        gen = load_gen_ref_pages()
        pages = dict(gen.pages())

        assert [] == [m for m in PUBLIC_MODULES if gen.page_of(m).as_posix() not in pages]

    def test_every_exported_name_is_indexed(self) -> None:
        """The reference index lists every name of `facturlib.__all__` once, linked to
        the page and anchor of a public module whose `__all__` lists it."""
        gen = load_gen_ref_pages()
        index = dict(gen.pages())["index.md"]
        rows = re.findall(r"^\| \[`(\w+)`\]\(([\w/]+\.md)#([\w.]+)\) \| `([\w.]+)` \|", index, re.M)

        assert facturlib.__all__ == [name for name, *_ in rows]
        assert [] == [
            name
            for name, page, anchor, mod in rows
            if anchor != f"{mod}.{name}"
            or page != gen.page_of(mod).as_posix()
            or name not in module(mod).__all__
        ]
