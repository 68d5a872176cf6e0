"""Who may do what in the co-creation (rules predicates, as in commitments)."""

from __future__ import annotations

import rules

from commitments.models import FocalPointAssignment, Institution
from commitments.permissions import User, is_secretariat
from meetings.permissions import is_committee_member


def institutions_of(user: User) -> list[Institution]:
    """The institutions a user answers for: those of their current focal-point assignments."""
    if not user.is_authenticated or not user.is_active:
        return []
    ids = FocalPointAssignment.objects.current().filter(user=user).values("institution")
    return list(Institution.objects.filter(pk__in=ids))


@rules.predicate
def answers_for_an_institution(user: User) -> bool:
    return bool(institutions_of(user))


@rules.predicate
def answers_for(user: User, institution: Institution | None) -> bool:
    return institution is not None and institution in institutions_of(user)


rules.add_perm("cocreation.manage", is_secretariat)
rules.add_perm("cocreation.score", is_committee_member | is_secretariat)
rules.add_perm("cocreation.view_institution_proposals", answers_for_an_institution | is_secretariat)
rules.add_perm("cocreation.answer_for", answers_for | is_secretariat)
