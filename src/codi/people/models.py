"""People: employees, leave, payroll (amounts of payroll in integer satang), training and competency."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from codi.communities.crypto import EncryptedTextField


class EmploymentType(models.TextChoices):
    OFFICER = "officer", _("Officer")
    EMPLOYEE = "employee", _("Employee")
    CONTRACT = "contract", _("Contract staff")
    DAILY = "daily", _("Daily worker")


class Employee(models.Model):
    """An employment record; linked to a user account when the person signs in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="employee"
    )
    employee_no = models.CharField(_("employee number"), max_length=20, unique=True)
    first_name_th = models.CharField(_("first name"), max_length=100)
    last_name_th = models.CharField(_("last name"), max_length=100)
    employment_type = models.CharField(
        _("employment type"), max_length=20, choices=EmploymentType.choices, default=EmploymentType.EMPLOYEE
    )
    position = models.CharField(_("position"), max_length=200)
    level = models.CharField(_("level"), max_length=40, blank=True)
    org_unit = models.ForeignKey("identity.OrgUnit", on_delete=models.PROTECT, related_name="employees")
    is_unit_head = models.BooleanField(_("head of unit"), default=False)
    # The CODI region (areas.Region code) where the person works; blank: head office.
    region = models.CharField(_("CODI region"), max_length=20, blank=True, default="")
    salary = models.DecimalField(_("monthly salary"), max_digits=12, decimal_places=2)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    # Personal data: encrypted at rest, shown masked; an unmasked view is audited.
    national_id = EncryptedTextField(_("national ID"))
    national_id_hash = models.CharField(max_length=64, unique=True, editable=False)
    national_id_masked = models.CharField(_("national ID"), max_length=17, editable=False)
    bank_code = models.CharField(_("bank code"), max_length=3)
    bank_account = EncryptedTextField(_("bank account"))
    bank_account_masked = models.CharField(_("bank account"), max_length=20, editable=False)
    # Birth date (personal data): ISO date encrypted at rest, shown masked (the B.E. year only);
    # dependants are checked against it (``codi.people.birth``). Blank for records without one.
    birth_date = EncryptedTextField(_("birth date"), blank=True, default="")
    birth_date_masked = models.CharField(
        _("birth date"), max_length=20, blank=True, default="", editable=False
    )
    # Contact address (personal data, encrypted); staff change it through an HR-approved request.
    address = EncryptedTextField(_("address"), blank=True, default="")
    # Tax data (Revenue Code s.47(1)) and provident fund.
    spouse_allowance = models.BooleanField(_("spouse without income"), default=False)
    children_birth_years = models.CharField(_("children's birth years"), max_length=100, blank=True)
    parents_allowance = models.PositiveSmallIntegerField(_("parents claimed"), default=0)
    # Of the parents claimed, the birth years of those recorded with one ("1958;1966"): the tax
    # counts them only when aged 60 in the tax year; the others count as declared.
    parents_birth_years = models.CharField(_("parents' birth years"), max_length=40, blank=True)
    pvd_rate = models.DecimalField(
        _("provident fund (employee %)"), max_digits=4, decimal_places=2, default=0
    )
    pvd_employer_rate = models.DecimalField(
        _("provident fund (employer %)"), max_digits=4, decimal_places=2, default=0
    )
    monthly_allowance = models.DecimalField(
        _("monthly taxable allowance"), max_digits=12, decimal_places=2, default=0
    )
    monthly_deduction = models.DecimalField(
        _("monthly other deduction"), max_digits=12, decimal_places=2, default=0
    )
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["employee_no"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name_th} {self.last_name_th}"


