"""A focal point updates their commitments in the browser."""

import io
import re
import zipfile
from urllib.parse import quote

import pytest
from django.test import Client

from commitments.models import Activity, ProgressUpdate
from tests.conftest import PDF_BYTES, make_upload
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def activities(commitment):
    return [
        ActivityFactory(commitment=commitment, position=1, title_fr="Feuille de route"),
        ActivityFactory(commitment=commitment, position=2, title_fr="Communication"),
    ]


@pytest.fixture
def fatima(focal_point) -> Client:
    client = Client()
    client.force_login(focal_point)
    return client


def url(commitment) -> str:
    return f"/en/workspace/commitments/{commitment.pk}/update/"


def form_data(activities, **changes) -> dict:
    """The form as the browser sends it: every activity's current values, plus ``changes``
    keyed as "<position>_<field>"."""
    data = {}
    for activity in activities:
        activity.refresh_from_db()
        prefix = f"a{activity.pk}"
        data.update(
            {
                f"{prefix}-progress": activity.progress,
                f"{prefix}-status": activity.status,
                f"{prefix}-version": activity.version,
            }
        )
    for key, value in changes.items():
        position, field = key.split("_", 1)
        data[f"a{activities[int(position) - 1].pk}-{field}"] = value
    return data


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def test_workspace_lists_the_commitments_held_today(fatima, commitment, other_commitment):
    html = fatima.get("/fr/workspace/").content.decode()
    assert commitment.title_fr in html
    assert other_commitment.title_fr not in html


def test_former_focal_point_holds_nothing(former_focal_point, commitment):
    client = Client()
    client.force_login(former_focal_point)
    html = client.get("/fr/workspace/").content.decode()
    assert commitment.title_fr not in html


def test_several_activities_are_updated_in_one_submission(fatima, commitment, activities):
    data = form_data(
        activities,
        **{"1_progress": 60, "1_narrative": "Feuille de route rédigée", "2_progress": 20},
    )
    response = fatima.post(url(commitment), data)
    assert response.status_code == 302
    assert ProgressUpdate.objects.pending().count() == 2
    messages = [str(m) for m in fatima.get(response["Location"]).context["messages"]]
    assert any("2" in m for m in messages)


def test_unchanged_form_records_nothing(fatima, commitment, activities):
    response = fatima.post(url(commitment), form_data(activities))
    assert response.status_code == 200
    assert not ProgressUpdate.objects.exists()


def test_errors_appear_next_to_the_field_and_nothing_typed_is_lost(fatima, commitment, activities):
    data = form_data(
        activities,
        **{
            "1_progress": 140,
            "1_narrative": "Texte long saisi par le point focal",
            "2_progress": 30,
            "2_status": "blocked",
            "2_narrative": "Attente du budget",
        },
    )
    response = fatima.post(url(commitment), data)
    assert response.status_code == 200
    first, second = response.context["forms"]
    assert "progress" in first.errors
    assert "blocked_reason" in second.errors
    html = response.content.decode()
    assert "Texte long saisi par le point focal" in html
    assert "Attente du budget" in html
    assert 'value="140"' in html
    assert not ProgressUpdate.objects.exists()


def test_the_error_summary_at_the_top_links_each_field_with_its_activity(
    fatima, commitment, activities
):
    data = form_data(activities, **{"1_progress": 140, "2_status": "blocked"})
    html = fatima.post(url(commitment), data).content.decode()
    summary = re.search(r'<div class="form-errors error-summary".*?</ul>', html, re.S).group()
    first, second = activities
    assert html.index(summary) < html.index(f'id="activity-{first.pk}"')
    for activity, field in [(first, "progress"), (second, "blocked_reason")]:
        assert f'href="#id_a{activity.pk}-{field}"' in summary
        assert f'id="id_a{activity.pk}-{field}"' in html
    # The activities' titles have no English: the summary marks them as French.
    assert re.search(r'<span lang="fr">Feuille de route</span> –\s+Progress', summary)
    assert re.search(r'<span lang="fr">Communication</span> –\s+Reason for the blockage', summary)


def test_no_error_summary_before_the_form_is_sent(fatima, commitment, activities):
    assert "form-errors error-summary" not in fatima.get(url(commitment)).content.decode()


def test_marking_complete_requires_evidence(fatima, commitment, activities):
    response = fatima.post(url(commitment), form_data(activities, **{"1_progress": 100}))
    assert "evidence_file" in response.context["forms"][0].errors
    data = form_data(
        activities, **{"1_progress": 100, "1_evidence_file": make_upload("pv.pdf", PDF_BYTES)}
    )
    assert fatima.post(url(commitment), data).status_code == 302
    update = ProgressUpdate.objects.get()
    assert update.new_status == Activity.Status.COMPLETED
    assert update.evidence.get().file.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("script.exe", b"MZ\x90\x00", "are not accepted"),
        ("rapport.pdf", b"MZ\x90\x00 this is a program", "is not a real .pdf file"),
        ("image.png", PDF_BYTES, "is not a real .png file"),
        ("note.docx", b"PK\x03\x04 not really a zip", "is not a real .docx file"),
    ],
)
def test_evidence_of_the_wrong_type_is_refused_with_a_message(
    fatima, commitment, activities, name, content, message
):
    data = form_data(
        activities, **{"1_progress": 50, "1_evidence_file": make_upload(name, content)}
    )
    response = fatima.post(url(commitment), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["forms"][0].errors["evidence_file"])
    assert not ProgressUpdate.objects.exists()


