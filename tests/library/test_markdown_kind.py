"""Markdown with a few inline tags stays Markdown; HTML stays HTML; html2text adds no space
between emphasis and the CJK text or punctuation after it."""

from __future__ import annotations

import pytest

from reader.library.body import detect_kind, html_to_markdown
from reader.library.parse import parse_bytes

# An issue of a Chinese weekly newsletter, as 43 of 407 real ones are: Markdown headings,
# lists and a quote, with one embed, an image and underlined text in HTML.
NEWSLETTER = """\
这里记录每周值得分享的科技内容，周五发布。

## 刊首语

本期介绍<u>下一代互联网</u>的设想，欢迎投稿。

<p><iframe frameborder="0" src="https://v.qq.com/x/page/abc.html"></iframe></p>

## 科技动态

1. 第一条新闻，[详情](https://example.com/a)
2. 第二条新闻：芯片产能继续扩张。

<img src="https://cdn.example.com/cover.jpg" alt="封面图">

> 引用一句话：知识就是力量。

## 文章

- 如何读论文
- 终端里的中文排版
"""


def test_a_newsletter_with_inline_tags_is_markdown() -> None:
    assert detect_kind(NEWSLETTER) == "markdown"
    article = parse_bytes(NEWSLETTER.encode(), "/archive/issue-99.md")
    assert article.kind == "markdown"
    assert article.title == "刊首语"  # the first heading: not a dozen lines run together
    assert article.body.startswith("这里记录每周值得分享的科技内容")
    assert "## 科技动态" in article.body  # stored as written
    assert "<iframe" not in article.text and "v.qq.com" not in article.text


def test_a_newsletter_with_front_matter_takes_its_title() -> None:
    data = f"---\ntitle: 科技爱好者周刊（第 99 期）\n---\n{NEWSLETTER}".encode()
    article = parse_bytes(data, "/archive/issue-99.md")
    assert (article.kind, article.title) == ("markdown", "科技爱好者周刊（第 99 期）")


@pytest.mark.parametrize(
    "body",
    [
        '## 标题\n\n<p align="center"><img src="a.png"></p>\n\n正文一段。<u>重点</u>\n',
        "- 列表一\n- 列表二 <b>粗</b>\n\n<br>\n",
        "见[链接](https://e.com/)，<u>一</u>和<u>二</u>。\n",
    ],
)
def test_markdown_with_tags_that_carry_no_text_is_markdown(body: str) -> None:
    assert detect_kind(body) == "markdown"


@pytest.mark.parametrize(
    "body",
    [
        # finews: a `> ` digest, the article in <p>, a source link and a Markdown footer
        "> 在岸人民币兑美元收盘报6.4500。（财联社）\n\n"
        "<p>在岸人民币兑美元收盘报6.4500，较上一交易日跌347个基点。</p>"
        '<p class="em_media">（文章来源：财联社）</p>\n\n'
        "<http://forex.eastmoney.com/news/11142,202204212352070339.html>\n\n"
        "[返回东财滚动新闻](//finews.withounder.com/emnews/)｜[返回首页](//finews.withounder.com/)\n",
        "## 标题\n\n<p>第一段很长很长的正文，都在标签里。</p>\n<p>第二段也在标签里。</p>\n",
        "<p>One</p><p>Two</p>",
    ],
)
def test_html_whose_tags_carry_the_text_stays_html(body: str) -> None:
    assert detect_kind(body) == "html"


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        (
            "<p>稳健的货币政策要<b>保持流动性合理充裕</b>。</p>",
            "稳健的货币政策要**保持流动性合理充裕**。",
        ),
        ("<p>业绩有望环比<strong>回升</strong>，在</p>", "业绩有望环比**回升**，在"),
        ("<p>关注<b>两主线</b>后市</p>", "关注**两主线**后市"),
        ("<p><i>斜体</i>后</p>", "*斜体*后"),
        ("<p>see <b>bold</b>, then</p>", "see **bold**, then"),
        # emphasis ending in punctuation before a letter needs its space to stay emphasis
        ("<p><b>注意：</b>后面</p>", "**注意：** 后面"),
    ],
)
def test_no_space_is_added_between_emphasis_and_what_follows(html: str, markdown: str) -> None:
    assert html_to_markdown(html).strip() == markdown


def test_the_bold_text_renders_glued_to_its_punctuation() -> None:
    from reader.library.models import Article
    from reader.ui.render import Styles, layout

    parsed = parse_bytes("<p>要<b>保持流动性合理充裕</b>。</p><p>二</p>".encode(), "/a.md")
    fields = parsed._asdict()
    values = {k: fields[k] for k in ("title", "date", "url", "kind", "body", "words", "chars")}
    article = Article(
        id=1, source="s", categories=(), tags=(), read=False, bookmarked=False, path="/a.md",
        **values,
    )  # fmt: skip
    lines = [line.plain for line in layout(article, Styles()).lines(80, Styles())]
    assert lines[0] == "要保持流动性合理充裕。"


def test_a_link_with_brackets_in_its_address_is_markdown() -> None:
    # Wikipedia-style addresses: the post was taken for plain text and shown raw
    assert detect_kind("See [Foo](https://en.wikipedia.org/wiki/Foo_(bar)) here.") == "markdown"
    assert detect_kind("A [link](javascript:alert(document.cookie)) here.") == "markdown"
