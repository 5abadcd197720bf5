"""Optional, off by default: the same digests posted to a DingTalk (钉钉) or WeCom (企业微信) group
robot. The webhook address and DingTalk's signing secret come from the environment (repository
secrets in the workflow) and are never printed: the address itself carries the robot's token.

Only the public registry reaches a robot (digest.public_model). DingTalk's 加签 is what its robots
require when signing is switched on: HMAC-SHA256 over "<timestamp in ms>\\n<secret>" keyed with the
secret, Base64, URL-encoded, sent as &timestamp=…&sign=…. A WeCom group robot has no signature (the
key in its address is the secret), so a secret given for one is refused rather than ignored.

Both take Markdown with a size limit per message, so the digests go in as few messages as fit,
split between units."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from liandong.errors import SetupError
from liandong.remind.digest import Reminders, digest_markdown, no_site_note

WEBHOOK_ENV = "LIANDONG_ROBOT_WEBHOOK"
SECRET_ENV = "LIANDONG_ROBOT_SECRET"


@dataclass(frozen=True)
class Robot:
    name: str  # dingtalk | wecom
    label: str
    limit: int  # bytes of UTF-8 Markdown per message, a little under the service's own limit
    signed: bool  # whether the service signs requests with a secret


ROBOTS = {
    "dingtalk": Robot("dingtalk", "钉钉群机器人", 18_000, True),
    "wecom": Robot("wecom", "企业微信群机器人", 4_000, False),  # WeCom: markdown.content at most 4,096 bytes
}


class RobotError(SetupError):
    """The robot refused a message or could not be reached (exit 2); the message never holds the address or secret."""


def messages(found: Reminders, robot: Robot) -> list[str]:
    """The Markdown messages that carry every digest, each within the robot's limit."""
    head = f"# 催办提醒（截至 {found.today.isoformat()}）\n"
    if not found.site_url:
        head += f"\n{no_site_note()}\n"
    parts = [digest_markdown(d, found.today, found.site_url, heading="##", note=False) for d in found.digests]
    if not parts:
        return []
    out: list[str] = []
    current = head
    for part in parts:
        if len(part.encode()) + len(head.encode()) > robot.limit:  # one unit alone too long: cut at an item
            part = _cut(part, robot.limit - len(head.encode()))
        if len((current + "\n" + part).encode()) > robot.limit:
            out.append(current)
            current = head
        current += "\n" + part
    out.append(current)
    return out


def _cut(part: str, limit: int) -> str:
    note = "\n（事项过多，以下从略，请查看网站或催办议题。）\n"
    while len((part + note).encode()) > limit and "\n- " in part:
        part = part.rsplit("\n- ", 1)[0]
    return part + note


def signed_url(webhook: str, secret: str, now_ms: int | None = None) -> str:
    """DingTalk's signed address: the webhook with &timestamp=…&sign=…."""
    timestamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest).decode())
    return f"{webhook}{'&' if '?' in webhook else '?'}timestamp={timestamp}&sign={sign}"


def payload(robot: Robot, message: str, title: str) -> dict[str, Any]:
    if robot.name == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": title, "text": message}}
    return {"msgtype": "markdown", "markdown": {"content": message}}


Opener = Callable[[urllib.request.Request, float], Any]


def post(
    robot: Robot, webhook: str, secret: str, found: Reminders, opener: Opener | None = None, say: Callable[[str], None] = print, dry_run: bool = False
) -> int:
    """Send the digests; the number of messages sent (or, with dry_run, that would be)."""
    parts = urllib.parse.urlsplit(webhook)
    local = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise RobotError(f"{robot.label}的地址（环境变量 {WEBHOOK_ENV}）应以 https:// 开头。")
    if secret and not robot.signed:
        raise RobotError(f"{robot.label}不使用签名，地址中的 key 就是密钥：请不要设置 {SECRET_ENV}。")
    send = opener or (lambda request, timeout: urllib.request.urlopen(request, timeout=timeout))  # http(s) only: checked above
    found_messages = messages(found, robot)
    title = f"催办提醒（截至 {found.today.isoformat()}）"
    for number, message in enumerate(found_messages, 1):
        say(f"{'（试运行，未发送）' if dry_run else ''}{robot.label}：第 {number}/{len(found_messages)} 条消息，{len(message.encode())} 字节")
        if dry_run:
            say(message)
            continue
        url = signed_url(webhook, secret) if robot.signed and secret else webhook
        request = urllib.request.Request(url, data=json.dumps(payload(robot, message, title), ensure_ascii=False).encode(), method="POST")
        request.add_header("Content-Type", "application/json; charset=utf-8")
        try:
            with send(request, 30) as response:
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as err:
            raise RobotError(f"{robot.label}拒绝了第 {number} 条消息：HTTP {err.code}") from None
        except (urllib.error.URLError, OSError, ValueError) as err:
            raise RobotError(f"无法把第 {number} 条消息发给{robot.label}：{type(err).__name__}") from None
        if not isinstance(answer, dict) or answer.get("errcode") != 0:
            detail = answer.get("errmsg", "") if isinstance(answer, dict) else ""
            raise RobotError(f"{robot.label}拒绝了第 {number} 条消息：{detail}（errcode {answer.get('errcode') if isinstance(answer, dict) else '?'}）")
    return len(found_messages)
