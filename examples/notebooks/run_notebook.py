"""Run a notebook's code cells in order, in a fresh namespace, without Jupyter.

    python examples/notebooks/run_notebook.py examples/notebooks/portfolio.ipynb
    python examples/notebooks/run_notebook.py --write examples/notebooks/portfolio.ipynb

Each code cell runs as Jupyter would run it: its statements, then its last
expression, whose display is built the way Jupyter builds it (``_repr_html_`` for
facturlib values and tables, a PNG for a matplotlib Figure, ``repr`` otherwise). An
exception stops the run with the number of the failing cell. With ``--write`` the
outputs are stored back into the notebook, so that it reads well without running it.

Why not a Jupyter kernel (nbclient + ipykernel)? This needs neither a kernel process,
ZeroMQ nor the Jupyter stack, so it runs offline and in any CI; the test suite runs it
(``tests/unit/test_notebooks.py``).
"""

from __future__ import annotations

import ast
import base64
import contextlib
import io
import json
import sys
from pathlib import Path
from typing import Any


def display(value: Any) -> dict[str, Any]:
    """The display data Jupyter would show for *value*."""
    data: dict[str, Any] = {"text/plain": repr(value)}
    if hasattr(value, "savefig"):  # a matplotlib Figure
        buffer = io.BytesIO()
        value.savefig(buffer, format="png", dpi=80)
        data = {
            "image/png": base64.b64encode(buffer.getvalue()).decode("ascii"),
            "text/plain": "<Figure>",
        }
    elif hasattr(value, "_repr_html_"):
        data["text/html"] = value._repr_html_()
        data["text/plain"] = str(value) if type(value).__name__ == "Table" else repr(value)[:300]
    return data


def run_cell(source: str, namespace: dict[str, Any]) -> tuple[str, Any]:
    """Run one cell; return what it printed and the value of its last expression."""
    tree = ast.parse(source)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(tree, "<cell>", "exec"), namespace)
        value = eval(compile(last, "<cell>", "eval"), namespace) if last else None
    return out.getvalue(), value


def run(path: Path, *, write: bool = False) -> int:
    """Run the notebook at *path*; return the number of code cells run."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    namespace: dict[str, Any] = {"__name__": "__main__"}
    count = 0
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code":
            continue
        count += 1
        try:
            printed, value = run_cell("".join(cell["source"]), namespace)
        except Exception as error:
            raise RuntimeError(f"cell {index} of {path.name} failed: {error!r}") from error
        outputs: list[dict[str, Any]] = []
        if printed:
            outputs.append({"name": "stdout", "output_type": "stream", "text": printed})
        if value is not None:
            outputs.append(
                {
                    "data": display(value),
                    "execution_count": count,
                    "metadata": {},
                    "output_type": "execute_result",
                }
            )
        cell["outputs"] = outputs
        cell["execution_count"] = count
    if write:
        text = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
        path.write_text(text, encoding="utf-8")
    return count


if __name__ == "__main__":
    arguments = sys.argv[1:]
    store = "--write" in arguments
    for name in [a for a in arguments if a != "--write"]:
        print(f"{name}: {run(Path(name), write=store)} cells run")
