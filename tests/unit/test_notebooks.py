"""The example notebooks run from top to bottom, so they never rot.

Each notebook runs with ``examples/notebooks/run_notebook.py`` — every code cell in
order, in a fresh namespace, displays built as Jupyter builds them — in a subprocess
of the current interpreter with warnings as errors, in an empty working directory
that must stay empty. No Jupyter kernel is needed (see the runner's docstring).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "examples" / "notebooks"
RUNNER = NOTEBOOKS / "run_notebook.py"


def test_notebooks_are_found() -> None:
    """The portfolio notebook is there."""
    assert [p.name for p in sorted(NOTEBOOKS.glob("*.ipynb"))] == ["portfolio.ipynb"]


@pytest.mark.parametrize("notebook", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_runs(notebook: Path, tmp_path: Path) -> None:
    """Every code cell runs without an error or a warning, and writes no file."""
    result = subprocess.run(
        [sys.executable, "-W", "error", str(RUNNER), str(notebook)],
        cwd=tmp_path,
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert 0 == result.returncode, (result.stdout + result.stderr).decode(errors="replace")
    assert [] == list(tmp_path.iterdir())


@pytest.mark.parametrize("notebook", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_is_stored_with_its_outputs(notebook: Path) -> None:
    """The stored notebook was run in order and holds its outputs, for readers who do not
    run it (refresh them with ``run_notebook.py --write``)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert list(range(1, len(code) + 1)) == [c["execution_count"] for c in code]
    shows = [c for c in code if isinstance(ast.parse("".join(c["source"])).body[-1], ast.Expr)]
    assert [] == [c["id"] for c in shows if not c["outputs"]]
