from django.apps import AppConfig


class OcopPortalConfig(AppConfig):
    """Wires the apps together: the root URLs, the demo loader and the health check."""

    name = "ocop_portal"
    verbose_name = "OCOP"

    def ready(self):
        from django.db.models import fields
        from django.db.models.signals import post_migrate, pre_migrate, pre_save

        from .forms import BLANK_CHOICE_LABEL
        from .text import nfc_text_fields

        pre_save.connect(nfc_text_fields, dispatch_uid="ocop_nfc_text_fields")
        # Django 6.1 documents overriding its English blank-choice label here.
        fields.BLANK_CHOICE_LABEL = BLANK_CHOICE_LABEL
        # Every table gets its data-version trigger (ocop_portal.versions), tables of later migrations too. The
        # signal is sent only for apps with models (this one has none), after every migration has run.
        from django.apps import apps
        from django.db.backends.signals import connection_created

        from .versions import on_connection_created

        connection_created.connect(on_connection_created, dispatch_uid="ocop_data_versions_installed")
        pre_migrate.connect(_suspend_data_versions, sender=apps.get_app_config("activity"),
                            dispatch_uid="ocop_data_versions_suspend")
        post_migrate.connect(_install_data_versions, sender=apps.get_app_config("activity"),
                             dispatch_uid="ocop_data_versions")


def _suspend_data_versions(sender, using="default", **kwargs):
    from .versions import suspend

    suspend(using)


def _install_data_versions(sender, using="default", **kwargs):
    from .versions import install, resume

    install(using)
    resume(using)

