"""The server's seal: issued by the demo CA, it signs bytes as detached CMS that verify to the seal's own
identity under the demo trust root; a server without a seal file has none (no checkpoints)."""

from __future__ import annotations

from pathlib import Path

from engine.clock import FixedClock
from engine.settings import from_env
from handlers import signing
from signatures import cms, trust
from signatures.demo import SEAL_USER, issue_demo_credentials

CLOCK = FixedClock.at("2026-03-01T09:00:00+03:30")


def test_the_demo_seal_signs_bytes_that_verify_as_the_seal(tmp_path: Path) -> None:
    issued = issue_demo_credentials([], tmp_path / "pki", CLOCK)
    settings = from_env({}, data_dir=str(tmp_path))
    assert settings.seal_file == issued.seal_file
    seal = signing.seal(settings, CLOCK)
    assert seal is not None
    signature = seal(b"checkpoint 7 3f9a")
    roots = trust.load_trust(issued.trust_dir)
    verdict = cms.verify_detached(b"checkpoint 7 3f9a", signature, trust=roots, clock=CLOCK, document="c")
    assert verdict.ok and verdict.signer_user == SEAL_USER
    changed = cms.verify_detached(b"checkpoint 7 3f9b", signature, trust=roots, clock=CLOCK, document="c")
    assert not changed.ok


def test_a_server_without_a_seal_file_has_no_seal(tmp_path: Path) -> None:
    assert signing.seal(from_env({}, data_dir=str(tmp_path)), CLOCK) is None
