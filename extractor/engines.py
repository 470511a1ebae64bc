"""Engines run a chunk function over a stream of chunks and give the results back in input order.

- `InProcess`: this process (1 worker, no start-up cost).
- `ProcessPool`: N local processes, each building its Pipeline once.
- `DaskEngine`: a Dask cluster (`tcp://host:8786`) or a LocalCluster; the client reads the inputs
  and ships them in partitions, so the workers need no access to the input files.

Each keeps a bounded number of chunks in flight: memory stays flat whatever the input size.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from extractor.models import Article, Failure

#: a pool whose workers keep dying is a broken set-up, not a bad article
MAX_RESTARTS = 10

Chunk = list[Any]
ChunkFn = Callable[[Chunk], list[Any]]


class Engine(Protocol):
    workers: int

    def map(self, fn: ChunkFn, chunks: Iterable[Chunk]) -> Iterator[list[Any]]:
        """fn(chunk) for each chunk, in order."""

    def close(self) -> None: ...


def default_workers() -> int:
    """All the cores this process may use."""
    count = getattr(os, "process_cpu_count", None)
    return (count() if count else None) or os.cpu_count() or 1


def _lost(chunk: Chunk, exc: BaseException) -> list[Any]:
    """The chunk's articles as failures when the worker running it died (e.g. out of memory)."""
    return [it if isinstance(it, Failure) else
            Failure(article_id=it.id, source=it.source, stage="extract",
                    reason=f"worker lost: {type(exc).__name__}: {exc}")
            for it in chunk if isinstance(it, Article | Failure)]


class InProcess:
    workers = 1
    chunk = 16

    def map(self, fn: ChunkFn, chunks: Iterable[Chunk]) -> Iterator[list[Any]]:
        return map(fn, chunks)

    def close(self) -> None:
        pass


class ProcessPool:
    """A pool of local worker processes, each with one Pipeline (inherited when forked, else built once)."""

    chunk = 16

    def __init__(self, workers: int, window: int | None = None) -> None:
        self.workers = workers
        self.window = window or 3 * workers
        self._executor: ProcessPoolExecutor | None = None
        self.restarts = 0

    def _start(self) -> ProcessPoolExecutor:
        from extractor.batch import worker_pipeline

        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context(),
                                   initializer=worker_pipeline)

    def map(self, fn: ChunkFn, chunks: Iterable[Chunk]) -> Iterator[list[Any]]:
        it = iter(chunks)
        first = next(it, None)
        if first is None:
            return
        second = next(it, None)
        if second is None:  # a single chunk: not worth starting the workers
            yield fn(first)
            return
        pending: deque[tuple[Chunk, Future[list[Any]]]] = deque()
        suspects: deque[Chunk] = deque([first, second])  # chunks not submitted yet, in order
        isolate = False  # after a worker died: one chunk at a time until the culprit is found
        exhausted = False
        while True:
            limit = 1 if isolate else self.window
            while len(pending) < limit and (suspects or not exhausted):
                chunk = suspects.popleft() if suspects else next(it, None)
                if chunk is None:
                    exhausted = True
                    break
                pending.append((chunk, self._submit(fn, chunk)))
            if not pending:
                return
            chunk, fut = pending.popleft()
            try:
                result = fut.result()
            except BrokenProcessPool as exc:
                self._restart()
                if isolate:  # it died alone: this chunk is the culprit, its articles fail
                    self.restarts += 1
                    if self.restarts > MAX_RESTARTS:
                        raise
                    yield _lost(chunk, exc)
                    isolate = bool(suspects)
                else:  # any of the chunks in flight may have killed it: run them again one by one
                    suspects.extendleft(reversed([chunk, *(c for c, _ in pending)]))
                    pending.clear()
                    isolate = True
                continue
            if isolate and not suspects:
                isolate = False
            yield result

    def _submit(self, fn: ChunkFn, chunk: Chunk) -> Future[list[Any]]:
        if self._executor is None:
            self._executor = self._start()
        return self._executor.submit(fn, chunk)

    def _restart(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = None

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)


class DaskEngine:
    """Chunks (partitions of the input) submitted to a Dask cluster, results gathered in order."""

    chunk = 64

    def __init__(self, scheduler: str | None = None, workers: int | None = None,
                 window: int | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise RuntimeError("--engine dask needs dask.distributed: "
                               "pip install 'zh-project-extractor[dask]'") from exc
        self.cluster = None
        if scheduler:
            self.client = Client(scheduler)
        else:
            self.cluster = LocalCluster(n_workers=workers or default_workers(), threads_per_worker=1,
                                        processes=True, dashboard_address=None,
                                        silence_logs=logging.ERROR)
            self.client = Client(self.cluster)
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})) or (workers or 1))
        self.window = window or 3 * self.workers

    def map(self, fn: ChunkFn, chunks: Iterable[Chunk]) -> Iterator[list[Any]]:
        pending: deque[tuple[Chunk, Any]] = deque()
        for chunk in chunks:
            pending.append((chunk, self.client.submit(fn, chunk, pure=False)))
            if len(pending) >= self.window:
                yield self._result(*pending.popleft())
        while pending:
            yield self._result(*pending.popleft())

    @staticmethod
    def _result(chunk: Chunk, future: Any) -> list[Any]:
        try:
            return future.result()
        except Exception as exc:  # e.g. KilledWorker: the partition's workers kept dying on it
            return _lost(chunk, exc)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_engine(name: str = "local", workers: int | None = None, scheduler: str | None = None) -> Engine:
    """`local` (1 worker: in process; more: a process pool) or `dask` (a cluster or a LocalCluster)."""
    if name == "dask":
        return DaskEngine(scheduler, workers)
    if name != "local":
        raise ValueError(f"unknown engine {name!r} (local, dask)")
    n = workers or default_workers()
    return InProcess() if n <= 1 else ProcessPool(n)
