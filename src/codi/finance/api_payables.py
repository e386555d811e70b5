"""Payables API (/api/v1/finance/vendors, /invoices): vendors and vendor invoices, scoped.

Vendors are a head-office register: listed and read with a country-wide ``finance.view`` grant,
created with a country-wide ``finance.manage`` grant (the service checks it). Invoices are read
within the caller's finance scope (a region grant sees the invoices charged to its region's
budget lines) and recorded country-wide. Refusals are problem+json: 403 without the right, 404
outside scope, 422 for a rule (bad tax ID or bank account, duplicate invoice number, overspend)
with the reason in Thai and English."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from codi.api.kit import ERRORS, Pages, need
from codi.core.problems import problem
from codi.finance import payables, selectors
from codi.finance.ledger import FinanceError
from codi.identity.roles import Perm

router = Router(tags=["finance"])


class VendorOut(Schema):
    id: int
    name: str
    tax_id: str
    branch: str
    payee_type: str
    address: str
    bank_code: str
    account_no: str
    is_active: bool


class VendorIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    tax_id: str = Field(..., max_length=20)
    payee_type: Literal["individual", "juristic", "government"]
    bank_code: str = Field(..., max_length=3)
    account_no: str = Field(..., max_length=20)
    branch: str = Field("00000", max_length=5)
    address: str = Field("", max_length=300)


class InvoiceOut(Schema):
    id: int
    vendor_id: int
    vendor_name: str = Field(..., alias="vendor.name")
    invoice_number: str
    invoice_date: date
    description: str
    expense_account: str = Field(..., alias="expense_account.code")
    budget_line_id: int | None
    income_type: str
    amount: Decimal
    vat: Decimal
    wht_rate: Decimal
    withholding: Decimal
    payable: Decimal
    entry_number: str = Field(..., alias="entry.number")
    certificate_number: str


class InvoiceIn(Schema):
    vendor_id: int
    invoice_number: str = Field(..., min_length=1, max_length=40)
    invoice_date: date
    description: str = Field(..., min_length=1, max_length=300)
    expense_account: str = Field(..., pattern=r"^\d{10}$")
    amount: Decimal = Field(..., gt=0, max_digits=16, decimal_places=2)
    income_type: str = Field(..., max_length=20, description="service, hire_of_work, rent, ...")
    with_vat: bool = True
    budget_line_id: int | None = None


def _refused(exc: FinanceError) -> HttpResponse:
    return problem(422, detail_th=exc.message_th, detail_en=exc.message_en)


def _head_office(request: HttpRequest, perm: str = Perm.FINANCE_VIEW) -> None:
    need(request, perm)
    if not selectors.is_country_wide(request.user, perm):
        raise PermissionDenied


@router.get("/vendors", response={200: list[VendorOut], **ERRORS}, summary="Vendors (head office)")
@paginate(Pages)
def vendor_list(request: HttpRequest, q: str = Query("", max_length=100)) -> Any:
    _head_office(request)
    return selectors.vendor_list(actor=request.user, search=q)


@router.get("/vendors/{vendor_id}", response={200: VendorOut, **ERRORS}, summary="One vendor")
def vendor_get(request: HttpRequest, vendor_id: int) -> Any:
    _head_office(request)
    vendor = selectors.vendor_list(actor=request.user).filter(pk=vendor_id).first()
    if vendor is None:
        raise Http404
    return vendor


@router.post("/vendors", response={201: VendorOut, **ERRORS}, summary="Register a vendor")
def vendor_create(request: HttpRequest, payload: VendorIn) -> Any:
    need(request, Perm.FINANCE_MANAGE)
    try:
        vendor = payables.vendor_create(
            actor=request.user, name=payload.name, tax_id=payload.tax_id, payee_type=payload.payee_type,
            bank_code=payload.bank_code, account_no=payload.account_no, branch=payload.branch,
            address=payload.address,
        )  # fmt: skip
    except FinanceError as exc:
        return _refused(exc)
    return 201, vendor


@router.get("/invoices", response={200: list[InvoiceOut], **ERRORS}, summary="Vendor invoices in scope")
@paginate(Pages)
def invoice_list(
    request: HttpRequest,
    vendor_id: int | None = None,
    fiscal_year: int | None = Query(None, ge=2400, le=2800),
) -> Any:
    need(request, Perm.FINANCE_VIEW)
    return selectors.invoice_list(actor=request.user, vendor_id=vendor_id, year_be=fiscal_year)


@router.get("/invoices/{invoice_id}", response={200: InvoiceOut, **ERRORS}, summary="One vendor invoice")
def invoice_get(request: HttpRequest, invoice_id: int) -> Any:
    need(request, Perm.FINANCE_VIEW)
    invoice = selectors.invoice_list(actor=request.user).filter(pk=invoice_id).first()
    if invoice is None:
        raise Http404
    return invoice


@router.post("/invoices", response={201: InvoiceOut, **ERRORS}, summary="Record and post a vendor invoice")
def invoice_create(request: HttpRequest, payload: InvoiceIn) -> Any:
    _head_office(request, Perm.FINANCE_MANAGE)
    vendor = selectors.vendor_list(actor=request.user).filter(pk=payload.vendor_id).first()
    if vendor is None:
        raise Http404
    line = None
    if payload.budget_line_id is not None:
        line = selectors.budget_line_list(actor=request.user).filter(pk=payload.budget_line_id).first()
        if line is None:
            raise Http404
    try:
        invoice = payables.invoice_record(
            actor=request.user, vendor=vendor, invoice_number=payload.invoice_number,
            invoice_date=payload.invoice_date, description=payload.description,
            expense_account=payload.expense_account, amount=payload.amount, income_type=payload.income_type,
            with_vat=payload.with_vat, budget_line=line,
        )  # fmt: skip
    except FinanceError as exc:
        return _refused(exc)
    return 201, selectors.invoice_list(actor=request.user).get(pk=invoice.pk)
