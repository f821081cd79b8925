"""The GraphQL edge: the contract file, GET, introspection, limits, masking, unauthenticated callers."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from hotline.api.schema import schema_sdl
from hotline.kernel.settings import PROJECT_ROOT
from tests.conftest import Api, unique
from tests.workorders.helpers import order_input


def test_schema_file_matches_the_code() -> None:
    current = (PROJECT_ROOT / "graphql" / "schema.graphql").read_text(encoding="utf-8")
    assert current == schema_sdl(), "graphql/schema.graphql drifted: run `.venv/bin/hotline schema write`"


async def test_queries_work_over_get_but_mutations_do_not(client: AsyncTestClient[Any]) -> None:
    ok = await client.get("/graphql", params={"query": "{ me { login } }"})
    assert ok.status_code == 200 and ok.json() == {"data": {"me": None}}
    refused = await client.get("/graphql", params={"query": 'mutation { login(login:"a", password:"b") '
                                                            '{ __typename } }'})
    assert refused.status_code == 405


async def test_introspection_is_off_by_default(api: Api) -> None:
    body = await api.raw("{ __schema { types { name } } }")
    assert body["data"] is None and "introspection" in body["errors"][0]["message"].lower()


async def test_queries_nested_too_deep_are_refused(api: Api) -> None:
    deep = "{ actingTenant { " + "children { " * 14 + "code" + " }" * 14 + " } }"
    body = await api.raw(deep, as_user="js.admin")
    assert body["data"] is None and "depth" in body["errors"][0]["message"]


async def test_too_many_aliases_are_refused(api: Api) -> None:
    many = "{ " + " ".join(f"a{i}: me {{ login }}" for i in range(40)) + " }"
    body = await api.raw(many)
    assert "aliases" in body["errors"][0]["message"].lower()


async def test_documents_with_too_many_tokens_are_refused_before_parsing_ends(api: Api) -> None:
    body = await api.raw("{ " + "__typename " * 5000 + "}")
    assert body.get("data") is None
    assert "tokens" in body["errors"][0]["message"], body["errors"]
    assert (await api.raw("{ " + "__typename " * 100 + "}"))["data"] == {"__typename": "Query"}


async def test_unexpected_errors_are_masked(api: Api) -> None:
    body = await api.raw('mutation { revokeRole(grantId: "not-a-uuid") { __typename } }', as_user="nj.admin")
    assert body["errors"] and "Traceback" not in str(body)


async def test_mutations_without_sign_in_change_nothing_and_say_why(api: Api) -> None:
    data = await api.gql('mutation { renameTenant(code:"320100", name:"x") { ... on ValidationErrors '
                         '{ errors { path message code } } } }')
    assert data["renameTenant"]["errors"] == [{"path": [], "message": "sign in first", "code": "unauthenticated"}]


async def test_health_readiness_and_metrics(client: AsyncTestClient[Any]) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    assert (await client.get("/readyz")).json() == {"status": "ready"}
    metrics = await client.get("/metrics")
    assert "hotline_graphql_requests_total" in metrics.text


async def test_anonymous_callers_cannot_list_users_or_grants(api: Api) -> None:
    for field in ("users { login }", "roleGrants { role }"):
        body = await api.raw("{ " + field + " }")
        assert body["data"] is None
        assert body["errors"][0]["message"] == "sign in first"
        assert body["errors"][0]["extensions"]["code"] == "unauthenticated"


TWO_ORDERS = """mutation($good: CreateWorkOrderInput!, $bad: CreateWorkOrderInput!) {
  first: createWorkOrder(input: $bad) { __typename ... on ValidationErrors { errors { path code } } }
  second: createWorkOrder(input: $good) { __typename ... on WorkOrder { number } } }"""
FIND = """query($number: String) { workOrder(number: $number) { __typename } }"""


async def test_each_mutation_field_of_a_document_succeeds_or_fails_on_its_own(api: Api) -> None:
    title = unique("两个字段的文档")
    body = await api.gql(TWO_ORDERS, {"good": order_input(title=title), "bad": order_input(categoryCode="999999")},
                         as_user="nj.agent")
    assert body["first"] == {"__typename": "ValidationErrors",
                             "errors": [{"path": ["categoryCode"], "code": "not_found"}]}
    number = body["second"]["number"]  # the good one is kept although the document had a failure
    found = await api.gql(FIND, {"number": number}, as_user="nj.agent")
    assert found["workOrder"]["__typename"] == "WorkOrder"

