"""The reader's own state from the keyboard: bookmarks, notes, tags, marks, undo and
sidebar tags, checked in the library file and on screen."""

from __future__ import annotations

from collections.abc import Callable

from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import OptionDoesNotExist

from reader.library import Article, View, import_paths
from reader.ui.app import ReaderApp
from reader.ui.screens.dialogs import Confirm, Prompt
from reader.ui.screens.main import MainScreen
from reader.ui.screens.tag_editor import TagEditor
from reader.ui.widgets import Sidebar, TagPane

from .helpers import POSTS, TITLES, Fixture, main_of, notes, settle

SIZE = (120, 36)
MakeApp = Callable[..., ReaderApp]
LINKS = TITLES[0]  # "Links and pictures": tags web, links
LINKED = TITLES[1]  # "An article with a link": tag python
NEWS = TITLES[2]  # "外贸纾困十条发布": tags 经济, 外贸
BRIEF = TITLES[6]  # "A short English brief": tags python, terminal


def article(fixture: Fixture, title: str) -> Article:
    """The article as a fresh connection to the library file sees it."""
    with fixture.open() as library:
        found = library.article(fixture.id_of(title))
    assert found is not None
    return found


def row(screen: MainScreen, index: int) -> str:
    """Row `index` of the article list as painted (`●★+date source title #tags`)."""
    articles = screen.articles
    return articles.render_line(index - int(articles.scroll_offset.y)).text


def count(screen: MainScreen, option_id: str) -> int | None:
    """The count a sidebar entry shows, or None when the entry is not there."""
    sidebar = screen.query_one(Sidebar)
    try:
        prompt = sidebar.get_option(option_id).prompt
    except OptionDoesNotExist:
        return None
    return int(str(prompt).split()[-1])


def pane(screen: MainScreen) -> str:
    return str(screen.query_one(TagPane).content)


def header_line(screen: MainScreen, label: str) -> str:
    """The open article's header line starting with `label` (Tags, Note, ...), or ""."""
    found: list[str] = []
    for line in screen.body.plain:
        if line.startswith("─"):
            break
        if line.startswith(f"{label:<11}") or found and line.startswith(" " * 11):
            found.append(line[11:])
        elif found:
            break
    return "  ".join(found)


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*text)


async def clear_input(pilot: Pilot[None]) -> None:
    """Empty the focused Input: to its end, then delete everything left of the cursor."""
    await pilot.press("end", "ctrl+u")


async def to_sidebar_entry(pilot: Pilot[None], screen: MainScreen, option_id: str) -> Sidebar:
    """Focus the sidebar (esc from the list) and put its cursor on an entry."""
    if screen.focused is not screen.query_one(Sidebar):
        await pilot.press("escape")
    sidebar = screen.query_one(Sidebar)
    assert screen.focused is sidebar
    sidebar.highlighted = sidebar.get_option_index(option_id)
    await pilot.pause()
    return sidebar


async def rename_entry(pilot: Pilot[None], screen: MainScreen, option_id: str, new: str) -> None:
    """`e` on a sidebar entry, the new name typed over the old, enter."""
    await to_sidebar_entry(pilot, screen, option_id)
    await pilot.press("e")
    await pilot.pause()
    await clear_input(pilot)
    await type_text(pilot, new)
    await pilot.press("enter")
    await settle(pilot)


def editor_of(app: ReaderApp) -> TagEditor:
    assert isinstance(app.screen, TagEditor), app.screen
    return app.screen


def suggestions(app: ReaderApp) -> list[str]:
    """The tag editor's suggestion list as shown (`name  count`), or [] when hidden."""
    options = editor_of(app).query_one("#suggestions", OptionList)
    if not options.display:
        return []
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


# ---- bookmarks and notes ----------------------------------------------------------------------


async def test_b_bookmarks_the_highlighted_article(make_app: MakeApp, reader_lib: Fixture) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        assert count(screen, "bookmarked") == 0
        assert row(screen, 1)[1] == " "
        await pilot.press("j", "b")
        await settle(pilot)
        assert article(reader_lib, LINKED).bookmarked
        assert not article(reader_lib, LINKS).bookmarked
        assert row(screen, 1)[1] == "★"
        assert row(screen, 0)[1] == " "
        assert count(screen, "bookmarked") == 1
        assert "Bookmarked 1 article." in notes(app)
        assert screen.articles.cursor == 1  # b does not move the cursor
        await pilot.press("b")
        await settle(pilot)
        assert not article(reader_lib, LINKED).bookmarked
        assert row(screen, 1)[1] == " "
        assert count(screen, "bookmarked") == 0
        assert "Removed the bookmark of 1 article." in notes(app)


