"""一企来: enterprise questions routed to policy specialists by policy domain, answered online with a deadline,
escalated to a department; the enterprise's history; enterprise requests counted apart from citizens'."""

# ruff: noqa: E501  (GraphQL documents and Chinese sample text; CJK characters count double)

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import text

from hotline.kernel import runtime
from hotline.kernel.models import utcnow
from hotline.knowledge import enterprise
from hotline.workorders.intake import CREDIT_CODE_CHARS, CREDIT_CODE_WEIGHTS, credit_code_valid
from tests.conftest import Api, unique
from tests.workorders.helpers import create as create_order

Q = ("id policyDomain status department specialistId dueAt answer escalatedTo escalationReason")
ASK = ("mutation($i: EnterpriseQuestionInput!) { askEnterpriseQuestion(input: $i) { __typename "
       f"... on EnterpriseQuestion {{ {Q} }} ... on ValidationErrors {{ errors {{ path code }} }} }} }}")
SPECIALIST = ("mutation($l: String!, $d: String!, $p: [String!]!) { registerPolicySpecialist(login: $l, department: $d, "
              "policyDomains: $p) { __typename ... on PolicySpecialist { id department policyDomains } "
              "... on ValidationErrors { errors { path code } } } }")
ROUTE = ("mutation($p: String!, $d: String!) { setPolicyRoute(policyDomain: $p, department: $d, answerHours: 16) { "
         "__typename ... on ValidationErrors { errors { path code } } } }")


def credit_code() -> str:
    body = "91" + "320102" + "".join(random.choice(CREDIT_CODE_CHARS) for _ in range(9))
    total = sum(CREDIT_CODE_CHARS.index(c) * w for c, w in zip(body, CREDIT_CODE_WEIGHTS, strict=True))
    code = body + CREDIT_CODE_CHARS[(31 - total % 31) % 31]
    assert credit_code_valid(code)
    return code


async def specialist(api: Api, department: str, domains: list[str]) -> dict[str, Any]:
    login = unique("yql.s")
    await api.gql("mutation($i:CreateUserInput!){createUser(input:$i){__typename}}",
                  {"i": {"login": login, "displayName": f"{department}政策专员", "password": "long-enough-1"}},
                  as_user="yql.admin")
    await api.gql("mutation($i:GrantRoleInput!){grantRole(input:$i){__typename}}",
                  {"i": {"login": login, "role": "POLICY_SPECIALIST"}}, as_user="yql.admin")
    data = await api.gql(SPECIALIST, {"l": login, "d": department, "p": domains}, as_user="yql.admin")
    result: dict[str, Any] = data["registerPolicySpecialist"]
    assert result["__typename"] == "PolicySpecialist", result
    return {**result, "login": login}


async def ask(api: Api, domain: str, code: str, login: str = "yql.admin") -> dict[str, Any]:
    data = await api.gql(ASK, {"i": {"creditCode": code, "enterpriseName": "南京某科技有限公司", "policyDomain": domain,
                                     "title": f"{domain}政策咨询", "content": "我公司想了解相关扶持政策的申报条件。"}},
                         as_user=login)
    result: dict[str, Any] = data["askEnterpriseQuestion"]
    return result


async def test_questions_are_routed_to_a_specialist_of_the_domains_department(api: Api) -> None:
    tax, talent = unique("税收"), unique("人才")
    finance = await specialist(api, "省财政厅", [tax])
    hr = await specialist(api, "省人社厅", [talent])
    hr2 = await specialist(api, "省人社厅", [talent, tax])
    await api.gql(ROUTE, {"p": tax, "d": "省财政厅"}, as_user="yql.admin")
    await api.gql(ROUTE, {"p": talent, "d": "省人社厅"}, as_user="yql.admin")
    code = credit_code()
    first = await ask(api, tax, code)
    assert first["status"] == "ASSIGNED" and first["specialistId"] == finance["id"]
    assert first["department"] == "省财政厅" and first["dueAt"]
    # the talent domain's two specialists share the load
    a, b = await ask(api, talent, code), await ask(api, talent, code)
    assert {a["specialistId"], b["specialistId"]} == {hr["id"], hr2["id"]}
    # a domain nobody covers waits unrouted
    nobody = await ask(api, unique("海关"), code)
    assert nobody["status"] == "UNROUTED" and nobody["specialistId"] is None


