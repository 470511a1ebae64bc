"""CAPACITY recognizer: production, processing, power, storage and supply capacities (SPEC 3).

Rules are data in `extractor/data/capacity.yaml`: the unit table, kind and rate keywords,
exclusions (areas, lengths, classes such as 10万吨级, equipment sizes, savings, reserves).
"""

from __future__ import annotations

from decimal import Decimal

import regex

from extractor.document import Doc, Span
from extractor.numerals import to_json_number
from extractor.quantities import (
    PHRASE_END,
    SENTENCE_END,
    KeywordTable,
    Quantity,
    QuantityPattern,
    clause_start,
)
from extractor.tables import load_table

_RULES = load_table("capacity")
UNITS: dict[str, tuple[str, Decimal]] = {w: (u, Decimal(str(f))) for w, (u, f) in _RULES["units"].items()}
CLASSIFIERS: frozenset[str] = frozenset(_RULES["classifiers"]) - set(UNITS)
TAIL_PER: dict[str, str] = _RULES["tail_per"]
ALWAYS: frozenset[str] = frozenset(_RULES["always"])
PATTERN = QuantityPattern([*UNITS, *CLASSIFIERS], unit_tail=_RULES["rate_tail"])
_TAIL = regex.compile(_RULES["rate_tail"] + "$")

KINDS = KeywordTable(_RULES["kinds"])
PERS = KeywordTable(_RULES["per"])
POWER_PER = regex.compile(_RULES["power_per"])
_GAP_BREAK = regex.compile(rf"[，,。；;、\s]|{_RULES['span_gap_verbs']}")
EXCLUDE_BEFORE = regex.compile(_RULES["exclude_before"])
EXCLUDE_BEFORE_OUTPUT = regex.compile(_RULES["exclude_before_output"])
EXCLUDE_AFTER = regex.compile(_RULES["exclude_after"])
OBJECT_AFTER = regex.compile(_RULES["object_after"])
OBJECT_KINDS = KeywordTable(_RULES["object_kinds"])
PRODUCT = regex.compile(rf"\G(?:[^\n]{{1,16}}?)(?={_RULES['product_stop']}|$)")
PRODUCT_TRIM = regex.compile(_RULES["product_trim"])
_HAN = regex.compile(r"[\p{Han}A-Za-z0-9、·/\-()（）, ]+")
_PRODUCT_STOP = regex.compile(_RULES["product_stop"])
_ANNUAL_OUTPUT = regex.compile(_RULES["annual_output"])
STORAGE_WORDS = regex.compile(_RULES["storage_words"])
EQUIPMENT_LINE = regex.compile(_RULES["equipment_line"])
RACKS = regex.compile(_RULES["racks"])
PRODUCTION_SITE = regex.compile(_RULES["production_site"])
EXCLUDE_ADJACENT = regex.compile(_RULES["exclude_adjacent_before"])
_NOT_FOR_MATERIALS = frozenset({"power"})
DEFAULT_KIND = {"kW": "power", "kWh": "power", "m3": "storage", "t": "production", "m2": "production"}
_T2S = {"輛": "辆", "顆": "颗", "個": "个", "張": "张", "塊": "块", "雙": "双", "頭": "头", "條": "条", "錠": "锭"}


def _unit(written: str) -> tuple[str, Decimal, str]:
    """(canonical unit, factor, rate tail) of the unit as written (万吨/年 -> t, 1, 年)."""
    tail = ""
    m = _TAIL.search(written)
    if m and m["tail"]:
        tail = m["tail"]
        written = written[:m.start()].rstrip()
    if written in UNITS:
        unit, factor = UNITS[written]
        return unit, factor, tail
    return _T2S.get(written, written), Decimal(1), tail


def _product(text: str, start: int, before: tuple[int, int] | None) -> str | None:
    """What is produced or processed: the noun after the unit (年产5万吨锂电负极材料), else the
    noun between the kind word and the number (年产水泥200万吨)."""
    m = PRODUCT.match(text, start)
    if m is not None:
        product = m.group().strip()
        if product and not _PRODUCT_STOP.match(product) and _HAN.fullmatch(product):
            return product
    if before is not None and before[1] - before[0] <= 12:
        product = PRODUCT_TRIM.sub("", text[before[0]:before[1]])
        if len(product) >= 2 and _HAN.fullmatch(product):
            return product
    return None


def recognize(doc: Doc) -> None:
    """Add a CAPACITY span for every capacity in the working text."""
    text = doc.text
    explicit: dict[tuple[Decimal, str], str | None] = {}
    for q in PATTERN.finditer(text):
        span = _capacity(text, q, explicit)
        if span is not None:
            doc.spans.append(span)


