from reader.ui.widgets.article_list import ArticleList
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.key_bar import KeyBar
from reader.ui.widgets.sidebar import Sidebar
from reader.ui.widgets.tag_pane import TagPane

__all__ = ["ArticleList", "ArticleView", "KeyBar", "Sidebar", "TagPane"]
