"""Chinese segmentation and the text-search values stored and queried in PostgreSQL.

Articles are segmented in Python with jieba (search mode: whole words and the dictionary words inside
them), with the tenant chain's dictionary of local place names and terms kept whole. The vector is stored
as a `tsvector` literal built here (quoted lexemes with positions and weights), so PostgreSQL's parser and
the database locale never see Chinese text: a `C` locale would otherwise drop CJK characters.

Queries are built as `tsquery` literals too: every word of the query must match (AND), a word matches
itself, its synonyms, or all of its smaller dictionary words (the article may have been segmented in a
different context); the last word of a query still being typed matches as a prefix. Titles also carry
their character bigrams (prefixed with `~`, weight D), which the fuzzy fallback matches with OR.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import jieba

jieba.setLogLevel(logging.WARNING)
_lock = threading.Lock()
_ready = False

# Words that carry no meaning for search (question words and particles a caller says around the matter).
STOPWORDS = frozenset(
    {"的", "了", "是", "在", "我", "你", "他", "她", "它", "们", "吗", "呢", "吧", "啊",
     "呀", "和", "与", "及", "或", "也", "都", "就", "还", "又", "要", "想", "请问", "请",
     "问", "怎么", "怎样", "如何", "什么", "哪里", "哪儿", "哪些", "哪个", "为什么", "能", "能否", "可以", "可否",
     "是否", "需要", "一下", "一个", "这个", "那个", "有", "没有", "被", "把", "给", "对", "从", "到",
     "上", "下", "个", "些", "之", "其", "该", "等", "着", "过", "会", "多少", "多久", "几",
     "哪", "谁", "啥", "怎", "太", "很", "非常", "已经", "现在", "今天", "人", "有人"}
)
_WORD = re.compile(r"[\w\u3400-\u9fff]+")
MAX_POSITION = 16383
FUZZY_PREFIX = "~"


def _ensure_ready() -> None:
    global _ready
    if not _ready:
        with _lock:
            if not _ready:
                jieba.initialize()
                _ready = True


@dataclass(frozen=True)
class Dictionary:
    """The effective dictionary of a tenant: its own and its ancestors' terms and synonym groups."""

    words: frozenset[str] = frozenset()
    synonyms: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, words: Iterable[str], groups: Iterable[Sequence[str]] = ()) -> Dictionary:
        syn: dict[str, set[str]] = {}
        for group in groups:
            members = {normalise(w) for w in group if normalise(w)}
            for w in members:
                syn.setdefault(w, set()).update(members - {w})
        clean = frozenset(w for w in (normalise(x) for x in words) if len(w) >= 2)
        return cls(clean, {k: frozenset(v) for k, v in syn.items()})

    def longest_at(self, text: str, start: int, longest: int) -> str | None:
        for end in range(min(len(text), start + longest), start + 1, -1):
            if text[start:end] in self.words:
                return text[start:end]
        return None


EMPTY = Dictionary()


def normalise(word: str) -> str:
    return word.strip().lower()


def _pieces(text: str, dictionary: Dictionary) -> list[tuple[str, bool]]:
    """Split text into (piece, is_dictionary_word): dictionary words found by longest match, the rest between."""
    if not dictionary.words:
        return [(text, False)]
    longest = max(len(w) for w in dictionary.words)
    pieces: list[tuple[str, bool]] = []
    gap_start, i = 0, 0
    while i < len(text):
        found = dictionary.longest_at(text, i, longest)
        if found:
            if gap_start < i:
                pieces.append((text[gap_start:i], False))
            pieces.append((found, True))
            i += len(found)
            gap_start = i
        else:
            i += 1
    if gap_start < len(text):
        pieces.append((text[gap_start:], False))
    return pieces


def _meaningful(token: str) -> str | None:
    token = normalise(token)
    if not token or token in STOPWORDS or not _WORD.fullmatch(token):
        return None
    return token


def index_tokens(text: str, dictionary: Dictionary = EMPTY) -> list[str]:
    """Tokens of a text for the index: search-mode words, local terms kept whole (and their parts too)."""
    _ensure_ready()
    text = text.lower()
    tokens: list[str] = []
    for piece, is_term in _pieces(text, dictionary):
        if is_term:
            tokens.append(piece)
        for word in jieba.cut_for_search(piece):
            kept = _meaningful(word)
            if kept:
                tokens.append(kept)
    return tokens


