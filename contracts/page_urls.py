"""The contracts' pages, included from config/urls.py at the root."""

from django.urls import path

from .views import agreements, calloffs, hires, lists

urlpatterns = [
    path("contracts/", lists.contract_list, name="contract-list"),
    path("contracts/<int:pk>/", agreements.contract_detail, name="contract-detail"),
    path("contracts/<int:pk>/call-offs/new/", agreements.call_off_create, name="call-off-create"),
    path("contracts/<int:pk>/do/<slug:name>/", agreements.contract_transition, name="contract-transition"),
    path("contracts/<int:pk>/cost-model/", hires.cost_model_edit, name="hire-cost-model"),
    path("contracts/<int:pk>/allocation-key/new/", hires.allocation_key_create, name="hire-allocation-key-create"),
    path("call-offs/<int:pk>/", calloffs.call_off_detail, name="call-off-detail"),
    path("call-offs/<int:pk>/do/<slug:name>/", calloffs.call_off_transition, name="call-off-transition"),
]
