from django.middleware.locale import LocaleMiddleware


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user picked another language with the switch (the language cookie).

    A commune officer whose browser happens to be set to English still gets the Vietnamese portal:
    the browser's Accept-Language header is not consulted.
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
