"""Links from commits to the forge's web pages, derived from the clone URL of `origin`."""

from __future__ import annotations

import re
import urllib.parse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import git


def origin_url(repo: git.Repo) -> str | None:
    try:
        return str(repo.remotes["origin"].url)
    except (IndexError, KeyError, ValueError, AttributeError):
        return None
    except Exception:
        return None


_SCP_LIKE = re.compile(r"^(?:[^@/:]+@)?(?P<host>[A-Za-z0-9.-]+\.[A-Za-z]{2,}):(?P<path>[^/].*)$")
_SEGMENT = re.compile(r"^[A-Za-z0-9._~-]+$")


def commit_url_template(url: str | None) -> str | None:
    """A web link template for commits from a clone URL: https://host/owner/repo(.git),
    ssh://git@host[:port]/owner/repo.git or git@host:owner/repo.git → https://host/owner/repo/commit/{sha}
    (GitHub, Gitee and the like; GitLab hosts get /-/commit/). Credentials in the URL are dropped.
    Local paths and anything unusual give None: no link is better than a wrong one."""
    if not url:
        return None
    url = url.strip()
    scheme = "https"
    if "://" in url:
        try:
            parts = urllib.parse.urlsplit(url)
            host = parts.hostname
        except ValueError:
            return None
        if parts.scheme not in ("https", "http", "ssh", "git", "git+ssh", "ssh+git") or not host or parts.query or parts.fragment:
            return None
        if parts.scheme == "http":
            scheme = "http"
        path = parts.path
    else:
        match = _SCP_LIKE.match(url)
        if not match:
            return None
        host, path = match["host"], match["path"]
    host = host.lower()
    if "." not in host and host != "localhost":
        return None
    path = path.strip("/").removesuffix(".git").removesuffix("/")
    segments = path.split("/")
    if len(segments) < 2 or not all(_SEGMENT.match(s) and s not in (".", "..") for s in segments):
        return None
    commit = "-/commit" if "gitlab" in host else "commit"
    return f"{scheme}://{host}/{'/'.join(segments)}/{commit}/{{sha}}"
