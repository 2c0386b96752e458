from django.middleware.locale import LocaleMiddleware


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user picked another language with the switch (the language cookie).

    A commune officer whose browser happens to be set to English still gets the Vietnamese portal:
    the browser's Accept-Language header is not consulted.
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)


class HealthCheckMiddleware:
    """Answers GET /healthz before host validation and the HTTPS redirect.

    The container's health check (docker-compose.yml) calls http://127.0.0.1:8000/healthz from inside
    the container, whose Host header is never one of the public ALLOWED_HOSTS: answered later in the
    chain, CommonMiddleware would reject it with a 400 and the web service would never be healthy.
    """

    PATH = "/healthz"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == self.PATH and request.method in ("GET", "HEAD"):
            from django.http import JsonResponse

            return JsonResponse({"status": "ok"})
        return self.get_response(request)
