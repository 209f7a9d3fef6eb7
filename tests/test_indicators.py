"""Indicator assignment: the catalogue, table-driven cases with near misses, gold quality."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from extract import extract_files, lexicon
from extract.claim import CATEGORIES, KINDS
from extract.documents import read_document
from extract.evaluate import indicator_scores, load_gold, report, score
from extract.indicators import assign_indicator, catalogue, metric_scope
from extract.lexicon import LexiconError
from extract.sentences import split_sentences

ROOT = Path(__file__).parent.parent
GOLD = ROOT / "tests" / "gold"

# (metric, unit, kind, sentence, raw, expected): `raw` locates the number in the sentence.
CASES = [
    # Positives, from the seeds' phrasings and from phrasings they do not use.
    (
        "刑事案件立案数",
        "%",
        "change",
        "全市刑事案件立案数同比下降14.5%,破案率达76.7%",
        "14.5%",
        "criminal_cases_change",
    ),
    (
        "发案数",
        "%",
        "change",
        "全市刑事案件共计立案2.3万余起,发案数同比下降6.28%",
        "6.28%",
        "criminal_cases_change",
    ),
    ("刑事发案", "%", "change", "全省刑事发案同比下降8.1%。", "8.1%", "criminal_cases_change"),
    (
        "刑事案件共计立案",
        "起",
        "count",
        "全市刑事案件共计立案2.3万余起",
        "2.3万余起",
        "criminal_cases_filed",
    ),
    (
        "刑事案件",
        "起",
        "count",
        "共破获刑事案件1.3万余起,破案率稳中有升",
        "1.3万余起",
        "criminal_cases_solved",
    ),
    (
        "破案率",
        "%",
        "percent",
        "刑事案件立案数同比下降14.5%,破案率达76.7%",
        "76.7%",
        "clearance_rate",
    ),
    (
        "电信网络诈骗发案",
        "%",
        "change",
        "全市电信网络诈骗发案和损失分别下降57.7%、56.6%",
        "57.7%",
        "telecom_fraud_change",
    ),
    (
        "电信网络诈骗损失",
        "%",
        "change",
        "全市电信网络诈骗发案和损失分别下降57.7%、56.6%",
        "56.6%",
        "telecom_fraud_loss_change",
    ),
    ("电诈案件", "%", "change", "电诈案件同比下降30%", "30%", "telecom_fraud_change"),
    (
        "严重暴力犯罪",
        "%",
        "change",
        "其中严重暴力犯罪、两抢一盗发案数同比分别下降37.89%11.34%",
        "37.89%",
        "violent_crime_change",
    ),
    (
        "两抢一盗发案数",
        "%",
        "change",
        "其中严重暴力犯罪、两抢一盗发案数同比分别下降37.89%11.34%",
        "11.34%",
        "robbery_theft_change",
    ),
    ("命案连续", "年", "amount", "其中命案连续12年保持全破", "12年", "homicide_solved_streak"),
    (
        "街面可防性警情",
        "%",
        "change",
        "街面可防性警情同比下降38.5%。",
        "38.5%",
        "street_crime_change",
    ),
    (
        "信息拥有量",
        "条",
        "amount",
        "全省公安机关信息拥有量达到387.5亿条,其中公安基础信息32.3亿条",
        "387.5亿条",
        "data_records",
    ),
    (
        "多元多态数据池",
        "条",
        "amount",
        "汇聚形成406类、4048亿条的多元多态数据池,",
        "4048亿条",
        "data_records",
    ),
    (
        "视频监控摄像机总量",
        "台",
        "count",
        "全省视频监控摄像机总量达到58.7万台",
        "58.7万台",
        "video_cameras",
    ),
    ("高清摄像头", "台", "count", "新装高清摄像头1200台", "1200台", "video_cameras"),
    (
        "事项“一窗通办",
        "个",
        "count",
        "实现5个警种119个事项“一窗通办”,截至11月30日",
        "119个",
        "one_window_items",
    ),
    (
        "通办事项",
        "项",
        "count",
        "全部运行“一窗通办”服务模式,公布通办事项36项",
        "36项",
        "one_window_items",
    ),
    (
        "“川渝通办”事项",
        "项",
        "count",
        "大力推动3批次共28项“川渝通办”事项落地落实",
        "28项",
        "cross_region_items",
    ),
    (
        "跨省通办事项",
        "项",
        "count",
        "新增跨省通办事项15项;累计开通跨省通办事项140项",
        "140项",
        "cross_region_items",
    ),
    ("“一次办好”事项", "项", "count", "明确38项“一次办好”事项清单", "38项", "one_visit_items"),
    (
        "公安行政审批项目",
        "项",
        "count",
        "全省公安行政审批项目由171项精简为110项",
        "110项",
        "approval_items",
    ),
    (
        "公安行政审批项目",
        "%",
        "percent",
        "80%以上的公安行政审批项目实现网上流转,做到了",
        "80%以上",
        "online_service_share",
    ),
    (
        "农业转移人口落户城镇",
        "人",
        "count",
        "全省共有610.24万余名农业转移人口落户城镇。",
        "610.24万余名",
        "hukou_settlements",
    ),
    (
        "执法办案管理中心",
        "个",
        "count",
        "建成智能化执法办案管理中心184个,配备专职管理人员2377人",
        "184个",
        "case_handling_centres",
    ),
    (
        "案件管理中心",
        "个",
        "count",
        "全省公安机关232个案件管理中心全部实体化运行",
        "232个",
        "case_management_centres",
    ),
    (
        "兼职法制员",
        "人",
        "count",
        "配备派驻法制员1916名,兼职法制员1242名",
        "1242名",
        "legal_officers",
    ),
    ("社区民警", "人", "count", "1105名社区民警按照任务清单融入网格", "1105名", "community_police"),
    (
        "推动攻坚化解",
        "起",
        "count",
        "摸排各类矛盾纠纷6823起,推动攻坚化解5391起(其中",
        "5391起",
        "disputes_resolved",
    ),
    ("群众安全感", "%", "percent", "群众安全感达98.2%", "98.2%", "public_security_feeling"),
    ("群众满意度", "%", "percent", "群众对公安工作满意度达96.1%", "96.1%", "public_satisfaction"),
    ("命案", "%", "change", "全省命案同比下降12.4%", "12.4%", "homicide_change"),
    ("刑事警情", "%", "change", "全市刑事警情同比下降9.3%", "9.3%", "criminal_incidents_change"),
    (
        "警情总量",
        "%",
        "change",
        "全市110接报警情总量同比下降4.1%",
        "4.1%",
        "police_incidents_change",
    ),
    ("命案破案率", "%", "percent", "命案破案率100%", "100%", "homicide_clearance_rate"),
    (
        "电信网络诈骗案件",
        "起",
        "count",
        "破获电信网络诈骗案件8300余起",
        "8300余起",
        "telecom_fraud_solved",
    ),
    ("毒品刑事案件", "起", "count", "共侦破毒品刑事案件1520起", "1520起", "drug_cases_solved"),
    ("涉黑组织", "个", "count", "打掉涉黑组织7个", "7个", "organised_crime_groups"),
    ("恶势力犯罪集团", "个", "count", "打掉恶势力犯罪集团63个", "63个", "evil_forces_groups"),
    (
        "犯罪嫌疑人",
        "人",
        "count",
        "共抓获犯罪嫌疑人4.6万名",
        "4.6万名",
        "criminal_suspects_arrested",
    ),
    ("网上逃犯", "人", "count", "抓获网上逃犯2100余名", "2100余名", "fugitives_caught"),
    ("追赃挽损", "元", "amount", "为群众追赃挽损3.4亿元", "3.4亿元", "fraud_losses_recovered"),
    ("被骗资金", "元", "amount", "返还被骗资金2.1亿元", "2.1亿元", "fraud_losses_recovered"),
    ("群众", "人次", "count", "预警劝阻群众120万人次", "120万人次", "fraud_dissuasions"),
    ("潜在受害人", "人", "count", "劝阻潜在受害人9.8万人", "9.8万人", "fraud_dissuaded_people"),
    (
        "道路交通事故死亡人数",
        "%",
        "change",
        "道路交通事故死亡人数同比下降8.8%",
        "8.8%",
        "road_deaths_change",
    ),
    # Near misses: the same words with another unit, kind or meaning.
    # 刑事案件立案数 in 起 counts cases: never the %-change indicator.
    (
        "刑事案件立案数",
        "起",
        "count",
        "全市刑事案件立案数1.2万起",
        "1.2万起",
        "criminal_cases_filed",
    ),
    ("刑事案件立案数", "个百分点", "change", "刑事案件立案数下降3个百分点", "3个百分点", ""),
    ("轻微刑事案件", "起", "count", "适用速裁程序办理轻微刑事案件236起", "236起", ""),
    ("立案超期问题", "%", "change", "全省公安机关立案超期问题下降97.6%", "97.6%", ""),
    ("检察院通知立案", "%", "change", "检察院通知立案下降76%", "76%", ""),
    ("发案数", "%", "change", "交通事故发案数下降5%", "5%", ""),
    (
        "两抢一盗案件破案率",
        "个百分点",
        "change",
        "两抢一盗案件破案率同比上升3.3个百分点",
        "3.3个百分点",
        "",
    ),
    ("入室盗窃案件", "%", "percent", "率先实现入室盗窃案件100%破获", "100%", ""),
    # Near misses of the catalogue's later entries: a unit, kind or subset that does not fit.
    ("命案积案", "起", "count", "侦破命案积案51起", "51起", ""),
    ("命案", "起", "count", "全年发生命案120起", "120起", ""),
    ("命案积案破案率", "%", "percent", "命案积案破案率达60%", "60%", ""),
    ("电信网络诈骗案件", "%", "change", "破获电信网络诈骗案件同比上升20%", "20%", ""),
    ("电诈窝点", "个", "count", "捣毁电诈窝点30个", "30个", ""),
    ("吸毒人员", "人", "count", "查获吸毒人员3000名", "3000名", ""),
    ("涉黑涉恶组织", "个", "count", "打掉涉黑涉恶组织40个", "40个", ""),
    ("涉黑组织", "人", "count", "打掉涉黑组织成员300人", "300人", ""),
    ("诈骗犯罪嫌疑人", "人", "count", "抓获诈骗犯罪嫌疑人5000名", "5000名", ""),
    ("命案逃犯", "人", "count", "抓获命案逃犯15名", "15名", ""),
    ("资金", "元", "amount", "紧急止付冻结资金5亿元", "5亿元", ""),
    ("群众", "次", "count", "预警劝阻群众3万次", "3万次", ""),
    ("道路交通事故受伤人数", "%", "change", "道路交通事故受伤人数同比下降8%", "8%", ""),
    ("道路交通事故死亡人数", "人", "count", "道路交通事故死亡人数1200人", "1200人", ""),
    ("安全感", "个百分点", "change", "群众安全感提升1.2个百分点", "1.2个百分点", ""),
    ("警情", "起", "count", "接报警情120万起", "120万起", ""),
    # A generic head whose qualifier stands earlier in its clause or sentence is a part.
    ("破案率", "%", "percent", "八类严重刑事案件破案率达95.1%", "95.1%", ""),
    ("破案率", "%", "percent", "刑事案件破案率达62%,其中入室盗窃破案率40%", "40%", ""),
    (
        "破案率",
        "%",
        "percent",
        "刑事案件破案率达62%,其中入室盗窃破案率40%",
        "62%",
        "clearance_rate",
    ),
    ("犯罪嫌疑人", "人", "count", "深入推进扫黑除恶,打掉团伙9个,抓获犯罪嫌疑人300名", "300名", ""),
    ("刑事案件", "起", "count", "开展打击养老诈骗专项行动,破获刑事案件210起", "210起", ""),
    ("刑事案件", "起", "count", "全年共破获刑事案件3.2万起", "3.2万起", "criminal_cases_solved"),
    ("追赃挽损", "元", "amount", "打击整治养老诈骗,追赃挽损8000万元", "8000万元", ""),
    ("两抢”案件连续", "年", "amount", "“两抢”案件连续4年保持全破", "4年", ""),
    ("盗抢案件", "%", "change", "全市盗抢案件同比下降15.2%", "15.2%", ""),
    (
        "农村视频监控点位",
        "个",
        "count",
        "边境和农村视频监控点位分别达到2298个、1.8万个",
        "1.8万个",
        "",
    ),
    ("视频监控", "个", "count", "建成视频监控1.2万个", "1.2万个", ""),
    ("公共点摄像机数量", "台", "count", "公共点摄像机数量达到5万台", "5万台", ""),
    ("警务视频监控摄像机", "台", "count", "派出所安装警务视频监控摄像机6000余台", "6000余台", ""),
    ("人像识别前端", "路", "count", "3002路人像识别前端助力实战", "3002路", ""),
    ("数据", "%", "percent", "数据共享率达95%", "95%", ""),
    ("数据", "条", "amount", "车辆识别系统卡口10478个,日均汇聚数据4000余万条", "4000余万条", ""),
    ("一标三实数据", "条", "amount", "已采集录入一标三实数据316万余条", "316万余条", ""),
    ("社会信息", "条", "amount", "其中公安基础信息32.3亿条,社会信息355.2亿条", "355.2亿条", ""),
    ("多元多态数据池", "类", "count", "汇聚形成406类、4048亿条的多元多态数据池", "406类", ""),
    ("警种", "个", "count", "实现5个警种119个事项“一窗通办”", "5个", ""),
    ("派出所一站式综合服务窗口", "个", "count", "派出所“一站式”综合服务窗口共计26个", "26个", ""),
    ("通办事项", "项", "count", "公布通办事项36项", "36项", ""),
    ("服务事项", "项", "count", "新增拓展签注通办等70余项服务事项", "70余项", ""),
    ("“川渝通办”事项", "批次", "count", "大力推动3批次共28项“川渝通办”事项落地落实", "3批次", ""),
    ("行政审批项目", "项", "count", ";省厅行政审批项目由35项精简为6项", "35项", ""),
    ("取消率", "%", "percent", "由171项精简为110项,取消率达35.7%", "35.7%", ""),
    ("案件网上流转", "%", "percent", "均已实现案件100%通过网上流转。", "100%", ""),
    ("专职管理人员", "人", "count", "执法办案管理中心184个,配备专职管理人员2377人", "2377人", ""),
    ("各类矛盾纠纷", "起", "count", "累计滚动摸排各类矛盾纠纷6823起", "6823起", ""),
    ("5到10年的纠纷", "起", "count", "(其中,化解5到10年的纠纷282起", "282起", ""),
    ("欠薪矛盾纠纷", "起", "count", "主管部门共同化解欠薪矛盾纠纷93起。", "93起", ""),
    ("涉警类纠纷化解率", "%", "percent", "涉警类化解341起,化解率达88.11%", "88.11%", ""),
    ("回访满意率", "%", "percent", "回访满意率达100%", "100%", ""),
    ("平安建设满意度测评", "名次", "rank", "平安建设满意度测评中,我市排名位居全省第二", "第二", ""),
    ("", "%", "change", "同比下降5%", "5%", ""),
]


@pytest.mark.parametrize(
    ("metric", "unit", "kind", "sentence", "raw", "expected"),
    CASES,
    ids=[f"{i}-{c[5] or 'none'}" for i, c in enumerate(CASES)],
)
def test_assignment(metric, unit, kind, sentence, raw, expected) -> None:
    at = sentence.index(raw)
    assert assign_indicator(metric, unit, kind, sentence, at) == expected


@pytest.mark.parametrize(
    ("metric", "sentence", "raw", "scope"),
    [
        ("刑事案件", "共破获刑事案件1.3万余起", "1.3万余起", "共破获刑事案件"),
        (
            "公安行政审批项目",
            "80%以上的公安行政审批项目实现网上流转,做到了",
            "80%以上",
            "以上的公安行政审批项目实现网上流转",
        ),
        ("警种", "实现5个警种119个事项", "5个", "个警种"),
        ("数据", "卡口10478个,日均汇聚数据4000余万条", "4000余万条", "日均汇聚数据"),
        ("损失", "电诈发案和损失分别下降", "分别", "电诈发案和损失"),
        ("不在句中", "完全无关的句子", "句子", "不在句中"),
    ],
)
def test_metric_scope(metric, sentence, raw, scope) -> None:
    assert metric_scope(metric, sentence, sentence.index(raw)) == scope


def test_scope_takes_the_occurrence_nearest_the_number() -> None:
    sentence = "刑事案件共计立案2.3万余起,共破获刑事案件1.3万余起"
    assert metric_scope("刑事案件", sentence, sentence.index("2.3")) == "刑事案件"
    assert metric_scope("刑事案件", sentence, sentence.index("1.3")) == "共破获刑事案件"
    assert assign_indicator("刑事案件", "起", "count", sentence, sentence.index("1.3")) == (
        "criminal_cases_solved"
    )


def test_catalogue_loads() -> None:
    found = catalogue()
    assert len(found) >= 20
    for code, ind in found.items():
        assert ind.code == code and ind.zh and ind.en and ind.include
        assert ind.kind in KINDS and ind.category in CATEGORIES
        assert ind.direction in ("", "up", "down")
        assert ind.measures(ind.unit, ind.kind) and not ind.measures(ind.unit, "rank")
    assert found["video_cameras"].name("en") == "Video surveillance cameras"
    assert found["video_cameras"].name("zh") == "视频监控摄像机"


GOOD = {
    "zh": "甲",
    "en": "A",
    "unit": "个",
    "kind": "count",
    "category": "crime",
    "include": ["甲"],
}


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({**GOOD, "colour": "red"}, "needs"),
        ({k: v for k, v in GOOD.items() if k != "include"}, "needs"),
        ({**GOOD, "kind": "heap"}, "unknown kind"),
        ({**GOOD, "category": "sports"}, "category"),
        ({**GOOD, "direction": "sideways"}, "direction"),
        ({**GOOD, "heads": ["发案数"]}, "go together"),
        ({**GOOD, "exclude": ["乙", "乙"]}, "more than once"),
        ({**GOOD, "include": ["甲", "甲"]}, "more than once"),
        ({**GOOD, "include": [["甲", "乙"], ["甲", "乙"]]}, "more than once"),
        ({**GOOD, "include": []}, "include must"),
        ({**GOOD, "include": [["甲", 3]]}, "include must"),
        ({**GOOD, "units": "个"}, "list of words"),
    ],
)
def test_malformed_catalogue_is_refused(tmp_path, monkeypatch, entry, message) -> None:
    text = yaml.safe_dump({"indicators": {"thing": entry}}, allow_unicode=True)
    _refused(tmp_path, monkeypatch, text, message)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "indicators:\n"
            "  a: {zh: 甲, en: A, unit: 个, kind: count, category: crime, include: [甲]}\n"
            "  a: {zh: 乙, en: B, unit: 个, kind: count, category: crime, include: [乙]}\n",
            "duplicate key",
        ),
        (
            "indicators:\n  Bad-Code: {zh: 甲, en: A, unit: 个, kind: count, category: crime, "
            "include: [甲]}\n",
            "snake_case",
        ),
        ("indicators: {}\nextra: 1\n", "unknown keys"),
    ],
)
def test_malformed_catalogue_file_is_refused(tmp_path, monkeypatch, text, message) -> None:
    _refused(tmp_path, monkeypatch, text, message)


def _refused(tmp_path, monkeypatch, text: str, message: str) -> None:
    (tmp_path / "indicators.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(lexicon, "LEXICON_DIR", tmp_path)
    lexicon.load.cache_clear()
    try:
        with pytest.raises(LexiconError, match=message):
            lexicon.load("indicators.yaml")
    finally:
        lexicon.load.cache_clear()


def _gold_codes() -> list[tuple[str, str]]:
    """(assigned from the gold fields and sentence, annotated) for every gold claim."""
    pairs = []
    for path in sorted(GOLD.glob("*.yaml")):
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        text = read_document(ROOT / "seeds" / f"{gold['doc_id']}.txt").text
        sentences = split_sentences(text)
        for claim in gold["claims"]:
            s = next(s for s in sentences if s.start <= claim["start"] < s.end)
            found = assign_indicator(
                claim["metric"], claim["unit"], claim["kind"], s.text, claim["start"] - s.start
            )
            pairs.append((found, claim["indicator"]))
    return pairs


def test_every_gold_claim_has_a_known_indicator_or_none() -> None:
    codes = [g for _, g in _gold_codes()]
    assert len(codes) == len(load_gold(GOLD))
    assert set(codes) - {""} <= set(catalogue())
    assert sum(1 for c in codes if c) >= 25


def _precision_recall(pairs: list[tuple[str, str]]) -> tuple[float, float]:
    correct = sum(1 for p, g in pairs if p and p == g)
    predicted, annotated = sum(1 for p, _ in pairs if p), sum(1 for _, g in pairs if g)
    return correct / max(1, predicted), correct / max(1, annotated)


# Measured (README): 1.000 / 1.000 from the gold fields, 0.967 / 1.000 end to end.
def test_assignment_quality_on_gold_fields() -> None:
    precision, recall = _precision_recall(_gold_codes())
    assert precision >= 0.96 and recall >= 0.96


def test_assignment_quality_end_to_end() -> None:
    claims = extract_files([ROOT / "seeds"], workers=1).claims
    precision, recall = indicator_scores(load_gold(GOLD), claims)
    assert precision >= 0.93 and recall >= 0.96


def _frame(rows: list[tuple[int, float, str]], with_indicator: bool = True) -> pd.DataFrame:
    cols = ["doc_id", "raw", "start", "end", "value", "indicator"]
    data = [("d", str(v), s, s + 2, v, code) for s, v, code in rows]
    frame = pd.DataFrame(data, columns=cols)
    return frame if with_indicator else frame.drop(columns="indicator")


@pytest.mark.parametrize(
    ("gold", "predicted", "expected"),
    [
        ([(0, 1, "a"), (10, 2, "")], [(0, 1, "a"), (10, 2, "")], (1.0, 1.0)),
        ([(0, 1, "a"), (10, 2, "")], [(0, 1, "a"), (10, 2, "b")], (0.5, 1.0)),
        ([(0, 1, "a"), (10, 2, "b")], [(0, 1, "a"), (10, 2, "")], (1.0, 0.5)),
        ([(0, 1, "a"), (10, 2, "b")], [(0, 1, "b"), (10, 2, "a")], (0.0, 0.0)),
        # An unmatched prediction (another value) is a detection error, not an indicator one.
        ([(0, 1, "a")], [(0, 9, "a")], (0.0, 0.0)),
    ],
)
def test_indicator_scores(gold, predicted, expected) -> None:
    assert indicator_scores(_frame(gold), _frame(predicted)) == pytest.approx(expected)


def test_indicator_line_only_when_gold_has_indicators() -> None:
    predicted = _frame([(0, 1, "a")])
    assert "indicator" in report(score(_frame([(0, 1, "a")]), predicted))
    assert "indicator" not in report(score(_frame([(0, 1, "a")], with_indicator=False), predicted))
