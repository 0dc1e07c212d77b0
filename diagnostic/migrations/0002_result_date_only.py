from django.db import migrations, models


class Migration(migrations.Migration):
    """Keep the day of a result only (a time to the second could tie it to a visit in the server logs)."""

    dependencies = [("diagnostic", "0001_initial")]

    operations = [
        migrations.RenameField("diagnosticresult", "created_at", "created_on"),
        migrations.AlterField(
            model_name="diagnosticresult",
            name="created_on",
            field=models.DateField(auto_now_add=True, db_index=True, verbose_name="date"),
        ),
        migrations.AlterModelOptions(
            name="diagnosticresult",
            options={
                "ordering": ["-created_on", "-pk"],
                "verbose_name": "résultat d’autodiagnostic",
                "verbose_name_plural": "résultats d’autodiagnostic",
            },
        ),
    ]
