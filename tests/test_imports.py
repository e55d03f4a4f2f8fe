"""The project's import rules, read from the source with ``ast`` (nothing is imported):

- no import cycle among the project's modules (module-level imports);
- no import of a project module inside a function, except in an ``AppConfig.ready``;
- ``lib/`` imports no app;
- no app imports another app's views (the root URLconf, ``config.urls``, wires them up);
- mail builders (``emails.py``, ``audits/mail.py``) import no tasks module.

Each failure lists every violation as ``file:line``."""

import ast
import itertools
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("agencies", "audits", "briefings", "config", "exports", "lib")
APPS = ("agencies", "audits", "briefings", "config", "exports")
ROOT_URLCONF = "config.urls"
MAIL_BUILDERS = {"audits.mail"}


@dataclass(frozen=True)
class Import:
    importer: str  # the importing module
    target: str  # the project module imported
    path: Path
    line: int
    in_function: str | None  # the enclosing function's qualified name, None at module level
    type_checking: bool  # under ``if TYPE_CHECKING:`` (never runs)

    @property
    def where(self):
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def _module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules():
    """Project module name -> its file, migrations left out."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.relative_to(ROOT).parts:
                continue
            found[_module_name(path)] = path
    return found


def _is_project(name):
    return name.split(".")[0] in PACKAGES


def _resolve(name):
    """The project module a dotted name imports: itself, or the module it is an attribute of."""
    while name and name not in modules():
        name = name.rpartition(".")[0]
    return name or None


def _targets(node, importer, is_package):
    if isinstance(node, ast.Import):
        for alias in node.names:
            if _is_project(alias.name):
                yield _resolve(alias.name)
        return
    base = node.module or ""
    if node.level:
        package = importer if is_package else importer.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}" if base else package
    if not _is_project(base):
        return
    for alias in node.names:
        # ``from pkg import mod`` imports the module pkg.mod; ``from mod import name`` imports mod.
        full = f"{base}.{alias.name}"
        yield full if full in modules() else _resolve(base)


def _is_type_checking(test):
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node, scope, type_checking):
    """(import node, enclosing function's qualified name or None, under TYPE_CHECKING) for every import."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, scope, type_checking
        elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from _walk(child, f"{scope}.{child.name}" if scope else child.name, type_checking)
        elif isinstance(child, ast.ClassDef):
            # A class body runs at import time; its methods are functions.
            yield from _walk_class(child, scope, type_checking)
        elif isinstance(child, ast.If) and _is_type_checking(child.test):
            for inner in child.body:
                yield from _walk(ast.Module(body=[inner], type_ignores=[]), scope, True)
            for inner in child.orelse:
                yield from _walk(ast.Module(body=[inner], type_ignores=[]), scope, type_checking)
        else:
            yield from _walk(child, scope, type_checking)


def _walk_class(node, scope, type_checking):
    app_config = any(
        (isinstance(base, ast.Name) and base.id == "AppConfig")
        or (isinstance(base, ast.Attribute) and base.attr == "AppConfig")
        for base in node.bases
    )
    for child in node.body:
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            name = f"{scope + '.' if scope else ''}{node.name}.{child.name}"
            if app_config and child.name == "ready" and scope is None:
                name = "AppConfig.ready"
            yield from _walk(child, name, type_checking)
        else:
            yield from _walk(ast.Module(body=[child], type_ignores=[]), scope, type_checking)


@cache
def imports():
    """Every import of a project module by a project module."""
    found = []
    for module, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        for node, scope, type_checking in _walk(tree, None, False):
            for target in _targets(node, module, is_package):
                if target and target != module:
                    found.append(Import(module, target, path, node.lineno, scope, type_checking))
    return found


def _report(title, violations):
    lines = sorted(set(violations))
    text = f"{title} ({len(lines)}):\n  " + "\n  ".join(lines)
    if lines:
        print(text)
    return text


def _app(module):
    return module.split(".")[0]


def _is_views(module):
    return "views" in module.split(".")[1:]


def _is_tasks(module):
    return "tasks" in module.split(".")[1:]


def _is_mail_builder(module):
    return module.split(".")[-1] == "emails" or module in MAIL_BUILDERS


def _cycles(edges):
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return components


def _a_cycle(component, edges):
    """One cycle through the component, as a list of modules from its first module back to it."""
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(edges[node] & component):
            if target == start:
                return [*paths[node], start]
            if target not in paths:
                paths[target] = [*paths[node], target]
                queue.append(target)
    return [start]


def test_the_walk_finds_the_project():
    """A guard on the walk itself: it sees the project's modules and their imports."""
    assert {"lib.views", "audits.mail", "config.urls"} <= set(modules())
    assert any(i.importer == "config.urls" and i.target == "audits.home.views" for i in imports())


def test_no_import_cycles():
    module_level = [i for i in imports() if i.in_function is None and not i.type_checking]
    edges = {}
    for i in module_level:
        edges.setdefault(i.importer, set()).add(i.target)
        edges.setdefault(i.target, set())
    violations = []
    for component in _cycles(edges):
        cycle = _a_cycle(component, edges)
        steps = []
        for importer, target in itertools.pairwise(cycle):
            where = min(i.where for i in module_level if i.importer == importer and i.target == target)
            steps.append(f"{importer} -> {target} ({where})")
        violations.append(f"cycle among {sorted(component)}: " + "; ".join(steps))
    assert not violations, _report("Import cycles among the project's modules", violations)


def test_no_function_level_imports_of_project_modules():
    violations = [
        f"{i.where}: {i.in_function}() imports {i.target}"
        for i in imports()
        if i.in_function is not None and i.in_function != "AppConfig.ready"
    ]
    assert not violations, _report("Imports of project modules inside functions (move them to the top)", violations)


def test_lib_imports_no_app():
    violations = [
        f"{i.where}: {i.importer} imports {i.target}"
        for i in imports()
        if _app(i.importer) == "lib" and _app(i.target) in APPS
    ]
    assert not violations, _report("lib/ importing an app", violations)


def test_no_app_imports_another_apps_views():
    violations = [
        f"{i.where}: {i.importer} imports {i.target}"
        for i in imports()
        if _app(i.target) in APPS
        and _is_views(i.target)
        and _app(i.importer) != _app(i.target)
        and i.importer != ROOT_URLCONF
    ]
    assert not violations, _report("Modules importing another app's views", violations)


def test_mail_builders_import_no_tasks():
    violations = [
        f"{i.where}: {i.importer} imports {i.target}"
        for i in imports()
        if _is_mail_builder(i.importer) and _is_tasks(i.target)
    ]
    assert not violations, _report("Mail builders (emails.py, audits/mail.py) importing a tasks module", violations)
