"""Thai text for the finance module's fourth round: report PDFs, posting messages."""

TH: dict[str, str] = {
    "PDF": "PDF",
}
