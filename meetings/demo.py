"""The demo's committees and their members, as the two seed minutes list them.

The minutes give who attended (or was absent from) one meeting, not when each seat began: the
seats start on that meeting's date, the earliest date the minutes attest.
"""

from __future__ import annotations

import datetime

from commitments.models import FocalPointAssignment, Institution
from commitments.services import upsert

from .models import Committee, CommitteeMember

STEERING_SEEN = datetime.date(2023, 3, 28)
IMPLEMENTATION_SEEN = datetime.date(2020, 12, 21)

# Relevé des conclusions du comité de pilotage, 28 mars 2023: participants, then absentees
# (named only by their organisation). MTNRA is the ministry in charge: the secretariat.
STEERING = [
    ("Mme.", "Sarah LAMRANI", "MTNRA", "secretariat"),
    ("Mme.", "Quiame EL MOUSTAMIDE", "MTNRA", "secretariat"),
    ("Mme.", "Mahassine EL AMRANI OMARI", None, "member"),
    ("M.", "Lhoussine FERDAOUS", "MRP", "member"),
    ("Mme.", "Asmae REGURAGUI", "MJ", "member"),
    ("Mme.", "Hajar CHERKAOUI", "MDB", "member"),
    ("Mme.", "Basma MELLOUK", "MDB", "member"),
    ("Mme.", "Fatima Zahra BENDUICH", "MTEDD", "member"),
    ("M.", "Rachid ELAOUI", "MSISF", "member"),
    ("M.", "Noureddine LASFAR", "ADD", "member"),
    ("M.", "Yassir CHOKAIRI", "INPPLC", "member"),
    ("M.", "Abdelaziz JANATI", "OPEMH", "member"),
    ("M.", "Aïmane AMALIK", "A4C", "member"),
    ("M.", "Saouidi SALLAHI", "FSDC", "member"),
    ("M.", "Abdelmalek ASRIH", "ACB", "member"),
    ("M.", "Ahmed ANNJAR", "ALSD", "member"),
    ("M.", "Rezzouki ELMILOUD", "ACDC", "member"),
    ("M.", "Said CHAKRI", "AMCDD", "member"),
    ("M.", "Yassine ERRIKH", "AMBC", "member"),
    ("Mme.", "Houdna BENNANI", "ADFM", "member"),
    ("", "", "DGCT", "member"),
    ("", "", "MENPS", "member"),
    ("", "", "MSPS", "member"),
    ("", "", "AFBDT", "member"),
]
EXPERT_CAPACITY = "Experte dans le domaine du gouvernement ouvert"

COMMITTEES = {
    Committee.Kind.STEERING: {
        "name_fr": "Comité de pilotage du gouvernement ouvert",
        "name_ar": "لجنة القيادة للحكومة المنفتحة",
        "name_en": "Open government steering committee",
    },
    Committee.Kind.IMPLEMENTATION: {
        "name_fr": "Comité d'implémentation du plan d'action national",
        "name_ar": "لجنة تنفيذ خطة العمل الوطنية",
        "name_en": "National action plan implementation committee",
    },
}


def load_committees() -> int:
    created = 0
    committees = {
        kind: upsert(Committee, {"kind": kind}, names)[0] for kind, names in COMMITTEES.items()
    }
    institutions = {i.code: i for i in Institution.objects.all()}
    for civility, name, code, role in STEERING:
        _obj, is_new, _changed = upsert(
            CommitteeMember,
            {
                "committee": committees[Committee.Kind.STEERING],
                "name": name,
                "institution": institutions.get(code) if code else None,
            },
            {
                "civility": civility,
                "capacity": "" if code else EXPERT_CAPACITY,
                "role": role,
                "start_date": STEERING_SEEN,
            },
        )
        created += is_new
    # The implementation committee gathers the focal points named on 21 December 2020.
    assignments = FocalPointAssignment.objects.filter(
        commitment__plan__code="PAN-2018-2020"
    ).select_related("user", "institution")
    for assignment in assignments:
        user = assignment.user
        _obj, is_new, _changed = upsert(
            CommitteeMember,
            {
                "committee": committees[Committee.Kind.IMPLEMENTATION],
                "name": user.get_full_name(),
                "institution": assignment.institution,
            },
            {
                "role": CommitteeMember.Role.MEMBER,
                "seat": assignment.role,
                "start_date": IMPLEMENTATION_SEEN,
                "user": user,
            },
        )
        created += is_new
    return created
