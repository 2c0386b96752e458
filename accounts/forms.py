from django import forms
from django.utils.translation import gettext_lazy as _


class ApiTokenIssueForm(forms.Form):
    """Issue an API token; replacing one that exists must be confirmed (the old one stops working)."""

    confirm = forms.BooleanField(
        label=_("Tôi hiểu khoá API cũ sẽ ngừng hoạt động ngay."), required=False,
    )

    def __init__(self, *args, replacing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].required = replacing
        if not replacing:
            del self.fields["confirm"]


class ApiTokenRevokeForm(forms.Form):
    confirm = forms.BooleanField(label=_("Tôi hiểu các ứng dụng đang dùng khoá này sẽ bị từ chối."))
