"""Public pages and API reads come from the cache until a write changes them: after each kind
of write the next request shows the change, a repeated request costs one query (the versions),
and a conditional GET is a 304."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from commitments.models import Commitment
from commitments.services import (
    UpdateEntry,
    focal_point_hand_over,
    progress_update_submit,
    progress_update_validate,
)
from portal import pagecache
from tests.factories import ActivityFactory, CommitmentFactory, UserFactory


@pytest.fixture(autouse=True)
def page_cache(settings):
    """The cache on (the suite keeps it off) and empty, for this test alone."""
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a write as if its transaction committed: its on_commit bumps run."""

    def run(write, *args, **kwargs):
        # The test's own set-up never commits: what it left pending is not this write's.
        pagecache.flush_discard()
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return run


@pytest.fixture
def activity(commitment):
    return ActivityFactory(commitment=commitment, title_fr="Atelier de lancement")


def page(commitment: Commitment, lang: str = "fr") -> str:
    with translation.override(lang):
        return reverse(
            "commitments:detail",
            kwargs={"code": commitment.plan.code, "number": commitment.number},
        )


def tokenless(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", html)


def api_list() -> str:
    return reverse("commitment-list")


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_a_repeated_anonymous_request_is_served_from_the_cache(activity, django_assert_num_queries):
    client = Client()
    first = text(client.get(page(activity.commitment)))
    with django_assert_num_queries(1):  # the versions; the page comes from the cache
        again = text(client.get(page(activity.commitment)))
    assert tokenless(again) == tokenless(first)


@pytest.mark.django_db
def test_the_api_list_is_served_from_the_cache(activity, django_assert_num_queries):
    client = Client()
    first = client.get(api_list()).json()
    with django_assert_num_queries(1):
        assert client.get(api_list()).json() == first


@pytest.mark.django_db
def test_a_conditional_get_is_a_304(activity):
    client = Client()
    first = client.get(page(activity.commitment))
    assert first["Cache-Control"] == "no-cache"
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get(page(activity.commitment), HTTP_IF_NONE_MATCH=etag).status_code == 304
    since = client.get(page(activity.commitment), HTTP_IF_MODIFIED_SINCE=modified)
    assert since.status_code == 304
    api = client.get(api_list())
    assert client.get(api_list(), HTTP_IF_NONE_MATCH=api["ETag"]).status_code == 304


@pytest.mark.django_db
def test_a_write_changes_the_etag(activity, committed):
    client = Client()
    etag = client.get(page(activity.commitment))["ETag"]
    activity.commitment.title_fr = "Charte révisée"
    committed(activity.commitment.save)
    response = client.get(page(activity.commitment), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and "Charte révisée" in text(response)


@pytest.mark.django_db
def test_a_logged_in_visitor_is_never_served_the_anonymous_page(activity, secretariat):
    text(Client().get(page(activity.commitment)))
    staff = Client()
    staff.force_login(secretariat)
    html = text(staff.get(page(activity.commitment)))
    assert "sara" in html  # "Log out (sara)"
    assert "ETag" not in staff.get(page(activity.commitment))


@pytest.mark.django_db
def test_an_accepted_update_shows_on_the_next_request(
    activity, focal_point, secretariat, committed
):
    activity.commitment.plan.requires_validation = True
    activity.commitment.plan.save()
    client = Client()
    before = client.get(api_list()).json()
    html = text(client.get(page(activity.commitment)))
    update = committed(progress_update_submit, entry=UpdateEntry(activity, 40), author=focal_point)
    committed(progress_update_validate, update=update, reviewer=secretariat)
    after = client.get(api_list()).json()
    assert after != before
    assert tokenless(text(client.get(page(activity.commitment)))) != tokenless(html)
    assert '"progress": 40' in client.get(api_list()).content.decode().replace('":40', '": 40')


@pytest.mark.django_db
def test_a_hand_over_shows_on_the_next_request(activity, focal_point, committed):
    client = Client()
    html = text(client.get(page(activity.commitment)))
    newcomer = UserFactory(username="nadia", first_name="Nadia", last_name="Benali")
    committed(focal_point_hand_over, commitment=activity.commitment, user=newcomer)
    assert tokenless(text(client.get(page(activity.commitment)))) != tokenless(html)


@pytest.mark.django_db
def test_a_translation_edit_shows_on_the_next_request(activity, committed):
    client = Client()
    text(client.get(page(activity.commitment, "ar")))
    activity.title_ar = "ورشة الانطلاق"
    committed(activity.save)
    assert "ورشة الانطلاق" in text(client.get(page(activity.commitment, "ar")))


@pytest.mark.django_db
def test_an_admin_change_shows_on_the_next_request(activity, secretariat, committed):
    secretariat.is_superuser = True
    secretariat.save()
    institution = activity.commitment.lead_institution
    client = Client()
    listing = reverse("commitments:institution_list")
    assert "Agence renommée" not in text(client.get(listing))
    staff = Client()
    staff.force_login(secretariat)
    change = reverse("admin:commitments_institution_change", args=[institution.pk])
    form = staff.get(change).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(name_fr="Agence renommée")
    response = committed(staff.post, change, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Agence renommée" in text(client.get(listing))


@pytest.mark.django_db
def test_a_write_in_another_plan_keeps_this_plans_pages(
    activity, committed, django_assert_num_queries
):
    elsewhere = CommitmentFactory(number=9)
    client = Client()
    text(client.get(page(activity.commitment)))
    elsewhere.title_fr = "Ailleurs"
    committed(elsewhere.save)
    with django_assert_num_queries(1):
        text(client.get(page(activity.commitment)))


@pytest.mark.django_db
def test_a_commitment_moved_to_another_plan_leaves_its_old_plan_page(activity, committed):
    client = Client()
    other = CommitmentFactory(number=9, title_fr="Engagement déplacé")
    plan_page = reverse("commitments:plan_detail", kwargs={"code": other.plan.code})
    old_plan_page = reverse(
        "commitments:plan_detail", kwargs={"code": activity.commitment.plan.code}
    )
    assert "Engagement déplacé" in text(client.get(plan_page))
    text(client.get(old_plan_page))
    other.plan = activity.commitment.plan
    other.number = 10
    committed(other.save)
    assert "Engagement déplacé" not in text(client.get(plan_page))
    assert "Engagement déplacé" in text(client.get(old_plan_page))


@pytest.mark.django_db
def test_an_institution_saved_changes_every_plans_pages(activity, committed):
    client = Client()
    text(client.get(page(activity.commitment)))
    institution = activity.commitment.lead_institution
    institution.name_fr = "Ministère renommé"
    committed(institution.save)
    assert "Ministère renommé" in text(client.get(page(activity.commitment)))


@pytest.mark.django_db
def test_a_visitor_with_a_session_is_not_served_from_the_cache(activity, django_assert_num_queries):
    client = Client()
    text(client.get(page(activity.commitment)))
    client.cookies["sessionid"] = "unknown"
    html = text(client.get(page(activity.commitment)))
    assert "ETag" not in client.get(page(activity.commitment))
    assert html


@pytest.mark.django_db
def test_a_page_from_the_cache_carries_the_visitors_own_csrf_token(activity):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    text(first.get(page(activity.commitment)))
    html = text(second.get(page(activity.commitment)))
    assert "__page_cache_csrf_token__" not in html
    token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', html)
    assert token and "csrftoken" in second.cookies
    follow = second.post(
        reverse("notifications:follow"),
        {"csrfmiddlewaretoken": token[1], "email": "a@example.org", "target": "x"},
    )
    assert follow.status_code != 403


@pytest.mark.django_db
def test_an_import_shows_on_the_next_request(activity, secretariat, committed):
    from commitments.imports import plan_import
    from commitments.spreadsheets import export_csv, read_table

    plan = activity.commitment.plan
    client = Client()
    text(client.get(page(activity.commitment)))
    rows = read_table("plan.csv", export_csv(plan))
    for row in rows:
        if row["activity_title_fr"] == "Atelier de lancement":
            row["progress"], row["activity_status"] = "35", "in_progress"
    report = committed(plan_import, plan=plan, rows=rows, author=secretariat, dry_run=False)
    assert report.progress_updates == 1
    assert "35&nbsp;%" in text(client.get(page(activity.commitment)))


@pytest.mark.django_db
def test_a_meeting_held_and_its_minutes_published_show_on_the_next_request(activity, committed):
    from meetings.services import meeting_hold, minutes_publish
    from tests.meetings.factories import MeetingFactory

    meeting = MeetingFactory(plan=activity.commitment.plan)
    client = Client()
    with translation.override("en"):
        listing, detail = reverse("meetings:list"), reverse("meetings:detail", args=[meeting.pk])
    before = text(client.get(listing))
    assert client.get(detail).status_code == 404  # the public sees published minutes only
    committed(meeting_hold, meeting=meeting, user=None)
    committed(minutes_publish, meeting=meeting, user=None)
    assert detail in text(client.get(listing)) and detail not in before
    assert client.get(detail).status_code == 200


@pytest.mark.django_db
def test_a_report_published_shows_on_the_next_request(activity, committed):
    from reports.models import Report, ReportVersion
    from reports.services import report_stage_change

    plan = activity.commitment.plan
    report = Report.objects.create(
        plan=plan, title_fr="Rapport d'autoévaluation", title_en="Annual review of the plan",
        period_start=plan.start_date, period_end=plan.end_date, stage=Report.Stage.VALIDATED,
    )  # fmt: skip
    report.validated_version = ReportVersion.objects.create(
        report=report, language="fr", status=ReportVersion.Status.READY, pdf="reports/v.pdf"
    )
    report.save()
    client = Client()
    with translation.override("en"):
        listing, detail = reverse("reports:list"), reverse("reports:detail", args=[report.pk])
    assert "Annual review of the plan" not in text(client.get(listing))
    assert client.get(detail).status_code == 404  # the public sees it once published
    committed(report_stage_change, report=report, stage=Report.Stage.PUBLISHED, user=None)
    assert "Annual review of the plan" in text(client.get(listing))
    assert client.get(detail).status_code == 200
