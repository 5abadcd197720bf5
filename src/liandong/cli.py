"""Command line: wiring only. Exit 0 clean, 1 findings, 2 usage or setup error (errors.py says
which failure exits how; diagnostics.exit_code what findings mean); no tracebacks unless
--traceback is given."""

from __future__ import annotations

import datetime
import functools
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from liandong.diagnostics import Diagnostic, exit_code
from liandong.errors import LiandongError, SetupError, UsageError
from liandong.repo import find_root

if TYPE_CHECKING:
    from liandong.scaffold import Question


def _fail(err: LiandongError) -> NoReturn:
    """A LiandongError's Chinese message alone on stderr, then its exit code."""
    click.echo(str(err), err=True)
    sys.exit(err.exit_code)


def _finish(diagnostics: list[Diagnostic]) -> None:
    sys.exit(exit_code(diagnostics))


def _root(option: str | None) -> Path:
    start = Path(option) if option else Path.cwd()
    root = find_root(start.resolve())
    if root is None:
        raise SetupError(f"在 {start} 及其上级目录中找不到同时包含 registry/ 和 schemas/ 的仓库；请在仓库中运行，或用 --root 指定。")
    return root


def _guarded(func: Callable[..., Any]) -> Callable[..., Any]:
    """LiandongErrors as their message and exit code; anything else (a bug) as one Chinese line
    and exit 2, with the traceback only when --traceback is given."""

    @click.option("--traceback", "show_traceback", is_flag=True, help="出错时显示 Python 调用栈（调试用）。")
    @functools.wraps(func)
    def wrapper(*args: Any, show_traceback: bool, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except UsageError as err:  # with the command's usage, as click shows its own
            raise click.UsageError(str(err)) from err
        except LiandongError as err:
            if show_traceback:
                traceback.print_exc()
            _fail(err)
        except Exception as err:
            if show_traceback:
                traceback.print_exc()
            bug = SetupError(f"内部错误：{type(err).__name__}: {err}（加 --traceback 查看详情，并请报告此问题）")
            _fail(bug)

    return wrapper


# validate and check-changes report findings the same three ways (reporters.REPORTERS).
_format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github", "json"]),
    default="text",
    show_default=True,
    help="输出格式：text 供人阅读，github 生成拉取请求注释，json 供程序读取。",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="liandong")
def main() -> None:
    """联动（Liandong）：协同工作登记册的校验与发布工具。"""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@_format_option
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="作为“今天”的日期，进度等记录不能晚于它（默认取 SOURCE_DATE_EPOCH，否则取北京时间当前日期）。")
@click.option("--root", type=click.Path(file_okay=False, exists=True), help="仓库根目录（默认从当前目录向上查找）。")
@_guarded
def validate(paths: tuple[Path, ...], fmt: str, today: datetime.datetime | None, root: str | None) -> None:
    """校验登记册：YAML 写法、模式、跨记录规则和公开安全。只报告 PATHS 中的问题（默认全部）。"""
    from liandong.reporters import REPORTERS
    from liandong.validation.pipeline import validate as run
    from liandong.validation.pipeline import within

    repo = _root(root)
    prefixes = []
    for path in paths:
        resolved = path.resolve()
        if not resolved.is_relative_to(repo / "registry"):
            raise click.UsageError(f"{path} 不在登记册目录 {repo / 'registry'} 中")
        prefixes.append(resolved.relative_to(repo).as_posix())
    result = run(repo, today=_today(today))
    found = within(result.diagnostics, prefixes)
    sys.stdout.write(REPORTERS[fmt](found))
    errors = sum(d.severity == "error" for d in found)
    warnings = len(found) - errors
    counts = "、".join(f"{result.schemas.types[t].title} {n}" for t, n in sorted(result.counts().items()))
    click.echo(f"已检查 {result.file_count} 个记录文件（{counts}）：{errors} 个错误，{warnings} 个警告。", err=True)
    _finish(found)


