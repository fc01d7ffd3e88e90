"""Normalise Chinese document text for analysis while keeping a map back to the original.

Everything downstream (sections, sentences, extraction, tokens) works on the normalised text;
citations map spans back through ``OffsetMap`` and quote the original verbatim.

Written by hand: unicodedata's NFKC changes lengths and knows nothing about Chinese quote
direction or hard-wrapped PDF lines, and no maintained library keeps an offset map for this.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ingest.language.boundaries import CELL_SEPARATOR

# One-to-one character replacements (lengths never change here).
_FULLWIDTH_ALNUM = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF5B) if chr(code).isalnum()}
_PUNCT = str.maketrans(
    {
        ",": "，",
        ";": "；",
        "?": "？",
        "!": "！",
        "(": "（",
        ")": "）",
        "\u3000": " ",
        "「": "“",
        "『": "“",
        "‘": "“",
        "」": "”",
        "』": "”",
        "’": "”",
        "〔": "（",
        "〕": "）",
        "［": "【",
        "］": "】",
        "．": ".",
        "﹐": "，",
        "﹔": "；",
        "﹖": "？",
        "﹗": "！",
        "｡": "。",
    }
)
_ALNUM = str.maketrans(_FULLWIDTH_ALNUM)
# ASCII punctuation that stays ASCII between digits: 1,200 / 10:30 / (1) is handled by headings.
_DIGIT_PUNCT = re.compile(r"(?<=\d)[，：](?=\d)")
# A TAB between two cells of a row (empty cells too) is kept as the cell separator; other TABs are
# layout, read as spaces. Kept TABs are marked with a control character while the others are replaced.
_KEPT_TAB = "\x1f"
# (The run is taken whole, possessively: a long run of TABs is read once, not again from each TAB.)
_CELL_TABS = re.compile(r"(?<=\S)[ ]*\t[\t ]*+(?=\S)")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"，。；：？！、“”（）《》【】…—"
SENTENCE_END = "。！？；"
_HEADING_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十]+[)）]|\d{1,2}[.、．](?!\d)|"
    r"[（(]\d{1,2}[)）]|第[一二三四五六七八九十]+[章节条部分]|[一二三四五六七八九十]+[要是][^，。]|#)"
)


@dataclass(frozen=True)
class OffsetMap:
    """Piecewise map from normalised offsets to original offsets (kept segments)."""

    norm_starts: tuple[int, ...]
    orig_starts: tuple[int, ...]
    norm_length: int
    orig_length: int

    def to_original(self, index: int) -> int:
        """Original offset of normalised offset ``index`` (``norm_length`` maps to the end)."""
        if index >= self.norm_length:
            return self.orig_length if not self.norm_starts else self._end_of_last()
        segment = bisect.bisect_right(self.norm_starts, index) - 1
        return self.orig_starts[segment] + index - self.norm_starts[segment]

    def to_normalised(self, index: int) -> int:
        """Normalised offset of original offset ``index`` (a dropped character maps forward)."""
        segment = bisect.bisect_right(self.orig_starts, index) - 1
        if segment < 0:
            return 0
        seg_len = self._segment_length(segment)
        offset = index - self.orig_starts[segment]
        return self.norm_starts[segment] + min(offset, seg_len)

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original span of a normalised span; ``end`` is exclusive on both sides."""
        if end <= start:
            original = self.to_original(start)
            return original, original
        return self.to_original(start), self.to_original(end - 1) + 1

    def _segment_length(self, segment: int) -> int:
        next_start = self.norm_starts[segment + 1] if segment + 1 < len(self.norm_starts) else self.norm_length
        return next_start - self.norm_starts[segment]

    def _end_of_last(self) -> int:
        last = len(self.norm_starts) - 1
        return self.orig_starts[last] + self._segment_length(last)

    def to_json(self) -> list[list[int]]:
        return [list(self.norm_starts), list(self.orig_starts), [self.norm_length, self.orig_length]]

    @classmethod
    def from_json(cls, data: list[list[int]]) -> OffsetMap:
        norm_starts, orig_starts, (norm_length, orig_length) = data
        return cls(tuple(norm_starts), tuple(orig_starts), norm_length, orig_length)


@dataclass(frozen=True)
class NormalizedText:
    """Normalised text plus its map to the original."""

    text: str
    offsets: OffsetMap


