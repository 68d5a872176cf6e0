"""A large plan's commitment table comes in pages, the filters kept from page to page."""

import re

import pytest
from django.test import Client

from commitments.dashboard import DASHBOARD_PAGE_SIZE
from tests.factories import AxisFactory, CommitmentFactory

pytestmark = pytest.mark.django_db


def numbers(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr data-commitment="(\d+)"', html)]


def test_the_commitment_table_is_paginated_and_keeps_the_filters():
    axis = AxisFactory(number=1)
    other = AxisFactory(plan=axis.plan, number=2)
    for number in range(1, DASHBOARD_PAGE_SIZE + 6):
        CommitmentFactory(plan=axis.plan, axis=axis, number=number)
    CommitmentFactory(plan=axis.plan, axis=other, number=100)
    url = f"/en/plans/{axis.plan.code}/"
    client = Client()

    first = client.get(url).content.decode()
    assert len(numbers(first)) == DASHBOARD_PAGE_SIZE
    nav = re.search(r'<nav aria-label="Pages of commitments".*?</nav>', first, re.S)
    assert nav and "Page 1 of 2" in nav.group(0)
    assert 'href="?page=2#commitments">Next</a>' in nav.group(0)

    filtered = client.get(url, {"axis": 1, "page": 2}).content.decode()
    assert sorted(numbers(filtered)) == list(
        range(DASHBOARD_PAGE_SIZE + 1, DASHBOARD_PAGE_SIZE + 6)
    )
    assert 'href="?axis=1&amp;page=1#commitments">Previous</a>' in filtered
    assert "6 commitments match" not in filtered and "55 commitments match" in filtered


def test_a_page_past_the_end_shows_the_last_and_a_small_plan_has_no_pages():
    axis = AxisFactory(number=1)
    for number in range(1, 4):
        CommitmentFactory(plan=axis.plan, axis=axis, number=number)
    html = Client().get(f"/en/plans/{axis.plan.code}/", {"page": "99"}).content.decode()
    assert sorted(numbers(html)) == [1, 2, 3]
    assert "Pages of commitments" not in html
