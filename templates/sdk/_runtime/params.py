"""OpenAPI 3.x parameter serialisation (style/explode) for path, query, header, cookie.

Output follows the "Style Examples" table of OpenAPI 3.1.1, which corrects 3.1.0 in
two places: ``label`` with ``explode=false`` joins with "," as RFC 6570 does
(".blue,black,brown"), and the examples are percent-encoded, so the pipe and the
deepObject brackets go out as %7C, %5B and %5D (RFC 3986 does not allow them bare in a
query). Everything outside the RFC 3986 unreserved set is percent-encoded (space is
%20, never "+"); only the delimiters a style itself adds stay literal.

Values: None, str, int, float, bool ("true"/"false"), Enum (its ``value``),
datetime/date/time (``isoformat()``), UUID and Decimal (``str``), bytes (strict UTF-8,
so other bytes raise UnicodeDecodeError), lists/tuples, mappings and pydantic models
(``model_dump(mode="json", by_alias=True, exclude_unset=True)``). Anything else raises
TypeError. None means "undefined" as in RFC 6570: a None value, list item or member is
left out, and an empty list or object counts as None. Lists and objects nested in a
list or object (not defined by OpenAPI) are sent as compact JSON text, except that
deepObject nests objects as ``name[a][b]=v`` and repeats the key for list members.
"""

import json
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from itertools import chain
from typing import Any
from urllib.parse import quote
from uuid import UUID

from pydantic import BaseModel
from pydantic_core import to_jsonable_python

__all__ = [
    "build_query",
    "cookie_param",
    "header_param",
    "json_text",
    "part_values",
    "path_param",
    "query_param",
    "scalar_text",
]

# quote() always keeps A-Z a-z 0-9 "-._~", which is exactly RFC 3986 "unreserved".
_STRICT_SAFE = ""
# allowReserved passes RFC 3986 reserved characters through, except those a query
# cannot carry ("#", "[", "]") and those form decoding would misread ("&", "=", "+"),
# as OAS 3.1.1 Appendix C asks. A "%" is kept only when it starts a %XX triple.
_RESERVED_SAFE = ":/?@!$'()*,;%"
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# RFC 6265 cookie-octet minus "%", so that a server that percent-decodes round-trips.
_COOKIE_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '",;\\%')
_DELIMITERS = {"spaceDelimited": "%20", "pipeDelimited": "%7C"}
_QUERY_STYLES = frozenset({"form", "spaceDelimited", "pipeDelimited", "deepObject"})

Encoder = Callable[[str], str]
# A value after _flatten: primitive text, array items or object members (in order).
Shape = str | list[str] | dict[str, str]


def _strict(text: str) -> str:
    """Percent-encode everything outside RFC 3986 unreserved."""
    # IDs and words are mostly ASCII letters and digits; two C-level checks are far
    # cheaper than quote(), which costs about a microsecond even when nothing changes.
    if text.isascii() and text.isalnum():
        return text
    return quote(text, _STRICT_SAFE)


def _reserved(text: str) -> str:
    """Percent-encode for allowReserved: reserved characters and %XX triples stay."""
    return _STRAY_PERCENT.sub("%25", quote(text, _RESERVED_SAFE))


def _cookie(text: str) -> str:
    """Percent-encode only what a cookie value cannot hold (and "%")."""
    return quote(text, _COOKIE_SAFE)


def _verbatim(text: str) -> str:
    """Header values go out as they are; h11/h2 refuse CR, LF and NUL on the wire."""
    return text


@lru_cache(maxsize=1024)
def _key(name: str) -> str:
    """Encoded parameter name; names are constants of the generated code, so cache."""
    return quote(name, _STRICT_SAFE)


def _bool_text(value: bool) -> str:
    """JSON spelling of a boolean."""
    return "true" if value else "false"


def _enum_text(value: Enum) -> str:
    """An Enum member is sent as its value."""
    return _scalar(value.value)


def _time_text(value: date | time) -> str:
    """ISO 8601 text of a date, time or datetime."""
    return value.isoformat()