@main.command()
@click.argument("type_name", metavar="TYPE")
@click.option("--title", help="记录的名称（在终端中省略时会询问）。")
@click.option(
    "--set",
    "settings",
    multiple=True,
    metavar="字段=值",
    help="填写一个字段，可重复；点号表示下级字段，逗号分隔列表，例如 --set lead=org-a,org-b --set source.document=doc-x。",
)
@click.option("--id", "record_id", help="指定编号（默认取该类型的下一个可用编号）。")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="作为“今天”的日期，用于默认日期（YYYY-MM-DD）。")
@click.option("--root", type=click.Path(file_okay=False, exists=True), help="仓库根目录（默认从当前目录向上查找）。")
@_guarded
def new(type_name: str, title: str | None, settings: tuple[str, ...], record_id: str | None, today: datetime.datetime | None, root: str | None) -> None:
    """新建一条 TYPE 类型的记录（organizations、tasks 等），写入前先校验，不合格不写。
    在终端中运行时，会询问名称和其他无法自动填写的必填字段。"""
    from liandong.reporters import text
    from liandong.scaffold import scaffold, write_new
    from liandong.validation.schema import SchemaSet

    interactive = _interactive()
    if title is None and not interactive:
        raise click.UsageError('缺少 --title：非交互运行时请用 --title "名称" 给出记录名称（在终端中运行时会询问）。')
    repo = _root(root)
    schemas = SchemaSet.for_root(repo)
    made = scaffold(
        repo, schemas, type_name, title, list(settings), record_id, (today or datetime.datetime.now()).date(), ask=_ask_in_terminal if interactive else None
    )
    if exit_code(made.diagnostics):
        sys.stdout.write(text(made.diagnostics))
        click.echo(f"未写入 {made.path}：请用 --set 补全上面列出的字段后重试。", err=True)
        _finish(made.diagnostics)
    try:
        write_new(repo, made)
    except FileExistsError:
        raise SetupError(f"{made.path} 已经存在，未覆盖。") from None
    click.echo(made.path)
    if made.elsewhere:
        click.echo(f"已写入 {made.path}；其他文件还需相应修改（在同一个拉取请求中一并提交）：", err=True)
        click.echo(text(made.elsewhere), err=True, nl=False)


def _ask_in_terminal(question: Question, complaint: str) -> str:
    """The `Ask` of `liandong new` at a terminal: prompts on stderr, so stdout keeps only the path."""
    if complaint:
        click.echo(f"  {complaint}", err=True)
    else:
        click.echo(f"{question.label}（{question.key}）：{question.help}", err=True)
        if question.choices:
            click.echo("  可选：" + "、".join(f"{code}（{label}）" for code, label in question.choices.items()), err=True)
    what = question.key + ("，可留空" if question.optional else "")
    return str(click.prompt(f"  {what}", default="" if question.optional else None, show_default=False, err=True))


def _interactive() -> bool:
    """Ask questions only of a person at a terminal, never of a script or CI."""
    return sys.stdin.isatty()


def _today(option: datetime.datetime | None) -> datetime.date:
    from liandong.model.today import resolve_today

    try:
        return resolve_today(option.date() if option else None)
    except ValueError as err:
        raise click.UsageError(str(err)) from err


