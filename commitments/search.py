"""What the search looks at in commitments and activities, best places first."""

from django.utils.translation import gettext_lazy as _

from ogp_portal.search import Field

COMMITMENT_FIELDS = [
    Field("ogp_id", _("OGP id"), "ogp_id", translated=False, exact_first=True, partial=False),
    Field("number", _("number"), "number", translated=False, exact_first=True, partial=False),
    Field("title", _("title"), "title", exact_first=True),
    Field("lead_institution", _("lead institution"), "lead_institution__name"),
    Field(
        "lead_institution_acronym",
        _("lead institution"),
        "lead_institution__acronym",
        translated=False,
        exact_first=True,
        partial=False,
    ),
    Field("challenge", _("challenge"), "challenge"),
    Field("solution", _("solution"), "solution"),
    Field("expected_results", _("expected results"), "expected_results"),
]

ACTIVITY_FIELDS = [
    Field("title", _("title"), "title", exact_first=True),
    Field("description", _("description"), "description"),
]
