from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _effect_task_finished(sender=None, task_id=None, task=None, args=None, kwargs=None, state=None, **extra):
    """After every task run: a run that ended well marks the effects it carried out done."""
    if state == "SUCCESS" and task is not None:
        from .services import effect_done

        effect_done(task=task.name, kwargs=kwargs or {})


class ActivityConfig(AppConfig):
    name = "activity"
    verbose_name = _("Nhật ký và thông báo")

    def ready(self):
        from celery.signals import task_postrun
        from django.utils.module_loading import autodiscover_modules

        task_postrun.connect(_effect_task_finished, dispatch_uid="activity_effect_task_finished", weak=False)
        # Each app's effects.py registers the work its records may still owe (see services.effect_sweeper).
        autodiscover_modules("effects")
