"""Sign-in: argon2 hashes, lockout, idle timeout, cookies and bearer tokens, all audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import text

from hotline.tenancy import signin
from tests.conftest import Api, unique

LOGIN = ("mutation($l:String!,$p:String!){login(login:$l,password:$p){__typename "
         "... on LoginSuccess{token} ... on ValidationErrors{errors{path message code}}}}")
CREATE_USER = ("mutation($i:CreateUserInput!){createUser(input:$i){__typename ... on User{login} "
               "... on ValidationErrors{errors{path code}}}}")


async def new_user(api: Api, password: str = "correct-horse-1") -> str:
    login = unique("u.")
    data = await api.gql(CREATE_USER, {"i": {"login": login, "displayName": "测试用户", "password": password}},
                         as_user="nj.admin")
    assert data["createUser"]["__typename"] == "User", data
    await api.gql("mutation($i:GrantRoleInput!){grantRole(input:$i){__typename}}",
                  {"i": {"login": login, "role": "AGENT"}}, as_user="nj.admin")
    return login


def audit_actions(owner_engine: Any, login: str) -> list[str]:
    with owner_engine.connect() as conn:
        conn.execute(text("SET ROLE hotline_system"))
        return list(conn.execute(text(
            "SELECT a.action FROM audit_log a JOIN users u ON u.tenant_id = a.tenant_id AND a.object_id = u.id::text "
            "WHERE u.login = :l ORDER BY a.occurred_at, a.id"), {"l": login}).scalars())


async def test_passwords_are_stored_as_argon2_hashes(api: Api, owner_engine: Any) -> None:
    login = await new_user(api)
    with owner_engine.connect() as conn:
        conn.execute(text("SET ROLE hotline_system"))
        stored = conn.execute(text("SELECT password_hash FROM users WHERE login = :l"), {"l": login}).scalar_one()
    assert stored.startswith("$argon2id$") and "correct-horse-1" not in stored


async def test_login_sets_a_secure_httponly_cookie_that_signs_in_later_requests(api: Api) -> None:
    response = await api.client.post("/graphql", json={"query": LOGIN, "variables": {"l": "nj.agent",
                                                                                      "p": "lianxin-demo"}})
    cookie = response.headers["set-cookie"]
    assert "hotline_session=" in cookie and "HttpOnly" in cookie and "Secure" in cookie
    token = response.json()["data"]["login"]["token"]
    me = await api.client.post("/graphql", json={"query": "{ me { login roles } }"},
                               cookies={"hotline_session": token})
    assert me.json()["data"]["me"] == {"login": "nj.agent", "roles": ["AGENT"]}
    api.client.cookies.clear()


async def test_wrong_password_is_refused_and_audited(api: Api, owner_engine: Any) -> None:
    login = await new_user(api)
    data = await api.gql(LOGIN, {"l": login, "p": "wrong-password"})
    assert data["login"]["errors"] == [{"path": ["password"], "message": "wrong login or password",
                                        "code": "invalid_credentials"}]
    unknown = await api.gql(LOGIN, {"l": "nobody.here", "p": "whatever"})
    assert unknown["login"]["errors"][0]["code"] == "invalid_credentials"  # same answer: no login probing
    assert "auth.login_failed" in audit_actions(owner_engine, login)


async def test_five_failures_lock_the_account_even_for_the_right_password(api: Api, owner_engine: Any) -> None:
    login = await new_user(api)
    for _ in range(5):
        await api.gql(LOGIN, {"l": login, "p": "wrong-password"})
    data = await api.gql(LOGIN, {"l": login, "p": "correct-horse-1"})
    assert data["login"]["errors"][0]["code"] == "locked"
    assert "auth.locked" in audit_actions(owner_engine, login)


async def test_an_idle_console_session_expires(api: Api, owner_engine: Any) -> None:
    login = await new_user(api)
    token = (await api.gql(LOGIN, {"l": login, "p": "correct-horse-1"}))["login"]["token"]
    headers = {"authorization": f"Bearer {token}"}
    first = await api.client.post("/graphql", json={"query": "{ me { login } }"}, headers=headers)
    assert first.json()["data"]["me"]["login"] == login
    with owner_engine.begin() as conn:
        conn.execute(text("SET LOCAL ROLE hotline_system"))
        conn.execute(text("UPDATE auth_sessions SET last_seen_at = :t WHERE user_id = "
                          "(SELECT id FROM users WHERE login = :l)"),
                     {"t": dt.datetime.now(dt.UTC) - dt.timedelta(hours=2), "l": login})
    signin.CALLERS.clear()  # two hours have "passed": far longer than the caller cache keeps anything
    later = await api.client.post("/graphql", json={"query": "{ me { login } }"}, headers=headers)
    assert later.json()["data"]["me"] is None


async def test_machine_clients_use_bearer_tokens_and_logout_revokes_the_session(api: Api) -> None:
    login = await new_user(api)
    token = (await api.gql(LOGIN, {"l": login, "p": "correct-horse-1"}))["login"]["token"]
    headers = {"authorization": f"Bearer {token}"}
    api_token = (await api.client.post("/graphql", headers=headers, json={
        "query": 'mutation { createApiToken(label:"对接系统") { ... on ApiToken { token } } }'})).json()
    machine = api_token["data"]["createApiToken"]["token"]
    await api.client.post("/graphql", headers=headers, json={"query": "mutation { logout { ok } }"})
    gone = await api.client.post("/graphql", headers=headers, json={"query": "{ me { login } }"})
    assert gone.json()["data"]["me"] is None
    still = await api.client.post("/graphql", headers={"authorization": f"Bearer {machine}"},
                                  json={"query": "{ me { login } }"})
    assert still.json()["data"]["me"]["login"] == login


async def test_a_forged_token_signs_in_nobody(api: Api) -> None:
    for token in ("garbage", "0" * 32 + ".abc", ""):
        r = await api.client.post("/graphql", headers={"authorization": f"Bearer {token}"},
                                  json={"query": "{ me { login } tenants { code } }"})
        assert r.json()["data"] == {"me": None, "tenants": []}


async def test_a_revoked_role_stops_working_at_once_despite_the_caller_cache(api: Api) -> None:
    login = await new_user(api)
    await api.token(login, "correct-horse-1")
    assert (await api.gql("{ me { roles } }", as_user=login))["me"]["roles"] == ["AGENT"]
    grants = await api.gql("{ roleGrants { id userId role } }", as_user="nj.admin")
    me = await api.gql("{ me { userId } }", as_user=login)
    grant = next(g for g in grants["roleGrants"] if g["userId"] == me["me"]["userId"])
    await api.gql("mutation($g:UUID!){revokeRole(grantId:$g){__typename}}", {"g": grant["id"]}, as_user="nj.admin")
    assert (await api.gql("{ me { roles actingTenant { code } } }", as_user=login))["me"] == {
        "roles": [], "actingTenant": None}
