"""Reads of the registrations app. Every list starts from a `..._visible_to(user)` queryset (the long lists from
`..._listed_for(user)`, the same rows in the form their counts are quickest with)."""
import django_filters
from django import forms
from django.db.models import Count, F, Lookup, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _

from accounts.enums import Role
from accounts.selectors import scope_q, user_scope
from ocop_portal.forms import FILTER_ALL_LABEL
from ocop_portal.text import matching
from units.models import AdministrativeUnit

from .enums import COMMUNE_CLOCK_STATES, DossierKind, DossierStatus, ProducerKind
from .models import (
    BusinessPlan,
    CommuneAssessment,
    Dossier,
    DossierRevision,
    EvidenceFile,
    Producer,
    ProductGroup,
    ProductIdea,
)
from .rules import own_producer_ids

_SCOPE = {"province_roles": (Role.PROVINCE_STAFF,), "commune_roles": (Role.COMMUNE_OFFICER,)}


def _own_producers(user):
    """The producers the account acts for today: linked AND holding a producer role still valid (issue 8, item 9)."""
    return list(own_producer_ids(user))


def producer_visible_to(user) -> QuerySet:
    if not getattr(user, "is_authenticated", False):
        return Producer.objects.none()
    q = scope_q(user, commune_field="commune", **_SCOPE)
    if q is None:
        return Producer.objects.all()
    return Producer.objects.filter(q | Q(pk__in=_own_producers(user)))


def dossier_visible_to(user) -> QuerySet:
    if not getattr(user, "is_authenticated", False):
        return Dossier.objects.none()
    q = scope_q(user, commune_field="commune", **_SCOPE)
    if q is None:
        return Dossier.objects.all()
    return Dossier.objects.filter(q | Q(producer_id__in=_own_producers(user)))


