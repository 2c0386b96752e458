"""Province staff's home-page items: decisions to finish, renewal windows open, revocations due."""
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import Role
from accounts.home import Todo
from accounts.selectors import user_scope


def product_todos(user) -> list[Todo]:
    if not getattr(user, "is_authenticated", False):
        return []
    scope = user_scope(user)
    if not (scope.is_admin or scope.unit_ids(Role.PROVINCE_STAFF)):
        return []
    from . import selectors

    today = timezone.localdate()
    todos = []
    waiting = selectors.decisions_waiting(user=user).count()
    if waiting:
        todos.append(Todo(title=_("Quyết định công nhận chưa công bố"), url=reverse("products:decision_list"),
                          count=waiting, priority=25))
    counts = selectors.renewal_and_revocation_counts(user=user, day=today)
    if counts["renewal"]:
        todos.append(Todo(title=_("Giấy chứng nhận đang trong thời hạn nộp hồ sơ đánh giá lại (180–120 ngày trước khi hết hạn)"),
                          url=reverse("products:certificate_list") + "?state=renewal", count=counts["renewal"],
                          priority=35))
    if counts["pending"]:
        todos.append(Todo(title=_("Ra quyết định thu hồi giấy chứng nhận (hạn 15 ngày từ khi phát hiện)"),
                          url=reverse("products:certificate_list") + "?state=active", count=counts["pending"],
                          overdue=counts["overdue"], priority=15))
    return todos
