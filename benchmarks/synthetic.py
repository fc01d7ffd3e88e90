"""A seeded generator of synthetic Chinese work-directive documents, and questions about them.

Each document reads like a county speech or work plan: a title, 同志们, sections 一、/（一）,
paragraphs with 一要/二要 items, directives with a lead (牵头), responsible (负责) and
cooperating (配合) units, deadlines, figures and numbered slogans (“三个一批”). Document ``i``
depends only on (seed, i), so a corpus of N chunks is a prefix of every larger one.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

CN = "一二三四五六七八九十"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈"
GIVEN = "建国海峰晓梅立军红霞志强春华永明丽娟国庆文斌秀英德胜玉兰振华新民桂芳学军卫东小平爱民"
PLACE_HEADS = "青云石白金银龙凤松柏桃杏梅竹兰清碧翠平安永宁长丰和顺东西南北新"
PLACE_TAILS = "山河桥溪岭湖塘坪坝湾川原林口岗庄集店铺阳泉"
TOWN_KINDS = ("镇", "乡", "街道", "片区", "园区")
UNITS = (
    "县发改局", "县财政局", "县自然资源局", "县住建局", "县交通运输局", "县农业农村局", "县水利局",
    "县应急管理局", "县市场监管局", "县生态环境局", "县教育局", "县卫健委", "县人社局", "县商务局",
    "县文旅局", "县公安局", "县民政局", "县医保局", "县行政审批服务局", "县投资促进中心", "县城管局",
    "县工信局", "县统计局", "县审计局", "县信访局", "县数据局", "县林业局", "县乡村振兴局",
    "县供销社", "县城投公司", "开发区管委会", "县委组织部", "县委宣传部", "县融媒体中心",
)  # fmt: skip
OBJECTS = (
    "高标准农田建设", "老旧小区改造", "重大项目储备库建设", "招商引资", "标准厂房建设",
    "农村人居环境整治", "防汛抗旱准备", "安全生产隐患排查", "义务教育优质均衡创建", "养老服务体系建设",
    "数字政府建设", "政务服务一网通办", "河湖长制落实", "森林防火", "食品安全监管", "耕地保护",
    "城乡供水一体化", "职业技能培训", "文旅融合发展", "电商进农村", "农村公路提档升级",
    "污水管网改造", "集贸市场提升", "冷链物流中心建设", "特色产业园建设", "村集体经济壮大",
    "地质灾害防治", "燃气管道更新", "城市内涝治理", "中小学校舍维修", "乡镇卫生院提标",
    "公共充电设施建设", "闲置土地处置", "企业上市培育", "外贸稳增长", "就业困难人员帮扶",
)  # fmt: skip
VERBS = ("加快推进", "统筹推进", "扎实开展", "全面落实", "持续深化", "集中攻坚", "稳步实施", "组织实施")
MEETINGS = (
    "县政府全体会议", "全县经济工作会议", "全县安全生产工作会议", "全县乡村振兴推进会",
    "全县优化营商环境大会", "县政府常务会议", "全县项目建设观摩会", "全县城市更新工作会议",
)  # fmt: skip
HEADINGS = (
    "坚定信心，奋力完成全年目标任务", "聚焦重点，全力抓好项目建设", "守牢底线，确保安全稳定",
    "改革创新，持续优化营商环境", "统筹城乡，扎实推进乡村振兴", "狠抓落实，以实绩论英雄比高下",
    "保障民生，办好群众急难愁盼的事", "转变作风，提升政府执行力",
)  # fmt: skip
SUBHEADINGS = (
    "要提升能力抓落实", "要提高效率抓落实", "要强化担当抓落实", "要团结协作抓落实", "要强化督查抓落实",
    "着力扩大有效投资", "着力稳住工业基本盘", "着力提振消费", "着力抓好农业生产", "着力守牢安全底线",
    "着力改善人居环境", "着力优化政务服务", "着力防范化解风险", "着力保障改善民生",
)  # fmt: skip
# Numbered formulas (提法) share a suffix: “三个一批” = 签约一批、开工一批、投产一批.
SLOGAN_FAMILIES = {
    "一批": ("签约", "开工", "投产", "储备", "谋划", "争取", "实施"),
    "办": ("马上", "网上", "就近", "一次", "限时"),
    "导向": ("目标", "问题", "结果", "需求"),
    "到位": ("责任", "措施", "投入", "人员", "督查"),
    "清单": ("任务", "责任", "问题", "负面", "权力"),
    "必须": ("管行业", "管业务", "管生产经营"),
}
FILLER = (
    "各级各部门要提高政治站位，切实把思想和行动统一到县委县政府的决策部署上来。",
    "要压紧压实工作责任，细化任务清单，明确时间节点，确保各项任务落地见效。",
    "对工作推进不力、敷衍塞责的，要严肃追责问责，决不姑息。",
    "要坚持问题导向，聚焦短板弱项，拿出过硬举措，以钉钉子精神抓好落实。",
    "当前正处于攻坚冲刺的关键阶段，必须只争朝夕、真抓实干。",
    "要加强统筹调度，定期通报进展，对滞后事项实行挂牌督办。",
    "各乡镇（街道）要守土有责、守土负责、守土尽责，切实扛起属地责任。",
    "要坚持以人民为中心的发展思想，把群众满意作为检验工作成效的根本标准。",
    "要强化要素保障，在资金、土地、人才等方面给予倾斜支持。",
    "要加强宣传引导，及时总结推广好经验好做法，营造比学赶超的浓厚氛围。",
)  # fmt: skip


@dataclass
class SyntheticDocument:
    """A generated document and the questions it can answer."""

    index: int
    title: str
    text: str
    questions: list[str] = field(default_factory=list)


class _Writer:
    """Builds one document from its own seeded random source."""

    def __init__(self, seed: int, index: int) -> None:
        self.rng = random.Random(f"{seed}-{index}")
        self.index = index
        self.questions: list[str] = []
        self.slogans: dict[str, str] = {}
        self.title = ""

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.sample(GIVEN, 2))

    def place(self) -> str:
        head, tail = self.rng.choice(PLACE_HEADS), self.rng.choice(PLACE_TAILS)
        return head + tail + self.rng.choice(TOWN_KINDS)

    def task(self) -> str:
        return self.place() + self.rng.choice(OBJECTS)

    def deadline(self) -> str:
        month = self.rng.randint(3, 12)
        return self.rng.choice((f"{month}月底前", f"{month}月{self.rng.randint(1, 28)}日前", "年底前"))

    def units(self, count: int) -> list[str]:
        return self.rng.sample(UNITS, count)

    def directive(self) -> str:
        task, verb, deadline = self.task(), self.rng.choice(VERBS), self.deadline()
        kind = self.rng.random()
        if kind < 0.35:
            lead, (unit, other) = self.person(), self.units(2)
            self.questions.append(f"{task}由谁牵头？")
            return f"由{lead}同志牵头，{unit}具体负责，{other}配合，{verb}{task}，{deadline}全面完成。"
        if kind < 0.6:
            unit, *others = self.units(3)
            self.questions.append(f"{task}是哪个单位负责？")
            return f"{unit}要会同{'、'.join(others)}，{verb}{task}，确保{deadline}取得阶段性成效。"
        if kind < 0.8:
            amount, growth = self.rng.randint(2, 900), self.rng.randint(3, 25)
            self.questions.append(f"{task}今年的目标是多少？")
            return f"今年{task}要完成投资{amount}亿元，同比增长{growth}%，{self.units(1)[0]}要按月调度。"
        self.questions.append(f"{task}什么时候完成？")
        return f"{task}要于{deadline}完成，由{self.units(1)[0]}负责督促落实。"

    def slogan(self) -> str:
        suffix = self.rng.choice(list(SLOGAN_FAMILIES))
        heads = SLOGAN_FAMILIES[suffix]
        size = self.rng.randint(2, min(5, len(heads)))
        items = [head + suffix for head in self.rng.sample(heads, size)]
        name = f"{'两' if size == 2 else CN[size - 1]}个{suffix}"
        if name not in self.slogans:
            self.slogans[name] = self.place()
            self.questions.append(f"{self.title}里讲的“{name}”指什么？")
        return f"{self.slogans[name]}要坚持“{name}”，即{'、'.join(items)}，推动工作提质增效。"

    def paragraph(self, items: bool) -> str:
        sentences = []
        for position in range(self.rng.randint(4, 8)):
            roll = self.rng.random()
            sentence = self.directive() if roll < 0.55 else self.slogan() if roll < 0.7 else self.rng.choice(FILLER)
            if items and position < len(CN):
                sentence = f"{CN[position]}要{sentence.removeprefix('要')}"
            sentences.append(sentence)
        return "".join(sentences)

    def document(self, target_chars: int) -> SyntheticDocument:
        county = self.rng.choice(PLACE_HEADS) + self.rng.choice(PLACE_TAILS) + "县"
        meeting = self.rng.choice(MEETINGS)
        title = self.title = f"{county}在{meeting}上的讲话（第{self.index + 1}号）"
        lines = [title, "同志们："]
        size = len(title)
        section = 0
        while size < target_chars:
            heading = f"{CN[section % 10]}、{self.rng.choice(HEADINGS)}"
            lines.append(heading)
            for sub in range(self.rng.randint(2, 5)):
                items = self.rng.random() < 0.4  # 一要/二要 items head sections of their own
                lines.append(f"（{CN[sub]}）{self.rng.choice(SUBHEADINGS)}。" + self.paragraph(items=items))
                for _ in range(self.rng.randint(0, 2)):
                    lines.append(self.paragraph(items=False))
            size = sum(len(line) + 1 for line in lines)
            section += 1
        lines.append("同志们，目标已经明确，任务已经部署，关键在于落实。让我们只争朝夕、真抓实干！")
        return SyntheticDocument(self.index, title, "\n".join(lines) + "\n", self.questions)


def generate(seed: int = 20250101, target_chars: int = 30000, start: int = 0) -> Iterator[SyntheticDocument]:
    """Documents ``start, start+1, …`` of about ``target_chars`` characters each, forever."""
    index = start
    while True:
        yield _Writer(seed, index).document(target_chars)
        index += 1


def sample_questions(documents: list[SyntheticDocument], count: int, seed: int) -> list[str]:
    """``count`` questions drawn evenly from ``documents`` (seeded), for latency runs."""
    pool = [q for document in documents for q in document.questions]
    rng = random.Random(seed)
    return rng.sample(pool, min(count, len(pool)))
