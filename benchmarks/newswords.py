"""Word lists for generate.py: real common news words, roughly most frequent first."""

from __future__ import annotations


def _w(text: str, sep: str | None = None) -> list[str]:
    """Split a word list, dropping line breaks and blanks."""
    return [w.strip() for w in text.split(sep) if w.strip()]


# Chinese

NOUN = _w(
    """市场 公司 企业 经济 行业 投资 项目 业务 产品 资金 价格 政策 数据 风险 需求 产能 银行
股票 指数 板块 资产 收入 利润 业绩 规模 消费 出口 贸易 服务 技术 平台 能源 电力 汽车
新能源 房地产 基金 债券 信贷 贷款 利率 汇率 人民币 美元 通胀 就业 工业 制造业 订单
供应链 产业链 芯片 半导体 光伏 储能 电池 医药 疫苗 消费者 投资者 股东 管理层 董事会 监管
金融 保险 证券 券商 期货 原油 黄金 钢铁 煤炭 天然气 化工 材料 农业 粮食 猪肉 物流 航运
港口 铁路 基建 专项债 财政 税收 融资 估值 市值 股价 成交额 主力资金 北向资金 融资余额
分红 回购 减持 增持 定增 并购 重组 募资 研发 创新 专利 人才 客户 用户 渠道 门店 销量
出货量 库存 毛利率 净资产 现金流 负债 评级 目标价 预期 趋势 格局 竞争 份额 龙头 赛道
概念股 题材 情绪 流动性 波动 反弹 回调 拐点 周期 景气度 复苏 压力 挑战 机遇 空间 潜力
动能 韧性 改革 试点 方案 意见 通知 规划 目标 任务 举措 补贴 减税降费 营商环境 数字经济
人工智能 大模型 算力 数据中心 云计算 物联网 机器人 自动驾驶 智能汽车 充电桩 氢能 风电
核电 特高压 电网 碳中和 碳排放 绿色金融 环保 医保 集采 创新药 医疗器械 中药 白酒 食品
饮料 家电 手机 消费电子 面板 游戏 传媒 影视 旅游 酒店 餐饮 零售 电商 直播 外卖 快递 楼市
房价 土地 住宅 商品房 销售额 合同 协议 公告 报告 年报 季报 财报 会议 论坛 发布会 调研
机构 分析师 专家 人士 部门 地区 城市 全球 海外 国内 外资 内需 外需 居民 家庭 收益率 国债
信用债 可转债 理财 公募基金 私募 保险资金 社保基金 养老金 房企 城投 稀土 锂矿 铜价 油价
金价 运价 集装箱 航空 机场 高铁 地铁 水泥 玻璃 光纤 通信 运营商 卫星 无人机 军工 船舶
工程机械 化肥 农药 种业 养殖 乳业 调味品 免税 医美 教育 体育 文化 版权 网络安全 信创
软件 操作系统 数据库 服务器 存储 显卡 晶圆 封装 光刻机 设备 零部件 整车 动力电池
正极材料 隔膜 电解液 硅料 组件 逆变器 海上风电 抽水蓄能 虚拟电厂 碳交易 期权 股指期货
两融 注册制 退市 科创板 创业板 北交所 主板 港股通 沪深港通 离岸人民币 外汇储备 社融
货币供应 时间 问题 工作 社会 国家 人民 群众 生活 历史 世界 农村 乡村 学校 学生 医院 医生
患者 疫情 防控 安全 质量 标准 体系 制度 机制 能力 水平 结构 模式 环境 资源 生态 水资源
气候 天气 台风 暴雨 高温 寒潮 地震 灾害 救援 交通 道路 桥梁 隧道 车站 码头 园区 基地
工厂 车间 生产线 产业园 开发区 新区 示范区 自贸试验区 口岸 跨境电商 外贸企业 中小企业
个体工商户 民营企业 国有企业 央企 地方国企 上市公司 新股 次新股 指数基金 债基 货币基金
权重股 蓝筹股 成长股 价值股 题材股 涨停板 龙虎榜 大宗交易 融券 质押 解禁 限售股 股权激励
员工持股 实控人 控股股东 独立董事 监事会 股东大会 年度报告 半年报 三季报 业绩快报
业绩预告 审计 会计师事务所 律师事务所 投行 保荐机构 承销商 评级机构 交易所 问询函 关注函
警示函 罚单 行政处罚 信息披露 内幕交易 财务造假 投资者保护 集体诉讼 峰会 谈判 选举 议会
政府 总统 总理 部长 外交 制裁 冲突 局势 和平 油田 炼化 成品油 液化天然气 光伏玻璃 多晶硅
碳酸锂 氢氧化锂 钴 镍 铝 锌 铁矿石 焦煤 焦炭 螺纹钢 生猪 玉米 大豆 小麦 棉花 白糖 橡胶
原材料 能耗 用电量 发电量 装机容量 新增装机 用工 工资 收入分配 社保 个税 公积金 房贷利率
首付 限购 限售 保交楼 城中村改造 保障性住房 租赁住房 物业 家装 建材 家具 纺织 服装 鞋服
奢侈品 化妆品 母婴 宠物 预制菜 咖啡 茶饮 新茶饮 啤酒 葡萄酒 烟草 彩票 博彩 电影 票房
演唱会 短视频 社交媒体 搜索引擎 芯片设计 晶圆代工 光模块 连接器 印制电路板 被动元件
传感器 激光雷达 毫米波雷达 域控制器 座舱 车机 底盘 轮胎 玻璃纤维 碳纤维 钛合金 高温合金
工业气体 特种气体 电子化学品 光刻胶 靶材 掩膜版 检测设备 仪器仪表 工业软件 数控机床
减速器 伺服电机 控制器 工业机器人 服务机器人 人形机器人 低空经济 飞行汽车 商业航天 北斗
量子计算 脑机接口 基因编辑 合成生物 细胞治疗 抗体药物 仿制药 原料药 医疗服务 体外诊断
疫苗接种 医疗新基建 智慧医疗 互联网医疗 养老服务"""
)

