"""The API reference stays complete: every public function and class is documented with an
example (``>>>``), which the doctest run (``--doctest-modules`` on ``graph/``) keeps true."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import graph

MODULES = ["graph", *sorted(m.name for m in pkgutil.walk_packages(graph.__path__, "graph.")
                            if not m.name.endswith("__main__"))]


def _public(module_name: str) -> list[tuple[str, object]]:
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None)
    assert names is not None, f"{module_name} has no __all__"
    found = []
    for name in names:
        obj = getattr(module, name)
        # Functions and classes defined here (re-exports are checked where they are defined).
        if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == module_name:
            found.append((name, obj))
    return found


@pytest.mark.parametrize("module_name", MODULES)
def test_every_public_function_and_class_has_a_docstring_with_an_example(
        module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert inspect.getdoc(module), f"{module_name} has no module docstring"
    problems = []
    for name, obj in _public(module_name):
        doc = obj.__doc__ or ""
        if not doc.strip():
            problems.append(f"{module_name}.{name}: no docstring")
        elif ">>>" not in doc:
            problems.append(f"{module_name}.{name}: no example (>>>) in its docstring")
    assert not problems, "\n".join(problems)


def test_the_walk_covers_the_package() -> None:
    assert {"graph.sparql.frames", "graph.page.notebook", "graph.knowledge_graph",
            "graph.cli.common"} <= set(MODULES)
    assert sum(len(_public(m)) for m in MODULES) > 100
