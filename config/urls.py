from django.contrib import admin
from django.urls import include, path

from procurement.api.docs import SchemaView, SwaggerView
from procurement.views.account import ThrottledAdminAuthenticationForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    # Swagger UI from drf-spectacular-sidecar's static files: no CDN.
    path("api/docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include("opendata.urls")),
    path("api/", include("procurement.api.urls")),
    path("api/", include("tendering.api_urls")),
    path("api/", include("contracts.urls")),
    path("api/", include("documents.urls")),
    path("api/", include("procurement.sheets.urls")),
    path("api/", include("notices.urls")),
    path("documents/", include("documents.page_urls")),
    path("sheets/", include("procurement.sheets.page_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("opendata.page_urls")),
    path("", include("workflows.urls")),
    path("", include("tendering.page_urls")),
    path("", include("notices.page_urls")),
    path("", include("contracts.page_urls")),
    path("", include("procurement.urls")),
]

# The admin's sign-in gets the same throttle on failed attempts as the pages' sign-in.
admin.site.login_form = ThrottledAdminAuthenticationForm

# Under /api/ every error answer is JSON in the API's error shape; elsewhere the HTML pages.
handler400 = "procurement.api.handlers.bad_request"
handler403 = "procurement.api.handlers.permission_denied"
handler404 = "procurement.api.handlers.page_not_found"
handler500 = "procurement.api.handlers.server_error"
