"""Write a bundle's ``process.bpmn`` (model and diagram) from a compact description of lanes and nodes.

A description (``tools/process_specs/<key>.py``, function ``diagram()``) places every node in a lane, a
row of that lane and a column; :mod:`tools.layout_geometry` turns the grid into coordinates,
:mod:`tools.layout_routing` routes every sequence flow orthogonally around the shapes (refusing a route
that would cross one), and :mod:`tools.layout_xml` writes Camunda 7 flavoured BPMN that bpmn-js opens
unchanged. The specs build their description from :mod:`tools.layout_model`, re-exported here.
Regenerating from the description reproduces the file:

    .venv/bin/python -m tools.bpmn_layout budget_oversight      # write processes/budget_oversight/
    .venv/bin/python -m tools.bpmn_layout --check                # every spec matches its committed file
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from tools.layout_model import Diagram, Flow, Node, Pool, boundary, node, service, user
from tools.layout_xml import render

__all__ = ["Diagram", "Flow", "Node", "Pool", "boundary", "generate", "main", "node", "render", "service",
           "spec_keys", "user"]  # fmt: skip

ROOT = Path(__file__).resolve().parents[1]
SPECS = Path(__file__).resolve().parent / "process_specs"


def spec_keys() -> list[str]:
    return sorted(p.stem for p in SPECS.glob("*.py") if not p.stem.startswith("_"))


def generate(key: str) -> str:
    module = importlib.import_module(f"tools.process_specs.{key}")
    return render(module.diagram())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("keys", nargs="*", help="bundle keys (default: every spec)")
    parser.add_argument(
        "--check", action="store_true", help="compare with the committed files, write nothing"
    )
    args = parser.parse_args(argv)
    stale = []
    for key in args.keys or spec_keys():
        target = ROOT / "processes" / key / "process.bpmn"
        text = generate(key)
        if args.check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                stale.append(key)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT)}")
    for key in stale:
        print(
            f"stale: processes/{key}/process.bpmn differs from tools/process_specs/{key}.py", file=sys.stderr
        )
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
