"""The parts ``run.py``'s commands share: the invocation's Platform, ``--json`` output, the common
options and ``--data``, the text tables they print, and the case helpers a script drives a case with
(the task of an element, an instance at a glance, a file into the attachment store).

run.py keeps the command tree and imports these, so each command still reads as one call on
``engine.platform.Platform``. An area with several commands of its own gets a module here with a
``register(cli)`` that run.py calls (run.py stays one screenful per area). Nothing here catches a ``NezaratError``: :meth:`run.Cli.invoke` renders them.
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click
from sqlalchemy import select

from engine import access, directory, verification
from engine.clock import SystemClock
from engine.commit import Result
from engine.errors import InvalidInput, NotFound
from engine.platform import Platform, instance_dict, task_dict
from engine.platform import instant as platform_instant
from engine.settings import from_env
from engine.store.models import ProcessVersion, TaskRow
from engine.verification import Report
from forms.attachments import AttachmentInfo, sniff
from handlers import wiring


def platform() -> Platform:
    """The invocation's one Platform, built on first use (so ``--help`` builds nothing)."""
    root = click.get_current_context().find_root()
    if not isinstance(root.obj, Platform):
        settings, clock = from_env(), SystemClock()
        root.obj = Platform.build(settings, clock=clock, **wiring.platform_parts(settings, clock))
        if root.invoked_subcommand not in ("init-db", "check"):  # check only lints files
            root.obj.require_schema()
    return root.obj


def emit(as_json: bool, payload: Any, lines: Iterable[str]) -> None:
    if as_json:
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
        return
    for line in lines:
        click.echo(line)


def need_actor(actor: str | None, command: str) -> str:
    if not actor:
        raise InvalidInput(f"{command} needs --as USER", hint="tasks are listed and acted on per user")
    return actor


def parse_data(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dict[str, Any] | None:
    """``--data`` is a JSON object, given inline or as ``@file.json``."""
    if value is None:
        return None
    text = value
    if value.startswith("@"):
        try:
            text = Path(value[1:]).read_text(encoding="utf-8")
        except OSError as err:
            raise InvalidInput(f"--data file cannot be read: {err.strerror}", file=value[1:]) from None
    try:
        data = json.loads(text)
    except ValueError as err:
        raise InvalidInput(
            f"--data is not valid JSON: {err}", hint="give an object, e.g. --data '{\"amount\": 1200000}'"
        ) from None
    if not isinstance(data, dict):
        raise InvalidInput(f"--data must be a JSON object, not {type(data).__name__}")
    return data


def instant(value: str | None) -> Any:
    return None if value is None else platform_instant(value, "--now")


json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
actor_option = click.option("--as", "actor", metavar="USER", help="The user who acts.")
data_option = click.option(
    "--data", callback=parse_data, metavar="JSON", help="A JSON object, inline or as @file.json."
)


# -- text -----------------------------------------------------------------------------------------


def result_line(result: Result) -> list[str]:
    return [f"instance {result.instance_id}: {result.status}"]


def who_acts(task: dict[str, Any]) -> str:
    """The assignee, or the candidate groups and users (``in UNIT`` when the task belongs to one)."""
    if task["assignee"]:
        return str(task["assignee"])
    who = ", ".join(task["candidate_groups"] + task["candidate_users"]) or "-"
    return f"{who} in {task['org_unit']}" if task.get("org_unit") else who


def table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]


def task_table(rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return ["no open tasks"]
    cells = [["task", "process", "name", "who", "due"]]
    for t in rows:
        who = t["assignee"] or ", ".join(t["candidate_groups"] + t["candidate_users"]) or "-"
        cells.append([t["id"], t["process_key"], t["name"] or t["element_id"], who, t["due_at"] or "-"])
    return table(cells)


def verdict_line(v: Report) -> str:
    """The instance's verification: one line, then one indented line per finding."""
    return "\n".join(verification.lines([v]))


# -- cases ----------------------------------------------------------------------------------------


def task_of(
    p: Platform, actor: str, task_id: str | None, instance_id: str | None, element: str | None
) -> str:
    """``TASK_ID`` as given, or the one open task of ``element`` in ``instance_id`` that ``actor`` sees."""
    if task_id:
        if instance_id or element:
            raise InvalidInput("give either TASK_ID or --instance with --element, not both")
        return task_id
    if not (instance_id and element):
        raise InvalidInput(
            "name the task: TASK_ID, or --instance ID with --element ELEMENT",
            hint="`run.py tasks --as USER --instance ID` lists the tasks and their elements",
        )
    seen = p.tasks(actor, instance_id=instance_id)
    found = [t for t in seen if t["element_id"] == element]
    if len(found) == 1:
        return str(found[0]["id"])
    if found:
        ids = ", ".join(f"{t['id']} ({t['org_unit'] or '-'})" for t in found)
        raise InvalidInput(
            f"{actor} sees {len(found)} open '{element}' tasks in instance {instance_id}; give the TASK_ID",
            hint=ids,
        )
    p.instance(instance_id)  # NotFound when there is no such instance at all
    elements = ", ".join(sorted({t["element_id"] for t in seen})) or "none"
    raise NotFound(
        f"{actor} has no open '{element}' task in instance {instance_id}",
        hint=f"their open tasks there: {elements}",
    )


def instance_view(p: Platform, instance_id: str, actor: str | None) -> dict[str, Any]:
    """An instance at a glance: its status, version, incident, and every open task with who may act."""
    with p.store.reading() as tx:
        row = access.instance_for(tx, instance_id, actor)
        version = tx.get(ProcessVersion, row.version_id)
        query = select(TaskRow).where(TaskRow.instance_id == row.id).order_by(TaskRow.created_at, TaskRow.id)
        tasks = [task_dict(t) for t in tx.scalars(query)]
        return {**instance_dict(row), "version": version.version if version else None, "open_tasks": tasks}


def instance_lines(view: dict[str, Any]) -> list[str]:
    lines = [
        f"instance {view['instance_id']}: {view['status']}",
        f"process {view['process_key']} version {view['version']}, revision {view['revision']}",
        f"started {view['started_at']} by {view['started_by'] or '-'} in {view['org_unit'] or '-'}"
        + (f"; ended {view['ended_at']}" if view["ended_at"] else ""),
        f"incident: {json.dumps(view['incident'], ensure_ascii=False) if view['incident'] else 'none'}",
    ]
    tasks = view["open_tasks"]
    if not tasks:
        return [*lines, "open tasks: none"]
    cells = [["task", "element", "name", "who may act", "due"]]
    for t in tasks:
        cells.append([t["id"], t["element_id"], t["name"] or "-", who_acts(t), t["due_at"] or "-"])
    return [*lines, "open tasks:", *("  " + line for line in table(cells))]


def attach(p: Platform, path: Path, *, actor: str, content_type: str | None) -> AttachmentInfo:
    """Store the file at ``path`` in the platform's attachment store (the one forms check refs against).

    The type is declared from ``content_type`` or the file's name; the store still reads the content and
    refuses a file whose bytes say otherwise (a program renamed to .pdf).
    """
    with p.store.reading() as tx:
        directory.person(tx, actor)  # an unknown user uploads nothing
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InvalidInput(f"{path} cannot be read: {err.strerror}") from None
    declared = content_type or mimetypes.guess_type(path.name)[0] or sniff(data) or "application/octet-stream"
    store = p.runtime.services["attachments"]
    return store.info(store.put(data, filename=path.name, content_type=declared))
