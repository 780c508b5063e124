"""Orthogonal routing of sequence flows around the shapes of a laid-out diagram.

Candidate routes bend at most three times, along the channels between columns and rows; a route that
crosses a shape is refused, and the cheapest of the rest wins (length, bends, awkward sides, running
along or crossing a route already drawn).
"""

from __future__ import annotations

import itertools

from tools.layout_geometry import COL_W, ROW_H, Layout, Point
from tools.layout_model import Flow

OVERLAP = 2000  # the cost of a route running along another one
_DIRS = {"right": (1, 0), "left": (-1, 0), "top": (0, -1), "bottom": (0, 1)}
_ENTRY = {"left": (1, 0), "right": (-1, 0), "top": (0, 1), "bottom": (0, -1)}
_EXIT_COST = {"gateway": {"left": 80}, "boundary": {}, "other": {"top": 50, "bottom": 50, "left": 100}}
_ENTRY_COST = {
    "activity": {"top": 40, "bottom": 40, "right": 100},
    "other": {"top": 20, "bottom": 20, "right": 100},
}


class Router:
    """Orthogonal routes that avoid every shape but their own ends; the cheapest route wins."""

    def __init__(self, layout: Layout, kinds: dict[str, str], parents: dict[str, str]) -> None:
        self.layout, self.kinds, self.parents = layout, kinds, parents
        self.done: list[tuple[Point, Point, str, str]] = []  # segment, source, target

    def route(self, flow: Flow) -> list[Point]:
        found, cost = self._best(flow, self.layout.xs, self.layout.rows, extra=False)
        if found is None or cost >= OVERLAP:  # try routes with more bends near the two ends
            a, b = self.layout.rects[flow.source], self.layout.rects[flow.target]
            xs = [x for x in self.layout.xs if min(a.x, b.x) - 2 * COL_W < x < max(a.x, b.x) + 2 * COL_W]
            ys = [y for y in self.layout.rows if min(a.y, b.y) - 2 * ROW_H < y < max(a.y, b.y) + 2 * ROW_H]
            more, more_cost = self._best(flow, xs, ys, extra=True)
            found = more if more_cost < cost else found
        if found is None:
            raise ValueError(f"flow {flow.id}: no route avoids the shapes; move a node or force its sides")
        self.done += [(a, b, flow.source, flow.target) for a, b in itertools.pairwise(found)]
        return found

    def _best(
        self, flow: Flow, xs: list[float], ys: list[float], *, extra: bool
    ) -> tuple[list[Point] | None, float]:
        best, best_cost = None, float("inf")
        for exit_side in self._sides(flow.source, flow.sides[0], leaving=True):
            for entry_side in self._sides(flow.target, flow.sides[1], leaving=False):
                p, q = self._port(flow.source, exit_side), self._port(flow.target, entry_side)
                for path in _paths(p, q, exit_side, entry_side, xs, ys, extra=extra):
                    if not self._valid(path, flow, exit_side, entry_side):
                        continue
                    cost = self._cost(path, flow, exit_side, entry_side)
                    if cost < best_cost:
                        best, best_cost = path, cost
        return best, best_cost

    def _sides(self, ident: str, forced: str | None, *, leaving: bool) -> list[str]:
        if forced:
            return [forced]
        if leaving and self.kinds[ident] == "boundary":
            return ["bottom"]
        return list(_DIRS)

    def _port(self, ident: str, side: str) -> Point:
        r = self.layout.rects[ident]
        y = self.layout.ports.get(ident, r.cy)
        return {"right": (r.x + r.w, y), "left": (r.x, y), "top": (r.cx, r.y), "bottom": (r.cx, r.y + r.h)}[
            side
        ]

    def _valid(self, path: list[Point], flow: Flow, exit_side: str, entry_side: str) -> bool:
        segments = list(itertools.pairwise(path))
        if _direction(*segments[0]) != _DIRS[exit_side] or _direction(*segments[-1]) != _ENTRY[entry_side]:
            return False
        if any(_direction(*a) == tuple(-v for v in _direction(*b)) for a, b in itertools.pairwise(segments)):
            return False
        if len(segments) > 1 and min(abs(a[0] - b[0]) + abs(a[1] - b[1]) for a, b in segments) < 12:
            return False  # a stub of a few pixels reads as a glitch
        skip = {flow.source, flow.target, *self._ancestors(flow.source), *self._ancestors(flow.target)}
        obstacles = [r for k, r in self.layout.rects.items() if k not in skip]
        if any(r.hit(a, b) for a, b in segments for r in obstacles):
            return False
        box = self.parents.get(flow.source)
        return box is None or all(self.layout.rects[box].hit(pt, pt, -4) for pt in path)

    def _ancestors(self, ident: str) -> list[str]:
        found = []
        while ident in self.parents:
            ident = self.parents[ident]
            found.append(ident)
        return found

    def _cost(self, path: list[Point], flow: Flow, exit_side: str, entry_side: str) -> float:
        segments = list(itertools.pairwise(path))
        cost = sum(abs(a[0] - b[0]) + abs(a[1] - b[1]) for a, b in segments) + 25 * (len(path) - 2)
        source = self.kinds[flow.source]
        cost += _EXIT_COST.get(source, _EXIT_COST["other"]).get(exit_side, 0)
        target = self.kinds[flow.target]
        cost += _ENTRY_COST.get(target, _ENTRY_COST["other"]).get(entry_side, 0)
        for a, b in segments:
            for c, d, source, target in self.done:
                # Flows that fan out of one node or into one node may share their trunk, as drawn by hand.
                shared = source == flow.source or target == flow.target
                if _collinear(a, b, c, d):
                    cost += 150 if shared else OVERLAP
                elif not shared and _crossing(a, b, c, d):
                    cost += 12
        return cost


