"""The package's architecture, read from its imports with ``ast``.

Layers, lowest first (README "Development"): the base modules, ``sparql``, ``read``,
``stores``, ``views``, then ``analysis``, ``check`` and ``page`` (which do not import each
other), ``export``, ``authoring``, the facade (``knowledge_graph``, ``loading``, ``generate``,
the package ``__init__``) and ``cli``. A module may import its own layer and the layers below;
nothing imports upwards, and no group of modules imports itself round in a circle. An import
inside a function is allowed only when its line says why (``# lazy: ...``: start-up time).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "graph"

#: Layer of each subpackage or top-level module; equal numbers may import each other only when
#: they are the same subpackage.
LAYERS: dict[str, int] = {
    "errors": 0, "namespaces": 0, "terms": 0, "atomic": 0, "collector": 0, "_version": 0,
    "sparql": 1,
    "read": 2,
    "stores": 3,
    "views": 4,
    "analysis": 5, "check": 5, "page": 5,
    "export": 6,
    "authoring": 7,
    "knowledge_graph": 8, "loading": 8, "generate": 8, "__init__": 8,
    "cli": 9, "__main__": 9,
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _unit(module: str) -> str:
    """The subpackage or top-level module a module belongs to."""
    return module.split(".")[0]


def _resolve(module: str, path: Path, node: ast.ImportFrom | ast.Import) -> list[str]:
    """The project modules one import statement names."""
    if isinstance(node, ast.Import):
        return [a.name.removeprefix("graph.") for a in node.names
                if a.name == "graph" or a.name.startswith("graph.")]
    if node.level == 0:
        if node.module is None or not (node.module == "graph" or node.module.startswith("graph.")):
            return []
        base = node.module.removeprefix("graph").removeprefix(".")
    else:
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        if path.name == "__init__.py" and module == "__init__":
            package = []
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, *([node.module] if node.module else [])])
    targets = []
    for alias in node.names:
        candidate = f"{base}.{alias.name}" if base else alias.name
        targets.append(candidate if candidate in MODULES else (base or "__init__"))
    return targets


def _imports() -> list[tuple[str, str, int, bool, str]]:
    """(importer, imported, line, inside a function, source line) for every project import."""
    found = []
    for module, path in MODULES.items():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        tree = ast.parse(source)
        functions = [n for n in ast.walk(tree)
                     if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
        nested = {id(inner) for f in functions for inner in ast.walk(f)
                  if isinstance(inner, ast.Import | ast.ImportFrom)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for target in _resolve(module, path, node):
                    found.append((module, target, node.lineno, id(node) in nested,
                                  " ".join(lines[node.lineno - 1:node.end_lineno])))
    return found


IMPORTS = _imports()


def test_every_module_has_a_layer() -> None:
    assert sorted({_unit(m) for m in MODULES} - set(LAYERS)) == []


def test_no_upward_import() -> None:
    wrong = [f"{a} (line {line}) imports {b}"
             for a, b, line, _, _ in IMPORTS
             if _unit(a) != _unit(b) and LAYERS[_unit(b)] > LAYERS[_unit(a)]
             ]
    assert wrong == []


def test_no_import_inside_a_function_without_a_reason() -> None:
    wrong = [f"{a} (line {line}) imports {b} inside a function"
             for a, b, line, inside, text in IMPORTS
             if inside and "# lazy" not in text]
    assert wrong == []


def test_no_import_circle() -> None:
    edges: dict[str, set[str]] = {m: set() for m in MODULES}
    for a, b, _, _, _ in IMPORTS:
        if a != b and b in edges:
            edges[a].add(b)
    # Tarjan's strongly connected components: any with two modules or more is a circle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(edges[node]):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    assert circles == []


@pytest.mark.parametrize(("low", "high"), [("analysis", "check"), ("analysis", "page"),
                                           ("check", "page")])
def test_siblings_do_not_import_each_other(low: str, high: str) -> None:
    assert [(a, b) for a, b, *_ in IMPORTS
            if {_unit(a), _unit(b)} == {low, high}] == []


def test_only_the_facade_and_cli_know_the_knowledge_graph() -> None:
    assert sorted({a for a, b, *_ in IMPORTS if b == "knowledge_graph"
                   and LAYERS[_unit(a)] < LAYERS["knowledge_graph"]}) == []


def _top_level_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """(defined, imported): the names a module binds at its top level (``if``/``try`` included)."""
    defined: set[str] = set()
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imported.update(alias.asname or alias.name for alias in node.names)
    for statement in tree.body:
        for node in ([statement] if not isinstance(statement, (ast.If, ast.Try))
                     else ast.walk(statement)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                defined.add(node.name)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                defined.update(name.id for target in targets for name in ast.walk(target)
                               if isinstance(name, ast.Name))
    return defined, imported - defined


def test_names_are_imported_from_the_module_that_defines_them() -> None:
    """A module inside a subpackage is no second address for another module's name: code
    imports a name from where it is defined (or from a subpackage's ``__init__``, the public
    tier). ``namespaces`` is the one module whose job is to gather names from elsewhere."""
    defined = {module: _top_level_names(ast.parse(path.read_text(encoding="utf-8")))[0]
               for module, path in MODULES.items()}
    problems = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            target = _resolve(module, path, node)
            if not target:  # not an import from graph
                continue
            for alias, source in zip(node.names, target, strict=True):
                imports_a_module = source.rsplit(".", 1)[-1] == alias.name
                if (source in MODULES and MODULES[source].name != "__init__.py"
                        and source != "namespaces" and not imports_a_module
                        and alias.name not in defined[source]):
                    problems.append(f"graph/{path.relative_to(PACKAGE)}:{node.lineno}: "
                                    f"{alias.name} is not defined in {source}")
    assert not problems, "\n".join(problems)
