from celery import shared_task


@shared_task(bind=True, acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def outbox_send(self, *, message_id: int):
    from .services import outbox_message_send

    message = outbox_message_send(message_id=message_id)
    return message.status if message else None


@shared_task(acks_late=True)
def effects_sweep() -> dict:
    """Every few minutes (beat): hand over again whatever committed work is not done yet."""
    from .services import effects_sweep as sweep

    return sweep()
