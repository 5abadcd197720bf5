"""Command line: wiring only. Exit 0 clean, 1 findings, 2 usage or setup error; no tracebacks
unless --traceback is given."""

from __future__ import annotations

import datetime
import functools
import sys
import traceback
from pathlib import Path
from typing import Any, Callable

import click

from .registry import find_root


class SetupError(click.ClickException):
    exit_code = 2


def _root(option: str | None) -> Path:
    start = Path(option) if option else Path.cwd()
    root = find_root(start.resolve())
    if root is None:
        raise SetupError(f"在 {start} 及其上级目录中找不到同时包含 registry/ 和 schemas/ 的仓库；请在仓库中运行，或用 --root 指定。")
    return root


def _guarded(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn unexpected exceptions into one Chinese line and exit 2, unless --traceback."""

    @click.option("--traceback", "show_traceback", is_flag=True, help="出错时显示 Python 调用栈（调试用）。")
    @functools.wraps(func)
    def wrapper(*args: Any, show_traceback: bool, **kwargs: Any) -> Any:
        from .schema import SchemaSetupError

        try:
            return func(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except SchemaSetupError as err:
            if show_traceback:
                traceback.print_exc()
            raise SetupError(str(err)) from err
        except Exception as err:  # noqa: BLE001 - the edge of the program
            if show_traceback:
                traceback.print_exc()
            raise SetupError(f"内部错误：{type(err).__name__}: {err}（加 --traceback 查看详情，并请报告此问题）") from err

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="liandong")
def main() -> None:
    """联动（Liandong）：跨合区与东兴市协同工作登记册的校验与发布工具。"""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text", show_default=True,
              help="输出格式：text 供人阅读，github 生成拉取请求注释，json 供程序读取。")
@click.option("--root", type=click.Path(file_okay=False, exists=True), help="仓库根目录（默认从当前目录向上查找）。")
@_guarded
def validate(paths: tuple[Path, ...], fmt: str, root: str | None) -> None:
    """校验登记册：YAML 写法、模式、跨记录规则和公开安全。只报告 PATHS 中的问题（默认全部）。"""
    from .reporters import REPORTERS
    from .validate import validate as run, within

    repo = _root(root)
    prefixes = []
    for path in paths:
        resolved = path.resolve()
        if not resolved.is_relative_to(repo / "registry"):
            raise click.UsageError(f"{path} 不在登记册目录 {repo / 'registry'} 中")
        prefixes.append(resolved.relative_to(repo).as_posix())
    result = run(repo)
    found = within(result.diagnostics, prefixes)
    sys.stdout.write(REPORTERS[fmt](found))
    errors = sum(d.severity == "error" for d in found)
    warnings = len(found) - errors
    counts = "、".join(f"{result.schemas.types[t].title} {n}" for t, n in sorted(result.counts().items()))
    click.echo(f"已检查 {result.file_count} 个记录文件（{counts}）：{errors} 个错误，{warnings} 个警告。", err=True)
    sys.exit(1 if errors else 0)


@main.command()
@click.argument("type_name", metavar="TYPE")
@click.option("--title", required=True, help="记录的名称。")
@click.option("--set", "settings", multiple=True, metavar="字段=值",
              help="填写一个字段，可重复；点号表示下级字段，逗号分隔列表，例如 --set lead=org-a,org-b --set source.document=doc-x。")
@click.option("--id", "record_id", help="指定编号（默认取该类型的下一个可用编号）。")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="作为“今天”的日期，用于默认日期（YYYY-MM-DD）。")
@click.option("--root", type=click.Path(file_okay=False, exists=True), help="仓库根目录（默认从当前目录向上查找）。")
@_guarded
def new(type_name: str, title: str, settings: tuple[str, ...], record_id: str | None,
        today: datetime.datetime | None, root: str | None) -> None:
    """新建一条 TYPE 类型的记录（organizations、tasks 等），写入前先校验，不合格不写。"""
    from .new import UsageError, scaffold, write_new
    from .reporters import text
    from .schema import SchemaSet

    repo = _root(root)
    schemas = SchemaSet(repo / "schemas")
    try:
        made = scaffold(repo, schemas, type_name, title, list(settings), record_id, (today or datetime.datetime.now()).date())
    except UsageError as err:
        raise click.UsageError(str(err)) from err
    if any(d.severity == "error" for d in made.diagnostics):
        sys.stdout.write(text(made.diagnostics))
        click.echo(f"未写入 {made.path}：请用 --set 补全上面列出的字段后重试。", err=True)
        sys.exit(1)
    try:
        write_new(repo, made)
    except FileExistsError:
        raise SetupError(f"{made.path} 已经存在，未覆盖。") from None
    click.echo(made.path)
