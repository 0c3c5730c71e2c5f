"""tthtcd_portal.numbers: the one largest-remainder implementation the evaluations and reports apps share."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthtcd_portal.numbers import largest_remainder, percent_change, point_change, share


def test_seeds_2011_distribution_adds_up_to_100():
    shares = largest_remainder([158, 125, 3, 0])
    assert shares == [Decimal("55.2"), Decimal("43.7"), Decimal("1.1"), Decimal("0.0")]
    assert sum(shares) == Decimal("100.0")


def test_independent_rounding_would_not_add_up_but_this_does():
    # 1/3 each: rounding gives 33,3 × 3 = 99,9; the largest remainder gives the spare tenth to the first.
    assert largest_remainder([1, 1, 1]) == [Decimal("33.4"), Decimal("33.3"), Decimal("33.3")]


def test_mapping_keeps_keys_and_order():
    shares = largest_remainder({"tot": 2, "kha": 1}, decimals=0)
    assert list(shares) == ["tot", "kha"]
    assert shares == {"tot": Decimal("67"), "kha": Decimal("33")}


def test_all_zero_gives_zeros_not_a_division_error():
    assert largest_remainder([0, 0]) == [Decimal("0.0"), Decimal("0.0")]


def test_negative_count_is_refused():
    with pytest.raises(ValueError):
        largest_remainder([1, -1])


def test_seeds_change_on_2007_is_17_3_points():
    now = largest_remainder([158, 125, 3])[0]
    then = largest_remainder([106, 160, 14])[0]  # 37,9% Tốt in 2007
    assert then == Decimal("37.9")
    assert point_change(now, then) == Decimal("17.3")
    assert point_change(now, None) is None


def test_other_decimals():
    assert largest_remainder([1, 2], decimals=0) == [Decimal("33"), Decimal("67")]
    assert sum(largest_remainder([1, 1, 1], decimals=2)) == Decimal("100.00")


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=8))
def test_percentages_add_up_to_100_and_stay_within_a_tenth_of_the_exact_share(counts):
    result = largest_remainder(counts)
    total = sum(counts)
    if total == 0:
        assert all(p == 0 for p in result)
        return
    assert sum(result) == Decimal("100.0")
    for count, percent in zip(counts, result, strict=True):
        assert abs(percent - Decimal(count) * 100 / total) < Decimal("0.1")


def test_change_and_share():
    assert percent_change(1100, 1000) == Decimal("10.0")
    assert percent_change(900, 0) is None
    assert share(1, 3) == Decimal("33.3")
    assert share(1, 0) is None


def test_a_tie_in_remainders_goes_to_the_larger_count_then_the_earlier_item():
    # 1, 3 and 4 of 8 at whole percents: 12,5 / 37,5 / 50. The spare unit goes to the larger of the two tied.
    assert largest_remainder([1, 3, 4], decimals=0) == [Decimal("12"), Decimal("38"), Decimal("50")]
    # Same counts, same remainders: the earlier item.
    assert largest_remainder([1, 1, 2], decimals=0) == [Decimal("25"), Decimal("25"), Decimal("50")]
    assert largest_remainder([1, 1, 1, 1, 1, 1], decimals=0) == [Decimal("17")] * 4 + [Decimal("16")] * 2
