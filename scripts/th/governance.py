"""Thai text for the governance module's English message ids."""

TH: dict[str, str] = {}
TH_PLURAL: dict[str, str] = {}
