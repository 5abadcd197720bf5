"""How the site prints a clause: 三(一)2 as citations print it (三（一）2), and a clause cited the
usual way (《关于…的实施意见》三（一）2). The registry stores numbers as typed; pages print them so."""

from __future__ import annotations


def clause_number(number: str) -> str:
    """A clause number as citations print it, with full-width brackets: 三(一)2 → 三（一）2."""
    return number.replace("(", "（").replace(")", "）")


def citation(document_title: str, number: str) -> str:
    """A clause cited the usual way: 《关于…的实施意见》三（一）2."""
    return f"《{document_title}》{clause_number(number)}"
