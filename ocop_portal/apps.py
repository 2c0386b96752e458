from django.apps import AppConfig


class OcopPortalConfig(AppConfig):
    """Wires the apps together: the root URLs, the demo loader and the health check."""

    name = "ocop_portal"
    verbose_name = "OCOP"

    def ready(self):
        from django.db.models.signals import pre_save

        from .text import nfc_text_fields

        pre_save.connect(nfc_text_fields, dispatch_uid="ocop_nfc_text_fields")

