"""Numbers written in Chinese news text: Arabic, Chinese and mixed, parsed exactly as `Decimal`.

`NUMBER` is the regex fragment of one number (digits, numeral characters and the scales
万/亿/兆 written after them); `parse_number` turns such a string into its value, or `None`
when it is not a definite number (十几, 两三, 三四百, 数百). The numeral words live in
`extractor/data/numerals.yaml`.

>>> parse_number("12.5亿")
Decimal('1250000000')
>>> parse_number("三万五")
Decimal('35000')
>>> parse_number("两三") is None
True
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from itertools import pairwise

import cn2an
import regex

from extractor.tables import load_table

_TABLE = load_table("numerals")
DIGITS: dict[str, int] = _TABLE["digits"]
UNITS: dict[str, int] = _TABLE["units"]
SCALES: dict[str, int] = _TABLE["scales"]
DECIMAL_POINTS: tuple[str, ...] = tuple(_TABLE["decimal_points"])
APPROXIMATE_CHARS: frozenset[str] = frozenset(_TABLE["approximate_chars"])
VAGUE_PREFIXES: tuple[str, ...] = tuple(_TABLE["vague_prefixes"])
ORDINAL_PREFIXES: tuple[str, ...] = tuple(_TABLE["ordinal_prefixes"])

UNIT_GUARDS: dict[str, list[str]] = _TABLE["unit_guards"]

_ZEROS = "".join(c for c, v in DIGITS.items() if v == 0)
_CN_DIGITS = "".join(DIGITS)
_CN_UNITS = "".join(UNITS)
_CN_SCALES = "".join(SCALES)


def _chars(chars: str) -> str:
    """A regex alternative of numeral characters, those starting a unit word guarded (千瓦)."""
    plain = "".join(c for c in chars if c not in UNIT_GUARDS)
    guarded = [f"{c}(?!{'|'.join(UNIT_GUARDS[c])})" for c in chars if c in UNIT_GUARDS]
    return "(?:" + "|".join(([f"[{plain}]"] if plain else []) + guarded) + ")"

_CN_POINTS = "".join(p for p in DECIMAL_POINTS if p != ".")

#: at most this many parts after the first in one number (bounds the work on garbage input)
MAX_PARTS = 24
#: longest number string parsed (longer digit runs are no amounts)
MAX_LENGTH = 40
#: most digits read before a decimal point or a thousands comma
MAX_DIGITS = 20
#: an Arabic number: 3541.07, 1,200 (groups of three after a comma)
ARABIC = rf"(?>\d{{1,{MAX_DIGITS}}}+(?:,\d{{3}}(?!\d)){{0,6}}+(?:\.\d{{1,12}}+)?+)(?!\d)"
#: a Chinese numeral character that may start a number (a digit or 十/百/千)
CN_START = _chars(_CN_DIGITS + _CN_UNITS)
_SCALE = rf"\s?{_chars(_CN_SCALES)}"
_CN_ANY = _chars(_CN_DIGITS + _CN_UNITS)
#: one number with its scales: Arabic-led (12.5亿, 3千万, 2兆41亿, 16万4,554, 17 亿) or
#: Chinese (三千五百万, 十九‧九一亿); an Arabic-led number takes no Chinese digit after it
NUMBER = (
    rf"(?:{ARABIC}(?:{_SCALE}|{_chars(_CN_UNITS)}|(?<=[{_CN_SCALES}]){ARABIC}(?![年月日号])){{0,{MAX_PARTS}}}+"
    rf"|{CN_START}(?:{_CN_ANY}|{_SCALE}|[.{_CN_POINTS}](?=[{_CN_DIGITS}])){{0,{MAX_PARTS}}}+)"
)

_TOKEN = regex.compile(
    rf"(?P<arabic>{ARABIC})|(?P<run>[{_CN_DIGITS}]+)|(?P<unit>[{_CN_UNITS}])|(?P<scale>[{_CN_SCALES}])"
    rf"|(?P<point>[.{_CN_POINTS}])(?P<frac>[{_CN_DIGITS}]+)"
)
_PURE_CN_INTEGER = regex.compile("[一二两三四五六七八九十百千万亿零]+")
_TEN = Decimal(10)


def _run_value(run: str) -> Decimal:
    return Decimal("".join(str(DIGITS[c]) for c in run))


def _is_approximate_run(run: str) -> bool:
    """两三, 三四, 七八: two neighbouring digits side by side mean "about", not 23."""
    if len(run) != 2 or any(DIGITS[c] == 0 for c in run):
        return False
    a, b = (DIGITS[c] for c in run)
    return b - a == 1 or (a, b) == (3, 5)


@cache
def parse_number(text: str) -> Decimal | None:
    """The exact value of one number string, or None if it is not a definite number."""
    s = "".join(text.split())
    if not s or len(s) > MAX_LENGTH or any(c in APPROXIMATE_CHARS for c in s):
        return None
    if _PURE_CN_INTEGER.fullmatch(s) and not _has_digit_run(s):
        try:
            value = cn2an.cn2an(s, "normal")
        except (ValueError, KeyError):  # cn2an rejects some valid forms (一亿二)
            return _compose(s)
        return Decimal(int(value))
    return _compose(s)


def _has_digit_run(s: str) -> bool:
    """Two non-zero Chinese digits side by side (digit-by-digit or approximate forms)."""
    return any(a in DIGITS and b in DIGITS and DIGITS[a] and DIGITS[b] for a, b in pairwise(s))


def _compose(s: str) -> Decimal | None:
    """Place-value composition over tokens (number, 十/百/千, 万/亿/兆), exact in Decimal."""
    pos = 0
    stack: list[tuple[int, Decimal]] = []  # closed sections: (scale, value)
    section = Decimal(0)  # sum of 十/百/千 groups in the current section
    current: Decimal | None = None  # the number waiting for its unit
    last = ""  # kind of the previous token: num, unit, scale, zero
    last_factor = 1
    elided_digit = False
    for m in _TOKEN.finditer(s):
        if m.start() != pos:
            return None
        pos = m.end()
        kind = "point" if m["point"] else m.lastgroup
        if kind == "arabic":
            if last == "num":
                return None
            current = Decimal(m["arabic"].replace(",", ""))
            last, elided_digit = "num", False
        elif kind == "run":
            run = m["run"]
            if last == "num":
                return None
            zero_seen = last == "zero"
            if last in ("unit", "scale", "zero"):
                stripped = run.lstrip(_ZEROS)  # 十万零一千: the 零 only marks a gap
                zero_seen = zero_seen or stripped != run
                run = stripped
            if not run:
                last = "zero"
                continue
            if len(run) == 1:
                elided_digit = last in ("unit", "scale") and not zero_seen
                current = Decimal(DIGITS[run])
            else:
                if zero_seen or _is_approximate_run(run) or (pos < len(s) and s[pos] in UNITS):
                    return None
                current = _run_value(run)
                elided_digit = False
            last = "num"
        elif kind == "point":
            base = section + (current or 0)
            current = base + Decimal("0." + "".join(str(DIGITS[c]) for c in m["frac"]))
            section = Decimal(0)
            last, elided_digit = "num", False
        elif kind == "unit":
            factor = UNITS[m["unit"]]
            section += (current if current is not None else Decimal(1)) * factor
            current = None
            last, last_factor = "unit", factor
        else:  # scale
            factor = SCALES[m["scale"]]
            value = section + (current or 0)
            while stack and stack[-1][0] < factor:
                value += stack.pop()[1]
            if value == 0:
                return None
            stack.append((factor, value * factor))
            section, current = Decimal(0), None
            last, last_factor = "scale", factor
    if pos != len(s) or last == "":
        return None
    if current is not None and elided_digit and last_factor >= 100 and not s[0].isdigit():
        current *= Decimal(last_factor) / _TEN  # 三万五 = 35000, 两千六 = 2600, 一百二 = 120
    total = section + (current or 0) + sum((v for _, v in stack), Decimal(0))
    return _normal(total)


def _normal(d: Decimal) -> Decimal:
    """12.50 -> 12.5, 1.25E+9 -> 1250000000 (integral values without exponent)."""
    d = d.normalize()
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d


def is_vague(text: str, start: int) -> bool:
    """True if the word before the number at `start` makes it vague (上千, 数百) or an ordinal (第三)."""
    head = text[max(0, start - 2):start]
    if any(head.endswith(p) for p in ORDINAL_PREFIXES):
        return True
    return not text[start:start + 1].isdigit() and any(head.endswith(p) for p in VAGUE_PREFIXES)


def to_json_number(d: Decimal) -> int | float:
    """An int when the value is integral, else a float (for the output record)."""
    return int(d) if d == d.to_integral_value() else float(d)
