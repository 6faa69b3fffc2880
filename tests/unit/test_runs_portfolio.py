"""Portfolio files (facturlib.runs.portfolio): loading, every problem at once, hostile input."""

from __future__ import annotations

import copy
import json
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from facturlib import FacturlibError, InvalidValue
from facturlib.demo import load_example_portfolio
from facturlib.runs.portfolio import (
    MAX_PORTFOLIO_BYTES,
    EInvoiceFormat,
    PortfolioError,
    load_portfolio,
    portfolio_from_dict,
    portfolio_to_dict,
    read_portfolio,
    schema_path,
)

EXAMPLE = Path(str(resources.files("facturlib.demo").joinpath("portfolio.yaml")))


def minimal() -> dict[str, Any]:
    """The smallest useful portfolio: one customer, one product, one subscription."""
    return {
        "version": 1,
        "seller": {
            "name": "Atelier SAS",
            "address": {"city": "Paris", "country_code": "FR"},
            "siren": "732829320",
            "vat_id": "FR44732829320",
        },
        "numbering": {
            "invoice": "FA-{yyyy}-{seq:04}",
            "credit_note": "AV-{yyyy}-{seq:04}",
            "deposit": "AC-{yyyy}-{seq:04}",
        },
        "catalogue": [
            {
                "id": "HEB",
                "name": "Hébergement",
                "unit_price": {"amount": "100.00", "currency": "EUR"},
                "vat": {"category": "S", "percent": "20"},
            }
        ],
        "customers": [
            {
                "id": "C1",
                "name": "Client SARL",
                "address": {"city": "Lyon", "country_code": "FR"},
                "siren": "412233447",
                "vat_id": "FR17412233447",
            }
        ],
        "subscriptions": [
            {
                "reference": "ABO-1",
                "customer": "C1",
                "currency": "EUR",
                "start": "2026-01-01",
                "items": [{"product": "HEB"}],
            }
        ],
    }


def problems(data: Any) -> dict[str, str]:
    """The problems of loading *data*: path → message."""
    with pytest.raises(PortfolioError) as caught:
        portfolio_from_dict(data, source="p.json")
    return {p.reference or "": p.message for p in caught.value.problems}


