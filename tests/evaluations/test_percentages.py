from decimal import Decimal

import pytest

from evaluations.percentages import largest_remainder, point_change


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
