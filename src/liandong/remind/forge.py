"""Reminders as forge issues (#15 part 2): one open issue per unit with something pending, titled
【催办】<unit>, whose body is the unit's digest and mentions its reviewer team.

The issues are found again by their label and by a marker line in the body (the unit's id and the
ids that were overdue when the body was last written), never by searching titles, so renaming a
unit or an issue changes nothing; the list endpoint is read rather than the search API, which
indexes new issues only after a delay (a second run right after the first would open them again).
Each run is planned from what is there: open one issue for a unit that has none, edit the body when
the digest changed (reopen a closed one), comment only when an item became overdue since the body
was written, close the issue when the unit has nothing pending. Running it twice in a day changes
nothing the second time.

GitHub's REST issue endpoints, through urllib; the token comes from GITHUB_TOKEN and is never
printed, not even in an error."""

from __future__ import annotations

import datetime
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from liandong.errors import SetupError
from liandong.model.today import ZONE
from liandong.remind.digest import Digest, Entry, Reminders, digest_markdown, entry_markdown, no_site_note, text

LABEL = "催办"
LABEL_COLOR = "d73a4a"
LABEL_DESCRIPTION = "liandong remind 按单位自动维护的催办提醒"
TITLE = "【催办】{name}"
BODY_LIMIT = 60_000  # GitHub refuses issue bodies over 65,536 characters
PAGE = 100
USER_AGENT = "liandong-remind"
# <!-- liandong-remind unit=org-a overdue=task-0001,task-0002 -->
_MARKER = re.compile(r"<!-- liandong-remind unit=(?P<unit>[a-z0-9-]+) overdue=(?P<overdue>[a-z0-9,-]*) -->")
FOOTER = (
    "本议题由 `liandong remind` 根据登记册自动维护（北京时间每天 08:30）：事项办结、签收或补报进度后，下一次运行即更新正文；"
    "有事项新逾期时追加一条评论；没有待办事项时自动关闭。正文会被覆盖，讨论请写在评论中，登记请提交拉取请求修改记录。"
)


class ForgeError(SetupError):
    """The forge refused a request or could not be reached (exit 2); the message names the request, never the token."""


@dataclass(frozen=True)
class Issue:
    """An issue as the forge lists it, reduced to what the plan reads."""

    number: int
    title: str
    body: str
    state: str  # open | closed

    @property
    def marker(self) -> tuple[str, list[str]] | None:
        """(unit id, overdue ids when the body was written), None for an issue this tool did not write."""
        found = _MARKER.search(self.body)
        if found is None:
            return None
        return found["unit"], [i for i in found["overdue"].split(",") if i]


@dataclass(frozen=True)
class Call:
    """One request of the plan: method, path under the API root, JSON body, and what it does (Chinese)."""

    method: str
    path: str
    body: dict[str, Any] | None
    why: str
    unit: str = ""

    def line(self) -> str:
        return f"{self.method} {self.path}  {self.why}"


@dataclass
class Plan:
    """What a run does: the calls, and per unit what happened (for the summary)."""

    calls: list[Call] = field(default_factory=list)
    outcome: dict[str, str] = field(default_factory=dict)  # unit id → 新建 / 更新 / 更新并评论 / 重新打开 / 关闭 / 无变化
    names: dict[str, str] = field(default_factory=dict)
    issues: dict[str, int] = field(default_factory=dict)  # unit id → issue number, where one exists


def marker(unit: str, overdue: list[str]) -> str:
    return f"<!-- liandong-remind unit={unit} overdue={','.join(sorted(overdue))} -->"


def mention(digest: Digest) -> str:
    if digest.team:
        return f"请 {digest.team} 关注并督促办理。"
    return "该单位及其上级单位都没有登记审核团队（单位记录的 reviewer_team），本议题无法提醒到人；请在单位记录中补充。"