class TestPortfolioFromDict:
    def test_minimal_portfolio_loads(self) -> None:
        """A minimal portfolio gives its customer, product and subscription."""
        portfolio = portfolio_from_dict(minimal())
        assert ["C1"] == [c.key for c in portfolio.customers]
        assert EInvoiceFormat.FACTURX == portfolio.customers[0].e_invoice
        assert "ABO-1" == portfolio.subscriptions[0].subscription.reference
        assert "Atelier SAS" == portfolio.subscriptions[0].subscription.seller.name

    def test_every_bad_field_is_reported_at_once_with_its_path(self) -> None:
        """Three bad fields in three places give three problems, each with its path."""
        data = minimal()
        data["customers"][0]["siren"] = "123456789"
        data["subscriptions"].append(copy.deepcopy(data["subscriptions"][0]))
        data["subscriptions"][0]["items"][0]["quantity"] = "-2"
        data["subscriptions"][1] |= {"reference": "ABO-2", "start": "2026-13-01"}
        found = problems(data)
        assert {
            "customers[0].siren",
            "subscriptions[0].items[0].quantity",
            "subscriptions[1].start",
        } == set(found)
        assert "positive" in found["subscriptions[0].items[0].quantity"]
        assert "YYYY-MM-DD" in found["subscriptions[1].start"]

    def test_error_names_the_file_and_is_a_facturlib_error(self) -> None:
        """The exception is an InvalidValue whose message starts with the file's name."""
        data = minimal()
        data["subscriptions"][0]["customer"] = "C9"
        with pytest.raises(InvalidValue) as caught:
            portfolio_from_dict(data, source="clients.yaml")
        assert isinstance(caught.value, FacturlibError)
        assert str(caught.value).startswith("clients.yaml: 1 problem in the portfolio")
        assert "subscriptions[0].customer: no customer 'C9'; expected one of ['C1']" in str(
            caught.value
        )

    def test_references_to_unknown_products_and_terms(self) -> None:
        """An item's product and a subscription's terms must exist in the portfolio."""
        data = minimal()
        data["subscriptions"][0]["items"][0]["product"] = "NOPE"
        data["subscriptions"][0]["terms"] = "NET99"
        found = problems(data)
        assert "expected one of ['HEB']" in found["subscriptions[0].items[0].product"]
        assert "no payment terms 'NET99'" in found["subscriptions[0].terms"]

    def test_unknown_top_level_field(self) -> None:
        """A misspelt section is named, with the sections expected."""
        data = minimal() | {"subscription": []}
        assert "unknown field" in problems(data)["subscription"]

    def test_wrong_version(self) -> None:
        """Another format version is refused with the version this facturlib reads."""
        assert "expected 1" in problems(minimal() | {"version": 2})["version"]

    def test_not_an_object(self) -> None:
        """A list is not a portfolio."""
        assert "(top)" in problems([1, 2])

    def test_duplicate_customer_ids(self) -> None:
        """Two customers with one id are refused."""
        data = minimal()
        data["customers"].append(copy.deepcopy(data["customers"][0]))
        assert "appears twice" in problems(data)["customers[1].id"]

    def test_bad_numbering_pattern(self) -> None:
        """A numbering pattern without a counter is reported under numbering."""
        data = minimal()
        data["numbering"]["invoice"] = "FA-{yyyy}"
        assert "numbering.invoice" in problems(data)

    def test_payment_terms_are_parsed(self) -> None:
        """Named terms are read by parse_terms and give the due date."""
        data = minimal() | {
            "payment_terms": {"EOM45": {"text": "45 jours fin de mois", "end_of_month": "A"}}
        }
        named = portfolio_from_dict(data).payment_terms[0]
        assert date(2026, 2, 28) == named.terms.due_date(date(2026, 1, 10))

    def test_unreadable_payment_terms(self) -> None:
        """Terms that parse_terms does not understand are reported with their name."""
        data = minimal() | {"payment_terms": {"X": "quand vous voulez"}}
        assert "payment_terms.X" in problems(data)

    def test_caller_data_is_not_changed(self) -> None:
        """Loading does not mutate what the caller passed."""
        data = minimal()
        before = copy.deepcopy(data)
        portfolio_from_dict(data)
        assert before == data


class TestReadPortfolio:
    def test_yaml_and_json_give_the_same_portfolio(self) -> None:
        """The example YAML and its JSON form load to equal portfolios."""
        portfolio = load_example_portfolio()
        text = json.dumps(portfolio_to_dict(portfolio))
        assert portfolio == read_portfolio(text)

    def test_yaml_tags_that_build_objects_are_refused(self) -> None:
        """A python/object tag is not constructed: the file is refused as YAML."""
        text = "version: 1\nseller: !!python/object/apply:os.system ['echo hacked']\n"
        with pytest.raises(PortfolioError, match="not valid YAML"):
            read_portfolio(text)

    def test_aliases_are_refused(self) -> None:
        """Anchors and aliases (the "billion laughs" of YAML) are refused."""
        text = "version: 1\na: &x [1, 2]\nb: [*x, *x, *x]\n"
        with pytest.raises(PortfolioError, match="aliases are not allowed"):
            read_portfolio(text)

    def test_yaml_floats_stay_text(self) -> None:
        """An unquoted 12.5 is read as the text "12.5", never a binary float."""
        data = minimal()
        data["subscriptions"][0]["items"][0]["quantity"] = "QTY"
        text = json.dumps(data).replace('"QTY"', "12.5")
        portfolio = read_portfolio(text.replace("{", "{", 1))
        assert "12.5" == str(portfolio.subscriptions[0].subscription.items[0].quantity)

    def test_unquoted_yaml_dates_are_read(self) -> None:
        """start: 2026-01-01 unquoted in YAML is read as the date."""
        yaml_text = EXAMPLE.read_text(encoding="utf-8").replace(
            'start: "2026-01-01"', "start: 2026-01-01"
        )
        portfolio = read_portfolio(yaml_text)
        assert date(2026, 1, 1) == portfolio.subscriptions[0].subscription.start

    def test_not_utf8(self) -> None:
        """Latin-1 bytes are refused with how to fix them."""
        with pytest.raises(PortfolioError, match="not UTF-8"):
            read_portfolio("version: 1\nseller: {name: Société}\n".encode("latin-1"))

    def test_too_long(self) -> None:
        """A file longer than MAX_PORTFOLIO_BYTES is refused before parsing."""
        with pytest.raises(PortfolioError, match="longer than"):
            read_portfolio(b" " * (MAX_PORTFOLIO_BYTES + 1))

    def test_nested_too_deeply(self) -> None:
        """Deep nesting is refused, not a RecursionError."""
        with pytest.raises(PortfolioError):
            read_portfolio("[" * 100_000 + "]" * 100_000)

    def test_bad_json(self) -> None:
        """Broken JSON is refused with the parser's message."""
        with pytest.raises(PortfolioError, match="not valid JSON"):
            read_portfolio('{"version": 1,')


