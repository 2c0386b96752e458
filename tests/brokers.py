"""Test helpers that point Celery at a broker that is down, and back."""
import contextlib

# Nothing listens here: publishing fails at once with "Connection refused", as with Redis stopped.
CLOSED_BROKER_URL = "redis://127.0.0.1:6399/0"


def forget_broker_connections(app) -> None:
    """Drop the pooled publishing connections, so the next publish connects to the configured broker_url."""
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@contextlib.contextmanager
def broker_down(app=None):
    """Inside the block Celery publishes to a closed port and runs nothing in-process."""
    if app is None:
        from ocop_portal.celery import app
    previous = app.conf.broker_url, app.conf.task_always_eager
    forget_broker_connections(app)
    app.conf.broker_url, app.conf.task_always_eager = CLOSED_BROKER_URL, False
    try:
        yield app
    finally:
        forget_broker_connections(app)
        app.conf.broker_url, app.conf.task_always_eager = previous
