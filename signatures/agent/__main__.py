"""``python -m signatures.agent``: start the local signing agent on the clerk's PC (see signatures/README.md).

The PIN is asked once, here, with echo off; it is never taken from the command line (where other users
of the PC could read it in the process list) nor over HTTP.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from pathlib import Path

from engine.clock import SystemClock
from engine.errors import NezaratError
from signatures.agent.server import DEFAULT_PORT, AgentConfig, chain_from, start


def parse(argv: list[str]) -> AgentConfig:
    parser = argparse.ArgumentParser(
        prog="python -m signatures.agent",
        description="Sign Nezarat approvals on your USB token. Listens on 127.0.0.1 only.",
    )
    parser.add_argument("--module", required=True, type=Path, help="the token vendor's PKCS#11 library (.so)")
    parser.add_argument("--token", required=True, help="the token's label")
    parser.add_argument(
        "--origin",
        action="append",
        required=True,
        help="the Nezarat server's origin, e.g. https://nezarat.example.ir (repeatable)",
    )
    parser.add_argument("--key", help="the key's label on the token (default: its only key)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}")
    parser.add_argument("--chain", action="append", type=Path, default=[], help="PEM of intermediate CAs")
    args = parser.parse_args(argv)
    return AgentConfig(
        module=args.module,
        token=args.token,
        origins=frozenset(o.rstrip("/") for o in args.origin),
        key=args.key,
        port=args.port,
        chain=chain_from(args.chain),
    )


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    config = parse(sys.argv[1:] if argv is None else argv)
    pin = getpass.getpass(f"PIN of token '{config.token}': ")
    try:
        agent = start(config, pin, SystemClock())
    except (NezaratError, OSError) as error:
        print(f"the agent did not start: {error}", file=sys.stderr)
        return 1
    del pin
    print(f"signing as {agent.key.signer_name} for {', '.join(sorted(config.origins))} on {agent.url}")
    try:
        agent.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        agent.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