class TestLoadPortfolio:
    def test_example_file(self) -> None:
        """The bundled example loads: four customers, four subscriptions, one project."""
        portfolio = load_portfolio(EXAMPLE)
        assert 4 == len(portfolio.customers)
        assert 4 == len(portfolio.subscriptions)
        assert ["PRJ-2026-07"] == [p.id for p in portfolio.projects]

    def test_missing_file(self, tmp_path: Path) -> None:
        """A missing file is a PortfolioError naming the file."""
        with pytest.raises(PortfolioError, match="cannot read the file"):
            load_portfolio(tmp_path / "nope.yaml")


class TestPortfolioToDict:
    def test_round_trip(self) -> None:
        """Writing then reading gives the same portfolio."""
        portfolio = load_example_portfolio()
        assert portfolio == portfolio_from_dict(portfolio_to_dict(portfolio))

    def test_is_json(self) -> None:
        """The plain data is JSON as it is."""
        json.dumps(portfolio_to_dict(load_example_portfolio()))


class TestSchema:
    def test_example_and_state_follow_the_schema(self) -> None:
        """The JSON Schema is valid and the example, and a written state, follow it."""
        jsonschema = pytest.importorskip("jsonschema")
        import yaml

        from facturlib.runs.billing import bill_run
        from facturlib.runs.portfolio import _yaml_loader

        schema = json.loads(schema_path().read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema)
        example = yaml.load(EXAMPLE.read_text(encoding="utf-8"), Loader=_yaml_loader())
        assert [] == [e.message for e in validator.iter_errors(example)]
        run = bill_run(load_example_portfolio(), through=date(2026, 3, 31))
        state = json.loads(json.dumps(portfolio_to_dict(run.portfolio)))
        assert [] == [e.message for e in validator.iter_errors(state)]

    def test_schema_lists_every_section(self) -> None:
        """The schema's top-level properties are the sections the loader reads."""
        from facturlib.runs.portfolio import _TOP

        schema = json.loads(schema_path().read_text(encoding="utf-8"))
        assert set(_TOP) == set(schema["properties"])


class TestYamlScalars:
    def test_only_true_and_false_are_booleans(self) -> None:
        """NO (Norway) stays text; yes is not a boolean; true is."""
        import yaml

        from facturlib.runs.portfolio import _yaml_loader

        data = yaml.load("a: NO\nb: yes\nc: true\n", Loader=_yaml_loader())
        assert {"a": "NO", "b": "yes", "c": True} == data


class TestImportStaysLight:
    def test_bill_runs_load_no_engine_on_import(self) -> None:
        """`import facturlib` (bill runs included) imports neither reportlab, lxml, pikepdf,
        PyYAML nor rich: they load when a file is made or read."""
        import subprocess
        import sys

        code = (
            "import sys, facturlib; "
            "print(sorted(m for m in ('reportlab', 'lxml', 'pikepdf', 'yaml', 'rich') "
            "if m in sys.modules))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert "[]" == done.stdout.strip()
