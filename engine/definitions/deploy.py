"""Deploy and check bundles: hardened load → XSD (warnings) → lint → SpiffWorkflow parse → immutable version.

Versions are numbered per process key and identified by the sha256 of the bundle's content, so
deploying the same bundle twice returns the existing version. Instances stay on the version they
started with.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import timers
from engine.clock import Clock
from engine.definitions import bundle as bundles
from engine.definitions import catalog, checks, flavour, xml, xsd
from engine.definitions.diagnostics import Diagnostic, errors_in
from engine.errors import DefinitionError, NezaratError
from engine.spiff import parser, workflow
from engine.spiff.parser import SpiffError
from engine.spiff.serializer import codec
from engine.store.models import ProcessVersion
from engine.store.session import Store
from engine.submissions import FormCheck

MAX_BPMN_BYTES = 5 * 1024 * 1024


@dataclasses.dataclass(frozen=True)
class Compiled:
    """A bundle that passed every check, ready to store: one entry per executable process."""

    bundle: bundles.Bundle
    flavour: str
    sha256: str
    processes: list[parser.ParsedProcess]
    catalogs: dict[str, dict[str, Any]]
    warnings: list[Diagnostic]


@dataclasses.dataclass(frozen=True)
class Deployed:
    process_key: str
    version: int
    sha256: str
    warnings: list[str]
    created: bool
    version_id: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "process_key": self.process_key,
            "version": self.version,
            "sha256": self.sha256,
            "warnings": self.warnings,
        }


def check_path(
    path: Path, *, max_bytes: int = MAX_BPMN_BYTES, form_check: FormCheck | None = None
) -> dict[str, list[Diagnostic]]:
    """Lint every bundle under ``path``; a refused file reports its diagnostics instead of raising."""
    report: dict[str, list[Diagnostic]] = {}
    for bpmn_path in bundles.discover(path):
        try:
            bundle = bundles.read(bpmn_path, max_bytes=max_bytes)
            compiled = compile_bundle(bundle, max_bytes=max_bytes, form_check=form_check)
            report[str(bpmn_path)] = compiled.warnings
        except DefinitionError as err:
            report[str(bpmn_path)] = diagnostics_of(err)
    return report


def deploy_path(
    path: Path,
    *,
    store: Store,
    clock: Clock,
    actor: str | None,
    max_bytes: int = MAX_BPMN_BYTES,
    source_name: str | None = None,
    form_check: FormCheck | None = None,
) -> list[Deployed]:
    out: list[Deployed] = []
    for bpmn_path in bundles.discover(path):
        bundle = bundles.read(bpmn_path, max_bytes=max_bytes, source_name=source_name)
        out.extend(
            deploy_bundle(
                bundle, store=store, clock=clock, actor=actor, max_bytes=max_bytes, form_check=form_check
            )
        )
    return out


def deploy_bundle(
    bundle: bundles.Bundle,
    *,
    store: Store,
    clock: Clock,
    actor: str | None,
    max_bytes: int = MAX_BPMN_BYTES,
    form_check: FormCheck | None = None,
) -> list[Deployed]:
    compiled = compile_bundle(bundle, max_bytes=max_bytes, form_check=form_check)
    with store.transaction() as tx:
        return [_store(tx, compiled, p, clock=clock, actor=actor) for p in compiled.processes]


def compile_bundle(
    bundle: bundles.Bundle, *, max_bytes: int = MAX_BPMN_BYTES, form_check: FormCheck | None = None
) -> Compiled:
    name = bundle.source_name
    tree = xml.load(bundle.bpmn, filename=name, max_bytes=max_bytes)
    dmn_trees = [xml.load(d, filename=f"{name} (dmn)") for d in bundle.dmn]
    if flavour.is_dmn(tree):
        raise _refused(
            [Diagnostic("NZ012", "error", "a DMN file is deployed with the process that calls it", file=name)]
        )
    found = xsd.validate(tree, name) + checks.run(
        tree, filename=name, forms=None if bundle.forms is None else set(bundle.forms)
    )
    found += _form_problems(bundle, form_check)
    if errors_in(found):
        raise _refused(found)
    kind = flavour.detect(tree)
    processes = _parse_all(tree, kind, dmn_trees, name)
    catalogs = {p.process_id: _catalog(tree.getroot(), p) for p in processes}
    return Compiled(
        bundle=bundle,
        flavour=kind,
        sha256=_sha256(bundle),
        processes=processes,
        catalogs=catalogs,
        warnings=found + _uncalled_hidden(tree.getroot(), catalogs, name),
    )


def _form_problems(bundle: bundles.Bundle, form_check: FormCheck | None) -> list[Diagnostic]:
    if form_check is None:
        return []
    found = []
    for name, form in sorted((bundle.forms or {}).items()):
        problem = form_check(name, form)
        if problem:
            where = f"forms/{name}"
            found.append(Diagnostic("NZ021", "error", f"form {name}: {problem}", file=where))
    return found


def _catalog(root: Any, process: parser.ParsedProcess) -> dict[str, Any]:
    """The process's task facts plus those of the processes it calls from the same file."""
    found = catalog.extract(root, process.process_id)
    for called in process.subprocess_specs:
        if called != process.process_id and catalog.is_process(root, called):
            catalog.add_called(found, None, called, catalog.extract(root, called))
    return found


