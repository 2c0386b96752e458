"""A big file runs in Celery (a real worker here) and its page shows a real percentage while it works."""
import time

import pytest

from imports import services
from imports.enums import BatchState
from imports.models import ImportBatch
from registrations.models import Producer

from .factories import GOOD, import_world, workbook


def _wait(batch_id, state, seen, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        batch = ImportBatch.objects.get(pk=batch_id)
        seen.append(services.batch_progress(batch))
        if batch.state in (state, BatchState.FAILED):
            return batch
        time.sleep(0.05)
    raise AssertionError(f"still {batch.state}")


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_previews_and_writes_a_file_with_a_real_percentage(celery_worker):
    world = import_world()
    rows = [[f"{1300700000 + i}", f"HTX {i}", "HTX", "Xã Sơn Định", "Chợ Lách", "Bến Tre", "Ấp", "A", "Nam", "", "",
             "Không"] for i in range(600)]
    content = workbook({"Chủ thể": (GOOD["Chủ thể"][0], rows)})
    batch = services.batch_create(province=world["province"], file_name="lon.xlsx", content=content, by=world["staff"])
    seen = []
    batch = _wait(batch.pk, BatchState.PREVIEWED, seen)
    assert batch.counts["new"] == 600 and Producer.objects.count() == 0
    services.batch_confirm(batch=batch, by=world["staff"])
    seen = []
    batch = _wait(batch.pk, BatchState.APPLIED, seen)
    assert Producer.objects.count() == 600
    assert any(0 < done < 600 for done in seen), seen  # a real percentage in between, read from the cache
    assert seen == sorted(seen[:-1]) + seen[-1:]
