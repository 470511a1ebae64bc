"""The streaming batch runner behind `extractor run` and `extractor load`.

Articles are read lazily and sent to an engine (in-process, a process pool or a Dask cluster) in
chunks; at most a few chunks are in flight, so memory stays flat whatever the input size. Results
come back in input order, so the output is the same whatever the engine or the worker count.
"""

from __future__ import annotations

import gzip
import os
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import IO, TYPE_CHECKING, TypeVar

from pydantic import ValidationError

from extractor.models import Article, ArticleResult, Failure
from extractor.sinks.base import text_sha256

if TYPE_CHECKING:
    from extractor.engines import Engine
    from extractor.pipeline import Pipeline
    from extractor.sinks import Sink

EXIT_OK, EXIT_SOME_FAILED, EXIT_ALL_FAILED, EXIT_INTERRUPTED = 0, 1, 3, 130

#: articles sent to a worker at a time
CHUNK = 16

T = TypeVar("T")


@dataclass(slots=True)
class Done:
    """One processed article as it travels back from a worker: its record already serialised."""

    article_id: str
    line: str
    labels: dict[str, int]
    chars: int


_PIPELINE: Pipeline | None = None
_PIPELINE_LOCK = threading.Lock()


#: run once through a new Pipeline so that what its stages load lazily (dictionaries, segmenter) is
#: loaded before workers are forked from this process, which then share it
WARM_UP = "华川新能源科技有限公司年产5万吨材料项目总投资12.5亿元，2024年3月开工，可提供就业岗位600个。"


def worker_pipeline() -> Pipeline:
    """The Pipeline of this process, built and warmed up on first use (once per worker)."""
    global _PIPELINE
    with _PIPELINE_LOCK:
        if _PIPELINE is None:
            from extractor.pipeline import Pipeline

            pipeline = Pipeline()
            pipeline.process(Article(id="warm-up", text=WARM_UP, published="2023-05-10"))
            _PIPELINE = pipeline
        return _PIPELINE


def article_chars(article: Article) -> int:
    return article.region[1] - article.region[0] if article.region else len(article.text)


def process_chunk(items: list[Article | Failure]) -> list[Done | Failure]:
    """Run the pipeline over a chunk (read failures pass through): the function every engine maps."""
    pipeline = worker_pipeline()
    articles = [item for item in items if isinstance(item, Article)]
    results = iter(pipeline.process_many(articles))
    out: list[Done | Failure] = []
    for item in items:
        if isinstance(item, Failure):
            out.append(item)
            continue
        result = next(results)
        if isinstance(result, Failure):
            out.append(result)
            continue
        try:
            line = result.model_dump_json()
        except Exception as exc:  # one bad article never stops a batch
            out.append(Failure(article_id=item.id, source=item.source, stage="write", reason=repr(exc)))
            continue
        labels = Counter(m.label.value for m in result.mentions)
        out.append(Done(result.article_id, line, dict(labels), article_chars(item)))
    return out


@dataclass
class Summary:
    """Counts of one run, printed on stderr at the end; `exit_status` follows the CLI contract."""

    read: int = 0
    input_errors: int = 0
    processed: int = 0
    failed: int = 0
    skipped: int = 0
    chars: int = 0
    labels: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.perf_counter)
    seconds: float = 0.0
    engine: str = ""
    interrupted: bool = False

    def add(self, item: Done | Failure) -> None:
        if isinstance(item, Done):
            self.processed += 1
            self.chars += item.chars
            self.labels.update(item.labels)
        else:
            self.failed += 1

    def finish(self) -> Summary:
        self.seconds = time.perf_counter() - self.started
        return self

    @property
    def exit_status(self) -> int:
        if self.failed == 0 and (self.processed or self.skipped):
            return EXIT_OK
        return EXIT_SOME_FAILED if self.processed or self.skipped else EXIT_ALL_FAILED

    def render(self, what: str = "articles") -> str:
        secs = max(self.seconds, 1e-9)
        lines = [f"{what} read {self.read}, processed {self.processed}, failed {self.failed}"
                 + (f" ({self.input_errors} unreadable input records)" if self.input_errors else "")
                 + (f", skipped {self.skipped} (already loaded)" if self.skipped else "")]
        if self.labels:
            lines.append("mentions: " + ", ".join(f"{k} {v}" for k, v in sorted(self.labels.items())))
        elif self.processed:
            lines.append("mentions: none")
        chars = f"{self.chars / secs:,.0f} chars/s, " if self.chars else ""
        engine = f" ({self.engine})" if self.engine else ""
        lines.append(f"{self.processed / secs:.1f} {what}/s, {chars}{self.seconds:.1f} s{engine}")
        return "\n".join(lines)


