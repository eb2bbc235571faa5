import django.db.models.deletion
from django.db import migrations, models

# The foreign keys' own indexes go: the composite indexes added here begin with their columns. Dropped by
# name rather than by AlterField, which on SQLite rebuilds the table under the citations' triggers.
FOREIGN_KEY_INDEXES = {
    "carrier_id": "carriers_equipmentuse_carrier_id_77e95f6d",
    "vendor_id": "carriers_equipmentuse_vendor_id_f33be7c8",
}


def unindexed(model):
    return models.ForeignKey(
        db_index=False,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="equipment_uses",
        to=f"carriers.{model}",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("carriers", "0018_aliases_with_languages"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(model_name="equipmentuse", name="carrier", field=unindexed("carrier")),
                migrations.AlterField(model_name="equipmentuse", name="vendor", field=unindexed("vendor")),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX {name}", reverse_sql=f"CREATE INDEX {name} ON carriers_equipmentuse ({column})"
                )
                for column, name in FOREIGN_KEY_INDEXES.items()
            ],
        ),
        migrations.AddIndex(
            model_name="equipmentuse",
            index=models.Index(
                fields=["carrier", "vendor", "segment", "technology", "status", "confidence"],
                name="equipment_use_by_carrier",
            ),
        ),
        migrations.AddIndex(
            model_name="equipmentuse",
            index=models.Index(fields=["vendor", "carrier"], name="equipment_use_by_vendor"),
        ),
    ]