def test_office_documents_and_images_are_accepted(fatima, commitment, activities):
    data = form_data(
        activities,
        **{
            "1_progress": 50,
            "1_evidence_file": make_upload("compte-rendu.docx", docx_bytes()),
            "2_progress": 10,
            "2_evidence_file": make_upload("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20),
        },
    )
    assert fatima.post(url(commitment), data).status_code == 302
    assert ProgressUpdate.objects.filter(evidence__isnull=False).count() == 2


def test_evidence_over_the_size_limit_is_refused(fatima, commitment, activities, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    data = form_data(
        activities, **{"1_progress": 50, "1_evidence_file": make_upload("gros.pdf", PDF_BYTES * 10)}
    )
    response = fatima.post(url(commitment), data)
    assert "too large" in " ".join(response.context["forms"][0].errors["evidence_file"])


def same_page(content: bytes, other: bytes, path: str, other_path: str) -> bool:
    """The two pages are the same but for their own address (in the log-in and language links)
    and the CSRF token (masked afresh on each page)."""
    for form in (lambda p: p, lambda p: quote(p, safe="")):
        content = content.replace(form(path).encode(), form(other_path).encode())
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    return token.sub(b"", content) == token.sub(b"", other)


def test_evidence_is_downloaded_only_by_those_allowed(
    fatima, commitment, activities, other_focal_point, committee_member, secretariat
):
    data = form_data(
        activities, **{"1_progress": 40, "1_evidence_file": make_upload("pv.pdf", PDF_BYTES)}
    )
    fatima.post(url(commitment), data)
    update = ProgressUpdate.objects.get()
    link = f"/fr/evidence/{update.evidence.get().pk}/download/"
    never_used = "/fr/evidence/999999/download/"
    staff = Client()
    staff.force_login(secretariat)

    # Whoever may not see it is told it does not exist, as for an id that was never used: a
    # 403 would tell a logged-in outsider that the file is there.
    for outsider in [None, other_focal_point, committee_member]:
        client = Client()
        if outsider is not None:
            client.force_login(outsider)
        answer, missing = client.get(link), client.get(never_used)
        assert answer.status_code == missing.status_code == 404
        assert same_page(answer.content, missing.content, link[3:], never_used[3:])
    response = fatima.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert staff.get(link).status_code == 200

    staff.post(f"/fr/secretariat/review/{update.pk}/validate/")
    assert Client().get(link).status_code == 200


def test_evidence_is_not_in_a_public_folder(settings):
    assert not settings.MEDIA_URL.startswith("/static")
    from django.urls import resolve
    from django.urls.exceptions import Resolver404

    with pytest.raises(Resolver404):
        resolve("/" + settings.MEDIA_URL + "evidence/2026/11/pv.pdf")


def test_second_save_of_the_same_activity_is_not_silent(
    focal_point, alternate, commitment, activities
):
    fatima, amine = Client(), Client()
    fatima.force_login(focal_point)
    amine.force_login(alternate)
    opened = form_data(activities)  # both open the form at the same time
    fatima_data = {**opened, f"a{activities[0].pk}-progress": 60}
    amine_data = {
        **opened,
        f"a{activities[0].pk}-progress": 70,
        f"a{activities[0].pk}-narrative": "Version du suppléant",
    }
    assert fatima.post(url(commitment), fatima_data).status_code == 302
    response = amine.post(url(commitment), amine_data)
    assert response.status_code == 200
    form = response.context["forms"][0]
    assert "Someone else updated this activity" in " ".join(form.non_field_errors())
    assert form.newer_update.new_progress == 60
    html = response.content.decode()
    assert "Version du suppléant" in html  # what the alternate typed is still there
    assert ProgressUpdate.objects.count() == 1

    # Having seen the newer value, the alternate submits again on purpose.
    resubmit = response.context["forms"][0].data.dict()
    assert amine.post(url(commitment), resubmit).status_code == 302
    assert ProgressUpdate.objects.filter(new_progress=70).exists()


def test_update_form_only_accepts_get_and_post(fatima, commitment):
    assert fatima.put(url(commitment)).status_code == 405


def test_unknown_commitment_is_404(fatima):
    assert fatima.get("/fr/workspace/commitments/999999/update/").status_code == 404


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("fr", "ne correspond pas à un véritable fichier"),
        ("ar", "rapport.pdf"),
        ("en", "is not a real .pdf file"),
    ],
)
def test_refused_file_message_is_in_the_page_language(
    fatima, commitment, activities, lang, message
):
    data = form_data(
        activities, **{"1_progress": 50, "1_evidence_file": make_upload("rapport.pdf", b"MZ")}
    )
    response = fatima.post(url(commitment).replace("/en/", f"/{lang}/"), data)
    assert f'<html lang="{lang}"' in response.content.decode()
    assert message in " ".join(response.context["forms"][0].errors["evidence_file"])
