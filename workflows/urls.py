from django.urls import path

from . import views

app_name = "workflows"

urlpatterns = [
    path("tasks/", views.inbox, name="inbox"),
    path("tasks/<int:task_pk>/", views.decision_task, name="task"),
    path("tasks/<int:task_pk>/assign/", views.task_assign, name="task-assign"),
    path("tasks/<int:task_pk>/unassign/", views.task_unassign, name="task-unassign"),
    path("participations/<int:pk>/decide/", views.decide_participation, name="decide"),
    path("initiatives/<int:pk>/process/", views.initiative_process, name="initiative-process"),
]