def body(digest: Digest, found: Reminders) -> str:
    """The issue body: the digest, whom it is for, what the issue is, and the marker."""
    digest_text = digest_markdown(digest, found.today, found.site_url, heading="###")
    if len(digest_text) > BODY_LIMIT:
        cut = digest_text[:BODY_LIMIT].rsplit("\n- ", 1)[0]
        digest_text = cut + "\n\n（事项过多，以下从略；完整清单请运行 liandong remind --unit " + digest.unit_id + "，或查看网站。）\n"
    return "\n".join([digest_text.rstrip("\n"), "", mention(digest), "", "---", FOOTER, "", marker(digest.unit_id, digest.overdue)]) + "\n"


def closed_body(unit: str, name: str, found: Reminders) -> str:
    return (
        f"截至 {found.today.isoformat()}，{text(name)}牵头的事项中没有需要提醒的事项，本议题自动关闭；以后有待办事项时会重新打开。\n\n"
        f"---\n{FOOTER}\n\n{marker(unit, [])}\n"
    )


def comment(digest: Digest, new: list[str], found: Reminders) -> str:
    entries: list[Entry] = [e for e in digest.entries if e.item.id in new]
    lines = [f"截至 {found.today.isoformat()}，以下 {len(entries)} 项新逾期：", ""]
    lines += [entry_markdown(e) for e in entries]
    if not found.site_url:
        lines += ["", no_site_note()]
    lines += ["", mention(digest)]
    return "\n".join(lines) + "\n"


def _ours(issues: list[Issue]) -> dict[str, Issue]:
    """Per unit, the issue this tool keeps: the oldest open one, else the newest closed one."""
    chosen: dict[str, Issue] = {}
    for issue in sorted(issues, key=lambda i: (i.state != "open", i.number if i.state == "open" else -i.number)):
        found = issue.marker
        if found is not None and found[0] not in chosen:
            chosen[found[0]] = issue
    return chosen


def plan(found: Reminders, issues: list[Issue], repo: str, only: str | None = None) -> Plan:
    """The calls that bring the forge's issues in line with today's digests (pure: reads nothing).
    With `only` (a unit id), that unit's issue alone is looked at: the others are left as they are."""
    base = f"/repos/{repo}/issues"
    result = Plan()
    existing = {unit: issue for unit, issue in _ours(issues).items() if only is None or unit == only}
    for digest in (d for d in found.digests if only is None or d.unit_id == only):
        unit, title, wanted = digest.unit_id, TITLE.format(name=digest.name), body(digest, found)
        result.names[unit] = digest.name
        issue = existing.get(unit)
        if issue is None:
            result.calls.append(Call("POST", base, {"title": title, "body": wanted, "labels": [LABEL]}, f"新建议题 {title}", unit))
            result.outcome[unit] = "新建"
            continue
        result.issues[unit] = issue.number
        before = issue.marker[1] if issue.marker else []
        change: dict[str, Any] = {}
        if issue.title != title:
            change["title"] = title
        if issue.body != wanted:
            change["body"] = wanted
        if issue.state != "open":
            change["state"] = "open"
        if change:
            what = "重新打开并更新" if "state" in change else "更新"
            result.calls.append(Call("PATCH", f"{base}/{issue.number}", change, f"{what}议题 #{issue.number} {title}", unit))
        new = [i for i in digest.overdue if i not in before]
        if new:
            why = f"在议题 #{issue.number} 评论：{len(new)} 项新逾期"
            result.calls.append(Call("POST", f"{base}/{issue.number}/comments", {"body": comment(digest, new, found)}, why, unit))
        done = ["重新打开" if issue.state != "open" else "更新正文" if change else ""] + (["评论新逾期"] if new else [])
        result.outcome[unit] = "、".join(d for d in done if d) or "无变化"
    pending = {d.unit_id for d in found.digests}
    for unit, issue in sorted(existing.items()):
        if unit in pending or issue.state != "open":
            continue
        name = issue.title.removeprefix("【催办】")
        result.names[unit] = name
        result.issues[unit] = issue.number
        change = {"state": "closed", "state_reason": "completed", "body": closed_body(unit, name, found)}
        result.calls.append(Call("PATCH", f"{base}/{issue.number}", change, f"关闭议题 #{issue.number}（{name}没有待办事项）", unit))
        result.outcome[unit] = "关闭"
    return result


