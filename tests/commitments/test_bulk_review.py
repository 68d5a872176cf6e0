"""The secretariat validates several updates at once: each is still checked and recorded on its
own, a refusal undoes none of the others, and the queue says what was validated and what was
refused and why. The queue shows each update beside the figure it would replace."""

import re

import pytest
from django.test import Client

from commitments.models import Activity, ProgressUpdate
from commitments.services import (
    UpdateEntry,
    progress_update_return,
    progress_update_submit,
    progress_updates_validate,
)
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db

QUEUE = "/{lang}/secretariat/review/"
BULK = "/{lang}/secretariat/review/validate-selected/"
S = Activity.Status


def submit(activity, author, progress, **kwargs) -> ProgressUpdate:
    return progress_update_submit(
        entry=UpdateEntry(activity=activity, progress=progress, **kwargs), author=author
    )


@pytest.fixture
def staff(secretariat) -> Client:
    client = Client()
    client.force_login(secretariat)
    return client


@pytest.fixture
def roadmap(commitment, secretariat):
    """At 20 % (validated), with a focal point's 60 % waiting."""
    activity = ActivityFactory(
        commitment=commitment, title_fr="Feuille de route", title_ar="خارطة الطريق"
    )
    submit(activity, secretariat, 20)
    return activity


@pytest.fixture
def workshop(commitment):
    return ActivityFactory(commitment=commitment, title_fr="Atelier de lancement")


@pytest.fixture
def portal(other_commitment):
    return ActivityFactory(commitment=other_commitment, title_fr="Portail de suivi")


@pytest.fixture
def charter(other_commitment):
    return ActivityFactory(commitment=other_commitment, title_fr="Charte publiée")


@pytest.fixture
def waiting(roadmap, workshop, portal, charter, focal_point, other_focal_point):
    """Four updates awaiting validation; the third says "not started" at 30 %, a contradiction
    recorded before the rule held, which validation refuses."""
    contradiction = ProgressUpdate.objects.create(
        activity=portal,
        author=other_focal_point,
        old_progress=0,
        new_progress=30,
        old_status=S.NOT_STARTED,
        new_status=S.NOT_STARTED,
        state=ProgressUpdate.State.SUBMITTED,
        source=ProgressUpdate.Source.WEB,
    )
    return [
        submit(roadmap, focal_point, 60, narrative="Atelier tenu"),
        submit(workshop, focal_point, 10),
        contradiction,
        submit(charter, other_focal_point, 40),
    ]


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_validating_several_records_each_and_a_refusal_undoes_none(waiting, secretariat, english):
    roadmap_update, workshop_update, contradiction, charter_update = waiting
    histories = {u.pk: u.activity.history.count() for u in waiting}

    outcomes = progress_updates_validate(
        update_ids=[u.pk for u in waiting], reviewer=secretariat, note="Vu en comité"
    )

    assert [(o.update_id, o.validated) for o in outcomes] == [
        (roadmap_update.pk, True),
        (workshop_update.pk, True),
        (contradiction.pk, False),
        (charter_update.pk, True),
    ]
    assert "An activity that has not started is at 0 %" in outcomes[2].reason
    for update in waiting:
        update.refresh_from_db()
        update.activity.refresh_from_db()
    for update in (roadmap_update, workshop_update, charter_update):
        assert update.state == ProgressUpdate.State.VALIDATED
        assert (update.reviewed_by, update.review_note) == (secretariat, "Vu en comité")
        assert update.reviewed_at is not None
        assert update.activity.progress == update.new_progress
        # One history row of the activity per validated update.
        assert update.activity.history.count() == histories[update.pk] + 1
    assert contradiction.state == ProgressUpdate.State.SUBMITTED
    assert (contradiction.reviewed_by, contradiction.review_note) == (None, "")
    assert contradiction.activity.progress == 0
    assert contradiction.activity.history.count() == histories[contradiction.pk]


def test_the_summary_says_what_was_validated_and_what_was_refused_and_why(staff, waiting):
    ids = [str(u.pk) for u in waiting]
    response = staff.post(BULK.format(lang="en"), {"update": ids, "note": ""}, follow=True)

    assert response.redirect_chain == [("/en/secretariat/review/", 302)]
    messages = messages_of(response)
    assert messages[0] == "3 updates validated; 1 refused."
    assert messages[1].startswith(
        "Refused: commitment 4, “Portail de suivi”: This update cannot be validated: "
        "An activity that has not started is at 0 %"
    )
    assert messages[2:] == [
        "Validated: commitment 3, “Feuille de route” is now at 60 %.",
        "Validated: commitment 3, “Atelier de lancement” is now at 10 %.",
        "Validated: commitment 4, “Charte publiée” is now at 40 %.",
    ]
    html = response.content.decode()
    assert html.index("3 updates validated; 1 refused.") < html.index("<h1>")
    # The refused update stays in the queue, the others left it.
    assert list(ProgressUpdate.objects.pending()) == [waiting[2]]
    assert f'id="update-{waiting[2].pk}"' in html
    assert f'id="update-{waiting[0].pk}"' not in html


