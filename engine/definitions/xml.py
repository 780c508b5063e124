"""The one place that parses BPMN and DMN XML, with a parser that cannot be turned against the server.

Uploaded diagrams are hostile input: no DOCTYPE (so no external or expanding entities), no network, a size
limit checked before a single byte is parsed, and a root that must be BPMN or DMN definitions. Every refusal
is a ``DefinitionError`` whose message starts with its NZ code.
"""

from __future__ import annotations

import io
import os
from typing import BinaryIO, NoReturn

from lxml import etree

from engine.definitions.diagnostics import Diagnostic
from engine.errors import DefinitionError

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMN_DEFINITIONS = f"{{{BPMN_NS}}}definitions"
DMN_NAMESPACES = (
    "https://www.omg.org/spec/DMN/20191111/MODEL/",
    "http://www.omg.org/spec/DMN/20180521/MODEL/",
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd",
)
DMN_DEFINITIONS = frozenset(f"{{{ns}}}definitions" for ns in DMN_NAMESPACES)
MAX_BYTES = 5 * 1024 * 1024

# Documentation table for the codes this module raises (checks.CHECKS documents the lint rules).
CODES = {
    "NZ001": ("error", "the file is not well-formed XML"),
    "NZ002": ("error", "the file has a DOCTYPE or entity declaration"),
    "NZ003": ("error", "the file is larger than the size limit"),
    "NZ004": ("error", "the root element is not BPMN or DMN definitions"),
}

_DOCTYPE_MESSAGE = "DOCTYPE declarations are not allowed (they enable external and expanding entities)"
_DOCTYPE_HINT = "remove the <!DOCTYPE ...> block; BPMN files never need one"
# Prolog items a scan must skip before it reaches the root element or a declaration.
_PROLOG_SKIPS = ((b"<?", b"?>"), (b"<!--", b"-->"))


def load(data: bytes, *, filename: str, max_bytes: int = MAX_BYTES) -> etree._ElementTree:
    """Parse ``data`` as a BPMN or DMN document or raise ``DefinitionError`` (NZ001-NZ004)."""
    if len(data) > max_bytes:
        _refuse("NZ003", f"file is {_size(len(data))}; the limit is {_size(max_bytes)}", filename)
    if _declares_doctype(data):
        _refuse("NZ002", _DOCTYPE_MESSAGE, filename, hint=_DOCTYPE_HINT)
    tree = _parse(data, filename)
    # Second line of defence: an encoding the byte scan cannot read must still not slip a DTD through.
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        _refuse("NZ002", _DOCTYPE_MESSAGE, filename, hint=_DOCTYPE_HINT)
    _check_root(tree.getroot(), filename)
    return tree


def load_path(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> etree._ElementTree:
    """Read and ``load`` the file at ``path``; never reads more than ``max_bytes + 1`` bytes of it."""
    with open(path, "rb") as stream:
        return load_stream(stream, filename=os.fspath(path), max_bytes=max_bytes)


def load_stream(stream: BinaryIO, *, filename: str, max_bytes: int = MAX_BYTES) -> etree._ElementTree:
    """Read at most ``max_bytes + 1`` bytes from ``stream`` and ``load`` them."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        size = _stream_size(stream)
        told = f"file is {_size(size)}" if size > max_bytes else f"file is larger than {_size(max_bytes)}"
        _refuse("NZ003", f"{told}; the limit is {_size(max_bytes)}", filename)
    return load(data, filename=filename, max_bytes=max_bytes)


def _parser() -> etree.XMLParser:
    # A fresh parser per call: lxml parsers must not be shared between threads.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def _parse(data: bytes, filename: str) -> etree._ElementTree:
    try:
        return etree.parse(io.BytesIO(data), _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        reason = exc.msg or "the document is empty"
        _refuse("NZ001", f"the file is not well-formed XML: {reason}", filename, line=line)


def _declares_doctype(data: bytes) -> bool:
    """Scan the prolog (everything before the root element) for a ``<!DOCTYPE``/``<!ENTITY``.

    Only the prolog: a DTD can appear nowhere else, and a script in CDATA may well contain the text
    ``<!DOCTYPE html>``. UTF-16/32 files are scanned with their NUL bytes dropped.
    """
    head = data.replace(b"\x00", b"") if b"\x00" in data[:4] else data
    pos = 0
    while True:
        pos = _skip_space(head, pos)
        skip = next((end for start, end in _PROLOG_SKIPS if head.startswith(start, pos)), None)
        if skip is None:
            return head.startswith((b"<!DOCTYPE", b"<!ENTITY"), pos)
        close = head.find(skip, pos)
        if close < 0:
            return False  # unterminated prolog item: lxml reports it as not well-formed
        pos = close + len(skip)


def _skip_space(data: bytes, pos: int) -> int:
    while pos < len(data) and data[pos : pos + 1] in (b" ", b"\t", b"\r", b"\n"):
        pos += 1
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if data.startswith(bom, pos):
            return _skip_space(data, pos + len(bom))
    return pos


def _check_root(root: etree._Element, filename: str) -> None:
    if root.tag == BPMN_DEFINITIONS or root.tag in DMN_DEFINITIONS:
        return
    _refuse(
        "NZ004",
        f"root element is {root.tag}, not BPMN definitions",
        filename,
        line=root.sourceline,
        hint=f'a BPMN file starts with <bpmn:definitions xmlns:bpmn="{BPMN_NS}">',
    )


def _refuse(
    code: str, message: str, filename: str, *, line: int | None = None, hint: str | None = None
) -> NoReturn:
    diagnostic = Diagnostic(code, "error", message, hint=hint, file=filename, line=line)
    raise DefinitionError(
        f"{code} {message}", hint=hint, file=filename, line=line, details=[diagnostic.to_dict()]
    )


def _stream_size(stream: BinaryIO) -> int:
    try:
        return os.fstat(stream.fileno()).st_size
    except (AttributeError, OSError, io.UnsupportedOperation):
        return -1


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"
