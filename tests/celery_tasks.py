"""A task registered only in tests (imported by the tests and by a worker started with `--include`): slow enough
to kill its worker mid-run, and idempotent like the portal's tasks — it leaves one result file however often
it runs, and notes each start."""
import os
import time
from pathlib import Path

from celery import shared_task


@shared_task(acks_late=True)
def slow_result_write(*, folder: str, seconds: float) -> str:
    folder = Path(folder)
    with open(folder / "starts.log", "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()}\n")
    time.sleep(seconds)
    try:
        with open(folder / "result.txt", "x", encoding="utf-8") as result:
            result.write("một kết quả")
    except FileExistsError:
        pass
    return "done"
