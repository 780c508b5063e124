"""Every setting in one declared table, read from ``NEZARAT_*`` environment variables.

An unknown ``NEZARAT_*`` variable is an error at startup, so a typo never silently falls back to a
default. ``tests/meta`` checks that every setting is documented in the README.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path

from engine.errors import InvalidInput

PREFIX = "NEZARAT_"
ROOT = Path(__file__).resolve().parent.parent


@dataclasses.dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS = (
    Setting("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'nezarat.db'}", "SQLAlchemy URL of the database"),
    Setting("DATA_DIR", str(ROOT / "var"), "Folder for the SQLite database, attachments and generated files"),
    Setting("SECRET_KEY", "", "Secret for signing web sessions; generated into DATA_DIR when empty"),
    Setting(
        "SCHEDULER", "on", "'on' to fire due timers from the web process, 'off' to leave it to `run.py tick`"
    ),
    Setting("TICK_SECONDS", "5", "Seconds between two scheduler ticks"),
    Setting("MAX_BPMN_BYTES", str(5 * 1024 * 1024), "Largest BPMN file accepted for deploy, in bytes"),
    Setting("WEEKEND", "friday", "Weekdays that do not count toward SLA deadlines, e.g. 'thursday,friday'"),
    Setting(
        "EXTRA_HOLIDAYS", "", "Declared closures beyond the official holidays: ISO dates, comma-separated"
    ),
    Setting("SMTP_HOST", "localhost", "SMTP server that sends e-mail notifications"),
    Setting("SMTP_PORT", "25", "Port of the SMTP server"),
    Setting("MAIL_FROM", "nezarat@localhost", "Sender address of e-mail notifications"),
    Setting("SMTP_USER", "", "SMTP login name; empty for a server that needs none"),
    Setting("SMTP_PASSWORD", "", "SMTP password (with SMTP_USER)"),
    Setting("SMTP_STARTTLS", "0", "1 to switch the SMTP connection to TLS with STARTTLS before sending"),
    Setting(
        "TRUST_DIR",
        "",
        "folder of trusted root certificates (*.pem) and CRLs (*.crl) signatures must chain to "
        "(default: DATA_DIR/pki/trust, where init-db --demo writes the demo CA)",
    ),
    Setting(
        "SEAL_FILE",
        "",
        "PKCS#12 file of the server's seal: the key that signs history checkpoints, audit packages and "
        "generated PDFs (default: DATA_DIR/pki/server/seal.p12, which init-db --demo issues)",
    ),
    Setting("SEAL_PASSWORD", "nezarat-demo", "Password of SEAL_FILE"),
    Setting(
        "TSA_URL",
        "",
        "http(s) URL of an RFC 3161 timestamping authority for sealed PDFs (empty: the local timestamping "
        "key DATA_DIR/pki/ca/tsa.p12, which init-db --demo issues)",
    ),
    Setting(
        "SIGNING_AGENT_URL",
        # signatures.agent's default port; engine may not import it, a test keeps the two equal
        "http://127.0.0.1:8790",
        "Where the task page's browser reaches the local signing agent (python -m signatures.agent) on the "
        "clerk's PC",
    ),
)


@dataclasses.dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    secret_key: str
    scheduler: bool
    tick_seconds: float
    max_bpmn_bytes: int
    weekend: frozenset[int]
    extra_holidays: tuple[dt.date, ...]
    smtp_host: str
    smtp_port: int
    mail_from: str
    smtp_user: str
    smtp_password: str
    smtp_starttls: bool
    trust_dir: Path
    seal_file: Path
    seal_password: str
    tsa_url: str
    signing_agent_url: str


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _weekdays(text: str) -> frozenset[int]:
    """``'thursday,friday'`` as Python weekday numbers (Monday is 0)."""
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    wrong = [name for name in names if name not in _WEEKDAYS]
    if wrong or len(set(names)) == 7:
        raise ValueError(f"NEZARAT_WEEKEND={text!r}: name some (not all) of {', '.join(_WEEKDAYS)}")
    return frozenset(_WEEKDAYS.index(name) for name in names)


def _iso_dates(text: str) -> tuple[dt.date, ...]:
    try:
        return tuple(
            sorted({dt.date.fromisoformat(part.strip()) for part in text.split(",") if part.strip()})
        )
    except ValueError:
        raise ValueError(
            f"NEZARAT_EXTRA_HOLIDAYS={text!r}: write ISO dates like 2026-03-25,2026-03-26"
        ) from None


def _url(name: str, text: str, *, empty: bool = False) -> str:
    """``text`` if it is an http(s) URL (or empty, where ``empty`` allows it)."""
    if (empty and not text) or text.startswith(("http://", "https://")):
        return text
    raise ValueError(f"NEZARAT_{name}={text!r}: write an http:// or https:// URL")


def from_env(environ: Mapping[str, str] | None = None, **overrides: str) -> Settings:
    env = os.environ if environ is None else environ
    known = {PREFIX + s.name for s in SETTINGS}
    unknown = sorted(k for k in env if k.startswith(PREFIX) and k not in known)
    if unknown:
        raise InvalidInput(f"unknown setting {unknown[0]}", hint="known: " + ", ".join(sorted(known)))
    raw = {s.name: env.get(PREFIX + s.name, s.default) for s in SETTINGS}
    raw.update({k.upper(): v for k, v in overrides.items()})
    try:
        return Settings(
            database_url=raw["DATABASE_URL"],
            data_dir=Path(raw["DATA_DIR"]),
            secret_key=raw["SECRET_KEY"],
            scheduler=raw["SCHEDULER"].lower() in ("on", "1", "true", "yes"),
            tick_seconds=float(raw["TICK_SECONDS"]),
            max_bpmn_bytes=int(raw["MAX_BPMN_BYTES"]),
            weekend=_weekdays(raw["WEEKEND"]),
            extra_holidays=_iso_dates(raw["EXTRA_HOLIDAYS"]),
            smtp_host=raw["SMTP_HOST"],
            smtp_port=int(raw["SMTP_PORT"]),
            mail_from=raw["MAIL_FROM"],
            smtp_user=raw["SMTP_USER"],
            smtp_password=raw["SMTP_PASSWORD"],
            smtp_starttls=raw["SMTP_STARTTLS"].lower() in ("1", "on", "true", "yes"),
            trust_dir=Path(raw["TRUST_DIR"] or Path(raw["DATA_DIR"]) / "pki" / "trust"),
            seal_file=Path(raw["SEAL_FILE"] or Path(raw["DATA_DIR"]) / "pki" / "server" / "seal.p12"),
            seal_password=raw["SEAL_PASSWORD"],
            tsa_url=_url("TSA_URL", raw["TSA_URL"].strip(), empty=True),
            # the page appends "/sign"
            signing_agent_url=_url("SIGNING_AGENT_URL", raw["SIGNING_AGENT_URL"].strip()).rstrip("/"),
        )
    except ValueError as err:
        raise InvalidInput(f"a setting has a wrong value: {err}") from None
