"""The consult request state machine: FHIR Task statuses and who may move a request where.

One table (`TRANSITIONS`) holds every legal move. `check_move` answers whether an actor may make a
move and raises `IllegalTransition` (with a plain reason) otherwise; it never silently does nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"
    REQUESTED = "requested"
    RECEIVED = "received"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    IN_PROGRESS = "in-progress"
    ON_HOLD = "on-hold"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    FAILED = "failed"
    ENTERED_IN_ERROR = "entered-in-error"


FINAL = frozenset(
    {Status.REJECTED, Status.COMPLETED, Status.CANCELLED, Status.FAILED, Status.ENTERED_IN_ERROR}
)
OPEN = frozenset(Status) - FINAL


class Actor(StrEnum):
    PATIENT = "patient"  # the case owner
    COMPANION = "companion"  # a companion who may ask questions (messages only; moves no status)
    REFERRER = "referrer"  # the referring doctor, with the patient's consent
    CONSULTANT = "consultant"  # the assigned consultant
    COORDINATOR = "coordinator"  # a coordinator of the request's program
    ADMIN = "admin"
    SYSTEM = "system"  # automatic moves


@dataclass(frozen=True)
class Move:
    source: frozenset[Status]
    target: Status
    actors: frozenset[Actor]
    needs_reason: bool = False
    note: str = ""


def _m(
    sources: set[Status] | frozenset[Status],
    target: Status,
    actors: set[Actor],
    *,
    reason: bool = False,
    note: str = "",
) -> Move:
    return Move(frozenset(sources), target, frozenset(actors), reason, note)


S, A = Status, Actor
TRANSITIONS: tuple[Move, ...] = (
    _m({S.DRAFT}, S.REQUESTED, {A.PATIENT, A.REFERRER}),
    _m({S.REQUESTED}, S.RECEIVED, {A.SYSTEM}, note="when the consultant or a coordinator first opens it"),
    _m({S.RECEIVED}, S.ACCEPTED, {A.CONSULTANT, A.COORDINATOR}),
    _m({S.RECEIVED}, S.REJECTED, {A.CONSULTANT, A.COORDINATOR}, reason=True),
    _m({S.ACCEPTED}, S.IN_PROGRESS, {A.CONSULTANT}),
    _m({S.IN_PROGRESS}, S.ON_HOLD, {A.CONSULTANT}, reason=True, note="with a message to the patient"),
    _m({S.ON_HOLD}, S.IN_PROGRESS, {A.CONSULTANT, A.SYSTEM}, note="automatic when the patient answers"),
    _m({S.IN_PROGRESS}, S.COMPLETED, {A.SYSTEM}, note="only by signing the opinion"),
    _m({S.REQUESTED, S.RECEIVED, S.ACCEPTED, S.IN_PROGRESS, S.ON_HOLD}, S.CANCELLED, {A.PATIENT}),
    _m(OPEN, S.FAILED, {A.SYSTEM, A.ADMIN}, reason=True),
    _m(frozenset(Status), S.ENTERED_IN_ERROR, {A.ADMIN}, reason=True),
)


class IllegalTransition(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def find_move(source: Status, target: Status) -> Move | None:
    return next((m for m in TRANSITIONS if source in m.source and m.target == target), None)


def check_move(source: Status | str, target: Status | str, actors: set[Actor], reason: str = "") -> Move:
    """The move from `source` to `target` if one of `actors` may make it; else IllegalTransition."""
    source, target = Status(source), Status(target)
    move = find_move(source, target)
    if move is None:
        raise IllegalTransition("illegal_transition", f"A request that is {source} cannot become {target}.")
    if not (move.actors & actors):
        allowed = ", ".join(sorted(move.actors))
        raise IllegalTransition(
            "not_allowed", f"Only {allowed} may move a request from {source} to {target}."
        )
    if move.needs_reason and not reason.strip():
        raise IllegalTransition("reason_required", f"Moving a request to {target} needs a reason.")
    return move


def allowed_targets(source: Status | str, actors: set[Actor]) -> list[Status]:
    source = Status(source)
    return [m.target for m in TRANSITIONS if source in m.source and m.actors & actors]
