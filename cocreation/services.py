"""Writes of the co-creation; the pages call these. The figures are in ``summaries.py``."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.models import Commitment, Institution, Plan
from limits.services import sender_hash, sender_take
from meetings.events import timeline_event
from ogp_portal.i18n import CONTENT_LANGUAGES, set_translated

from . import notices
from .models import Event, InstitutionAnswer, Process, Proposal, Score, Theme

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class TooManyProposals(Exception):
    """The same sender sent too many proposals within the hour."""


# Submitting and moderating ----------------------------------------------------------------------


@transaction.atomic
def proposal_submit(
    *,
    process: Process,
    title: str,
    description: str,
    theme: Theme | None,
    institution: Institution | None,
    author_name: str,
    author_organisation: str,
    email: str,
    consent: bool,
    sender: str,
    language: str = "",
    now: datetime.datetime | None = None,
) -> Proposal:
    """A proposal sent through the public form; it waits for moderation before it is shown.
    ``language`` is the page's: the author's e-mails are written in it."""
    now = now or timezone.now()
    if not process.accepts_proposals:
        raise ValidationError(_("This co-creation does not accept proposals any more."))
    if not consent:
        raise ValidationError({"consent": _("Your consent is needed to record the proposal.")})
    if theme is not None and theme.process_id != process.pk:
        raise ValidationError({"theme": _("Choose one of this co-creation's themes.")})
    limit = settings.COCREATION_PROPOSALS_PER_HOUR
    if not sender_take(scope="cocreation.proposal", sender=sender, limit=limit, now=now):
        raise TooManyProposals
    proposal = Proposal(
        process=process,
        source=Proposal.Source.ONLINE,
        title=title.strip(),
        description=description.strip(),
        theme=theme,
        institution=institution,
        author_name=author_name.strip(),
        author_organisation=author_organisation.strip(),
        email=email.strip(),
        consent=consent,
        language=language if language in CONTENT_LANGUAGES else "",
        submitted_at=now,
        sender_hash=sender_hash(sender),
    )
    proposal.full_clean()
    proposal.save()
    return proposal


def proposal_record(
    *,
    process: Process,
    title: str,
    description: str,
    source: str,
    event: Event | None = None,
    theme: Theme | None = None,
    institution: Institution | None = None,
    author_name: str = "",
    author_organisation: str = "",
    user: User | None = None,
) -> Proposal:
    """A proposal entered by the secretariat (collected at an event, by mail): published."""
    if source == Proposal.Source.EVENT and event is None:
        raise ValidationError({"event": _("Say at which event the proposal was collected.")})
    if event is not None and event.process_id != process.pk:
        raise ValidationError({"event": _("Choose one of this co-creation's events.")})
    proposal = Proposal(
        process=process,
        source=source,
        event=event,
        title=title,
        description=description,
        theme=theme,
        institution=institution,
        author_name=author_name,
        author_organisation=author_organisation,
        moderation=Proposal.Moderation.PUBLISHED,
        moderated_at=timezone.now(),
        moderated_by=user,
    )
    proposal.full_clean()
    proposal.save()
    return proposal


@transaction.atomic
def process_proposals_open(*, process: Process, accepts_proposals: bool) -> Process:
    """Open or close the online proposal form; the co-creation timeline's step tied to that
    event is done today, and opening tells the followers of the plan."""
    changed = process.accepts_proposals != accepts_proposals
    process.accepts_proposals = accepts_proposals
    process.save(update_fields=["accepts_proposals"])
    if changed:
        key = "opened" if accepts_proposals else "closed"
        timeline_event(
            f"cocreation:proposals_{key}",
            plan=process.plan,
            timelines=[process.timeline] if process.timeline else [],
            on=timezone.localdate(),
        )
    if changed and accepts_proposals:
        notices.consultation_opened(process)
    return process


def event_save(*, event: Event, process: Process, title: str) -> Event:
    """A co-creation event of ``process``, new or changed; the title in the active language."""
    event.process = process
    set_translated(event, "title", title)
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def proposal_moderate(*, proposal: Proposal, publish: bool, user: User | None) -> Proposal:
    """Publish a proposal, telling its author, or refuse it, telling nobody: a refused proposal
    is mostly abuse, and its address may not be the sender's."""
    proposal.moderation = Proposal.Moderation.PUBLISHED if publish else Proposal.Moderation.REJECTED
    proposal.moderated_at, proposal.moderated_by = timezone.now(), user
    proposal.save(update_fields=["moderation", "moderated_at", "moderated_by"])
    if publish:
        notices.proposal_published(proposal)
    return proposal


# Screening ---------------------------------------------------------------------------------------


