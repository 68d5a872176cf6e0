"""How the minutes and the committees page name people, as the seeds do: a seat without a name
by its organisation ("Représentante de la Direction Générale des Collectivités Territoriales"),
an alternate by the word for her or him ("suppléante"), a role in the person's form.

Each word is a contextual string (msgctxt "woman" / "man"), so that every language's catalog
inflects it; a catalog that does not falls back to the neutral word."""

from __future__ import annotations

from django.utils.translation import get_language, pgettext, pgettext_lazy

from commitments import wording as commitments_wording
from ogp_portal.grammar import french_of, inflected

from .models import CommitteeMember


def representative(gender: str) -> str:
    """The word for a seat without a name: "Représentante", "Représentant"."""
    return inflected(
        gender,
        "Representative",
        feminine=pgettext_lazy("woman", "Representative"),
        masculine=pgettext_lazy("man", "Representative"),
    )


alternate = commitments_wording.alternate


def seat(member: CommitteeMember) -> str:
    """ "Titulaire", "Suppléante": a committee seat in its holder's form."""
    return commitments_wording.seat(member.seat, member.gender)


def role(member: CommitteeMember) -> str:
    """ "Présidente", "Membre": a member's role in her or his form."""
    forms = {
        CommitteeMember.Role.CHAIR: (
            "Chair",
            pgettext_lazy("woman", "Chair"),
            pgettext_lazy("man", "Chair"),
        ),
        CommitteeMember.Role.MEMBER: (
            "Member",
            pgettext_lazy("woman", "Member"),
            pgettext_lazy("man", "Member"),
        ),
    }
    if member.role not in forms:
        return str(member.get_role_display())
    neutral, feminine, masculine = forms[member.role]  # type: ignore[index]
    return inflected(member.gender, neutral, feminine=feminine, masculine=masculine)


def representative_of(gender: str, organisation: str) -> str:
    """An unnamed seat as the minutes write it, in the active language."""
    word = representative(gender)
    if not organisation:
        return word
    if (get_language() or "fr").startswith("fr"):
        phrase = french_of(organisation)
        return f"{word} {phrase}" if phrase else f"{word}, {organisation}"
    # Translators: a seat without a name and its organisation, e.g. "Representative of the
    # Ministry of Health". French is written by the code, with the organisation's article.
    return pgettext("representative of", "%(representative)s of the %(organisation)s") % {
        "representative": word,
        "organisation": organisation,
    }
