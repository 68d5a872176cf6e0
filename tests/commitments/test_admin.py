"""The back office: translation tabs, search, filters and history for the secretariat."""

import pytest

from commitments.models import Commitment

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat_client(demo, client):
    assert client.login(username="secretariat", password="ogp-demo")
    return client


def test_commitment_admin_lists_searches_and_filters(secretariat_client):
    response = secretariat_client.get("/fr/admin/commitments/commitment/", {"q": "MO0027"})
    assert response.status_code == 200
    assert "Charte des Services Publics" in response.content.decode()
    response = secretariat_client.get(
        "/fr/admin/commitments/commitment/", {"plan__id__exact": Commitment.objects.first().plan_id}
    )
    assert response.status_code == 200


def test_commitment_change_form_has_translation_tabs(secretariat_client):
    commitment = Commitment.objects.get(plan__code="PAN-2021-2023", number=1)
    html = secretariat_client.get(
        f"/fr/admin/commitments/commitment/{commitment.pk}/change/"
    ).content.decode()
    for field in ("id_title_fr", "id_title_ar", "id_title_en"):
        assert field in html
    assert "tabbed_translation_fields" in html


def test_admin_shows_a_commitments_history_after_an_edit(secretariat_client):
    commitment = Commitment.objects.get(plan__code="PAN-2021-2023", number=3)
    commitment.title_en = "Public service charter (edited)"
    commitment._change_reason = "Traduction revue"
    commitment.save()
    html = secretariat_client.get(
        f"/fr/admin/commitments/commitment/{commitment.pk}/history/"
    ).content.decode()
    assert "Traduction revue" in html


def test_progress_updates_are_read_only_in_the_admin(secretariat_client):
    assert secretariat_client.get("/fr/admin/commitments/progressupdate/").status_code == 200
    assert secretariat_client.get("/fr/admin/commitments/progressupdate/add/").status_code == 403


def test_anonymous_visitor_is_sent_to_the_login(anonymous):
    response = anonymous.get("/fr/admin/commitments/commitment/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
