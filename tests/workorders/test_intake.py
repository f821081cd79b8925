"""Intake (受理): recording, numbering, validation with field paths, direct answers, masking and reveal."""

from __future__ import annotations

from tests.conftest import Api
from tests.workorders.helpers import ANSWER, CREATE, GET, REVEAL, codes, create, ok, order_input, refused


async def test_agent_records_an_order_numbered_per_tenant_and_day(api: Api) -> None:
    order = await create(api)
    assert order["state"] == "PENDING_DISPATCH"
    code, day, seq = order["number"].split("-")
    assert code == "320100" and len(day) == 8 and len(seq) == 5
    assert order["category"]["path"] == "城乡建设 / 城市建设和市政管理 / 园林绿化环卫"
    assert order["location"]["divisionCode"] == "320102003"
    assert order["caller"] == {"name": "王先生", "phone": "138****5678", "confidential": False, "anonymised": False}
    kinds = {d["kind"] for d in order["deadlines"]}
    assert "progress_notice" in kinds

