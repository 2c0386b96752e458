import datetime

import pytest

from registrations.services import commune_due_date
from registrations.workdays import add_working_days


def test_add_working_days_skips_weekends():
    friday = datetime.date(2026, 3, 6)
    assert add_working_days(friday, 1) == datetime.date(2026, 3, 9)
    assert add_working_days(friday, 15) == datetime.date(2026, 3, 27)


def test_add_working_days_skips_holidays_and_counts_make_up_saturdays():
    friday = datetime.date(2026, 8, 21)
    holidays = [datetime.date(2026, 8, 24)]
    assert add_working_days(friday, 1, holidays) == datetime.date(2026, 8, 25)
    assert add_working_days(friday, 1, holidays, [datetime.date(2026, 8, 22)]) == datetime.date(2026, 8, 22)


@pytest.mark.django_db
def test_commune_due_date_received_friday_before_national_day():
    # Received Fri 28/08/2026; days off Mon 31/08 (swapped), Tue 01/09 and Wed 02/09 (National Day).
    # Working days: 3, 4, 7–11, 14–18, 21, 22, 23 September → the 15th is Wed 23/09/2026.
    assert commune_due_date(datetime.date(2026, 8, 28)) == datetime.date(2026, 9, 23)


@pytest.mark.django_db
def test_commune_due_date_received_friday_before_hung_kings_day():
    # Received Fri 24/04/2026; off Mon 27/04 (Hùng Kings, substitute), Thu 30/04 and Fri 01/05.
    assert commune_due_date(datetime.date(2026, 4, 24)) == datetime.date(2026, 5, 20)


@pytest.mark.django_db
def test_commune_due_date_reloads_the_holiday_list_when_the_table_is_empty():
    from registrations.models import Holiday

    Holiday.objects.all().delete()
    assert commune_due_date(datetime.date(2026, 8, 28)) == datetime.date(2026, 9, 23)
    assert Holiday.objects.filter(date="2026-09-02").exists()


@pytest.mark.django_db
def test_commune_due_date_of_a_receipt_on_29_february():
    # 2028 is a leap year; the holiday window once used date.replace(year=+1) and failed on this day.
    assert commune_due_date(datetime.date(2028, 2, 29)) == datetime.date(2028, 3, 21)
