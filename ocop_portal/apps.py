from django.apps import AppConfig


class OcopPortalConfig(AppConfig):
    """Wires the apps together: the root URLs, the demo loader and the health check."""

    name = "ocop_portal"
    verbose_name = "OCOP"
