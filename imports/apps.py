from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "imports"
    verbose_name = _("Nhập, xuất dữ liệu OCOP")

    def ready(self):
        from accounts.home import NavLink, register_nav_link

        from . import rules

        register_nav_link(NavLink(title=_("Nhập, xuất dữ liệu"), url_name="imports:batch_list",
                                  visible=rules.can_import, order=90))
