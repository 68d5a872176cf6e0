"""The API's schema tells the truth. Schemathesis drives every operation from the OpenAPI schema
with every check it has (no server error, no answer the schema does not declare, no answer that
breaks it, no schema-valid request refused, no invalid one accepted, authentication enforced),
in its examples, coverage, fuzzing and stateful phases, for an anonymous visitor, a focal point's
token and the secretariat's token. The examples are the same on every run: schemathesis.toml
fixes the seed and Hypothesis is derandomized. The tests below them pin each drift found."""

import datetime
from pathlib import Path

import jsonschema_rs
import pytest
import schemathesis
from django.contrib.auth.models import Group
from django.core import signals
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import response_schema_conformance
from schemathesis.config import SchemathesisConfig

from commitments.models import Activity, ProgressUpdate
from commitments.services import progress_update_record
from meetings.models import Meeting, Timeline
from meetings.services import meeting_hold
from ogp_portal.viewutils import MAX_ID
from ogp_portal.wsgi import application
from reports.models import Report, ReportVersion
from tests.factories import (
    PDF_BYTES,
    ActivityFactory,
    AxisFactory,
    CommitmentFactory,
    FocalPointAssignmentFactory,
    IrmAssessmentFactory,
    PlanFactory,
    UserFactory,
)
from tests.meetings.factories import (
    AgendaItemFactory,
    DecisionFactory,
    MeetingFactory,
    TimelineFactory,
    TimelineStepFactory,
)
from tests.reports.factories import ReportFactory, ReportVersionFactory

CONFIG = SchemathesisConfig.from_path(Path(__file__).resolve().parent.parent / "schemathesis.toml")
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=CONFIG)

