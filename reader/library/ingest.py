"""Import: walk paths, parse changed files in parallel, store them, report what happened."""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from reader.library.deferred import build_set_aside, set_aside
from reader.library.models import ImportReport, ParsedArticle, Problem
from reader.library.parse import (
    ARTICLE_SUFFIXES,
    PARSER_VERSION,
    NotAnArticle,
    ParseError,
    Unpublished,
    parse_bytes,
    read_post,
)
from reader.library.processes import PARALLEL_FROM, index_pool, process_pool
from reader.library.rows import stored_body
from reader.library.site import site_above, site_url
from reader.library.store import Library

# Folders that hold no posts of their own: Jekyll/Hugo build output, caches, VCS data.
SKIP_DIRS = frozenset({"_site", "public", "node_modules", "__pycache__", "vendor"})
BATCH = 2000  # parsed articles held before they are written: bounded memory
FLUSH = 0.5  # seconds: written at least this often, so the first articles show at once
FIRST = 100  # the first articles are written as soon as there are this many
GROUP = 200  # new articles written by one statement
DEFER_FROM = 5000  # new files from which an import into an empty library builds its list
# indexes once, after the rows (see deferred.py)
WINDOW = 4000  # files handed to the parser processes at a time

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class _Task:
    path: str
    size: int
    mtime_ns: int
    known_hash: str
    include_unpublished: bool
    site: str | None = None  # the URL of the static site the file is a post of


@dataclass(frozen=True, slots=True)
class _Result:
    task: _Task
    status: str  # parsed | unchanged | unpublished | skipped | error
    digest: str = ""
    article: ParsedArticle | None = None
    problem: Problem | None = None


def _work(task: _Task) -> _Result:
    """Runs in a worker process: read, hash, and parse when the bytes changed."""
    try:
        data = read_post(task.path)
    except OSError as exc:
        return _Result(task, "error", problem=Problem(task.path, f"cannot read: {exc.strerror}"))
    except ParseError as exc:
        return _Result(task, "error", problem=Problem(task.path, str(exc)))
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    if digest == task.known_hash:
        return _Result(task, "unchanged", digest)
    try:
        article = parse_bytes(
            data,
            task.path,
            include_unpublished=task.include_unpublished,
            site=task.site,
            with_text=False,  # (made when the article is indexed)
        )
    except Unpublished:
        return _Result(task, "unpublished", digest)
    except NotAnArticle:
        return _Result(task, "skipped", digest)
    except ParseError as exc:
        return _Result(task, "error", digest, problem=Problem(task.path, str(exc)))
    except (RecursionError, MemoryError) as exc:
        problem = Problem(
            task.path, f"too deeply nested or too large to parse ({type(exc).__name__})"
        )
        return _Result(task, "error", digest, problem=problem)
    return _Result(task, "parsed", digest, article._replace(body=stored_body(article.body)))


def site_content(files: set[str], folders: set[str]) -> dict[str, bool] | None:
    """A static-site root's content folders (name -> holds drafts), or None for any other
    folder. Only these hold posts; the rest of a site is pages, templates and assets."""
    jekyll_config = files & {"_config.yml", "_config.yaml", "_config.toml"}
    # A config file alone is not enough: a stray one must not hide a folder of posts.
    if "_posts" in folders or (jekyll_config and folders & {"_drafts", "_layouts", "_includes"}):
        return {"_posts": False, "_drafts": True}
    hugo_config = files & {"hugo.toml", "hugo.yaml", "hugo.json"}
    old_config = files & {"config.toml", "config.yaml", "config.json"}
    # Zola (config.toml, content/, templates/) fits Hugo's older rule, posts in content/ too.
    if hugo_config or (old_config and "content" in folders):
        return {"content": False}
    return None


