"""What the co-creation tells people: a proposal's author (only with an address and consent) when
it is published, answered, retained, merged or turned into a draft commitment, in the language
they proposed in; the followers of the plan when the consultation opens."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cocreation import services
from cocreation.models import Proposal
from commitments.models import Plan
from notifications.models import Follow, Notification, OptOut
from tests.cocreation.factories import ProposalFactory, form_data
from tests.factories import InstitutionFactory, PlanFactory

pytestmark = pytest.mark.django_db

AUTHOR = "salma@example.org"


@pytest.fixture
def co_created(process):
    """The conftest's co-creation, for a draft plan, with its title in three languages."""
    process.plan = PlanFactory(
        code="PAN-NEXT",
        title_fr="Plan d'action 2024-2027",
        status=Plan.Status.CO_CREATION,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2027, 12, 31),
    )
    process.title_en = "Co-creation of the third plan"
    process.title_ar = "الإنشاء المشترك للخطة الثالثة"
    process.save()
    return process


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run ``call``, then what it left for the end of the transaction (the sending task)."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def propose(process, language="en", **values):
    data = {
        "title": "Publier les budgets communaux",
        "description": "En données ouvertes, chaque trimestre.",
        "theme": process.themes.first(),
        "institution": None,
        "author_name": "Salma",
        "author_organisation": "",
        "email": AUTHOR,
        "consent": True,
    } | values
    return services.proposal_submit(process=process, sender="192.0.2.1", language=language, **data)


def published(process, on_commit, **values):
    proposal = propose(process, **values)
    on_commit(services.proposal_moderate, proposal=proposal, publish=True, user=None)
    return proposal


def screen(proposal, status, response="The committee keeps it.", merged_into=None, language="en"):
    """The secretariat screens ``proposal``, writing the response in ``language``."""
    with translation.override(language):
        return services.proposal_screen(
            proposal=proposal,
            status=status,
            response=response,
            user=None,
            institution=proposal.institution,
            theme=proposal.theme,
            merged_into=merged_into,
        )


def sent_to(address):
    return [message for message in mail.outbox if address in message.to]


def page_of(proposal, language="en"):
    return f"http://127.0.0.1:8000/{language}/co-creation/proposals/{proposal.pk}/"


# The form records the language ---------------------------------------------------------------


def test_the_form_records_the_language_of_the_page_the_proposal_came_from(client, co_created):
    with translation.override("ar"):
        url = reverse("cocreation:propose", args=[co_created.pk])
    assert url.startswith("/ar/")
    response = client.post(url, form_data(co_created))
    assert response.status_code == 302
    assert Proposal.objects.get().language == "ar"


# Published -----------------------------------------------------------------------------------


def test_a_published_proposal_tells_its_author_once_with_a_link_to_its_page(co_created, on_commit):
    proposal = published(co_created, on_commit)
    [message] = mail.outbox
    assert message.to == [AUTHOR]
    assert message.subject == "Your proposal “Publier les budgets communaux” is published"
    assert "Co-creation of the third plan" in message.body
    assert page_of(proposal) in message.body
    assert message.extra_headers["Content-Language"] == "en"
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<http://127.0.0.1:8000/en/notifications/unsubscribe/"
    )
    # Published again (after an error of the secretariat, say): nobody is told twice.
    on_commit(services.proposal_moderate, proposal=proposal, publish=False, user=None)
    on_commit(services.proposal_moderate, proposal=proposal, publish=True, user=None)
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(kind="proposal_published").count() == 1


def test_an_arabic_proposal_gets_its_mails_in_arabic(co_created, on_commit):
    proposal = published(co_created, on_commit, language="ar")
    [message] = mail.outbox
    assert message.extra_headers["Content-Language"] == "ar"
    assert "الإنشاء المشترك للخطة الثالثة" in message.body
    assert page_of(proposal, "ar") in message.body


def test_a_proposal_without_a_language_is_written_to_in_the_default_one(
    co_created, on_commit, settings
):
    proposal = published(co_created, on_commit, language="")
    [message] = mail.outbox
    assert message.extra_headers["Content-Language"] == settings.LANGUAGE_CODE == "fr"
    assert page_of(proposal, "fr") in message.body


