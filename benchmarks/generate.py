"""Generate synthetic finews-shaped Jekyll posts for benchmarks (stdlib only, deterministic).

Usage: python benchmarks/generate.py OUTDIR -n 100000 [--seed 1] [--jobs 2] [--chinese]

~70% short Markdown digests, ~30% 5-10 KB eastmoney-style HTML articles, ~10% English
(none with --chinese: those are Chinese too, the same shapes and sizes); dates 2019-2024
(denser towards the end); one folder per month (per day when N > 150,000).
Output depends only on -n, --seed and --chinese, not on --jobs.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from multiprocessing import Pool
from typing import Any

import newswords as nw

START = datetime(2019, 1, 1)
DAYS = (datetime(2025, 1, 1) - START).days
BLOCK = 1000  # posts per work unit; each block has its own seeded RNG
QUOTE = "http://quote.eastmoney.com/unify/r/"
SITE = "//finews.withounder.com/"
W: dict[str, list] = {}  # sampling tables, built once per process by build()


def zipf(items: list, size: int = 3000, flat: int = 3) -> list:
    """Expand items into a table where rank r appears ~1/(r+flat) of the time (O(1) sampling)."""
    weights = [1.0 / (r + flat) for r in range(len(items))]
    scale = size / sum(weights)
    counts = [max(1, round(w * scale)) for w in weights]
    return [it for it, k in zip(items, counts, strict=True) for _ in range(k)]


def build(seed: int) -> None:
    """Build this process's sampling tables, with 3,000 companies and their stock codes."""
    rng = random.Random(f"{seed}:vocab")
    cos = [(n, c.split(".")[1], c.split(".")[0]) for n, c in (x.split(":") for x in nw.FAMOUS)]
    names = {n for n, _, _ in cos}
    while len(cos) < 3000:
        name = rng.choice(nw.BRAND) + rng.choice(nw.BRAND) + rng.choice(nw.INDUSTRY)
        name += rng.choice(["", "", "股份", "集团", "控股"])
        if name not in names:
            names.add(name)
            mkt, lead = rng.choice([("1", "60"), ("1", "68"), ("0", "00"), ("0", "30")])
            cos.append((name, f"{lead}{rng.randrange(10000):04d}", mkt))
    W.update(
        noun=zipf(nw.NOUN, 8000),
        verb=zipf(nw.VERB),
        adj=zipf(nw.ADJ),
        adv=zipf(nw.ADV),
        conn=zipf(nw.CONN),
        org=zipf(nw.ORG),
        place=zipf(nw.PLACE),
        media=zipf(nw.MEDIA),
        co=zipf(cos, 12000, 10),
        tags=zipf(nw.TAGS, 5000),
        enoun=zipf(nw.E_NOUN),
        eco=zipf([x.split(":") for x in nw.E_CO]),
        eadj=zipf(nw.E_ADJ),
    )
    W["speaker"] = W["org"] + W["media"]
    W["bk"] = {n: f"BK{400 + i * 7:04d}" for i, n in enumerate(nw.NOUN[:150])}
    W["src"] = [s for s in nw.SOURCES[:-2] for _ in range(s[2])]
    W["esrc"] = [s for s in nw.SOURCES[-2:] for _ in range(s[2])]


def day_of(i: int, n: int) -> datetime:
    """Day of post i: a linear ramp, so late 2024 has 2.5x the posts a day of early 2019."""
    u, g = (i + 0.5) / n, 1.5
    x = ((1 + 2 * g * u * (1 + g / 2)) ** 0.5 - 1) / g
    return START + timedelta(days=min(int(x * DAYS), DAYS - 1))


def folder(day: datetime, n: int) -> str:
    """Sub-folder of a post: one per month (at most ~2,000 posts for N = 100,000)."""
    return day.strftime("%Y-%m" if n <= 150_000 else "%Y-%m/%d")


