from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Đánh giá, phân hạng")

    def ready(self):
        from accounts.home import NavLink, register_nav_link, register_todo_provider
        from accounts.rules import is_admin, is_advisory_member, is_council_member, is_province_staff

        from .home import evaluation_todos

        register_nav_link(NavLink(title=_("Đánh giá, phân hạng"), url_name="evaluations:round_list",
                                  visible=is_admin | is_province_staff | is_council_member | is_advisory_member,
                                  order=40))
        register_todo_provider(evaluation_todos)

        from registrations.panels import register_dossier_panel

        from .panels import self_assessment_panel

        register_dossier_panel(self_assessment_panel)

        from registrations.confidential import register_result_visibility

        from .rules import result_visible_ids

        register_result_visibility(result_visible_ids)