def test_a_refused_proposal_tells_nobody(co_created, on_commit):
    """Refused proposals are mostly abuse: the address given may not be the sender's, so the
    portal writes to it only once a person has found the proposal genuine and published it."""
    proposal = propose(co_created)
    on_commit(services.proposal_moderate, proposal=proposal, publish=False, user=None)
    assert not mail.outbox and not Notification.objects.exists()
    on_commit(services.proposal_moderate, proposal=proposal, publish=True, user=None)
    assert len(sent_to(AUTHOR)) == 1


# Screened ------------------------------------------------------------------------------------


def test_a_reasoned_response_tells_the_author_once_per_status(co_created, on_commit):
    proposal = published(co_created, on_commit)
    mail.outbox.clear()
    on_commit(screen, proposal, "out_of_scope", "Already done by the 2021 plan.")
    [message] = mail.outbox
    assert message.subject == "Your proposal “Publier les budgets communaux” has a response"
    assert "Already done by the 2021 plan." in message.body and "Out of scope" in message.body
    assert page_of(proposal) in message.body
    # The response corrected, the proposal classified again: the same event, nobody told.
    on_commit(screen, proposal, "out_of_scope", "Already done by the 2021-2023 plan.")
    assert len(mail.outbox) == 1
    # A new status is news.
    on_commit(screen, proposal, "retained", "The committee keeps it for the next plan.")
    assert len(mail.outbox) == 2
    retained = mail.outbox[1]
    assert retained.subject == "Your proposal “Publier les budgets communaux” is retained"
    assert "The committee keeps it for the next plan." in retained.body
    assert "Co-creation of the third plan" in retained.body


def test_the_mail_quotes_the_response_just_written_not_an_older_translation(co_created, on_commit):
    proposal = published(co_created, on_commit)
    on_commit(screen, proposal, "received", "We are studying it.")
    mail.outbox.clear()
    on_commit(screen, proposal, "retained", "Retenue : le comité la garde.", language="fr")
    [message] = mail.outbox
    assert message.extra_headers["Content-Language"] == "en"
    assert "Retenue : le comité la garde." in message.body
    assert "We are studying it." not in message.body


def test_a_merged_proposal_tells_its_author_which_proposal_it_joined(co_created, on_commit):
    target = ProposalFactory(process=co_created, title="Budgets ouverts des communes")
    proposal = published(co_created, on_commit)
    mail.outbox.clear()
    on_commit(screen, proposal, "merged", "The same idea as another proposal.", merged_into=target)
    [message] = sent_to(AUTHOR)
    assert message.subject == "Your proposal “Publier les budgets communaux” is merged"
    assert "“Budgets ouverts des communes”" in message.body
    assert "The same idea as another proposal." in message.body
    assert page_of(proposal) in message.body


def test_screening_an_unpublished_proposal_tells_nobody(co_created, on_commit):
    """Its page is not public yet: a link to it would be a 404 for its author."""
    proposal = propose(co_created)
    on_commit(screen, proposal, "retained")
    assert not mail.outbox and not Notification.objects.exists()


def test_a_response_to_an_arabic_proposal_is_in_arabic(co_created, on_commit):
    proposal = published(co_created, on_commit, language="ar")
    mail.outbox.clear()
    on_commit(screen, proposal, "retained", "اقتراح محتفظ به", language="ar")
    [message] = mail.outbox
    assert message.extra_headers["Content-Language"] == "ar"
    assert "الإنشاء المشترك للخطة الثالثة" in message.body and "اقتراح محتفظ به" in message.body


# Draft commitments ---------------------------------------------------------------------------


def test_a_proposal_turned_into_a_draft_commitment_tells_its_author(co_created, on_commit):
    proposal = published(co_created, on_commit)
    silent = ProposalFactory(process=co_created, email="offline@example.org", consent=False)
    for each in (proposal, silent):
        screen(each, "retained")
    mail.outbox.clear()
    commitment = on_commit(
        services.draft_commitment_create,
        proposals=[proposal, silent],
        title="Open municipal budgets",
        lead_institution=InstitutionFactory(),
        user=None,
    )
    [message] = mail.outbox
    assert message.to == [AUTHOR]
    assert message.subject == (
        "Your proposal “Publier les budgets communaux” became a draft commitment"
    )
    assert f"draft commitment {commitment.number} “Open municipal budgets”" in message.body
    assert "Plan d'action 2024-2027" in message.body
    assert page_of(proposal) in message.body
    assert not sent_to("offline@example.org")