CLIENTS = ["anonymous", "focal_point", "secretariat"]
HYPOTHESIS = settings(
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
STATEFUL_SCENARIOS = 10
EVIDENCE_URL = "https://example.org/evidence/1"
# What exists, filled by ``api_data`` for ``complete_positive_case``: by body field, and by the
# path of the operations that take an id or a code.
EXISTING: dict[str, list] = {}
EXISTING_IN_PATH: dict[str, list] = {}


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The WSGI handler closes "old" database connections around each request; Django's test
    client turns that off so the test's transaction survives, and so does this fixture."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_data(db):
    """A current plan with two axes, commitments and activities, a validated and a waiting
    update, a held meeting with published minutes (agenda items with and without an activity, a
    decision or a timeline; a decision without owner; a timeline without plan), and a report
    under consultation with a ready and a pending version. Returns a token per client."""
    plan = PlanFactory(is_current=True, updates_need_validation=True)
    first, second = AxisFactory(plan=plan, number=1), AxisFactory(plan=plan, number=2)
    held = CommitmentFactory(plan=plan, axis=first, number=1)
    other = CommitmentFactory(plan=plan, axis=second, number=2)
    IrmAssessmentFactory(commitment=held, report_url="")  # the other one has none
    activities = [ActivityFactory(commitment=held, position=n) for n in (1, 2)]
    activities.append(ActivityFactory(commitment=other, position=1))
    focal_point = FocalPointAssignmentFactory(commitment=held).user
    progress_update_record(
        activity=activities[0], author=focal_point, new_progress=40, source="web"
    )
    progress_update_record(
        activity=activities[2],
        author=focal_point,
        new_progress=20,
        source="web",
        state=ProgressUpdate.State.SUBMITTED,
    )
    meeting = _meeting(plan, activities[0])
    report = ReportFactory(plan=plan, stage=Report.Stage.CONSULTATION)
    ReportVersionFactory(report=report, ready=True)
    ReportVersionFactory(report=report, language="ar")
    EXISTING.update(activity=[a.pk for a in activities], report=[report.pk], plan=[plan.code])
    EXISTING_IN_PATH.update(
        {
            "/api/v1/activities/{id}/": EXISTING["activity"],
            "/api/v1/commitments/{id}/": [held.pk, other.pk],
            "/api/v1/plans/{code}/": [plan.code],
            "/api/v1/institutions/{code}/": [held.lead_institution.code],
            "/api/v1/meetings/{id}/": [meeting.pk],
            "/api/v1/reports/{id}/": list(report.versions.values_list("pk", flat=True)),
            "/api/v1/reports/{id}/pdf/": list(report.versions.values_list("pk", flat=True)),
            "/api/v1/updates/{id}/": list(ProgressUpdate.objects.values_list("pk", flat=True)),
        }
    )
    secretariat = UserFactory(username="sara", is_staff=True)
    secretariat.groups.add(Group.objects.get_or_create(name="secretariat")[0])
    return {
        "anonymous": None,
        "focal_point": Token.objects.create(user=focal_point).key,
        "secretariat": Token.objects.create(user=secretariat).key,
        "activity": activities[0],
        "report": report,
        "meeting": meeting,
        "commitments": (held, other),
    }


def _meeting(plan, activity: Activity) -> Meeting:
    meeting = MeetingFactory(plan=plan, starts_at=timezone.now() - datetime.timedelta(days=30))
    decision = DecisionFactory(meeting=meeting, owner=None, due_date=datetime.date(2024, 6, 30))
    timeline = TimelineFactory(kind=Timeline.Kind.REPORT, plan=None)
    TimelineStepFactory(timeline=timeline)
    AgendaItemFactory(meeting=meeting)
    AgendaItemFactory(meeting=meeting, activity=activity, decision=decision)
    AgendaItemFactory(meeting=meeting, timeline=timeline)
    meeting_hold(meeting=meeting, user=None)
    meeting.minutes_published_at = timezone.now()
    meeting.save(update_fields=["minutes_published_at"])
    return meeting


def complete_positive_case(case, *, in_path: bool = True) -> None:
    """What a schema cannot say, the positive cases get here; negative ones stay as generated.

    An object the path names is one that exists (``in_path``; else nearly every positive case
    is a 404). A request
    the schema allows is refused with a 400 when it names an activity, a report or a plan that
    does not exist, attaches a file whose content is not of an accepted type, gives a
    URL Django's validator refuses (a host without a dot, an underscore…), or completes an
    activity without evidence (an activity already complete needs none: that depends on the
    activity, not on the request). Everything else the schema allows must be accepted."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    if in_path and (existing := EXISTING_IN_PATH.get(case.operation.path)):
        for name, value in case.path_parameters.items():
            case.path_parameters[name] = existing[len(str(value)) % len(existing)]
    body = case.body
    if not isinstance(body, dict):
        return
    for name, existing in EXISTING.items():
        if body.get(name) not in (None, ""):
            body[name] = existing[len(str(body[name])) % len(existing)]
    if "evidence_file" in body and "multipart" in (case.media_type or ""):
        body["evidence_file"] = PDF_BYTES
    if body.get("evidence_url") and not _valid_url(body["evidence_url"]):
        body["evidence_url"] = EVIDENCE_URL
    completing = body.get("status") == Activity.Status.COMPLETED or body.get("progress") == 100
    if completing and not body.get("evidence_url") and not body.get("evidence_file"):
        body["evidence_url"] = EVIDENCE_URL


def _valid_url(url: str) -> bool:
    try:
        URLValidator()(url)
    except ValidationError:
        return False
    return True


def authorization(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Token {token}"} if token else {}


@pytest.fixture(params=CLIENTS)
def headers(request, api_data) -> dict[str, str]:
    return authorization(api_data[request.param])


@schema.parametrize()
@HYPOTHESIS
def test_every_operation_honours_its_schema(case, headers):
    """The examples, coverage and fuzzing phases, every check."""
    complete_positive_case(case)
    case.call_and_validate(headers=headers)


@pytest.mark.parametrize("client", CLIENTS)
def test_chains_of_calls_honour_the_schema(api_data, client):
    """The stateful phase: calls chained along the links schemathesis infers (a version just
    requested, then its detail and its PDF; a list, then each item), every check."""
    headers = authorization(api_data[client])

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def before_call(self, case):
            # Uploads are the other phases' work: a body holding a file that a link touched is
            # relabelled negative by schemathesis (it cannot validate binary content).
            if isinstance(case.body, dict):
                case.body.pop("evidence_file", None)
            # The ids in the path are the links' (or a first call's, at random) here.
            complete_positive_case(case, in_path=False)

        def get_call_kwargs(self, case):
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            # As call_and_validate does: the checks know the token was given, not generated.
            case.validate_response(
                response,
                additional_checks=additional_checks,
                headers=kwargs.get("headers"),
                transport_kwargs=kwargs,
                recorder=self.recorder,
            )

    Workflow.run(settings=settings(HYPOTHESIS, max_examples=STATEFUL_SCENARIOS))


# Each drift the schemathesis run found, pinned -----------------------------------------------


def request_schema(path: str, method: str, media_type: str = "application/json"):
    body = schema[path][method].get_body_for_media_type(media_type)
    return jsonschema_rs.validator_for(body.validation_schema, validate_formats=True)


def documented(path: str, method: str) -> set[int]:
    return {int(code) for code in schema.raw_schema["paths"][path][method.lower()]["responses"]}


def test_meetings_declare_the_nulls_they_answer(api_data):
    """An agenda item without activity, decision or timeline, a decision without owner, a
    timeline without plan: each null is declared nullable."""
    for path in ("/api/v1/meetings/", "/api/v1/meetings/{id}/"):
        operation = schema[path]["GET"]
        case = operation.Case(
            path_parameters={"id": api_data["meeting"].pk} if "{id}" in path else {}
        )
        response = case.call()
        assert response.status_code == 200 and "null" in response.text
        case.validate_response(response, checks=[response_schema_conformance])


def test_a_commitments_irm_assessment_is_in_the_schema_and_null_when_none(api_data):
    properties = schema.raw_schema["components"]["schemas"]["Commitment"]["properties"]
    assert "irm_assessment" in properties
    assessed, unassessed = api_data["commitments"]
    answers = {}
    for commitment in (assessed, unassessed):
        case = schema["/api/v1/commitments/{id}/"]["GET"].Case(
            path_parameters={"id": commitment.pk}
        )
        response = case.call()
        case.validate_response(response, checks=[response_schema_conformance])
        answers[commitment.pk] = response.json()["irm_assessment"]
    assert answers[unassessed.pk] is None
    irm = answers[assessed.pk]
    assert irm["report_url"] is None and irm["completion"] == "substantial"
    assert irm["differences"][0]["criterion"] == "completion"  # the portal: no evidence


@pytest.mark.parametrize(
    "path, name",
    [
        ("/api/v1/activities/", "commitment"),
        ("/api/v1/commitments/", "axis"),
        ("/api/v1/updates/", "activity"),
        ("/api/v1/updates/", "commitment"),
        ("/api/v1/reports/", "report"),
    ],
)
def test_numeric_filters_are_integers_the_schema_bounds(api_data, path, name):
    parameters = schema.raw_schema["paths"][path]["get"]["parameters"]
    declared = next(p["schema"] for p in parameters if p["name"] == name)
    assert declared == {"type": "integer", "minimum": 0, "maximum": MAX_ID}
    client = Client()
    for allowed in (0, MAX_ID):  # an unknown id is an empty list, not a 400
        response = client.get(path, {name: allowed})
        assert response.status_code == 200 and response.json()["count"] == 0
    for refused in ("2.89e16", "-1", str(MAX_ID + 1), "²"):
        response = client.get(path, {name: refused})
        assert response.status_code == 400 and name in response.json()


def test_a_patch_of_an_activity_needs_its_progress_as_the_schema_says(api_data):
    for media_type in ("application/json", "multipart/form-data"):
        assert not request_schema("/api/v1/activities/{id}/", "PATCH", media_type).is_valid({})
    client = Client(HTTP_AUTHORIZATION=f"Token {api_data['secretariat']}")
    url = f"/api/v1/activities/{api_data['activity'].pk}/"
    response = client.patch(url, {}, content_type="application/json")
    assert response.status_code == 400 and "progress" in response.json()


@pytest.mark.parametrize(
    "body, accepted",
    [
        ({"progress": 30, "status": "blocked"}, False),
        ({"progress": 30, "status": "blocked", "blocked_reason": "  "}, False),
        ({"progress": 30, "status": "blocked", "blocked_reason": "Budget"}, True),
        ({"progress": 100, "status": "blocked", "blocked_reason": "Budget"}, False),
        ({"progress": 50, "status": "completed"}, False),
        ({"progress": 10, "status": "not_started"}, False),
        ({"progress": 0, "status": "in_progress"}, False),
        ({"progress": 0}, True),
        ({"progress": 0, "evidence_url": ""}, True),
        ({"progress": 0, "evidence_url": "no uri"}, False),
        ({"progress": 100, "evidence_url": EVIDENCE_URL}, True),
    ],
)
def test_status_and_progress_agree_in_the_schema_as_on_the_server(api_data, body, accepted):
    assert request_schema("/api/v1/updates/", "POST").is_valid({**body, "activity": 1}) is accepted
    client = Client(HTTP_AUTHORIZATION=f"Token {api_data['secretariat']}")
    url = f"/api/v1/activities/{api_data['activity'].pk}/"
    response = client.patch(url, body, content_type="application/json")
    assert response.status_code == (200 if accepted else 400), response.json()


def test_a_file_travels_in_multipart_only_and_no_field_is_null_in_a_form(api_data):
    """A form has no null (schemathesis, like any client, would send the text "null"), and only
    multipart carries a file."""
    for media_type in ("application/json", "application/x-www-form-urlencoded"):
        body = schema["/api/v1/updates/"]["POST"].get_body_for_media_type(media_type)
        assert "evidence_file" not in body.resolved_schema["properties"]
    multipart = request_schema("/api/v1/updates/", "POST", "multipart/form-data")
    assert multipart.is_valid({"activity": 1, "progress": 5, "evidence_file": "a file"})
    assert not multipart.is_valid({"activity": 1, "progress": 5, "evidence_file": None})
    assert not multipart.is_valid({"activity": 1, "progress": 5, "version": None})


@pytest.mark.parametrize(
    "plan, report, status",
    [(None, None, 400), ("", None, 400), ("", "report", 202), ("plan", None, 202)],
)
def test_a_report_is_requested_by_plan_or_report_as_the_schema_says(api_data, plan, report, status):
    """An empty plan is no plan, in JSON as in a form."""
    given = {"plan": api_data["report"].plan.code, "report": api_data["report"].pk}
    body = {"language": "fr"}
    if plan is not None:
        body["plan"] = given["plan"] if plan else ""
    if report:
        body["report"] = given["report"]
    assert request_schema("/api/v1/reports/", "POST").is_valid(body) is (status == 202)
    client = Client(HTTP_AUTHORIZATION=f"Token {api_data['secretariat']}")
    assert (
        client.post("/api/v1/reports/", body, content_type="application/json").status_code == status
    )
    assert client.post("/api/v1/reports/", body).status_code == status  # multipart


def test_the_pdf_of_a_version_not_ready_is_a_409_with_the_version(api_data):
    pending = ReportVersion.objects.get(report=api_data["report"], language="ar")
    client = Client(HTTP_AUTHORIZATION=f"Token {api_data['secretariat']}")
    response = client.get(f"/api/v1/reports/{pending.pk}/pdf/")
    assert response.status_code == 409 and response.json()["status"] == "pending"
    assert 409 in documented("/api/v1/reports/{id}/pdf/", "GET")


MALFORMED = [
    ("", b"progress=5"),
    ("text/plain", b"progress=5"),
    ("multipart/form-data", b"--no-boundary\r\n"),
    ("multipart/form-data; boundary=zz", b"not multipart"),
    ("application/json", b"{not json"),
    ("application/json", b"[]"),
    ("application/json", b"null"),
    ("application/x-www-form-urlencoded", b"%%%"),
]


@pytest.mark.parametrize("content_type, body", MALFORMED)
def test_every_write_documents_what_a_malformed_body_gets(api_data, content_type, body):
    """415 without a Content-Type the API reads, 400 for a body it cannot parse: declared."""
    client = Client(HTTP_AUTHORIZATION=f"Token {api_data['secretariat']}")
    writes = [
        ("post", "/api/v1/updates/", "/api/v1/updates/"),
        ("patch", "/api/v1/activities/{id}/", f"/api/v1/activities/{api_data['activity'].pk}/"),
        ("post", "/api/v1/reports/", "/api/v1/reports/"),
    ]
    for method, path, url in writes:
        response = getattr(client, method)(url, data=body, content_type=content_type)
        assert response.status_code in {400, 415} & documented(path, method), (path, response)


def test_an_accept_header_the_api_cannot_meet_is_a_documented_406(api_data):
    response = Client().get("/api/v1/plans/", HTTP_ACCEPT="text/csv")
    assert response.status_code == 406
    assert 406 in documented("/api/v1/plans/", "GET")


@pytest.mark.parametrize(
    "field, value",
    [("progress", "60"), ("progress", True), ("comment", 5), ("evidence_title", -3.9e16),
     ("version", "1")],
)  # fmt: skip
def test_a_json_field_of_another_type_than_the_schema_says_is_refused(api_data, field, value):
    """DRF would read 5 as "5" and "5" as 5; the schema says string or integer, so does the API."""
    body = {"progress": 60, field: value}
    assert not request_schema("/api/v1/activities/{id}/", "PATCH").is_valid(body)
    client = Client(HTTP_AUTHORIZATION=f"Token {api_data['secretariat']}")
    url = f"/api/v1/activities/{api_data['activity'].pk}/"
    response = client.patch(url, body, content_type="application/json")
    assert response.status_code == 400 and field in response.json()


def test_a_form_sends_text_and_is_read_as_numbers_where_the_schema_says_so(api_data):
    client = Client(HTTP_AUTHORIZATION=f"Token {api_data['secretariat']}")
    url = f"/api/v1/activities/{api_data['activity'].pk}/"
    response = client.patch(url, "progress=60&comment=5", "application/x-www-form-urlencoded")
    assert response.status_code == 200 and response.json()["progress"] == 60
