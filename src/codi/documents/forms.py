"""Forms of the document pages: upload, metadata, new version, named readers, list filters."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from codi.documents.models import Classification, DocType, LinkType
from codi.documents.services import DocumentFields

_IDS = re.compile(r"[\s,]+")


def _split(value: str) -> list[str]:
    return [part for part in _IDS.split(value or "") if part]


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    doc_type = forms.ChoiceField(label=_("Type"), choices=DocType.choices, initial=DocType.LETTER)
    classification = forms.ChoiceField(
        label=_("Classification"), choices=Classification.choices, initial=Classification.INTERNAL
    )
    area_code = forms.RegexField(
        label=_("Subdistrict code"),
        regex=r"^\d{6}$",
        required=False,
        help_text=_("Six digits; empty for an organization-wide document"),
    )
    document_date = forms.DateField(
        label=_("Document date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    retention_years = forms.IntegerField(
        label=_("Retention (years, 0 = permanent)"), min_value=0, max_value=100, initial=10
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    project_ids = forms.CharField(label=_("Linked projects (ids)"), required=False, max_length=500)
    organization_ids = forms.CharField(label=_("Linked organizations (ids)"), required=False, max_length=500)
    area_links = forms.CharField(label=_("Linked areas (subdistrict codes)"), required=False, max_length=500)

    def fields_value(self) -> DocumentFields:
        data: dict[str, Any] = self.cleaned_data
        links = [(LinkType.PROJECT.value, i) for i in _split(data["project_ids"])]
        links += [(LinkType.ORGANIZATION.value, i) for i in _split(data["organization_ids"])]
        links += [(LinkType.AREA.value, i) for i in _split(data["area_links"])]
        return DocumentFields(
            title=data["title"],
            doc_type=data["doc_type"],
            classification=data["classification"],
            area_code=data["area_code"] or "",
            document_date=data["document_date"],
            retention_years=data["retention_years"],
            description=data["description"],
            links=tuple(links),
        )


class UploadForm(DocumentForm):
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, PNG, JPEG, TIFF, DOCX or XLSX"), allow_empty_file=True
    )


class VersionForm(forms.Form):
    file = forms.FileField(label=_("New version"), allow_empty_file=True)


class ReadersForm(forms.Form):
    usernames = forms.CharField(
        label=_("Named readers (user names)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def usernames_list(self) -> list[str]:
        return _split(self.cleaned_data["usernames"])


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=500)
    doc_type = forms.ChoiceField(label=_("Type"), choices=[("", _("All")), *DocType.choices], required=False)
    classification = forms.ChoiceField(
        label=_("Classification"), choices=[("", _("All")), *Classification.choices], required=False
    )
    area = forms.RegexField(label=_("Area code"), regex=r"^(\d{2}|\d{4}|\d{6})$", required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
