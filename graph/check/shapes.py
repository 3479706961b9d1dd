"""Validation: SHACL shapes (pyshacl) with reports in plain words, and the evidence check.

pyshacl returns a report graph; :func:`validate` turns each result into a :class:`Violation`
that names the node (with its label), the property and what is wrong, in the words of the
shape's ``sh:message``.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from ..errors import ValidationFailed
from ..read.bundled import bundled_graph
from ..sparql.results import Rows
from ..sparql.values import Value
from ..stores.backend import prepare
from ..views.labels import basis_name
from .evidence import EvidenceReport, check_evidence
from .on_oxigraph import oxigraph_copy, select
from .support import SupportReport, check_support

if TYPE_CHECKING:
    import pandas as pd
    import pyoxigraph as ox
    from rdflib.query import ResultRow

    from ..stores.handle import StoryGraph

_HG = "https://w3id.org/her-graph/ontology#"
# The claim classes whose nodes carry an epistemic status (hg:basis), as in the shapes.
_CLAIM_CLASSES = (*(URIRef(_HG + name) for name in (
    "StoryEvent", "Role", "Precedence", "Relationship", "RelationshipStage", "ThemeAttribution",
)), URIRef("http://www.w3.org/ns/prov#Influence"))


_REPORT_COLUMNS = ("check", "severity", "focus", "label", "path", "message", "value")

_IRI_IN_TEXT = re.compile(r"\b(?:https?|urn):[^\s<>\"{}|\\^`,;)]+")

_LABEL_QUERY = """
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?label WHERE { ?node schema:name|rdfs:label|skos:prefLabel ?label } ORDER BY ?label LIMIT 1
"""


@dataclass(frozen=True, order=True)
class Violation:
    """One way the graph breaks its shapes.

    Example:
        >>> import graph
        >>> kg = graph.load()
        >>> kg.update("DELETE WHERE { her:Amy schema:name ?name }")
        >>> violation = kg.validate().violations[0]
        >>> violation.focus, violation.path, violation.message[:34]
        ('her:Amy', 'schema:name', 'a character needs exactly one name')
    """

    focus: str
    path: str
    message: str
    value: str = ""
    severity: str = "Violation"
    label: str = ""

    def __str__(self) -> str:
        node = f"{self.focus} ({self.label!r})" if self.label else self.focus
        where = f", property {self.path}" if self.path else ""
        value = f" [value: {self.value}]" if self.value and self.value not in self.message else ""
        return f"{self.severity}: {node}{where}: {self.message}{value}"


@dataclass
class ValidationReport:
    """The outcome of :func:`validate`: shape violations and, if checked, missing quotes.

    Example:
        >>> import graph
        >>> report = graph.load().validate()
        >>> report.conforms, report.ok, report.violations
        (True, True, [])
    """

    violations: list[Violation] = field(default_factory=list)
    evidence: EvidenceReport | None = None
    support: SupportReport | None = None
    bases: dict[str, int] = field(default_factory=dict)

    @property
    def conforms(self) -> bool:
        """True when no shape is violated (warnings and infos do not count)."""
        return not any(v.severity == "Violation" for v in self.violations)

    @property
    def ok(self) -> bool:
        """True when the graph conforms, every checked quote was found and every influence's
        and relationship's evidence mentions its parties."""
        return (self.conforms and (self.evidence is None or self.evidence.ok)
                and (self.support is None or self.support.ok))

    def raise_if_failed(self) -> None:
        """Raise :class:`~graph.errors.ValidationFailed` with a one-line summary unless ok."""
        if not self.ok:
            unsupported = self.support.unsupported if self.support else []
            missing = self.evidence.missing if self.evidence else []
            problems = len(self.violations) + len(missing) + len(unsupported)
            first = (str(self.violations[0]) if self.violations
                     else str(missing[0]) if missing
                     else str(unsupported[0]) if unsupported else "")
            raise ValidationFailed(
                f"the graph is not valid ({problems} problem(s)); first: {first}")

    def __str__(self) -> str:
        lines = [f"shapes: {'conforms' if self.conforms else 'does not conform'} "
                 f"({len(self.violations)} result(s))"]
        lines += [f"  - {v}" for v in self.violations]
        if self.bases:
            lines.append(_bases_line(self.bases))
        if self.support is not None:
            lines.append(str(self.support))
        if self.evidence is not None:
            lines.append(str(self.evidence))
        return "\n".join(lines)

    def to_rows(self) -> Rows:
        """Every problem found, one row each: shape results, then quotes not in the source.

        Columns: ``check`` (``"shapes"`` or ``"evidence"``), ``severity``, ``focus`` (the node,
        a prefixed name where a prefix covers it), ``label``, ``path`` (the property),
        ``message`` and ``value``. A quote not found in the source gives one row per claim that
        rests on it (``path`` ``hg:evidence``, the quote in ``value``). No problem, no rows.

        Example:
            >>> import graph
            >>> report = graph.load().validate()
            >>> report.to_rows().columns[:3], len(report.to_rows())
            (['check', 'severity', 'focus'], 0)
        """
        rows: list[dict[str, Value]] = [
            {"check": "shapes", "severity": v.severity, "focus": v.focus, "label": v.label,
             "path": v.path, "message": v.message, "value": v.value}
            for v in self.violations
        ]
        for claim in self.support.unsupported if self.support is not None else ():
            rows.append({"check": "support", "severity": "Violation", "focus": claim.claim,
                         "label": claim.label, "path": "hg:evidence",
                         "message": f"the evidence never mentions {' or '.join(claim.missing)}",
                         "value": ", ".join(claim.missing)})
        for missing in self.evidence.missing if self.evidence is not None else ():
            for focus, label in missing.claims or ((missing.selector, ""),):
                rows.append({"check": "evidence", "severity": "Violation", "focus": focus,
                             "label": label, "path": "hg:evidence",
                             "message": "quote not found in the source", "value": missing.quote})
        return Rows(_REPORT_COLUMNS, rows)

    def to_df(self) -> pd.DataFrame:
        """:meth:`to_rows` as a pandas DataFrame (needs the ``pandas`` extra).

        Example:
            >>> import graph
            >>> graph.load().validate().to_df().empty
            True
        """
        return self.to_rows().to_df()

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        verdict = "conforms" if self.conforms else "does not conform"
        lines = [f"<p><b>Validation</b>: shapes {verdict} "
                 f"({len(self.violations)} result(s))</p>"]
        if self.evidence is not None:
            lines.append(f"<p>{html.escape(str(self.evidence).splitlines()[0])}</p>")
        rows = self.to_rows()
        if rows:
            lines.append(rows._repr_html_())
        return "".join(lines)


