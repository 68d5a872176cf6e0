"""The one permission templates ask to show the secretariat's links and buttons, whatever the
app: ``{% if perms.portal.secretariat %}``. Views check their app's own permission
(``meetings.manage``, ``reports.manage``...), which today is the same rule."""

import rules

from commitments.roles import is_secretariat

rules.add_perm("portal.secretariat", is_secretariat)