async def test_the_specialist_answers_or_escalates_and_the_enterprise_history_shows_both(api: Api) -> None:
    domain = unique("科技")
    registered = await api.gql(SPECIALIST, {"l": "yql.specialist", "d": "省科技厅", "p": [domain]}, as_user="yql.admin")
    me = {**registered["registerPolicySpecialist"], "login": "yql.specialist"}
    code = credit_code()
    q1, q2 = await ask(api, domain, code), await ask(api, domain, code)
    assert q1["specialistId"] == me["id"]
    inbox = await api.gql("{ specialistInbox { ... on EnterpriseQuestionList { items { id } } } }", as_user=me["login"])
    assert {q1["id"], q2["id"]} <= {i["id"] for i in inbox["specialistInbox"]["items"]}
    # nobody outside the line answers it
    other = await api.gql('mutation($id: UUID!) { answerEnterpriseQuestion(id: $id, answer: "x") { __typename '
                          "... on ValidationErrors { errors { code } } } }", {"id": q1["id"]}, as_user="sz.agent")
    assert other["answerEnterpriseQuestion"]["errors"][0]["code"] in {"not_found", "not_enterprise_line"}
    answered = await api.gql('mutation($id: UUID!) { answerEnterpriseQuestion(id: $id, answer: "符合高新技术企业认定条件的'
                             '可享受15%税率。") { ... on EnterpriseQuestion { status answer } } }', {"id": q1["id"]},
                             as_user=me["login"])
    assert answered["answerEnterpriseQuestion"]["status"] == "ANSWERED"
    escalated = await api.gql('mutation($id: UUID!) { escalateEnterpriseQuestion(id: $id, department: "省发展改革委", '
                              'reason: "涉及项目审批，需发改委答复") { ... on EnterpriseQuestion { status escalatedTo } } }',
                              {"id": q2["id"]}, as_user=me["login"])
    assert escalated["escalateEnterpriseQuestion"] == {"status": "ESCALATED", "escalatedTo": "省发展改革委"}
    history = await api.gql("query($c: String!) { enterpriseHistory(creditCode: $c) { __typename ... on EnterpriseHistory "
                            "{ enterprise { creditCode } questions { id status } } "
                            "... on ValidationErrors { errors { code } } } }", {"c": code}, as_user="yql.admin")
    found = history["enterpriseHistory"]
    assert found["enterprise"]["creditCode"] == code
    assert {(q["id"], q["status"]) for q in found["questions"]} == {(q1["id"], "ANSWERED"), (q2["id"], "ESCALATED")}
    # other tenants see nothing of it
    stranger = await api.gql("query($c: String!) { enterpriseHistory(creditCode: $c) { __typename "
                             "... on ValidationErrors { errors { code } } } }", {"c": code}, as_user="sz.admin")
    assert stranger["enterpriseHistory"]["errors"][0]["code"] in {"not_found", "not_enterprise_line"}


async def test_reports_count_enterprise_requests_apart_from_citizens(api: Api) -> None:
    domain = unique("外贸")
    await specialist(api, "省商务厅", [domain])
    await ask(api, domain, credit_code())
    await create_order(api, title="企业用电咨询", enterprise={"name": "南京某制造有限公司",
                                                        "creditCode": credit_code()})
    await create_order(api)
    query = ('{ enterpriseServiceReport(from: "2026-01-01", to: "2030-12-31") { __typename ... on '
             "EnterpriseServiceReport { enterpriseOrders citizenOrders enterpriseQuestions open } "
             "... on ValidationErrors { errors { code } } } }")
    line = (await api.gql(query, as_user="yql.admin"))["enterpriseServiceReport"]
    assert line["enterpriseQuestions"] >= 1 and line["open"] >= 1
    city = (await api.gql(query, as_user="nj.admin"))["enterpriseServiceReport"]
    assert city["enterpriseOrders"] >= 1 and city["citizenOrders"] >= 1 and city["enterpriseQuestions"] == 0
    province = (await api.gql(query, as_user="js.admin"))["enterpriseServiceReport"]
    assert province["enterpriseQuestions"] >= line["enterpriseQuestions"]
    assert (await api.gql(query, as_user="nj.agent"))["enterpriseServiceReport"]["errors"][0]["code"] == "forbidden"


ISSUE_KEY = ("mutation($c: String!) { issueEnterpriseAccessKey(creditCode: $c) { __typename ... on EnterpriseAccessKey "
             "{ enterprise { creditCode } accessKey } ... on ValidationErrors { errors { path code } } } }")