# Without an address or consent ---------------------------------------------------------------


@pytest.mark.parametrize(
    "author",
    [
        {"source": Proposal.Source.ONLINE, "consent": True, "email": ""},
        {"source": Proposal.Source.EVENT, "consent": False, "email": "atelier@example.org"},
    ],
    ids=["no address", "no consent"],
)
def test_an_author_without_address_or_consent_is_never_written_to(co_created, on_commit, author):
    proposal = ProposalFactory(process=co_created, moderation=Proposal.Moderation.PENDING, **author)
    other = ProposalFactory(process=co_created)
    on_commit(services.proposal_moderate, proposal=proposal, publish=True, user=None)
    on_commit(screen, proposal, "merged", merged_into=other)
    on_commit(screen, proposal, "out_of_scope")
    on_commit(screen, proposal, "retained")
    on_commit(
        services.draft_commitment_create,
        proposals=[proposal],
        title="Budgets",
        lead_institution=InstitutionFactory(),
        user=None,
    )
    assert not mail.outbox and not Notification.objects.exists()


# Stopping ------------------------------------------------------------------------------------


def test_the_mail_link_stops_that_kind_for_the_address(co_created, on_commit):
    first = published(co_created, on_commit)
    [message] = mail.outbox
    link = re.search(
        r"<http://127.0.0.1:8000(/en/notifications/unsubscribe/[^>]+)>",
        message.extra_headers["List-Unsubscribe"],
    ).group(1)
    assert Client().post(link, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert OptOut.objects.filter(email=AUTHOR, kind="proposal_published").exists()

    published(co_created, on_commit, title="Un registre des marchés publics")
    assert len(mail.outbox) == 1  # that kind is stopped
    on_commit(screen, first, "retained")
    assert len(mail.outbox) == 2  # another kind still comes


# The consultation opens ----------------------------------------------------------------------


def test_opening_the_consultation_tells_the_followers_of_the_plan_once_a_day(co_created, on_commit):
    co_created.accepts_proposals = False
    co_created.save()
    Follow.objects.create(
        email="suiveur@example.org",
        language="ar",
        target=co_created.plan,
        confirmed_at="2026-01-01T00:00Z",
    )
    Follow.objects.create(email="pending@example.org", language="en", target=co_created.plan)
    on_commit(services.process_proposals_open, process=co_created, accepts_proposals=True)
    [message] = mail.outbox
    assert message.to == ["suiveur@example.org"]
    assert message.extra_headers["Content-Language"] == "ar"
    assert "الإنشاء المشترك للخطة الثالثة" in message.body
    assert f"http://127.0.0.1:8000/ar/co-creation/{co_created.pk}/propose/" in message.body
    # Closed and opened again the same day: nothing more; closing tells nobody.
    on_commit(services.process_proposals_open, process=co_created, accepts_proposals=False)
    on_commit(services.process_proposals_open, process=co_created, accepts_proposals=True)
    assert len(mail.outbox) == 1


def test_the_consultation_opening_in_english_reads_in_english(co_created, on_commit):
    co_created.accepts_proposals = False
    co_created.save()
    Follow.objects.create(
        email="follower@example.org",
        language="en",
        target=co_created.plan,
        confirmed_at="2026-01-01T00:00Z",
    )
    on_commit(services.process_proposals_open, process=co_created, accepts_proposals=True)
    [message] = mail.outbox
    assert message.subject == "Co-creation of the third plan: proposals are open"
    assert "Plan d'action 2024-2027" in message.body


@pytest.mark.parametrize(
    "change", [{"plan": None}, {"is_public": False}], ids=["no plan", "private"]
)
def test_a_consultation_without_a_plan_or_not_public_tells_nobody(co_created, on_commit, change):
    Follow.objects.create(
        email="suiveur@example.org",
        language="fr",
        target=co_created.plan,
        confirmed_at="2026-01-01T00:00Z",
    )
    for field, value in change.items():
        setattr(co_created, field, value)
    co_created.accepts_proposals = False
    co_created.save()
    on_commit(services.process_proposals_open, process=co_created, accepts_proposals=True)
    assert not mail.outbox and not Notification.objects.exists()
