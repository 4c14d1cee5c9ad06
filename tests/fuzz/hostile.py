"""Hostile text and names for spec documents: the raw material of the fuzz strategies.

Free text (descriptions, enum values, defaults, examples, URLs) carries a marker `⟪n⟫`
that is unique per example: generated code never contains non-ASCII outside strings and
comments, so a marked text found in code is a leak, never a coincidence.
"""

from __future__ import annotations

import builtins
import keyword
import re
import string
from dataclasses import dataclass, field

from hypothesis import strategies as st

# Text that has ended a string, a docstring, a comment, a template or a Markdown cell
# somewhere, plus characters that change meaning after normalisation.
NASTY = (
    '"""',
    "'''",
    '"',
    "'",
    "\\",
    '\\"',
    "\\'''",
    "\\N{BULLET}",
    "\\u0041",
    "\\x00",
    "{{ x }}",
    "{{",
    "}}",
    "{% if true %}",
    "{% endif %}",
    "{%- raw -%}",
    "{#",
    "#}",
    "${x}",
    "%s",
    "{0}",
    "{x}",
    "#",
    "# type: ignore",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "\x00",
    "\x07",
    "\x0b",
    "\x0c",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u200b",
    "\u200d",
    "\u202e",
    "\ud800",
    "\udfff",
    '"); import os; os.system("id"); ("',
    "'; __import__('os') #",
    '""" + __import__("os").getcwd() + """',
    "\n    def evil(self): ...\n",
    "\nimport os\n",
    "*/",
    "-->",
    "<script>alert(1)</script>",
    "<!--",
    "|",
    "||",
    "`",
    "```",
    "```python\nimport os\n```",
    "[x](javascript:alert(1))",
    "$ref",
    "None",
    "True",
    "lambda: 0",
    "ﬁ",
    "ℌ",
    "İ",
    "ß",
    "ς",
    "𝔘𝔫𝔦",
    "é",
    "e\u0301",
    "🙂",
    "\U0010ffff",
    "٣",
    "한국어",
    " ",
    "",
)

KEYWORD_NAMES = (*keyword.kwlist, *keyword.softkwlist)
BUILTIN_NAMES = tuple(sorted(name for name in dir(builtins) if not name.startswith("__")))[:80]
DUNDER_NAMES = (
    "__init__",
    "__class__",
    "__dict__",
    "__slots__",
    "__module__",
    "__annotations__",
    "__getattr__",
    "__name__",
    "__all__",
    "__fields__",
    "__pydantic_fields__",
    "__root__",
    "__x",
    "_x",
    "_",
    "__",
)
# Names the generated code or its libraries use themselves.
RESERVED_NAMES = (
    "model_config",
    "model_fields",
    "model_dump",
    "model_validate",
    "dict",
    "json",
    "copy",
    "schema",
    "fields",
    "validate",
    "construct",
    "self",
    "cls",
    "client",
    "retries",
    "timeout",
    "timeout_ms",
    "server_url",
    "http_headers",
    "extra_headers",
    "accept",
    "retry_config",
    "async_client",
    "api_key",
    "hooks",
    "debug_logger",
    "_state",
    "_body",
    "UNSET",
    "Unset",
    "Field",
    "BaseModel",
    "SDKModel",
    "TypedDict",
    "NotRequired",
    "Literal",
    "Any",
    "Optional",
    "Union",
    "List",
    "Dict",
    "annotations",
    "httpx",
    "pydantic",
    "typing",
    "os",
    "sys",
    "Operation",
    "Param",
    "Body",
    "Result",
    "Schema",
    "APIError",
    "Client",
    "Model",
    "Exception",
    "type",
    "id",
    "object",
    "Authorization",
    "Content-Type",
    "Accept",
)
# Spellings of one name that several normalisations fold together.
COLLIDING = (
    "foo-bar",
    "foo_bar",
    "fooBar",
    "FooBar",
    "foo bar",
    "FOO_BAR",
    "foo__bar",
    "foo.bar",
    "foo/bar",
    "_foo_bar",
    "foo_bar_",
    "foo_bar_2",
    "fooBAR",
    "ｆｏｏ_bar",
    "föo_bar",
    "3d",
    "3D",
    "_3d",
    "field_3d",
    "123",
    "-1",
    "a",
    "A",
    "",
)
# Component names must match ^[a-zA-Z0-9._-]+$ (OpenAPI): collisions within that alphabet.
COMPONENT_NAMES = (
    "Foo",
    "foo",
    "FOO",
    "Foo-Bar",
    "Foo_Bar",
    "Foo.Bar",
    "foo-bar",
    "FooBar",
    "1Foo",
    "_",
    "-",
    ".",
    "__init__",
    "None",
    "class",
    "Model",
    "BaseModel",
    "Field",
    "Any",
    "List",
    "str",
    "int",
    "list",
    "dict",
    "type",
    "object",
    "Exception",
    "Client",
    "Literal",
    "SDKModel",
    "APIError",
    "Unset",
    "Operation",
    "Fuzz",
    "FuzzTypedDict",
    "Error",
    "ServiceError",
    "NotFoundError",
    "models",
    "resources",
    "errors",
    "types",
    "_runtime",
)
COMPONENT_ALPHABET = string.ascii_letters + string.digits + "._-"

# The whole of Unicode, surrogates and controls included.
any_char = st.characters(exclude_categories=())
fragments = st.one_of(st.sampled_from(NASTY), st.text(any_char, max_size=6))
name_pools = st.sampled_from(
    (KEYWORD_NAMES, BUILTIN_NAMES, DUNDER_NAMES, RESERVED_NAMES, COLLIDING)
).flatmap(st.sampled_from)


_SURROGATES = re.compile("[\ud800-\udfff]")


@dataclass
class Texts:
    """What one document's strategy handed out: marked prose and marked names."""

    surrogates: bool = False  # keep lone surrogates (the spec is then invalid-unicode)
    prose: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    next_marker: int = 0

    def clean(self, value: str) -> str:
        """`value` without lone surrogates, unless this document keeps them."""
        return value if self.surrogates else _SURROGATES.sub("", value)

    def marker(self) -> str:
        """A fresh `⟪n⟫`: non-ASCII, so it can reach generated code only inside a string."""
        self.next_marker += 1
        return f"\u27ea{self.next_marker}\u27eb"

    def text(self, draw: st.DrawFn, max_fragments: int = 5) -> str:
        """Free text: nasty fragments and random Unicode around a marker."""
        parts = draw(st.lists(fragments, max_size=max_fragments))
        parts.insert(draw(st.integers(0, len(parts))), self.marker())
        value = self.clean("".join(parts))
        self.prose.append(value)
        return value

    def name(self, draw: st.DrawFn) -> str:
        """A property, parameter or header name: keywords, dunders, collisions, any text."""
        kind = draw(st.integers(0, 5))
        if kind < 3:
            return str(draw(name_pools))
        if kind < 5:
            return self.clean(draw(st.text(any_char, min_size=1, max_size=8))) or "_"
        parts = draw(st.lists(fragments, max_size=2))
        value = self.clean("".join([*parts, self.marker()]))
        self.names.append(value)
        return value


def component_names() -> st.SearchStrategy[str]:
    """Names under components/ (restricted alphabet), rich in case and separator collisions."""
    return st.one_of(
        st.sampled_from(COMPONENT_NAMES),
        st.sampled_from(KEYWORD_NAMES),
        st.text(COMPONENT_ALPHABET, min_size=1, max_size=10),
    )