LINE = "320000-yql"


async def own_questions(api: Api, code: str, key: str | None, line: str = LINE) -> Any:
    headers = {"X-Enterprise-Key": key} if key is not None else {}
    return await api.client.get(f"/api/public/{line}/enterprises/{code}/questions", headers=headers)


async def test_an_enterprise_follows_only_its_own_questions_with_its_access_key(api: Api) -> None:
    domain = unique("融资")
    await specialist(api, "省地方金融监管局", [domain])
    mine, theirs = credit_code(), credit_code()
    asked = [await ask(api, domain, mine), await ask(api, domain, mine)]
    other = await ask(api, domain, theirs)
    issued = (await api.gql(ISSUE_KEY, {"c": mine}, as_user="yql.admin"))["issueEnterpriseAccessKey"]
    assert issued["enterprise"]["creditCode"] == mine and len(issued["accessKey"]) >= 40
    key = issued["accessKey"]
    response = await own_questions(api, mine, key)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["creditCode"] == mine and {q["id"] for q in body["questions"]} == {q["id"] for q in asked}
    assert all(q["status"] == "assigned" and q["label"] == "政策专员办理中" and q["dueAt"] for q in body["questions"])
    assert other["id"] not in response.text
    # The key opens nothing else: another enterprise, another line, a wrong or missing key look the same.
    for code, given, line in ((theirs, key, LINE), (mine, key + "x", LINE), (mine, None, LINE), (mine, key, "320100")):
        refused = await own_questions(api, code, given, line)
        assert refused.status_code == 404 and refused.json()["errors"][0]["code"] == "not_found"
    # A new key replaces the old one.
    again = (await api.gql(ISSUE_KEY, {"c": mine}, as_user="yql.admin"))["issueEnterpriseAccessKey"]["accessKey"]
    assert (await own_questions(api, mine, key)).status_code == 404
    assert (await own_questions(api, mine, again)).status_code == 200
    # Only the line's staff issue keys; other tenants cannot.
    for login in ("sz.admin", "nj.admin"):
        errors = (await api.gql(ISSUE_KEY, {"c": mine}, as_user=login))["issueEnterpriseAccessKey"]["errors"]
        assert errors[0]["code"] in {"not_found", "not_enterprise_line"}, login


async def test_a_question_not_answered_by_its_deadline_is_escalated_to_its_department_once(
        api: Api, owner_engine: Any) -> None:
    domain = unique("环保")
    await specialist(api, "省生态环境厅", [domain])
    await api.gql(ROUTE, {"p": domain, "d": "省生态环境厅"}, as_user="yql.admin")
    code = credit_code()
    late, in_time = await ask(api, domain, code), await ask(api, domain, code)
    with owner_engine.begin() as conn:  # the late question's deadline passes
        conn.execute(text("UPDATE enterprise_questions SET due_at = now() - interval '1 hour' WHERE id = :id"),
                     {"id": late["id"]})
    swept = []
    for _ in range(2):
        async with runtime.database().system_transaction() as session:
            swept.append(await enterprise.escalate_overdue(session, utcnow()))
    assert swept[0] >= 1 and swept[1] == 0
    history = await api.gql("query($c: String!) { enterpriseHistory(creditCode: $c) { ... on EnterpriseHistory "
                            "{ questions { id status escalatedTo escalationReason } } } }", {"c": code},
                            as_user="yql.admin")
    by_id = {q["id"]: q for q in history["enterpriseHistory"]["questions"]}
    assert by_id[late["id"]]["status"] == "ESCALATED" and by_id[late["id"]]["escalatedTo"] == "省生态环境厅"
    assert "not answered by its deadline" in by_id[late["id"]]["escalationReason"]
    assert by_id[in_time["id"]]["status"] == "ASSIGNED"
    with owner_engine.begin() as conn:
        conn.execute(text("SET LOCAL ROLE hotline_system"))
        escalations = conn.execute(text("SELECT count(*) FROM audit_log WHERE object_id = :id "
                                        "AND action = 'enterprise_question.escalated'"), {"id": late["id"]}).scalar()
    assert escalations == 1
    stranger = await api.gql("query($c: String!) { enterpriseHistory(creditCode: $c) { __typename "
                             "... on ValidationErrors { errors { code } } } }", {"c": code}, as_user="sz.admin")
    assert stranger["enterpriseHistory"]["errors"][0]["code"] in {"not_found", "not_enterprise_line"}
