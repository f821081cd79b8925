"""An administrator unlocks, resets, renames, deactivates and reactivates accounts of their hotline."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.tenancy.test_auth import LOGIN, new_user

UPDATE = ("mutation($i:UpdateUserInput!){updateUser(input:$i){__typename "
          "... on User{login displayName active locked} ... on ValidationErrors{errors{path code}}}}")


async def sign_in(api: Api, login: str, password: str) -> dict[str, Any]:
    result: dict[str, Any] = (await api.gql(LOGIN, {"l": login, "p": password}))["login"]
    return result


async def me(api: Api, token: str) -> Any:
    response = await api.client.post("/graphql", json={"query": "{ me { login } }"},
                                      headers={"authorization": f"Bearer {token}"})
    return response.json()["data"]["me"]


async def update(api: Api, as_user: str = "js.admin", **fields: Any) -> dict[str, Any]:
    result: dict[str, Any] = (await api.gql(UPDATE, {"i": fields}, as_user=as_user))["updateUser"]
    return result


async def test_a_locked_account_is_unlocked_by_its_administrator(api: Api) -> None:
    login = await new_user(api)
    for _ in range(5):
        await sign_in(api, login, "wrong-password")
    assert (await sign_in(api, login, "correct-horse-1"))["errors"][0]["code"] == "locked"
    unlocked = await update(api, login=login, unlock=True)
    assert unlocked["locked"] is False
    assert (await sign_in(api, login, "correct-horse-1"))["__typename"] == "LoginSuccess"


async def test_a_password_reset_ends_open_sessions_and_the_old_password(api: Api) -> None:
    login = await new_user(api)
    token = (await sign_in(api, login, "correct-horse-1"))["token"]
    assert (await me(api, token))["login"] == login
    await update(api, login=login, newPassword="battery-staple-2")
    assert await me(api, token) is None
    assert (await sign_in(api, login, "correct-horse-1"))["__typename"] == "ValidationErrors"
    assert (await sign_in(api, login, "battery-staple-2"))["__typename"] == "LoginSuccess"


async def test_a_deactivated_account_cannot_sign_in_until_reactivated(api: Api) -> None:
    login = await new_user(api)
    token = (await sign_in(api, login, "correct-horse-1"))["token"]
    done = await update(api, login=login, active=False, displayName="离职人员")
    assert (done["active"], done["displayName"]) == (False, "离职人员")
    assert await me(api, token) is None
    assert (await sign_in(api, login, "correct-horse-1"))["__typename"] == "ValidationErrors"
    await update(api, login=login, active=True)
    assert (await sign_in(api, login, "correct-horse-1"))["__typename"] == "LoginSuccess"


async def test_bad_changes_are_refused_with_their_field_and_change_nothing(api: Api) -> None:
    login = await new_user(api)
    refused = await update(api, login=login, displayName=" ", newPassword="short", active=False)
    assert {(tuple(e["path"]), e["code"]) for e in refused["errors"]} == {
        (("displayName",), "required"), (("newPassword",), "too_short")}
    assert (await sign_in(api, login, "correct-horse-1"))["__typename"] == "LoginSuccess"  # still active
    self_off = await update(api, as_user="js.admin", login="js.admin", active=False)
    assert [e["code"] for e in self_off["errors"]] == ["invalid_target"]


async def test_another_hotlines_administrator_finds_no_such_account(api: Api) -> None:
    login = await new_user(api)  # a 南京 account
    refused = await update(api, as_user="sz.admin", login=login, active=False)
    assert [e["code"] for e in refused["errors"]] == ["not_found"]
    nanjing = await update(api, as_user="sz.admin", login="nj.agent", unlock=True)
    assert [e["code"] for e in nanjing["errors"]] == ["not_found"]
    agent = await update(api, as_user="nj.agent", login="nj.dispatcher", displayName="改名")
    assert [e["code"] for e in agent["errors"]] == ["forbidden"]


PAGE = """query($t: String, $s: String, $state: AccountState, $first: Int!, $offset: Int!) {
  userPage(tenantCode: $t, search: $s, state: $state, first: $first, offset: $offset) { __typename
    ... on UserPage { totalCount users { login locked active } grants { role userId } }
    ... on ValidationErrors { errors { path code } } } }"""


async def test_accounts_page_search_and_filter_on_the_server(api: Api) -> None:
    logins = sorted([await new_user(api) for _ in range(3)])
    stem = logins[0][:2]  # "u." — every account new_user makes
    first = (await api.gql(PAGE, {"s": stem, "first": 2, "offset": 0}, as_user="nj.admin"))["userPage"]
    second = (await api.gql(PAGE, {"s": stem, "first": 2, "offset": 2}, as_user="nj.admin"))["userPage"]
    assert first["totalCount"] == second["totalCount"] >= 3
    seen = [u["login"] for u in first["users"] + second["users"]]
    assert seen == sorted(seen) and len(seen) == len(set(seen))
    one = (await api.gql(PAGE, {"s": logins[1], "first": 10, "offset": 0}, as_user="nj.admin"))["userPage"]
    assert [u["login"] for u in one["users"]] == [logins[1]]
    assert [g["role"] for g in one["grants"]] == ["AGENT"]  # the role new_user grants, in 南京
    await update(api, login=logins[2], active=False)
    inactive = (await api.gql(PAGE, {"s": logins[2], "state": "INACTIVE", "first": 10, "offset": 0},
                              as_user="nj.admin"))["userPage"]
    assert [u["login"] for u in inactive["users"]] == [logins[2]]
    active = (await api.gql(PAGE, {"s": logins[2], "state": "ACTIVE", "first": 10, "offset": 0},
                            as_user="nj.admin"))["userPage"]
    assert active["users"] == []


async def test_a_bad_page_is_refused_and_another_hotlines_accounts_are_not_found(api: Api) -> None:
    bad = (await api.gql(PAGE, {"first": 0, "offset": -1}, as_user="nj.admin"))["userPage"]
    assert {(tuple(e["path"]), e["code"]) for e in bad["errors"]} == {
        (("first",), "out_of_range"), (("offset",), "out_of_range")}
    other = (await api.gql(PAGE, {"t": "320100", "first": 10, "offset": 0}, as_user="sz.admin"))["userPage"]
    assert [e["code"] for e in other["errors"]] == ["not_found"]
    own = (await api.gql(PAGE, {"s": "nj.", "first": 10, "offset": 0}, as_user="sz.admin"))["userPage"]
    assert own["users"] == []  # 苏州's own accounts hold no 南京 login


MY_GRANTS = "{ me { grants { id role tenantCode unitCode } } }"


async def test_my_grants_name_their_hotline_and_unit_even_when_acting_below(api: Api) -> None:
    handler = (await api.gql(MY_GRANTS, as_user="nj.xinjiekou"))["me"]["grants"]
    assert [(g["role"], g["tenantCode"], g["unitCode"]) for g in handler] == [("UNIT_HANDLER", "320100", "320102003")]
    assert handler[0]["id"] != "00000000-0000-0000-0000-000000000000"
    province = (await api.gql(MY_GRANTS, as_user="js.admin", tenant="320100"))["me"]["grants"]
    assert ("PROVINCE_ADMIN", "320000", None) in [(g["role"], g["tenantCode"], g["unitCode"]) for g in province]
