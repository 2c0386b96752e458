"""Registration numbers under concurrency: 20 forwards at once give 20 distinct consecutive numbers."""
import threading

import pytest
from django.db import close_old_connections, connection

from registrations.models import Dossier
from registrations.services import commune_assessment_record, dossier_transition

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_concurrent_forwards_get_twenty_consecutive_unique_numbers(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (select_for_update)")
    dossiers = []
    for _ in range(20):
        dossier = world.complete_dossier()
        dossier_transition(dossier=dossier, to="submitted", by=world.officer)
        commune_assessment_record(dossier=dossier, by=world.officer, origin_and_raw_material="met", local_labour="met",
                                  idea_origin="met", local_identity="met", conclusion="forward")
        dossiers.append(dossier)
    barrier = threading.Barrier(20)
    errors = []

    def forward(pk):
        try:
            barrier.wait()
            dossier_transition(dossier=Dossier.objects.get(pk=pk), to="forwarded", by=world.officer)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=forward, args=(d.pk,)) for d in dossiers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    numbers = list(Dossier.objects.values_list("registration_number", flat=True))
    year = Dossier.objects.first().forwarded_at.year
    assert sorted(numbers, key=lambda n: int(n.split("/")[0])) == [f"{i}/PĐK-86-29017-{year}" for i in range(1, 21)]
