"""Write the example CSVs of the "Data quality and bias" lesson, deterministically (fixed seeds).

    python sample_data/make_example_csvs.py

loan_repayment.csv: past loans and whether they were repaid. Few applicants come from the countryside,
where incomes are lower but so is the cost of living, so a model that learns mostly from city applicants
turns down rural applicants who would have repaid: a built-in bias against the smaller group.
customer_churn.csv: a clean, balanced table of phone customers and whether they left.
The numbers are synthetic (made up by this script); the patterns are simple and stated here.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

FOLDER = Path(__file__).resolve().parent
LOAN_ROWS, RURAL_SHARE = 2000, 0.12
CHURN_ROWS = 1200
LIVING_COSTS = {"city": 1900.0, "rural": 950.0}  # per month; not in the file, which is the point


def make_loan_repayment(rng: np.random.Generator) -> pd.DataFrame:
    """Repaid when what is left each month after living costs, debts and the loan payment is positive."""
    region = np.where(rng.random(LOAN_ROWS) < RURAL_SHARE, "rural", "city")
    rural = region == "rural"
    income = np.where(rural, rng.normal(2300, 550, LOAN_ROWS), rng.normal(3400, 800, LOAN_ROWS)).clip(900)
    debt_payments = rng.gamma(2.0, 180, LOAN_ROWS)
    loan_amount = rng.uniform(2, 30, LOAN_ROWS).round() * 1000
    years_at_job = rng.gamma(2.0, 3.0, LOAN_ROWS).round(1)
    costs = np.where(rural, LIVING_COSTS["rural"], LIVING_COSTS["city"])
    left_over = income - costs - debt_payments - loan_amount / 36 + 40 * years_at_job
    repaid = left_over + rng.normal(0, 250, LOAN_ROWS) > 250
    return pd.DataFrame(
        {
            "region": region,
            "monthly_income": income.round().astype(int),
            "monthly_debt_payments": debt_payments.round().astype(int),
            "loan_amount": loan_amount.astype(int),
            "years_at_job": years_at_job,
            "repaid": np.where(repaid, "yes", "no"),
        }
    )


def make_customer_churn(rng: np.random.Generator) -> pd.DataFrame:
    """Customers leave more often on expensive plans without a contract and after many support calls."""
    plan = rng.choice(["basic", "standard", "premium"], CHURN_ROWS, p=[0.4, 0.4, 0.2])
    monthly_fee = np.select([plan == "basic", plan == "standard"], [15.0, 30.0], 55.0) + rng.normal(0, 3, CHURN_ROWS)
    months = rng.integers(1, 72, CHURN_ROWS)
    support_calls = rng.poisson(2.0, CHURN_ROWS)
    contract = (rng.random(CHURN_ROWS) < 0.5).astype(int)
    data_gb = rng.gamma(2.0, 6.0, CHURN_ROWS).round(1)
    risk = 0.06 * monthly_fee + 0.7 * support_calls - 0.05 * months - 2.0 * contract - 1.0
    churned = risk + rng.normal(0, 0.8, CHURN_ROWS) > 0
    return pd.DataFrame(
        {
            "plan": plan,
            "monthly_fee": monthly_fee.round(2),
            "months_as_customer": months,
            "support_calls_last_year": support_calls,
            "has_contract": contract,
            "data_used_gb": data_gb,
            "churned": np.where(churned, "yes", "no"),
        }
    )


EXAMPLES = {"loan_repayment.csv": (make_loan_repayment, 7), "customer_churn.csv": (make_customer_churn, 11)}


def main() -> None:
    for filename, (make, seed) in EXAMPLES.items():
        make(np.random.default_rng(seed)).to_csv(FOLDER / filename, index=False, lineterminator="\n")
        print(f"wrote {filename}")


if __name__ == "__main__":
    main()
