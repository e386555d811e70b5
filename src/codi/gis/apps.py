from django.apps import AppConfig


class GisConfig(AppConfig):
    name = "codi.gis"
    label = "gis"
    verbose_name = "GIS and informal settlements (GIS Slum)"

    def ready(self) -> None:
        # app registry: the layers of every module, and the public ones as open datasets.
        from codi.gis.layer_defs import register_layers
        from codi.gis.layer_sites import register_site_layers
        from codi.gis.opendata import register_datasets

        register_layers()
        register_site_layers()
        register_datasets()
