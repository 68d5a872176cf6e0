"""The secretariat's co-creation pages: moderation, screening with a reasoned response, events,
proposals collected outside the portal, draft commitments and the adoption of the plan."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from cocreation.models import Proposal
from commitments.models import Commitment, Plan
from tests.cocreation.factories import (
    EventFactory,
    InstitutionAnswerFactory,
    ProcessFactory,
    ProposalFactory,
    ScoreFactory,
    ThemeFactory,
)
from tests.factories import CommitmentFactory, InstitutionFactory, PlanFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def process():
    plan = PlanFactory(code="PAN-2024-2027", status=Plan.Status.CO_CREATION)
    process = ProcessFactory(
        title_fr="Co-création du troisième plan", plan=plan, accepts_proposals=True
    )
    ThemeFactory(process=process, position=1, title_fr="Services publics")
    return process


@pytest.fixture
def event(process):
    return EventFactory(
        process=process,
        title_fr="Atelier de Rabat",
        date=datetime.date(2023, 6, 1),
        participants=40,
    )


@pytest.fixture
def manager(client: Client, secretariat) -> Client:
    client.force_login(secretariat)
    return client


def proposal(process, **fields) -> Proposal:
    """Published, collected outside the portal, unless ``fields`` say otherwise."""
    return ProposalFactory(
        process=process, **({"title": "Publier les budgets des communes"} | fields)
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def manage_urls(process, event, item) -> list[tuple[str, str]]:
    pages = [
        f"{process.pk}/",
        f"proposals/{item.pk}/",
        f"{process.pk}/events/",
        f"events/{event.pk}/",
        f"{process.pk}/proposals/new/",
        f"{process.pk}/drafts/",
    ]
    urls = [("get", f"/fr/secretariat/co-creation/{page}") for page in pages]
    return urls + [
        ("post", f"/fr/secretariat/co-creation/proposals/{item.pk}/moderate/"),
        ("post", f"/fr/secretariat/co-creation/{process.pk}/adopt/"),
    ]


def test_only_the_secretariat_reaches_the_manage_pages(
    client: Client, anonymous: Client, focal_point, process, event
):
    item = proposal(process, moderation=Proposal.Moderation.PENDING, source="other")
    client.force_login(focal_point)
    for method, url in manage_urls(process, event, item):
        assert getattr(client, method)(url).status_code == 403, url
        response = getattr(anonymous, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    item.refresh_from_db()
    assert item.moderation == Proposal.Moderation.PENDING


def test_the_secretariat_sees_every_manage_page(manager: Client, process, event):
    item = proposal(process, email="lina@example.org")
    for method, url in manage_urls(process, event, item):
        if method == "get":
            assert manager.get(url).status_code == 200, url
    screen = manager.get(f"/en/secretariat/co-creation/proposals/{item.pk}/").content.decode()
    assert "lina@example.org" in screen
    assert manager.get(f"/fr/secretariat/co-creation/{process.pk}/adopt/").status_code == 405


def test_moderation_publishes_or_sets_aside_a_pending_proposal(
    manager: Client, secretariat, process
):
    pending = proposal(
        process,
        source=Proposal.Source.ONLINE,
        consent=True,
        moderation=Proposal.Moderation.PENDING,
        email="lina@example.org",
    )
    page = manager.get(f"/en/secretariat/co-creation/{process.pk}/").content.decode()
    assert f'data-testid="publish-{pending.pk}"' in page and "lina@example.org" in page

    url = f"/en/secretariat/co-creation/proposals/{pending.pk}/moderate/"
    response = manager.post(url, {"publish": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"/en/secretariat/co-creation/{process.pk}/"
    pending.refresh_from_db()
    assert pending.moderation == Proposal.Moderation.PUBLISHED
    assert pending.moderated_by == secretariat
    assert any("is published" in text for text in messages_of(response))

    response = manager.post(url, {"publish": "0", "next": "https://evil.example/"})
    assert response["Location"] == f"/en/secretariat/co-creation/{process.pk}/"
    pending.refresh_from_db()
    assert pending.moderation == Proposal.Moderation.REJECTED
    assert manager.get(url).status_code == 405


def test_screening_needs_a_reasoned_response_and_saves_nothing_without_it(manager: Client, process):
    item = proposal(process)
    url = f"/en/secretariat/co-creation/proposals/{item.pk}/"
    response = manager.post(url, {"status": "retained", "response": "  "})
    assert response.status_code == 400
    page = response.content.decode()
    assert "every proposal gets a reasoned response" in page
    assert 'value="retained" selected' in page  # what was chosen is kept
    item.refresh_from_db()
    assert item.status == Proposal.Status.RECEIVED and item.responded_at is None


def test_a_merged_proposal_says_into_which(manager: Client, process):
    item = proposal(process)
    url = f"/en/secretariat/co-creation/proposals/{item.pk}/"
    response = manager.post(url, {"status": "merged", "response": "Même idée que la n° 1."})
    assert response.status_code == 400
    assert "Say which proposal it is merged into." in response.content.decode()
    assert "Même idée que la n° 1." in response.content.decode()

    target = proposal(process, title="Budgets ouverts")
    response = manager.post(
        url, {"status": "merged", "response": "Même idée.", "merged_into": target.pk}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.merged_into == target


def test_a_screened_proposal_shows_its_status_and_response_to_the_public(
    manager: Client, anonymous: Client, process
):
    item = proposal(process)
    theme = process.themes.get()
    ministry = InstitutionFactory(name_fr="Ministère de l'Intérieur")
    response = manager.post(
        f"/fr/secretariat/co-creation/proposals/{item.pk}/",
        {
            "status": "retained",
            "response": "Retenue : elle répond à l'axe des services publics.",
            "institution": ministry.pk,
            "theme": theme.pk,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/fr/secretariat/co-creation/{process.pk}/"
    item.refresh_from_db()
    assert item.status == Proposal.Status.RETAINED
    assert item.institution == ministry and item.theme == theme
    assert item.response_fr == "Retenue : elle répond à l'axe des services publics."
    assert item.responded_at is not None

    public = anonymous.get(f"/fr/co-creation/proposals/{item.pk}/")
    assert public.status_code == 200
    page = public.content.decode()
    assert "Retenue : elle répond à l&#x27;axe des services publics." in page
    assert (
        str(Proposal.Status.RETAINED.label)
        in anonymous.get(f"/en/co-creation/proposals/{item.pk}/").content.decode()
    )


def test_the_screening_list_filters_and_ignores_bad_values(manager: Client, process):
    kept = proposal(process, title="Retenue", status=Proposal.Status.RETAINED, response="Oui")
    proposal(process, title="Reçue")
    url = f"/en/secretariat/co-creation/{process.pk}/"
    page = manager.get(url, {"status": "retained"}).content.decode()
    assert f'data-proposal="{kept.pk}"' in page and "Reçue" not in page
    for bad in ({"status": "nope"}, {"theme": "x"}, {"institution": "99999"}, {"source": "<"}):
        response = manager.get(url, bad)
        assert response.status_code == 200
        assert "Reçue" in response.content.decode()


def test_the_online_form_is_switched_on_and_off(manager: Client, process):
    url = f"/en/secretariat/co-creation/{process.pk}/"
    response = manager.post(url, {"accepts_proposals": "0"})
    assert response.status_code == 302
    process.refresh_from_db()
    assert not process.accepts_proposals
    assert messages_of(response) == ["The online form is closed: no new proposal."]
    manager.post(url, {"accepts_proposals": "1"})
    process.refresh_from_db()
    assert process.accepts_proposals


def test_events_are_added_and_edited_with_errors_next_to_the_fields(manager: Client, process):
    url = f"/en/secretariat/co-creation/{process.pk}/events/"
    data = {"title": "Workshop in Fès", "date": "2023-07-10", "place": "Fès", "participants": -3}
    response = manager.post(url, data)
    assert response.status_code == 400
    assert "greater than or equal to 0" in response.content.decode()
    assert "Workshop in Fès" in response.content.decode()
    assert not process.events.exists()

    data["participants"] = 55
    assert manager.post(url, data).status_code == 302
    event = process.events.get()
    assert (event.title_en, event.title_fr, event.participants) == ("Workshop in Fès",) * 2 + (55,)

    edit = f"/fr/secretariat/co-creation/events/{event.pk}/"
    response = manager.post(edit, data | {"title": "Atelier de Fès", "online": "on"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title_fr, event.title_en, event.online) == (
        "Atelier de Fès",
        "Workshop in Fès",
        True,
    )


def test_a_proposal_collected_at_an_event_is_recorded_and_published(
    manager: Client, secretariat, process, event
):
    url = f"/en/secretariat/co-creation/{process.pk}/proposals/new/"
    data = {
        "source": "event",
        "title": "Un guichet unique des plaintes",
        "description": "Proposée par les associations de Rabat.",
        "author_name": "Association Tafra",
    }
    response = manager.post(url, data)
    assert response.status_code == 400
    assert "Say at which event the proposal was collected." in response.content.decode()
    assert not Proposal.objects.exists()

    response = manager.post(url, data | {"event": event.pk})
    assert response.status_code == 302
    assert response["Location"] == f"/en/secretariat/co-creation/{process.pk}/"
    item = Proposal.objects.get()
    assert item.event == event and item.source == Proposal.Source.EVENT
    assert item.moderation == Proposal.Moderation.PUBLISHED and item.moderated_by == secretariat


def test_a_retained_proposal_becomes_a_draft_commitment(manager: Client, process):
    retained = proposal(process, status=Proposal.Status.RETAINED, response="Retenue")
    ScoreFactory(proposal=retained, user=UserFactory(), value=4)
    ministry = InstitutionFactory()
    url = f"/en/secretariat/co-creation/{process.pk}/drafts/"
    assert f'data-proposal="{retained.pk}"' in manager.get(url).content.decode()

    response = manager.post(
        url, {"proposals": [retained.pk], "title": "Budgets ouverts", "lead_institution": ""}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Say which institution leads the commitment." in page
    assert "Budgets ouverts" in page and "checked" in page  # what was typed is kept

    response = manager.post(
        url,
        {"proposals": [retained.pk], "title": "Budgets ouverts", "lead_institution": ministry.pk},
    )
    assert response.status_code == 302
    commitment = Commitment.objects.get(plan=process.plan)
    assert commitment.status == Commitment.Status.DRAFT and commitment.title == "Budgets ouverts"
    retained.refresh_from_db()
    assert retained.draft_commitment == commitment
    assert "Budgets ouverts" in manager.get(url).content.decode()


def test_draft_errors_for_a_proposal_not_retained_or_a_process_without_plan(
    manager: Client, process
):
    received = proposal(process)
    ministry = InstitutionFactory()
    data = {"proposals": [received.pk], "title": "Titre", "lead_institution": ministry.pk}
    response = manager.post(f"/en/secretariat/co-creation/{process.pk}/drafts/", data)
    assert response.status_code == 400
    assert "Only retained proposals of this co-creation" in response.content.decode()

    orphan = ProcessFactory(title_fr="Sans plan")
    retained = proposal(orphan, status=Proposal.Status.RETAINED, response="Oui")
    data["proposals"] = [retained.pk]
    response = manager.post(f"/en/secretariat/co-creation/{orphan.pk}/drafts/", data)
    assert response.status_code == 400
    assert 'data-testid="non-field-errors"' in response.content.decode()
    assert "needs a draft plan" in response.content.decode()
    assert not Commitment.objects.exists()


def test_adopting_the_plan_turns_drafts_into_commitments_once(manager: Client, process):
    plan = process.plan
    for number in (1, 2):
        CommitmentFactory(plan=plan, number=number, status=Commitment.Status.DRAFT)
    url = f"/en/secretariat/co-creation/{process.pk}/adopt/"
    response = manager.post(url)
    assert response.status_code == 302
    assert messages_of(response) == ["2 commitments adopted: the plan is now in implementation."]
    plan.refresh_from_db()
    assert plan.status == Plan.Status.IMPLEMENTATION
    assert set(plan.commitments.values_list("status", flat=True)) == {"active"}

    response = manager.post(url)
    assert response.status_code == 302
    assert messages_of(response)[-1] == "Only a plan in co-creation can be adopted."


def test_the_screening_page_shows_answers_and_scores(manager: Client, process):
    item = proposal(process, status=Proposal.Status.RETAINED, response="Retenue")
    ministry = InstitutionFactory(name_fr="Ministère de la Justice")
    InstitutionAnswerFactory(proposal=item, institution=ministry, text="Faisable en 2025")
    ScoreFactory(proposal=item, user=UserFactory(), value=5)
    ScoreFactory(proposal=item, user=UserFactory(), value=4)
    page = manager.get(f"/en/secretariat/co-creation/proposals/{item.pk}/").content.decode()
    assert "Faisable en 2025" in page and "Ministère de la Justice" in page
    assert "Mean 4.5 / 5 from 2 scores." in page


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_the_manage_pages_render_in_every_language(manager: Client, process, event, language):
    item = proposal(process)
    for page in (f"{process.pk}/", f"proposals/{item.pk}/", f"{process.pk}/drafts/"):
        response = manager.get(f"/{language}/secretariat/co-creation/{page}")
        assert response.status_code == 200
        assert f'lang="{language}"' in response.content.decode()
