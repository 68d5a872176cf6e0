"""What the co-creation tells people (docs/notifications.md): a proposal's author, when they gave
an address and their consent, hears that it is published, answered, retained, merged or turned
into a draft commitment, in the language they proposed in; the followers of the draft plan hear
that the consultation opens. Each ``describe_*`` runs in the recipient's language."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commitments.models import Commitment
from notifications import kinds, services
from notifications.models import Notification
from ogp_portal.i18n import active_content_language

from .models import Process, Proposal

# The kind told for each screening status that comes with a reasoned response.
SCREENED_KINDS = {
    Proposal.Status.RECEIVED: "proposal_answered",
    Proposal.Status.OUT_OF_SCOPE: "proposal_answered",
    Proposal.Status.RETAINED: "proposal_retained",
    Proposal.Status.MERGED: "proposal_merged",
}


def author_address(proposal: Proposal) -> list[tuple[str, str]]:
    """The author's address and language, if they gave an address and their consent and the
    proposal's page is public (the mails link to it); else nobody."""
    if not (proposal.email and proposal.consent and proposal.is_public):
        return []
    if not proposal.process.is_public:
        return []
    return [(proposal.email, proposal.language or settings.LANGUAGE_CODE)]


# Telling ---------------------------------------------------------------------------------


def proposal_published(proposal: Proposal) -> None:
    _tell_author("proposal_published", proposal, key=f"proposal_published:{proposal.pk}")


def proposal_screened(proposal: Proposal) -> None:
    """A reasoned response with a status: each status is told once (a corrected response or a
    new classification is not news; a new status is). The mail quotes the response in the
    language it was just written in: a translation in another one may be an older text."""
    language = active_content_language()
    if not (getattr(proposal, f"response_{language}") or "").strip():
        return
    kind = SCREENED_KINDS[Proposal.Status(proposal.status)]
    data: dict[str, object] = {"status": proposal.status, "written_in": language}
    key = f"{kind}:{proposal.pk}:{proposal.status}"
    if kind == "proposal_merged":
        data["into"] = proposal.merged_into_id
        key = f"{kind}:{proposal.pk}:{proposal.merged_into_id}"
    _tell_author(kind, proposal, key=key, data=data)


def proposals_drafted(proposals: list[Proposal], commitment: Commitment) -> None:
    for proposal in proposals:
        _tell_author(
            "proposal_drafted",
            proposal,
            key=f"proposal_drafted:{proposal.pk}:{commitment.pk}",
            data={"commitment": commitment.pk},
        )


def consultation_opened(process: Process) -> None:
    """The online form opens: the followers of the draft plan hear it, once a day at most. A
    co-creation without a plan, or not public, has nobody to tell."""
    if process.plan is None or not process.is_public:
        return
    services.notify(
        "consultation_opened",
        key=f"consultation_opened:{process.pk}:{timezone.localdate().isoformat()}",
        target=process,
        followers_of=[process.plan],
    )


def _tell_author(
    kind: str, proposal: Proposal, *, key: str, data: dict[str, object] | None = None
) -> None:
    addresses = author_address(proposal)
    if addresses:
        services.notify(kind, key=key, target=proposal, addresses=addresses, data=data)


# Reading ---------------------------------------------------------------------------------


def _facts(notification: Notification) -> tuple[Proposal, dict[str, object]]:
    proposal: Proposal = notification.target  # type: ignore[assignment]
    written_in = notification.data.get("written_in")
    response = getattr(proposal, f"response_{written_in}", None) if written_in else None
    return proposal, {
        "title": proposal.title,
        "process": proposal.process.title,
        "response": response or proposal.response,
    }


def describe_published(notification: Notification) -> kinds.Message:
    proposal, facts = _facts(notification)
    return kinds.Message(
        subject=_("Your proposal “%(title)s” is published") % facts,
        body=_(
            "Your proposal to the co-creation “%(process)s” is now public on the portal. The "
            "secretariat will give it a reasoned response, which you will find on its page."
        )
        % facts,
        url=proposal.get_absolute_url(),
    )


