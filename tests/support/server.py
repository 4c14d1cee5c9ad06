"""A scripted HTTP/1.1 server on loopback: real sockets, recorded requests, chosen replies.

Tests queue replies (status, headers, body, delays, dropped connections, chunked
streams) and read back every request exactly as it arrived on the wire.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Recorded:
    """One request as the server received it."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes

    @property
    def path(self) -> str:
        """The raw (still percent-encoded) path."""
        return urlsplit(self.target).path

    @property
    def raw_query(self) -> str:
        """The raw query string."""
        return urlsplit(self.target).query

    @property
    def query(self) -> list[tuple[str, str]]:
        """Decoded query pairs in order."""
        return parse_qsl(self.raw_query, keep_blank_values=True)

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)

    def multipart(self) -> list[dict[str, Any]]:
        """Parts of a multipart/form-data body: name, filename, content type, bytes."""
        head = f"Content-Type: {self.headers['content-type']}\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(head + self.body)
        parts = []
        for part in message.iter_parts():
            parts.append(
                {
                    "name": part.get_param("name", header="content-disposition"),
                    "filename": part.get_filename(),
                    "content_type": part.get("content-type"),
                    "data": part.get_payload(decode=True),
                }
            )
        return parts


@dataclass
class Reply:
    """What the server answers: a status, headers, a body, and optional misbehaviour.

    `chunks` streams the body in pieces with a pause before each; `delay` waits
    before answering; `drop` closes the connection without answering;
    `truncate` promises the full Content-Length but sends only that many bytes.
    `drop_request` closes the connection as soon as the request headers arrived,
    before reading the body (the client is still sending); `cut_stream` ends a
    `chunks` reply by closing the connection instead of sending the last chunk.
    """

    status: int = 200
    body: bytes | str | Any = b""
    headers: dict[str, str] = field(default_factory=dict)
    chunks: list[tuple[float, bytes]] | None = None
    delay: float = 0.0
    drop: bool = False
    truncate: int | None = None
    drop_request: bool = False
    cut_stream: bool = False

    def encoded(self) -> tuple[bytes, dict[str, str]]:
        headers = dict(self.headers)
        body = self.body
        if not isinstance(body, bytes | str):
            body = json.dumps(body)
            headers.setdefault("Content-Type", "application/json")
        if isinstance(body, str):
            body = body.encode()
        return body, headers


def json_reply(data: Any, status: int = 200, **headers: str) -> Reply:
    """A JSON reply."""
    return Reply(status, json.dumps(data).encode(), {"Content-Type": "application/json", **headers})


class ScriptedServer:
    """Loopback server answering queued replies in order (then `fallback`)."""

    def __init__(self) -> None:
        self.replies: deque[Reply] = deque()
        self.requests: list[Recorded] = []
        self.fallback = Reply(599, b"no reply queued")
        self._lock = threading.Lock()
        self._server = _QuietServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        # A short poll interval: shutdown() waits up to one interval (0.5 s by default).
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        """Base URL of the server."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def queue(self, *replies: Reply) -> None:
        """Answer the next requests with these replies, in order."""
        with self._lock:
            self.replies.extend(replies)

    def next_reply(self, request: Recorded) -> Reply:
        with self._lock:
            self.requests.append(request)
            return self.replies.popleft() if self.replies else self.fallback

    def take_request_drop(self, request: Recorded) -> bool:
        """Record and consume the next reply if it drops the request before its body."""
        with self._lock:
            if not self.replies or not self.replies[0].drop_request:
                return False
            self.replies.popleft()
            self.requests.append(request)
            return True

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class _QuietServer(ThreadingHTTPServer):
    """Clients that time out and hang up are part of the script, not server errors."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        return


def _read_chunked(stream: Any) -> bytes:
    body = b""
    while True:
        size = int(stream.readline().split(b";")[0].strip() or b"0", 16)
        if size == 0:
            stream.readline()
            return body
        body += stream.read(size)
        stream.readline()


def _handler(owner: ScriptedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            return

        def _serve(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            if owner.take_request_drop(Recorded(self.command, self.path, headers, b"")):
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            length = int(self.headers.get("Content-Length") or 0)
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                body = _read_chunked(self.rfile)
            else:
                body = self.rfile.read(length) if length else b""
            reply = owner.next_reply(Recorded(self.command, self.path, headers, body))
            if reply.delay:
                time.sleep(reply.delay)
            if reply.drop:
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            payload, reply_headers = reply.encoded()
            self.send_response(reply.status)
            for name, value in reply_headers.items():
                self.send_header(name, value)
            if reply.chunks is not None:
                self._stream(reply.chunks, reply.cut_stream)
                return
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if reply.truncate is not None:
                self.wfile.write(payload[: reply.truncate])
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            self.wfile.write(payload)

        def _stream(self, chunks: list[tuple[float, bytes]], cut: bool = False) -> None:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                for pause, chunk in chunks:
                    time.sleep(pause)
                    self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                    self.wfile.flush()
                if cut:
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    return Handler