async def test_b_in_the_body_acts_on_the_open_article(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("j", "enter")
        await settle(pilot)
        assert screen.focused is screen.body
        screen.articles.cursor = 3  # the list cursor elsewhere (as a click would put it)
        await pilot.press("b")
        await settle(pilot)
        assert article(reader_lib, LINKED).bookmarked
        assert not article(reader_lib, TITLES[3]).bookmarked
        assert row(screen, 1)[1] == "★"
        assert count(screen, "bookmarked") == 1


async def test_shift_b_writes_a_note_shown_in_the_header_and_tag_pane(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("enter")
        await settle(pilot)
        assert header_line(screen, "Note") == ""
        await pilot.press("B")
        await pilot.pause()
        assert isinstance(app.screen, Prompt)
        assert app.screen.query_one("#answer", Input).value == ""
        await type_text(pilot, "read later 稍后")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        saved = article(reader_lib, LINKS)
        assert saved.note == "read later 稍后"
        assert saved.bookmarked  # a note bookmarks the article
        assert header_line(screen, "Note") == "read later 稍后"
        assert "Note       read later 稍后" in pane(screen)
        assert row(screen, 0)[1] == "★"
        assert count(screen, "bookmarked") == 1

        # esc cancels: the prompt starts from the note, and nothing changes.
        await pilot.press("B")
        await pilot.pause()
        assert app.screen.query_one("#answer", Input).value == "read later 稍后"
        await type_text(pilot, " and more")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert article(reader_lib, LINKS).note == "read later 稍后"
        assert header_line(screen, "Note") == "read later 稍后"


# ---- the tag editor -----------------------------------------------------------------------------


async def test_t_adds_tags_cjk_and_with_spaces(make_app: MakeApp, reader_lib: Fixture) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("enter")  # open it, so the header shows the change
        await settle(pilot)
        assert header_line(screen, "Tags") == "#web  #links"
        await pilot.press("t")
        await pilot.pause()
        editor = editor_of(app)
        field = editor.query_one("#tags", Input)
        assert field.value == "web, links, "
        assert app.focused is field
        await type_text(pilot, "国际,machine learning , ")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        saved = article(reader_lib, LINKS)
        assert saved.tags == ("web", "links", "国际", "machine learning")
        assert saved.user_tags == ("国际", "machine learning")
        assert header_line(screen, "Tags") == "#web  #links  +国际  +machine learning"
        assert "#web  #links  +国际  +machine learning" in pane(screen)
        assert count(screen, "tag\x1f国际") == 1
        assert count(screen, "tag\x1fmachine learning") == 1
        assert "Tags +国际 +machine learning on 1 article." in notes(app)


async def test_tab_completes_from_the_library_with_counts(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        assert suggestions(app) == []  # nothing typed yet: no list
        await type_text(pilot, "PY")
        await pilot.pause()
        assert suggestions(app) == ["python  2"]
        await pilot.press("tab")
        await pilot.pause()
        field = editor_of(app).query_one("#tags", Input)
        assert field.value == "web, links, python, "
        assert field.cursor_position == len(field.value)
        await type_text(pilot, "经")
        await pilot.pause()
        assert suggestions(app) == ["经济  2"]
        await pilot.press("tab")
        await pilot.pause()
        assert field.value == "web, links, python, 经济, "
        await pilot.press("enter")
        await settle(pilot)
        saved = article(reader_lib, LINKS)
        assert saved.tags == ("web", "links", "python", "经济")
        assert saved.user_tags == ("python", "经济")
        screen = main_of(app)
        assert count(screen, "tag\x1fpython") == 3
        assert count(screen, "tag\x1f经济") == 3


async def test_esc_leaves_the_tags_as_they_were(make_app: MakeApp, reader_lib: Fixture) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("backspace", "backspace", *"zzz")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        saved = article(reader_lib, LINKS)
        assert saved.tags == ("web", "links")
        assert saved.user_tags == saved.hidden_tags == ()
        await pilot.press("u")
        await settle(pilot)
        assert "Nothing to undo." in notes(app)


async def test_deleting_a_source_tag_hides_it_even_after_reimport(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("t")
        await pilot.pause()
        legend = str(editor_of(app).query_one("#legend", Label).content)
        assert "From the source: web, links (delete one to hide it)" in legend
        await pilot.press(*["backspace"] * len("links, "))
        assert editor_of(app).query_one("#tags", Input).value == "web, "
        await pilot.press("enter")
        await settle(pilot)
        saved = article(reader_lib, LINKS)
        assert saved.tags == ("web",)
        assert saved.hidden_tags == ("links",)
        assert "#links" not in pane(screen)
        assert count(screen, "tag\x1flinks") is None  # the only article with it

        # The file changes and is imported again: the source still says `links`.
        name, meta, body, _day = POSTS[0]
        post = reader_lib.path.parent / "posts" / name
        post.write_text(f"---\n{meta}\n---\n{body}\nA new last line.\n", encoding="utf-8")
        with reader_lib.open() as library:
            report = import_paths(library, [post.parent], jobs=1)
        assert report.updated == 1, report.summary()
        again = article(reader_lib, LINKS)
        assert "A new last line." in again.body
        assert again.tags == ("web",)
        assert again.hidden_tags == ("links",)
        screen.articles.reload([again.id])
        await pilot.press("enter")
        await settle(pilot)
        assert header_line(screen, "Tags") == "#web"


async def test_tags_are_matched_ignoring_case(make_app: MakeApp, reader_lib: Fixture) -> None:
    with reader_lib.open() as library:
        library.tag([reader_lib.id_of(LINKS)], add=["Go Lang"])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("j", "t")  # "An article with a link": python
        await pilot.pause()
        await type_text(pilot, "go")
        await pilot.pause()
        assert suggestions(app) == ["Go Lang  1"]
        await type_text(pilot, " lang, PYTHON,  Web ")
        await pilot.press("enter")
        await settle(pilot)
        saved = article(reader_lib, LINKED)
        assert saved.tags == ("python", "Go Lang", "web")
        with reader_lib.open() as library:
            names = [facet.name for facet in library.facets("tag")]
        assert "Go Lang" in names and "go lang" not in names
        assert "PYTHON" not in names and "Web" not in names
        assert count(screen, "tag\x1fGo Lang") == 2
        assert count(screen, "tag\x1fweb") == 2


# ---- several articles at once -------------------------------------------------------------------


async def test_v_space_and_shift_v_mark_and_esc_clears(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        articles = screen.articles
        await pilot.press("v")
        assert articles.cursor == 1
        await pilot.press("space")
        assert articles.cursor == 2
        assert articles.marked == {articles.ids[0], articles.ids[1]}
        assert row(screen, 0)[2] == row(screen, 1)[2] == "+"
        assert row(screen, 2)[2] == " "
        assert articles.border_subtitle == "2 marked"
        await pilot.press("k", "v")  # again: unmark
        assert articles.marked == {articles.ids[0]}
        assert screen.open_id is None  # space in the list marks, it does not open
        await pilot.press("escape")
        assert articles.marked == set()
        assert screen.focused is articles  # esc only cleared the marks
        assert articles.border_subtitle == ""
        await pilot.press("V")
        assert articles.marked == set(articles.ids)
        assert articles.border_subtitle == f"{len(TITLES)} marked"
        assert all(row(screen, i)[2] == "+" for i in range(len(TITLES)))
        await pilot.press("V")
        assert articles.marked == set()

        # In a tag's view, V marks the articles of the view only.
        await to_sidebar_entry(pilot, screen, "tag\x1fpython")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("V", "b")
        await settle(pilot)
        with reader_lib.open() as library:
            bookmarked = set(library.ids(View("bookmarked")))
        assert bookmarked == {reader_lib.id_of(LINKED), reader_lib.id_of(BRIEF)}


async def test_b_r_and_t_act_on_every_marked_article(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    marked = [LINKS, NEWS]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("v", "j", "v")
        assert screen.articles.cursor == 3
        await pilot.press("b")
        await settle(pilot)
        assert "Bookmarked 2 articles." in notes(app)
        await pilot.press("r")
        await settle(pilot)
        assert "Marked 2 articles read." in notes(app)
        await pilot.press("t")
        await pilot.pause()
        editor = editor_of(app)
        assert editor.query_one("#tags", Input).value == ""  # no tag is on both
        await type_text(pilot, "批量")
        await pilot.press("enter")
        await settle(pilot)
        for title in marked:
            saved = article(reader_lib, title)
            assert saved.bookmarked and saved.read
            assert "批量" in saved.user_tags
        for title in (LINKED, TITLES[3]):
            saved = article(reader_lib, title)
            assert not (saved.bookmarked or saved.read or saved.user_tags)
        assert [row(screen, i)[:2] for i in range(4)] == [" ★", "● ", " ★", "● "]
        assert count(screen, "tag\x1f批量") == 2
        assert count(screen, "bookmarked") == 2
        assert count(screen, "unread") == len(TITLES) - 2
        assert "Tags +批量 on 2 articles." in notes(app)


# ---- undo ---------------------------------------------------------------------------------------


async def test_u_undoes_changes_one_step_at_a_time(make_app: MakeApp, reader_lib: Fixture) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("b", "r", "t")
        await pilot.pause()
        await pilot.press(*["backspace"] * len("links, "), "x", "enter")
        await settle(pilot)
        await pilot.press("B", *"n1", "enter")
        await settle(pilot)
        now = article(reader_lib, LINKS)
        assert (now.bookmarked, now.read, now.tags, now.note) == (True, True, ("web", "x"), "n1")
        assert now.hidden_tags == ("links",)

        steps = [
            (True, True, ("web", "x"), ""),  # the note
            (True, True, ("web", "links"), ""),  # the tags: links is back as a source tag
            (True, False, ("web", "links"), ""),  # read
            (False, False, ("web", "links"), ""),  # the bookmark
        ]
        for expected in steps:
            await pilot.press("u")
            await settle(pilot)
            now = article(reader_lib, LINKS)
            assert (now.bookmarked, now.read, now.tags, now.note) == expected
            assert row(screen, 0)[:2] == ("●" if not expected[1] else " ") + (
                "★" if expected[0] else " "
            )
        assert now.user_tags == now.hidden_tags == ()
        assert count(screen, "bookmarked") == 0
        assert count(screen, "tag\x1fx") is None
        assert f"Undid: bookmark {LINKS}." in notes(app)
        await pilot.press("u")
        await settle(pilot)
        assert notes(app)[-1] == "Nothing to undo."


async def test_u_undoes_a_change_to_marked_articles_at_once(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("V", "r")
        await settle(pilot)
        with reader_lib.open() as library:
            assert library.view_counts()["unread"] == 0
        await pilot.press("u")
        await settle(pilot)
        with reader_lib.open() as library:
            assert library.view_counts()["unread"] == len(TITLES)
        assert f"Undid: mark {len(TITLES)} articles read." in notes(app)
        assert count(main_of(app), "unread") == len(TITLES)


# ---- tags in the sidebar and the palette --------------------------------------------------------


async def test_e_on_a_sidebar_tag_renames_it_or_merges_it(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await to_sidebar_entry(pilot, screen, "tag\x1fterminal")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, Prompt)
        assert "Rename 'terminal' on 1 article to" in str(app.screen.query_one(Label).content)
        assert app.screen.query_one("#answer", Input).value == "terminal"
        await clear_input(pilot)
        await type_text(pilot, "终端 tools")
        await pilot.press("enter")
        await settle(pilot)
        assert article(reader_lib, BRIEF).tags == ("python", "终端 tools")
        assert count(screen, "tag\x1fterminal") is None
        assert count(screen, "tag\x1f终端 tools") == 1

        # Onto an existing tag: the two merge and the counts add up.
        await rename_entry(pilot, screen, "tag\x1fpython", "WEB")
        assert "Merged 'python' into 'web' on 2 articles." in notes(app)
        assert count(screen, "tag\x1fpython") is None
        assert count(screen, "tag\x1fweb") == 3
        with reader_lib.open() as library:
            tagged = set(library.tagged("web"))
        assert tagged == {reader_lib.id_of(t) for t in (LINKS, LINKED, BRIEF)}
        assert article(reader_lib, BRIEF).tags == ("终端 tools", "web")

        # esc in the prompt renames nothing.
        await to_sidebar_entry(pilot, screen, "tag\x1fweb")
        await pilot.press("e", "x", "escape")
        await settle(pilot)
        assert count(screen, "tag\x1fweb") == 3


async def test_the_tag_view_shown_follows_its_rename_and_goes_with_its_delete(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await to_sidebar_entry(pilot, screen, "tag\x1fpython")
        await pilot.press("enter")  # the tag's view
        await settle(pilot)
        assert str(screen.articles.border_title) == "Tag: python · 2"
        await rename_entry(pilot, screen, "tag\x1fpython", "py")
        assert str(screen.articles.border_title) == "Tag: py · 2"
        assert len(screen.articles.ids) == 2
        with reader_lib.open() as library:
            assert library.setting("ui.view") == "tag\x1fpy"  # what the next start shows
        await to_sidebar_entry(pilot, screen, "tag\x1fpy")
        await pilot.press("d", "y")
        await settle(pilot)
        assert str(screen.articles.border_title) == f"All · {len(TITLES)}"
        with reader_lib.open() as library:
            assert library.setting("ui.view") == "all"


async def test_d_on_a_sidebar_tag_asks_first(make_app: MakeApp, reader_lib: Fixture) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await to_sidebar_entry(pilot, screen, "tag\x1fpython")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        question = str(app.screen.query_one(Label).content)
        assert question == "Remove the tag 'python' from 2 articles?"
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen
        assert count(screen, "tag\x1fpython") == 2
        assert article(reader_lib, BRIEF).tags == ("python", "terminal")

        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen
        assert count(screen, "tag\x1fpython") is None
        assert "Removed 'python' from 2 articles." in notes(app)
        brief = article(reader_lib, BRIEF)
        assert brief.tags == ("terminal",)
        assert brief.hidden_tags == ("python",)  # a source tag: hidden, not forgotten
        assert article(reader_lib, LINKED).tags == ()

        # e and d do nothing on an entry that is not a tag or a saved search.
        await to_sidebar_entry(pilot, screen, "category\x1ftech")
        await pilot.press("d", "e")
        await pilot.pause()
        assert app.screen is screen


def palette_hits(app: ReaderApp) -> list[str]:
    assert isinstance(app.screen, CommandPalette), app.screen
    commands = app.screen.query_one(CommandList)
    return [
        str(commands.get_option_at_index(i).prompt).split("\n")[0]
        for i in range(commands.option_count)
    ]


async def test_the_palette_has_tag_commands(make_app: MakeApp, reader_lib: Fixture) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        await pilot.press("ctrl+p", *"python")
        await settle(pilot)
        hits = palette_hits(app)
        for wanted in ("Tag: python (2)", "Rename tag: python (2)", "Delete tag: python (2)"):
            assert wanted in hits, hits
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("ctrl+p", *"tag经济")
        await settle(pilot)
        hits = palette_hits(app)
        assert hits[0] == "Tag: 经济 (2)", hits
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert (screen.view.kind, screen.view.value) == ("tag", "经济")
        assert screen.articles.ids == [reader_lib.id_of(NEWS), reader_lib.id_of(TITLES[3])]

        await pilot.press("ctrl+p", *"del经济")
        await settle(pilot)
        assert palette_hits(app)[0] == "Delete tag: 经济 (2)"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        assert "from 2 articles" in str(app.screen.query_one(Label).content)
        await pilot.press("y")
        await settle(pilot)
        assert article(reader_lib, NEWS).tags == ("外贸",)


async def test_undo_puts_a_deleted_source_tag_back_as_it_was(
    make_app: MakeApp, reader_lib: Fixture
) -> None:
    """Spelled as the source spelled it and in its place, even when no other article has it."""
    posts = reader_lib.path.parent / "posts"
    (posts / "zz-capital.md").write_text(
        "---\ntitle: Capitals\ndate: 2024-03-09\ntags: [Zeta, Alpha]\n---\nBody.\n",
        encoding="utf-8",
    )
    with reader_lib.open() as library:
        assert import_paths(library, [posts], jobs=1).new == 1
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_of(app)
        assert "#Zeta  #Alpha" in pane(screen)
        await pilot.press("t")  # "Zeta, Alpha, " -> "Alpha, "
        await pilot.pause()
        await pilot.press("home", *["delete"] * len("Zeta, "), "enter")
        await settle(pilot)
        assert "#Alpha" in pane(screen) and "Zeta" not in pane(screen)
        await pilot.press("u")
        await settle(pilot)
        assert "#Zeta  #Alpha" in pane(screen)
        await pilot.press("j", "t")  # "Links and pictures": web, links -> web
        await pilot.pause()
        await pilot.press("end", *["backspace"] * len("links, "), "enter")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert "#web  #links" in pane(screen)
