"""Nezarat's command line: ``python run.py COMMAND``; each command is one call on ``engine.platform.Platform``.

Errors are rendered in :meth:`Cli.invoke`: a ``NezaratError`` goes to stderr as ``error: <message; hint
(place)>``, exit code the error's (2 invalid input, 3 not found, 4 conflict, 5 forbidden). ``--json``
prints one JSON document on success. ``verify`` exits 1 on a finding, ``check`` 2 on an error diagnostic.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

import handlers  # noqa: F401  (importing it registers every service-task handler)
from commandline import (
    actor_option,
    admin,
    attach,
    audit,
    data_option,
    emit,
    instance_lines,
    instance_view,
    instant,
    json_option,
    need_actor,
    platform,
    result_line,
    task_of,
    task_table,
    verdict_line,
)
from engine import demo, directory, passwords
from engine.definitions import bundle
from engine.definitions.deploy import Deployed
from engine.definitions.diagnostics import errors_in
from engine.errors import InvalidInput, NezaratError
from engine.kpi import lines as kpi_lines
from handlers import signing

EXIT_BROKEN_CHAIN = 1


class Cli(click.Group):
    """The root group: the one place a NezaratError becomes a stderr line and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NezaratError as err:
            click.echo(f"error: {err}", err=True)
            ctx.exit(err.exit_code)


