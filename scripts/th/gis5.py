"""Thai text for the GIS: the thematic layer on the print of the map (issue 21, fifth round)."""

TH: dict[str, str] = {}
