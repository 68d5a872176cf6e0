"""The admins of django-axes and django-celery-beat, with the columns they leave unnamed (Django
then makes an English name up from the attribute) named in the page's language."""

from typing import Any

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from django_celery_beat.admin import (
    ClockedScheduleAdmin,
    CrontabScheduleAdmin,
    IntervalScheduleAdmin,
    PeriodicTaskAdmin,
    PeriodicTaskInline,
    SolarScheduleAdmin,
)
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)


class NamedAccessAttemptAdmin(AccessAttemptAdmin):
    @admin.display(description=_("status"))
    def status(self, obj: AccessAttempt) -> str:
        return super().status(obj)


class TaskNameFilter(admin.AllValuesFieldListFilter):
    """django-celery-beat's task field has a name that is not marked for translation."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title = _("task name")


class NamedPeriodicTaskAdmin(PeriodicTaskAdmin):
    list_filter = [
        ("task", TaskNameFilter) if name == "task" else name
        for name in PeriodicTaskAdmin.list_filter
    ]

    @admin.display(description=_("scheduler"))
    def scheduler(self, obj: PeriodicTask) -> object:
        return obj.scheduler

    @admin.display(description=_("crontab in words"))
    def crontab_translation(self, obj: PeriodicTask) -> str:
        return obj.crontab.human_readable if obj.crontab else ""


class NamedPeriodicTaskInline(PeriodicTaskInline):
    fields = tuple("task_name" if name == "task" else name for name in PeriodicTaskInline.fields)
    readonly_fields = fields

    @admin.display(description=_("task name"))
    def task_name(self, obj: PeriodicTask) -> str:
        return obj.task


class NamedClockedScheduleAdmin(ClockedScheduleAdmin):
    inlines = [NamedPeriodicTaskInline]


class NamedSolarScheduleAdmin(SolarScheduleAdmin):
    inlines = [NamedPeriodicTaskInline]


class NamedIntervalScheduleAdmin(IntervalScheduleAdmin):
    inlines = [NamedPeriodicTaskInline]


class NamedCrontabScheduleAdmin(CrontabScheduleAdmin):
    inlines = [NamedPeriodicTaskInline]

    @admin.display(description=_("crontab in words"))
    def human_readable(self, obj: CrontabSchedule) -> str:
        return obj.human_readable


def replace(model: type[Model], model_admin: type[admin.ModelAdmin]) -> None:
    if admin.site.is_registered(model):  # django-axes registers its admin only when asked to
        admin.site.unregister(model)
        admin.site.register(model, model_admin)


replace(AccessAttempt, NamedAccessAttemptAdmin)
replace(PeriodicTask, NamedPeriodicTaskAdmin)
replace(CrontabSchedule, NamedCrontabScheduleAdmin)
replace(ClockedSchedule, NamedClockedScheduleAdmin)
replace(SolarSchedule, NamedSolarScheduleAdmin)
replace(IntervalSchedule, NamedIntervalScheduleAdmin)
