"""Usage snippets for the docs: complete, runnable programs built from the spec's examples."""

from __future__ import annotations

import black
from black.parsing import InvalidInput

from ..ir import names
from ..ir.nodes import Api, Group, Operation

_MODE = black.Mode()


def _credentials(api: Api) -> list[str]:
    if not api.security:
        return []
    scheme = api.security[0]
    return [
        f'{argument}=os.getenv("{env}", "")'
        for argument, env in zip(scheme.arguments, scheme.env_vars, strict=True)
    ]


def client_variable(api: Api) -> str:
    """Name of the client variable in snippets (`orq` for `Orq`)."""
    name = names.snake(api.client_class)
    return name if name not in (api.package, "os") else "client"


def call_expression(api: Api, group: Group, op: Operation, asynchronous: bool = False) -> str:
    """`orq.router.images.edits.create(model=..., ...)` with the operation's example values."""
    variable = client_variable(api)
    attribute = ".".join([variable, *_attributes(api, group), op.method_name])
    if asynchronous:
        attribute += "_async"
    arguments = [
        f"{a.name}={a.example.source}" for a in op.arguments if a.required or a.example.present
    ]
    return f"{attribute}({', '.join(arguments)})"


def _attributes(api: Api, group: Group) -> list[str]:
    """Attribute chain from the client to `group` (attribute names, not wire names)."""
    chain: list[str] = []
    node = api.root
    for depth in range(len(group.path)):
        node = next(c for c in node.children if c.path == group.path[: depth + 1])
        chain.append(node.attribute)
    return chain


def _handling(api: Api, op: Operation) -> str:
    if op.streaming == "always" or op.return_annotation.startswith("EventStream"):
        return (
            "    with res as event_stream:\n"
            "        for event in event_stream:\n"
            "            print(event)\n"
        )
    if op.return_annotation == "BinaryResponse":
        return '    with res as download:\n        download.save("download.bin")\n'
    if op.return_annotation == "None":
        return ""
    return "    # Handle response\n    print(res)\n"


def sync_snippet(api: Api, group: Group, op: Operation) -> str:
    """A complete program calling `op` once, formatted with black."""
    variable = client_variable(api)
    credentials = "".join(f"    {c},\n" for c in _credentials(api))
    handling = _handling(api, op)
    assign = "res = " if handling else ""
    text = (
        f"from {api.package} import {api.client_class}\nimport os\n\n\n"
        f"with {api.client_class}(\n{credentials}) as {variable}:\n\n"
        f"    {assign}{call_expression(api, group, op)}\n\n{handling}"
    )
    return format_snippet(text)


def async_snippet(api: Api, group: Group, op: Operation) -> str:
    """The async variant of the snippet (for the README)."""
    variable = client_variable(api)
    credentials = "".join(f"        {c},\n" for c in _credentials(api))
    call = call_expression(api, group, op, asynchronous=True)
    text = (
        f"import asyncio\nimport os\n\nfrom {api.package} import {api.client_class}\n\n\n"
        f"async def main() -> None:\n    async with {api.client_class}(\n{credentials}"
        f"    ) as {variable}:\n        res = await {call}\n        print(res)\n\n\n"
        "asyncio.run(main())\n"
    )
    return format_snippet(text)


def format_snippet(text: str) -> str:
    """Black-format a snippet; the spec's example values are already Python literals."""
    try:
        return black.format_str(text, mode=_MODE).rstrip("\n")
    except InvalidInput as error:  # our bug: every value passed through py_literal
        raise AssertionError(f"snippet is not valid Python: {error}\n{text}") from error
