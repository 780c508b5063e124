"""Grid to coordinates: lanes, pools and node rectangles, plus the channels routes may run along.

Every node sits at the centre of its (column, row) cell in its lane; a boundary event sits on its
host's bottom edge; an expanded sub-process is drawn around the nodes placed inside it.
"""

from __future__ import annotations

import dataclasses
import itertools

from tools.layout_model import Diagram, Node, Pool

COL_W, ROW_H, LANE_PAD, POOL_X, LABEL_W, POOL_GAP = 160, 120, 10, 120, 30, 40
X0 = POOL_X + 2 * LABEL_W + 70
SIZES = {"event": (36, 36), "gateway": (50, 50), "activity": (100, 80)}

Point = tuple[float, float]


@dataclasses.dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def overlaps(self, other: Rect) -> bool:
        return (self.x < other.x + other.w and other.x < self.x + self.w
                and self.y < other.y + other.h and other.y < self.y + self.h)  # fmt: skip

    def contains(self, other: Rect) -> bool:
        return (self.x <= other.x and self.y <= other.y and other.x + other.w <= self.x + self.w
                and other.y + other.h <= self.y + self.h)  # fmt: skip

    def hit(self, a: Point, b: Point, margin: float = 6) -> bool:
        """Does the axis-parallel segment a-b pass through this rectangle (grown by ``margin``)?"""
        left, right = min(a[0], b[0]), max(a[0], b[0])
        top, bottom = min(a[1], b[1]), max(a[1], b[1])
        return (left < self.x + self.w + margin and right > self.x - margin
                and top < self.y + self.h + margin and bottom > self.y - margin)  # fmt: skip


@dataclasses.dataclass
class Layout:
    rects: dict[str, Rect]
    ports: dict[str, float]  # subProcess id -> y where flows meet it
    lanes: dict[str, Rect]
    pools: dict[str, Rect]
    rows: list[float]  # y of the channels beside every row band boundary
    xs: list[float]  # x of the channels between columns


def lay_out(diagram: Diagram) -> Layout:
    out = Layout({}, {}, {}, {}, [], [])
    y = 60.0
    for pool in diagram.pools:
        top = y
        width = max(n.col for n in pool.nodes) * COL_W + (X0 - POOL_X) + 110
        for lane_id, _, *least in pool.lanes:
            rows = max(1 + max((n.row for n in pool.nodes if n.lane == lane_id), default=0), *least, 1)
            out.lanes[lane_id] = Rect(POOL_X + LABEL_W, y, width - LABEL_W, rows * ROW_H + 2 * LANE_PAD)
            out.rows += [y + LANE_PAD + r * ROW_H + d for r in range(rows + 1) for d in (-10, 0, 10)]
            y += rows * ROW_H + 2 * LANE_PAD
        out.pools[pool.process_id] = Rect(POOL_X, top, width, y - top)
        _place(pool, out)
        y += POOL_GAP
    cols = sorted({n.col for p in diagram.pools for n in p.nodes if n.kind != "subProcess"})
    gaps = [cols[0] - 0.5, *((a + b) / 2 for a, b in itertools.pairwise(cols)), cols[-1] + 0.5]
    out.xs = [X0 + g * COL_W + d for g in gaps for d in (-12, 0, 12)]
    return out


def _place(pool: Pool, out: Layout) -> None:
    by_id = {n.id: n for n in pool.nodes}
    for n in pool.nodes:
        if n.kind == "subProcess" or n.attached:
            continue
        w, h = SIZES[n.shape]
        cx, cy = X0 + n.col * COL_W, out.lanes[n.lane].y + LANE_PAD + n.row * ROW_H + ROW_H / 2
        out.rects[n.id] = Rect(cx - w / 2, cy - h / 2, w, h)
    _attach(pool, out, by_id)
    for n in pool.nodes:
        if n.kind == "subProcess":
            inner = [out.rects[c.id] for c in pool.nodes if c.parent == n.id and c.id in out.rects]
            left, top = min(r.x for r in inner) - 30, min(r.y for r in inner) - 28
            right, bottom = max(r.x + r.w for r in inner) + 30, max(r.y + r.h for r in inner) + 30
            out.rects[n.id] = Rect(left, top, right - left, bottom - top)
            row = n.anchor_row if n.anchor_row is not None else n.row
            out.ports[n.id] = out.lanes[n.lane].y + LANE_PAD + row * ROW_H + ROW_H / 2
    _attach(pool, out, by_id)


def _attach(pool: Pool, out: Layout, by_id: dict[str, Node]) -> None:
    """Boundary events sit on their host's bottom edge (hosts placed so far)."""
    for n in pool.nodes:
        if n.attached and n.attached in out.rects:
            host = out.rects[by_id[n.attached].id]
            out.rects[n.id] = Rect(host.x + n.at * host.w - 18, host.y + host.h - 18, 36, 36)