def _utf8_text(value: bytes) -> str:
    """Bytes are sent as their strict UTF-8 text."""
    return value.decode("utf-8")


# Exact types first (one dict lookup on the hot path); subclasses fall through to the
# ordered isinstance checks, where Enum precedes str/int and bool precedes int.
# int/float use the base __repr__ because a subclass may override how it prints.
_EXACT: dict[type, Callable[[Any], str]] = {
    str: str,
    int: int.__repr__,
    bool: _bool_text,
    float: float.__repr__,
    datetime: _time_text,
    date: _time_text,
    time: _time_text,
    UUID: str,
    Decimal: str,
    bytes: _utf8_text,
}
_SUBCLASSES: tuple[tuple[type | tuple[type, ...], Callable[[Any], str]], ...] = (
    (Enum, _enum_text),
    (str, str.__str__),
    (bool, _bool_text),
    (int, int.__repr__),
    (float, float.__repr__),
    ((date, time), _time_text),
    (bytes, _utf8_text),
    ((UUID, Decimal), str),
)


def _scalar(value: Any) -> str:
    """Text of one non-container value (bool -> "true"/"false", Enum -> its value)."""
    convert = _EXACT.get(type(value))
    if convert is None:
        for base, candidate in _SUBCLASSES:
            if isinstance(value, base):
                convert = candidate
                break
        else:
            kind = type(value).__name__
            raise TypeError(f"cannot serialise {kind} as a parameter value")
    return convert(value)


def _is_container(value: Any) -> bool:
    """True for values serialised as arrays or objects."""
    return isinstance(value, (BaseModel, Mapping, list, tuple))


def _member(value: Any) -> str:
    """Text of a list item or object member; nested containers become compact JSON."""
    convert = _EXACT.get(type(value))
    if convert is not None:
        return convert(value)
    if _is_container(value):
        return json.dumps(_jsonable(value), separators=(",", ":"), ensure_ascii=False)
    return _scalar(value)


