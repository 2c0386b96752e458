"""Text is stored NFC-normalised, so "Hợp tác xã" typed on any keyboard (composed or decomposed
diacritics) compares, sorts and searches equal. One pre_save receiver covers every model of the portal."""
import unicodedata

from django.db import models

PORTAL_APPS = {"units", "accounts", "activity", "registrations", "evaluations", "products", "reports"}


def nfc_text_fields(sender, instance, **kwargs) -> None:
    if sender._meta.app_label not in PORTAL_APPS:
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)):
            value = getattr(instance, field.attname)
            if isinstance(value, str) and not value.isascii():
                setattr(instance, field.attname, unicodedata.normalize("NFC", value))
