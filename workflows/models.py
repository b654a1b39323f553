from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process, Task


class DeadlineReminder(models.Model):
    """That the reminder N days before an initiative's demand deadline went out: sent once, even when
    beat runs the reminder task twice or two schedulers overlap."""

    initiative = models.ForeignKey("procurement.Initiative", on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField(_("days before the deadline"))
    deadline = models.DateTimeField(_("deadline reminded of"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        constraints = [
            # A moved deadline is a new deadline and gets its own reminders.
            models.UniqueConstraint(fields=["initiative", "days_before", "deadline"], name="one_reminder_per_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} · {self.days_before}d"


# --- viewflow processes (DESIGN.md §4: the flow says who acts next; django-fsm says what is allowed) ---
# Concrete subclasses of viewflow's Process, so that an inbox can join tasks to participations and
# organisations in one query instead of reading JSON.


class DecisionProcess(Process):
    """One participation decision: started when the participation is submitted, one task for the
    organisation's aldermen, finished by approve or decline, cancelled by reopen, withdraw or lapse."""

    participation = models.ForeignKey(
        "procurement.Participation", on_delete=models.CASCADE, related_name="decision_processes",
        verbose_name=_("participation"),
    )

    class Meta:
        verbose_name = _("participation decision process")
        # viewflow adds "manage" to every process model's permissions when a flow class is defined; say
        # so here too, so that the migration does not depend on whether the flows were imported.
        default_permissions = ("add", "change", "delete", "view", "manage")
        verbose_name_plural = _("participation decision processes")


class InitiativeProcess(Process):
    """The initiative's way from idea to tender, mirrored from its django-fsm state for the chart."""

    initiative = models.OneToOneField(
        "procurement.Initiative", on_delete=models.CASCADE, related_name="process", verbose_name=_("initiative"),
    )

    class Meta:
        verbose_name = _("initiative process")
        # viewflow adds "manage" to every process model's permissions when a flow class is defined; say
        # so here too, so that the migration does not depend on whether the flows were imported.
        default_permissions = ("add", "change", "delete", "view", "manage")
        verbose_name_plural = _("initiative processes")


class DecisionEscalation(models.Model):
    """That the escalation mail for one open decision task went out: once per task, also when beat runs
    the escalation twice or two schedulers overlap (the one-to-one key refuses a second row)."""

    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="escalation", verbose_name=_("task"))
    deadline = models.DateTimeField(_("decision deadline"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("decision escalation")
        verbose_name_plural = _("decision escalations")

    def __str__(self) -> str:
        return f"{self.task_id} · {self.sent_at:%Y-%m-%d %H:%M}"
