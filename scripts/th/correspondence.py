"""Thai text for the correspondence module's English message ids."""

TH: dict[str, str] = {}
TH_PLURAL: dict[str, str] = {}