def walk(root: Path) -> Iterator[tuple[str, os.stat_result | None, bool, str | None]]:
    """Every file under `root` (following symlinks, once each), with its stat or None,
    whether it is a Jekyll draft, and the URL of the site root it is in (from its
    `_config.yml`) or None. In a site root (see site_content) only content is walked."""
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[str, bool, str | None]] = [(str(root), False, None)]
    while stack:
        folder, drafts, site = stack.pop()
        try:
            info = os.stat(folder)
            if (info.st_dev, info.st_ino) in seen:
                continue  # a symlink loop or a second link to a folder already walked
            seen.add((info.st_dev, info.st_ino))
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            yield folder, None, drafts, site
            continue
        files: list[os.DirEntry[str]] = []
        folders: list[os.DirEntry[str]] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                (folders if entry.is_dir() else files).append(entry)
            except OSError:
                yield entry.path, None, drafts, site
        names = {e.name for e in files}
        content = site_content(names, {e.name for e in folders})
        if content is not None:
            site = site_url(folder, names) or site
        for entry in folders:
            if entry.name in SKIP_DIRS:
                continue
            if content is None:
                stack.append((entry.path, drafts, site))
            elif entry.name in content:
                stack.append((entry.path, drafts or content[entry.name], site))
        if content is not None:
            continue  # a site's own pages and config: not posts, and not counted as skipped
        for entry in files:
            try:
                yield entry.path, entry.stat(), drafts, site
            except OSError:
                yield entry.path, None, drafts, site


def import_paths(
    library: Library,
    paths: Iterable[str | Path],
    *,
    include_unpublished: bool = False,
    jobs: int | None = None,
    progress: Progress | None = None,
    indexing: Progress | None = None,
) -> ImportReport:
    """Import files and folders (recursively). One bad file never stops the rest.

    Two stages: every article is listed (parsed in worker processes, written in batches),
    then the new ones are indexed for search (`Library.index_pending`). `progress` and
    `indexing` are told how far each has come; so is the library's `-busy` marker."""
    report = ImportReport()
    known = library.known_files()
    plans: list[tuple[int, bool, list[_Task], set[int]]] = []  # root, whole folder?, tasks, seen
    reparsed: list[int] = []  # roots parsed by an older parser: every file is parsed again
    for given in paths:
        path = Path(given).expanduser()
        if not path.exists():
            report.errors.append(Problem(str(given), "no such file or folder"))
            continue
        path = path.resolve()
        whole = path.is_dir()
        root = str(path if whole else path.parent)
        with library.transaction():
            root_id = library.root_id(root)
        again = library.setting(_version_key(root_id)) != PARSER_VERSION
        if again:
            reparsed.append(root_id)
        tasks: list[_Task] = []
        present: set[int] = set()
        site = site_above(path)
        files = walk(path) if whole else [(str(path), _stat(path), False, None)]
        for file, info, draft, file_site in files:
            if info is None:
                report.errors.append(Problem(file, "cannot read"))
                continue
            if Path(file).suffix.lower() not in ARTICLE_SUFFIXES:
                report.skipped += 1
                continue
            if not stat.S_ISREG(info.st_mode):  # a FIFO would block the reader forever
                report.warnings.append(Problem(file, "not a regular file; skipped"))
                report.skipped += 1
                continue
            old = known.get(file)
            if old and old[1] == info.st_size and old[2] == info.st_mtime_ns and not again:
                report.unchanged += 1
                present.add(old[0])
                continue
            if draft and not include_unpublished:  # Jekyll drafts are unpublished posts
                report.unpublished += 1
                continue
            known_hash = old[3] if old and not again else ""
            tasks.append(
                _Task(
                    file,
                    info.st_size,
                    info.st_mtime_ns,
                    known_hash,
                    include_unpublished,
                    file_site or site,
                )
            )
        plans.append((root_id, whole, tasks, present))

    total = sum(len(tasks) for _, _, tasks, _ in plans)
    done = 0
    moved_from = {entry[3] for entry in known.values()}  # a new path with these bytes may
    with library.holding("an import") as job, library.bulk():  # be a file moved
        job.progress("listing", 0, total)
        if total >= DEFER_FROM:
            set_aside(library)  # (an empty library's list indexes: built once, after)
        for root_id, whole, tasks, present in plans:
            pending: list[_Result] = []
            flushed = time.monotonic()
            for result in _run(tasks, jobs):
                pending.append(result)
                held = BATCH if done >= FIRST else FIRST  # (the first ones at once)
                if len(pending) >= held or time.monotonic() - flushed > FLUSH:
                    _store(library, root_id, pending, known, moved_from, present, report)
                    pending.clear()
                    flushed = time.monotonic()
                done += 1
                job.progress("listing", done, total)
                if progress and (done % 100 == 0 or done == total):
                    progress(done, total)
            _store(library, root_id, pending, known, moved_from, present, report)
            if whole:
                with library.transaction():
                    report.missing += library.mark_missing(root_id, present)
            if root_id in reparsed:
                with library.transaction():
                    library.set_setting(_version_key(root_id), PARSER_VERSION)

        build_set_aside(library)

        def indexed(done: int, total: int) -> None:
            job.progress("indexing", done, total)
            if indexing:
                indexing(done, total)

        try:
            with index_pool(library.unindexed(), jobs) as pool:
                library.index_pending(indexed, pool)
        except BrokenProcessPool:  # a worker was killed: the rest here, one at a time
            library.index_pending(indexed)
        library.compact()
    return report