VERB = _w(
    """表示 指出 认为 宣布 发布 披露 显示 实现 完成 达到 提升 降低 扩大 加快 推进 推动 促进
加强 加大 优化 完善 落实 部署 出台 印发 召开 启动 签署 获得 取得 计划 预计 保持 稳定
支持 鼓励 引导 规范 打击 整治 调整 下调 上调 维持 收购 出售 转让 建设 投产 开工 交付
发行 募集 布局 拓展 进入 退出 合作 关注 看好 受益于 聚焦 深化 释放 提振 改善 承压 修复
突破 领跑 押注 加码 收缩 剥离 整合 升级 替代 覆盖 服务 对接 引进 培育 壮大 提速 放缓
企稳 走强 走弱 研究 审议 通过 批准 核准 同意 否决 暂停 恢复 终止 延长 公布 回应 澄清
否认 确认 透露 介绍 强调 提出 呼吁 建议 要求 明确 规定 限制 放开 放宽 收紧 取消 叫停
约谈 处罚 起诉 上线 推出 亮相 首发 量产 投用 竣工 签约 中标 入选 登陆 挂牌 扩产 减产
停产 复产 涨价 降价 提价 缩减 裁员 招聘 扩招 增资 减资 注销 设立 成立 更名 改选 辞任
聘任"""
)

ADJ = _w(
    """重要 主要 积极 稳健 显著 明显 强劲 温和 整体 全面 高质量 长期 短期 中长期 核心 关键 优质
国产 本土 新型 传统 绿色 智能 数字化 市场化 结构性 阶段性 系统性 区域性 龙头 头部 中小
民营 国有 外资 跨境 上游 下游 综合"""
)

ADV = _w("""将 已 正在 仍 继续 进一步 持续 大力 加快 稳步 有序 率先 全面 逐步 已经 有望 计划 拟""")

CONN = _w(
    """与此同时 此外 另外 据悉 据了解 数据显示 业内人士认为 分析人士指出 值得注意的是 总体来看
具体来看 从结构上看 事实上 不过 对此 目前 记者注意到 市场人士表示 有分析认为 此前"""
)

ORG = _w(
    """国家统计局 中国人民银行 央行 证监会 国家金融监督管理总局 国家发改委 财政部 商务部 工信部
国务院 国资委 上交所 深交所 北交所 港交所 美联储 欧洲央行 国际货币基金组织 世界银行
海关总署 国家能源局 国家外汇管理局 农业农村部 住建部 交通运输部 国家知识产权局
市场监管总局 中国汽车工业协会 乘联会 中指研究院 中国物流与采购联合会 中国证券业协会
中基协"""
)

