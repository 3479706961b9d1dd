"""The her-graph command, run as a user runs it: a subprocess, its output and its exit code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

import graph
from graph.export import EXPORTERS
from graph.export.registry import ExportSource
from graph.generate import generate_story
from tests.conftest import ROOT, run_cli

pytestmark = pytest.mark.slow

COMMANDS = ["build", "query", "influence", "validate", "export", "stats"]
BROKEN_TRIPLE = ("\n<https://w3id.org/her-graph/her/Amy> <http://www.w3.org/ns/prov#wasInfluencedBy>"
                 " <https://w3id.org/her-graph/her/Catherine> .\n")


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A user's story graph (generated, conforming), as N-Triples."""
    return generate_story(characters=5, seed=3).write(tmp_path_factory.mktemp("story") / "story.nt")


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Her data plus an influence claimed without evidence: it breaks a shape."""
    path = tmp_path_factory.mktemp("broken") / "broken.ttl"
    path.write_text((ROOT / "data" / "her.ttl").read_text(encoding="utf-8") + BROKEN_TRIPLE,
                    encoding="utf-8")
    return path


def ok(*args: str, cwd: Path | None = None) -> str:
    result = run_cli(*args, cwd=cwd)
    assert result.returncode == 0, f"her-graph {' '.join(args)}: {result.stderr}"
    assert "\x1b[" not in result.stdout, "terminal escapes in output that is not a terminal"
    return result.stdout


def failed(code: int, *args: str, cwd: Path | None = None) -> str:
    """Run a command that must fail with ``code``: one line on stderr, no traceback."""
    result = run_cli(*args, cwd=cwd)
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("her-graph: error: "), result.stderr
    return lines[0]


# --------------------------------------------------------------------------------------------
# Help


def test_help_lists_every_command_and_the_exit_codes() -> None:
    out = ok("--help")
    for command in COMMANDS:
        assert f"\n  {command} " in out
    assert "0 done, 1 validation or query failed, 2 usage error" in " ".join(out.split())
    assert ok("--version").startswith("her-graph, version ")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_a_real_example(command: str, tmp_path: Path) -> None:
    out = ok(command, "--help")
    assert "Example" in out
    examples = [line.strip() for line in out.splitlines()
                if line.strip().startswith(f"her-graph {command}")]
    assert examples
    assert "-g, --graph FILE" in out  # every command takes a user's graph
    # The first example runs as written, in an empty folder (a shell redirection aside).
    first = examples[0].split()[1:]
    ok(*(first[:first.index(">")] if ">" in first else first), cwd=tmp_path)


def test_the_console_script_and_python_dash_m_graph_work() -> None:
    script = Path(sys.executable).parent / "her-graph"
    if script.exists():
        result = subprocess.run([str(script), "stats"], capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == 0 and "triples" in result.stdout
    result = subprocess.run([sys.executable, "-m", "graph", "stats", "--top", "0"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and "characters" in result.stdout


# --------------------------------------------------------------------------------------------
# build and export


def test_build_rebuilds_the_committed_exports_byte_for_byte(tmp_path: Path) -> None:
    out = ok("build", "--out", str(tmp_path / "exports"))
    built = {p.name: p.read_bytes() for p in (tmp_path / "exports").iterdir()}
    committed = {p.name: p.read_bytes() for p in (ROOT / "exports").iterdir() if p.is_file()}
    assert sorted(built) == sorted(committed), "exports/ holds other files than build writes"
    stale = [name for name in built if built[name] != committed[name]]
    assert not stale, f"exports/ is stale ({', '.join(stale)}): run `her-graph build`"
    for name in built:
        assert name in out
    assert "valid" in out and f"{len(built)} file(s) written" in out


def test_build_a_users_graph_writes_every_format_named_after_it(story: Path,
                                                                tmp_path: Path) -> None:
    out = ok("build", "-g", str(story), "--out", str(tmp_path / "out"))
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    source = ExportSource(graph.load(story))
    expected = sorted(n for e in EXPORTERS.values() if e.built_for(source)
                      for n in e.outputs(source, "story"))
    assert names == expected
    assert "story.ttl" in out and "story.nt" in out and "story-nodes.csv" in out
    assert "story.trig" not in out and "story.nq" not in out  # no named graphs to carry
    assert isomorphic(graph.load(tmp_path / "out" / "story.jsonld").rdf, graph.load(story).rdf)
    assert isomorphic(graph.load(tmp_path / "out" / "story.nt").rdf, graph.load(story).rdf)
    ok("build", "-g", str(story), "--out", str(tmp_path / "other"), "--stem", "tale")
    assert (tmp_path / "other" / "tale.ttl").read_bytes() == (tmp_path / "out" / "story.ttl"
                                                              ).read_bytes()


def test_build_a_dataset_keeps_its_graph_names_and_says_what_it_left_out(
        tmp_path: Path) -> None:
    trig = tmp_path / "letters.trig"
    trig.write_text("""PREFIX schema: <https://schema.org/>
