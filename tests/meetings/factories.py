"""factory_boy factories for committees and meetings."""

import datetime

import factory
from django.utils import timezone

from meetings.models import (
    AgendaItem,
    Attendance,
    Committee,
    CommitteeMember,
    Decision,
    Meeting,
    MinutesVersion,
    Timeline,
    TimelineStep,
)
from tests.factories import PDF_BYTES, InstitutionFactory, PlanFactory


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    kind = Committee.Kind.STEERING
    name_fr = factory.Sequence(lambda n: f"Comité de pilotage {n}")


class CommitteeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMember

    committee = factory.SubFactory(CommitteeFactory)
    civility = "M."
    name = factory.Sequence(lambda n: f"Membre {n}")
    institution = factory.SubFactory(InstitutionFactory)
    start_date = datetime.date(2021, 1, 1)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    committee = factory.SubFactory(CommitteeFactory)
    plan = factory.SubFactory(PlanFactory)
    starts_at = factory.LazyFunction(
        lambda: timezone.make_aware(datetime.datetime(2023, 3, 28, 13, 0))
    )
    mode = Meeting.Mode.IN_PERSON
    place_fr = "Rabat"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    civility = "M."
    name = factory.Sequence(lambda n: f"Participant {n}")
    institution = factory.SubFactory(InstitutionFactory)


class TimelineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Timeline

    kind = Timeline.Kind.REPORT
    title_fr = factory.Sequence(lambda n: f"Calendrier {n}")


class TimelineStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimelineStep

    timeline = factory.SubFactory(TimelineFactory)
    position = factory.Sequence(lambda n: n + 1)
    title_fr = factory.Sequence(lambda n: f"Étape {n}")
    starts_on = datetime.date(2023, 4, 1)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    title_fr = factory.Sequence(lambda n: f"Point {n}")


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    text_fr = factory.Sequence(lambda n: f"Décision {n}")


class MinutesVersionFactory(factory.django.DjangoModelFactory):
    """A version of the minutes waiting for its generation; ``ready=True`` for one with its PDF."""

    class Meta:
        model = MinutesVersion

    meeting = factory.SubFactory(MeetingFactory)
    language = "fr"

    class Params:
        ready = factory.Trait(
            status=MinutesVersion.Status.READY,
            progress=100,
            pages=1,
            finished_at=factory.LazyFunction(timezone.now),
            pdf=factory.django.FileField(filename="minutes.pdf", data=PDF_BYTES),
        )