PLACE = _w(
    """北京 上海 广州 深圳 天津 重庆 杭州 南京 苏州 成都 武汉 西安 长沙 郑州 青岛 宁波 厦门
合肥 济南 福州 东莞 佛山 无锡 昆明 大连 沈阳 哈尔滨 长春 石家庄 太原 南昌 南宁 贵阳 海口
兰州 乌鲁木齐 呼和浩特 广东 江苏 浙江 山东 河南 四川 湖北 湖南 福建 安徽 河北 江西 广西
云南 海南 香港 澳门 美国 日本 韩国 欧盟 英国 德国 法国 印度 俄罗斯 东南亚 中东"""
)

MEDIA = _w(
    """中证网 上海证券报 证券时报 中国证券报 央视新闻 新华社 第一财经 财联社 21世纪经济报道
经济参考报 界面新闻 证券日报 经济日报 人民日报 每日经济新闻 华夏时报 中国基金报 券商中国
央视新闻客户端 科创板日报"""
)

INDUSTRY = _w(
    """科技 电子 医药 生物 能源 环保 材料 化工 汽车 地产 电气 光电 智能 通信 精密 机械 食品
物流 传媒 新材 矿业 电力 软件 半导体 微电子 锂业 农业 建设 重工 制药 装备 航天 信息 数据"""
)

TITLE = _w(
    """董事长 总经理 首席经济学家 首席分析师 研究员 负责人 新闻发言人 副总裁 首席执行官
董事会秘书 总监 副院长"""
)

# name:market.code (1 = Shanghai, 0 = Shenzhen, 116 = Hong Kong, 105/106 = US)

FAMOUS = _w(
    """贵州茅台:1.600519 宁德时代:0.300750 比亚迪:0.002594 招商银行:1.600036 中国平安:1.601318
东方财富:0.300059 隆基绿能:1.601012 中国石化:1.600028 五粮液:0.000858 美的集团:0.000333
格力电器:0.000651 海康威视:0.002415 立讯精密:0.002475 中信证券:1.600030
工商银行:1.601398 长江电力:1.600900 紫金矿业:1.601899 万科A:0.000002 恒瑞医药:1.600276
迈瑞医疗:0.300760 药明康德:1.603259 中芯国际:1.688981 京东方A:0.000725 三一重工:1.600031
中国中免:1.601888 伊利股份:1.600887 通威股份:1.600438 阳光电源:0.300274
赣锋锂业:0.002460 北方华创:0.002371 科大讯飞:0.002230 中际旭创:0.300308 寒武纪:1.688256
顺丰控股:0.002352 牧原股份:0.002714 长城汽车:1.601633 上汽集团:1.600104
中国神华:1.601088 中国移动:1.600941 巨化股份:1.600160 联创股份:0.300343
腾讯控股:116.00700 美团:116.03690 小米集团:116.01810 阿里巴巴:116.09988 蔚来:106.NIO
理想汽车:105.LI"""
)

BRAND = (
    "华中国新天海恒泰信达金宏盛鑫源瑞丰安康永兴隆昌博德通力"
    "远航嘉和光明东方南北西汇佳润凯晨星宇辰锦智创科联合众鼎"
)

SURNAME = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许"
    "韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
)

GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建"
    "国文斌宇浩凯鹏飞晨欣雪梅琳蕾晓峰海涛辉志红玲颖婷博健"
)

# Topic tags, Chinese and English (~200)

