"""Sharing down the tree and across alliances, local supplements and hides, who may edit and publish."""

from __future__ import annotations

from tests.conftest import Api, unique
from tests.knowledge.helpers import CREATE, LOCAL, PUBLISH, SUBMIT, article_input, create, get, published, search


async def test_every_share_scope_reaches_exactly_its_readers(api: Api) -> None:
    tag = unique("共享")
    own = await published(api, "js.admin", f"{tag} 本级口径", f"{tag} 仅省级使用", shareScope="OWN")
    subtree = await published(api, "js.admin", f"{tag} 全省标准", f"{tag} 全省通用办理标准", shareScope="SUBTREE")
    alliance = await published(api, "js.admin", f"{tag} 长三角互认", f"{tag} 长三角通办", shareScope="ALLIANCE",
                               allianceCode="changsanjiao")
    public = await published(api, "js.admin", f"{tag} 公开问答", f"{tag} 面向所有人", shareScope="PUBLIC")
    nanjing = await published(api, "nj.admin", f"{tag} 南京本地", f"{tag} 南京自己的", shareScope="OWN")

    async def titles(login: str) -> set[str]:
        return {a["id"] for a in await search(api, login, tag, first=20)}

    # a county sees its province's subtree and alliance articles, and public ones; never the province's own
    assert await titles("xw.admin") == {subtree["id"], alliance["id"], public["id"]}
    # a 长三角 member sees 江苏's alliance article; a 京津冀 member does not
    assert await titles("sh.admin") == {alliance["id"], public["id"]}
    assert await titles("bj.admin") == {public["id"]}
    # a sibling city sees nothing private: not 南京's own article
    assert nanjing["id"] not in await titles("sz.admin")
    assert await titles("sz.admin") == {subtree["id"], alliance["id"], public["id"]}
    # the province sees everything of its own
    assert {own["id"], subtree["id"], alliance["id"], public["id"]} <= await titles("js.admin")
    # reading one by id follows the same rules: another tenant's private article is not found
    assert (await get(api, "sz.admin", nanjing["id"]))["__typename"] == "ValidationErrors"
    assert (await get(api, "bj.admin", alliance["id"]))["errors"][0]["code"] == "not_found"
    inherited = await get(api, "xw.admin", subtree["id"])
    assert inherited["inherited"] is True and inherited["editable"] is False


async def test_a_local_supplement_is_added_without_copying_and_a_hidden_article_stays_hidden(api: Api) -> None:
    tag = unique("补充")
    article = await published(api, "js.admin", f"{tag} 社保卡补办", f"{tag} 携带身份证到社保经办机构补办",
                              shareScope="SUBTREE")
    changed = (await api.gql(LOCAL, {"id": article["id"], "i": {"supplement": "南京市民卡公司办理",
                                                                "localPhone": "025-12345",
                                                                 "localOffice": "南京市民卡服务中心"}},
                             as_user="nj.admin"))["setKnowledgeLocal"]
    assert changed["__typename"] == "KnowledgeArticle", changed
    # 玄武区 sees the province's text with 南京's supplement; 苏州 does not
    xw = (await search(api, "xw.admin", tag))[0]
    assert xw["body"] == article["body"] and xw["supplements"][0]["localPhone"] == "025-12345"
    assert (await search(api, "sz.admin", tag))[0]["supplements"] == []
    # the province's own article is unchanged and still single (no copy was made)
    assert [a["id"] for a in await search(api, "js.admin", tag)] == [article["id"]]
    # 南京 hides it: gone for 南京 and its districts, still there for 苏州
    hidden = (await api.gql(LOCAL, {"id": article["id"], "i": {"hidden": True}},
                            as_user="nj.admin"))["setKnowledgeLocal"]
    assert hidden["hiddenHere"] is True
    assert await search(api, "nj.admin", tag) == []
    assert await search(api, "nj.agent", tag) == []
    assert await search(api, "xw.admin", tag) == []
    assert [a["id"] for a in await search(api, "sz.admin", tag)] == [article["id"]]
    # a sibling cannot touch 南京's hide: 苏州 supplementing its own view changes nothing for 南京
    await api.gql(LOCAL, {"id": article["id"], "i": {"supplement": "苏州补充"}}, as_user="sz.admin")
    assert await search(api, "nj.agent", tag) == []


async def test_owners_edit_reviewers_publish_and_readers_only_read(api: Api) -> None:
    tag = unique("权限")
    refused = (await api.gql(CREATE, {"i": article_input(f"{tag} 坐席草稿", "内容")}, as_user="nj.agent"))
    assert refused["createKnowledgeArticle"]["errors"][0]["code"] == "forbidden"
    draft = await create(api, "nj.admin", f"{tag} 草稿", f"{tag} 尚未发布", shareScope="SUBTREE")
    # drafts are not found below or beside, nor by the city's agent
    for login in ("xw.admin", "sz.admin", "nj.agent"):
        assert (await get(api, login, draft["id"]))["__typename"] == "ValidationErrors"
    # a county cannot change its city's article
    edit = ("mutation($id: UUID!, $i: KnowledgeArticleInput!) { updateKnowledgeArticle(id: $id, input: $i) { "
            "__typename ... on ValidationErrors { errors { code } } } }")
    assert (await api.gql(edit, {"id": draft["id"], "i": article_input("x", "y")}, as_user="xw.admin")
            )["updateKnowledgeArticle"]["errors"][0]["code"] == "not_found"
    # publishing needs review first
    early = (await api.gql(PUBLISH, {"id": draft["id"]}, as_user="nj.admin"))["publishKnowledgeArticle"]
    assert early["errors"][0]["code"] == "invalid_state"
    await api.gql(SUBMIT, {"id": draft["id"]}, as_user="nj.admin")
    done = (await api.gql(PUBLISH, {"id": draft["id"]}, as_user="js.admin"))["publishKnowledgeArticle"]
    assert done["status"] == "PUBLISHED" and done["version"] == 1
    # an edit of a published article is a new draft version; readers keep seeing version 1
    changed = (await api.gql(
        "mutation($id: UUID!, $i: KnowledgeArticleInput!) { updateKnowledgeArticle(id: $id, input: $i) { "
        "... on KnowledgeArticle { status version latestVersion title } } }",
        {"id": draft["id"], "i": article_input(f"{tag} 第二版", "新内容", shareScope="SUBTREE")},
        as_user="nj.admin"))["updateKnowledgeArticle"]
    assert changed == {"status": "PUBLISHED", "version": 1, "latestVersion": 2, "title": f"{tag} 草稿"}
    assert (await get(api, "xw.admin", draft["id"]))["title"] == f"{tag} 草稿"
    versions = await api.gql("query($id: UUID!) { knowledgeVersions(articleId: $id) { ... on KnowledgeVersionList { "
                             "items { version status } } } }", {"id": draft["id"]}, as_user="nj.admin")
    assert versions["knowledgeVersions"]["items"] == [{"version": 1, "status": "PUBLISHED"},
                                                      {"version": 2, "status": "DRAFT"}]
    readonly = await get(api, "nj.agent", draft["id"])
    assert readonly["__typename"] == "KnowledgeArticle" and readonly["editable"] is True


def test_the_consoles_knowledge_operations_are_valid_against_the_schema() -> None:
    from graphql import parse, validate

    from hotline.api.schema import build_schema
    from hotline.kernel.settings import PROJECT_ROOT, ApiSettings

    schema = build_schema(ApiSettings(introspection=True))._schema
    document = parse((PROJECT_ROOT / "graphql" / "operations" / "knowledge.graphql").read_text("utf-8"))
    assert validate(schema, document) == []
