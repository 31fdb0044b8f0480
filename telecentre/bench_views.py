"""The limit for `make bench`: the smallest Django view, behind the same middleware and server as every page.

Mounted at /bench/bare/ only when the BENCH_BARE_VIEW environment variable is set.
"""

from django.http import HttpResponse


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")
