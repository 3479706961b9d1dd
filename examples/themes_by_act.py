"""Themes across the acts of Her: how many events of each act carry each theme.

Counts, for every theme of the film, the events of act I, II and III that carry it (the named
query `themes_by_act`), pivots them into a themes × acts table with pandas, in the order the
themes enter the story, and draws it as a stacked bar chart with matplotlib: which themes open
the film, which arrive in the middle, which close it.

Needs the pandas and plot extras:

    pip install ".[pandas,plot]"
    python examples/themes_by_act.py                     # writes examples/output/
    python examples/themes_by_act.py --output results

Writes OUTPUT/themes_by_act.csv (one row per theme; a column of counts per act, the total, and
the act the theme first appears in) and
OUTPUT/themes_by_act.png. Runs headless: the plot is drawn straight to the file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import graph

HERE = Path(__file__).resolve().parent


def themes_by_act(kg: graph.KnowledgeGraph):  # -> pandas.DataFrame
    """A themes × acts table of event counts, in story order: the themes of act I first (most
    frequent first), then those that first appear in act II, and so on."""
    # One row per (act, theme): act_number, act, theme, label, events. Typed columns: the
    # counts are int64, so they sum and plot as numbers.
    long = kg.run("themes_by_act").to_df(iris="short")
    table = long.pivot_table(index="label", columns="act", values="events",
                             aggfunc="sum", fill_value=0)
    acts = long.drop_duplicates("act").sort_values("act_number")["act"].tolist()
    table = table.reindex(columns=acts)  # acts in story order, not alphabetical
    table["total"] = table.sum(axis=1)
    # The act in which each theme first appears: (table[acts] > 0) marks where it does.
    table["first act"] = (table[acts] > 0).to_numpy().argmax(axis=1) + 1
    table = table.sort_values(["first act", "total", "label"], ascending=[True, False, True])
    table.index.name = "theme"
    table.columns.name = None
    return table


def plot(table, path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no window: draw straight to the file
    import matplotlib.pyplot as plt

    acts = [c for c in table.columns if c not in ("total", "first act")]
    shown = table.iloc[::-1]  # the most frequent theme at the top
    fig, ax = plt.subplots(figsize=(9, 0.32 * len(shown) + 1.6))
    left = [0] * len(shown)
    for act, colour in zip(acts, ["#4f7fe0", "#e0457b", "#3fb8a6", "#f3a712", "#7b8597"],
                           strict=False):
        ax.barh(shown.index, shown[act], left=left, color=colour, label=act)
        left = [a + b for a, b in zip(left, shown[act], strict=True)]
    ax.set_xlabel("events carrying the theme")
    ax.set_title(title)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="lower right", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Themes across the acts of Her.")
    parser.add_argument("--output", type=Path, default=HERE / "output",
                        help="folder for the CSV and the PNG (default: examples/output)")
    args = parser.parse_args(argv)
    for module, extra in (("pandas", "pandas"), ("matplotlib", "plot")):
        try:
            __import__(module)
        except ImportError:
            print(f"this example needs {module}: pip install 'her-graph[{extra}]' "
                  "(or pip install '.[pandas,plot]' in a checkout)", file=sys.stderr)
            return 2

    kg = graph.load()
    table = themes_by_act(kg)
    print(table.to_string())

    args.output.mkdir(parents=True, exist_ok=True)
    csv_path = args.output / "themes_by_act.csv"
    table.to_csv(csv_path, encoding="utf-8")
    png_path = args.output / "themes_by_act.png"
    plot(table, png_path, "Themes of Her, act by act")
    print(f"\nwrote {csv_path}\nwrote {png_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
