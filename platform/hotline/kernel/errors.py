"""Expected failures: raised by services, returned by the API as data a form can show."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldError:
    path: tuple[str, ...]
    message: str
    code: str


@dataclass
class DomainError(Exception):
    """A failure the user can act on. The edge rolls the transaction back and returns the errors."""

    errors: list[FieldError] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(f"{'.'.join(e.path) or '-'}: {e.message} ({e.code})" for e in self.errors)

    @classmethod
    def one(cls, path: tuple[str, ...] | list[str], message: str, code: str) -> DomainError:
        return cls([FieldError(tuple(path), message, code)])


def not_found(path: tuple[str, ...], what: str) -> DomainError:
    """Another tenant's object and a missing object look the same: not found."""
    return DomainError.one(path, f"{what} not found", "not_found")


def forbidden(message: str = "not allowed for your roles") -> DomainError:
    return DomainError.one((), message, "forbidden")


class Validator:
    """Collects field errors so that a form shows all of them at once."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def check(self, ok: bool, path: tuple[str, ...], message: str, code: str) -> bool:
        if not ok:
            self.errors.append(FieldError(path, message, code))
        return ok

    def raise_if_any(self) -> None:
        if self.errors:
            raise DomainError(list(self.errors))
