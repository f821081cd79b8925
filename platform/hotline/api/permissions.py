"""Permission classes for fields that make no sense without a signed-in account.

Role checks live in the services (they depend on the target tenant); these only refuse anonymous callers
early, with an error the console turns into the sign-in page.
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from hotline.api.context import Info


class SignedIn(BasePermission):
    message = "sign in first"
    error_extensions = {"code": "unauthenticated"}  # noqa: RUF012  (Strawberry reads it from the class)

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return info.context.acting is not None
