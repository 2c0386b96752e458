from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses any login, even with the right password, while the account or address is locked out.

    It authenticates nobody itself (ModelBackend does). A login without a request (the shell, the test
    client's `login()`) has no address and no page to answer with, so it is not throttled; every web
    login (the login page, the admin) passes its request.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