TAGS = _w(
    """A股 港股 美股 新能源 光伏 锂电池 半导体 芯片 人工智能 大模型 算力 储能 风电 氢能 汽车
新能源车 自动驾驶 消费电子 白酒 医药 创新药 医疗器械 中药 银行 券商 保险 房地产 楼市
基建 钢铁 煤炭 有色金属 黄金 原油 天然气 稀土 化工 农业 猪肉 粮食 航运 物流 快递 电商
直播 游戏 传媒 影视 旅游 酒店 餐饮 零售 免税 家电 手机 通信 5G 卫星 军工 机器人 工业母机
数字经济 数据要素 信创 云计算 网络安全 元宇宙 区块链 数字人民币 跨境支付 人民币 汇率
美元 利率 降准 降息 国债 地方债 城投 可转债 理财 公募基金 私募 ETF 北向资金 两融 IPO
注册制 退市 回购 分红 并购重组 业绩预告 年报 季报 财报 宏观经济 GDP CPI PPI PMI 社融
货币政策 财政政策 产业政策 监管 反垄断 碳中和 碳交易 ESG 一带一路 自贸区 粤港澳大湾区
长三角 京津冀 成渝 海南自贸港 出口 进口 外贸 关税 供应链 产业链 制造业 专精特新 独角兽
科创板 创业板 北交所 港交所 美联储 欧洲央行 日本央行 俄乌冲突 中东局势 大宗商品 期货
期权 量化 外资 养老金 社保基金 保险资金 乡村振兴 共同富裕 高质量发展 AI EV IPO Fed ESG
crypto bitcoin bonds forex oil gold earnings tech chips semiconductors banks insurance
property housing inflation jobs rates Treasury dollar yuan yen euro Nasdaq Dow tariffs
trade China US Europe Japan India Apple Tesla Nvidia Microsoft Amazon Alphabet Meta OPEC
energy commodities markets stocks funds mergers outlook"""
)

# English

E_CO = _w(
    """Apple:AAPL Tesla:TSLA Nvidia:NVDA Microsoft:MSFT Amazon:AMZN Alphabet:GOOGL Meta:META
Intel:INTC AMD:AMD Boeing:BA JPMorgan:JPM Goldman:GS Exxon:XOM Chevron:CVX Walmart:WMT
Pfizer:PFE Netflix:NFLX Alibaba:BABA JD.com:JD Nio:NIO Oracle:ORCL Qualcomm:QCOM
Broadcom:AVGO Disney:DIS Nike:NKE Starbucks:SBUX Visa:V Citigroup:C"""
)

E_NOUN = _w(
    """revenue profit earnings demand supply prices shares stocks bonds yields rates inflation
growth output exports imports sales orders margins guidance outlook forecast deliveries
capacity investment spending debt deficit tariffs policy chips batteries vehicles
smartphones servers software cloud services energy oil gas copper gold steel lithium
housing consumers investors analysts lenders regulators markets economy factories
payrolls wages unemployment liquidity volatility valuations buybacks dividends mergers
acquisitions listings funding losses costs"""
)

E_ADJ = _w(
    """strong weak higher lower record quarterly annual global domestic key major slower faster
steady robust modest sharp surprise fresh new rising falling tighter looser industrial
retail corporate federal regional"""
)

E_VERB = _w(
    """rose fell climbed dropped jumped slipped surged slumped gained edged widened narrowed
beat missed"""
)

E_FIRST = _w(
    """James Mary John Linda David Susan Michael Sarah Robert Emma Wei Li Chen Kenji Anna Peter
Laura Tom"""
)

E_LAST = _w(
    """Smith Johnson Brown Lee Wang Zhang Tanaka Miller Davis Garcia Wilson Taylor Clark Lewis
Walker Young"""
)

E_ORG = _w(
    """Federal Reserve,European Central Bank,Bank of Japan,Commerce Department,Labor Department,
Treasury,IMF,World Bank,OPEC,People's Bank of China,National Bureau of Statistics,
Bank of England,SEC""",
    ",",
)

E_PLACE = _w(
    """New York,London,Tokyo,Hong Kong,Shanghai,Singapore,Frankfurt,Beijing,Washington,Seoul""",
    ",",
)

E_TITLE = _w(
    """chief economist,head of research,portfolio manager,senior analyst,strategist,
chief investment officer""",
    ",",
)

E_FIRM = _w(
    """Morgan Stanley,Goldman Sachs,UBS,Nomura,HSBC,Citi,Barclays,BlackRock,Capital Economics,
ING""",
    ",",
)

# Sources: category (pinyin-ish), tag, weight, source-link template; the last two are English.
SOURCES = [
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
# Hours of the day, weighted towards trading hours.
HOURS = (0, 6, 7, 8, 9, 9, 10, 10, 11, 11, 13, 14, 14, 15, 15, 16, 17, 18, 19, 20, 21, 22, 23)
