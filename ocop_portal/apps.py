from django.apps import AppConfig
from django_celery_beat.apps import BeatConfig


class OcopPortalConfig(AppConfig):
    """Wires the apps together: the root URLs, the demo loader and the health check."""

    default = True  # this module also holds CeleryBeatConfig
    name = "ocop_portal"
    verbose_name = "OCOP"

    def ready(self):
        from django.db.models.signals import pre_save

        from .text import nfc_text_fields

        pre_save.connect(nfc_text_fields, dispatch_uid="ocop_nfc_text_fields")


class CeleryBeatConfig(BeatConfig):
    """django-celery-beat's tables keep their own integer ids (its migrations use AutoField)."""

    default_auto_field = "django.db.models.AutoField"
