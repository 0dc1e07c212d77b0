from django.db import migrations, models

from core.search import name_key


def fill_sort_names(apps, schema_editor):
    Ambassador = apps.get_model("ambassadors", "Ambassador")
    rows = list(Ambassador.objects.only("pk", "first_name", "last_name"))
    for row in rows:
        row.sort_name = name_key(f"{row.last_name} {row.first_name}")
    Ambassador.objects.bulk_update(rows, ["sort_name"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("ambassadors", "0004_search"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="ambassador",
            options={"ordering": ["sort_name", "pk"], "verbose_name": "ambassadeur"},
        ),
        migrations.AddField(
            model_name="ambassador",
            name="sort_name",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=300, verbose_name="nom de tri"
            ),
        ),
        migrations.RunPython(fill_sort_names, migrations.RunPython.noop),
    ]
