"""Working days: weekends and public holidays are skipped, make-up Saturdays count (pure functions)."""
import datetime
import json
from collections.abc import Iterable
from pathlib import Path

HOLIDAYS_FILE = Path(__file__).resolve().parent / "data" / "holidays-vn.json"
COMMUNE_ASSESSMENT_WORKING_DAYS = 15  # 26/2026/QĐ-TTg: the commune's step


def is_working_day(day: datetime.date, days_off: Iterable[datetime.date] = (), extra_working_days: Iterable[datetime.date] = ()) -> bool:
    if day in extra_working_days:
        return True
    return day.weekday() < 5 and day not in days_off


def add_working_days(start: datetime.date, n: int, holidays: Iterable[datetime.date] = (),
                     extra_working_days: Iterable[datetime.date] = ()) -> datetime.date:
    """The date `n` working days after `start` (the day of receipt itself does not count)."""
    days_off = frozenset(holidays)
    extra = frozenset(extra_working_days)
    day = start
    remaining = n
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day, days_off, extra):
            remaining -= 1
    return day


def holiday_rows_from_file(path: Path = HOLIDAYS_FILE) -> list[dict]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        {"date": datetime.date.fromisoformat(row["date"]), "name": row["name"], "is_day_off": row.get("is_day_off", True)}
        for row in data["days"]
    ]
