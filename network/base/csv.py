"""CSV files that people open in a spreadsheet. A platform module: any room may import
it (it imports nothing from the rooms).

A cell whose text begins with =, +, -, @, a tab or a carriage return is run by Excel,
LibreOffice and Google Sheets as a formula ("CSV injection"), so a name typed into the
portal could run a formula on a coordinator's computer. `safe_cell` writes such text
with a leading apostrophe, which spreadsheets show as text. Numbers pass through, so a
negative amount stays a number.
"""

from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A cell a spreadsheet will not run as a formula: text that starts like one gets a
    leading apostrophe; numbers are returned unchanged."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