<https://e/theodore> schema:name "Theodore" .
<https://e/letters/1> { <https://e/theodore> schema:knows <https://e/catherine> . }
""", encoding="utf-8")
    result = run_cli("build", "-g", str(trig), "--out", str(tmp_path / "out"), "--force")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert "letters.trig" in names and "letters.nq" in names
    assert not any(n.endswith((".ttl", ".nt", ".html")) for n in names)
    assert "1 named graph: TriG and N-Quads written in place of Turtle" in result.stderr
    for name in ("letters.trig", "letters.nq", "letters.jsonld"):
        assert graph.load(tmp_path / "out" / name).graphs == ["https://e/letters/1"], name
    edges = (tmp_path / "out" / "letters-edges.csv").read_text(encoding="utf-8").splitlines()
    assert edges == ["source,target,label,predicate,graph",
                     "https://e/theodore,https://e/catherine,knows,schema:knows,"
                     "https://e/letters/1"]
    refused = run_cli("export", "-g", str(trig), "--format", "ttl")
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "her-graph: error: Turtle has no graph names, and this graph has 1 named graph "
        "(<https://e/letters/1>): writing it would merge them; export as TriG (--format trig) "
        "or N-Quads (--format nq)")


def test_build_refuses_an_invalid_graph_unless_forced(broken: Path, tmp_path: Path) -> None:
    line = failed(1, "build", "-g", str(broken), "--out", str(tmp_path / "out"))
    assert "not exporting" in line and "her:Amy" in line and "--force" in line
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    result = run_cli("build", "-g", str(broken), "--out", str(tmp_path / "out"), "--force")
    assert result.returncode == 0
    assert "warning" in result.stderr and (tmp_path / "out" / "broken.ttl").is_file()


def test_export_to_stdout_gives_the_same_bytes_as_build() -> None:
    result = subprocess.run([sys.executable, "-m", "graph.cli", "export", "--format", "ttl"],
                            capture_output=True, timeout=300)
    assert result.returncode == 0
    assert result.stdout == (ROOT / "exports" / "her.ttl").read_bytes()


def test_export_to_files(story: Path, tmp_path: Path) -> None:
    out = ok("export", "-g", str(story), "-o", str(tmp_path / "story.gexf"))
    assert f"wrote {tmp_path / 'story.gexf'}" in out
    ok("export", "--format", "csv", "-o", str(tmp_path / "tables"))
    assert (tmp_path / "tables-nodes.csv").read_bytes() == (ROOT / "exports" / "her-nodes.csv"
                                                            ).read_bytes()
    ok("export", "--format", "jsonld", "-o", str(tmp_path / "her.data"))
    json.loads((tmp_path / "her.data").read_text(encoding="utf-8"))
    assert "several files" in failed(2, "export", "--format", "csv")


# --------------------------------------------------------------------------------------------
# query


def test_query_a_named_query_in_every_format() -> None:
    csv_out = ok("query", "influencers_of", "--param", "character=samantha", "--format", "csv")
    assert csv_out.startswith("influencer,name,how,influence,evidence\n")
    assert "https://w3id.org/her-graph/her/Theodore,Theodore," in csv_out
    rows = json.loads(ok("query", "influencers_of", "-p", "character=Theodore", "-f", "json"))
    assert [r["name"] for r in rows] == ["Amy", "Catherine", "Samantha", "the operating systems"]
    assert rows[1]["influencer"] == "https://w3id.org/her-graph/her/Catherine"
    table = ok("query", "influencers_of", "-p", "character=Theodore")
    assert "her:Catherine" in table and table.rstrip().endswith("(4 rows)")


def test_query_inline_from_a_file_and_from_stdin(tmp_path: Path) -> None:
    sparql = "SELECT ?count WHERE { ?group schema:name ?name ; hg:memberCount ?count }"
    out = ok("query", "-e", sparql, "-p", "name=the 8,316 other people", "-f", "json")
    assert json.loads(out) == [{"count": 8316}]
    file = tmp_path / "ai.rq"
    file.write_text("SELECT ?name WHERE { her:Samantha a hg:AICharacter ; schema:name ?name }",
                    encoding="utf-8")
    assert ok("query", str(file), "-f", "csv") == "name\nSamantha\n"
    result = subprocess.run([sys.executable, "-m", "graph.cli", "query", "-", "-f", "csv"],
                            input=file.read_text(encoding="utf-8"), capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0 and result.stdout == "name\nSamantha\n"
    assert ok("query", "-e", "ASK { her:Samantha a hg:HumanCharacter }").strip() == "false"
    bound = ok("query", "-e", "SELECT ?n WHERE { ?c schema:name ?n }", "-p", "c=<her:Amy>",
               "-f", "csv")
    assert bound == "n\nAmy\n"


def test_query_construct_gives_turtle_or_json_ld() -> None:
    construct = ("CONSTRUCT { ?c schema:name ?n } WHERE { ?c a hg:AICharacter ; "
                 "schema:name ?n FILTER (?c = her:Samantha) }")
    assert 'her:Samantha\n    schema:name "Samantha"' in ok("query", "-e", construct)
    document = json.loads(ok("query", "-e", construct, "-f", "json"))
    assert document["@graph"] == [{"@id": "her:Samantha", "name": "Samantha"}]


def test_query_list_names_every_query_with_its_parameters() -> None:
    listing = json.loads(ok("query", "--list", "-f", "json"))
    assert [q["name"] for q in listing] == sorted(graph.load().queries)
    influencers = next(q for q in listing if q["name"] == "influencers_of")
    assert influencers["parameters"][0]["name"] == "character"
    assert "influencers_of" in ok("query", "--list")


def test_query_is_read_only_unless_updates_are_allowed(story: Path, tmp_path: Path) -> None:
    insert = "INSERT DATA { her:Amy schema:alternateName \"Amy A.\" }"
    assert "--allow-update" in failed(1, "query", "-e", insert)
    before = story.read_bytes()
    out = ok("query", "-g", str(story), "--allow-update", "-e", insert)
    assert "1 triple(s) added, 0 removed" in out and "not saved" in out
    saved = tmp_path / "changed.ttl"
    out = ok("query", "-g", str(story), "--allow-update", "--save", str(saved), "-e", insert)
    assert f"saved the changed graph to {saved}" in out
    assert story.read_bytes() == before  # the user's file is never changed behind their back
    changed = Graph().parse(saved, format="turtle")
    assert (URIRef("https://w3id.org/her-graph/her/Amy"),
            URIRef("https://schema.org/alternateName"), None) in changed
    assert len(changed) == len(graph.load(story).rdf) + 1
    assert "needs --allow-update" in failed(2, "query", "--save", str(saved), "-e", insert)
    assert ".ttl, .nt, .nq, .trig or .jsonld" in failed(2, "query", "--allow-update", "--save",
                                                         str(tmp_path / "x.graphml"), "-e", insert)
    # An update that makes a named graph: TriG keeps it, Turtle refuses rather than merge it.
    named = "INSERT DATA { GRAPH <https://e/notes> { her:Amy schema:alternateName 'Amy B.' } }"
    trig = tmp_path / "changed.trig"
    ok("query", "-g", str(story), "--allow-update", "--save", str(trig), "-e", named)
    assert graph.load(trig).graphs == ["https://e/notes"]
    assert "Turtle has no graph names" in failed(
        1, "query", "-g", str(story), "--allow-update", "--save", str(saved), "-e", named)


# --------------------------------------------------------------------------------------------
# influence


def test_influence_shows_both_directions_with_evidence() -> None:
    out = ok("influence", "Theodore")
    influenced_by, influenced = out.split("Theodore influenced")
    assert "Catherine" in influenced_by and "Samantha" in influenced_by
    assert "“I’ll always love you ‘cause we grew up together" in influenced_by
    assert ("through: Catherine condemns Theodore for loving a machine, and he first questions it"
            " (event 4)") in influenced_by
    assert "Samantha" in influenced
    report = json.loads(ok("influence", "samantha", "--format", "json"))
    assert report["character"]["name"] == "Samantha"
    assert [e["name"] for e in report["influenced"]] == ["Theodore"]
    assert all(e["evidence"] for e in report["influenced_by"] + report["influenced"])


def test_influence_paths() -> None:
    out = ok("influence", "--path", "Catherine", "Samantha")
    assert "from Catherine to Samantha (2 steps)" in out
    assert out.index("Catherine -> Theodore") < out.index("Theodore -> Samantha")
    chains = json.loads(ok("influence", "--path", "catherine", "samantha", "-f", "json"))
    assert [[s["to_name"] for s in chain] for chain in chains] == [["Theodore", "Samantha"]]
    assert "No chain of influence leads from Catherine to Amy's operating system" in ok(
        "influence", "--path", "Catherine", "Amy's operating system")


def test_influence_in_a_users_graph(story: Path) -> None:
    kg = graph.load(story)
    first = kg.run("influences")[0]
    out = ok("influence", "-g", str(story), str(first["influenced_name"]))
    assert str(first["influencer_name"]) in out.split("influenced")[1]
    out = ok("influence", "-g", str(story), "--path", "Isra Venlin", "Linolden Denpero")
    assert "Isra Venlin -> Pemiol Linni" in out and "Kamisa Quka -> Linolden Denpero" in out


# --------------------------------------------------------------------------------------------
# validate and stats


def test_validate_the_bundled_graph_and_a_users(story: Path) -> None:
    assert ok("validate").rstrip().endswith("valid")
    assert "conforms" in ok("validate", str(story))
    assert "conforms" in ok("validate", "-g", str(story))


def test_validate_reports_problems_and_exits_1(broken: Path, tmp_path: Path) -> None:
    result = run_cli("validate", str(broken))
    assert result.returncode == 1
    assert "her:Amy" in result.stdout and "prov:wasInfluencedBy" in result.stdout
    assert result.stdout.rstrip().endswith("NOT valid")
    report = json.loads(run_cli("validate", str(broken), "--format", "json").stdout)
    assert report["ok"] is False and report["violations"][0]["focus"] == "her:Amy"
    text = tmp_path / "other.txt"
    text.write_text("An article about another film.", encoding="utf-8")
    result = run_cli("validate", "--source", str(text))
    assert result.returncode == 1 and "quote not found in the source" in result.stdout


def test_validate_checks_every_quote_against_the_source(seeds: Path) -> None:
    out = ok("validate", "--source", str(seeds))
    assert "all found" in out


def test_stats_counts_and_names_the_most_influential(story: Path) -> None:
    out = ok("stats")
    assert "characters             5" in out
    assert f"triples            {len(graph.load()):,}" in out
    assert "Most influential (PageRank over the reversed influence graph)" in out
    data = json.loads(ok("stats", "-g", str(story), "--format", "json", "--top", "2"))
    assert data["counts"]["characters"] == 5
    assert data["counts"]["triples"] == len(graph.load(story))
    assert len(data["most_influential"]) == 2
    # The group of commuters influenced three of the five characters, and through them all.
    top = data["most_influential"][0]
    assert (top["name"], top["influenced"], top["reach"]) == ("the 7,158 commuters", 3, 5)


def test_stats_imports_no_html_validation_or_terminal_library() -> None:
    code = ("import sys\nfrom graph.cli import main\nmain(['stats'])\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('pyvis', 'pyshacl', 'rich', 'jinja2')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0 and result.stdout.rstrip().endswith("[]")


def test_a_terminal_gets_rich_tables() -> None:
    pty = pytest.importorskip("pty")
    primary, secondary = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "120"}
    process = subprocess.Popen([sys.executable, "-m", "graph.cli", "stats"], stdout=secondary,
                               stderr=secondary, env=env)
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    assert process.wait(timeout=300) == 0
    text = b"".join(chunks).decode("utf-8", errors="replace")
    assert "┃" in text and "Samantha" in text


# --------------------------------------------------------------------------------------------
# Mistakes: one line on stderr, the right exit code, never a traceback


@pytest.mark.parametrize(("code", "args", "words"), [
    (2, ["stats", "-g", "no-such-file.ttl"], "does not exist"),
    (1, ["stats", "-g", "{bad}"], "invalid Turtle"),
    (2, ["stats", "--rdf-format", "yaml"], "unknown RDF format 'yaml'"),
    (2, ["frobnicate"], "No such command"),
    (2, ["query"], "give a query name"),
    (2, ["query", "no_such_query"], "no named query 'no_such_query'"),
    (2, ["query", "missing.rq"], "missing.rq: no such file"),
    (2, ["query", "influencers_of"], "needs the parameter 'character'"),
    (2, ["query", "influencers_of", "--param", "character"], "is not KEY=VALUE"),
    (2, ["query", "influencers_of", "-p", "who=Amy"], "unknown parameter(s) who"),
    (2, ["query", "influencers_of", "-p", "character=Bob"], "no character named 'Bob'"),
    (2, ["query", "-e", "SELECT ?x {}", "-p", "x=<not an iri>"], "is not an IRI"),
    (1, ["query", "-e", "SELEC ?x WHERE {}"], "invalid SPARQL at line 1"),
    (1, ["query", "-e", "DELETE WHERE { ?s ?p ?o }"], "queries are read-only"),
    (1, ["query", "--timeout", "0.5", "-e",
         "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"], "time limit"),
    (2, ["query", "-e", "SELECT * {}", "--format", "xml"], "'xml' is not one of"),
    (2, ["influence", "Bob"], "no character named 'Bob'"),
    (2, ["influence"], "give a CHARACTER"),
    (2, ["influence", "--path", "Amy", "amy"], "two different characters"),
    (2, ["export", "--format", "xml"], "'xml' is not one of"),
    (2, ["export", "-o", "her.xyz"], "cannot tell the export format"),
    (1, ["export", "--format", "ttl", "-o", "no/such/folder/her.ttl"], "does not exist"),
    (1, ["build", "--out", "{file}/exports"], "cannot create the output folder"),
    (2, ["validate", "{bad}", "-g", "{bad}"], "not both"),
    (2, ["validate", "--source", "no-such-article.txt"], "does not exist"),
    (1, ["validate", "{bad}"], "invalid Turtle"),
])
def test_mistakes_give_one_line_and_the_right_exit_code(code: int, args: list[str], words: str,
                                                        tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    file = tmp_path / "a-file"
    file.write_text("not a folder", encoding="utf-8")
    args = [a.replace("{bad}", str(bad)).replace("{file}", str(file)) for a in args]
    assert words in failed(code, *args, cwd=tmp_path)