def format_failure(f: Failure) -> str:
    where = ":".join(str(x) for x in (f.source, f.line) if x is not None)
    return f"error: {where or '-'}: {f.article_id or '-'}: {f.stage}: {f.reason}"


class Reporter:
    """Progress bar (articles/s) on a terminal only, and error lines, all on stderr; failures also
    as JSON Lines in `errors` when given (`extractor load` reads them into the failures table)."""

    def __init__(self, progress: bool | None = None, stream: IO[str] | None = None,
                 errors: str | None = None) -> None:
        self.stream = stream or sys.stderr
        self.errors = open(errors, "w", encoding="utf-8") if errors else None
        show = self.stream.isatty() if progress is None else progress
        self.bar = None
        if show:
            from tqdm import tqdm

            self.bar = tqdm(unit=" articles", file=self.stream, dynamic_ncols=True, smoothing=0.1)

    def advance(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def error(self, failure: Failure) -> None:
        msg = format_failure(failure)
        if self.bar is not None:
            self.bar.write(msg, file=self.stream)
        else:
            print(msg, file=self.stream)
        if self.errors is not None:
            self.errors.write(failure.model_dump_json() + "\n")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        if self.errors is not None:
            self.errors.close()


def _input_of(item: Article | Failure) -> str | None:
    return item.id.split("#", 1)[0] if isinstance(item, Article) else None


def _batched(items: Iterable[T], n: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, n)):
        yield chunk


def _chunks(items: Iterable[Article | Failure], n: int) -> Iterator[list[Article | Failure]]:
    """Chunks of about `n` items; the pieces of one page (`<id>#1`, `<id>#2` ...) stay together."""
    chunk: list[Article | Failure] = []
    for item in items:
        if len(chunk) >= n and (_input_of(item) is None or _input_of(item) != _input_of(chunk[-1])):
            yield chunk
            chunk = []
        chunk.append(item)
    if chunk:
        yield chunk


def run(items: Iterable[Article | Failure], sink: Sink, engine: Engine, *, resume: bool = False,
        keep_text: bool = False, chunk: int = CHUNK, reporter: Reporter | None = None) -> Summary:
    """Process every item and write results and failures to `sink`, in input order.

    With `resume`, articles the sink already holds (same id, and same text when its hash is stored)
    are skipped. `keep_text` passes each article's text to the sink (databases store it).
    """
    summary = Summary()
    reporter = reporter or Reporter(progress=False)
    in_flight: deque[list[Article | Failure]] = deque()

    def chunks() -> Iterator[list[Article | Failure]]:
        for batch in _chunks(items, chunk):
            for it in batch:
                if isinstance(it, Failure):
                    summary.input_errors += 1
                else:
                    summary.read += 1
            if resume:
                batch = _unseen(batch, sink, summary)
                if not batch:
                    continue
            in_flight.append(batch)
            yield batch

    try:
        for results in engine.map(process_chunk, chunks()):
            batch = in_flight.popleft()
            texts = {a.id: a.text for a in batch if isinstance(a, Article)} if keep_text else {}
            for res in results:
                summary.add(res)
                if isinstance(res, Done):
                    sink.add(res.line, text=texts.get(res.article_id))
                else:
                    reporter.error(res)
                    sink.fail(res)
            reporter.advance(len(results))
    except KeyboardInterrupt:  # Ctrl-C: stop reading; the sink still gets what is complete
        summary.interrupted = True
    finally:
        reporter.close()
    return summary.finish()


def _unseen(batch: list[Article | Failure], sink: Sink, summary: Summary) -> list[Article | Failure]:
    """The items of `batch` the sink does not hold yet (a changed text counts as new)."""
    known = sink.known([a.id for a in batch if isinstance(a, Article)])
    if not known:
        return batch
    keep: list[Article | Failure] = []
    for a in batch:
        if isinstance(a, Article) and a.id in known and known[a.id] in (None, text_sha256(a.text)):
            summary.skipped += 1
        else:
            keep.append(a)
    return keep


# --- extractor load ----------------------------------------------------------------------------

def _open_lines(path: str) -> IO[str]:
    if path == "-":
        return sys.stdin
    if path.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig")
    return open(path, encoding="utf-8-sig")  # closed by the caller


def read_results(paths: Iterable[str]) -> Iterator[tuple[str, ArticleResult | Failure]]:
    """(canonical JSON line, record) for each record line of the files; failure objects pass through;
    a line that is neither becomes a parse Failure."""
    for path in paths:
        source = "<stdin>" if path == "-" else path
        try:
            fh = _open_lines(path)
        except OSError as exc:
            yield "", Failure(source=source, stage="read", reason=str(exc))
            continue
        try:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    rec = ArticleResult.model_validate_json(line)
                    yield rec.model_dump_json(), rec
                except ValidationError as exc:
                    yield "", _failure_line(line, source, n, exc)
        except (OSError, UnicodeDecodeError, EOFError) as exc:
            yield "", Failure(source=source, stage="read", reason=f"{type(exc).__name__}: {exc}")
        finally:
            if fh is not sys.stdin:
                fh.close()


