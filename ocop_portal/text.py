"""Text is stored NFC-normalised, so "Hợp tác xã" typed on any keyboard (composed or decomposed
diacritics) compares, sorts and searches equal. One pre_save receiver covers every model of the portal."""
import unicodedata

from django.db import models

PORTAL_APPS = {"units", "accounts", "activity", "registrations", "evaluations", "products", "reports", "imports"}


def nfc_text_fields(sender, instance, **kwargs) -> None:
    if sender._meta.app_label not in PORTAL_APPS:
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)):
            value = getattr(instance, field.attname)
            if isinstance(value, str) and not value.isascii():
                setattr(instance, field.attname, unicodedata.normalize("NFC", value))


# --- search as people type: with or without diacritics ------------------------------------------------
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text) -> str:
    """The form a search compares: lower-case, diacritics dropped (NFD without combining marks, đ→d),
    whitespace collapsed. "Bưởi  DA xanh" and "buoi da xanh" fold to the same "buoi da xanh"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text).translate(_FOLD_EXTRA))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.lower().split())


def search_terms(query) -> list[str]:
    """The folded words of a search box: every one must appear (in any order) for a record to match."""
    return fold(query).split()


def matching(queryset, query, *columns: str):
    """The rows where every word of `query` appears, with or without diacritics, in one of the folded
    `search_text` columns: "buoi da xanh" finds "Bưởi da xanh". An empty query keeps every row."""
    for term in search_terms(query):
        word = models.Q()
        for column in columns:
            word |= models.Q(**{f"{column}__contains": term})
        queryset = queryset.filter(word)
    return queryset


class FoldedSearchAdminMixin:
    """The admin's search box matches like the portal's, with or without diacritics, on the folded columns
    named by `folded_search` (search_fields still names what the box searches, and makes it appear)."""

    folded_search: tuple[str, ...] = ("search_text",)

    def get_search_results(self, request, queryset, search_term):
        return matching(queryset, search_term, *self.folded_search), False


class SearchTextQuerySet(models.QuerySet):
    """bulk_create and bulk_update keep `search_text` in step like save() does; queryset.update() cannot
    (it never sees the rows): a write of a searched field goes through save() or bulk_update."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.search_text = obj.build_search_text()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs, fields = list(objs), list(fields)
        if set(fields) & set(self.model.SEARCH_FIELDS):
            for obj in objs:
                obj.search_text = obj.build_search_text()
            if "search_text" not in fields:
                fields.append("search_text")
        return super().bulk_update(objs, fields, *args, **kwargs)


class SearchTextModel(models.Model):
    """A model with a stored `search_text`: the folded text of its `SEARCH_FIELDS`, rebuilt on every save(),
    bulk_create and bulk_update, queried with `search_text__contains=<folded word>` (a pg_trgm GIN index
    serves it on PostgreSQL). A custom manager must come from SearchTextQuerySet."""

    SEARCH_FIELDS: tuple[str, ...] = ()

    search_text = models.TextField(editable=False, default="", blank=True)

    objects = SearchTextQuerySet.as_manager()

    class Meta:
        abstract = True

    def build_search_text(self) -> str:
        return fold(" ".join(str(getattr(self, name) or "") for name in self.SEARCH_FIELDS))

    def save(self, *args, update_fields=None, **kwargs):
        self.search_text = self.build_search_text()
        if update_fields is not None and set(update_fields) & set(self.SEARCH_FIELDS):
            update_fields = {*update_fields, "search_text"}
        super().save(*args, update_fields=update_fields, **kwargs)
