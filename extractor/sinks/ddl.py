"""The database tables, defined once as data and rendered as SQLite or PostgreSQL DDL.

`schemas/sqlite.sql` and `schemas/postgres.sql` are `render_ddl(...)` written out (`extractor schema`);
a test checks the checked-in files against this definition.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from extractor.models import KINDS, Label

Dialect = Literal["sqlite", "postgres"]

#: abstract column type -> SQL type per dialect
TYPES: dict[str, dict[Dialect, str]] = {
    "text": {"sqlite": "TEXT", "postgres": "TEXT"},
    "int": {"sqlite": "INTEGER", "postgres": "INTEGER"},
    "float": {"sqlite": "REAL", "postgres": "DOUBLE PRECISION"},
    "json": {"sqlite": "TEXT", "postgres": "JSONB"},
    "timestamp": {"sqlite": "TEXT", "postgres": "TIMESTAMPTZ"},
}
NOW: dict[Dialect, str] = {"sqlite": "CURRENT_TIMESTAMP", "postgres": "now()"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    null: bool = True
    check: str | None = None
    default_now: bool = False
    doc: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    doc: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    #: (columns, referenced table, referenced columns); rows go with their article (ON DELETE CASCADE)
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()
    checks: tuple[str, ...] = ()
    indexes: tuple[tuple[str, ...], ...] = field(default_factory=tuple)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _one_of(column: str, values: Iterable[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in sorted(values))})"


_ALL_KINDS = sorted({k for ks in KINDS.values() for k in ks})
_VALUE_COLUMNS = (
    Column("value_num", "float", doc="MONEY/CAPACITY/JOBS value in base units"),
    Column("value_text", "text", doc="DATE value (ISO-8601 partial) or PROJECT/ORG/LOC canonical name"),
    Column("value_max", "float", check="value_max IS NULL OR value_max >= value_num"),
    Column("unit", "text"),
    Column("per", "text", check=_one_of("per", ["year", "month", "day", "hour"]) + " OR per IS NULL"),
    Column("qualifier", "text",
           check=_one_of("qualifier", ["exact", "approx", "at_least", "at_most"]) + " OR qualifier IS NULL"),
    Column("kind", "text", check=_one_of("kind", _ALL_KINDS) + " OR kind IS NULL"),
    Column("mod", "text", check=_one_of("mod", ["START", "MID", "END"]) + " OR mod IS NULL"),
)
_PROVENANCE = (
    Column("start_char", "int", null=False, check="start_char >= 0",
           doc="offset into the original article text (Python str index)"),
    Column("end_char", "int", null=False),
    Column("surface", "text", null=False, doc="the text as written: article.text[start_char:end_char]"),
    Column("rule", "text", doc="id of the rule that produced the mention"),
    Column("extractor_version", "text", null=False),
)

TABLES: tuple[Table, ...] = (
    Table(
        "articles", "one row per loaded article (its record replaced as a whole when it comes back changed)",
        (
            Column("article_id", "text", null=False),
            Column("source", "text"),
            Column("published", "text", doc="YYYY-MM-DD or YYYY-MM"),
            Column("encoding", "text"),
            Column("text", "text", doc="the original text when loaded by `run --db` (NULL from `load`)"),
            Column("text_sha256", "text", doc="hash of the original text, when known"),
            Column("record_sha256", "text", null=False, doc="hash of the record: same record and text = skipped"),
            Column("n_mentions", "int", null=False),
            Column("n_projects", "int", null=False),
            Column("extractor_version", "text", null=False),
            Column("loaded_at", "timestamp", null=False, default_now=True),
        ),
        primary_key=("article_id",),
        indexes=(("published",), ("source",)),
    ),
    Table(
        "mentions", "every recognised span, in the record's order (idx = index in the record's mentions)",
        (
            Column("article_id", "text", null=False),
            Column("idx", "int", null=False),
            Column("label", "text", null=False, check=_one_of("label", [lb.value for lb in Label])),
            *_PROVENANCE[:3],
            *_VALUE_COLUMNS,
            Column("product", "text"),
            *_PROVENANCE[3:],
        ),
        primary_key=("article_id", "idx"),
        foreign_keys=((("article_id",), "articles", ("article_id",)),),
        checks=("end_char > start_char",),
        indexes=(("label", "kind"), ("value_text",)),
    ),
    Table(
        "projects", "one row per distinct project of an article",
        (
            Column("article_id", "text", null=False),
            Column("project_idx", "int", null=False),
            Column("name", "text", null=False),
            Column("aliases", "json", null=False, doc="JSON array of the other names"),
            Column("company", "text"),
            Column("location", "text"),
        ),
        primary_key=("article_id", "project_idx"),
        foreign_keys=((("article_id",), "articles", ("article_id",)),),
        indexes=(("name",), ("company",), ("location",)),
    ),
    Table(
        "facts", "values attributed to a project, with the provenance of their first mention",
        (
            Column("article_id", "text", null=False),
            Column("project_idx", "int", null=False),
            Column("fact_idx", "int", null=False),
            Column("label", "text", null=False, check=_one_of("label", ["CAPACITY", "DATE", "JOBS", "MONEY"])),
            *_VALUE_COLUMNS,
            Column("mention_idx", "int", null=False, doc="the first mention stating the fact"),
            Column("mention_idxs", "json", null=False, doc="JSON array of every mention stating it"),
            *_PROVENANCE,
        ),
        primary_key=("article_id", "project_idx", "fact_idx"),
        foreign_keys=(
            (("article_id", "project_idx"), "projects", ("article_id", "project_idx")),
            (("article_id", "mention_idx"), "mentions", ("article_id", "idx")),
        ),
        checks=("end_char > start_char",),
        indexes=(("label", "kind"), ("article_id", "mention_idx")),
    ),
    Table(
        "failures", "input records and articles that could not be processed, with the reason",
        (
            Column("failure_key", "text", null=False, doc="source|line|article_id|stage: loading twice adds no row"),
            Column("article_id", "text"),
            Column("source", "text"),
            Column("line", "int"),
            Column("stage", "text", null=False),
            Column("reason", "text", null=False),
            Column("extractor_version", "text", null=False),
            Column("failed_at", "timestamp", null=False, default_now=True),
        ),
        primary_key=("failure_key",),
        indexes=(("article_id",),),
    ),
)

TABLE = {t.name: t for t in TABLES}


def _column_sql(c: Column, dialect: Dialect) -> str:
    parts = [f"    {c.name} {TYPES[c.type][dialect]}"]
    if not c.null:
        parts.append("NOT NULL")
    if c.default_now:
        parts.append(f"DEFAULT {NOW[dialect]}")
    if c.check:
        parts.append(f"CHECK ({c.check})")
    return " ".join(parts)


def table_statements(t: Table, dialect: Dialect) -> list[str]:
    """CREATE TABLE and CREATE INDEX statements of one table (without the final semicolons)."""
    lines = [(_column_sql(c, dialect), c.doc) for c in t.columns]
    lines.append((f"    PRIMARY KEY ({', '.join(t.primary_key)})", ""))
    for cols, ref, ref_cols in t.foreign_keys:
        lines.append((f"    FOREIGN KEY ({', '.join(cols)}) REFERENCES {ref} ({', '.join(ref_cols)}) "
                      "ON DELETE CASCADE", ""))
    lines.extend((f"    CHECK ({c})", "") for c in t.checks)
    body = "\n".join(sql + ("," if i < len(lines) - 1 else "") + (f"  -- {doc}" if doc else "")
                     for i, (sql, doc) in enumerate(lines))
    out = [f"CREATE TABLE IF NOT EXISTS {t.name} (\n{body}\n)"]
    for cols in t.indexes:
        out.append(f"CREATE INDEX IF NOT EXISTS {t.name}_{'_'.join(cols)}_idx ON {t.name} ({', '.join(cols)})")
    return out


def statements(dialect: Dialect) -> list[str]:
    """The schema as single statements, in creation order."""
    return [stmt for t in TABLES for stmt in table_statements(t, dialect)]


def render_ddl(dialect: Dialect) -> str:
    """The whole schema as SQL text, exactly as in `schemas/<dialect>.sql`."""
    head = (f"-- Database schema ({dialect}) of zh-project-extractor, generated by `extractor schema`\n"
            "-- from extractor/sinks/ddl.py: edit that file, not this one.\n")
    return head + "".join(f"\n-- {t.name}: {t.doc}\n" + "".join(s + ";\n" for s in table_statements(t, dialect))
                          for t in TABLES)


DDL_FILES: dict[str, Dialect] = {"sqlite.sql": "sqlite", "postgres.sql": "postgres"}