@main.command()
@click.option("--internal", is_flag=True, help="生成包含内部记录的工作人员版本（标注“内部”），默认输出到 public-internal/。")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="输出目录（默认 public/）；必须不存在、为空，或是以前生成的网站（生成时整体替换）。")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="作为“今天”的日期（默认取 SOURCE_DATE_EPOCH，否则取当前日期）。")
@click.option("--root", type=click.Path(file_okay=False, exists=True), help="仓库根目录（默认从当前目录向上查找）。")
@click.option(
    "--shard",
    metavar="K/N",
    help="只生成共 N 片中第 K 片的记录页面和它的搜索索引（记录按类型、再按编号分成 N 段），默认输出到 public-shard-K/；多台机器分担，再用 --merge 合并。",
)
@click.option(
    "--merge",
    "merge",
    multiple=True,
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    metavar="DIR",
    help="把 --shard 生成的全部分片（每片一个 --merge DIR）与其他页面合并成完整网站；分片缺少、重复或不是同一版本的登记册生成的，不生成。",
)
@_guarded
def build(internal: bool, output: Path | None, today: datetime.datetime | None, root: str | None, shard: str | None, merge: tuple[Path, ...]) -> None:
    """校验登记册并生成网站；失败时保留上一次的输出不变。"""
    from liandong.site.build import build_site
    from liandong.site.shards import Shard

    if shard and merge:
        raise UsageError("--shard 和 --merge 不能同时使用：先分别生成各片，再合并。")
    part = Shard.parse(shard) if shard else None
    repo = _root(root)
    default = f"public-shard-{part.k}" if part else "public-internal" if internal else "public"
    target = output or repo / default
    result = build_site(repo, target, _today(today), internal=internal, shard=part, merge=list(merge))
    if result.warnings:  # validate's warnings do not stop a build, but they must not vanish either
        from liandong.reporters import text

        sys.stderr.write(text(result.warnings))
        click.echo(f"登记册有 {len(result.warnings)} 个警告（不影响生成，请检查）。", err=True)
    click.echo(f"已生成 {result.pages} 个页面到 {result.output}（用时 {result.seconds:.1f} 秒）。", err=True)
    if result.history_note:
        click.echo(f"注意：{result.history_note}", err=True)


@main.command()
@click.option("--internal", is_flag=True, help="预览包含内部记录的版本。")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="作为“今天”的日期。")
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="预览地址。")
@click.option("--root", type=click.Path(file_okay=False, exists=True), help="仓库根目录（默认从当前目录向上查找）。")
@_guarded
def serve(internal: bool, today: datetime.datetime | None, dev_addr: str, root: str | None) -> None:
    """本地预览网站：先完整生成一次，之后每次保存只重新生成受影响的页面并刷新浏览器；
    保存的内容有错误时，页面显示错误所在的文件、行号和说明，改正后自动恢复（预览不含搜索索引）。"""
    from liandong.site.build import serve_site

    serve_site(_root(root), _today(today), internal, dev_addr)


@main.command()
@click.option("--internal", is_flag=True, help="包含内部记录。")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "docx"]),
    default="markdown",
    show_default=True,
    help=(
        "输出格式：markdown 打印到标准输出（或写入 --output）；"
        "docx 生成 Word 督办通报（A4，可打印、可在 WPS 文字中修改），写入 --output，省略时写入当前目录的 report.docx。"
    ),
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="输出文件（已存在时替换）；docx 格式的扩展名应为 .docx。")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="作为“今天”的日期（默认取 SOURCE_DATE_EPOCH，否则取当前日期）。")
@click.option("--root", type=click.Path(file_okay=False, exists=True), help="仓库根目录（默认从当前目录向上查找）。")
@_guarded
def report(internal: bool, fmt: str, output: Path | None, today: datetime.datetime | None, root: str | None) -> None:
    """输出逾期任务和待上级答复事项的报告（与网站“报告”页相同）：默认以 Markdown 打印到标准输出，
    --format docx 生成 Word 督办通报。"""
    from liandong.repo import REGISTRY_DIR, SCHEMAS_DIR
    from liandong.site.pipeline import report as markdown_report
    from liandong.site.pipeline import report_document

    repo = _root(root)
    if fmt == "docx" and output is None:
        output = Path("report.docx")
    if output is not None:
        if fmt == "docx" and output.suffix.lower() != ".docx":
            raise click.UsageError(f"{output}：Word 文件的扩展名应为 .docx。")
        target = output.resolve()
        if any(target.is_relative_to(repo / folder) for folder in (REGISTRY_DIR, SCHEMAS_DIR)):
            raise click.UsageError(f"{output} 在 {REGISTRY_DIR}/ 或 {SCHEMAS_DIR}/ 中：请写到这两个目录以外。")
        if not target.parent.is_dir():
            raise SetupError(f"无法写入 {output}：目录 {output.parent} 不存在，请先创建它或换一个位置。")
    day = _today(today)
    if output is None:
        sys.stdout.write(markdown_report(repo, day, internal=internal))
        return
    from liandong.tabular.exporter import write_file

    data = report_document(repo, day, internal=internal) if fmt == "docx" else markdown_report(repo, day, internal=internal).encode("utf-8")
    try:
        write_file(target, data)
    except OSError as err:
        raise SetupError(f"无法写入 {output}：{err.strerror or err}。") from err
    what = "督办通报（Word）" if fmt == "docx" else "报告（Markdown）"
    click.echo(f"已把{what}写入 {output}。", err=True)


