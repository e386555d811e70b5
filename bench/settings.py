"""The production settings plus one bare endpoint, for the API-overhead benchmark only.

Everything (middleware, database, logging) is ``codi.settings``; only the URL
configuration adds ``/bench/bare`` so that both endpoints run through the same
stack on the same server.
"""

from codi.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare_urls"