def query_words(text: str, dictionary: Dictionary = EMPTY, *, keep_single: bool = False) -> list[str]:
    """The words of a query (precise mode, local terms whole), without stopwords and repeats."""
    _ensure_ready()
    words: list[str] = []
    for piece, is_term in _pieces(text.lower(), dictionary):
        parts = [piece] if is_term else [p for w in jieba.lcut(piece) for p in _known_or_chars(w)]
        for word in parts:
            kept = _meaningful(word)
            if kept and kept not in words:
                words.append(kept)
    # Single characters say little once real words are present.
    if not keep_single and any(len(w) > 1 for w in words):
        words = [w for w in words if len(w) > 1 or not _is_cjk(w)]
    return words


def _known_or_chars(word: str) -> list[str]:
    """A word the segmenter guessed (not in its dictionary) is split into characters: too unreliable to require."""
    if len(word) < 2 or not _is_cjk(word) or jieba.dt.FREQ.get(word):
        return [word]
    return list(word)


def _is_cjk(word: str) -> bool:
    return all("\u3400" <= ch <= "\u9fff" for ch in word)


def bigrams(title: str) -> list[str]:
    chars = [c for c in title.lower() if _WORD.fullmatch(c)]
    return [chars[i] + chars[i + 1] for i in range(len(chars) - 1)]


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def vector_literal(weighted: Sequence[tuple[str, str]], dictionary: Dictionary = EMPTY) -> str:
    """A `tsvector` literal of (text, weight) parts, weights 'A'…'D', positions counted across parts."""
    positions: dict[str, list[str]] = {}
    position = 0
    for text, weight in weighted:
        for token in index_tokens(text, dictionary):
            position = min(position + 1, MAX_POSITION)
            positions.setdefault(token, []).append(f"{position}{weight}")
    for gram in dict.fromkeys(bigrams(weighted[0][0] if weighted else "")):
        position = min(position + 1, MAX_POSITION)
        positions.setdefault(FUZZY_PREFIX + gram, []).append(f"{position}D")
    return " ".join(f"{_quote(token)}:{','.join(pos[:50])}" for token, pos in positions.items())


def _alternatives(word: str, dictionary: Dictionary, prefix: bool) -> str:
    options = [_quote(word) + (":*" if prefix else "")]
    for synonym in sorted(dictionary.synonyms.get(word, ())):
        parts = query_words(synonym) or [synonym]
        options.append(" & ".join(_quote(p) for p in parts) if len(parts) > 1 else _quote(synonym))
    if len(word) > 2 and not prefix:
        _ensure_ready()
        smaller = [w for w in (_meaningful(x) for x in jieba.cut_for_search(word)) if w and w != word and len(w) > 1]
        covered = "".join(smaller)
        if len(smaller) > 1 and all(ch in covered for ch in word):
            options.append("(" + " & ".join(_quote(p) for p in dict.fromkeys(smaller)) + ")")
    return options[0] if len(options) == 1 else "(" + " | ".join(options) + ")"


@dataclass(frozen=True)
class Query:
    words: list[str]
    strict: str | None  # every word (AND): what must match
    loose: str | None  # any word, character hint or title bigram (OR): the fuzzy fallback, and the ranking
    title: str | None = None  # any word (OR), no hints or bigrams: what a title must share for the first tier


def build_query(text: str, dictionary: Dictionary = EMPTY, *, typing: bool = False) -> Query:
    """The tsquery literals for a query; `typing`: the last word may be unfinished (prefix match)."""
    words = query_words(text, dictionary)
    if not words:
        return Query([], None, None)
    ends_open = typing and not text[-1:].isspace()
    each = [_alternatives(w, dictionary, ends_open and i == len(words) - 1) for i, w in enumerate(words)]
    strict = " & ".join(each)
    loose_parts = [_alternatives(w, dictionary, False) for w in words]
    # Single characters the strict query leaves out still hint in the fallback, as prefixes (贷 → 贷款).
    loose_parts += [_quote(w) + ":*" for w in query_words(text, dictionary, keep_single=True)
                    if len(w) == 1 and _is_cjk(w) and w not in words]
    loose_parts += [_quote(FUZZY_PREFIX + g) for g in dict.fromkeys(bigrams(text))]
    return Query(words, strict, " | ".join(loose_parts), " | ".join(each))