class SalaryChange(models.Model):
    """Salary and step history: a row per change, the first one at hiring."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="salary_changes")
    effective_date = models.DateField(_("effective date"))
    salary = models.DecimalField(_("monthly salary"), max_digits=12, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["employee", "-effective_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.effective_date} {self.salary}"


class LeaveType(models.Model):
    """A kind of leave and CODI's rule for it (days a fiscal year, carry-over, over-balance)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name_th = models.CharField(_("Thai name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    days_per_year = models.DecimalField(_("days a year"), max_digits=5, decimal_places=1)
    max_carry_over = models.DecimalField(_("carry-over at most"), max_digits=5, decimal_places=1, default=0)
    max_balance = models.DecimalField(_("balance at most"), max_digits=5, decimal_places=1, default=0)
    # Counted in calendar days (maternity) instead of working days.
    counts_calendar_days = models.BooleanField(_("counted in calendar days"), default=False)
    allows_over_balance = models.BooleanField(_("may exceed the balance"), default=False)
    is_paid = models.BooleanField(_("paid"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name_th


class LeaveBalance(models.Model):
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="leave_balances")
    leave_type = models.ForeignKey(LeaveType, on_delete=models.PROTECT, related_name="balances")
    fiscal_year = models.PositiveIntegerField(_("fiscal year (B.E.)"))
    entitled = models.DecimalField(_("entitled"), max_digits=5, decimal_places=1)
    carried_over = models.DecimalField(_("carried over"), max_digits=5, decimal_places=1, default=0)
    used = models.DecimalField(_("used"), max_digits=5, decimal_places=1, default=0)
    pending = models.DecimalField(_("awaiting approval"), max_digits=5, decimal_places=1, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "leave_type", "fiscal_year"], name="people_one_balance"
            )
        ]
        ordering = ["fiscal_year", "leave_type__order"]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.leave_type_id} {self.fiscal_year}"

    @property
    def available(self) -> Decimal:
        return self.entitled + self.carried_over - self.used - self.pending


class LeaveStatus(models.TextChoices):
    SUPERVISOR = "supervisor", _("Awaiting the supervisor")
    HR = "hr", _("Awaiting HR")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class LeaveRequest(models.Model):
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="leave_requests")
    leave_type = models.ForeignKey(LeaveType, on_delete=models.PROTECT, related_name="requests")
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    days = models.DecimalField(_("days"), max_digits=5, decimal_places=1)
    fiscal_year = models.PositiveIntegerField(_("fiscal year (B.E.)"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=LeaveStatus.choices)
    current_step = models.CharField(max_length=40, blank=True)
    workflow_state = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hr_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_comment = models.CharField(max_length=500, blank=True)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.start_date}–{self.end_date}"


class SocialSecurityRate(models.Model):
    """The dated rate table (section 33): editable when the ministerial regulation changes."""

    valid_from = models.DateField(_("valid from"), unique=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    rate_percent = models.PositiveSmallIntegerField(_("rate (%)"))
    wage_floor = models.DecimalField(_("wage floor"), max_digits=10, decimal_places=2)
    wage_ceiling = models.DecimalField(_("wage ceiling"), max_digits=10, decimal_places=2)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return f"{self.valid_from} {self.rate_percent}% ≤ {self.wage_ceiling}"


class PayrollStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    APPROVAL = "approval", _("Awaiting approval")
    APPROVED = "approved", _("Approved and posted")
    REJECTED = "rejected", _("Rejected")
    REVERSED = "reversed", _("Reversed (corrected by a new run)")


class PayrollRun(models.Model):
    """One month's pay for a pay group; never edited after approval (a correcting run instead)."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    pay_group = models.CharField(_("pay group"), max_length=20, default="ALL")
    pay_date = models.DateField(_("pay date"))
    status = models.CharField(_("status"), max_length=20, choices=PayrollStatus.choices)
    current_step = models.CharField(max_length=40, blank=True)
    workflow_state = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    employee_count = models.PositiveIntegerField(default=0)
    gross_satang = models.BigIntegerField(default=0)
    net_satang = models.BigIntegerField(default=0)
    tax_satang = models.BigIntegerField(default=0)
    # The finance journal entry posted at approval (finance's id and number, not a foreign key).
    journal_entry_id = models.PositiveIntegerField(null=True, blank=True)
    journal_entry_number = models.CharField(max_length=40, blank=True)
    reversal_entry_number = models.CharField(max_length=40, blank=True)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-month", "-pk"]

    def __str__(self) -> str:
        return self.period

    @property
    def period(self) -> str:
        return f"{self.year}-{self.month:02d}"


class Payslip(models.Model):
    """One employee's pay in a run; every amount in satang."""

    run = models.ForeignKey(PayrollRun, on_delete=models.CASCADE, related_name="payslips")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="payslips")
    salary = models.BigIntegerField()
    allowances = models.BigIntegerField(default=0)
    gross = models.BigIntegerField()
    sso_employee = models.BigIntegerField(default=0)
    sso_employer = models.BigIntegerField(default=0)
    pvd_employee = models.BigIntegerField(default=0)
    pvd_employer = models.BigIntegerField(default=0)
    tax = models.BigIntegerField(default=0)
    other_deductions = models.BigIntegerField(default=0)
    net = models.BigIntegerField()
    overtime = models.BigIntegerField(default=0)
    # The employer's cost of this slip by cost centre: {code: [gross, employer SSO, employer PVD]} in satang.
    cost_split = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "employee"], name="people_one_payslip")]
        ordering = ["run", "employee__employee_no"]

    def __str__(self) -> str:
        return f"{self.run_id} {self.employee_id}"


