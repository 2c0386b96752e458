from django.apps import AppConfig


class OcopPortalConfig(AppConfig):
    """Wires the apps together: the root URLs, the demo loader and the health check."""

    name = "ocop_portal"
    verbose_name = "OCOP"

    def ready(self):
        from django.db.models import fields
        from django.db.models.signals import pre_save

        from .forms import BLANK_CHOICE_LABEL
        from .text import nfc_text_fields

        pre_save.connect(nfc_text_fields, dispatch_uid="ocop_nfc_text_fields")
        # Django 6.1 documents overriding its English blank-choice label here.
        fields.BLANK_CHOICE_LABEL = BLANK_CHOICE_LABEL

