"""The demo's co-creations, from the seed minutes.

- The co-creation of the 2021-2023 plan ("PAN 2021-2022" in the minutes of 21 December 2020) is
  known only by its totals: 804 participants on the open government portal and at the 10
  co-creation events, 232 proposals. The portal records these totals, not invented proposals.
- The co-creation of the third plan, planned by the steering committee on 28 March 2023 (its
  timeline: method in April 2023, proposals May–September, prioritisation in October, commitment
  sheets in November, adoption in December 2023). Its draft plan, code and dates are assumptions
  (see docs/demo-data.md); it accepts proposals so that the demo can be tried.
"""

from __future__ import annotations

import datetime

from cocreation.models import Process, Theme
from commitments.models import Axis, Plan
from meetings.models import Timeline
from ogp_portal.i18n import translations_of

from . import loader
from .loader import LoadReport, translated

NEXT_PLAN = {
    "code": "PAN-2024-2027",
    "title_fr": "Troisième plan d'action national pour le gouvernement ouvert (projet)",
    "title_ar": "خطة العمل الوطنية الثالثة للحكومة المنفتحة (مشروع)",
    "title_en": "Third national action plan for open government (draft)",
    "start_date": datetime.date(2024, 1, 1),
    "end_date": datetime.date(2027, 12, 31),
}


def load_cocreation(report: LoadReport) -> None:
    current = Plan.objects.get(code="PAN-2021-2023")
    loader.upsert(
        report,
        Process,
        {"title_fr": "Co-création du plan d'action national 2021-2023"},
        {
            "title_ar": "الإعداد التشاركي لخطة العمل الوطنية 2021-2023",
            "title_en": "Co-creation of the 2021-2023 national action plan",
            "description_fr": (
                "Processus de cocréation du PAN 2021-2022 (relevé du comité d'implémentation du "
                "21 décembre 2020) : collecte des idées et propositions via le portail du "
                "gouvernement ouvert et 10 événements de cocréation, analyse des propositions, "
                "rédaction des fiches des projets d'engagements."
            ),
            "description_ar": (
                "مسار الإعداد التشاركي لخطة العمل الوطنية 2021-2022 (محضر لجنة التنفيذ بتاريخ 21 "
                "دجنبر 2020): جمع الأفكار والمقترحات عبر بوابة الحكومة المنفتحة و10 لقاءات "
                "تشاركية، ثم تحليل المقترحات، ثم صياغة بطاقات مشاريع الالتزامات."
            ),
            "description_en": (
                "Co-creation of the 2021-2022 NAP (implementation committee minutes of 21 "
                "December 2020): ideas and proposals collected on the open government portal and "
                "at 10 co-creation events, analysis of the proposals, drafting of the commitment "
                "sheets."
            ),
            "plan": current,
            "timeline": Timeline.objects.filter(
                kind=Timeline.Kind.CO_CREATION, plan=current
            ).first(),
            "accepts_proposals": False,
            "reported_participants": 804,
            "reported_events": 10,
            "reported_proposals": 232,
            **translated(
                "reported_source",
                {
                    "fr": "Relevé des conclusions du comité d'implémentation du 21 décembre 2020",
                    "ar": "محضر اجتماع لجنة التنفيذ بتاريخ 21 ديسمبر 2020",
                    "en": "Minutes of the implementation committee of 21 December 2020",
                },
            ),
        },
    )
    next_plan = loader.upsert(
        report,
        Plan,
        {"code": NEXT_PLAN["code"]},
        {k: v for k, v in NEXT_PLAN.items() if k != "code"}
        | {"status": Plan.Status.CO_CREATION, "is_current": False},
    )
    third = loader.upsert(
        report,
        Process,
        {"title_fr": "Co-création du troisième plan d'action national"},
        {
            "title_ar": "الإعداد التشاركي لخطة العمل الوطنية الثالثة",
            "title_en": "Co-creation of the third national action plan",
            "description_fr": (
                "Planning prévisionnel convenu par le comité de pilotage le 28 mars 2023 : "
                "concertation et adoption de la méthodologie, collecte des idées et des "
                "propositions, priorisation et identification des institutions concernées, "
                "rédaction des fiches des projets d'engagements, validation et adoption du plan."
            ),
            "description_ar": (
                "الجدولة التوقعية التي اتفقت عليها لجنة القيادة في 28 مارس 2023: التشاور حول "
                "المنهجية واعتمادها، جمع الأفكار والمقترحات، ترتيب الأولويات وتحديد المؤسسات "
                "المعنية، صياغة بطاقات مشاريع الالتزامات، ثم المصادقة على الخطة واعتمادها."
            ),
            "description_en": (
                "Provisional schedule agreed by the steering committee on 28 March 2023: "
                "consultation on and adoption of the method, collection of ideas and proposals, "
                "prioritisation and identification of the institutions concerned, drafting of "
                "the commitment sheets, validation and adoption of the plan."
            ),
            "plan": next_plan,
            "timeline": Timeline.objects.filter(
                kind=Timeline.Kind.CO_CREATION, plan__isnull=True
            ).first(),
            "accepts_proposals": True,
        },
    )
    # The minutes leave the new axes to the co-creation; until then, proposals are filed under
    # the five thematic groups of the 2021-2023 plan.
    for axis in Axis.objects.filter(plan=current).order_by("number"):
        loader.upsert(
            report,
            Theme,
            {"process": third, "position": axis.number},
            translations_of(axis, "title"),
        )
