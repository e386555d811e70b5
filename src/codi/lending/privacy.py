"""Lending's data-subject collector: a registry person's Baan Mankong household (plot, share of
the housing loan) and welfare-fund membership (contributions, benefits received).

They are records of public money (housing subsidies, a loan share, matching contributions):
an erasure keeps them with the rule named; the person's name and ID are anonymised in the
registry (codi.communities), which these rows only point at.
"""

from __future__ import annotations

from typing import Any

from codi.core.personaldata import KEEP, RULE_PROJECT_FINANCE, Outcome, Subject, row
from codi.lending.models_community import BenefitPaid, Contribution, Household, WelfareMember

ORDER = 75


def _person_id(subject: Subject) -> Any:
    return getattr(subject.person, "pk", None)


class LendingCollector:
    name = "lending"

    def collect(self, subject: Subject) -> dict[str, list[dict[str, Any]]]:
        pid = _person_id(subject)
        households = Household.objects.filter(person_id=pid).select_related("project", "plot")
        members = WelfareMember.objects.filter(person_id=pid).select_related("fund")
        return {
            "lending.Household": [
                {
                    "project": h.project.name_th,
                    "plot": h.plot.plot_no if h.plot else "",
                    **row(h, ("loan_share", "joined_on")),
                }
                for h in households
            ],
            "lending.WelfareMember": [{"fund": m.fund.name_th, **row(m, ("joined_on",))} for m in members],
            "lending.Contribution": [
                row(c, ("month", "amount")) for c in Contribution.objects.filter(member__in=members)
            ],
            "lending.BenefitPaid": [
                row(b, ("stage", "paid_on", "amount")) for b in BenefitPaid.objects.filter(member__in=members)
            ],
        }

    def erase(self, subject: Subject, *, dry_run: bool) -> list[Outcome]:
        pid = _person_id(subject)
        reason = (
            "record of public money (housing subsidy, loan share, welfare matching): kept with the accounts"
        )
        outcomes = [
            Outcome(
                "lending.Household", str(h.pk), KEEP, ("person",), rule=RULE_PROJECT_FINANCE, reason=reason
            )
            for h in Household.objects.filter(person_id=pid)
        ]
        outcomes += [
            Outcome(
                "lending.WelfareMember",
                str(m.pk),
                KEEP,
                ("person",),
                rule=RULE_PROJECT_FINANCE,
                reason=reason,
            )
            for m in WelfareMember.objects.filter(person_id=pid)
        ]
        return outcomes
