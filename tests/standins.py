"""Small stand-ins for the services `liandong remind` talks to, on 127.0.0.1 at a free port, each
recording every request it is sent:

- StandInForge: GitHub's REST issue endpoints that remind/forge.py uses, and nothing more — list a
  repository's issues by label (paginated), create, edit (title, body, state: so also close and
  reopen), comment, and read or create a label. It checks the bearer token like GitHub does.
- StandInRobot: a DingTalk or WeCom group robot's webhook, which checks DingTalk's signature."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.server
import json
import re
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Request:
    method: str
    path: str  # without the query
    query: dict[str, str]
    body: Any


@dataclass
class StandInForge:
    token: str
    repo: str = "liandong-registry/registry"
    page_size_limit: int = 100
    issues: list[dict[str, Any]] = field(default_factory=list)
    comments: dict[int, list[str]] = field(default_factory=dict)
    labels: set[str] = field(default_factory=set)
    requests: list[Request] = field(default_factory=list)
    fail: dict[tuple[str, str], int] = field(default_factory=dict)  # (method, path regex) → status to answer
    url: str = ""

    def writes(self) -> list[Request]:
        return [r for r in self.requests if r.method != "GET"]

    def handle(self, method: str, raw_path: str, headers: Any, raw: bytes) -> tuple[int, Any]:
        parts = urllib.parse.urlsplit(raw_path)
        path, query = urllib.parse.unquote(parts.path), dict(urllib.parse.parse_qsl(parts.query))
        body = json.loads(raw) if raw else None
        self.requests.append(Request(method, path, query, body))
        if headers.get("Authorization") != f"Bearer {self.token}":
            return 401, {"message": "Bad credentials"}
        for (m, pattern), status in self.fail.items():
            if m == method and re.fullmatch(pattern, path):
                return status, {"message": "Server Error"}
        base = f"/repos/{self.repo}"
        if method == "GET" and path == f"{base}/issues":
            wanted = set(filter(None, query.get("labels", "").split(",")))
            state = query.get("state", "open")
            found = [i for i in self.issues if wanted <= {lab["name"] for lab in i["labels"]} and state in ("all", i["state"])]
            size, page = min(int(query.get("per_page", 30)), self.page_size_limit), int(query.get("page", 1))
            return 200, found[(page - 1) * size : page * size]
        if method == "POST" and path == f"{base}/issues":
            issue = {
                "number": len(self.issues) + 1,
                "title": body["title"],
                "body": body.get("body", ""),
                "state": "open",
                "labels": [{"name": name} for name in body.get("labels", []) if name in self.labels],
            }
            self.issues.append(issue)
            return 201, issue
        match = re.fullmatch(rf"{re.escape(base)}/issues/(\d+)(/comments)?", path)
        if match:
            issue = next((i for i in self.issues if i["number"] == int(match[1])), None)
            if issue is None:
                return 404, {"message": "Not Found"}
            if match[2] and method == "POST":
                self.comments.setdefault(issue["number"], []).append(body["body"])
                return 201, {"body": body["body"]}
            if method == "PATCH":
                issue.update({k: v for k, v in body.items() if k in ("title", "body", "state")})
                return 200, issue
        if method == "GET" and path.startswith(f"{base}/labels/"):
            name = path.removeprefix(f"{base}/labels/")
            return (200, {"name": name}) if name in self.labels else (404, {"message": "Not Found"})
        if method == "POST" and path == f"{base}/labels":
            self.labels.add(body["name"])
            return 201, body
        return 404, {"message": "Not Found"}


@dataclass
class StandInRobot:
    kind: str  # dingtalk | wecom
    secret: str = ""
    messages: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    url: str = ""

    def handle(self, method: str, raw_path: str, headers: Any, raw: bytes) -> tuple[int, Any]:
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(raw_path).query))
        if self.kind == "dingtalk" and self.secret:
            timestamp, sign = query.get("timestamp", ""), query.get("sign", "")
            expected = base64.b64encode(hmac.new(self.secret.encode(), f"{timestamp}\n{self.secret}".encode(), hashlib.sha256).digest()).decode()
            if sign != expected:
                self.refused.append(raw_path)
                return 200, {"errcode": 310000, "errmsg": "sign not match"}
        message = json.loads(raw)
        text = message["markdown"]["text" if self.kind == "dingtalk" else "content"]
        if self.kind == "wecom" and len(text.encode()) > 4096:
            return 200, {"errcode": 40058, "errmsg": "markdown.content exceed max length 4096"}
        self.messages.append(message)
        return 200, {"errcode": 0, "errmsg": "ok"}


@contextmanager
def serving(service: StandInForge | StandInRobot) -> Iterator[str]:
    """Serve `service` on 127.0.0.1; yields its base URL (also set as service.url)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, answer = service.handle(self.command, self.path, self.headers, raw)
            data = json.dumps(answer, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PATCH = _answer

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    service.url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield service.url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
