"""The proposals one sender may send in an hour (COCREATION_PROPOSALS_PER_HOUR): refused with a
429 beyond the limit, and counted under a lock, so that simultaneous requests cannot pass it."""

import pytest
from django.test import Client

from cocreation.models import Proposal
from tests.cocreation.factories import form_data, propose_url
from tests.concurrency import at_once, hold_until_all_arrive, needs_concurrent_connections

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_too_many_proposals_from_one_sender_are_refused_with_429(client, process, settings):
    settings.COCREATION_PROPOSALS_PER_HOUR = 2
    for _ in range(2):
        assert client.post(propose_url(process), form_data(process)).status_code == 302
    response = client.post(propose_url(process), form_data(process, title="Troisième idée"))
    assert response.status_code == 429
    assert "wait an hour" in response.content.decode()
    assert 'value="Troisième idée"' in response.content.decode()
    assert Proposal.objects.count() == 2
    # Another address is not affected.
    other = client.post(propose_url(process), form_data(process), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


@pytest.mark.django_db(transaction=True)
def test_nine_simultaneous_proposals_from_one_address_pass_only_five(
    process, monkeypatch, settings
):
    """Every request has counted the sender's proposals before any is saved: the count is
    taken under a lock, so the last four see the first five."""
    needs_concurrent_connections()
    settings.COCREATION_PROPOSALS_PER_HOUR = 5
    hold_until_all_arrive(monkeypatch, Proposal, "save", count=9)

    def propose(n: int) -> int:
        data = form_data(process, title=f"Idée {n}")
        return Client().post(propose_url(process), data).status_code

    assert sorted(at_once(9, propose)) == [302] * 5 + [429] * 4
    assert Proposal.objects.count() == 5
