"""The ``facturlib`` command's bill-run, render and check, through the real entry points.

Each test runs ``python -m facturlib`` (or the ``facturlib`` console script) in a
subprocess, as cron or a user's shell would, and reads its exit status, stdout and
stderr.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

EXAMPLE = Path(str(resources.files("facturlib.demo").joinpath("portfolio.yaml")))
SCRIPT = Path(sys.executable).parent / "facturlib"


def facturlib(*args: object, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m facturlib args`` → the finished process (text, UTF-8 unless *env* says)."""
    return subprocess.run(
        [sys.executable, "-m", "facturlib", *map(str, args)],
        capture_output=True,
        timeout=300,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "error", **(env or {})},
        encoding="utf-8",
        errors="replace",
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """The example portfolio billed through 2026-12-31 into a folder, once."""
    out = tmp_path_factory.mktemp("run") / "out"
    done = facturlib("bill-run", EXAMPLE, "--through", "2026-12-31", "--out", out)
    return out, done


class TestBillRun:
    def test_example_runs_clean(self, written: tuple[Path, Any]) -> None:
        """Exit 0, the report on stdout, nothing on stderr."""
        _, done = written
        assert (0, "") == (done.returncode, done.stderr)
        assert done.stdout.startswith("Bill run through 2026-12-31: 35 document(s)")
        assert "Problems: 0" in done.stdout

    def test_writes_every_file(self, written: tuple[Path, Any]) -> None:
        """JSON + PDF per document, e-invoices per the buyer's choice, SEPA, FEC, state."""
        out, _ = written
        docs = out / "documents"
        assert (docs / "FA-2026-0001.json").is_file()
        assert (docs / "FA-2026-0001-facturx.pdf").is_file()  # CLI0001: facturx
        assert (docs / "AC-2026-0001.ubl.xml").is_file()  # CLI0002: ubl
        assert (docs / "FA-2026-0002.cii.xml").is_file()  # CLI0003: cii
        assert 35 == len(list(docs.glob("*.json")))
        assert 35 == len(list(docs.glob("*[0-9].pdf")))
        assert 2 == len(list((out / "sepa").glob("*.xml")))
        assert (out / "732829320FEC20261231.txt").is_file()
        assert {"state.json", "journal.json", "dunning.json", "report.json"} <= {
            p.name for p in out.iterdir()
        }
        assert list((out / "dunning").glob("*.pdf"))

    def test_every_einvoice_and_sepa_file_passes_the_validators(
        self, written: tuple[Path, Any], run_validator: Any
    ) -> None:
        """The official validators find no error in any e-invoice or pain.008 written."""
        out, _ = written
        docs = out / "documents"
        facturx = sorted(docs.glob("*-facturx.pdf"))
        cii = sorted(docs.glob("*.cii.xml"))
        ubl = sorted(docs.glob("*.ubl.xml"))
        sepa = sorted((out / "sepa").glob("*.xml"))
        assert [] == [
            name
            for name, found in (("facturx", facturx), ("cii", cii), ("ubl", ubl), ("sepa", sepa))
            if not found
        ]
        reports = {
            **run_validator("facturx", [*facturx, *cii], "--fr"),
            **run_validator("ubl", ubl, "--fr"),
            **run_validator("pain008", sepa),
        }
        pdfa = run_validator("pdfa", facturx)
        assert len(facturx) + len(cii) + len(ubl) + len(sepa) == len(reports)
        assert {} == {name: r["error_lines"] for name, r in reports.items() if r["error_lines"]}
        assert {} == {name: r["error_lines"] for name, r in pdfa.items() if r["error_lines"]}

    def test_check_passes_on_what_was_written(self, written: tuple[Path, Any]) -> None:
        """`facturlib check` finds nothing wrong in the FEC, pain.008 and e-invoices."""
        out, _ = written
        files = [
            out / "732829320FEC20261231.txt",
            *sorted((out / "sepa").glob("*.xml")),
            out / "documents" / "FA-2026-0001-facturx.pdf",
            out / "documents" / "FA-2026-0002.cii.xml",
            out / "documents" / "AC-2026-0001.ubl.xml",
        ]
        done = facturlib("check", "--format", "json", *files)
        assert 0 == done.returncode, done.stdout
        report = json.loads(done.stdout)
        assert ["fec", "pain.008", "pain.008", "facturx", "cii", "ubl"] == [
            r["kind"] for r in report
        ]
        assert [] == [r for r in report if r["problems"]]

    def test_second_run_on_the_state_issues_nothing(
        self, written: tuple[Path, Any], tmp_path: Path
    ) -> None:
        """Idempotence: the state written, run again through the same day, bills nothing."""
        out, _ = written
        done = facturlib(
            "bill-run", out / "state.json", "--through", "2026-12-31", "--out", tmp_path
        )
        assert 0 == done.returncode, done.stderr
        assert done.stdout.startswith("Bill run through 2026-12-31: 0 document(s)")
        state = json.loads((tmp_path / "state.json").read_text(encoding="utf-8"))
        assert 35 == len(state["state"]["issued"])

    def test_json_report(self) -> None:
        """--format json --dry-run prints the report as JSON and writes nothing."""
        done = facturlib(
            "bill-run", EXAMPLE, "--through", "2026-01-31", "--dry-run", "--format", "json"
        )
        assert 0 == done.returncode
        report = json.loads(done.stdout)
        assert ["FA-2026-0001", "FA-2026-0002"] == [d["number"] for d in report["documents"]]
        assert "1530.00" == report["documents"][0]["tax_inclusive"]

    def test_console_script(self) -> None:
        """The installed `facturlib` script runs the same command."""
        if not SCRIPT.exists():
            pytest.skip(f"no console script at {SCRIPT}")
        done = subprocess.run(
            [str(SCRIPT), "bill-run", str(EXAMPLE), "--through", "2026-01-31", "--dry-run"],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert 0 == done.returncode, done.stderr
        assert "FA-2026-0001" in done.stdout


class TestBrokenPortfolios:
    def test_every_error_names_file_path_and_expectation(self, tmp_path: Path) -> None:
        """Exit 1; one line per bad field on stderr: file, path, what is expected."""
        text = EXAMPLE.read_text(encoding="utf-8")
        text = text.replace('{product: LIC, quantity: "3"}', '{product: LIC, quantity: "-3"}')
        text = text.replace("customer: CLI0004\n", "customer: CLI0099\n")
        text = text.replace('signed_on: "2024-12-10"', 'signed_on: "10/12/2024"')
        broken = tmp_path / "broken.yaml"
        broken.write_text(text, encoding="utf-8")
        done = facturlib("bill-run", broken, "--through", "2026-12-31", "--out", tmp_path / "o")
        assert 1 == done.returncode
        lines = done.stderr.splitlines()
        assert 3 == len(lines), done.stderr
        assert all(line.startswith(f"{broken}: ") for line in lines)
        assert f"{broken}: subscriptions[0].items[1].quantity: " in done.stderr
        assert f"{broken}: subscriptions[3].customer: no customer 'CLI0099'; expected one of" in (
            done.stderr
        )
        assert f"{broken}: mandates[0].signed_on: expected an ISO date (YYYY-MM-DD)" in done.stderr
        assert "Traceback" not in done.stderr
        assert not (tmp_path / "o").exists()

    def test_not_yaml(self, tmp_path: Path) -> None:
        """A file that is not YAML: exit 1, a one-line reason."""
        broken = tmp_path / "x.yaml"
        broken.write_text("version: [1\n", encoding="utf-8")
        done = facturlib("bill-run", broken, "--through", "2026-12-31", "--dry-run")
        assert 1 == done.returncode
        assert "not valid YAML" in done.stderr
        assert "Traceback" not in done.stderr

    def test_missing_file_is_a_usage_error(self, tmp_path: Path) -> None:
        """No such portfolio: exit 2 and a message naming it."""
        done = facturlib("bill-run", tmp_path / "nope.yaml", "--through", "2026-12-31", "--dry-run")
        assert 2 == done.returncode
        assert "no portfolio file" in done.stderr


class TestWhatUsersDo:
    def test_bad_out_path(self, tmp_path: Path) -> None:
        """--out under a file: exit 2 and a clear message, no traceback."""
        blocker = tmp_path / "file"
        blocker.write_text("x", encoding="utf-8")
        done = facturlib("bill-run", EXAMPLE, "--through", "2026-01-31", "--out", blocker / "out")
        assert 2 == done.returncode
        assert "cannot write to --out" in done.stderr
        assert "Traceback" not in done.stderr

    def test_broken_pipe(self) -> None:
        """The reader goes away (`| head -1`): no BrokenPipeError traceback, exit 0."""
        command = [sys.executable, "-m", "facturlib", "bill-run", str(EXAMPLE)]
        with subprocess.Popen(
            [*command, "--through", "2026-12-31", "--dry-run"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        ) as process:
            assert process.stdout is not None
            assert process.stderr is not None
            process.stdout.close()  # before the command writes anything
            stderr = process.stderr.read().decode("utf-8", errors="replace")
            assert 0 == process.wait(timeout=300)
        assert "Traceback" not in stderr
        assert "BrokenPipeError" not in stderr

    def test_terminal_that_is_not_utf8(self, tmp_path: Path) -> None:
        """LANG=C and PYTHONIOENCODING=ascii: accents become '?', no UnicodeEncodeError."""
        text = EXAMPLE.read_text(encoding="utf-8").replace(
            "customer: CLI0004\n", "customer: CLIé\n"
        )
        broken = tmp_path / "é.yaml"
        broken.write_text(text, encoding="utf-8")
        env = {"PYTHONIOENCODING": "ascii", "LANG": "C", "LC_ALL": "C"}
        done = facturlib("bill-run", broken, "--through", "2026-01-31", "--dry-run", env=env)
        assert 1 == done.returncode
        assert "no customer 'CLI?'" in done.stderr
        assert "UnicodeEncodeError" not in done.stderr
        ok = facturlib("bill-run", EXAMPLE, "--through", "2026-01-31", "--dry-run", env=env)
        assert 0 == ok.returncode, ok.stderr

    def test_usage_errors_exit_2(self) -> None:
        """No --through, or a date that is not one: exit 2 with argparse's message."""
        assert 2 == facturlib("bill-run", EXAMPLE, "--dry-run").returncode
        done = facturlib("bill-run", EXAMPLE, "--through", "31/12/2026", "--dry-run")
        assert 2 == done.returncode
        assert "expected a date YYYY-MM-DD" in done.stderr
        assert 2 == facturlib("bill-run", EXAMPLE, "--through", "2026-12-31").returncode

    def test_version(self) -> None:
        """--version prints the installed version."""
        done = facturlib("--version")
        assert 0 == done.returncode
        assert done.stdout.startswith("facturlib ")


class TestRender:
    def test_stored_invoice_to_pdf(self, written: tuple[Path, Any], tmp_path: Path) -> None:
        """A stored invoice (JSON) becomes a PDF."""
        out, _ = written
        source = tmp_path / "FA-2026-0001.json"
        shutil.copy(out / "documents" / "FA-2026-0001.json", source)
        done = facturlib("render", source)
        assert 0 == done.returncode, done.stderr
        assert (tmp_path / "FA-2026-0001.pdf").read_bytes().startswith(b"%PDF-")

    def test_tampered_invoice_is_refused(self, written: tuple[Path, Any], tmp_path: Path) -> None:
        """An issued invoice altered after issue is refused (its seal), exit 1."""
        out, _ = written
        data = json.loads((out / "documents" / "FA-2026-0001.json").read_text(encoding="utf-8"))
        data["lines"][0]["quantity"] = "9"
        source = tmp_path / "bad.json"
        source.write_text(json.dumps(data), encoding="utf-8")
        done = facturlib("render", source)
        assert 1 == done.returncode
        assert done.stderr.startswith(f"{source}: ")
        assert not (tmp_path / "bad.pdf").exists()


class TestCheck:
    def test_tampered_pain008(self, written: tuple[Path, Any], tmp_path: Path) -> None:
        """A control sum changed by hand is found: exit 1, the field named."""
        out, _ = written
        source = sorted((out / "sepa").glob("*.xml"))[0]
        text = source.read_text(encoding="utf-8")
        start = text.index("<CtrlSum>") + len("<CtrlSum>")
        tampered = tmp_path / "tampered.xml"
        tampered.write_text(text[:start] + "1" + text[start:], encoding="utf-8")
        done = facturlib("check", tampered)
        assert 1 == done.returncode
        assert "pain.008, " in done.stdout
        assert "GrpHdr/CtrlSum says 1" in done.stdout

    def test_unknown_file(self, tmp_path: Path) -> None:
        """A file facturlib does not check: exit 1 and what it expects."""
        other = tmp_path / "notes.txt"
        other.write_text("hello", encoding="utf-8")
        done = facturlib("check", other)
        assert 1 == done.returncode
        assert "expected an FEC" in done.stdout
