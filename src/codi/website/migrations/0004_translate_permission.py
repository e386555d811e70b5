"""The admin's "Translate" action (wagtail.contrib.simple_translation) for the site-wide editors and moderators.

Only the country-wide groups get it: the action may copy any page, so a region's editors (whose rights
stop at their sub-site) do not.
"""

from django.db import migrations

GROUPS = ("Editors", "Moderators")


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="simple_translation", model="simpletranslation")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="submit_translation", defaults={"name": "Can submit translations"}
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*Permission.objects.filter(codename="submit_translation"))


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0003_alter_announcementpage_body_alter_articlepage_body_and_more"),
        ("simple_translation", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
