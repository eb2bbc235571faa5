from django.db import migrations, models
from django.utils.text import slugify


def give_each_source_a_key(apps, schema_editor):
    Source = apps.get_model("carriers", "Source")
    taken = set()
    for source in Source.objects.order_by("pk").only("pk", "title").iterator():
        base = key = slugify(source.title)[:90] or "source"
        number = 1
        while key in taken:
            number += 1
            key = f"{base}-{number}"
        taken.add(key)
        Source.objects.filter(pk=source.pk).update(key=key)


class Migration(migrations.Migration):
    dependencies = [("carriers", "0005_list_indexes")]

    operations = [
        migrations.AddField(
            model_name="historicalsource",
            name="key",
            field=models.SlugField(
                blank=True,
                help_text="The source's stable identifier in CSV files and imports. Left empty, it is made from the "
                "title; it never changes afterwards.",
                max_length=100,
            ),
        ),
        migrations.AddField(
            model_name="source",
            name="key",
            # Indexed once unique, below: an index now would clash with the unique one on PostgreSQL.
            field=models.SlugField(blank=True, default="", max_length=100, db_index=False),
            preserve_default=False,
        ),
        migrations.RunPython(give_each_source_a_key, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="source",
            name="key",
            field=models.SlugField(
                blank=True,
                help_text="The source's stable identifier in CSV files and imports. Left empty, it is made from the "
                "title; it never changes afterwards.",
                max_length=100,
                unique=True,
            ),
        ),
    ]
