"""A keep-alive HTTP/1.1 stub for the per-call benchmark, run in its own process.

It answers every POST ending in /chat/completions with one ~2 KB nested chat completion
and every POST ending in /images/edits with an image-edit reply, reads request bodies
(Content-Length or chunked) completely, and never closes a connection first. Its CPU
time is not the client's, which is what the benchmark measures.

    python bench/stub_server.py PORT_FILE
"""

from __future__ import annotations

import asyncio
import json
import sys

CHAT = {
    "id": "chatcmpl-01JBX5Z4K3R8M2N9P7Q6T5V4W3",
    "object": "chat.completion",
    "created": 1730000000,
    "model": "openai/gpt-4o",
    "system_fingerprint": "fp_50cad350e4",
    "choices": [
        {
            "index": index,
            "finish_reason": "stop",
            "logprobs": None,
            "message": {
                "role": "assistant",
                "content": (
                    "Packets hum along / routers whisper their next hop / "
                    "the signal finds home. " * 3
                ),
                "refusal": None,
            },
        }
        for index in range(4)
    ],
    "usage": {
        "prompt_tokens": 27,
        "completion_tokens": 17,
        "total_tokens": 44,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    },
}
IMAGES = {
    "created": 1730000000,
    "data": [{"b64_json": "aGVsbG8gd29ybGQ=" * 8, "revised_prompt": "a red scarf"}],
}


def _reply(body: dict[str, object]) -> bytes:
    payload = json.dumps(body, separators=(",", ":")).encode()
    head = (
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(payload)}\r\nConnection: keep-alive\r\n\r\n"
    )
    return head.encode() + payload


REPLIES = {b"/chat/completions": _reply(CHAT), b"/images/edits": _reply(IMAGES)}
NOT_FOUND = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"


async def _read_body(reader: asyncio.StreamReader, headers: dict[bytes, bytes]) -> None:
    if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
        while True:
            size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
            await reader.readexactly(size + 2)
            if size == 0:
                return
    length = int(headers.get(b"content-length", b"0"))
    if length:
        await reader.readexactly(length)


async def _serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            request_line = await reader.readline()
            if not request_line:
                break
            headers: dict[bytes, bytes] = {}
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b"\n", b""):
                    break
                name, _, value = line.partition(b":")
                headers[name.strip().lower()] = value.strip()
            await _read_body(reader, headers)
            target = request_line.split(b" ")[1].split(b"?")[0]
            reply = next((r for s, r in REPLIES.items() if target.endswith(s)), NOT_FOUND)
            writer.write(reply)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def main(port_file: str) -> None:
    server = await asyncio.start_server(_serve, "127.0.0.1", 0, backlog=256)
    port = server.sockets[0].getsockname()[1]
    with open(port_file, "w", encoding="utf-8") as out:
        out.write(str(port))
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