class OvertimeKind(models.TextChoices):
    """Labour Protection Act B.E. 2541: s.61 (1.5×), s.62 (holiday work, 1× more for the monthly-paid), s.63 (3×)."""

    WORKDAY = "workday", _("Overtime on a working day (1.5×)")
    HOLIDAY = "holiday", _("Work on a holiday in normal hours (1×)")
    HOLIDAY_OT = "holiday_ot", _("Overtime on a holiday (3×)")


class OvertimeEntry(models.Model):
    """Hours worked beyond normal time on one day; paid in the run of the month it was worked."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="overtime")
    work_date = models.DateField(_("date worked"))
    kind = models.CharField(_("kind"), max_length=20, choices=OvertimeKind.choices)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "work_date", "kind"], name="people_one_overtime_a_day"
            )
        ]
        ordering = ["-work_date", "employee_id"]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.work_date} {self.kind} {self.hours}"


class CostSplit(models.Model):
    """Share of an employee's cost charged to a cost centre (an org unit or a project code); 100 % in all."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="cost_splits")
    cost_centre = models.CharField(_("cost centre"), max_length=40)
    percent = models.DecimalField(_("percent"), max_digits=5, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["employee", "cost_centre"], name="people_one_split_a_centre")
        ]
        ordering = ["employee_id", "cost_centre"]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.cost_centre} {self.percent}%"


class CourseAudience(models.TextChoices):
    STAFF = "staff", _("CODI staff")
    LEADERS = "leaders", _("Community leaders")


class Competency(models.TextChoices):
    DIGITAL_LITERACY = "digital_literacy", _("Digital literacy")
    DATA_GOVERNANCE = "data_governance", _("Data governance")
    AI_WORK = "ai_work", _("AI for content and work")


class Course(models.Model):
    title = models.CharField(_("title"), max_length=200)
    competency = models.CharField(_("competency"), max_length=30, choices=Competency.choices)
    audience = models.CharField(_("audience"), max_length=20, choices=CourseAudience.choices)
    start_date = models.DateField(_("date"))
    hours = models.PositiveSmallIntegerField(_("hours"), default=6)
    # The CODI unit that ran the course (the leaders' courses are counted by it).
    org_unit = models.ForeignKey(
        "identity.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-start_date", "title"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """A participant who completed a course: a staff member, or a community leader by name."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="attendances")
    employee = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.CASCADE, related_name="attendances"
    )
    leader_name = models.CharField(_("community leader"), max_length=200, blank=True)
    # The leader's community organization (communities registry id, name and CODI region as
    # recorded); an id, not a foreign key: the registry belongs to another app.
    organization_id = models.PositiveIntegerField(_("community organization"), null=True, blank=True)
    organization_name = models.CharField(_("organization name"), max_length=255, blank=True)
    region = models.CharField(_("CODI region"), max_length=20, blank=True, default="")
    applies_at_work = models.BooleanField(_("applies the skill at work"), default=False)
    completed = models.BooleanField(_("completed"), default=True)

    class Meta:
        ordering = ["course", "pk"]

    def __str__(self) -> str:
        return f"{self.course_id} {self.employee_id or self.leader_name}"


class CompetencyTarget(models.Model):
    """A target of the digital action plan for a fiscal year (percent of staff, or a head count)."""

    fiscal_year = models.PositiveIntegerField(_("fiscal year (B.E.)"))
    indicator = models.CharField(_("indicator"), max_length=40)
    name_th = models.CharField(_("Thai name"), max_length=200)
    target = models.DecimalField(_("target"), max_digits=10, decimal_places=1)
    unit = models.CharField(_("unit"), max_length=20)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "indicator"], name="people_one_target")]
        ordering = ["fiscal_year", "indicator"]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.indicator}"


class TimeClockEntry(models.Model):
    """One employee's clock-in and clock-out on one day, imported from a time-clock export
    (``codi.people.attendance``); re-importing the same day replaces it, never duplicates it."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="clock_entries")
    date = models.DateField(_("date"))
    time_in = models.TimeField(_("clock in"), null=True, blank=True)
    time_out = models.TimeField(_("clock out"), null=True, blank=True)
    source = models.CharField(_("file"), max_length=200, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["employee", "date"], name="people_one_clock_entry")]
        ordering = ["-date", "employee__employee_no"]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date}"


