"""Usage snippets for the docs: complete, runnable programs built from the spec's examples.

Every snippet is a whole program (imports, client, call, result handling): the docs
tests extract each one from the generated Markdown and run it against a mock of the spec.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata

import black
from black.parsing import InvalidInput

from ..cache import Cache, digest
from ..ir import names
from ..ir.nodes import Api, Group, Operation

_MODE = black.Mode()
_STORE: ContextVar[Cache | None] = ContextVar("snippet_store", default=None)
RETRY_CALL = 'RetryConfig("backoff", BackoffStrategy(1, 50, 1.1, 100), False)'
RETRY_CLIENT = 'RetryConfig("backoff", BackoffStrategy(500, 8000, 2.0, 60000), True)'


@dataclass(frozen=True, slots=True)
class Variant:
    """How a snippet departs from the plain call: extra imports, arguments, error handling."""

    imports: tuple[str, ...] = ()
    call_arguments: tuple[str, ...] = ()
    client_arguments: tuple[str, ...] = ()
    catch: bool = False


PLAIN = Variant()
RETRIES_PER_CALL = Variant(("BackoffStrategy", "RetryConfig"), (f"retries={RETRY_CALL}",))
RETRIES_PER_CLIENT = Variant(
    ("BackoffStrategy", "RetryConfig"), client_arguments=(f"retry_config={RETRY_CLIENT}",)
)
CATCH_ERRORS = Variant(("APIError",), catch=True)


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


def call_expression(
    api: Api, group: Group, op: Operation, asynchronous: bool = False, extra: tuple[str, ...] = ()
) -> str:
    """`orq.router.images.edits.create(model=..., ...)` with the operation's example values."""
    variable = client_variable(api)
    attribute = ".".join([variable, *_attributes(api, group), op.method_name])
    if asynchronous:
        attribute += "_async"
    arguments = [
        f"{a.name}={a.example.source}" for a in op.arguments if a.required or a.example.present
    ]
    return f"{attribute}({', '.join([*arguments, *extra])})"


def _attributes(api: Api, group: Group) -> list[str]:
    """Attribute chain from the client to `group` (attribute names, not wire names)."""
    chain: list[str] = []
    node = api.root
    for depth in range(len(group.path)):
        node = next(c for c in node.children if c.path == group.path[: depth + 1])
        chain.append(node.attribute)
    return chain


def _handling(op: Operation, pad: str) -> str:
    if op.streaming == "always" or op.return_annotation.startswith("EventStream"):
        return (
            f"{pad}with res as event_stream:\n"
            f"{pad}    for event in event_stream:\n"
            f"{pad}        print(event)\n"
        )
    if op.return_annotation == "BinaryResponse":
        return f'{pad}with res as download:\n{pad}    download.save("download.bin")\n'
    if op.return_annotation == "None":
        return ""
    return f"{pad}# Handle response\n{pad}print(res)\n"


def sync_snippet(api: Api, group: Group, op: Operation, variant: Variant = PLAIN) -> str:
    """A complete program calling `op` once, formatted with black."""
    variable = client_variable(api)
    arguments = [*variant.client_arguments, *_credentials(api)]
    client_args = "".join(f"    {c},\n" for c in arguments)
    pad = "        " if variant.catch else "    "
    handling = _handling(op, pad)
    call = f"{pad}{'res = ' if handling else ''}"
    call += call_expression(api, group, op, extra=variant.call_arguments)
    body = f"{call}\n\n{handling}"
    if variant.catch:
        body = (
            f"    try:\n{call}\n{handling}"
            "    except APIError as error:\n        print(error.status_code, error.body)\n"
        )
    imports = ", ".join(sorted({api.client_class, *variant.imports}))
    text = (
        f"from {api.package} import {imports}\nimport os\n\n\n"
        f"with {api.client_class}(\n{client_args}) as {variable}:\n\n{body}"
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


def showcase(api: Api) -> tuple[Group, Operation] | None:
    """The operation the README's generic examples call: a simple JSON one when there is one.

    Plain JSON results first, then GET before other methods, then fewest required arguments.
    """
    found = [(g, op) for g in api.groups() for op in g.operations]
    if not found:
        return None

    def rank(item: tuple[Group, Operation]) -> tuple[bool, bool, int]:
        op = item[1]
        plain = op.streaming == "none" and op.return_annotation not in ("None", "BinaryResponse")
        plain = plain and not op.return_annotation.startswith("EventStream")
        return (not plain, op.http_method != "GET", sum(a.required for a in op.arguments))

    return min(found, key=rank)


@contextmanager
def snippet_store(store: Cache | None) -> Iterator[None]:
    """Within the block, formatted snippets are also kept in (and taken from) `store`."""
    token = _STORE.set(store)
    try:
        yield
    finally:
        _STORE.reset(token)


@lru_cache(maxsize=1)
def _identity() -> str:
    return f"black {metadata.version('black')} {_MODE!r}"


def format_snippet(text: str) -> str:
    """Black-format a snippet; the spec's example values are already Python literals.

    Black is the cost of a snippet, so the result is kept by content: in this process, and
    in the cache folder while a `snippet_store` is active (a regeneration formats only the
    snippets of changed operations).
    """
    store = _STORE.get()
    if store is None:
        return _black(text)
    key = digest(_identity(), text)
    known = store.get_text("snippet", key)
    if known is None:
        known = _black(text)
        store.put_text("snippet", key, known)
    return known


@lru_cache(maxsize=4096)
def _black(text: str) -> str:
    try:
        return black.format_str(text, mode=_MODE).rstrip("\n")
    except InvalidInput as error:  # our bug: every value passed through py_literal
        raise AssertionError(f"snippet is not valid Python: {error}\n{text}") from error
