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


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def report_subscription_deliver(*, subscription_id: int, period: str) -> int | None:
    """Make the file of one subscription's period, then deliver it (retried with backoff when the run fails)."""
    from .services import subscription_deliver

    run = subscription_deliver(subscription_id=subscription_id, period=period)
    return run.pk if run else None


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def report_runs_purge() -> int:
    from .services import report_runs_purge as purge

    return purge()
