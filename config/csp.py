"""The Content-Security-Policy header on every answer (settings.CONTENT_SECURITY_POLICY; Django 5.2 has no
CSP of its own). The pages load their scripts from our own static files only (htmx, demand.js, formset.js;
no inline script), and the API documentation loads Swagger UI and its start script the same way
(SpectacularSwaggerSplitView). Inline ``style`` attributes remain in the templates and Swagger UI sets styles
itself: styles allow 'unsafe-inline', scripts do not."""

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = "; ".join(f"{name} {value}".strip() for name, value in settings.CONTENT_SECURITY_POLICY.items())

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