def describe_answered(notification: Notification) -> kinds.Message:
    proposal, facts = _facts(notification)
    facts["status"] = Proposal.Status(notification.data.get("status", proposal.status)).label
    return kinds.Message(
        subject=_("Your proposal “%(title)s” has a response") % facts,
        body=_(
            "The secretariat of the co-creation “%(process)s” answered your proposal "
            "(%(status)s):\n%(response)s"
        )
        % facts,
        url=proposal.get_absolute_url(),
    )


def describe_retained(notification: Notification) -> kinds.Message:
    proposal, facts = _facts(notification)
    return kinds.Message(
        subject=_("Your proposal “%(title)s” is retained") % facts,
        body=_(
            "Your proposal to the co-creation “%(process)s” is retained for the next action "
            "plan, with this response:\n%(response)s"
        )
        % facts,
        url=proposal.get_absolute_url(),
    )


def describe_merged(notification: Notification) -> kinds.Message:
    proposal, facts = _facts(notification)
    into = Proposal.objects.filter(pk=notification.data.get("into")).first()
    into = into or proposal.merged_into
    facts["other"] = into.title if into else ""
    return kinds.Message(
        subject=_("Your proposal “%(title)s” is merged") % facts,
        body=_(
            "Your proposal to the co-creation “%(process)s” is merged into the proposal "
            "“%(other)s”, which carries the same idea, with this response:\n%(response)s"
        )
        % facts,
        url=proposal.get_absolute_url(),
    )


def describe_drafted(notification: Notification) -> kinds.Message:
    proposal, facts = _facts(notification)
    commitment = (
        Commitment.objects.select_related("plan")
        .filter(pk=notification.data.get("commitment"))
        .first()
    )
    commitment = commitment or proposal.draft_commitment
    facts["number"] = commitment.number if commitment else ""
    facts["commitment"] = commitment.title if commitment else ""
    facts["plan"] = commitment.plan.title if commitment else ""
    return kinds.Message(
        subject=_("Your proposal “%(title)s” became a draft commitment") % facts,
        body=_(
            "Your proposal to the co-creation “%(process)s” is now part of the draft commitment "
            "%(number)s “%(commitment)s” of the plan “%(plan)s”, which the institutions write "
            "in detail before the plan is adopted."
        )
        % facts,
        url=proposal.get_absolute_url(),
    )


def describe_consultation(notification: Notification) -> kinds.Message:
    process: Process = notification.target  # type: ignore[assignment]
    facts = {"process": process.title, "plan": process.plan.title if process.plan else ""}
    return kinds.Message(
        subject=_("%(process)s: proposals are open") % facts,
        body=_(
            "“%(process)s”, the co-creation of the plan “%(plan)s” that you follow, takes "
            "proposals: anyone can send theirs online, and each gets a reasoned response."
        )
        % facts,
        url=reverse("cocreation:propose", args=[process.pk]),
    )


def register() -> None:
    for kind in [
        kinds.Kind(
            "proposal_published",
            gettext_lazy("My co-creation proposal is published"),
            describe_published,
            audience="address",
        ),
        kinds.Kind(
            "proposal_answered",
            gettext_lazy("My co-creation proposal has a response"),
            describe_answered,
            audience="address",
        ),
        kinds.Kind(
            "proposal_retained",
            gettext_lazy("My co-creation proposal is retained"),
            describe_retained,
            audience="address",
        ),
        kinds.Kind(
            "proposal_merged",
            gettext_lazy("My co-creation proposal is merged into another"),
            describe_merged,
            audience="address",
        ),
        kinds.Kind(
            "proposal_drafted",
            gettext_lazy("My co-creation proposal became a draft commitment"),
            describe_drafted,
            audience="address",
        ),
        kinds.Kind(
            "consultation_opened",
            gettext_lazy("A co-creation I follow takes proposals"),
            describe_consultation,
            audience="address",
        ),
    ]:
        kinds.register(kind)
