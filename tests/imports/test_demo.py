"""load_demo shows the import: a confirmed batch by the province staff, every row written, the chain right."""
import io

import pytest
from django.core.management import call_command

from imports.demo import DEMO_FILE_NAME
from imports.enums import BatchState
from imports.models import ImportBatch
from products.models import Certificate


@pytest.mark.django_db
def test_the_demo_has_a_confirmed_import_with_no_error_rows():
    call_command("load_demo", stdout=io.StringIO())
    batch = ImportBatch.objects.get(file_name=DEMO_FILE_NAME)
    assert (batch.state, batch.created_by.username) == (BatchState.APPLIED, "canbo.tinh")
    assert batch.counts == {"new": 5, "unchanged": 0, "updated": 0, "error": 0}
    assert dict(Certificate.objects.filter(number__in=["41/2024/GCN-OCOP-BT", "17/2020/GCN-OCOP-BT"])
                .values_list("number", "status")) == {"41/2024/GCN-OCOP-BT": "active", "17/2020/GCN-OCOP-BT": "expired"}