def test_all_validated_says_so_without_a_refusal(staff, waiting):
    ids = [waiting[0].pk, waiting[1].pk]
    response = staff.post(BULK.format(lang="en"), {"update": ids}, follow=True)
    assert messages_of(response)[0] == "2 updates validated."
    levels = [m.level_tag for m in response.context["messages"]]
    assert levels == ["success"] * 3


def test_an_update_decided_by_someone_else_in_between_is_refused(
    staff, waiting, secretariat, english
):
    roadmap_update, workshop_update, *_ = waiting
    progress_update_return(update=workshop_update, reviewer=secretariat, note="Joindre le PV")

    response = staff.post(
        BULK.format(lang="en"), {"update": [roadmap_update.pk, workshop_update.pk]}, follow=True
    )

    assert messages_of(response)[:2] == [
        "1 update validated; 1 refused.",
        "Refused: commitment 3, “Atelier de lancement”: "
        "This update is no longer awaiting validation.",
    ]
    workshop_update.refresh_from_db()
    roadmap_update.refresh_from_db()
    assert (workshop_update.state, workshop_update.review_note) == ("returned", "Joindre le PV")
    assert roadmap_update.state == ProgressUpdate.State.VALIDATED


@pytest.mark.parametrize("value", ["abc", "9" * 30, "-1", "²", "1\x00", "x" * 10_000, ""])
def test_unreadable_ids_are_reported_and_the_others_validated(staff, waiting, value):
    response = staff.post(BULK.format(lang="en"), {"update": [value, waiting[0].pk]}, follow=True)
    assert response.status_code == 200
    messages = messages_of(response)
    assert messages[0] == "1 update validated; 1 refused."
    assert messages[1].startswith("Refused: “")
    assert messages[1].endswith("” is no update of the queue.")
    assert len(messages[1]) < 100
    waiting[0].refresh_from_db()
    assert waiting[0].state == ProgressUpdate.State.VALIDATED


def test_unknown_and_repeated_ids_are_reported_once(staff, waiting):
    missing = ProgressUpdate.objects.order_by("pk").last().pk + 1000
    ids = [waiting[1].pk, missing, waiting[1].pk]
    response = staff.post(BULK.format(lang="en"), {"update": ids}, follow=True)
    assert messages_of(response)[:2] == [
        "1 update validated; 1 refused.",
        f"Refused: update {missing}: This update does not exist.",
    ]
    assert len(messages_of(response)) == 3


def test_nothing_ticked_keeps_the_note_and_shows_the_error(staff, waiting):
    response = staff.post(BULK.format(lang="en"), {"note": "Vu en comité"})
    assert response.status_code == 400
    html = response.content.decode()
    summary = re.search(r'<div class="form-errors" role="alert".*?</div>', html, re.S).group()
    assert "Tick at least one update" in summary
    assert 'href="#bulk-update"' in summary and 'id="bulk-update"' in html
    assert html.index(summary) < html.index(f'id="update-{waiting[0].pk}"')
    assert re.search(r'<textarea name="note"[^>]*>\s*Vu en comité</textarea>', html)
    assert 'aria-describedby="bulk-selection-error"' in html
    assert ProgressUpdate.objects.pending().count() == 4


def test_a_refused_form_keeps_the_ticked_boxes(staff, waiting):
    response = staff.post(BULK.format(lang="en"), {"update": [waiting[1].pk], "note": "x" * 3000})
    assert response.status_code == 400
    html = response.content.decode()
    assert checked_boxes(html) == {waiting[1].pk}
    waiting[1].refresh_from_db()
    assert waiting[1].state == ProgressUpdate.State.SUBMITTED


def test_bulk_validation_needs_post(staff):
    assert staff.get(BULK.format(lang="fr")).status_code == 405


def test_a_focal_point_cannot_validate_in_bulk(waiting, focal_point):
    client = Client()
    client.force_login(focal_point)
    response = client.post(BULK.format(lang="fr"), {"update": [waiting[0].pk]})
    assert response.status_code == 403
    waiting[0].refresh_from_db()
    assert waiting[0].state == ProgressUpdate.State.SUBMITTED


