"""The public API stays small and documented.

Two tiers are public: ``graph`` itself (with its ``errors`` and ``namespaces`` modules, which a
user needs whole: every error to catch, every prefix to write SPARQL with) and each subpackage's
``__init__``. Their ``__all__`` is the API; every other module is an implementation the tiers
re-export from and lists no ``__all__`` of its own. Every public function and class has a
docstring with an example (``>>>``), which the doctest run (``--doctest-modules`` on ``graph/``)
keeps true.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import graph

MODULES = ["graph", *sorted(m.name for m in pkgutil.walk_packages(graph.__path__, "graph.")
                            if not m.name.endswith("__main__"))]
PACKAGES = ["graph", *sorted(m.name for m in pkgutil.walk_packages(graph.__path__, "graph.")
                             if m.ispkg)]
PUBLIC_MODULES = [*PACKAGES, "graph.errors", "graph.namespaces"]


def _public(module_name: str) -> list[tuple[str, object]]:
    """The functions and classes a public tier lists, wherever in ``graph`` they are defined."""
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None)
    assert names is not None, f"{module_name} is a public tier and has no __all__"
    found = []
    for name in names:
        obj = getattr(module, name)
        if ((inspect.isfunction(obj) or inspect.isclass(obj))
                and obj.__module__.split(".")[0] == "graph"):
            found.append((name, obj))
    return found


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_every_public_function_and_class_has_a_docstring_with_an_example(
        module_name: str) -> None:
    problems = []
    for name, obj in _public(module_name):
        doc = obj.__doc__ or ""
        if not doc.strip():
            problems.append(f"{module_name}.{name}: no docstring")
        elif ">>>" not in doc:
            problems.append(f"{module_name}.{name}: no example (>>>) in its docstring")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("module_name", MODULES)
def test_every_module_says_what_it_is_for(module_name: str) -> None:
    assert inspect.getdoc(importlib.import_module(module_name)), \
        f"{module_name} has no module docstring"


def test_only_the_public_tiers_list_names() -> None:
    leaves_with_all = [name for name in MODULES if name not in PUBLIC_MODULES
                       and hasattr(importlib.import_module(name), "__all__")]
    assert not leaves_with_all, (
        f"{leaves_with_all}: only graph, its errors and namespaces modules and the subpackages' "
        "__init__ list __all__; re-export a name from its subpackage instead")


def test_every_public_name_resolves() -> None:
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            assert getattr(module, name) is not None, f"{module_name}.{name}"


def test_the_walk_covers_the_package() -> None:
    assert {"graph.sparql.frames", "graph.page.notebook", "graph.knowledge_graph",
            "graph.cli.common"} <= set(MODULES)
    assert {"graph", "graph.sparql", "graph.stores", "graph.views", "graph.analysis",
            "graph.check", "graph.page", "graph.export", "graph.authoring", "graph.cli",
            "graph.read"} <= set(PACKAGES)
    documented = {f"{module}.{name}" for module in PUBLIC_MODULES for name, _ in _public(module)}
    assert {"graph.load", "graph.KnowledgeGraph", "graph.check.validate",
            "graph.export.export", "graph.errors.HerGraphError"} <= documented
