"""Home-page items for report viewers and province staff: the dossier progress report, and in the weeks a
6-monthly or annual report falls due, a reminder to prepare it."""
import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.home import Todo


def report_todos(user, *, today: datetime.date | None = None) -> list[Todo]:
    from accounts.enums import Role
    from accounts.selectors import user_scope

    scope = user_scope(user)
    if not scope.has_role(Role.REPORT_VIEWER):
        return []
    today = today or timezone.localdate()
    url = reverse("reports:report_detail", args=["dossier_progress"])
    todos = [Todo(title=_("Xem tiến độ hồ sơ OCOP của tỉnh"), url=url, priority=60)]
    # NTP monitoring: 6-monthly report in June–July, annual report in December–January.
    if today.month in (6, 7):
        period_url = f"{url}?year={today.year}&period=half&part=1&grouping=current_commune"
        todos.append(Todo(title=_("Lập báo cáo OCOP 6 tháng đầu năm %(year)s") % {"year": today.year},
                          url=period_url, priority=30))
    elif today.month in (12, 1):
        year = today.year if today.month == 12 else today.year - 1
        period_url = f"{url}?year={year}&period=year&grouping=current_commune"
        todos.append(Todo(title=_("Lập báo cáo OCOP năm %(year)s") % {"year": year}, url=period_url, priority=30))
    return todos