class ChangeKind(models.TextChoices):
    BANK = "bank", _("Bank account for salary")
    ADDRESS = "address", _("Address")
    DEPENDANTS = "dependants", _("Dependants and tax allowances")


class ChangeStatus(models.TextChoices):
    HR = "hr", _("Awaiting HR")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ProfileChange(models.Model):
    """A change to their own record that a staff member asks for and HR approves
    (``codi.people.selfservice``, ``processes/profile_change.bpmn``). The record changes only on
    approval; the proposed values are encrypted and shown masked."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="profile_changes")
    kind = models.CharField(_("what"), max_length=20, choices=ChangeKind.choices)
    proposed = EncryptedTextField(_("proposed values"))  # JSON
    proposed_masked = models.CharField(_("proposed values"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=ChangeStatus.choices, default=ChangeStatus.HR
    )
    current_step = models.CharField(max_length=40, blank=True)
    workflow_state = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "kind"], condition=models.Q(status="hr"), name="people_one_open_change"
            )
        ]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.kind} {self.status}"


class SkillLevel(models.IntegerChoices):
    AWARE = 1, _("Knows of it")
    WITH_HELP = 2, _("Uses it with help")
    AT_WORK = 3, _("Uses it on my own at work")
    TEACHES = 4, _("Can teach others")


class SelfAssessment(models.Model):
    """A staff member's own level in one digital-skill group of the plan, for one fiscal year."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="self_assessments")
    fiscal_year = models.PositiveIntegerField(_("fiscal year (B.E.)"))
    competency = models.CharField(_("competency"), max_length=30, choices=Competency.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=SkillLevel.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "fiscal_year", "competency"], name="people_one_self_assessment"
            )
        ]
        ordering = ["fiscal_year", "employee__employee_no", "competency"]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.fiscal_year} {self.competency}"


# --- training certificates, evaluation and the supervisor's assessment (issue 18) ---------------


