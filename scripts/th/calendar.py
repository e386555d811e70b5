"""Thai text for the working-day calendar's English message ids (codi.calendar)."""

TH: dict[str, str] = {
    "Thai public holiday": "วันหยุดราชการ",
    "CODI closure": "วันหยุดของ พอช.",
    "source": "ที่มา",
    "Working-day calendar": "ปฏิทินวันทำการ",
}
