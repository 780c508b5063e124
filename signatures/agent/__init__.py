"""The local signing agent: a tiny HTTP server on the clerk's own PC that signs with their USB token.

Run it as ``python -m signatures.agent --module <pkcs11.so> --token LABEL --origin https://nezarat…``.
It listens on 127.0.0.1 only, asks for the token's PIN once at start (never over HTTP), and answers
``POST /sign`` from the allowed Nezarat origins with a detached CMS made on the token
(:mod:`signatures.agent.server`). The private key never leaves the token: the agent only asks the token
to sign. Imports ``signatures`` and ``engine`` only, like the rest of the package.
"""

from __future__ import annotations

from signatures.agent.server import DEFAULT_PORT, Agent, AgentConfig, start

__all__ = ["DEFAULT_PORT", "Agent", "AgentConfig", "start"]
