#!/usr/bin/env python3
"""Web benchmark: the inbox page and task completion over HTTP, with 100,000 open tasks in the inbox table.

Setup (not timed): a fresh SQLite database in a temp dir (WAL, as the platform sets it up), the demo
organisation with its passwords, the ``api_approval`` test bundle deployed, then ``--tasks`` synthetic
open tasks written straight into the inbox tables (``instances``, ``tasks``, ``task_candidates``): spread
over 100 more municipalities (added under the demo county) and the demo ones, offered to one of ten
roles (``budget_officer``, ``urban_affairs_expert`` and eight others), one in 200 held by a person, due
from ten days ago to a month ahead. They are only listed, never opened. So a municipality's budget
officer sees about a hundred of them and a governorate expert, who sees every municipality below the
governorate, about ten thousand.
Then ``--complete`` real instances of ``api_approval`` are started for the completion measurement.

The app runs in werkzeug's threaded server on 127.0.0.1 (a free port); ``requests`` signs in like a
browser (CSRF token, session cookie). Timed, as server time (a WSGI wrapper around the app, from the
request's arrival to its last body byte):

- ``inbox expert_1``: ``GET /inbox`` (first page, default sort, tab counts) for a governorate expert, who
  sees every ``urban_affairs_expert`` task below the governorate (about half of all tasks);
- ``inbox budget_a``: the same for a municipality's budget officer (one municipality's share);
- ``inbox filtered``: ``GET /inbox?q=…&sort=due&page=3`` for expert_1 (text search, another sort, paging);
- ``complete``: ``POST /tasks/<id>`` of the task page form (validation against the form, the workflow
  step, one transaction) for each real instance.

Aims (issue 4): inbox p95 < 100 ms, completion p50 < 10 ms. Usage (from the repository root):
    .venv/bin/python bench/web.py                 # 100,000 tasks, 200 inbox requests per user, 300 completions
    .venv/bin/python bench/web.py --quick         # 10,000 tasks, 40 requests, 40 completions
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import func, select
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import handlers  # noqa: E402, F401  (registers the service-task handlers)
from engine import demo, directory, inbox, passwords  # noqa: E402
from engine.clock import SystemClock  # noqa: E402
from engine.platform import Platform  # noqa: E402
from engine.settings import from_env  # noqa: E402
from engine.store.models import Instance, ProcessVersion, TaskCandidate, TaskRow  # noqa: E402
from handlers import wiring  # noqa: E402
from webui import create_app  # noqa: E402

BUNDLE = ROOT / "tests" / "data" / "bundles" / "api_approval"
EXTRA_UNITS = tuple(f"bench-muni-{n:03d}" for n in range(1, 101))
UNITS = ("muni-a", "muni-b", "muni-c", *EXTRA_UNITS)
GROUPS = ("budget_officer", "urban_affairs_expert", "mayor", "council_secretary", "council_member",
          "municipal_deputy", "plan_budget_expert", "auditor", "audit_firm", "committee_secretary")  # fmt: skip
HOLDERS = ("expert_1", "expert_2", "budget_a", "budget_b")
WORDS = ("بودجه", "اعتبار", "حسابرسی", "تفریغ", "ارزیابی", "بخشنامه", "گزارش", "پیشنهاد")
CHUNK = 5000


class Timer:
    """WSGI wrapper: the server time of each request, by label (set by the client in a header)."""

    def __init__(self, app: Any) -> None:
        self.app, self.samples = app, {}

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        began = time.perf_counter()
        body = b"".join(self.app(environ, start_response))
        label = environ.get("HTTP_X_BENCH")
        if label:
            self.samples.setdefault(label, []).append((time.perf_counter() - began) * 1000)
        return [body]


def build(folder: Path, n_tasks: int) -> Platform:
    settings = from_env(
        {}, database_url=f"sqlite:///{folder}/bench.db", data_dir=str(folder), scheduler="off"
    )
    clock = SystemClock()
    platform = Platform.build(settings, clock=clock, **wiring.platform_parts(settings, clock))
    platform.init_db()
    with platform.store.transaction() as tx:
        demo.load_demo(tx)
        demo.set_demo_passwords(tx)
        for unit in EXTRA_UNITS:
            directory.add_unit(
                tx, unit, title=f"شهرداری {unit[-3:]}", parent="farmandari-a", kind="municipality"
            )
        directory.add_user(tx, "bench_clerk", groups=["clerk"], unit="muni-a", title="کارمند آزمون")
        passwords.set_password(tx, "bench_clerk", demo.DEMO_PASSWORD)
    [version] = platform.deploy(BUNDLE, actor="admin")
    synthetic_tasks(platform, version.process_key, n_tasks)
    return platform


def synthetic_tasks(platform: Platform, process_key: str, n: int) -> None:
    """``n`` open tasks (one instance each) written with Core inserts, in chunks."""
    now = platform.clock.now()
    with platform.store.reading() as tx:
        version_id = tx.scalar(select(ProcessVersion.id).where(ProcessVersion.process_key == process_key))
    for start in range(0, n, CHUNK):
        instances, tasks, candidates = [], [], []
        for i in range(start, min(n, start + CHUNK)):
            instance_id, task_id = str(uuid.uuid4()), str(uuid.uuid4())
            unit, group = UNITS[i % len(UNITS)], GROUPS[(i // len(UNITS)) % len(GROUPS)]
            instances.append(instance_row(instance_id, version_id, process_key, unit, i, now))
            tasks.append(task_row(task_id, instance_id, process_key, unit, group, i, now))
            candidates.append({"task_id": task_id, "kind": "group", "name": group})
        with platform.store.transaction() as tx:
            tx.connection().execute(Instance.__table__.insert(), instances)
            tx.connection().execute(TaskRow.__table__.insert(), tasks)
            tx.connection().execute(TaskCandidate.__table__.insert(), candidates)


def instance_row(
    instance_id: str, version_id: int, key: str, unit: str, i: int, now: dt.datetime
) -> dict[str, Any]:
    return {
        "id": instance_id, "version_id": version_id, "process_key": key, "business_key": f"پرونده {i}",
        "org_unit": unit, "status": "running", "revision": 1, "serializer_version": "nz-1", "state": "",
        "last_seq": 0, "last_hash": "0" * 64, "started_by": None, "started_at": now, "updated_at": now,
    }  # fmt: skip


def task_row(
    task_id: str, instance_id: str, key: str, unit: str, group: str, i: int, now: dt.datetime
) -> dict[str, Any]:
    return {
        "id": task_id, "instance_id": instance_id, "process_key": key, "element_id": "request",
        "name": f"{WORDS[i % len(WORDS)]} شمارهٔ {i}", "lane": None, "form": None,
        "assignee": HOLDERS[(i // 200) % len(HOLDERS)] if i % 200 == 0 else None,
        "candidate_groups": [group], "candidate_users": [], "org_unit": unit,
        "due_at": now + dt.timedelta(days=(i % 40) - 10), "priority": 50 + (i % 3 - 1) * 20,
        "created_at": now - dt.timedelta(minutes=i), "referred_by": None, "referrals": [],
        "escalated_to": None, "escalated_at": None,
    }  # fmt: skip


def serve(platform: Platform) -> tuple[str, Timer, Callable[[], None]]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    app = create_app({"TESTING": False}, platform=platform)
    timer = Timer(app.wsgi_app)
    app.wsgi_app = timer  # type: ignore[method-assign]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return f"http://127.0.0.1:{server.server_port}", timer, server.shutdown


def signed_in(url: str, user: str) -> requests.Session:
    session = requests.Session()
    token = re.search(r'name="csrf_token" value="([^"]+)"', session.get(f"{url}/signin").text)
    answer = session.post(
        f"{url}/signin", data={"user_name": user, "password": demo.DEMO_PASSWORD, "csrf_token": token.group(1)},
        allow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 302, answer.text[:500]
    return session


def inbox_requests(url: str, repeat: int) -> None:
    for user, path, label in (
        ("expert_1", "/inbox", "inbox expert_1"),
        ("budget_a", "/inbox", "inbox budget_a"),
        ("expert_1", "/inbox?q=%D8%A8%D9%88%D8%AF%D8%AC%D9%87&sort=due&page=3", "inbox filtered"),
    ):
        session = signed_in(url, user)
        for _ in range(5):  # warm-up
            session.get(url + path)
        for _ in range(repeat):
            response = session.get(url + path, headers={"X-Bench": label})
            assert response.status_code == 200 and 'data-task="' in response.text


def completions(url: str, platform: Platform, count: int) -> None:
    ids = [platform.start("api_approval", {}, actor="bench_clerk").instance_id for _ in range(count + 5)]
    session = signed_in(url, "bench_clerk")
    token = re.search(r'name="csrf_token" value="([^"]+)"', session.get(f"{url}/inbox").text).group(1)
    for n, instance_id in enumerate(ids):
        [task] = platform.tasks("bench_clerk", instance_id=instance_id)
        label = "complete" if n >= 5 else None  # the first five warm up
        response = session.post(
            f"{url}/tasks/{task['id']}", data={"amount": "1200000", "subject": "خرید", "csrf_token": token},
            headers={"X-Bench": label} if label else {}, allow_redirects=False,
        )  # fmt: skip
        assert response.status_code == 302, response.text[:800]
        session.get(
            f"{url}/signin"
        )  # shows (and so drops) the flash message, as the browser's next page does


def visible_count(platform: Platform, user: str) -> int:
    with platform.store.reading() as tx:
        clause, params = inbox.visibility(tx, directory.person(tx, user))
        query = select(func.count()).select_from(TaskRow.__table__).where(clause)
        return int(tx.connection().execute(query, params).scalar_one())


def report(samples: dict[str, list[float]], n_tasks: int, visible: dict[str, int]) -> None:
    print(f"web benchmark: {n_tasks:,} open tasks; server time per request (ms); visible to:", visible)
    print(f"{'request':<16} {'n':>5} {'p50':>8} {'p95':>8} {'max':>8}")
    for label, values in samples.items():
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        print(
            f"{label:<16} {len(values):>5} {statistics.median(values):>8.1f} {p95:>8.1f} {ordered[-1]:>8.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--complete", type=int, default=300)
    parser.add_argument("--quick", action="store_true", help="10,000 tasks, 40 requests, 40 completions")
    args = parser.parse_args()
    if args.quick:
        args.tasks, args.repeat, args.complete = 10_000, 40, 40
    with tempfile.TemporaryDirectory(prefix="nezarat-web-bench-") as folder:
        began = time.perf_counter()
        platform = build(Path(folder), args.tasks)
        print(f"setup: {args.tasks:,} tasks in {time.perf_counter() - began:.1f} s")
        url, timer, stop = serve(platform)
        try:
            inbox_requests(url, args.repeat)
            visible = {user: visible_count(platform, user) for user in ("expert_1", "budget_a")}
            completions(url, platform, args.complete)
        finally:
            stop()
            platform.store.dispose()
        report(timer.samples, args.tasks, visible)


if __name__ == "__main__":
    main()
