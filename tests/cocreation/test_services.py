"""Co-creation rules: consent and rate limit on the form, a reasoned response for every screened
proposal, merges, scores, draft commitments linked to their proposals, adoption, statistics."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from cocreation import services, summaries
from cocreation.models import Proposal
from commitments.models import Commitment, Plan
from tests.cocreation.factories import EventFactory, ProcessFactory, ThemeFactory
from tests.factories import InstitutionFactory, PlanFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def process():
    plan = PlanFactory(
        code="PAN-NEXT",
        status=Plan.Status.CO_CREATION,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2027, 12, 31),
    )
    process = ProcessFactory(title_fr="Co-création", plan=plan, accepts_proposals=True)
    ThemeFactory(process=process, title_fr="Transparence")
    return process


def submit(process, sender="192.0.2.1", **values):
    data = {
        "title": "Publier les budgets communaux",
        "description": "En données ouvertes, chaque trimestre.",
        "theme": process.themes.first(),
        "institution": None,
        "author_name": "",
        "author_organisation": "",
        "email": "",
        "consent": True,
    } | values
    return services.proposal_submit(process=process, sender=sender, **data)


def test_a_proposal_waits_for_moderation(process):
    proposal = submit(process)
    assert proposal.moderation == Proposal.Moderation.PENDING
    assert proposal.status == Proposal.Status.RECEIVED
    assert proposal.sender_hash and "192.0.2.1" not in proposal.sender_hash
    assert not Proposal.objects.published().exists()
    services.proposal_moderate(proposal=proposal, publish=True, user=None)
    assert list(Proposal.objects.published()) == [proposal]


def test_consent_and_an_open_process_are_needed(process):
    with pytest.raises(ValidationError) as error:
        submit(process, consent=False)
    assert "consent" in error.value.message_dict
    process.accepts_proposals = False
    process.save()
    with pytest.raises(ValidationError):
        submit(process)
    assert not Proposal.objects.exists()


def test_one_sender_is_limited_per_hour(process, settings):
    settings.COCREATION_PROPOSALS_PER_HOUR = 2
    now = timezone.now()
    submit(process, now=now)
    submit(process, now=now)
    with pytest.raises(services.TooManyProposals):
        submit(process, now=now)
    submit(process, sender="198.51.100.7", now=now)  # someone else
    submit(process, now=now + datetime.timedelta(hours=1, minutes=1))  # an hour later
    assert Proposal.objects.count() == 4


def test_screening_needs_a_reasoned_response(process):
    proposal = submit(process)
    with pytest.raises(ValidationError) as error:
        services.proposal_screen(proposal=proposal, status="retained", response=" ", user=None)
    assert "response" in error.value.message_dict
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.RECEIVED

    ministry = InstitutionFactory()
    services.proposal_screen(
        proposal=proposal,
        status="retained",
        response="Retenue : elle répond au principe de transparence.",
        user=None,
        institution=ministry,
        theme=process.themes.first(),
    )
    proposal.refresh_from_db()
    assert proposal.status == "retained" and proposal.institution == ministry
    assert proposal.response_fr.startswith("Retenue") and proposal.responded_at


def test_merging_points_to_another_proposal_of_the_same_process(process):
    first, second = submit(process), submit(process, title="Budgets communaux ouverts")
    reason = "Même idée que la proposition précédente."
    with pytest.raises(ValidationError) as error:
        services.proposal_screen(proposal=second, status="merged", response=reason, user=None)
    assert "merged_into" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.proposal_screen(
            proposal=second, status="merged", response=reason, user=None, merged_into=second
        )
    services.proposal_screen(
        proposal=second, status="merged", response=reason, user=None, merged_into=first
    )
    assert list(first.merged_proposals.all()) == [second]
    # Back to retained: the merge is forgotten.
    services.proposal_screen(proposal=second, status="retained", response="Retenue.", user=None)
    second.refresh_from_db()
    assert second.merged_into is None


def test_scores_rank_the_retained_proposals(process):
    low, high = submit(process, title="Basse"), submit(process, title="Haute")
    for proposal in (low, high):
        services.proposal_screen(proposal=proposal, status="retained", response="Ok.", user=None)
    alice, bob = UserFactory(), UserFactory()
    services.score_set(proposal=low, user=alice, value=2)
    services.score_set(proposal=high, user=alice, value=5)
    services.score_set(proposal=high, user=bob, value=4)
    services.score_set(proposal=high, user=bob, value=3)  # a member changes their score
    ranked = list(summaries.ranked_proposals(process))
    assert [p.title for p in ranked] == ["Haute", "Basse"]
    assert ranked[0].mean_score == 4 and ranked[0].score_count == 2
    with pytest.raises(ValidationError):
        services.score_set(proposal=high, user=alice, value=6)
    out = submit(process)
    with pytest.raises(ValidationError):
        services.score_set(proposal=out, user=alice, value=3)


def test_retained_proposals_become_a_draft_commitment_then_the_plan_is_adopted(process):
    proposal = submit(process)
    ministry = InstitutionFactory()
    with pytest.raises(ValidationError):  # not retained yet
        services.draft_commitment_create(
            proposals=[proposal], title="Budgets", lead_institution=ministry, user=None
        )
    services.proposal_screen(proposal=proposal, status="retained", response="Ok.", user=None)
    with pytest.raises(ValidationError) as error:
        services.draft_commitment_create(
            proposals=[proposal], title="Budgets", lead_institution=None, user=None
        )
    assert "lead_institution" in error.value.message_dict

    draft = services.draft_commitment_create(
        proposals=[proposal],
        title="Budgets communaux ouverts",
        lead_institution=ministry,
        user=None,
    )
    assert draft.status == Commitment.Status.DRAFT and draft.plan == process.plan
    assert draft.number == 1 and "Publier les budgets communaux" in draft.challenge
    assert list(draft.proposals.all()) == [proposal]

    assert services.plan_adopt(plan=process.plan, user=None) == 1
    draft.refresh_from_db()
    process.plan.refresh_from_db()
    assert draft.status == Commitment.Status.ACTIVE
    assert draft.start_date == datetime.date(2024, 1, 1)
    assert process.plan.status == Plan.Status.IMPLEMENTATION
    with pytest.raises(ValidationError):
        services.plan_adopt(plan=process.plan, user=None)


def test_statistics_count_published_proposals_and_participants(process):
    event = EventFactory(
        process=process, title_fr="Atelier de Rabat", date=datetime.date(2023, 6, 1),
        participants=40,
    )  # fmt: skip
    online = submit(process)
    submit(process, sender="198.51.100.7")  # still pending: not counted
    services.proposal_moderate(proposal=online, publish=True, user=None)
    services.proposal_record(
        process=process, title="Idée d'atelier", description="…", source="event", event=event
    )
    with translation.override("en"):
        stats = summaries.statistics(process)
    assert stats.proposals == 2 and stats.events == 1
    assert stats.participants == 41 and stats.online_senders == 1
    assert dict(stats.by_source) == {"Online form": 1, "Co-creation event": 1}
    assert dict(stats.by_status) == {"Received": 2}
    services.proposal_screen(
        proposal=online, status="out_of_scope", response="Hors champ.", user=None
    )
    with translation.override("en"):
        stats = summaries.statistics(process)
    assert stats.answered == 1
    assert dict(stats.by_status) == {"Received": 1, "Out of scope": 1}


def test_an_event_proposal_names_its_event(process):
    with pytest.raises(ValidationError) as error:
        services.proposal_record(process=process, title="x", description="y", source="event")
    assert "event" in error.value.message_dict
