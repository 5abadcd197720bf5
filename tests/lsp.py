"""A small Language Server Protocol client over stdio, enough to drive yaml-language-server the way
an editor does: open a document, wait for its diagnostics, ask for completion and hover. The server
is the real one, installed by .ci/run into tools/editor/ (tests/editor/test_language_server.py)."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from .helpers import REPO

SERVER = REPO / "tools/editor/node_modules/yaml-language-server/bin/yaml-language-server"
SETTINGS = {"validate": True, "hover": True, "completion": True, "format": {"enable": False}}


class LanguageServer:
    def __init__(self, root: Path, locale: str = "zh-cn") -> None:
        self.process = subprocess.Popen(["node", str(SERVER), "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.diagnostics: dict[str, list[dict[str, Any]]] = {}
        self.next_id = 0
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        capabilities = {"textDocument": {"hover": {"contentFormat": ["markdown"]}, "completion": {"completionItem": {"documentationFormat": ["markdown"]}}}}
        # An editor passes its display language; a Chinese VS Code sends zh-cn.
        self.request("initialize", {"processId": os.getpid(), "locale": locale, "rootUri": root.as_uri(), "capabilities": capabilities})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": {"yaml": SETTINGS}})

    def close(self) -> None:
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            self.process.wait(timeout=10)
        except (TimeoutError, OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait(timeout=10)
        self._reader.join(timeout=10)  # it stops at the end of the server's output
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = 0
            while (line := stream.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if not line:
                return
            self.messages.put(json.loads(stream.read(length)))

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode("utf-8")
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body)
        stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def _handle(self, message: dict[str, Any]) -> None:
        """What the server sends unasked: diagnostics are kept; its questions get an editor's answers."""
        if message.get("method") == "textDocument/publishDiagnostics":
            self.diagnostics[message["params"]["uri"]] = message["params"]["diagnostics"]
        elif message.get("method") == "workspace/configuration":
            self._send({"jsonrpc": "2.0", "id": message["id"], "result": [SETTINGS for _ in message["params"]["items"]]})
        elif "id" in message and "method" in message:
            self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})

    def _pump(self, until: float) -> dict[str, Any]:
        message = self.messages.get(timeout=max(0.01, until - time.monotonic()))
        self._handle(message)
        return message

    def request(self, method: str, params: Any, timeout: float = 60) -> Any:
        self.next_id += 1
        asked = self.next_id
        self._send({"jsonrpc": "2.0", "id": asked, "method": method, "params": params})
        until = time.monotonic() + timeout
        while time.monotonic() < until:
            message = self._pump(until)
            if message.get("id") == asked and "method" not in message:
                return message.get("result")
        raise TimeoutError(method)

    def open(self, path: Path, text: str | None = None, timeout: float = 60) -> list[dict[str, Any]]:
        """Open a document and return its diagnostics (the first set the server publishes)."""
        uri = path.as_uri()
        self.diagnostics.pop(uri, None)
        content = path.read_text(encoding="utf-8") if text is None else text
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": content}})
        until = time.monotonic() + timeout
        while uri not in self.diagnostics:
            if time.monotonic() > until:
                raise TimeoutError(f"no diagnostics for {path}")
            try:
                self._pump(until)
            except queue.Empty:
                continue
        return self.diagnostics[uri]

    def completion(self, path: Path, line: int, character: int) -> list[dict[str, Any]]:
        found = self.request("textDocument/completion", {"textDocument": {"uri": path.as_uri()}, "position": {"line": line, "character": character}})
        items = found.get("items", []) if isinstance(found, dict) else found or []
        return list(items)

    def hover(self, path: Path, line: int, character: int) -> str:
        found = self.request("textDocument/hover", {"textDocument": {"uri": path.as_uri()}, "position": {"line": line, "character": character}})
        contents = (found or {}).get("contents", {})
        return str(contents.get("value", "")) if isinstance(contents, dict) else str(contents)
