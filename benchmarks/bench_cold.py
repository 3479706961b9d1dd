"""Cold runs of ``her-graph stats`` and ``her-graph build`` against ``python -c "import rdflib"``.

    python benchmarks/bench_cold.py                       # 7 rounds
    python benchmarks/bench_cold.py --before /path/to/older/checkout

Each command runs as a fresh process (nothing cached from an earlier run), the three commands
interleaved, round after round; the figure of each is the median of its CPU time (user +
system, which other jobs on a shared machine disturb less than wall-clock time). With
``--before``, the same two commands also run from that checkout of the project (through
``PYTHONPATH``), so before and after are measured in the same run. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cpu_of(command: list[str], env: dict[str, str], cwd: str) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    # Run from an empty folder: `python -m` puts the working directory first on sys.path,
    # ahead of PYTHONPATH, so run from a checkout every command would use that checkout.
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True, env=env, cwd=cwd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--before", metavar="CHECKOUT", help="an older checkout to compare")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as out:
        checkouts = {"after": str(ROOT)}
        if args.before:
            checkouts = {"before": args.before, **checkouts}
        commands: dict[str, tuple[list[str], dict[str, str]]] = {
            "import rdflib": ([sys.executable, "-c", "import rdflib"], dict(os.environ))}
        for name, checkout in checkouts.items():
            env = dict(os.environ, PYTHONPATH=checkout)
            commands[f"stats ({name})"] = ([sys.executable, "-m", "graph.cli", "stats"], env)
            commands[f"build ({name})"] = ([sys.executable, "-m", "graph.cli", "build", "-o",
                                            os.path.join(out, name)], env)
        times: dict[str, list[float]] = {key: [] for key in commands}
        empty = os.path.join(out, "cwd")
        os.mkdir(empty)
        for _ in range(args.rounds):
            for key, (command, env) in commands.items():
                times[key].append(cpu_of(command, env, empty))
    median = {key: statistics.median(values) for key, values in times.items()}
    base = median["import rdflib"]
    print(f"median CPU of {args.rounds} cold runs: import rdflib {base:.3f} s")
    for name in checkouts:
        stats, build = median[f"stats ({name})"], median[f"build ({name})"]
        print(f"{name:>6}: stats {stats:.3f} s = {stats / base:.2f}x import rdflib; "
              f"build {build:.3f} s = {build / stats:.2f}x stats ({build / base:.2f}x rdflib)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
