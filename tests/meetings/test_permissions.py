"""Who may use the secretariat's meeting pages: every one of them (read from the URLconf) × every
persona, with the exact status; the secretariat alone gets through, with the committee members
on the blocker register."""

from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import translation

from meetings import services
from meetings.models import Meeting
from tests.conftest import PERSONAS, SecretariatPage, client_for, secretariat_url_names
from tests.factories import ActivityFactory
from tests.meetings.factories import (
    AgendaItemFactory,
    DecisionFactory,
    MeetingFactory,
    MinutesVersionFactory,
)

pytestmark = pytest.mark.django_db


def meeting(o):
    return {"pk": o.meeting.pk}


def minutes_version(o):
    return {"pk": o.version.pk}


# Keyed by URL name, in the order of meetings/urls.py; a renamed URL is renamed here (the
# polled status partial, for one). With an empty POST, a page form is shown again unbound (200),
# a form of the meeting page is re-rendered with its errors (400), an action that cannot apply
# redirects with a message (302).
PAGES = {
    "blockers": SecretariatPage(lambda o: {}, {"GET": 200}, also=("committee_member",)),
    "create": SecretariatPage(lambda o: {}, {"GET": 200, "POST": 200}),
    "edit": SecretariatPage(meeting, {"GET": 200, "POST": 200}),
    "attendance": SecretariatPage(meeting, {"POST": 400}),
    "guest_add": SecretariatPage(meeting, {"POST": 400}),
    "agenda_add": SecretariatPage(meeting, {"POST": 400}),
    "agenda_add_activity": SecretariatPage(
        lambda o: {"pk": o.meeting.pk, "activity_pk": o.activity.pk}, {"POST": 302}
    ),
    "agenda_add_commitment": SecretariatPage(
        lambda o: {"pk": o.meeting.pk, "commitment_pk": o.activity.commitment_id}, {"POST": 302}
    ),
    "agenda_edit": SecretariatPage(lambda o: {"pk": o.agenda_item.pk}, {"GET": 200, "POST": 200}),
    "decision_add": SecretariatPage(meeting, {"POST": 400}),
    "decision_status": SecretariatPage(lambda o: {"pk": o.decision.pk}, {"POST": 302}),
    "hold": SecretariatPage(meeting, {"POST": 302}),
    "progress_change": SecretariatPage(meeting, {"POST": 400}),
    "remark": SecretariatPage(lambda o: {"pk": o.row.pk}, {"POST": 302}),
    "correction_add": SecretariatPage(meeting, {"POST": 400}),
    "minutes_generate": SecretariatPage(meeting, {"POST": 302}),
    "minutes_publish": SecretariatPage(meeting, {"POST": 302}),
    "minutes_version_hx": SecretariatPage(minutes_version, {"GET": 200}),
    "minutes_retry": SecretariatPage(minutes_version, {"POST": 302}),
    "minutes_version_download": SecretariatPage(minutes_version, {"GET": 200}),
}

URL_NAMES = secretariat_url_names("meetings")
CELLS = [
    (name, method)
    for name in URL_NAMES
    for method in (PAGES[name].secretariat if name in PAGES else ["GET"])
]


@pytest.fixture
def objects(commitment):
    """A held meeting on ``commitment``'s plan, with an agenda item, a decision, a row of its
    frozen table and a ready version of its minutes."""
    activity = ActivityFactory(commitment=commitment)
    held = MeetingFactory(plan=commitment.plan)
    agenda_item = AgendaItemFactory(meeting=held)
    decision = DecisionFactory(meeting=held)
    services.meeting_hold(meeting=held, user=None)
    return SimpleNamespace(
        meeting=held,
        activity=activity,
        agenda_item=agenda_item,
        decision=decision,
        row=held.snapshot.rows.first(),
        version=MinutesVersionFactory(meeting=held, ready=True),
    )


def request_page(client, name: str, method: str, objects):
    with translation.override("en"):
        url = reverse(f"meetings:{name}", kwargs=PAGES[name].kwargs(objects))
    response = getattr(client, method.lower())(url)
    response.close()
    return response


def test_every_secretariat_page_is_in_the_matrix():
    assert set(URL_NAMES) == set(PAGES), "add the new page to PAGES (or drop the removed one)"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "method"), CELLS)
def test_secretariat_pages_permission_matrix(request, objects, name, method, persona):
    assert name in PAGES, f"{name}: add it to PAGES"
    response = request_page(client_for(request, persona), name, method, objects)
    assert response.status_code == PAGES[name].expected(persona, method)
    if persona == "anonymous":
        assert response["Location"].startswith("/en/accounts/login/?next=/en/secretariat/")


@pytest.mark.parametrize("name", URL_NAMES)
def test_secretariat_pages_refuse_other_methods(secretariat, client, objects, name):
    client.force_login(secretariat)
    response = request_page(client, name, PAGES[name].refused_method, objects)
    assert response.status_code == 405


def test_a_refused_post_changes_nothing(focal_point, client, commitment):
    planned = MeetingFactory(plan=commitment.plan)
    client.force_login(focal_point)
    assert client.post(reverse("meetings:hold", args=[planned.pk])).status_code == 403
    assert Meeting.objects.get(pk=planned.pk).status == Meeting.Status.PLANNED
