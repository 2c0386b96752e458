"""Thin Celery tasks: ids in, a service call, nothing kept in memory between runs."""
from celery import shared_task


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def round_minutes_render(*, round_id: int) -> str:
    from .minutes import minutes_render

    round_ = minutes_render(round_id=round_id)
    return round_.minutes_pdf.name if round_ else ""
