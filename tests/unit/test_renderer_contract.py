"""One contract over every renderer (STYLE.md "Renderers"; DESIGN.md "Renderers").

As python-stdnum's robustness test runs over every module, these tests run over
every renderer facturlib ships — `PdfRenderer`, `LetterRenderer`, the e-invoice
renderers `CiiRenderer`, `UblRenderer` and `FacturXRenderer`, `Pain008Renderer` and
the `RecordingRenderer` fake — with each document it supports: it satisfies the
`Renderer` protocol, returns a `RenderedDocument` with bytes, a media type and a
file name, is deterministic, leaves its input as it was, and refuses what it does
not render with a `RenderError` rather than an engine's stack trace.

A renderer added to facturlib gets an entry in `RENDERERS` and `SUPPORTED`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from facturlib import (
    DocumentKind,
    NumberingScheme,
    Order,
    Quote,
    SequenceState,
    credit_note,
    issue,
    to_money,
)
from facturlib.core.deliveries import delivery_note
from facturlib.core.documents import Invoice
from facturlib.core.errors import FacturlibError, RenderError
from facturlib.einvoice.cii import CiiRenderer
from facturlib.einvoice.facturx import FacturXRenderer
from facturlib.einvoice.ubl import UblRenderer
from facturlib.receivables.dunning import DunningLetter, DunningPolicy, dunning_letters, dunning_run
from facturlib.receivables.penalties import PenaltyPolicy
from facturlib.renderers import RenderedDocument, Renderer
from facturlib.renderers.letters import LetterRenderer
from facturlib.renderers.pdf import PdfRenderer
from facturlib.sepa.pain008 import Pain008Renderer
from facturlib.testing.builders import (
    sample_buyer,
    sample_deposit_invoices,
    sample_direct_debit_batch,
    sample_invoice,
    sample_line,
    sample_scheme,
    sample_seller,
)
from facturlib.testing.fakes import RecordingRenderer

JAN_15 = date(2025, 1, 15)


def _issued(draft: Invoice, scheme: NumberingScheme | None = None) -> Invoice:
    invoice, _ = issue(draft, scheme or sample_scheme(), SequenceState(), on=JAN_15)
    return invoice


def _letter() -> DunningLetter:
    """A letter about FA-2025-0001 (1 440.00 due 2025-02-14), with interest and indemnity."""
    invoice = _issued(sample_invoice(buyer=sample_buyer(name="Dupont & Fils <SARL>")))
    policy = DunningPolicy.french_default(penalties=PenaltyPolicy(rate="12.15"))
    (letter,) = dunning_letters(dunning_run([invoice], [], policy, date(2025, 2, 21)))
    return letter


def _documents() -> dict[str, Any]:
    invoice = _issued(sample_invoice())
    note = credit_note(invoice, amount=to_money("100.00", "EUR"), reason="Geste commercial")
    deposit, final = sample_deposit_invoices()
    parties = {"seller": sample_seller(), "buyer": sample_buyer(), "currency": "EUR"}
    return {
        "draft invoice": sample_invoice(),
        "issued invoice": invoice,
        "credit note": _issued(note, NumberingScheme(pattern="AV-{yyyy}-{seq:04}")),
        "deposit invoice": deposit,
        "final invoice": final,
        "proforma": sample_invoice(kind=DocumentKind.PROFORMA),
        "quote": Quote(**parties, lines=[sample_line()], number="DE-1", issue_date=JAN_15),
        "order": Order(**parties, lines=[sample_line()], number="BC-1", issue_date=JAN_15),
        "delivery note": delivery_note(
            Order(**parties, lines=[sample_line()], number="BC-1", issue_date=JAN_15),
            number="BL-1",
            on=JAN_15,
        ),
        "dunning letter": _letter(),
    }


DOCUMENTS = _documents()
_INVOICES_AND_LETTERS = tuple(DOCUMENTS)
#: What an e-invoice carries: issued invoices, credit notes, deposit and final invoices.
_E_INVOICES = ("issued invoice", "credit note", "deposit invoice", "final invoice")
DOCUMENTS["direct-debit batch"] = sample_direct_debit_batch()

#: Every renderer, built fresh for each use (a recording renderer keeps state).
RENDERERS: dict[str, Callable[[], Any]] = {
    "PdfRenderer fr_FR": lambda: PdfRenderer(locale="fr_FR"),
    "PdfRenderer en_GB": lambda: PdfRenderer(locale="en_GB"),
    "PdfRenderer de_DE": lambda: PdfRenderer(locale="de_DE"),
    "LetterRenderer fr": lambda: LetterRenderer(lang="fr"),
    "LetterRenderer en": lambda: LetterRenderer(lang="en"),
    "CiiRenderer": CiiRenderer,
    "UblRenderer": UblRenderer,
    "FacturXRenderer": FacturXRenderer,
    "Pain008Renderer": Pain008Renderer,
    "RecordingRenderer": RecordingRenderer,
}

#: The documents each renderer renders.
SUPPORTED: dict[str, tuple[str, ...]] = {
    "PdfRenderer fr_FR": _INVOICES_AND_LETTERS,
    "PdfRenderer en_GB": _INVOICES_AND_LETTERS,
    "PdfRenderer de_DE": _INVOICES_AND_LETTERS,
    "LetterRenderer fr": ("dunning letter",),
    "LetterRenderer en": ("dunning letter",),
    "CiiRenderer": _E_INVOICES,
    "UblRenderer": _E_INVOICES,
    "FacturXRenderer": _E_INVOICES,
    "Pain008Renderer": ("direct-debit batch",),
    "RecordingRenderer": _INVOICES_AND_LETTERS,
}

#: What a renderer that checks its input must refuse (not the recording fake, which
#: by design records anything it is given).
UNSUPPORTED: dict[str, tuple[object, ...]] = {
    "PdfRenderer fr_FR": ("FA-2025-0001", None, 42, object(), DOCUMENTS["dunning letter"].items),
    "PdfRenderer en_GB": ("FA-2025-0001", b"%PDF-"),
    "PdfRenderer de_DE": ("FA-2025-0001", {"number": "FA-1"}),
    "LetterRenderer fr": ("FA-2025-0001", None, DOCUMENTS["issued invoice"]),
    "LetterRenderer en": ("FA-2025-0001", DOCUMENTS["quote"]),
    "CiiRenderer": ("FA-2025-0001", None, DOCUMENTS["quote"], DOCUMENTS["dunning letter"]),
    "UblRenderer": (
        "FA-2025-0001",
        DOCUMENTS["order"],
        DOCUMENTS["direct-debit batch"],
        DOCUMENTS["delivery note"],
    ),
    "FacturXRenderer": (b"%PDF-", DOCUMENTS["quote"], DOCUMENTS["dunning letter"]),
    "Pain008Renderer": ("FA-2025-0001", None, DOCUMENTS["issued invoice"]),
}

CASES = [
    pytest.param(renderer, document, id=f"{renderer}-{document}")
    for renderer, documents in SUPPORTED.items()
    for document in documents
]
REFUSALS = [
    pytest.param(renderer, document, id=f"{renderer}-{type(document).__name__}")
    for renderer, documents in UNSUPPORTED.items()
    for document in documents
]
_EXTENSIONS = {"application/pdf": ".pdf", "text/plain": ".txt", "application/xml": ".xml"}


def test_every_renderer_has_a_contract() -> None:
    """Each renderer lists what it renders; all but the recording fake what it refuses."""
    assert set(RENDERERS) == set(SUPPORTED)
    assert set(RENDERERS) - {"RecordingRenderer"} == set(UNSUPPORTED)


class TestRendererContract:
    @pytest.mark.parametrize("renderer", sorted(RENDERERS))
    def test_satisfies_the_protocol(self, renderer: str) -> None:
        """Each renderer is a `Renderer` (structural check of ``render``)."""
        assert isinstance(RENDERERS[renderer](), Renderer)

    @pytest.mark.parametrize(("renderer", "document"), CASES)
    def test_returns_a_rendered_document(self, renderer: str, document: str) -> None:
        """Non-empty bytes, a media type and a file name whose extension matches it."""
        result = RENDERERS[renderer]().render(DOCUMENTS[document])

        assert isinstance(result, RenderedDocument)
        assert result.content
        kind = result.media_type.split(";")[0]
        assert kind in _EXTENSIONS
        assert result.filename.endswith(_EXTENSIONS[kind])
        assert "/" not in result.filename

    @pytest.mark.parametrize(("renderer", "document"), CASES)
    def test_deterministic(self, renderer: str, document: str) -> None:
        """The same input gives the same output, from one renderer or a new one."""
        one = RENDERERS[renderer]()
        first = one.render(DOCUMENTS[document])

        assert first == RENDERERS[renderer]().render(DOCUMENTS[document])
        assert first.content == one.render(DOCUMENTS[document]).content

    @pytest.mark.parametrize(("renderer", "document"), CASES)
    def test_does_not_change_its_input(self, renderer: str, document: str) -> None:
        """The document equals a deep copy taken before rendering."""
        value = DOCUMENTS[document]
        before = copy.deepcopy(value)
        RENDERERS[renderer]().render(value)

        assert before == value

    @pytest.mark.parametrize(("renderer", "document"), REFUSALS)
    def test_refuses_what_it_does_not_render(self, renderer: str, document: object) -> None:
        """A `RenderError` naming the field and how to fix it, not an engine's traceback."""
        with pytest.raises(RenderError) as info:
            RENDERERS[renderer]().render(document)

        assert isinstance(info.value, FacturlibError)
        assert "document" == info.value.field
        assert info.value.hint

    def test_the_recording_fake_records_anything(self) -> None:
        """The fake's contract is to accept and record whatever it is given."""
        renderer = RecordingRenderer[object]()
        rendered = [renderer.render(document).filename for document in ("x", None, 42)]

        assert (["document-1.txt", "document-2.txt", "document-3.txt"], ["x", None, 42]) == (
            rendered,
            renderer.rendered,
        )
