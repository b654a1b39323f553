from django.db import models
from django.utils.translation import gettext_lazy as _


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
