"""Admin of the activity log and the outbox, and the mixins every app's admin uses (issue 8, item 6):

- the activity log is append-only: it is read in the admin, never added to, edited or deleted (single or bulk);
- `ActivityLoggedAdmin`: a change made in the admin (master data: units, users and roles, organisations, rubrics,
  councils and members, authority rules…) is written to the activity log, with the fields before and after;
- `TransitionManagedAdmin`: a record whose state moves through a transition service (dossier, round, decision,
  certificate, idea, plan) shows its state fields read-only and is neither added nor deleted in the admin, so a
  revoked certificate cannot be set back to active there, and its history never points at nothing.
"""
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from units.models import AdministrativeUnit, UnitLineage

from .models import ActivityLog, Effect, OutboxMessage
from .services import activity_record


def _plain(value):
    """A form value as the log stores it: records by name, files by path (the rest is activity's JSON)."""
    if isinstance(value, QuerySet) or (isinstance(value, (list, tuple)) and value and isinstance(value[0], Model)):
        return [str(v) for v in value]
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, Model):
        return str(value)
    return value


def _stored_value(stored, name, form):
    """A field's value as it was in the database before the admin saved (the form's initial as a fallback)."""
    if stored is None:
        return _plain(form.initial.get(name))
    try:
        field = stored._meta.get_field(name)
    except Exception:  # a form-only field
        return _plain(form.initial.get(name))
    if field.many_to_many:
        return [str(v) for v in getattr(stored, name).all()]
    return _plain(getattr(stored, name, None))


def _fields(names) -> list:
    """Changed fields worth logging: never a password or its hash."""
    return [n for n in names if "password" not in n]


class ActivityLoggedAdmin(admin.ModelAdmin):
    """Writes every add, change and delete made in the admin (inlines included) to the activity log."""

    def save_model(self, request, obj, form, change):
        changed = _fields(form.changed_data)
        stored = type(obj)._default_manager.filter(pk=obj.pk).first() if change and obj.pk else None
        before = {name: _stored_value(stored, name, form) for name in changed} if change else None
        super().save_model(request, obj, form, change)
        if change and not changed:
            return
        after = {name: _plain(form.cleaned_data.get(name)) for name in changed}
        activity_record(actor=request.user, target=obj, before=before, after=after,
                        verb=_("Sửa trong trang quản trị") if change else _("Thêm trong trang quản trị"))

    def delete_model(self, request, obj):
        activity_record(actor=request.user, target=obj, verb=_("Xóa trong trang quản trị"), before={"record": str(obj)})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            activity_record(actor=request.user, target=obj, verb=_("Xóa trong trang quản trị"),
                            before={"record": str(obj)})
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        """Inline rows (a user's role assignments, a council's members) are logged on their parent record."""
        changed_rows = {f.instance.pk: _fields(f.changed_data) for f in formset.forms if f.instance.pk}
        before_rows = {f.instance.pk: {n: _plain(f.initial.get(n)) for n in _fields(f.changed_data)}
                       for f in formset.forms if f.instance.pk}
        super().save_formset(request, form, formset, change)
        parent = form.instance
        label = formset.model._meta.verbose_name
        for obj in formset.new_objects:
            activity_record(actor=request.user, target=parent, verb=_("Thêm trong trang quản trị"),
                            after={"row": f"{label}: {obj}"})
        for obj, _names in formset.changed_objects:
            names = changed_rows.get(obj.pk, [])
            activity_record(actor=request.user, target=parent, verb=_("Sửa trong trang quản trị"),
                            before={"row": f"{label}: {obj}", **before_rows.get(obj.pk, {})},
                            after={"row": f"{label}: {obj}", **{n: _plain(getattr(obj, n, None)) for n in names}})
        for obj in formset.deleted_objects:
            activity_record(actor=request.user, target=parent, verb=_("Xóa trong trang quản trị"),
                            before={"row": f"{label}: {obj}"})


class TransitionManagedAdmin(ActivityLoggedAdmin):
    """State fields are read-only; such records are created and ended by their services, not in the admin."""

    state_fields: tuple = ("status",)

    def get_readonly_fields(self, request, obj=None):
        return tuple(dict.fromkeys([*super().get_readonly_fields(request, obj), *self.state_fields]))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ActivityLog)
class ActivityLogAdmin(admin.ModelAdmin):
    """Append-only: read here, written only by the services (no add, no edit, no delete, single or bulk)."""

    list_display = ["at", "actor", "verb", "target_repr"]
    list_filter = ["verb"]
    search_fields = ["target_repr", "message"]
    list_select_related = ["actor"]
    readonly_fields = [f.name for f in ActivityLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "email", "status", "attempts"]
    list_filter = ["status", "event"]
    search_fields = ["email", "subject"]
    actions = ["resend"]

    @admin.action(description=_("Gửi lại các thư đã chọn"))
    def resend(self, request, queryset):
        from .services import outbox_resend

        n = outbox_resend(messages=list(queryset), by=request.user)
        self.message_user(request, _("Đã xếp %(n)s thư vào hàng gửi lại.") % {"n": n})


@admin.register(Effect)
class EffectAdmin(admin.ModelAdmin):
    """Read-only: effects are written by services and tasks; the sweep retries them."""

    list_display = ["created_at", "task", "kwargs", "status", "attempts", "dispatched_at", "done_at"]
    list_filter = ["status", "task"]
    search_fields = ["key", "last_error"]
    readonly_fields = [f.name for f in Effect._meta.fields]

    def has_add_permission(self, request):
        return False


# The layers below activity (units, accounts) cannot import this mixin: their master-data admins, registered
# before this module is loaded (INSTALLED_APPS order), are re-registered here with it.
for _model in (AdministrativeUnit, UnitLineage, User, Organisation):
    _current = type(admin.site.get_model_admin(_model))
    admin.site.unregister(_model)
    admin.site.register(_model, type(_current.__name__, (ActivityLoggedAdmin, _current), {"__module__": _current.__module__}))
