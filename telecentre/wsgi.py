import gc
import os

from django.core.wsgi import get_wsgi_application

from core.checks import refuse_unsafe_start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "telecentre.settings")
application = get_wsgi_application()
refuse_unsafe_start()


def warm_up():
    """Load now what Django would otherwise load on a worker's first requests: the URL maps of each language
    (a second of work per worker), the translation catalogs and the cache client. With gunicorn --preload it
    is done once, before the workers are forked; without, by each worker before it accepts a request. No
    connection is opened here: a forked worker must not share one."""
    from django.conf import settings
    from django.core.cache import caches
    from django.urls import get_resolver
    from django.utils import translation

    def populate(resolver):
        resolver.reverse_dict  # noqa: B018 - each property builds what reverse() reads
        for _prefix, namespaced in resolver.namespace_dict.values():
            populate(namespaced)

    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            populate(get_resolver())
    getattr(caches["default"], "_cache", None)  # Redis: imports the client library and builds the client


def freeze_startup_objects():
    """Leave what was loaded so far out of the garbage collector's work: the modules, URL maps and catalogs
    live as long as the worker, yet each full collection would walk their hundred thousand objects again.
    With gunicorn --preload it also keeps the memory pages the workers share from being copied."""
    gc.collect()
    gc.freeze()


warm_up()
freeze_startup_objects()
