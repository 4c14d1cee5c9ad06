"""Files for multipart uploads and binary bodies, and streamed binary responses."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from os import PathLike
from typing import IO, Any

import httpx
import pydantic
from typing_extensions import NotRequired, TypedDict


class File(pydantic.BaseModel):
    """A file part: its name, its content (bytes or a binary file object) and content type."""

    model_config = pydantic.ConfigDict(arbitrary_types_allowed=True)

    file_name: str = "upload"
    content: Any
    content_type: str | None = None

    @pydantic.model_validator(mode="before")
    @classmethod
    def _accept_plain(cls, value: Any) -> Any:
        if isinstance(value, bytes | bytearray | memoryview):
            return {"content": bytes(value)}
        if hasattr(value, "read"):
            name = getattr(value, "name", None)
            file_name = str(name).replace("\\", "/").rsplit("/", 1)[-1] if name else "upload"
            return {"content": value, "file_name": file_name}
        if isinstance(value, tuple) and 2 <= len(value) <= 3:
            return dict(zip(("file_name", "content", "content_type"), value, strict=False))
        return value


class FileTypedDict(TypedDict):
    """A file part as a dict: `{"file_name": ..., "content": ..., "content_type": ...}`."""

    file_name: str
    content: bytes | IO[bytes]
    content_type: NotRequired[str]


FileInput = File | FileTypedDict | bytes | IO[bytes]
"""Anything accepted where the API takes a file."""

BinaryInput = bytes | IO[bytes] | Iterator[bytes] | AsyncIterator[bytes]
"""Anything accepted as a binary request body."""


class BinaryResponse:
    """A streamed binary response: iterate it, read it, or save it; always close it.

    Use it as a context manager (`with client.files.content(...) as r: r.save(path)`)
    so the connection goes back to the pool even when you stop early.
    """

    def __init__(self, response: httpx.Response) -> None:
        self._response = response

    @property
    def response(self) -> httpx.Response:
        """The underlying httpx response (headers, status code)."""
        return self._response

    @property
    def content_type(self) -> str | None:
        """The Content-Type the server sent."""
        value: str | None = self._response.headers.get("content-type")
        return value

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """Yield the body in chunks, closing the response at the end or on error."""
        try:
            yield from self._response.iter_bytes(chunk_size)
        finally:
            self._response.close()

    async def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        """Async variant of iter_bytes."""
        try:
            async for chunk in self._response.aiter_bytes(chunk_size):
                yield chunk
        finally:
            await self._response.aclose()

    def read(self) -> bytes:
        """The whole body (then closed)."""
        try:
            return self._response.read()
        finally:
            self._response.close()

    async def aread(self) -> bytes:
        """Async variant of read."""
        try:
            return await self._response.aread()
        finally:
            await self._response.aclose()

    def save(self, path: str | PathLike[str]) -> int:
        """Write the body to `path`; returns the number of bytes written."""
        written = 0
        with open(path, "wb") as target:
            for chunk in self.iter_bytes():
                target.write(chunk)
                written += len(chunk)
        return written

    def close(self) -> None:
        """Release the connection."""
        self._response.close()

    async def aclose(self) -> None:
        """Async variant of close."""
        await self._response.aclose()

    def __enter__(self) -> BinaryResponse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> BinaryResponse:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
