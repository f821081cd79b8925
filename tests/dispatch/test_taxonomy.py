"""Tenants extend the national taxonomy: local subcategories with stable codes, local names, hidden, keywords."""

from __future__ import annotations

from tests.conftest import Api, unique
from tests.dispatch.helpers import SAVE_CATEGORY, ok, publish, refused

TAXONOMY = """query($t: String, $p: String, $h: Boolean! = false) { dispatchTaxonomy(tenantCode: $t, parentCode: $p,
  includeHidden: $h) { code parentCode level name nationalName local hidden keywords synonyms
  source { code inherited } } }"""


def category(**fields: object) -> dict[str, object]:
    return {"reason": "本地分类调整", **fields}


async def test_local_subcategories_renames_and_hidden_categories_flow_down_with_stable_codes(api: Api) -> None:
    word = unique("灯杆")
    code = "01020197"
    ok(await api.gql(SAVE_CATEGORY, {"i": category(code=code, parentCode="010201", name="路灯杆维修",
                                                   keywords=[word], synonyms=["灯柱"])}, as_user="nj.admin"),
       "saveDispatchCategory")
    ok(await api.gql(SAVE_CATEGORY, {"i": category(code="010202", name="本地改名的分类")}, as_user="nj.admin"),
       "saveDispatchCategory")
    ok(await api.gql(SAVE_CATEGORY, {"i": category(code="010203", hidden=True)}, as_user="nj.admin"),
       "saveDispatchCategory")
    errors = refused(await api.gql(SAVE_CATEGORY, {"i": category(code="7777", parentCode="010201", name="错")},
                                   as_user="nj.admin"), "saveDispatchCategory")
    assert {(".".join(e["path"]), e["code"]) for e in errors} == {("code", "invalid_code")}
    errors = refused(await api.gql(SAVE_CATEGORY, {"i": category(code="01029901", parentCode="010299", name="错")},
                                   as_user="nj.admin"), "saveDispatchCategory")
    assert ("parentCode", "unknown_category") in {(".".join(e["path"]), e["code"]) for e in errors}
    await publish(api, "nj.admin")

    county = (await api.gql(TAXONOMY, {"p": "0102"}, as_user="xw.admin"))["dispatchTaxonomy"]
    by_code = {c["code"]: c for c in county}
    assert by_code["010202"]["name"] == "本地改名的分类" and by_code["010202"]["nationalName"] != "本地改名的分类"
    assert by_code["010202"]["source"] == {"code": "320100", "inherited": True}
    assert "010203" not in by_code
    with_hidden = (await api.gql(TAXONOMY, {"p": "0102", "h": True}, as_user="xw.admin"))["dispatchTaxonomy"]
    assert next(c for c in with_hidden if c["code"] == "010203")["hidden"]
    local = (await api.gql(TAXONOMY, {"p": "010201"}, as_user="xw.admin"))["dispatchTaxonomy"]
    mine = next(c for c in local if c["code"] == code)
    assert mine["local"] and mine["level"] == 4 and mine["keywords"] == [word] and mine["synonyms"] == ["灯柱"]
    # 苏州 keeps the national names.
    suzhou = {c["code"]: c for c in (await api.gql(TAXONOMY, {"p": "0102"}, as_user="sz.admin"))["dispatchTaxonomy"]}
    assert suzhou["010202"]["name"] == suzhou["010202"]["nationalName"] and "010203" in suzhou
