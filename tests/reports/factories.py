"""factory_boy factories for self-assessment reports."""

import factory
from django.utils import timezone

from reports.models import AssessmentSheet, Report, ReportComment, ReportVersion
from tests.factories import PDF_BYTES, CommitmentFactory, PlanFactory


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    plan = factory.SubFactory(PlanFactory)
    title_fr = factory.Sequence(lambda n: f"Rapport d'auto-évaluation {n}")
    period_start = factory.SelfAttribute("plan.start_date")
    period_end = factory.SelfAttribute("plan.end_date")


class ReportVersionFactory(factory.django.DjangoModelFactory):
    """A version waiting for its generation; ``ready=True`` for one with its PDF."""

    class Meta:
        model = ReportVersion

    report = factory.SubFactory(ReportFactory)
    language = "fr"

    class Params:
        ready = factory.Trait(
            status=ReportVersion.Status.READY,
            progress=100,
            pages=1,
            finished_at=factory.LazyFunction(timezone.now),
            pdf=factory.django.FileField(filename="report.pdf", data=PDF_BYTES),
        )


class ReportCommentFactory(factory.django.DjangoModelFactory):
    """A comment of the public consultation, awaiting moderation."""

    class Meta:
        model = ReportComment

    report = factory.SubFactory(ReportFactory)
    kind = ReportComment.Kind.PUBLIC
    name = "Houda"
    organisation = "ADFM"
    body = factory.Sequence(lambda n: f"Commentaire {n}")


class AssessmentSheetFactory(factory.django.DjangoModelFactory):
    """A commitment's sheet for a report on the commitment's plan."""

    class Meta:
        model = AssessmentSheet

    report = factory.SubFactory(ReportFactory)
    commitment = factory.SubFactory(CommitmentFactory, plan=factory.SelfAttribute("..report.plan"))