Opener = Callable[[urllib.request.Request, float], Any]


class Forge:
    """GitHub's REST API (or a stand-in with the same issue endpoints) at `api`, for one repository."""

    def __init__(self, api: str, repo: str, token: str | None, opener: Opener | None = None) -> None:
        if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", repo):
            raise ForgeError(f"仓库 “{repo}” 不是 OWNER/NAME 的形式（可用 --repo 或环境变量 GITHUB_REPOSITORY 指定）。")
        scheme = urllib.parse.urlsplit(api).scheme
        if scheme not in ("https", "http"):
            raise ForgeError(f"代码托管平台的接口地址 “{api}” 应以 https:// 开头（本机测试可用 http://127.0.0.1）。")
        self.api = api.rstrip("/")
        self.repo = repo
        self._token = token
        self._open = opener or (lambda request, timeout: urllib.request.urlopen(request, timeout=timeout))  # http(s) only: checked above
        self.sent: list[Call] = []

    def request(self, method: str, path: str, payload: dict[str, Any] | None = None) -> Any:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8") if payload is not None else None
        request = urllib.request.Request(f"{self.api}{path}", data=data, method=method)
        request.add_header("Accept", "application/vnd.github+json")
        request.add_header("X-GitHub-Api-Version", "2022-11-28")
        request.add_header("User-Agent", USER_AGENT)
        if data is not None:
            request.add_header("Content-Type", "application/json; charset=utf-8")
        if self._token:
            request.add_header("Authorization", f"Bearer {self._token}")
        try:
            with self._open(request, 30) as response:
                raw = response.read()
        except urllib.error.HTTPError as err:
            detail = _message(err.read())
            raise ForgeError(f"{method} {urllib.parse.unquote(path)} 失败：HTTP {err.code}{('：' + detail) if detail else ''}{_hint(err.code)}") from None
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", err)
            raise ForgeError(f"{method} {urllib.parse.unquote(path)} 失败：无法连接 {urllib.parse.urlsplit(self.api).netloc}（{reason}）") from None
        return json.loads(raw) if raw else None

    def issues(self, label: str = LABEL) -> list[Issue]:
        """Every issue (open or closed, pull requests left out) with the label."""
        found: list[Issue] = []
        for page in range(1, 1000):
            query = urllib.parse.urlencode({"labels": label, "state": "all", "per_page": PAGE, "page": page})
            batch = self.request("GET", f"/repos/{self.repo}/issues?{query}") or []
            found += [Issue(i["number"], i.get("title") or "", i.get("body") or "", i.get("state") or "open") for i in batch if "pull_request" not in i]
            if len(batch) < PAGE:
                break
        return found

    def ensure_label(self) -> Call | None:
        """The label exists (created when missing): without it an issue could not be found again."""
        try:
            self.request("GET", f"/repos/{self.repo}/labels/{urllib.parse.quote(LABEL)}")
            return None
        except ForgeError as err:
            if "HTTP 404" not in str(err):
                raise
        call = Call("POST", f"/repos/{self.repo}/labels", {"name": LABEL, "color": LABEL_COLOR, "description": LABEL_DESCRIPTION}, f"新建标签 {LABEL}")
        self.send(call)
        return call

    def send(self, call: Call) -> Any:
        answer = self.request(call.method, call.path, call.body)
        self.sent.append(call)
        if call.method == "POST" and call.path.endswith("/issues") and call.body and call.body.get("labels"):
            labels = [lab.get("name") if isinstance(lab, dict) else lab for lab in (answer or {}).get("labels", [])]
            if LABEL not in labels:
                number = (answer or {}).get("number", "?")
                raise ForgeError(f"新建的议题 #{number} 没有带上标签 “{LABEL}”（令牌可能没有设置标签的权限）：没有标签，下次运行找不到它，会重复新建；已停止。")
        return answer


def _message(raw: bytes) -> str:
    try:
        answer = json.loads(raw)
    except ValueError:
        return ""
    return str(answer.get("message", ""))[:300] if isinstance(answer, dict) else ""


