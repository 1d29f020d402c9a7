"""Importing folders: what is skipped, re-parsed, kept, marked missing; bad files never stop it."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.library import ImportReport, Library, import_paths
from reader.library import ingest as ingest_module
from reader.library import parse as parse_module
from reader.library.body import readable

WritePost = Callable[[str, bytes | str], Path]


def post(title: str, body: str = "Body text.\n", extra: str = "") -> str:
    return f"---\ntitle: {title}\n{extra}---\n{body}"


def ids_by_path(library: Library) -> dict[str, int]:
    return {path: i for i, (path, _url) in library.locations(library.ids()).items()}


def no_parsing(data: bytes, path: str, **options: object) -> None:
    raise AssertionError(f"{path} was parsed again")


def shift_mtime(path: Path, seconds: int = 10) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + seconds * 10**9))


@pytest.fixture
def two_posts(write_post: WritePost) -> tuple[Path, Path]:
    return (
        write_post("2021-12-08-first.md", post("First")),
        write_post("sub/2021-12-09-second.md", post("Second")),
    )


EXTENSIONS = (".md", ".markdown", ".mkdn", ".text", ".txt", ".html", ".htm")


def test_front_matter_is_read_whatever_the_extension(
    library: Library, posts: Path, write_post: WritePost
) -> None:
    for ext in EXTENSIONS:
        write_post(f"post{ext}", post(f"Title {ext}", "<p>html</p><p>body</p>\n"))
    report = import_paths(library, [posts])
    assert (report.new, report.skipped, report.errors, report.warnings) == (
        len(EXTENSIONS),
        0,
        [],
        [],
    )
    stored = {s.title for s in library.summaries(limit=-1)}
    assert stored == {f"Title {ext}" for ext in EXTENSIONS}
    for article_id in library.ids():
        article = library.article(article_id)
        assert article is not None
        shown = readable(article.kind, article.body, article.html)[1]
        assert "title:" not in shown and "<p>" not in shown


def test_non_article_files_are_skipped_quietly(
    library: Library, posts: Path, write_post: WritePost
) -> None:
    write_post("post.md", post("Real"))
    write_post("_config.yml", "title: site\n")
    write_post("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10")
    write_post("binary.md", b"\x00\x01\x02\x03binary\x00" * 50)
    write_post("noise.txt", bytes(range(1, 9)) * 100)
    report = import_paths(library, [posts])
    assert (report.new, report.skipped) == (1, 4)
    assert (report.errors, report.warnings) == ([], [])
    assert [s.title for s in library.summaries()] == ["Real"]


def test_hidden_and_build_folders_are_not_walked(
    library: Library, posts: Path, write_post: WritePost
) -> None:
    write_post("keep.md", post("Kept"))
    write_post(".git/ignored.md", post("Git"))
    write_post("_site/ignored.html", post("Built"))
    write_post("node_modules/pkg/README.md", post("Package"))
    write_post(".hidden.md", post("Hidden"))
    import_paths(library, [posts])
    assert [s.title for s in library.summaries()] == ["Kept"]


def test_unchanged_files_are_not_parsed_again(
    library: Library, posts: Path, two_posts: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = import_paths(library, [posts])
    assert (first.new, first.unchanged) == (2, 0)
    ids = ids_by_path(library)
    monkeypatch.setattr(ingest_module, "parse_bytes", no_parsing)
    again = import_paths(library, [posts])
    assert (again.new, again.updated, again.unchanged, again.errors) == (0, 0, 2, [])
    assert ids_by_path(library) == ids


def test_touched_files_are_hashed_not_parsed_then_not_even_read(
    library: Library, posts: Path, two_posts: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import_paths(library, [posts])
    shift_mtime(two_posts[0])  # `touch`: new mtime, same bytes
    monkeypatch.setattr(ingest_module, "parse_bytes", no_parsing)
    report = import_paths(library, [posts])
    assert (report.updated, report.unchanged, report.errors) == (0, 2, [])

    read: list[str] = []
    real_work = ingest_module._work
    monkeypatch.setattr(
        ingest_module, "_work", lambda task: read.append(task.path) or real_work(task)
    )
    assert import_paths(library, [posts]).unchanged == 2
    assert read == []  # the new mtime was remembered


def test_changed_file_is_parsed_again_keeping_its_id_and_read_state(
    library: Library, posts: Path, two_posts: tuple[Path, Path]
) -> None:
    import_paths(library, [posts])
    ids = ids_by_path(library)
    changed = str(two_posts[0].resolve())
    library.set_read([ids[changed]])
    two_posts[0].write_text(post("First, revised", "New body.\n"), encoding="utf-8")
    shift_mtime(two_posts[0])
    report = import_paths(library, [posts])
    assert (report.new, report.updated, report.unchanged) == (0, 1, 1)
    assert ids_by_path(library) == ids
    article = library.article(ids[changed])
    assert article is not None
    assert (article.title, article.body, article.read) == ("First, revised", "New body.\n", True)


def test_same_size_rewrite_with_new_mtime_is_noticed(
    library: Library, write_post: WritePost
) -> None:
    path = write_post("a.md", post("AAAA"))
    import_paths(library, [path])
    path.write_text(post("BBBB"), encoding="utf-8")
    shift_mtime(path)
    assert import_paths(library, [path]).updated == 1
    assert [s.title for s in library.summaries()] == ["BBBB"]


def test_vanished_files_are_kept_as_missing_until_pruned(
    library: Library, posts: Path, two_posts: tuple[Path, Path]
) -> None:
    import_paths(library, [posts])
    gone_id = ids_by_path(library)[str(two_posts[1].resolve())]
    text = two_posts[1].read_bytes()
    two_posts[1].unlink()

    report = import_paths(library, [posts])
    assert (report.missing, report.unchanged) == (1, 1)
    assert "1 missing" in report.summary()
    [summary] = library.summaries_for([gone_id])
    assert summary.missing is True
    assert import_paths(library, [posts]).missing == 0  # counted once

    two_posts[1].write_bytes(text)  # back again
    import_paths(library, [posts])
    assert library.summaries_for([gone_id])[0].missing is False

    two_posts[1].unlink()
    import_paths(library, [posts])
    assert library.prune() == 1
    assert library.article(gone_id) is None
    assert len(library.ids()) == 1


def test_one_bad_file_never_stops_an_import(
    library: Library, posts: Path, write_post: WritePost, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_post("a-good.md", post("Good one"))
    write_post("b-empty.md", "")
    write_post("c-huge.md", post("Huge", "x" * 5000))
    os.symlink(posts / "nowhere.md", posts / "d-dangling.md")
    write_post("e-good.txt", "# Second good post\n")
    monkeypatch.setattr(parse_module, "MAX_FILE_BYTES", 1000)
    report = import_paths(library, [posts])
    assert report.new == 2
    assert sorted(s.title for s in library.summaries()) == ["Good one", "Second good post"]
    failed = sorted(Path(p.path).name for p in report.errors)
    assert failed == ["b-empty.md", "c-huge.md", "d-dangling.md"]
    messages = " | ".join(str(p) for p in report.errors)
    assert "empty" in messages and "larger" in messages


def test_unreadable_file_is_an_error_not_a_stop(
    library: Library, posts: Path, write_post: WritePost
) -> None:
    write_post("good.md", post("Good"))
    locked = write_post("locked.md", post("Locked"))
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as root: chmod 000 does not stop reading")
        report = import_paths(library, [posts])
    finally:
        locked.chmod(0o644)
    assert report.new == 1
    [problem] = report.errors
    assert problem.path.endswith("locked.md")
    assert "cannot read" in problem.message


def test_read_error_is_an_error_not_a_stop(
    library: Library, posts: Path, write_post: WritePost, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chmod test above, for root too: the file cannot be opened when it is read."""
    write_post("good.md", post("Good"))
    write_post("locked.md", post("Locked"))

    real = parse_module.read_post

    def fake_read(path: str) -> bytes:
        if path.endswith("locked.md"):
            raise PermissionError(13, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(ingest_module, "read_post", fake_read)
    report = import_paths(library, [posts])
    assert report.new == 1
    [problem] = report.errors
    assert problem.path.endswith("locked.md")
    assert problem.message == "cannot read: Permission denied"


def test_unpublished_posts_are_counted_or_imported_on_request(
    library: Library, posts: Path, write_post: WritePost
) -> None:
    write_post("shown.md", post("Shown"))
    write_post("hidden.md", post("Hidden", extra="published: false\n"))
    write_post("draft.md", post("Draft", extra="draft: true\n"))
    report = import_paths(library, [posts])
    assert (report.new, report.unpublished, report.skipped) == (1, 2, 0)
    assert "3 skipped (2 unpublished)" not in report.summary()
    assert "2 skipped (2 unpublished)" in report.summary()

    everything = import_paths(library, [posts], include_unpublished=True)
    assert everything.new == 2
    assert sorted(s.title for s in library.summaries()) == ["Draft", "Hidden", "Shown"]


def test_parser_warnings_are_reported_with_file_and_line(
    library: Library, write_post: WritePost
) -> None:
    path = write_post(
        "2021-12-08-bad-yaml.md", "---\ntitle: ok\nkey: value\n  bad: indent\n---\nText"
    )
    report = import_paths(library, [path])
    assert report.new == 1
    [warning] = report.warnings
    assert (warning.path, warning.line) == (str(path.resolve()), 4)
    assert [s.title for s in library.summaries()] == ["ok"]  # recovered from its line


def test_missing_path_is_an_error_and_the_rest_is_imported(
    library: Library, tmp_path: Path, write_post: WritePost
) -> None:
    path = write_post("a.md", post("A"))
    report = import_paths(library, [tmp_path / "nope", path])
    assert report.new == 1
    [problem] = report.errors
    assert problem.path == str(tmp_path / "nope")


def test_single_file_import_does_not_mark_its_neighbours_missing(
    library: Library, posts: Path, two_posts: tuple[Path, Path]
) -> None:
    import_paths(library, [posts])
    report = import_paths(library, [two_posts[0]])
    assert (report.unchanged, report.missing) == (1, 0)
    assert not any(s.missing for s in library.summaries())


def test_parallel_import_in_batches_matches_serial(
    tmp_path: Path, posts: Path, write_post: WritePost, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(12):
        write_post(f"2021-01-{n + 1:02d}-post-{n}.md", post(f"Post {n}", extra=f"tags: t{n % 3}\n"))
    write_post("empty.md", "")
    with Library(tmp_path / "serial.db") as serial:
        expected = import_paths(serial, [posts], jobs=1)
        serial_rows = [(s.title, s.date, s.tags) for s in serial.summaries(limit=-1)]

    monkeypatch.setattr(ingest_module, "PARALLEL_FROM", 2)
    monkeypatch.setattr(ingest_module, "BATCH", 5)
    calls: list[tuple[int, int]] = []
    with Library(tmp_path / "parallel.db") as parallel:
        report = import_paths(parallel, [posts], jobs=2, progress=lambda *a: calls.append(a))
        assert [(s.title, s.date, s.tags) for s in parallel.summaries(limit=-1)] == serial_rows
    assert (report.new, len(report.errors)) == (expected.new, len(expected.errors)) == (12, 1)
    assert calls[-1] == (13, 13)


def test_report_summary_line() -> None:
    report = ImportReport(new=3, updated=1, unchanged=5, skipped=2, unpublished=1)
    assert report.summary() == (
        "3 new, 1 updated, 5 unchanged, 3 skipped (1 unpublished), 0 warnings, 0 errors"
    )


# ---- the site's address, and files parsed again by a newer parser ------------------------------

FOOTER = (
    "正文。\n\n<http://finance.eastmoney.com/news/1.html>\n\n[返回首页](../) [栏目](/emnews/)\n"
)


def body_of(library: Library, name: str) -> str:
    found = [library.article(i) for i in library.ids()]
    return next(a.body for a in found if a is not None and a.path.endswith(name))


@pytest.mark.parametrize("imported", ["site", "site/_posts", "site/_posts/2021-12-08-a.md"])
def test_relative_links_resolve_against_the_jekyll_sites_url(
    library: Library, posts: Path, write_post: WritePost, imported: str
) -> None:
    write_post(
        "site/_config.yml", "title: 金融消息\nurl: https://finews.example.com\nbaseurl: /b\n"
    )
    write_post("site/_posts/2021-12-08-a.md", post("A", FOOTER))
    report = import_paths(library, [posts / imported])
    assert (report.new, report.errors) == (1, [])
    body = body_of(library, "2021-12-08-a.md")
    assert "[返回首页](https://finews.example.com/)" in body  # ../ from /b/
    assert "[栏目](https://finews.example.com/emnews/)" in body  # / is the host's root
    assert "eastmoney.com/emnews" not in body


@pytest.mark.parametrize(
    "config",
    [
        "url: [not, a, url]\n",
        "url: javascript:alert(1)\n",
        "{{{ broken",
        "url: !!python/object:os.system x\n",
    ],
)
def test_a_bad_site_config_gives_no_base(
    library: Library, posts: Path, write_post: WritePost, config: str
) -> None:
    write_post("site/_config.yml", config)
    write_post("site/_posts/2021-12-08-a.md", post("A", FOOTER))
    report = import_paths(library, [posts / "site"])
    assert (report.new, report.errors) == (1, [])
    assert "[返回首页](../)" in body_of(library, "2021-12-08-a.md")


def test_a_newer_parser_parses_every_file_again_keeping_state(
    library: Library, posts: Path, write_post: WritePost, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_post("2021-12-08-a.md", post("A", "## 刊首语\n\n<u>下划线</u>\n\n- 一\n- 二\n"))
    write_post("2021-12-09-b.md", post("B"))
    import_paths(library, [posts])
    ids = ids_by_path(library)
    first = ids[str(posts / "2021-12-08-a.md")]
    library.set_read([first])
    library.set_bookmark([first], True, note="记下")
    with library.transaction():  # as an older newsreader left it: HTML, the tags swallowed
        library.db.execute("UPDATE articles SET kind='html', body='stale' WHERE id=?", (first,))

    monkeypatch.setattr(ingest_module, "parse_bytes", no_parsing)
    assert import_paths(library, [posts]).unchanged == 2  # same parser: nothing is read

    monkeypatch.undo()
    monkeypatch.setattr(ingest_module, "PARSER_VERSION", "999")
    report = import_paths(library, [posts])
    assert (report.new, report.updated, report.unchanged) == (0, 2, 0)
    assert ids_by_path(library) == ids
    article = library.article(first)
    assert article is not None
    assert (article.kind, article.read, article.bookmarked, article.note) == (
        "markdown", True, True, "记下",
    )  # fmt: skip
    assert article.body.startswith("## 刊首语")

    monkeypatch.setattr(ingest_module, "parse_bytes", no_parsing)
    assert import_paths(library, [posts]).unchanged == 2  # the new version is remembered