class _AnyOf(Lookup):
    """`column = ANY(%s)` with the ids as one array parameter on PostgreSQL (the same plan as IN (…), without
    Django preparing five hundred parameters one by one); IN (…) elsewhere."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [int(v) for v in self.rhs]

    def as_sql(self, compiler, connection):
        lhs, params = compiler.compile(self.lhs)
        return f"{lhs} IN ({', '.join(['%s'] * len(self.rhs))})", (*params, *self.rhs)

    def as_postgresql(self, compiler, connection):
        lhs, params = compiler.compile(self.lhs)
        return f"{lhs} = ANY(%s)", (*params, self.rhs)


def _list_scope_q(user, *, commune_field: str) -> Q | None:
    """scope_q (province staff: the communes of their provinces; commune officers: their communes) with the
    province's communes as a list of ids read first (one small query), not a subquery: on national data the
    planner scans the whole dossier table for the subquery (6.5 ms to count a province's dossiers) and probes
    the commune index for the list (0.8 ms). For the lists and their counts; a record's page keeps scope_q."""
    scope = user_scope(user)
    if scope.is_admin:
        return None
    communes = set(scope.unit_ids(*_SCOPE["commune_roles"]))
    provinces = scope.unit_ids(*_SCOPE["province_roles"])
    if provinces:
        communes.update(AdministrativeUnit.objects.filter(current_province__in=provinces).order_by()
                        .values_list("pk", flat=True))
    return Q(_AnyOf(F(f"{commune_field}_id"), sorted(communes))) if communes else Q(pk__in=[])


def _producers_listed_for(user) -> QuerySet:
    if not getattr(user, "is_authenticated", False):
        return Producer.objects.none()
    q = _list_scope_q(user, commune_field="commune")
    return Producer.objects.all() if q is None else Producer.objects.filter(q | Q(pk__in=_own_producers(user)))


def dossiers_listed_for(user) -> QuerySet:
    """The same dossiers as dossier_visible_to(user), in the form a list and its count are quickest with."""
    if not getattr(user, "is_authenticated", False):
        return Dossier.objects.none()
    q = _list_scope_q(user, commune_field="commune")
    return Dossier.objects.all() if q is None else Dossier.objects.filter(q | Q(producer_id__in=_own_producers(user)))


def evidence_visible_to(user) -> QuerySet:
    return EvidenceFile.objects.filter(revision__dossier__in=dossier_visible_to(user).values("pk"))


def product_idea_visible_to(user) -> QuerySet:
    return ProductIdea.objects.filter(producer__in=producer_visible_to(user).values("pk"))


def business_plan_visible_to(user) -> QuerySet:
    return BusinessPlan.objects.filter(producer__in=producer_visible_to(user).values("pk"))


def units_visible_to(user) -> QuerySet:
    """Communes the user may filter by."""
    qs = AdministrativeUnit.objects.filter(level="commune", valid_to__isnull=True)
    scope = user_scope(user)
    if scope.is_admin:
        return qs
    return qs.filter(
        Q(current_province__in=scope.unit_ids(Role.PROVINCE_STAFF)) | Q(pk__in=scope.unit_ids(Role.COMMUNE_OFFICER))
    )


# --- filters shared by the pages and the API --------------------------------------------------------
class ProducerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Tìm theo tên, mã số thuế"))
    kind = django_filters.ChoiceFilter(choices=ProducerKind.choices, label=_("Loại hình"))
    commune = django_filters.ModelChoiceFilter(queryset=AdministrativeUnit.objects.filter(level="commune"), label=_("Xã, phường"),
                                               empty_label=FILTER_ALL_LABEL)

    class Meta:
        model = Producer
        fields = ["q", "kind", "commune"]

    def search(self, queryset, name, value):
        return matching(queryset, value, "search_text")


OVERDUE_CHOICES = [("", FILTER_ALL_LABEL), ("true", _("Có")), ("false", _("Không"))]


class DossierFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Tìm theo sản phẩm, chủ thể, số phiếu"))
    status = django_filters.MultipleChoiceFilter(choices=DossierStatus.choices, label=_("Trạng thái"),
                                                 method="filter_status", widget=forms.CheckboxSelectMultiple)
    kind = django_filters.ChoiceFilter(choices=DossierKind.choices, label=_("Loại đăng ký"))
    commune = django_filters.ModelChoiceFilter(queryset=AdministrativeUnit.objects.filter(level="commune"), label=_("Xã, phường"),
                                               empty_label=FILTER_ALL_LABEL)
    product_group = django_filters.ModelChoiceFilter(
        field_name="product_set__group", queryset=ProductGroup.objects.filter(level="group"), label=_("Nhóm sản phẩm"),
        empty_label=FILTER_ALL_LABEL)
    year = django_filters.NumberFilter(label=_("Năm"))
    # NullBooleanSelect would offer "Chưa xác định" (unknown) as the default: here the empty choice is no filter.
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Quá hạn đánh giá cấp xã"),
                                           widget=forms.Select(choices=OVERDUE_CHOICES))

    class Meta:
        model = Dossier
        fields = ["q", "status", "kind", "commune", "product_group", "year", "overdue"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None else getattr(self.request, "user", None)

    def filter_status(self, queryset, name, value):
        """A producer or commune officer filtering by a result state gets every "evaluated, awaiting the
        decision" state: the filter must not tell which dossiers the council recommended."""
        from .confidential import CONFIDENTIAL_STATES, sees_every_result

        wanted = set(value)
        if not wanted:
            return queryset
        if wanted & CONFIDENTIAL_STATES and not sees_every_result(self.user):
            wanted |= CONFIDENTIAL_STATES
        return queryset.filter(status__in=wanted)

    def search(self, queryset, name, value):
        return matching(queryset, value, "search_text", "producer__search_text")

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status__in=COMMUNE_CLOCK_STATES, commune_due_on__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


def _limit_filter_choices(filterset, user):
    if "commune" in filterset.filters:
        # Only what the <option>s show (the name, AdministrativeUnit.__str__) and the default ordering reads.
        filterset.filters["commune"].queryset = units_visible_to(user).only("id", "name", "level", "code")
    if "product_group" in filterset.filters:
        filterset.filters["product_group"].queryset = (ProductGroup.objects.filter(level="group")
                                                       .only("id", "code", "name", "classification"))
    return filterset


def producer_list(*, user, filters=None) -> tuple[QuerySet, ProducerFilter]:
    """The producers the user may see, filtered; their dossier counts come per page (producer_rows), not as an
    annotation grouping every producer of the province before the page is cut."""
    qs = _producers_listed_for(user).only("id", "name", "kind", "tax_code", "commune_id")
    fs = _limit_filter_choices(ProducerFilter(filters or {}, queryset=qs.order_by("name", "pk")), user)
    return (fs.qs if fs.is_valid() else qs.none()), fs


def producer_rows(producers) -> list[dict]:
    """The producer list's rows as the page prints them: kinds translated once, every dossier of each producer
    counted in one query for the page, the communes' names read for the page (joined to the list, the planner
    hashes the whole units table)."""
    producers = list(producers)
    communes = dict(AdministrativeUnit.objects.filter(pk__in={p.commune_id for p in producers}).order_by()
                    .values_list("pk", "name"))
    counts = dict(Dossier.objects.filter(producer_id__in=[p.pk for p in producers]).order_by()
                  .values_list("producer_id").annotate(n=Count("pk")).values_list("producer_id", "n"))
    kinds = {value: str(label) for value, label in ProducerKind.choices}
    prefix, suffix = _url_pattern("registrations:producer_detail")
    return [{
        "url": f"{prefix}{p.pk}{suffix}", "name": p.name, "kind": kinds.get(p.kind, p.kind), "tax_code": p.tax_code,
        "commune": communes.get(p.commune_id, ""), "dossier_count": counts.get(p.pk, 0),
    } for p in producers]


# The columns the dossier list shows, and those its status labels read (label_statuses and the result checks:
# status, commune and its province, producer).
_LIST_COLUMNS = (
    "id", "kind", "product_name", "status", "revision_number", "registration_number", "commune_due_on", "updated_at",
    "year", "producer_id", "commune_id", "product_set_id",
    "producer__id", "producer__name", "producer__commune_id",
    "commune__id", "commune__name", "commune__level", "commune__current_province_id",
    "product_set__id", "product_set__name",
)


def dossier_list(*, user, filters=None) -> tuple[QuerySet, DossierFilter]:
    qs = dossiers_listed_for(user).select_related("producer", "commune", "product_set").only(*_LIST_COLUMNS)
    fs = _limit_filter_choices(DossierFilter(filters or {}, queryset=qs.order_by("-updated_at", "-pk"), user=user), user)
    return (fs.qs if fs.is_valid() else qs.none()), fs


def _url_pattern(name: str):
    """(prefix, suffix) of a record's URL, to build each row's link without a reverse() per row."""
    marker = 918273645
    prefix, suffix = reverse(name, args=[marker]).split(str(marker))
    return prefix, suffix


def dossier_rows(dossiers) -> list[dict]:
    """The dossier list's rows as the page prints them, from dossiers labelled by label_statuses: labels
    translated once per list, not per row (issue 13)."""
    kinds = {value: str(label) for value, label in DossierKind.choices}
    revision = gettext("lần %(n)s")
    prefix, suffix = _url_pattern("registrations:dossier_detail")
    today = timezone.localdate()
    rows = []
    for d in dossiers:
        due = d.commune_due_on
        status = d.status_label
        if d.revision_number > 1:
            status = f"{status} · {revision % {'n': d.revision_number}}"
        rows.append({
            "url": f"{prefix}{d.pk}{suffix}",
            "product_name": d.product_name,
            "producer": d.producer.name,
            "commune": d.commune.name,
            "product_set": (d.product_set.name if d.product_set_id else "") or "—",
            "kind": kinds.get(d.kind, d.kind),
            "status": status,
            "registration_number": d.registration_number or "",
            "due": f"{due.day:02d}/{due.month:02d}/{due.year:04d}" if due else "",
            "overdue": bool(d.status in COMMUNE_CLOCK_STATES and due and due < today),
        })
    return rows


def dossier_detail_queryset(user) -> QuerySet:
    return dossier_visible_to(user).select_related(
        "producer", "commune", "commune__current_province", "product_set", "product_set__group", "created_by"
    )


def dossier_page_queryset(user) -> QuerySet:
    """dossier_detail_queryset for the dossier's page, which shows neither who created it nor its province."""
    return dossier_visible_to(user).select_related("producer", "commune", "product_set", "product_set__group").defer(
        "search_text", "producer__search_text")


def revisions_of(dossier: Dossier) -> list[DossierRevision]:
    return list(
        dossier.revisions.order_by("number").select_related("created_by").prefetch_related(
            Prefetch("evidence_files", queryset=EvidenceFile.objects.order_by("kind", "uploaded_at", "pk"))
        )
    )


def assessments_of(dossier: Dossier) -> list[CommuneAssessment]:
    return list(dossier.assessments.select_related("revision", "assessed_by").order_by("-revision__number"))


def _display(revision: DossierRevision, name: str):
    value = getattr(revision, name)
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    return value


def revision_diff(old: DossierRevision, new: DossierRevision) -> dict:
    """What changed between two revisions: fields (label, old, new) and evidence files added or removed."""
    fields = []
    for name in DossierRevision.DATA_FIELDS:
        if getattr(old, name) != getattr(new, name):
            fields.append({
                "name": name, "label": DossierRevision._meta.get_field(name).verbose_name,
                "old": _display(old, name), "new": _display(new, name),
            })
    old_files = {(e.kind, e.sha256, e.original_name): e for e in old.evidence_files.all()}
    new_files = {(e.kind, e.sha256, e.original_name): e for e in new.evidence_files.all()}
    return {
        "fields": fields,
        "added": [e for key, e in new_files.items() if key not in old_files],
        "removed": [e for key, e in old_files.items() if key not in new_files],
    }


# --- the home page ----------------------------------------------------------------------------------------
def commune_officer_queue(user) -> QuerySet:
    """Dossiers waiting for the commune: submitted or in review, in the officer's communes."""
    communes = user_scope(user).unit_ids(Role.COMMUNE_OFFICER)
    return Dossier.objects.filter(commune__in=communes).filter(
        Q(status__in=COMMUNE_CLOCK_STATES) | Q(status=DossierStatus.RETURNED, returned_from=DossierStatus.INTAKE)
    )


def _intake_q() -> Q:
    return Q(status__in=[DossierStatus.FORWARDED, DossierStatus.INTAKE])


def _overdue_commune_q() -> Q:
    return Q(status__in=COMMUNE_CLOCK_STATES, commune_due_on__lt=timezone.localdate())


def _province_dossiers(user) -> QuerySet:
    return Dossier.objects.filter(commune__current_province__in=user_scope(user).unit_ids(Role.PROVINCE_STAFF))


def province_intake_queue(user) -> QuerySet:
    return _province_dossiers(user).filter(_intake_q())


def province_overdue_commune(user) -> QuerySet:
    return _province_dossiers(user).filter(_overdue_commune_q())


def province_queue_counts(user) -> dict:
    """{"waiting": province_intake_queue(user).count(), "overdue": province_overdue_commune(user).count()} in one query."""
    intake, overdue = _intake_q(), _overdue_commune_q()
    return _province_dossiers(user).filter(intake | overdue).aggregate(
        waiting=Count("pk", filter=intake), overdue=Count("pk", filter=overdue))


def support_step_counts(*, user, year: int) -> dict:
    """Counts of ideas and business plans by status, for the province's follow-up of steps 2–4."""
    ideas = dict(
        product_idea_visible_to(user).filter(year=year).values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    plans = dict(
        business_plan_visible_to(user).filter(year=year).values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return {"ideas": ideas, "plans": plans}


def dossier_history(dossier: Dossier, *, hide_result: bool):
    """The dossier's activity rows; without the right to see its result, the rows that tell the council's
    recommendation (and their notes) are left out until the decision is published."""
    from activity.selectors import activity_for
    from activity.services import in_vietnamese

    rows = activity_for(dossier)
    if hide_result:
        rows = rows.exclude(after__status__in=[in_vietnamese(DossierStatus.RECOMMENDED.label),
                                               in_vietnamese(DossierStatus.NOT_RECOGNISED.label)])
    return rows
