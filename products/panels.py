"""The block products adds to registrations' dossier page: the certificate an upgrade or re-evaluation
dossier names, with what is wrong with it (unknown, another producer's, ended, outside the filing window)."""
from django.utils.translation import gettext as _

from registrations.panels import Panel

from .selectors import previous_certificate_check


def previous_certificate_panel(request, dossier):
    # Only a certificate the viewer may see is described; any other reads "not found or out of your scope".
    check = previous_certificate_check(dossier, user=request.user)
    if check is None:
        return None
    return Panel(
        title=_("Giấy chứng nhận đã được cấp"), template="products/_previous_certificate_panel.html", order=30,
        context={"check": check, "can_open": check["certificate"] is not None},
    )
