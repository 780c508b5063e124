"""A real PKI for the signature tests, made once per session (RSA-2048 keys take a while to generate).

The clock is pinned to the machine's time at session start, because pdfsig checks certificates
against the real clock and the certificates here are issued "now".
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from reportlab.pdfgen import canvas

from engine.clock import FixedClock, SystemClock
from handlers.documents import fonts
from handlers.documents.persian_text import shape
from signatures import ca
from signatures.stamp import StampFace
from signatures.trust import TrustStore
from tests.signatures.signing_support import Pki
from tests.support.tools import require


@pytest.fixture(scope="session")
def pki() -> Pki:
    clock = FixedClock(SystemClock().now().replace(microsecond=0))
    now = clock.now()
    root = ca.create_root(clock)
    ali = ca.issue_user(root, user="ali", display_name="علی رضایی", clock=clock)
    reza = ca.issue_user(root, user="reza", display_name="رضا کریمی", clock=clock)
    expired_certificate = ca.issue_user_certificate(
        root,
        ali.key.public_key(),
        user="ali",
        display_name="علی رضایی",
        clock=clock,
        not_before=now - dt.timedelta(days=400),
        days=365,
    )
    stranger_root = ca.create_root(clock, common_name="Unknown Root CA")
    encryption_only = x509.KeyUsage(False, False, True, False, False, False, False, False, False)
    crl = ca.issue_crl(
        root, [ca.Revocation(reza.certificate.serial_number, now - dt.timedelta(days=1))], clock
    )
    return Pki(
        clock=clock,
        root=root,
        ali=ali,
        sara=ca.issue_user(root, user="sara", display_name="سارا احمدی", clock=clock),
        reza=reza,
        expired=ca.Credential(ali.key, expired_certificate, ali.chain),
        stranger=ca.issue_user(stranger_root, user="ali", display_name="علی رضایی", clock=clock),
        no_repudiation=ca.Credential(
            ali.key,
            ca.issue_user_certificate(
                root,
                ali.key.public_key(),
                user="ali",
                display_name="علی رضایی",
                clock=clock,
                usage=encryption_only,
            ),
            ali.chain,
        ),
        tsa=ca.issue_timestamping(root, clock),
        crl=crl,
        trust=TrustStore((root.certificate,), (crl,)),
    )


@pytest.fixture(scope="session")
def face() -> StampFace:
    fonts.register_fonts()
    return StampFace(shape=shape)


@pytest.fixture(scope="session")
def letter(face: StampFace) -> bytes:
    """A one-page Persian letter, drawn the way the documents handlers draw theirs."""
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont(face.bold_font, 16)
    page.drawRightString(540, 760, shape("ابلاغ بودجهٔ سال ۱۴۰۵ شهرداری نمونه"))
    page.setFont(face.regular_font, 12)
    page.drawRightString(540, 730, shape("بودجهٔ پیشنهادی با اعتبار ۱۲۰٬۰۰۰٬۰۰۰ ریال تأیید شد."))
    page.showPage()
    page.save()
    return out.getvalue()


@pytest.fixture(scope="session")
def nss_db(pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An NSS database trusting the test root: how pdfsig is told what to trust."""
    require("pdfsig", "poppler-utils")
    require("certutil", "libnss3-tools")
    folder = tmp_path_factory.mktemp("nssdb")
    root_pem = folder / "root.pem"
    root_pem.write_bytes(pki.root.certificate.public_bytes(serialization.Encoding.PEM))
    subprocess.run(["certutil", "-N", "-d", f"sql:{folder}", "--empty-password"], check=True)
    subprocess.run(
        [
            "certutil",
            "-A",
            "-d",
            f"sql:{folder}",
            "-n",
            "Nezarat test root",
            "-t",
            "CT,C,C",
            "-i",
            str(root_pem),
        ],
        check=True,
    )
    return folder
