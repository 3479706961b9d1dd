"""The W3C RDF 1.1 suites for Turtle, TriG, N-Triples and N-Quads, run through ``graph.load``.

Each test of each manifest (``tests/read/w3c/*/manifest.ttl``) is loaded with the base IRI the
suite prescribes (its ``mf:assumedTestBase`` plus the file name): a positive syntax test must
load, a negative one must be refused with a :class:`GraphLoadError` naming the file, and an
evaluation test must give a dataset isomorphic to its expected result, graph names included
(the quads of ``kg.backend``, compared after RDFC-1.0 canonicalisation), on the memory store
and on the Oxigraph store.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF

import graph
from graph.errors import GraphLoadError
from graph.terms import from_oxigraph, to_oxigraph

SUITES = Path(__file__).parent / "w3c"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
RDFT = Namespace("http://www.w3.org/ns/rdftest#")


def _cases() -> list[object]:
    cases = []
    for manifest in sorted(SUITES.glob("*/manifest.ttl")):
        folder = manifest.parent
        g = Graph().parse(manifest, format="turtle", publicID=f"file:///{folder.name}/")
        head = next(g.subjects(RDF.type, MF.Manifest))
        base = str(next(g.objects(head, MF.assumedTestBase),
                        f"https://w3c.github.io/rdf-tests/rdf/rdf11/{folder.name}/"))
        for entry in Collection(g, next(g.objects(head, MF.entries))):
            kind = str(next(g.objects(entry, RDF.type))).rsplit("#", 1)[1]
            action = folder / str(next(g.objects(entry, MF.action))).rsplit("/", 1)[1]
            result = next(g.objects(entry, MF.result), None)
            expected = folder / str(result).rsplit("/", 1)[1] if result is not None else None
            name = f"{folder.name}/{str(entry).rsplit('#', 1)[1]}"
            cases.append(pytest.param(kind, action, expected, base + action.name, id=name))
    return cases


def _canonical(quads: Iterable[ox.Quad]) -> set[ox.Quad]:
    """The quads with canonical blank node labels and lower-case language tags (RDF 1.1
    compares language tags case-insensitively: ``en-UK`` is ``en-uk``)."""
    def lower(term: object) -> object:
        if isinstance(term, ox.Literal) and term.language:
            return ox.Literal(term.value, language=term.language.lower())
        return term

    dataset = ox.Dataset(ox.Quad(q.subject, q.predicate, lower(q.object),  # type: ignore[arg-type]
                                 q.graph_name) for q in quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def _loaded(kg: graph.KnowledgeGraph) -> set[ox.Quad]:
    return _canonical(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o),  # type: ignore[arg-type]
                              ox.DefaultGraph() if g is None else to_oxigraph(g))
                      for s, p, o, g in kg.backend.quads())


def _expected(path: Path, *, stored: bool = False) -> set[ox.Quad]:
    """The expected dataset, its terms read as the loaded ones were: through an Oxigraph store
    if ``stored`` (it keeps typed literals by value: ``"1.0"^^xsd:decimal`` comes back as
    ``1``), then as rdflib terms (rdflib reads ``01`` as the integer ``1``)."""
    rdf_format = ox.RdfFormat.N_QUADS if path.suffix == ".nq" else ox.RdfFormat.N_TRIPLES
    quads: Iterable[ox.Quad] = ox.parse(path=str(path), format=rdf_format)
    if stored:
        store = ox.Store()
        store.extend(quads)
        quads = list(store)

    def same(term: object) -> object:
        return term if isinstance(term, ox.DefaultGraph) else to_oxigraph(from_oxigraph(term))

    return _canonical(ox.Quad(*(same(t) for t in q)) for q in quads)  # type: ignore[misc]


CASES = _cases()


@pytest.mark.parametrize(("kind", "action", "expected", "base"), CASES)
def test_w3c(kind: str, action: Path, expected: Path | None, base: str) -> None:
    if "Negative" in kind:
        with pytest.raises(GraphLoadError) as info:
            graph.load(action, base=base)
        assert str(action) in str(info.value)
        return
    kg = graph.load(action, base=base)
    if kind.endswith("Eval") and expected is not None:
        assert _loaded(kg) == _expected(expected), action.name
        assert _loaded(graph.load(action, base=base, store="oxigraph")) == \
            _expected(expected, stored=True), action.name


def test_the_trig_suite_checks_graph_names() -> None:
    """The comparison sees graph names: a dataset of named graphs differs from its merge."""
    trig = SUITES / "rdf-trig"
    named = [case for case in CASES
             if Path(str(case.values[2])).suffix == ".nq"  # type: ignore[attr-defined]
             and any(not isinstance(q.graph_name, ox.DefaultGraph) for q in ox.parse(
                 path=str(case.values[2]), format=ox.RdfFormat.N_QUADS))]  # type: ignore[attr-defined]
    assert len(named) >= 100
    assert all(Path(str(case.values[1])).parent in (trig, SUITES / "rdf-n-quads")  # type: ignore[attr-defined]
               for case in named)
    merged = {ox.Quad(q.subject, q.predicate, q.object) for q in _expected(
        Path(str(named[0].values[2])))}  # type: ignore[attr-defined]
    assert _canonical(merged) != _expected(Path(str(named[0].values[2])))  # type: ignore[attr-defined]


def test_the_four_suites_are_all_there() -> None:
    folders = {Path(str(case.values[1])).parent.name for case in CASES}  # type: ignore[attr-defined]
    assert folders == {"rdf-turtle", "rdf-trig", "rdf-n-triples", "rdf-n-quads"}
    assert len(CASES) > 800
