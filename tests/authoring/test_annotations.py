"""Highlights from annotation tools (W3C Web Annotation JSON-LD) as story quotes."""

from __future__ import annotations

import json
from pathlib import Path

from graph.authoring import compile_story, import_annotations, read_annotations

from .conftest import LAMP_SOURCE, LAMP_YAML, invoke
from .test_compiler import selectors

# As Recogito exports them: an array of W3C annotations, each with a quote and a position.
RECOGITO = [
    {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "https://recogito.example/a/1",
     "type": "Annotation",
     "body": [{"type": "TextualBody", "value": "the lamp's lesson", "purpose": "commenting"},
              {"type": "TextualBody", "value": "influence", "purpose": "tagging"}],
     "target": {"source": "https://recogito.example/doc/1",
                "selector": [{"type": "TextQuoteSelector", "exact": "read the water",
                              "prefix": "Orin taught Ada to ", "suffix": ". In spring"},
                             {"type": "TextPositionSelector", "start": 171, "end": 185}]}},
    {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "https://recogito.example/a/2",
     "type": "Annotation", "body": [],
     "target": {"selector": [{"type": "TextQuoteSelector", "exact": "a dragon slept"}]}},
]

# As the Hypothesis API returns them: rows, targets as lists, the note as text.
HYPOTHESIS = {"total": 2, "rows": [
    {"id": "hyp1", "text": "where they meet", "tags": [],
     "target": [{"source": "https://example.org/lamp.txt", "selector": [
         {"type": "RangeSelector", "startContainer": "/p[1]"},
         {"type": "TextQuoteSelector", "exact": "Orin", "prefix": "One winter night Ada first met ",
          "suffix": ", a talking lamp"}]}]},
    {"id": "hyp2", "text": "", "target": [{"selector": [
        {"type": "TextQuoteSelector", "exact": "Orin"}]}]},
]}


def write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_read_recogito_and_hypothesis_exports(tmp_path: Path) -> None:
    recogito = read_annotations(write(tmp_path, "r.jsonld", RECOGITO))
    assert [(h.exact, h.note) for h in recogito] == [("read the water", "the lamp's lesson"),
                                                     ("a dragon slept", "")]
    hypothesis = read_annotations(write(tmp_path, "h.json", HYPOTHESIS))
    assert [(h.exact, h.prefix[-4:], h.annotation) for h in hypothesis] == [
        ("Orin", "met ", "hyp1"), ("Orin", "", "hyp2")]
    page = {"type": "AnnotationCollection", "first": {"type": "AnnotationPage",
                                                      "items": RECOGITO}}
    assert len(read_annotations(write(tmp_path, "c.jsonld", page))) == 2


def test_import_adds_what_anchors_and_reports_the_rest(lamp: Path, tmp_path: Path) -> None:
    lamp.write_text("# my story, with comments kept\n" + LAMP_YAML, encoding="utf-8")
    results = import_annotations(write(tmp_path, "r.jsonld", RECOGITO), lamp)
    assert [(h.status, h.id) for h in results] == [("added", "quote-read-the-water"),
                                                   ("orphaned", "")]
    text = lamp.read_text(encoding="utf-8")
    assert text.startswith("# my story, with comments kept\n")
    assert "exact: read the water" in text and "note: the lamp's lesson" in text
    # Importing again finds the words there already.
    again = import_annotations(write(tmp_path, "r.jsonld", RECOGITO), lamp)
    assert [h.status for h in again] == ["present", "orphaned"]


def test_imported_context_disambiguates_a_quote_a_claim_then_cites(lamp: Path,
                                                                   tmp_path: Path) -> None:
    # "Orin" occurs four times: the Hypothesis highlight's prefix and suffix say which.
    results = import_annotations(write(tmp_path, "h.json", HYPOTHESIS), lamp)
    assert [h.status for h in results] == ["added", "present"]
    lamp.write_text(lamp.read_text(encoding="utf-8").replace(
        "aliases: [the lamp]}", "aliases: [the lamp], quote: Orin}"), encoding="utf-8")
    graph = compile_story(lamp)
    start = LAMP_SOURCE.index("One winter night Ada first met ") + len(
        "One winter night Ada first met ")
    assert ("Orin", start, start + 4) in [s[:3] for s in selectors(graph)]


def test_import_into_an_existing_quotes_section(lamp: Path, tmp_path: Path) -> None:
    lamp.write_text(LAMP_YAML + "quotes:\n  - {id: q1, exact: cold lake}\n"
                    "# after the quotes\n", encoding="utf-8")
    import_annotations(write(tmp_path, "r.jsonld", RECOGITO), lamp)
    text = lamp.read_text(encoding="utf-8")
    assert text.index("q1") < text.index("exact: read the water") < text.index("# after the")
    compile_story(lamp)


def test_cli_import_annotations(lamp: Path, tmp_path: Path) -> None:
    before = lamp.read_text()
    code, out, _ = invoke("import-annotations", str(write(tmp_path, "r.jsonld", RECOGITO)),
                          str(lamp), "--dry-run")
    assert code == 1 and "added" in out and "orphaned" in out and lamp.read_text() == before
    code, out, _ = invoke("import-annotations", str(write(tmp_path, "ok.jsonld", RECOGITO[:1])),
                          str(lamp))
    assert code == 0 and "quote-read-the-water" in out and lamp.read_text() != before