def canonical_chars(text: str) -> str:
    """Character-level canonical form, same length: full-width letters and digits to ASCII,
    ASCII ``,;?!()`` to Chinese punctuation, every quote to a directed ``“``/``”``."""
    text = _CELL_TABS.sub(_cell_separators, text).replace("\t", " ").replace(_KEPT_TAB, CELL_SEPARATOR)
    text = text.translate(_ALNUM).translate(_PUNCT)
    text = _DIGIT_PUNCT.sub(lambda m: "," if m.group() == "，" else ":", text)
    text = re.sub(r"(?<=[" + _CJK + r"”）])[:：]|[:：](?=[" + _CJK + r"“])", "：", text)
    return _direct_ascii_quotes(text)


def _cell_separators(match: re.Match[str]) -> str:
    """A run of TABs (and spaces) between cells: a kept TAB each, so that empty cells stay."""
    return match.group().replace("\t", _KEPT_TAB)


def _direct_ascii_quotes(text: str) -> str:
    """Turn ASCII double quotes into opening/closing quotes, alternating within each line."""
    if '"' not in text:
        return text
    out = []
    for line in text.split("\n"):
        opening = True
        chars = list(line)
        for position, char in enumerate(chars):
            if char == '"':
                chars[position] = "“" if opening else "”"
                opening = not opening
        out.append("".join(chars))
    return "\n".join(out)


def normalize(original: str) -> NormalizedText:
    """Normalise ``original``: canonical characters, no stray spaces, hard-wrapped lines joined."""
    text = canonical_chars(original)
    tables = {number for number, line in enumerate(original.split("\n")) if _CELL_TABS.search(line)}
    keep = _kept_mask(text, tables)
    norm_starts: list[int] = []
    orig_starts: list[int] = []
    pieces: list[str] = []
    length = 0
    position = 0
    total = len(text)
    while position < total:
        if not keep[position]:
            position += 1
            continue
        run_end = position
        while run_end < total and keep[run_end]:
            run_end += 1
        norm_starts.append(length)
        orig_starts.append(position)
        piece = text[position:run_end]
        pieces.append(piece)
        length += len(piece)
        position = run_end
    offsets = OffsetMap(tuple(norm_starts), tuple(orig_starts), length, len(original))
    return NormalizedText("".join(pieces), offsets)


def _kept_mask(text: str, tables: set[int]) -> list[bool]:
    """Which characters of the canonical text survive normalisation; ``tables`` are the numbers of
    the lines that are table rows."""
    keep = [True] * len(text)
    # Spaces touching Chinese characters or punctuation are layout, not content. Every space run is
    # tried from its first space only, (?<! ), and never given back, ++: tried from each of its
    # spaces, a run of 40,000 spaces between two letters took 77 s.
    spaced = re.compile(r"(?<=[" + _CJK + _CJK_PUNCT + r"])[ ]++|(?<! )[ ]++(?=[" + _CJK + _CJK_PUNCT + r"])")
    for match in spaced.finditer(text):
        for index in range(match.start(), match.end()):
            keep[index] = False
    for match in re.finditer(r"(?<= ) +", text):  # runs of spaces elsewhere become one
        for index in range(match.start(), match.end()):
            keep[index] = False
    for match in re.finditer(r"^ +|(?<! ) ++$", text, flags=re.MULTILINE):
        for index in range(match.start(), match.end()):
            keep[index] = False
    for index in _soft_line_breaks(text, tables):
        keep[index] = False
    for match in re.finditer(r"\n(?=\n)", text):  # blank lines collapse
        keep[match.start()] = False
    return keep


def _soft_line_breaks(text: str, tables: set[int]) -> list[int]:
    """Offsets of line breaks inside sentences (hard wraps, as PDFs produce them).

    A break is soft when its line does not end a sentence, neither line is a heading or a table
    row, and the line is about as long as the document's long lines (a short line is a title or
    heading).
    """
    lines = text.split("\n")
    lengths = sorted(len(line.strip()) for line in lines if line.strip())
    if len(lengths) < 3:
        return []
    wrap_width = lengths[int(len(lengths) * 0.9) - 1 if len(lengths) >= 10 else -1]
    soft: list[int] = []
    position = 0
    for number, line in enumerate(lines[:-1]):
        position += len(line)
        stripped = line.strip()
        following = lines[number + 1].strip()
        if (
            stripped
            and following
            and stripped[-1] not in SENTENCE_END + "：”）】…"
            and len(stripped) >= max(0.8 * wrap_width, 12)
            and not _HEADING_START.match(stripped)
            and not _HEADING_START.match(following)
            and not {number, number + 1} & tables
        ):
            soft.append(position)
        position += 1
    return soft
