"""The implementations compared by bench/per_call.py: one class per client, same two calls.

Each makes a chat completion (JSON) and an image edit (multipart) against the stub
server, sync and async; `check()` makes both once and verifies the parsed replies, so a
client that silently failed could not look fast.
"""

from __future__ import annotations

import importlib
import json
import time
from collections.abc import Callable
from typing import Any

import httpx

API_KEY = "sk-bench"
MODEL = "openai/gpt-4o"
MESSAGES = [
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": "Write a haiku about routers."},
]
CHAT_OPTIONS = {"temperature": 0.7, "max_tokens": 256}
IMAGE = bytes(range(256)) * 16  # 4 KiB "PNG"
PROMPT = "a red scarf"
HEADERS = {"authorization": f"Bearer {API_KEY}", "accept": "application/json"}


class Implementation:
    """One client under test: sync and async callables for each call."""

    name = ""

    def __init__(self, url: str) -> None:
        self.url = url
        self._async: Any = None

    def function(self, call: str, asynchronous: bool) -> Callable[[], Any]:
        """The zero-argument callable making one `call` ("chat" | "image")."""
        if asynchronous:
            self._async = self._async or self.make_async()
            return getattr(self, f"{call}_async")  # type: ignore[no-any-return]
        return getattr(self, call)  # type: ignore[no-any-return]

    def make_async(self) -> Any:
        """The async client, created inside the running event loop."""
        raise NotImplementedError

    async def close_async(self) -> None:
        """Close the async client inside its event loop, then forget it."""
        client, self._async = self._async, None
        for name in ("aclose", "close"):
            method = getattr(client, name, None)
            if method is not None:
                result = method()
                if hasattr(result, "__await__"):
                    await result
                return

    def check(self) -> None:
        """One call of each kind, with the reply verified."""
        _verify(self.name, self.chat(), self.image())

    def close(self) -> None:
        """Release the sync client."""


def _field(value: Any, *path: str | int) -> Any:
    for step in path:
        value = value[step] if isinstance(value, dict | list) else getattr(value, step)
    return value


def _verify(name: str, chat: Any, image: Any) -> None:
    text = _field(chat, "choices", 0, "message", "content")
    assert isinstance(text, str) and text.startswith("Packets hum"), (name, chat)
    assert len(_field(chat, "choices")) == 4, name
    assert _field(image, "data", 0, "b64_json").startswith("aGVsbG8"), (name, image)


class RawHttpx(Implementation):
    """(a) httpx posting prebuilt bytes and decoding the JSON reply."""

    name = "httpx"

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.client = httpx.Client(headers=HEADERS)
        self.chat_url = f"{url}/v2/router/chat/completions"
        self.image_url = f"{url}/v2/router/images/edits"
        body = {"model": MODEL, "messages": MESSAGES, **CHAT_OPTIONS}
        self.chat_body = json.dumps(body, separators=(",", ":")).encode()
        self.chat_headers = {"content-type": "application/json"}
        prebuilt = httpx.Request(
            "POST",
            self.image_url,
            data={"model": "openai/gpt-image-1", "prompt": PROMPT},
            files={"image": ("cat.png", IMAGE, "image/png")},
        )
        self.image_body = prebuilt.read()
        self.image_headers = {"content-type": prebuilt.headers["content-type"]}

    def decode(self, response: httpx.Response, kind: str) -> Any:
        return response.json()

    def chat(self) -> Any:
        response = self.client.post(
            self.chat_url, content=self.chat_body, headers=self.chat_headers
        )
        return self.decode(response, "chat")

    def image(self) -> Any:
        response = self.client.post(
            self.image_url, content=self.image_body, headers=self.image_headers
        )
        return self.decode(response, "image")

    def make_async(self) -> Any:
        return httpx.AsyncClient(headers=HEADERS)

    async def chat_async(self) -> Any:
        response = await self._async.post(
            self.chat_url, content=self.chat_body, headers=self.chat_headers
        )
        return self.decode(response, "chat")

    async def image_async(self) -> Any:
        response = await self._async.post(
            self.image_url, content=self.image_body, headers=self.image_headers
        )
        return self.decode(response, "image")

    def close(self) -> None:
        self.client.close()


class HttpxPydantic(RawHttpx):
    """(b) raw httpx plus pydantic validation of the reply into the SDK's own models."""

    name = "httpx+pydantic"

    def __init__(self, url: str) -> None:
        super().__init__(url)
        from orq_sdk.models import ChatCompletion, CreateImageEditResponseBody

        self.models = {"chat": ChatCompletion, "image": CreateImageEditResponseBody}

    def decode(self, response: httpx.Response, kind: str) -> Any:
        return self.models[kind].model_validate_json(response.content)