@main.command()
@click.option("--unit", "unit_id", metavar="ID", help="只处理这个单位（单位编号，例如 org-city-gov）。")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
    help="输出格式：markdown 供人阅读，json 供程序读取（同步议题或发消息时不用）。",
)
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="作为“今天”的日期（默认取 SOURCE_DATE_EPOCH，否则取北京时间当前日期）。")
@click.option("--site-url", metavar="URL", help="网站地址，每项链接到它在网站上的页面（默认取环境变量 LIANDONG_SITE_URL，否则取 mkdocs.yml 的 site_url）。")
@click.option(
    "--forge-api",
    metavar="URL",
    is_flag=False,
    flag_value="",
    default=None,
    help="把提醒同步为议题（每个单位一个“【催办】单位名称”）：GitHub REST 接口地址，只写 --forge-api 时取环境变量 GITHUB_API_URL；令牌取 GITHUB_TOKEN。",
)
@click.option("--repo", metavar="OWNER/NAME", help="议题所在的仓库（默认取环境变量 GITHUB_REPOSITORY）。")
@click.option(
    "--robot",
    type=click.Choice(["dingtalk", "wecom"]),
    help="把提醒发到钉钉或企业微信群机器人：地址取环境变量 LIANDONG_ROBOT_WEBHOOK，钉钉的加签密钥取 LIANDONG_ROBOT_SECRET。",
)
@click.option("--dry-run", is_flag=True, help="只列出将要调用的接口和内容（议题照常读取），不修改议题、不发消息。")
@click.option("--summary-file", type=click.Path(dir_okay=False, path_type=Path), help='把运行摘要（Markdown）追加到文件，例如 "$GITHUB_STEP_SUMMARY"。')
@click.option("--root", type=click.Path(file_okay=False, exists=True), help="仓库根目录（默认从当前目录向上查找）。")
@_guarded
def remind(
    unit_id: str | None,
    fmt: str,
    today: datetime.datetime | None,
    site_url: str | None,
    forge_api: str | None,
    repo: str | None,
    robot: str | None,
    dry_run: bool,
    summary_file: Path | None,
    root: str | None,
) -> None:
    """催办提醒：按牵头单位列出逾期、即将到期、未签收、长期无进展、待上级答复的事项，以及纪要未印发、未按期召开的会议，
    每项附网站上的说明和链接。只用公开记录；只陈述事实，不打分、不排名。默认输出到终端；--forge-api 同步为议题，--robot 发到群机器人。"""
    import os

    from liandong.remind import digest

    if dry_run and forge_api is None and robot is None:
        raise click.UsageError("--dry-run 只与 --forge-api 或 --robot 一起使用。")
    repo_root = _root(root)
    day = _today(today)
    model = digest.public_model(repo_root, day)
    if unit_id is not None and (model.get(unit_id) is None or model.items[unit_id].type != "organizations"):
        raise click.UsageError(f"没有编号为 “{unit_id}” 的公开单位记录。")
    found = digest.reminders(model, day, digest.site_url(repo_root, site_url))
    if unit_id is not None:
        found = digest.Reminders(found.today, found.site_url, [d for d in found.digests if d.unit_id == unit_id], [], found.windows)
    summary: list[str] = []
    if forge_api is not None:
        from liandong.remind import forge
        from liandong.repo import last_commit_date

        api = forge_api or os.environ.get("GITHUB_API_URL", "")
        if not api:
            raise click.UsageError("--forge-api 没有给出地址，环境变量 GITHUB_API_URL 也没有设置。")
        token = os.environ.get("GITHUB_TOKEN") or None
        if token is None and not dry_run:
            raise SetupError("缺少环境变量 GITHUB_TOKEN：同步议题需要有 issues: write 权限的令牌（试运行 --dry-run 可以不用）。")
        client = forge.Forge(api, repo or os.environ.get("GITHUB_REPOSITORY", ""), token)
        result = forge.run(client, found, dry_run, click.echo, only=unit_id)
        note, warn = forge.keepalive(last_commit_date(repo_root), day)
        if warn and os.environ.get("GITHUB_ACTIONS") == "true":
            click.echo(f"::warning title=定时工作流即将被停用::{note}")
        if warn:
            click.echo(note, err=True)
        summary.append(forge.summary(result, found, dry_run) + f"\n{note}\n")
        done = sum(o != "无变化" for o in result.outcome.values())
        click.echo(f"{'试运行：' if dry_run else ''}{len(result.outcome)} 个单位的催办议题，{done} 个{'将' if dry_run else '已'}修改。", err=True)
    if robot is not None:
        from liandong.remind import robots

        webhook = os.environ.get(robots.WEBHOOK_ENV, "")
        if not webhook and not dry_run:
            raise SetupError(f"缺少环境变量 {robots.WEBHOOK_ENV}（群机器人的 Webhook 地址）。")
        secret = os.environ.get(robots.SECRET_ENV, "")
        sent = robots.post(robots.ROBOTS[robot], webhook or "https://robot.invalid/", secret, found, dry_run=dry_run, say=click.echo)
        what = f"{robots.ROBOTS[robot].label}：{'试运行，将发送' if dry_run else '已发送'} {sent} 条消息"
        summary.append(f"{what}。\n")
        click.echo(what, err=True)
    if forge_api is None and robot is None:
        sys.stdout.write(digest.as_json(found) if fmt == "json" else digest.markdown(found))
        click.echo(f"截至 {day.isoformat()}：{len(found.digests)} 个单位有需要提醒的事项。", err=True)
    if summary_file is not None and summary:
        with summary_file.open("a", encoding="utf-8") as out:
            out.write("\n".join(summary))


