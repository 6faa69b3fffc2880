"""Tagged, versioned JSON: `to_dict`, `from_dict`, `to_json`, `from_json`.

The golden files under ``tests/golden/serialize/untagged/`` were written by main
before the tags (format version 1); they must keep loading, issued invoices with
their seals, and the tagged form must be exactly the tags plus that data.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import attrs
import pytest

import facturlib
from facturlib.accounting.journal import JournalEntry
from facturlib.core.documents import Invoice, Order
from facturlib.core.errors import InvalidValue, IssuedDocumentError
from facturlib.core.integrity import check_issued
from facturlib.core.issuing import issue
from facturlib.core.lines import Line, Product
from facturlib.core.numbering import NumberingPlan, SequenceState, SeriesPosition
from facturlib.core.parties import Party
from facturlib.core.serialize import FORMAT_VERSION, from_dict, from_json, to_dict, to_json
from facturlib.core.totals import Totals
from facturlib.receivables.dunning import DunningRecord
from facturlib.receivables.payments import Payment, PaymentAllocation
from facturlib.recurring.subscriptions import Subscription
from facturlib.sepa.batch import DirectDebitBatch
from facturlib.testing.builders import sample_invoice, sample_line, sample_scheme

GOLDEN = Path(__file__).parent.parent / "golden" / "serialize"
UNTAGGED = GOLDEN / "untagged"

#: Each golden file of format version 1 and the class it holds.
FORMAT_1: dict[str, type] = {
    "invoice_issued": Invoice,
    "credit_note_issued": Invoice,
    "deposit_issued": Invoice,
    "invoice_draft": Invoice,
    "sequence_state": SequenceState,
    "numbering_plan": NumberingPlan,
    "party": Party,
    "product": Product,
    "subscription": Subscription,
    "order": Order,
    "totals": Totals,
    "payment": Payment,
    "payment_allocation": PaymentAllocation,
    "direct_debit_batch": DirectDebitBatch,
    "dunning_record": DunningRecord,
    "journal_entry": JournalEntry,
}


def golden(name: str) -> str:
    return (UNTAGGED / f"{name}.json").read_text("utf-8")


def _project(new: Any, old: Any) -> Any:
    """*new* reduced to the keys that *old* has, at every depth: what was stored must be
    written back unchanged, while fields added since (at their defaults) may appear."""
    if isinstance(new, dict) and isinstance(old, dict):
        return {key: _project(new[key], old[key]) for key in old if key in new}
    if isinstance(new, list) and isinstance(old, list) and len(new) == len(old):
        return [_project(n, o) for n, o in zip(new, old, strict=True)]
    return new


def issued() -> Invoice:
    invoice, _ = issue(sample_invoice(), sample_scheme(), SequenceState(), on=date(2025, 1, 15))
    return invoice


class TestToDict:
    def test_tags_come_first(self) -> None:
        """The data starts with "$type" (the class name) and "$version"."""
        data = to_dict(sample_line())

        assert ["$type", "$version", "description"] == list(data)[:3]
        assert ("Line", FORMAT_VERSION) == (data["$type"], data["$version"])

    def test_format_version(self) -> None:
        """Version 2 is the first tagged format."""
        assert 2 == FORMAT_VERSION

    def test_nested_values_are_not_tagged(self) -> None:
        """Only the top level is tagged: nested values are typed by their field."""
        data = to_dict(sample_invoice())

        assert "$type" not in data["seller"]
        assert "$type" not in data["lines"][0]

    def test_tags_are_not_sealed(self) -> None:
        """The seal covers the content only: tagging leaves it unchanged."""
        invoice = issued()

        again = from_json(to_json(invoice))

        assert invoice.seal == again.seal == again.content_seal()

    def test_seal_of_the_golden_invoice_is_pinned(self) -> None:
        """An invoice issued before the tags keeps its seal through tagged JSON."""
        stored = json.loads(golden("invoice_issued"))

        invoice = from_json(to_json(from_json(Invoice, golden("invoice_issued"))))

        assert stored["seal"] == invoice.seal
        assert () == check_issued(invoice)


class TestFromDict:
    def test_without_class(self) -> None:
        """Tagged data loads without being told its class."""
        line = sample_line()

        assert line == from_dict(to_dict(line))

    def test_with_class(self) -> None:
        """Tagged data loads with its class too."""
        line = sample_line()

        assert line == from_dict(Line, to_dict(line))

    def test_other_class(self) -> None:
        """A tag naming another class is refused, and the message says which."""
        with pytest.raises(InvalidValue) as exc_info:
            from_dict(Party, to_dict(sample_line()))

        assert "Party.$type" == exc_info.value.field
        assert "tagged 'Line', not 'Party'" in str(exc_info.value)

    @pytest.mark.parametrize("name", ["Nope", "SeriesPosition", "Money", "date", 3, None])
    def test_unknown_type(self, name: Any) -> None:
        """Only the value classes the package exports are loaded by tag."""
        with pytest.raises(InvalidValue) as exc_info:
            from_dict({"$type": name, "$version": 2})

        assert "$type" == exc_info.value.field
        assert "unknown type" in str(exc_info.value)

    def test_class_not_exported_loads_with_its_class(self) -> None:
        """A value class the package does not export loads when its class is given."""
        position = SeriesPosition(
            counter=1, period="2025", last_date=date(2025, 1, 2), last_number="FA-2025-0001"
        )

        assert position == from_dict(SeriesPosition, to_dict(position))

    @pytest.mark.parametrize("data", [{"number": "x"}, [], "Invoice"])
    def test_untagged_without_class(self, data: Any) -> None:
        """Untagged data without its class: the message says to pass the class."""
        with pytest.raises(InvalidValue) as exc_info:
            from_dict(data)

        assert "from_dict(Invoice, data)" in (exc_info.value.hint or "")

    def test_later_version(self) -> None:
        """Data from a later facturlib is refused with a clear message, not half-read."""
        data = to_dict(sample_line()) | {"$version": FORMAT_VERSION + 1}

        with pytest.raises(InvalidValue) as exc_info:
            from_dict(data)
        with pytest.raises(InvalidValue) as with_class:
            from_dict(Line, data)

        assert ("$version", "Line.$version") == (exc_info.value.field, with_class.value.field)
        assert "written by a later facturlib" in str(exc_info.value)
        assert "upgrade facturlib to read it" == exc_info.value.hint

    def test_later_version_of_a_type_unknown_here(self) -> None:
        """A type added by a later facturlib: the message says to upgrade."""
        with pytest.raises(InvalidValue) as exc_info:
            from_dict({"$type": "PriceBook2030", "$version": FORMAT_VERSION + 1})

        assert "$version" == exc_info.value.field
        assert "upgrade facturlib to read it" == exc_info.value.hint

    @pytest.mark.parametrize("version", [0, -1, "2", 2.0, True, None])
    def test_bad_version(self, version: Any) -> None:
        """A version that is not a positive integer is refused."""
        data = to_dict(sample_line()) | {"$version": version}

        with pytest.raises(InvalidValue) as exc_info:
            from_dict(Line, data)

        assert "Line.$version" == exc_info.value.field

    def test_version_1_tagged(self) -> None:
        """A tagged version 1 (the untagged form with tags) loads."""
        line = sample_line()

        assert line == from_dict(to_dict(line) | {"$version": 1})

    def test_nested_tags_are_accepted_and_checked(self) -> None:
        """Data built from tagged parts loads; a nested tag naming another class fails."""
        draft = sample_invoice()
        data = to_dict(draft)
        data["lines"] = [to_dict(line) for line in draft.lines]

        assert draft == from_dict(data)
        data["seller"] = to_dict(sample_line())
        with pytest.raises(InvalidValue) as exc_info:
            from_dict(data)
        assert "Invoice.seller.$type" == exc_info.value.field

    def test_tampered_issued_invoice(self) -> None:
        """An issued invoice altered in storage is refused, tags or not."""
        data = to_dict(issued())
        data["lines"][0]["quantity"] = "11"

        with pytest.raises(IssuedDocumentError):
            from_dict(data)

    def test_caller_data_untouched(self) -> None:
        """Loading does not change the caller's data (the tags stay in it)."""
        data = to_dict(sample_line())
        before = json.dumps(data)

        from_dict(data)

        assert before == json.dumps(data)

    def test_datetimes(self) -> None:
        """Date-times (a SEPA batch's creation time) round-trip."""
        batch = from_json(DirectDebitBatch, golden("direct_debit_batch"))

        assert isinstance(batch.created_at, datetime)
        assert batch == from_json(to_json(batch))

    def test_bad_datetime(self) -> None:
        """A date-time that is not ISO 8601 is refused with its path."""
        data = to_dict(from_json(DirectDebitBatch, golden("direct_debit_batch")))
        data["created_at"] = "yesterday"

        with pytest.raises(InvalidValue) as exc_info:
            from_dict(data)

        assert "DirectDebitBatch.created_at" == exc_info.value.field


