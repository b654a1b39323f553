"""The dashboard: one page with what each person has to do now (``procurement.dashboard`` reads it)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from procurement import dashboard as reads


@login_required
def dashboard(request):
    return render(request, "procurement/dashboard.html", reads.sections(request.user))
