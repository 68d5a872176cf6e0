"""What the open-data package holds, written once: its resources, their fields (name, Table
Schema type, description in English and French), primary and foreign keys. ``datapackage.json``
(``package.descriptor``) and the data dictionary of the open-data page are both made from it,
and ``rows`` fills its columns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import TextChoices

from cocreation.models import Proposal
from commitments.models import Activity, Commitment, Institution, Plan
from commitments.progress import CompletionLevel
from meetings.models import Attendance, Committee, Decision, Meeting, Timeline, TimelineStep
from ogp_portal.i18n import CONTENT_LANGUAGES
from reports.models import Report

# The languages the schema's descriptions are written in; other pages read the French.
DESCRIPTION_LANGUAGES = ("en", "fr")
LANGUAGE_NAMES = {
    "fr": ("French", "français"),
    "ar": ("Arabic", "arabe"),
    "en": ("English", "anglais"),
}


@dataclass(frozen=True)
class Field:
    """A column: its Table Schema type and what it means."""

    name: str
    type: str  # integer, number, string, boolean, date, datetime
    en: str
    fr: str
    required: bool = False
    enum: tuple[str, ...] = ()

    def description(self, language: str) -> str:
        return self.en if language == "en" else self.fr

    def descriptor(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "description": self.en,
            "description_fr": self.fr,
        }
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if constraints:
            described["constraints"] = constraints
        if self.type == "boolean":
            described.update(trueValues=["true"], falseValues=["false"])
        return described


@dataclass(frozen=True)
class ForeignKey:
    field: str
    resource: str
    reference: str = "id"

    def descriptor(self) -> dict[str, Any]:
        return {
            "fields": self.field,
            "reference": {"resource": self.resource, "fields": self.reference},
        }


@dataclass(frozen=True)
class Resource:
    """A table of the package, one CSV and one JSON file."""

    name: str
    title_en: str
    title_fr: str
    description_en: str
    description_fr: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ("id",)
    foreign_keys: tuple[ForeignKey, ...] = field(default_factory=tuple)

    def title(self, language: str) -> str:
        return self.title_en if language == "en" else self.title_fr

    def description(self, language: str) -> str:
        return self.description_en if language == "en" else self.description_fr

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def foreign_key_of(self, name: str) -> ForeignKey | None:
        return next((key for key in self.foreign_keys if key.field == name), None)


def choices(enum: type[TextChoices]) -> tuple[str, ...]:
    return tuple(str(value) for value in enum.values)


def ident(en: str = "Identifier of the row", fr: str = "Identifiant de la ligne") -> Field:
    return Field("id", "integer", en, fr, required=True)


def ref(name: str, en: str, fr: str, required: bool = True) -> Field:
    return Field(name, "integer", en, fr, required=required)


def translated(name: str, en: str, fr: str) -> tuple[Field, ...]:
    """One column per content language: ``title_fr``, ``title_ar``, ``title_en``; French is the
    original, an empty translation is one not written yet."""
    return tuple(
        Field(
            f"{name}_{code}",
            "string",
            f"{en} ({LANGUAGE_NAMES[code][0]})",
            f"{fr} ({LANGUAGE_NAMES[code][1]})",
        )
        for code in CONTENT_LANGUAGES
    )


def url(en: str, fr: str) -> Field:
    return Field("url", "string", en, fr)


PLAN_KEY = ForeignKey("plan_id", "plans")
STATUS_EN, STATUS_FR = "Status", "Statut"

RESOURCES: tuple[Resource, ...] = (
    Resource(
        "plans",
        "National action plans",
        "Plans d'action nationaux",
        "Every national action plan for open government, with its overall progress.",
        "Chaque plan d'action national pour le gouvernement ouvert, avec son avancement global.",
        (
            ident(),
            Field("code", "string", "Short code of the plan", "Code court du plan", True),
            *translated("title", "Title", "Titre"),
            *translated("description", "Description", "Description"),
            Field("start_date", "date", "Start date", "Date de début", True),
            Field("end_date", "date", "End date", "Date de fin", True),
            Field("status", "string", STATUS_EN, STATUS_FR, True, choices(Plan.Status)),
            Field("is_current", "boolean", "The plan shown by default", "Plan affiché par défaut"),
            Field(
                "progress",
                "number",
                "Mean progress of its active commitments (%)",
                "Avancement moyen de ses engagements actifs (%)",
            ),
            url("Page of the plan on the portal", "Page du plan sur le portail"),
        ),
    ),
    Resource(
        "axes",
        "Axes",
        "Axes",
        "The thematic axes grouping the commitments of a plan.",
        "Les axes thématiques qui regroupent les engagements d'un plan.",
        (
            ident(),
            ref("plan_id", "The plan (plans.id)", "Le plan (plans.id)"),
            Field("number", "integer", "Number of the axis in its plan", "Numéro de l'axe", True),
            *translated("title", "Title", "Titre"),
            *translated("description", "Description", "Description"),
        ),
        foreign_keys=(PLAN_KEY,),
    ),
    Resource(
        "institutions",
        "Institutions",
        "Institutions",
        "Administrations, public bodies, independent authorities and civil-society "
        "organisations named by the plans, meetings and co-creation.",
        "Administrations, établissements publics, instances indépendantes et organisations de "
        "la société civile nommées par les plans, les réunions et la co-création.",
        (
            ident(),
            Field("code", "string", "Short code", "Code court", True),
            *translated("name", "Name", "Nom"),
            Field("acronym", "string", "Acronym", "Sigle"),
            Field(
                "kind", "string", "Kind of institution", "Nature", True, choices(Institution.Kind)
            ),
            Field("website", "string", "Website", "Site web"),
        ),
    ),
    Resource(
        "commitments",
        "Commitments",
        "Engagements",
        "The commitments of the plans, with their progress and OGP completion level.",
        "Les engagements des plans, avec leur avancement et leur niveau d'achèvement OGP.",
        (
            ident(),
            ref("plan_id", "The plan (plans.id)", "Le plan (plans.id)"),
            ref("axis_id", "The axis (axes.id)", "L'axe (axes.id)", required=False),
            Field("number", "integer", "Number in the plan", "Numéro dans le plan", True),
            Field("ogp_id", "string", "OGP identifier, e.g. MO0025", "Identifiant OGP (MO0025)"),
            *translated("title", "Title", "Titre"),
            *translated("challenge", "Challenge addressed", "Problème traité"),
            *translated("solution", "Proposed solution", "Solution proposée"),
            *translated("expected_results", "Expected results", "Résultats attendus"),
            *translated("remarks", "Secretariat's remarks", "Remarques du secrétariat"),
            ref(
                "lead_institution_id",
                "Lead institution (institutions.id)",
                "Institution porteuse (institutions.id)",
            ),
            Field(
                "value_access_to_information",
                "boolean",
                "OGP value: access to information",
                "Valeur OGP, accès à l'information",
            ),
            Field(
                "value_civic_participation",
                "boolean",
                "OGP value: civic participation",
                "Valeur OGP, participation citoyenne",
            ),
            Field(
                "value_public_accountability",
                "boolean",
                "OGP value: public accountability",
                "Valeur OGP, redevabilité publique",
            ),
            Field(
                "value_technology_innovation",
                "boolean",
                "OGP value: technology and innovation",
                "Valeur OGP, technologie et innovation",
            ),
            Field("start_date", "date", "Start date", "Date de début"),
            Field("end_date", "date", "End date", "Date de fin"),
            Field("status", "string", STATUS_EN, STATUS_FR, True, choices(Commitment.Status)),
            Field(
                "progress",
                "number",
                "Weighted mean of its activities' progress (%)",
                "Moyenne pondérée de l'avancement de ses activités (%)",
            ),
            Field(
                "completion_level",
                "string",
                "OGP completion level",
                "Niveau d'achèvement OGP",
                enum=choices(CompletionLevel),
            ),
            Field(
                "last_update_at",
                "datetime",
                "Last progress update of one of its activities (UTC)",
                "Dernière mise à jour d'une de ses activités (UTC)",
            ),
            url("Page of the commitment", "Page de l'engagement"),
        ),
        foreign_keys=(
            PLAN_KEY,
            ForeignKey("axis_id", "axes"),
            ForeignKey("lead_institution_id", "institutions"),
        ),
    ),
    Resource(
        "supporting_institutions",
        "Supporting institutions",
        "Institutions partenaires",
        "The institutions supporting each commitment, besides its lead institution.",
        "Les institutions qui appuient chaque engagement, en plus de l'institution porteuse.",
        (
            ref("commitment_id", "The commitment (commitments.id)", "L'engagement"),
            ref("institution_id", "The institution (institutions.id)", "L'institution"),
        ),
        primary_key=("commitment_id", "institution_id"),
        foreign_keys=(
            ForeignKey("commitment_id", "commitments"),
            ForeignKey("institution_id", "institutions"),
        ),
    ),
    Resource(
        "activities",
        "Activities",
        "Activités",
        "The activities and milestones of each commitment, with their current progress.",
        "Les activités et jalons de chaque engagement, avec leur avancement actuel.",
        (
            ident(),
            ref("commitment_id", "The commitment (commitments.id)", "L'engagement"),
            Field("position", "integer", "Order in the commitment", "Rang dans l'engagement"),
            *translated("title", "Title", "Titre"),
            *translated("description", "Description", "Description"),
            Field(
                "weight",
                "number",
                "Relative weight in the commitment's progress",
                "Poids relatif dans l'avancement de l'engagement",
            ),
            Field("planned_start", "date", "Planned start", "Début prévu"),
            Field("planned_end", "date", "Planned end", "Fin prévue"),
            Field("actual_start", "date", "Actual start", "Début effectif"),
            Field("actual_end", "date", "Actual end", "Fin effective"),
            Field("status", "string", STATUS_EN, STATUS_FR, True, choices(Activity.Status)),
            *translated("blocked_reason", "Reason for a blockage", "Motif du blocage"),
            Field(
                "progress",
                "integer",
                "Progress of the latest validated update (%)",
                "Avancement de la dernière mise à jour validée (%)",
            ),
        ),
        foreign_keys=(ForeignKey("commitment_id", "commitments"),),
    ),
    Resource(
        "progress_updates",
        "Validated progress updates",
        "Mises à jour validées",
        "Every validated change of an activity's progress, oldest first; nothing is "
        "overwritten. Updates awaiting validation or returned are not published.",
        "Chaque changement validé de l'avancement d'une activité, du plus ancien au plus "
        "récent. Les mises à jour en attente ou renvoyées ne sont pas publiées.",
        (
            ident(),
            ref("activity_id", "The activity (activities.id)", "L'activité (activities.id)"),
            Field("created_at", "datetime", "Recorded at (UTC)", "Enregistrée le (UTC)", True),
            Field("old_progress", "integer", "Previous progress (%)", "Avancement précédent (%)"),
            Field("new_progress", "integer", "New progress (%)", "Nouvel avancement (%)"),
            Field("old_status", "string", "Previous status", "Statut précédent"),
            Field("new_status", "string", "New status", "Nouveau statut"),
            *translated("narrative", "Narrative", "Récit"),
            *translated("blocked_reason", "Reason for a blockage", "Motif du blocage"),
            Field("source", "string", "Where it was recorded", "Origine", True),
            Field("reviewed_at", "datetime", "Validated at (UTC)", "Validée le (UTC)"),
        ),
        foreign_keys=(ForeignKey("activity_id", "activities"),),
    ),
    Resource(
        "committees",
        "Committees",
        "Comités",
        "The committees that steer and implement the plans.",
        "Les comités qui pilotent et mettent en œuvre les plans.",
        (
            ident(),
            Field("kind", "string", "Kind of committee", "Nature", True, choices(Committee.Kind)),
            *translated("name", "Name", "Nom"),
            *translated("description", "Description", "Description"),
        ),
    ),
    Resource(
        "meetings",
        "Meetings",
        "Réunions",
        "The committee meetings whose minutes are published.",
        "Les réunions des comités dont le relevé des conclusions est publié.",
        (
            ident(),
            ref("committee_id", "The committee (committees.id)", "Le comité (committees.id)"),
            ref("plan_id", "The plan reviewed (plans.id)", "Le plan examiné (plans.id)"),
            Field("starts_at", "datetime", "Date and time (UTC)", "Date et heure (UTC)", True),
            *translated("place", "Place", "Lieu"),
            Field("mode", "string", "Mode", "Modalité", True, choices(Meeting.Mode)),
            Field(
                "minutes_published_at",
                "datetime",
                "Minutes published at (UTC)",
                "Relevé publié le (UTC)",
            ),
            url("Page of the meeting and its minutes", "Page de la réunion et de son relevé"),
        ),
        foreign_keys=(ForeignKey("committee_id", "committees"), PLAN_KEY),
    ),
    Resource(
        "attendance",
        "Attendance",
        "Participation",
        "Who attended each meeting, as its published minutes name them.",
        "Les participants de chaque réunion, tels que son relevé publié les nomme.",
        (
            ident(),
            ref("meeting_id", "The meeting (meetings.id)", "La réunion (meetings.id)"),
            Field("position", "integer", "Order in the minutes", "Rang dans le relevé"),
            Field("civility", "string", "Civility", "Civilité"),
            Field(
                "name",
                "string",
                "Name as the minutes give it (empty for a representative)",
                "Nom tel que le relevé le donne (vide pour un représentant)",
            ),
            ref(
                "institution_id",
                "Organisation (institutions.id)",
                "Organisation (institutions.id)",
                required=False,
            ),
            *translated("organisation", "Organisation as the minutes name it", "Organisation"),
            *translated("capacity", "Capacity", "Qualité"),
            Field("status", "string", "Attendance", "Présence", True, choices(Attendance.Status)),
            Field("represented_by", "string", "Represented by", "Représenté par"),
        ),
        foreign_keys=(
            ForeignKey("meeting_id", "meetings"),
            ForeignKey("institution_id", "institutions"),
        ),
    ),
    Resource(
        "decisions",
        "Decisions",
        "Décisions",
        "The decisions of the meetings and their follow-up.",
        "Les points arrêtés par les réunions et leur suivi.",
        (
            ident(),
            ref("meeting_id", "The meeting (meetings.id)", "La réunion (meetings.id)"),
            Field("position", "integer", "Order in the minutes", "Rang dans le relevé"),
            *translated("text", "Decision", "Décision"),
            ref("owner_id", "Owner (institutions.id)", "Responsable", required=False),
            *translated("owner_detail", "Owner (person or body)", "Responsable (personne)"),
            Field("due_date", "date", "Due date", "Échéance"),
            Field("status", "string", STATUS_EN, STATUS_FR, True, choices(Decision.Status)),
            *translated("status_note", "Follow-up note", "Note de suivi"),
            Field("closed_at", "datetime", "Closed at (UTC)", "Close le (UTC)"),
            Field(
                "in_minutes",
                "boolean",
                "Listed under the decisions of the minutes",
                "Listée parmi les points arrêtés du relevé",
            ),
        ),
        foreign_keys=(
            ForeignKey("meeting_id", "meetings"),
            ForeignKey("owner_id", "institutions"),
        ),
    ),
    Resource(
        "decision_commitments",
        "Commitments concerned by decisions",
        "Engagements concernés par les décisions",
        "Which commitments each decision concerns.",
        "Les engagements que concerne chaque décision.",
        (
            ref("decision_id", "The decision (decisions.id)", "La décision"),
            ref("commitment_id", "The commitment (commitments.id)", "L'engagement"),
        ),
        primary_key=("decision_id", "commitment_id"),
        foreign_keys=(
            ForeignKey("decision_id", "decisions"),
            ForeignKey("commitment_id", "commitments"),
        ),
    ),
    Resource(
        "timelines",
        "Timelines",
        "Calendriers",
        "The dated steps of the self-assessment report and of the co-creation.",
        "Les étapes datées du rapport d'auto-évaluation et de la co-création.",
        (
            ident(),
            Field("kind", "string", "Process", "Processus", True, choices(Timeline.Kind)),
            *translated("title", "Title", "Titre"),
            ref("plan_id", "The plan (plans.id)", "Le plan (plans.id)", required=False),
        ),
        foreign_keys=(PLAN_KEY,),
    ),
    Resource(
        "timeline_steps",
        "Timeline steps",
        "Étapes des calendriers",
        "The steps of each timeline, planned against done.",
        "Les étapes de chaque calendrier, prévues et réalisées.",
        (
            ident(),
            ref("timeline_id", "The timeline (timelines.id)", "Le calendrier (timelines.id)"),
            Field("position", "integer", "Order", "Rang"),
            *translated("title", "Step", "Étape"),
            Field("starts_on", "date", "From", "Du", True),
            Field("ends_on", "date", "To", "Au"),
            Field("status", "string", STATUS_EN, STATUS_FR, True, choices(TimelineStep.Status)),
            *translated("note", "Note", "Note"),
            Field("done_on", "date", "Done on", "Réalisée le"),
        ),
        foreign_keys=(ForeignKey("timeline_id", "timelines"),),
    ),
    Resource(
        "cocreation_processes",
        "Co-creation processes",
        "Processus de co-création",
        "The co-creations of the plans, with the totals reported for earlier ones.",
        "Les co-créations des plans, avec les totaux rapportés pour les plus anciennes.",
        (
            ident(),
            *translated("title", "Title", "Titre"),
            *translated("description", "Description", "Description"),
            ref("plan_id", "Plan co-created (plans.id)", "Plan co-créé", required=False),
            ref("timeline_id", "Timeline (timelines.id)", "Calendrier", required=False),
            Field("accepts_proposals", "boolean", "Accepts proposals online", "Reçoit en ligne"),
            Field("reported_participants", "integer", "Participants reported", "Participants"),
            Field("reported_events", "integer", "Events reported", "Événements rapportés"),
            Field("reported_proposals", "integer", "Proposals reported", "Propositions"),
        ),
        foreign_keys=(PLAN_KEY, ForeignKey("timeline_id", "timelines")),
    ),
    Resource(
        "cocreation_events",
        "Co-creation events",
        "Événements de co-création",
        "The workshops and consultations of the co-creations, with their participants.",
        "Les ateliers et consultations des co-créations, avec leurs participants.",
        (
            ident(),
            ref("process_id", "Co-creation (cocreation_processes.id)", "Co-création"),
            *translated("title", "Title", "Titre"),
            Field("date", "date", "Date", "Date", True),
            *translated("place", "Place", "Lieu"),
            Field("online", "boolean", "Online", "En ligne"),
            Field("participants", "integer", "Number of participants", "Nombre de participants"),
        ),
        foreign_keys=(ForeignKey("process_id", "cocreation_processes"),),
    ),
    Resource(
        "proposals",
        "Co-creation proposals",
        "Propositions de co-création",
        "The published proposals for the next plans and their reasoned responses; the "
        "name and organisation are those their authors agreed to publish, never an address.",
        "Les propositions publiées et leurs réponses motivées. Le nom et l'organisation sont "
        "ceux que leurs auteurs ont accepté de publier, jamais une adresse.",
        (
            ident(),
            ref("process_id", "Co-creation (cocreation_processes.id)", "Co-création"),
            Field("source", "string", "Source", "Origine", True, choices(Proposal.Source)),
            ref("event_id", "Event (cocreation_events.id)", "Événement", required=False),
            Field("title", "string", "Title", "Titre", True),
            Field("description", "string", "Description", "Description"),
            ref("institution_id", "Institution concerned", "Institution", required=False),
            Field("author_name", "string", "Author's name", "Nom de l'auteur"),
            Field("author_organisation", "string", "Author's organisation", "Organisation"),
            Field("submitted_at", "datetime", "Received at (UTC)", "Reçue le (UTC)", True),
            Field("status", "string", STATUS_EN, STATUS_FR, True, choices(Proposal.Status)),
            ref("merged_into_id", "Merged into (proposals.id)", "Fusionnée", required=False),
            *translated("response", "Reasoned response", "Réponse motivée"),
            Field("responded_at", "datetime", "Answered at (UTC)", "Répondue le (UTC)"),
            ref(
                "draft_commitment_id",
                "Commitment drawn from it (commitments.id)",
                "Engagement qui en est issu",
                required=False,
            ),
            url("Page of the proposal", "Page de la proposition"),
        ),
        foreign_keys=(
            ForeignKey("process_id", "cocreation_processes"),
            ForeignKey("event_id", "cocreation_events"),
            ForeignKey("institution_id", "institutions"),
            ForeignKey("merged_into_id", "proposals"),
            ForeignKey("draft_commitment_id", "commitments"),
        ),
    ),
    Resource(
        "proposal_answers",
        "Answers of the institutions",
        "Réponses des institutions",
        "What the institutions answered about the published proposals addressed to them.",
        "Ce que les institutions ont répondu aux propositions publiées qui leur sont adressées.",
        (
            ident(),
            ref("proposal_id", "The proposal (proposals.id)", "La proposition"),
            ref("institution_id", "The institution (institutions.id)", "L'institution"),
            Field("text", "string", "Answer", "Réponse", True),
            Field("answered_at", "datetime", "Answered at (UTC)", "Répondue le (UTC)", True),
        ),
        foreign_keys=(
            ForeignKey("proposal_id", "proposals"),
            ForeignKey("institution_id", "institutions"),
        ),
    ),
    Resource(
        "reports",
        "Self-assessment reports",
        "Rapports d'auto-évaluation",
        "The self-assessment reports under public consultation, published or transmitted.",
        "Les rapports d'auto-évaluation en consultation publique, publiés ou transmis.",
        (
            ident(),
            ref("plan_id", "The plan (plans.id)", "Le plan (plans.id)"),
            *translated("title", "Title", "Titre"),
            Field("period_start", "date", "Period start", "Début de la période", True),
            Field("period_end", "date", "Period end", "Fin de la période", True),
            Field("stage", "string", "Stage", "Étape", True, choices(Report.Stage)),
            Field("consultation_opens_on", "date", "Consultation opens", "Ouverture"),
            Field("consultation_closes_on", "date", "Consultation closes", "Clôture"),
            Field("transmitted_on", "date", "Transmitted to the OGP on", "Transmis à l'OGP le"),
            url("Page of the report", "Page du rapport"),
        ),
        foreign_keys=(PLAN_KEY,),
    ),
)

BY_NAME = {resource.name: resource for resource in RESOURCES}

# The package's own words, in every content language (data, not interface: a harvester reads
# all three at once).
TITLE = {
    "fr": "Données ouvertes du plan d'action national pour un gouvernement ouvert",
    "ar": "البيانات المفتوحة لخطة العمل الوطنية للحكومة المنفتحة",
    "en": "Open data of the national action plan for open government",
}
DESCRIPTION = {
    "fr": "Toutes les données publiques du portail OGP (plans, axes, engagements, activités, "
    "mises à jour validées, institutions, réunions et relevés, décisions, calendriers, "
    "propositions de co-création et réponses, rapports), en CSV et JSON, décrites par un "
    "Data Package Frictionless.",
    "ar": "جميع البيانات العمومية لبوابة الشراكة من أجل الحكومة المنفتحة (الخطط والمحاور "
    "والالتزامات والأنشطة والتحيينات المصادق عليها والمؤسسات والاجتماعات والقرارات "
    "والجداول الزمنية ومقترحات الإنشاء المشترك والردود والتقارير) بصيغتي CSV وJSON.",
    "en": "All the public data of the OGP portal (plans, axes, commitments, activities, "
    "validated updates, institutions, meetings and their minutes, decisions, timelines, "
    "co-creation proposals and responses, reports), as CSV and JSON, described by a "
    "Frictionless Data Package.",
}
KEYWORDS = ("open government", "OGP", "action plan", "gouvernement ouvert", "engagements")