def _jsonable(value: Any) -> Any:
    """JSON-ready copy of a nested value; models are dumped like top-level ones."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        return {_scalar(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return to_jsonable_python(value)


def _flatten(value: Any) -> Shape | None:
    """Value as text, list of texts or ordered key -> text map; None when undefined."""
    kind = type(value)
    # Exact built-in containers skip the isinstance checks: Mapping is a slow ABC.
    if kind is not dict and kind is not list and kind is not tuple:
        if value is None:
            return None
        if isinstance(value, BaseModel):
            value = value.model_dump(mode="json", by_alias=True, exclude_unset=True)
        elif not isinstance(value, (Mapping, list, tuple)):
            return _scalar(value)
    if isinstance(value, (list, tuple)):
        items = [_member(v) for v in value if v is not None]
        return items or None
    members = {_scalar(k): _member(v) for k, v in value.items() if v is not None}
    return members or None


def _joined(flat: list[str] | dict[str, str], sep: str, enc: Encoder) -> str:
    """Non-exploded form: items, or keys and values alternating, encoded and joined."""
    texts = chain.from_iterable(flat.items()) if isinstance(flat, dict) else flat
    return sep.join([enc(text) for text in texts])


def _assignments(members: dict[str, str], enc: Encoder) -> list[str]:
    """Exploded object members as "key=value" texts (keys strictly encoded)."""
    return [f"{_key(k)}={enc(v)}" for k, v in members.items()]


def _simple(flat: Shape, explode: bool, enc: Encoder) -> str:
    """Simple style: "blue", "blue,black", "R,100,G,200" or exploded "R=100,G=200"."""
    if isinstance(flat, str):
        return enc(flat)
    if explode and isinstance(flat, dict):
        return ",".join(_assignments(flat, enc))
    return _joined(flat, ",", enc)


def _matrix(name: str, flat: Shape, explode: bool) -> str:
    """Matrix style: ";color=blue", ";color=a,b", ";color=a;color=b", ";R=100;G=200"."""
    key = _key(name)
    if isinstance(flat, str):
        return _matrix_item(key, _strict(flat))
    if not explode:
        return _matrix_item(key, _joined(flat, ",", _strict))
    if isinstance(flat, dict):
        return "".join([_matrix_item(_key(k), _strict(v)) for k, v in flat.items()])
    return "".join([_matrix_item(key, _strict(text)) for text in flat])


def _matrix_item(key: str, value: str) -> str:
    """One ";key=value"; RFC 6570 drops the "=" before an empty value (";color")."""
    return f";{key}={value}" if value else f";{key}"


def _label(name: str, flat: Shape, explode: bool) -> str:
    """Label style: ".blue", ".blue,black", ".blue.black", ".R=100.G=200"."""
    if isinstance(flat, str):
        return "." + _strict(flat)
    if not explode:
        return "." + _joined(flat, ",", _strict)
    if isinstance(flat, dict):
        return "." + ".".join(_assignments(flat, _strict))
    return "." + ".".join([_strict(text) for text in flat])


def _path_simple(name: str, flat: Shape, explode: bool) -> str:
    """Simple style with strict percent-encoding; the name does not appear."""
    return _simple(flat, explode, _strict)


_PATH_STYLES: dict[str, Callable[[str, Shape, bool], str]]
_PATH_STYLES = {"simple": _path_simple, "label": _label, "matrix": _matrix}


def path_param(
    name: str, value: Any, style: str = "simple", explode: bool = False
) -> str:
    """Encoded text that replaces ``{name}`` in a path template.

    Styles simple, label and matrix. Every character outside RFC 3986 unreserved is
    percent-encoded ("/" -> %2F) except the delimiters the style adds (",", ";", "=",
    "."). Raises ValueError for None or an empty list/object, since a path parameter is
    always required and an empty segment would silently address another resource.
    """
    if style == "simple":
        kind = type(value)
        if kind is str:
            return _strict(value)
        if kind is int:
            return repr(value)  # digits and "-" need no encoding
    render = _PATH_STYLES.get(style)
    if render is None:
        raise ValueError(f"style {style!r} is not allowed for path parameters")
    flat = _flatten(value)
    if flat is None:
        raise ValueError(f"path parameter {name!r} has no value")
    return render(name, flat, explode)


def query_param(
    name: str,
    value: Any,
    style: str = "form",
    explode: bool = True,
    allow_reserved: bool = False,
) -> list[str]:
    """Encoded "key=value" pieces for one query parameter; [] when it is undefined.

    Styles form, spaceDelimited, pipeDelimited and deepObject. Primitive values use
    form ("color=blue") whatever the style; spaceDelimited/pipeDelimited with
    ``explode=true`` (undefined by OpenAPI) repeat the key like form does; deepObject
    gives "color%5BR%5D=100" and ignores ``explode``. With ``allow_reserved`` the value
    keeps ``:/?@!$'()*,;`` and existing %XX triples literal; names are always encoded.
    """
    if style == "form" and not allow_reserved:
        kind = type(value)
        if kind is str:
            return [f"{_key(name)}={_strict(value)}"]
        if kind is int:
            return [f"{_key(name)}={value!r}"]
        if kind is bool:
            return [f"{_key(name)}={'true' if value else 'false'}"]
    if value is None:
        return []
    if style not in _QUERY_STYLES:
        raise ValueError(f"style {style!r} is not allowed for query parameters")
    enc = _reserved if allow_reserved else _strict
    if style == "deepObject":
        pieces: list[str] = []
        _deep_object(_key(name), value, enc, pieces)
        return pieces
    sep = _DELIMITERS.get(style, ",")
    return _query_pieces(_key(name), _flatten(value), explode, sep, enc)


def _query_pieces(
    key: str, flat: Shape | None, explode: bool, sep: str, enc: Encoder
) -> list[str]:
    """Form-like pieces: "k=v", "k=a<sep>b", repeated "k=a&k=b" or "R=100&G=200"."""
    if flat is None:
        return []
    if isinstance(flat, str):
        return [f"{key}={enc(flat)}"]
    if not explode:
        return [f"{key}={_joined(flat, sep, enc)}"]
    if isinstance(flat, dict):
        return _assignments(flat, enc)
    return [f"{key}={enc(text)}" for text in flat]


def _deep_object(prefix: str, value: Any, enc: Encoder, out: list[str]) -> None:
    """Append deepObject pieces: objects nest as prefix[key], lists repeat prefix."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        for member, inner in value.items():
            if inner is not None:
                _deep_object(f"{prefix}%5B{_key(_scalar(member))}%5D", inner, enc, out)
    elif isinstance(value, (list, tuple)):
        out.extend(
            f"{prefix}={enc(_member(item))}" for item in value if item is not None
        )
    elif value is not None:
        out.append(f"{prefix}={enc(_scalar(value))}")


