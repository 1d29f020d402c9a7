"""Importing a Jekyll, Hugo or Zola site root: its posts come in, its pages and templates don't."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reader.library import Library, import_paths
from reader.library import ingest as ingest_module

WritePost = Callable[[str, bytes | str], Path]

LIQUID = "---\nlayout: default\n---\n<h1>{{ site.title }}</h1>\n{% for post in site.posts %}\n"
TEMPLATE = "<html><body>{{ content }} {% include footer.html %}</body></html>\n"
TERA = "{% extends 'base.html' %}{% block content %}{{ page.content }}{% endblock %}\n"


def post(title: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\n{extra}---\nBody text.\n"


def titles(library: Library) -> list[str]:
    """Titles of the articles whose files are still there."""
    return sorted(s.title for s in library.summaries(limit=-1) if not s.missing)


def jekyll_site(write_post: WritePost, config: str | None = "_config.yml") -> None:
    if config:
        write_post(config, "title: My site\n")
    write_post("_layouts/default.html", TEMPLATE)
    write_post("_includes/footer.html", "<footer>{{ site.author }}</footer>\n")
    write_post("_sass/main.scss", "body { color: red; }\n")
    write_post("_data/nav.yml", "- about\n")
    write_post("assets/notes.md", post("Asset notes"))
    write_post("index.html", LIQUID)
    write_post("about.md", post("About"))
    write_post("_posts/2022-05-01-hello.md", post("Hello"))
    write_post("_posts/2022/06/2022-06-01-nested.md", post("Nested"))
    write_post("_drafts/idea.md", post("Idea"))
    write_post("_drafts/2022/later.md", post("Later"))


@pytest.mark.parametrize("config", ["_config.yml", "_config.yaml", "_config.toml", None])
def test_jekyll_root_imports_only_its_posts(
    library: Library, posts: Path, write_post: WritePost, config: str | None
) -> None:
    jekyll_site(write_post, config)
    report = import_paths(library, [posts])
    assert titles(library) == ["Hello", "Nested"]
    assert (report.new, report.skipped, report.unpublished) == (2, 0, 2)
    assert (report.errors, report.warnings) == ([], [])


def test_jekyll_drafts_come_in_only_with_unpublished_posts(
    library: Library, posts: Path, write_post: WritePost
) -> None:
    jekyll_site(write_post)
    everything = import_paths(library, [posts], include_unpublished=True)
    assert titles(library) == ["Hello", "Idea", "Later", "Nested"]
    assert (everything.new, everything.unpublished) == (4, 0)

    again = import_paths(library, [posts])  # drafts already imported stay, like other posts
    assert (again.unchanged, again.missing) == (4, 0)
    assert titles(library) == ["Hello", "Idea", "Later", "Nested"]


@pytest.mark.parametrize("config", ["_config.yml", "_config.yaml", "_config.toml"])
@pytest.mark.parametrize("folder", ["_drafts", "_layouts", "_includes"])
def test_jekyll_config_with_a_jekyll_folder_is_a_root_without_posts(
    library: Library, posts: Path, write_post: WritePost, config: str, folder: str
) -> None:
    write_post(config, "title: My site\n")
    write_post(f"{folder}/page.html", TEMPLATE)
    write_post("index.md", post("Home"))
    import_paths(library, [posts])
    assert titles(library) == []


def test_a_stray_jekyll_config_does_not_hide_a_folder_of_posts(
    library: Library, posts: Path, write_post: WritePost
) -> None:
    write_post("_config.yml", "title: not a site\n")
    write_post("first.md", post("First"))
    write_post("sub/second.md", post("Second"))
    import_paths(library, [posts])
    assert titles(library) == ["First", "Second"]


@pytest.mark.parametrize(
    "config", ["hugo.toml", "hugo.yaml", "hugo.json", "config.toml", "config.yaml", "config.json"]
)
def test_hugo_root_imports_only_content(
    library: Library, posts: Path, write_post: WritePost, config: str
) -> None:
    write_post(config, "{}\n" if config.endswith("json") else "")
    write_post("README.md", post("Readme"))
    write_post("archetypes/default.md", post("{{ .Name }}"))
    write_post("layouts/_default/single.html", TEMPLATE)
    write_post("themes/plain/layouts/index.html", TEMPLATE)
    write_post("static/notes.md", post("Static notes"))
    write_post("content/second.md", post("Second"))
    write_post("content/posts/first.md", post("First"))
    report = import_paths(library, [posts])
    assert titles(library) == ["First", "Second"]
    assert (report.new, report.skipped, report.errors, report.warnings) == (2, 0, [], [])


def test_zola_root_imports_only_content(
    library: Library, posts: Path, write_post: WritePost
) -> None:
    write_post("config.toml", 'base_url = "https://example.com"\n')
    write_post("templates/page.html", TERA)
    write_post("templates/index.html", TERA)
    write_post("sass/site.scss", "body { color: red; }\n")
    write_post("static/notes.md", post("Static notes"))
    write_post("content/blog/first.md", "+++\ntitle = 'First'\n+++\nBody text.\n")
    import_paths(library, [posts])
    assert titles(library) == ["First"]


def test_content_folder_alone_does_not_make_a_site_root(
    library: Library, posts: Path, write_post: WritePost
) -> None:
    write_post("notes.md", post("Notes"))
    write_post("content/essay.md", post("Essay"))
    write_post("templates/page.html", post("Page"))  # Zola's folders, but no config.toml
    write_post("settings/config.toml", "")  # a config in a subfolder is not the root's
    import_paths(library, [posts])
    assert titles(library) == ["Essay", "Notes", "Page"]


def test_posts_folder_makes_its_parent_a_site_root_at_any_depth(
    library: Library, posts: Path, write_post: WritePost
) -> None:
    write_post("notes.md", post("Notes"))
    write_post("old/blog/index.html", LIQUID)
    write_post("old/blog/_layouts/default.html", TEMPLATE)
    write_post("old/blog/_posts/2015-01-01-old.md", post("Old"))
    write_post("old/hugo/hugo.toml", "")
    write_post("old/hugo/layouts/index.html", TEMPLATE)
    write_post("old/hugo/content/new.md", post("New"))
    import_paths(library, [posts])
    assert titles(library) == ["New", "Notes", "Old"]


@pytest.mark.parametrize(
    ("name", "title"), [("_layouts/default.html", "Default"), ("_drafts/idea.md", "Idea")]
)
def test_a_file_named_directly_is_always_imported(
    library: Library, posts: Path, write_post: WritePost, name: str, title: str
) -> None:
    jekyll_site(write_post)
    report = import_paths(library, [posts / name])
    assert (report.new, titles(library)) == (1, [title])


def test_unchanged_site_is_not_parsed_again_and_nothing_goes_missing(
    library: Library, posts: Path, write_post: WritePost, monkeypatch: pytest.MonkeyPatch
) -> None:
    jekyll_site(write_post)
    import_paths(library, [posts])

    def no_parsing(data: bytes, path: str, **options: object) -> None:
        raise AssertionError(f"{path} was parsed again")

    monkeypatch.setattr(ingest_module, "parse_bytes", no_parsing)
    again = import_paths(library, [posts])
    assert (again.unchanged, again.new, again.missing, again.errors) == (2, 0, 0, [])

    (posts / "_posts/2022-05-01-hello.md").unlink()
    gone = import_paths(library, [posts])
    assert (gone.unchanged, gone.missing) == (1, 1)
    assert titles(library) == ["Nested"]


def test_templates_imported_before_site_roots_were_known_go_missing(
    library: Library, posts: Path, write_post: WritePost, monkeypatch: pytest.MonkeyPatch
) -> None:
    jekyll_site(write_post)
    with monkeypatch.context() as patch:  # the importer as it was: every folder walked whole
        patch.setattr(ingest_module, "site_content", lambda files, folders: None)
        import_paths(library, [posts])
    assert "Default" in titles(library)

    report = import_paths(library, [posts])
    assert report.missing == 5  # Default, Footer, Index, About, Asset notes
    assert titles(library) == ["Hello", "Idea", "Later", "Nested"]  # unchanged drafts stay
