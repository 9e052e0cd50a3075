"""Response headers that Django's SecurityMiddleware does not set.

- `Cache-Control: no-store` (Django's never-cache headers) on every page answered to a
  signed-in person, and on every other response that does not say otherwise: pages and
  downloads hold personal data, and a shared computer's browser cache, or a proxy's,
  must not keep them.
- `Permissions-Policy`: the portal uses no camera, microphone, location, payment or USB
  device, so no page (nor anything injected into one) may ask for them. WebAuthn
  (security keys and passkeys) keeps its default, this site only.

(The `Server` header is gunicorn's, written below Django: gunicorn.conf.py removes it.)
"""

from django.utils.cache import add_never_cache_headers

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
