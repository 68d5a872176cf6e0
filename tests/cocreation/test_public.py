"""Co-creation for everyone: the proposal form (moderated, rate-limited, with a robot trap), the
published proposals with their reasoned responses, the figures, the committee's priority
scores and the institutions' answers."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from cocreation import services
from cocreation.models import InstitutionAnswer, Proposal, Score
from commitments.models import FocalPointAssignment, Plan
from tests.cocreation.factories import (
    EventFactory,
    InstitutionAnswerFactory,
    ProcessFactory,
    ThemeFactory,
    form_data,
    propose_url,
)
from tests.factories import InstitutionFactory, PlanFactory, UserFactory
from tests.meetings.factories import CommitteeMemberFactory

# Pages in English (the /en/ prefix), so that the tests read the interface's own words.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def ministry(focal_point):
    """The institution ``focal_point`` answers for."""
    institution = InstitutionFactory(code="MIN", name_fr="Ministère de la Transition numérique")
    FocalPointAssignment.objects.filter(user=focal_point).update(institution=institution)
    return institution


@pytest.fixture
def agency(other_focal_point):
    """The institution ``other_focal_point`` answers for."""
    institution = InstitutionFactory(code="AGENCE", name_fr="Agence de développement")
    FocalPointAssignment.objects.filter(user=other_focal_point).update(institution=institution)
    return institution


def published(process, title="Registre des bénéficiaires effectifs", **fields):
    proposal = services.proposal_record(
        process=process, title=title, description="Une proposition.", source="other", **fields
    )
    return proposal


def screened(proposal, status, response="Retenue par le comité.", **fields):
    return services.proposal_screen(
        proposal=proposal,
        status=status,
        response=response,
        user=None,
        institution=fields.get("institution", proposal.institution),
        theme=fields.get("theme", proposal.theme),
        merged_into=fields.get("merged_into"),
    )


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# The proposal form ------------------------------------------------------------------------------


def test_a_proposal_is_saved_pending_and_shown_only_once_published(client, process, secretariat):
    response = client.post(propose_url(process), form_data(process))
    assert response.status_code == 302
    assert response["Location"] == f"{propose_url(process)}?sent=1"
    proposal = Proposal.objects.get()
    assert proposal.moderation == Proposal.Moderation.PENDING
    assert (proposal.source, proposal.consent, proposal.author_name) == ("online", True, "Salma")
    assert proposal.sender_hash and "127.0.0.1" not in proposal.sender_hash

    thanks = client.get(response["Location"])
    assert "awaits moderation" in thanks.content.decode()
    assert "reasoned response" in thanks.content.decode()
    assert client.get(proposal.get_absolute_url()).status_code == 404
    assert proposal.title not in client.get(process.get_absolute_url()).content.decode()

    services.proposal_moderate(proposal=proposal, publish=True, user=secretariat)
    page = client.get(process.get_absolute_url()).content.decode()
    assert proposal.title in page
    detail = client.get(proposal.get_absolute_url()).content.decode()
    assert "Association Transparence" in detail
    assert "salma@example.org" not in detail  # the e-mail is never published


def test_the_form_lists_the_process_themes_and_every_institution(client, process, ministry):
    other = ProcessFactory(title_fr="Autre", accepts_proposals=True)
    ThemeFactory(process=other, title_fr="Thème d'un autre processus")
    page = client.get(propose_url(process)).content.decode()
    assert "Participation citoyenne" in page and "Thème d&#x27;un autre processus" not in page
    assert ministry.name in page
    assert 'name="website"' in page and 'tabindex="-1"' in page and 'aria-hidden="true"' in page


def test_errors_are_shown_next_to_the_fields_and_the_input_is_kept(client, process):
    data = form_data(process, description="", email="pas-une-adresse")
    response = client.post(propose_url(process), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"description", "email"}
    page = response.content.decode()
    assert 'value="Publier les budgets communaux"' in page
    assert 'value="Association Transparence"' in page
    assert not Proposal.objects.exists()


def test_the_error_summary_comes_first_and_links_each_field(client, process):
    data = form_data(process, description="", email="pas-une-adresse")
    page = client.post(propose_url(process), data).content.decode()
    summary = re.search(r'<div class="form-errors error-summary".*?</ul>', page, re.S).group()
    assert 'tabindex="-1"' in summary and "There is a problem" in summary
    assert 'href="#id_description"' in summary and 'href="#id_email"' in summary
    assert page.index("error-summary") < page.index('id="id_title"')
    assert 'id="id_description"' in page and 'id="id_email"' in page


def test_consent_is_required(client, process):
    data = form_data(process)
    del data["consent"]
    response = client.post(propose_url(process), data)
    assert response.status_code == 400
    assert "Your consent is needed" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_theme_of_another_process_is_refused(client, process):
    other = ProcessFactory(title_fr="Autre")
    theme = ThemeFactory(process=other, title_fr="Ailleurs")
    response = client.post(propose_url(process), form_data(process, theme=theme.pk))
    assert response.status_code == 400
    assert "theme" in response.context["form"].errors


def test_the_robot_trap_looks_like_a_success_and_saves_nothing(client, process):
    human = client.post(propose_url(process), form_data(process))
    Proposal.objects.all().delete()
    robot = client.post(propose_url(process), form_data(process, website="http://spam.example"))
    assert (robot.status_code, robot["Location"]) == (302, human["Location"])
    assert not Proposal.objects.exists()


def test_a_closed_process_refuses_proposals(client, process):
    process.accepts_proposals = False
    process.save()
    page = client.get(propose_url(process))
    assert page.status_code == 200
    assert "does not accept proposals" in page.content.decode()
    assert client.post(propose_url(process), form_data(process)).status_code == 403
    assert not Proposal.objects.exists()
    assert "Send a proposal" not in client.get(process.get_absolute_url()).content.decode()


def test_a_process_that_is_not_public_does_not_exist_for_the_public(client, process, secretariat):
    process.is_public = False
    process.save()
    for name in ("process", "propose", "statistics"):
        url = reverse(f"cocreation:{name}", args=[process.pk])
        assert client.get(url).status_code == 404
    assert process.title not in client.get(reverse("cocreation:index")).content.decode()
    client.force_login(secretariat)
    assert client.get(process.get_absolute_url()).status_code == 200


def test_wrong_methods_are_refused(client, process):
    assert client.put(propose_url(process)).status_code == 405
    assert client.post(reverse("cocreation:statistics", args=[process.pk])).status_code == 405
    assert client.post(process.get_absolute_url()).status_code == 405


# The published proposals ------------------------------------------------------------------------


def test_proposals_are_filtered_by_theme_institution_and_status(client, process, ministry):
    theme = process.themes.last()
    retained = screened(published(process, "Retenue", theme=theme), "retained")
    other = screened(published(process, "Hors champ", institution=ministry), "out_of_scope")
    url = process.get_absolute_url()

    def titles(query):
        response = client.get(url, query)
        assert response.status_code == 200
        return {p.title for p in response.context["page"]}

    assert titles({}) == {"Retenue", "Hors champ"}
    assert titles({"theme": theme.pk}) == {retained.title}
    assert titles({"institution": ministry.code}) == {other.title}
    assert titles({"status": "out_of_scope"}) == {other.title}
    page = client.get(url, {"status": "retained"}).content.decode()
    assert "Retenue par le comité." in page  # the reasoned response is shown


@pytest.mark.parametrize(
    "query",
    [
        {"theme": "abc"},
        {"theme": "999999"},
        {"institution": "NOPE"},
        {"status": "lost"},
        {"page": "x"},
        {"page": "-4"},
        {"theme": "²"},
    ],
)
def test_bad_filters_are_ignored_with_a_message(client, process, query):
    published(process)
    response = client.get(process.get_absolute_url(), query)
    assert response.status_code == 200
    assert len(response.context["page"]) == 1
    if set(query) - {"page"}:
        assert any("was ignored" in text for text in messages_of(response))


def test_a_nul_byte_in_a_filter_is_a_400(client, process):
    """Refused before the view, as on every page (ogp_portal.middleware)."""
    published(process)
    query = {"theme": "1\x00", "institution": "\x00", "status": "\x00"}
    assert client.get(process.get_absolute_url(), query).status_code == 400


def test_the_process_page_shows_events_and_timeline(client, process):
    EventFactory(
        process=process,
        title_fr="Atelier régional",
        date=datetime.date(2023, 6, 1),
        place="Fès",
        participants=40,
    )
    EventFactory(process=process, title_fr="Webinaire", date=datetime.date(2023, 6, 8), online=True)
    page = client.get(process.get_absolute_url()).content.decode()
    assert "Atelier régional" in page and "Fès" in page and "40" in page
    assert "Webinaire" in page and "Online" in page


def test_a_proposal_page_shows_the_response_answers_merge_and_draft_commitment(
    client, process, ministry
):
    plan = PlanFactory(code="PAN-NEXT", status=Plan.Status.CO_CREATION)
    process.plan = plan
    process.save()
    target = screened(published(process, "Cible", institution=ministry), "retained")
    merged = screened(
        published(process, "Doublon"), "merged", response="Même idée.", merged_into=target
    )
    InstitutionAnswerFactory(proposal=target, institution=ministry, text="Nous le ferons.")
    draft = services.draft_commitment_create(
        proposals=[target], title="Budgets ouverts", lead_institution=ministry, user=None
    )

    page = client.get(merged.get_absolute_url()).content.decode()
    assert "Même idée." in page and target.get_absolute_url() in page

    page = client.get(target.get_absolute_url()).content.decode()
    assert "Nous le ferons." in page and ministry.name in page
    assert "Doublon" in page  # merged into this one
    assert "draft commitment of" in page and "Budgets ouverts" in page
    assert reverse("commitments:detail", args=[plan.code, draft.number]) not in page

    services.plan_adopt(plan=plan, user=None)
    page = client.get(target.get_absolute_url()).content.decode()
    assert reverse("commitments:detail", args=[plan.code, draft.number]) in page


def test_a_pending_proposal_is_seen_only_by_the_secretariat(client, process, secretariat):
    client.post(propose_url(process), form_data(process))
    proposal = Proposal.objects.get()
    assert client.get(proposal.get_absolute_url()).status_code == 404
    client.force_login(secretariat)
    response = client.get(proposal.get_absolute_url())
    assert response.status_code == 200
    assert "Awaiting moderation" in response.content.decode()


# Figures ----------------------------------------------------------------------------------------


def test_statistics_change_when_a_proposal_is_published_and_screened(client, process, ministry):
    url = reverse("cocreation:statistics", args=[process.pk])
    EventFactory(
        process=process, title_fr="Atelier", date=datetime.date(2023, 6, 1), participants=30
    )
    client.post(propose_url(process), form_data(process))
    proposal = Proposal.objects.get()

    stats = client.get(url).context["stats"]
    assert (stats.proposals, stats.participants, stats.events) == (0, 30, 1)

    services.proposal_moderate(proposal=proposal, publish=True, user=None)
    stats = client.get(url).context["stats"]
    assert (stats.proposals, stats.participants, stats.answered) == (1, 31, 0)
    assert dict(stats.by_status) == {"Received": 1}

    screened(proposal, "retained", institution=ministry)
    response = client.get(url)
    stats = response.context["stats"]
    assert dict(stats.by_status) == {"Retained": 1}
    assert dict(stats.by_institution) == {ministry.name: 1}
    assert stats.answered == 1 and stats.mean_response_days is not None
    assert ministry.name in response.content.decode()


def test_demo_co_creations_are_listed_open_first_with_reported_totals(client, demo):
    response = client.get(reverse("cocreation:index"))
    processes = [process for process, _stats in response.context["rows"]]
    assert [p.accepts_proposals for p in processes] == [True, False]
    past = processes[1]
    for name in ("process", "statistics"):
        page = client.get(reverse(f"cocreation:{name}", args=[past.pk])).content.decode()
        assert "804" in page and "232" in page and "(reported)" in page
        assert "21 December 2020" in page  # the source line, in the page's language
    page = client.get(reverse("cocreation:process", args=[processes[0].pk])).content.decode()
    assert propose_url(processes[0]) in page
    assert client.get(f"/ar/co-creation/{past.pk}/statistics/").status_code == 200
    assert 'dir="rtl"' in client.get("/ar/co-creation/").content.decode()


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        ({}, False),
        ({"reported_events": 0}, True),
        ({"reported_participants": 804}, True),
        ({"reported_proposals": 0}, True),
    ],
)
def test_a_process_has_reported_figures_when_any_total_is_given_even_zero(figures, expected):
    assert ProcessFactory.build(**figures).has_reported_figures is expected


# Committee members: priorities ------------------------------------------------------------------


def test_committee_members_score_and_the_ranking_follows_the_mean(
    client, process, committee_member
):
    first = screened(published(process, "Première"), "retained")
    second = screened(published(process, "Seconde"), "retained")
    other_member = CommitteeMemberFactory(user=UserFactory(username="nadia")).user
    services.score_set(proposal=first, user=other_member, value=3)
    url = reverse("cocreation:priorities", args=[process.pk])
    client.force_login(committee_member)

    response = client.post(url, {"proposal": first.pk, "value": "1"})
    assert response.status_code == 302 and response["Location"].endswith(f"#proposal-{first.pk}")
    client.post(url, {"proposal": second.pk, "value": "4"})
    assert Score.objects.get(user=committee_member, proposal=first).value == 1

    response = client.get(url)
    rows = response.context["rows"]
    assert [proposal.title for proposal, _mine, _form in rows] == ["Seconde", "Première"]
    assert [(p.mean_score, p.score_count) for p, _m, _f in rows] == [(4, 1), (2, 2)]
    client.post(url, {"proposal": first.pk, "value": "5"})  # a member changes their mind
    rows = client.get(url).context["rows"]
    assert [proposal.title for proposal, _mine, _form in rows] == ["Première", "Seconde"]


def test_a_bad_score_is_refused_with_the_error_shown(client, process, committee_member):
    retained = screened(published(process, "Retenue"), "retained")
    received = published(process, "Reçue")
    url = reverse("cocreation:priorities", args=[process.pk])
    client.force_login(committee_member)
    response = client.post(url, {"proposal": retained.pk, "value": "9"})
    assert response.status_code == 400
    assert f"id_score_{retained.pk}_value_error" in response.content.decode()
    response = client.post(url, {"proposal": received.pk, "value": "3"})
    assert response.status_code == 400
    assert "only retained proposals" in response.content.decode()
    assert client.post(url, {"proposal": "abc", "value": "3"}).status_code == 400
    assert not Score.objects.exists()


def test_priorities_need_a_committee_member(client, process, focal_point):
    url = reverse("cocreation:priorities", args=[process.pk])
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(focal_point)
    assert client.get(url).status_code == 403
    assert client.post(url, {"proposal": "1", "value": "3"}).status_code == 403


# Institutions -----------------------------------------------------------------------------------


def test_an_institution_sees_the_proposals_addressed_to_it_and_answers(
    client, process, ministry, agency, focal_point
):
    ours = published(process, "Pour le ministère", institution=ministry)
    published(process, "Pour l'agence", institution=agency)
    client.post(propose_url(process), form_data(process, institution=ministry.pk))  # pending
    client.force_login(focal_point)
    url = reverse("cocreation:institution_proposals")

    response = client.get(url)
    assert [proposal for proposal, _answer, _form in response.context["rows"]] == [ours]

    answer_url = reverse("cocreation:answer", args=[ours.pk])
    response = client.post(answer_url, {"text": "Le ministère publiera les données."})
    assert response.status_code == 302
    answer = InstitutionAnswer.objects.get()
    assert (answer.institution, answer.author) == (ministry, focal_point)
    assert (
        "Le ministère publiera les données." in client.get(ours.get_absolute_url()).content.decode()
    )

    response = client.post(answer_url, {"text": "  "})
    assert response.status_code == 400
    assert "Write the institution" in response.content.decode()
    assert InstitutionAnswer.objects.get().text == "Le ministère publiera les données."


def test_another_institution_cannot_answer(client, process, ministry, agency, other_focal_point):
    ours = published(process, "Pour le ministère", institution=ministry)
    client.force_login(other_focal_point)
    response = client.post(reverse("cocreation:answer", args=[ours.pk]), {"text": "Non."})
    assert response.status_code == 403
    assert not InstitutionAnswer.objects.exists()
    rows = client.get(reverse("cocreation:institution_proposals")).context["rows"]
    assert rows == []


def test_institution_pages_need_an_institution(client, process, ministry):
    url = reverse("cocreation:institution_proposals")
    assert client.get(url).status_code == 302
    ours = published(process, "Pour le ministère", institution=ministry)
    assert (
        client.post(reverse("cocreation:answer", args=[ours.pk]), {"text": "x"}).status_code == 302
    )
    client.force_login(UserFactory(username="visiteur"))
    assert client.get(url).status_code == 403
    assert (
        client.post(reverse("cocreation:answer", args=[ours.pk]), {"text": "x"}).status_code == 403
    )


def test_the_secretariat_sees_every_institution_and_may_answer(
    client, process, ministry, agency, secretariat
):
    published(process, "Sans institution")
    ours = published(process, "Pour le ministère", institution=ministry)
    theirs = published(process, "Pour l'agence", institution=agency)
    client.force_login(secretariat)
    rows = client.get(reverse("cocreation:institution_proposals")).context["rows"]
    assert {proposal for proposal, _answer, _form in rows} == {ours, theirs}
    response = client.post(reverse("cocreation:answer", args=[theirs.pk]), {"text": "Transmis."})
    assert response.status_code == 302
    assert InstitutionAnswer.objects.get().institution == agency