class Post:
    """Text generator for one block of posts (owns its RNG)."""

    def __init__(self, rng: random.Random) -> None:
        self.r = rng
        self.rnd = rnd = rng.random
        self.html, self.seen, self.day, self.en = False, set(), START, False

        def choice(seq: Sequence[Any]) -> Any:
            """Uniform choice; about twice as fast as Random.choice."""
            return seq[int(rnd() * len(seq))]

        self.c = choice

        def stream(table: list) -> Callable[[], Any]:
            """A draw function for a table, sampling in batches (much faster than choice)."""

            def batches() -> Iterator[Any]:
                while True:
                    yield from rng.choices(table, k=1024)

            return batches().__next__

        self.d = {key: stream(table) for key, table in W.items() if isinstance(table, list)}

    def pct(self) -> str:
        return f"{min(self.r.expovariate(0.12), 300):.{self.c((1, 2, 2))}f}%"

    def money(self) -> str:
        unit = self.c(("亿元", "亿元", "万元", "亿美元", "亿港元"))
        return f"{self.r.lognormvariate(2, 1.5):.2f}{unit}"

    def updown(self) -> str:
        return self.c(("增长", "增长", "上涨", "提升", "增加", "下降", "下跌", "回落", "减少"))

    def when(self) -> str:
        d = self.day - timedelta(days=int(self.rnd() * 5))
        return self.c(
            (
                f"{d.month}月{d.day}日",
                "今年以来",
                f"{d.year}年",
                "上半年",
                "前三季度",
                "近日",
                "今日",
                f"截至{d.month}月末",
                f"{d.year}年{self.c('一二三四')}季度",
            )
        )

    def company(self) -> str:
        name, code, mkt = self.d["co"]()
        if not self.html:
            return name
        q = f"{mkt}.{code}"
        if name in self.seen:
            return (
                f'<span web="1" href="{QUOTE}{q}" class="em_stock_key_common" '
                f'data-code="{mkt},{code}">{name}</span>'
            )
        self.seen.add(name)
        return (
            f'<span id="stock_{q}"><a href="{QUOTE}{q}" class="keytip" '
            f'data-code="{mkt},{code}">{name}</a></span><span id="quote_{q}"></span>'
        )

    def noun(self) -> str:
        r, w = self.rnd(), self.d["noun"]()
        if self.html and r < 0.04 and w in W["bk"]:
            bk = W["bk"][w]
            return (
                f'<span id="bk_90.{bk}"><a href="{QUOTE}90.{bk}" class="keytip" '
                f'data-code="90,{bk}">{w}</a></span><span id="bkquote_90.{bk}"></span>'
            )
        if r < 0.55:
            return w
        return (self.d["adj"]() if r < 0.75 else self.d["noun"]()) + w  # compounds: rare terms

    def subject(self) -> str:
        r = self.rnd()
        if r < 0.4:
            return self.company()
        if r < 0.7:
            return self.d["org" if r < 0.6 else "place"]()
        return self.c(("公司", "该公司", "相关企业", "多家机构", "业内"))

    def person(self) -> str:
        c = self.c
        name = c(nw.SURNAME) + c(nw.GIVEN) + (c(nw.GIVEN) if self.rnd() < 0.7 else "")
        return f"{self.d['speaker']()}{c(nw.TITLE)}{name}" if self.rnd() < 0.5 else name

    def clause(self, depth: int = 0) -> str:
        c, k = self.c, int(self.rnd() * (12 if depth == 0 else 7))
        n, pct, ud, v = self.noun, self.pct, self.updown, self.d["verb"]
        if k < 2:
            return f"{self.subject()}{self.d['adv']()}{v()}{n()}"
        if k == 2:
            metric = c(("营业收入", "净利润", "营收", "销售额"))
            return f"{self.when()}，{self.subject()}实现{metric}{self.money()}，同比{ud()}{pct()}"
        if k == 3:
            return f"{n()}{ud()}{pct()}至{self.money()}"
        if k == 4:
            return f"{self.d['place']()}{n()}{v()}{n()}"
        if k == 5:
            return f"{n()}和{n()}等{n()}{self.d['adv']()}{v()}"
        if k == 6:
            return f"{2 + int(self.rnd() * 298)}家{n()}{v()}{n()}"
        if k == 7:
            return f"{self.d['org']()}数据显示，{self.when()}{n()}同比{ud()}{pct()}"
        if k == 8:
            return f"{self.person()}表示，“{self.clause(1)}，{self.clause(1)}”"
        if k == 9:
            price, d = f"{self.r.uniform(2, 300):.2f}", self.day
            when = self.c(("今日", "发稿", f"{d.month}月{d.day}日", f"{d.day}日"))
            return f"截至{when}收盘，{self.company()}报{price}元，{ud()}{pct()}"
        if k == 10:
            return f"{self.d['conn']()}，{self.clause(1)}"
        return f"{self.subject()}拟以{self.money()}收购{self.company()}{pct()}股权"

    def sentence(self) -> str:
        if self.en:
            return self.en_sentence()
        return "，".join(self.clause() for _ in range(self.c((1, 2, 2, 3)))) + "。"

    def en_np(self) -> str:
        noun = self.d["enoun"]()
        return f"{self.d['eadj']()} {noun}" if self.rnd() < 0.5 else noun

    def en_sentence(self) -> str:
        c, k, np = self.c, int(self.rnd() * 5), self.en_np
        name, sym = self.d["eco"]()
        if self.html:
            q = f"105.{sym}"
            name = f'<span id="stock_{q}"><a href="{QUOTE}{q}" class="keytip">{name}</a></span>'
        if k == 0:
            price = self.r.uniform(5, 900)
            return (
                f"{name} shares {c(nw.E_VERB)} {self.pct()} to ${price:.2f} in "
                f"{c(nw.E_PLACE)} trading, after the company reported {np()} of "
                f"${self.r.lognormvariate(1, 1.2):.2f} billion."
            )
        if k == 1:
            return (
                f"The {c(nw.E_ORG)} said {np()} {c(nw.E_VERB)} {self.pct()} in "
                f"{self.day:%B} from a year earlier, {c(('beating', 'missing', 'matching'))} "
                "forecasts."
            )
        if k == 2:
            verb = c(("could improve", "may weaken", "will stabilise", "should recover"))
            return (
                f'"{np().capitalize()} {c(("remain", "look", "are still"))} {c(nw.E_ADJ)} and '
                f'{np()} {verb}," '
                f"said {c(nw.E_FIRST)} {c(nw.E_LAST)}, {c(nw.E_TITLE)} at {c(nw.E_FIRM)}."
            )
        if k == 3:
            lead = c(("Meanwhile", "However", "Separately", "Still"))
            return f"{lead}, {np()} {c(nw.E_VERB)} as {np()} {c(nw.E_VERB)}."
        amount = self.r.randrange(1, 40)
        return f"{name} plans to raise ${amount} billion to expand {np()} in {c(nw.E_PLACE)}."

    def title(self) -> str:
        if self.en:
            name = self.d["eco"]()[0]
            return f"{name} {self.c(nw.E_VERB)} {self.pct()} as {self.en_np()} {self.c(nw.E_VERB)}"
        r, html, self.html = self.rnd(), self.html, False
        if r < 0.4:
            t = f"{self.company()}：{self.clause(1)}"
        elif r < 0.8:
            t = self.clause(1)
        else:
            t = f"{self.noun()}{self.c(('板块', '概念股', '行业'))}{self.updown()} {self.clause(1)}"
        self.html = html
        return t.replace("“", "").replace("”", "")[:60]

    def paragraph(self, lo: int, hi: int) -> str:
        """Sentences until at least lo characters; stop early rather than pass hi."""
        text = ""
        while len(text) < lo:
            s = self.sentence() + (" " if self.en else "")
            if text and len(text) + len(s) > hi:
                break
            text += s
        return text.strip()

    def make(self, i: int, n: int, en: bool, html: bool) -> tuple[str, str]:
        """Return (relative path, file text) of post i of n."""
        r, c = self.r, self.c
        self.day, self.en, self.html, self.seen = day_of(i, n), en, False, set()
        stamp = self.day.replace(hour=c(nw.HOURS), minute=r.randrange(60), second=r.randrange(60))
        pid = f"{stamp:%Y%m%d}{1800000000 + i * 7 + r.randrange(7):010d}"
        cat, tag, _, url = self.d["esrc" if en else "src"]()
        tags = tag
        if r.random() < 0.15:  # a space separated list of 2-3 tags
            extra = (self.d["tags"]() for _ in range(r.randrange(1, 3)))
            tags = " ".join(dict.fromkeys([tag, *extra]))
        title = self.title() if r.random() > 0.0005 else ""
        offset = " +0800" if r.random() < 0.7 else ""
        head = ("\n" if r.random() < 0.005 else "") + (
            f'---\nlayout: post\ntitle: "{title}"\ndate: {stamp:%Y-%m-%d %H:%M:%S}{offset}\n'
            f"categories: {cat}\ntags: {tags}\n---\n"
        )
        media = "" if en else f"（{self.d['media']()}）"
        if html:
            lead = self.paragraph(60, 250) + media
            body = [f"> {lead}\n\n", *self.html_body(lead, r.randrange(4800, 9000))]
        else:
            body = ["\n", self.paragraph(r.randrange(100, 400), 400), media * (r.random() < 0.5)]
        link = url.format(
            col=c((1354, 1355, 11060, 1611, 11142, 11362)),
            id=pid,
            n=r.randrange(10**6, 10**8),
            ymd=f"{stamp:%Y-%m-%d}",
        )
        k, foot = r.random(), ""
        if k < 0.6:
            foot = f"\n\n[返回{tag}]({SITE}{cat}/)｜[返回首页]({SITE})"
        elif k < 0.75:
            foot = f"\n\n[返回{tag}](../{cat}/)\n[返回首页](../)"
        text = head + "".join(body) + f"\n\n<{link}>" + foot + "\n" * (r.random() < 0.3)
        return f"{folder(self.day, n)}/{stamp:%Y-%m-%d}-{pid}.md", text

    def html_body(self, lead: str, target: int) -> list[str]:
        """One-line eastmoney-style article HTML of about `target` bytes."""
        r, c, self.html = self.r, self.c, True
        parts = ['<p style="display:none;height:1px;overflow:hidden;"><br /></p>']
        if r.random() < 0.6 and not self.en:
            _, code, mkt = self.d["co"]()
            parts.append(
                '<!-- EM_StockImg_Start --><p style="text-align:center;">'
                f'<a href="{QUOTE}{mkt}.{code}"'
                ' class="EmImageRemark" target="_blank"><img src="https://webquoteklinepic.eastmoney.com'
                f'/GetPic.aspx?nid={mkt}.{code}&imageType=k&token=28dfeb41d35cc81d84b4664d7c23c49f&at=1"'
                f' border="0" alt="K图 {code}_0" style="border:#d1d1d1 1px solid;" width="578"'
                ' height="276" /></a></p><!-- EM_StockImg_End -->'
            )
        parts.append(f"<p>{lead}</p>")
        size = sum(len(p.encode()) for p in parts)
        while size < target:
            k = r.random()
            if k < 0.1 and parts[-1].startswith("<p>") and "<strong>" not in parts[-1][:12]:
                p = f"<p><strong>{self.title()}</strong></p>"
            elif k < 0.2:
                img = f"D{r.randrange(10**19, 10**20)}_w800h{r.randrange(180, 600)}.jpg"
                p = (
                    f'<center><img src="https://dfscdn.dfcfw.com/download/{img}" alt="Image"'
                    ' width="552" style="border:#d1d1d1 1px solid;padding:3px;margin:5px 0;" />'
                    "</center>"
                )
                if r.random() < 0.3:
                    src = c(nw.E_FIRM) if self.en else self.d["media"]()
                    p += f'<p style="text-align:center;">图片来源：{src}</p>'
            else:
                p = f"<p>{self.paragraph(80, max(80, min(400, (target - size) // 3)))}</p>"
            parts.append(p)
            size += len(p.encode())
        src = c(nw.E_FIRM) if self.en else self.d["media"]()
        parts.append(f'<p class="em_media">（文章来源：{src}）</p>')
        return parts