@click.group(cls=Cli, context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Nezarat (نظارت): BPMN processes for supervision and budget work."""


# -- setup ----------------------------------------------------------------------------------------


@cli.command("init-db")
@click.option("--demo", "with_demo", is_flag=True, help="Load the demo organisation (idempotent).")
@click.option("--if-empty", is_flag=True, help="With --demo: load it only when there are no users.")
def init_db(with_demo: bool, if_empty: bool) -> None:
    """Bring the database schema up to date."""
    p = platform()
    p.init_db()
    click.echo(f"schema up to date: {p.store.engine.url.render_as_string(hide_password=True)}")
    if not with_demo:
        return
    with p.store.transaction() as tx:
        skip = if_empty and demo.has_users(tx)
        loaded = None if skip else demo.load_demo(tx)
        demo.set_demo_passwords(tx)  # also for a database made before demo users had passwords
        people = directory.people(tx)
    if loaded is None:
        click.echo("demo organisation skipped: the directory already has users")
        return
    click.echo(f"demo organisation loaded: {loaded.units} units, {loaded.users} users")
    click.echo(f"demo users sign in with the password '{demo.DEMO_PASSWORD}' (unless one was set since)")
    keys = p.settings.data_dir / "pki"
    password = signing.demo_keys(people, keys, p.clock)
    click.echo(
        f"demo signing keys: {keys / 'users'}/<user>.p12 (password {password}); trust: {keys / 'trust'}"
    )


@cli.group()
def users() -> None:
    """Users of the directory."""


@users.command("add")
@click.argument("name")
@click.option("--groups", required=True, metavar="G1,G2", help="Comma-separated role names.")
@click.option("--unit", help="The org unit the user works in.")
@click.option("--title", help="Job title, e.g. کارشناس امور شهری.")
@click.option("--email")
def users_add(name: str, groups: str, unit: str | None, title: str | None, email: str | None) -> None:
    """Create a user, or update one (groups are replaced)."""
    with platform().store.transaction() as tx:
        directory.add_user(tx, name, groups=groups.split(","), unit=unit, title=title, email=email)
        tx.flush()  # add_user's own Person is read before its memberships are flushed
        person = directory.person(tx, name)
    roles = ", ".join(sorted(person.groups)) or "-"
    click.echo(f"user {person.name}: groups {roles}; unit {person.unit or '-'}")


@users.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the new password from the first line of stdin.")
def users_passwd(name: str, password_stdin: bool) -> None:
    """Set the sign-in password of user NAME (prompted twice unless --password-stdin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("new password", hide_input=True, confirmation_prompt=True)
    with platform().store.transaction() as tx:
        passwords.set_password(tx, name, password)
    click.echo(f"password of {name} set; their open web sessions end")


# -- definitions ----------------------------------------------------------------------------------


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@json_option
@actor_option
def deploy(path: Path, as_json: bool, actor: str | None) -> None:
    """Deploy a bundle folder, a .bpmn file, or a folder of bundles."""
    deployed = platform().deploy(path, actor=actor)
    payload = [d.to_dict() for d in deployed]
    single = len(payload) == 1 and is_one_bundle(path)
    emit(as_json, payload[0] if single else payload, deployed_lines(deployed))


def is_one_bundle(path: Path) -> bool:
    """A .bpmn file or a bundle folder (not a folder of bundles): its deploy prints one object."""
    found = bundle.discover(path)
    return path.is_file() or (len(found) == 1 and found[0].parent == path)


def deployed_lines(deployed: list[Deployed]) -> Iterable[str]:
    for d in deployed:
        state = "new" if d.created else "unchanged"
        yield f"{d.process_key}  version {d.version}  ({state})  sha256 {d.sha256[:12]}"
        yield from (f"  warning: {w}" for w in d.warnings)


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@json_option
@click.pass_context
def check(ctx: click.Context, path: Path, as_json: bool) -> None:
    """Lint bundles without deploying; exit 2 when any diagnostic is an error."""
    report = platform().check(path)
    found = [d for diagnostics in report.values() for d in diagnostics]
    errors = errors_in(found)
    summary = f"checked {len(report)} file(s): {len(errors)} error(s), {len(found) - len(errors)} warning(s)"
    payload = {name: [d.to_dict() for d in diagnostics] for name, diagnostics in report.items()}
    emit(as_json, payload, [*(str(d) for d in found), summary])
    if errors:
        click.echo(f"error: {path} has {len(errors)} error diagnostic(s)", err=True)
        ctx.exit(InvalidInput.exit_code)


# -- work -----------------------------------------------------------------------------------------


def one_call(name: str, about: str, argument: str, *, needs_actor: bool) -> None:
    """Add ``NAME ARGUMENT [--as USER] [--json]``: one Platform call of that name, its Result printed."""

    @cli.command(name, help=about)
    @click.argument(argument)
    @actor_option
    @json_option
    def command(actor: str | None, as_json: bool, **arguments: str) -> None:
        who = need_actor(actor, name) if needs_actor else actor
        result = getattr(platform(), name)(arguments[argument], actor=who)
        emit(as_json, result.to_dict(), result_line(result))


one_call("claim", "Take a task so no one else works on it.", "task_id", needs_actor=True)
one_call("unclaim", "Give a claimed task back to its candidates.", "task_id", needs_actor=True)
one_call("retry", "Run an instance's failed step again (an incident).", "instance_id", needs_actor=False)
admin.register(cli)  # cancel, suspend, resume, reassign, edit-data, skip, migrate


@cli.command()
@click.argument("process_key")
@data_option
@actor_option
@json_option
@click.option("--quiet", "-q", is_flag=True, help="Print only the new instance's id (for scripts).")
def start(
    process_key: str, data: dict[str, Any] | None, actor: str | None, as_json: bool, quiet: bool
) -> None:
    """Start an instance of the newest version of PROCESS_KEY."""
    result = platform().start(process_key, data, actor=actor)
    if quiet:
        click.echo(result.instance_id)
        return
    emit(as_json, result.to_dict(), result_line(result))


@cli.command()
@actor_option
@click.option("--instance", "instance_id", metavar="ID", help="Only the tasks of this instance.")
@json_option
def tasks(actor: str | None, instance_id: str | None, as_json: bool) -> None:
    """The open tasks USER may see: assigned to them, or offered to them or their groups."""
    rows = platform().tasks(need_actor(actor, "tasks"), instance_id=instance_id)
    emit(as_json, rows, task_table(rows))


@cli.command()
@click.argument("task_id")
@click.option("--to", "to_user", metavar="USER", help="The person to refer the task to.")
@click.option("--to-unit", metavar="UNIT", help="Or the unit whose pool gets the task.")
@click.option("--note", help="Why, for the next person (ارجاع with a note).")
@actor_option
@json_option
def refer(
    task_id: str, to_user: str | None, to_unit: str | None, note: str | None, actor: str | None, as_json: bool
) -> None:
    """Refer a task to a person (their delegate when away) or to a unit, with a note."""
    result = platform().refer(
        task_id, actor=need_actor(actor, "refer"), to_user=to_user, to_unit=to_unit, note=note
    )
    emit(as_json, result.to_dict(), result_line(result))


@cli.command("return")
@click.argument("task_id")
@click.option("--note", help="Why it goes back.")
@actor_option
@json_option
def return_task(task_id: str, note: str | None, actor: str | None, as_json: bool) -> None:
    """Return a referred task to the person who referred it."""
    result = platform().give_back(task_id, actor=need_actor(actor, "return"), note=note)
    emit(as_json, result.to_dict(), result_line(result))


@cli.group()
def absences() -> None:
    """Absences and delegates: work referred to someone away goes to their delegate."""


@absences.command("add")
@click.argument("user")
@click.option("--delegate", required=True, metavar="USER", help="Who acts for them meanwhile.")
@click.option("--from", "starts", required=True, metavar="ISO8601", help="Start of the absence.")
@click.option("--until", "ends", required=True, metavar="ISO8601", help="End of the absence.")
@click.option("--note")
@json_option
def absences_add(user: str, delegate: str, starts: str, ends: str, note: str | None, as_json: bool) -> None:
    added = platform().add_absence(user, delegate=delegate, starts_at=starts, ends_at=ends, note=note)
    emit(as_json, added, [f"{user} away {added['starts_at']} – {added['ends_at']}; delegate {delegate}"])


@cli.command()
@click.argument("task_id", required=False)
@click.option("--instance", "instance_id", metavar="ID", help="Instead of TASK_ID: the task's instance.")
@click.option("--element", metavar="ELEMENT", help="With --instance: the task's BPMN id (one open task).")
@actor_option
@data_option
@click.option("--expected-rev", type=int, metavar="N", help="Refuse (exit 4) if the instance moved on.")
@click.option(
    "--sign-with", type=click.Path(path_type=Path), help="A signature step: sign with this .p12 key."
)
@click.option("--key-password", metavar="TEXT", help="The .p12 password (asked when not given).")
@json_option
def complete(
    task_id: str | None,
    instance_id: str | None,
    element: str | None,
    actor: str | None,
    data: dict[str, Any] | None,
    expected_rev: int | None,
    sign_with: Path | None,
    key_password: str | None,
    as_json: bool,
) -> None:
    """Complete a task (TASK_ID, or --instance ID --element ELEMENT) with the submitted form data."""
    user = need_actor(actor, "complete")
    p = platform()
    task_id = task_of(p, user, task_id, instance_id, element)
    signature = None
    if sign_with is not None:
        password = key_password if key_password is not None else click.prompt("key password", hide_input=True)
        approval = p.approval(task_id, data, actor=user)
        store = p.runtime.services["attachments"]
        signature = signing.sign_with_pkcs12(approval, store, sign_with, password, p.clock)
    result = p.complete(task_id, data, actor=user, expected_rev=expected_rev, signature=signature)
    emit(as_json, result.to_dict(), result_line(result))


@cli.command()
@click.option("--now", "at", metavar="ISO8601", help="The moment to fire timers for (default: now).")
@json_option
def tick(at: str | None, as_json: bool) -> None:
    """Fire the timers due at that moment."""
    fired = platform().tick(instant(at))
    emit(as_json, {"fired": fired}, [f"fired the due timers of {fired} instance(s)"])


# -- records --------------------------------------------------------------------------------------


@cli.command()
@click.argument("instance_id")
@actor_option
@json_option
def show(instance_id: str, actor: str | None, as_json: bool) -> None:
    """An instance at a glance: status, version, incident, open tasks and who may act on them."""
    view = instance_view(platform(), instance_id, actor)
    emit(as_json, view, instance_lines(view))


@cli.command("attach")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--type", "content_type", metavar="MIME", help="Declared type (default: from the name).")
@actor_option
@json_option
def attach_file(file: Path, content_type: str | None, actor: str | None, as_json: bool) -> None:
    """Store FILE in the attachment store and print its ref, the value of a form's attachment field."""
    info = attach(platform(), file, actor=need_actor(actor, "attach"), content_type=content_type)
    emit(as_json, vars(info), [info.ref])


@cli.command()
@click.argument("instance_id")
@json_option
def history(instance_id: str, as_json: bool) -> None:
    """The hash-chained events of an instance, oldest first."""
    events = platform().history(instance_id)
    lines = (
        f"{e['seq']:>4}  {e['at']}  {e['actor'] or '-':<12}  {e['kind']:<18}  {e['element_id'] or ''}".rstrip()
        for e in events
    )
    emit(as_json, events, lines)


@cli.command()
@click.argument("instance_id", required=False)
@click.option("--all", "every", is_flag=True, help="Verify every instance.")
@click.option("--replay/--no-replay", "again", default=True, help="Re-run and compare (default).")
@json_option
@click.pass_context
def verify(ctx: click.Context, instance_id: str | None, every: bool, again: bool, as_json: bool) -> None:
    """Check chains, signatures, checkpoints, documents and replays; exit 1 naming the first problem."""
    if every == bool(instance_id):
        raise InvalidInput("verify needs either INSTANCE_ID or --all")
    p = platform()
    verdicts = p.verify_all(replay=again) if every else [p.verify(instance_id or "", replay=again)]
    payload = [v.to_dict() for v in verdicts] if every else verdicts[0].to_dict()
    emit(as_json, payload, [verdict_line(v) for v in verdicts] or ["no instances"])
    broken = [v for v in verdicts if not v.ok]
    if broken:
        click.echo(f"error: {verdict_line(broken[0])}", err=True)
        ctx.exit(EXIT_BROKEN_CHAIN)


@cli.command("kpi")
@click.option("--from", "since", metavar="DATE", help="First day, 1405/01/01 or ISO (default: fiscal year).")
@click.option("--to", "until", metavar="DATE", help="First day after the period (default: next 1 Farvardin).")
@click.option("--unit", metavar="UNIT", help="Only this unit and the units under it.")
@actor_option
@json_option
def kpi_report(
    since: str | None, until: str | None, unit: str | None, actor: str | None, as_json: bool
) -> None:
    """KPIs: work done on time or late, open and overdue, per unit and process; seed 001's ratios."""
    report = platform().kpis(since=since, until=until, unit=unit, actor=actor)
    emit(as_json, report, kpi_lines(report))


# -- web ------------------------------------------------------------------------------------------


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, type=int, show_default=True)
def serve(host: str, port: int) -> None:
    """Serve the web UI and the JSON API."""
    from webui import create_app  # imported here: every other command works without the web stack

    create_app(platform=platform()).run(host=host, port=port)


audit.register(cli)
if __name__ == "__main__":
    cli()
