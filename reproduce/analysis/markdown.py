"""Markdown tables and numbers, as the generated pages write them.

    lines = table(["reading", "MAE"], [["stated", number(14.66, ".1f")]], right=[1])
    number(float("nan"))            # '–': a missing value
    p_value(0.0004)                 # '< 0.001'
"""
import math
import numbers


def number(value, spec=None):
    """`value` formatted with `spec`; ``–`` for a missing one (None or NaN).

    Without `spec`: an integral value with thousands separators, any other
    with three significant digits (more if it is 100 or larger, with one
    decimal), text as it is.
    """
    if value is None or (isinstance(value, numbers.Real) and math.isnan(value)):
        return "–"
    if spec is not None:
        return format(value, spec)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return str(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}" if abs(value) >= 100 else f"{value:.3g}"


def p_value(p):
    """A p-value as every page prints it: three decimals, ``< 0.001`` below that, ``–``
    when missing."""
    if p is None or math.isnan(p):
        return "–"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def cell(text):
    """`text` safe in a table cell (a ``|`` would end the cell)."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def table(headers, rows, right=()):
    """The lines of a Markdown table; the columns numbered in `right` are right-aligned."""
    rule = ["---:" if i in set(right) else "---" for i in range(len(headers))]
    return ["| " + " | ".join(cell(h) for h in headers) + " |",
            "|" + "|".join(rule) + "|",
            *("| " + " | ".join(cell(c) for c in row) + " |" for row in rows)]
