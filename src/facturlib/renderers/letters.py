"""Dunning letters as plain text, in French or English.

`LetterRenderer` renders a `facturlib.receivables.dunning.DunningLetter`: the creditor and
the debtor, the subject and wording of the level's template (``"reminder"``,
``"second_reminder"``, ``"formal_notice"``, or your own), a table of the
invoices chased (number, dates, amount due, days late, interest), and the
totals the letter already holds. It formats only: every amount comes from the
letter (DESIGN.md "Renderers"). Amounts are formatted with babel (CLDR).

>>> from datetime import date
>>> from facturlib.receivables.dunning import DunningPolicy, dunning_letters, dunning_run
>>> from facturlib.core.issuing import issue
>>> from facturlib.core.numbering import SequenceState
>>> from facturlib.testing.builders import sample_invoice, sample_scheme
>>> invoice, _ = issue(sample_invoice(), sample_scheme(), SequenceState(), on=date(2025, 1, 15))
>>> actions = dunning_run([invoice], [], DunningPolicy.french_default(), date(2025, 2, 21))
>>> (letter,) = dunning_letters(actions)
>>> rendered = LetterRenderer(lang="en").render(letter)
>>> rendered.media_type, rendered.filename
('text/plain; charset=utf-8', 'dunning-552081317-1.txt')
>>> [line for line in rendered.content.decode().splitlines() if line.startswith("Subject")]
['Subject: Payment reminder']

.. versionadded:: 0.1
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from datetime import date
from typing import Literal

import attrs
from babel.numbers import format_currency
from moneyed import Money

from facturlib.core.errors import RenderError
from facturlib.core.parties import Party
from facturlib.receivables.dunning import DunningLetter
from facturlib.renderers import RenderedDocument
from facturlib.renderers._labels import CATALOGUE

__all__ = ["LETTER_TEMPLATES", "LetterRenderer", "LetterTemplate"]

Lang = Literal["fr", "en"]
_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


@attrs.frozen(kw_only=True)
class LetterTemplate:
    """The wording of one kind of letter in one language.

    Attributes:
        subject: the subject line.
        opening: the paragraph before the table of invoices.
        closing: the paragraph after the totals (deadline, consequences).

    .. versionadded:: 0.1
    """

    subject: str
    opening: str
    closing: str


#: The built-in wordings by language (``"fr"``, ``"en"``, ``"de"``) and template key.
#: `LetterRenderer` writes French and English; `facturlib.renderers.pdf.PdfRenderer`
#: uses the wording of its label language, English where a language has none.
LETTER_TEMPLATES: Mapping[str, Mapping[str, LetterTemplate]] = {
    "fr": {
        "reminder": LetterTemplate(
            subject="Relance de paiement",
            opening="Sauf erreur de notre part, les factures ci-dessous restent impayées "
            "à ce jour. Il s'agit peut-être d'un oubli : nous vous remercions de bien vouloir "
            "procéder à leur règlement.",
            closing="Si votre paiement a été effectué entre-temps, nous vous prions de ne pas "
            "tenir compte de ce courrier.",
        ),
        "second_reminder": LetterTemplate(
            subject="Deuxième relance de paiement",
            opening="Malgré notre précédente relance, les factures ci-dessous restent impayées. "
            "Conformément à l'article L441-10 du Code de commerce, des pénalités de retard "
            "et une indemnité forfaitaire pour frais de recouvrement sont exigibles.",
            closing="Nous vous remercions de régulariser cette situation sous huit jours.",
        ),
        "formal_notice": LetterTemplate(
            subject="Mise en demeure de payer",
            opening="Par la présente, nous vous mettons en demeure de régler les sommes "
            "ci-dessous, pénalités de retard et indemnité forfaitaire comprises "
            "(C. com. L441-10 ; C. civ. 1344).",
            closing="À défaut de paiement sous quinze jours à compter de la réception de la "
            "présente, nous engagerons une procédure de recouvrement judiciaire "
            "(injonction de payer) sans autre avis.",
        ),
    },
    "en": {
        "reminder": LetterTemplate(
            subject="Payment reminder",
            opening="According to our records, the invoices below are still unpaid. This may "
            "be an oversight: please arrange for their payment.",
            closing="If you have paid in the meantime, please disregard this letter.",
        ),
        "second_reminder": LetterTemplate(
            subject="Second payment reminder",
            opening="Despite our previous reminder, the invoices below remain unpaid. Under "
            "article L441-10 of the French Commercial Code, late-payment interest and a "
            "fixed recovery compensation are due.",
            closing="Please settle these amounts within eight days.",
        ),
        "formal_notice": LetterTemplate(
            subject="Formal notice to pay",
            opening="We hereby give you formal notice to pay the amounts below, including "
            "late-payment interest and the fixed recovery compensation.",
            closing="Failing payment within fifteen days of receipt of this notice, we will "
            "start court proceedings (order for payment) without further notice.",
        ),
    },
    "de": {
        "reminder": LetterTemplate(
            subject="Zahlungserinnerung",
            opening="Nach unseren Unterlagen sind die unten aufgeführten Rechnungen noch "
            "offen. Vielleicht haben Sie die Zahlung übersehen: Wir bitten Sie, sie zu "
            "begleichen.",
            closing="Sollten Sie die Zahlung inzwischen veranlasst haben, betrachten Sie "
            "dieses Schreiben bitte als gegenstandslos.",
        ),
        "second_reminder": LetterTemplate(
            subject="Zweite Mahnung",
            opening="Trotz unserer Zahlungserinnerung sind die unten aufgeführten Rechnungen "
            "weiterhin offen. Nach Art. L441-10 des französischen Handelsgesetzbuchs "
            "(Code de commerce) sind Verzugszinsen und eine Pauschale für Beitreibungskosten "
            "fällig.",
            closing="Wir bitten Sie, diese Beträge innerhalb von acht Tagen zu begleichen.",
        ),
        "formal_notice": LetterTemplate(
            subject="Förmliche Zahlungsaufforderung",
            opening="Hiermit fordern wir Sie förmlich auf, die unten aufgeführten Beträge "
            "einschließlich Verzugszinsen und Beitreibungspauschale zu zahlen "
            "(frz. Handelsgesetzbuch Art. L441-10; frz. Zivilgesetzbuch Art. 1344).",
            closing="Erfolgt die Zahlung nicht innerhalb von fünfzehn Tagen nach Erhalt "
            "dieses Schreibens, leiten wir ohne weitere Ankündigung ein gerichtliches "
            "Mahnverfahren ein.",
        ),
    },
}


class LetterRenderer:
    """Render a `DunningLetter` as UTF-8 text.

    Args:
        lang: ``"fr"`` or ``"en"``.
        templates: wordings by template key, added to (or replacing) the built-in
            `LETTER_TEMPLATES` of *lang*.

    Raises:
        RenderError: an unsupported language, or (at render) a template key with no wording.

    .. versionadded:: 0.1
    """

    def __init__(self, lang: Lang = "fr", templates: Mapping[str, LetterTemplate] | None = None):
        if lang not in _LOCALES:
            raise RenderError(
                "unsupported letter language", field="lang", value=lang, hint='use "fr" or "en"'
            )
        self.lang = lang
        self.templates = {**LETTER_TEMPLATES[lang], **(templates or {})}

    def render(self, document: DunningLetter, /) -> RenderedDocument:
        """The letter as ``text/plain`` UTF-8 bytes."""
        if not isinstance(document, DunningLetter):
            raise RenderError(
                f"a LetterRenderer renders DunningLetter values, not {type(document).__name__}",
                field="document",
                value=type(document).__name__,
                hint="build letters with facturlib.receivables.dunning.dunning_letters(actions)",
            )
        template = _template_of(document, self.templates, "LetterRenderer")
        text = "\n".join(self._lines(document, template)) + "\n"
        name = f"dunning-{document.customer.key}-{document.level}.txt".replace("/", "-")
        return RenderedDocument(
            content=text.encode("utf-8"), media_type="text/plain; charset=utf-8", filename=name
        )

    def _money(self, amount: Money) -> str:
        return format_currency(amount.amount, amount.currency.code, locale=_LOCALES[self.lang])

    def _date(self, day: date) -> str:
        return f"{day:%d/%m/%Y}" if self.lang == "fr" else day.isoformat()

    def _lines(self, letter: DunningLetter, template: LetterTemplate) -> list[str]:
        labels = CATALOGUE[self.lang]
        lines = [*_address(letter.seller), ""]
        lines += ["    " + line for line in _address(letter.customer)]
        city = letter.seller.address.city or ""
        lines += [
            "",
            labels["letter.dated"].format(city=city, date=self._date(letter.date)).lstrip(", "),
            "",
            labels["letter.subject"].format(subject=template.subject),
            "",
            labels["letter.salutation"],
            "",
            *textwrap.wrap(template.opening, 78),
            "",
        ]
        header = tuple(labels[f"letter.col.{key}"] for key in _LETTER_COLUMNS)
        rows = [
            (
                item.invoice_number,
                self._date(item.issue_date),
                self._date(item.due_date),
                labels["letter.days"].format(n=item.days_overdue),
                self._money(item.amount_due),
                self._money(item.interest),
            )
            for item in letter.items
        ]
        widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
        for row in (header, *rows):
            cells = [
                cell.rjust(widths[i]) if i >= 3 else cell.ljust(widths[i])
                for i, cell in enumerate(row)
            ]
            lines.append("  ".join(cells).rstrip())
        lines.append("")
        totals = [
            (labels[key].format(date=self._date(letter.date)), amount)
            for key, amount in _letter_totals(letter)
        ]
        width = max(len(label) for label, _ in totals)
        shown = [self._money(amount) for _, amount in totals]
        figures = max(len(text) for text in shown)
        for (label, _), text in zip(totals, shown, strict=True):
            lines.append(f"{label.ljust(width)}  {text.rjust(figures)}")
        lines += ["", *textwrap.wrap(template.closing, 78)]
        if letter.seller.iban:
            lines += ["", labels["letter.iban"].format(iban=letter.seller.iban)]
        lines += ["", labels["letter.regards"], "", letter.seller.name]
        return lines


def _template_of(
    letter: DunningLetter, templates: Mapping[str, LetterTemplate], renderer: str
) -> LetterTemplate:
    """The wording of *letter*'s level (its step's ``template`` key), or `RenderError`."""
    template = templates.get(letter.step.template)
    if template is None:
        raise RenderError(
            "no wording for this letter template",
            field="template",
            value=letter.step.template,
            hint=f"pass templates={{key: LetterTemplate(...)}} to {renderer}",
        )
    return template


#: The columns of a letter's table of invoices (label keys ``letter.col.<key>``).
_LETTER_COLUMNS = ("invoice", "issue_date", "due_date", "days", "amount_due", "interest")


def _letter_totals(letter: DunningLetter) -> list[tuple[str, Money]]:
    """The figures under a letter's table, as (label key, amount), the total last.

    Every amount is the letter's own; the interest line is left out when nothing
    is charged, the indemnity and fee lines when the letter has none. Shared by
    the text and PDF renderers so both print the same lines.
    """
    rows = [("letter.amount_due", letter.amount_due)]
    if letter.interest.amount:
        rows.append(("letter.interest", letter.interest))
    if letter.indemnities is not None:
        rows.append(("letter.indemnity", letter.indemnities))
    if letter.fee is not None:
        rows.append(("letter.fee", letter.fee))
    rows.append(("letter.total", letter.total))
    return rows


def _address(party: Party) -> list[str]:
    address = party.address
    city = " ".join(p for p in (address.postal_code, address.city) if p)
    return [party.name, *(p for p in (address.line1, city) if p)]
