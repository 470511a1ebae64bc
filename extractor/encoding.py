"""Decoding input bytes: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK, Big5.

Strict UTF-8 is tried first (the common case, and cheap); then the legacy Chinese encodings
that decode the bytes strictly, the most plausible one chosen by charset-normalizer.
"""

from __future__ import annotations

import codecs

#: Legacy encodings tried after UTF-8, in order of preference (GB18030 is a superset of GBK).
LEGACY = ("gb18030", "big5", "cp950", "big5hkscs")


class DecodeError(ValueError):
    """The bytes decode in none of the supported encodings."""


def decode_bytes(data: bytes) -> tuple[str, str]:
    """`(text, encoding)` of `data`; raises `DecodeError` with the reason."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise DecodeError(f"UTF-8 BOM but invalid UTF-8 at byte {exc.start + 3}") from None
    for bom, enc in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[2:].decode(enc), "utf-16"
            except UnicodeDecodeError:
                raise DecodeError("UTF-16 BOM but invalid UTF-16") from None
    if b"\x00" in data:
        raise DecodeError("binary data (NUL bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if _mostly_utf8(data):
            raise DecodeError(f"invalid UTF-8 at byte {exc.start} (the rest is UTF-8)") from None
    decoded = {}
    for enc in LEGACY:
        try:
            decoded[enc] = data.decode(enc)
        except UnicodeDecodeError:
            continue
    if not decoded:
        raise DecodeError("bytes decode in none of utf-8, " + ", ".join(LEGACY))
    if len(decoded) > 1:
        best = _most_plausible(data, list(decoded))
        if best:
            return decoded[best], best
    enc = next(iter(decoded))
    return decoded[enc], enc


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few broken bytes (decoding it as GB18030 would garble every character)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", "ignore")) - bad
    return good >= 10 * bad


def _most_plausible(data: bytes, candidates: list[str]) -> str | None:
    from charset_normalizer import from_bytes

    match = from_bytes(data, cp_isolation=candidates).best()
    if match is None:
        return None
    name = codecs.lookup(match.encoding).name
    for enc in candidates:
        if codecs.lookup(enc).name == name:
            return enc
    return None
