"""The scripts in ``examples/`` run to completion, as a user runs them.

Each runs in a subprocess of the current interpreter with warnings as errors, in an
empty working directory that must stay empty (an example writes only under a
temporary directory or a path given on its command line). The examples check
their own figures with asserts, so exit code 0 means those checks held.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import facturlib as fl

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SCRIPTS = sorted(EXAMPLES.glob("*.py"))


def run(script: Path, *args: object, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """Run *script* with *args* as ``python -W error script args`` in *cwd*."""
    return subprocess.run(
        [sys.executable, "-W", "error", str(script), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        timeout=120,
        check=False,
    )


def output(result: subprocess.CompletedProcess[bytes]) -> str:
    return (result.stdout + result.stderr).decode("utf-8", errors="replace")


class TestEveryExample:
    def test_examples_are_found(self) -> None:
        """The examples folder holds the quickstart and the scenario scripts."""
        names = {script.name for script in SCRIPTS}
        assert {
            "quickstart.py",
            "render_pdfs.py",
            "subscriptions.py",
            "project_billing.py",
            "getting_paid.py",
            "accounting.py",
        } <= names

    @pytest.mark.parametrize("script", SCRIPTS, ids=lambda script: script.name)
    def test_runs_and_writes_nothing_in_the_working_directory(
        self, script: Path, tmp_path: Path
    ) -> None:
        """The script exits 0, prints something, and leaves the working directory empty."""
        cwd = tmp_path / "cwd"
        cwd.mkdir()
        # render_pdfs.py takes the directory to write its PDFs to.
        args = [tmp_path / "pdf"] if script.name == "render_pdfs.py" else []
        result = run(script, *args, cwd=cwd)
        assert 0 == result.returncode, output(result)
        assert result.stdout.strip(), "the example printed nothing"
        assert [] == list(cwd.iterdir())


class TestRenderPdfs:
    def test_writes_the_pdfs_to_the_given_directory(self, tmp_path: Path) -> None:
        """Every path printed is a PDF in the directory given on the command line."""
        result = run(EXAMPLES / "render_pdfs.py", tmp_path, cwd=tmp_path)
        assert 0 == result.returncode, output(result)
        paths = [Path(line) for line in result.stdout.decode().splitlines()]
        assert paths
        assert all(tmp_path == path.parent for path in paths)
        assert all(path.read_bytes().startswith(b"%PDF-") for path in paths)


class TestAccounting:
    def test_stdout_is_a_valid_fec(self, tmp_path: Path) -> None:
        """With --stdout, stdout is exactly the FEC file and check_fec finds no problem."""
        result = run(EXAMPLES / "accounting.py", "--stdout", cwd=tmp_path)
        assert 0 == result.returncode, output(result)
        assert result.stdout.startswith(b"JournalCode|JournalLib|")
        assert () == fl.check_fec(result.stdout)
        assert [] == list(tmp_path.iterdir())

    def test_out_keeps_the_fec_in_the_given_directory(self, tmp_path: Path) -> None:
        """With --out DIR, the FEC is written to DIR under its legal name."""
        result = run(EXAMPLES / "accounting.py", "--out", tmp_path / "fec", cwd=tmp_path)
        assert 0 == result.returncode, output(result)
        assert ["732829320FEC20251231.txt"] == [p.name for p in (tmp_path / "fec").iterdir()]
