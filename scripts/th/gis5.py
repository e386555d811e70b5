"""Thai text for the GIS, fifth round (issue 21): the print's thematic legend reuses msgids that
already have Thai ("Thematic map", "No data", "%(n)s areas"); nothing new is shown to users."""

TH: dict[str, str] = {}
