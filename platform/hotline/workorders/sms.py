"""The SMS provider interface and its embedded implementation.

The embedded provider sends nothing over the air: it records each message in `sent_messages` (the
number encrypted, as everywhere), which is what single-process mode and the tests read. A real
gateway is a plug-in: an object with the same `send` installed with `use_provider` at start-up.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel.ids import new_id
from hotline.workorders import pii
from hotline.workorders.models import SentMessage


@dataclass(frozen=True)
class Sms:
    tenant_id: uuid.UUID
    notice_id: uuid.UUID
    order_id: uuid.UUID | None
    kind: str
    phone: str
    body: str


class SmsProvider(Protocol):
    name: str

    async def send(self, session: AsyncSession, message: Sms) -> None: ...


class EmbeddedProvider:
    """Records the message as sent, in the job's transaction (so it is recorded once, or not at all)."""

    name = "embedded"

    async def send(self, session: AsyncSession, message: Sms) -> None:
        session.add(SentMessage(
            tenant_id=message.tenant_id, id=new_id(), notice_id=message.notice_id, order_id=message.order_id,
            provider=self.name, kind=message.kind, phone_cipher=pii.encrypt(message.tenant_id, message.phone),
            phone_masked=pii.mask(message.phone), body=message.body))


_provider: SmsProvider = EmbeddedProvider()


def provider() -> SmsProvider:
    return _provider


def use_provider(new: SmsProvider) -> None:
    global _provider
    _provider = new