@main.command("check-changes")
@click.option(
    "--base",
    "base_ref",
    required=True,
    metavar="REF",
    help="作为基准的 Git 分支、标签或提交，例如 main 或 origin/main（拉取请求的目标分支）；从本分支与它的分叉点比较。",
)
@_format_option
@click.option("--summary", "print_summary", is_flag=True, help="在检查结果之后，把变更摘要（Markdown）打印到标准输出。")
@click.option("--summary-file", type=click.Path(dir_okay=False, path_type=Path), help='把变更摘要（Markdown）追加到文件，例如 "$GITHUB_STEP_SUMMARY"。')
@click.option("--root", type=click.Path(file_okay=False, exists=True), help="仓库根目录（默认从当前目录向上查找）。")
@_guarded
def check_changes(base_ref: str, fmt: str, print_summary: bool, summary_file: Path | None, root: str | None) -> None:
    """按基准版本的规则检查本次修改：不删记录、不改编号和类型、状态按规定流转、改时限有延期记录、历史记录只增不改。
    公开记录改为内部、修改 schemas/ 中的规则给出警告。需要完整的 Git 历史（浅克隆时请先 git fetch --unshallow）。"""
    from liandong.changes.check import check_changes as run
    from liandong.changes.summary import summary
    from liandong.reporters import REPORTERS

    if print_summary and fmt == "json":
        raise click.UsageError("--summary 会把摘要混入 JSON 输出；请改用 --summary-file。")
    repo = _root(root)
    report = run(repo, base_ref)
    sys.stdout.write(REPORTERS[fmt](report.diagnostics))
    text = summary(report, base_ref)
    if print_summary:
        sys.stdout.write(("\n" if report.diagnostics else "") + text)
    if summary_file is not None:
        with summary_file.open("a", encoding="utf-8") as out:
            out.write(text)
    errors = sum(d.severity == "error" for d in report.diagnostics)
    c = report.comparison
    changed = sum(not p.unchanged for p in c.pairs)
    click.echo(
        f"与 {base_ref} 比较：新增 {len(c.added)}、修改 {changed}、删除 {len(c.deleted)} 条记录；{errors} 个错误，{len(report.diagnostics) - errors} 个警告。",
        err=True,
    )
    _finish(report.diagnostics)


