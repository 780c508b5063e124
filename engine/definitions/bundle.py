"""A process bundle on disk: ``process.bpmn`` (or any one .bpmn), ``forms/*.json``, companion ``*.dmn``.

``read(path)`` accepts a bundle folder, a single .bpmn file (its folder's ``forms/`` and .dmn files are
the bundle), and ``discover(path)`` also walks a folder of bundles.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from engine.errors import DefinitionError, NotFound

MAX_FORM_BYTES = 512 * 1024
MAX_DMN_BYTES = 2 * 1024 * 1024


@dataclasses.dataclass(frozen=True)
class Bundle:
    source_name: str
    bpmn: bytes
    forms: dict[str, Any] | None  # None: no forms/ folder (a lone third-party diagram)
    dmn: tuple[bytes, ...] = ()


def discover(path: Path) -> list[Path]:
    """The .bpmn files to deploy under ``path``: itself, a bundle's process file, or every bundle below."""
    if not path.exists():
        raise NotFound(f"{path} does not exist")
    if path.is_file():
        return [path]
    own = _bpmn_in(path)
    if own is not None:
        return [own]
    found = [p for child in sorted(path.iterdir()) if child.is_dir() for p in discover(child)]
    if not found:
        raise NotFound(f"{path} holds no .bpmn file and no bundle folder")
    return found


def read(bpmn_path: Path, *, max_bytes: int, source_name: str | None = None) -> Bundle:
    folder = bpmn_path.parent
    return Bundle(
        source_name=source_name or str(bpmn_path),
        bpmn=_read_capped(bpmn_path, max_bytes),
        forms=_forms(folder / "forms"),
        dmn=tuple(_read_capped(p, MAX_DMN_BYTES) for p in sorted(folder.glob("*.dmn"))),
    )


def _bpmn_in(folder: Path) -> Path | None:
    if (folder / "process.bpmn").is_file():
        return folder / "process.bpmn"
    files = sorted(folder.glob("*.bpmn"))
    return files[0] if len(files) == 1 else None


def _read_capped(path: Path, max_bytes: int) -> bytes:
    # Read one byte past the limit so an oversized file is refused without reading it whole.
    with path.open("rb") as f:
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise DefinitionError(
            f"NZ003 {path.name} is larger than {max_bytes / 1024 / 1024:.1f} MB; the limit is "
            f"{max_bytes / 1024 / 1024:.1f} MB",
            file=str(path),
        )
    return data


def _forms(folder: Path) -> dict[str, Any] | None:
    if not folder.is_dir():
        return None
    forms: dict[str, Any] = {}
    for path in sorted(folder.glob("*.json")):
        try:
            forms[path.name] = json.loads(_read_capped(path, MAX_FORM_BYTES))
        except (ValueError, UnicodeDecodeError) as err:
            raise DefinitionError(
                f"NZ020 form {path.name} is not valid JSON: {err}", file=str(path)
            ) from None
    return forms
