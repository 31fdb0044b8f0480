from django.db import migrations, models


def rename_audience(apps, schema_editor, old="members", new="pass_holders"):
    apps.get_model("coworking", "Space").objects.filter(audience=old).update(audience=new)


def restore_audience(apps, schema_editor):
    rename_audience(apps, schema_editor, old="pass_holders", new="members")


def stamp_categories(apps, schema_editor):
    """Bookings priced before: a member's at the former member price, a visitor's at the public price."""
    Booking = apps.get_model("coworking", "Booking")
    priced = Booking.objects.filter(billing="tariff", tariff__isnull=False)
    priced.filter(member__isnull=False).update(tariff_category="newcomer")
    priced.filter(member__isnull=True).update(tariff_category="public")


class Migration(migrations.Migration):
    dependencies = [
        ("coworking", "0003_deleted_accounts_keep_anonymous_bookings"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="tariff", name="coworking_tariff_prices_not_negative"),
        migrations.RenameField(model_name="tariff", old_name="member_price", new_name="newcomer_price"),
        migrations.AlterField(
            model_name="tariff",
            name="newcomer_price",
            field=models.DecimalField(
                decimal_places=2,
                help_text="For newcomers in the welcome programme and holders of a pass or membership valid that day.",
                max_digits=8,
                verbose_name="newcomer price (EUR)",
            ),
        ),
        migrations.AlterField(
            model_name="tariff",
            name="public_price",
            field=models.DecimalField(
                decimal_places=2,
                help_text="For everyone else, visitors without an account included.",
                max_digits=8,
                verbose_name="public price (EUR)",
            ),
        ),
        migrations.AddConstraint(
            model_name="tariff",
            constraint=models.CheckConstraint(
                condition=models.Q(("newcomer_price__gte", 0), ("public_price__gte", 0)),
                name="coworking_tariff_prices_not_negative",
                violation_error_message="A price cannot be negative.",
            ),
        ),
        migrations.AlterField(
            model_name="space",
            name="audience",
            field=models.CharField(
                choices=[
                    ("public", "Anyone with an account"),
                    ("pass_holders", "Pass holders only (pass, membership or free period)"),
                    ("staff", "Staff only"),
                ],
                default="public",
                max_length=12,
                verbose_name="who may book",
            ),
        ),
        migrations.RunPython(rename_audience, restore_audience),
        migrations.AddField(
            model_name="booking",
            name="tariff_category",
            field=models.CharField(
                blank=True,
                choices=[("newcomer", "Newcomers and pass holders"), ("public", "Public")],
                max_length=10,
                verbose_name="tariff category",
            ),
        ),
        migrations.AddField(
            model_name="booking",
            name="invoiced_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Once sent to the régie for invoicing, a booking's price no longer changes.",
                null=True,
                verbose_name="sent to the régie at",
            ),
        ),
        migrations.RunPython(stamp_categories, migrations.RunPython.noop),
    ]
