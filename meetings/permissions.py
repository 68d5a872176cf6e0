"""Who may do what with committees and meetings (rules predicates, as in commitments)."""

from __future__ import annotations

import rules

from commitments.permissions import User, is_secretariat

from .models import CommitteeMember, Meeting

COMMITTEE_GROUP = "committee"


@rules.predicate
def is_committee_member(user: User) -> bool:
    """A current member of a committee with a portal account, or a user of the `committee`
    group (members not yet entered as seats)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if CommitteeMember.objects.current().filter(user=user).exists():
        return True
    return user.groups.filter(name=COMMITTEE_GROUP).exists()  # type: ignore[union-attr]


@rules.predicate
def minutes_are_public(user: User, meeting: Meeting | None) -> bool:
    return meeting is not None and meeting.minutes_are_public


can_see_all_meetings = is_secretariat | is_committee_member

rules.add_perm("meetings.manage", is_secretariat)
rules.add_perm("meetings.see_all_meetings", can_see_all_meetings)
rules.add_perm("meetings.read_meeting", minutes_are_public | can_see_all_meetings)
rules.add_perm("meetings.see_blockers", can_see_all_meetings)
