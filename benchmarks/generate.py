"""Generate synthetic finews-shaped Jekyll posts for benchmarks (stdlib only, deterministic).

Usage: python benchmarks/generate.py OUTDIR -n 100000 [--seed 1] [--jobs 2]

~70% short Markdown digests, ~30% 5-10 KB eastmoney-style HTML articles, ~10% English,
dates 2019-2024 (denser towards the end), one folder per month (per day for huge N).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import datetime, timedelta
from multiprocessing import Pool

START = datetime(2019, 1, 1)
DAYS = (datetime(2025, 1, 1) - START).days
BLOCK = 1000  # posts per work unit; each block has its own seeded RNG, so output ignores --jobs

# Words are roughly ordered by frequency: sampling is Zipf-like over each list.
NOUN = """市场 公司 企业 经济 行业 投资 项目 业务 产品 资金 价格 政策 数据 风险 需求 产能 银行 股票 指数 板块 资产
收入 利润 业绩 规模 消费 出口 贸易 服务 技术 平台 能源 电力 汽车 新能源 房地产 基金 债券 信贷 贷款 利率 汇率 人民币
美元 通胀 就业 工业 制造业 订单 供应链 产业链 芯片 半导体 光伏 储能 电池 医药 疫苗 消费者 投资者 股东 管理层 董事会
监管 金融 保险 证券 券商 期货 原油 黄金 钢铁 煤炭 天然气 化工 材料 农业 粮食 猪肉 物流 航运 港口 铁路 基建 专项债
财政 税收 融资 估值 市值 股价 成交额 主力资金 北向资金 融资余额 分红 回购 减持 增持 定增 并购 重组 募资 研发 创新
专利 人才 客户 用户 渠道 门店 销量 出货量 库存 毛利率 净资产 现金流 负债 评级 目标价 预期 趋势 格局 竞争 份额 龙头
赛道 概念股 题材 情绪 流动性 波动 反弹 回调 拐点 周期 景气度 复苏 压力 挑战 机遇 空间 潜力 动能 韧性 改革 试点
方案 意见 通知 规划 目标 任务 举措 补贴 减税降费 营商环境 数字经济 人工智能 大模型 算力 数据中心 云计算 物联网 机器人
自动驾驶 智能汽车 充电桩 氢能 风电 核电 特高压 电网 碳中和 碳排放 绿色金融 环保 医保 集采 创新药 医疗器械 中药
白酒 食品 饮料 家电 手机 消费电子 面板 游戏 传媒 影视 旅游 酒店 餐饮 零售 电商 直播 外卖 快递 楼市 房价 土地 住宅
商品房 销售额 合同 协议 公告 报告 年报 季报 财报 会议 论坛 发布会 调研 机构 分析师 专家 人士 部门 地区 城市 全球
海外 国内 外资 内需 外需 居民 家庭 收益率 国债 信用债 可转债 理财 公募基金 私募 保险资金 社保基金 养老金 房企 城投
稀土 锂矿 铜价 油价 金价 运价 集装箱 航空 机场 高铁 地铁 水泥 玻璃 光纤 通信 运营商 卫星 无人机 军工 船舶 工程机械
化肥 农药 种业 养殖 乳业 调味品 免税 医美 教育 体育 文化 版权 网络安全 信创 软件 操作系统 数据库 服务器 存储
显卡 晶圆 封装 光刻机 设备 零部件 整车 动力电池 正极材料 隔膜 电解液 硅料 组件 逆变器 海上风电 抽水蓄能 虚拟电厂
碳交易 期权 股指期货 两融 注册制 退市 科创板 创业板 北交所 主板 港股通 沪深港通 离岸人民币 外汇储备 社融 货币供应""".split()
VERB = """表示 指出 认为 宣布 发布 披露 显示 实现 完成 达到 提升 降低 扩大 加快 推进 推动 促进 加强 加大 优化 完善
落实 部署 出台 印发 召开 启动 签署 获得 取得 计划 预计 保持 稳定 支持 鼓励 引导 规范 打击 整治 调整 下调 上调 维持
收购 出售 转让 建设 投产 开工 交付 发行 募集 布局 拓展 进入 退出 合作 关注 看好 受益于 聚焦 深化 释放 提振 改善
承压 修复 突破 领跑 押注 加码 收缩 剥离 整合 升级 替代 覆盖 服务 对接 引进 培育 壮大 提速 放缓 企稳 走强 走弱""".split()
ADJ = """重要 主要 积极 稳健 显著 明显 强劲 温和 整体 全面 高质量 长期 短期 中长期 核心 关键 优质 国产 本土 新型 传统
绿色 智能 数字化 市场化 结构性 阶段性 系统性 区域性 龙头 头部 中小 民营 国有 外资 跨境 上游 下游 综合""".split()
ADV = "将 已 正在 仍 继续 进一步 持续 大力 加快 稳步 有序 率先 全面 逐步 已经 有望 计划 拟".split()
CONN = """与此同时 此外 另外 据悉 据了解 数据显示 业内人士认为 分析人士指出 值得注意的是 总体来看 具体来看 从结构上看
事实上 不过 对此 目前 记者注意到 市场人士表示 有分析认为 此前""".split()
ORG = """国家统计局 中国人民银行 央行 证监会 国家金融监督管理总局 国家发改委 财政部 商务部 工信部 国务院 国资委 上交所
深交所 北交所 港交所 美联储 欧洲央行 国际货币基金组织 世界银行 海关总署 国家能源局 国家外汇管理局 农业农村部 住建部
交通运输部 国家知识产权局 市场监管总局 中国汽车工业协会 乘联会 中指研究院 中国物流与采购联合会 中国证券业协会 中基协""".split()
PLACE = """北京 上海 广州 深圳 天津 重庆 杭州 南京 苏州 成都 武汉 西安 长沙 郑州 青岛 宁波 厦门 合肥 济南 福州 东莞 佛山
无锡 昆明 大连 沈阳 哈尔滨 长春 石家庄 太原 南昌 南宁 贵阳 海口 兰州 乌鲁木齐 呼和浩特 广东 江苏 浙江 山东 河南 四川
湖北 湖南 福建 安徽 河北 江西 广西 云南 海南 香港 澳门 美国 日本 韩国 欧盟 英国 德国 法国 印度 俄罗斯 东南亚 中东""".split()
MEDIA = """中证网 上海证券报 证券时报 中国证券报 央视新闻 新华社 第一财经 财联社 21世纪经济报道 经济参考报 界面新闻
证券日报 经济日报 人民日报 每日经济新闻 华夏时报 中国基金报 券商中国 央视新闻客户端 科创板日报""".split()
FAMOUS = """贵州茅台:1.600519 宁德时代:0.300750 比亚迪:0.002594 招商银行:1.600036 中国平安:1.601318 东方财富:0.300059
隆基绿能:1.601012 中国石化:1.600028 五粮液:0.000858 美的集团:0.000333 格力电器:0.000651 海康威视:0.002415
立讯精密:0.002475 中信证券:1.600030 工商银行:1.601398 长江电力:1.600900 紫金矿业:1.601899 万科A:0.000002
恒瑞医药:1.600276 迈瑞医疗:0.300760 药明康德:1.603259 中芯国际:1.688981 京东方A:0.000725 三一重工:1.600031
中国中免:1.601888 伊利股份:1.600887 通威股份:1.600438 阳光电源:0.300274 赣锋锂业:0.002460 北方华创:0.002371
科大讯飞:0.002230 中际旭创:0.300308 寒武纪:1.688256 顺丰控股:0.002352 牧原股份:0.002714 长城汽车:1.601633
上汽集团:1.600104 中国神华:1.601088 中国移动:1.600941 巨化股份:1.600160 联创股份:0.300343 腾讯控股:116.00700
美团:116.03690 小米集团:116.01810 阿里巴巴:116.09988 蔚来:106.NIO 理想汽车:105.LI""".split()
BRAND = "华中国新天海恒泰信达金宏盛鑫源瑞丰安康永兴隆昌博德通力远航嘉和光明东方南北西汇佳润凯晨星宇辰锦智创科联合众鼎"
INDUSTRY = """科技 电子 医药 生物 能源 环保 材料 化工 汽车 地产 电气 光电 智能 通信 精密 机械 食品 物流 传媒 新材 矿业 电力
软件 半导体 微电子 锂业 农业 建设 重工 制药 装备 航天 信息 数据""".split()
SURNAME = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文斌宇浩凯鹏飞晨欣雪梅琳蕾晓峰海涛辉志红玲颖婷博健"
TITLE = "董事长 总经理 首席经济学家 首席分析师 研究员 负责人 新闻发言人 副总裁 首席执行官 董事会秘书 总监 副院长".split()
TAGS = """A股 港股 美股 新能源 光伏 锂电池 半导体 芯片 人工智能 大模型 算力 储能 风电 氢能 汽车 新能源车 自动驾驶 消费电子
白酒 医药 创新药 医疗器械 中药 银行 券商 保险 房地产 楼市 基建 钢铁 煤炭 有色金属 黄金 原油 天然气 稀土 化工 农业 猪肉
粮食 航运 物流 快递 电商 直播 游戏 传媒 影视 旅游 酒店 餐饮 零售 免税 家电 手机 通信 5G 卫星 军工 机器人 工业母机
数字经济 数据要素 信创 云计算 网络安全 元宇宙 区块链 数字人民币 跨境支付 人民币 汇率 美元 利率 降准 降息 国债 地方债
城投 可转债 理财 公募基金 私募 ETF 北向资金 两融 IPO 注册制 退市 回购 分红 并购重组 业绩预告 年报 季报 财报 宏观经济
GDP CPI PPI PMI 社融 货币政策 财政政策 产业政策 监管 反垄断 碳中和 碳交易 ESG 一带一路 自贸区 粤港澳大湾区 长三角
京津冀 成渝 海南自贸港 出口 进口 外贸 关税 供应链 产业链 制造业 专精特新 独角兽 科创板 创业板 北交所 港交所 美联储
欧洲央行 日本央行 俄乌冲突 中东局势 大宗商品 期货 期权 量化 外资 养老金 社保基金 保险资金 乡村振兴 共同富裕 高质量发展
AI EV IPO Fed ESG crypto bitcoin bonds forex oil gold earnings tech chips semiconductors banks insurance property
housing inflation jobs rates Treasury dollar yuan yen euro Nasdaq Dow tariffs trade China US Europe Japan India
Apple Tesla Nvidia Microsoft Amazon Alphabet Meta OPEC energy commodities markets stocks funds mergers outlook""".split()
SOURCES = [  # category, tag, weight, url template; the last two carry the English posts
    ("emnews", "东财滚动新闻", 30, "http://finance.eastmoney.com/news/{col},{id}.html"),
    ("xlcaijing", "新浪财经新闻", 12, "http://finance.sina.com.cn/stock/{id}.shtml"),
    ("cailianshe", "财联社新闻", 10, "https://www.cls.cn/detail/{n}"),
    ("diyicaijing", "第一财经新闻", 8, "https://www.yicai.com/news/{n}.html"),
    ("zqshibao", "证券时报新闻", 6, "http://www.stcn.com/article/detail/{n}.html"),
    ("jiemian", "界面新闻", 6, "https://www.jiemian.com/article/{n}.html"),
    ("caixin", "财新新闻", 5, "https://finance.caixin.com/{ymd}/{n}.html"),
    ("zhongzhengwang", "中证网新闻", 5, "http://www.cs.com.cn/ssgs/{n}.html"),
    ("huaerjie", "华尔街见闻新闻", 5, "https://wallstreetcn.com/articles/{n}"),
    ("gelonghui", "格隆汇新闻", 3, "https://www.gelonghui.com/p/{n}"),
    ("lutou", "路透新闻", 6, "https://www.reuters.com/article/{n}"),
    ("pengbo", "彭博新闻", 4, "https://www.bloomberg.com/news/articles/{ymd}/{n}"),
]
E_CO = """Apple:AAPL Tesla:TSLA Nvidia:NVDA Microsoft:MSFT Amazon:AMZN Alphabet:GOOGL Meta:META Intel:INTC AMD:AMD Boeing:BA
JPMorgan:JPM Goldman:GS Exxon:XOM Chevron:CVX Walmart:WMT Pfizer:PFE Netflix:NFLX Alibaba:BABA JD.com:JD Nio:NIO
Oracle:ORCL Qualcomm:QCOM Broadcom:AVGO Disney:DIS Nike:NKE Starbucks:SBUX Visa:V Citigroup:C""".split()
E_NOUN = """revenue profit earnings demand supply prices shares stocks bonds yields rates inflation growth output exports imports
sales orders margins guidance outlook forecast deliveries capacity investment spending debt deficit tariffs policy
chips batteries vehicles smartphones servers software cloud services energy oil gas copper gold steel lithium housing
consumers investors analysts lenders regulators markets economy factories payrolls wages unemployment liquidity
volatility valuations buybacks dividends mergers acquisitions listings funding losses costs""".split()
E_ADJ = """strong weak higher lower record quarterly annual global domestic key major slower faster steady robust modest
sharp surprise fresh new rising falling tighter looser industrial retail corporate federal regional""".split()
E_VERB = """rose fell climbed dropped jumped slipped surged slumped gained edged widened narrowed beat missed""".split()
E_ORG = """Federal Reserve,European Central Bank,Bank of Japan,Commerce Department,Labor Department,Treasury,IMF,
World Bank,OPEC,People's Bank of China,National Bureau of Statistics,Bank of England,SEC""".split(",")
E_PLACE = "New York,London,Tokyo,Hong Kong,Shanghai,Singapore,Frankfurt,Beijing,Washington,Seoul".split(",")
E_FIRST = "James Mary John Linda David Susan Michael Sarah Robert Emma Wei Li Chen Kenji Anna Peter Laura Tom".split()
E_LAST = "Smith Johnson Brown Lee Wang Zhang Tanaka Miller Davis Garcia Wilson Taylor Clark Lewis Walker Young".split()
E_TITLE = "chief economist,head of research,portfolio manager,senior analyst,strategist,chief investment officer".split(",")
E_FIRM = "Morgan Stanley,Goldman Sachs,UBS,Nomura,HSBC,Citi,Barclays,BlackRock,Capital Economics,ING".split(",")
W: dict[str, list] = {}  # sampling tables, built once per process by build()


