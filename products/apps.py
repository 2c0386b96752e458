from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    name = "products"
    verbose_name = _("Sản phẩm và giấy chứng nhận")

    def ready(self):
        from accounts.home import NavLink, register_nav_link, register_todo_provider

        from . import rules
        from .home import product_todos

        register_nav_link(NavLink(title=_("Quyết định công nhận"), url_name="products:decision_list",
                                  visible=rules.can_list_decisions, order=50))
        register_nav_link(NavLink(title=_("Giấy chứng nhận OCOP"), url_name="products:certificate_list",
                                  visible=rules.can_list_certificates, order=55))
        register_todo_provider(product_todos)

        from registrations.panels import register_dossier_panel
        from registrations.previous_certificate import register_previous_certificate_check

        from .panels import previous_certificate_panel
        from .selectors import previous_certificate_refusals

        register_dossier_panel(previous_certificate_panel)
        register_previous_certificate_check(previous_certificate_refusals)

        from registrations.services import dossier_transitioned

        from .services import on_dossier_transitioned

        dossier_transitioned.connect(on_dossier_transitioned, dispatch_uid="products.grace")
