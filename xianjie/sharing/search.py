"""Chinese full-text search of shared items and typical cases (第十一条, 第十二条).

Chinese has no spaces between words, so text is segmented by jieba. Each searchable row keeps
its terms in `search_text` as " 词1 词2 … " — one space on both sides of every term — and a
query matches when every one of its terms occurs as " 词 ". That is a plain `LIKE '% 词 %'`,
which SQLite and PostgreSQL answer alike, with no search extension to install on a county's
server.

The same characters can be segmented differently in a text and in a query: "评查问责" is cut
评 / 查问 / 责 (查问 is a dictionary word), so the word 问责 is not among its words. The index
therefore holds, besides jieba's search-mode words (which carry Latin words and numbers), every
Chinese character and every pair of neighbouring Chinese characters; a query is cut into words
by jieba, and a Chinese word is looked for as its pairs of characters (a single character as
itself). A query finds a text when each of its words is in it, wherever they are.

Search is only ever a filter on a queryset already restricted to what the user may open
(`restrict(user, "view")`), so neither the results nor their count reveal anything else.
"""

from __future__ import annotations

import logging
import re
import tempfile
import threading
import unicodedata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Q

#: A query is cut to this many distinct words, which bounds the SQL it becomes.
MAX_QUERY_WORDS = 16

#: Runs of Chinese characters (CJK unified ideographs, extension A, compatibility ideographs).
_HANZI = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

_lock = threading.Lock()
_tokenizer: Any = None


def _cache_dir() -> str:
    """jieba keeps its parsed dictionary (a few MB) as a cache file; it belongs in the data
    directory, never in whatever the current directory happens to be."""
    path = Path(settings.DATA_DIR) / "cache"
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return tempfile.gettempdir()
    return str(path)


def tokenizer() -> Any:
    """The one jieba tokenizer of the process, loaded on first use. Loading takes about a
    second, so it happens once, under a lock; afterwards segmenting only reads it."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                # jieba reports its dictionary loading on stderr at DEBUG level.
                jieba.setLogLevel(logging.WARNING)
                loaded = jieba.Tokenizer()
                loaded.tmp_dir = _cache_dir()
                loaded.initialize()
                _tokenizer = loaded
    return _tokenizer


def _clean(text: str) -> str:
    # Full-width letters and digits (ＡＢＣ１２) become ordinary ones; case never matters.
    return unicodedata.normalize("NFKC", text).lower()


def _keep(word: str) -> bool:
    """Words worth indexing or looking for: not blanks or punctuation, not a lone Latin
    letter (a stray "a" or "x" would match nearly everything)."""
    if not any(char.isalnum() for char in word):
        return False
    return not (len(word) == 1 and word.isascii() and word.isalpha())


def _words(pieces: Any) -> list[str]:
    seen: dict[str, None] = {}
    for piece in pieces:
        word = piece.strip()
        if word and _keep(word):
            seen.setdefault(word, None)
    return list(seen)


def segment(text: str) -> list[str]:
    """The words of `text` as jieba cuts them (statistical segmentation), cleaned and
    deduplicated in order of appearance — for callers that want words, not a search."""
    return _words(tokenizer().cut(_clean(text or "")))


def index_words(*parts: str) -> list[str]:
    """Every term under which `parts` can be found (see the module docstring)."""
    text = _clean("\n".join(part for part in parts if part))
    terms = list(tokenizer().cut_for_search(text))
    for run in _HANZI.findall(text):
        terms.extend(run)
        terms.extend(run[i : i + 2] for i in range(len(run) - 1))
    return _words(terms)


def index_text(*parts: str) -> str:
    """The value of a `search_text` field for these texts: " 词1 词2 … ", or "" for none."""
    words = index_words(*parts)
    return f" {' '.join(words)} " if words else ""


def query_terms(word: str) -> list[str]:
    """The terms that must all be in an index for one query word to be found: a Chinese word
    as its pairs of neighbouring characters (a single character as itself), anything else as
    the word itself."""
    if len(word) > 1 and _HANZI.fullmatch(word):
        return _words(word[i : i + 2] for i in range(len(word) - 1))
    return [word]


def query_words(query: str) -> list[str]:
    return segment(query)[:MAX_QUERY_WORDS]


def search_filter(query: str | None, field: str = "search_text") -> Q:
    """A filter for the rows whose `field` holds every word of `query` (AND); an empty query
    (or one of punctuation only) filters nothing. Apply it to a restricted queryset only."""
    condition = Q()
    for word in query_words(query or ""):
        for term in query_terms(word):
            condition &= Q(**{f"{field}__contains": f" {term} "})
    return condition
