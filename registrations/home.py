"""The registrations items of the per-role home page (registered in apps.ready)."""
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from accounts.home import Todo
from accounts.selectors import user_scope

from .enums import COMMUNE_CLOCK_STATES, DossierStatus
from .models import Dossier
from .selectors import commune_officer_queue, province_queue_counts


_ROLES_WITH_ITEMS = (Role.COMMUNE_OFFICER, Role.PROVINCE_STAFF, Role.PRODUCER)


def registrations_todos(user) -> list[Todo]:
    scope = user_scope(user)
    if not scope.has_role(*_ROLES_WITH_ITEMS):
        return []  # no role with registrations work (council, report viewer, administrator only): no query
    today = timezone.localdate()
    todos = []
    url = reverse("registrations:dossier_list")
    if scope.has_role(Role.COMMUNE_OFFICER):
        counts = commune_officer_queue(user).aggregate(
            n=Count("pk"),
            overdue=Count("pk", filter=Q(status__in=COMMUNE_CLOCK_STATES, commune_due_on__lt=today)),
            returned=Count("pk", filter=Q(status=DossierStatus.RETURNED)),
        )
        if counts["n"]:
            todos.append(Todo(
                title=str(_("Hồ sơ chờ xã đánh giá (Mẫu 03) và chuyển lên tỉnh")),
                url=f"{url}?status=submitted&status=commune_review&status=returned",
                count=counts["n"], overdue=counts["overdue"], priority=10,
            ))
    if scope.has_role(Role.PROVINCE_STAFF):
        counts = province_queue_counts(user)  # waiting for intake, overdue at the commune: one query
        waiting, overdue = counts["waiting"], counts["overdue"]
        if waiting:
            todos.append(Todo(
                title=str(_("Hồ sơ xã đã chuyển lên, chờ tỉnh kiểm tra")),
                url=f"{url}?status=forwarded&status=intake", count=waiting, priority=10,
            ))
        if overdue:
            todos.append(Todo(
                title=str(_("Hồ sơ quá hạn đánh giá cấp xã")), url=f"{url}?overdue=true",
                count=overdue, overdue=overdue, priority=15,
            ))
    if scope.has_role(Role.PRODUCER):
        # own_producer_ids(user) as a subquery: one query, not two (the ids are not needed anywhere else here)
        own = user.producers.filter(commune_id__in=scope.unit_ids(Role.PRODUCER)).values("pk")
        drafts = Dossier.objects.filter(producer_id__in=own,
                                        status__in=[DossierStatus.DRAFT, DossierStatus.RETURNED]).count()
        if drafts:
            todos.append(Todo(title=str(_("Hồ sơ của bạn đang soạn hoặc cần hoàn thiện")), url=url, count=drafts, priority=20))
    return todos
