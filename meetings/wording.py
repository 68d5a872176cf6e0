"""How the minutes name people, as the seeds do: a seat without a name by its organisation
("Représentante de la Direction Générale des Collectivités Territoriales"), an alternate by the
word for her or him ("suppléante")."""

from __future__ import annotations

from django.utils.translation import get_language, gettext, pgettext

# French joins "Représentant(e)" to an organisation with the article of the organisation's
# first word: "de l'" before a vowel, else "de la", "du" or "des" by its gender and number.
# Words not listed here fall back to "Représentant, <organisation>".
FRENCH_FEMININE = {
    "Autorité", "Banque", "Caisse", "Chambre", "Coalition", "Commission", "Confédération",
    "Coordination", "Cour", "Délégation", "Direction", "Division", "Fédération", "Fondation",
    "Haute", "Inspection", "Ligue", "Maison", "Plateforme", "Préfecture", "Présidence",
    "Province", "Radio", "Région", "Société", "Trésorerie", "Wilaya",
}  # fmt: skip
FRENCH_MASCULINE = {
    "Bureau", "Cabinet", "Centre", "Cercle", "Collectif", "Comité", "Conseil", "Département",
    "Fonds", "Forum", "Groupement", "Haut-Commissariat", "Ministère", "Mouvement", "Parlement",
    "Parquet", "Pôle", "Réseau", "Secrétariat", "Service", "Syndicat", "Tribunal",
}  # fmt: skip
FRENCH_PLURAL = {"Archives", "Services"}
VOWELS = "AÀÂÄEÉÈÊËIÎÏOÔÖUÙÛÜYŒÆ"


def representative(civility: str) -> str:
    """The word for a seat without a name: "Représentante", "Représentant"."""
    if civility == "Mme.":
        return pgettext("woman", "Representative")
    if civility == "M.":
        return pgettext("man", "Representative")
    return gettext("Representative")


def alternate(civility: str) -> str:
    """The word for an alternate seat: "suppléante", "suppléant"."""
    if civility == "Mme.":
        return pgettext("woman", "alternate")
    if civility == "M.":
        return pgettext("man", "alternate")
    return gettext("alternate")


def french_of(organisation: str) -> str | None:
    """ "de la Direction…", "du Ministère…", "de l'Association…", or None when the article is
    not known."""
    head = organisation.split(" ", 1)[0]
    if head in FRENCH_PLURAL:
        return f"des {organisation}"
    if head[:1].upper() in VOWELS:
        return f"de l'{organisation}"
    if head in FRENCH_FEMININE:
        return f"de la {organisation}"
    if head in FRENCH_MASCULINE:
        return f"du {organisation}"
    return None


def representative_of(civility: str, organisation: str) -> str:
    """An unnamed seat as the minutes write it, in the active language."""
    word = representative(civility)
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
