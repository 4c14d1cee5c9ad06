"""Map an HTTP response to the operation's result: a parsed model, a stream or an error."""

from __future__ import annotations

from typing import Any

import httpx
import pydantic

from .errors import APIError, APIStatusError, ResponseValidationError
from .files import BinaryResponse
from .hooks import Hooks
from .operation import Operation, Result
from .sse import AsyncEventStream, EventStream, ServerSentEvent


def _media(response: httpx.Response) -> str:
    value: str = response.headers.get("content-type", "")
    return value.split(";", 1)[0].strip().lower()


def _is_json(media: str) -> bool:
    return media == "application/json" or media.endswith("+json") or media == "text/json"


def _fail(op: Operation[Any], result: Result | None, response: httpx.Response,
          hooks: Hooks) -> BaseException:
    """The exception for an error response (body already read)."""
    error: APIError
    if result is not None and result.error is not None:
        error = _documented(result, response)
    elif response.is_success or response.is_redirect:
        error = APIError("Unexpected response", response)
    else:
        error = APIError("API error occurred", response)
    return hooks.run_error(response, error) or error


def _documented(result: Result, response: httpx.Response) -> APIError:
    """The operation's error class with the parsed body, or APIError if it does not parse."""
    factory = result.error
    assert factory is not None
    if result.kind == "text":
        return factory("API error occurred", response, None, response.text)
    if result.schema is None or result.kind != "json":
        return factory("API error occurred", response)
    if not _is_json(_media(response)):
        return APIError(
            f"API error occurred (the documented {result.status} body is JSON, got "
            f"Content-Type {_media(response) or 'none'!r})",
            response,
        )
    try:
        data = result.schema.parse_json(response.content)
    except (pydantic.ValidationError, ValueError) as problem:
        first = str(problem).splitlines()
        detail = "; ".join(first[:3]) if first else type(problem).__name__
        return APIError(
            f"API error occurred (the body does not match the documented "
            f"{result.status} schema: {detail})",
            response,
        )
    return factory("API error occurred", response, None, data)


def _decode(result: Result) -> Any:
    schema = result.schema

    def decode(event: ServerSentEvent) -> Any:
        if schema is None:
            return event
        return schema.parse_json(event.data.encode())

    return decode


def _parse(result: Result, response: httpx.Response) -> Any:
    """Parse a fully read success response according to its documented kind."""
    if result.kind == "empty":
        return None
    if result.kind == "text":
        return response.text
    media = _media(response)
    if result.schema is None:
        return None
    if media and not _is_json(media) and media != "*/*" and "*" in (result.content_type or ""):
        # A wildcard media type (`*/*`): a non-JSON body is text, checked against the type.
        try:
            return result.schema.validate(response.text)
        except pydantic.ValidationError as error:
            raise ResponseValidationError("response body does not match the schema", response,
                                          error) from error
    if media and not _is_json(media) and media != "*/*":
        raise ResponseValidationError(
            f"expected a JSON body, got Content-Type {media!r}", response,
            ValueError(response.text[:200]),
        )
    try:
        return result.schema.parse_json(response.content)
    except (pydantic.ValidationError, ValueError) as error:
        raise ResponseValidationError("response body does not match the schema", response,
                                      error) from error


def _streamed(result: Result | None) -> bool:
    return result is not None and result.error is None and result.kind in ("sse", "binary")


def sync_result(op: Operation[Any], response: httpx.Response, hooks: Hooks) -> Any:
    """The value a sync call returns for `response`, or raise the matching error."""
    result = op.match(response.status_code, response.headers.get("content-type"))
    # A documented 1XX-3XX the client did not follow (a 3XX without Location, say) is a
    # result like a 2XX; an undocumented status or a documented error status raises.
    ok = result is not None and result.error is None and response.status_code < 400
    if ok and _streamed(result):
        assert result is not None
        response = hooks.run_success(response)
        if result.kind == "binary":
            return BinaryResponse(response)
        return EventStream(response, _decode(result), result.sentinel)
    try:
        response.read()
    finally:
        response.close()
    if not ok:
        raise _fail(op, result, response, hooks)
    assert result is not None
    return _parse(result, hooks.run_success(response))


async def async_result(op: Operation[Any], response: httpx.Response, hooks: Hooks) -> Any:
    """The value an async call returns for `response`, or raise the matching error."""
    result = op.match(response.status_code, response.headers.get("content-type"))
    ok = result is not None and result.error is None and response.status_code < 400
    if ok and _streamed(result):
        assert result is not None
        response = hooks.run_success(response)
        if result.kind == "binary":
            return BinaryResponse(response)
        return AsyncEventStream(response, _decode(result), result.sentinel)
    try:
        await response.aread()
    finally:
        await response.aclose()
    if not ok:
        raise _fail(op, result, response, hooks)
    assert result is not None
    return _parse(result, hooks.run_success(response))
