"""`init-db --demo` gives every demo user a signing key; `complete --sign-with` signs a signature step."""

from __future__ import annotations

from tests.cli.conftest import ROOT, Cli

SIGNED = ROOT / "tests" / "data" / "bundles" / "signed_decision"
DECISION = '{"decision": "approved", "amount": 1500000000}'


def started(demo_cli: Cli) -> str:
    demo_cli("deploy", str(SIGNED), "--as", "admin")
    demo_cli("users", "add", "mayor_a", "--groups", "mayor,manager", "--unit", "muni-a")  # may decide
    return demo_cli("start", "signed_decision", "--as", "mayor_a", "--quiet").out.strip()


def test_the_demo_gives_every_user_a_key_and_the_ca_a_trust_folder(demo_cli: Cli) -> None:
    pki = demo_cli.folder / "pki"
    assert (pki / "trust" / "root.pem").is_file() and (pki / "trust" / "root.crl").is_file()
    assert {"mayor_a", "expert_1", "dg_urban"} <= {p.stem for p in (pki / "users").glob("*.p12")}


def test_a_signature_step_is_refused_unsigned_and_completes_signed(demo_cli: Cli) -> None:
    instance = started(demo_cli)
    key = demo_cli.folder / "pki" / "users" / "mayor_a.p12"
    step = ("complete", "--instance", instance, "--element", "decide", "--as", "mayor_a", "--data", DECISION)

    unsigned = demo_cli(*step, expect=2)
    wrong_password = demo_cli(*step, "--sign-with", str(key), "--key-password", "wrong", expect=2)
    signed = demo_cli(*step, "--sign-with", str(key), "--key-password", "nezarat-demo", "--json").json()

    assert "امضای دیجیتال" in unsigned.err
    assert "password" in wrong_password.err.lower() or "رمز" in wrong_password.err
    assert signed["status"] == "completed"
    history = demo_cli("history", instance, "--json").json()
    assert [e["kind"] for e in history if e["kind"] in ("signed", "completed")] == ["signed", "completed"]
