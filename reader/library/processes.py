"""The worker processes of an import and of indexing: forked, ended with the process that
started them, and stopped without waiting for queued work."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import AbstractContextManager, contextmanager, nullcontext

PARALLEL_FROM = 200  # below this many files a process pool costs more than it saves


def index_pool(pending: int, jobs: int | None = None) -> AbstractContextManager[Executor | None]:
    """Processes that make index rows while the importer writes, when it pays. They yield
    the CPU to the writer, the slower side (with as many of them as cores, it got two
    thirds of a core)."""
    workers = jobs or os.cpu_count() or 1
    if workers <= 1 or pending < PARALLEL_FROM:
        return nullcontext(None)
    return process_pool(workers, nice=10)


def _watch_parent(parent: int, nice: int = 0) -> None:
    """In a parser process: end when the importer is gone (`kill -9`, the OOM killer), or
    it would wait on its queue forever, holding the library's files and the terminal."""
    if nice and hasattr(os, "nice"):
        os.nice(nice)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)  # not exit(): nothing inherited from the importer may be flushed or closed

    threading.Thread(target=watch, daemon=True).start()


@contextmanager
def process_pool(workers: int, nice: int = 0) -> Iterator[ProcessPoolExecutor]:
    """Parser processes (at a lower priority by `nice`); an import stopped (Ctrl+C, an
    error) does not wait for the work still queued for them, only for what they are doing
    (a chunk: well under a second)."""
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_watch_parent, initargs=(os.getpid(), nice)
    )
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
