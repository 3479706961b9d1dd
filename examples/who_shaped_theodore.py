"""Who shaped Theodore? Every party whose influence reaches him, with the evidence, as a table.

A film scholar's first question of the Her graph: who influenced Theodore, how, through which
scenes, and on what evidence from the source article. The direct influences are claims of the
article; a chain through others (Samantha learned from the people she talked with, and shaped
Theodore) is the graph's composition of two such claims, and the table says so in its `claim`
column.

Run it from a checkout after `pip install .` (nothing else is needed):

    python examples/who_shaped_theodore.py                  # writes examples/output/
    python examples/who_shaped_theodore.py --output results --character Samantha

It prints the table and writes it as CSV (UTF-8, one row per influencer) to
OUTPUT/who_shaped_<character>.csv, which opens in a spreadsheet or in pandas.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import graph
from graph.sparql.results import Rows

HERE = Path(__file__).resolve().parent


TYPES = {"human_character": "human", "ai_character": "AI", "group": "group"}


def shaped_by(kg: graph.KnowledgeGraph, character: str) -> Rows:
    """One row per party whose influence reaches ``character``, with its evidence."""
    rows = []
    # depth=None follows chains of influence to their end. Each hop is a claim of the article;
    # the chain as a whole is not (the article never says the people Samantha talked with
    # shaped Theodore), so a chain is marked as composed by the graph.
    for reach in kg.influence.who_influenced(character, depth=None):
        hops = reach.path.hops
        rows.append({
            "influencer": reach.label,
            "type": TYPES.get(reach.type, reach.type),
            "hops": reach.depth,
            "claim": ("the article's" if reach.direct
                      else f"composed by the graph from {reach.depth} of the article's"),
            "chain": " → ".join(reach.path.labels),
            "how": " / ".join(hop.how for hop in hops),
            "through": "; ".join(label for hop in hops for label in hop.event_labels),
            "quote": " / ".join(hop.quote for hop in hops),
            # Every quote the graph cites for each hop, most telling first, one a line.
            "evidence": "\n".join(quote for hop in hops for quote in hop.evidence),
        })
    return Rows(["influencer", "type", "hops", "claim", "chain", "how", "through", "quote",
                 "evidence"], rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Who shaped a character of Her, with evidence.")
    parser.add_argument("--output", type=Path, default=HERE / "output",
                        help="folder for the CSV (default: examples/output)")
    parser.add_argument("--character", default="Theodore", help="whom to ask about")
    args = parser.parse_args(argv)

    kg = graph.load()  # the bundled Her graph
    # Names resolve whatever their case; the name is bound to ?c, never pasted into the query.
    character = kg.resolve(args.character)
    name = kg.query("SELECT ?name WHERE { ?c schema:name ?name }", c=character)[0]["name"]
    table = shaped_by(kg, args.character)

    print(f"Who shaped {name}: the article's direct influences, and the chains the graph "
          "composes from them:\n")
    print(Rows(["influencer", "type", "hops", "claim", "chain", "quote"], table))
    for reach in kg.influence.who_influenced(character, depth=None):
        print(f"\n{reach.label}" + ("" if reach.direct else f" ({reach.depth} hops)"))
        for hop in reach.path.hops:
            print(f"  {hop.influencer_label} → {hop.influenced_label}: {hop.how}")
            more = len(hop.evidence) - 1
            print(f"    “{hop.quote}”" + (f" (+{more} more in the CSV)" if more else ""))

    args.output.mkdir(parents=True, exist_ok=True)
    path = args.output / f"who_shaped_{str(name).lower().replace(' ', '_')}.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=table.columns)
        writer.writeheader()
        writer.writerows(table)
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
