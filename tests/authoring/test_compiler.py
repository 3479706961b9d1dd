"""Compiling story files: the issue's example, the model it emits, the selectors it anchors."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

import graph
from graph.authoring import compile_story, new_story, story_turtle, write_story_graph
from graph.authoring.spec import HGX, OAX, SEMX, SPDX

from .conftest import invoke

BASE = "https://example.org/stories/the-lamp-and-the-lake/"


def node(ident: str) -> URIRef:
    return URIRef(BASE + ident)


def selectors(g: Graph) -> list[tuple[str, int, int, str, str]]:
    found = []
    for selector in g.subjects(RDF.type, OAX.TextQuoteSelector):
        position = g.value(selector, OAX.refinedBy)
        if position is None:  # a quote kept as extra Turtle, not one the compiler anchored
            continue
        found.append((str(g.value(selector, OAX.exact)), int(g.value(position, OAX.start)),
                       int(g.value(position, OAX.end)), str(g.value(selector, OAX.prefix)),
                       str(g.value(selector, OAX.suffix))))
    return sorted(found)


def assert_selectors_point_at_the_quotes(g: Graph, source: str) -> None:
    assert selectors(g)
    for exact, start, end, prefix, suffix in selectors(g):
        assert source[start:end] == exact
        assert source[max(0, start - 32):start] == prefix
        assert source[end:end + 32] == suffix


def test_the_issue_example_compiles_with_selectors_on_the_quoted_text(lamp: Path) -> None:
    g = compile_story(lamp)
    source = (lamp.parent / "source.txt").read_text(encoding="utf-8")
    assert_selectors_point_at_the_quotes(g, source)
    assert {s[0] for s in selectors(g)} == {"Ada first met Orin", "Orin left the lake",
                                            "they became friends", "Orin taught Ada",
                                            "alone on the shore"}
    digest = hashlib.sha256((lamp.parent / "source.txt").read_bytes()).hexdigest()
    checksum = g.value(node("source"), SPDX.checksum)
    assert g.value(checksum, SPDX.checksumValue) == Literal(digest, datatype=XSD.hexBinary)
    assert not any(isinstance(term, type(None)) or term.__class__.__name__ == "BNode"
                   for triple in g for term in triple)


def test_the_example_emits_the_model(lamp: Path) -> None:
    g = compile_story(lamp)
    meeting, ada, orin = node("meeting"), node("ada"), node("orin")
    # Roles: IRIs, agents take part (sem:hasActor), every claim stated by default.
    part = node("part-meeting-ada")
    assert (meeting, HGX.role, part) in g and (part, RDF.value, ada) in g
    assert (part, SEMX.roleType, HGX.Agent) in g and (meeting, SEMX.hasActor, ada) in g
    assert (meeting, HGX.basis, HGX.Stated) in g and (part, HGX.basis, HGX.Stated) in g
    # Precedence: the link and its node.
    assert (meeting, HGX.precedes, node("parting")) in g
    link = node("precedes-meeting-parting")
    assert (link, HGX.earlier, meeting) in g and (link, HGX.later, node("parting")) in g
    assert [int(g.value(e, HGX.storyPosition)) for e in (meeting, node("parting"))] == [1, 2]
    # Aliases, influence, theme attribution, the work listing its characters.
    assert (orin, URIRef("https://schema.org/alternateName"), Literal("the lamp")) in g
    assert (ada, URIRef("http://www.w3.org/ns/prov#wasInfluencedBy"), orin) in g
    influence = node("influence-orin-on-ada")
    assert (influence, HGX.throughEvent, meeting) in g
    assert (ada, HGX.qualifiedTheme, node("themed-ada-solitude")) in g
    assert (node("story"), HGX.hasCharacter, orin) in g
    assert (node("rel-ada-orin"), HGX.relationshipKind, node("friendship")) in g


def test_basis_roles_stages_and_acts_compile(tmp_path: Path) -> None:
    (tmp_path / "s.txt").write_text("Bo met Al. Al left. Bo spoke of Al.", encoding="utf-8")
    (tmp_path / "s.yaml").write_text(
        "story: {title: T, base: 'https://example.org/t/', basis: interpreted}\n"
        "source: {path: s.txt}\n"
        "characters:\n  - {id: bo, name: Bo, kind: human}\n  - {id: al, name: Al, kind: group}\n"
        "acts:\n  - {id: act-1, number: 1, quote: Bo met Al}\n"
        "events:\n"
        "  - {id: e1, label: Meet, participants: [bo, al], act: act-1, quote: Bo met Al}\n"
        "  - id: e2\n    label: Talk\n    act: act-1\n    act_basis: inferred\n"
        "    act_note: by order\n    basis: inferred\n    basis_note: a reading\n"
        "    participants: [bo, {character: al, role: spoken_of}]\n    quote: Bo spoke of Al\n"
        "relationships:\n  - between: [bo, al]\n    kind: hg:Interaction\n    quote: Bo met Al\n"
        "    stages:\n      - {type: begins, at: e1}\n      - {type: ends, at: e2, basis: stated,"
        " quote: Al left}\n", encoding="utf-8")
    g = compile_story(tmp_path / "s.yaml")
    t = "https://example.org/t/"
    e1, e2, al = URIRef(t + "e1"), URIRef(t + "e2"), URIRef(t + "al")
    assert (e1, HGX.basis, HGX.Interpreted) in g and (e2, HGX.basis, HGX.Inferred) in g
    assert (e2, HGX.basisNote, Literal("a reading", lang="en")) in g
    assert (e2, SEMX.hasActor, al) not in g  # spoken of, not taking part
    assert (URIRef(t + "part-e2-al"), SEMX.roleType, HGX.SpokenOf) in g
    assert (e2, HGX.actBasis, HGX.Inferred) in g and (e1, HGX.actBasis, HGX.Stated) in g
    rel = URIRef(t + "rel-bo-al")
    assert (rel, HGX.startsWith, e1) in g and (rel, HGX.endsWith, e2) in g
    ends = URIRef(t + "rel-bo-al-ends-e2")
    assert (ends, HGX.stageType, HGX.Ends) in g and (ends, HGX.basis, HGX.Stated) in g
    assert (URIRef(t + "act-1"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
            Literal("Act I", lang="en")) in g


def test_an_explicit_occurrence_picks_the_nth_place(tmp_path: Path) -> None:
    (tmp_path / "s.txt").write_text("a lamp here, a lamp there", encoding="utf-8")
    (tmp_path / "s.yaml").write_text(
        "story: {title: T}\nsource: {path: s.txt}\ncharacters:\n"
        "  - {id: o, name: O, kind: ai, quote: {exact: a lamp, occurrence: 2}}\n",
        encoding="utf-8")
    assert [s[1:3] for s in selectors(compile_story(tmp_path / "s.yaml"))] == [(13, 19)]


def test_a_quote_over_a_line_break_anchors_to_the_source_words(tmp_path: Path) -> None:
    source = "Ada first met\r\nOrin by the lake."
    (tmp_path / "s.txt").write_bytes(("\ufeff" + source).encode("utf-8"))
    (tmp_path / "s.yaml").write_text(
        "story: {title: T}\nsource: {path: s.txt}\ncharacters:\n"
        "  - {id: o, name: O, kind: ai, quote: met Orin}\n", encoding="utf-8")
    g = compile_story(tmp_path / "s.yaml")
    assert_selectors_point_at_the_quotes(g, source)  # BOM stripped, \r\n kept
    assert selectors(g)[0][0] == "met\r\nOrin"


def test_the_turtle_is_deterministic(lamp: Path) -> None:
    script = ("import sys; from graph.authoring import compile_story, story_turtle; "
              "sys.stdout.write(story_turtle(compile_story(sys.argv[1])))")
    outputs = {subprocess.run([sys.executable, "-c", script, str(lamp)], capture_output=True,
                              text=True, check=True, env={"PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2")}
    assert len(outputs) == 1
    assert outputs == {story_turtle(compile_story(lamp))}
    assert "_:" not in outputs.pop()


def test_the_base_iri_is_configurable(lamp: Path) -> None:
    lamp.write_text(lamp.read_text().replace(
        "  title: The Lamp and the Lake\n",
        "  title: The Lamp and the Lake\n  base: https://example.org/lamp#\n", 1))
    g = compile_story(lamp)
    assert (URIRef("https://example.org/lamp#ada"), None, None) in g


def test_a_new_story_folder_compiles_and_validates(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    assert [p.name for p in new_story(folder)] == ["story.yaml", "source.txt", "README.md"]
    ttl = write_story_graph(folder / "story.yaml")
    report = graph.load(ttl).validate(source=folder / "source.txt")
    assert report.ok, str(report)
    assert_selectors_point_at_the_quotes(Graph().parse(ttl),
                                         (folder / "source.txt").read_text(encoding="utf-8"))
    with pytest.raises(graph.HerGraphError, match=r"already has story\.yaml"):
        new_story(folder)


def test_gull_rock_in_the_format_compiles_and_validates() -> None:
    examples = Path(__file__).resolve().parents[2] / "examples" / "data"
    g = compile_story(examples / "gull-rock.yaml")
    source = (examples / "gull-rock.txt").read_text(encoding="utf-8")
    assert_selectors_point_at_the_quotes(g, source)
    assert len(list(g.subjects(RDF.type, HGX.StoryEvent))) == 8


def test_cli_compile_writes_turtle(lamp: Path) -> None:
    code, out, err = invoke("compile", str(lamp), "-o", str(lamp.parent / "out.ttl"))
    assert code == 0, err
    assert "wrote" in out and (lamp.parent / "out.ttl").read_text().startswith("PREFIX")


def test_the_whole_loop_as_a_user_runs_it(tmp_path: Path) -> None:
    """One real subprocess: new, compile, validate, build."""
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "graph.cli", *args], capture_output=True,
                              text=True, cwd=tmp_path, timeout=300)

    for args in (("new", "story"), ("compile", "story/story.yaml"),
                 ("validate", "story/story.ttl", "--source", "story/source.txt")):
        result = run(*args)
        assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout
