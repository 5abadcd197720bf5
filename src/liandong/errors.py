"""The failures a user can act on. Each carries its message in Chinese and the exit code the
command line ends with: 1 when the registry (or the site built from it) has errors, 2 when the
command cannot run at all (its setup or its arguments). Anything else is a bug: the command line
says so in one line and shows the traceback only with --traceback."""

from __future__ import annotations

from liandong.diagnostics import Diagnostic


class LiandongError(Exception):
    exit_code = 2


class SetupError(LiandongError):
    """The command cannot run here: no repository, unreadable schemas, an unknown base ref…"""


class UsageError(LiandongError):
    """The command was given something it cannot use (a field that does not exist, a bad value)."""


class RegistryHasErrors(LiandongError):
    """The registry has errors, so nothing is built; the message lists them as `path:line:col: …`."""

    exit_code = 1

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        from liandong.reporters import text

        self.diagnostics = diagnostics
        super().__init__(f"登记册有 {len(diagnostics)} 个错误，未生成网站：\n{text(diagnostics)}")


class SiteBuildFailed(LiandongError):
    """The site could not be built; the previous output is untouched (and the message says so)."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(f"{message}\n网站未更新：上一次生成的内容保持不变。")


class OutputRefused(SetupError):
    """The output folder is not one a build may replace; nothing was built or changed."""
