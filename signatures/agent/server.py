"""The agent's HTTP side (stdlib ``http.server``) and its one key on the token.

Protocol (JSON both ways, UTF-8):

- ``POST /sign`` ``{"data": <base64 bytes to sign>, "sha256": <hex of those bytes>}`` →
  ``200 {"signature": <base64 DER CMS>, "signer": <certificate subject>, "sha256": <hex>}``;
- ``OPTIONS /sign``: the CORS preflight a browser sends first;
- refusals are ``{"error": …}`` with 400 (bad body), 403 (origin or host not allowed), 404, 413, 502
  (the token refused).

Only requests whose ``Origin`` is in the allow-list given at start are served, and CORS headers name
that origin alone, so another web page the clerk opens cannot make the token sign. The ``Host`` header
must be the loopback address the agent listens on, which stops DNS-rebinding pages. One request is
served at a time: a token session is not meant for concurrent use.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import json
import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pkcs11
from cryptography import x509
from pkcs11 import Attribute, ObjectClass

from engine.clock import Clock
from engine.errors import InvalidInput, NezaratError, NotFound
from signatures import cms, token
from signatures.der import certificate_of
from signatures.verdict import display_name

DEFAULT_PORT = 8790
HOST = "127.0.0.1"
MAX_BODY = 1024 * 1024  # a canonical approval is a few KB; anything near this is not one
log = logging.getLogger("nezarat.agent")


@dataclasses.dataclass(frozen=True)
class AgentConfig:
    """What the agent is started with; ``key`` is the key's label on the token (None: its only key)."""

    module: Path
    token: str
    origins: frozenset[str]
    key: str | None = None
    port: int = DEFAULT_PORT
    chain: tuple[x509.Certificate, ...] = ()


class TokenKey:
    """The logged-in token session and the one key the agent signs with; signs one request at a time."""

    def __init__(self, config: AgentConfig, pin: str, clock: Clock) -> None:
        self._stack = ExitStack()
        self._session = self._stack.enter_context(token.open_token(config.module, config.token, pin))
        self.label = config.key or _only_key(self._session, config.token)
        self._signer = token.token_signer(self._session, self.label, chain=config.chain)
        if self._signer.signing_cert is None:
            raise NotFound(f"no certificate labelled '{self.label}' on token '{config.token}'")
        self.signer_name = display_name(certificate_of(self._signer.signing_cert))
        self._clock, self._lock = clock, threading.Lock()

    def sign(self, data: bytes) -> bytes:
        with self._lock:
            return cms.sign_detached(data, self._signer, clock=self._clock)

    def close(self) -> None:
        self._stack.close()


class Agent:
    """A running agent: ``url``, ``serve_forever()`` (blocks), ``close()``."""

    def __init__(self, config: AgentConfig, key: TokenKey) -> None:
        self.config, self.key = config, key
        self.server = HTTPServer((HOST, config.port), _handler_for(config, key))
        self.port = self.server.server_address[1]
        self.url = f"http://{HOST}:{self.port}"

    def serve_forever(self) -> None:
        self.server.serve_forever()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.key.close()


def start(config: AgentConfig, pin: str, clock: Clock) -> Agent:
    """Log in to the token with ``pin`` (checked now: a wrong PIN fails here) and bind 127.0.0.1."""
    if not config.origins:
        raise InvalidInput("the agent needs at least one allowed origin (--origin https://nezarat.example)")
    key = TokenKey(config, pin, clock)
    try:
        return Agent(config, key)
    except OSError:
        key.close()
        raise


def _only_key(session: Any, label: str) -> str:
    keys = list(session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY}))
    if len(keys) != 1:
        raise InvalidInput(
            f"token '{label}' holds {len(keys)} private keys; say which with --key LABEL",
            hint="list them with: pkcs11-tool --module <module> --list-objects --type privkey --login",
        )
    return str(keys[0][Attribute.LABEL])