def zipf(items: list, size: int = 3000) -> list:
    """Expand items into a table where rank r appears ~1/(r+3) of the time (O(1) sampling)."""
    weights = [1.0 / (r + 3) for r in range(len(items))]
    scale = size / sum(weights)
    return [it for it, w in zip(items, weights) for _ in range(max(1, round(w * scale)))]


def build(seed: int) -> None:
    """Build the per-process vocabulary: words, companies with stock codes, board codes."""
    rng = random.Random(f"{seed}:vocab")
    cos = [(n, c.split(".")[1], c.split(".")[0]) for n, c in (x.split(":") for x in FAMOUS)]
    names = {n for n, _, _ in cos}
    while len(cos) < 3000:
        name = rng.choice(BRAND) + rng.choice(BRAND) + rng.choice(INDUSTRY) + rng.choice(["", "", "股份", "集团", "控股"])
        if name not in names:
            names.add(name)
            mkt, lead = rng.choice([("1", "60"), ("1", "68"), ("0", "00"), ("0", "30")])
            cos.append((name, f"{lead}{rng.randrange(10000):04d}", mkt))
    W.update(noun=zipf(NOUN, 6000), verb=zipf(VERB), adj=zipf(ADJ), adv=zipf(ADV), conn=zipf(CONN), org=zipf(ORG),
             place=zipf(PLACE), media=zipf(MEDIA), co=zipf(cos, 12000), tags=zipf(TAGS, 5000),
             eco=zipf([x.split(":") for x in E_CO]), enoun=zipf(E_NOUN), eadj=zipf(E_ADJ))
    W["bk"] = {n: f"BK{400 + i * 7:04d}" for i, n in enumerate(NOUN[:150])}
    W["src"] = [s for s in SOURCES[:-2] for _ in range(s[2])]
    W["esrc"] = [s for s in SOURCES[-2:] for _ in range(s[2])]