def work(args: tuple[str, int, int, int, bool]) -> tuple[int, int]:
    """Write block b of the posts; return (files, bytes)."""
    out, n, seed, b, chinese = args
    if not W:
        build(seed)
    rng = random.Random(f"{seed}:{b}")
    gen, nbytes, count = Post(rng), 0, 0
    for i in range(b * BLOCK, min(n, (b + 1) * BLOCK)):
        en, html = rng.random() < 0.1, rng.random() < 0.3
        en = en and not chinese
        rel, text = gen.make(i, n, en, html)
        data = text.encode("utf-8")
        with open(os.path.join(out, rel), "wb", buffering=0) as f:
            f.write(data)
        nbytes, count = nbytes + len(data), count + 1
    return count, nbytes


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir", help="output folder (created if missing)")
    ap.add_argument("-n", type=int, default=100_000, help="number of posts (default 100000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="default: all cores")
    ap.add_argument("--chinese", action="store_true", help="every post Chinese (no English)")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    for d in {folder(day_of(i, a.n), a.n) for i in range(a.n)}:
        os.makedirs(os.path.join(a.outdir, d), exist_ok=True)
    blocks = range((a.n + BLOCK - 1) // BLOCK)
    tasks = [(a.outdir, a.n, a.seed, b, a.chinese) for b in blocks]
    if a.jobs > 1 and len(tasks) > 1:
        with Pool(a.jobs, initializer=build, initargs=(a.seed,)) as pool:
            results = pool.map(work, tasks, chunksize=1)
    else:
        results = [work(t) for t in tasks]
    files, nbytes = sum(r[0] for r in results), sum(r[1] for r in results)
    dt = time.perf_counter() - t0
    print(
        f"{files} files, {nbytes:,} bytes ({nbytes / 2**20:.1f} MiB) in {dt:.1f} s "
        f"({files / dt:,.0f} posts/s) -> {a.outdir}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