def _handler_for(config: AgentConfig, key: TokenKey) -> type[BaseHTTPRequestHandler]:
    class Handler(_SignHandler):
        allowed_origins = config.origins
        token_key = key

    return Handler


class _SignHandler(BaseHTTPRequestHandler):
    allowed_origins: frozenset[str] = frozenset()
    token_key: TokenKey
    server_version = "NezaratSigningAgent/1"

    def allowed_host(self) -> bool:
        port = self.server.server_address[1]
        return self.headers.get("Host", "") in {f"{HOST}:{port}", f"localhost:{port}"}

    def do_OPTIONS(self) -> None:
        if self._refused():
            return
        self.send_response(204)
        self._cors()
        self.send_header("Access-Control-Allow-Methods", "POST")
        self.send_header("Access-Control-Allow-Headers", "Content-Type")
        self.send_header("Access-Control-Allow-Private-Network", "true")
        self.send_header("Access-Control-Max-Age", "600")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self) -> None:
        if self._refused():
            return
        try:
            data, digest = _read_request(self.headers, self.rfile)
            signature = self.token_key.sign(data)
        except InvalidInput as error:
            self._json(413 if "too large" in error.message else 400, {"error": error.message})
            return
        except (NezaratError, pkcs11.exceptions.PKCS11Error) as error:
            log.error("the token refused to sign: %s", error)
            self._json(502, {"error": f"the token refused to sign: {error}"})
            return
        log.info("signed %d bytes, sha256 %s, for %s", len(data), digest, self.headers.get("Origin"))
        body = {"signature": base64.b64encode(signature).decode("ascii"), "sha256": digest}
        self._json(200, {**body, "signer": self.token_key.signer_name})

    def _refused(self) -> bool:
        """Answer 403/404 and say True when this request may not be served."""
        if not self.allowed_host():
            self._json(403, {"error": "the Host header is not the agent's loopback address"}, cors=False)
        elif self.headers.get("Origin") not in self.allowed_origins:
            self._json(403, {"error": "this origin may not use the signing agent"}, cors=False)
        elif self.path != "/sign":
            self._json(404, {"error": "the agent answers POST /sign only"})
        else:
            return False
        return True

    def _cors(self) -> None:
        self.send_header("Access-Control-Allow-Origin", str(self.headers.get("Origin")))
        self.send_header("Vary", "Origin")

    def _json(self, status: int, body: dict[str, Any], *, cors: bool = True) -> None:
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        if cors:
            self._cors()
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)


def _read_request(headers: Any, stream: Any) -> tuple[bytes, str]:
    """The bytes to sign from the JSON body, checked against the sha256 the server computed."""
    length = int(headers.get("Content-Length") or 0)
    if length > MAX_BODY:
        raise InvalidInput("the request is too large to be an approval")
    try:
        body = json.loads(stream.read(length) or b"{}")
        data = base64.b64decode(body["data"], validate=True)
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise InvalidInput('the body must be JSON {"data": <base64>, "sha256": <hex>}') from None
    digest = hashlib.sha256(data).hexdigest()
    if body.get("sha256") not in (None, digest):
        raise InvalidInput("the bytes do not match the sha256 sent with them")
    return data, digest


@contextmanager
def served(agent: Agent) -> Iterator[Agent]:
    """Run ``agent`` in a daemon thread for the duration of a ``with`` (tests, embedding)."""
    thread = threading.Thread(target=agent.serve_forever, name="nezarat-agent", daemon=True)
    thread.start()
    try:
        yield agent
    finally:
        agent.close()
        thread.join(timeout=10)


def chain_from(paths: Sequence[Path]) -> tuple[x509.Certificate, ...]:
    """Intermediate certificates to embed, from PEM files."""
    found: list[x509.Certificate] = []
    for path in paths:
        found.extend(x509.load_pem_x509_certificates(path.read_bytes()))
    return tuple(found)
