"""Where a reader checks an Act against its official text at the Office of the Council of State.

The statute corpus is the PyThaiNLP thai-law dataset. Its file names are the Council of State
library's ``sysid`` for each Act (the dataset's own scraper fetched
``https://www.krisdika.go.th/librarian/getfile?sysid=<id>&ext=htm`` and saved it as ``<id>.txt``),
so an Act imported from it carries its own identifier and gets a link to that exact document.
The dataset was collected in 2021 (B.E. 2564): amendments made after that are not in it, which is
why every link comes with the note that the text may be outdated and a link to the Council of
State's current law search.

An Act without such an identifier (imported from elsewhere under another file name) gets the law
search and its Thai title to search for. The search site takes no query in its address (it is a
single-page application), so the title is shown for the reader to paste; no query URL is invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KRISDIKA_FILE_URL = "https://www.krisdika.go.th/librarian/getfile?sysid={sysid}&ext=htm"
OCS_LAW_SEARCH_URL = "https://searchlaw.ocs.go.th/council-of-state/"
CORPUS_AS_OF_CE = 2021
CORPUS_AS_OF_BE = 2564
_SYSID = re.compile(r"^\d{4,9}$")


@dataclass(frozen=True)
class OfficialSource:
    act_id: str
    title: str
    url: str  # the Act's own document at the Council of State, or the law search
    search_url: str  # the Council of State's current law search (the current text, with amendments)
    is_exact: bool  # True when ``url`` is this Act's own document (the corpus carries its identifier)
    as_of_be: int  # the year (B.E.) of the corpus text the answer quotes

    def as_dict(self) -> dict[str, str | bool | int]:
        return {
            "act_id": self.act_id,
            "title": self.title,
            "url": self.url,
            "search_url": self.search_url,
            "is_exact": self.is_exact,
            "as_of_be": self.as_of_be,
        }


def official_source(act_id: str, title: str) -> OfficialSource:
    """The official source of one Act of the consolidated corpus."""
    act_id = (act_id or "").strip()
    if _SYSID.match(act_id):
        url, exact = KRISDIKA_FILE_URL.format(sysid=act_id), True
    else:
        url, exact = OCS_LAW_SEARCH_URL, False
    return OfficialSource(
        act_id=act_id,
        title=(title or "").strip(),
        url=url,
        search_url=OCS_LAW_SEARCH_URL,
        is_exact=exact,
        as_of_be=CORPUS_AS_OF_BE,
    )
