"""PAdES B-LT signatures on generated PDFs: they verify offline with pyHanko and with Debian's pdfsig,
tampering and bad certificates are reported, and the Persian stamp is drawn (looked at as a PNG)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.dss import DocumentSecurityStore

from engine.errors import InvalidInput, ValidationError
from signatures.keystore import software_signer
from signatures.pdf import Placement, local_timestamper, sign_pdf, verify_pdf
from signatures.stamp import StampFace
from signatures.trust import TrustStore
from signatures.verdict import display_name
from tests.signatures.signing_support import Pki, pdfsig
from tests.support.tools import require

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
BOX = (330.0, 560.0, 550.0, 660.0)


def signed_by(
    pki: Pki, face: StampFace, pdf: bytes, who: str, field: str = "Signature1", box: tuple[float, ...] = BOX
) -> bytes:
    credential = getattr(pki, who)
    return sign_pdf(
        pdf,
        software_signer(credential),
        trust=pki.trust,
        timestamper=local_timestamper(pki.tsa, pki.clock),
        clock=pki.clock,
        face=face,
        placement=Placement(field=field, box=box),  # type: ignore[arg-type]
        role="کارشناس بودجهٔ استانداری",
        reason="تأیید بودجهٔ ۱۴۰۵ (PAdES)",
        document="ابلاغ بودجه",
    )


@pytest.fixture(scope="module")
def signed_letter(pki: Pki, face: StampFace, letter: bytes) -> bytes:
    return signed_by(pki, face, letter, "ali")


def test_a_signed_letter_verifies_with_pyhanko_naming_signer_and_field(
    pki: Pki, signed_letter: bytes
) -> None:
    (verdict,) = verify_pdf(signed_letter, trust=pki.trust, clock=pki.clock, document="ابلاغ بودجه")

    assert verdict.ok, verdict.summary()
    assert (verdict.signer_user, verdict.field) == ("ali", "Signature1")
    # The time judged is the timestamp token's, which the local TSA took from the clock.
    assert abs((verdict.signing_time - pki.clock.now()).total_seconds()) < 1  # type: ignore[operator]


def test_the_signature_is_b_lt_and_verifies_offline_without_a_crl_configured(
    pki: Pki, signed_letter: bytes
) -> None:
    dss = DocumentSecurityStore.read_dss(PdfFileReader(io.BytesIO(signed_letter)))
    assert len(dss.crls) == 1 and len(dss.certs) >= 2

    (verdict,) = verify_pdf(
        signed_letter, trust=TrustStore(pki.trust.roots), clock=pki.clock, document="letter"
    )

    assert verdict.ok, verdict.summary()


def test_pdfsig_finds_the_signature_valid_and_the_certificate_trusted(
    nss_db: Path, signed_letter: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "letter.pdf"
    path.write_bytes(signed_letter)

    report = pdfsig(nss_db, path)

    assert "Signature Validation: Signature is Valid." in report, report
    assert "Certificate Validation: Certificate is Trusted." in report, report
    assert "ETSI.CAdES.detached" in report


def test_one_changed_byte_is_reported_by_pyhanko_and_by_pdfsig(
    pki: Pki, nss_db: Path, signed_letter: bytes, tmp_path: Path
) -> None:
    tampered = bytearray(signed_letter)
    position = signed_letter.index(b"stream\n") + 20  # inside the first revision's first stream
    tampered[position] ^= 0x01
    path = tmp_path / "tampered.pdf"
    path.write_bytes(tampered)

    (verdict,) = verify_pdf(bytes(tampered), trust=pki.trust, clock=pki.clock, document="ابلاغ بودجه")

    assert verdict.codes == ("altered",)
    assert "ابلاغ بودجه" in verdict.reasons[0].message and "علی رضایی" in verdict.reasons[0].message
    assert "Digest Mismatch" in pdfsig(nss_db, path)


def test_a_second_signature_keeps_the_first_valid_and_each_names_its_signer(
    pki: Pki, face: StampFace, signed_letter: bytes
) -> None:
    both = signed_by(pki, face, signed_letter, "sara", field="Signature2", box=(40, 560, 260, 660))

    verdicts = verify_pdf(
        both,
        trust=pki.trust,
        clock=pki.clock,
        document="ابلاغ بودجه",
        expected_users={"Signature1": "ali", "Signature2": "ali"},
    )

    assert [v.signer_user for v in verdicts] == ["ali", "sara"]
    assert verdicts[0].ok, verdicts[0].summary()
    assert verdicts[1].codes == ("wrong_signer",)


@pytest.mark.parametrize(
    ("who", "cause"), [("reza", "Revoked"), ("expired", "expired"), ("stranger", "does not chain")]
)
def test_signing_with_a_bad_certificate_is_refused_naming_signer_and_cause(
    pki: Pki, face: StampFace, letter: bytes, who: str, cause: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        signed_by(pki, face, letter, who)

    assert "ابلاغ بودجه" in raised.value.message
    assert display_name(getattr(pki, who).certificate) in raised.value.message
    assert cause in raised.value.message


def test_signing_without_a_crl_to_embed_is_refused(pki: Pki, face: StampFace, letter: bytes) -> None:
    with pytest.raises(InvalidInput, match="B-LT needs a CRL"):
        sign_pdf(
            letter,
            software_signer(pki.ali),
            trust=TrustStore(pki.trust.roots),
            timestamper=local_timestamper(pki.tsa, pki.clock),
            clock=pki.clock,
            face=face,
        )


def test_a_pdf_that_is_not_a_pdf_is_invalid_input(pki: Pki) -> None:
    with pytest.raises(InvalidInput, match="not a readable PDF"):
        verify_pdf(b"%PDF-1.4 nothing else", trust=pki.trust, clock=pki.clock, document="x")


def test_the_persian_stamp_renders_to_a_png_artifact(signed_letter: bytes, tmp_path: Path) -> None:
    require("pdftoppm", "poppler-utils")
    path = tmp_path / "letter.pdf"
    path.write_bytes(signed_letter)
    dpi = 200
    x1, _, x2, y2 = BOX
    page_height = 842.0  # reportlab's default A4 page
    crop = [
        "-x", str(int(x1 * dpi / 72) - 10), "-y", str(int((page_height - y2) * dpi / 72) - 10),
        "-W", str(int((x2 - x1) * dpi / 72) + 20), "-H", str(int((BOX[3] - BOX[1]) * dpi / 72) + 20),
    ]  # fmt: skip
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "signature_stamp"
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-singlefile", *crop, str(path), str(target)], check=True
    )

    png = target.with_suffix(".png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 5_000  # an empty box compresses to far less
