"""The WSGI entry point loads the URL maps of every language before the first request, then leaves what it
loaded out of the garbage collector's work."""

import json
import os
import subprocess
import sys

CODE = """
import json
import telecentre.wsgi
from django.urls import get_resolver
root = get_resolver()
forum = root._namespace_dict["fr"]["forum"][1]
import gc
print(json.dumps([sorted(root._reverse_dict), sorted(forum._reverse_dict), gc.get_freeze_count()]))
"""


def test_the_url_maps_of_every_language_are_built_before_the_first_request():
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    environment["DJANGO_SETTINGS_MODULE"] = "telecentre.settings"
    result = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, env=environment, check=False)
    assert result.returncode == 0, result.stderr
    *maps, frozen = json.loads(result.stdout.strip().splitlines()[-1])
    assert maps == [["en", "fr"], ["en", "fr"]]
    assert frozen > 10_000  # the startup objects, out of the collector's way
