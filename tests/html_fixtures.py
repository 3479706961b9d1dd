"""A story graph whose every text is hostile: markup, script, quotes, ampersands, bidi controls."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, Namespace
from rdflib.namespace import PROV, RDF, RDFS, SDO, SKOS

import graph
from graph.namespaces import HG, OA, SEM

X = Namespace("https://example.org/hostile/")

#: Texts that would run script or break out of their context if a page inserted them as HTML.
HOSTILE_NAME = "<script>window.__pwned = 'name'</script>Eve & \"Mallory\" 'O'Neil'"
HOSTILE_DESCRIPTION = ("<img src=x onerror=\"window.__pwned='img'\"> described </script><!-- "
                       "<svg onload=alert(1)>")
HOSTILE_QUOTE = ("</script><script>window.__pwned='quote'</script> & &amp; "
                 "<a href=\"javascript:window.__pwned='link'\">click</a> \u202eevil\u2028x")
HOSTILE_EVENT = "<b onmouseover=\"window.__pwned='event'\">Eve leaves</b> &lt;not a tag&gt;"
HOSTILE_THEME = "javascript:window.__pwned='theme' \u2029 {{ 7*7 }} ${7*7}"
HOSTILE_WORK = "<iframe src=\"javascript:window.__pwned='title'\"></iframe>Hostile & Co"
HOSTILE_SOURCE = "A source with a \"quote\" & <style>body{display:none}</style>"

HOSTILE_TEXTS = (HOSTILE_NAME, HOSTILE_DESCRIPTION, HOSTILE_QUOTE, HOSTILE_EVENT, HOSTILE_THEME,
                 HOSTILE_WORK, HOSTILE_SOURCE)


def hostile_graph(folder: Path) -> graph.KnowledgeGraph:
    """Write the hostile story as Turtle into ``folder`` and load it as a user would."""
    g = Graph()
    eve, adam, event, theme = X["eve"], X["adam"], X["event-1"], X["theme-1"]
    quote, selector, source = X["quote-1"], X["quote-1-text"], X["source"]
    g.add((X["work"], RDF.type, SDO.Movie))
    g.add((X["work"], SDO.name, Literal(HOSTILE_WORK)))
    g.add((source, RDF.type, SDO.Article))
    g.add((source, SDO.name, Literal(HOSTILE_SOURCE)))
    g.add((quote, RDF.type, OA.SpecificResource))
    g.add((quote, OA.hasSource, source))
    g.add((quote, OA.hasSelector, selector))
    g.add((selector, RDF.type, OA.TextQuoteSelector))
    g.add((selector, OA.exact, Literal(HOSTILE_QUOTE)))
    g.add((eve, RDF.type, HG.HumanCharacter))
    g.add((eve, SDO.name, Literal(HOSTILE_NAME)))
    g.add((eve, SDO.description, Literal(HOSTILE_DESCRIPTION, lang="en")))
    g.add((eve, HG.evidence, quote))
    g.add((adam, RDF.type, HG.AICharacter))
    g.add((adam, SDO.name, Literal("Adam")))
    g.add((event, RDF.type, HG.StoryEvent))
    g.add((event, RDFS.label, Literal(HOSTILE_EVENT)))
    g.add((event, HG.storyPosition, Literal(1)))
    g.add((event, SEM.hasActor, eve))
    g.add((event, HG.evidence, quote))
    g.add((theme, RDF.type, HG.Theme))
    g.add((theme, RDF.type, SKOS.Concept))
    g.add((theme, SKOS.prefLabel, Literal(HOSTILE_THEME)))
    g.add((eve, HG.hasTheme, theme))
    g.add((adam, PROV.wasInfluencedBy, eve))
    relationship = X["rel-1"]
    g.add((relationship, RDF.type, HG.Relationship))
    g.add((relationship, RDFS.label, Literal(HOSTILE_EVENT)))
    g.add((relationship, HG.participant, eve))
    g.add((relationship, HG.participant, adam))
    g.add((relationship, HG.relationshipKind, HG.Romance))
    g.add((relationship, HG.evidence, quote))
    path = folder / "hostile.ttl"
    g.serialize(path, format="turtle")
    return graph.load(path)
