from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ambassadors", "0010_search_sqlite_fts"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="ambassador",
            index=models.Index(
                fields=["is_national", "publication_state", "sort_name", "id", "consent_at"],
                name="ambassador_national",
            ),
        ),
    ]
