"""Command line: `extractor run | load | eval | schema | corpus`.

`extractor run PATH... [-o OUT.jsonl]` is a stable contract called by other tools.
Exit status of `run`: 0 every article processed; 1 some failed (the others are written);
3 nothing could be processed; 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_ALL_FAILED = 0, 1, 2, 3


def _read_jsonl(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def cmd_run(args: argparse.Namespace) -> int:
    from extractor.batch import run_command
    from extractor.inputs import read_articles

    items = read_articles(args.paths, published=args.published, split_pages=not args.whole_pages)
    return run_command(items, output=args.output, db=args.db, workers=args.workers, engine=args.engine,
                       scheduler=args.scheduler, resume=args.resume, errors=args.errors)


def _published_date(value: str) -> str:
    from extractor.published import parse_date

    date = parse_date(value)
    if date is None:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD or YYYY-MM): {value!r}")
    return date


def cmd_load(args: argparse.Namespace) -> int:
    from extractor.batch import load_command

    return load_command(args.paths, args.db, resume=args.resume)


def cmd_eval(args: argparse.Namespace) -> int:
    from extractor.scoring import DEFAULT_LABELS, format_table, score

    gold = _read_jsonl(args.gold)
    if args.pred:
        pred = _read_jsonl(args.pred)
    else:
        from extractor.models import Article
        from extractor.pipeline import Pipeline

        pipeline = Pipeline()
        pred = []
        for row in gold:
            res = pipeline.process(Article.model_validate(row))
            if hasattr(res, "mentions"):
                pred.append(res.model_dump(mode="json"))
    labels = args.labels.split(",") if args.labels else list(DEFAULT_LABELS)
    res = score(gold, pred, labels)
    print(json.dumps(res, ensure_ascii=False, indent=1) if args.json else format_table(res))
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from extractor.schema import write_schemas

    for path in write_schemas(Path(args.dir)):
        print(path)
    return EXIT_OK


def cmd_corpus(args: argparse.Namespace) -> int:
    from extractor import corpus

    if args.action == "build":
        built = corpus.build(args.dir)
        for err in built.errors:
            print(f"error: {err}", file=sys.stderr)
        if built.errors:
            print(f"{len(built.errors)} problem(s); nothing written", file=sys.stderr)
            return EXIT_SOME_FAILED
        for path in corpus.write(args.dir, built):
            print(path)
        print(f"{len(built.gold)} gold articles, {len(built.inputs)} input lines", file=sys.stderr)
        return EXIT_OK
    errors = corpus.check(args.dir)
    for err in errors:
        print(f"error: {err}", file=sys.stderr)
    print(f"corpus {args.dir}: {len(errors)} problem(s)", file=sys.stderr)
    return EXIT_SOME_FAILED if errors else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="extractor", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="extract records from articles (.jsonl[.gz], .txt, .html, folders, globs)")
    run.add_argument("paths", nargs="+", metavar="PATH", help="files, folders, globs; - reads standard input")
    run.add_argument("-o", "--output", metavar="OUT.jsonl", help="write JSON Lines here (default: stdout)")
    run.add_argument("--published", metavar="DATE", type=_published_date,
                     help="publication date (YYYY-MM-DD or YYYY-MM) of every article, overriding the input's")
    run.add_argument("--whole-pages", action="store_true",
                     help="do not split a newspaper page into its articles (<id>#1, <id>#2 ...)")
    _add_batch_options(run)
    run.set_defaults(func=cmd_run)

    ld = sub.add_parser("load", help="load records (JSON Lines written by `run`) into a database")
    ld.add_argument("paths", nargs="+", metavar="RESULTS.jsonl", help="record files (.jsonl, .jsonl.gz; - = stdin)")
    ld.add_argument("--db", required=True, metavar="URL", help="records.sqlite, sqlite:///path or postgresql://...")
    ld.add_argument("--resume", action="store_true", help="skip articles already in the database")
    ld.set_defaults(func=cmd_load)

    ev = sub.add_parser("eval", help="score predictions against gold (SPEC section 4)")
    ev.add_argument("--gold", required=True)
    ev.add_argument("--pred", help="predictions (JSON Lines); without it the pipeline runs on the gold texts")
    ev.add_argument("--json", action="store_true", help="print the scores as JSON (same keys as tools/score.py)")
    ev.add_argument("--labels", help="comma-separated labels (default: PROJECT,ORG,MONEY,CAPACITY,DATE,JOBS)")
    ev.set_defaults(func=cmd_eval)

    sc = sub.add_parser("schema", help="write the JSON Schema files of the record contract")
    sc.add_argument("--dir", default="schemas")
    sc.set_defaults(func=cmd_schema)

    co = sub.add_parser("corpus", help="build or check the bundled gold corpus (corpus/ann -> gold.jsonl)")
    co.add_argument("action", choices=["build", "check"])
    co.add_argument("--dir", default="corpus", help="corpus folder (default: corpus)")
    co.set_defaults(func=cmd_corpus)
    return ap


def _positive(text: str) -> int:
    n = int(text)
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    return n


def _add_batch_options(run: argparse.ArgumentParser) -> None:
    run.add_argument("--db", metavar="URL", help="write to a database (records.sqlite, sqlite:///path or "
                     "postgresql://user@host/db); JSON Lines then only with -o")
    run.add_argument("--workers", type=_positive, metavar="N", help="worker processes (default: all cores)")
    run.add_argument("--engine", choices=["local", "dask"], default="local",
                     help="local processes (default) or a Dask cluster")
    run.add_argument("--scheduler", metavar="tcp://HOST:8786",
                     help="Dask scheduler address (default with --engine dask: a LocalCluster)")
    run.add_argument("--errors", metavar="FAILURES.jsonl",
                     help="also write each failure as a JSON line here (`extractor load` reads them)")
    run.add_argument("--resume", action="store_true",
                     help="skip articles already written (in --db, or in the -o file, which is appended to)")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
