from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Đăng ký và hồ sơ")

    def ready(self):
        from accounts.home import NavLink, register_nav_link, register_todo_provider
        from accounts.rules import is_admin, is_commune_officer, is_producer, is_province_staff

        from .home import registrations_todos

        sees_registrations = is_admin | is_commune_officer | is_province_staff | is_producer
        register_nav_link(NavLink(title=_("Hồ sơ OCOP"), url_name="registrations:dossier_list", visible=sees_registrations, order=20))
        register_nav_link(NavLink(title=_("Chủ thể"), url_name="registrations:producer_list", visible=sees_registrations, order=21))
        register_nav_link(NavLink(
            title=_("Ý tưởng, phương án"), url_name="registrations:support_steps",
            visible=is_admin | is_commune_officer | is_province_staff, order=22,
        ))
        register_todo_provider(registrations_todos)
