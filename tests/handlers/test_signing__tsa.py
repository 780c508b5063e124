"""With ``NEZARAT_TSA_URL`` set, the server's seal on generated PDFs takes its timestamp from that RFC 3161
timestamping authority over HTTP (pyHanko's ``HTTPTimeStamper``), not from the local timestamping key.

The authority is real and local: an HTTP server on 127.0.0.1 answering timestamp requests with pyHanko's
``DummyTimeStamper`` and a timestamping certificate the demo CA issues for it (so its serial differs from
the local key's). The sealed album's timestamp token must name that certificate, and the server must
have been asked. A TSA that does not answer stops the budget album's step with a HandlerError that names
it, and nothing is stored.
"""

from __future__ import annotations

import http.server
import io
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import tsp
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from engine import service_tasks
from engine.clock import FixedClock
from engine.errors import HandlerError
from engine.settings import Settings, from_env
from handlers import signing, wiring
from signatures import ca, trust
from signatures import pdf as pades
from signatures.demo import DEMO_PASSWORD, issue_demo_credentials
from signatures.der import asn1_certificate, asn1_private_key
from signatures.keystore import load_pkcs12
from tests.handlers.documents_support import album_budget, handler_context

CLOCK_AT = "2026-03-01T10:00:00+03:30"
ALBUM = {"budget": album_budget(), "unit_title": "شهرداری الف", "fiscal_year": 1405, "unit": "muni-a"}


class TimestampingAuthority:
    """An RFC 3161 server over HTTP on 127.0.0.1 (``url``) signing with ``credential``; ``asked`` counts
    the timestamp requests it answered."""

    def __init__(self, credential: ca.Credential, clock: FixedClock) -> None:
        stamper = DummyTimeStamper(
            tsa_cert=asn1_certificate(credential.certificate),
            tsa_key=asn1_private_key(credential.key),
            certs_to_embed=SimpleCertificateStore.from_certs([asn1_certificate(c) for c in credential.chain]),
            fixed_dt=clock.now(),
        )
        authority = self

        class Answer(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
                body = stamper.request_tsa_response(request).dump()
                authority.asked += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:  # quiet in the test's output
                pass

        self.certificate, self.asked = credential.certificate, 0
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answer)
        self.url = f"http://127.0.0.1:{self.server.server_port}/tsr"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def clock() -> FixedClock:
    return FixedClock.at(CLOCK_AT)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, clock: FixedClock) -> Path:
    """A data folder with the demo PKI: the seal, the trust root and CRL, and the local timestamping key."""
    folder = tmp_path_factory.mktemp("site")
    issue_demo_credentials([], folder / "pki", clock)
    return folder


@pytest.fixture(scope="module")
def authority(site: Path, clock: FixedClock) -> Iterator[TimestampingAuthority]:
    root = load_pkcs12(site / "pki" / "ca" / "root-ca.p12", DEMO_PASSWORD)
    credential = ca.issue_timestamping(ca.CertificateAuthority(root.key, root.certificate), clock)
    served = TimestampingAuthority(credential, clock)
    yield served
    served.close()


def settings_for(site: Path, folder: Path, tsa_url: str) -> Settings:
    """A data folder of its own holding a copy of ``site``'s PKI (seal, trust, local timestamping key)."""
    shutil.copytree(site / "pki", folder / "pki")
    return from_env({"NEZARAT_TSA_URL": tsa_url}, data_dir=str(folder))


def run_album(settings: Settings, clock: FixedClock) -> bytes:
    services = wiring.services(settings, clock)
    ctx = handler_context("documents.budget_album", ALBUM, services=services, clock=clock)
    ref = service_tasks.lookup("documents.budget_album")(ctx)["album"]
    pdf: bytes = services["attachments"].get(ref)
    return pdf


def timestamp_serial(pdf: bytes) -> int:
    """The serial number of the certificate that signed the seal's timestamp token."""
    (signature,) = PdfFileReader(io.BytesIO(pdf)).embedded_regular_signatures
    [token] = [
        a["values"][0]
        for a in signature.signer_info["unsigned_attrs"]
        if a["type"].native == "signature_time_stamp_token"
    ]
    serial: int = token["content"]["signer_infos"][0]["sid"].chosen["serial_number"].native
    return serial


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port  # closed again: nothing listens there


def test_the_seal_is_timestamped_by_the_authority_the_setting_names(
    site: Path, authority: TimestampingAuthority, clock: FixedClock, tmp_path: Path
) -> None:
    settings = settings_for(site, tmp_path, authority.url)
    local = load_pkcs12(signing.tsa_file(settings), DEMO_PASSWORD)  # there, and passed over
    asked_before = authority.asked

    pdf = run_album(settings, clock)

    assert authority.asked > asked_before
    assert timestamp_serial(pdf) == authority.certificate.serial_number != local.certificate.serial_number
    roots = trust.load_trust(settings.trust_dir)
    (verdict,) = pades.verify_pdf(pdf, trust=roots, clock=clock, document="album")
    assert verdict.ok, verdict.summary()
    assert verdict.signing_time == clock.now()  # the time in the authority's token


def test_the_local_key_is_the_timestamper_without_the_setting_and_not_needed_with_it(
    site: Path, clock: FixedClock, tmp_path: Path
) -> None:
    local = settings_for(site, tmp_path / "local", "")
    assert (
        timestamp_serial(run_album(local, clock))
        == load_pkcs12(signing.tsa_file(local), DEMO_PASSWORD).certificate.serial_number
    )
    signing.tsa_file(local).unlink()
    assert signing.pdf_seal(local, clock) is None  # no timestamp to be had: the album is stored unsigned
    remote = settings_for(site, tmp_path / "remote", "http://127.0.0.1:9/tsr")
    signing.tsa_file(remote).unlink()
    assert signing.pdf_seal(remote, clock) is not None


def test_an_authority_that_does_not_answer_stops_the_step_and_nothing_is_stored(
    site: Path, clock: FixedClock, tmp_path: Path
) -> None:
    url = f"http://127.0.0.1:{closed_port()}/tsr"
    settings = settings_for(site, tmp_path, url)

    with pytest.raises(HandlerError) as refused:
        run_album(settings, clock)

    assert refused.value.error_code == "timestamp_unavailable"
    assert url in refused.value.message and "مهر زمانی" in refused.value.message
    stored = wiring.attachment_store(settings).root
    assert not stored.exists() or [p for p in stored.rglob("*") if p.is_file()] == []
