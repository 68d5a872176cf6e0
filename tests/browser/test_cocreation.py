"""The co-creation as a new user meets it: an anonymous visitor proposes; the secretariat
moderates, classifies and answers; the public sees the response and the figures move; the retained
proposal becomes a draft commitment of the next plan."""

import re

import pytest

from cocreation.models import Process, Proposal
from commitments.models import Commitment, Institution

from .conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def figure(page, name: str) -> int:
    return int(page.inner_text(f"[data-testid={name}]").strip())


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_proposal_from_the_public_to_a_draft_commitment(demo, live_server, new_page, lang):
    base = live_server.url
    process = Process.objects.get(plan__code="PAN-2024-2027")
    ministry = Institution.objects.get(code="MTNRA")

    visitor = new_page(viewport={"width": 390, "height": 844})  # on a phone
    visitor.goto(f"{base}/{lang}/co-creation/{process.pk}/statistics/")
    assert figure(visitor, "proposals") == 0
    visitor.goto(f"{base}/{lang}/co-creation/{process.pk}/")
    visitor.click("[data-testid=propose]")
    visitor.fill("input[name=title]", "Publier les budgets des communes")
    visitor.fill("textarea[name=description]", "Chaque trimestre, en données ouvertes.")
    visitor.click("main form button[type=submit]")  # no consent: refused, text kept
    assert visitor.input_value("input[name=title]") == "Publier les budgets des communes"
    assert not Proposal.objects.exists()
    visitor.select_option("select[name=theme]", index=1)
    visitor.check("input[name=consent]")
    visitor.fill("input[name=email]", "citoyen@example.org")
    visitor.click("main form button[type=submit]")
    visitor.wait_for_url(re.compile(r"sent=1"))
    proposal = Proposal.objects.get()
    assert proposal.moderation == "pending"
    width = visitor.evaluate("document.documentElement.scrollWidth")
    assert width <= 391, f"the form scrolls sideways ({width}px)"
    assert visitor.goto(f"{base}/{lang}/co-creation/proposals/{proposal.pk}/").status == 404

    secretariat = new_page()
    log_in(secretariat, base, lang, "secretariat")
    secretariat.goto(f"{base}/{lang}/secretariat/co-creation/{process.pk}/")
    secretariat.click(f"[data-testid=publish-{proposal.pk}]")
    secretariat.goto(f"{base}/{lang}/secretariat/co-creation/proposals/{proposal.pk}/")
    assert "citoyen@example.org" in secretariat.inner_text("[data-testid=email]")
    secretariat.select_option("select[name=status]", "retained")
    secretariat.select_option("select[name=institution]", str(ministry.pk))
    secretariat.click("[data-testid=screen]")  # no reasoned response: refused
    assert secretariat.locator(".errorlist").count() >= 1
    proposal.refresh_from_db()
    assert proposal.status == "received"
    secretariat.select_option("select[name=status]", "retained")
    secretariat.fill("textarea[name=response]", "Retenue : elle renforce la transparence locale.")
    secretariat.click("[data-testid=screen]")
    secretariat.wait_for_url(re.compile(rf"/secretariat/co-creation/{process.pk}/"))
    proposal.refresh_from_db()
    assert proposal.status == "retained" and proposal.institution == ministry

    visitor.goto(f"{base}/{lang}/co-creation/proposals/{proposal.pk}/")
    assert "transparence locale" in visitor.inner_text("[data-testid=response]")
    visitor.goto(f"{base}/{lang}/co-creation/{process.pk}/statistics/")
    assert figure(visitor, "proposals") == 1 and figure(visitor, "answered") == 1
    screenshot(visitor, f"cocreation-statistics-{lang}")

    secretariat.goto(f"{base}/{lang}/secretariat/co-creation/{process.pk}/drafts/")
    secretariat.check(f"input[name=proposals][value='{proposal.pk}']")
    secretariat.fill("input[name=title]", "Budgets communaux ouverts")
    secretariat.select_option("select[name=lead_institution]", str(ministry.pk))
    secretariat.click("[data-testid=create-draft]")
    secretariat.wait_for_selector("[data-commitment='1']")
    draft = Commitment.objects.get(plan__code="PAN-2024-2027")
    assert draft.status == Commitment.Status.DRAFT
    assert list(draft.proposals.all()) == [proposal]
    screenshot(secretariat, f"cocreation-drafts-{lang}")
    visitor.goto(f"{base}/{lang}/co-creation/proposals/{proposal.pk}/")
    assert "Budgets communaux ouverts" in visitor.inner_text("[data-testid=commitment]")
