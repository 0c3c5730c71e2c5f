from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from reports.numbers import largest_remainder, percent_change, share


def test_thai_binh_2011_ratings_round_to_the_published_figures():
    # 158 Tốt, 125 Khá, 3 Trung bình of 286 centres: 55,2% / 43,7% / 1,1% / 0,0% (DOMAIN.md)
    assert largest_remainder([158, 125, 3, 0]) == [Decimal("55.2"), Decimal("43.7"), Decimal("1.1"), Decimal("0.0")]


def test_three_equal_thirds_still_add_up_to_100():
    assert largest_remainder([1, 1, 1]) == [Decimal("33.4"), Decimal("33.3"), Decimal("33.3")]


def test_an_empty_whole_is_all_zeros():
    assert largest_remainder([0, 0]) == [Decimal("0.0"), Decimal("0.0")]


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
