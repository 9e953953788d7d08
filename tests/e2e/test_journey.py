"""The whole journey in a real browser: CfP → review → decisions → schedule → public program.

One live server (gunicorn, production settings, SQLite), one browser context per person; every
mail is read back from the outbox with ``podium mail``.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.e2e import (
    journey,
    journey_agenda,
    journey_assignment,
    journey_availability,
    journey_questions,
)
from tests.e2e.journey import CO_SPEAKER, ORGANIZER, REVIEWER, SPEAKER, VISITOR_ZONE, Plan
from tests.e2e.mailbox import Outbox

pytestmark = pytest.mark.e2e


def _avatar_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (31, 95, 168)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_journey_from_cfp_to_public_program(live_server, new_page, screenshot) -> None:  # type: ignore[no-untyped-def]
    plan = Plan()
    journey.create_organizer(live_server, ORGANIZER)
    organizer = new_page("organizer")
    journey.log_in(organizer, ORGANIZER)
    journey.organizer_creates_event(organizer, plan)
    journey.organizer_adds_room_and_session_type(organizer, plan)
    journey_questions.organizer_adds_questions(organizer, plan, screenshot)
    journey.organizer_invites_reviewer(organizer, plan, REVIEWER)
    journey.organizer_sets_anonymised_review(organizer, plan)
    journey_availability.organizer_requires_availability(organizer, plan)
    # Without an SMTP server every mail waits in the outbox; the administrator reads it there.
    outbox = Outbox(organizer.context.new_page())

    speaker = new_page("speaker")
    journey.sign_up_and_confirm(speaker, outbox, live_server, SPEAKER)
    journey.speaker_fills_profile(speaker, SPEAKER, _avatar_png())
    journey.speaker_finds_cfp(speaker, plan)
    journey.speaker_submits_proposal(speaker, plan, CO_SPEAKER, screenshot)
    journey_availability.speaker_paints_availability(speaker, plan)

    co_speaker = new_page("co-speaker")
    journey.sign_up_and_confirm(co_speaker, outbox, live_server, CO_SPEAKER)
    journey.co_speaker_accepts(co_speaker, outbox, plan, CO_SPEAKER)

    reviewer = new_page("reviewer")
    journey.sign_up_and_confirm(reviewer, outbox, live_server, REVIEWER)
    journey.accept_team_invitation(reviewer, outbox, plan, REVIEWER)
    journey_assignment.reviewer_bids(reviewer, plan, [SPEAKER, CO_SPEAKER], screenshot)
    journey_assignment.organizer_runs_automatic_assignment(organizer, plan, REVIEWER, screenshot)
    journey.reviewer_scores_anonymously(reviewer, plan, [SPEAKER, CO_SPEAKER], screenshot)

    journey.organizer_checks_ranking(organizer, plan, screenshot)
    journey.organizer_accepts_and_sends_decisions(organizer, plan)
    journey.speaker_confirms(speaker, outbox, plan, SPEAKER)

    journey.organizer_schedules_and_publishes(organizer, plan, screenshot)
    journey_availability.organizer_sees_availability(organizer, plan, SPEAKER, screenshot)
    journey_availability.speaker_sees_availability_locked(speaker, plan, screenshot)

    visitor = new_page("visitor", timezone_id=VISITOR_ZONE)
    journey.visitor_sees_program(visitor, plan, screenshot)
    journey_questions.visitor_reads_public_answer(visitor, SPEAKER.name)
    journey_agenda.visitor_stars_without_account(visitor, plan, screenshot)
    journey_agenda.speaker_stars_with_account(speaker, plan, screenshot)