@main.command()
@click.option("--check", "check_only", is_flag=True, help="只检查已提交的 .github/CODEOWNERS 是否与登记册一致，不一致时列出差异并以 1 退出（CI 使用）。")
@click.option("--write", "write_file", is_flag=True, help="生成并写入 .github/CODEOWNERS（默认行为）。")
@click.option("--root", type=click.Path(file_okay=False, exists=True), help="仓库根目录（默认从当前目录向上查找）。")
@_guarded
def codeowners(check_only: bool, write_file: bool, root: str | None) -> None:
    """根据登记册生成 .github/CODEOWNERS：每条记录由其牵头或负责单位的审核团队（reviewer_team）审核。"""
    from liandong.codeowners import CODEOWNERS_PATH, compare, generate, write

    if check_only and write_file:
        raise click.UsageError("--check 与 --write 不能同时使用。")
    repo = _root(root)
    expected = generate(repo)
    if not check_only:
        click.echo(f"已写入 {write(repo, expected)}", err=True)
        return
    difference = compare(repo, expected)
    if difference is None:
        click.echo(f"{repo / CODEOWNERS_PATH} 与登记册一致。", err=True)
        return
    sys.stdout.write(difference.diff)
    what = "不存在" if difference.committed is None else "与登记册不一致（差异见上）"
    click.echo(f"{repo / CODEOWNERS_PATH} {what}：请运行 liandong codeowners 重新生成并提交。", err=True)
    sys.exit(1)


@main.command("editor-keywords")
@click.option("--check", "check_only", is_flag=True, help="只检查，不写入：有模式文件需要重新生成时列出它们并以 1 退出（CI 使用）。")
@click.option("--root", type=click.Path(file_okay=False, exists=True), help="仓库根目录（默认从当前目录向上查找）。")
@_guarded
def editor_keywords(check_only: bool, root: str | None) -> None:
    """在 schemas/ 中写入只供编辑器读取的关键字：每个取值的中文名称（markdownEnumDescriptions，取自 x-enum-labels）和每种记录缺少必填字段时的中文提示。
    修改模式中的取值名称或必填字段后运行一次并一起提交。"""
    from liandong.repo import SCHEMAS_DIR
    from liandong.validation.editor import changes, write

    found = changes(_root(root) / SCHEMAS_DIR)
    if not found:
        click.echo("模式文件中编辑器用的关键字都是最新的。", err=True)
        return
    if check_only:
        for change in found:
            click.echo(f"{change.file}：编辑器用的关键字需要重新生成", err=True)
        click.echo("请运行 liandong editor-keywords 并提交修改后的模式文件。", err=True)
        sys.exit(1)
    write(found)
    for change in found:
        click.echo(f"已更新 {change.file}", err=True)


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--type", "type_name", required=True, metavar="TYPE", help="表中记录的类型，例如 powers、tasks。")
@click.option("--sheet", help="要导入的工作表（默认：与类型同名的工作表，否则第一张可见的工作表）。")
@click.option("--dry-run", is_flag=True, help="只显示将新增和修改哪些记录（变更摘要），不写入文件。")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="作为“今天”的日期，进度等记录不能晚于它（默认取 SOURCE_DATE_EPOCH，否则取北京时间当前日期）。")
@click.option("--root", type=click.Path(file_okay=False, exists=True), help="仓库根目录（默认从当前目录向上查找）。")
@_guarded
def import_(file: Path, type_name: str, sheet: str | None, dry_run: bool, today: datetime.datetime | None, root: str | None) -> None:
    """从电子表格（.xlsx，或 UTF-8 编码的 .csv）导入 TYPE 类型的记录：没有编号的行新建记录，有编号的行修改该记录（只改表中填写的列）。
    表头为字段的中文名称或英文代码（liandong export --template 生成模板）。先与整个登记册一起校验，有一个错误就什么都不写，
    问题逐条列出为 文件!工作表:行:列。"""
    from liandong.reporters import text
    from liandong.tabular.importer import apply, plan_import

    repo = _root(root)
    plan = plan_import(repo, type_name, file, str(file), sheet, _today(today))
    sys.stdout.write(text(plan.diagnostics))
    warnings = len(plan.diagnostics) - plan.errors
    title = plan.schemas.types[type_name].title
    counts = f"新增 {len(plan.added)} 条、修改 {len(plan.changed)} 条{title}，{plan.unchanged} 行没有变化"
    if plan.errors:
        click.echo(f"{plan.sheet.where}：{plan.errors} 个错误，{warnings} 个警告；未写入任何文件。", err=True)
        _finish(plan.diagnostics)
    if dry_run:
        from liandong.changes.check import ChangeReport
        from liandong.changes.summary import summary

        report = ChangeReport(plan.schemas, plan.comparison(), plan.diagnostics)
        sys.stdout.write(("\n" if plan.diagnostics else "") + summary(report, "当前登记册"))
        click.echo(f"试运行（--dry-run）：将{counts}；{warnings} 个警告；未写入任何文件。", err=True)
        _finish(plan.diagnostics)
    for path in apply(repo, plan):
        click.echo(path)
    click.echo(f"已从 {plan.sheet.where} 导入：{counts}；{warnings} 个警告。", err=True)


