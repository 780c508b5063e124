#!/usr/bin/env python3
"""Engine benchmark: the reference process run durably through Nezarat and bare through SpiffWorkflow.

The process is ``shared/bench/approval.bpmn`` (12 elements: 4 user tasks in 3 lanes, a script task, a
service task, 2 exclusive gateways, an interrupting boundary timer on the manager's task). Every instance
takes the happy path: start, then ``submit_request``, ``manager_approval``, ``finance_review`` and
``acknowledge`` are completed with the form data of ``USER_STEPS`` (the same data as
``shared/bench/spiff_raw_bench.py``).

Two sides run in the same process, interleaved round by round (the order flips every round) so that
machine noise -- other jobs, CPU frequency, the disk -- hits both alike:

durable
    What a user of the platform gets: ``Platform.start`` / ``Platform.tasks`` / ``Platform.complete`` on a
    fresh SQLite database in a temp dir, configured as the platform configures it (WAL journal,
    ``synchronous=NORMAL``, ``BEGIN IMMEDIATE`` writers). Each start and each completion is one
    transaction that writes the instance state at revision+1 (SpiffWorkflow JSON without the spec), the
    inbox rows of the READY human tasks and their candidates, the hash-chained history events of every
    step, and the instance's timer rows (the manager's 72 h boundary timer). Before each completion the
    task is found the way the web finds it: ``Platform.tasks(actor, instance_id=...)``, the inbox query
    for that user, timed separately as ``tasks lookup``. Workflows stay in the runtime's live cache
    between steps, as in a running server, so a step does not deserialize the state it just wrote.
bare
    SpiffWorkflow 3.2 alone, in memory, like measurement (b) of ``spiff_raw_bench.py``: the spec is parsed
    once, then ``BpmnWorkflow`` + ``do_engine_steps`` and the 4 user tasks, found with
    ``get_next_task(state=READY, manual=True)``, with a ``TaskDataEnvironment`` whose ``call_service``
    returns a JSON string. Nothing is stored; this is the ceiling the durable side is compared with.

Reported: instances/s of each side (warm-up instances excluded; total instances / total time of the
timed blocks), p50/p95 in ms of every step kind (start, tasks lookup, each user task), and the bytes the
durable side stores per instance -- from SQL ``length()`` of the instance state, the history rows and the
inbox rows (mid-flight and at the end), and the growth of the database file divided by the number of
instances. The last line is exactly ``ratio durable/bare: R`` (durable instances/s / bare instances/s).

Usage (from the repository root):
    .venv/bin/python bench/engine.py                 # N=300 instances per side in 3 rounds
    .venv/bin/python bench/engine.py --quick         # N=30 (smoke test)
    .venv/bin/python bench/engine.py --json out.json --bpmn path/to/approval.bpmn
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import math
import os
import platform as host
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from importlib.metadata import version as pkg_version
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# This file is called engine.py: with bench/ first on sys.path, ``import engine`` would import this
# script instead of the package. Put the repository root there instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from SpiffWorkflow.bpmn import BpmnWorkflow  # noqa: E402
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment  # noqa: E402
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser  # noqa: E402
from SpiffWorkflow.util.task import TaskState  # noqa: E402

from engine import directory, service_tasks  # noqa: E402
from engine.clock import SystemClock  # noqa: E402
from engine.platform import Platform  # noqa: E402
from engine.settings import from_env  # noqa: E402

DEFAULT_BPMN = Path(__file__).resolve().parents[2] / "shared" / "bench" / "approval.bpmn"
PROCESS_ID = "purchase_approval"
FORM_SCHEMA = {
    "type": "object",
    "required": ["amount", "cost_center"],
    "properties": {
        "amount": {"type": "string"},
        "cost_center": {"type": "string"},
        "reason": {"type": "string"},
    },
}

# user task -> form data submitted for it (happy path), as in shared/bench/spiff_raw_bench.py
USER_STEPS = [
    (
        "submit_request",
        {
            "amount": "2000",
            "cost_center": "CC-4711",
            "reason": "New laptop for onboarding",
            "requester": "alice@example.org",
            "items": [{"sku": "LAP-14", "qty": 1, "price": 2000}],
        },
    ),
    (
        "manager_approval",
        {"approved": True, "manager_comment": "OK, within budget", "manager": "bob@example.org"},
    ),
    ("finance_review", {"finance_ok": True, "gl_account": "6400", "reviewer": "carol@example.org"}),
    ("acknowledge", {"acknowledged": True}),
]
# who works which task in the durable run (the lanes name the candidate groups)
USERS = {"ali": "Requester", "mina": "Manager", "reza": "Finance"}
ACTOR = {"submit_request": "ali", "manager_approval": "mina", "finance_review": "reza", "acknowledge": "ali"}
STEP_KINDS = ["start", "tasks lookup"] + [name for name, _ in USER_STEPS]
SIDES = ("durable", "bare")

perf = time.perf_counter


def reservation(amount: Any, cost_center: Any) -> dict[str, Any]:
    return {
        "reservation_id": f"RES-{cost_center}-{int(float(amount))}",
        "amount": amount,
        "status": "reserved",
    }


# -- bare: SpiffWorkflow in memory ------------------------------------------------------------------


class ServiceEnv(TaskDataEnvironment):
    """The spiff ServiceTask calls script_engine.call_service -> environment.call_service (a JSON string)."""

    def call_service(self, context: Any, operation_name: str, operation_params: Any, **kwargs: Any) -> str:
        if operation_name != "budget/reserve":
            raise ValueError(f"unknown service {operation_name}")
        params = {k: v["value"] for k, v in operation_params.items()}
        return json.dumps(reservation(params["amount"], params["cost_center"]))


class Bare:
    def __init__(self, bpmn: Path) -> None:
        parser = SpiffBpmnParser()
        parser.add_bpmn_file(str(bpmn))
        self.spec = parser.get_spec(PROCESS_ID)
        self.subprocess_specs = parser.get_subprocess_specs(PROCESS_ID)
        self.script_engine = PythonScriptEngine(environment=ServiceEnv())

    def run_instance(self, lat: dict[str, list[float]]) -> None:
        t0 = perf()
        wf = BpmnWorkflow(self.spec, self.subprocess_specs, script_engine=self.script_engine)
        wf.do_engine_steps()
        t1 = perf()
        lat["start"].append(t1 - t0)
        for name, form in USER_STEPS:
            task = wf.get_next_task(state=TaskState.READY, manual=True)
            t2 = perf()
            lat["tasks lookup"].append(t2 - t1)
            if task is None or task.task_spec.name != name:
                raise RuntimeError(f"bare: expected READY {name}, got {task}")
            task.data.update(form)
            task.run()
            wf.do_engine_steps()
            t1 = perf()
            lat[name].append(t1 - t2)
        if not wf.is_completed():
            raise RuntimeError("bare: instance did not complete")


# -- durable: through the platform ------------------------------------------------------------------


def reserve_budget(ctx: service_tasks.HandlerContext) -> dict[str, Any]:
    return reservation(ctx.params["amount"], ctx.params["cost_center"])


class Durable:
    def __init__(self, bpmn: Path, workdir: Path) -> None:
        self.db_path = workdir / "bench.db"
        settings = from_env({}, database_url=f"sqlite:///{self.db_path}", data_dir=str(workdir))
        self.platform = Platform.build(settings, clock=SystemClock())
        self.platform.init_db()
        with self.platform.store.transaction() as tx:
            for user, group in USERS.items():
                directory.add_user(tx, user, groups=[group])
        service_tasks.handler("budget/reserve")(reserve_budget)
        bundle = workdir / "approval"
        (bundle / "forms").mkdir(parents=True)
        shutil.copyfile(bpmn, bundle / "process.bpmn")
        (bundle / "forms" / "submit-schema.json").write_text(json.dumps(FORM_SCHEMA))
        self.deployed = self.platform.deploy(bundle, actor="bench")

    def run_instance(self, lat: dict[str, list[float]]) -> str:
        p = self.platform
        t0 = perf()
        result = p.start(PROCESS_ID, {}, actor="ali")
        t1 = perf()
        lat["start"].append(t1 - t0)
        for name, form in USER_STEPS:
            result = self.step(result.instance_id, name, form, lat, t1)
            t1 = perf()
        if result.status != "completed":
            raise RuntimeError(f"durable: instance {result.instance_id} is {result.status}, not completed")
        return result.instance_id

    def step(
        self, instance_id: str, name: str, form: dict[str, Any], lat: dict[str, list[float]], t1: float
    ) -> Any:
        actor = ACTOR[name]
        tasks = self.platform.tasks(actor, instance_id=instance_id)
        t2 = perf()
        lat["tasks lookup"].append(t2 - t1)
        task = next((t for t in tasks if t["element_id"] == name), None)
        if task is None:
            raise RuntimeError(f"durable: {actor} sees no READY {name} in {instance_id}: {tasks}")
        result = self.platform.complete(task["id"], form, actor=actor)
        lat[name].append(perf() - t2)
        return result

    # -- what is stored -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def sql(self) -> Iterator[sa.Connection]:
        with self.platform.store.read_engine.connect() as conn:
            yield conn

    def pragmas(self) -> dict[str, Any]:
        with self.platform.store.transaction() as tx:
            return {
                "journal_mode": tx.execute(sa.text("PRAGMA journal_mode")).scalar(),
                "synchronous": {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(
                    tx.execute(sa.text("PRAGMA synchronous")).scalar()
                ),
            }

    def file_bytes(self) -> int:
        """Database file size after a WAL checkpoint (so the pages are in the main file)."""
        conn = sqlite3.connect(self.db_path, isolation_level=None)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            conn.close()
        wal = Path(f"{self.db_path}-wal")
        return self.db_path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)

    def mid_flight(self) -> dict[str, int]:
        """One instance stopped after 2 of 4 user tasks (finance_review READY): what its rows hold."""
        lat: dict[str, list[float]] = {k: [] for k in STEP_KINDS}
        instance_id = self.platform.start(PROCESS_ID, {}, actor="ali").instance_id
        for name, form in USER_STEPS[:2]:
            self.step(instance_id, name, form, lat, perf())
        out = self.instance_bytes(instance_id)
        for name, form in USER_STEPS[2:]:
            self.step(instance_id, name, form, lat, perf())
        return out

    def count_sql(self) -> dict[str, int]:
        """SQL statements and transactions one instance costs (counted on a probe instance)."""
        seen: list[str] = []

        def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
            seen.append(statement.split(None, 1)[0].upper())

        engines = {self.platform.store.engine, self.platform.store.read_engine}
        for eng in engines:
            sa.event.listen(eng, "before_cursor_execute", record)
        try:
            self.run_instance({k: [] for k in STEP_KINDS})
        finally:
            for eng in engines:
                sa.event.remove(eng, "before_cursor_execute", record)
        kinds = ("SELECT", "INSERT", "UPDATE", "DELETE")
        out = {k.lower(): seen.count(k) for k in kinds}
        out["statements"] = sum(out.values())
        out["transactions"] = seen.count("BEGIN")
        return out

    def instance_bytes(self, instance_id: str) -> dict[str, int]:
        q = {
            "state": "SELECT length(CAST(state AS BLOB)) FROM instances WHERE id = :i",
            "history_events": "SELECT count(*) FROM history WHERE instance_id = :i",
            "history_data": "SELECT coalesce(sum(length(CAST(data AS BLOB))), 0) FROM history WHERE instance_id = :i",
            "history_rows": f"SELECT coalesce(sum({HISTORY_ROW_BYTES}), 0) FROM history WHERE instance_id = :i",
            "task_rows": f"SELECT coalesce(sum({TASK_ROW_BYTES}), 0) FROM tasks WHERE instance_id = :i",
            "timer_rows": "SELECT count(*) FROM timers WHERE instance_id = :i",
        }
        with self.sql() as conn:
            return {k: int(conn.execute(sa.text(v), {"i": instance_id}).scalar() or 0) for k, v in q.items()}

    def stored_per_instance(self, instance_ids: list[str]) -> dict[str, float]:
        with self.sql() as conn:
            done = conn.execute(sa.text("SELECT id FROM instances WHERE status = 'completed'")).scalars()
            missing = set(instance_ids) - set(done)
        if missing:
            raise RuntimeError(f"durable: {len(missing)} instances are not completed in the database")
        totals: dict[str, float] = {}
        for instance_id in instance_ids:
            for k, v in self.instance_bytes(instance_id).items():
                totals[k] = totals.get(k, 0) + v
        return {k: v / len(instance_ids) for k, v in totals.items()}

    def close(self) -> None:
        self.platform.store.dispose()
        service_tasks.unregister("budget/reserve")


def _blob_len(*cols: str) -> str:
    return " + ".join(f"coalesce(length(CAST({c} AS BLOB)), 0)" for c in cols)


HISTORY_ROW_BYTES = _blob_len(
    "instance_id", "seq", "at", "actor", "kind", "element_id", "task_id", "data", "prev_hash", "hash"
)
TASK_ROW_BYTES = _blob_len(
    "id",
    "instance_id",
    "process_key",
    "element_id",
    "name",
    "lane",
    "form",
    "assignee",
    "candidate_groups",
    "candidate_users",
    "org_unit",
    "due_at",
    "priority",
    "created_at",
)


# -- the run --------------------------------------------------------------------------------------


def timed_block(
    run: Callable[[dict[str, list[float]]], Any], n: int, lat: dict[str, list[float]]
) -> tuple[float, list]:
    gc.collect()
    out = []
    t0 = perf()
    for _ in range(n):
        out.append(run(lat))
    return perf() - t0, out


def percentile(xs: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(xs)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summarize(seconds: float, count: int, rates: list[float], lat: dict[str, list[float]]) -> dict[str, Any]:
    return {
        "instances": count,
        "seconds": seconds,
        "instances_per_s": count / seconds,
        "ms_per_instance": seconds / count * 1e3,
        "instances_per_s_by_round": [round(r, 1) for r in rates],
        "steps_ms": {
            k: {"p50": percentile(v, 50) * 1e3, "p95": percentile(v, 95) * 1e3, "n": len(v)}
            for k, v in lat.items()
        },
    }


def interleaved(runners: dict[str, Callable[..., Any]], rounds: int, per_round: int) -> dict[str, Any]:
    """``rounds`` timed blocks of ``per_round`` instances per side, the side that goes first flipping."""
    lat = {side: {k: [] for k in STEP_KINDS} for side in SIDES}
    seconds = dict.fromkeys(SIDES, 0.0)
    rates: dict[str, list[float]] = {side: [] for side in SIDES}
    ids: list[str] = []
    for r in range(rounds):
        for side in SIDES if r % 2 == 0 else SIDES[::-1]:
            dt, out = timed_block(runners[side], per_round, lat[side])
            seconds[side] += dt
            rates[side].append(per_round / dt)
            if side == "durable":
                ids += out
    count = per_round * rounds
    return {
        "ids": ids,
        "results": {side: summarize(seconds[side], count, rates[side], lat[side]) for side in SIDES},
    }


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    n, rounds = (30, 3) if args.quick else (args.n, args.rounds)
    per_round = max(1, n // rounds)
    warmup = 3 if args.quick else 10
    bare = Bare(args.bpmn)
    durable = Durable(args.bpmn, workdir)
    runners = {"durable": durable.run_instance, "bare": bare.run_instance}
    try:
        mid = durable.mid_flight()
        sql = durable.count_sql()
        for side in SIDES:
            timed_block(runners[side], warmup, {k: [] for k in STEP_KINDS})
        size_before = durable.file_bytes()
        measured = interleaved(runners, rounds, per_round)
        ids = measured["ids"]
        results = measured["results"]
        results["stored"] = {
            "per_instance_completed": durable.stored_per_instance(ids),
            "mid_flight_after_2_of_4": mid,
            "db_file_growth_per_instance": (durable.file_bytes() - size_before) / len(ids),
        }
        results["sql_per_instance"] = sql
        results["sqlite"] = durable.pragmas()
    finally:
        durable.close()
    results["ratio"] = results["durable"]["instances_per_s"] / results["bare"]["instances_per_s"]
    results["params"] = {
        "n_per_side": per_round * rounds,
        "rounds": rounds,
        "warmup_per_side": warmup,
        "bpmn": str(args.bpmn),
    }
    return results


def environment() -> dict[str, Any]:
    return {
        "python": sys.version.split()[0],
        "platform": host.platform(),
        "cpu_count": os.cpu_count(),
        "spiffworkflow": pkg_version("spiffworkflow"),
        "sqlalchemy": sa.__version__,
        "sqlite": sqlite3.sqlite_version,
    }


def report(results: dict[str, Any]) -> None:
    d, b, s = results["durable"], results["bare"], results["stored"]
    prm = results["params"]
    print(
        f"approval.bpmn, {prm['n_per_side']} instances per side in {prm['rounds']} interleaved rounds "
        f"(+{prm['warmup_per_side']} warm-up); SQLite journal={results['sqlite']['journal_mode']} "
        f"synchronous={results['sqlite']['synchronous']}"
    )
    print()
    print(f"{'':16}{'durable':>22}{'bare':>22}")
    print(f"{'instances/s':16}{d['instances_per_s']:>22.1f}{b['instances_per_s']:>22.1f}")
    print(f"{'ms/instance':16}{d['ms_per_instance']:>22.2f}{b['ms_per_instance']:>22.2f}")
    print(f"{'by round':16}{_rounds(d):>22}{_rounds(b):>22}")
    print(f"{'step (ms)':16}{'p50':>11}{'p95':>11}{'p50':>11}{'p95':>11}")
    for k in STEP_KINDS:
        ds, bs = d["steps_ms"][k], b["steps_ms"][k]
        print(f"{k:16}{ds['p50']:>11.3f}{ds['p95']:>11.3f}{bs['p50']:>11.3f}{bs['p95']:>11.3f}")
    done, mid = s["per_instance_completed"], s["mid_flight_after_2_of_4"]
    print()
    print("bytes stored per durable instance (SQL length()):")
    print(
        f"  completed:  state {done['state']:.0f} + history {done['history_rows']:.0f} "
        f"({done['history_events']:.0f} events, data JSON {done['history_data']:.0f}) "
        f"= {done['state'] + done['history_rows']:.0f} B; task rows {done['task_rows']:.0f}, timers {done['timer_rows']:.0f}"
    )
    print(
        f"  mid-flight: state {mid['state']} + history {mid['history_rows']} ({mid['history_events']} events) "
        f"+ task rows {mid['task_rows']} = {mid['state'] + mid['history_rows'] + mid['task_rows']} B; "
        f"timers {mid['timer_rows']} (after 2 of 4 user tasks)"
    )
    print(
        f"  database file growth / instance: {s['db_file_growth_per_instance']:.0f} B (pages, indexes included)"
    )
    q = results["sql_per_instance"]
    print(
        f"SQL per durable instance: {q['statements']} statements in {q['transactions']} transactions "
        f"({q['select']} SELECT, {q['insert']} INSERT, {q['update']} UPDATE, {q['delete']} DELETE)"
    )


def _rounds(side: dict[str, Any]) -> str:
    return " ".join(f"{r:.0f}" for r in side["instances_per_s_by_round"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--bpmn", type=Path, default=DEFAULT_BPMN, help=f"process to run (default {DEFAULT_BPMN})"
    )
    ap.add_argument("--quick", action="store_true", help="N=30 per side (smoke test)")
    ap.add_argument("-n", type=int, default=300, help="instances per side (default 300)")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    ap.add_argument("--json", type=Path, default=None, help="write the results to this JSON file")
    args = ap.parse_args(argv)
    if not args.bpmn.is_file():
        ap.error(f"{args.bpmn} does not exist (shared/ sits beside the repository; or pass --bpmn PATH)")
    workdir = Path(tempfile.mkdtemp(prefix="nezarat-bench-"))
    try:
        results = run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    results["env"] = environment()
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
        print(f"wrote {args.json}")
    print(f"ratio durable/bare: {results['ratio']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
