"""GraphQL operations and small steps shared by the dispatch tests."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api

ERR = "... on ValidationErrors { errors { path message code } }"
DRAFT = "{ __typename ... on DispatchDraftItem { kind key mandatory disabled position body } " + ERR + " }"
SAVE_RULE = "mutation($i: SaveDispatchRuleInput!) { saveDispatchRule(input: $i) " + DRAFT + " }"
SAVE_ENTRY = "mutation($i: SaveCatalogueEntryInput!) { saveCatalogueEntry(input: $i) " + DRAFT + " }"
SAVE_CATEGORY = "mutation($i: SaveDispatchCategoryInput!) { saveDispatchCategory(input: $i) " + DRAFT + " }"
DISABLE = ("mutation($k: DispatchItemKind!, $key: String!, $t: String) { disableInheritedDispatchItem("
           "kind: $k, key: $key, reason: \"不适用本地\", tenantCode: $t) " + DRAFT + " }")
VERSION = "{ __typename ... on DispatchVersion { tenantCode number rollbackOf itemCount reason } " + ERR + " }"
PUBLISH = "mutation($t: String) { publishDispatch(reason: \"发布新版派单规则\", tenantCode: $t) " + VERSION + " }"
ROLLBACK = ("mutation($t: String, $v: Int!) { rollbackDispatch(version: $v, reason: \"回退到上一版\", "
            "tenantCode: $t) " + VERSION + " }")
CONFIG = """query($t: String, $draft: Boolean! = false) { dispatchConfiguration(tenantCode: $t, draft: $draft) {
  __typename ... on DispatchConfiguration { tenantCode draft versions { tenantCode number }
    items { kind key mandatory locked position body source { code inherited } overrides { code } }
    disabled { kind key disabledBy { code } definedBy { code } }
    ignored { kind key reason source { code } lockedBy { code } } } """ + ERR + " } }"
EXPLAIN = """query($id: UUID!) { dispatchExplanation(orderId: $id) { __typename ... on DispatchExplanation {
  recorded outcome versions { tenantCode number } matchedKind matchedKey matchedTenant categoryCode responseLevel
  tags reviewRequired problems suggestions { unitCode score source reason }
  rules { key tenantCode matched decidedUnits reason mandatory } entries { key tenantCode matched reason } } """ \
    + ERR + " } }"


def ok(data: dict[str, Any], field: str) -> dict[str, Any]:
    result: dict[str, Any] = data[field]
    assert result["__typename"] != "ValidationErrors", result
    return result


def refused(data: dict[str, Any], field: str) -> list[dict[str, Any]]:
    result = data[field]
    assert result["__typename"] == "ValidationErrors", result
    errors: list[dict[str, Any]] = result["errors"]
    return errors


def rule(key: str, when: Any, then: list[dict[str, Any]], *, tenant: str | None = None, mandatory: bool = False,
         position: int = 0, name: str = "测试规则") -> dict[str, Any]:
    return {"key": key, "name": name, "when": when, "then": then, "tenantCode": tenant, "mandatory": mandatory,
            "position": position, "reason": "测试需要"}


async def save_rule(api: Api, as_user: str, **kwargs: Any) -> dict[str, Any]:
    return await api.gql(SAVE_RULE, {"i": rule(**kwargs)}, as_user=as_user)


async def publish(api: Api, as_user: str, tenant: str | None = None) -> dict[str, Any]:
    return ok(await api.gql(PUBLISH, {"t": tenant}, as_user=as_user), "publishDispatch")


async def configuration(api: Api, as_user: str, tenant: str | None = None, draft: bool = False) -> dict[str, Any]:
    return ok(await api.gql(CONFIG, {"t": tenant, "draft": draft}, as_user=as_user), "dispatchConfiguration")


def item(config: dict[str, Any], key: str) -> dict[str, Any] | None:
    return next((i for i in config["items"] if i["key"] == key), None)
