"""factory_boy factories for the commitments domain."""

import datetime
import io
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from pypdf import PdfWriter

from commitments.models import (
    Activity,
    Axis,
    Commitment,
    FocalPointAssignment,
    Institution,
    IrmAssessment,
    Plan,
)

# The smallest file a PDF reader accepts, for uploads and for documents that were not generated.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def one_page_pdf() -> bytes:
    """A real PDF of one blank page, which pypdf reads (PDF_BYTES has no page)."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("secret-pass")


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    code = factory.Sequence(lambda n: f"INST{n}")
    name_fr = factory.Sequence(lambda n: f"Ministère {n}")
    kind = Institution.Kind.ADMINISTRATION


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    code = factory.Sequence(lambda n: f"PAN-{n}")
    title_fr = factory.Sequence(lambda n: f"Plan d'action {n}")
    start_date = datetime.date(2021, 9, 1)
    end_date = datetime.date(2023, 8, 31)


class AxisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Axis

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title_fr = factory.Sequence(lambda n: f"Axe {n}")


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title_fr = factory.Sequence(lambda n: f"Engagement {n}")
    lead_institution = factory.SubFactory(InstitutionFactory)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    commitment = factory.SubFactory(CommitmentFactory)
    title_fr = factory.Sequence(lambda n: f"Activité {n}")
    weight = Decimal(1)


class FocalPointAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocalPointAssignment

    commitment = factory.SubFactory(CommitmentFactory)
    user = factory.SubFactory(UserFactory)
    role = FocalPointAssignment.Role.TITULAR
    start_date = datetime.date(2021, 9, 1)


class IrmAssessmentFactory(factory.django.DjangoModelFactory):
    """An IRM results report's assessment: verifiable, relevant to access to information,
    moderate potential impact, substantial completion, marginal opening of government."""

    class Meta:
        model = IrmAssessment

    commitment = factory.SubFactory(CommitmentFactory)
    report_title_fr = "Rapport de résultats du MEI 2021-2023"
    report_title_en = "IRM Results Report 2021-2023"
    report_url = "https://www.opengovpartnership.org/documents/morocco-results-report-2021-2023/"
    report_date = datetime.date(2024, 6, 1)
    verifiable = True
    relevant_access_to_information = True
    potential_impact = IrmAssessment.PotentialImpact.MODERATE
    completion = "substantial"
    opened_government = IrmAssessment.OpenedGovernment.MARGINAL
