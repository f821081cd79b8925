"""Importing past orders (rejected rows with reasons), training the classifier, suggestions as typed."""

from __future__ import annotations

import base64
import csv
import io
from typing import Any

import openpyxl

from tests.conftest import Api
from tests.dispatch.helpers import ok, refused

IMPORT = """mutation($i: ImportOrderHistoryInput!) { importOrderHistory(input: $i) { __typename
  ... on HistoryImportResult { accepted rejectedCount rejected { row reasons } }
  ... on ValidationErrors { errors { path code message } } } }"""
TRAIN = """mutation { trainDispatchClassifier { __typename ... on DispatchClassifier { samples categoryAccuracy
  unitAccuracy folds trigger } ... on ValidationErrors { errors { path code message } } } }"""
SUGGEST = """query($t: String!) { classifierSuggestions(text: $t) { __typename ... on ClassifierSuggestions {
  trained categories { code name probability } units { code name probability } } } }"""

TOPICS = [
    ("010201", "320102003", ["路灯不亮", "绿化带杂草丛生", "垃圾桶满了没人清理", "行道树枝干断裂", "公园草坪被破坏"]),
    ("nj-cgj-topic", "nj-cgj", ["占道经营摆摊", "违章搭建棚子", "店铺外摆影响通行", "流动摊贩夜间叫卖", "乱贴小广告"]),
]


def rows() -> list[dict[str, Any]]:
    out = []
    for category, unit, phrases in TOPICS:
        for i in range(4):
            for phrase in phrases:
                out.append({"内容": f"市民反映第{i}处{phrase}，请尽快处理。", "分类": category, "承办单位": unit,
                            "受理时间": f"2025-03-0{i + 1} 09:30", "办结时间": "2025-03-10"})
    return out


def as_csv(data: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["内容", "分类", "承办单位", "受理时间", "办结时间"])
    writer.writeheader()
    writer.writerows(data)
    return base64.b64encode(buffer.getvalue().encode("utf-8")).decode()


MAPPING = {"content": "内容", "category": "分类", "unit": "承办单位", "receivedAt": "受理时间", "closedAt": "办结时间"}


async def test_import_reports_rejected_rows_and_training_reports_cross_validated_accuracy(api: Api) -> None:
    good = rows()
    city = [dict(r, 分类="城乡建设/城市建设和市政管理/园林绿化环卫") if r["分类"] == "010201" else
            dict(r, 分类="城乡建设/城市建设和市政管理") for r in good]
    bad = [{"内容": "", "分类": "010201", "承办单位": "320102003", "受理时间": "", "办结时间": ""},
           {"内容": "无效分类", "分类": "不存在的分类", "承办单位": "320102003", "受理时间": "", "办结时间": ""},
           {"内容": "未知单位", "分类": "010201", "承办单位": "不存在的单位", "受理时间": "", "办结时间": ""},
           {"内容": "日期错", "分类": "010201", "承办单位": "320102003", "受理时间": "昨天", "办结时间": ""},
           {"内容": "先办结", "分类": "010201", "承办单位": "320102003", "受理时间": "2025-03-10",
            "办结时间": "2025-03-01"}]
    result = ok(await api.gql(IMPORT, {"i": {"fileName": "history.csv", "contentBase64": as_csv(city + bad),
                                             "mapping": MAPPING}}, as_user="nj.admin"), "importOrderHistory")
    assert result["accepted"] == len(good) and result["rejectedCount"] == 5
    reasons = {r["row"]: " ".join(r["reasons"]) for r in result["rejected"]}
    first_bad = len(good) + 2
    assert "content is empty" in reasons[first_bad]
    assert "unknown category" in reasons[first_bad + 1]
    assert "unknown unit" in reasons[first_bad + 2]
    assert "not a date" in reasons[first_bad + 3]
    assert "closed before it was received" in reasons[first_bad + 4]

    # The same through XLSX; a mapping naming a missing column is refused with its path.
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["内容", "分类", "承办单位"])
    sheet.append(["路灯坏了", "010201", "320102003"])
    buffer = io.BytesIO()
    book.save(buffer)
    xlsx = base64.b64encode(buffer.getvalue()).decode()
    result = ok(await api.gql(IMPORT, {"i": {"fileName": "h.xlsx", "contentBase64": xlsx,
                                             "mapping": {"content": "内容", "category": "分类", "unit": "承办单位"}}},
                              as_user="nj.admin"), "importOrderHistory")
    assert result["accepted"] == 1 and result["rejectedCount"] == 0
    errors = refused(await api.gql(IMPORT, {"i": {"fileName": "h.xlsx", "contentBase64": xlsx,
                                                  "mapping": {"content": "正文", "category": "分类"}}},
                                   as_user="nj.admin"), "importOrderHistory")
    assert errors[0]["path"] == ["mapping"] and errors[0]["code"] == "unknown_column"
    errors = refused(await api.gql(IMPORT, {"i": {"fileName": "h.csv", "contentBase64": as_csv(good),
                                                  "mapping": MAPPING}}, as_user="nj.dispatcher"),
                     "importOrderHistory")
    assert errors[0]["code"] == "forbidden"

    trained = ok(await api.gql(TRAIN, as_user="nj.admin"), "trainDispatchClassifier")
    assert trained["samples"] >= len(good) and trained["folds"] == 5 and trained["trigger"] == "on_demand"
    assert trained["categoryAccuracy"] is not None and trained["categoryAccuracy"] >= 0.8, trained
    assert trained["unitAccuracy"] is not None and trained["unitAccuracy"] >= 0.8, trained

    suggested = (await api.gql(SUGGEST, {"t": "小区门口路灯不亮了"}, as_user="nj.agent"))["classifierSuggestions"]
    assert suggested["trained"] and len(suggested["units"]) <= 3 and suggested["units"][0]["code"] == "320102003"
    assert suggested["categories"][0]["code"] == "010201" and suggested["categories"][0]["name"]
    assert 0 < suggested["categories"][0]["probability"] <= 1
    status = await api.gql("query { dispatchClassifier { samples categoryAccuracy } }", as_user="nj.dispatcher")
    assert status["dispatchClassifier"]["samples"] >= len(good)
    nothing = (await api.gql(SUGGEST, {"t": "路灯不亮"}, as_user="sz.agent"))["classifierSuggestions"]
    assert not nothing["trained"] or all(u["code"] != "320102003" for u in nothing["units"])
