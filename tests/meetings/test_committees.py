"""Committees and their members, as the seed minutes list them."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.test import Client

from meetings.models import Committee, CommitteeMember
from meetings.permissions import COMMITTEE_GROUP, is_committee_member
from reports.generation import REPORT
from reports.models import Report
from reports.services import report_stage_change
from tests.factories import UserFactory
from tests.meetings.factories import CommitteeMemberFactory
from tests.reports.factories import ReportVersionFactory

pytestmark = pytest.mark.django_db


def test_steering_committee_of_28_march_2023_with_its_parity(demo):
    steering = Committee.objects.get(kind="steering")
    assert steering.members.count() == 24  # 20 participants and 4 absent organisations
    assert steering.parity() == {"government": 13, "civil_society": 10, "other": 1}
    expert = steering.members.get(name="Mahassine EL AMRANI OMARI")
    assert expert.institution is None and "gouvernement ouvert" in expert.capacity_fr
    assert expert.capacity_ar == "خبيرة في مجال الحكومة المنفتحة"
    assert steering.members.filter(role="secretariat").count() == 2
    assert steering.members.filter(name="", institution__code="AFBDT").exists()


def test_implementation_committee_gathers_the_focal_points_of_2020(demo):
    committee = Committee.objects.get(kind="implementation")
    assert committee.members.count() == 13
    assert committee.members.filter(seat="alternate").count() == 2
    assert committee.members.get(name__endswith="Mouradi").user is not None


def test_past_members_do_not_count(demo):
    steering = Committee.objects.get(kind="steering")
    assert steering.parity(on=datetime.date(2022, 1, 1)) == {
        "government": 0,
        "civil_society": 0,
        "other": 0,
    }


def test_a_seat_needs_a_name_or_an_organisation(demo):
    steering = Committee.objects.get(kind="steering")
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeMember.objects.create(
            committee=steering, name="", start_date=datetime.date(2023, 1, 1)
        )


def test_a_member_with_an_account_comments_on_the_report_under_review(demo, secretariat, fake_pdf):
    member = CommitteeMember.objects.get(name__endswith="Mouradi")
    report = Report.objects.get(plan__code="PAN-2021-2023")
    version = ReportVersionFactory(report=report)
    REPORT.generate(version.pk)
    report_stage_change(report=report, stage="review", user=secretariat)
    client = Client()
    client.force_login(member.user)
    response = client.post(f"/en/reports/{report.pk}/", {"body": "Relire l'engagement 7."})
    assert response.status_code == 302
    assert report.comments.get().author == member.user


def test_members_are_those_with_a_current_seat_or_in_the_committee_group(committee_member):
    assert is_committee_member(committee_member)
    ended = CommitteeMemberFactory(user=UserFactory(), end_date=datetime.date(2022, 12, 31))
    assert not is_committee_member(ended.user)
    grouped = UserFactory()  # a member not yet entered as a seat
    grouped.groups.add(Group.objects.get_or_create(name=COMMITTEE_GROUP)[0])
    assert is_committee_member(grouped)
