"""The verdicts every demo scenario must come to, by hand from the scenario's definition (exit code, non-OK checks)."""

DROPS = ["events", "users", "sessions", "orders", "revenue", "add_to_cart_rate", "checkout_rate", "purchase_rate"]

EXPECTED = {
    "healthy": (0, set()),
    "missing_day": (1, {("row_present", "daily_metrics", "critical")}),
    "null_revenue": (1, {("valid_value", "revenue", "critical"), ("drop", "revenue", "warn"),
                         ("reconciliation", "revenue", "warn"),
                         ("attribution_bound", "attributed_revenue_first_click", "warn"),
                         ("attribution_bound", "attributed_revenue_last_click", "warn")}),
    "zero_orders": (1, {("orders_with_traffic", "orders", "critical"), ("drop", "orders", "critical"),
                        ("drop", "revenue", "critical"), ("drop", "purchase_rate", "critical"),
                        ("attribution_coverage", "attributed_orders_first_click", "warn"),
                        ("attribution_coverage", "attributed_orders_last_click", "warn")}),
    "over_attribution": (1, {("attribution_bound", "attributed_orders_last_click", "critical")}),
    "coverage_collapse": (0, {("attribution_coverage", "attributed_orders_first_click", "warn")}),
    "orders_drop": (1, {("drop", "orders", "critical"), ("drop", "revenue", "critical"),
                        ("drop", "purchase_rate", "critical")}),
    "checkout_rate_drop": (0, {("drop", "checkout_rate", "warn"), ("drop", "orders", "warn"),
                               ("drop", "revenue", "warn")}),
    "reconciliation_mismatch": (1, {("reconciliation", "orders", "critical"),
                                    ("reconciliation", "revenue", "critical")}),
    "insufficient_history": (0, {("drop", m, "warn") for m in DROPS}),
}
