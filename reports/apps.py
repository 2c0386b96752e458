from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Báo cáo")

    def ready(self):
        from accounts.home import NavLink, register_dashboard_provider, register_nav_link, register_todo_provider

        from . import rules  # noqa: F401  (registers the permissions)
        from .dashboards import dashboard_for
        from .home import report_todos

        register_nav_link(NavLink(title=_("Báo cáo"), url_name="reports:report_list", visible=rules.may_run_reports,
                                  order=80))
        register_todo_provider(report_todos)
        register_dashboard_provider(dashboard_for)
