import pytest

from commitments.services import UpdateEntry, progress_update_submit
from tests.factories import ActivityFactory


@pytest.fixture
def activity(commitment):
    """An activity of commitment 3, with its title in French and in Arabic."""
    return ActivityFactory(
        commitment=commitment, title_fr="Feuille de route", title_ar="خارطة الطريق"
    )


@pytest.fixture
def submit():
    def run(activity, author, progress, **kwargs):
        return progress_update_submit(
            entry=UpdateEntry(activity=activity, progress=progress, **kwargs), author=author
        )

    return run


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run ``call``, then what it left for the end of the transaction (the sending task)."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run
