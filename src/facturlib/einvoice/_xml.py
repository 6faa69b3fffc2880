"""Parsing XML from strangers: no DTD, no entities, no network, bounded size, depth and count.

A received e-invoice is hostile input. `parse_untrusted` reads it with an lxml
parser that resolves no entity, loads no DTD, never touches the network or the
file system and keeps libxml2's own limits (``huge_tree=False``); on top of that it

* refuses a document type declaration outright (billion laughs, external entities
  and DTD tricks all need one; no e-invoice syntax uses one);
* accepts only UTF-8 (Factur-X 1.0 and EN 16931-3-2/3-3 syntaxes are UTF-8) and
  says where the first byte that is not UTF-8 is;
* stops as soon as the input exceeds `ReadLimits.max_bytes`, the tree
  `ReadLimits.max_depth` levels or `ReadLimits.max_elements` elements, while
  parsing (iterparse), so a hostile file costs at most that much memory.

>>> root = parse_untrusted(b"<a><b>1</b></a>")
>>> root.tag, root[0].text
('a', '1')
>>> parse_untrusted(b'<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')
Traceback (most recent call last):
...
facturlib.core.errors.EInvoiceReadError: the XML has a document type declaration (DOCTYPE) ...
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

import attrs

from facturlib.core.errors import EInvoiceReadError

if TYPE_CHECKING:  # lxml is imported on first use, so that ``import facturlib`` stays light
    from lxml import etree

__all__ = ["ReadLimits", "parse_untrusted"]

_MIB = 1024 * 1024


def _positive_int(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise EInvoiceReadError(
            "a read limit is a positive int",
            field=attribute.name,
            value=value,
            hint=f"e.g. ReadLimits({attribute.name}={attribute.default!r})",
        )


@attrs.frozen(kw_only=True)
class ReadLimits:
    """The bounds put on a received e-invoice before and while it is read.

    Attributes:
        max_bytes: the largest file accepted (a PDF, or a bare XML), default 20 MiB.
        max_xml_bytes: the largest XML accepted, also the most bytes an embedded
            ``factur-x.xml`` may decompress to, default 10 MiB.
        max_elements: the most XML elements, default 200 000 (a 5 000-line invoice
            has about 150 000).
        max_depth: the deepest element nesting, default 40 (CII and UBL need about 12).
        max_pdf_objects: the most objects a PDF may have, default 100 000.

    >>> ReadLimits().max_bytes
    20971520
    >>> ReadLimits(max_depth=0)
    Traceback (most recent call last):
    ...
    facturlib.core.errors.EInvoiceReadError: a read limit is a positive int (max_depth=0); ...

    .. versionadded:: 0.2
    """

    max_bytes: int = attrs.field(default=20 * _MIB, validator=_positive_int)
    max_xml_bytes: int = attrs.field(default=10 * _MIB, validator=_positive_int)
    max_elements: int = attrs.field(default=200_000, validator=_positive_int)
    max_depth: int = attrs.field(default=40, validator=_positive_int)
    max_pdf_objects: int = attrs.field(default=100_000, validator=_positive_int)


DEFAULT_LIMITS = ReadLimits()

_DECLARATION = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_UTF8_NAMES = frozenset({"utf-8", "utf8"})


def _check_encoding(data: bytes) -> bytes:
    """*data* without a UTF-8 byte order mark, or an error saying why it is not UTF-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4] in (
        b"\x00\x00\xfe\xff",
        b"\xff\xfe\x00\x00",
    ):
        raise EInvoiceReadError(
            "the XML is encoded in UTF-16 or UTF-32",
            field="encoding",
            hint="e-invoices are UTF-8 (EN 16931-3-2/3-3, Factur-X 1.0); ask the sender to "
            "re-export the file in UTF-8",
        )
    declared = _DECLARATION.match(data[:200])
    if declared is not None and declared.group(1).decode("ascii").lower() not in _UTF8_NAMES:
        raise EInvoiceReadError(
            "the XML declares an encoding other than UTF-8",
            field="encoding",
            value=declared.group(1).decode("ascii"),
            hint="e-invoices are UTF-8 (EN 16931-3-2/3-3, Factur-X 1.0); ask the sender to "
            "re-export the file in UTF-8",
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EInvoiceReadError(
            f"the XML is not valid UTF-8 at byte {exc.start}",
            field="encoding",
            value=data[max(exc.start - 10, 0) : exc.start + 10],
            hint="e-invoices are UTF-8 (EN 16931-3-2/3-3, Factur-X 1.0); the file is damaged "
            "or was saved in another encoding",
        ) from None
    return data


def parse_untrusted(data: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> etree._Element:
    """Parse *data* safely and return its root element.

    Args:
        data: the XML bytes, from anyone.
        limits: the bounds (`ReadLimits`).

    Returns:
        The root element; processing instructions and comments are dropped.

    Raises:
        EInvoiceReadError: the input is not bytes, too large, not UTF-8, has a DOCTYPE,
            an entity reference, too many elements or too deep a tree, or is not
            well-formed XML.

    .. versionadded:: 0.2
    """
    from lxml import etree

    if not isinstance(data, bytes | bytearray | memoryview):
        raise EInvoiceReadError(
            f"expected bytes, got {type(data).__name__}",
            field="data",
            hint="read the file in binary mode: Path(...).read_bytes()",
        )
    data = bytes(data)
    if len(data) > limits.max_xml_bytes:
        raise EInvoiceReadError(
            f"the XML is {len(data)} bytes, more than the limit of {limits.max_xml_bytes}",
            field="data",
            hint="raise ReadLimits(max_xml_bytes=...) if such a large invoice is expected",
        )
    if not data.strip():
        raise EInvoiceReadError("the file is empty", field="data", hint="pass the e-invoice file")
    data = _check_encoding(data)
    events = etree.iterparse(
        io.BytesIO(data),
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
        remove_comments=True,
    )
    depth = 0
    count = 0
    root: etree._Element | None = None
    try:
        for event, element in events:
            if event == "end":
                depth -= 1
                continue
            if root is None:
                root = element
                docinfo = element.getroottree().docinfo
                if docinfo.doctype or docinfo.internalDTD is not None:
                    raise _doctype_error()
            depth += 1
            count += 1
            if depth > limits.max_depth:
                raise EInvoiceReadError(
                    f"the XML nests elements more than {limits.max_depth} deep",
                    field="data",
                    hint="CII and UBL invoices nest about 12 deep; this file is not an "
                    "e-invoice, or raise ReadLimits(max_depth=...)",
                )
            if count > limits.max_elements:
                raise EInvoiceReadError(
                    f"the XML has more than {limits.max_elements} elements",
                    field="data",
                    hint="raise ReadLimits(max_elements=...) if such a large invoice is expected",
                )
    except etree.XMLSyntaxError as exc:
        message = str(exc.msg if hasattr(exc, "msg") else exc)
        if "DOCTYPE" in message or "Entity" in message or "entity" in message:
            raise _doctype_error() from None
        raise EInvoiceReadError(
            f"the file is not well-formed XML: {message}",
            field="data",
            hint="the file is damaged, truncated or not XML; ask the sender for it again",
        ) from None
    if root is None:  # pragma: no cover - lxml raises on a document without an element
        raise EInvoiceReadError("the XML has no root element", field="data")
    for _ in root.iter(etree.Entity):
        raise _doctype_error()
    return root


def _doctype_error() -> EInvoiceReadError:
    return EInvoiceReadError(
        "the XML has a document type declaration (DOCTYPE) or an entity reference",
        field="data",
        hint="no e-invoice syntax (CII, UBL) uses one; it is refused because it can expand "
        "entities (billion laughs) or read local files (XXE)",
    )
