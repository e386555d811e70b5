"""Thai text for people9's English message ids (parents' birth years for the tax, field errors on
the new-employee form)."""

TH: dict[str, str] = {
    # parents' birth years (tax allowance from the year a parent is 60)
    "parents' birth years": "ปีเกิดบิดามารดา",
}