def day_of(i: int, n: int) -> datetime:
    """Day of post i: a linear ramp, so late 2024 has ~2.5x the posts of early 2019."""
    u, g = (i + 0.5) / n, 1.5
    x = ((1 + 2 * g * u * (1 + g / 2)) ** 0.5 - 1) / g
    return START + timedelta(days=min(int(x * DAYS), DAYS - 1))


def folder(day: datetime, n: int) -> str:
    """Sub-folder for a post: one per month, one per day when N is huge."""
    return day.strftime("%Y-%m" if n <= 150_000 else "%Y-%m/%d")


class Post:
    """Text generator for one block of posts (owns its RNG)."""

    def __init__(self, rng: random.Random) -> None:
        self.r, self.c = rng, rng.choice
        self.html, self.seen, self.day = False, set(), START

    def pct(self) -> str:
        return f"{min(self.r.expovariate(0.12), 300):.{self.c((1, 2, 2))}f}%"

    def money(self) -> str:
        return f"{self.r.lognormvariate(2, 1.5):.2f}{self.c(('亿元', '亿元', '万元', '亿美元', '万股'))}"

    def updown(self) -> str:
        return self.c(("增长", "增长", "上涨", "提升", "增加", "下降", "下跌", "回落", "减少"))

    def when(self) -> str:
        d = self.day - timedelta(days=self.r.randrange(5))
        return self.c((f"{d.month}月{d.day}日", "今年以来", f"{d.year}年", "上半年", "前三季度", "近日", "今日",
                       f"截至{d.month}月末", f"{d.year}年{self.c('一二三四')}季度", "本周"))

    def company(self) -> str:
        name, code, mkt = self.c(W["co"])
        if not self.html:
            return name
        q, key = f"{mkt}.{code}", (name, self.r.random() < 0.5)
        if name in self.seen:
            return (f'<span web="1" href="http://quote.eastmoney.com/unify/r/{q}" class="em_stock_key_common"'
                    f' data-code="{mkt},{code}">{name}</span>')
        self.seen.add(key[0])
        return (f'<span id="stock_{q}"><a href="http://quote.eastmoney.com/unify/r/{q}" class="keytip" '
                f'data-code="{mkt},{code}">{name}</a></span><span id="quote_{q}"></span>')

    def noun(self) -> str:
        r, w = self.r.random(), self.c(W["noun"])
        if self.html and r < 0.04 and w in W["bk"]:
            q = f"90.{W['bk'][w]}"
            return (f'<span id="bk_{q}"><a href="http://quote.eastmoney.com/unify/r/{q}" class="keytip" '
                    f'data-code="90,{W["bk"][w]}">{w}</a></span><span id="bkquote_{q}"></span>')
        if r < 0.55:
            return w
        return (self.c(W["adj"]) if r < 0.75 else self.c(W["noun"])) + w

    def subject(self) -> str:
        r = self.r.random()
        return (self.company() if r < 0.4 else self.c(W["org"]) if r < 0.6 else self.c(W["place"]) if r < 0.7
                else self.c(("公司", "该公司", "相关企业", "多家机构", "业内")))

    def person(self) -> str:
        name = self.c(SURNAME) + self.c(GIVEN) + (self.c(GIVEN) if self.r.random() < 0.7 else "")
        return f"{self.c(W['org'] + W['media'])}{self.c(TITLE)}{name}" if self.r.random() < 0.5 else name

    def clause(self, depth: int = 0) -> str:
        c, k = self.c, self.r.randrange(12 if depth == 0 else 7)
        if k < 2:
            return f"{self.subject()}{c(W['adv'])}{c(W['verb'])}{self.noun()}"
        if k == 2:
            return f"{self.when()}，{self.subject()}实现{c(('营业收入', '净利润', '营收', '销售额'))}{self.money()}，同比{self.updown()}{self.pct()}"
        if k == 3:
            return f"{self.noun()}{self.updown()}{self.pct()}至{self.money()}"
        if k == 4:
            return f"{c(W['place'])}{self.noun()}{c(W['verb'])}{self.noun()}"
        if k == 5:
            return f"{self.noun()}和{self.noun()}等{self.noun()}{c(W['adv'])}{c(W['verb'])}"
        if k == 6:
            return f"{self.r.randrange(2, 300)}家{self.noun()}{c(W['verb'])}{self.noun()}"
        if k == 7:
            return f"{c(W['org'])}数据显示，{self.when()}{self.noun()}同比{self.updown()}{self.pct()}"
        if k == 8:
            return f"{self.person()}表示，“{self.clause(1)}，{self.clause(1)}”"
        if k == 9:
            return f"截至{self.when()}收盘，{self.company()}报{self.r.uniform(2, 300):.2f}元，{self.updown()}{self.pct()}"
        if k == 10:
            return f"{c(W['conn'])}，{self.clause(1)}"
        return f"{self.subject()}拟以{self.money()}收购{self.company()}{self.pct()}股权"

    def sentence(self) -> str:
        if self.lang == "en":
            return self.en_sentence()
        return "，".join(self.clause() for _ in range(self.c((1, 2, 2, 3)))) + "。"

    def en_np(self) -> str:
        return f"{self.c(W['eadj'])} {self.c(W['enoun'])}" if self.r.random() < 0.5 else self.c(W["enoun"])

    def en_sentence(self) -> str:
        c, k = self.c, self.r.randrange(5)
        name, sym = c(W["eco"])
        if self.html:
            name = f'<span id="stock_105.{sym}"><a href="http://quote.eastmoney.com/unify/r/105.{sym}" class="keytip">{name}</a></span>'
        if k == 0:
            return (f"{name} shares {c(E_VERB)} {self.pct()} to ${self.r.uniform(5, 900):.2f} in {c(E_PLACE)} trading, "
                    f"after the company reported {self.en_np()} of ${self.r.lognormvariate(1, 1.2):.2f} billion.")
        if k == 1:
            return (f"The {c(E_ORG).strip()} said {self.en_np()} {c(E_VERB)} {self.pct()} in "
                    f"{self.day.strftime('%B')} from a year earlier, {c(('beating', 'missing', 'matching'))} forecasts.")
        if k == 2:
            return (f'"{self.en_np().capitalize()} {c(("remains", "looks", "is still"))} {c(E_ADJ)} and {self.en_np()} '
                    f'{c(("could", "may", "will"))} {c(("improve", "weaken", "stabilise"))}," said {c(E_FIRST)} {c(E_LAST)}, '
                    f"{c(E_TITLE)} at {c(E_FIRM)}.")
        if k == 3:
            return f"{c(('Meanwhile', 'However', 'Separately', 'Still'))}, {self.en_np()} {c(E_VERB)} as {self.en_np()} {c(E_VERB)}."
        return f"{name} plans to raise ${self.r.randrange(1, 40)} billion to expand {self.en_np()} in {c(E_PLACE)}."

    def title(self) -> str:
        if self.lang == "en":
            name = self.c(W["eco"])[0]
            return f"{name} {self.c(E_VERB)} {self.pct()} as {self.en_np()} {self.c(E_VERB)}"
        r = self.r.random()
        t = (f"{self.company()}：{self.clause(1)}" if r < 0.4 else f"{self.clause(1)}" if r < 0.8
             else f"{self.noun()}{self.c(('板块', '概念股', '行业'))}{self.updown()} {self.clause(1)}")
        return t.replace("“", "").replace("”", "")[:60]

    def paragraph(self, lo: int, hi: int) -> str:
        """Sentences until the length is in [lo, hi] characters (stop early rather than exceed hi)."""
        text = ""
        while len(text) < lo:
            s = self.sentence() + (" " if self.lang == "en" else "")
            if text and len(text) + len(s) > hi:
                break
            text += s
        return text.strip()

    def make(self, i: int, n: int, en: bool, html: bool) -> tuple[str, str]:
        """Return (relative path, file text) for post i of n."""
        r, c = self.r, self.c
        self.day, self.lang, self.html, self.seen = day_of(i, n), "en" if en else "zh", False, set()
        hour = c((0, 6, 7, 8, 9, 9, 10, 10, 11, 11, 13, 14, 14, 15, 15, 16, 17, 18, 19, 20, 21, 22, 23))
        stamp = self.day.replace(hour=hour, minute=r.randrange(60), second=r.randrange(60))
        pid = f"{stamp:%Y%m%d}{1800000000 + i * 7 + r.randrange(7):010d}"
        cat, tag, _, url = c(W["esrc"] if en else W["src"])
        tags = tag if r.random() < 0.85 else " ".join([tag, *r.sample(W["tags"], r.randrange(1, 3))])
        title = self.title() if r.random() > 0.0005 else ""
        head = (f"{chr(10) if r.random() < 0.005 else ''}---\nlayout: post\ntitle: \"{title}\"\n"
                f"date: {stamp:%Y-%m-%d %H:%M:%S}{' +0800' if r.random() < 0.7 else ''}\n"
                f"categories: {cat}\ntags: {tags}\n---\n")
        media = "" if en else f"（{c(W['media'])}）"
        if html:
            lead = self.paragraph(60, 250) + media
            body = [f"> {lead}\n\n"] + self.html_body(lead, r.randrange(5000, 9600))
        else:
            body = ["\n", self.paragraph(r.randrange(100, 400), 400), media if r.random() < 0.5 else ""]
        link = url.format(col=c((1354, 1355, 11060, 1611, 11142, 11362)), id=pid, n=r.randrange(10**6, 10**8),
                          ymd=f"{stamp:%Y-%m-%d}")
        k = r.random()
        foot = (f"\n\n[返回{tag}](//finews.withounder.com/{cat}/)｜[返回首页](//finews.withounder.com/)" if k < 0.6
                else f"\n\n[返回{tag}](../{cat}/)\n[返回首页](../)" if k < 0.75 else "")
        text = head + "".join(body) + f"\n\n<{link}>" + foot + ("\n" if r.random() < 0.3 else "")
        return f"{folder(self.day, n)}/{stamp:%Y-%m-%d}-{pid}.md", text

    def html_body(self, lead: str, target: int) -> list[str]:
        """One-line eastmoney-style article HTML of about `target` bytes."""
        r, c, self.html = self.r, self.c, True
        parts = ['<p style="display:none;height:1px;overflow:hidden;"><br /></p>']
        if r.random() < 0.6 and self.lang == "zh":
            name, code, mkt = c(W["co"])
            parts.append(f'<!-- EM_StockImg_Start --><p style="text-align:center;"><a href="http://quote.eastmoney.com/unify/r/{mkt}.{code}" '
                         f'class="EmImageRemark" target="_blank"><img src="https://webquoteklinepic.eastmoney.com/GetPic.aspx?nid={mkt}.{code}'
                         f'&imageType=k&token=28dfeb41d35cc81d84b4664d7c23c49f&at=1" border="0" alt="K图 {code}_0" '
                         'style="border:#d1d1d1 1px solid;" width="578" height="276" /></a></p><!-- EM_StockImg_End -->')
        parts.append(f"<p>{lead}</p>")
        size = sum(len(p.encode()) for p in parts)
        while size < target:
            k = r.random()
            if k < 0.1:
                p = f"<p><strong>{self.title()}</strong></p>"
            elif k < 0.2:
                p = (f'<center><img src="https://dfscdn.dfcfw.com/download/D{r.randrange(10**19, 10**20)}_w800h{r.randrange(180, 600)}.jpg"'
                     ' alt="Image" width="552" style="border:#d1d1d1 1px solid;padding:3px;margin:5px 0;" /></center>')
                if r.random() < 0.3:
                    p += f'<p style="text-align:center;">图片来源：{c(W["media"])}</p>'
            else:
                p = f"<p>{self.paragraph(80, 400)}</p>"
            parts.append(p)
            size += len(p.encode())
        src = c(W["media"]) if self.lang == "zh" else c(E_FIRM)
        parts.append(f'<p class="em_media">（文章来源：{src}）</p>')
        return parts


