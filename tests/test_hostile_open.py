"""Hostile input, continued: issue 20's broken promises, crashes and hangs, case by case.

Each test fails without its fix. The W3C conformance suites are in
``tests/read/test_w3c_suites.py``; named graphs in ``tests/read/test_datasets.py``.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

import graph
import graph.cli.common
from graph.errors import QueryError
from tests.hostile_helpers import cli, listener

LOCAL_STORES = ("memory", "oxigraph")


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# Offline: SPARQL's codepoint escapes spell SERVICE and LOAD too


@pytest.mark.parametrize("store", LOCAL_STORES)
def test_escaped_service_and_load_never_reach_the_network(store: str) -> None:
    kg = graph.load(store=store)
    size = len(kg)
    with listener() as remote:
        for text in (rf"SELECT * WHERE {{ \u0053ERVICE <{remote.url}/s> {{ ?s ?p ?o }} }}",
                     rf"SELECT * WHERE {{ \U00000053\u0045RVICE SILENT <{remote.url}/s> "
                     "{ ?s ?p ?o } }",
                     rf"ASK {{ SER\u0056ICE <{remote.url}/s> {{ ?s ?p ?o }} }}"):
            with pytest.raises(QueryError, match=r"SERVICE <http://127\.0\.0\.1:\d+/s>"):
                kg.query(text)
        with pytest.raises(QueryError, match=r"update uses LOAD <http"):
            kg.update(rf"\u004cOAD <{remote.url}/data.ttl>")
        error = cli("query", "-e", rf"SELECT * {{ \u0053ERVICE <{remote.url}/s> {{ ?s ?p ?o }} }}")
        assert error.code == 1 and "--allow-network" in error.error_line
        time.sleep(0.2)
        assert remote.connections == []
    assert len(kg) == size


def test_a_service_by_prefixed_name_is_named_as_written() -> None:
    kg = graph.load()
    with pytest.raises(QueryError, match=r"^the query uses SERVICE x:sparql, which") as info:
        kg.query("PREFIX x: <http://127.0.0.1:9/> SELECT * { SERVICE x:sparql { ?s ?p ?o } }")
    assert "{" not in str(info.value).split(", which")[0]


# ---------------------------------------------------------------------------------------------
# Terminal: CSV and JSON output to a terminal carry no raw control characters

_HOSTILE_LABEL = "Eve\x1b]0;pwned\x07\x1b[31m red \x9b2J \x7f end"
_RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]")


@pytest.mark.parametrize("output", ["csv", "json"])
def test_csv_and_json_to_a_terminal_escape_control_characters(
        output: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "ansi.nt", f"<https://e/a> <https://schema.org/name> "
                                       f"{json.dumps(_HOSTILE_LABEL)} .\n")
    select = ["query", "-g", str(path), "--format", output, "-e",
              "SELECT ?n WHERE { ?s schema:name ?n }"]
    construct = ["query", "-g", str(path), "--format", output, "-e",
                 "CONSTRUCT WHERE { ?s ?p ?o }"]
    monkeypatch.setattr(graph.cli.common, "stdout_is_terminal", lambda: True)
    for args in (select, construct):
        shown = cli(*args)
        assert shown.code == 0, shown.stderr
        assert not _RAW_CONTROL.search(shown.stdout), repr(shown.stdout)
        assert re.search(r"\\u001[bB]\]0;pwned", shown.stdout), shown.stdout
        assert "\\u009" in shown.stdout
    # Into a pipe CSV keeps the exact text; JSON is exact for any JSON reader either way.
    monkeypatch.setattr(graph.cli.common, "stdout_is_terminal", lambda: False)
    piped = cli(*select)
    if output == "csv":
        assert _HOSTILE_LABEL in piped.stdout
    else:
        assert json.loads(piped.stdout) == [{"n": _HOSTILE_LABEL}]
        assert not _RAW_CONTROL.search(piped.stdout)