class TrainingCertificate(models.Model):
    """The completion certificate of one participant (``codi.people.certificates``): its public
    verification code resolves to ``/people/certificates/verify/<code>/``."""

    attendance = models.OneToOneField(Attendance, on_delete=models.CASCADE, related_name="certificate")
    code = models.CharField(_("verification code"), max_length=20, unique=True)
    issued_on = models.DateField(_("issued on"))
    # The e-mail that carried it to the participant (a notifications id; set once: never sent twice).
    email_notification_id = models.PositiveIntegerField(_("e-mail notification"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "code"]

    def __str__(self) -> str:
        return self.code


class CourseEvaluation(models.Model):
    """One participant's evaluation of a course (``codi.people.evaluation``): satisfaction on five
    points with a comment (reaction), and the pre- and post-test scores in percent (learning)."""

    attendance = models.OneToOneField(Attendance, on_delete=models.CASCADE, related_name="evaluation")
    rating = models.PositiveSmallIntegerField(_("satisfaction (1-5)"), null=True, blank=True)
    comment = models.CharField(_("comment"), max_length=1000, blank=True)
    pre_score = models.DecimalField(
        _("pre-test score"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    post_score = models.DecimalField(
        _("post-test score"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="people_evaluation_rating_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attendance_id} {self.rating}"


class SupervisorAssessment(models.Model):
    """The level a unit head confirms for one of their staff in one digital-skill group and fiscal
    year (``codi.people.supervisor``); the KPI of staff applying digital skills counts it first."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="supervisor_assessments")
    fiscal_year = models.PositiveIntegerField(_("fiscal year (B.E.)"))
    competency = models.CharField(_("competency"), max_length=30, choices=Competency.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=SkillLevel.choices)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "fiscal_year", "competency"], name="people_one_supervisor_assessment"
            )
        ]
        ordering = ["fiscal_year", "employee__employee_no", "competency"]
        verbose_name = _("supervisor's skill assessment")

    def __str__(self) -> str:
        return f"{self.employee_id} {self.fiscal_year} {self.competency}"


# --- payroll, time and self-service additions (people7) ------------------------------------------


class BackPayLine(models.Model):
    """A past month's pay difference (a salary or step change dated back) paid in a later run
    (``codi.people.backpay``); amounts in satang, negative for a recovery."""

    payslip = models.ForeignKey(Payslip, on_delete=models.CASCADE, related_name="backpay_lines")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    for_year = models.PositiveSmallIntegerField(_("for year"))
    for_month = models.PositiveSmallIntegerField(_("for month"))
    salary = models.BigIntegerField(_("salary difference"))
    sso_employee = models.BigIntegerField(default=0)
    sso_employer = models.BigIntegerField(default=0)
    pvd_employee = models.BigIntegerField(default=0)
    pvd_employer = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["payslip", "for_year", "for_month"], name="people_one_backpay_a_month"
            )
        ]
        ordering = ["payslip", "for_year", "for_month"]

    def __str__(self) -> str:
        return f"{self.payslip_id} {self.for_year}-{self.for_month:02d} {self.salary}"


class MailingStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Sending")
    DONE = "done", _("Sent")


class PayslipMailing(models.Model):
    """The e-mailing of an approved run's payslips (``codi.people.payslip_mail``), with its progress."""

    run = models.OneToOneField(PayrollRun, on_delete=models.CASCADE, related_name="mailing")
    status = models.CharField(
        _("status"), max_length=20, choices=MailingStatus.choices, default=MailingStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("payslips"), default=0)
    queued = models.PositiveIntegerField(_("e-mails queued"), default=0)
    without_email = models.PositiveIntegerField(_("without an e-mail address"), default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("payslip e-mailing")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.run_id} {self.status} {self.queued}/{self.total}"


class PayslipEmail(models.Model):
    """One payslip e-mailed once: the notification that carries it (its id in the notifications app)."""

    payslip = models.OneToOneField(Payslip, on_delete=models.CASCADE, related_name="email")
    notification_id = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["payslip_id"]

    def __str__(self) -> str:
        return f"{self.payslip_id} {self.notification_id}"


class AttendanceRule(models.Model):
    """When the working day starts and how many minutes late are tolerated, from a date on, for one
    unit or (no unit) for all; the latest rule valid on a day applies, a unit's before the general one."""

    valid_from = models.DateField(_("valid from"))
    org_unit = models.ForeignKey(
        "identity.OrgUnit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    start_time = models.TimeField(_("start of the working day"))
    grace_minutes = models.PositiveSmallIntegerField(_("grace minutes"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["valid_from", "org_unit"], name="people_one_attendance_rule")
        ]
        ordering = ["valid_from", "org_unit_id"]

    def __str__(self) -> str:
        return f"{self.valid_from} {self.org_unit_id or '*'} {self.start_time} +{self.grace_minutes}"


class Dependants(models.Model):
    """An employee's dependants as HR approved them (personal data: encrypted, shown masked): spouse,
    children with their birth years, parents. The tax fields on ``Employee`` follow from it."""

    employee = models.OneToOneField(Employee, on_delete=models.CASCADE, related_name="dependants")
    data = EncryptedTextField(_("dependants"))  # JSON
    masked = models.CharField(_("dependants"), max_length=300)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "dependants"

    def __str__(self) -> str:
        return f"{self.employee_id} {self.masked}"
