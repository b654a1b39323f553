"""The schema (``/api/schema/``) and its documentation page (``/api/docs/``): drf-spectacular's views, except
that their refusals and OPTIONS answers are JSON like the rest of the API (their own renderers are YAML and
an HTML template, which gave a 500 for OPTIONS and YAML or HTML for a 405)."""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.renderers import JSONRenderer


class JSONErrorsMixin:
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method == "OPTIONS" or response.status_code >= 400:
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
            response.template_name = None
        return response


class SchemaView(JSONErrorsMixin, SpectacularAPIView):
    pass


class SwaggerView(JSONErrorsMixin, SpectacularSwaggerSplitView):
    """The split view serves Swagger UI's start script as a file of its own: no inline script, so the page
    works under the Content-Security-Policy (config/csp.py)."""
