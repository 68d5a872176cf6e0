"""factory_boy factories for the co-creation of a plan."""

import datetime

import factory
from django.urls import reverse

from cocreation.models import Event, InstitutionAnswer, Process, Proposal, Score, Theme
from tests.factories import InstitutionFactory, UserFactory


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Process

    title_fr = factory.Sequence(lambda n: f"Co-création {n}")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    process = factory.SubFactory(ProcessFactory)
    position = factory.Sequence(lambda n: n + 1)
    title_fr = factory.Sequence(lambda n: f"Thème {n}")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    process = factory.SubFactory(ProcessFactory)
    title_fr = factory.Sequence(lambda n: f"Atelier {n}")
    date = datetime.date(2023, 6, 1)


class ProposalFactory(factory.django.DjangoModelFactory):
    """A published proposal collected outside the portal (no consent needed)."""

    class Meta:
        model = Proposal

    process = factory.SubFactory(ProcessFactory)
    title = factory.Sequence(lambda n: f"Proposition {n}")
    description = "En données ouvertes, chaque trimestre."
    source = Proposal.Source.OTHER
    moderation = Proposal.Moderation.PUBLISHED


class InstitutionAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InstitutionAnswer

    proposal = factory.SubFactory(ProposalFactory)
    institution = factory.SubFactory(InstitutionFactory)
    text = factory.Sequence(lambda n: f"Réponse {n}")


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    proposal = factory.SubFactory(ProposalFactory)
    user = factory.SubFactory(UserFactory)
    value = 3


# The public proposal form ------------------------------------------------------------------


def propose_url(process):
    return reverse("cocreation:propose", args=[process.pk])


def form_data(process, **overrides):
    data = {
        "title": "Publier les budgets communaux",
        "description": "Les budgets des communes en données ouvertes, chaque année.",
        "theme": process.themes.first().pk,
        "institution": "",
        "author_name": "Salma",
        "author_organisation": "Association Transparence",
        "email": "salma@example.org",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data
