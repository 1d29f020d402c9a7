"""benchmarks/bench_import.py's helpers on 20 generated posts: all-Chinese posts, the Atom
feed newsboat reads, the stages of an import as the benchmark sees them."""

from __future__ import annotations

import re
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import bench_import  # noqa: E402
import generate  # noqa: E402
import vs_newsboat  # noqa: E402

ATOM = "{http://www.w3.org/2005/Atom}"
CJK = re.compile(r"[\u4e00-\u9fff]")


def make(folder: Path, *more: str) -> list[Path]:
    generate.main([str(folder), "-n", "20", "--seed", "1", "--jobs", "1", *more])
    return sorted(folder.rglob("*.md"))


def title(path: Path) -> str:
    found = re.search(r'^title: "(.*)"$', path.read_text(encoding="utf-8"), re.M)
    assert found
    return found.group(1)


def test_chinese_posts_have_no_english_and_the_same_output_each_time(tmp_path: Path) -> None:
    mixed = make(tmp_path / "mixed")
    assert any(title(p) and not CJK.search(title(p)) for p in mixed)  # some English by default
    posts = make(tmp_path / "a", "--chinese")
    assert len(posts) == 20
    assert all(CJK.search(title(p)) for p in posts if title(p))
    again = make(tmp_path / "b", "--chinese")
    assert [p.relative_to(tmp_path / "b") for p in again] == [
        p.relative_to(tmp_path / "a") for p in posts
    ]
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in posts]


def test_the_feed_holds_every_post_with_its_fields(tmp_path: Path) -> None:
    posts = make(tmp_path / "posts")
    entries, size = vs_newsboat.write_feed(tmp_path / "posts", tmp_path / "feed.atom")
    assert (entries, size) == (20, (tmp_path / "feed.atom").stat().st_size)
    found = ET.parse(tmp_path / "feed.atom").getroot().findall(f"{ATOM}entry")
    assert len(found) == 20
    assert len({e.findtext(f"{ATOM}id") for e in found}) == 20
    assert [e.findtext(f"{ATOM}title") for e in found] == [title(p) for p in posts]
    html_posts = 0
    for post, e in zip(posts, found, strict=True):
        text = post.read_text(encoding="utf-8")
        link = e.find(f"{ATOM}link")
        assert link is not None and f"<{link.get('href')}>" in text
        terms = [c.get("term") for c in e.findall(f"{ATOM}category")]
        assert re.search(r"^categories: (\S+)$", text, re.M).group(1) == terms[0]
        content = e.find(f"{ATOM}content")
        assert content is not None and content.get("type") == "html"
        assert e.findtext(f"{ATOM}updated", "").startswith(re.search(r"date: (\S+)", text)[1])
        if '<p style="display:none' in text:  # an HTML post: its HTML as it is
            html_posts += 1
            assert '<p style="display:none' in content.text
        else:  # Markdown: escaped text in a paragraph, its footer link as text
            assert content.text.startswith("<p>") and "<a " not in content.text
    assert 0 < html_posts < 20


def test_listed_is_the_first_look_at_indexing_else_the_end() -> None:
    assert bench_import.stage_times({"listing": 0.1, "indexing": 2.5}, 4.0) == (2.5, "")
    assert bench_import.stage_times({}, 4.0) == (4.0, "(no stages seen)")
    assert bench_import.stage_times({"listing": 0.1}, 4.0) == (4.0, "(no indexing stage seen)")


def test_the_stages_of_a_running_job_are_seen(tmp_path: Path) -> None:
    turns = pytest.importorskip("reader.library.turns")
    if not hasattr(turns, "Holding"):
        pytest.skip("this newsreader's -busy marker has no stages")
    lib = tmp_path / "lib.db"
    code = (
        "import sys, time\nfrom pathlib import Path\nfrom reader.library.turns import holding\n"
        "with holding(Path(sys.argv[1]), 'an import') as job:\n"
        "    job.progress('listing', 0, 2, every=0); time.sleep(0.3)\n"
        "    job.progress('indexing', 0, 2, every=0); time.sleep(0.3)\n"
    )
    run = bench_import.run_timed(
        [sys.executable, "-c", code, str(lib)], tmp_path, "x", 60, watch=lib
    )
    assert run.note == "" and 0 < run.listed < run.seconds
    quiet = [sys.executable, "-c", "pass"]
    run = bench_import.run_timed(quiet, tmp_path, "y", 60, watch=lib)
    assert (run.listed, run.note) == (run.seconds, "(no stages seen)")


def test_small_runs_scale_the_time_targets_and_say_so() -> None:
    runs = [bench_import.Run(2.0, 50_000, "", 0.4, ""), bench_import.Run(3.0, 60_000, "", 0.5, "")]
    again = bench_import.Run(0.3, 30_000, "", 0.3, "")
    args = bench_import.argparse.Namespace(chinese=True)
    text = bench_import.report(args, 2000, 1_000_000, runs, again, (2_500_000, 2000, 0, 1_000_000))
    lines = {line.split("  ")[0]: line for line in text.splitlines()}
    assert "<= 0.60 s" in lines["listed"] and "median of 2" in lines["listed"]
    assert lines["listed"].split()[1] == "0.45" and "ok" in lines["listed"].split()
    assert lines["searchable"].split()[1] == "2.50" and "MISSED" in lines["searchable"].split()
    assert "2.50 x" in lines["library / post bytes"] and "all Chinese" in lines["posts"]
    assert "scaled by 2,000/100,000" in text


@pytest.mark.skipif(shutil.which("newsboat") is None, reason="newsboat is not installed")
def test_newsboat_stores_every_post_of_the_feed(tmp_path: Path) -> None:
    make(tmp_path / "posts", "--chinese")
    vs_newsboat.write_feed(tmp_path / "posts", tmp_path / "feed.atom")
    cmd, env, cache = vs_newsboat.setup(tmp_path / "feed.atom", tmp_path / "home")
    run = bench_import.run_timed(cmd, tmp_path, "newsboat", 60, env=env)
    assert run.seconds > 0 and vs_newsboat.stored_items(cache) == 20
