"""The HTTP methods the site answers. Pages read with GET (and HEAD) and every change is a POST; no view takes
PUT, PATCH, DELETE or TRACE, yet Django's class-based views (the login among them) advertise PUT in their
OPTIONS answer and run the form on it. One policy for every URL instead: the others get 405, and OPTIONS
names only these."""

from django.http import HttpResponse, HttpResponseNotAllowed

ALLOWED_METHODS = ("GET", "HEAD", "POST", "OPTIONS")


class MethodPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "OPTIONS":
            response = HttpResponse()
            response["Allow"] = ", ".join(ALLOWED_METHODS)
            response["Content-Length"] = "0"
            return response
        if request.method not in ALLOWED_METHODS:
            return HttpResponseNotAllowed(ALLOWED_METHODS)
        return self.get_response(request)