def header_param(value: Any, explode: bool = False) -> str | None:
    """Header value in simple style, not percent-encoded; None when undefined."""
    if type(value) is str:
        return value
    flat = _flatten(value)
    if flat is None:
        return None
    return _simple(flat, explode, _verbatim)


def cookie_param(name: str, value: Any, explode: bool = True) -> str | None:
    """One Cookie header entry in form style ("name=value"); None when undefined.

    Only characters a cookie value cannot contain (controls, space, '"', ",", ";", "\\",
    non-ASCII) and "%" are percent-encoded. Exploded lists and objects produce several
    entries joined with "; " ("color=blue; color=black", "R=100; G=200"), which is how
    a Cookie header separates cookies; ``explode=false`` joins values with ",".
    """
    if type(value) is str:
        return f"{name}={quote(value, _COOKIE_SAFE)}"
    flat = _flatten(value)
    if flat is None:
        return None
    if isinstance(flat, str):
        return f"{name}={_cookie(flat)}"
    if not explode:
        return f"{name}={_joined(flat, ',', _cookie)}"
    if isinstance(flat, dict):
        return "; ".join([f"{_key(k)}={_cookie(v)}" for k, v in flat.items()])
    return "; ".join([f"{name}={_cookie(text)}" for text in flat])


def scalar_text(value: Any) -> str:
    """Text of one scalar as parameters send it (true/false, ISO 8601, an Enum's value)."""
    return _scalar(value)


def json_text(value: Any) -> str:
    """Compact JSON text of a parameter with `content: application/json` (models by alias)."""
    return json.dumps(_jsonable(value), separators=(",", ":"), ensure_ascii=False)


def part_values(
    name: str, value: Any, style: str = "form", explode: bool = True
) -> list[tuple[str, str]]:
    """(part name, text) pairs of a multipart property serialised with a `style`.

    The query styles without percent-encoding (RFC 7578 parts carry raw text):
    form gives "a,b" or one part per item (exploded arrays) or per member (exploded
    objects); spaceDelimited/pipeDelimited join with " " / "|"; deepObject names parts
    ``name[key]``. An undefined value gives no part.
    """
    if style == "deepObject":
        out: list[tuple[str, str]] = []
        _deep_parts(name, value, out)
        return out
    flat = _flatten(value)
    if flat is None:
        return []
    if isinstance(flat, str):
        return [(name, flat)]
    if not explode:
        sep = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
        return [(name, _joined(flat, sep, _verbatim))]
    if isinstance(flat, dict):
        return list(flat.items())
    return [(name, text) for text in flat]


def _deep_parts(prefix: str, value: Any, out: list[tuple[str, str]]) -> None:
    """deepObject parts without encoding: objects nest as prefix[key], lists repeat."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        for member, inner in value.items():
            if inner is not None:
                _deep_parts(f"{prefix}[{_scalar(member)}]", inner, out)
    elif isinstance(value, (list, tuple)):
        out.extend((prefix, _member(item)) for item in value if item is not None)
    elif value is not None:
        out.append((prefix, _scalar(value)))


def build_query(pieces: Iterable[list[str]]) -> str:
    """Join the pieces of several query_param() calls into "a=1&b=2" (no "?")."""
    return "&".join(chain.from_iterable(pieces))
