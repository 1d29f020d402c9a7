"""Made-up Chinese news for the story tests: articles of their own by seed, and the near
copies another source would carry."""

from __future__ import annotations

import random

_WORDS = (
    "人民币 汇率 央行 美元 指数 上涨 下跌 市场 投资者 基金 股票 债券 银行 利率 政策 经济 "
    "增长 消费 出口 进口 企业 利润 季度 同比 环比 新能源 汽车 电池 芯片 半导体 房地产 地产 "
    "城市 交易 成交额 板块 龙头 公司 公告 董事会 股东 收购 重组 监管 证监会 发布 通知 会议 "
    "表示 "
)
WORDS = tuple(_WORDS.split())


def news(seed: int, paragraphs: int = 4) -> str:
    """A made-up Chinese article: paragraphs of sentences of common words, its own by seed."""
    rng = random.Random(seed)
    return "\n\n".join(
        "".join(
            "".join(rng.choice(WORDS) for _ in range(rng.randrange(6, 12))) + "。" for _ in range(4)
        )
        for _ in range(paragraphs)
    )


def edited(text: str) -> str:
    """A second source's copy: a dateline, a sentence dropped, a source line."""
    sentences = text.replace("\n\n", "").split("。")
    del sentences[3]
    return "【经济参考网】" + "。".join(sentences) + "\n\n（来源：经济参考网）"


def reordered(text: str) -> str:
    return "\n\n".join(reversed(text.split("\n\n")))
