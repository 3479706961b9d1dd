"""Compile your own story, check it, and compare its influence ranking with Her's.

Your story, described in the story format (see examples/data/gull-rock.yaml, a tiny story
invented for this example, and its source text gull-rock.txt) or directly in the model as
Turtle (examples/data/gull-rock.ttl), gets the same queries, checks and analyses. This script:

1. compiles the story file into the her-graph model (OUTPUT/<story>.ttl; a graph file is
   loaded as it is) and checks it: the SHACL shapes, and that every evidence quote occurs in
   its source text (it stops, with the problems listed, if not);
2. ranks the parties of both stories by influence (PageRank over who influenced whom, see
   graph.influence.rank_influence) and prints the two rankings side by side;
3. writes both rankings to one CSV, OUTPUT/influence_rankings.csv.

Run it from a checkout after `pip install .` (nothing else is needed):

    python examples/compare_stories.py                    # the invented Gull Rock story
    python examples/compare_stories.py --story mine.yaml --output results
    python examples/compare_stories.py --story mine.ttl --source mine.txt --output results
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import graph
from graph.sparql.results import Rows

HERE = Path(__file__).resolve().parent


def ranking(kg: graph.KnowledgeGraph, story: str) -> Rows:
    """The parties of ``kg`` by PageRank over its influence graph, as rows, with their reach."""
    rows = kg.influence.rank_influence().to_rows()
    parties = len(rows)
    for row in rows:
        row["story"] = story
        # PageRank scores sum to 1: times the number of parties, 1.0 is an even share.
        row["vs_even_share"] = round(float(row["pagerank"] or 0) * parties, 2)
        # Reach: how many parties its influence reaches, directly or through others.
        row["reach"] = len(kg.influence.whom_influenced(row["party"], depth=None))
    return Rows(["story", *rows.columns, "vs_even_share", "reach"], rows)


def leaders(rows: Rows, column: str) -> tuple[list[str], float]:
    """The labels of the parties with the highest value in ``column``, and that value."""
    best = max(float(row[column] or 0) for row in rows)
    return [str(row["label"]) for row in rows if float(row[column] or 0) == best], best


def names(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compare a story's influence with Her's.")
    parser.add_argument("--story", type=Path, default=HERE / "data" / "gull-rock.yaml",
                        help="your story file (story.yaml) or graph (Turtle, JSON-LD, ...)")
    parser.add_argument("--source", type=Path, default=HERE / "data" / "gull-rock.txt",
                        help="the source text its evidence quotes come from")
    parser.add_argument("--output", type=Path, default=HERE / "output",
                        help="folder for the CSV (default: examples/output)")
    args = parser.parse_args(argv)

    try:
        story = args.story
        if story.suffix in (".yaml", ".yml"):
            # The story format: compile it (every quote anchored in its source) first.
            from graph.authoring import write_story_graph
            from graph.errors import StoryFileError

            if not story.is_file():
                raise graph.HerGraphError(f"{story}: no such story file")
            args.output.mkdir(parents=True, exist_ok=True)
            try:
                story = write_story_graph(story, args.output / f"{story.stem}.ttl")
            except StoryFileError as error:
                print(error, file=sys.stderr)
                return 1
        mine = graph.load(story)  # a clear error for a missing file or invalid RDF
    except graph.HerGraphError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    her = graph.load()

    # 1. Check the story before trusting any answer it gives.
    report = mine.validate(source=args.source)
    print(report)
    if not report.ok:
        print(f"\n{args.story} has problems: fix them and run again", file=sys.stderr)
        return 1

    # 2. The same analysis on both graphs.
    title = str(mine.query("SELECT ?t WHERE { ?w a schema:Movie ; schema:name ?t } "
                           "ORDER BY ?t LIMIT 1")[0]["t"]) if mine.query(
        "ASK { ?w a schema:Movie }") else args.story.stem
    rankings = {"Her": ranking(her, "Her"), title: ranking(mine, title)}
    for story, rows in rankings.items():
        print(f"\n{story}: influence ranking (PageRank; 1.0 would be an even share)")
        shown = [{**row, "pagerank": round(float(row["pagerank"] or 0), 3)} for row in rows]
        print(Rows(["rank", "label", "type", "pagerank", "vs_even_share", "reach",
                    "out_degree", "in_degree"], shown))

    # A few comparisons, computed, that a reader can check against the tables above.
    for story, rows in rankings.items():
        top, score = leaders(rows, "pagerank")
        widest, reach = leaders(rows, "reach")
        verb = "ties" if len(top) > 1 else "puts first"
        print(f"\nIn {story}, PageRank {verb} {names(top)} ({score:.3f}, "
              f"{score * len(rows):.2f}x an even share among {len(rows)} parties); "
              f"the widest reach, {int(reach)} parties, is {names(widest)}'s.")

    # 3. Both rankings in one table, to compare in a spreadsheet or pandas.
    args.output.mkdir(parents=True, exist_ok=True)
    path = args.output / "influence_rankings.csv"
    columns = next(iter(rankings.values())).columns
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=columns)
        writer.writeheader()
        for rows in rankings.values():
            writer.writerows(rows)
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
