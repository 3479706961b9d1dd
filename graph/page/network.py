"""The page as a pyvis ``Network``: what ``kg.to_pyvis()`` returns and ``her-graph build`` renders.

:func:`to_pyvis` fills a real :class:`pyvis.network.Network` with the page's nodes and edges
(label, shape, colour and size by type, plain-text titles, directed and labelled links, the
seeded layout as fixed starting positions) and its vis-network options, and points it at the
project's own template (``templates/page.html``) with pyvis's ``set_template_dir``. Whatever
renders it through pyvis (``generate_html``, ``write_html``, ``save_graph``) gets the offline
page: vis-network and the page's script inlined, the Content-Security-Policy, the legend, the
filter, the search and the tooltips with evidence. :func:`render_network` is the one her-graph
uses: ``generate_html``, then UTF-8 written atomically by the caller.

What of pyvis is used: ``Network`` (its ``nodes``, ``edges``, ``node_ids``, ``node_map`` and
``options`` fields, so its methods such as ``add_node``, ``add_edge``, ``neighbors``,
``toggle_physics``, ``barnes_hut``, ``set_edge_smooth``, ``show_buttons`` work on it),
``set_template_dir`` and ``generate_html`` (its template mechanism), and the vis-network build in
its install folder. What is not used, and why:

* pyvis's own ``template.html``: it links Bootstrap from a CDN (even ``cdn_resources="in_line"``),
  inserts ``heading`` and HTML titles unescaped, and has no Content-Security-Policy. The
  project's template replaces it; the Jinja environment pyvis makes is switched to autoescape.
* ``add_node`` / ``add_edge`` / ``from_nx`` to build the network: ``add_edge`` scans every edge on
  undirected networks (quadratic), ``from_nx`` mutates the graph it is given, and each call
  re-checks ids; the lists are built directly (sorted, so the bytes are stable).
* ``show`` and ``write_html``: ``show`` needs a notebook or a browser, ``write_html`` writes with
  the locale's encoding and not atomically; the page is written as UTF-8 by :mod:`.html`.
* ``tooltip_link`` (pyvis's HTML popup for titles containing "href"), ``select_menu``,
  ``filter_menu`` and ``neighborhood_highlight``: they insert HTML from the data and need
  TomSelect from a CDN. The page has its own search, filter and highlight instead.

Example:
    >>> import graph
    >>> net = to_pyvis(graph.load(), view="influence")
    >>> type(net).__name__, net.directed, len(net.nodes) == len(net.node_ids)
    ('Network', True, True)
    >>> page = render_network(net)
    >>> page.startswith("<!DOCTYPE html>") and "https://" not in page.split("<script")[0]
    True
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, Any

from .._version import __version__
from ..collector import paused_gc
from .data import (
    MAX_CANVAS_LABEL,
    MAX_HEADING,
    TEMPLATES,
    asset,
    clip,
    content_policy,
    inline_script,
    json_for_script,
    page_data,
    vis_network_js,
)
from .model import PageModel, page_model
from .story_slider import story_steps

if TYPE_CHECKING:
    from pyvis.network import Network

    from ..stores.handle import StoryGraph

TEMPLATE = "page.html"



def _caption(model: PageModel) -> str:
    if model.sources:
        cited = " and ".join(f"“{clip(source, MAX_HEADING)}”" for source in model.sources[:5])
        if len(model.sources) > 5:
            cited += f" and {len(model.sources) - 5:,} other sources"
        return (f"Every claim cites a quote from {cited}. Hover a node or a link to read the "
                "description and the evidence.")
    return "Hover a node or a link to read its description."


def _example(model: PageModel) -> str:
    degree: Counter[str] = Counter()
    for edge in model.edges:
        degree.update((edge.source, edge.target))
    characters = [n for n in model.nodes
                  if n.type in ("human_character", "ai_character", "character")]
    example = min(characters or model.nodes, key=lambda n: (-degree[n.id], n.id), default=None)
    return clip(example.label, MAX_CANVAS_LABEL) if example else ""


class Attrs(dict[str, Any]):
    """A dict whose keys are also attributes, as pyvis's option objects are
    (``net.options.edges.smooth.enabled = True``); JSON sees a plain dict.

    Example:
        >>> options = Attrs.of({"physics": {"enabled": True}})
        >>> options.physics.enabled = False
        >>> options
        {'physics': {'enabled': False}}
    """

    def __getattr__(self, key: str) -> Any:
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __setattr__(self, key: str, value: Any) -> None:
        self[key] = value

    @classmethod
    def of(cls, value: Any) -> Any:
        """``value`` with every dict in it made an :class:`Attrs`."""
        if isinstance(value, dict):
            return cls({key: cls.of(item) for key, item in value.items()})
        return value


def _merge(target: Any, values: dict[str, Any]) -> None:
    """Merge vis options into pyvis's option objects, keeping its objects (so its methods such
    as ``toggle_physics`` and ``show_buttons`` still work) but none of its default values (so
    the page's options are exactly the page's)."""
    for key in [key for key in vars(target) if key not in values]:
        delattr(target, key)
    for key, value in values.items():
        current = vars(target).get(key)  # an instance's own option object, never a class
        if isinstance(value, dict) and current is not None and not isinstance(current, dict) \
                and hasattr(current, "__dict__"):
            _merge(current, value)
        else:
            setattr(target, key, Attrs.of(value))


def _environment(environment: Any, model: PageModel, extra: dict[str, Any]) -> None:
    """Set up a Jinja environment (pyvis's, or one of our own) to render the page's template."""
    from markupsafe import Markup  # lazy: start-up time (comes with jinja2)

    # Autoescape on: pyvis leaves it off, which would insert the heading as HTML.
    environment.autoescape = True
    environment.keep_trailing_newline = True
    # The story-time slider's script is its own file (it drives the page through herGraph's
    # API only), delivered in the same <script> as the page's.
    vis_js, page_js, css = (inline_script(vis_network_js()),
                            inline_script(asset("page.js") + "\n" + asset("story_time.js")),
                            asset("page.css"))
    environment.globals.update(
        subtitle=clip(model.subtitle, MAX_HEADING), caption=_caption(model), view=model.view,
        version=__version__, example=_example(model), page_extra=extra,
        csp=content_policy([vis_js, page_js], css),
        css=Markup(css), vis_js=Markup(vis_js), page_js=Markup(page_js))
    environment.filters["page_json"] = _page_json


def _with_story_time(kg: StoryGraph, model: PageModel, data: dict[str, Any]) -> dict[str, Any]:
    """The page's data with the story-time slider's steps, when the story has an order."""
    steps = story_steps(kg, model)
    if steps is not None:
        data["storyTime"] = steps
    return data


def to_pyvis(kg: StoryGraph, *, view: str = "story", title: str | None = None,
             **options: Any) -> Network:
    """The page of ``kg`` as a :class:`pyvis.network.Network`, ready to edit and render.

    Args:
        kg: the story graph.
        view: as for :func:`graph.page.html.render_html`.
        title: the heading (pyvis's ``heading``); by default the film's name and year.
        **options: vis-network options merged over the page's (``physics={"enabled": False}``,
            ``interaction={"navigationButtons": True}``, ...).

    Returns:
        A ``Network`` whose ``generate_html()`` (or ``save_graph``) gives the offline page.

    Example:
        >>> import graph
        >>> net = to_pyvis(graph.load(), view="relationships", physics={"enabled": False})
        >>> node = net.get_node(net.node_ids[0])
        >>> sorted(k for k in node if k in ("label", "shape", "color", "size", "title"))
        ['color', 'label', 'shape', 'size', 'title']
        >>> net.options.physics.enabled
        False
    """
    from pyvis.network import Network  # lazy: pyvis imports IPython and jinja2 (about 0.3 s)

    model = page_model(kg, view=view)
    data = _with_story_time(kg, model, page_data(model))
    net = Network(height="100%", width="100%", directed=True,
                  heading=clip(title or model.title, MAX_HEADING), cdn_resources="in_line")
    net.nodes = data.pop("nodes")
    net.edges = data.pop("edges")
    net.node_ids = [node["id"] for node in net.nodes]
    net.node_map = {node["id"]: node for node in net.nodes}
    _merge(net.options, data.pop("options"))
    for key, value in options.items():
        current = vars(net.options).get(key)
        if isinstance(value, dict) and current is not None:
            _update(current, value)
        else:
            setattr(net.options, key, Attrs.of(value))
    # pyvis's template mechanism, with the project's template.
    net.set_template_dir(str(TEMPLATES) + "/", TEMPLATE)
    _environment(net.templateEnv, model, data)
    return net


def _update(target: Any, values: dict[str, Any]) -> None:
    """Merge ``values`` into an option object or dict, keeping what they do not name."""
    for key, value in values.items():
        current = target.get(key) if isinstance(target, dict) else vars(target).get(key)
        if isinstance(value, dict) and current is not None and not isinstance(current,
                                                                              (bool, int, str)):
            _update(current, value)
        elif isinstance(target, dict):
            target[key] = Attrs.of(value)
        else:
            setattr(target, key, Attrs.of(value))


def render_page(kg: StoryGraph, *, view: str = "story", title: str | None = None,
                model: PageModel | None = None) -> str:
    """The same page as ``render_network(to_pyvis(kg, ...))``, byte for byte, without importing
    pyvis (which imports IPython): the notebook display uses it. It renders the same template
    with the values pyvis's ``generate_html`` passes (a test checks the two agree).

    Example:
        >>> import graph
        >>> kg = graph.load()
        >>> render_page(kg, view="influence") == render_network(to_pyvis(kg, view="influence"))
        True
    """
    import jinja2  # lazy: start-up time

    with paused_gc():
        if model is None:
            model = page_model(kg, view=view)
        data = _with_story_time(kg, model, page_data(model))
        environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)))
        nodes, edges, options = data.pop("nodes"), data.pop("edges"), data.pop("options")
        _environment(environment, model, data)
        return environment.get_template(TEMPLATE).render(
            nodes=nodes, edges=edges, options=json.dumps(options, sort_keys=True),
            heading=clip(title or model.title, MAX_HEADING), conf=False)


def _page_json(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], options: Any,
               extra: dict[str, Any]) -> Any:
    """The data script's text: pyvis's nodes, edges and options, and the page's legend; JSON
    with ``<``, ``>``, ``&`` and the line separators escaped (see :func:`.json_for_script`)."""
    from markupsafe import Markup  # lazy: start-up time (comes with jinja2)

    parsed = json.loads(options) if isinstance(options, str) else options
    return Markup(json_for_script({**extra, "nodes": nodes, "edges": edges,
                                   "options": parsed}))


def render_network(net: Network) -> str:
    """The HTML of ``net`` through pyvis's ``generate_html`` (never ``show``), as text.

    Example:
        >>> import graph
        >>> render_network(to_pyvis(graph.load(), view="timeline")).count("</script>")
        3
    """
    with paused_gc():
        return str(net.generate_html(name="page.html"))