@main.command()
@click.option("--type", "type_name", required=True, metavar="TYPE", help="导出的记录类型，例如 powers、tasks。")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path), help="输出的 .xlsx 文件（已存在时替换）。")
@click.option("--template", is_flag=True, help="导出空白模板：表头、填写说明行和可选值下拉列表，不含记录。")
@click.option("--internal", is_flag=True, help="包含内部记录（默认只导出公开记录）。")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="计算逾期天数所用的“今天”（默认取 SOURCE_DATE_EPOCH，否则取北京时间当前日期）。")
@click.option("--root", type=click.Path(file_okay=False, exists=True), help="仓库根目录（默认从当前目录向上查找）。")
@_guarded
def export(type_name: str, output: Path, template: bool, internal: bool, today: datetime.datetime | None, root: str | None) -> None:
    """把 TYPE 类型的记录导出为 Excel 台账（.xlsx）：中文表头、中文取值、单位名称，督办任务和协调事项另有逾期天数和状态说明。
    导出的表修改后可用 liandong import 导回；--template 导出空白模板。"""
    from liandong.repo import REGISTRY_DIR, SCHEMAS_DIR
    from liandong.tabular.exporter import export_workbook, template_workbook, write_file
    from liandong.validation.schema import SchemaSet

    repo = _root(root)
    if output.suffix.lower() != ".xlsx":
        raise click.UsageError(f"{output}：输出文件的扩展名应为 .xlsx。")
    target = output.resolve()
    if any(target.is_relative_to(repo / folder) for folder in (REGISTRY_DIR, SCHEMAS_DIR)):
        raise click.UsageError(f"{output} 在 {REGISTRY_DIR}/ 或 {SCHEMAS_DIR}/ 中：请导出到这两个目录以外。")
    schemas = SchemaSet.for_root(repo)
    if type_name not in schemas.types:
        raise click.UsageError(f"没有记录类型 “{type_name}”；可用类型：{'、'.join(f'{n}（{t.title}）' for n, t in schemas.types.items())}")
    title = schemas.types[type_name].title
    if template:
        write_file(output, template_workbook(schemas, type_name))
        click.echo(f"已把{title}的模板写入 {output}。", err=True)
        return
    from liandong.model.model import Model
    from liandong.reporters import text
    from liandong.tabular.names import NameIndex
    from liandong.validation.pipeline import validate as run

    day = _today(today)
    result = run(repo, schemas, today=day)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors:
        sys.stdout.write(text(errors))
        click.echo(f"登记册有 {len(errors)} 个错误，未导出：请先改正（liandong validate 列出全部问题）。", err=True)
        _finish(errors)
    full = Model.build(schemas, result.valid)
    model = full if internal else full.public()
    write_file(output, export_workbook(model, type_name, day, NameIndex(schemas, result.records)))
    click.echo(f"已把 {len(model.of_type(type_name))} 条{title}导出到 {output}。", err=True)
