"""Varied report-like text for the speed bench, generated from templates written for it.

Not the seeds and no copied page text: sentences are assembled from the phrase lists
below (our own wording) with random figures, places from the gazetteer, the noise real
pages carry (datelines, operation names, phones, page furniture, headings) and a share
of paragraphs in traditional script, so the bench sees text it was not tuned on.
"""

from __future__ import annotations

import random
from pathlib import Path

from extract import lexicon

# (verb, counted thing, measure word) of a count sentence.
ACTIONS = [
    ("破获", "刑事案件", "起"),
    ("抓获", "犯罪嫌疑人", "名"),
    ("查处", "交通违法行为", "件次"),
    ("检查", "过往车辆", "辆次"),
    ("办理", "出入境证件", "人次"),
    ("化解", "矛盾纠纷", "起"),
    ("建成", "智慧安防小区", "个"),
    ("汇聚", "各类数据", "条"),
    ("培训", "民警辅警", "人次"),
    ("开展", "反诈宣传活动", "场次"),
    ("新增", "视频监控点位", "个"),
    ("受理", "行政复议案件", "件"),
    ("缴获", "各类毒品", "千克"),
    ("处置", "各类警情", "起"),
    ("走访", "企业", "家"),
    ("打掉", "涉恶团伙", "个"),
    ("侦破", "电信网络诈骗案件", "起"),
    ("查获", "吸毒人员", "人次"),
    ("排查", "安全隐患", "处"),
    ("推出", "便民利企措施", "项"),
    ("表彰", "先进集体", "个"),
    ("发放", "宣传资料", "万份"),
    ("追回", "被骗资金", "万元"),
    ("挽回", "群众经济损失", "亿元"),
    ("出动", "巡逻警力", "万人次"),
    ("组织", "实战练兵", "期"),
    ("收缴", "管制刀具", "把"),
]
CHANGES = [
    "刑事案件立案数",
    "电信网络诈骗发案",
    "八类严重暴力案件",
    "道路交通事故起数",
    "盗窃案件",
    "群众损失金额",
    "治安案件",
    "涉毒警情",
    "入室盗窃",
    "亡人事故",
]
RATES = ["群众安全感", "执法满意度", "现行命案破案率", "网上办理率", "矛盾纠纷化解率", "案件办结率"]
FILLER = [
    "坚持以人民为中心的发展思想，持续深化公安改革，各项工作取得新进展。",
    "各级公安机关围绕中心、服务大局，扎实推进平安建设。",
    "下一步，将继续压实责任，补齐短板，推动工作再上新台阶。",
    "会议强调，要把握形势任务，统筹发展和安全，守牢安全底线。",
    "全体民警辅警牢记使命，主动作为，为经济社会发展营造了良好环境。",
    "通过数据赋能和机制创新，基层基础工作持续夯实。",
]
HEADINGS = [
    "一、严厉打击违法犯罪",
    "二、深化放管服改革",
    "三、强化治安防控",
    "四、加强队伍建设",
    "五、推进科技兴警",
    "六、规范执法办案",
]
OPERATIONS = ["云剑", "昆仑", "清源断流", "净网", "护航", "夏季行动"]


def _figure(rng: random.Random) -> str:
    value = rng.choice(
        [rng.randint(2, 999), rng.randint(1000, 99999), round(rng.uniform(1, 99), 1)]
    )
    return (
        f"{value:,}"
        if isinstance(value, int) and value > 9999 and rng.random() < 0.2
        else str(value)
    )


def _percent(rng: random.Random) -> str:
    return str(round(rng.uniform(0.1, 60), rng.choice([1, 2])))


def _qualified(rng: random.Random, unit: str) -> str:
    before = rng.choice(["", "", "", "近", "超过", "约"])
    after = rng.choice(["", "", "", "余"]) if not before else ""
    return f"{before}{_figure(rng)}{after}{unit}"


def _sentence(rng: random.Random, city: str) -> str:
    if rng.random() < 0.6:  # about one figure per 100 characters, as in press releases
        return rng.choice(FILLER)
    pick = rng.random()
    if pick < 0.45:
        verb, thing, unit = rng.choice(ACTIONS)
        who = rng.choice(["全市公安机关", "各级公安机关", f"{city}公安局", "全州", "我市", ""])
        return f"{who}共{verb}{thing}{_qualified(rng, unit)}。"
    if pick < 0.6:
        a, b = rng.sample(CHANGES, 2)
        verb = rng.choice(["下降", "上升"])
        return f"{a}、{b}同比分别{verb}{_percent(rng)}%、{_percent(rng)}%。"
    if pick < 0.7:
        rate = rng.choice(RATES)
        level = f"{rng.randint(80, 99)}.{rng.randint(1, 9)}%"
        return f"{rate}达{level}，较上年提高{_percent(rng)}个百分点。"
    if pick < 0.78:
        year = rng.randint(2016, 2025)
        op = rng.choice(OPERATIONS)
        return (
            f"{year}年{rng.randint(1, 12)}月以来，开展“{op}-{year}”专项行动，"
            f"{rng.choice(ACTIONS)[0]}案件{_qualified(rng, '起')}。"
        )
    if pick < 0.83:
        return (
            f"咨询电话：0{rng.randint(100, 999)}-{rng.randint(1000000, 9999999)}，"
            f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日{rng.randint(8, 18)}时起受理。"
        )
    return rng.choice(FILLER)


def _traditional(text: str) -> str:
    """Simplified to traditional by the reverse of the lexicon's character table."""
    back: dict[int, int] = {}
    for line in (lexicon.LEXICON_DIR / "traditional.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            back.setdefault(ord(line[1]), ord(line[0]))
    return text.translate(back)


def document(rng: random.Random, cities: list[str]) -> str:
    """One report of 8 to 20 paragraphs."""
    city = rng.choice(cities)
    lines = [
        f"{city}公安机关{rng.randint(2018, 2025)}年工作成效",
        f"{city}{rng.randint(1, 12)}月{rng.randint(1, 28)}日电 记者从{city}公安局获悉。",
    ]
    for i in range(rng.randint(8, 20)):
        if i % 4 == 0:
            lines.append(rng.choice(HEADINGS))
        paragraph = "".join(_sentence(rng, city) for _ in range(rng.randint(3, 8)))
        lines.append(_traditional(paragraph) if rng.random() < 0.15 else paragraph)
    lines.append(f"浏览次数：{rng.randint(10, 9999)}  本文字数{rng.randint(300, 3000)}")
    return "\n".join(lines) + "\n"


def build(folder: Path, megabytes: float, seed: int = 8) -> tuple[int, int]:
    """Write generated reports of about 30 KB each into the folder; return (files, characters)."""
    rng = random.Random(seed)
    cities = [
        c["short"][0] if c["short"] else c["name"]
        for p in lexicon.load("regions.yaml")["provinces"]
        for c in p["cities"]
    ]
    files = chars = size = 0
    while size < megabytes * 1e6:
        text = "".join(document(rng, cities) for _ in range(8))
        (folder / f"gen_{files:05d}.txt").write_text(text, encoding="utf-8")
        files, chars, size = files + 1, chars + len(text), size + len(text.encode())
    return files, chars
