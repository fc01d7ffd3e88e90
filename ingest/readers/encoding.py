"""Turn the bytes of a text file into ``str``: detect the encoding, never assume it.

Order of attempts, and why:

1. A byte-order mark is proof of the encoding (UTF-8, UTF-16, UTF-32), so it wins.
2. Without a BOM, NUL bytes, many other control bytes, or the signature of a well-known binary
   format mean the file is not text (UTF-16 without a BOM is not supported: Windows tools
   always write the BOM).
3. Strict UTF-8. Random non-ASCII bytes almost never form valid UTF-8, so a strict success is
   near-certain proof; it also covers plain ASCII.
4. Strict GB18030, a superset of GBK and GB2312: the usual encoding of Chinese files that are
   not UTF-8. Tried before any statistical guess because detectors such as charset-normalizer
   often mis-guess short Chinese texts (charset-normalizer 3.x reads the GBK bytes of the
   title 会议纪要 as Korean cp949: 삔累셩狼). GB18030 also decodes bytes of other encodings,
   as mojibake: Latin-1 text is caught by its tell-tale pattern and handed to step 5; Big5
   and EUC-KR text are not (known limit, rare in this corpus).
5. charset-normalizer, last, for whatever is left (Latin-1, Shift-JIS, …).

The decoded text must then look like text: a notable share of control characters means the
bytes were binary data after all.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from charset_normalizer import from_bytes

from ingest.errors import IngestError

# Longest first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Signatures of binary formats that are often renamed or mis-saved as text.
_BINARY_SIGNATURES: tuple[bytes, ...] = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # JPEG
    b"GIF87a",
    b"GIF89a",
    b"%PDF-",
    b"PK\x03\x04",  # zip: docx, xlsx, …
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # OLE2: doc, xls, encrypted docx
    b"\x1f\x8b",  # gzip
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"\x7fELF",
)

# Share of control characters above which decoded "text" is really binary data.
_MAX_JUNK_SHARE = 0.02
# Control characters (Unicode category Cc) other than whitespace; bytes also allow DOS end-of-file
# and the ANSI escape. Counted with C-speed str/bytes methods: files can be large.
_JUNK_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_JUNK_BYTES = bytes(byte for byte in range(0x20) if byte not in b"\t\n\v\f\r\x1a\x1b")

_HANZI = re.compile(r"[\u3400-\u9fff]")
_HANZI_GLUED_TO_LATIN = re.compile(r"(?<=[A-Za-z])[\u3400-\u9fff]|[\u3400-\u9fff](?=[A-Za-z])")

# A page that declares these has no BOM (a BOM wins before the declaration is read).
_WIDE_UNICODE = ("utf-16", "utf16", "utf-32", "utf32", "ucs-2", "ucs2", "ucs-4", "ucs4")

# Spellings of the Chinese national encodings that are all decoded as their superset GB18030.
_GB_FAMILY = frozenset({"gb2312", "gbk", "gb18030", "cp936", "hz", "euc_cn", "euc-cn"})


def decode_text(data: bytes, source: Path, *, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding name)``.

    ``declared`` is an encoding the file itself names (an HTML ``<meta charset>``); it is tried
    right after the BOM check and ignored if the bytes do not decode with it.
    Raises ``IngestError`` with reason ``binary`` or ``undecodable``.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding.removesuffix("-sig"))
            except UnicodeDecodeError as exc:
                raise IngestError(source, "undecodable", f"{encoding} byte-order mark, but {exc}") from exc
            return _checked(text, source), encoding
    if b"\x00" in data or data.startswith(_BINARY_SIGNATURES):
        raise IngestError(source, "binary")
    controls = len(data) - len(data.translate(None, _JUNK_BYTES))
    if data and controls / len(data) > _MAX_JUNK_SHARE:
        raise IngestError(source, "binary", f"{controls} of {len(data)} bytes are control bytes")
    candidates = _candidates(declared)
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeError, LookupError):  # UnicodeError: codecs such as "undefined" refuse everything
            continue
        if encoding == "gb18030" and candidates[0] != encoding and _looks_like_misread_latin(text):
            guess = _guess(data)
            if guess is not None:
                text, encoding = guess
        return _checked(text, source), encoding
    guess = _guess(data)
    if guess is None:
        raise IngestError(source, "undecodable")
    return _checked(guess[0], source), guess[1]


def _guess(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer's best guess, if it has one."""
    best = from_bytes(data).best()
    return None if best is None else (str(best), best.encoding)


def _looks_like_misread_latin(text: str) -> bool:
    """True if GB18030 has decoded Latin-1/cp1252 text: then an accented letter and the letter after
    it become one hanzi glued inside a Latin word ("Straße" → "Stra遝"), which Chinese text rarely has.
    """
    glued = len(_HANZI_GLUED_TO_LATIN.findall(text))
    return glued >= 3 and glued > len(_HANZI.findall(text)) / 2


def _candidates(declared: str | None) -> list[str]:
    """Encodings to try strictly, in order, before the statistical guess."""
    candidates = ["utf-8", "gb18030"]
    if declared:
        name = declared.strip().lower()
        name = "gb18030" if name in _GB_FAMILY else name
        if name in ("utf8", "utf-8") or name.startswith(_WIDE_UNICODE):
            name = "utf-8"  # without a BOM a page is not UTF-16/32, whatever it says (HTML standard)
        if name in candidates:
            candidates.remove(name)
        candidates.insert(0, name)
    return candidates


def _checked(text: str, source: Path) -> str:
    """Return ``text`` unless it looks like decoded binary data."""
    junk = len(_JUNK_CHARACTERS.findall(text))
    if text and junk / len(text) > _MAX_JUNK_SHARE:
        raise IngestError(source, "binary", f"{junk} of {len(text)} characters are control characters")
    return text
