"""``run.py kpi`` through the real command line: one JSON document that validates against the report's
schema, an aligned text table, the unit filter, and refusals with their exit codes."""

from __future__ import annotations

import jsonschema
import pytest

from engine.kpi.schema import report_schema
from tests.cli.conftest import BUNDLE, Cli

DONE_IN_TIME = {"completed": 1, "on_time": 0, "late": 0, "no_deadline": 1, "open": 1, "overdue": 0}


@pytest.fixture(scope="module")
def worked(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    """A fresh demo database where budget_a (muni-a) finished a request and the mayor's approval waits."""
    cli = Cli(tmp_path_factory.mktemp("kpi"))
    cli("init-db", "--demo")
    cli("deploy", str(BUNDLE), "--as", "admin")
    instance_id = cli.start()
    [request] = cli.tasks("budget_a", instance_id)
    cli("complete", request["id"], "--as", "budget_a", "--data", '{"amount": 5000000}')
    return cli


def test_json_is_one_document_with_the_units_numbers(worked: Cli) -> None:
    report = worked("kpi", "--json").json()
    jsonschema.validate(report, report_schema())
    [row] = report["tasks"]["by_unit"]
    assert (row["unit"], {k: row[k] for k in DONE_IN_TIME}) == ("muni-a", DONE_IN_TIME)
    assert row["sla_compliance_pct"] is None  # nothing done had a deadline
    assert report["agency_budget_supervision"]["instances"] == 0


def test_a_sibling_unit_sees_nothing_of_muni_a(worked: Cli) -> None:
    report = worked("kpi", "--unit", "muni-b", "--json").json()
    assert (report["unit"], report["tasks"]["by_unit"], report["tasks"]["total"]["completed"]) == (
        "muni-b",
        [],
        0,
    )


def test_the_table_keeps_its_columns_aligned(worked: Cli) -> None:
    out = worked("kpi", "--from", "۱۴۰۰/۰۱/۰۱", "--to", "1500/01/01").out.splitlines()
    assert out[1].startswith("period 1400/01/01 – 1499/12/")
    start = out.index("مهلت‌ها به تفکیک واحد — SLA by unit") + 1
    header, muni_a, total = out[start : start + 3]
    assert header.split() == ["unit", "completed", "on", "time", "late", "no", "deadline", "SLA", "%", "open", "overdue", "breached", "escalated"]  # fmt: skip
    assert muni_a.split() == ["muni-a", "1", "0", "0", "1", "-", "1", "0", "0", "0"]
    assert total.startswith("total ")
    assert len(header) == len(muni_a) == len(total)
    assert any(line.startswith("agencies evaluated / subject") and line.endswith("-") for line in out)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--from", "1405/13/01"), 2, "error: 'from' must be a Jalali date"),
        (("--unit", "muni-a", "--as", "budget_b"), 5, "error: budget_b may see the KPIs of 'muni-b'"),
        (("--unit", "nowhere"), 3, "error: unit 'nowhere' does not exist"),
    ],
)
def test_refusals_print_nothing_on_stdout(
    worked: Cli, args: tuple[str, ...], code: int, message: str
) -> None:
    refused = worked("kpi", *args, "--json", expect=code)
    assert refused.out == "" and refused.err.startswith(message)
