"""The two URL settings: where the clerk's browser finds the local signing agent (by default the agent's
own default port) and the timestamping authority of sealed PDFs (none by default); anything but an
http(s) URL is refused at start-up."""

from __future__ import annotations

import pytest

from engine.errors import InvalidInput
from engine.settings import from_env
from signatures.agent.server import DEFAULT_PORT


def test_the_agent_url_defaults_to_where_the_agent_listens_and_the_tsa_to_none() -> None:
    settings = from_env({})
    assert settings.signing_agent_url == f"http://127.0.0.1:{DEFAULT_PORT}"
    assert settings.tsa_url == ""


def test_both_are_read_from_the_environment() -> None:
    settings = from_env(
        {
            "NEZARAT_SIGNING_AGENT_URL": "https://agent.local:9000/",
            "NEZARAT_TSA_URL": "http://tsa.example/tsr/",
        }
    )
    assert settings.signing_agent_url == "https://agent.local:9000"  # the page appends /sign
    assert settings.tsa_url == "http://tsa.example/tsr/"  # a TSA's path is its own


@pytest.mark.parametrize(
    ("name", "value"),
    [("SIGNING_AGENT_URL", "127.0.0.1:8790"), ("SIGNING_AGENT_URL", ""), ("TSA_URL", "tsa.example")],
)
def test_a_value_that_is_not_an_http_url_is_refused(name: str, value: str) -> None:
    with pytest.raises(InvalidInput, match=f"NEZARAT_{name}"):
        from_env({f"NEZARAT_{name}": value})
