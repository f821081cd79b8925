"""The working calendar through GraphQL and through `due_at`: overrides inherited down the tree, a
tenant-entered year, working hours, warnings, refusals and the second tenant that sees nothing.

Province-wide entries use dates far in the future and are removed again, so that other tests computing
deadlines for Jiangsu tenants are not affected; year schedules and working hours go on fresh tenants.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text

from hotline.kernel import runtime
from hotline.kernel.calendar import TIMEZONE, DurationUnit, due_at
from hotline.kernel.scope import TenantScope
from hotline.tenancy import repository as tenancy_repo
from tests.conftest import Api, unique

SET_DAY = """mutation($i:SetCalendarDayInput!){setCalendarDay(input:$i){__typename
  ... on CalendarOverride{date kind name fromTenant{code inherited}}
  ... on ValidationErrors{errors{path message code}}}}"""
REMOVE_DAY = """mutation($d:Date!,$t:String){removeCalendarDay(date:$d,tenantCode:$t){__typename
  ... on CalendarOverride{date} ... on ValidationErrors{errors{path code}}}}"""
PUBLISH = """mutation($i:PublishCalendarYearInput!){publishCalendarYear(input:$i){__typename
  ... on CalendarYear{year source holidays{date name} workdays{date name} fromTenant{code}}
  ... on ValidationErrors{errors{path message code}}}}"""
HOURS = """mutation($i:SetWorkingHoursInput!){setWorkingHours(input:$i){__typename
  ... on WorkingHoursChanged{tenantCode workingHours{periods{start end} fromTenant{code}}}
  ... on ValidationErrors{errors{path message code}}}}"""
CREATE_TENANT = """mutation($i:CreateTenantInput!){createTenant(input:$i){__typename
  ... on Tenant{code} ... on ValidationErrors{errors{path code}}}}"""
DAYS = """query($t:String,$f:Date!,$to:Date!){calendar(tenantCode:$t){tenantCode
  days(from:$f,to:$to){__typename ... on CalendarDays{days{date working source known name fromTenant{code inherited}}}
  ... on ValidationErrors{errors{path code}}}}}"""
DUE = """query($t:String,$s:DateTime!,$a:Float!,$u:DurationUnit!){calendar(tenantCode:$t){
  dueAt(start:$s,amount:$a,unit:$u){__typename ... on DueAt{at beyondKnownCalendar}
  ... on ValidationErrors{errors{path code}}}}}"""


def errors(result: dict[str, Any]) -> list[tuple[str, str]]:
    return [(".".join(e["path"]), e["code"]) for e in result.get("errors", [])]


async def new_sub_centre(api: Api, parent: str) -> str:
    code = unique("cal-")
    created = await api.gql(CREATE_TENANT, {"i": {"parentCode": parent, "code": code, "name": "日历测试分中心",
                                                  "kind": "SUB_CENTRE"}}, as_user="js.admin")
    assert created["createTenant"]["__typename"] == "Tenant", created
    return code


async def day(api: Api, user: str, tenant: str | None, date: str) -> dict[str, Any] | None:
    data = await api.gql(DAYS, {"t": tenant, "f": date, "to": date}, as_user=user)
    if data["calendar"] is None:
        return None
    days: dict[str, Any] = data["calendar"]["days"]["days"][0]
    return days


@pytest.fixture
async def cleanup(api: Api) -> AsyncIterator[list[tuple[str, str, str]]]:
    """(user, tenant, date) of overrides to remove after the test, whatever happened."""
    entries: list[tuple[str, str, str]] = []
    yield entries
    for user, tenant, date in entries:
        await api.gql(REMOVE_DAY, {"d": date, "t": tenant}, as_user=user)


async def test_a_province_override_reaches_a_county_and_a_county_override_wins_there(
        api: Api, cleanup: list[tuple[str, str, str]]) -> None:
    date = "2039-05-10"  # a Tuesday
    cleanup += [("js.admin", "320000", date), ("xw.admin", "320102", date)]
    made = await api.gql(SET_DAY, {"i": {"tenantCode": "320000", "date": date, "kind": "HOLIDAY",
                                         "name": "省级地方节日"}}, as_user="js.admin")
    assert made["setCalendarDay"] == {"__typename": "CalendarOverride", "date": date, "kind": "HOLIDAY",
                                      "name": "省级地方节日", "fromTenant": {"code": "320000", "inherited": False}}
    # 南京's admin does not have the province in its scope: the entry comes through the inherited path.
    for tenant in ("320100", "320102"):
        seen = await day(api, "nj.admin", tenant, date)
        assert seen is not None
        assert (seen["working"], seen["source"], seen["name"]) == (False, "OVERRIDE", "省级地方节日")
        assert seen["fromTenant"] == {"code": "320000", "inherited": True}
    county = await api.gql(SET_DAY, {"i": {"date": date, "kind": "WORKDAY", "name": "玄武照常上班"}},
                           as_user="xw.admin")
    assert county["setCalendarDay"]["fromTenant"] == {"code": "320102", "inherited": False}
    xuanwu = await day(api, "nj.admin", "320102", date)
    assert xuanwu is not None and xuanwu["working"] and xuanwu["fromTenant"]["code"] == "320102"
    nanjing = await day(api, "nj.admin", "320100", date)
    assert nanjing is not None and not nanjing["working"]  # the county's entry stays in the county
    listed = await api.gql('{ calendar(tenantCode:"320102") { overrides { date name fromTenant { code } } } }',
                           as_user="xw.admin")
    assert {"date": date, "name": "玄武照常上班", "fromTenant": {"code": "320102"}} in listed["calendar"]["overrides"]
    assert date not in [o["date"] for o in listed["calendar"]["overrides"] if o["fromTenant"]["code"] == "320000"]


async def test_due_at_reads_inherited_overrides_even_in_a_one_tenant_job_scope(
        api: Api, cleanup: list[tuple[str, str, str]]) -> None:
    date = "2039-06-14"  # a Tuesday
    cleanup.append(("js.admin", "320000", date))
    await api.gql(SET_DAY, {"i": {"tenantCode": "320000", "date": date, "kind": "HOLIDAY", "name": "x"}},
                  as_user="js.admin")
    async with runtime.database().system_transaction() as session:
        xuanwu = await tenancy_repo.system_tenant_by_code(session, "320102")
        assert xuanwu is not None
        xuanwu_id = xuanwu.tenant_id
    start = dt.datetime(2039, 6, 13, 10, 0, tzinfo=TIMEZONE)  # a Monday
    async with runtime.database().transaction(TenantScope.single(xuanwu_id)) as session:
        due = await due_at(session, TenantScope.single(xuanwu_id), xuanwu_id, start, 1, DurationUnit.WORKING_DAYS)
        hours = await due_at(session, TenantScope.single(xuanwu_id), xuanwu_id, start, 8,
                             DurationUnit.WORKING_HOURS)
    assert due.at.astimezone(TIMEZONE) == dt.datetime(2039, 6, 15, 17, 30, tzinfo=TIMEZONE)
    assert due.beyond_known_calendar  # 2039: nobody has published it
    assert hours.at.astimezone(TIMEZONE) == dt.datetime(2039, 6, 15, 11, 0, tzinfo=TIMEZONE)  # 6 h on Monday


async def test_a_sibling_city_sees_nothing_of_nanjings_override_and_cannot_touch_it(
        api: Api, cleanup: list[tuple[str, str, str]]) -> None:
    date = "2039-07-12"  # a Tuesday
    cleanup.append(("nj.admin", "320100", date))
    made = await api.gql(SET_DAY, {"i": {"date": date, "kind": "HOLIDAY", "name": "南京地方假日"}}, as_user="nj.admin")
    assert made["setCalendarDay"]["__typename"] == "CalendarOverride"
    suzhou = await day(api, "sz.admin", None, date)
    assert suzhou is not None and suzhou["working"] and suzhou["source"] == "WEEKDAY_RULE"
    assert await day(api, "sz.admin", "320100", date) is None  # not found
    changed = await api.gql(SET_DAY, {"i": {"tenantCode": "320100", "date": date, "kind": "WORKDAY", "name": "x"}},
                            as_user="sz.admin")
    assert errors(changed["setCalendarDay"]) == [("tenantCode", "not_found")]
    removed = await api.gql(REMOVE_DAY, {"d": date, "t": "320100"}, as_user="sz.admin")
    assert errors(removed["removeCalendarDay"]) == [("tenantCode", "not_found")]
    warnings = await api.gql('{ calendarWarnings(tenantCode:"320100") { year } }', as_user="sz.admin")
    assert warnings["calendarWarnings"] == []
    still = await day(api, "nj.admin", None, date)
    assert still is not None and not still["working"]


async def test_a_tenant_entered_2027_schedule_is_used_and_without_it_dates_are_flagged(api: Api) -> None:
    code = await new_sub_centre(api, "320100")
    start = "2026-12-30T02:00:00+00:00"  # Wednesday 10:00 in Beijing
    before = await api.gql(DUE, {"t": code, "s": start, "a": 3, "u": "WORKING_DAYS"}, as_user="nj.admin")
    assert before["calendar"]["dueAt"] == {"__typename": "DueAt", "at": "2027-01-04T09:30:00+00:00",
                                           "beyondKnownCalendar": True}
    warned = await api.gql('query($t:String){ calendarWarnings(tenantCode:$t, asOf:"2026-11-22") '
                           '{ year severity tenantCode } }', {"t": code}, as_user="nj.admin")
    assert warned["calendarWarnings"] == [{"year": 2027, "severity": "warning", "tenantCode": code}]
    published = await api.gql(PUBLISH, {"i": {
        "tenantCode": code, "year": 2027, "source": "国务院办公厅关于2027年部分节假日安排的通知（测试）",
        "holidays": [{"date": "2027-01-01", "name": "元旦"}, {"date": "2027-01-02", "name": "元旦"},
                     {"date": "2027-01-03", "name": "元旦"}],
        "workdays": [{"date": "2027-01-09", "name": "元旦调休"}]}}, as_user="nj.admin")
    assert published["publishCalendarYear"]["__typename"] == "CalendarYear", published
    assert published["publishCalendarYear"]["workdays"] == [{"date": "2027-01-09", "name": "元旦调休"}]
    after = await api.gql(DUE, {"t": code, "s": start, "a": 3, "u": "WORKING_DAYS"}, as_user="nj.admin")
    assert after["calendar"]["dueAt"] == {"__typename": "DueAt", "at": "2027-01-05T09:30:00+00:00",
                                          "beyondKnownCalendar": False}
    saturday = await day(api, "nj.admin", code, "2027-01-09")
    assert saturday is not None and saturday["working"] and saturday["source"] == "SCHEDULE"
    warned = await api.gql('query($t:String){ calendarWarnings(tenantCode:$t, asOf:"2026-11-22") { year } }',
                           {"t": code}, as_user="nj.admin")
    assert warned["calendarWarnings"] == []
    parent = await api.gql(DUE, {"t": "320100", "s": start, "a": 3, "u": "WORKING_DAYS"}, as_user="nj.admin")
    assert parent["calendar"]["dueAt"]["beyondKnownCalendar"] is True  # the parent does not inherit upwards
    years = await api.gql('query($t:String){ calendar(tenantCode:$t){ knownYears years { year fromTenant {code} } } }',
                          {"t": code}, as_user="nj.admin")
    assert 2027 in years["calendar"]["knownYears"] and 2026 in years["calendar"]["knownYears"]
    assert years["calendar"]["years"] == [{"year": 2027, "fromTenant": {"code": code}}]


async def test_the_current_year_unpublished_is_a_critical_warning(api: Api) -> None:
    data = await api.gql('{ calendarWarnings(asOf:"2027-02-01") { year severity message } }', as_user="sz.admin")
    assert [(w["year"], w["severity"]) for w in data["calendarWarnings"]] == [(2027, "critical")]
    assert "2027" in data["calendarWarnings"][0]["message"]
    early = await api.gql('{ calendarWarnings(asOf:"2026-03-01") { year } }', as_user="sz.admin")
    assert early["calendarWarnings"] == []


async def test_working_hours_are_inherited_and_change_deadlines(api: Api) -> None:
    parent = await new_sub_centre(api, "320100")
    default = await api.gql('query($t:String){ calendar(tenantCode:$t){ workingHours { periods { start end } '
                            'fromTenant { code } } } }', {"t": parent}, as_user="nj.admin")
    assert default["calendar"]["workingHours"] == {
        "periods": [{"start": "09:00", "end": "12:00"}, {"start": "13:30", "end": "17:30"}], "fromTenant": None}
    changed = await api.gql(HOURS, {"i": {"tenantCode": parent, "periods": [
        {"start": "08:30", "end": "12:00"}, {"start": "14:00", "end": "18:00"}]}}, as_user="nj.admin")
    assert changed["setWorkingHours"]["workingHours"]["fromTenant"] == {"code": parent}
    due = await api.gql(DUE, {"t": parent, "s": "2025-03-03T02:00:00+00:00", "a": 1, "u": "WORKING_DAYS"},
                        as_user="nj.admin")
    assert due["calendar"]["dueAt"]["at"] == "2025-03-04T10:00:00+00:00"  # 18:00 in Beijing
    natural = await api.gql(DUE, {"t": parent, "s": "2025-03-03T02:00:00+00:00", "a": 30, "u": "NATURAL_HOURS"},
                            as_user="nj.admin")
    assert natural["calendar"]["dueAt"]["at"] == "2025-03-04T08:00:00+00:00"
    cleared = await api.gql(HOURS, {"i": {"tenantCode": parent, "periods": []}}, as_user="nj.admin")
    assert cleared["setWorkingHours"]["workingHours"]["fromTenant"] is None


async def test_bad_calendar_input_returns_field_errors_and_changes_nothing(api: Api, owner_engine: Any) -> None:
    bad_year = await api.gql(PUBLISH, {"i": {
        "year": 2028, "source": " ",
        "holidays": [{"date": "2027-12-31", "name": "元旦"}, {"date": "2028-01-01", "name": ""},
                     {"date": "2028-01-01", "name": "元旦"}],
        "workdays": [{"date": "2028-01-05", "name": "调休"}]}}, as_user="nj.admin")
    assert set(errors(bad_year["publishCalendarYear"])) == {
        ("source", "required"), ("holidays.0.date", "wrong_year"), ("holidays.1.name", "required"),
        ("holidays.2.date", "duplicate"), ("workdays.0.date", "not_a_weekend")}
    hours = await api.gql(HOURS, {"i": {"periods": [{"start": "9:00", "end": "12:00"},
                                                     {"start": "13:30", "end": "13:00"},
                                                     {"start": "11:00", "end": "25:00"}]}}, as_user="nj.admin")
    assert set(errors(hours["setWorkingHours"])) == {
        ("periods.0.start", "invalid_format"), ("periods.1.end", "invalid_range"), ("periods.2.end", "invalid_format")}
    overlap = await api.gql(HOURS, {"i": {"periods": [{"start": "09:00", "end": "12:00"},
                                                       {"start": "11:00", "end": "17:00"}]}}, as_user="nj.admin")
    assert errors(overlap["setWorkingHours"]) == [("periods.1.start", "overlap")]
    day_input = await api.gql(SET_DAY, {"i": {"date": "1999-01-04", "kind": "HOLIDAY", "name": ""}},
                              as_user="nj.admin")
    assert set(errors(day_input["setCalendarDay"])) == {("date", "out_of_range"), ("name", "required")}
    span = await api.gql(DAYS, {"t": None, "f": "2025-01-01", "to": "2026-06-01"}, as_user="nj.admin")
    assert errors(span["calendar"]["days"]) == [("to", "too_long")]
    fraction = await api.gql(DUE, {"t": None, "s": "2025-03-03T02:00:00+00:00", "a": 1.5, "u": "WORKING_DAYS"},
                             as_user="nj.admin")
    assert errors(fraction["calendar"]["dueAt"]) == [("amount", "invalid")]
    with owner_engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM calendar_years WHERE year = 2028")).scalar()
    assert count == 0


async def test_only_admins_change_the_calendar_and_every_change_is_audited(
        api: Api, owner_engine: Any, cleanup: list[tuple[str, str, str]]) -> None:
    refused = await api.gql(SET_DAY, {"i": {"date": "2039-08-09", "kind": "HOLIDAY", "name": "x"}},
                            as_user="nj.agent")
    assert errors(refused["setCalendarDay"]) == [("", "forbidden")]
    readable = await day(api, "nj.agent", None, "2025-01-26")
    assert readable is not None and readable["working"] and readable["name"] == "春节"  # agents read it
    cleanup.append(("nj.admin", "320100", "2039-08-09"))
    await api.gql(SET_DAY, {"i": {"date": "2039-08-09", "kind": "HOLIDAY", "name": "审计测试"}}, as_user="nj.admin")
    removed = await api.gql(REMOVE_DAY, {"d": "2039-08-09"}, as_user="nj.admin")
    assert removed["removeCalendarDay"] == {"__typename": "CalendarOverride", "date": "2039-08-09"}
    with owner_engine.connect() as conn:
        actions = conn.execute(text(
            "SELECT action, actor_label FROM audit_log WHERE object_type = 'calendar_override' "
            "AND '审计测试' IN (after->>'name', before->>'name') ORDER BY occurred_at")).all()
    assert [tuple(a) for a in actions] == [("calendar.override_set", "nj.admin"),
                                           ("calendar.override_removed", "nj.admin")]
    missing = await api.gql(REMOVE_DAY, {"d": "2039-08-09"}, as_user="nj.admin")
    assert errors(missing["removeCalendarDay"]) == [("date", "not_found")]



async def test_anonymous_callers_are_asked_to_sign_in(api: Api) -> None:
    for field in ("calendar { tenantCode }", "calendarWarnings { year }", "deadlinePolicy { tenantCode }"):
        body = await api.raw("{ " + field + " }")
        assert body["errors"][0]["message"] == "sign in first"
        assert body["errors"][0]["extensions"]["code"] == "unauthenticated"