def _failure_line(line: str, source: str, n: int, exc: ValidationError) -> Failure:
    """A failure object written by `run --errors` is loaded as such; anything else is a parse error."""
    try:
        return Failure.model_validate_json(line)
    except ValidationError:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"]))
        return Failure(source=source, line=n, stage="parse", reason=f"{where}: {first['msg']}" if where
                       else first["msg"])


def load(paths: Iterable[str], sink: Sink, *, resume: bool = False,
         reporter: Reporter | None = None) -> Summary:
    """Load JSON Lines of records (the output of `run`) into `sink`."""
    summary = Summary()
    reporter = reporter or Reporter(progress=False)
    try:
        for batch in _batched(read_results(paths), 256):
            ids = [rec.article_id for _, rec in batch if isinstance(rec, ArticleResult)]
            known = sink.known(ids) if resume and ids else {}
            for line, rec in batch:
                summary.read += 1
                if isinstance(rec, Failure):
                    summary.failed += 1
                    reporter.error(rec)
                    sink.fail(rec)
                elif rec.article_id in known:
                    summary.skipped += 1
                else:
                    summary.processed += 1
                    summary.labels.update(m.label.value for m in rec.mentions)
                    sink.add(line)
            reporter.advance(len(batch))
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        reporter.close()
    return summary.finish()


# --- the commands ------------------------------------------------------------------------------

def _finish(summary: Summary, sink: Sink, what: str = "articles") -> int:
    for failure in getattr(sink, "refused", []):  # processed, but the database would not store it
        print(format_failure(failure), file=sys.stderr)
        summary.processed -= 1
        summary.failed += 1
    print(summary.render(what), file=sys.stderr)
    if sink.stats is not None:
        print(str(sink.stats), file=sys.stderr)
    if summary.interrupted:
        print("interrupted: what is written is complete; run again with --resume to finish", file=sys.stderr)
        return EXIT_INTERRUPTED
    return summary.exit_status


def _open(factory: Callable[[], Sink]) -> Sink | None:
    try:
        return factory()
    except Exception as exc:  # a database that cannot be opened: say why, no traceback
        print(f"error: cannot open the output: {type(exc).__name__}: {exc}", file=sys.stderr)
        return None


def run_command(items: Iterable[Article | Failure], *, output: str | None = None, db: str | None = None,
                workers: int | None = None, engine: str = "local", scheduler: str | None = None,
                resume: bool = False, progress: bool | None = None, errors: str | None = None) -> int:
    """`extractor run`: process `items` into JSON Lines or a database; the exit status of the CLI."""
    from extractor.engines import make_engine
    from extractor.sinks import open_sink

    sink = _open(lambda: open_sink(output, db, resume=resume))
    if sink is None:
        return EXIT_ALL_FAILED
    try:
        if engine == "local":  # built here once: forked workers inherit it, and a broken setup fails fast
            try:
                worker_pipeline()
            except Exception as exc:
                print(f"error: the pipeline cannot be built: {type(exc).__name__}: {exc}", file=sys.stderr)
                return EXIT_ALL_FAILED
        try:
            runner = make_engine(engine, workers, scheduler)
        except Exception as exc:  # e.g. no scheduler at that address
            print(f"error: cannot start the {engine} engine: {type(exc).__name__}: {exc}", file=sys.stderr)
            return EXIT_ALL_FAILED
        try:
            summary = run(items, sink, runner, resume=resume, keep_text=db is not None,
                          chunk=getattr(runner, "chunk", CHUNK), reporter=Reporter(progress, errors=errors))
        except BrokenPipeError:  # `extractor run ... | head`: the reader has gone, so stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return EXIT_SOME_FAILED
        finally:
            runner.close()
    finally:
        sink.close()  # what is complete is written (also on Ctrl-C)
    summary.engine = f"{engine} engine, {runner.workers} worker(s)"
    return _finish(summary, sink)


def load_command(paths: list[str], db: str, *, resume: bool = False, progress: bool | None = None) -> int:
    """`extractor load`: records (JSON Lines written by `run`) into a database."""
    from extractor.sinks import open_sink

    sink = _open(lambda: open_sink(db=db))
    if sink is None:
        return EXIT_ALL_FAILED
    try:
        summary = load(paths, sink, resume=resume, reporter=Reporter(progress))
    finally:
        sink.close()
    return _finish(summary, sink, "records")
