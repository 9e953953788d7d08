"""Word and word-prefix search over the public program (no database access).

A query matches a text when every query word is the beginning of some word of the text:
``"rust"`` finds "Rust" and "Rustaceans" but not "Trustable". Matching ignores case
(Unicode case folding) and accents (NFKD decomposition without combining marks), so
``"jose"`` finds "José" and ``"STRASSE"`` finds "Straße". Words are runs of Unicode letters
and digits (``\\w``); punctuation separates words, so ``"c++"`` searches for ``"c"``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """``text`` case-folded with accents removed (NFKD, combining marks dropped)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order (``"Ünïcode-Rust 2"`` gives
    ``["unicode", "rust", "2"]``)."""
    return _WORD.findall(fold(text))


def searchable(*texts: str) -> str:
    """One string holding the folded words of ``texts``, each preceded by a space, for
    :func:`matches` (build it once per item, match it against many queries)."""
    return "".join(" " + word for text in texts for word in words(text))


def matches(query_words: list[str], haystack: str) -> bool:
    """True when every word of ``query_words`` (from :func:`words`) starts a word of
    ``haystack`` (from :func:`searchable`); False for no query words."""
    return bool(query_words) and all(" " + word in haystack for word in query_words)
