"""Administrators' commands: suspend, resume, reassign, edit-data, skip and migrate, each an event in the instance's
hash chain naming the admin (``--as``, a member of the ``admin`` group); and cancel, which the
instance's starter may also do (without ``--as``: the operator), with the note kept in the history."""

from __future__ import annotations

from typing import Any

import click

from commandline import actor_option, data_option, emit, json_option, need_actor, platform, result_line

admin_option = click.option("--as", "actor", metavar="ADMIN", help="The administrator who acts.")
note_option = click.option("--note", help="Why (kept in the history).")


@click.command()
@click.argument("instance_id")
@actor_option
@note_option
@json_option
def cancel(instance_id: str, actor: str | None, note: str | None, as_json: bool) -> None:
    """Cancel a running instance and its open tasks (its starter or an admin)."""
    show(as_json, platform().cancel(instance_id, actor=actor, note=note))


@click.command()
@click.argument("instance_id")
@admin_option
@note_option
@json_option
def suspend(instance_id: str, actor: str | None, note: str | None, as_json: bool) -> None:
    """Suspend an instance: its tasks wait and its timers do not fire until it is resumed."""
    show(as_json, platform().suspend(instance_id, actor=need_actor(actor, "suspend"), note=note))


@click.command()
@click.argument("instance_id")
@admin_option
@note_option
@json_option
def resume(instance_id: str, actor: str | None, note: str | None, as_json: bool) -> None:
    """Resume a suspended instance (its overdue timers fire at the next tick)."""
    show(as_json, platform().resume(instance_id, actor=need_actor(actor, "resume"), note=note))


@click.command()
@click.argument("task_id")
@click.option("--to", "to_user", required=True, metavar="USER", help="Who gets the task.")
@admin_option
@note_option
@json_option
def reassign(task_id: str, to_user: str, actor: str | None, note: str | None, as_json: bool) -> None:
    """Give an open task to a user, whatever its candidates."""
    who = need_actor(actor, "reassign")
    show(as_json, platform().reassign(task_id, to_user=to_user, actor=who, note=note))


@click.command("edit-data")
@click.argument("instance_id")
@data_option
@admin_option
@json_option
def edit_data(instance_id: str, data: dict[str, Any] | None, actor: str | None, as_json: bool) -> None:
    """Set fields of an instance's data; the history keeps the old and the new values."""
    who = need_actor(actor, "edit-data")
    show(as_json, platform().edit_data(instance_id, data or {}, actor=who))


@click.command()
@click.argument("task_id")
@data_option
@admin_option
@note_option
@json_option
def skip(
    task_id: str, data: dict[str, Any] | None, actor: str | None, note: str | None, as_json: bool
) -> None:
    """Complete an open task on the admin's authority (its step is moot); --data fills its form."""
    who = need_actor(actor, "skip")
    show(as_json, platform().skip(task_id, actor=who, data=data, note=note))


@click.command()
@click.argument("instance_id")
@click.option("--to-version", "to_version", required=True, type=int, metavar="N", help="The target version.")
@admin_option
@note_option
@json_option
def migrate(instance_id: str, to_version: int, actor: str | None, note: str | None, as_json: bool) -> None:
    """Move an instance to another deployed version of its process (refused if an open step is missing)."""
    who = need_actor(actor, "migrate")
    show(as_json, platform().migrate(instance_id, to_version=to_version, actor=who, note=note))


def register(cli: click.Group) -> None:
    for command in (cancel, suspend, resume, reassign, edit_data, skip, migrate):
        cli.add_command(command)


def show(as_json: bool, result: Any) -> None:
    emit(as_json, result.to_dict(), result_line(result))
