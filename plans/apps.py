from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Kế hoạch, chương trình OCOP")

    def ready(self):
        from accounts.home import NavLink, register_nav_link

        from . import indicators  # noqa: F401  (registers the indicator catalogue)
        from . import rules

        register_nav_link(NavLink(title=_("Kế hoạch OCOP"), url_name="plans:plan_list", visible=rules.may_read_plans,
                                  order=75))