_STARTED_BY_EVENT = ("timerEventDefinition", "messageEventDefinition", "signalEventDefinition")


def _uncalled_hidden(root: Any, catalogs: dict[str, dict[str, Any]], name: str) -> list[Diagnostic]:
    """NZ124: a process nobody may start by hand that nothing in the bundle calls or starts by an event."""
    called = {c.get("calledElement") for c in root.iter(f"{{{xml.BPMN_NS}}}callActivity")}
    found = []
    for process_id, facts in catalogs.items():
        node = root.find(f".//{{{xml.BPMN_NS}}}process[@id='{process_id}']")
        if catalog.startable(facts) or process_id in called or _event_started(node):
            continue
        message = (
            f"process '{process_id}' is not startable from the tasklist "
            '(camunda:isStartableInTasklist="false") and nothing in this bundle calls it; '
            "unless a process of another bundle calls it, no one can start it"
        )
        hint = 'call it from a call activity, or remove camunda:isStartableInTasklist="false"'
        line = node.sourceline if node is not None else None
        found.append(
            Diagnostic("NZ124", "warning", message, hint=hint, file=name, line=line, element=process_id)
        )
    return found


def _event_started(process: Any) -> bool:
    if process is None:
        return False
    starts = process.findall(f"{{{xml.BPMN_NS}}}startEvent")
    return any(
        start.find(f"{{{xml.BPMN_NS}}}{kind}") is not None for start in starts for kind in _STARTED_BY_EVENT
    )


def diagnostics_of(err: DefinitionError) -> list[Diagnostic]:
    details = err.details if isinstance(err.details, list) else []
    found = [Diagnostic(**d) for d in details if isinstance(d, dict)]
    if not found:
        code = err.message.split(" ", 1)[0] if err.message.startswith("NZ") else "NZ000"
        found = [
            Diagnostic(code, "error", err.message.removeprefix(code).strip(), file=err.file, line=err.line)
        ]
    return found


def _parse_all(tree: Any, kind: str, dmn_trees: list[Any], name: str) -> list[parser.ParsedProcess]:
    try:
        ids = parser.executable_process_ids(tree, kind, dmn_trees)
        if not ids:
            raise parser.ParseFailure('no process is marked isExecutable="true"')
        parsed = [parser.parse(tree, flavour=kind, process_id=pid, dmn_roots=dmn_trees) for pid in ids]
    except parser.ParseFailure as err:
        raise _refused([_parse_diagnostic(tree, err, name)]) from None
    for process in parsed:
        problem = workflow.instantiation_problem(process.spec, process.subprocess_specs)
        if problem is not None:
            message = f"process '{process.process_id}' cannot be instantiated: {problem}"
            raise _refused(
                [Diagnostic("NZ122", "error", message, hint="the engine refused this model", file=name)]
            )
    return parsed


def _parse_diagnostic(tree: Any, err: parser.ParseFailure, name: str) -> Diagnostic:
    line = None
    if err.element:
        found = tree.getroot().xpath("//*[@id=$id]", id=err.element)
        line = found[0].sourceline if found else None
    where = f"{err.tag or 'element'} '{err.element}' " if err.element else ""
    return Diagnostic(
        "NZ120",
        "error",
        f"{where}cannot run: {err.message}",
        hint="the engine (SpiffWorkflow) refused this construct",
        file=name,
        line=line,
        element=err.element,
    )


def _refused(found: list[Diagnostic]) -> DefinitionError:
    errors = errors_in(found) or found
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return DefinitionError(
        f"{first.code} {first.message}{more}",
        hint=first.hint,
        file=first.file,
        line=first.line,
        element=first.element,
        details=[d.to_dict() for d in found],
    )


