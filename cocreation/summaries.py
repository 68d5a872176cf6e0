"""Figures and rankings of the co-creation shown on its pages and in the report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, QuerySet
from django.utils.translation import gettext as _

from .models import Process, Proposal


def ranked_proposals(process: Process) -> QuerySet[Proposal]:
    """Retained proposals, highest mean score first (then most scores, then oldest)."""
    return (
        Proposal.objects.filter(process=process, status=Proposal.Status.RETAINED)
        .annotate(mean_score=Avg("scores__value"), score_count=Count("scores"))
        .select_related("theme", "institution", "draft_commitment")
        .order_by("-mean_score", "-score_count", "submitted_at")
    )


@dataclass(frozen=True)
class Statistics:
    process: Process
    participants: int
    online_senders: int
    event_participants: int
    events: int
    proposals: int
    by_source: list[tuple[str, int]]
    by_status: list[tuple[str, int]]
    by_theme: list[tuple[str, int]]
    by_institution: list[tuple[str, int]]
    mean_response_days: Decimal | None
    answered: int


def statistics(process: Process) -> Statistics:
    """Counts over the published proposals (the public sees what it can read); participants are
    the distinct online senders plus the people counted at the events."""
    proposals = list(
        Proposal.objects.published().filter(process=process).select_related("theme", "institution")
    )
    events = list(process.events.all())
    event_participants = sum(event.participants for event in events)
    online = {
        p.sender_hash or f"proposal-{p.pk}" for p in proposals if p.source == Proposal.Source.ONLINE
    }
    sources = Counter(p.get_source_display() for p in proposals)
    statuses = Counter(p.get_status_display() for p in proposals)
    themes = Counter(p.theme.title if p.theme else _("No theme") for p in proposals)
    institutions = Counter(
        p.institution.name if p.institution else _("Not classified yet") for p in proposals
    )
    delays = [
        (p.responded_at - p.submitted_at).total_seconds() / 86400
        for p in proposals
        if p.responded_at
    ]
    mean = Decimal(sum(delays) / len(delays)).quantize(Decimal("0.1")) if delays else None
    return Statistics(
        process=process,
        participants=len(online) + event_participants,
        online_senders=len(online),
        event_participants=event_participants,
        events=len(events),
        proposals=len(proposals),
        by_source=sources.most_common(),
        by_status=statuses.most_common(),
        by_theme=themes.most_common(),
        by_institution=institutions.most_common(),
        mean_response_days=mean,
        answered=len(delays),
    )