def _bases_line(bases: dict[str, int]) -> str:
    text = ", ".join(f"{bases.get(name, 0)} {name}" for name in ("stated", "interpreted",
                                                                   "inferred"))
    return f"claims: {text}, {bases.get('unmarked', 0)} without a basis (hg:basis)"


def count_bases(data: Graph) -> dict[str, int]:
    """Count the claims the source states, interprets, or the graph infers (``hg:basis``).

    Claims are the nodes of the claim classes (events, roles, order links, relationships,
    stages, influences, theme attributions); ``"unmarked"`` counts those without a basis.

    Example:
        >>> import graph
        >>> counts = count_bases(graph.load().rdf)
        >>> sorted(counts), counts["unmarked"]
        (['inferred', 'interpreted', 'stated', 'unmarked'], 0)
    """
    counts = {"stated": 0, "interpreted": 0, "inferred": 0, "unmarked": 0}
    claims = {node for cls in _CLAIM_CLASSES for node in data.subjects(RDF.type, cls)}
    for claim in claims:
        basis = data.value(claim, URIRef(_HG + "basis"))
        name = basis_name(basis) if isinstance(basis, URIRef) else ""
        counts[name if name in counts else "unmarked"] += 1
    return counts


def _shorten_iris(text: str, kg: StoryGraph) -> str:
    return _IRI_IN_TEXT.sub(lambda m: kg.short(m.group(0)), text)


