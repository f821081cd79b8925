"""Shared GraphQL snippets for the knowledge tests."""

# ruff: noqa: E501  (GraphQL documents and Chinese sample text; CJK characters count double)

from __future__ import annotations

from typing import Any

from tests.conftest import Api

ARTICLE = ("id ownerTenantId kind status shareScope allianceCode title body tags categoryCodes version latestVersion "
           "inherited editable hiddenHere rank fuzzy supplements { tenantId supplement localPhone localOffice } "
           "usage { directAnswers helpful unhelpful } ownerTotals { directAnswers helpful unhelpful }")
ERRORS = "... on ValidationErrors { errors { path message code } }"

CREATE = ("mutation($i: KnowledgeArticleInput!) { createKnowledgeArticle(input: $i) { __typename "
          f"... on KnowledgeArticle {{ {ARTICLE} }} {ERRORS} }} }}")
SUBMIT = f"mutation($id: UUID!) {{ submitKnowledgeArticle(id: $id) {{ __typename ... on KnowledgeArticle {{ status }} {ERRORS} }} }}"
PUBLISH = ("mutation($id: UUID!) { publishKnowledgeArticle(id: $id) { __typename "
           f"... on KnowledgeArticle {{ {ARTICLE} }} {ERRORS} }} }}")
SEARCH = ("query($t: String!, $f: KnowledgeSearchFilter, $n: Int!) { knowledgeSearch(text: $t, filter: $f, first: $n) {"
          f" __typename ... on KnowledgeArticleList {{ items {{ {ARTICLE} }} }} {ERRORS} }} }}")
GET = f"query($id: UUID!) {{ knowledgeArticle(id: $id) {{ __typename ... on KnowledgeArticle {{ {ARTICLE} }} {ERRORS} }} }}"
LOCAL = ("mutation($id: UUID!, $i: KnowledgeLocalInput!) { setKnowledgeLocal(articleId: $id, input: $i) { __typename "
         f"... on KnowledgeArticle {{ {ARTICLE} }} {ERRORS} }} }}")


def article_input(title: str, body: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "QA", "title": title, "body": body, **extra}


async def create(api: Api, login: str, title: str, body: str, tenant: str | None = None,
                 **extra: Any) -> dict[str, Any]:
    data = await api.gql(CREATE, {"i": article_input(title, body, **extra)}, as_user=login, tenant=tenant)
    result = data["createKnowledgeArticle"]
    assert result["__typename"] == "KnowledgeArticle", result
    return result


async def publish(api: Api, login: str, article_id: str, reviewer: str | None = None,
                  tenant: str | None = None) -> dict[str, Any]:
    submitted = (await api.gql(SUBMIT, {"id": article_id}, as_user=login, tenant=tenant))["submitKnowledgeArticle"]
    assert submitted["__typename"] == "KnowledgeArticle", submitted
    published = (await api.gql(PUBLISH, {"id": article_id}, as_user=reviewer or login,
                               tenant=tenant))["publishKnowledgeArticle"]
    assert published["__typename"] == "KnowledgeArticle", published
    return published


async def published(api: Api, login: str, title: str, body: str, **extra: Any) -> dict[str, Any]:
    article = await create(api, login, title, body, **extra)
    return await publish(api, login, article["id"])


async def search(api: Api, login: str, text: str, first: int = 10, fuzzy: bool = False,
                 **filters: Any) -> list[dict[str, Any]]:
    """Articles found for `text`; without `fuzzy`, only those matching every word (or a synonym)."""
    data = await api.gql(SEARCH, {"t": text, "f": filters or None, "n": first}, as_user=login)
    result = data["knowledgeSearch"]
    assert result["__typename"] == "KnowledgeArticleList", result
    items: list[dict[str, Any]] = result["items"]
    return [a for a in items if fuzzy or not a["fuzzy"]]


async def get(api: Api, login: str, article_id: str) -> dict[str, Any]:
    result: dict[str, Any] = (await api.gql(GET, {"id": article_id}, as_user=login))["knowledgeArticle"]
    return result
