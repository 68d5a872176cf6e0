"""Who may do what, as ``rules`` predicates shared by every page and API endpoint.

- The secretariat (members of the "secretariat" group, and superusers) changes everything.
- A focal point, titular or alternate, changes the activities of the commitments they hold
  *today*; an ended assignment gives no right.
- The secretariat alone records the IRM's assessment of a commitment.
- Anonymous visitors change nothing.
"""

from __future__ import annotations

import rules

from .models import Activity, Commitment, FocalPointAssignment
from .roles import SECRETARIAT_GROUP, User, is_secretariat

__all__ = ["SECRETARIAT_GROUP", "User", "is_secretariat"]


@rules.predicate
def is_current_focal_point(user: User, commitment: Commitment | None) -> bool:
    if commitment is None or not user.is_authenticated or not user.is_active:
        return False
    return FocalPointAssignment.objects.current().filter(user=user, commitment=commitment).exists()


@rules.predicate
def holds_a_commitment(user: User) -> bool:
    return Commitment.objects.held_by(user).exists()


can_update_commitment = is_secretariat | is_current_focal_point


def can_update_activity(user: User, activity: Activity) -> bool:
    return bool(can_update_commitment(user, activity.commitment))


rules.add_perm("commitments.update_commitment", can_update_commitment)
rules.add_perm("commitments.validate_update", is_secretariat)
rules.add_perm("commitments.hand_over_commitment", is_secretariat)
rules.add_perm("commitments.view_workspace", holds_a_commitment | is_secretariat)
rules.add_perm("commitments.view_secretariat_overview", is_secretariat)
rules.add_perm("commitments.import_plan", is_secretariat)
# The IRM's assessments are recorded by the secretariat alone, from the IRM's reports.
rules.add_perm("commitments.record_irm_assessment", is_secretariat)
