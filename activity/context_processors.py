from .selectors import inbox_unread_count


def notifications(request):
    """`unread_notifications`: the signed-in user's unread inbox count, one COUNT query per page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": inbox_unread_count(user)}
