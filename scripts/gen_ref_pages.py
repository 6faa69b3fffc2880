"""Generate the API reference pages of the docs site, one page per public module.

mkdocs-gen-files runs this script at build time (``mkdocs.yml``: ``plugins: gen-files``).
It writes, in memory, ``reference/<module path>.md`` holding a ``::: module`` block for
mkdocstrings, ``reference/index.md`` (every name exported by ``facturlib`` with the page
that documents it) and ``reference/SUMMARY.md``, the navigation literate-nav reads. A
new public module appears in the reference with no hand edit.

A module is public when no part of its dotted name starts with ``_`` and it defines a
non-empty ``__all__`` (the house rule: the public names of a module are its ``__all__``).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from pathlib import PurePosixPath
from types import ModuleType

PACKAGE = "facturlib"


def public_modules(package: str = PACKAGE) -> list[str]:
    """The dotted names of the public modules of ``package``, sorted.

    >>> "facturlib.core.money" in public_modules()
    True
    >>> any(part.startswith("_") for m in public_modules() for part in m.split("."))
    False
    """
    root = importlib.import_module(package)
    names = []
    for info in pkgutil.walk_packages(root.__path__, f"{package}."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        module = importlib.import_module(info.name)
        if getattr(module, "__all__", None):
            names.append(info.name)
    return sorted(names)


def page_of(module: str) -> PurePosixPath:
    """The page documenting a module, relative to ``reference/``.

    >>> page_of("facturlib.core.money")
    PurePosixPath('core/money.md')
    >>> page_of("facturlib.einvoice")
    PurePosixPath('einvoice/index.md')
    """
    module_obj = importlib.import_module(module)
    parts = module.split(".")[1:]
    if hasattr(module_obj, "__path__"):  # a package: its page is the index of its folder
        return PurePosixPath(*parts, "index.md")
    return PurePosixPath(*parts).with_suffix(".md")


def defining_module(name: str, modules: list[str]) -> str | None:
    """The public module whose ``__all__`` lists ``name`` and where it is defined.

    Where several public modules list the name (a subpackage re-exporting it), the
    deepest one that is the object's home is preferred, then the deepest one at all.
    """
    listing = [m for m in modules if name in importlib.import_module(m).__all__]
    if not listing:
        return None
    package = importlib.import_module(PACKAGE)
    home = getattr(getattr(package, name), "__module__", None)
    for module in sorted(listing, key=lambda m: -m.count(".")):
        if module == home:
            return module
    return sorted(listing, key=lambda m: -m.count("."))[0]


def summary(obj: object) -> str:
    """The first line of an object's docstring, for the index table."""
    doc = inspect.getdoc(obj) if not isinstance(obj, str | int | float | tuple | dict) else None
    line = (doc or "").strip().split("\n", 1)[0]
    return line.replace("|", "\\|")


def title_of(module: ModuleType) -> str:
    """The first line of a module's docstring, without its final full stop."""
    return (inspect.getdoc(module) or module.__name__).split("\n", 1)[0].rstrip(".")


def pages(package: str = PACKAGE) -> Iterator[tuple[str, str]]:
    """``(path under reference/, Markdown)`` for every generated page."""
    modules = public_modules(package)
    for name in modules:
        yield page_of(name).as_posix(), f"# `{name}`\n\n::: {name}\n"
    root = importlib.import_module(package)
    rows = []
    for name in root.__all__:
        module = defining_module(name, modules)
        if module is None:
            raise RuntimeError(f"{package}.{name} is exported but no public module lists it")
        link = f"{page_of(module).as_posix()}#{module}.{name}"
        rows.append(f"| [`{name}`]({link}) | `{module}` | {summary(getattr(root, name))} |")
    index = "\n".join(
        [
            "# API reference",
            "",
            f"Every name exported by `{package}` (`import {package} as fl; fl.Invoice`), with",
            "the module that documents it. The pages of the modules, in the navigation,",
            "also document the names public from their module only. Generated from the",
            "docstrings.",
            "",
            "| Name | Module | Summary |",
            "|---|---|---|",
            *rows,
            "",
        ]
    )
    yield "index.md", index
    yield "SUMMARY.md", navigation(modules)


def navigation(modules: list[str]) -> str:
    """The literate-nav navigation of the reference: one entry per module, nested under
    its subpackages; a subpackage without a page of its own is a plain section.

    >>> print(navigation(["facturlib.cli", "facturlib.core.money", "facturlib.core.vat"]))
    * [Overview](index.md)
    * [cli](cli.md)
    * core
        * [money](core/money.md)
        * [vat](core/vat.md)
    <BLANKLINE>
    """
    lines = ["* [Overview](index.md)"]
    listed: set[tuple[str, ...]] = set()
    for name in modules:
        parts = tuple(name.split(".")[1:])
        for depth in range(1, len(parts)):
            if parts[:depth] not in listed:
                listed.add(parts[:depth])
                lines.append(f"{'    ' * (depth - 1)}* {parts[depth - 1]}")
        listed.add(parts)
        indent = "    " * (len(parts) - 1)
        lines.append(f"{indent}* [{parts[-1]}]({page_of(name).as_posix()})")
    return "\n".join(lines) + "\n"


if __name__ in {"__main__", "<run_path>"}:
    import mkdocs_gen_files

    for path, text in pages():
        with mkdocs_gen_files.open(f"reference/{path}", "w") as f:
            f.write(text)
        if not path.endswith("SUMMARY.md") and path != "index.md":
            module = "src/" + path  # for "edit this page" links; harmless if unused
            mkdocs_gen_files.set_edit_path(f"reference/{path}", module)
