"""The ``run_validator`` fixture: it reaches the external validators and reads their verdicts."""

from __future__ import annotations

from pathlib import Path


class TestRunValidator:
    def test_a_broken_file_is_reported_with_its_errors(self, run_validator, tmp_path: Path):
        """A CII file without its mandatory content is invalid, with error lines naming why."""
        broken = tmp_path / "broken.xml"
        broken.write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:'
            'CrossIndustryInvoice:100"/>\n'
        )
        report = run_validator("facturx", [broken])["broken.xml"]
        assert False is report["valid"]
        assert [] != report["error_lines"]
