"""Thai text for the documents module's English message ids."""

TH: dict[str, str] = {}
TH_PLURAL: dict[str, str] = {}
