"""The budget album the budget process stores is sealed by the server: PAdES B-LT with the visible Persian
stamp on its last page, valid for pyHanko and for Debian's pdfsig (trust root in an NSS db).

The handler runs with the services ``handlers.wiring`` gives every platform, over the demo PKI that
``init-db --demo`` issues. The clock is the machine's: pdfsig judges certificates against the real time.
The stamp is rendered into tests/artifacts/ (``budget_album_seal_*.png``) to be looked at.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from engine import service_tasks
from engine.clock import FixedClock, SystemClock
from engine.replay_compare import sealed_as_recorded
from engine.settings import from_env
from handlers import signing, wiring
from signatures import pdf as pades
from signatures import trust
from signatures.demo import SEAL_TITLE, SEAL_USER, issue_demo_credentials
from tests.handlers.documents_support import album_budget, compact, handler_context, ink, load_png, pdf_text
from tests.signatures.signing_support import pdfsig
from tests.support.tools import require

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
DPI = 250


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("site")
    clock = FixedClock(SystemClock().now().replace(microsecond=0))
    issue_demo_credentials([], folder / "pki", clock)
    settings = from_env({}, data_dir=str(folder))
    services = wiring.services(settings, clock)
    data = {"budget": album_budget(), "unit_title": "شهرداری الف", "fiscal_year": 1405, "unit": "muni-a"}
    ctx = handler_context("documents.budget_album", data, services=services, clock=clock)
    ref = service_tasks.lookup("documents.budget_album")(ctx)["album"]
    store = services["attachments"]
    return {"pdf": store.get(ref), "settings": settings, "clock": clock, "folder": folder}


def test_the_stored_album_carries_the_servers_seal_and_validates_with_pyhanko(sealed: dict[str, Any]) -> None:
    roots = trust.load_trust(sealed["settings"].trust_dir)

    (verdict,) = pades.verify_pdf(sealed["pdf"], trust=roots, clock=sealed["clock"], document="album")

    assert verdict.ok, verdict.summary()
    assert verdict.signer_user == SEAL_USER and verdict.field == signing.SEAL_FIELD
    assert b"/ETSI.CAdES.detached" in sealed["pdf"] and b"/DSS" in sealed["pdf"]  # PAdES, with B-LT's store


def test_pdfsig_finds_the_seal_valid_and_trusted(sealed: dict[str, Any], tmp_path: Path) -> None:
    require("certutil", "libnss3-tools")
    root = tmp_path / "root.pem"
    shutil.copyfile(sealed["settings"].trust_dir / "root.pem", root)
    subprocess.run(["certutil", "-N", "-d", f"sql:{tmp_path}", "--empty-password"], check=True)
    add = ["certutil", "-A", "-d", f"sql:{tmp_path}", "-n", "Nezarat demo root", "-t", "CT,C,C"]
    subprocess.run([*add, "-i", str(root)], check=True)
    album = tmp_path / "album.pdf"
    album.write_bytes(sealed["pdf"])

    report = pdfsig(tmp_path, album)

    assert "Signature is Valid." in report and "Certificate is Trusted." in report, report
    assert f"Common Name: {SEAL_TITLE}" in report and "ETSI.CAdES.detached" in report, report
    # "Not total document signed" is B-LT's doing: the validation data is appended after the signature


def test_a_changed_byte_breaks_the_seal(sealed: dict[str, Any]) -> None:
    pdf = sealed["pdf"]
    at = pdf.index(b"/Producer") if b"/Producer" in pdf else len(pdf) // 3
    tampered = pdf[:at] + bytes([pdf[at] ^ 1]) + pdf[at + 1 :]
    roots = trust.load_trust(sealed["settings"].trust_dir)

    (verdict,) = pades.verify_pdf(tampered, trust=roots, clock=sealed["clock"], document="album")

    assert not verdict.ok and "altered" in {r.code for r in verdict.reasons}


def test_the_stamp_is_drawn_in_persian_on_the_last_page(sealed: dict[str, Any], tmp_path: Path) -> None:
    last = pdf_text(sealed["pdf"], tmp_path, page=5)
    for phrase in ("امضای دیجیتال", f"امضاکننده: {SEAL_TITLE}", "سمت: مهر سامانه", "آلبوم بودجهٔ سال ۱۴۰۵"):
        assert compact(phrase) in compact(last), last
    stamp, page = _render(sealed["pdf"], tmp_path)
    assert len(ink(load_png(stamp))) > 2000  # the stamp's frame and text are drawn
    assert page.stat().st_size > 5000


def _render(pdf: bytes, tmp_path: Path) -> tuple[Path, Path]:
    """The stamp at 250 dpi and the whole last page at 60 dpi, as PNGs in tests/artifacts/."""
    tool = require("pdftoppm", "poppler-utils")
    source = tmp_path / "album.pdf"
    source.write_bytes(pdf)
    left, bottom, right, top = signing.SEAL_BOX
    scale, pad = DPI / 72, 8
    crop = [
        *("-x", str(int(left * scale) - pad), "-y", str(int((842 - top) * scale) - pad)),
        *("-W", str(int((right - left) * scale) + 2 * pad), "-H", str(int((top - bottom) * scale) + 2 * pad)),
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    stamp, page = ARTIFACTS / "budget_album_seal_stamp", ARTIFACTS / "budget_album_seal_page"
    common = [tool, "-png", "-singlefile", "-f", "5", "-l", "5"]
    subprocess.run([*common, "-r", str(DPI), *crop, str(source), str(stamp)], check=True)
    subprocess.run([*common, "-r", "60", str(source), str(page)], check=True)
    return stamp.with_suffix(".png"), page.with_suffix(".png")


def test_a_replay_renders_the_album_again_unsealed_and_knows_the_sealed_one_for_it(
    sealed: dict[str, Any],
) -> None:
    """Replay's services do not seal (a seal's time and timestamp token are never made again); the sealed
    album recorded in the history is the rendered one plus the seal's incremental update."""
    settings, clock = sealed["settings"], sealed["clock"]
    store = wiring.services(settings, clock)["attachments"]
    recorded_ref = store.put(sealed["pdf"], filename="album.pdf", content_type="application/pdf")
    replay = wiring.replay_services(settings)(sealed["folder"] / "replay", clock)
    assert replay["pdf_seal"] is None
    data = {"budget": album_budget(), "unit_title": "شهرداری الف", "fiscal_year": 1405, "unit": "muni-a"}
    ctx = handler_context("documents.budget_album", data, services=replay, clock=clock)
    rendered_ref = service_tasks.lookup("documents.budget_album")(ctx)["album"]
    assert rendered_ref != recorded_ref

    def event(ref: str) -> Any:
        return SimpleNamespace(seq=9, at=None, actor=None, kind="service_completed", element_id="album",
                               task_id="t", data={"delta": {"set": {"album": ref}}})  # fmt: skip

    seen = sealed_as_recorded(event(recorded_ref), event(rendered_ref), replay["attachments"])
    assert seen.data == {"delta": {"set": {"album": recorded_ref}}}
    other = replay["attachments"].put(
        b"%PDF-1.4 another album", filename="other.pdf", content_type="application/pdf"
    )
    kept = sealed_as_recorded(event(recorded_ref), event(other), replay["attachments"])
    assert kept.data == {"delta": {"set": {"album": other}}}  # not a prefix: the replay's own, a divergence
