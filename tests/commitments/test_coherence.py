"""Status and progress are one fact on every road: not started ⇔ 0 %, completed ⇔ 100 %, blocked
needs a reason. The form, the API, the import, the admin and the secretariat's validation refuse
a contradiction with a field error; data recorded before the rule is listed, not changed."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from commitments.imports import plan_import
from commitments.models import Activity, Plan, ProgressUpdate
from commitments.services import progress_update_record, progress_update_validate
from commitments.spreadsheets import export_csv, read_table
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db

S = Activity.Status


@pytest.fixture
def activity(commitment):
    return ActivityFactory(commitment=commitment, title_fr="Atelier de lancement")


@pytest.mark.parametrize(
    ("progress", "status", "reason", "field"),
    [
        (30, S.NOT_STARTED, "", "status"),
        (0, S.IN_PROGRESS, "", "status"),
        (60, S.COMPLETED, "", "status"),
        (100, S.IN_PROGRESS, "", "status"),
        (100, S.BLOCKED, "Budget", "status"),
        (40, S.BLOCKED, "  ", "blocked_reason"),
    ],
)
def test_the_rule_names_the_field_at_fault(progress, status, reason, field):
    assert set(Activity.status_errors(progress, status, reason)) == {field}


@pytest.mark.parametrize(
    ("progress", "status", "reason"),
    [
        (0, S.NOT_STARTED, ""),
        (1, S.IN_PROGRESS, ""),
        (99, S.IN_PROGRESS, ""),
        (100, S.COMPLETED, ""),
        (0, S.BLOCKED, "Attente du budget"),
        (45, S.BLOCKED, "Attente du budget"),
    ],
)
def test_coherent_pairs_pass(progress, status, reason):
    assert Activity.status_errors(progress, status, reason) == {}


def test_the_service_refuses_a_contradiction_whatever_the_source(activity, secretariat):
    for source in ProgressUpdate.Source.values:
        with pytest.raises(ValidationError) as refused:
            progress_update_record(
                activity=activity,
                author=secretariat,
                new_progress=30,
                new_status=S.NOT_STARTED,
                source=source,
            )
        assert "status" in refused.value.message_dict
    assert not activity.updates.exists()


def test_the_form_refuses_a_status_that_contradicts_the_progress(focal_point, commitment):
    activity = ActivityFactory(commitment=commitment, progress=20, status=S.IN_PROGRESS)
    client = Client()
    client.force_login(focal_point)
    prefix = f"a{activity.pk}"
    data = {
        f"{prefix}-progress": 40,
        f"{prefix}-status": S.NOT_STARTED,
        f"{prefix}-version": activity.version,
        f"{prefix}-narrative": "Texte à garder",
    }
    response = client.post(f"/en/workspace/commitments/{commitment.pk}/update/", data)
    assert response.status_code == 200
    (form,) = response.context["forms"]
    assert "status" in form.errors
    html = response.content.decode()
    assert "Texte à garder" in html and "has not started is at 0" in html
    assert not activity.updates.exists()


def test_the_status_left_unchanged_follows_the_progress(focal_point, commitment, activity):
    client = Client()
    client.force_login(focal_point)
    prefix = f"a{activity.pk}"
    data = {
        f"{prefix}-progress": 30,
        f"{prefix}-status": S.NOT_STARTED,  # as the form showed it
        f"{prefix}-version": activity.version,
    }
    response = client.post(f"/en/workspace/commitments/{commitment.pk}/update/", data)
    assert response.status_code == 302
    assert activity.updates.get().new_status == S.IN_PROGRESS


def test_the_api_answers_400_with_the_field(focal_point, activity):
    api = APIClient()
    api.force_authenticate(focal_point)
    response = api.patch(
        f"/api/v1/activities/{activity.pk}/",
        {"progress": 30, "status": "not_started"},
        format="json",
    )
    assert response.status_code == 400
    assert "status" in response.json()
    response = api.post(
        "/api/v1/updates/",
        {"activity": activity.pk, "progress": 100, "status": "in_progress"},
        format="json",
    )
    assert response.status_code == 400 and "status" in response.json()
    assert not activity.updates.exists()


def test_the_import_refuses_85_percent_not_started(demo, secretariat):
    plan = Plan.objects.get(code="PAN-2021-2023")
    rows = read_table("plan.csv", export_csv(plan))
    line, row = next((n, r) for n, r in enumerate(rows, start=2) if r["progress"] == "0")
    row["progress"] = "85"
    row["activity_status"] = "not_started"
    report = plan_import(plan=plan, rows=rows, author=secretariat, dry_run=True)
    assert [(e.line, e.column) for e in report.errors] == [(line, "activity_status")]


def test_validation_refuses_an_update_recorded_before_the_rule(activity, secretariat, focal_point):
    update = ProgressUpdate.objects.create(
        activity=activity,
        author=focal_point,
        old_progress=0,
        new_progress=30,
        old_status=S.NOT_STARTED,
        new_status=S.NOT_STARTED,
        state=ProgressUpdate.State.SUBMITTED,
        source=ProgressUpdate.Source.WEB,
    )
    with pytest.raises(ValidationError):
        progress_update_validate(update=update, reviewer=secretariat)
    update.refresh_from_db()
    activity.refresh_from_db()
    assert (update.state, activity.progress) == (ProgressUpdate.State.SUBMITTED, 0)
    client = Client()
    client.force_login(secretariat)
    response = client.post(f"/en/secretariat/review/{update.pk}/validate/", follow=True)
    assert response.status_code == 200
    assert "not started" in response.content.decode()
    update.refresh_from_db()
    assert update.state == ProgressUpdate.State.SUBMITTED


def test_the_admin_refuses_a_contradicting_status(activity):
    from tests.factories import UserFactory

    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    url = f"/en/admin/commitments/activity/{activity.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: value for name, value in data.items() if value is not None}
    data |= {"commitment": activity.commitment_id, "status": S.COMPLETED, "_save": "Save"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    activity.refresh_from_db()
    assert activity.status == S.NOT_STARTED


def test_data_recorded_before_the_rule_is_listed_for_the_secretariat(
    activity, commitment, secretariat
):
    Activity.objects.filter(pk=activity.pk).update(progress=85, status=S.NOT_STARTED)
    fine = ActivityFactory(commitment=commitment, position=2, progress=0)
    assert list(Activity.objects.incoherent()) == [activity]
    client = Client()
    client.force_login(secretariat)
    html = client.get("/en/secretariat/").content.decode()
    assert 'data-testid="incoherent"' in html
    assert activity.title_fr in html
    activity.refresh_from_db()
    assert (activity.progress, activity.status) == (85, S.NOT_STARTED)
    assert fine.title not in html.split('data-testid="incoherent"')[1].split("</section>")[0]


def test_the_demo_keeps_the_rule(demo):
    assert list(Activity.objects.incoherent()) == []
