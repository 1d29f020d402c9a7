"""News pages as sites make them: an article between a menu, a sidebar, readers' comments and
a footer, in English and Chinese, for the full-text tests (served on loopback)."""

from __future__ import annotations

EN_ARTICLE = """
<h1>Harbour reopens after storm repairs</h1>
<p class="byline">By Ana Ruiz, Port Reporter</p>
<figure><img src="images/harbour.jpg" alt="The harbour at dawn"><figcaption>The harbour
at dawn on Tuesday.</figcaption></figure>
<p>The city's harbour reopened to shipping on Tuesday, six weeks after the autumn storm
tore away two hundred metres of the northern breakwater and sank a dredger at its mooring.
Pilots guided the first container ship through the channel shortly after seven.</p>
<p>Engineers rebuilt the breakwater with forty thousand tonnes of granite brought by barge
from the quarries up the coast, the port authority said. The work cost the city more than
it had set aside, and the council will debate how to pay for it next month.</p>
<p>Fishing crews, who had landed their catch at the small pier in the next town since the
storm, welcomed the news. "Six weeks of driving the fish up and down the coast road is
enough for anyone," said one skipper, who asked not to be named.</p>
<p>The port authority's <a href="/reports/breakwater-2024">report on the repairs</a> says
the new breakwater should withstand a storm twice as strong as the one that broke it.</p>
"""

ZH_ARTICLE = """
<h1>跨海大桥今日正式通车</h1>
<p class="info">2024-05-08 09:30　来源：本报记者</p>
<p>本报讯　历时五年建设的跨海大桥今天上午正式通车，两岸之间的车程从原来的两个多小时缩短到
四十分钟。首批通过大桥的车辆中有公交车、货车和私家车，沿线居民早早来到桥头观看。</p>
<p>大桥全长三十二公里，其中海上段长二十四公里，设计使用寿命一百年。建设单位介绍，施工期间
共攻克了深水基础、强台风和海水腐蚀等多项技术难题，多项成果获得国家专利。</p>
<p>市交通局负责人表示，大桥通车后将带动沿线旅游和物流产业发展，预计每天通行车辆超过三万辆。
下一步还将开通跨海公交线路，方便两岸群众出行。</p>
<p><img src="/pics/bridge.jpg" alt="大桥全景">　朱镕基同志当年视察时曾提出建桥设想，
如今终于变成现实。</p>
"""

NAV = {
    "en": ["Home", "World", "Business", "Sport", "Weather", "Sign in"],
    "zh": ["首页", "国内", "国际", "财经", "体育", "登录"],
}
SIDEBAR = {
    "en": ("Most read", ["Mayor unveils budget", "Cup final tickets", "Rail strike called"]),
    "zh": ("热门排行", ["市长公布预算方案", "足球决赛门票开售", "铁路部门发布通知"]),
}
COMMENTS = {
    "en": ["Great news for the fishermen at last!", "Who is paying for all this granite?"],
    "zh": ["终于通车了，太好了！", "过桥费多少钱？"],
}
FOOTER = {
    "en": "Copyright 2024 Coast Daily News. All rights reserved. Terms. Privacy. Cookies.",
    "zh": "版权所有 2024 海滨日报社　京ICP备12345678号　违法和不良信息举报电话",
}


def news_page(article: str, lang: str = "en", head: str = '<meta charset="utf-8">') -> str:
    """A news site's page: the article between a menu, a sidebar, readers' comments and
    a footer (each of which also has text, as real ones do)."""
    menu = "".join(f'<li><a href="/{n}">{n}</a></li>' for n in NAV[lang])
    heading, items = SIDEBAR[lang]
    side = "".join(f'<li><a href="/story/{i}">{t}</a></li>' for i, t in enumerate(items))
    said = "".join(f'<div class="comment"><p>{c}</p></div>' for c in COMMENTS[lang])
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head>{head}<title>Coast Daily</title>
<script>window.dataLayer = []; function track() {{ return "tracking code"; }}</script>
<style>.nav {{ display: flex }}</style></head>
<body>
<header class="site-header"><div class="logo">Coast Daily</div>
<nav class="nav"><ul>{menu}</ul></nav></header>
<div class="container">
<main><article class="story">{article}</article></main>
<aside class="sidebar"><h3>{heading}</h3><ul>{side}</ul></aside>
<section id="comments" class="comments"><h3>Comments</h3>{said}</section>
</div>
<footer class="site-footer"><p>{FOOTER[lang]}</p></footer>
<div class="cookie-banner">We use cookies to improve your experience. Accept all</div>
</body></html>"""
