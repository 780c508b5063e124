"""Real SoftHSM2 tokens for the token-flow tests: a token per clerk, each with a key made on it and a
certificate from the demo CA, and a small HTTP client speaking to the signing agent as a browser would.

python-pkcs11 keeps one loaded library per process, and SoftHSM2 reads ``SOFTHSM2_CONF`` when it is
initialised: :func:`softhsm` re-initialises it for its own folder and finalises it on the way out, so
other modules that point ``SOFTHSM2_CONF`` elsewhere start from a clean library.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pkcs11

from engine.clock import Clock
from signatures import ca
from signatures.demo import DEMO_PASSWORD
from signatures.keystore import load_pkcs12
from signatures.token import generate_signing_key, open_token, softhsm_module, store_certificate
from tests.support.tools import require

PIN, SO_PIN = "1234", "87654321"
ORIGIN = "https://nezarat.test"


@contextmanager
def softhsm(folder: Path, labels: Sequence[str]) -> Iterator[Path]:
    """SoftHSM2 with one fresh token per label under ``folder``; yields the PKCS#11 module's path."""
    require("softhsm2-util", "softhsm2")
    (folder / "tokens").mkdir(parents=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    for label in labels:
        command = ["softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin", SO_PIN]
        subprocess.run([*command, "--pin", PIN], check=True, capture_output=True)
    module = softhsm_module()
    library = pkcs11.lib(str(module))
    library.reinitialize()
    try:
        yield module
    finally:
        library.finalize()
        if previous is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = previous


def enroll(module: Path, label: str, user: str, display_name: str, pki: Path, clock: Clock) -> None:
    """``user``'s key is generated on token ``label``; the demo CA certifies it; the certificate goes on."""
    root = load_pkcs12(pki / "ca" / "root-ca.p12", DEMO_PASSWORD)
    authority = ca.CertificateAuthority(root.key, root.certificate)
    with open_token(module, label, PIN) as session:
        public_key = generate_signing_key(session, user, key_id=user.encode())
        certificate = ca.issue_user_certificate(
            authority, public_key, user=user, display_name=display_name, clock=clock
        )
        store_certificate(session, user, certificate, key_id=user.encode())


def call_agent(
    url: str, *, origin: str | None = ORIGIN, body: Any = None, method: str = "POST", host: str | None = None
) -> tuple[int, dict[str, Any], dict[str, str]]:
    """One request to the agent as a browser page of ``origin`` makes it: status, JSON body, headers."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if origin is not None:
        request.add_header("Origin", origin)
    if host is not None:
        request.add_header("Host", host)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            raw, status, headers = response.read(), response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        raw, status, headers = error.read(), error.code, dict(error.headers)
    return status, (json.loads(raw) if raw else {}), headers


def sign_on_agent(url: str, prepared: dict[str, str]) -> dict[str, Any]:
    """What the task page's script does with a prepare answer: POST it to the agent's /sign."""
    status, body, _ = call_agent(f"{url}/sign", body={"data": prepared["data"], "sha256": prepared["sha256"]})
    assert status == 200, body
    return body


def b64decode(text: str) -> bytes:
    return base64.b64decode(text, validate=True)
