"""graph.analysis.metrics and kg.metrics: the same numbers as networkx, on Her and a generated
story, per network, window, character and removal."""

from __future__ import annotations

import math

import networkx as nx
import pytest

import graph
from graph.analysis.metrics import character_metrics, network_metrics
from graph.errors import UsageError
from graph.generate import generate_story


@pytest.fixture(scope="module", params=["her", "generated"])
def kg(request):
    return graph.load() if request.param == "her" else generate_story(
        characters=40, seed=9).load()


def test_network_metrics_agree_with_networkx(kg):
    G = kg.to_networkx("cooccurrence")
    row = network_metrics(G)
    assert row["nodes"] == G.number_of_nodes() and row["edges"] == G.number_of_edges()
    assert row["density"] == pytest.approx(nx.density(G))
    assert row["components"] == nx.number_connected_components(G)
    largest = G.subgraph(max(nx.connected_components(G), key=len))
    assert row["diameter"] == nx.diameter(largest)
    assert row["average_path_length"] == pytest.approx(nx.average_shortest_path_length(largest))
    assert row["average_clustering"] == pytest.approx(nx.average_clustering(G))
    if row["components"] > 1:
        assert row["measured_on"].startswith("largest of")


def test_character_metrics_agree_with_networkx(kg):
    G = kg.to_networkx("cooccurrence")
    rows = {r["node"]: r for r in character_metrics(G)}
    betweenness = nx.betweenness_centrality(G)
    harmonic = nx.harmonic_centrality(G)
    pagerank = nx.pagerank(G, weight="weight")
    n = G.number_of_nodes()
    for node in G:
        assert rows[node]["degree"] == G.degree(node)
        assert rows[node]["weighted_degree"] == G.degree(node, weight="weight")
        assert rows[node]["betweenness"] == pytest.approx(betweenness[node])
        assert rows[node]["closeness"] == pytest.approx(harmonic[node] / (n - 1))
        assert rows[node]["pagerank"] == pytest.approx(pagerank[node], abs=1e-5)  # nx: tol 1e-6
        assert not math.isnan(rows[node]["eigenvector"])


def test_disconnected_graphs_say_what_was_measured():
    G = nx.Graph([(1, 2), (2, 3), (4, 5)])
    G.add_node(6)
    row = network_metrics(G)
    assert row["components"] == 3 and row["diameter"] == 2
    assert row["measured_on"] == "largest of 3 components (3 of 6 nodes)"
    closeness = {r["node"]: r["closeness"] for r in character_metrics(G)}
    assert closeness[6] == 0.0 and 0 < closeness[1] < closeness[2]
    assert network_metrics(nx.Graph())["diameter"] is None


def test_removal_of_theodore_breaks_the_relationships_network():
    kg = graph.load()
    rows = {r["label"]: r for r in kg.metrics("relationships", of="removal")}
    theodore = rows["Theodore"]
    assert theodore["components_after"] == 3
    assert theodore["unreachable"] == "Amy, Amy's operating system, Catherine"
    assert theodore["efficiency_change"] < 0
    assert rows["Catherine"]["unreachable"] == ""


def test_metrics_by_act_and_event_are_cumulative_windows():
    kg = graph.load()
    by_act = kg.metrics(by="act")
    assert [r["window"] for r in by_act] == ["Act I", "Act II", "Act III"]
    assert [r["position"] for r in by_act] == [1, 2, 3]
    by_event = kg.metrics(by="event")
    assert len(by_event) == 14
    assert by_event[-1]["edges"] <= kg.metrics()[0]["edges"]
    frame = pytest.importorskip("pandas") and kg.metrics(by="act").to_df()
    assert list(frame["window"]) == ["Act I", "Act II", "Act III"]


def test_metrics_refuse_unknown_options():
    kg = graph.load()
    with pytest.raises(UsageError, match="window"):
        kg.metrics(by="scene")
    with pytest.raises(UsageError, match="measure"):
        kg.metrics(of="everything")
    with pytest.raises(UsageError, match="story time"):
        kg.metrics("full", by="act")
