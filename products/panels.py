"""The block products adds to registrations' dossier page: the certificate an upgrade or re-evaluation
dossier names, with what is wrong with it (unknown, another producer's, ended, outside the filing window)."""
from django.utils.translation import gettext as _

from registrations.panels import Panel

from .selectors import previous_certificate_check


def previous_certificate_panel(request, dossier):
    check = previous_certificate_check(dossier)
    if check is None:
        return None
    cert = check["certificate"]
    return Panel(
        title=_("Giấy chứng nhận đã được cấp"), template="products/_previous_certificate_panel.html", order=30,
        context={"check": check, "can_open": cert is not None and request.user.has_perm("products.view_certificate", cert)},
    )
