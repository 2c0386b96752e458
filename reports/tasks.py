"""Thin Celery tasks: ids in, a service call, nothing kept in memory between runs."""
from celery import shared_task
from django.db import OperationalError


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def report_run_execute(*, run_id: int) -> str:
    from .services import report_run_execute as execute

    run = execute(run_id=run_id)
    return run.status if run else ""


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def report_subscriptions_deliver() -> int:
    from .services import subscriptions_deliver

    return subscriptions_deliver()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def report_runs_purge() -> int:
    from .services import report_runs_purge as purge

    return purge()