def _version_key(root_id: int) -> str:
    """Kept per root: a re-import of one folder must not mark the others' files as parsed."""
    return f"parser_version:{root_id}"


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def _run(tasks: list[_Task], jobs: int | None) -> Iterator[_Result]:
    workers = jobs or os.cpu_count() or 1
    if workers <= 1 or len(tasks) < PARALLEL_FROM:
        yield from map(_work, tasks)
        return
    chunk = max(16, min(256, len(tasks) // (workers * 8)))
    done, suspects = 0, 0  # tasks[done:suspects] were in flight when a worker died
    while done < len(tasks):
        careful = done < suspects  # one worker, one file at a time: the culprit shows
        todo = tasks[done:suspects] if careful else tasks[done:]
        try:
            for result in _pooled(todo, 1 if careful else workers, 1 if careful else chunk):
                done += 1
                yield result
        except BrokenProcessPool:  # a worker was killed (out of memory, or by someone)
            if careful:
                message = "the parser process died on this file (out of memory?); not imported"
                yield _Result(tasks[done], "error", problem=Problem(tasks[done].path, message))
                done += 1
            else:
                suspects = min(len(tasks), done + (workers + 2) * chunk)


def _pooled(tasks: list[_Task], workers: int, chunk: int) -> Iterator[_Result]:
    """_work over `tasks` in `workers` processes, in order."""
    # Executor.map submits everything at once: results would pile up in memory while the
    # store catches up. Two windows in flight keep the workers busy and memory bounded.
    windows = [tasks[i : i + WINDOW] for i in range(0, len(tasks), WINDOW)]
    with process_pool(workers) as pool:
        pending = pool.map(_work, windows[0], chunksize=chunk)
        for window in windows[1:]:
            following = pool.map(_work, window, chunksize=chunk)
            yield from pending
            pending = following
        yield from pending


def _store(
    library: Library,
    root_id: int,
    results: list[_Result],
    known: dict[str, tuple[int, int, int, str]],
    moved_from: set[str],
    present: set[int],
    report: ImportReport,
) -> None:
    """Write a batch of results, new articles many to a statement, in slices."""
    groups = [results[i : i + GROUP] for i in range(0, len(results), GROUP)]
    for group in library.slices(groups):
        new: list[tuple[ParsedArticle, int, int, str]] = []
        for result in group:
            task, article = result.task, result.article
            old = known.get(task.path)
            if result.problem:
                report.errors.append(result.problem)
            if result.status == "unchanged" and old:
                library.touch(old[0], task.size, task.mtime_ns)
                present.add(old[0])
                report.unchanged += 1
            elif result.status == "parsed" and article:
                report.warnings.extend(article.warnings)
                if old is None and result.digest not in moved_from:
                    new.append((article, task.size, task.mtime_ns, result.digest))
                    continue
                article_id, is_new = library.save(
                    article, root_id, task.size, task.mtime_ns, result.digest
                )
                present.add(article_id)
                known[task.path] = (article_id, task.size, task.mtime_ns, result.digest)
                report.new += is_new
                report.updated += not is_new
            elif result.status == "unpublished":
                report.unpublished += 1
            elif result.status == "skipped":
                report.skipped += 1
            elif old:
                present.add(old[0])  # unreadable now, but not gone: keep it as it was
        for article_id, (article, size, mtime_ns, digest) in zip(
            library.add_articles(root_id, new), new, strict=True
        ):
            present.add(article_id)
            known[article.path] = (article_id, size, mtime_ns, digest)
            report.new += 1
