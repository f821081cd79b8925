"""Time-ordered ids (UUID version 7), generated in Python.

Sequential integers would leak other tenants' activity through gaps and unique-key errors.
"""

from __future__ import annotations

import uuid

import uuid6


def new_id() -> uuid.UUID:
    return uuid.UUID(int=uuid6.uuid7().int)
