"""The website's own cookies (essential: each remembers a choice the visitor made)."""

CONSENT_COOKIE = "codi_cookie_consent"  # the cookie banner's choice: "essential" or "all"
CONSENT_MAX_AGE = 180 * 24 * 3600
