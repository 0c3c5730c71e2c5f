"""The per-process memos (kept SQL, compiled queries, fragments, data stamps) never hold more than their bound."""

from tthtcd_portal.bounded import Bounded


def test_a_memo_empties_itself_before_it_would_exceed_its_bound_and_keeps_the_new_entry():
    memo = Bounded(3)
    for key in "abc":
        assert memo.keep(key, key.upper()) == key.upper()
    memo.keep("a", "A again")  # a key it holds: replaced, nothing dropped
    assert memo == {"a": "A again", "b": "B", "c": "C"}
    memo.keep("d", "D")
    assert memo == {"d": "D"}