def _label(kg: StoryGraph, node: URIRef) -> str:
    if not isinstance(node, URIRef):
        return ""
    rows = kg.query(_LABEL_QUERY, {"node": node})
    return str(rows[0]["label"]) if rows else ""


def _path_text(report: Graph, path_node: Node | None, kg: StoryGraph) -> str:
    if path_node is None:
        return ""
    if isinstance(path_node, URIRef):
        return kg.short(path_node)
    inverse = report.value(path_node, SH.inversePath)
    if inverse is not None:
        return f"^{kg.short(inverse)}"
    return "(complex path)"


@dataclass(frozen=True)
class _SparqlConstraint:
    shape: Node
    select: str
    message: str
    severity: str = "Violation"


def _split_sparql_constraints(shapes: Graph) -> tuple[Graph, list[_SparqlConstraint]]:
    """Separate the SHACL-SPARQL constraints from the rest of the shapes graph.

    pyshacl evaluates a SPARQL constraint by parsing its query anew for every focus node, which
    makes validation of a 10,000-triple graph take most of a minute. The same results come from
    running each query once with ``$this`` free and keeping the rows whose ``?this`` is a target
    of the shape, which :func:`_run_sparql_constraints` does on any store.
    """
    core = Graph()
    for triple in shapes:
        core.add(triple)
    constraints = []
    for shape, constraint in list(shapes.subject_objects(SH.sparql)):
        select = shapes.value(constraint, SH.select)
        if select is None:
            continue
        prefixes = []
        for declaration_source in shapes.objects(constraint, SH.prefixes):
            for declaration in shapes.objects(declaration_source, SH.declare):
                prefix = shapes.value(declaration, SH.prefix)
                namespace = shapes.value(declaration, SH.namespace)
                prefixes.append(f"PREFIX {prefix}: <{namespace}>")
        message = str(shapes.value(constraint, SH.message) or "violates a SPARQL constraint")
        severity = shapes.value(constraint, SH.severity) or shapes.value(shape, SH.severity)
        constraints.append(_SparqlConstraint(
            shape, "\n".join([*prefixes, str(select)]), message,
            str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"))
        core.remove((shape, SH.sparql, constraint))
    return core, constraints


_RDFS_PREFIX = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
_TARGET_QUERIES = {
    SH.targetClass: "SELECT DISTINCT ?this WHERE {{ ?this a/rdfs:subClassOf* <{0}> }}",
    SH.targetSubjectsOf: "SELECT DISTINCT ?this WHERE {{ ?this <{0}> ?any }}",
    SH.targetObjectsOf: "SELECT DISTINCT ?this WHERE {{ ?any <{0}> ?this }}",
}


def _targets(data: Graph, store: ox.Store | None, shapes: Graph, shape: Node) -> set[str]:
    found: set[str] = set()
    for predicate, template in _TARGET_QUERIES.items():
        for target in shapes.objects(shape, predicate):
            text = _RDFS_PREFIX + template.format(target)
            if store is not None:
                found.update(str(row["this"]) for row in select(store, text) if "this" in row)
            else:
                rows = data.query(text)
                found.update(str(cast("ResultRow", row)[0]) for row in rows)
    for node in shapes.objects(shape, SH.targetNode):
        found.add(str(node))
    return found


def _fill(template: str, row: dict[str, str]) -> str:
    return re.sub(r"\{[?$](\w+)\}", lambda m: row.get(m.group(1), m.group(0)), template)


def _run_sparql_constraints(kg: StoryGraph, data: Graph, shapes: Graph,
                            constraints: list[_SparqlConstraint]) -> list[Violation]:
    """Each constraint's query once, on an Oxigraph copy of ``data`` (native parsing and
    evaluation: a tenth of rdflib's time), or on rdflib when Oxigraph cannot hold the graph."""
    store = oxigraph_copy(data) if constraints else None
    violations = []
    for constraint in constraints:
        targets = _targets(data, store, shapes, constraint.shape)
        if not targets:
            continue
        results = (select(store, constraint.select) if store is not None else
                   (cast("ResultRow", r).asdict() for r in data.query(prepare(constraint.select))))
        for result in results:
            row = {str(var): str(value) for var, value in result.items()}
            if row.get("this") not in targets:
                continue
            shown = {k: kg.short(v) for k, v in row.items()}
            violations.append(Violation(
                focus=kg.short(row["this"]),
                path=shown.get("path", ""),
                message=_shorten_iris(_fill(constraint.message, shown), kg),
                value=shown.get("value", ""),
                label=_label(kg, URIRef(row["this"])),
                severity=constraint.severity,
            ))
    return violations


def validate(
    kg: StoryGraph,
    *,
    shapes: Graph | None = None,
    source: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
) -> ValidationReport:
    """Validate ``kg`` against the SHACL shapes and, given ``source``, check every quote.

    Args:
        kg: the graph to validate.
        shapes: the shapes graph; by default the bundled ``data/shapes.ttl``.
        source: source text files or folders; when given, every evidence quote must occur in
            one of them.

    Returns:
        A :class:`ValidationReport`; ``report.ok`` is True when all is well.

    Example:
        >>> import graph
        >>> validate(graph.load()).conforms
        True
    """
    import pyshacl  # deferred: a heavy import (about half a second)

    if shapes is None:
        shapes = bundled_graph("shapes.ttl")
    data = kg.rdf
    if isinstance(data, Dataset):
        # pyshacl validates each graph of a dataset on its own; the shapes apply to the story,
        # the union of its graphs (what queries without GRAPH see): the default graph when
        # there are no others (no copy), else a copy of the union.
        if not kg.backend.graph_names():
            data = data.default_graph
        else:
            union = Graph()
            for prefix, namespace in data.namespaces():
                union.bind(prefix, namespace)
            for triple in data.triples((None, None, None)):
                union.add(triple)
            data = union
    if (URIRef("https://w3id.org/her-graph/ontology#AICharacter"), RDF.type, None) not in data:
        # The shapes rely on the ontology's class hierarchy and vocabularies; a user's story
        # file usually leaves them out, so validate a copy with the ontology mixed in.
        mixed = bundled_graph("ontology.ttl")
        for triple in data:
            mixed.add(triple)
        data = mixed
    core_shapes, sparql_constraints = _split_sparql_constraints(shapes)
    _conforms, report_graph, _text = pyshacl.validate(
        data,
        shacl_graph=core_shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    violations = set()
    for result in report_graph.subjects(RDF.type, SH.ValidationResult):
        focus = report_graph.value(result, SH.focusNode)
        path = report_graph.value(result, SH.resultPath)
        value = report_graph.value(result, SH.value)
        severity = report_graph.value(result, SH.resultSeverity)
        messages = sorted(str(m) for m in report_graph.objects(result, SH.resultMessage))
        message = messages[0] if messages else "violates a shape constraint"
        violations.add(Violation(
            focus=kg.short(focus),
            path=_path_text(report_graph, path, kg),
            message=_shorten_iris(message, kg),
            value=kg.short(value) if value is not None else "",
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            label=_label(kg, focus),
        ))
    violations.update(_run_sparql_constraints(kg, data, shapes, sparql_constraints))
    report = ValidationReport(violations=sorted(violations),
                              support=check_support(kg.rdf, short=kg.short),
                              bases=count_bases(kg.rdf))
    if source is not None:
        report.evidence = check_evidence(kg, source)
    return report

