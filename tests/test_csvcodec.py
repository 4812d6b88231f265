"""CSV as spreadsheets read it: cells that would run as formulas are made inert, reversibly."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stances import csvcodec


@pytest.mark.parametrize(
    "value, escaped",
    [
        ("=1", "'=1"),
        ("plain", "plain"),
        ("'tis", "'tis"),
        ("'=1", "''=1"),
        ("''", "'''"),
        ("", ""),
    ],
)
def test_escaping_is_minimal(value, escaped):
    assert csvcodec.escape_formula(value) == escaped


@given(st.text())
def test_escaping_can_be_undone_exactly(value):
    escaped = csvcodec.escape_formula(value)
    assert not escaped.startswith(csvcodec.FORMULA_STARTS)
    assert csvcodec.unescape_formula(escaped) == value
