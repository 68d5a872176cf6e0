"""The IRM's assessment beside the self-assessment (issue 17, item 4), and the supporting
institutions and focal points a commitment's page shows (item 5)."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from commitments.irm import irm_comparison
from commitments.models import Commitment, FocalPointAssignment, IrmAssessment
from tests.conftest import url_in
from tests.factories import CommitmentFactory, FocalPointAssignmentFactory, IrmAssessmentFactory

pytestmark = pytest.mark.django_db

SENTENCE = "The self-assessment says “Complete”, the IRM says “Substantial”."


@pytest.fixture
def said_complete(commitment) -> Commitment:
    """Commitment 3, which the secretariat says is complete, for access to information."""
    commitment.completion_override = "complete"
    commitment.completion_override_justification = "La charte est promulguée."
    commitment.value_access_to_information = True
    commitment.save()
    return commitment


@pytest.fixture
def assessed(said_complete) -> IrmAssessment:
    """The IRM finds it substantially completed, relevant to access to information."""
    return IrmAssessmentFactory(commitment=said_complete)


def star(**values) -> IrmAssessment:
    defaults = {
        "verifiable": True,
        "potential_impact": IrmAssessment.PotentialImpact.TRANSFORMATIVE,
        "completion": "complete",
        "starred": True,
    }
    return IrmAssessmentFactory.build(commitment=CommitmentFactory(), **{**defaults, **values})


# The model ------------------------------------------------------------------------------------


def test_a_starred_commitment_meets_ogps_criteria():
    star().full_clean()


@pytest.mark.parametrize(
    "values",
    [
        {"verifiable": False},
        {"relevant_access_to_information": False},
        {"potential_impact": IrmAssessment.PotentialImpact.MODERATE},
        {"completion": "limited"},
        {"completion": ""},
    ],
)
def test_a_commitment_short_of_a_criterion_cannot_be_starred(values):
    assessment = star(**values)
    with pytest.raises(ValidationError) as raised:
        assessment.full_clean()
    assert set(raised.value.message_dict) == {"starred"}
    with pytest.raises(IntegrityError), transaction.atomic():
        assessment.save()


def test_an_irm_report_cannot_be_dated_in_the_future():
    assessment = IrmAssessmentFactory.build(
        commitment=CommitmentFactory(),
        report_date=datetime.date.today() + datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as raised:
        assessment.full_clean()
    assert set(raised.value.message_dict) == {"report_date"}


def test_the_irm_completion_scale_has_no_no_evidence_level():
    assessment = IrmAssessmentFactory.build(
        commitment=CommitmentFactory(), completion="no_evidence"
    )
    with pytest.raises(ValidationError) as raised:
        assessment.full_clean()
    assert set(raised.value.message_dict) == {"completion"}


def test_one_assessment_per_commitment(assessed):
    with pytest.raises(IntegrityError), transaction.atomic():
        IrmAssessmentFactory(commitment=assessed.commitment)


def test_an_assessment_keeps_its_history(assessed):
    assessed.completion = "complete"
    assessed.save()
    assert assessed.history.count() == 2


# The comparison -------------------------------------------------------------------------------


def test_a_different_completion_is_a_difference_with_its_sentence(assessed, english):
    comparison = irm_comparison(assessed.commitment)
    assert comparison is not None
    assert [row.criterion for row in comparison.differences] == ["completion"]
    row = comparison.differences[0]
    assert (row.self_assessment, row.irm, row.sentence) == ("Complete", "Substantial", SENTENCE)


def test_the_same_completion_and_values_differ_on_nothing(assessed):
    assessed.completion = "complete"
    assessed.save()
    assert irm_comparison(Commitment.objects.get(pk=assessed.commitment_id)).differences == []


def test_different_ogp_values_are_a_difference(assessed, english):
    assessed.relevant_civic_participation = True
    assessed.save()
    commitment = Commitment.objects.get(pk=assessed.commitment_id)
    row = next(r for r in irm_comparison(commitment).rows if r.criterion == "ogp_values")
    assert row.differs
    assert row.irm == "access to information, civic participation"
    assert "civic participation" in row.sentence


def test_the_report_compares_the_level_it_passes_in(assessed):
    comparison = irm_comparison(assessed.commitment, completion_level="substantial")
    assert comparison.differences == []


def test_a_completion_the_irm_has_not_assessed_is_no_difference(assessed):
    assessed.completion = ""
    assessed.save()
    commitment = Commitment.objects.get(pk=assessed.commitment_id)
    row = irm_comparison(commitment).rows[0]
    assert (row.criterion, row.irm, row.differs) == ("completion", "—", False)


def test_no_assessment_no_comparison(commitment):
    assert irm_comparison(commitment) is None


# The commitment's page ------------------------------------------------------------------------


def test_the_page_shows_both_sides_and_flags_the_difference(assessed, client):
    html = client.get(url_in(assessed.commitment, "en")).content.decode()
    assert '<h2 id="irm-heading">Independent Reporting Mechanism</h2>' in html
    assert '<th scope="row">Completion</th>' in html
    assert '<tr data-criterion="completion" class="differs">' in html
    assert '<tr data-criterion="ogp_values">' in html  # the same values: not flagged
    assert 'role="img"\n              aria-label="They differ">⚠</span>' in html
    assert f'<span data-testid="irm-difference">{SENTENCE}</span>' in html
    assert "The self-assessment and the IRM differ on 1 point." in html
    assert 'href="https://www.opengovpartnership.org/documents/' in html
    assert "IRM Results Report 2021-2023" in html


def test_the_page_says_when_no_irm_assessment_is_recorded(commitment, client):
    html = client.get(url_in(commitment, "en")).content.decode()
    assert "No IRM assessment has been recorded for this commitment." in html
    assert 'class="comparison"' not in html


def test_the_page_in_arabic_shows_the_assessment(assessed, client):
    response = client.get(url_in(assessed.commitment, "ar"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="differs"' in html
    # No Arabic title recorded: the French one, marked as French.
    assert '<span lang="fr">Rapport de résultats du MEI 2021-2023</span>' in html


# The API --------------------------------------------------------------------------------------


def test_the_api_gives_the_assessment_and_its_differences(assessed, client, english):
    data = client.get(f"/api/v1/commitments/{assessed.commitment_id}/?lang=en").json()
    irm = data["irm_assessment"]
    assert irm["report_date"] == "2024-06-01"
    assert irm["verifiable"] is True
    assert irm["relevant_values"] == ["access_to_information"]
    assert (irm["potential_impact"], irm["completion"]) == ("moderate", "substantial")
    assert (irm["opened_government"], irm["starred"]) == ("marginal", False)
    assert irm["differences"] == [
        {
            "criterion": "completion",
            "self_assessment": "Complete",
            "irm": "Substantial",
            "sentence": SENTENCE,
        }
    ]


def test_the_api_gives_null_without_an_assessment(commitment, client):
    data = client.get(f"/api/v1/commitments/{commitment.pk}/").json()
    assert data["irm_assessment"] is None


def test_the_api_lists_assessed_commitments_in_a_constant_number_of_queries(
    assessed, other_commitment, client, django_assert_max_num_queries
):
    IrmAssessmentFactory(commitment=other_commitment)
    with django_assert_max_num_queries(12):
        data = client.get("/api/v1/commitments/").json()
    assert all(row["irm_assessment"] for row in data["results"])


# Who records it -------------------------------------------------------------------------------

ADD = "/en/admin/commitments/irmassessment/add/"


def form_data(commitment: Commitment) -> dict[str, str]:
    return {
        "commitment": str(commitment.pk),
        "report_title_fr": "Rapport de résultats du MEI",
        "report_date": "2024-06-01",
        "verifiable": "on",
        "relevant_access_to_information": "on",
        "potential_impact": "moderate",
        "completion": "limited",
        "opened_government": "",
    }


def test_the_secretariat_records_an_assessment_in_the_admin(commitment, secretariat, client):
    # As the demo's secretariat group has them.
    permissions = Permission.objects.filter(codename__endswith="irmassessment")
    secretariat.groups.get().permissions.add(*permissions)
    client.force_login(secretariat)
    response = client.post(ADD, form_data(commitment))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert commitment.irm_assessment.completion == "limited"


def test_a_focal_point_cannot_record_an_assessment_even_with_staff_rights(
    commitment, focal_point, client
):
    focal_point.is_staff = True
    focal_point.save()
    focal_point.user_permissions.add(*Permission.objects.filter(codename__endswith="irmassessment"))
    client.force_login(focal_point)
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, form_data(commitment)).status_code == 403
    assert not IrmAssessment.objects.exists()


def test_a_focal_point_cannot_change_one_either(assessed, focal_point, client):
    focal_point.is_staff = True
    focal_point.save()
    focal_point.user_permissions.add(*Permission.objects.filter(codename__endswith="irmassessment"))
    client.force_login(focal_point)
    change = f"/en/admin/commitments/irmassessment/{assessed.pk}/change/"
    data = {**form_data(assessed.commitment), "completion": "complete"}
    client.post(change, data)
    assert IrmAssessment.objects.get().completion == "substantial"
    assert not focal_point.has_perm("commitments.record_irm_assessment")


def test_the_api_writes_no_assessment(assessed, focal_point, client):
    client.force_login(focal_point)
    url = f"/api/v1/commitments/{assessed.commitment_id}/"
    body = {"irm_assessment": {"completion": "complete"}}
    assert client.patch(url, body, content_type="application/json").status_code == 405
    assert IrmAssessment.objects.get().completion == "substantial"


# Supporting institutions and focal points (item 5) ------------------------------------------


def test_a_published_name_is_shown_with_the_role(commitment, client):
    FocalPointAssignmentFactory(
        commitment=commitment,
        user__username="houda",
        user__first_name="Houda",
        user__last_name="BOUIHI",
        name_published=True,
    )
    html = client.get(url_in(commitment, "en")).content.decode()
    assert "Houda BOUIHI, Titular" in html


def test_a_name_not_published_is_not_shown(commitment, client):
    FocalPointAssignmentFactory(
        commitment=commitment, user__first_name="Fatima", user__last_name="ZAHRA"
    )
    html = client.get(url_in(commitment, "en")).content.decode()
    facts = html.split('data-testid="focal-points">')[1].split("</dd>")[0]
    assert "Titular" in facts and "ZAHRA" not in facts


def test_a_former_focal_point_is_shown_only_when_the_name_is_published(commitment, client):
    ended = datetime.date(2022, 12, 31)
    FocalPointAssignmentFactory(
        commitment=commitment,
        user__first_name="Omar",
        user__last_name="ALAMI",
        end_date=ended,
        name_published=True,
    )
    FocalPointAssignmentFactory(
        commitment=commitment, user__first_name="Nadia", user__last_name="SAMI", end_date=ended
    )
    html = client.get(url_in(commitment, "en")).content.decode()
    former = html.split('data-testid="former-focal-points">')[1].split("</dd>")[0]
    assert "<dt>Former focal points</dt>" in html
    assert "Omar ALAMI, Titular" in former and "SAMI" not in former


def test_the_demo_shows_the_focal_points_the_2020_minutes_name(demo, client):
    commitment = Commitment.objects.get(plan__code="PAN-2018-2020", number=10)
    html = client.get(url_in(commitment, "fr")).content.decode()
    assert "Hajar HADI" in html  # "Mme. Hajar HADI, suppléante point focal engagement 10"
    named = FocalPointAssignment.objects.filter(commitment__plan__code="PAN-2018-2020")
    assert named.count() == 16 and all(a.name_published for a in named)


def test_the_demo_publishes_no_placeholder_name(demo, client):
    assert not FocalPointAssignment.objects.filter(
        commitment__plan__code="PAN-2021-2023", name_published=True
    ).exists()
    commitment = Commitment.objects.get(plan__code="PAN-2021-2023", number=11)
    html = client.get(url_in(commitment, "fr")).content.decode()
    facts = html.split('data-testid="focal-points">')[1].split("</dd>")[0]
    assert "Titulaire" in facts and "Point focal" not in facts
    assert 'data-testid="former-focal-points"' not in html


def test_the_demo_shows_the_partner_the_2023_minutes_name(demo, client):
    # "en collaboration avec le Ministère de Transition Numérique et de Réforme de
    # l'Administration" (commitment 21's remark on 28 March 2023).
    commitment = Commitment.objects.get(plan__code="PAN-2021-2023", number=21)
    assert list(commitment.supporting_institutions.values_list("code", flat=True)) == ["MTNRA"]
    html = client.get(url_in(commitment, "fr")).content.decode()
    assert "<dt>Institutions partenaires</dt>" in html


def test_the_demo_invents_no_irm_assessment(demo, client):
    assert not IrmAssessment.objects.exists()
    commitment = Commitment.objects.get(plan__code="PAN-2021-2023", number=1)
    assert "No IRM assessment" in client.get(url_in(commitment, "en")).content.decode()
