from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments.models import Activity, Commitment, Institution, Plan
from ogp_portal.grammar import percent
from ogp_portal.i18n import LANGUAGE_CHOICES

from .models import AgendaItem, Attendance, Committee, Decision, Meeting, Timeline
from .summaries import BlockerFilters, BlockerState


class MeetingForm(forms.Form):
    """A new meeting, or the practical details of an existing one."""

    committee: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Committee"), queryset=Committee.objects.all()
    )
    plan = forms.ModelChoiceField(
        label=_("Plan"),
        queryset=Plan.objects.order_by("-start_date"),
        help_text=_("The plan whose progress the meeting reviews."),
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    mode = forms.ChoiceField(label=_("Mode"), choices=Meeting.Mode.choices)
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        help_text=_("One item per line. Open decisions of earlier meetings are added for you."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, meeting: Meeting | None = None, **kwargs: Any) -> None:
        self.meeting = meeting
        if meeting is not None:
            local = timezone.localtime(meeting.starts_at)
            kwargs.setdefault(
                "initial",
                {
                    "committee": meeting.committee,
                    "plan": meeting.plan,
                    "date": local.date(),
                    "time": local.time().replace(second=0, microsecond=0),
                    "mode": meeting.mode,
                    "place": meeting.place,
                },
            )
        else:
            kwargs.setdefault("initial", {"plan": Plan.objects.filter(is_current=True).first()})
        super().__init__(*args, **kwargs)
        if meeting is not None:
            del self.fields["agenda"]
            if meeting.is_held:
                # The frozen table belongs to this plan and committee.
                del self.fields["plan"]
                del self.fields["committee"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("mode") in (Meeting.Mode.IN_PERSON, Meeting.Mode.HYBRID)
            and not data.get("place", "").strip()
        ):
            self.add_error("place", _("Say where the meeting takes place."))
        return data

    @property
    def starts_at(self) -> datetime.datetime:
        moment = datetime.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        return timezone.make_aware(moment)

    def agenda_titles(self) -> list[str]:
        lines = self.cleaned_data.get("agenda", "").splitlines()
        return [line.strip(" -•\t")[:500] for line in lines if line.strip(" -•\t")]


class AttendanceForm(forms.ModelForm):
    class Meta:
        model = Attendance
        fields = ["status", "represented_by"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == Attendance.Status.REPRESENTED:
            if not data.get("represented_by", "").strip():
                self.add_error("represented_by", _("Say who represented the member."))
        else:
            data["represented_by"] = ""
        return data


AttendanceFormSet = forms.modelformset_factory(Attendance, form=AttendanceForm, extra=0)


class GuestForm(forms.Form):
    """Someone who attended without a seat (a guest, the person who opened the meeting)."""

    civility = forms.CharField(label=_("Civility"), max_length=10, required=False)
    name = forms.CharField(label=_("Name"), max_length=200)
    institution: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Institution.objects.all(), required=False
    )
    capacity = forms.CharField(label=_("Capacity"), max_length=255, required=False)
    status = forms.ChoiceField(
        label=_("Attendance"),
        choices=[
            (Attendance.Status.PRESENT, _("Present")),
            (Attendance.Status.REMOTE, _("Remote")),
        ],
    )


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "notes", "timeline"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["timeline"].queryset = Timeline.objects.all()  # type: ignore[attr-defined]


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["text", "owner", "owner_detail", "due_date", "commitments"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "due_date": forms.DateInput(attrs={"type": "date"}),
            "commitments": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commitments"].queryset = (  # type: ignore[attr-defined]
            Commitment.objects.filter(plan=meeting.plan).active().order_by("number")
        )


class DecisionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Decision.Status.choices)
    note = forms.CharField(label=_("Follow-up note"), required=False, max_length=2000)


class ProgressChangeForm(forms.Form):
    """A change of an activity's progress decided in the meeting."""

    activity = forms.ModelChoiceField(label=_("Activity"), queryset=Activity.objects.none())
    progress = forms.IntegerField(label=_("New progress (%)"), min_value=0, max_value=100)
    narrative = forms.CharField(
        label=_("Why the meeting decided it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["activity"]
        field.queryset = (  # type: ignore[attr-defined]
            Activity.objects.filter(
                commitment__plan=meeting.plan, commitment__status=Commitment.Status.ACTIVE
            )
            .select_related("commitment")
            .order_by("commitment__number", "position")
        )
        field.label_from_instance = lambda a: (  # type: ignore[attr-defined]
            f"{a.commitment.number}. {a.title} ({percent(a.progress)})"
        )


class RemarkForm(forms.Form):
    remark = forms.CharField(
        label=_("Remark"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CorrectionForm(forms.Form):
    """A correction of a held meeting's record, dated today and shown with the minutes."""

    text = forms.CharField(
        label=_("Correction"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the record got wrong and what is right, as the minutes will show it."),
    )


class MinutesGenerateForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)


class BlockerFilterForm(forms.Form):
    """The blocker register's filters, read from the query string; a bad value is ignored and
    said."""

    plan = forms.ModelChoiceField(
        label=_("Plan"),
        queryset=Plan.objects.order_by("-start_date"),
        to_field_name="code",
        required=False,
        empty_label=_("All plans"),
    )
    institution: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Lead institution"),
        queryset=Institution.objects.filter(led_commitments__isnull=False).distinct(),
        to_field_name="code",
        required=False,
        empty_label=_("All institutions"),
    )
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All states")), *BlockerState.choices], required=False
    )

    def filters(self) -> BlockerFilters:
        self.is_valid()  # invalid fields are left out of cleaned_data, the others still apply
        data = self.cleaned_data
        return BlockerFilters(
            plan=data.get("plan"), institution=data.get("institution"), state=data.get("state", "")
        )
