"""The reports of the demo, from the minutes: the 2018-2020 self-assessment (sheets due on
25 December 2020) and the 2021-2023 one, planned by the steering committee of 28 March 2023."""

from __future__ import annotations

import datetime
from typing import Any

from commitments.models import Plan
from commitments.services import upsert
from reports.models import Report, ReportStageChange

REPORTS: list[dict[str, Any]] = [
    {
        "plan": "PAN-2018-2020",
        "title_fr": "Rapport d'auto-évaluation du plan d'action national 2018-2020",
        "title_ar": "تقرير التقييم الذاتي لخطة العمل الوطنية 2018-2020",
        "title_en": "Self-assessment report of the 2018-2020 national action plan",
        "sheet_deadline": datetime.date(2020, 12, 25),
        "created": datetime.date(2020, 12, 21),
    },
    {
        "plan": "PAN-2021-2023",
        "title_fr": "Rapport d'auto-évaluation du plan d'action national 2021-2023",
        "title_ar": "تقرير التقييم الذاتي لخطة العمل الوطنية 2021-2023",
        "title_en": "Self-assessment report of the 2021-2023 national action plan",
        "sheet_deadline": None,
        "created": datetime.date(2023, 3, 28),
    },
]


def load_reports() -> int:
    created = 0
    for row in REPORTS:
        plan = Plan.objects.get(code=row["plan"])
        report, is_new, _changed = upsert(
            Report,
            {"plan": plan, "title_fr": row["title_fr"]},
            {
                "title_ar": row["title_ar"],
                "title_en": row["title_en"],
                "period_start": plan.start_date,
                "period_end": plan.end_date,
                "sheet_deadline": row["sheet_deadline"],
            },
        )
        if is_new:
            moment = datetime.datetime.combine(row["created"], datetime.time(12), datetime.UTC)
            Report.objects.filter(pk=report.pk).update(created_at=moment)
            ReportStageChange.objects.create(report=report, stage=report.stage, changed_at=moment)
            created += 1
    return created
