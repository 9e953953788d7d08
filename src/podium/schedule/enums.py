"""Fixed vocabularies of the schedule feature."""

from enum import StrEnum


class SlotKind(StrEnum):
    """What a slot holds: a session (a submission) or a non-session block with a title."""

    SESSION = "session"
    BREAK = "break"
    OTHER = "other"


class ConflictKind(StrEnum):
    """Problems the editor shows (and never silently allows) in the working schedule."""

    ROOM_OVERLAP = "room_overlap"
    SPEAKER_OVERLAP = "speaker_overlap"
    OUTSIDE_EVENT = "outside_event"
    NOT_CONFIRMED = "not_confirmed"
    # A session overlapping a break or other block in its room or in every room.
    IN_BLOCK = "in_block"
    # A session whose end is not after its start: it would vanish from grids and feeds.
    ZERO_LENGTH = "zero_length"
    OUTSIDE_AVAILABILITY = "outside_availability"


# Submission states whose slots are published; anything else scheduled is a conflict or
# (canceled, withdrawn) drops out of the next release.
PUBLISHABLE_STATES = frozenset({"accepted", "confirmed"})