def _sha256(bundle: bundles.Bundle) -> str:
    digest = hashlib.sha256(bundle.bpmn)
    digest.update(json.dumps(bundle.forms, sort_keys=True, ensure_ascii=False).encode())
    for dmn in bundle.dmn:
        digest.update(dmn)
    return digest.hexdigest()


def _store(
    tx: Session, compiled: Compiled, process: parser.ParsedProcess, *, clock: Clock, actor: str | None
) -> Deployed:
    key = process.process_id
    existing = tx.scalar(
        select(ProcessVersion).where(
            ProcessVersion.process_key == key, ProcessVersion.sha256 == compiled.sha256
        )
    )
    subprocess_specs, unresolved, called = _resolve_calls(tx, process, compiled.flavour)
    warnings = [str(d) for d in compiled.warnings] + [_unresolved(c, compiled) for c in unresolved]
    if existing is not None:
        return Deployed(key, existing.version, existing.sha256, warnings, False, existing.id)
    facts, forms = dict(compiled.catalogs[key]), dict(compiled.bundle.forms or {})
    for other in called:
        catalog.add_called(facts, forms, other.process_key, other.catalog or {}, other.forms or {})
    number = (
        tx.scalar(select(func.max(ProcessVersion.version)).where(ProcessVersion.process_key == key)) or 0
    ) + 1
    row = ProcessVersion(
        process_key=key,
        version=number,
        sha256=compiled.sha256,
        name=process.name,
        flavour=compiled.flavour,
        source_name=compiled.bundle.source_name,
        bpmn_xml=compiled.bundle.bpmn.decode("utf-8"),
        dmn_xml=[d.decode("utf-8") for d in compiled.bundle.dmn],
        forms=forms,
        specs=codec(compiled.flavour).dump_specs(process.spec, subprocess_specs),
        catalog=facts,
        warnings=warnings,
        deployed_by=actor,
        deployed_at=clock.now(),
    )
    tx.add(row)
    tx.flush()
    _schedule(tx, compiled, process, row.id, clock)
    return Deployed(key, number, compiled.sha256, warnings, True, row.id)


__all__ = ["Compiled", "Deployed", "check_path", "compile_bundle", "deploy_bundle", "deploy_path"]


def _schedule(
    tx: Session, compiled: Compiled, process: parser.ParsedProcess, version_id: int, clock: Clock
) -> None:
    starts = workflow.start_timers(process.spec)
    try:
        timers.schedule_starts(tx, process.process_id, version_id, starts, clock.now())
    except (NezaratError, ValueError, TypeError, SpiffError) as err:
        elements = ", ".join(f"'{s[0]}'" for s in starts)
        message = err.message if isinstance(err, NezaratError) else str(err)
        raise _refused(
            [
                Diagnostic(
                    "NZ121",
                    "error",
                    f"timer start event {elements} cannot be scheduled: {message}",
                    hint="use an ISO 8601 date (2026-03-21T08:00:00+03:30), duration (P1D), cycle (R/P1Y) or a cron",
                    file=compiled.bundle.source_name,
                )
            ]
        ) from None


def _resolve_calls(
    tx: Session, process: parser.ParsedProcess, kind: str
) -> tuple[dict[str, Any], list[str], list[ProcessVersion]]:
    """Called processes from other bundles: take the newest deployed version of each (same flavour).

    Returns the specs, the names not deployed, and the versions used (their catalogs and forms are
    merged into the caller's, because their tasks run inside the caller's instances)."""
    specs = dict(process.subprocess_specs)
    unresolved, rows = [], []
    for called in process.missing_calls:
        row = tx.scalar(
            select(ProcessVersion)
            .where(ProcessVersion.process_key == called, ProcessVersion.flavour == kind)
            .order_by(ProcessVersion.version.desc())
            .limit(1)
        )
        if row is None:
            unresolved.append(called)
            continue
        rows.append(row)
        spec, subs = codec(kind).load_specs(row.specs)
        specs.setdefault(called, spec)
        for key, value in subs.items():
            specs.setdefault(key, value)
    return specs, unresolved, rows


def _unresolved(called: str, compiled: Compiled) -> str:
    return str(
        Diagnostic(
            "NZ123",
            "warning",
            f"call activity calls process '{called}', which is not deployed; the call will raise an incident",
            hint=f"deploy '{called}' first, then deploy this bundle again",
            file=compiled.bundle.source_name,
        )
    )