class Sdkforge(Implementation):
    """(c) the generated SDK (generated/orq)."""

    name = "sdkforge"

    def __init__(self, url: str) -> None:
        super().__init__(url)
        import orq_sdk

        self.sdk = orq_sdk
        self.client = orq_sdk.Orq(api_key=API_KEY, server_url=url)
        self.image_file = {"file_name": "cat.png", "content": IMAGE, "content_type": "image/png"}

    def chat(self) -> Any:
        return self.client.router.chat.completions.create(
            model=MODEL, messages=MESSAGES, **CHAT_OPTIONS
        )

    def image(self) -> Any:
        return self.client.router.images.edits.create(
            model="openai/gpt-image-1", prompt=PROMPT, image=self.image_file
        )

    def make_async(self) -> Any:
        return self.sdk.Orq(api_key=API_KEY, server_url=self.url)

    async def chat_async(self) -> Any:
        return await self._async.router.chat.completions.create_async(
            model=MODEL, messages=MESSAGES, **CHAT_OPTIONS
        )

    async def image_async(self) -> Any:
        return await self._async.router.images.edits.create_async(
            model="openai/gpt-image-1", prompt=PROMPT, image=self.image_file
        )

    def close(self) -> None:
        self.client.close()


class OrqAiSdk(Implementation):
    """(d) orq-ai-sdk from PyPI (Speakeasy)."""

    name = "orq-ai-sdk"

    def __init__(self, url: str) -> None:
        super().__init__(url)
        from orq_ai_sdk import Orq

        self.factory = Orq
        self.client = Orq(api_key=API_KEY, server_url=url)
        self.image_file = {"file_name": "cat.png", "content": IMAGE, "content_type": "image/png"}

    def chat(self) -> Any:
        return self.client.router.chat.completions.create(
            model=MODEL, messages=MESSAGES, **CHAT_OPTIONS
        )

    def image(self) -> Any:
        return self.client.router.images.edits.create(
            model="openai/gpt-image-1", prompt=PROMPT, image=self.image_file
        )

    def make_async(self) -> Any:
        return self.factory(api_key=API_KEY, server_url=self.url)

    async def chat_async(self) -> Any:
        return await self._async.router.chat.completions.create_async(
            model=MODEL, messages=MESSAGES, **CHAT_OPTIONS
        )

    async def image_async(self) -> Any:
        return await self._async.router.images.edits.create_async(
            model="openai/gpt-image-1", prompt=PROMPT, image=self.image_file
        )


class OpenAISdk(Implementation):
    """(e) openai from PyPI (Stainless)."""

    name = "openai"

    def __init__(self, url: str) -> None:
        super().__init__(url)
        import openai

        self.module = openai
        self.client = openai.OpenAI(api_key=API_KEY, base_url=f"{url}/v1")
        self.image_file = ("cat.png", IMAGE, "image/png")

    def chat(self) -> Any:
        return self.client.chat.completions.create(model=MODEL, messages=MESSAGES, **CHAT_OPTIONS)

    def image(self) -> Any:
        return self.client.images.edit(model="gpt-image-1", prompt=PROMPT, image=self.image_file)

    def make_async(self) -> Any:
        return self.module.AsyncOpenAI(api_key=API_KEY, base_url=f"{self.url}/v1")

    async def chat_async(self) -> Any:
        return await self._async.chat.completions.create(
            model=MODEL, messages=MESSAGES, **CHAT_OPTIONS
        )

    async def image_async(self) -> Any:
        return await self._async.images.edit(
            model="gpt-image-1", prompt=PROMPT, image=self.image_file
        )

    def close(self) -> None:
        self.client.close()


PACKAGES = {"sdkforge": "orq_sdk", "orq-ai-sdk": "orq_ai_sdk", "openai": "openai"}
IMPLEMENTATIONS: dict[str, type[Implementation]] = {
    cls.name: cls for cls in (RawHttpx, HttpxPydantic, Sdkforge, OrqAiSdk, OpenAISdk)
}


def fresh_first_call(name: str, url: str, started: float) -> tuple[float, float]:
    """In a fresh interpreter: (seconds to import the client, seconds to the first result).

    Both are counted from `started` (taken before any import); the raw baselines import
    httpx (and pydantic, defining the same models a typed client would need).
    """
    if name == "httpx":
        import httpx as client_module

        imported = time.perf_counter() - started
        with client_module.Client(headers=HEADERS) as http:
            body = {"model": MODEL, "messages": MESSAGES, **CHAT_OPTIONS}
            http.post(f"{url}/v2/router/chat/completions", json=body).json()
    elif name == "httpx+pydantic":
        import httpx as client_module
        import pydantic

        class Message(pydantic.BaseModel):
            role: str
            content: str | None = None

        class Choice(pydantic.BaseModel):
            index: int
            finish_reason: str | None = None
            message: Message

        class Completion(pydantic.BaseModel):
            id: str
            created: int
            model: str
            choices: list[Choice]
            usage: dict[str, Any] | None = None

        imported = time.perf_counter() - started
        with client_module.Client(headers=HEADERS) as http:
            body = {"model": MODEL, "messages": MESSAGES, **CHAT_OPTIONS}
            response = http.post(f"{url}/v2/router/chat/completions", json=body)
            Completion.model_validate_json(response.content)
    else:
        importlib.import_module(PACKAGES[name])
        imported = time.perf_counter() - started
        IMPLEMENTATIONS[name](url).chat()
    return imported, time.perf_counter() - started
