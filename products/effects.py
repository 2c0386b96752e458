"""Work the products app's records still owe, found by the periodic effects sweep (activity.services)."""
from activity.services import effect_sweeper

from .models import Certificate


@effect_sweeper
def certificates_without_pdf(*, before, limit):
    """Certificates issued before `before` whose PDF was never rendered (its hand-over was lost)."""
    from .tasks import certificate_render

    ids = Certificate.objects.filter(pdf="", created_at__lt=before).order_by("pk").values_list("pk", flat=True)
    ids = ids[:limit]
    return [(certificate_render, {"certificate_id": pk}) for pk in ids]