@transaction.atomic
def proposal_screen(
    *,
    proposal: Proposal,
    status: str,
    response: str,
    user: User | None,
    institution: Institution | None = None,
    theme: Theme | None = None,
    merged_into: Proposal | None = None,
) -> Proposal:
    """Classify a proposal and give it a status with the reasoned response OGP asks for."""
    errors: dict[str, str] = {}
    if status != Proposal.Status.RECEIVED and not response.strip():
        errors["response"] = _("Give the reasons: every proposal gets a reasoned response.")
    if status == Proposal.Status.MERGED:
        if merged_into is None:
            errors["merged_into"] = _("Say which proposal it is merged into.")
        elif merged_into.pk == proposal.pk or merged_into.process_id != proposal.process_id:
            errors["merged_into"] = _("Choose another proposal of the same co-creation.")
        elif merged_into.status == Proposal.Status.MERGED:
            errors["merged_into"] = _("That proposal is itself merged; choose the one it joined.")
    if theme is not None and theme.process_id != proposal.process_id:
        errors["theme"] = _("Choose one of this co-creation's themes.")
    if errors:
        raise ValidationError(errors)
    changed_response = response.strip() != (proposal.response or "").strip()
    proposal.status = status
    proposal.merged_into = merged_into if status == Proposal.Status.MERGED else None
    proposal.institution, proposal.theme = institution, theme
    set_translated(proposal, "response", response.strip())
    if changed_response and response.strip():
        proposal.responded_at, proposal.responded_by = timezone.now(), user
    proposal.full_clean()
    proposal.save()
    notices.proposal_screened(proposal)
    return proposal


def institution_answer_save(
    *, proposal: Proposal, institution: Institution, user: User | None, text: str
) -> InstitutionAnswer:
    if not text.strip():
        raise ValidationError({"text": _("Write the institution's answer.")})
    answer, _created = InstitutionAnswer.objects.update_or_create(
        proposal=proposal,
        institution=institution,
        defaults={"text": text.strip(), "author": user, "answered_at": timezone.now()},
    )
    return answer


# Prioritisation ---------------------------------------------------------------------------------


def score_set(*, proposal: Proposal, user: User, value: int) -> Score:
    if proposal.status != Proposal.Status.RETAINED:
        raise ValidationError(_("Only retained proposals are prioritised."))
    if not 1 <= value <= 5:
        raise ValidationError({"value": _("Give a score from 1 to 5.")})
    score, _created = Score.objects.update_or_create(
        proposal=proposal, user=user, defaults={"value": value, "scored_at": timezone.now()}
    )
    return score


# Draft commitments and adoption -----------------------------------------------------------------


@transaction.atomic
def draft_commitment_create(
    *,
    proposals: list[Proposal],
    title: str,
    lead_institution: Institution | None,
    user: User | None,
) -> Commitment:
    """A draft commitment sheet of the co-created plan, from one or more retained proposals."""
    if not proposals:
        raise ValidationError(_("Choose at least one retained proposal."))
    process = proposals[0].process
    plan = process.plan
    errors: dict[str, str] = {}
    if plan is None or plan.status != Plan.Status.CO_CREATION:
        errors["__all__"] = _("The co-creation needs a draft plan (in co-creation) first.")
    if any(p.status != Proposal.Status.RETAINED or p.process_id != process.pk for p in proposals):
        errors["proposals"] = _("Only retained proposals of this co-creation become commitments.")
    if lead_institution is None:
        errors["lead_institution"] = _("Say which institution leads the commitment.")
    if not title.strip():
        errors["title"] = _("Give the commitment a title.")
    if errors:
        raise ValidationError(errors)
    assert plan is not None and lead_institution is not None
    number = (plan.commitments.aggregate(last=Max("number"))["last"] or 0) + 1
    commitment = Commitment(
        plan=plan,
        number=number,
        lead_institution=lead_institution,
        status=Commitment.Status.DRAFT,
        challenge="\n\n".join(f"{p.title}\n{p.description}" for p in proposals),
    )
    set_translated(commitment, "title", title.strip())
    commitment.full_clean()
    commitment.save()
    Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(draft_commitment=commitment)
    notices.proposals_drafted(proposals, commitment)
    return commitment


@transaction.atomic
def plan_adopt(*, plan: Plan, user: User | None) -> int:
    """Adopt a co-created plan: its draft commitments become commitments; returns how many."""
    if plan.status != Plan.Status.CO_CREATION:
        raise ValidationError(_("Only a plan in co-creation can be adopted."))
    drafts = plan.commitments.filter(status=Commitment.Status.DRAFT)
    if not drafts.exists():
        raise ValidationError(_("The plan has no draft commitment to adopt."))
    count = 0
    for commitment in drafts:
        commitment.status = Commitment.Status.ACTIVE
        commitment.start_date = commitment.start_date or plan.start_date
        commitment.end_date = commitment.end_date or plan.end_date
        commitment.save()
        count += 1
    plan.status = Plan.Status.IMPLEMENTATION
    plan.save()
    timeline_event("cocreation:plan_adopted", plan=plan, on=timezone.localdate())
    return count


# Public figures ---------------------------------------------------------------------------------
