"""Admin of the workflow records: read-only, since each row is the proof that something happened once.

A reminder or escalation row is what keeps a mail from going out twice; deleting one lets that mail go
out again at the next run, which is the one change an administrator may want to make here. The viewflow
processes are shown by the participation or initiative they belong to; viewflow's own admin lists every
process and task.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import DeadlineReminder, DecisionEscalation, DecisionProcess, InitiativeProcess


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DeadlineReminder)
class DeadlineReminderAdmin(ReadOnlyAdmin):
    list_display = ("initiative", "days_before", "deadline", "sent_at", "recipients")
    list_filter = ("days_before",)
    search_fields = ("initiative__title",)
    list_select_related = ("initiative",)
    date_hierarchy = "sent_at"


@admin.register(DecisionEscalation)
class DecisionEscalationAdmin(ReadOnlyAdmin):
    list_display = ("task", "participation", "deadline", "sent_at", "recipients")
    search_fields = ("task__process__decisionprocess__participation__organisation__name",
                     "task__process__decisionprocess__participation__initiative__title")
    list_select_related = ("task",)
    date_hierarchy = "sent_at"

    @admin.display(description=_("participation"))
    def participation(self, obj: DecisionEscalation) -> str:
        process = DecisionProcess.objects.filter(pk=obj.task.process_id).select_related(
            "participation__organisation", "participation__initiative").first()
        return str(process.participation) if process else "—"


class ProcessAdmin(ReadOnlyAdmin):
    list_filter = ("status",)
    date_hierarchy = "created"

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # ending a process is the flow's job (it follows the services)


@admin.register(DecisionProcess)
class DecisionProcessAdmin(ProcessAdmin):
    list_display = ("pk", "participation", "status", "created", "finished")
    search_fields = ("participation__organisation__name", "participation__initiative__title")
    list_select_related = ("participation__organisation", "participation__initiative")
    fields = ("participation", "status", "created", "finished")


@admin.register(InitiativeProcess)
class InitiativeProcessAdmin(ProcessAdmin):
    list_display = ("pk", "initiative", "status", "created", "finished")
    search_fields = ("initiative__title",)
    list_select_related = ("initiative",)
    fields = ("initiative", "status", "created", "finished")
