"""Kill the server with SIGKILL again and again while a client completes tasks over the API: after a
restart, every completion the client saw acknowledged is in the database and every history chain holds."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from engine.clock import SystemClock
from tests.conftest import ROOT, add_people, bundle, make_platform
from webui.auth import issue_token

DEADLINE_S = 60
KILLS = 6


class Server:
    def __init__(self, env: dict[str, str], port: int) -> None:
        self.env, self.port, self.proc = env, port, None  # type: ignore[var-annotated]
        self.kills = 0

    def start(self) -> None:
        cmd = [sys.executable, str(ROOT / "run.py"), "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        self.proc = subprocess.Popen(
            cmd, env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for _ in range(200):
            try:
                requests.get(f"http://127.0.0.1:{self.port}/healthz", timeout=0.5)
                return
            except requests.RequestException:
                time.sleep(0.05)
        raise RuntimeError("the server did not come up")

    def kill(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.kills += 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Server, str]]:
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    platform = make_platform(url, tmp_path, SystemClock())  # type: ignore[arg-type]
    with platform.store.transaction() as tx:
        add_people(tx)
    platform.deploy(bundle("two_steps"))
    token = issue_token(platform, "ali")
    platform.store.dispose()
    env = {
        **os.environ,
        "NEZARAT_DATABASE_URL": url,
        "NEZARAT_DATA_DIR": str(tmp_path),
        "NEZARAT_SCHEDULER": "off",
    }
    srv = Server(env, free_port())
    srv.start()
    yield srv, token
    if srv.proc is not None and srv.proc.poll() is None:
        srv.kill()


def client_loop(base: str, token: str, acknowledged: list[str], stop: threading.Event) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    while not stop.is_set():
        try:
            started = requests.post(
                f"{base}/processes/two_steps/instances", json={"data": {}}, headers=headers, timeout=5
            )
            if started.status_code != 201:
                continue
            instance = started.json()["instance_id"]
            for _ in range(2):
                [task] = requests.get(
                    f"{base}/tasks", params={"instance": instance}, headers=headers, timeout=5
                ).json()
                done = requests.post(
                    f"{base}/tasks/{task['id']}/complete", json={"data": {"n": 1}}, headers=headers, timeout=5
                )
                if done.status_code == 200:
                    acknowledged.append(task["id"])
        except (requests.RequestException, ValueError):
            time.sleep(0.05)  # the server is down (or was killed mid-answer): try again


@pytest.mark.slow
def test_completions_acknowledged_before_a_sigkill_survive_it(
    server: tuple[Server, str], tmp_path: Path
) -> None:
    srv, token = server
    acknowledged: list[str] = []
    stop = threading.Event()
    client = threading.Thread(
        target=client_loop, args=(f"http://127.0.0.1:{srv.port}/api/v1", token, acknowledged, stop)
    )
    client.start()
    began = time.monotonic()
    rng = random.Random(7)
    while srv.kills < KILLS and time.monotonic() - began < DEADLINE_S:
        # Kill only once the client has made progress on this run of the server, at a random moment
        # after that: however slow the machine, each kill lands in the middle of real work.
        seen = len(acknowledged)
        while len(acknowledged) < seen + 2 and time.monotonic() - began < DEADLINE_S:
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 0.3))
        srv.kill()
        srv.start()
    stop.set()
    client.join(timeout=30)
    srv.kill()

    assert srv.kills >= 5 and len(acknowledged) >= 10, (srv.kills, len(acknowledged))
    env = srv.env
    tasks_done = subprocess.run(
        [sys.executable, str(ROOT / "run.py"), "verify", "--all"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert tasks_done.returncode == 0, tasks_done.stdout + tasks_done.stderr
    from sqlalchemy import create_engine, text

    engine = create_engine(env["NEZARAT_DATABASE_URL"])
    with engine.connect() as conn:
        completed = {r[0] for r in conn.execute(text("select task_id from history where kind = 'completed'"))}
    engine.dispose()
    assert set(acknowledged) <= completed
