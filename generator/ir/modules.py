"""Place models and aliases into Python modules: one per strongly connected component.

Mutually recursive schemas must share a module (Python imports cannot be circular at
class-creation time); everything else gets a module of its own, so a large SDK loads
only what a call touches.
"""

from __future__ import annotations

from collections.abc import Iterable

from .nodes import Alias, Model, Module
from .types import AliasRef, ModelRef, TypeRef, features, referenced


def _deps(item: Model | Alias) -> set[str]:
    types: list[TypeRef] = []
    if isinstance(item, Model):
        types.extend(f.type for f in item.fields)
        if item.extra_type is not None:
            types.append(item.extra_type)
    else:
        types.append(item.type)
    return {ref.name for t in types for ref in referenced(t)}


def _components(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; components come out dependencies first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                result.append(sorted(members))
    return result


def plan_modules(
    models: dict[str, Model], aliases: dict[str, Alias]
) -> tuple[tuple[Module, ...], dict[str, str]]:
    """Modules (sorted by name) and the module of every model and alias name."""
    items: dict[str, Model | Alias] = {**models, **aliases}
    graph = {name: _deps(item) for name, item in items.items()}
    placed: dict[str, str] = {}
    groups: list[tuple[str, list[str], bool]] = []
    for members in _components(graph):
        module = min(items[m].module for m in members)
        recursive = len(members) > 1 or members[0] in graph[members[0]]
        for member in members:
            placed[member] = module
        groups.append((module, members, recursive))
    modules = [
        _module(module, [items[m] for m in members], placed, graph, recursive)
        for module, members, recursive in groups
    ]
    return tuple(sorted(modules, key=lambda m: m.name)), placed


def _module(
    name: str,
    members: list[Model | Alias],
    placed: dict[str, str],
    graph: dict[str, set[str]],
    recursive: bool,
) -> Module:
    models = tuple(sorted((m for m in members if isinstance(m, Model)), key=lambda m: m.name))
    aliases = _alias_order([a for a in members if isinstance(a, Alias)])
    imports: dict[str, set[str]] = {}
    own = {m.name for m in members}
    for member in members:
        for dep in graph[member.name]:
            if dep in own:
                continue
            names_ = imports.setdefault(placed[dep], set())
            names_.add(dep)
            names_.update(_twins(dep, members))
    needs = _needs(members)
    if recursive and aliases:
        needs.add("alias_type")
    return Module(
        name=name,
        models=models,
        aliases=aliases,
        imports=tuple((mod, tuple(sorted(n))) for mod, n in sorted(imports.items())),
        needs=frozenset(needs),
        recursive=recursive,
    )


def _twins(dep: str, members: Iterable[Model | Alias]) -> set[str]:
    """TypedDict / input-alias names of `dep` that the members' TypedDicts mention."""
    twins: set[str] = set()
    for member in members:
        types = [f.type for f in member.fields] if isinstance(member, Model) else [member.type]
        for t in types:
            for ref in referenced(t):
                if ref.name != dep:
                    continue
                if isinstance(ref, ModelRef):
                    twins.add(f"{dep}TypedDict")
                elif isinstance(ref, AliasRef) and ref.input_name:
                    twins.add(ref.input_name)
    return twins


def _alias_order(aliases: list[Alias]) -> tuple[Alias, ...]:
    by_name = {a.name: a for a in aliases}
    done: list[Alias] = []
    seen: set[str] = set()

    def visit(alias: Alias) -> None:
        if alias.name in seen:
            return
        seen.add(alias.name)
        for ref in referenced(alias.type):
            if ref.name in by_name:
                visit(by_name[ref.name])
        done.append(alias)

    for alias in sorted(aliases, key=lambda a: a.name):
        visit(alias)
    return tuple(done)


def _needs(members: Iterable[Model | Alias]) -> set[str]:
    """Which imports a module needs ('model', 'alias', and the features of its types)."""
    needs: set[str] = set()
    for member in members:
        if isinstance(member, Model):
            needs.add("model")
            if member.extra != "allow":
                needs.add("config")
            if any(f.always_sent for f in member.fields):
                needs.add("any")
            types = [f.type for f in member.fields]
            if member.extra_type is not None:
                types.append(member.extra_type)
        else:
            needs.add("alias")
            types = [member.type]
        for t in types:
            needs |= features(t)
    return needs
