"""The attachment store keeps files by content hash, sniffs their type, and refuses bad files and bad refs."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from engine.errors import InvalidInput, NezaratError, NotFound
from forms import AttachmentInfo, AttachmentStore
from forms.attachments import sniff
from tests.forms.samples import PDF, PNG

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(64)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32)


def stored_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_file_round_trips_by_its_sha256_ref(store: AttachmentStore) -> None:
    ref = store.put(PDF, filename="نامه.pdf", content_type="application/pdf")
    digest = hashlib.sha256(PDF).hexdigest()
    assert ref == f"sha256:{digest}"
    assert store.get(ref) == PDF
    assert store.exists(ref)
    assert store.info(ref) == AttachmentInfo(ref, "نامه.pdf", "application/pdf", len(PDF))
    assert stored_files(store.root) == [f"{digest[:2]}/{digest}", f"{digest[:2]}/{digest}.json"]
    meta = json.loads((store.root / digest[:2] / f"{digest}.json").read_text(encoding="utf-8"))
    assert meta == {"filename": "نامه.pdf", "content_type": "application/pdf", "size": len(PDF)}


@pytest.mark.parametrize(
    ("data", "declared"),
    [(PNG, "image/png"), (JPEG, "image/jpeg"), (JPEG, "image/jpg"), (PDF, "application/pdf; x=1")],
)
def test_each_allowed_type_is_accepted(store: AttachmentStore, data: bytes, declared: str) -> None:
    assert store.get(store.put(data, filename="f", content_type=declared)) == data


def test_the_same_bytes_get_the_same_ref_and_are_written_once(store: AttachmentStore) -> None:
    first = store.put(PDF, filename="a.pdf", content_type="application/pdf")
    written = {p: p.stat().st_mtime_ns for p in store.root.rglob("*")}
    second = store.put(PDF, filename="b.pdf", content_type="application/pdf")
    assert first == second
    assert {p: p.stat().st_mtime_ns for p in store.root.rglob("*")} == written
    assert store.info(second).filename == "a.pdf"


def test_different_bytes_get_different_refs(store: AttachmentStore) -> None:
    assert store.put(PDF, filename="a", content_type="application/pdf") != store.put(
        PDF + b"\n", filename="a", content_type="application/pdf"
    )


def test_a_file_over_the_limit_is_refused_in_persian(tmp_path: Path) -> None:
    store = AttachmentStore(tmp_path, max_bytes=len(PDF) - 1)
    with pytest.raises(InvalidInput, match="بیش از حد مجاز") as caught:
        store.put(PDF, filename="big.pdf", content_type="application/pdf")
    assert caught.value.status == 400
    assert stored_files(tmp_path) == []
    assert AttachmentStore(tmp_path, max_bytes=len(PDF)).put(
        PDF, filename="f", content_type="application/pdf"
    )


def test_a_png_declared_as_pdf_is_refused(store: AttachmentStore) -> None:
    with pytest.raises(InvalidInput, match="با محتوای آن"):
        store.put(PNG, filename="scan.pdf", content_type="application/pdf")


def test_a_program_is_refused_whatever_it_is_called(store: AttachmentStore) -> None:
    with pytest.raises(InvalidInput, match="پذیرفته نیست") as caught:
        store.put(EXE, filename="letter.pdf", content_type="application/pdf")
    assert "x-msdownload" in str(caught.value.hint)


@pytest.mark.parametrize("data", [b"", b"just some text", b"<html></html>"])
def test_empty_and_unknown_content_is_refused(store: AttachmentStore, data: bytes) -> None:
    with pytest.raises(InvalidInput):
        store.put(data, filename="x.pdf", content_type="application/pdf")


def test_allowed_types_can_be_narrowed(tmp_path: Path) -> None:
    store = AttachmentStore(tmp_path, allowed_types=["application/pdf"])
    with pytest.raises(InvalidInput):
        store.put(PNG, filename="x.png", content_type="image/png")


@pytest.mark.parametrize(
    "ref",
    [
        "sha256:../../etc/passwd",
        "sha256:" + "a" * 63,
        "sha256:" + "A" * 64,
        "sha256:" + "a" * 64 + "/../x",
        "sha256:" + "a" * 64 + "\n",
        "md5:" + "a" * 32,
        "/etc/passwd",
        "",
    ],
)
def test_malformed_refs_are_refused_and_never_reach_the_disk(store: AttachmentStore, ref: str) -> None:
    assert not store.exists(ref)
    with pytest.raises(InvalidInput, match="نشانی پیوست"):
        store.get(ref)
    with pytest.raises(InvalidInput):
        store.info(ref)


def test_a_well_formed_ref_of_no_file_is_not_found(store: AttachmentStore) -> None:
    ref = "sha256:" + "b" * 64
    assert not store.exists(ref)
    with pytest.raises(NotFound):
        store.get(ref)
    with pytest.raises(NotFound):
        store.info(ref)


def test_a_file_changed_on_disk_is_reported_not_served(store: AttachmentStore) -> None:
    ref = store.put(PDF, filename="a.pdf", content_type="application/pdf")
    digest = ref.split(":")[1]
    (store.root / digest[:2] / digest).write_bytes(PDF + b"tampered")
    with pytest.raises(NezaratError, match="آسیب"):
        store.get(ref)


def test_the_filename_is_kept_for_display_only_without_folders(store: AttachmentStore) -> None:
    ref = store.put(PDF, filename="..\\..\\secret/../نامه\x00 ۱۲.pdf", content_type="application/pdf")
    assert store.info(ref).filename == "نامه ۱۲.pdf"
    assert all(".." not in part for part in stored_files(store.root))


def test_the_type_is_sniffed_from_magic_bytes() -> None:
    assert sniff(PDF) == "application/pdf"
    assert sniff(PNG) == "image/png"
    assert sniff(JPEG) == "image/jpeg"
    assert sniff(EXE) == "application/x-msdownload"
    assert sniff(b"hello") is None
