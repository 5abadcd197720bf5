"""How the site prints a clause: 三(一)2 as citations print it (三（一）2), and a clause cited the
usual way (《关于…的实施意见》三（一）2). The registry stores numbers as typed; pages print them so.
Legal numbering (第六条第二款, model/clauses.py) prints as written."""

from __future__ import annotations

from liandong.model import clauses


def clause_number(number: str) -> str:
    """A clause number as citations print it: outline numbering with full-width brackets, 三(一)2 →
    三（一）2; legal numbering as written, 第六条第(一)项. Also a number followed by its heading
    (三(一)2 明确园区管理权限), as the timeline and the chains label a clause."""
    if clauses.style(number.split(" ", 1)[0]) == "legal":
        return number
    return number.replace("(", "（").replace(")", "）")


def citation(document_title: str, number: str) -> str:
    """A clause cited the usual way: 《关于…的实施意见》三（一）2, 《…条例》第六条第二款."""
    return f"《{document_title}》{clause_number(number)}"