def checked_boxes(html: str) -> set[int]:
    boxes = re.findall(r'<input type="checkbox" name="update"[^>]*>', html)
    return {int(re.search(r'value="(\d+)"', box).group(1)) for box in boxes if "checked" in box}


def test_each_box_is_labelled_with_its_activity_and_belongs_to_the_bulk_form(staff, waiting):
    html = staff.get(QUEUE.format(lang="fr")).content.decode()
    boxes = re.findall(r'<input type="checkbox" name="update"[^>]*>', html)
    assert len(boxes) == 4
    for update in waiting:
        box = next(b for b in boxes if f'value="{update.pk}"' in b)
        assert 'form="bulk-validate"' in box
        box_id = re.search(r'id="([^"]+)"', box).group(1)
        label = re.search(rf'<label for="{box_id}">(.*?)</label>', html, re.S).group(1)
        assert update.activity.title_fr in label
    assert '<form method="post" id="bulk-validate"' in html


def test_select_all_works_without_javascript(staff, waiting):
    assert checked_boxes(staff.get(QUEUE.format(lang="en")).content.decode()) == set()
    html = staff.get(QUEUE.format(lang="en") + "?select=all").content.decode()
    assert checked_boxes(html) == {u.pk for u in waiting}
    assert 'href="/en/secretariat/review/?select=all#bulk-validate"' in html
    assert "/static/js/review-queue.js" in html


def figures(html: str, update: ProgressUpdate) -> dict[str, str]:
    article = re.search(rf'id="update-{update.pk}".*?</article>', html, re.S).group()
    found = dict(re.findall(r'data-testid="([\w-]+)">(.*?)</(?:dd|p)>', article, re.S))
    text = {key: re.sub(r"<[^>]+>|&nbsp;", " ", value) for key, value in found.items()}
    return {key: " ".join(value.split()) for key, value in text.items()}


def test_the_queue_shows_each_update_beside_the_figure_it_would_replace(staff, waiting):
    roadmap_update = waiting[0]
    shown = figures(staff.get(QUEUE.format(lang="en")).content.decode(), roadmap_update)
    assert shown["current-figure"] == "20 % · In progress"
    assert shown["update-change"] == "20 % · In progress → 60 % · In progress"
    assert "changed-since" not in shown


def test_the_queue_flags_a_figure_changed_since_submission(staff, waiting):
    roadmap_update = waiting[0]
    # The figure moved without a new update (an administrator's correction, say).
    Activity.objects.filter(pk=roadmap_update.activity_id).update(progress=35)
    html = staff.get(QUEUE.format(lang="en")).content.decode()
    shown = figures(html, roadmap_update)
    assert shown["current-figure"] == "35 % · In progress"
    assert shown["changed-since"].startswith("Changed since submission")
    assert "35 %" in shown["changed-since"]
    assert "20 %" in shown["changed-since"]
    assert "changed-since" not in figures(html, waiting[1])


@pytest.mark.parametrize(
    ("lang", "direction", "heading", "title", "arrow"),
    [
        ("fr", "ltr", "Mises à jour en attente de validation", "Feuille de route", "→"),
        ("ar", "rtl", "التحيينات في انتظار المصادقة", "خارطة الطريق", "←"),
    ],
)
def test_the_queue_in_french_and_arabic(staff, waiting, lang, direction, heading, title, arrow):
    response = staff.get(QUEUE.format(lang=lang))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert f"<h1>{heading}</h1>" in html
    box = re.search(rf'<input type="checkbox" name="update" value="{waiting[0].pk}"[^>]*>', html)
    box_id = re.search(r'id="([^"]+)"', box.group()).group(1)
    assert title in re.search(rf'<label for="{box_id}">(.*?)</label>', html, re.S).group(1)
    assert f'action="/{lang}/secretariat/review/validate-selected/"' in html
    # The old value comes first in the reading direction, and the arrow points to the new one.
    status = {"fr": "En cours", "ar": "في طور الإنجاز"}[lang]
    shown = figures(html, waiting[0])["update-change"]
    assert shown == f"20 % · {status} {arrow} 60 % · {status}"


def test_the_summary_in_arabic_names_the_activity_in_arabic(staff, waiting):
    response = staff.post(BULK.format(lang="ar"), {"update": [waiting[0].pk]}, follow=True)
    assert response.redirect_chain == [("/ar/secretariat/review/", 302)]
    assert "خارطة الطريق" in messages_of(response)[1]
    assert '<html lang="ar" dir="rtl">' in response.content.decode()
