"""Where each node of a page starts: a designed layout a reader can follow at first sight.

The story page puts the events on a ring in story order, clockwise from the top, like a clock
face; each character and group sits inside the ring towards the events it takes part in (the
protagonist, in nearly all of them, near the centre); actors sit beside the characters they play;
themes and places sit outside the ring next to what carries them. The timeline page lays the
events out in rows, reading like text. Other pages (and very large stories) get no positions:
the browser's physics lays them out, with a fixed seed.

Positions are whole numbers computed without randomness, so the same model always gives the same
page. The browser's physics then only tidies (see :mod:`graph.page.html`).

Example:
    >>> import graph
    >>> from graph.page.model import page_model
    >>> positions = layout(page_model(graph.load()))
    >>> positions["https://w3id.org/her-graph/her/event-lament"]   # scene 1: top of the ring
    (0, -479)
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from typing import cast

from .model import PageModel

#: Above this many nodes, nodes inside the ring are spread on a sunflower pattern instead of
#: being pushed apart pair by pair (which takes quadratic time).
MAX_DESIGNED_NODES = 400
_EVENT_SPACING = 215   # px between neighbouring events on the ring
_INNER_SPACING = 250   # px kept between characters, groups and actors inside the ring
_THEME_SPACING = 150   # px between neighbouring themes on the outer ring
_ASPECT = 1.35
_INNER_TYPES = ("human_character", "ai_character", "character", "group")

Point = tuple[float, float]


def layout(model: PageModel, *, hidden: frozenset[str] = frozenset()
           ) -> dict[str, tuple[int, int]]:
    """Starting positions ``node id -> (x, y)`` for the page; empty when physics should do it.

    ``hidden`` names node types the page hides at first: they get no position (the page puts
    them beside a neighbour when they are shown).

    Example:
        >>> import graph
        >>> from graph.page.model import page_model
        >>> positions = layout(page_model(graph.load()))
        >>> positions["https://w3id.org/her-graph/her/event-lament"]
        (...)
    """
    if model.view == "story":
        return _story_ring(model)
    if model.view == "timeline" and len(model.nodes) <= MAX_DESIGNED_NODES:
        return _rows(model)
    if len(model.nodes) <= MAX_DESIGNED_NODES:
        return _forces(model, hidden)
    return {}


def _forces(model: PageModel, hidden: frozenset[str]) -> dict[str, tuple[int, int]]:
    """A seeded force-directed layout (Fruchterman-Reingold) of the nodes shown at first."""
    import networkx as nx

    shown = sorted(n.id for n in model.nodes if n.type not in hidden)
    g: nx.Graph = nx.Graph()
    g.add_nodes_from(shown)
    g.add_edges_from(sorted((e.source, e.target) for e in model.edges
                            if e.source in g and e.target in g and e.source != e.target))
    if not shown:
        return {}
    positions = nx.spring_layout(g, seed=2013, iterations=300,
                                 k=1.6 / math.sqrt(max(len(shown), 1)))
    # Separate components drift far apart: bring the stragglers to the edge of the main body.
    radii = sorted(math.hypot(float(x), float(y)) for x, y in positions.values())
    limit = 1.1 * radii[int(0.9 * (len(radii) - 1))] or 1.0
    scale = 170 * math.sqrt(len(shown)) / limit
    placed = {}
    for key, (px, py) in positions.items():
        x, y = float(px), float(py)
        shrink = min(1.0, limit / math.hypot(x, y)) if math.hypot(x, y) > 0 else 1.0
        placed[key] = (round(x * shrink * scale * _ASPECT), round(y * shrink * scale))
    return placed


def _rows(model: PageModel) -> dict[str, tuple[int, int]]:
    """Events in rows of at most six, alternating direction so each link stays short."""
    ordered = sorted(model.nodes, key=lambda n: (n.order if n.order is not None else 1 << 30,
                                                 n.id))
    per_row = max(1, min(6, math.ceil(math.sqrt(len(ordered) * 2))))
    positions = {}
    for index, node in enumerate(ordered):
        row, column = divmod(index, per_row)
        if row % 2:
            column = per_row - 1 - column
        positions[node.id] = (column * 250, row * 170)
    return positions


def _unit(angle: float) -> Point:
    return (math.cos(angle), math.sin(angle))


def _mean(points: Iterable[Point]) -> Point | None:
    points = list(points)
    if not points:
        return None
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def _spread(points: dict[str, Point], *, spacing: float, fixed: dict[str, Point],
            fixed_spacing: float | None = None, rounds: int = 200) -> dict[str, Point]:
    """Push apart points closer than ``spacing``, and points closer than ``fixed_spacing`` to a
    fixed point (which does not move), deterministically."""
    fixed_spacing = spacing if fixed_spacing is None else fixed_spacing
    moving = dict(points)
    keys = sorted(moving)
    for _ in range(rounds):
        moved = False
        for i, a in enumerate(keys):
            for b in [*keys[i + 1:], *sorted(fixed)]:
                pa = moving[a]
                pb = cast("tuple[float, float]", moving.get(b, fixed.get(b)))
                dx, dy = pa[0] - pb[0], pa[1] - pb[1]
                distance = math.hypot(dx, dy)
                wanted = spacing if b in moving else fixed_spacing
                if distance >= wanted:
                    continue
                if distance < 1e-6:  # on top of each other: separate along a fixed direction
                    dx, dy, distance = 1.0, 0.3, math.hypot(1.0, 0.3)
                push = (wanted - distance) / distance
                if b in moving:
                    moving[a] = (pa[0] + dx * push / 2, pa[1] + dy * push / 2)
                    moving[b] = (pb[0] - dx * push / 2, pb[1] - dy * push / 2)
                else:
                    moving[a] = (pa[0] + dx * push, pa[1] + dy * push)
                moved = True
        if not moved:
            break
    return moving


def _sunflower(wanted: dict[str, Point], radius: float) -> dict[str, Point]:
    """Many nodes inside the ring: each keeps its direction, and the nearer the centre it
    wanted to be, the nearer it gets, at radii that fill the disc evenly."""
    ranked = sorted(wanted, key=lambda k: (math.hypot(*wanted[k]), k))
    placed = {}
    for rank, key in enumerate(ranked):
        x, y = wanted[key]
        angle = math.atan2(y, x) if math.hypot(x, y) > 1e-6 else rank * 2.399963
        r = radius * math.sqrt((rank + 0.5) / len(ranked))
        placed[key] = (r * math.cos(angle), r * math.sin(angle))
    return placed


def _on_ring(wanted: dict[str, float], radius: float, spacing: float) -> dict[str, Point]:
    """Place nodes on a circle near their wanted angles, at least ``spacing`` apart."""
    if not wanted:
        return {}
    gap = min(spacing / radius, 2 * math.pi / len(wanted))
    ordered = sorted(wanted, key=lambda k: (wanted[k], k))
    angles = [wanted[k] for k in ordered]
    for _ in range(300):
        moved = False
        for i in range(1, len(angles)):
            overlap = gap - (angles[i] - angles[i - 1])
            if overlap > 1e-9:
                angles[i - 1] -= overlap / 2
                angles[i] += overlap / 2
                moved = True
        if not moved:
            break
    return {k: (radius * math.cos(a), radius * math.sin(a)) for k, a in zip(ordered, angles,
                                                                            strict=True)}


def _story_ring(model: PageModel) -> dict[str, tuple[int, int]]:
    events = sorted((n for n in model.nodes if n.type == "event"),
                    key=lambda n: (n.order if n.order is not None else 1 << 30, n.id))
    if not events:
        return {}
    small = len(model.nodes) <= MAX_DESIGNED_NODES
    types = {n.id: n.type for n in model.nodes}
    neighbours: dict[str, set[str]] = defaultdict(set)
    for edge in model.edges:
        neighbours[edge.source].add(edge.target)
        neighbours[edge.target].add(edge.source)

    spacing = _EVENT_SPACING if small else _EVENT_SPACING / 5  # large pages draw dots
    radius = max(380.0, len(events) * spacing / (2 * math.pi))
    start = -math.pi / 2  # the first scene at the top, then clockwise
    angle = {e.id: start + 2 * math.pi * i / len(events) for i, e in enumerate(events)}
    positions: dict[str, Point] = {key: (radius * math.cos(a), radius * math.sin(a))
                                   for key, a in angle.items()}

    # Characters and groups: towards the events they are in (the mean of those directions, so
    # someone in every scene sits at the centre), then linked nodes, then the centre.
    inner = sorted(n.id for n in model.nodes if n.type in _INNER_TYPES)
    wanted: dict[str, Point] = {}
    for key in inner:
        mean = _mean(_unit(angle[e]) for e in neighbours[key] if e in angle)
        if mean is not None:
            # Never further out than 0.55 of the ring, to stay clear of the event boxes.
            scale = radius * min(0.7, 0.55 / max(math.hypot(*mean), 1e-9))
            wanted[key] = (mean[0] * scale, mean[1] * scale)
    for key in inner:
        if key not in wanted:
            mean = _mean(wanted[n] for n in neighbours[key] if n in wanted)
            wanted[key] = (mean[0] * 0.9, mean[1] * 0.9) if mean else (0.0, 0.0)
    characters = (_spread(wanted, spacing=_INNER_SPACING, fixed=positions,
                          fixed_spacing=_EVENT_SPACING * 0.8) if small
                  else _sunflower(wanted, radius * 0.85))
    positions.update(characters)
    # Actors beside their characters, away from the centre.
    actors: dict[str, Point] = {}
    for node in model.nodes:
        if node.type != "person":
            continue
        anchor = _mean(characters[n] for n in sorted(neighbours[node.id]) if n in characters)
        anchor = anchor or (0.0, 0.0)
        direction = math.atan2(anchor[1], anchor[0]) if math.hypot(*anchor) > 1 else 0.9
        actors[node.id] = (anchor[0] + 120 * math.cos(direction + 0.5),
                           anchor[1] + 120 * math.sin(direction + 0.5))
    if small:
        actors = _spread(actors, spacing=_INNER_SPACING * 0.45,
                         fixed={**characters, **{k: positions[k] for k in angle}})
    positions.update(actors)

    # Themes and places outside the ring, near what carries them; broader themes near their
    # narrower ones.
    outside = sorted(n.id for n in model.nodes if n.id not in positions)
    directions: dict[str, float] = {}
    for _ in range(3):
        for key in outside:
            if key in directions:
                continue
            linked = [positions[n] for n in neighbours[key] if n in positions]
            linked += [_unit(directions[n]) for n in neighbours[key] if n in directions]
            mean = _mean(_unit(math.atan2(p[1], p[0])) for p in linked
                         if math.hypot(*p) > 1e-6)
            if mean is not None and math.hypot(*mean) > 1e-6:
                directions[key] = math.atan2(mean[1], mean[0])
    for i, key in enumerate(k for k in outside if k not in directions):
        directions[key] = start + 2 * math.pi * (i + 0.5) / max(1, len(outside))
    places = {k: a for k, a in directions.items() if types.get(k) == "place"}
    others = {k: a for k, a in directions.items() if k not in places}
    theme_radius = max(radius + 230, len(others) * _THEME_SPACING / (2 * math.pi))
    positions.update(_on_ring(others, theme_radius, _THEME_SPACING))
    positions.update(_on_ring(places, radius + 120, _THEME_SPACING))
    # Wider than tall, like the screen it is shown on.
    return {key: (round(x * _ASPECT), round(y)) for key, (x, y) in positions.items()}
