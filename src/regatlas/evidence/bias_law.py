"""What Local Law 144 and its rules say about a bias audit's dates and its published summary.

The dates are computed; the provisions are stated with where to read them. An employer may use an automated
employment decision tool only if its bias audit was done no more than one year before the use (NYC
Administrative Code § 20-871(a)(1); 6 RCNY § 5-301(a)), and only once a summary of the audit's results and the
tool's distribution date are public on the employment section of its website (§ 20-871(a)(2); 6 RCNY § 5-303).
Candidates get notice at least ten business days before use (§ 20-871(b); 6 RCNY § 5-304).
"""

from __future__ import annotations

import datetime as dt

RULES_URL = "https://codelibrary.amlegal.com/codes/newyorkcity/latest/NYCrules/0-0-0-138530"
DCWP_URL = "https://www.nyc.gov/site/dca/about/automated-employment-decision-tools.page"

SOURCES = [
    {
        "provision": "NYC Administrative Code § 20-871(a)",
        "says": "an AEDT may be used only if its bias audit was conducted no more than one year before the use, "
        "and a summary of the results of the most recent audit and the tool's distribution date were made "
        "publicly available on the employer's or employment agency's website before the use",
        "url": DCWP_URL,
    },
    {
        "provision": "6 RCNY § 5-301",
        "says": "(a) no use once more than one year has passed since the most recent bias audit; (b) selection "
        "rates and impact ratios, (c) scoring rates (share above the full sample's median) and impact ratios, "
        "for sex, race/ethnicity and intersectional categories, with the number of individuals in an unknown "
        "category; (d) an auditor may exclude a category under 2% of the data from the impact ratios, giving "
        "the justification and the category's number of applicants and rate",
        "url": RULES_URL,
    },
    {
        "provision": "6 RCNY § 5-303",
        "says": "before use, the employment section of the website shows the date of the most recent bias audit, "
        "a summary of its results (source and explanation of the data, the number of individuals in an unknown "
        "category, the number of applicants, the selection or scoring rates and the impact ratios for all "
        "categories) and the distribution date of the AEDT",
        "url": RULES_URL,
    },
    {
        "provision": "6 RCNY § 5-304",
        "says": "notice to candidates and employees who reside in the city at least 10 business days before use",
        "url": RULES_URL,
    },
]


def one_year_after(day: dt.date) -> dt.date:
    """The same calendar day a year later (29 February gives 28 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def dates(audit_date: dt.date, distribution_date: dt.date | None) -> dict:
    """The audit's dates and the last day a tool may be used on the strength of this audit."""
    return {
        "audit_date": audit_date.isoformat(),
        "use_no_later_than": one_year_after(audit_date).isoformat(),
        "distribution_date": distribution_date.isoformat() if distribution_date else None,
        "distribution_date_note": None
        if distribution_date
        else "unknown: not given (--distribution-date); the published summary must state it (6 RCNY § 5-303)",
        "before_use": [
            "publish the date of this audit and a summary of its results on the employment section of the "
            "website (6 RCNY § 5-303), with the tool's distribution date",
            "give candidates notice at least 10 business days before use (6 RCNY § 5-304)",
            f"use the tool on this audit no later than {one_year_after(audit_date).isoformat()}: more than one "
            "year after the audit, a new audit is needed (6 RCNY § 5-301(a))",
        ],
    }