def _capacity(text: str, q: Quantity, explicit: dict[tuple[Decimal, str], str | None]) -> Span | None:
    if q.bare:
        return None
    unit, factor, tail = _unit(q.unit)
    energy = unit in ("kW", "kWh")
    skip = frozenset() if energy else _NOT_FOR_MATERIALS  # 年产光伏玻璃: 光伏 names no kind here
    lo = clause_start(text, q.start)
    hit = KINDS.nearest_before(text, lo, q.start, skip)
    if hit is None:  # an enumeration shares its keyword: 年产40万吨A、60万吨B
        lo = clause_start(text, q.start, 40, PHRASE_END)
        hit = KINDS.nearest_before(text, lo, q.start, skip)
    sentence_lo = clause_start(text, q.start, 60, SENTENCE_END)
    sentence_hit = hit or KINDS.nearest_before(text, sentence_lo, lo, skip)  # 日供水能力10万吨,远期20万吨/日
    if q.unit in _RULES["needs_digits"] and not regex.search(r"[0-9万萬亿億]", text[q.num_start:q.end]):
        return None
    if EXCLUDE_BEFORE.search(text, lo, q.start) or EXCLUDE_AFTER.match(text, q.end):
        return None
    if unit != "kW" and EXCLUDE_BEFORE_OUTPUT.search(text, lo, q.start):
        return None
    if EXCLUDE_ADJACENT.search(text, max(0, q.start - 8), q.start):
        return None
    obj = OBJECT_AFTER.match(text, q.end)
    kind = hit[0] if hit else None
    if obj is not None and kind is None and not energy:
        kind = (OBJECT_KINDS.nearest_before(text, obj.start(), obj.end())
                or KINDS.nearest_before(text, obj.start(), obj.end(), skip) or (None,))[0]
    if kind is None and sentence_hit is not None:
        kind = sentence_hit[0]
    per, marker_span = _per(text, q, lo, unit, tail, kind)
    annual = None
    if energy:
        annual = _ANNUAL_OUTPUT.search(text, lo, q.start)
        if annual is not None or (obj is not None and EQUIPMENT_LINE.search(obj.group())):
            kind = "production"  # 年产10GWh储能电池, 一期5GW生产线: equipment made per year
            per = per or "year"
            if annual is not None and marker_span is None:
                marker_span = annual.span()
        elif STORAGE_WORDS.search(text, lo if hit else sentence_lo, q.start) or (
                obj is not None and STORAGE_WORDS.search(obj.group())):
            kind = "storage"
        elif kind not in ("power", "storage", "other"):
            kind = "power"
    if unit not in DEFAULT_KIND:  # a classifier
        has_rate = marker_span is not None or bool(tail)
        if kind == "other" or (obj is not None and RACKS.search(obj.group())):
            kind, per = "other", None  # racks of a data centre
        elif q.value < _RULES["classifier_min"]:
            return None
        elif has_rate and hit is not None and hit[0] in ("production", "processing"):
            pass  # 年产20万辆, 每小时可处理货物28万件
        elif not (q.value >= _RULES["classifier_min_without_rate"] and obj is not None
                  and PRODUCTION_SITE.search(obj.group())):
            return None  # 100万辆零部件生产基地, not 1万多个建设项目 or 124只个股
    elif unit == "m2":  # an area unless produced: 年产1000万平方米墙体
        if per is None or kind != "production" or marker_span is None or q.start - marker_span[1] > 8:
            return None
    elif q.unit.startswith("度"):  # 发电2亿度, not 一度/360度/百度
        said = (hit or sentence_hit or (None,))[0]
        if said not in ("power", "storage"):
            return None
    elif not energy and hit is None and not tail and obj is None:
        return None
    if kind is None:
        kind = DEFAULT_KIND.get(unit, "production")
    key = (q.value, unit)
    if per is None and kind not in ("storage", "other") and unit != "kW" and (unit != "kWh" or kind == "production"):
        if key in explicit:
            per = explicit[key]  # the same capacity stated before with its rate (400吨焚烧线)
        elif kind in ("production", "processing") and not (hit and text[hit[1]:hit[2]] in ("总产量", "總產量")):
            per = "year"  # annual production written without a rate marker
    elif per is not None:
        explicit.setdefault(key, per)
    start = q.start
    if marker_span is not None:
        word_start, word_end = marker_span
        if q.start - word_end <= _RULES["span_max_gap"] and not _GAP_BREAK.search(text, word_end, q.start):
            start = word_start
    value = q.value * factor
    value_max = None if q.value_max is None else q.value_max * factor
    product = None
    if kind in ("production", "processing", "storage", "supply") and not energy:
        product = _product(text, q.end, (hit[2], q.start) if hit else None)
    return Span(label="CAPACITY", start=start, end=q.end, value=to_json_number(value),
                value_max=None if value_max is None else to_json_number(value_max), unit=unit, per=per,
                qualifier=q.qualifier, kind=kind, product=product, rule=f"capacity.{kind}")


def _per(text: str, q: Quantity, lo: int, unit: str, tail: str,
         kind: str | None) -> tuple[str | None, tuple[int, int] | None]:
    """(per, span of the rate word) from the rate tail or a rate word before the number."""
    if tail:
        return TAIL_PER[tail], None
    if unit == "kW":
        found = POWER_PER.search(text, lo, q.start)
        return ("year", None) if found else (None, None)
    found = PERS.nearest_before(text, lo, q.start)
    if found is not None:
        return found[0], (found[1], found[2])
    if kind == "supply" or (kind is None and unit == "m3"):  # 年接转能力300万吨,相当于40亿立方米天然气
        found = PERS.nearest_before(text, clause_start(text, q.start, 60, SENTENCE_END), lo)
        if found is not None:
            return found[0], None
    return None, None