def work(args: tuple[str, int, int, int]) -> tuple[int, int]:
    """Write block `b` of the posts; return (files, bytes)."""
    out, n, seed, b = args
    if not W:
        build(seed)
    rng = random.Random(f"{seed}:{b}")
    gen, nbytes, count = Post(rng), 0, 0
    for i in range(b * BLOCK, min(n, (b + 1) * BLOCK)):
        en, html = rng.random() < 0.1, rng.random() < 0.3
        rel, text = gen.make(i, n, en, html)
        data = text.encode("utf-8")
        with open(os.path.join(out, rel), "wb") as f:
            f.write(data)
        nbytes, count = nbytes + len(data), count + 1
    return count, nbytes


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir")
    ap.add_argument("-n", type=int, default=100_000, help="number of posts (default 100000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: all cores)")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    for d in {folder(day_of(i, a.n), a.n) for i in range(a.n)}:
        os.makedirs(os.path.join(a.outdir, d), exist_ok=True)
    tasks = [(a.outdir, a.n, a.seed, b) for b in range((a.n + BLOCK - 1) // BLOCK)]
    if a.jobs > 1 and len(tasks) > 1:
        with Pool(a.jobs, initializer=build, initargs=(a.seed,)) as pool:
            results = pool.map(work, tasks, chunksize=1)
    else:
        results = [work(t) for t in tasks]
    files, nbytes = sum(r[0] for r in results), sum(r[1] for r in results)
    dt = time.perf_counter() - t0
    print(f"{files} files, {nbytes:,} bytes ({nbytes / 2**20:.1f} MiB) in {dt:.1f} s "
          f"({files / dt:,.0f} posts/s) -> {a.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
