"""Prove there is no import loop between CODI apps (``make lint`` runs it).

Builds the import graph of ``codi`` with grimp (the library import-linter uses), every
import counted — also those inside functions — and squashes it to one node per app
(``codi.projects.services.money`` → ``codi.projects``). A loop between apps, or a loop
through two app modules that the app graph alone would hide, fails with the chain of
imports that closes it. Exit status 0: no loop; 1: loops printed.

    python scripts/check_cycles.py            # apps under src/codi
    python scripts/check_cycles.py SRC_DIR    # another tree (the tests use a copy)
"""

from __future__ import annotations

import sys
from pathlib import Path

import grimp

ROOT = "codi"
# codi.settings / codi.urls / codi.wsgi are the assembly of the whole site, not an app.
# codi.api.main assembles every app's router; it is the top of the house and nobody imports it.
ASSEMBLY = {"codi.settings", "codi.urls", "codi.wsgi", "codi.asgi", "codi.api.main"}
# An app's pages/API layer sits above every domain layer, so it is a node of its own:
# ``codi.identity.api`` → ``codi.api.kit`` → ``codi.identity.services`` is layering, not a loop.
INTERFACE = {"api", "views", "forms", "urls", "panels", "templatetags", "admin", "management", "apps"}


def app_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) < 2 or any(module == a or module.startswith(a + ".") for a in ASSEMBLY):
        return None
    app = ".".join(parts[:2])
    if len(parts) > 2 and (parts[2] in INTERFACE or parts[2].endswith("_views")):
        return app + ":pages/api"
    return app


def app_graph(graph: grimp.ImportGraph) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        source = app_of(module)
        if source is None:
            continue
        edges.setdefault(source, set())
        for imported in graph.find_modules_directly_imported_by(module):
            target = app_of(imported)
            if target and target != source:
                edges[source].add(target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one app (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def explain(graph: grimp.ImportGraph, source: str, target: str) -> str:
    """One direct import from a module of ``source`` to a module of ``target``."""
    for module in sorted(graph.modules):
        if app_of(module) != source:
            continue
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if app_of(imported) == target:
                return f"{module} → {imported}"
    return f"{source} → {target}"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    src = Path(args[0]) if args else Path(__file__).resolve().parents[1] / "src"
    sys.path.insert(0, str(src.resolve()))
    graph = grimp.build_graph(ROOT, cache_dir=None)
    edges = app_graph(graph)
    loops = cycles(edges)
    if not loops:
        print(f"No import loop between the {len(edges)} apps of {ROOT}.")
        return 0
    for component in loops:
        print("Import loop between: " + ", ".join(component))
        members = set(component)
        for source in component:
            for target in sorted(edges[source] & members):
                print(f"  {explain(graph, source, target)}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
