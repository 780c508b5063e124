"""The auditor's commands: ``replay`` (verifying replay), ``export-audit`` and ``verify-package``.

``replay`` and ``verify-package`` exit 1 when they find a divergence or a problem. ``verify-package``
needs no database and no settings: it runs on an auditor's machine with the zip alone.
"""

from __future__ import annotations

from pathlib import Path

import click

from commandline import actor_option, emit, json_option, platform
from engine.audit_package import PackageReport, export
from engine.clock import SystemClock
from engine.errors import InvalidInput, NotFound
from engine.replay import Replayer, ReplayReport
from handlers import signing, wiring

EXIT_FOUND = 1


def register(cli: click.Group) -> None:
    cli.add_command(replay)
    cli.add_command(export_audit)
    cli.add_command(verify_package)


@click.command()
@click.argument("instance_id", required=False)
@click.option("--all", "every", is_flag=True, help="Replay every instance.")
@json_option
@click.pass_context
def replay(ctx: click.Context, instance_id: str | None, every: bool, as_json: bool) -> None:
    """Re-run an instance's pinned version with its recorded inputs; exit 1 naming the first divergence."""
    if every == bool(instance_id):
        raise InvalidInput("replay needs either INSTANCE_ID or --all")
    p = platform()
    replayer = Replayer.of(p, wiring.replay_services(p.settings))
    reports = replayer.replay_all() if every else [replayer.replay(instance_id or "")]
    payload = [r.to_dict() for r in reports] if every else reports[0].to_dict()
    emit(as_json, payload, [line for r in reports for line in replay_lines(r)] or ["no instances"])
    if any(not r.ok for r in reports):
        ctx.exit(EXIT_FOUND)


def replay_lines(report: ReplayReport) -> list[str]:
    d = report.divergence
    if d is None:
        return [f"instance {report.instance_id}: replay matches the history ({report.events} events)"]
    where = (
        f"event {d.seq} ({d.kind} {d.element_id or ''})".replace(" )", ")")
        if d.seq
        else f"after the history ({d.kind})"
    )
    return [f"instance {report.instance_id}: replay diverges at {where}: {d.reason}"]


@click.command("export-audit")
@click.argument("instance_id")
@click.option(
    "-o", "--output", "out", required=True, type=click.Path(path_type=Path), help="The zip to write."
)
@actor_option
def export_audit(instance_id: str, out: Path, actor: str | None) -> None:
    """Write an instance's audit package: BPMN, forms, history, signatures, documents, certificates, sealed."""
    p = platform()
    seal = signing.seal(p.settings, p.clock)
    if seal is None:
        raise NotFound(
            f"the server's seal {p.settings.seal_file} does not exist, so a package cannot be sealed",
            hint="run `python run.py init-db --demo`, or set NEZARAT_SEAL_FILE",
        )
    from signatures import package  # pyHanko loads on use

    store = wiring.attachment_store(p.settings)
    signed = package.signed_cms_of(p.history(instance_id))
    data = export(
        p.store,
        instance_id,
        read_attachment=lambda ref: (store.get(ref), store.info(ref).filename, store.info(ref).content_type),
        seal=seal,
        certificates=package.certificates(signed, p.settings.trust_dir),
        exported_by=actor,
        clock=p.clock,
    )
    out.write_bytes(data)
    click.echo(f"{out}: audit package of instance {instance_id} ({len(data)} bytes)")


@click.command("verify-package")
@click.argument("path", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--trust", "trust_dir", type=click.Path(path_type=Path), help="Trust roots to use, not the package's."
)
@json_option
@click.pass_context
def verify_package(ctx: click.Context, path: Path, trust_dir: Path | None, as_json: bool) -> None:
    """Check a package offline: its seal, every file's sha256, the history chain, every signature."""
    from signatures import package, trust

    roots = trust.load_trust(trust_dir) if trust_dir else None
    report = package.verify_package(path.read_bytes(), trust_store=roots, clock=SystemClock())
    emit(as_json, report.to_dict(), package_lines(report, trust_dir))
    if not report.ok:
        ctx.exit(EXIT_FOUND)


def package_lines(report: PackageReport, trust_dir: Path | None) -> list[str]:
    roots = str(trust_dir) if trust_dir else "the package's own roots"
    head = f"package of instance {report.instance_id}: {report.files} files, {report.events} events, trust: {roots}"
    if report.ok:
        return [head, "verified: seal, files, history chain and signatures hold"]
    return [head, *(f"problem: {p.where}: {p.problem}" for p in report.problems)]