def _hint(code: int) -> str:
    if code in (401, 403):
        return "（请检查 GITHUB_TOKEN：工作流中需要 permissions: issues: write）"
    if code == 404:
        return "（仓库不存在，或令牌无权访问）"
    return ""


def run(forge: Forge, found: Reminders, dry_run: bool, say: Callable[[str], None], only: str | None = None) -> Plan:
    """Read the issues, plan, and (unless dry_run) send each call, saying each one as it goes."""
    say(f"GET /repos/{forge.repo}/issues?labels={LABEL}&state=all  读取带 “{LABEL}” 标签的议题")
    issues = forge.issues()
    result = plan(found, issues, forge.repo, only)
    creates = any(c.method == "POST" and c.path.endswith("/issues") for c in result.calls)
    if dry_run:
        for call in result.calls:
            say(f"（试运行，未发送）{call.line()}")
            if call.body is not None:
                say(json.dumps(call.body, ensure_ascii=False))
        return result
    if creates:
        made = forge.ensure_label()
        if made is not None:
            say(made.line())
    for call in result.calls:
        say(call.line())
        answer = forge.send(call)
        if call.method == "POST" and call.path.endswith("/issues") and isinstance(answer, dict) and "number" in answer:
            result.issues[call.unit] = int(answer["number"])
    return result


def summary(result: Plan, found: Reminders, dry_run: bool) -> str:
    """The run's summary (Markdown, for $GITHUB_STEP_SUMMARY): per unit what happened, by unit id."""
    lines = [f"## 催办提醒（截至 {found.today.isoformat()}）{'：试运行，未修改议题' if dry_run else ''}", ""]
    if not result.outcome:
        lines.append("没有需要提醒的单位，也没有需要关闭的催办议题。")
    else:
        lines += ["| 单位 | 议题 | 本次 |", "|---|---|---|"]
        for unit in sorted(result.outcome):
            number = result.issues.get(unit)
            lines.append(f"| {text(result.names.get(unit, unit))}（`{unit}`） | {f'#{number}' if number else '—'} | {result.outcome[unit]} |")
    if found.unassigned:
        lines += ["", f"另有 {len(found.unassigned)} 项事项的来源没有写明牵头单位，无法提醒到单位（见 `liandong remind` 的输出）。"]
    if not found.site_url:
        lines += ["", no_site_note()]
    return "\n".join(lines) + "\n"


# GitHub disables a scheduled workflow of a public repository after 60 days without activity in it
# (a commit is activity; the issues this job edits are not counted on). From KEEPALIVE_WARN_DAYS on
# the job says so, in its summary and as a warning annotation.
SCHEDULE_DISABLED_AFTER_DAYS = 60
KEEPALIVE_WARN_DAYS = 45
KEEPALIVE_HOW = (
    "向默认分支提交任何修改（例如补报一条进度）即重新计时；已被停用的，在 Actions 页面分别打开“催办提醒”和“每日重新生成网站”，"
    "点击 Enable workflow 重新启用（GitHub 停用前会给仓库管理员发邮件）。"
)


def keepalive(last: datetime.datetime | None, today: datetime.date) -> tuple[str, bool]:
    """What the summary says about the schedules staying alive, and whether it is a warning."""
    limit = SCHEDULE_DISABLED_AFTER_DAYS
    if last is None:
        return f"定时工作流：公开仓库连续 {limit} 天没有活动时，GitHub 会停用其中的定时任务。{KEEPALIVE_HOW}", False
    quiet = (today - last.astimezone(ZONE).date()).days
    said = f"仓库最近一次提交在 {last.astimezone(ZONE).date().isoformat()}（{quiet} 天前）。"
    if quiet >= KEEPALIVE_WARN_DAYS:
        left = max(limit - quiet, 0)
        when = f"再过 {left} 天" if left else "现在"
        return f"注意：{said}公开仓库连续 {limit} 天没有活动，GitHub 会停用定时工作流，{when}本提醒和每日网站更新将停止运行。{KEEPALIVE_HOW}", True
    return f"定时工作流：{said}公开仓库连续 {limit} 天没有活动时，GitHub 会停用其中的定时任务。{KEEPALIVE_HOW}", False
