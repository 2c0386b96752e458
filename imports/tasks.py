"""Thin tasks: ids in, a service call, nothing back."""
from celery import shared_task


@shared_task(acks_late=True)
def import_preview(*, batch_id: int) -> None:
    from .services import batch_preview

    batch_preview(batch_id=batch_id)


@shared_task(acks_late=True)
def import_apply(*, batch_id: int, by_id: int | None) -> None:
    from .services import batch_apply

    batch_apply(batch_id=batch_id, by_id=by_id)
