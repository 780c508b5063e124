"""A content-addressed store of uploaded files: ``sha256:<hex>`` refs, files at ``root/ab/<hex>``.

The same bytes always get the same ref and are written once; the first upload's name and type are the
ones kept. A file's type is read from its first bytes, never trusted from the upload: it must be one of
the allowed types and agree with the declared type, so a program renamed to ``.pdf`` is refused.

Each file is written to a temporary name in its folder and renamed into place, metadata first and
content last: a ref whose content file exists always has its metadata, and a crash leaves at most a
stray temporary file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from engine.errors import InvalidInput, NezaratError, NotFound
from engine.persian import to_persian_digits

REF = re.compile(r"sha256:([0-9a-f]{64})")
DEFAULT_TYPES = ("application/pdf", "image/png", "image/jpeg")
# Magic numbers of what clerks upload, and of what must never pass as a document.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"PK\x03\x04", "application/zip"),
    (b"MZ", "application/x-msdownload"),
    (b"\x7fELF", "application/x-executable"),
)
ALIASES = {"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg", "application/x-pdf": "application/pdf"}
MAX_FILENAME = 200


@dataclass(frozen=True)
class AttachmentInfo:
    """What is known about a stored file besides its bytes."""

    ref: str
    filename: str
    content_type: str
    size: int


def sniff(data: bytes) -> str | None:
    """The content type that ``data``'s first bytes show, or None if they show none we know."""
    return next((kind for magic, kind in SIGNATURES if data.startswith(magic)), None)


class AttachmentStore:
    """Uploaded files under ``root``, addressed by the sha256 of their content."""

    def __init__(
        self,
        root: Path,
        *,
        max_bytes: int = 10 * 1024 * 1024,
        allowed_types: Iterable[str] = DEFAULT_TYPES,
    ) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes
        self.allowed_types = tuple(allowed_types)

    def put(self, data: bytes, *, filename: str, content_type: str) -> str:
        """Store ``data`` and return its ref; raises InvalidInput (in Persian) if it is refused."""
        if not isinstance(data, (bytes, bytearray)):
            raise InvalidInput("محتوای پرونده خوانده نشد.", hint="data must be bytes")
        kind = self._accepted_type(bytes(data), content_type)
        digest = hashlib.sha256(data).hexdigest()
        content = self._path(digest)
        if not content.exists():
            content.parent.mkdir(parents=True, exist_ok=True)
            meta = {"filename": clean_filename(filename), "content_type": kind, "size": len(data)}
            _write_atomically(content.with_suffix(".json"), json.dumps(meta, ensure_ascii=False).encode())
            _write_atomically(content, bytes(data))
        return f"sha256:{digest}"

    def _accepted_type(self, data: bytes, declared: str) -> str:
        if not data:
            raise InvalidInput("پرونده خالی است.")
        if len(data) > self.max_bytes:
            raise InvalidInput(
                f"حجم پرونده ({_size_fa(len(data))}) بیش از حد مجاز ({_size_fa(self.max_bytes)}) است.",
                hint=f"at most {self.max_bytes} bytes",
            )
        kind = sniff(data)
        if kind not in self.allowed_types:
            allowed = "، ".join(self.allowed_types)
            raise InvalidInput(
                f"این نوع پرونده پذیرفته نیست؛ نوع‌های مجاز: {allowed}.", hint=f"content looks like {kind}"
            )
        if _normal_type(declared) != kind:
            raise InvalidInput(
                f"نوع اعلام‌شده‌ی پرونده ({declared}) با محتوای آن ({kind}) یکی نیست.",
                hint="the declared content type does not match the file's content",
            )
        return kind

    def get(self, ref: str) -> bytes:
        """The bytes of ``ref``; NotFound if there are none, an error if they no longer match the ref."""
        digest = _digest(ref)
        try:
            data = self._path(digest).read_bytes()
        except FileNotFoundError:
            raise NotFound(f"پیوست {ref} پیدا نشد.") from None
        if hashlib.sha256(data).hexdigest() != digest:
            raise NezaratError(f"پیوست {ref} آسیب دیده است.", hint="stored content does not match its hash")
        return data

    def info(self, ref: str) -> AttachmentInfo:
        """Name, type and size of ``ref`` as first uploaded."""
        digest = _digest(ref)
        if not self._path(digest).exists():
            raise NotFound(f"پیوست {ref} پیدا نشد.")
        meta = json.loads(self._path(digest).with_suffix(".json").read_text(encoding="utf-8"))
        return AttachmentInfo(ref, str(meta["filename"]), str(meta["content_type"]), int(meta["size"]))

    def exists(self, ref: str) -> bool:
        """True if ``ref`` is a well-formed ref of a stored file (a malformed one is simply not there)."""
        match = REF.fullmatch(ref) if isinstance(ref, str) else None
        return match is not None and self._path(match.group(1)).is_file()

    def _path(self, digest: str) -> Path:
        return self.root / digest[:2] / digest


class Overlay(AttachmentStore):
    """New files go under ``root``; files are read from there or else from ``below``, which is never
    written: a replay re-runs steps that produce documents without touching the live store."""

    def __init__(self, root: Path, below: AttachmentStore) -> None:
        super().__init__(root, max_bytes=below.max_bytes, allowed_types=below.allowed_types)
        self.below = below

    def get(self, ref: str) -> bytes:
        return super().get(ref) if super().exists(ref) else self.below.get(ref)

    def info(self, ref: str) -> AttachmentInfo:
        return super().info(ref) if super().exists(ref) else self.below.info(ref)

    def exists(self, ref: str) -> bool:
        return super().exists(ref) or self.below.exists(ref)


def _digest(ref: str) -> str:
    match = REF.fullmatch(ref) if isinstance(ref, str) else None
    if match is None:
        raise InvalidInput("نشانی پیوست درست نیست.", hint="an attachment ref is 'sha256:' and 64 hex digits")
    return match.group(1)


def _normal_type(content_type: str) -> str:
    base = str(content_type).split(";")[0].strip().lower()
    return ALIASES.get(base, base)


def clean_filename(filename: str) -> str:
    """A file name fit for display: no folders, no control characters, not too long."""
    name = re.split(r"[\\/]", str(filename))[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:MAX_FILENAME] or "attachment"


def _size_fa(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{to_persian_digits(f'{size / (1024 * 1024):.1f}').replace('.', '٫')} مگابایت"
    return f"{to_persian_digits(str(max(1, size // 1024)))} کیلوبایت"


def _write_atomically(target: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
