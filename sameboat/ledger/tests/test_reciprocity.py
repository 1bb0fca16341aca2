from hypothesis import given
from hypothesis import strategies as st

from sameboat.ledger.reciprocity import Balance, Reciprocity, counterparts, hundredths_to_units


def test_nothing_exchanged_is_not_yet():
    assert Reciprocity(0, 0).balance == Balance.NOT_YET
    assert Reciprocity(0, 0).given_percent == 0


def test_close_amounts_count_as_even():
    assert Reciprocity(given=1000, received=950).balance == Balance.EVEN
    assert Reciprocity(given=1000, received=200).balance == Balance.GIVES_MORE
    assert Reciprocity(given=100, received=900).balance == Balance.RECEIVES_MORE


@given(st.integers(0, 10**9), st.integers(0, 10**9))
def test_percentages_add_up(given_amount, received_amount):
    reciprocity = Reciprocity(given_amount, received_amount)
    if reciprocity.total:
        assert reciprocity.given_percent + reciprocity.received_percent == 100
    assert 0 <= reciprocity.given_percent <= 100


def test_people_with_the_same_name_stay_apart():
    people = counterparts([(1, "Sam", 100, 0), (2, "Sam", 0, 50), (1, "Sam", 0, 25)])
    assert [(p.name, p.given_to, p.received_from) for p in people] == [
        ("Sam", 100, 25),
        ("Sam", 0, 50),
    ]


@given(st.integers(-(10**12), 10**12))
def test_units_round_trip(amount):
    from decimal import Decimal

    assert Decimal(hundredths_to_units(amount)) * 100 == amount