class TestFromJson:
    def test_without_class(self) -> None:
        """Tagged text loads without its class."""
        draft = sample_invoice()

        assert draft == from_json(to_json(draft))

    def test_bytes(self) -> None:
        """UTF-8 bytes load like text."""
        draft = sample_invoice()

        assert draft == from_json(to_json(draft).encode("utf-8"))

    def test_not_json(self) -> None:
        """Text that is not JSON is refused, with or without a class."""
        with pytest.raises(InvalidValue):
            from_json("{")
        with pytest.raises(InvalidValue):
            from_json(Invoice, "{")

    def test_not_text(self) -> None:
        """Something other than text is refused."""
        with pytest.raises(InvalidValue) as exc_info:
            from_json(3)  # type: ignore[call-overload]

        assert "text" == exc_info.value.field


class TestFormat1:
    @pytest.mark.parametrize(("name", "cls"), FORMAT_1.items(), ids=list(FORMAT_1))
    def test_loads(self, name: str, cls: type) -> None:
        """Untagged data written before the tags loads with its class."""
        value = from_json(cls, golden(name))

        assert cls is type(value)

    @pytest.mark.parametrize(("name", "cls"), FORMAT_1.items(), ids=list(FORMAT_1))
    def test_tagged_form_is_the_tags_plus_format_1(self, name: str, cls: type) -> None:
        """Writing it again gives the tags followed by exactly the stored data, in the
        same order (fields added since may appear too, at their defaults)."""
        stored = json.loads(golden(name))

        data = to_dict(from_json(cls, golden(name)))

        assert {"$type": cls.__name__, "$version": FORMAT_VERSION} == dict(list(data.items())[:2])
        assert stored == _project(data, stored)
        assert list(stored) == [key for key in data if key in stored]

    @pytest.mark.parametrize(("name", "cls"), FORMAT_1.items(), ids=list(FORMAT_1))
    def test_round_trips_through_tagged_json(self, name: str, cls: type) -> None:
        """Loaded, written tagged and loaded by tag, it is the same value."""
        value = from_json(cls, golden(name))

        assert value == from_json(to_json(value))

    @pytest.mark.parametrize("name", ["invoice_issued", "credit_note_issued", "deposit_issued"])
    def test_issued_invoices_keep_their_seal(self, name: str) -> None:
        """The stored seal still matches, and every law of an issued invoice holds."""
        stored = json.loads(golden(name))

        invoice = from_json(Invoice, golden(name))

        assert (stored["seal"], stored["number"]) == (invoice.seal, invoice.number)
        assert () == check_issued(invoice)

    def test_tampered_format_1(self) -> None:
        """An untagged issued invoice altered in storage is refused."""
        data = json.loads(golden("invoice_issued"))
        data["buyer"]["name"] = "Someone Else"

        with pytest.raises(IssuedDocumentError):
            from_dict(Invoice, data)

    def test_version_0_1(self) -> None:
        """The 0.1 form (bare-string notes and address) loads and keeps its seal."""
        text = (GOLDEN / "issued_invoice_0_1.json").read_text("utf-8")
        stored = json.loads(text)

        invoice = from_json(Invoice, text)
        again = from_json(to_json(invoice))

        assert stored["seal"] == invoice.seal == again.seal
        assert invoice == again


