"""Volume data for `manage.py seed_scale`: years of activity of a large territory, inserted in bulk.

Each app's `scale.seed(scale)` adds its part, in dependency order, with `scale.insert()` (bulk_create in
batches, no per-row save). At factor 1: 200 spaces, 500 000 bookings, 20 000 newcomers with households,
2 000 training sessions with enrolments and attendance, 1 000 housing units with 20 000 applications and
10 forum editions with 50 000 registrations. Fractional factors give small, consistent databases for tests.
"""

import datetime
import itertools
import random
import time
from importlib import import_module

from django.db import connections, router, transaction
from django.db.models import NOT_PROVIDED
from django.utils import timezone

SCALE_MODULES = [
    "accounts.scale",
    "coworking.scale",
    "telecentre.training.scale",
    "housing.scale",
    "forum.scale",
    "journey.scale",
]

# Every account the generator creates ends with this domain, so a database can be told seeded or not.
EMAIL_DOMAIN = "scale.example"


class Scale:
    """What the generators share: the factor, a seeded random source, dates, bulk inserts and handles."""

    def __init__(self, factor, stdout=None, seed=9, batch_size=2000):
        self.factor = factor
        self.stdout = stdout
        self.random = random.Random(seed)
        self.batch_size = batch_size
        self.now = timezone.now().replace(microsecond=0)
        self.today = timezone.localdate()
        self._cache = {}

    def count(self, at_factor_one, minimum=1):
        """How many rows to make for a volume given at factor 1."""
        return max(minimum, round(at_factor_one * self.factor))

    def insert(self, model, rows, batch_size=None):
        """bulk_create the model instances of an iterable, batch by batch; returns how many were inserted."""
        size = batch_size or self.batch_size
        rows = iter(rows)
        total = 0
        while batch := list(itertools.islice(rows, size)):
            model.objects.bulk_create(batch, batch_size=size)
            total += len(batch)
        return total

    def insert_values(self, model, rows, **constants):
        """Insert dicts of column values (keyed by attname: `space_id`) for the largest tables, without instances.

        bulk_create spends most of its time preparing each value of each instance; here the columns that
        are the same on every row (`constants`, and the defaults of the fields no row sets) are prepared
        once, and the rest go through the field's own `get_db_prep_save`. Returns how many rows were inserted.
        """
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return 0
        connection = connections[router.db_for_write(model)]
        fields = [field for field in model._meta.concrete_fields if not field.primary_key or field.attname in first]
        varying = [field for field in fields if field.attname in first]
        fixed = {}
        for field in fields:
            if field in varying:
                continue
            value = constants.get(field.attname, NOT_PROVIDED)
            if value is NOT_PROVIDED:
                if field.has_default() and callable(field.default) and field.default is not timezone.now:
                    raise ValueError(f"{model.__name__}.{field.name} has a per-row default: give it in the rows")
                value = field.get_default()
            fixed[field.attname] = field.get_db_prep_save(value, connection)
        columns = varying + [field for field in fields if field not in varying]
        sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model, values as parameters
            connection.ops.quote_name(model._meta.db_table),
            ", ".join(connection.ops.quote_name(field.column) for field in columns),
            ", ".join(["%s"] * len(columns)),
        )
        tail = tuple(fixed[field.attname] for field in columns[len(varying) :])

        def prepared(row):
            return tuple(field.get_db_prep_save(row[field.attname], connection) for field in varying) + tail

        total = 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # COPY: half the time of INSERTs on PostgreSQL
                copy_sql = sql.split(" VALUES ")[0].replace("INSERT INTO", "COPY", 1) + " FROM STDIN"
                with cursor.cursor.copy(copy_sql) as copy:
                    for row in itertools.chain([first], rows):
                        copy.write_row(prepared(row))
                        total += 1
                return total
            for batch in itertools.batched(itertools.chain([first], rows), self.batch_size * 5, strict=False):
                cursor.executemany(sql, [prepared(row) for row in batch])
                total += len(batch)
        return total

    def day(self, offset):
        return self.today + datetime.timedelta(days=offset)

    def moment(self, day, hour, minute=0):
        """An aware datetime in the current time zone (Europe/Paris)."""
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

    def newcomer_ids(self):
        """Ids of the generated newcomers, in creation order (read once from the database)."""
        if "newcomers" not in self._cache:
            from accounts.models import User

            self._cache["newcomers"] = list(
                User.objects.filter(email__endswith="@" + EMAIL_DOMAIN, is_staff=False)
                .order_by("id")
                .values_list("id", flat=True)
            )
        return self._cache["newcomers"]

    def staff(self, role):
        """The generated staff user of a role (accounts.roles constant), e.g. to decide or to sign."""
        from accounts.models import User

        return User.objects.get(email=staff_email(role))

    def commune_ids(self):
        if "communes" not in self._cache:
            from accounts.models import Commune

            self._cache["communes"] = list(Commune.objects.order_by("id").values_list("id", flat=True))
        return self._cache["communes"]

    def staff_email(self, role):
        return staff_email(role)

    def newcomer_email(self, number):
        return newcomer_email(number)

    def pick(self, sequence):
        return sequence[self.random.randrange(len(sequence))]

    def write(self, message):
        if self.stdout is not None:
            self.stdout.write(message)


def staff_email(role):
    return f"{role.replace('_', '-')}@{EMAIL_DOMAIN}"


def newcomer_email(number):
    return f"newcomer{number}@{EMAIL_DOMAIN}"


def available_modules():
    """The generator modules present in this checkout (an app without one is skipped)."""
    modules = []
    for name in SCALE_MODULES:
        try:
            modules.append(import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return modules


def is_seeded():
    from accounts.models import User

    return User.objects.filter(email__endswith="@" + EMAIL_DOMAIN).exists()


def seed_all(factor, stdout=None, only=None):
    """Run every generator (or those named in `only`, by app module) and return [(module, seconds)]."""
    scale = Scale(factor, stdout)
    timings = []
    for module in available_modules():
        app = module.__name__.rsplit(".", 1)[0]
        if only and app not in only and app.rsplit(".", 1)[-1] not in only:
            continue
        started = time.perf_counter()
        with transaction.atomic():
            summary = module.seed(scale)
        elapsed = time.perf_counter() - started
        timings.append((app, elapsed))
        scale.write(f"  {app}: {summary} in {elapsed:.1f} s")
    return timings
