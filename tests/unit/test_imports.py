"""The package's import graph has no circle and follows its layers, lazy and `TYPE_CHECKING` imports included:
the composition root (app.py) is imported by the entry point only, nothing below the UI imports it, the
storage knows neither the monitor nor the service."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import trayapp

ROOT = Path(trayapp.__file__).parent

# Each part of the package may import only parts of a lower rank (and itself).
RANKS = {
    "trayapp": 0,  # __init__: names and the version
    "core": 1,
    "secrets": 2,
    "storage": 2,
    "platform": 2,
    "scheduling": 2,
    "providers": 3,
    "fetch": 4,
    "service": 4,
    "ui": 5,
    "history_cli": 5,
    "monitoring": 5,  # check's plugin output, metrics, serve, status: clients of the service, like ui
    "cli": 6,
    "app": 6,
    "entry": 7,
    "__main__": 8,
}


def module_name(path: Path) -> str:
    parts = ["trayapp", *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in ROOT.rglob("*.py")}


def imported(path: Path) -> Iterator[str]:
    """Every trayapp module `path` imports, wherever the import statement stands."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            targets = [module, *(f"{module}.{a.name}" for a in node.names)]
        else:
            continue
        yield from (t for t in targets if t in MODULES and t != name)


GRAPH = {name: set(imported(path)) for name, path in MODULES.items()}


def part(module: str) -> str:
    return module.split(".")[1] if "." in module else "trayapp"


def test_every_part_has_a_rank() -> None:
    assert {part(m) for m in MODULES} <= set(RANKS)


def test_no_import_circle_between_modules() -> None:
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            raise AssertionError("import circle: " + " -> ".join([*path[path.index(module) :], module]))
        if module in done:
            return
        for target in sorted(GRAPH[module]):
            visit(target, [*path, module])
        done.add(module)

    for module in sorted(GRAPH):
        visit(module, [])


def test_each_part_imports_only_lower_layers() -> None:
    wrong = sorted(
        f"{m} imports {t}"
        for m, targets in GRAPH.items()
        for t in targets
        if part(t) != part(m) and RANKS[part(t)] >= RANKS[part(m)]
    )
    assert wrong == []


def test_only_the_entry_point_imports_the_composition_root() -> None:
    assert sorted(m for m, targets in GRAPH.items() if "trayapp.app" in targets) == ["trayapp.entry"]


def test_storage_knows_neither_the_monitor_nor_the_service() -> None:
    storage = {t for m, targets in GRAPH.items() if part(m) == "storage" for t in targets}
    assert "trayapp.core.monitor" not in storage and "trayapp.service" not in storage


def test_the_checker_sees_lazy_and_type_checking_imports() -> None:
    assert "trayapp.service" in GRAPH["trayapp.ui.controller"]  # under TYPE_CHECKING
    assert "trayapp.app" in GRAPH["trayapp.entry"]  # inside a function


BUILDERS = ("Account", "new_account_id")


def test_only_the_service_builds_accounts_and_changes_the_config() -> None:
    """The tray and the CLI are clients of the service: neither makes an Account nor edits config.accounts."""
    clients = [p for name, p in MODULES.items() if part(name) in ("ui", "cli", "history_cli", "app", "monitoring")]
    found = []
    for path in clients:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in BUILDERS:
                found.append(f"{path.name}:{node.lineno} calls {node.func.id}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                if isinstance(owner, ast.Attribute) and owner.attr == "accounts":
                    found.append(f"{path.name}:{node.lineno} calls accounts.{node.func.attr}")
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr in ("accounts", "settings"):
                    found.append(f"{path.name}:{node.lineno} assigns .{target.attr}")
    assert found == []
