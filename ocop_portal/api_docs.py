"""The API documentation page (/api/docs/): Swagger UI from drf-spectacular-sidecar's static files."""
from django.conf import settings
from django.utils.csp import CSP
from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI with its start script as a second request to this view (?script=), so the page carries
    no inline script; the page template (templates/drf_spectacular/swagger_ui.html) has no inline style.

    Swagger UI draws its icons as data: SVG images, so under the portal's Content-Security-Policy this
    page alone also allows images from data: — nothing else is loosened."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        policy = settings.SECURE_CSP
        if policy:
            images = list(policy.get("img-src", policy.get("default-src", [CSP.SELF])))
            if "data:" not in images:
                images.append("data:")
            response._csp_config = {**policy, "img-src": images}  # what @csp_override sets, per request
        return response