def _direction(a: Point, b: Point) -> tuple[int, int]:
    return ((b[0] > a[0]) - (b[0] < a[0]), (b[1] > a[1]) - (b[1] < a[1]))


def _paths(p: Point, q: Point, exit_side: str, entry_side: str, xs: list[float], ys: list[float], *,
           extra: bool) -> list[list[Point]]:  # fmt: skip
    """Orthogonal polylines from p to q with the bends a human would draw (three at most)."""
    flat_out, flat_in = exit_side in ("left", "right"), entry_side in ("left", "right")
    if flat_out and flat_in:
        found = [[p, q]] if p[1] == q[1] else []
        return found + [[p, (x, p[1]), (x, q[1]), q] for x in [*xs, p[0], q[0]]]
    if not flat_out and not flat_in:
        found = [[p, q]] if p[0] == q[0] else []
        return found + [[p, (p[0], y), (q[0], y), q] for y in ys]
    corner = (q[0], p[1]) if flat_out else (p[0], q[1])
    found = [[p, corner, q]]
    if extra and flat_out:
        found += [[p, (x, p[1]), (x, y), (q[0], y), q] for x in xs for y in ys]
    elif extra:
        found += [[p, (p[0], y), (x, y), (x, q[1]), q] for x in xs for y in ys]
    return found


def _collinear(a: Point, b: Point, c: Point, d: Point) -> bool:
    if a[0] == b[0] == c[0] == d[0]:
        return min(max(a[1], b[1]), max(c[1], d[1])) - max(min(a[1], b[1]), min(c[1], d[1])) > 1
    if a[1] == b[1] == c[1] == d[1]:
        return min(max(a[0], b[0]), max(c[0], d[0])) - max(min(a[0], b[0]), min(c[0], d[0])) > 1
    return False


def _crossing(a: Point, b: Point, c: Point, d: Point) -> bool:
    if a[1] == b[1] and c[0] == d[0]:
        a, b, c, d = c, d, a, b
    if not (a[0] == b[0] and c[1] == d[1]):
        return False
    return min(c[0], d[0]) < a[0] < max(c[0], d[0]) and min(a[1], b[1]) < c[1] < max(a[1], b[1])
