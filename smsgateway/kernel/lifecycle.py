"""The one state-machine style of applications, enrolments and cases.

A `Lifecycle` says, for each status a row may be moved to, which statuses it may leave from.
A move is a guarded UPDATE (`… SET status = target WHERE id = :id AND status IN sources`), so
two requests racing to move one row cannot both win, whatever was read before; `rowcount`
says whether this one did.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import update
from sqlalchemy.orm import Session

from .errors import Refused

S = TypeVar("S", bound=enum.Enum)


def rows_changed(result: Any) -> int:
    """How many rows an UPDATE touched (DML gives a CursorResult)."""
    return int(result.rowcount)


@dataclass(frozen=True)
class Lifecycle(Generic[S]):
    """Which statuses each target status may be reached from."""

    moves: Mapping[S, frozenset[S]]

    @classmethod
    def of(cls, moves: Mapping[S, Iterable[S]]) -> Lifecycle[S]:
        return cls({target: frozenset(sources) for target, sources in moves.items()})

    def sources(self, target: S) -> frozenset[S]:
        """Where `target` may be reached from; Refused (422) when it is no move at all."""
        if target not in self.moves:
            raise Refused(f"nothing can be moved to {target.value}", field="status",
                          status=422)
        return self.moves[target]

    def targets(self, source: S) -> list[S]:
        """Where a row in `source` may go next."""
        return [target for target, sources in self.moves.items() if source in sources]

    def allows(self, source: S, target: S) -> bool:
        return source in self.moves.get(target, frozenset())

    def move(self, session: Session, model: Any, row_id: int, target: S,
             **values: Any) -> bool:
        """Move one row to `target` with a guarded update (and `values` with it); False when
        the row is not in a status `target` may be reached from (another request moved it)."""
        sources = self.sources(target)
        return bool(rows_changed(session.execute(
            update(model).where(model.id == row_id, model.status.in_(sources))
            .values(status=target, **values).execution_options(synchronize_session=False))))