class TestRegistry:
    def test_every_exported_value_class_loads_by_tag(self) -> None:
        """Each attrs class in `facturlib.__all__` is found by its tag (its name)."""
        from facturlib.core.serialize import _tagged_class

        classes = [
            getattr(facturlib, name)
            for name in facturlib.__all__
            if isinstance(getattr(facturlib, name), type) and attrs.has(getattr(facturlib, name))
        ]

        assert classes == [_tagged_class({"$type": cls.__name__}) for cls in classes]
        assert len(classes) > 100


class TestDemoYear:
    def test_every_value_of_the_demo_year_round_trips(self) -> None:
        """Every kind of value in a year of the sample company's billing (documents,
        payments, SEPA batches, dunning, journal, settlement) comes back equal from
        tagged JSON; the package's own classes without being told their class."""
        from facturlib.demo import after_closing, bill_year, load_sample_company

        books = bill_year(load_sample_company())
        kinds: dict[type, int] = {}

        def walk(value: Any) -> None:
            if attrs.has(type(value)):
                if kinds.get(type(value), 0) < 3:  # a few of each kind is enough
                    kinds[type(value)] = kinds.get(type(value), 0) + 1
                    text = to_json(value)
                    exported = type(value).__name__ in facturlib.__all__
                    again = from_json(text) if exported else from_json(type(value), text)
                    assert (type(value), value) == (type(again), again)
                for field in attrs.fields(type(value)):
                    if not field.name.startswith("_"):
                        walk(getattr(value, field.name))
            elif isinstance(value, tuple | list | frozenset):
                for item in value:
                    walk(item)

        walk((books, after_closing(books), books.journal(), books.settlement()))

        assert len(kinds) > 40
