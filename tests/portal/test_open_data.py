"""The open-data package (issue 17): a Frictionless Data Package of every public table, read
back through the real HTTP answers and validated with the frictionless library; its DCAT-AP
catalogue; the open-data page and the footer link to it."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import frictionless
import pytest
from django.test import Client

from cocreation.models import Process, Proposal
from commitments.models import Activity, Commitment, ProgressUpdate
from meetings.models import Attendance, Committee, Meeting, Timeline
from tests.cocreation.factories import ProposalFactory
from tests.meetings.factories import AttendanceFactory, DecisionFactory, MeetingFactory

pytestmark = pytest.mark.django_db

PLAN = "PAN-2021-2023"


@pytest.fixture
def client() -> Client:
    return Client()


def write_package(client: Client, folder: Path) -> dict:
    """datapackage.json and every file it names, as the site serves them, into ``folder``."""
    response = client.get("/open-data/datapackage.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    (folder / "datapackage.json").write_bytes(response.content)
    descriptor = json.loads(response.content)
    (folder / "data").mkdir()
    for resource in descriptor["resources"]:
        paths = [resource["path"], *(alt["path"] for alt in resource["alternates"])]
        for path in paths:
            answer = client.get(f"/open-data/{path}")
            assert answer.status_code == 200, path
            (folder / path).write_bytes(answer.content)
    return descriptor


def errors_of(report: frictionless.Report) -> list:
    return report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_the_package_of_the_demo_validates_with_frictionless(demo, client, tmp_path):
    descriptor = write_package(client, tmp_path)
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert report.valid, errors_of(report)
    names = [resource["name"] for resource in descriptor["resources"]]
    assert {"plans", "axes", "commitments", "activities", "progress_updates", "institutions"} <= {
        *names
    }
    assert {"meetings", "attendance", "decisions", "timelines", "proposals", "reports"} <= {*names}
    assert descriptor["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0 International",
        }
    ]
    commitments = (tmp_path / "data/commitments.csv").read_text(encoding="utf-8")
    assert not commitments.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(commitments)))
    assert len(rows) == Commitment.objects.count()
    first = next(r for r in rows if r["ogp_id"] == "MO0025")
    assert (first["number"], first["progress"], first["completion_level"]) == (
        "1",
        "65",
        "substantial",
    )
    assert first["title_fr"] and "title_ar" in first and "title_en" in first


def test_every_field_is_described_in_english_and_french(demo, client):
    descriptor = client.get("/open-data/datapackage.json").json()
    for resource in descriptor["resources"]:
        assert resource["title"] and resource["title_fr"]
        for field in resource["schema"]["fields"]:
            assert field["description"] and field["description_fr"], field["name"]
        assert resource["schema"]["primaryKey"]


def test_the_json_files_hold_the_same_rows_and_validate(demo, client, tmp_path):
    descriptor = write_package(client, tmp_path)
    for described in descriptor["resources"]:
        schema = {k: v for k, v in described["schema"].items() if k != "foreignKeys"}
        path = tmp_path / described["alternates"][0]["path"]
        resource = frictionless.Resource(
            path=described["alternates"][0]["path"],
            basepath=str(tmp_path),
            schema=frictionless.Schema.from_descriptor(schema),
        )
        report = frictionless.validate(resource)
        assert report.valid, (described["name"], errors_of(report))
        rows = json.loads(path.read_text(encoding="utf-8"))
        text = (tmp_path / described["path"]).read_text(encoding="utf-8")
        assert len(rows) == len(list(csv.DictReader(io.StringIO(text)))), described["name"]
    commitments = json.loads((tmp_path / "data/commitments.json").read_text(encoding="utf-8"))
    first = next(row for row in commitments if row["ogp_id"] == "MO0025")
    assert first["progress"] == 65 and first["value_access_to_information"] in (True, False)


def test_a_broken_foreign_key_fails_validation(demo, client, tmp_path):
    write_package(client, tmp_path)
    path = tmp_path / "data/commitments.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[0]["axis_id"] = "999999"  # an axis that does not exist
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert not report.valid
    assert "foreign-key" in {error[2] for error in errors_of(report)}


def test_the_zip_holds_the_whole_package_which_validates(demo, client, tmp_path):
    response = client.get("/open-data/ogp-open-data.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="ogp-open-data.zip"' in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path)
    assert {"datapackage.json", "README.md", "data/plans.csv", "data/plans.json"} <= names
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert report.valid, errors_of(report)
    assert "Creative Commons" in (tmp_path / "README.md").read_text()


def test_nothing_the_public_may_not_see_is_exported(demo, client):
    activity = Activity.objects.filter(commitment__plan__code=PLAN).order_by("pk").first()
    assert activity is not None
    ProgressUpdate.objects.create(
        activity=activity,
        old_progress=activity.progress,
        new_progress=activity.progress,
        old_status=activity.status,
        new_status=activity.status,
        narrative_fr="Récit renvoyé jamais publié",
        state=ProgressUpdate.State.RETURNED,
        source=ProgressUpdate.Source.WEB,
    )
    waiting = Activity.objects.exclude(updates__state=ProgressUpdate.State.SUBMITTED).first()
    assert waiting is not None
    ProgressUpdate.objects.create(
        activity=waiting,
        old_progress=waiting.progress,
        new_progress=waiting.progress,
        old_status=waiting.status,
        new_status=waiting.status,
        narrative_fr="Récit en attente jamais publié",
        state=ProgressUpdate.State.SUBMITTED,
        source=ProgressUpdate.Source.WEB,
    )
    # Held, its minutes not published: the meeting does not exist for the public.
    planned = MeetingFactory(
        committee=Committee.objects.first(),
        plan=activity.commitment.plan,
        place_fr="Salle X",
        status=Meeting.Status.HELD,
    )
    AttendanceFactory(meeting=planned, name="Nom Privé NONPUBLIÉ")
    DecisionFactory(meeting=planned, text_fr="Décision d'un relevé non publié")
    published = Meeting.objects.with_published_minutes().first()
    assert published is not None
    public_name = Attendance.objects.filter(meeting=published).exclude(name="").first()
    assert public_name is not None
    ProposalFactory(
        process=Process.objects.filter(is_public=True).first(),
        title="Proposition en attente de modération",
        moderation=Proposal.Moderation.PENDING,
        email="auteur@example.org",
    )
    Timeline.objects.create(
        kind=Timeline.Kind.OTHER, title_fr="Calendrier brouillon", is_public=False
    )

    content = client.get("/open-data/ogp-open-data.zip").content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        everything = "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    for secret in (
        "Récit renvoyé jamais publié",
        "Récit en attente jamais publié",
        "Décision d'un relevé non publié",
        "Nom Privé NONPUBLIÉ",
        "Proposition en attente de modération",
        "auteur@example.org",
        "Calendrier brouillon",
        "contact_email",
        "sender_hash",
    ):
        assert secret not in everything, secret
    assert public_name.name in everything
    meetings = client.get("/open-data/data/meetings.json").json()
    assert planned.pk not in {row["id"] for row in meetings}
    assert published.pk in {row["id"] for row in meetings}


def test_an_unknown_resource_is_not_found(demo, client):
    assert client.get("/open-data/data/users.csv").status_code == 404
    assert client.get("/open-data/data/plans.xml").status_code == 404
    assert client.post("/open-data/datapackage.json").status_code == 405


def test_the_dcat_catalogue_names_each_distribution(demo, client):
    response = client.get("/open-data/catalog.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    catalog = json.loads(response.content)
    assert catalog["@type"] == "dcat:Catalog"
    assert catalog["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    [dataset] = catalog["dcat:dataset"]
    assert dataset["@type"] == "dcat:Dataset"
    assert dataset["dct:license"] == {"@id": "https://creativecommons.org/licenses/by/4.0/"}
    assert {title["@language"] for title in dataset["dct:title"]} == {"fr", "ar", "en"}
    assert dataset["dct:publisher"]["foaf:name"]
    assert dataset["dct:issued"]["@value"] <= dataset["dct:modified"]["@value"]
    downloads = {d["dcat:downloadURL"]["@id"]: d for d in dataset["dcat:distribution"]}
    descriptor = client.get("/open-data/datapackage.json").json()
    expected = {"http://testserver/open-data/ogp-open-data.zip"}
    expected.add("http://testserver/open-data/datapackage.json")
    for resource in descriptor["resources"]:
        for path in (resource["path"], resource["alternates"][0]["path"]):
            expected.add(f"http://testserver/open-data/{path}")
    assert set(downloads) == expected
    for url, distribution in downloads.items():
        assert distribution["@type"] == "dcat:Distribution"
        assert distribution["dcat:mediaType"]["@id"].startswith("https://www.iana.org/")
        assert distribution["dct:format"]["@id"].endswith(url.rsplit(".", 1)[1].upper())
        assert client.get(url.removeprefix("http://testserver")).status_code == 200


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_the_open_data_page_links_every_resource(demo, client, language):
    response = client.get(f"/{language}/open-data/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}"' in page
    assert 'rel="alternate" type="application/ld+json"' in page  # harvesters find the catalogue
    for url in (
        "/open-data/ogp-open-data.zip",
        "/open-data/datapackage.json",
        "/open-data/catalog.jsonld",
        "/api/docs/",
        "https://creativecommons.org/licenses/by/4.0/",
    ):
        assert f'href="{url}"' in page, url
    descriptor = client.get("/open-data/datapackage.json").json()
    for resource in descriptor["resources"]:
        assert f'href="/open-data/data/{resource["name"]}.csv"' in page
        assert f'href="/open-data/data/{resource["name"]}.json"' in page
        assert f'id="resource-{resource["name"]}"' in page
        for field in resource["schema"]["fields"]:
            assert f"<code>{field['name']}</code>" in page
    description = "Weighted mean of its activities' progress (%)"
    if language == "en":
        assert description.replace("'", "&#x27;") in page
        assert "References axes.id" in page and "Primary key" in page
    else:
        assert "Moyenne pondérée" in page


def test_every_page_footer_links_the_open_data_page(demo, client):
    for path in ("/fr/", "/ar/meetings/", "/en/methodology/"):
        page = client.get(path).content.decode()
        footer = page[page.index('<footer class="site-footer">') :]
        language = path.split("/")[1]
        assert f'href="/{language}/open-data/"' in footer, path
