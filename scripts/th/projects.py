"""Thai text for the projects module's English message ids."""

TH: dict[str, str] = {}
TH_PLURAL: dict[str, str] = {}
